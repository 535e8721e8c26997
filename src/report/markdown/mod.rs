//! `--format markdown`: the PR comment (and the job summary). A hidden marker finds the
//! comment again; then a summary line, the table of changes, the findings grouped by
//! package with links to the head commit, and each package's release notes in a
//! collapsed `<details>`, breaking changes first.
//!
//! GitHub refuses a comment over 65,536 characters: release notes are trimmed first, then
//! findings, then table rows, and the comment says what was cut. Every untrusted text
//! (release notes, matched code, messages built from it, lockfile strings) goes through
//! `report::sanitize::for_markdown` or into a code block it cannot escape, and no line of
//! the output starts a workflow command.

mod findings;
mod notes;

use super::{plural, Links, Report};
use crate::report::sanitize::{commands_inert, for_markdown};
use std::fmt::Write;

/// The hidden line that identifies bumpcheck's comment on a PR.
pub const MARKER: &str = "<!-- bumpcheck -->";

/// GitHub's limit on a comment's body, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Rows of the changes table before the rest are summarised.
const TABLE_ROWS: usize = 100;

#[derive(Clone, Debug)]
pub struct MarkdownOptions {
    /// Links to the head commit on GitHub; plain `path:line` without.
    pub links: Option<Links>,
    /// The most characters (UTF-16 code units, as GitHub counts) the output may have.
    pub limit: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            links: None,
            limit: COMMENT_LIMIT,
        }
    }
}

/// How much of the report goes in: everything at first, less until it fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Plan {
    /// Release notes with their version sections, or only their breaking changes.
    note_bodies: bool,
    notes: usize,
    findings: usize,
    rows: usize,
}

pub fn render(report: &Report, opts: &MarkdownOptions) -> String {
    let order = notes::order(report);
    let full = Plan {
        note_bodies: true,
        notes: order.len(),
        findings: report.findings.len(),
        rows: report.changes.len().min(TABLE_ROWS),
    };
    let fits = |plan: Plan| length(&render_plan(report, opts, &order, plan, full)) <= opts.limit;
    let mut plan = full;
    if !fits(plan) {
        plan.note_bodies = false;
    }
    if !fits(plan) {
        plan.notes = most(plan.notes, |n| fits(Plan { notes: n, ..plan }));
    }
    if !fits(plan) {
        plan.findings = most(plan.findings, |n| {
            fits(Plan {
                findings: n,
                ..plan
            })
        });
    }
    if !fits(plan) {
        plan.rows = most(plan.rows, |n| fits(Plan { rows: n, ..plan }));
    }
    let out = render_plan(report, opts, &order, plan, full);
    if length(&out) <= opts.limit {
        out
    } else {
        // Only a pathological header is left: cut it at a line.
        let cut = crate::report::sanitize::cap(&out, opts.limit.saturating_sub(200), None);
        format!("{cut}\n")
    }
}

/// Characters as GitHub counts them (UTF-16 code units; never fewer than chars).
pub fn length(text: &str) -> usize {
    text.encode_utf16().count()
}

/// The largest n in 0..=max with `ok(n)`, assuming ok is monotone; 0 when none is.
fn most(max: usize, ok: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, max);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

fn render_plan(
    report: &Report,
    opts: &MarkdownOptions,
    notes_order: &[usize],
    plan: Plan,
    full: Plan,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{MARKER}\n### bumpcheck\n\n{}\n", summary(report));
    for s in &report.switched_lockfiles {
        let _ = writeln!(
            out,
            "Lockfile format changed: {} → {} (versions compared across the two).\n",
            code(&s.from),
            code(&s.to)
        );
    }
    if report.changes.is_empty() && !report.switched_lockfiles.is_empty() {
        out.push_str("No package version changed.\n");
    } else if report.changes.is_empty() {
        out.push_str("No lockfile changes between these revisions.\n");
    } else {
        table(&mut out, report, plan.rows);
        findings::section(&mut out, report, opts.links.as_ref(), plan.findings);
        notes::section(&mut out, report, notes_order, plan.note_bodies, plan.notes);
    }
    if !report.errors.is_empty() {
        out.push_str("\n#### Errors\n\n");
        for e in &report.errors {
            let _ = writeln!(out, "- {}", one_line(&e.message));
        }
    }
    let mut cut = Vec::new();
    let bodies = report.notes.iter().any(|n| !n.versions.is_empty());
    if !plan.note_bodies && bodies && plan.notes > 0 {
        cut.push("release notes shortened to their breaking changes".to_string());
    }
    if plan.notes < full.notes {
        let n = full.notes - plan.notes;
        cut.push(format!(
            "release notes of {n} package{} left out",
            plural(n)
        ));
    }
    if plan.findings < full.findings {
        let n = full.findings - plan.findings;
        cut.push(format!("{n} finding{} left out", plural(n)));
    }
    if plan.rows < full.rows {
        let n = full.rows - plan.rows;
        cut.push(format!(
            "{n} more row{} of the changes table left out",
            plural(n)
        ));
    }
    out.push_str("\n---\n");
    if !cut.is_empty() {
        let _ = writeln!(
            out,
            "<sub>Trimmed to fit GitHub's 65,536-character comment limit: {}. The whole report: `bumpcheck check --format json`.</sub><br>",
            cut.join("; ")
        );
    }
    let config = report
        .config
        .as_deref()
        .map(|c| format!(", configuration {}", code(c)))
        .unwrap_or_default();
    let _ = writeln!(out, "<sub>bumpcheck {}{config}</sub>", report.tool.version);
    // The comment is printed to logs too (the job summary, `--format markdown` in a step):
    // no line of untrusted text, matched code included, may run as a workflow command.
    commands_inert(&out)
}

fn summary(report: &Report) -> String {
    let changed = report.changes.len();
    let direct = report.changes.iter().filter(|c| c.direct).count();
    let n = report.findings.len();
    let parts = report.findings_by_severity();
    let detail = if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    };
    let rev = |r: &super::Revision| match &r.commit {
        Some(c) => format!(
            "{} {}",
            r.label(&report.head, code),
            code(&c[..7.min(c.len())])
        ),
        None => code(&r.rev),
    };
    format!(
        "**{changed} package{} changed** ({direct} direct), **{n} finding{}**{detail}: {} → {}",
        plural(changed),
        plural(n),
        rev(&report.base),
        rev(&report.head)
    )
}

/// The changes with findings and the direct ones in the table; the other transitive
/// changes in a second, collapsed table (unless there is nothing else to show). At most
/// `rows` rows in all.
fn table(out: &mut String, report: &Report, rows: usize) {
    let has_findings = |i: usize| report.findings.iter().any(|f| f.change == i);
    let mut order: Vec<usize> = (0..report.changes.len()).collect();
    order.sort_by_key(|&i| (!has_findings(i), !report.changes[i].direct));
    order.truncate(rows);
    let prominent = order
        .iter()
        .take_while(|&&i| has_findings(i) || report.changes[i].direct)
        .count();
    let (main, folded) = if prominent == 0 {
        (&order[..], &order[..0])
    } else {
        order.split_at(prominent)
    };
    rows_of(out, report, main);
    if !folded.is_empty() {
        let _ = writeln!(
            out,
            "\n<details>\n<summary>{} more transitive change{}</summary>\n",
            folded.len(),
            plural(folded.len())
        );
        rows_of(out, report, folded);
        out.push_str("\n</details>\n");
    }
    let rest = report.changes.len() - order.len();
    if rest > 0 {
        let _ = writeln!(
            out,
            "\n_… and {rest} more change{} (all of them: `bumpcheck diff`)._",
            plural(rest)
        );
    }
}

fn rows_of(out: &mut String, report: &Report, rows: &[usize]) {
    out.push_str("| package | from | to | kind | dependency | lockfile |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for &i in rows {
        let c = &report.changes[i];
        let kind = c.kind.as_str();
        let kind = if c.breaking && c.kind != crate::version::ChangeKind::Major {
            format!("**{kind}** (0.x: breaking)")
        } else if matches!(
            c.kind,
            crate::version::ChangeKind::Major | crate::version::ChangeKind::Downgrade
        ) {
            format!("**{kind}**")
        } else {
            kind.to_string()
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {kind} | {} | {} |",
            code(&c.name),
            cell(&versions(
                c.from.as_deref(),
                c.from_spec.as_deref(),
                &c.from_all
            )),
            cell(&match crate::report::range_note(c) {
                Some(note) => format!(
                    "{} ({note})",
                    versions(c.to.as_deref(), c.to_spec.as_deref(), &c.to_all)
                ),
                None => versions(c.to.as_deref(), c.to_spec.as_deref(), &c.to_all),
            }),
            if c.direct { "direct" } else { "transitive" },
            code(&c.lockfile)
        );
    }
}

/// A side's version, or every version where the lockfile held several (lowest first, the
/// highest among them): `1.0.4, 2.0.3 | 2.0.3` says an old nested copy went away, where
/// `2.0.3 | 2.0.3` said nothing.
fn versions(highest: Option<&str>, spec: Option<&str>, all: &[String]) -> String {
    if spec.is_none() && all.len() > 1 {
        all.join(", ")
    } else {
        crate::report::side_text(highest, spec).unwrap_or_default()
    }
}

/// Untrusted text on one line, neutralised, with table pipes escaped.
fn one_line(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    for_markdown(&flat).trim_end().to_string()
}

fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// Inline code that no backtick in `text` can close early; pipes escaped for tables.
fn code(text: &str) -> String {
    let flat: String = crate::report::sanitize::for_terminal(text)
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let longest = longest_run(&flat, '`');
    let ticks = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') || longest > 0 {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{}{pad}{ticks}", flat.replace('|', "\\|"))
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests;
