//! Firing rules and matching them against the sources each change's lockfile governs.

use super::prefix;
use crate::config::Exclude;
use crate::diff::Change;
use crate::error::Result;
use crate::git::{FileEntry, Repo, Snapshot};
use crate::lockfile::Format;
use crate::report::{Finding, Report, ReportError, RuleInfo};
use crate::rules::Severity;
use crate::rules::{language_of, RuleSet};
use crate::scan::{files, imports, matcher, suppress};
use ast_grep_core::tree_sitter::LanguageExt;
use ast_grep_language::SupportLang;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The folder a lockfile governs, less the folders that have a lockfile of their own
/// for the same ecosystem.
struct Scope {
    /// Folder prefixes with their trailing `/` (empty for the repository root), kept
    /// ready because `contains` runs for every file and fired rule.
    dir: String,
    excluded: Vec<String>,
}

impl Scope {
    fn contains(&self, path: &str) -> bool {
        path.starts_with(&self.dir) && !self.excluded.iter().any(|d| path.starts_with(d))
    }
}

fn scope_of(lockfile: &str, head_lockfiles: &[FileEntry]) -> Scope {
    let dir = prefix(Format::project_dir(lockfile));
    let eco = Format::detect_path(lockfile).map(Format::ecosystem);
    let excluded = head_lockfiles
        .iter()
        .filter(|e| Format::detect_path(&e.path).map(Format::ecosystem) == eco)
        .map(|e| prefix(Format::project_dir(&e.path)))
        .filter(|d| *d != dir && d.starts_with(&dir))
        .collect();
    Scope { dir, excluded }
}

/// Matches the fired rules; returns the indexes of the changes that fired one.
pub(super) fn scan(
    repo: &Repo,
    head: &Snapshot,
    head_lockfiles: &[FileEntry],
    exclude: &Exclude,
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
    let mut sources = repo.list_files(head, files::descend, files::is_source)?;
    sources.retain(|f| !exclude.excludes(&f.path));

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
    let results: Vec<std::result::Result<(Vec<Finding>, usize), ReportError>> = jobs
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
            Ok((found, suppressed)) => {
                report.findings.extend(found);
                report.suppressed += suppressed;
            }
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
) -> std::result::Result<(Vec<Finding>, usize), ReportError> {
    let bytes = repo.read_entry(head, file).map_err(|e| ReportError {
        path: file.path.clone(),
        rev: head.commit().map(|c| c.to_string()),
        message: e.to_string(),
    })?;
    // Not UTF-8 or machine-written: not code a person maintains.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok((Vec::new(), 0));
    };
    if files::looks_generated(text) {
        return Ok((Vec::new(), 0));
    }
    let lang = language_of(&file.path).expect("selected by language");
    // Only the rules whose package this file imports (read once, for all of them).
    let in_scope = imports::rules_in_scope(lang, text, applicable, |&(ri, _)| &rules.rules[ri]);
    let applicable = in_scope.as_slice();
    if applicable.is_empty() {
        // No rule can apply (and suppressions are only checked for rules that ran):
        // no need to parse the file.
        return Ok((Vec::new(), 0));
    }
    let configs: Vec<_> = applicable
        .iter()
        .filter_map(|&(ri, _)| rules.rules[ri].for_language(lang))
        .collect();
    // One parse for the rules and the suppression comments.
    let tree = lang.ast_grep(text);
    let found = matcher::match_tree(&tree, text, &configs);
    let finding = |ri: usize, ci: usize, m: matcher::Match| {
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
            edit: m.edit,
        }
    };
    let mut out: Vec<Finding> = found
        .into_iter()
        .map(|m| {
            let (ri, ci) = applicable[m.rule];
            finding(ri, ci, m)
        })
        .collect();
    let suppressed = apply_suppressions(
        (lang, &tree, text),
        file,
        applicable,
        rules,
        changes,
        &mut out,
    );
    Ok((out, suppressed))
}

/// Removes the findings a `bumpcheck-ignore` comment covers, and reports the comments
/// that give no reason or suppress nothing (only for rules that ran on this file, since
/// the others simply did not fire this time). Returns how many findings it removed.
fn apply_suppressions(
    (lang, tree, text): (SupportLang, &matcher::Tree, &str),
    file: &FileEntry,
    applicable: &[(usize, usize)],
    rules: &RuleSet,
    changes: &[Change],
    findings: &mut Vec<Finding>,
) -> usize {
    if !text.contains(suppress::MARKER) {
        return 0;
    }
    let comments = suppress::find(lang, tree, text);
    let mut used = vec![false; comments.len()];
    let before = findings.len();
    findings.retain(|f| {
        match comments
            .iter()
            .position(|c| c.target == f.line && c.ids.contains(&f.rule))
        {
            Some(i) => {
                used[i] = true;
                false
            }
            None => true,
        }
    });
    let removed = before - findings.len();
    let lines: Vec<&str> = text.lines().collect();
    for (i, c) in comments.iter().enumerate() {
        let Some(&(_, ci)) = applicable
            .iter()
            .find(|(ri, _)| c.ids.contains(&rules.rules[*ri].id))
        else {
            continue;
        };
        let mut problems = Vec::new();
        if !used[i] {
            problems.push((
                "bumpcheck-unused-suppression",
                format!(
                    "`bumpcheck-ignore: {}` suppresses nothing on line {}",
                    c.ids.join(", "),
                    c.target
                ),
            ));
        }
        if c.reason.is_none() {
            problems.push((
                "bumpcheck-suppression-without-reason",
                format!(
                    "say why: `bumpcheck-ignore: {} -- REASON`",
                    c.ids.join(", ")
                ),
            ));
        }
        let change = &changes[ci];
        let line_text = lines.get(c.line - 1).copied().unwrap_or_default();
        for (rule, message) in problems {
            findings.push(Finding {
                rule: rule.to_string(),
                severity: Severity::Warning,
                message,
                path: file.path.clone(),
                line: c.line,
                column: c.column,
                end_line: c.line,
                end_column: line_text.chars().count() + 1,
                snippet: line_text.to_string(),
                package: change.name.clone(),
                from: change.from.clone(),
                to: change.to.clone(),
                references: Vec::new(),
                fix: None,
                change: ci,
                note: None,
                suggestion: None,
                edit: None,
            });
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::includes::join;

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
}
