//! Resolving revisions, and the default base: the merge-base with the default branch.

use super::{shallow_hint, GitError, Repo};
use git2::Oid;

/// A revision as the user named it, and the commit it resolved to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub rev: String,
    pub commit: Oid,
    /// `commit` is the merge-base of `rev` and the head, not `rev` itself (the default base).
    pub merge_base: bool,
}

impl Repo {
    /// Resolves a revision (branch, tag, sha, `HEAD~2`, ...) to a commit.
    pub fn resolve(&self, rev: &str) -> Result<Resolved, GitError> {
        let object = self.raw().revparse_single(rev).map_err(|e| {
            if let Some(unborn) = self.unborn(rev) {
                return unborn;
            }
            GitError::UnknownRevision {
                rev: rev.to_string(),
                message: e.message().to_string(),
                hint: shallow_hint(self),
            }
        })?;
        let commit = object
            .peel_to_commit()
            .map_err(|e| GitError::UnknownRevision {
                rev: rev.to_string(),
                message: format!("does not name a commit: {}", e.message()),
                hint: String::new(),
            })?;
        Ok(Resolved {
            rev: rev.to_string(),
            commit: commit.id(),
            merge_base: false,
        })
    }

    /// Why `rev` names nothing when there is nothing to name yet: a repository without a
    /// commit, or `HEAD` on a branch without one (`git checkout --orphan`). libgit2 only
    /// says "revspec 'HEAD' not found", and its `is_empty` depends on the configured
    /// default branch name, so both are checked here.
    fn unborn(&self, rev: &str) -> Option<GitError> {
        let head = self.raw().head();
        let unborn = matches!(&head, Err(e) if e.code() == git2::ErrorCode::UnbornBranch);
        if !unborn {
            return None;
        }
        let any_ref = self
            .raw()
            .references()
            .is_ok_and(|mut refs| refs.next().is_some());
        if !any_ref {
            return Some(GitError::NoCommits);
        }
        let names_head = rev == "@" || rev.starts_with("HEAD") || rev.starts_with("@{");
        names_head.then(|| GitError::UnbornHead {
            branch: self
                .raw()
                .find_reference("HEAD")
                .ok()
                .and_then(|r| r.symbolic_target().ok().flatten().map(str::to_string))
                .map_or_else(String::new, |t| {
                    t.trim_start_matches("refs/heads/").to_string()
                }),
        })
    }

    /// The base to compare `head` with when the user gave none: the merge-base of `head`
    /// and the default branch. In GitHub Actions the PR's base branch (`GITHUB_BASE_REF`)
    /// is the default branch; otherwise `origin/HEAD`, then main and master.
    pub fn default_base(
        &self,
        head: &Resolved,
        github_base_ref: Option<&str>,
    ) -> Result<Resolved, GitError> {
        let mut candidates = Vec::new();
        if let Some(r) = github_base_ref.filter(|r| !r.is_empty()) {
            candidates.push(format!("origin/{r}"));
            candidates.push(r.to_string());
        }
        for c in [
            "origin/HEAD",
            "origin/main",
            "origin/master",
            "main",
            "master",
        ] {
            candidates.push(c.to_string());
        }
        for candidate in &candidates {
            let Ok(branch) = self.resolve(candidate) else {
                continue;
            };
            let base = self
                .raw()
                .merge_base(branch.commit, head.commit)
                .map_err(|_| GitError::NoMergeBase {
                    base: candidate.clone(),
                    head: head.rev.clone(),
                    hint: shallow_hint(self),
                })?;
            // Named after the branch, as a user thinks of it; the commit is the fork point.
            return Ok(Resolved {
                rev: candidate.clone(),
                commit: base,
                merge_base: true,
            });
        }
        Err(GitError::NoDefaultBase {
            tried: candidates.join(", "),
            hint: shallow_hint(self),
        })
    }
}
