//! `bumpcheck notes`: one package's release notes for the versions an upgrade crosses, as
//! text for the terminal (highlights first, then each version's section) or as JSON.

use super::sanitize::{commands_inert, for_terminal};
use crate::notes::PackageNotes;
use std::fmt::Write;

/// The notes as text; `range` is the `FROM..TO` asked for.
pub fn text(n: &PackageNotes, range: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {} version{} from {} <{}>",
        for_terminal(&n.name),
        for_terminal(range),
        n.versions.len(),
        super::plural(n.versions.len()),
        for_terminal(n.source.as_deref().unwrap_or("?")),
        for_terminal(n.url.as_deref().unwrap_or(""))
    );
    for v in &n.versions {
        let _ = writeln!(out, "\n## {}\n", for_terminal(&v.title));
        if !v.highlights.is_empty() {
            for h in &v.highlights {
                let _ = writeln!(
                    out,
                    "  ! {}: {}",
                    format!("{:?}", h.kind).to_lowercase(),
                    for_terminal(&h.text)
                );
            }
            out.push('\n');
        }
        let _ = writeln!(out, "{}", for_terminal(&v.body));
    }
    // A step that prints the notes to its log must not run their `::` lines as commands.
    commands_inert(&out)
}

/// The notes as JSON (the `notes[]` entry of the report), strings cleaned.
pub fn json(n: &PackageNotes) -> String {
    super::json::render_value(n)
}
