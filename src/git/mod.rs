//! Reading a repository: revisions, trees and blobs from the object database (no
//! checkout, works in a bare clone), and the work tree for uncommitted changes.

mod revision;
mod snapshot;
mod symlink;

pub use revision::Resolved;
pub use snapshot::{FileEntry, PathFilter, Snapshot};

use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum GitError {
    #[error("{path}: not inside a git repository: {message}")]
    NotARepository { path: PathBuf, message: String },
    #[error("unknown revision `{rev}`: {message}{hint}")]
    UnknownRevision {
        rev: String,
        message: String,
        hint: String,
    },
    #[error("no common ancestor between `{base}` and `{head}`{hint}")]
    NoMergeBase {
        base: String,
        head: String,
        hint: String,
    },
    #[error(
        "could not find the default branch to compare with (tried {tried}); pass --base REV{hint}"
    )]
    NoDefaultBase { tried: String, hint: String },
    #[error("`{path}` at {rev}: {message}")]
    Read {
        path: String,
        rev: String,
        message: String,
    },
    #[error(
        "this repository has no work tree (a bare clone): use --head REV instead of --worktree"
    )]
    Bare,
    #[error("this repository has no commits yet: commit the lockfiles, then compare revisions")]
    NoCommits,
    #[error(
        "HEAD is on branch `{branch}`, which has no commits yet: commit first, or name the revisions with --base and --head"
    )]
    UnbornHead { branch: String },
}

/// An open repository. git2 handles are not shared between threads: parallel readers
/// open their own handle from `git_dir`.
pub struct Repo {
    inner: git2::Repository,
    git_dir: PathBuf,
    workdir: Option<PathBuf>,
}

impl Repo {
    /// Opens the repository containing `path` (searching upwards, as git does).
    pub fn discover(path: &Path) -> Result<Repo, GitError> {
        let inner = git2::Repository::discover(path).map_err(|e| GitError::NotARepository {
            // `.` says little in an error: name the folder.
            path: std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
            message: e.message().to_string(),
        })?;
        let git_dir = inner.path().to_path_buf();
        let workdir = inner.workdir().map(Path::to_path_buf);
        Ok(Repo {
            inner,
            git_dir,
            workdir,
        })
    }

    pub fn git_dir(&self) -> &Path {
        &self.git_dir
    }

    pub fn workdir(&self) -> Option<&Path> {
        self.workdir.as_deref()
    }

    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    pub(crate) fn raw(&self) -> &git2::Repository {
        &self.inner
    }
}

/// The hint appended to errors that a shallow clone explains.
fn shallow_hint(repo: &Repo) -> String {
    if repo.is_shallow() {
        "\nthis is a shallow clone, so the commit may simply not have been fetched: run \
         `git fetch --unshallow` (or `git fetch origin <base-branch>`), or in GitHub Actions \
         set `fetch-depth: 0` on actions/checkout"
            .to_string()
    } else {
        String::new()
    }
}
