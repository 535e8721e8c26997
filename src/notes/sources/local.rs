//! The package as installed locally at the new version: `node_modules/<name>` beside the
//! lockfile, right after `npm install`. Free, and works offline.

use super::{pick_changelog, Repository};
use std::path::Path;

pub struct Installed {
    pub changelog: Option<(String, String)>,
    pub repository: Option<Repository>,
    pub path: String,
}

/// Reads `dir/node_modules/<name>` if it holds version `version`.
pub fn npm(dir: &Path, name: &str, version: &str) -> Option<Installed> {
    let pkg_dir = dir.join("node_modules").join(name);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(pkg_dir.join("package.json")).ok()?).ok()?;
    if manifest["version"].as_str() != Some(version) {
        return None;
    }
    let names: Vec<String> = std::fs::read_dir(&pkg_dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    let changelog = pick_changelog(names.iter().map(String::as_str)).and_then(|file| {
        let text = std::fs::read_to_string(pkg_dir.join(file)).ok()?;
        Some((file.to_string(), text))
    });
    Some(Installed {
        changelog,
        repository: repository_of(&manifest),
        path: pkg_dir.display().to_string(),
    })
}

/// The `repository` field of a package.json: a string or `{url, directory}`.
pub fn repository_of(manifest: &serde_json::Value) -> Option<Repository> {
    let repo = &manifest["repository"];
    match repo {
        serde_json::Value::String(s) => Repository::parse(s, None),
        serde_json::Value::Object(_) => {
            Repository::parse(repo["url"].as_str()?, repo["directory"].as_str())
        }
        _ => None,
    }
}
