//! Symlinks committed in the repository (or present in the work tree): a lockfile may be
//! a link to another file of the repository, which is read in its place. A link that
//! leaves the repository, dangles, or loops is refused with the reason, never followed
//! (its target is not the project's to read) and never skipped in silence.

use git2::{ObjectType, Oid, Tree};
use std::path::{Component, Path};

/// The file mode git gives a symlink; its blob holds the target path.
pub(crate) const LINK_MODE: i32 = 0o120000;

/// How many links a chain may have before it is taken for a loop (the kernel's limit).
const MAX_LINKS: usize = 40;

/// The path `target` names from a link at `link_path` (both relative to the repository
/// root, `/`-separated), normalised; an error when it is absolute or climbs out.
pub(crate) fn join(link_path: &str, target: &str) -> Result<String, String> {
    let outside = || format!("a symlink to `{target}`, outside the repository");
    if target.starts_with('/') || Path::new(target).is_absolute() {
        return Err(outside());
    }
    let mut parts: Vec<&str> = link_path.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop().ok_or_else(outside)?;
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(format!(
            "a symlink to `{target}`, the repository's root folder"
        ));
    }
    Ok(parts.join("/"))
}

/// The blob a link committed at `path` ends at in `tree`, following a chain of links.
/// `read` gives a blob's bytes (a link's target).
pub(crate) fn follow_in_tree(
    tree: &Tree<'_>,
    path: &str,
    link_blob: Oid,
    read: impl Fn(Oid) -> Result<Vec<u8>, String>,
) -> Result<Oid, String> {
    let (mut at, mut blob) = (path.to_string(), link_blob);
    for _ in 0..MAX_LINKS {
        let bytes = read(blob)?;
        let target = std::str::from_utf8(&bytes)
            .map_err(|_| "a symlink whose target is not a UTF-8 path".to_string())?;
        let next = join(&at, target)?;
        let entry = tree
            .get_path(Path::new(&next))
            .map_err(|_| format!("a symlink to `{target}`, which does not exist (dangling)"))?;
        match entry.kind() {
            Some(ObjectType::Blob) if entry.filemode() == LINK_MODE => {
                (at, blob) = (next, entry.id());
            }
            Some(ObjectType::Blob) => return Ok(entry.id()),
            _ => return Err(format!("a symlink to `{target}`, which is not a file")),
        }
    }
    Err(format!(
        "a chain of more than {MAX_LINKS} symlinks (a loop?)"
    ))
}

/// Whether a work-tree path, once every link on it is followed, is a file of the
/// repository rooted at `root` (its `.git` folder excluded); the reason when it is not.
pub(crate) fn check_in_work_tree(root: &Path, path: &str) -> Result<(), String> {
    let full = root.join(path);
    let is_link = std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let target = std::fs::read_link(&full)
        .map(|t| t.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Fails on a dangling link and on a loop, and the system's reason says which.
    let resolved = std::fs::canonicalize(&full)
        .map_err(|e| format!("a symlink to `{target}`, which cannot be followed: {e}"))?;
    let root = std::fs::canonicalize(root).map_err(|e| e.to_string())?;
    let inside = resolved.strip_prefix(&root).is_ok_and(|rel| {
        !rel.components()
            .any(|c| c == Component::Normal(".git".as_ref()))
    });
    if !inside {
        return Err(format!("a symlink to `{target}`, outside the repository"));
    }
    if !resolved.is_file() {
        return Err(format!("a symlink to `{target}`, which is not a file"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_from_the_links_folder_and_stay_inside() {
        assert_eq!(
            join("a/b/yarn.lock", "../c/yarn.lock").unwrap(),
            "a/c/yarn.lock"
        );
        assert_eq!(join("yarn.lock", "./x/./yarn.lock").unwrap(), "x/yarn.lock");
        assert_eq!(join("a/yarn.lock", "../yarn.lock").unwrap(), "yarn.lock");
        for (link, target) in [
            ("yarn.lock", "../yarn.lock"),
            ("a/yarn.lock", "../../x/yarn.lock"),
            ("a/yarn.lock", "/etc/passwd"),
        ] {
            let err = join(link, target).unwrap_err();
            assert!(
                err.contains("outside the repository"),
                "{link} -> {target}: {err}"
            );
        }
    }
}
