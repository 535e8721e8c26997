//! The report: what `check` found, as one serialisable value (the JSON contract of
//! DESIGN.md), rendered by one module per output format.

pub mod baseline;
pub mod github;
pub mod json;
mod links;
pub mod markdown;
pub mod release_notes;
pub mod sanitize;
pub mod sarif;
pub mod text;

pub use links::Links;

use crate::diff::Change;
use crate::rules::Severity;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

/// Characters of one release-notes highlight the text and Markdown reports show at most
/// (the whole is in the version's section and the JSON report).
pub(crate) const ITEM_CHARS: usize = 1_000;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub base: Revision,
    pub head: Revision,
    /// The configuration file used (`bumpcheck.toml`), or `None`.
    pub config: Option<String>,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
    /// Release notes of the selected changed packages.
    pub notes: Vec<crate::notes::PackageNotes>,
    pub errors: Vec<ReportError>,
    /// Lockfiles replaced by another package manager's in the same folder (present when
    /// there are any); their packages are compared across the two formats.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub switched_lockfiles: Vec<SwitchedLockfile>,
    /// Findings hidden by `bumpcheck-ignore` comments (present when there are any).
    #[serde(skip_serializing_if = "is_zero")]
    pub suppressed: usize,
    /// The rules whose trigger fired, whether or not they matched (not serialised: the
    /// SARIF report lists them as the tool's rules).
    #[serde(skip)]
    pub rules: Vec<RuleInfo>,
    /// How many changed lockfiles were read at both revisions (not serialised: it decides
    /// whether errors left nothing analysed).
    #[serde(skip)]
    pub analysed_lockfiles: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Revision {
    pub rev: String,
    /// The commit sha; `None` for the work tree.
    pub commit: Option<String>,
    /// The commit is the merge-base of `rev` and the head (the default base), where the
    /// branch `rev` may have moved on since the fork (present when true).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub merge_base: bool,
}

impl Revision {
    /// How the headers name a side: `main`, or `merge-base of origin/HEAD and HEAD`, each
    /// revision written by `name` (plain, or as inline code).
    pub fn label(&self, head: &Revision, name: impl Fn(&str) -> String) -> String {
        if self.merge_base {
            format!("merge-base of {} and {}", name(&self.rev), name(&head.rev))
        } else {
            name(&self.rev)
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub snippet: String,
    pub package: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub references: Vec<String>,
    pub fix: Option<String>,
    /// Index of the change (in `changes`) that fired the rule.
    #[serde(skip)]
    pub change: usize,
    /// The rule's explanatory note, for the terminal report.
    #[serde(skip)]
    pub note: Option<String>,
    /// The lines `line..=end_line` with the rule's fix applied, when the rule has one.
    #[serde(skip)]
    pub suggestion: Option<String>,
    /// The rule's fix as an edit of the file at the head revision (`check --fix`).
    #[serde(skip)]
    pub edit: Option<crate::fix::edits::Edit>,
}

/// A rule as the reports describe it.
#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: String,
    pub severity: Severity,
    /// The message template (`$REQ.param()` ...).
    pub message: String,
    pub note: Option<String>,
    pub url: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportError {
    pub path: String,
    /// The commit sha of the revision at fault; `None` for the work tree or no revision.
    pub rev: Option<String>,
    pub message: String,
}

/// A package-manager switch: `from` (at base) gave way to `to` (at head), same folder.
#[derive(Clone, Debug, Serialize)]
pub struct SwitchedLockfile {
    pub from: String,
    pub to: String,
}

/// The packages whose release notes are unavailable for one and the same reason, in the
/// order given, each reason once: a registry that is down makes fifty packages say the
/// same thing, and the report says it once.
pub fn unavailable_notes<'a>(
    notes: impl IntoIterator<Item = &'a crate::notes::PackageNotes>,
) -> Vec<(&'a str, Vec<&'a str>)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for n in notes.into_iter().filter(|n| n.versions.is_empty()) {
        let Some(reason) = n.error.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, names)) => names.push(&n.name),
            None => groups.push((reason, vec![&n.name])),
        }
    }
    groups
}

/// `a, b, c, and 5 more`: the first few names, each written by `show`.
pub fn name_list(names: &[&str], show: impl Fn(&str) -> String) -> String {
    const SHOWN: usize = 8;
    let mut listed: Vec<String> = names.iter().take(SHOWN).map(|n| show(n)).collect();
    if names.len() > SHOWN {
        listed.push(format!("and {} more", names.len() - SHOWN));
    }
    listed.join(", ")
}

/// One side of a change as the reports show it: the requirement where the file holds a
/// range (`>=2.0`; `any version` for a name alone), else the version.
pub(crate) fn side_text(version: Option<&str>, spec: Option<&str>) -> Option<String> {
    match spec {
        Some("") => Some("any version".to_string()),
        Some(spec) => Some(spec.to_string()),
        None => version.map(str::to_string),
    }
}

/// What the versions of a change where a range was read stand for: the lowest versions
/// the ranges admit, which the change is sized by, or the installed one.
pub(crate) fn range_note(c: &Change) -> Option<String> {
    if c.from_spec.is_none() && c.to_spec.is_none() {
        return None;
    }
    let lowest = |v: Option<&str>| v.unwrap_or("none").to_string();
    let to = if c.to_installed {
        format!("{} installed", lowest(c.to.as_deref()))
    } else {
        lowest(c.to.as_deref())
    };
    let from = lowest(c.from.as_deref());
    Some(match (&c.from_spec, &c.to_spec) {
        (Some(_), Some(_)) => format!("ranges; lowest admitted {from} -> {to}"),
        (None, Some(_)) if c.to_installed => format!("range; {to}"),
        (None, Some(_)) => format!("range; lowest admitted {to}"),
        (Some(_), None) => format!("range; lowest admitted {from}"),
        (None, None) => return None,
    })
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Report {
    /// Masks every known credential in the text that came from servers and configuration
    /// files (errors, release notes), once, where the library hands the report out: no
    /// renderer, file or comment can then leak one, whichever message quoted it.
    pub fn redact_secrets(&mut self) {
        use crate::redact::{redact, redact_known};
        let mask = |s: &mut String| *s = redact(s);
        let mask_known = |s: &mut String| *s = redact_known(s);
        for e in &mut self.errors {
            mask(&mut e.message);
            mask(&mut e.path);
        }
        for n in &mut self.notes {
            for s in [&mut n.source, &mut n.url, &mut n.error]
                .into_iter()
                .flatten()
            {
                mask(s);
            }
            for v in &mut n.versions {
                mask_known(&mut v.title);
                mask_known(&mut v.body);
                v.breaking.iter_mut().for_each(mask_known);
            }
        }
    }

    /// The findings counted per severity, most severe first: `["1 error", "2 warnings"]`.
    pub fn findings_by_severity(&self) -> Vec<String> {
        let count = |sev: Severity| self.findings.iter().filter(|f| f.severity == sev).count();
        [
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ]
        .into_iter()
        .filter(|&sev| count(sev) > 0)
        .map(|sev| format!("{} {}{}", count(sev), sev, plural(count(sev))))
        .collect()
    }

    /// The exit status `check` should end with: 1 when a finding is at or above
    /// `fail_on`, 2 when errors left nothing analysed, else 0.
    pub fn exit_code(&self, fail_on: Option<Severity>) -> i32 {
        let failing =
            fail_on.is_some_and(|level| self.findings.iter().any(|f| f.severity >= level));
        if failing {
            1
        } else if !self.errors.is_empty() && self.analysed_lockfiles == 0 {
            2
        } else {
            0
        }
    }
}

/// The English plural ending for a count.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ecosystem::Ecosystem;
    use crate::version::ChangeKind;

    /// A one-line finding of `rule` at `path:line`, columns `column..end_column`.
    pub fn finding(
        rule: &str,
        path: &str,
        line: usize,
        snippet: &str,
        column: usize,
        end_column: usize,
    ) -> Finding {
        Finding {
            rule: rule.into(),
            severity: Severity::Error,
            message: format!("{rule} matched"),
            path: path.into(),
            line,
            column,
            end_line: line,
            end_column,
            snippet: snippet.into(),
            package: "express".into(),
            from: Some("4.21.2".into()),
            to: Some("5.1.0".into()),
            references: vec!["https://docs.example.invalid/migrate".into()],
            fix: None,
            change: 0,
            note: Some("Read the migration guide.".into()),
            suggestion: None,
            edit: None,
        }
    }

    /// A report of an express 4 -> 5 upgrade with the given findings.
    pub fn report(findings: Vec<Finding>) -> Report {
        Report {
            schema_version: SCHEMA_VERSION,
            tool: Tool::default(),
            base: Revision {
                rev: "main".into(),
                commit: Some("1111111111111111111111111111111111111111".into()),
                merge_base: false,
            },
            head: Revision {
                rev: "HEAD".into(),
                commit: Some("2222222222222222222222222222222222222222".into()),
                merge_base: false,
            },
            config: None,
            changes: vec![Change {
                from_spec: None,
                to_spec: None,
                to_installed: false,
                ecosystem: Ecosystem::Npm,
                name: "express".into(),
                from: Some("4.21.2".into()),
                to: Some("5.1.0".into()),
                kind: ChangeKind::Major,
                breaking: true,
                direct: true,
                lockfile: "package-lock.json".into(),
                from_all: Vec::new(),
                to_all: Vec::new(),
                source: None,
            }],
            findings,
            notes: Vec::new(),
            errors: Vec::new(),
            switched_lockfiles: Vec::new(),
            suppressed: 0,
            rules: Vec::new(),
            analysed_lockfiles: 1,
        }
    }
}
