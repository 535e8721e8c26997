//! poetry.lock, lock-version 1.x (Poetry 1, with `category = "main"|"dev"`) and 2.x
//! (Poetry 1.5+ and 2, with `groups`): `[[package]]` tables with `name` and `version`.
//! A `directory` source is a folder of the project itself, not a download.

use super::{
    from_toml_pieces, package_list, pep508, Lockfile, Package, PackagesAndMetadata, ParseError,
};
use serde::Deserialize;

type RawLock = PackagesAndMetadata<RawPackage>;

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: RawLock = from_toml_pieces(bytes)?;
    let packages = package_list(raw.package, raw.metadata.is_some(), "poetry.lock")?;
    let mut out = Lockfile::default();
    for p in packages {
        match p.source {
            Some(Source {
                kind: Some(kind),
                url: Some(url),
            }) if kind == "directory" => {
                if url != "." {
                    out.workspace_dirs.push(url);
                }
            }
            source => out.packages.push(Package {
                spec: None,
                name: pep508::normalize(&p.name),
                version: p.version,
                // A `legacy` source is a package index (PEP 503); no source is the
                // default index.
                source: source
                    .filter(|s| s.kind.as_deref() == Some("legacy"))
                    .and_then(|s| s.url),
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_lock_versions_and_path_dependencies() {
        let v1 = br#"[[package]]
name = "Flask"
version = "2.3.3"
category = "main"
optional = false

[[package]]
name = "typing_extensions"
version = "4.12.2"
category = "dev"

[[package]]
name = "mylib"
version = "0.1.0"
develop = true

[package.source]
type = "directory"
url = "libs/mylib"

[metadata]
lock-version = "1.1"
"#;
        let l = parse(v1).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        assert_eq!(got, [("flask", "2.3.3"), ("typing-extensions", "4.12.2")]);
        assert_eq!(l.workspace_dirs, ["libs/mylib"]);

        let v2 = b"[[package]]\nname = \"pydantic\"\nversion = \"2.0.0rc1\"\ngroups = [\"main\"]\n\n[package.source]\ntype = \"legacy\"\nurl = \"https://registry.example.invalid/simple\"\nreference = \"private\"\n\n[metadata]\nlock-version = \"2.1\"\n";
        let l = parse(v2).unwrap();
        assert_eq!(l.packages[0].version, "2.0.0rc1");
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"[[package]]\nname = \"a\"\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        let err = parse(b"[metadata]\nlock-version = \"2.0\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(parse(b"[tool.poetry]\nname = \"x\"\n").is_err());
    }
}
