//! The package as installed locally at the new version: free, and works offline.
//! - npm: `node_modules/<name>` beside the lockfile, right after `npm install`.
//! - cargo: the registry source cache, `$CARGO_HOME/registry/src/*/<name>-<version>/`,
//!   else the downloaded `.crate` in `$CARGO_HOME/registry/cache/*/`.
//! - Python: a virtual environment's site-packages (`.venv` or `venv` beside the lockfile,
//!   or `VIRTUAL_ENV`): `<name>-<version>.dist-info` names the installed files (a changelog
//!   among them) and its METADATA description often holds the changelog.

use super::{pick_changelog, pypi, Repository};
use crate::ecosystem::Ecosystem;
use crate::lockfile::pep508;
use std::path::{Path, PathBuf};

pub struct Installed {
    /// What the report calls this source (`node_modules`, `cargo registry cache`...).
    pub source: &'static str,
    /// Candidate changelogs, best first: (file name, text).
    pub changelogs: Vec<(String, String)>,
    pub repository: Option<Repository>,
    /// The package's folder (or archive).
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
    Some(Installed {
        source: "node_modules",
        changelogs: changelog_in(&pkg_dir).into_iter().collect(),
        repository: repository_of(&manifest),
        path: pkg_dir.display().to_string(),
    })
}

/// The version of `name` installed beside a dependency file in `dir`: `node_modules` for
/// npm, a `.venv` or `venv` virtual environment for Python. What a range in that file
/// resolved to on this machine, where the file itself says only what it admits.
pub fn installed_version(ecosystem: Ecosystem, dir: &Path, name: &str) -> Option<String> {
    match ecosystem {
        Ecosystem::Npm => {
            let manifest = std::fs::read(dir.join("node_modules").join(name).join("package.json"));
            let manifest: serde_json::Value = serde_json::from_slice(&manifest.ok()?).ok()?;
            manifest["version"].as_str().map(str::to_string)
        }
        Ecosystem::Pypi => {
            let wanted = pep508::normalize(name);
            [".venv", "venv"]
                .iter()
                .flat_map(|v| site_packages(&dir.join(v)))
                .flat_map(|site| std::fs::read_dir(site).into_iter().flatten().flatten())
                .find_map(|entry| {
                    let file = entry.file_name().into_string().ok()?;
                    let (n, v) = file.strip_suffix(".dist-info")?.rsplit_once('-')?;
                    (pep508::normalize(n) == wanted).then(|| v.to_string())
                })
        }
        _ => None,
    }
}

/// The best changelog file directly in a folder.
fn changelog_in(dir: &Path) -> Option<(String, String)> {
    let names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    let file = pick_changelog(names.iter().map(String::as_str))?;
    let text = std::fs::read_to_string(dir.join(file)).ok()?;
    Some((file.to_string(), text))
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

/// Subfolders of `dir` (one per registry index in cargo's caches).
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// A crate in cargo's registry caches under `cargo_home`.
pub fn cargo(cargo_home: &Path, name: &str, version: &str) -> Option<Installed> {
    let folder = format!("{name}-{version}");
    let registry = cargo_home.join("registry");
    if let Some(dir) = subdirs(&registry.join("src"))
        .into_iter()
        .map(|index| index.join(&folder))
        .find(|d| d.join("Cargo.toml").is_file())
    {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
        return Some(Installed {
            source: "cargo registry cache",
            changelogs: changelog_in(&dir).into_iter().collect(),
            repository: super::cargo::repository_of(&manifest),
            path: dir.display().to_string(),
        });
    }
    let archive = subdirs(&registry.join("cache"))
        .into_iter()
        .map(|index| index.join(format!("{folder}.crate")))
        .find(|f| f.is_file())?;
    let (changelog, repository, _) =
        super::cargo::read_crate(&std::fs::read(&archive).ok()?).ok()?;
    Some(Installed {
        source: "cargo registry cache",
        changelogs: changelog.into_iter().collect(),
        repository,
        path: archive.display().to_string(),
    })
}

/// The site-packages folders of a virtual environment (POSIX and Windows layouts).
fn site_packages(venv: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for lib in ["lib", "lib64"] {
        for python in subdirs(&venv.join(lib)) {
            let is_python = python
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("python") || n.starts_with("pypy"));
            if is_python && python.join("site-packages").is_dir() {
                out.push(python.join("site-packages"));
            }
        }
    }
    let windows = venv.join("Lib").join("site-packages");
    if windows.is_dir() {
        out.push(windows);
    }
    out
}

/// A distribution installed in the virtual environment `venv` at `version`.
pub fn pypi(venv: &Path, name: &str, version: &str) -> Option<Installed> {
    let wanted = pep508::normalize(name);
    for site in site_packages(venv) {
        let Some(dist_info) = std::fs::read_dir(&site)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                let file = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
                file.strip_suffix(".dist-info")
                    .and_then(|stem| stem.rsplit_once('-'))
                    .is_some_and(|(n, v)| {
                        pep508::normalize(n) == wanted && pypi::same_version(v, version)
                    })
            })
        else {
            continue;
        };
        let metadata = std::fs::read_to_string(dist_info.join("METADATA"))
            .map(|t| pypi::CoreMetadata::parse(&t))
            .unwrap_or_default();
        // Changelog files among the installed ones, the shallowest first.
        let record = std::fs::read_to_string(dist_info.join("RECORD")).unwrap_or_default();
        let mut files: Vec<&str> = record
            .lines()
            .filter_map(|l| l.split(',').next())
            .filter(|p| !p.starts_with("..") && p.matches('/').count() <= 2)
            .filter(|p| super::is_changelog(p.rsplit('/').next().unwrap_or(p)))
            .collect();
        files.sort_by_key(|p| p.matches('/').count());
        let mut changelogs: Vec<(String, String)> = files
            .into_iter()
            .filter_map(|p| Some((p.to_string(), std::fs::read_to_string(site.join(p)).ok()?)))
            .collect();
        if let Some(description) = &metadata.description {
            changelogs.push(("METADATA".to_string(), description.clone()));
        }
        return Some(Installed {
            source: "site-packages",
            changelogs,
            repository: metadata.repository(),
            path: dist_info.display().to_string(),
        });
    }
    None
}
