//! Reading the lockfiles of both revisions, pairing them (moved ones too) and diffing them.

use super::direct::direct_names;
use super::{describe, dir_of, lockfile_entries};
use crate::config::Exclude;
use crate::diff;
use crate::error::Result;
use crate::git::{FileEntry, GitError, Repo, Snapshot};
use crate::lockfile::includes;
use crate::lockfile::{Format, Lockfile, ParseError};
use crate::report::{Report, ReportError, SwitchedLockfile};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};

/// One lockfile read at one revision.
pub(super) struct Read {
    pub(super) entry: FileEntry,
    pub(super) bytes: Vec<u8>,
    pub(super) parsed: Option<std::result::Result<Lockfile, ParseError>>,
}

/// Reads a lockfile, unless it is over the size limit: then it is not read at all, and
/// stands as a parse error that says so. A file that cannot be read (a symlink out of the
/// repository, a dangling one) stands as an error too, so the other lockfiles still count.
fn read(repo: &Repo, snapshot: &Snapshot, entry: &FileEntry, limit: u64) -> Result<Read> {
    let refused = |message: String| Read {
        entry: entry.clone(),
        bytes: Vec::new(),
        parsed: Some(Err(ParseError::new(message))),
    };
    let size = match repo.entry_size(snapshot, entry) {
        Ok(size) => size,
        Err(GitError::Read { message, .. }) => return Ok(refused(message)),
        Err(e) => return Err(e.into()),
    };
    if size > limit {
        const MIB: f64 = 1024.0 * 1024.0;
        return Ok(refused(format!(
            "the file is {:.1} MiB, over the limit of {:.0} MiB for a lockfile (raise it with --max-lockfile-size)",
            size as f64 / MIB,
            limit as f64 / MIB
        )));
    }
    match repo.read_entry(snapshot, entry) {
        Ok(bytes) => Ok(Read {
            entry: entry.clone(),
            bytes,
            parsed: None,
        }),
        Err(GitError::Read { message, .. }) => Ok(refused(message)),
        Err(e) => Err(e.into()),
    }
}

pub(super) fn diff_lockfiles(
    repo: &Repo,
    base: &Snapshot,
    head: &Snapshot,
    head_entries: &[FileEntry],
    limit: u64,
    exclude: &Exclude,
    report: &mut Report,
) -> Result<()> {
    let base_entries = lockfile_entries(repo, base, exclude)?;
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
            let format = Format::detect_path(&r.entry.path).expect("listed as a lockfile");
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
            if let Some(r) = side {
                report_rejected(r, snapshot, report);
            }
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
        let format_of = |r: &Option<Read>| r.as_ref().and_then(read_format);
        let (base_format, head_format) = (format_of(&b), format_of(&h));
        let format = head_format.or(base_format).expect("one side is present");
        if let (Some(b), Some(h)) = (&b, &h) {
            if base_format != head_format {
                report.switched_lockfiles.push(SwitchedLockfile {
                    from: b.entry.path.clone(),
                    to: h.entry.path.clone(),
                });
            }
        }
        let empty = Lockfile::default();
        let base_lock = b.as_ref().and_then(parsed).unwrap_or(&empty);
        let head_lock = h.as_ref().and_then(parsed).unwrap_or(&empty);
        let base_direct = direct_names(
            repo,
            base,
            b.as_ref(),
            base_lock,
            base_format.unwrap_or(format),
            report,
        );
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

/// A lockfile as one revision has it, with the direct dependencies its manifests declare.
pub(crate) struct Current {
    pub path: String,
    pub format: Format,
    pub lockfile: Lockfile,
    pub direct: BTreeSet<String>,
}

/// Reads the lockfiles among `entries` whose format `keep` accepts, as `diff_lockfiles`
/// reads each side (size limit, includes, direct dependencies); the ones that cannot be
/// read are reported in `report.errors`.
pub(crate) fn read_current(
    repo: &Repo,
    snapshot: &Snapshot,
    entries: &[FileEntry],
    keep: impl Fn(Format) -> bool,
    limit: u64,
    report: &mut Report,
) -> Result<Vec<Current>> {
    let mut reads = Vec::new();
    for entry in entries {
        let format = Format::detect_path(&entry.path).expect("listed as a lockfile");
        if keep(format) {
            reads.push((format, read(repo, snapshot, entry, limit)?));
        }
    }
    reads.par_iter_mut().for_each(|(format, r)| {
        if r.parsed.is_none() {
            r.parsed = Some(format.parse(&r.bytes));
        }
    });
    let mut out = Vec::new();
    for (format, mut r) in reads {
        read_includes(repo, snapshot, &mut r, report);
        report_rejected(&r, snapshot, report);
        match r.parsed.take() {
            Some(Ok(lockfile)) => {
                let direct = direct_names(repo, snapshot, Some(&r), &lockfile, format, report);
                out.push(Current {
                    path: r.entry.path.clone(),
                    format,
                    lockfile,
                    direct,
                });
            }
            Some(Err(e)) => report.errors.push(ReportError {
                path: r.entry.path.clone(),
                rev: snapshot.commit().map(|c| c.to_string()),
                message: format!(
                    "cannot read {} at {}: {e}",
                    r.entry.path,
                    describe(snapshot)
                ),
            }),
            None => {}
        }
    }
    Ok(out)
}

/// Merges the files a lockfile pulls in (`-r other.txt`), read at the same revision.
fn read_includes(repo: &Repo, snapshot: &Snapshot, read: &mut Read, report: &mut Report) {
    let Some(Ok(lock)) = read.parsed.as_mut() else {
        return;
    };
    if lock.includes.is_empty() {
        return;
    }
    let format = Format::detect_path(&read.entry.path).expect("listed as a lockfile");
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

fn read_format(r: &Read) -> Option<Format> {
    Format::detect_path(&r.entry.path)
}

/// The entries a lockfile's reader left out (a version the ecosystem does not admit), each
/// with its position: the rest of the file is still diffed.
fn report_rejected(read: &Read, snapshot: &Snapshot, report: &mut Report) {
    for e in parsed(read).map_or(&[][..], |l| &l.rejected) {
        report.errors.push(ReportError {
            path: read.entry.path.clone(),
            rev: snapshot.commit().map(|c| c.to_string()),
            message: format!("{} at {}: {e}", read.entry.path, describe(snapshot)),
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

/// A lockfile that left one path and appeared at another is the same project's lockfile
/// moved: pair them when they pin mostly the same package names, so the report shows what
/// really changed instead of everything removed and added. A lockfile of one format that
/// gave way, in the same folder, to another format of the same ecosystem (package-lock.json
/// to bun.lock, yarn.lock to pnpm-lock.yaml, Pipfile.lock to uv.lock) is the project
/// switching package manager: those pair too, whatever the overlap, when both were read
/// (a binary bun.lockb that cannot be read leaves the new lockfile standing alone).
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
            let (gf, nf) = (read_format(g), read_format(n));
            if gf != nf {
                if is_switch(g, n) {
                    // Below every move (scores 0.5 to 1): a moved lockfile pairs first.
                    candidates.push((0.0, gi, ni));
                }
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
    // Greedy, best score first; each lockfile pairs at most once.
    let mut gone_slots: Vec<Option<Read>> = gone.drain(..).map(Some).collect();
    let mut new_slots: Vec<Option<Read>> = new.drain(..).map(Some).collect();
    for (_, gi, ni) in candidates {
        if gone_slots[gi].is_none() || new_slots[ni].is_none() {
            continue;
        }
        let (g, n) = (gone_slots[gi].take(), new_slots[ni].take());
        if g.as_ref().map(|g| &g.bytes) != n.as_ref().map(|n| &n.bytes) {
            pairs.push((g, n));
        }
    }
    gone.extend(gone_slots.into_iter().flatten());
    new.extend(new_slots.into_iter().flatten());
}

/// Same folder, same ecosystem, another format, both read: a package-manager switch.
fn is_switch(gone: &Read, new: &Read) -> bool {
    let ecosystem = |r: &Read| read_format(r).map(Format::ecosystem);
    dir_of(&gone.entry.path) == dir_of(&new.entry.path)
        && ecosystem(gone).is_some()
        && ecosystem(gone) == ecosystem(new)
        && parsed(gone).is_some()
        && parsed(new).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::Package;

    fn read(path: &str, names: &[&str]) -> Read {
        let packages = names
            .iter()
            .map(|n| Package {
                spec: None,
                name: n.to_string(),
                version: "1.0.0".into(),
                source: None,
            })
            .collect();
        Read {
            entry: FileEntry {
                path: path.into(),
                blob: None,
            },
            bytes: path.as_bytes().to_vec(),
            parsed: Some(Ok(Lockfile {
                packages,
                ..Lockfile::default()
            })),
        }
    }

    /// Each moved lockfile pairs once, best overlap first, even when a weaker candidate
    /// for an already paired one comes up later.
    #[test]
    fn moved_lockfiles_pair_once_each() {
        let mut gone = vec![
            read("a/package-lock.json", &["x", "y", "z", "w"]),
            read("b/package-lock.json", &["x", "y", "z"]),
            read("c/package-lock.json", &["p", "q"]),
            // A weaker candidate for a2, after b's: a2 is taken and must stay so.
            read("d/package-lock.json", &["x", "y", "z", "w", "v", "u"]),
        ];
        let mut new = vec![
            read("a2/package-lock.json", &["x", "y", "z", "w"]),
            read("c2/package-lock.json", &["p", "q", "r"]),
        ];
        let mut pairs = Vec::new();
        pair_moved(&mut gone, &mut new, &mut pairs);
        let paired: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(g, n)| {
                (
                    g.as_ref().unwrap().entry.path.as_str(),
                    n.as_ref().unwrap().entry.path.as_str(),
                )
            })
            .collect();
        assert_eq!(
            paired,
            [
                ("a/package-lock.json", "a2/package-lock.json"),
                ("c/package-lock.json", "c2/package-lock.json")
            ]
        );
        let still_gone: Vec<&str> = gone.iter().map(|g| g.entry.path.as_str()).collect();
        assert_eq!(still_gone, ["b/package-lock.json", "d/package-lock.json"]);
        assert!(new.is_empty());
    }
}
