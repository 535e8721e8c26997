//! Release notes in collapsed `<details>`: the breaking changes of every crossed version
//! first, then each version's section, at most 50 lines each (as Dependabot quotes).

use super::{code, one_line, plural};
use crate::notes::PackageNotes;
use crate::report::sanitize::{cap, for_markdown};
use crate::report::{name_list, unavailable_notes, Report, ITEM_CHARS};
use std::fmt::Write;

/// Lines quoted from one version's section.
const VERSION_LINES: usize = 50;
/// Characters of one package's notes at most, so one package cannot crowd out the rest.
const PACKAGE_CHARS: usize = 20_000;

/// Indexes into `report.notes`: packages with findings first, then the rest.
pub fn order(report: &Report) -> Vec<usize> {
    let fired = |n: &PackageNotes| report.findings.iter().any(|f| f.package == n.name);
    let mut order: Vec<usize> = (0..report.notes.len()).collect();
    order.sort_by_key(|&i| !fired(&report.notes[i]));
    order
}

pub fn section(out: &mut String, report: &Report, order: &[usize], bodies: bool, kept: usize) {
    if order.is_empty() {
        return;
    }
    out.push_str("\n#### Release notes\n");
    let kept: Vec<&PackageNotes> = order.iter().take(kept).map(|&i| &report.notes[i]).collect();
    for n in kept.iter().filter(|n| !n.versions.is_empty()) {
        package(out, n, bodies);
    }
    let unavailable = unavailable_notes(kept.iter().copied());
    if !unavailable.is_empty() {
        out.push_str("\nRelease notes unavailable:\n\n");
        for (reason, names) in unavailable {
            let reason: String = reason.chars().take(300).collect();
            let _ = writeln!(out, "- {}: {}", name_list(&names, code), one_line(&reason));
        }
    }
}

fn package(out: &mut String, n: &PackageNotes, bodies: bool) {
    let breaking: Vec<(&str, &str)> = n
        .versions
        .iter()
        .flat_map(|v| {
            v.breaking
                .iter()
                .map(move |b| (v.version.as_str(), b.as_str()))
        })
        .collect();
    // Markdown does not render inside <summary>: HTML, escaped.
    let from = n
        .from
        .as_deref()
        .map(|f| format!("<code>{}</code> → ", html(f)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "\n<details>\n<summary><b>{}</b> {from}<code>{}</code>: {} version{}, {} breaking change{}</summary>\n",
        html(&n.name),
        html(&n.to),
        n.versions.len(),
        plural(n.versions.len()),
        breaking.len(),
        plural(breaking.len())
    );
    let mut body = String::new();
    if !breaking.is_empty() {
        body.push_str("**Breaking changes**\n\n");
        for (version, text) in &breaking {
            let _ = writeln!(
                body,
                "- {}: {}",
                code(version),
                one_line(&cap(text, ITEM_CHARS, None))
            );
        }
    }
    if bodies {
        for v in &n.versions {
            let _ = writeln!(body, "\n##### {}\n", one_line(&v.title));
            let lines: Vec<&str> = v.body.lines().collect();
            let quoted = lines[..lines.len().min(VERSION_LINES)].join("\n");
            // One huge line must not cost more than the comment can hold.
            body.push_str(&for_markdown(&cap(&quoted, PACKAGE_CHARS, None)));
            if lines.len() > VERSION_LINES {
                let _ = writeln!(
                    body,
                    "\n_… {} more line{} in the full notes._",
                    lines.len() - VERSION_LINES,
                    plural(lines.len() - VERSION_LINES)
                );
            }
        }
    }
    let url = n.url.as_deref().map(super::findings::url_in_link);
    // A cut may leave a code fence open: balance it again.
    out.push_str(&for_markdown(&cap(&body, PACKAGE_CHARS, url.as_deref())));
    match (&url, &n.source) {
        // A local path means nothing to a reviewer.
        (Some(url), Some(source)) if url.starts_with("http") => {
            let _ = writeln!(out, "\nFrom {}: {url}", one_line(source));
        }
        (_, Some(source)) => {
            let _ = writeln!(out, "\nFrom {}.", one_line(source));
        }
        _ => {}
    }
    out.push_str("\n</details>\n");
}

/// Text for an HTML element: escaped, on one line, with control characters dropped.
fn html(text: &str) -> String {
    crate::report::sanitize::for_terminal(text)
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\n' | '\t' => " ".to_string(),
            // A mention in a summary would notify like anywhere else.
            '@' => "@\u{200d}".to_string(),
            c => c.to_string(),
        })
        .collect()
}
