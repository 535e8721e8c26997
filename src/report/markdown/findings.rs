//! The findings, grouped by the package change that fired them, each linked to its line
//! at the head commit, with the matched code and the rule's fix as a suggestion.

use super::{code, longest_run, one_line, plural};
use crate::report::{Finding, Links, Report};
use crate::rules::Severity;
use std::fmt::Write;

/// Writes the first `kept` findings (in report order), grouped by change.
pub fn section(out: &mut String, report: &Report, links: Option<&Links>, kept: usize) {
    if report.findings.is_empty() {
        out.push_str("\nNo findings: no rule fired by these upgrades matches the code.\n");
        return;
    }
    out.push_str("\n#### Findings\n");
    let mut shown = 0;
    for (ci, change) in report.changes.iter().enumerate() {
        let group: Vec<&Finding> = report.findings.iter().filter(|f| f.change == ci).collect();
        if group.is_empty() {
            continue;
        }
        let from = crate::report::side_text(change.from.as_deref(), change.from_spec.as_deref());
        let to = crate::report::side_text(change.to.as_deref(), change.to_spec.as_deref());
        let versions = match (&from, &to) {
            (Some(a), Some(b)) => format!(" {} → {}", code(a), code(b)),
            (None, Some(v)) | (Some(v), None) => format!(" {}", code(v)),
            (None, None) => String::new(),
        };
        let _ = writeln!(
            out,
            "\n**{}**{versions} ({}, {}): {} finding{}\n",
            code(&change.name),
            change.kind.as_str(),
            if change.direct {
                "direct"
            } else {
                "transitive"
            },
            group.len(),
            plural(group.len())
        );
        let mut hidden = 0;
        for f in group {
            if shown < kept {
                finding(out, f, links);
                shown += 1;
            } else {
                hidden += 1;
            }
        }
        if hidden > 0 {
            let _ = writeln!(out, "- _… and {hidden} more (cut to fit the comment)_");
        }
    }
}

fn finding(out: &mut String, f: &Finding, links: Option<&Links>) {
    let badge = match f.severity {
        Severity::Error => "🛑 **error**",
        Severity::Warning => "⚠️ **warning**",
        Severity::Info => "ℹ️ **info**",
        Severity::Hint => "💡 **hint**",
    };
    let rule = match f.references.first() {
        Some(url) => format!("[{}]({})", code(&f.rule), url_in_link(url)),
        None => code(&f.rule),
    };
    let place = format!("{}:{}", f.path, f.line);
    let location = match links {
        Some(l) => format!("[{}]({})", code(&place), l.file_line(&f.path, f.line)),
        None => code(&place),
    };
    let _ = writeln!(
        out,
        "- {badge} {rule}: {}  \n  {location}",
        one_line(&f.message)
    );
    let lang = language(&f.path);
    fenced(out, lang, &f.snippet);
    if let Some(s) = &f.suggestion {
        out.push_str("  Suggested change (the rule's fix):\n");
        fenced(out, "suggestion", s);
    }
}

/// A code block indented under a list item, with a fence no line inside can close.
fn fenced(out: &mut String, info: &str, text: &str) {
    let clean = crate::report::sanitize::for_terminal(text);
    let fence = "`".repeat(longest_run(&clean, '`').max(2) + 1);
    let _ = writeln!(out, "  {fence}{info}");
    for line in clean.lines() {
        let _ = writeln!(out, "  {line}");
    }
    let _ = writeln!(out, "  {fence}");
}

fn language(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "ts" | "cts" | "mts" => "ts",
        "tsx" => "tsx",
        "jsx" => "jsx",
        _ => "js",
    }
}

/// A URL as a Markdown link target: characters that would end it are encoded.
pub fn url_in_link(url: &str) -> String {
    crate::report::sanitize::for_terminal(url)
        .chars()
        .map(|c| match c {
            ' ' => "%20".to_string(),
            '(' => "%28".to_string(),
            ')' => "%29".to_string(),
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            '\n' | '\t' => String::new(),
            c => c.to_string(),
        })
        .collect()
}
