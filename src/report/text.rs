//! The terminal report: changes grouped by lockfile, and under each package change the
//! findings it causes, each with its source line, message, note and reference.

use super::sanitize::{cap, commands_inert, for_terminal as clean};
use super::{plural, Finding, Report, ITEM_CHARS};
use crate::diff::Change;
use crate::rules::Severity;
use std::fmt::Write;

/// Options of the text rendering.
#[derive(Clone, Copy, Debug)]
pub struct TextOptions {
    pub color: bool,
    /// List every change; otherwise transitive changes without findings are capped.
    pub all_changes: bool,
    /// Show findings (false for `bumpcheck diff`).
    pub findings: bool,
}

/// Transitive changes listed per lockfile before the rest are summarised.
const TRANSITIVE_SHOWN: usize = 15;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap("1", s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap("2", s)
    }
    fn blue(&self, s: &str) -> String {
        self.wrap("1;34", s)
    }
    fn severity(&self, sev: Severity, s: &str) -> String {
        match sev {
            Severity::Error => self.wrap("1;31", s),
            Severity::Warning => self.wrap("1;33", s),
            Severity::Info => self.wrap("1;36", s),
            Severity::Hint => self.wrap("1;32", s),
        }
    }
    fn kind(&self, change: &Change) -> String {
        use crate::version::ChangeKind::*;
        let k = change.kind.as_str();
        if change.breaking && change.kind != Major {
            // 0.7 -> 0.8: semver's "minor", but a breaking upgrade below 1.0.
            return self.wrap("31", &format!("{k} (0.x: breaking)"));
        }
        match change.kind {
            Major | Downgrade | Removed => self.wrap("31", k),
            Minor | Prerelease | Other => self.wrap("33", k),
            Patch | Added => self.wrap("32", k),
        }
    }
}

pub fn render(report: &Report, opts: TextOptions) -> String {
    let p = Paint(opts.color);
    let mut out = String::new();
    let rev = |r: &super::Revision| match &r.commit {
        Some(c) => clean(&format!(
            "{} ({})",
            r.label(&report.head, str::to_string),
            &c[..12.min(c.len())]
        )),
        None => clean(&r.rev),
    };
    let _ = writeln!(
        out,
        "{} {} -> {}",
        p.bold("bumpcheck:"),
        rev(&report.base),
        rev(&report.head)
    );
    if let Some(config) = &report.config {
        let _ = writeln!(out, "configuration: {}", clean(config));
    }

    for s in &report.switched_lockfiles {
        let _ = writeln!(
            out,
            "lockfile format changed: {} -> {} (versions compared across the two)",
            clean(&s.from),
            clean(&s.to)
        );
    }

    let shared: Vec<(&str, Vec<&str>)> = super::unavailable_notes(&report.notes)
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .collect();
    let mut lockfiles: Vec<&str> = report.changes.iter().map(|c| c.lockfile.as_str()).collect();
    lockfiles.dedup();
    if lockfiles.is_empty() && report.switched_lockfiles.is_empty() {
        let _ = writeln!(out, "\nNo lockfile changes between these revisions.");
    } else if lockfiles.is_empty() {
        let _ = writeln!(out, "\nNo package version changed.");
    }
    for lockfile in lockfiles {
        let changes: Vec<(usize, &Change)> = report
            .changes
            .iter()
            .enumerate()
            .filter(|(_, c)| c.lockfile == lockfile)
            .collect();
        let direct = changes.iter().filter(|(_, c)| c.direct).count();
        let _ = writeln!(
            out,
            "\n{}: {} package{} changed ({direct} direct)",
            p.bold(&clean(lockfile)),
            changes.len(),
            plural(changes.len())
        );
        // Changes with findings first, then direct ones, then transitive ones.
        let has_findings = |i: usize| report.findings.iter().any(|f| f.change == i);
        let mut ordered = changes.clone();
        ordered.sort_by_key(|(i, c)| (!has_findings(*i), !c.direct));
        let mut transitive_shown = 0;
        let mut explained: Vec<&str> = Vec::new();
        let mut hidden = 0;
        for (i, change) in ordered {
            let findings: Vec<&Finding> =
                report.findings.iter().filter(|f| f.change == i).collect();
            if findings.is_empty() && !change.direct && !opts.all_changes {
                if transitive_shown == TRANSITIVE_SHOWN {
                    hidden += 1;
                    continue;
                }
                transitive_shown += 1;
            }
            let _ = writeln!(
                out,
                "  {} {}  {}, {}",
                p.bold(&clean(&change.name)),
                clean(&versions(change)),
                p.kind(change),
                if change.direct {
                    "direct"
                } else {
                    "transitive"
                }
            );
            if let Some(n) = report.notes.iter().find(|n| {
                n.name == change.name && n.from == change.from && Some(&n.to) == change.to.as_ref()
            }) {
                write_notes(&mut out, &p, n, &shared);
            }
            if opts.findings {
                for f in findings {
                    // A rule's note is long: print it once, where the rule first appears.
                    let first = !explained.contains(&f.rule.as_str());
                    explained.push(&f.rule);
                    write_finding(&mut out, &p, f, first);
                }
            }
        }
        if hidden > 0 {
            let _ = writeln!(
                out,
                "  {}",
                p.dim(&format!(
                    "... and {hidden} more transitive change{} (all of them: `bumpcheck diff` or --format json)",
                    plural(hidden)
                ))
            );
        }
    }

    // A reason several packages share is said once, here, instead of under each of them.
    if !shared.is_empty() {
        let _ = writeln!(out);
    }
    for (reason, names) in &shared {
        let _ = writeln!(
            out,
            "{} unavailable for {} packages ({}): {}",
            p.dim("release notes:"),
            names.len(),
            super::name_list(names, clean),
            clean(reason)
        );
    }

    if !report.errors.is_empty() {
        let _ = writeln!(out);
        for e in &report.errors {
            let _ = writeln!(
                out,
                "{} {}",
                p.severity(Severity::Error, "error:"),
                clean(&e.message)
            );
        }
    }
    let _ = writeln!(out, "\n{}", summary(report, opts.findings));
    // A CI step prints this to its log: no line of untrusted text may run as a command.
    commands_inert(&out)
}

/// Highlights listed per package before pointing at `bumpcheck notes`.
const HIGHLIGHTS_SHOWN: usize = 8;

fn write_notes(
    out: &mut String,
    p: &Paint,
    n: &crate::notes::PackageNotes,
    shared: &[(&str, Vec<&str>)],
) {
    if n.versions.is_empty() {
        let said_once = |e: &str| shared.iter().any(|(reason, _)| *reason == e);
        if let Some(e) = n.error.as_deref().filter(|e| !said_once(e)) {
            let _ = writeln!(
                out,
                "    {} unavailable ({})",
                p.dim("release notes:"),
                clean(e)
            );
        }
        return;
    }
    let versions: Vec<&str> = n.versions.iter().map(|v| v.version.as_str()).collect();
    let _ = writeln!(
        out,
        "    {} {} version{} from {} ({})",
        p.dim("release notes:"),
        versions.len(),
        plural(versions.len()),
        clean(n.source.as_deref().unwrap_or("?")),
        clean(&versions.join(", "))
    );
    let all: Vec<_> = n
        .versions
        .iter()
        .flat_map(|v| v.highlights.iter().map(move |h| (v, h)))
        .collect();
    for (v, h) in all.iter().take(HIGHLIGHTS_SHOWN) {
        let kind = format!("{:?}", h.kind).to_lowercase();
        let _ = writeln!(
            out,
            "      {} {} {}",
            p.bold(&format!("{kind}:")),
            p.dim(&format!("[{}]", clean(&v.version))),
            clean(&cap(&h.text, ITEM_CHARS, None))
        );
    }
    if all.len() > HIGHLIGHTS_SHOWN {
        let _ = writeln!(
            out,
            "      {}",
            p.dim(&clean(&format!(
                "... {} more: bumpcheck notes {} {}..{}",
                all.len() - HIGHLIGHTS_SHOWN,
                n.name,
                n.from.as_deref().unwrap_or(""),
                n.to
            )))
        );
    }
}

fn versions(c: &Change) -> String {
    let all = |v: &[String]| {
        if v.len() > 1 {
            format!(" [{}]", v.join(", "))
        } else {
            String::new()
        }
    };
    let from = super::side_text(c.from.as_deref(), c.from_spec.as_deref());
    let to = super::side_text(c.to.as_deref(), c.to_spec.as_deref());
    let shown = match (from, to) {
        (None, Some(to)) => format!("{to}{}", all(&c.to_all)),
        (Some(from), None) => format!("{from}{}", all(&c.from_all)),
        (Some(from), Some(to)) => format!("{from}{} -> {to}{}", all(&c.from_all), all(&c.to_all)),
        (None, None) => String::new(),
    };
    match super::range_note(c) {
        Some(note) => format!("{shown} ({note})"),
        None => shown,
    }
}

fn write_finding(out: &mut String, p: &Paint, f: &Finding, with_note: bool) {
    let _ = writeln!(
        out,
        "    {}{} {}",
        p.severity(f.severity, f.severity.as_str()),
        p.severity(f.severity, &format!("[{}]", clean(&f.rule))),
        p.bold(&clean(&f.message))
    );
    let _ = writeln!(
        out,
        "      {} {}:{}:{}",
        p.blue("-->"),
        clean(&f.path),
        f.line,
        f.column
    );
    // The matched code may hide bidi controls (Trojan Source) or escapes too.
    let snippet = clean(&f.snippet);
    let last = f.line + snippet.lines().count().saturating_sub(1);
    let width = last.to_string().len();
    let gutter = |n: Option<usize>| match n {
        Some(n) => p.blue(&format!("{n:>width$} |")),
        None => p.blue(&format!("{:>width$} |", "")),
    };
    let _ = writeln!(out, "      {}", gutter(None));
    for (k, line) in snippet.lines().enumerate() {
        let n = f.line + k;
        let _ = writeln!(out, "      {} {}", gutter(Some(n)), line);
        if k == 0 {
            let len = line.chars().count();
            let end = if f.end_line == f.line {
                f.end_column
            } else {
                len + 1
            };
            let carets = "^".repeat(end.saturating_sub(f.column).max(1));
            let _ = writeln!(
                out,
                "      {} {}{}",
                gutter(None),
                " ".repeat(f.column.saturating_sub(1)),
                p.severity(f.severity, &carets)
            );
        }
    }
    if let Some(note) = f.note.as_deref().filter(|_| with_note) {
        for (i, line) in reflow(&clean(note), NOTE_WIDTH).iter().enumerate() {
            if i == 0 {
                let _ = writeln!(out, "      {} note: {line}", p.blue("="));
            } else {
                let _ = writeln!(out, "              {line}");
            }
        }
    }
    for r in &f.references {
        let _ = writeln!(out, "      {} see: {}", p.blue("="), clean(r));
    }
}

/// Width of a note's text in the terminal report.
const NOTE_WIDTH: usize = 80;

/// Rewraps text to `width` columns, keeping blank-line paragraph breaks.
fn reflow(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.trim().split("\n\n") {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

fn summary(report: &Report, findings: bool) -> String {
    let direct = report.changes.iter().filter(|c| c.direct).count();
    let mut s = format!(
        "{} package{} changed ({direct} direct)",
        report.changes.len(),
        plural(report.changes.len())
    );
    if findings {
        let parts = report.findings_by_severity();
        let n = report.findings.len();
        s.push_str(&format!(", {n} finding{}", plural(n)));
        if !parts.is_empty() {
            s.push_str(&format!(" ({})", parts.join(", ")));
        }
    }
    if !report.errors.is_empty() {
        let n = report.errors.len();
        s.push_str(&format!(", {n} error{} reading the repository", plural(n)));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::reflow;

    #[test]
    fn reflows_notes() {
        let text = "one two three\nfour five six seven\n\nnext paragraph here";
        assert_eq!(
            reflow(text, 13),
            [
                "one two three",
                "four five six",
                "seven",
                "",
                "next",
                "paragraph",
                "here"
            ]
        );
    }
}
