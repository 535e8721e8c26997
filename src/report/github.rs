//! `--format github`: workflow commands that make findings annotations on the PR diff:
//! `::error file=...,line=...,endLine=...,col=...,endColumn=...,title=...::message`.
//!
//! Everything a command carries is escaped as the runner expects: `%`, CR and LF in the
//! message, and also `:` and `,` in property values, so no text can end the command early
//! or start another one.

use super::Report;
use crate::report::sanitize::{commands_inert, for_terminal};
use crate::rules::Severity;
use std::fmt::Write;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let versions = match (&f.from, &f.to) {
            (Some(a), Some(b)) => format!(" {a} -> {b}"),
            _ => String::new(),
        };
        let title = format!("{} ({}{versions})", f.rule, f.package);
        let mut message = f.message.clone();
        if let Some(note) = &f.note {
            message.push_str("\n\n");
            message.push_str(note.trim());
        }
        for r in &f.references {
            message.push_str("\nSee: ");
            message.push_str(r);
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            command(f.severity),
            property(&f.path),
            f.line,
            f.end_line,
            f.column,
            f.end_column,
            property(&title),
            data(&message)
        );
    }
    for e in &report.errors {
        let _ = writeln!(
            out,
            "::warning title={}::{}",
            property("bumpcheck could not read a file"),
            data(&e.message)
        );
    }
    out
}

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

/// A command's message: `%`, CR and LF escaped, other control characters dropped.
pub fn data(text: &str) -> String {
    escape(&for_terminal_keep_cr(text), false)
}

/// A property value: as a message, and `:` and `,` too.
pub fn property(text: &str) -> String {
    escape(&for_terminal_keep_cr(text), true)
}

/// Terminal cleaning drops CR; here CR is kept (escaped) so the text reads the same. A
/// line of the message that starts with `::` is made inert too, as in every format.
fn for_terminal_keep_cr(text: &str) -> String {
    let clean = text
        .split('\r')
        .map(for_terminal)
        .collect::<Vec<_>>()
        .join("\r");
    commands_inert(&clean)
}

fn escape(text: &str, in_property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if in_property => out.push_str("%3A"),
            ',' if in_property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{finding, report};

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(data("50%\r\nnext:a,b"), "50%25%0D%0Anext:a,b");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(data("x\u{1b}[31my"), "xy");
    }

    #[test]
    fn one_command_per_finding_and_nothing_escapes_it() {
        let mut f = finding("r1", "src/a,b:c.js", 3, "  x()", 3, 6);
        f.message = "evil%0A::error::pwned\nline two".into();
        let out = render(&report(vec![f]));
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.starts_with(
            "::error file=src/a%2Cb%3Ac.js,line=3,endLine=3,col=3,endColumn=6,title=r1 (express 4.21.2 -> 5.1.0)::evil%250A::error::pwned%0Aline two"
        ), "{out}");
    }
}
