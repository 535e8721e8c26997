//! Direct dependencies: the manifests beside a lockfile and in its workspace members.

use super::lockfiles::Read;
use super::{describe, dir_of, prefix};
use crate::git::{Repo, Snapshot};
use crate::lockfile::includes::join;
use crate::lockfile::{is_dependency_dir, Format, Lockfile};
use crate::manifest;
use crate::report::{Report, ReportError};
use std::collections::BTreeSet;

/// Direct dependency names at one revision: the manifests beside the lockfile and in its
/// workspace members; the lockfile's own record where the root manifest is missing.
pub(super) fn direct_names(
    repo: &Repo,
    snapshot: &Snapshot,
    read: Option<&Read>,
    lock: &Lockfile,
    format: Format,
    report: &mut Report,
) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let Some(read) = read else {
        return names;
    };
    let dir = dir_of(&read.entry.path);
    let mut root_found = false;
    let Some(manifest_name) = format.manifest_name() else {
        return lock.recorded_direct.iter().cloned().collect();
    };
    let mut dirs: Vec<String> = std::iter::once(String::new())
        .chain(lock.workspace_dirs.iter().cloned())
        .collect();
    let mut renamed = Vec::new();
    let mut i = 0;
    while let Some(ws) = dirs.get(i).cloned() {
        i += 1;
        let Some(manifest_path) = join(dir, &ws).and_then(|d| join(&d, manifest_name)) else {
            continue;
        };
        match repo.read_path(snapshot, &manifest_path) {
            Ok(Some(bytes)) => match manifest::direct_dependencies(format, &bytes) {
                Ok(list) => {
                    if i == 1 {
                        root_found = true;
                        // Cargo, yarn 1 and old npm lockfiles do not name the workspace
                        // members: the root manifest does.
                        if let Ok(w) = manifest::workspace(format, &bytes) {
                            for member in workspace_members(repo, snapshot, dir, manifest_name, &w) {
                                if !dirs.contains(&member) {
                                    dirs.push(member);
                                }
                            }
                            renamed = w.renamed;
                        }
                    }
                    names.extend(list);
                }
                Err(e) => report.errors.push(ReportError {
                    path: manifest_path.clone(),
                    rev: snapshot.commit().map(|c| c.to_string()),
                    message: format!(
                        "cannot read {manifest_path} at {}: {e}; using the lockfile's record of direct dependencies",
                        describe(snapshot)
                    ),
                }),
            },
            Ok(None) => {}
            Err(e) => report.errors.push(ReportError {
                path: manifest_path.clone(),
                rev: snapshot.commit().map(|c| c.to_string()),
                message: e.to_string(),
            }),
        }
    }
    if !root_found {
        names.extend(lock.recorded_direct.iter().cloned());
    }
    for (key, real) in renamed {
        if names.remove(&key) {
            names.insert(real);
        }
    }
    names
}

/// The member folders (relative to the lockfile's folder `dir`) a workspace declares,
/// with globs expanded against the folders that hold a manifest at that revision.
fn workspace_members(
    repo: &Repo,
    snapshot: &Snapshot,
    dir: &str,
    manifest_name: &'static str,
    ws: &manifest::Workspace,
) -> Vec<String> {
    let is_glob = |p: &String| p.contains(['*', '?']);
    let mut out: Vec<String> = ws.members.iter().filter(|m| !is_glob(m)).cloned().collect();
    let globs: Vec<&String> = ws.members.iter().filter(|m| is_glob(m)).collect();
    if !globs.is_empty() {
        // Folders holding a manifest of the format.
        let found = repo
            .list_files(
                snapshot,
                |_, name| !is_dependency_dir(name),
                |_, name| matches!(name, "Cargo.toml" | "package.json" | "pyproject.toml"),
            )
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f.path.rsplit('/').next() == Some(manifest_name));
        let prefix = prefix(dir);
        for f in found {
            let Some(rel) = dir_of(&f.path).strip_prefix(&prefix) else {
                continue;
            };
            if globs
                .iter()
                .any(|g| glob_match(g.trim_end_matches('/'), rel))
            {
                out.push(rel.to_string());
            }
        }
    }
    let norm = |p: &str| join("", p).unwrap_or_default();
    let excluded: Vec<String> = ws.exclude.iter().map(|e| norm(e)).collect();
    out.retain(|m| !excluded.contains(&norm(m)));
    out
}

/// Matches a relative path against a pattern whose `*` and `?` stay within one component.
fn glob_match(pattern: &str, path: &str) -> bool {
    fn component(p: &[u8], s: &[u8]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => component(&p[1..], s) || (!s.is_empty() && component(p, &s[1..])),
            (Some(b'?'), Some(_)) => component(&p[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => component(&p[1..], &s[1..]),
            _ => false,
        }
    }
    let pattern = pattern.strip_prefix("./").unwrap_or(pattern);
    let (p, s): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == s.len()
        && p.iter()
            .zip(&s)
            .all(|(p, s)| component(p.as_bytes(), s.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_globs() {
        assert!(glob_match("crates/*", "crates/app"));
        assert!(glob_match("./crates/a?p", "crates/app"));
        assert!(glob_match("crates/*-cli", "crates/x-cli"));
        assert!(!glob_match("crates/*", "crates/app/sub"));
        assert!(!glob_match("crates/*", "tools/app"));
        assert!(glob_match("tools/cli", "tools/cli"));
    }
}
