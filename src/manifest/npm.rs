//! package.json: the dependency names it declares, with aliases resolved.

use crate::lockfile::ParseError;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct RawManifest {
    dependencies: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "peerDependencies")]
    peer_dependencies: Option<BTreeMap<String, serde_json::Value>>,
}

/// The names a package.json declares in dependencies, devDependencies,
/// optionalDependencies and peerDependencies. An alias (`"l4": "npm:lodash@4"`) yields
/// both the alias and the real name, since lockfiles report the real one.
pub fn direct_dependencies(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let raw: RawManifest = crate::lockfile::json::from_json(bytes)?;
    let mut names = Vec::new();
    for deps in [
        raw.dependencies,
        raw.dev_dependencies,
        raw.optional_dependencies,
        raw.peer_dependencies,
    ]
    .into_iter()
    .flatten()
    {
        for (name, spec) in deps {
            if let Some(real) = spec.as_str().and_then(alias_target) {
                names.push(real.to_string());
            }
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

/// The `workspaces` of a root package.json (an array, or yarn's `{packages: [...]}`);
/// `!pattern` entries exclude.
pub fn workspace(bytes: &[u8]) -> Result<super::Workspace, ParseError> {
    let raw: serde_json::Value = crate::lockfile::json::from_json(bytes)?;
    let list = match &raw["workspaces"] {
        serde_json::Value::Array(a) => a.clone(),
        serde_json::Value::Object(o) => o
            .get("packages")
            .and_then(|p| p.as_array())
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut ws = super::Workspace::default();
    for pattern in list.iter().filter_map(|p| p.as_str()) {
        match pattern.strip_prefix('!') {
            Some(excluded) => ws.exclude.push(excluded.to_string()),
            None => ws.members.push(pattern.to_string()),
        }
    }
    Ok(ws)
}

/// `npm:@scope/real@^1.2` -> `@scope/real`.
pub fn alias_target(spec: &str) -> Option<&str> {
    let rest = spec.strip_prefix("npm:")?;
    match rest.rfind('@') {
        Some(i) if i > 0 => Some(&rest[..i]),
        _ => Some(rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_dependency_kinds_and_aliases() {
        let m = br#"{"name": "x", "dependencies": {"express": "^4", "l4": "npm:lodash@4.17.20"},
            "devDependencies": {"jest": "29"}, "optionalDependencies": {"fsevents": "*"},
            "peerDependencies": {"react": ">=18"}, "scripts": {"test": "jest"}}"#;
        assert_eq!(
            direct_dependencies(m).unwrap(),
            ["express", "fsevents", "jest", "l4", "lodash", "react"]
        );
        assert_eq!(alias_target("npm:@s/n@^1"), Some("@s/n"));
        assert_eq!(alias_target("npm:n"), Some("n"));
        assert_eq!(alias_target("^1"), None);
    }

    #[test]
    fn reads_workspaces() {
        let ws =
            workspace(br#"{"workspaces": ["packages/*", "tools/cli", "!packages/old"]}"#).unwrap();
        assert_eq!(ws.members, ["packages/*", "tools/cli"]);
        assert_eq!(ws.exclude, ["packages/old"]);
        let ws =
            workspace(br#"{"workspaces": {"packages": ["apps/*"], "nohoist": ["**/x"]}}"#).unwrap();
        assert_eq!(ws.members, ["apps/*"]);
        assert!(workspace(b"{}").unwrap().members.is_empty());
    }
}
