//! Files a lockfile pulls in (a requirements file's `-r other.txt`): read at the same
//! revision, relative to the file that names them, and merged into the includer.

use super::{Format, Lockfile};
use std::collections::BTreeSet;

/// At most this many files per lockfile, against cycles and runaway trees.
const MAX_FILES: usize = 64;

/// Joins a folder and a relative path, resolving `.` and `..`; `None` if it leaves the
/// root.
pub fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Merges into `lock` (read from `path`, `/`-separated) every file it includes, and
/// theirs in turn. `read` returns a file's bytes, `Ok(None)` when it does not exist.
/// Returns (included path, problem) for each file that could not be read or parsed.
pub fn resolve<E: std::fmt::Display>(
    lock: &mut Lockfile,
    format: Format,
    path: &str,
    mut read: impl FnMut(&str) -> Result<Option<Vec<u8>>, E>,
) -> Vec<(String, String)> {
    let dir_of = |p: &str| p.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let mut queue: Vec<String> = std::mem::take(&mut lock.includes)
        .iter()
        .filter_map(|inc| join(&dir_of(path), inc))
        .collect();
    let mut seen: BTreeSet<String> = [path.to_string()].into();
    let mut problems = Vec::new();
    while let Some(next) = queue.pop().filter(|_| seen.len() < MAX_FILES) {
        if !seen.insert(next.clone()) {
            continue;
        }
        let parsed = match read(&next) {
            Ok(Some(bytes)) => format.parse(&bytes).map_err(|e| e.to_string()),
            Ok(None) => Err("no such file".to_string()),
            Err(e) => Err(e.to_string()),
        };
        match parsed {
            Ok(included) => {
                queue.extend(
                    included
                        .includes
                        .iter()
                        .filter_map(|i| join(&dir_of(&next), i)),
                );
                lock.packages.extend(included.packages);
                lock.recorded_direct.extend(included.recorded_direct);
            }
            Err(message) => problems.push((next, message)),
        }
    }
    lock.dedup_packages();
    lock.recorded_direct.sort();
    lock.recorded_direct.dedup();
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_merges_nested_includes() {
        assert_eq!(join("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join("", "../x"), None);
        let files = |p: &str| -> Result<Option<Vec<u8>>, String> {
            Ok(match p {
                "req/base.txt" => Some(b"-r ../common.txt\nflask==3.0.3\n".to_vec()),
                "common.txt" => Some(b"-r dev.txt\nclick==8.1.7\n".to_vec()),
                _ => None,
            })
        };
        let mut lock = Format::Requirements
            .parse(b"-r req/base.txt\n-r missing.txt\npytest==8.2.0\n")
            .unwrap();
        // A cycle back to dev.txt is read once.
        let problems = resolve(&mut lock, Format::Requirements, "dev.txt", files);
        assert_eq!(
            crate::lockfile::package_names(&lock),
            ["click@8.1.7", "flask@3.0.3", "pytest@8.2.0"]
        );
        assert_eq!(lock.recorded_direct, ["click", "flask", "pytest"]);
        assert_eq!(
            problems,
            [("missing.txt".to_string(), "no such file".to_string())]
        );
    }
}
