//! pdm.lock: `[[package]]` tables with `name` and `version` (lock_version 4.x; older
//! files name a package with extras `name[extra]`, newer ones list `extras` apart, and
//! both repeat the package once per extras set). A local folder (`path` to a directory,
//! usually `editable`) is the project's own code.

use super::{
    from_toml_pieces, package_list, pep508, Lockfile, Package, PackagesAndMetadata, ParseError,
};
use serde::Deserialize;

type RawLock = PackagesAndMetadata<RawPackage>;

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: Option<String>,
    path: Option<String>,
}

/// Archives a `path` may point at; any other path is a folder of the project.
const ARCHIVES: [&str; 4] = [".whl", ".tar.gz", ".zip", ".tgz"];

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: RawLock = from_toml_pieces(bytes)?;
    let packages = package_list(raw.package, raw.metadata.is_some(), "pdm.lock")?;
    let mut out = Lockfile::default();
    for p in packages {
        if let Some(path) = &p.path {
            if !ARCHIVES.iter().any(|a| path.ends_with(a)) {
                let dir = path.trim_start_matches("./");
                if !dir.is_empty() && dir != "." {
                    out.workspace_dirs.push(dir.to_string());
                }
                continue;
            }
        }
        let Some(version) = p.version else { continue };
        let name = p.name.split('[').next().unwrap_or_default();
        out.packages.push(Package {
            spec: None,
            name: pep508::normalize(name),
            version,
            source: None,
        });
    }
    out.dedup_packages();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extras_entries_and_local_folders() {
        let lock = br#"[metadata]
groups = ["default", "dev"]
lock_version = "4.5.0"

[[package]]
name = "requests"
version = "2.32.3"
groups = ["default"]

[[package]]
name = "requests"
version = "2.32.3"
extras = ["socks"]
groups = ["default"]

[[package]]
name = "PySocks"
version = "1.7.1"

[[package]]
name = "pytest-cov[toml]"
version = "5.0.0"

[[package]]
name = "mylib"
version = "0.1.0"
path = "./libs/mylib"
editable = true

[[package]]
name = "vendored"
version = "1.0"
path = "./wheels/vendored-1.0-py3-none-any.whl"
"#;
        let l = parse(lock).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        assert_eq!(
            got,
            [
                ("requests", "2.32.3"),
                ("pysocks", "1.7.1"),
                ("pytest-cov", "5.0.0"),
                ("vendored", "1.0")
            ]
        );
        assert_eq!(l.workspace_dirs, ["libs/mylib"]);
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"[metadata]\n\n[[package]]\nversion = \"1\"\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(parse(b"[project]\nname = \"x\"\n").is_err());
    }
}
