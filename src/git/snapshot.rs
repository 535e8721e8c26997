//! One side of a comparison: a commit's tree, read from the object database, or the
//! work tree as it is on disk (for `npm install x@y && bumpcheck check`).

use super::symlink::{self, LINK_MODE};
use super::{GitError, Repo, Resolved};
use git2::{ObjectType, Oid, TreeWalkMode, TreeWalkResult};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub enum Snapshot {
    Commit(Resolved),
    WorkTree(PathBuf),
}

/// A file of a snapshot: its path relative to the repository root, with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    /// The blob id, for a commit's files.
    pub blob: Option<Oid>,
}

impl Snapshot {
    /// How the revision is named in messages and the report.
    pub fn label(&self) -> String {
        match self {
            Snapshot::Commit(r) => r.rev.clone(),
            Snapshot::WorkTree(_) => "the work tree".to_string(),
        }
    }

    pub fn commit(&self) -> Option<Oid> {
        match self {
            Snapshot::Commit(r) => Some(r.commit),
            Snapshot::WorkTree(_) => None,
        }
    }
}

/// Decides on a path and its last component; a plain function, so walkers on other
/// threads can hold it.
pub type PathFilter = fn(&str, &str) -> bool;

impl Repo {
    /// Lists the files of a snapshot for which `keep(path, file_name)` holds, not descending
    /// into folders for which `descend(dir_path, dir_name)` is false. The work tree is
    /// walked as git sees it: ignored files are left out.
    pub fn list_files(
        &self,
        snapshot: &Snapshot,
        descend: PathFilter,
        keep: PathFilter,
    ) -> Result<Vec<FileEntry>, GitError> {
        match snapshot {
            Snapshot::Commit(resolved) => self.list_tree(resolved, descend, keep),
            Snapshot::WorkTree(root) => Ok(list_work_tree(root, descend, keep)),
        }
    }

    fn list_tree(
        &self,
        resolved: &Resolved,
        descend: PathFilter,
        keep: PathFilter,
    ) -> Result<Vec<FileEntry>, GitError> {
        let read_err = |e: git2::Error| GitError::Read {
            path: String::new(),
            rev: resolved.rev.clone(),
            message: e.message().to_string(),
        };
        let commit = self.raw().find_commit(resolved.commit).map_err(read_err)?;
        let tree = commit.tree().map_err(read_err)?;
        let mut out = Vec::new();
        let read_link = |id: Oid| self.blob_bytes(id).map_err(|e| e.message().to_string());
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let Ok(name) = entry.name() else {
                return TreeWalkResult::Skip;
            };
            match entry.kind() {
                Some(ObjectType::Tree) => {
                    let path = format!("{dir}{name}");
                    if descend(&path, name) {
                        TreeWalkResult::Ok
                    } else {
                        TreeWalkResult::Skip
                    }
                }
                Some(ObjectType::Blob) => {
                    let path = format!("{dir}{name}");
                    if !keep(&path, name) {
                        return TreeWalkResult::Ok;
                    }
                    // Symlinks are blobs too (mode 120000): their content is a path. One
                    // that cannot be followed is listed without a blob, and reading it
                    // gives the reason.
                    let blob = if entry.filemode() == LINK_MODE {
                        symlink::follow_in_tree(&tree, &path, entry.id(), read_link).ok()
                    } else {
                        Some(entry.id())
                    };
                    out.push(FileEntry { path, blob });
                    TreeWalkResult::Ok
                }
                _ => TreeWalkResult::Ok, // submodules: another repository's files
            }
        })
        .map_err(read_err)?;
        Ok(out)
    }

    /// Reads a file of a snapshot; `Ok(None)` when it does not exist there.
    pub fn read_path(&self, snapshot: &Snapshot, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let err = |message: String| GitError::Read {
            path: path.to_string(),
            rev: snapshot.label(),
            message,
        };
        match snapshot {
            Snapshot::Commit(resolved) => {
                let commit = self
                    .raw()
                    .find_commit(resolved.commit)
                    .map_err(|e| err(e.message().to_string()))?;
                let tree = commit.tree().map_err(|e| err(e.message().to_string()))?;
                let entry = match tree.get_path(Path::new(path)) {
                    Ok(entry) => entry,
                    Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
                    Err(e) => return Err(err(e.message().to_string())),
                };
                if entry.kind() != Some(ObjectType::Blob) {
                    return Ok(None);
                }
                let mut id = entry.id();
                if entry.filemode() == LINK_MODE {
                    let read_link = |id| self.blob_bytes(id).map_err(|e| e.message().to_string());
                    id = symlink::follow_in_tree(&tree, path, id, read_link).map_err(err)?;
                }
                self.read_blob(id, path, snapshot).map(Some)
            }
            Snapshot::WorkTree(root) => match symlink::check_in_work_tree(root, path)
                .map_err(err)
                .map(|()| std::fs::read(root.join(path)))?
            {
                Ok(bytes) => Ok(Some(bytes)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => Ok(None),
                Err(e) => Err(err(e.to_string())),
            },
        }
    }

    /// The size of a listed file in bytes, without reading it.
    pub fn entry_size(&self, snapshot: &Snapshot, entry: &FileEntry) -> Result<u64, GitError> {
        let err = |message: String| GitError::Read {
            path: entry.path.clone(),
            rev: snapshot.label(),
            message,
        };
        match (entry.blob, snapshot) {
            (Some(blob), _) => {
                let odb = self.raw().odb().map_err(|e| err(e.message().to_string()))?;
                let (size, _) = odb
                    .read_header(blob)
                    .map_err(|e| err(e.message().to_string()))?;
                Ok(size as u64)
            }
            (None, Snapshot::WorkTree(root)) => {
                symlink::check_in_work_tree(root, &entry.path).map_err(err)?;
                std::fs::metadata(root.join(&entry.path))
                    .map(|m| m.len())
                    .map_err(|e| err(e.to_string()))
            }
            (None, Snapshot::Commit(_)) => Ok(self.read_entry(snapshot, entry)?.len() as u64),
        }
    }

    /// Reads a listed file.
    pub fn read_entry(&self, snapshot: &Snapshot, entry: &FileEntry) -> Result<Vec<u8>, GitError> {
        match (entry.blob, snapshot) {
            (Some(blob), _) => self.read_blob(blob, &entry.path, snapshot),
            (None, Snapshot::WorkTree(root)) => {
                let err = |message: String| GitError::Read {
                    path: entry.path.clone(),
                    rev: snapshot.label(),
                    message,
                };
                symlink::check_in_work_tree(root, &entry.path).map_err(err)?;
                std::fs::read(root.join(&entry.path)).map_err(|e| err(e.to_string()))
            }
            (None, Snapshot::Commit(_)) => {
                self.read_path(snapshot, &entry.path)?
                    .ok_or_else(|| GitError::Read {
                        path: entry.path.clone(),
                        rev: snapshot.label(),
                        message: "no such file".into(),
                    })
            }
        }
    }

    fn read_blob(&self, id: Oid, path: &str, snapshot: &Snapshot) -> Result<Vec<u8>, GitError> {
        self.blob_bytes(id).map_err(|e| GitError::Read {
            path: path.to_string(),
            rev: snapshot.label(),
            message: e.message().to_string(),
        })
    }

    fn blob_bytes(&self, id: Oid) -> Result<Vec<u8>, git2::Error> {
        Ok(self.raw().find_blob(id)?.content().to_vec())
    }

    /// Paths (relative, `/`-separated) of work-tree files that differ from HEAD or are
    /// new and not ignored. Empty for a bare repository.
    pub fn uncommitted_paths(&self) -> Result<Vec<String>, GitError> {
        if self.workdir().is_none() {
            return Ok(Vec::new());
        }
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .exclude_submodules(true);
        let statuses = self
            .raw()
            .statuses(Some(&mut opts))
            .map_err(|e| GitError::Read {
                path: String::new(),
                rev: "the work tree".into(),
                message: e.message().to_string(),
            })?;
        Ok(statuses
            .iter()
            .filter(|s| !s.status().is_ignored() && s.status() != git2::Status::CURRENT)
            .filter_map(|s| s.path().ok().map(str::to_string))
            .collect())
    }
}

fn relative(root: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(root).ok()?;
    let parts: Vec<&str> = rel.iter().map(|c| c.to_str()).collect::<Option<_>>()?;
    Some(parts.join("/"))
}

fn list_work_tree(root: &Path, descend: PathFilter, keep: PathFilter) -> Vec<FileEntry> {
    let walk_root = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(false)
        .require_git(false)
        .filter_entry(move |e| {
            let Some(name) = e.file_name().to_str() else {
                return false;
            };
            if name == ".git" {
                return false;
            }
            if e.file_type().is_some_and(|t| t.is_dir()) && e.depth() > 0 {
                return relative(&walk_root, e.path()).is_some_and(|p| descend(&p, name));
            }
            true
        })
        .build();
    let mut out = Vec::new();
    for entry in walker.flatten() {
        // A symlink is listed too: reading it follows it, or says why it cannot.
        if !entry
            .file_type()
            .is_some_and(|t| t.is_file() || t.is_symlink())
        {
            continue;
        }
        let Some(name) = entry.file_name().to_str() else {
            continue;
        };
        if let Some(path) = relative(root, entry.path()) {
            if keep(&path, name) {
                out.push(FileEntry { path, blob: None });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}
