//! `check`, end to end: lockfiles at two revisions -> changes -> fired rules -> findings.
//! The stages live in their own files: `lockfiles` (read, pair and diff the lockfiles),
//! `direct` (direct dependencies from manifests), `scan` (fire rules and match sources).

mod direct;
mod installed;
mod lockfiles;
mod scan;

use crate::config::Exclude;
pub(crate) use lockfiles::{read_current, Current};

use crate::diff::Change;
use crate::ecosystem::Ecosystem;
use crate::error::Result;
use crate::git::{FileEntry, Repo, Snapshot};
use crate::lockfile::{is_dependency_dir, Format};
use crate::notes;
use crate::report::{Report, ReportError, Revision, Tool};
use crate::rules::RuleSet;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Which side is compared with the base.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeadMode {
    /// HEAD, or the work tree when a lockfile has uncommitted changes.
    Auto,
    /// Always the work tree.
    WorkTree,
}

#[derive(Clone, Debug)]
pub struct Options {
    pub repo: PathBuf,
    pub base: Option<String>,
    pub head: Option<String>,
    pub head_mode: HeadMode,
    pub rule_dirs: Vec<PathBuf>,
    /// The PR's base branch in GitHub Actions (`GITHUB_BASE_REF`).
    pub github_base_ref: Option<String>,
    /// Match rules (false for `diff`, which only lists changes).
    pub scan: bool,
    /// Which changed packages get release notes.
    pub notes: notes::Selection,
    pub notes_options: notes::Options,
    /// Lockfiles larger than this are refused rather than read.
    pub max_lockfile_bytes: u64,
    /// The configuration file in use. Its exclusions, rule settings and `notes.always`
    /// apply here; its other settings are already merged into the fields above.
    pub config: Option<crate::config::Config>,
}

impl Options {
    /// The configuration file's settings, or the defaults when there is none.
    pub fn config_or_default(&self) -> Cow<'_, crate::config::Config> {
        match &self.config {
            Some(c) => Cow::Borrowed(c),
            None => Cow::Owned(crate::config::Config::default()),
        }
    }
}

/// The default `--max-lockfile-size`: far above the largest real lockfiles (tens of MiB).
pub const DEFAULT_MAX_LOCKFILE_MIB: u64 = 256;

pub fn run(opts: &Options) -> Result<Report> {
    let repo = Repo::discover(&opts.repo)?;
    let config = opts.config_or_default();
    let (base, head) = sides(&repo, opts)?;
    let mut report = empty_report(revision(&base), revision(&head), opts.config.as_ref());
    let head_lockfiles = lockfile_entries(&repo, &head, &config.exclude)?;
    lockfiles::diff_lockfiles(
        &repo,
        &base,
        &head,
        &head_lockfiles,
        opts.max_lockfile_bytes,
        &config.exclude,
        &mut report,
    )?;
    installed::apply(&mut report.changes, &head);
    if opts.scan {
        analyse(&repo, &head, &head_lockfiles, opts, &mut report)?;
    }
    report.redact_secrets();
    Ok(report)
}

/// A report with no changes yet.
pub(crate) fn empty_report(
    base: Revision,
    head: Revision,
    config: Option<&crate::config::Config>,
) -> Report {
    Report {
        schema_version: crate::report::SCHEMA_VERSION,
        tool: Tool::default(),
        base,
        head,
        config: config.map(|c| c.display.clone()),
        changes: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
        errors: Vec::new(),
        switched_lockfiles: Vec::new(),
        suppressed: 0,
        rules: Vec::new(),
        analysed_lockfiles: 0,
    }
}

/// The stages after the changes are known, shared by `check` and `preview`: fires the
/// rules for `report.changes`, matches them against the sources of `head` (each change
/// scoped to its lockfile's folder among `head_lockfiles`) and collects release notes.
pub(crate) fn analyse(
    repo: &Repo,
    head: &Snapshot,
    head_lockfiles: &[FileEntry],
    opts: &Options,
    report: &mut Report,
) -> Result<()> {
    if report.changes.is_empty() {
        return Ok(());
    }
    let config = opts.config_or_default();
    let mut rules = RuleSet::load(true, &opts.rule_dirs);
    let config_errors = config.rules.apply(&mut rules);
    let messages = rules
        .errors
        .iter()
        .map(|e| (&e.path, e.to_string()))
        .chain(config_errors.iter().map(|e| (&e.path, e.to_string())));
    for (path, message) in messages {
        report.errors.push(ReportError {
            path: path.clone(),
            rev: None,
            message,
        });
    }
    let fired = scan::scan(repo, head, head_lockfiles, &config.exclude, &rules, report)?;
    config.rules.apply_to_findings(&mut report.findings);
    let always = crate::config::always_wanted(&config.notes_always, &report.changes);
    let requests = notes_requests(&report.changes, &fired, &always, opts.notes, head);
    let mut notes_opts = opts.notes_options.clone();
    notes_opts.project_dir = notes_opts
        .project_dir
        .or_else(|| repo.workdir().map(PathBuf::from));
    report.notes = notes::collect(requests, &notes_opts).0;
    Ok(())
}

/// The changed packages whose release notes are wanted: direct dependencies, packages
/// a rule fired for and packages named in `always` (or every change, with `all`), at
/// most once each.
fn notes_requests(
    changes: &[Change],
    fired_changes: &BTreeSet<usize>,
    always: &BTreeSet<(Ecosystem, String)>,
    selection: notes::Selection,
    head: &Snapshot,
) -> Vec<notes::Request> {
    let mut seen = BTreeSet::new();
    changes
        .iter()
        .enumerate()
        .filter(|(i, c)| match selection {
            notes::Selection::None => false,
            notes::Selection::Direct => {
                c.direct
                    || fired_changes.contains(i)
                    || always.contains(&(c.ecosystem, c.name.clone()))
            }
            notes::Selection::All => true,
        })
        .filter_map(|(_, c)| {
            let to = c.to.clone()?;
            seen.insert((c.ecosystem, c.name.clone(), c.from.clone(), to.clone()))
                .then(|| notes::Request {
                    ecosystem: c.ecosystem,
                    name: c.name.clone(),
                    from: c.from.clone(),
                    to,
                    install_dir: match head {
                        Snapshot::WorkTree(root) => Some(root.join(dir_of(&c.lockfile))),
                        Snapshot::Commit(_) => None,
                    },
                    source: c.source.clone(),
                })
        })
        .collect()
}

pub(crate) fn revision(s: &Snapshot) -> Revision {
    match s {
        Snapshot::Commit(r) => Revision {
            rev: r.rev.clone(),
            commit: Some(r.commit.to_string()),
            merge_base: r.merge_base,
        },
        Snapshot::WorkTree(_) => Revision {
            rev: "worktree".into(),
            commit: None,
            merge_base: false,
        },
    }
}

/// Resolves the two sides, applying the defaults a user expects.
fn sides(repo: &Repo, opts: &Options) -> Result<(Snapshot, Snapshot)> {
    let head_rev = opts.head.as_deref().unwrap_or("HEAD");
    let head_commit = repo.resolve(head_rev)?;
    let use_work_tree = match opts.head_mode {
        HeadMode::WorkTree => true,
        // An explicit --head means that commit; otherwise uncommitted lockfile edits
        // (`npm install express@5` just ran) mean the work tree.
        HeadMode::Auto => {
            let exclude = opts.config.as_ref().map(|c| &c.exclude);
            opts.head.is_none() && has_uncommitted_lockfile(repo, exclude)?
        }
    };
    let head = if use_work_tree {
        let root = repo.workdir().ok_or(crate::git::GitError::Bare)?;
        Snapshot::WorkTree(root.to_path_buf())
    } else {
        Snapshot::Commit(head_commit.clone())
    };
    let base = match &opts.base {
        Some(rev) => repo.resolve(rev)?,
        None => repo.default_base(&head_commit, opts.github_base_ref.as_deref())?,
    };
    Ok((Snapshot::Commit(base), head))
}

fn has_uncommitted_lockfile(repo: &Repo, exclude: Option<&Exclude>) -> Result<bool> {
    Ok(repo.uncommitted_paths()?.iter().any(|p| {
        if exclude.is_some_and(|e| e.excludes(p)) {
            return false;
        }
        let mut parts = p.split('/').collect::<Vec<_>>();
        parts.pop();
        Format::detect_path(p).is_some() && !parts.iter().any(|d| is_dependency_dir(d))
    }))
}

/// The lockfiles of a snapshot, less those under the configuration's `exclude`.
pub(crate) fn lockfile_entries(
    repo: &Repo,
    snapshot: &Snapshot,
    exclude: &Exclude,
) -> Result<Vec<FileEntry>> {
    let mut entries = repo.list_files(
        snapshot,
        |_, name| !is_dependency_dir(name),
        |path, _| Format::detect_path(path).is_some(),
    )?;
    entries.retain(|e| !exclude.excludes(&e.path));
    Ok(entries)
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// A folder as a path prefix: `a/b` -> `a/b/`; the root stays empty.
fn prefix(dir: &str) -> String {
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

fn describe(snapshot: &Snapshot) -> String {
    match snapshot {
        Snapshot::Commit(r) => {
            let sha = r.commit.to_string();
            format!("{} ({})", r.rev, &sha[..12.min(sha.len())])
        }
        Snapshot::WorkTree(_) => "the work tree".into(),
    }
}
