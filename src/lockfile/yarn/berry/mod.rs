//! The yarn.lock of yarn 2 and later ("Berry"): YAML, one entry per resolved package,
//! keyed by the comma-joined descriptors that resolve to it:
//!
//! ```yaml
//! __metadata:
//!   version: 8
//!
//! "lodash4@npm:lodash@4.17.20":
//!   version: 4.17.20
//!   resolution: "lodash@npm:4.17.20"
//! ```
//!
//! `resolution` is the locator, `name@protocol:reference`, always under the real name.
//! `workspace:`, `link:` and `portal:` entries (and `file:` folders) are the project
//! itself: their dependencies are direct ones, and `workspace:` gives the member folders.
//! A `patch:` entry is the patched copy of a package that has its own entry too, so the
//! package counts once.

mod fast;

use super::{alias_target, is_tarball_path, split_descriptor};
use crate::lockfile::{Lockfile, ParseError};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// An entry, with its scalars as `S` and its strings as `R`: owned text from the full
/// YAML parser, borrowed from the file from the fast reader.
#[derive(Deserialize)]
struct Entry<S: Ord, R> {
    version: Option<S>,
    resolution: Option<R>,
    dependencies: Option<BTreeMap<S, S>>,
    #[serde(rename = "peerDependencies")]
    peer_dependencies: Option<BTreeMap<S, S>>,
    /// Written last in every entry (since yarn 2): a file cut off inside an entry,
    /// that is still valid YAML, lacks it.
    #[serde(rename = "linkType")]
    link_type: Option<S>,
}

/// A scalar read as text (`__metadata.version` is a number, a range may look like one),
/// borrowed from the input when the reader allows it.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Scalar<'a>(Cow<'a, str>);

impl AsRef<str> for Scalar<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or number")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Scalar<'de>, E> {
                Ok(Scalar(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar<'de>, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar<'de>, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar<'de>, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar<'de>, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar<'de>, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

/// The same scalar, always owned: what the full parser (which owns its output) gives.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Owned(String);

impl AsRef<str> for Owned {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Owned {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Scalar::deserialize(d).map(|s| Owned(s.0.into_owned()))
    }
}

pub fn parse(text: &str) -> Result<Lockfile, ParseError> {
    // The purpose-built reader takes the files yarn writes; it answers `None` for anything
    // else (or any error), and the general path below reads (or refuses) the file.
    if let Some(lock) = fast::parse(text) {
        return Ok(lock);
    }
    parse_general(text)
}

/// The general path: serde-saphyr, for any YAML.
pub(super) fn parse_general(text: &str) -> Result<Lockfile, ParseError> {
    let options = serde_saphyr::options! {
        budget: Some(crate::lockfile::yaml_full::budget(text.len())),
    };
    let entries: BTreeMap<String, Spanned<Entry<Owned, String>>> =
        serde_saphyr::from_str_with_options(text, options).map_err(ParseError::from)?;
    read_entries(&entries, |e| &e.value, |e| Some(e.referenced))
}

/// The packages of the entries. `at` gives where an entry is, when the reader kept it.
fn read_entries<E, S: AsRef<str> + Ord, R: AsRef<str>>(
    entries: &BTreeMap<String, E>,
    entry_of: impl Fn(&E) -> &Entry<S, R>,
    at: impl Fn(&E) -> Option<Location>,
) -> Result<Lockfile, ParseError> {
    if !entries.contains_key("__metadata") {
        return Err(ParseError::new(
            "not a yarn Berry lockfile: no `__metadata`",
        ));
    }
    let mut packages = BTreeSet::new();
    let mut direct = BTreeSet::new();
    let mut workspace_dirs = Vec::new();
    for (key, spanned) in entries {
        if key == "__metadata" {
            continue;
        }
        let entry = entry_of(spanned);
        let resolved = resolve(
            key,
            entry.version.as_ref().map(S::as_ref),
            entry.resolution.as_ref().map(R::as_ref),
            entry.link_type.is_some(),
        )
        .map_err(|message| match at(spanned) {
            Some(loc) => located(message, loc),
            None => ParseError::new(message),
        })?;
        match resolved {
            Resolved::Own(dir) => {
                workspace_dirs.extend(dir.map(str::to_string));
                for deps in [&entry.dependencies, &entry.peer_dependencies]
                    .into_iter()
                    .flatten()
                {
                    for (dep, range) in deps {
                        add_direct(&mut direct, dep.as_ref(), range.as_ref());
                    }
                }
            }
            Resolved::Package(name, version) => {
                packages.insert((name.to_string(), version.to_string()));
            }
        }
    }
    Ok(Lockfile {
        workspace_dirs,
        ..Lockfile::from_sets(packages, direct)
    })
}

/// What an entry is: the project's own code (a workspace gives its folder, unless it is
/// the root), or a package, name and version.
#[derive(Debug, PartialEq)]
pub(super) enum Resolved<'e> {
    Own(Option<&'e str>),
    Package(&'e str, &'e str),
}

/// Reads one entry (not `__metadata`) from its fields, or says what is wrong with it.
pub(super) fn resolve<'e>(
    key: &str,
    version: Option<&'e str>,
    resolution: Option<&'e str>,
    has_link_type: bool,
) -> Result<Resolved<'e>, String> {
    if !has_link_type {
        return Err(format!(
            "entry `{key}` has no `linkType` (is the file cut off?)"
        ));
    }
    let Some(resolution) = resolution else {
        return Err(format!("entry `{key}` has no `resolution`"));
    };
    let Some((name, reference)) = split_descriptor(resolution) else {
        return Err(format!("`{resolution}` is not a `name@reference` locator"));
    };
    if let Some(dir) = project_own(reference) {
        return Ok(Resolved::Own(dir.filter(|d| *d != ".")));
    }
    let Some(version) = version else {
        return Err(format!("entry `{key}` has no `version`"));
    };
    Ok(Resolved::Package(name, version))
}

/// A dependency of the project's own code is direct; so is the package an alias names.
pub(super) fn add_direct(direct: &mut BTreeSet<String>, dep: &str, range: &str) {
    direct.insert(dep.to_string());
    if let Some(real) = alias_target(range) {
        direct.insert(real.to_string());
    }
}

/// For a locator reference that is the project's own code, `Some(Some(dir))` for a
/// workspace (its folder) and `Some(None)` for the others; `None` for a dependency.
fn project_own(reference: &str) -> Option<Option<&str>> {
    let (protocol, rest) = reference.split_once(':')?;
    let path = |s: &str| s.split(['#']).next().unwrap_or_default().to_string();
    match protocol {
        "workspace" => Some(Some(rest)),
        "link" | "portal" => Some(None),
        "file" => {
            // `file:./dir::locator=...` or `file:./dir#./dir::hash=...`
            let p = path(rest.split("::").next().unwrap_or_default());
            (!is_tarball_path(&p)).then_some(None)
        }
        // The patched copy of a workspace or portal is the project's own too.
        "patch" => {
            let inner = rest.split('#').next().unwrap_or_default();
            ["workspace", "link", "portal"]
                .iter()
                .any(|p| inner.contains(&format!("@{p}%3A")))
                .then_some(None)
        }
        _ => None,
    }
}

fn located(message: String, loc: Location) -> ParseError {
    ParseError {
        message,
        line: (loc.line() > 0).then_some(loc.line() as usize),
        column: (loc.line() > 0).then_some(loc.column() as usize),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::names;
    use super::*;

    const LOCK: &str = r#"# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"@acme/api@workspace:packages/api":
  version: 0.0.0-use.local
  resolution: "@acme/api@workspace:packages/api"
  dependencies:
    "@acme/web": "workspace:^"
    express: "npm:4.21.2"
    l4: "npm:lodash@4.17.20"
  languageName: unknown
  linkType: soft

"@acme/web@workspace:^, @acme/web@workspace:packages/web":
  version: 0.0.0-use.local
  resolution: "@acme/web@workspace:packages/web"
  peerDependencies:
    kleur: ^4.1.5
  languageName: unknown
  linkType: soft

"debug@npm:2.6.9, debug@npm:^2.2.0":
  version: 2.6.9
  resolution: "debug@npm:2.6.9"
  linkType: hard

"debug@npm:4.3.4":
  version: 4.3.4
  resolution: "debug@npm:4.3.4"
  linkType: hard

"escape-html@npm:1.0.3":
  version: 1.0.3
  resolution: "escape-html@npm:1.0.3"
  linkType: hard

"escape-html@patch:escape-html@npm%3A1.0.3#~/.yarn/patches/escape-html-npm-1.0.3-376c22ee74.patch":
  version: 1.0.3
  resolution: "escape-html@patch:escape-html@npm%3A1.0.3#~/.yarn/patches/escape-html-npm-1.0.3-376c22ee74.patch::version=1.0.3&hash=dab4d5"
  linkType: hard

"l4@npm:lodash@4.17.20":
  version: 4.17.20
  resolution: "lodash@npm:4.17.20"
  linkType: hard

"local-lib@file:./local-lib::locator=root%40workspace%3A.":
  version: 0.1.0
  resolution: "local-lib@file:./local-lib#./local-lib::hash=37a882&locator=root%40workspace%3A."
  dependencies:
    vary: "npm:1.1.2"
  linkType: hard

"vendored@file:./vendor/v-1.0.0.tgz::locator=root%40workspace%3A.":
  version: 1.0.0
  resolution: "vendored@file:./vendor/v-1.0.0.tgz::locator=root%40workspace%3A."
  linkType: hard

"assets@link:./assets::locator=root%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "assets@link:./assets::locator=root%40workspace%3A."
  linkType: hard

"shared@portal:./shared::locator=root%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "shared@portal:./shared::locator=root%40workspace%3A."
  dependencies:
    depd: "npm:2.0.0"
  linkType: hard

"ms@https://registry.example.invalid/ms/-/ms-2.1.3.tgz":
  version: 2.1.3
  resolution: "ms@https://registry.example.invalid/ms/-/ms-2.1.3.tgz"
  linkType: hard

"tiny-git-dep@git://127.0.0.1:19418/tiny-git-dep#v0.3.1":
  version: 0.3.1
  resolution: "tiny-git-dep@git://127.0.0.1:19418/tiny-git-dep#commit=5fdfc014f3fd8020ddd908b8dcea5ced98b45931"
  linkType: hard

"root@workspace:.":
  version: 0.0.0-use.local
  resolution: "root@workspace:."
  dependencies:
    cross-env: "npm:7.0.3"
  linkType: hard
"#;

    #[test]
    fn reads_protocols() {
        let l = super::super::parse(LOCK.as_bytes()).unwrap();
        assert_eq!(
            names(&l),
            [
                "debug@2.6.9",
                "debug@4.3.4",
                "escape-html@1.0.3",
                "lodash@4.17.20",
                "ms@2.1.3",
                "tiny-git-dep@0.3.1",
                "vendored@1.0.0",
            ]
        );
        assert_eq!(l.workspace_dirs, ["packages/api", "packages/web"]);
        assert_eq!(
            l.recorded_direct,
            [
                "@acme/web",
                "cross-env",
                "depd",
                "express",
                "kleur",
                "l4",
                "lodash",
                "vary"
            ]
        );
    }

    #[test]
    fn errors_have_positions() {
        let head = "__metadata:\n  version: 8\n\n";
        let cases: &[(String, (usize, usize), &str)] = &[
            (
                format!("{head}\"a@npm:1\":\n  version: 1.0.0\n  linkType: hard\n"),
                (5, 3),
                "no `resolution`",
            ),
            // Cut off after a field: valid YAML, but the entry is incomplete.
            (
                format!("{head}\"a@npm:1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n"),
                (5, 3),
                "no `linkType`",
            ),
            (
                format!("{head}\"a@npm:1\":\n  resolution: \"a@npm:1.0.0\"\n  linkType: hard\n"),
                (5, 3),
                "no `version`",
            ),
            (
                format!("{head}\"a@npm:1\":\n  version: 1.0.0\n  resolution: \"a@npm:1"),
                (6, 15),
                "unclosed quote",
            ),
            (
                format!("{head}\"a@npm:1\":\n  resolution: [\n"),
                (5, 15),
                "expected string",
            ),
        ];
        for (text, (line, column), message) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(err.line, Some(*line), "{text:?}: {err}");
            assert_eq!(err.column, Some(*column), "{text:?}: {err}");
            assert!(!err.message.contains("line"), "position said once: {err}");
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
        let err = parse("__metadata: 3\n").unwrap_err();
        assert!(err.line.is_some(), "{err}");
        let err = parse("a: {}\n").unwrap_err();
        assert!(err.message.contains("__metadata"), "{err}");
    }
}
