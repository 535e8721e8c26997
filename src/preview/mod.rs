//! `preview`: the upgrade as if it were made, nothing changed on disk. The current
//! versions come from the lockfiles (the work tree's, or a commit's), the targets from
//! the configured registries (`registry`), and each (package, lockfile) becomes a
//! synthetic change that goes through the same stages as `check` (`check::analyse`):
//! rules fired and matched in the lockfile's scope, release notes for the range.

mod spec;

pub use spec::{Spec, SpecError};

use crate::check::{self, Current, Options};
use crate::diff::Change;
use crate::ecosystem::Ecosystem;
use crate::git::{Repo, Snapshot};
use crate::lockfile::pep508;
use crate::registry::{self, Query, RegistryError, Resolver, Wanted};
use crate::report::{Report, Revision};
use crate::version;
use std::collections::BTreeSet;
use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PreviewError {
    #[error(transparent)]
    Read(#[from] crate::error::Error),
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("`{spec}`: {name} is in no {which}lockfile of {at}{unreadable}; preview compares with the version a lockfile pins now (add the dependency first, or check the name)")]
    NotLocked {
        spec: String,
        name: String,
        /// `npm ` with a prefix, else empty.
        which: String,
        at: String,
        /// Says how many lockfiles could not be read, when some could not.
        unreadable: String,
    },
    #[error("`{spec}`: {name} is in lockfiles of several ecosystems ({found}); write it with a prefix, such as `{example}`")]
    Ambiguous {
        spec: String,
        name: String,
        found: String,
        example: String,
    },
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// What `preview` produced.
pub struct Preview {
    pub report: Report,
    /// `express is already at 5.1.0 in package-lock.json`: previewed packages with
    /// nothing to change.
    pub unchanged: Vec<String>,
}

/// Previews the upgrades `specs` name. `opts.head` is the commit whose lockfiles and
/// sources are read (default: the work tree); `opts.notes_options.offline` allows only
/// exact versions.
pub fn run(opts: &Options, specs: &[Spec]) -> Result<Preview, PreviewError> {
    let repo = Repo::discover(&opts.repo).map_err(crate::error::Error::from)?;
    let snapshot = snapshot(&repo, opts.head.as_deref())?;
    let entries = check::lockfile_entries(&repo, &snapshot, &opts.config_or_default().exclude)?;
    let mut report = check::empty_report(
        check::revision(&snapshot),
        Revision {
            rev: "preview".into(),
            commit: None,
            merge_base: false,
        },
        opts.config.as_ref(),
    );
    let ecosystems: Option<BTreeSet<Ecosystem>> = specs.iter().map(|s| s.ecosystem).collect();
    let current = check::read_current(
        &repo,
        &snapshot,
        &entries,
        |f| {
            ecosystems
                .as_ref()
                .is_none_or(|e| e.contains(&f.ecosystem()))
        },
        opts.max_lockfile_bytes,
        &mut report,
    )?;

    // Where each spec's package is, and what to ask the registry.
    let mut located: Vec<Vec<&Current>> = Vec::new();
    let mut queries = Vec::new();
    for spec in specs {
        let holding = holders(spec, &current, &snapshot, &report)?;
        queries.push(query(spec, &holding, &repo, &snapshot)?);
        located.push(holding);
    }
    let project_dir = match &snapshot {
        Snapshot::WorkTree(root) => Some(root.clone()),
        Snapshot::Commit(_) => repo.workdir().map(PathBuf::from),
    };
    let resolver = Resolver::new(&queries, &opts.notes_options, project_dir.as_deref());
    let targets = resolver
        .resolve_all(&queries)
        .into_iter()
        .collect::<Result<Vec<String>, RegistryError>>()?;

    let mut unchanged = Vec::new();
    let mut lockfiles = BTreeSet::new();
    for ((query, holding), target) in queries.iter().zip(&located).zip(&targets) {
        for lock in holding {
            lockfiles.insert(lock.path.clone());
            match change(query, lock, target) {
                Some(c) => report.changes.push(c),
                None => unchanged.push(format!(
                    "{} is already at {target} in {}",
                    query.name, lock.path
                )),
            }
        }
    }
    // Check's order: by lockfile, then by name; one change per (lockfile, package).
    report
        .changes
        .sort_by(|a, b| (&a.lockfile, &a.name).cmp(&(&b.lockfile, &b.name)));
    report
        .changes
        .dedup_by(|a, b| a.lockfile == b.lockfile && a.name == b.name);
    report.analysed_lockfiles = lockfiles.len();
    check::analyse(&repo, &snapshot, &entries, opts, &mut report)?;
    report.redact_secrets();
    Ok(Preview { report, unchanged })
}

/// The work tree, or the commit `head` names (HEAD in a bare repository).
fn snapshot(repo: &Repo, head: Option<&str>) -> Result<Snapshot, PreviewError> {
    Ok(match (head, repo.workdir()) {
        (None, Some(root)) => Snapshot::WorkTree(root.to_path_buf()),
        (rev, _) => Snapshot::Commit(
            repo.resolve(rev.unwrap_or("HEAD"))
                .map_err(crate::error::Error::from)?,
        ),
    })
}

/// What to ask the registry for a spec whose package `holding` pins; a range is checked
/// in the syntax of the ecosystem found.
fn query(
    spec: &Spec,
    holding: &[&Current],
    repo: &Repo,
    snapshot: &Snapshot,
) -> Result<Query, PreviewError> {
    let eco = holding[0].format.ecosystem();
    if let Wanted::Range(r) = &spec.wanted {
        registry::check_range(eco, r).map_err(|reason| SpecError {
            spec: spec.raw.clone(),
            reason,
        })?;
    }
    let source = holding
        .iter()
        .flat_map(|c| &c.lockfile.packages)
        .find(|p| same_name(eco, &p.name, &spec.name))
        .and_then(|p| p.source.clone())
        .or_else(|| {
            (eco == Ecosystem::Packagist)
                .then(|| composer_repository(holding, repo, snapshot))
                .flatten()
        });
    Ok(Query {
        spec: spec.raw.clone(),
        ecosystem: eco,
        name: spec.name.clone(),
        wanted: spec.wanted.clone(),
        source,
    })
}

/// Where the project says a Composer package comes from: the `composer` repository of the
/// composer.json beside composer.lock. (A gem's source, the `remote:` of its Gemfile.lock
/// section, is already the package's `source`.)
fn composer_repository(holding: &[&Current], repo: &Repo, snapshot: &Snapshot) -> Option<String> {
    holding.iter().find_map(|c| {
        let manifest = match c.path.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/composer.json"),
            None => "composer.json".to_string(),
        };
        let bytes = repo.read_path(snapshot, &manifest).ok()??;
        registry::composer_project_repository(&String::from_utf8_lossy(&bytes))
    })
}

/// The lockfiles that hold the spec's package (at least one), all of one ecosystem.
fn holders<'a>(
    spec: &Spec,
    current: &'a [Current],
    snapshot: &Snapshot,
    report: &Report,
) -> Result<Vec<&'a Current>, PreviewError> {
    let holding: Vec<&Current> = current
        .iter()
        .filter(|c| spec.ecosystem.is_none_or(|e| e == c.format.ecosystem()))
        .filter(|c| {
            let eco = c.format.ecosystem();
            c.lockfile
                .packages
                .iter()
                .any(|p| same_name(eco, &p.name, &spec.name))
        })
        .collect();
    let found: BTreeSet<Ecosystem> = holding.iter().map(|c| c.format.ecosystem()).collect();
    if found.is_empty() {
        let unreadable = match report.errors.len() {
            0 => String::new(),
            n => format!(" ({n} could not be read)"),
        };
        return Err(PreviewError::NotLocked {
            spec: spec.raw.clone(),
            name: spec.name.clone(),
            which: spec.ecosystem.map(|e| format!("{e} ")).unwrap_or_default(),
            at: snapshot.label(),
            unreadable,
        });
    }
    if found.len() > 1 {
        let list: Vec<String> = found
            .iter()
            .map(|e| {
                let paths: Vec<&str> = holding
                    .iter()
                    .filter(|c| c.format.ecosystem() == *e)
                    .map(|c| c.path.as_str())
                    .collect();
                format!("{e}: {}", paths.join(", "))
            })
            .collect();
        let first = *found.iter().next().expect("two or more");
        return Err(PreviewError::Ambiguous {
            spec: spec.raw.clone(),
            name: spec.name.clone(),
            found: list.join("; "),
            example: format!("{}:{}@{}", first, spec.name, spec.wanted),
        });
    }
    Ok(holding)
}

/// The change the upgrade makes in one lockfile; `None` when it already pins `target`.
fn change(query: &Query, lock: &Current, target: &str) -> Option<Change> {
    let eco = query.ecosystem;
    let mut versions: Vec<String> = lock
        .lockfile
        .packages
        .iter()
        .filter(|p| same_name(eco, &p.name, &query.name))
        .map(|p| p.version.clone())
        .collect();
    versions.sort_by(|a, b| version::compare(eco, a, b));
    versions.dedup();
    let from = versions.last()?.clone();
    let same = |v: &str| {
        v == target
            || version::parse(eco, v).is_some_and(|p| Some(p) == version::parse(eco, target))
    };
    if versions.iter().all(|v| same(v)) {
        return None;
    }
    let name = lock
        .lockfile
        .packages
        .iter()
        .find(|p| same_name(eco, &p.name, &query.name))
        .map_or_else(|| query.name.clone(), |p| p.name.clone());
    Some(Change {
        from_spec: None,
        to_spec: None,
        to_installed: false,
        ecosystem: eco,
        kind: version::classify(eco, &from, target),
        breaking: version::is_breaking(eco, &from, target),
        direct: lock.direct.contains(&name),
        name,
        from: Some(from),
        to: Some(target.to_string()),
        lockfile: lock.path.clone(),
        from_all: if versions.len() > 1 {
            versions
        } else {
            Vec::new()
        },
        to_all: Vec::new(),
        source: query.source.clone(),
    })
}

fn same_name(ecosystem: Ecosystem, a: &str, b: &str) -> bool {
    match ecosystem {
        Ecosystem::Pypi => pep508::normalize(a) == pep508::normalize(b),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::{Format, Lockfile, Package};

    fn lock(path: &str, format: Format, pins: &[(&str, &str)], direct: &[&str]) -> Current {
        Current {
            path: path.into(),
            format,
            lockfile: Lockfile {
                packages: pins
                    .iter()
                    .map(|(n, v)| Package {
                        spec: None,
                        name: n.to_string(),
                        version: v.to_string(),
                        source: None,
                    })
                    .collect(),
                ..Lockfile::default()
            },
            direct: direct.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn query(eco: Ecosystem, name: &str) -> Query {
        Query {
            spec: name.into(),
            ecosystem: eco,
            name: name.into(),
            wanted: Wanted::Exact("unused".into()),
            source: None,
        }
    }

    #[test]
    fn changes_from_the_highest_pinned_copy() {
        let npm = lock(
            "package-lock.json",
            Format::NpmPackageLock,
            &[
                ("debug", "2.6.9"),
                ("debug", "4.3.4"),
                ("express", "4.21.2"),
            ],
            &["express"],
        );
        let c = change(&query(Ecosystem::Npm, "debug"), &npm, "4.4.0").unwrap();
        assert_eq!(
            (c.from.as_deref(), c.to.as_deref()),
            (Some("4.3.4"), Some("4.4.0"))
        );
        assert_eq!(c.kind, crate::version::ChangeKind::Minor);
        assert_eq!(c.from_all, ["2.6.9", "4.3.4"]);
        assert!(!c.direct);
        let c = change(&query(Ecosystem::Npm, "express"), &npm, "5.1.0").unwrap();
        assert!(c.direct && c.from_all.is_empty());
        // Every copy already at the target: nothing changes.
        assert!(change(&query(Ecosystem::Npm, "express"), &npm, "4.21.2").is_none());
        // One copy behind: still a change.
        assert!(change(&query(Ecosystem::Npm, "debug"), &npm, "4.3.4").is_some());
        assert!(change(&query(Ecosystem::Npm, "left-pad"), &npm, "1.0.0").is_none());

        // Python names match however they are written; the lockfile's spelling is kept.
        let py = lock(
            "requirements.txt",
            Format::Requirements,
            &[("Flask", "2.3.3")],
            &["flask"],
        );
        let c = change(&query(Ecosystem::Pypi, "flask"), &py, "3.0").unwrap();
        assert_eq!(c.name, "Flask");
        assert!(change(&query(Ecosystem::Pypi, "FLASK"), &py, "2.3.3").is_none());
    }
}
