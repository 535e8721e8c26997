//! npm's package-lock.json and npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
//!
//! v2 and v3 list every installed package under `packages`, keyed by its folder
//! (`node_modules/a/node_modules/b`); v1 nests `dependencies` objects instead. v2 carries
//! both, and `packages` is the complete one, so it wins.

use super::{Lockfile, Package, ParseError};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct RawLock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    packages: Option<BTreeMap<String, Entry>>,
    dependencies: Option<BTreeMap<String, V1Dependency>>,
}

/// An entry of `packages` (v2/v3).
#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    name: Option<String>,
    #[serde(default)]
    link: bool,
    dependencies: Option<BTreeMap<String, IgnoredAny>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, IgnoredAny>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, IgnoredAny>>,
    #[serde(rename = "peerDependencies")]
    peer_dependencies: Option<BTreeMap<String, IgnoredAny>>,
}

/// An entry of `dependencies` (v1), which nests.
#[derive(Deserialize)]
struct V1Dependency {
    version: Option<String>,
    dependencies: Option<BTreeMap<String, V1Dependency>>,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: RawLock = super::json::from_json(bytes)?;
    if let Some(v) = &raw.lockfile_version {
        if !v.is_u64() {
            return Err(ParseError::new(format!(
                "`lockfileVersion` should be a number, found {v}"
            )));
        }
    }
    let mut out = Lockfile::default();
    match (raw.packages, raw.dependencies) {
        (Some(packages), _) => read_packages(packages, &mut out),
        (None, Some(deps)) => read_v1(&deps, &mut out.packages),
        (None, None) => {
            if raw.lockfile_version.is_none() {
                return Err(ParseError::new(
                    "not an npm lockfile: no `lockfileVersion`, `packages` or `dependencies`",
                ));
            }
        }
    }
    Ok(out)
}

fn read_packages(packages: BTreeMap<String, Entry>, out: &mut Lockfile) {
    let mut direct = BTreeSet::new();
    for (key, entry) in packages {
        let installed_name = match key.rfind("node_modules/") {
            Some(i) => &key[i + "node_modules/".len()..],
            None => {
                // The root ("") or a folder of the project itself (a workspace member or a
                // `file:` dependency): its declared dependencies are direct ones.
                for deps in [
                    &entry.dependencies,
                    &entry.dev_dependencies,
                    &entry.optional_dependencies,
                    &entry.peer_dependencies,
                ]
                .into_iter()
                .flatten()
                {
                    direct.extend(deps.keys().cloned());
                }
                if !key.is_empty() {
                    out.workspace_dirs.push(key);
                }
                continue;
            }
        };
        // A link points at a folder of the project (already read above), not a download.
        if entry.link {
            continue;
        }
        let Some(version) = entry.version else {
            continue;
        };
        let name = entry.name.unwrap_or_else(|| installed_name.to_string());
        out.packages.push(Package {
            spec: None,
            name,
            version,
            source: None,
        });
    }
    out.recorded_direct = direct.into_iter().collect();
}

fn read_v1(deps: &BTreeMap<String, V1Dependency>, out: &mut Vec<Package>) {
    for (key, dep) in deps {
        if let Some(version) = &dep.version {
            if let Some(package) = v1_package(key, version) {
                out.push(package);
            }
        }
        if let Some(nested) = &dep.dependencies {
            read_v1(nested, out);
        }
    }
}

/// v1 writes an alias as `"alias": {"version": "npm:real@1.2.3"}`, and a local folder as
/// `file:...` (the project's own code, not a dependency).
fn v1_package(key: &str, version: &str) -> Option<Package> {
    if version.starts_with("file:") {
        return None;
    }
    if let Some(spec) = version.strip_prefix("npm:") {
        // The name may be scoped (`@s/n@1.0.0`): split at the last `@`.
        if let Some(at) = spec.rfind('@').filter(|&i| i > 0) {
            return Some(Package {
                spec: None,
                name: spec[..at].to_string(),
                version: spec[at + 1..].to_string(),
                source: None,
            });
        }
    }
    Some(Package {
        spec: None,
        name: key.to_string(),
        version: version.to_string(),
        source: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::package_names as names;

    #[test]
    fn v3_nested_alias_workspace_link() {
        let lock = br#"{
          "name": "root", "lockfileVersion": 3, "requires": true,
          "packages": {
            "": {"name": "root", "workspaces": ["packages/*"], "dependencies": {"express": "^4"}, "devDependencies": {"mocha": "1"}},
            "packages/api": {"name": "api", "version": "1.0.0", "dependencies": {"debug": "2.6.9", "lodash4": "npm:lodash@4"}},
            "node_modules/api": {"resolved": "packages/api", "link": true},
            "node_modules/express": {"version": "4.21.2"},
            "node_modules/debug": {"version": "4.3.4"},
            "node_modules/express/node_modules/debug": {"version": "2.6.9"},
            "node_modules/lodash4": {"name": "lodash", "version": "4.17.21"},
            "node_modules/@types/node": {"version": "20.1.0"},
            "packages/api/node_modules/ms": {"version": "2.0.0"}
          }
        }"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            names(&l),
            [
                "@types/node@20.1.0",
                "debug@2.6.9",
                "debug@4.3.4",
                "express@4.21.2",
                "lodash@4.17.21",
                "ms@2.0.0"
            ]
        );
        assert_eq!(l.workspace_dirs, ["packages/api"]);
        assert_eq!(l.recorded_direct, ["debug", "express", "lodash4", "mocha"]);
    }

    #[test]
    fn v1_nested_and_alias() {
        let lock = br#"{
          "lockfileVersion": 1,
          "dependencies": {
            "a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0"}}},
            "b": {"version": "1.0.0"},
            "l4": {"version": "npm:@scope/lodash@4.17.20"},
            "local": {"version": "file:../local"}
          }
        }"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            names(&l),
            ["@scope/lodash@4.17.20", "a@1.0.0", "b@1.0.0", "b@2.0.0"]
        );
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"x\": 1\n  }\n}")
            .unwrap_err();
        assert_eq!(err.line, Some(4));
        assert!(err.message.contains("invalid type"), "{}", err.message);

        let err = parse(b"{\n  \"lockfileVersion\": 3\n  \"packages\": {}\n}").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(3)));

        let err = parse(b"").unwrap_err();
        assert!(err.message.contains("EOF"));

        let err = parse(b"{\"name\": \"x\"}").unwrap_err();
        assert!(err.message.contains("not an npm lockfile"));
    }
}
