//! uv.lock: `[[package]]` tables with `name`, `version` and a `source`. A package whose
//! source is `editable`, `virtual` or `directory` is the project itself (the root or a
//! workspace member): what it depends on, in `dependencies`, `optional-dependencies` and
//! `dev-dependencies`, is direct.

use super::{
    absorb_packages, from_toml_pieces, package_list, pep508, Lockfile, Package, ParseError,
    TomlLock,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct RawLock {
    version: Option<i64>,
    package: Option<Vec<RawPackage>>,
}

impl TomlLock for RawLock {
    fn absorb(&mut self, later: Self) {
        absorb_packages(&mut self.package, later.package);
        self.version = self.version.take().or(later.version);
    }
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, toml::Value>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dependency>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dependency>>,
}

#[derive(Deserialize)]
struct Dependency {
    name: String,
}

/// Source kinds that point at the project's own folders.
const PROJECT_SOURCES: [&str; 3] = ["editable", "virtual", "directory"];

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: RawLock = from_toml_pieces(bytes)?;
    let packages = package_list(raw.package, raw.version.is_some(), "uv.lock")?;
    let mut out = Lockfile::default();
    let mut direct = BTreeSet::new();
    for p in packages {
        let own = PROJECT_SOURCES
            .iter()
            .find_map(|k| p.source.get(*k).and_then(toml::Value::as_str));
        if let Some(dir) = own {
            if dir != "." {
                out.workspace_dirs.push(dir.to_string());
            }
            let groups = p
                .optional_dependencies
                .values()
                .chain(p.dev_dependencies.values());
            for d in p.dependencies.iter().chain(groups.flatten()) {
                direct.insert(pep508::normalize(&d.name));
            }
            continue;
        }
        // A dynamic version that was never built has none: nothing pinned.
        if let Some(version) = p.version {
            out.packages.push(Package {
                spec: None,
                name: pep508::normalize(&p.name),
                version,
                source: p
                    .source
                    .get("registry")
                    .and_then(toml::Value::as_str)
                    .map(str::to_string),
            });
        }
    }
    out.recorded_direct = direct.into_iter().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_members_and_their_dependencies() {
        let lock = br#"version = 1
revision = 2
requires-python = ">=3.11"

[manifest]
members = ["app", "lib"]

[[package]]
name = "app"
version = "0.1.0"
source = { virtual = "." }
dependencies = [
    { name = "flask" },
    { name = "lib", editable = "packages/lib" },
]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "lib"
version = "0.1.0"
source = { editable = "packages/lib" }
dependencies = [{ name = "pydantic" }]

[package.optional-dependencies]
cli = [{ name = "rich" }]

[[package]]
name = "flask"
version = "3.0.3"
source = { registry = "https://registry.example.invalid/simple" }

[[package]]
name = "werkzeug"
version = "3.0.0"
source = { git = "https://example.invalid/werkzeug?rev=1#1" }
"#;
        let l = parse(lock).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        assert_eq!(got, [("flask", "3.0.3"), ("werkzeug", "3.0.0")]);
        assert_eq!(l.workspace_dirs, ["packages/lib"]);
        assert_eq!(
            l.recorded_direct,
            ["flask", "lib", "pydantic", "pytest", "rich"]
        );
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"version = 1\n[[package]]\nversion = \"1\"\n").unwrap_err();
        assert_eq!(err.line, Some(2), "{err}");
        assert!(parse(b"{}").is_err());
        assert!(parse(b"[project]\nname = \"x\"\n").is_err());
    }
}
