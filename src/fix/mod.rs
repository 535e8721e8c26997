//! `check --fix`: applies the rules' fixes to the work tree, only where that is safe.
//!
//! The edits come from the scan (ast-grep's fixer, as byte ranges of the file at the head
//! revision). A file is fixed only when the work tree holds exactly what was scanned; of
//! overlapping edits the first is applied and the others skipped; a file whose fixed
//! text parses worse than before (more ERROR or MISSING nodes) is left as it was; each
//! file is replaced atomically. Findings the fixes resolve leave the report, and the
//! ones left in a fixed file move to their new position. `DryRun` computes the same and
//! returns a unified diff instead of writing.

mod diff;
pub mod edits;
mod parse;
mod remap;
mod summary;
pub mod text;
mod write;

use crate::git::{GitError, Repo, Snapshot};
use crate::report::Report;
use crate::rules::language_of;
use edits::Edit;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use thiserror::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Apply,
    DryRun,
}

/// A fix, named by its rule and the finding's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixRef {
    pub rule: String,
    pub path: String,
    pub line: usize,
}

/// A fix left out because its edit overlaps one applied before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub fix: FixRef,
    pub overlaps: FixRef,
}

/// A file whose fixes were not applied, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub path: String,
    pub fixes: Vec<FixRef>,
    pub reason: String,
}

#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// The fixes applied (with `DryRun`: that would be).
    pub applied: Vec<FixRef>,
    /// The files changed (would be).
    pub files: Vec<String>,
    pub skipped: Vec<Skipped>,
    /// Files left unchanged because the fixed text did not parse.
    pub rolled_back: Vec<FileProblem>,
    /// Files left unchanged because they could not safely be read or written.
    pub refused: Vec<FileProblem>,
    /// `DryRun`: the unified diff of every file that would change.
    pub diff: String,
}

#[derive(Debug, Error)]
pub enum FixError {
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("--fix changes files in the work tree, and this repository has none (a bare clone)")]
    NoWorkTree,
}

/// Applies (or, with `DryRun`, previews) the fixes of the findings in `report`, which
/// `check` made on the repository at `repo_dir`.
pub fn run(repo_dir: &Path, report: &mut Report, mode: Mode) -> Result<Outcome, FixError> {
    let mut by_path: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        if f.edit.is_some() {
            by_path.entry(f.path.clone()).or_default().push(i);
        }
    }
    let mut outcome = Outcome::default();
    if by_path.is_empty() {
        return Ok(outcome);
    }
    let repo = Repo::discover(repo_dir)?;
    let root = repo.workdir().ok_or(FixError::NoWorkTree)?.to_path_buf();
    let head = match &report.head.commit {
        Some(sha) => Some(Snapshot::Commit(repo.resolve(sha)?)),
        None => None,
    };
    let mut fixed = BTreeSet::new();
    for (path, indexes) in by_path {
        let file = FileCtx {
            repo: &repo,
            root: &root,
            head: head.as_ref(),
            path: &path,
        };
        let plan = match plan_file(&file, report, &indexes) {
            Ok(Some(plan)) => plan,
            Ok(None) => continue,
            Err(Problem::Refused(p)) => {
                outcome.refused.push(p);
                continue;
            }
            Err(Problem::RolledBack(p)) => {
                outcome.rolled_back.push(p);
                continue;
            }
        };
        let applied_refs: Vec<FixRef> = plan
            .applied
            .iter()
            .map(|&(_, i)| fix_ref(report, i))
            .collect();
        match mode {
            Mode::DryRun => outcome
                .diff
                .push_str(&diff::unified(&path, &plan.text, &plan.new)),
            Mode::Apply => {
                if let Err(e) = write::replace_file(&root.join(&path), plan.new.as_bytes()) {
                    outcome.refused.push(FileProblem {
                        path: path.clone(),
                        fixes: applied_refs,
                        reason: format!("cannot write it: {e}"),
                    });
                    continue;
                }
            }
        }
        for (_, i, first) in &plan.skipped {
            outcome.skipped.push(Skipped {
                fix: fix_ref(report, *i),
                overlaps: fix_ref(report, plan.applied[*first].1),
            });
        }
        outcome.applied.extend(applied_refs);
        outcome.files.push(path.clone());
        if mode == Mode::Apply {
            let applied_edits: Vec<Edit> = plan.applied.iter().map(|(e, _)| e.clone()).collect();
            fixed.extend(plan.applied.iter().map(|&(_, i)| i));
            for f in report.findings.iter_mut().filter(|f| f.path == path) {
                remap::move_finding(f, &plan.text, &plan.new, &applied_edits);
            }
        }
    }
    let mut i = 0;
    report.findings.retain(|_| {
        i += 1;
        !fixed.contains(&(i - 1))
    });
    Ok(outcome)
}

/// Where a file is read from.
struct FileCtx<'a> {
    repo: &'a Repo,
    root: &'a Path,
    /// The head commit the findings were made on; `None` for the work tree.
    head: Option<&'a Snapshot>,
    path: &'a str,
}

/// A file's fixes, ready to write: the text as scanned, the text fixed, the edits
/// applied and skipped (tagged with finding indexes).
struct Plan {
    text: String,
    new: String,
    applied: edits::Tagged<usize>,
    skipped: Vec<(Edit, usize, usize)>,
}

enum Problem {
    Refused(FileProblem),
    RolledBack(FileProblem),
}

/// The fixes of the findings `indexes` (all in one file) applied to its text; `None`
/// when none changes anything.
fn plan_file(file: &FileCtx, report: &Report, indexes: &[usize]) -> Result<Option<Plan>, Problem> {
    let refused = |reason: String| {
        Problem::Refused(FileProblem {
            path: file.path.to_string(),
            fixes: indexes.iter().map(|&i| fix_ref(report, i)).collect(),
            reason,
        })
    };
    let text = read_scanned(file, &report.head.rev).map_err(refused)?;
    let candidates: Vec<(Edit, usize)> = indexes
        .iter()
        .filter_map(|&i| Some((report.findings[i].edit.clone()?, i)))
        .collect();
    match text::apply_checked(language_of(file.path), &text, candidates) {
        Ok(None) => Ok(None),
        Ok(Some(text::Fixed {
            new,
            applied,
            skipped,
        })) => Ok(Some(Plan {
            text,
            new,
            applied,
            skipped,
        })),
        Err(refusal) => {
            let reason = refusal.reason();
            match refusal {
                text::Refusal::Stale => Err(refused(reason)),
                text::Refusal::Unparsable { applied, .. } => {
                    Err(Problem::RolledBack(FileProblem {
                        path: file.path.to_string(),
                        fixes: applied.iter().map(|&(_, i)| fix_ref(report, i)).collect(),
                        reason,
                    }))
                }
            }
        }
    }
}

fn fix_ref(report: &Report, i: usize) -> FixRef {
    let f = &report.findings[i];
    FixRef {
        rule: f.rule.clone(),
        path: f.path.clone(),
        line: f.line,
    }
}

/// The work tree's copy of the file, provided it is what was scanned: when the head
/// side was a commit, the work tree's file must be byte for byte that commit's.
fn read_scanned(file: &FileCtx, head_rev: &str) -> Result<String, String> {
    let bytes =
        std::fs::read(file.root.join(file.path)).map_err(|e| format!("cannot read it: {e}"))?;
    if let Some(head) = file.head {
        let scanned = file
            .repo
            .read_path(head, file.path)
            .map_err(|e| e.to_string())?;
        if scanned.as_deref() != Some(bytes.as_slice()) {
            let sha = head.commit().map(|c| c.to_string()).unwrap_or_default();
            return Err(format!(
                "the work tree's copy differs from {head_rev} ({}), where the findings were made; \
                 commit or stash the changes, or run `bumpcheck check --fix` without --head to check and fix the work tree",
                &sha[..12.min(sha.len())]
            ));
        }
    }
    String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
}
