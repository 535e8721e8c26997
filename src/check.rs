//! `check`, end to end: lockfiles at two revisions -> changes -> fired rules -> findings.

use crate::diff::{self, Change};
use crate::ecosystem::Ecosystem;
use crate::error::Result;
use crate::git::{FileEntry, Repo, Snapshot};
use crate::lockfile::includes::{self, join};
use crate::lockfile::{is_dependency_dir, Format, Lockfile, ParseError};
use crate::manifest;
use crate::notes;
use crate::report::{Finding, Report, ReportError, Revision, RuleInfo, Tool};
use crate::rules::{language_of, RuleSet};
use crate::scan::{files, matcher};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
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
}

/// The default `--max-lockfile-size`: far above the largest real lockfiles (tens of MiB).
pub const DEFAULT_MAX_LOCKFILE_MIB: u64 = 256;

pub fn run(opts: &Options) -> Result<Report> {
    let repo = Repo::discover(&opts.repo)?;
    let (base, head) = sides(&repo, opts)?;
    let mut report = Report {
        schema_version: crate::report::SCHEMA_VERSION,
        tool: Tool::default(),
        base: revision(&base),
        head: revision(&head),
        changes: Vec::new(),
        findings: Vec::new(),
        notes: Vec::new(),
        errors: Vec::new(),
        rules: Vec::new(),
        analysed_lockfiles: 0,
    };
    let head_lockfiles = lockfile_entries(&repo, &head)?;
    diff_lockfiles(
        &repo,
        &base,
        &head,
        &head_lockfiles,
        opts.max_lockfile_bytes,
        &mut report,
    )?;
    if opts.scan && !report.changes.is_empty() {
        let rules = RuleSet::load(true, &opts.rule_dirs);
        for e in &rules.errors {
            report.errors.push(ReportError {
                path: e.path.clone(),
                rev: None,
                message: e.to_string(),
            });
        }
        let fired = scan(&repo, &head, &head_lockfiles, &rules, &mut report)?;
        // Packages the configuration always wants notes for (issue 6's bumpcheck.toml)
        // go here once that file is read.
        let always = BTreeSet::new();
        let requests = notes_requests(&report.changes, &fired, &always, opts.notes, &head);
        let mut notes_opts = opts.notes_options.clone();
        notes_opts.project_dir = notes_opts
            .project_dir
            .or_else(|| repo.workdir().map(PathBuf::from));
        report.notes = notes::collect(requests, &notes_opts).0;
    }
    Ok(report)
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

fn revision(s: &Snapshot) -> Revision {
    match s {
        Snapshot::Commit(r) => Revision {
            rev: r.rev.clone(),
            commit: Some(r.commit.to_string()),
        },
        Snapshot::WorkTree(_) => Revision {
            rev: "worktree".into(),
            commit: None,
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
        HeadMode::Auto => opts.head.is_none() && has_uncommitted_lockfile(repo)?,
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

fn has_uncommitted_lockfile(repo: &Repo) -> Result<bool> {
    Ok(repo.uncommitted_paths()?.iter().any(|p| {
        let mut parts = p.split('/').collect::<Vec<_>>();
        let name = parts.pop().unwrap_or_default();
        Format::detect(name).is_some() && !parts.iter().any(|d| is_dependency_dir(d))
    }))
}

fn lockfile_entries(repo: &Repo, snapshot: &Snapshot) -> Result<Vec<FileEntry>> {
    Ok(repo.list_files(
        snapshot,
        |_, name| !is_dependency_dir(name),
        |_, name| Format::detect(name).is_some(),
    )?)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// One lockfile read at one revision.
struct Read {
    entry: FileEntry,
    bytes: Vec<u8>,
    parsed: Option<std::result::Result<Lockfile, ParseError>>,
}

/// Reads a lockfile, unless it is over the size limit: then it is not read at all, and
/// stands as a parse error that says so.
fn read(repo: &Repo, snapshot: &Snapshot, entry: &FileEntry, limit: u64) -> Result<Read> {
    let size = repo.entry_size(snapshot, entry)?;
    if size > limit {
        const MIB: f64 = 1024.0 * 1024.0;
        return Ok(Read {
            entry: entry.clone(),
            bytes: Vec::new(),
            parsed: Some(Err(ParseError::new(format!(
                "the file is {:.1} MiB, over the limit of {:.0} MiB for a lockfile (raise it with --max-lockfile-size)",
                size as f64 / MIB,
                limit as f64 / MIB
            )))),
        });
    }
    Ok(Read {
        entry: entry.clone(),
        bytes: repo.read_entry(snapshot, entry)?,
        parsed: None,
    })
}

fn diff_lockfiles(
    repo: &Repo,
    base: &Snapshot,
    head: &Snapshot,
    head_entries: &[FileEntry],
    limit: u64,
    report: &mut Report,
) -> Result<()> {
    let base_entries = lockfile_entries(repo, base)?;
    let head_paths: HashSet<&str> = head_entries.iter().map(|e| e.path.as_str()).collect();
    let base_paths: HashSet<&str> = base_entries.iter().map(|e| e.path.as_str()).collect();

    // Same path at both revisions: compare the bytes before parsing anything.
    let mut pairs: Vec<(Option<Read>, Option<Read>)> = Vec::new();
    for b in &base_entries {
        if let Some(h) = head_entries.iter().find(|h| h.path == b.path) {
            if b.blob.is_some() && b.blob == h.blob {
                continue;
            }
            let (rb, rh) = (read(repo, base, b, limit)?, read(repo, head, h, limit)?);
            // Refused (too large) at either side: report it, whatever the bytes.
            if rb.bytes != rh.bytes || rb.parsed.is_some() || rh.parsed.is_some() {
                pairs.push((Some(rb), Some(rh)));
            }
        }
    }
    let mut gone: Vec<Read> = Vec::new();
    for b in base_entries
        .iter()
        .filter(|b| !head_paths.contains(b.path.as_str()))
    {
        gone.push(read(repo, base, b, limit)?);
    }
    let mut new: Vec<Read> = Vec::new();
    for h in head_entries
        .iter()
        .filter(|h| !base_paths.contains(h.path.as_str()))
    {
        new.push(read(repo, head, h, limit)?);
    }

    // Parse everything that differs, in parallel: this is where large lockfiles cost.
    let all = pairs
        .iter_mut()
        .flat_map(|(a, b)| [a.as_mut(), b.as_mut()])
        .flatten()
        .chain(gone.iter_mut())
        .chain(new.iter_mut())
        .collect::<Vec<&mut Read>>();
    all.into_par_iter()
        .filter(|r| r.parsed.is_none())
        .for_each(|r| {
            let format = Format::detect(file_name(&r.entry.path)).expect("listed as a lockfile");
            r.parsed = Some(format.parse(&r.bytes));
        });

    for (b, h) in pairs.iter_mut() {
        if let Some(b) = b {
            read_includes(repo, base, b, report);
        }
        if let Some(h) = h {
            read_includes(repo, head, h, report);
        }
    }
    for g in gone.iter_mut() {
        read_includes(repo, base, g, report);
    }
    for n in new.iter_mut() {
        read_includes(repo, head, n, report);
    }
    pair_moved(&mut gone, &mut new, &mut pairs);
    pairs.extend(gone.into_iter().map(|g| (Some(g), None)));
    pairs.extend(new.into_iter().map(|n| (None, Some(n))));
    pairs.sort_by(|a, b| pair_path(a).cmp(pair_path(b)));

    for (b, h) in pairs {
        let mut failed = false;
        for (side, snapshot) in [(&b, base), (&h, head)] {
            if let Some(Read {
                entry,
                parsed: Some(Err(e)),
                ..
            }) = side
            {
                failed = true;
                report.errors.push(ReportError {
                    path: entry.path.clone(),
                    rev: snapshot.commit().map(|c| c.to_string()),
                    message: format!("cannot read {} at {}: {e}", entry.path, describe(snapshot)),
                });
            }
        }
        if failed {
            continue;
        }
        let lockfile_path = pair_path(&(b.as_ref(), h.as_ref())).to_string();
        let format = Format::detect(file_name(&lockfile_path)).expect("listed as a lockfile");
        let empty = Lockfile::default();
        let base_lock = b.as_ref().and_then(parsed).unwrap_or(&empty);
        let head_lock = h.as_ref().and_then(parsed).unwrap_or(&empty);
        let base_direct = direct_names(repo, base, b.as_ref(), base_lock, format, report);
        let head_direct = direct_names(repo, head, h.as_ref(), head_lock, format, report);
        report.analysed_lockfiles += 1;
        report.changes.extend(diff::diff(
            format.ecosystem(),
            &lockfile_path,
            diff::Side {
                packages: &base_lock.packages,
                direct: &base_direct,
            },
            diff::Side {
                packages: &head_lock.packages,
                direct: &head_direct,
            },
        ));
    }
    Ok(())
}

/// Merges the files a lockfile pulls in (`-r other.txt`), read at the same revision.
fn read_includes(repo: &Repo, snapshot: &Snapshot, read: &mut Read, report: &mut Report) {
    let Some(Ok(lock)) = read.parsed.as_mut() else {
        return;
    };
    if lock.includes.is_empty() {
        return;
    }
    let format = Format::detect(file_name(&read.entry.path)).expect("listed as a lockfile");
    let problems = includes::resolve(lock, format, &read.entry.path, |p| {
        repo.read_path(snapshot, p)
    });
    for (path, message) in problems {
        report.errors.push(ReportError {
            path: read.entry.path.clone(),
            rev: snapshot.commit().map(|c| c.to_string()),
            message: format!(
                "{}: cannot read its include {path} at {}: {message}",
                read.entry.path,
                describe(snapshot)
            ),
        });
    }
}

fn parsed(r: &Read) -> Option<&Lockfile> {
    r.parsed.as_ref().and_then(|p| p.as_ref().ok())
}

fn pair_path<A: std::borrow::Borrow<Read>>(pair: &(Option<A>, Option<A>)) -> &str {
    match pair {
        (_, Some(h)) => &h.borrow().entry.path,
        (Some(b), None) => &b.borrow().entry.path,
        (None, None) => "",
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

/// A lockfile that left one path and appeared at another is the same project's lockfile
/// moved: pair them when they pin mostly the same package names, so the report shows what
/// really changed instead of everything removed and added.
fn pair_moved(
    gone: &mut Vec<Read>,
    new: &mut Vec<Read>,
    pairs: &mut Vec<(Option<Read>, Option<Read>)>,
) {
    // Names, not versions: a lockfile moved in the same commit as an upgrade still pairs.
    fn key_set(r: &Read) -> Option<BTreeSet<&str>> {
        parsed(r).map(|l| l.packages.iter().map(|p| p.name.as_str()).collect())
    }
    let mut candidates = Vec::new();
    for (gi, g) in gone.iter().enumerate() {
        for (ni, n) in new.iter().enumerate() {
            if Format::detect(file_name(&g.entry.path)) != Format::detect(file_name(&n.entry.path))
            {
                continue;
            }
            let score = if g.bytes == n.bytes {
                1.0
            } else {
                match (key_set(g), key_set(n)) {
                    (Some(a), Some(b)) if !a.is_empty() || !b.is_empty() => {
                        a.intersection(&b).count() as f64 / a.union(&b).count() as f64
                    }
                    _ => 0.0,
                }
            };
            if score >= 0.5 {
                candidates.push((score, gi, ni));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut used_g, mut used_n) = (BTreeSet::new(), BTreeSet::new());
    let mut matched = Vec::new();
    for (_, gi, ni) in candidates {
        if used_g.insert(gi) && used_n.insert(ni) {
            matched.push((gi, ni));
        } else {
            used_g.remove(&gi);
            used_n.remove(&ni);
        }
    }
    // Take matched items out, highest index first so the others stay valid.
    let mut g_taken: BTreeMap<usize, Read> = BTreeMap::new();
    let mut n_taken: BTreeMap<usize, Read> = BTreeMap::new();
    let mut gi_sorted: Vec<usize> = matched.iter().map(|m| m.0).collect();
    let mut ni_sorted: Vec<usize> = matched.iter().map(|m| m.1).collect();
    gi_sorted.sort_unstable_by(|a, b| b.cmp(a));
    ni_sorted.sort_unstable_by(|a, b| b.cmp(a));
    for gi in gi_sorted {
        g_taken.insert(gi, gone.remove(gi));
    }
    for ni in ni_sorted {
        n_taken.insert(ni, new.remove(ni));
    }
    for (gi, ni) in matched {
        let (g, n) = (g_taken.remove(&gi), n_taken.remove(&ni));
        if g.as_ref().map(|g| &g.bytes) != n.as_ref().map(|n| &n.bytes) {
            pairs.push((g, n));
        }
    }
}

/// Direct dependency names at one revision: the manifests beside the lockfile and in its
/// workspace members; the lockfile's own record where the root manifest is missing.
fn direct_names(
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
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
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

/// The folder a lockfile governs, less the folders that have a lockfile of their own
/// for the same ecosystem.
struct Scope {
    dir: String,
    excluded: Vec<String>,
}

impl Scope {
    fn contains(&self, path: &str) -> bool {
        let under = |dir: &str| dir.is_empty() || path.starts_with(&format!("{dir}/"));
        under(&self.dir) && !self.excluded.iter().any(|d| under(d))
    }
}

fn scope_of(lockfile: &str, head_lockfiles: &[FileEntry]) -> Scope {
    let dir = dir_of(lockfile).to_string();
    let eco = Format::detect(file_name(lockfile)).map(Format::ecosystem);
    let excluded = head_lockfiles
        .iter()
        .filter(|e| Format::detect(file_name(&e.path)).map(Format::ecosystem) == eco)
        .map(|e| dir_of(&e.path).to_string())
        .filter(|d| *d != dir && (dir.is_empty() || d.starts_with(&format!("{dir}/"))))
        .collect();
    Scope { dir, excluded }
}

/// Matches the fired rules; returns the indexes of the changes that fired one.
fn scan(
    repo: &Repo,
    head: &Snapshot,
    head_lockfiles: &[FileEntry],
    rules: &RuleSet,
    report: &mut Report,
) -> Result<BTreeSet<usize>> {
    // (rule, change) pairs that fire, and the scope of each change's lockfile.
    let fired: Vec<(usize, usize)> = report
        .changes
        .iter()
        .enumerate()
        .flat_map(|(ci, change)| {
            rules
                .rules
                .iter()
                .enumerate()
                .filter(move |(_, r)| r.trigger.fires(change))
                .map(move |(ri, _)| (ri, ci))
        })
        .collect();
    let fired_changes: BTreeSet<usize> = fired.iter().map(|&(_, ci)| ci).collect();
    let fired_rules: BTreeSet<usize> = fired.iter().map(|&(ri, _)| ri).collect();
    report.rules = fired_rules
        .into_iter()
        .map(|ri| {
            let r = &rules.rules[ri];
            RuleInfo {
                id: r.id.clone(),
                severity: r.severity,
                message: r.message.clone(),
                note: r.note.clone(),
                url: r.url.clone(),
            }
        })
        .collect();
    if fired.is_empty() {
        return Ok(fired_changes);
    }
    let scopes: BTreeMap<&str, Scope> = report
        .changes
        .iter()
        .map(|c| (c.lockfile.as_str(), scope_of(&c.lockfile, head_lockfiles)))
        .collect();
    let sources = repo.list_files(head, files::descend, files::is_source)?;

    // Per file: the rules that apply, each attributed to the first change that fired it.
    let jobs: Vec<(FileEntry, Vec<(usize, usize)>)> = sources
        .into_iter()
        .filter_map(|file| {
            let lang = language_of(&file.path)?;
            let mut seen = HashSet::new();
            let applicable: Vec<(usize, usize)> = fired
                .iter()
                .copied()
                .filter(|&(ri, ci)| {
                    scopes[report.changes[ci].lockfile.as_str()].contains(&file.path)
                        && rules.rules[ri].for_language(lang).is_some()
                        && seen.insert(ri)
                })
                .collect();
            (!applicable.is_empty()).then_some((file, applicable))
        })
        .collect();

    let git_dir = repo.git_dir().to_path_buf();
    let results: Vec<std::result::Result<Vec<Finding>, ReportError>> = jobs
        .par_iter()
        .map_init(
            // git2 handles are per thread.
            || Repo::discover(&git_dir),
            |handle, (file, applicable)| {
                let handle = handle.as_ref().map_err(|e| ReportError {
                    path: file.path.clone(),
                    rev: head.commit().map(|c| c.to_string()),
                    message: e.to_string(),
                })?;
                match_file(handle, head, file, applicable, rules, &report.changes)
            },
        )
        .collect();
    for r in results {
        match r {
            Ok(found) => report.findings.extend(found),
            Err(e) => report.errors.push(e),
        }
    }
    report.findings.sort_by(|a, b| {
        (a.change, &a.path, a.line, a.column).cmp(&(b.change, &b.path, b.line, b.column))
    });
    Ok(fired_changes)
}

fn match_file(
    repo: &Repo,
    head: &Snapshot,
    file: &FileEntry,
    applicable: &[(usize, usize)],
    rules: &RuleSet,
    changes: &[Change],
) -> std::result::Result<Vec<Finding>, ReportError> {
    let bytes = repo.read_entry(head, file).map_err(|e| ReportError {
        path: file.path.clone(),
        rev: head.commit().map(|c| c.to_string()),
        message: e.to_string(),
    })?;
    // Not UTF-8 or machine-written: not code a person maintains.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(Vec::new());
    };
    if files::looks_generated(text) {
        return Ok(Vec::new());
    }
    let lang = language_of(&file.path).expect("selected by language");
    let configs: Vec<_> = applicable
        .iter()
        .filter_map(|&(ri, _)| rules.rules[ri].for_language(lang))
        .collect();
    let found = matcher::match_source(lang, text, &configs);
    Ok(found
        .into_iter()
        .map(|m| {
            let (ri, ci) = applicable[m.rule];
            let rule = &rules.rules[ri];
            let change = &changes[ci];
            Finding {
                rule: rule.id.clone(),
                severity: rule.severity,
                message: m.message,
                path: file.path.clone(),
                line: m.line,
                column: m.column,
                end_line: m.end_line,
                end_column: m.end_column,
                snippet: m.snippet,
                package: change.name.clone(),
                from: change.from.clone(),
                to: change.to.clone(),
                references: vec![rule.url.clone()],
                fix: rule.fix.clone(),
                change: ci,
                note: rule.note.clone(),
                suggestion: m.suggestion,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_scopes() {
        assert_eq!(join("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join("", "packages/api").as_deref(), Some("packages/api"));
        assert_eq!(join("", "../x"), None);
        let lockfiles = vec![
            FileEntry {
                path: "package-lock.json".into(),
                blob: None,
            },
            FileEntry {
                path: "services/api/package-lock.json".into(),
                blob: None,
            },
        ];
        let root = scope_of("package-lock.json", &lockfiles);
        assert!(root.contains("src/a.js"));
        assert!(!root.contains("services/api/src/a.js"));
        let api = scope_of("services/api/package-lock.json", &lockfiles);
        assert!(api.contains("services/api/src/a.js"));
        assert!(!api.contains("services/apix/a.js"));
        assert!(!api.contains("src/a.js"));
    }

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
