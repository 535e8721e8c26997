//! Cargo.toml: the crates a package depends on, and the members of a workspace.

use super::Workspace;
use crate::lockfile::{from_toml, ParseError};
use toml::{Table, Value};

const DEPENDENCY_TABLES: [&str; 5] = [
    "dependencies",
    "dev-dependencies",
    "build-dependencies",
    "dev_dependencies",
    "build_dependencies",
];

/// The real names of the crates in `[dependencies]`, `[dev-dependencies]`,
/// `[build-dependencies]` and their `[target.'cfg(..)'.*]` forms. A renamed dependency
/// (`foo = { package = "real" }`) counts under the real name; an inherited one
/// (`foo = { workspace = true }`) under its key, which `Workspace::renamed` maps.
pub fn direct_dependencies(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let manifest: Table = from_toml(bytes)?;
    let targets = manifest
        .get("target")
        .and_then(Value::as_table)
        .into_iter()
        .flat_map(|t| t.values().filter_map(Value::as_table));
    let mut names = Vec::new();
    for table in std::iter::once(&manifest).chain(targets) {
        for key in DEPENDENCY_TABLES {
            names.extend(
                table
                    .get(key)
                    .and_then(Value::as_table)
                    .map(real_names)
                    .into_iter()
                    .flatten(),
            );
        }
    }
    names.sort();
    names.dedup();
    Ok(names)
}

fn real_names(deps: &Table) -> impl Iterator<Item = String> + '_ {
    deps.iter().map(|(key, spec)| {
        spec.get("package")
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string()
    })
}

/// `[workspace]`: member folders (globs), excluded folders, and the renames of
/// `[workspace.dependencies]` that members inherit with `workspace = true`.
pub fn workspace(bytes: &[u8]) -> Result<Workspace, ParseError> {
    let manifest: Table = from_toml(bytes)?;
    let Some(ws) = manifest.get("workspace").and_then(Value::as_table) else {
        return Ok(Workspace::default());
    };
    let strings = |key: &str| -> Vec<String> {
        ws.get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let renamed = ws
        .get("dependencies")
        .and_then(Value::as_table)
        .into_iter()
        .flatten()
        .filter_map(|(key, spec)| {
            let real = spec.get("package")?.as_str()?;
            Some((key.clone(), real.to_string()))
        })
        .collect();
    Ok(Workspace {
        members: strings("members"),
        exclude: strings("exclude"),
        renamed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_tables_renames_and_workspace() {
        let m = br#"[package]
name = "app"

[dependencies]
serde = { workspace = true }
rand07 = { package = "rand", version = "0.7" }
util = { path = "../util" }
log = "0.4"

[dev-dependencies]
tempfile = "3"

[build-dependencies]
cc = "1"

[target.'cfg(unix)'.dependencies]
libc = "0.2"

[target.x86_64-pc-windows-msvc.dev-dependencies]
winapi = "0.3"

[workspace]
members = ["crates/*", "tools/cli"]
exclude = ["crates/old"]

[workspace.dependencies]
serde = "1"
rand_core06 = { package = "rand_core", version = "0.6" }
"#;
        assert_eq!(
            direct_dependencies(m).unwrap(),
            ["cc", "libc", "log", "rand", "serde", "tempfile", "util", "winapi"]
        );
        let ws = workspace(m).unwrap();
        assert_eq!(ws.members, ["crates/*", "tools/cli"]);
        assert_eq!(ws.exclude, ["crates/old"]);
        assert_eq!(
            ws.renamed,
            [("rand_core06".to_string(), "rand_core".to_string())]
        );
        assert_eq!(
            workspace(b"[package]\nname = \"x\"\n").unwrap(),
            Workspace::default()
        );
        assert_eq!(
            direct_dependencies(b"[dependencies\n").unwrap_err().line,
            Some(1)
        );
    }
}
