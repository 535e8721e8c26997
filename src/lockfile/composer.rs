//! Composer's `composer.lock`: the `packages` and `packages-dev` arrays.
//!
//! - Versions are reported as written (`v6.3.4` stays `v6.3.4`; version::parse reads the
//!   `v`). A branch (`dev-main`, `2.x-dev`) is not a version: it is reported as
//!   `dev-main#abc1234`, Composer's own syntax for a branch at a commit, with the commit cut
//!   to the 7 characters `composer show` prints, so that a moved branch is a change (of kind
//!   `other`).
//! - A package installed from a `path` repository (`"dist": {"type": "path"}`) is the
//!   project's own code: not a package; its folder is a workspace member whose
//!   composer.json declares direct dependencies.
//! - Names are lowercased, as Composer compares them.
//! - composer.lock does not record direct dependencies: they come from composer.json.

use super::{Lockfile, Package, ParseError};
use serde::Deserialize;

#[derive(Deserialize)]
struct RawLock {
    packages: Option<Vec<Entry>>,
    #[serde(rename = "packages-dev")]
    packages_dev: Option<Vec<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    source: Option<Origin>,
    dist: Option<Origin>,
}

#[derive(Deserialize)]
struct Origin {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: RawLock = super::json::from_json(bytes)?;
    let Some(packages) = raw.packages else {
        return Err(ParseError::new("not a composer.lock: no `packages` array"));
    };
    let mut out = Lockfile::default();
    for entry in packages
        .into_iter()
        .chain(raw.packages_dev.unwrap_or_default())
    {
        if let Some(Origin {
            kind: Some(kind),
            url: Some(url),
            ..
        }) = &entry.dist
        {
            if kind == "path" {
                out.workspace_dirs
                    .push(url.trim_start_matches("./").to_string());
                continue;
            }
        }
        let version = if is_branch(&entry.version) {
            let reference = [&entry.source, &entry.dist]
                .into_iter()
                .flatten()
                .find_map(|o| o.reference.as_deref());
            match reference {
                Some(r) => format!("{}#{}", entry.version, r.get(..7).unwrap_or(r)),
                None => entry.version,
            }
        } else {
            entry.version
        };
        out.packages.push(Package {
            spec: None,
            name: entry.name.to_lowercase(),
            version,
            source: None,
        });
    }
    Ok(out)
}

/// `dev-main`, `dev-feature/x`, `2.x-dev`, `1.0.x-dev`: a branch, not a release.
fn is_branch(version: &str) -> bool {
    version.starts_with("dev-") || version.ends_with("-dev")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_dev_branches_and_path_members() {
        let l = parse(
            br#"{
            "content-hash": "x",
            "packages": [
                {"name": "Acme/Utils", "version": "dev-main",
                 "dist": {"type": "path", "url": "./packages/utils", "reference": "abc"}},
                {"name": "acme/sdk", "version": "dev-master",
                 "source": {"type": "git", "url": "u", "reference": "ed5ec75e1b2c3d4e5f60718293a4b5c6d7e8f901"}},
                {"name": "acme/next", "version": "2.x-dev", "dist": {"type": "zip", "reference": "12"}},
                {"name": "symfony/console", "version": "v6.3.4"}
            ],
            "packages-dev": [{"name": "phpunit/phpunit", "version": "10.5.0-RC1"}]
        }"#,
        )
        .unwrap();
        let got = crate::lockfile::listing(&l);
        assert_eq!(
            got,
            [
                "acme/sdk dev-master#ed5ec75",
                "acme/next 2.x-dev#12",
                "symfony/console v6.3.4",
                "phpunit/phpunit 10.5.0-RC1"
            ]
        );
        assert_eq!(l.workspace_dirs, ["packages/utils"]);
        assert!(parse(br#"{"packages": [], "packages-dev": null}"#).is_ok());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse(b"{\n  \"packages\": [\n    {\"name\": \"a\"}\n  ]\n}").unwrap_err();
        assert!(e.message.contains("version"), "{e}");
        assert_eq!(e.line, Some(3));
        let e = parse(b"{\n  \"packages\": [\n").unwrap_err();
        assert!(e.line.is_some());
        let e = parse(b"{\"lockfileVersion\": 3}").unwrap_err();
        assert!(e.message.contains("not a composer.lock"));
    }
}
