//! Untrusted text (release notes, package names and versions from lockfiles, URLs from
//! registry metadata, messages that quote a server, matched code) is made safe here, where
//! the output is made, for every format:
//!
//! - no terminal escape sequences, control characters or bidirectional controls, which
//!   would rewrite a terminal or disguise text in a terminal, a log or a web page;
//! - no line that starts with `::`, which a GitHub Actions runner reads as a workflow
//!   command (`::add-mask::`, `::stop-commands::`) when a step prints it to its log;
//! - in Markdown (a PR comment): no @mentions, no #123 backlinks, no raw HTML, no
//!   unbalanced code fence swallowing the rest.

use crate::notes::changelog::Fence;

/// Removes ANSI/VT escape sequences (CSI, OSC, DCS...), C0 and C1 control characters
/// (keeping newline and tab) and the bidirectional controls that disguise text.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte in @..~
                Some('[') => skip_csi(&mut chars),
                // OSC, DCS, SOS, PM, APC: up to BEL or ST
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                _ => {}
            },
            // The same introducers as C1 characters.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' | '\t' => out.push(c),
            c if c.is_control() || is_bidi(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Embeddings, overrides and isolates, and the marks that reorder text as well.
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_csi(chars: &mut Chars) {
    for n in chars.by_ref() {
        if ('@'..='~').contains(&n) {
            break;
        }
    }
}

/// A control string ends with BEL or ST (`ESC \`, or U+009C).
fn skip_string(chars: &mut Chars) {
    while let Some(n) = chars.next() {
        match n {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' if chars.peek() == Some(&'\\') => {
                chars.next();
                break;
            }
            _ => {}
        }
    }
}

/// Makes every line that would start with `::` (after blanks) no workflow command, with
/// a backslash before it: in Markdown `\::` still reads `::`.
pub fn commands_inert(text: &str) -> String {
    if !text.contains("::") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start();
        if body.starts_with("::") {
            out.push_str(&line[..line.len() - body.len()]);
            out.push('\\');
            out.push_str(body);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Untrusted text for the terminal, a log or a JSON string: [`for_terminal`], and no
/// workflow command (a JSON consumer prints or pastes strings too).
pub fn for_text(text: &str) -> String {
    commands_inert(&for_terminal(text))
}

/// Makes untrusted Markdown inert in a GitHub comment: mentions and issue references no
/// longer notify or link, HTML shows as text, code fences are balanced. Applies the
/// terminal and workflow-command cleaning too.
pub fn for_markdown(text: &str) -> String {
    let clean = for_terminal(text);
    let mut out = String::with_capacity(clean.len() + 16);
    let mut fence: Option<Fence> = None;
    for line in clean.lines() {
        match &fence {
            // Inside a code block nothing renders or notifies.
            Some(open) => {
                if open.closed_by(line) {
                    fence = None;
                }
                out.push_str(line);
            }
            None => match Fence::opened_by(line) {
                Some(open) => {
                    fence = Some(open);
                    out.push_str(line);
                }
                None => out.push_str(&neutralise_line(line)),
            },
        }
        out.push('\n');
    }
    if let Some(open) = fence {
        out.push_str(&open.closer());
        out.push('\n');
    }
    commands_inert(&out)
}

/// A zero-width joiner breaks GitHub's autolinking of `@user` and `#123` while reading the same.
const ZWJ: char = '\u{200d}';

fn neutralise_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let spans = code_spans(&chars);
    let mut spans = spans.iter().peekable();
    let mut i = 0;
    while i < chars.len() {
        if let Some(&&(start, end)) = spans.peek() {
            if i == start {
                out.extend(&chars[start..end]);
                spans.next();
                i = end;
                continue;
            }
        }
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let word_start = prev.is_none_or(|p| !p.is_alphanumeric() && p != '/' && p != '&');
        match c {
            '<' => out.push_str("&lt;"),
            // At the start of a line `>` is a quote, which is harmless.
            '>' if out.trim().is_empty() => out.push('>'),
            '>' => out.push_str("&gt;"),
            '@' if word_start && next.is_some_and(|n| n.is_alphanumeric()) => {
                out.push('@');
                out.push(ZWJ);
            }
            '#' if word_start && next.is_some_and(|n| n.is_ascii_digit()) => {
                out.push('#');
                out.push(ZWJ);
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// The code spans of a line, as `start..end` character ranges: a run of backticks up to
/// the next run of the same length. A run nothing closes is literal, and the text after
/// it renders (so `` `<!-- `` is HTML, not code).
fn code_spans(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let len = chars[i..].iter().take_while(|&&c| c == '`').count();
        if len > 0 {
            runs.push((i, len));
        }
        i += len.max(1);
    }
    // The next run of the same length after each run, found in one pass from the end.
    let mut next_same = vec![None; runs.len()];
    let mut last_of_len = std::collections::HashMap::new();
    for k in (0..runs.len()).rev() {
        next_same[k] = last_of_len.insert(runs[k].1, k);
    }
    let mut spans = Vec::new();
    let mut k = 0;
    while k < runs.len() {
        match next_same[k] {
            Some(close) => {
                spans.push((runs[k].0, runs[close].0 + runs[close].1));
                k = close + 1;
            }
            None => k += 1,
        }
    }
    spans
}

/// Cuts text to at most `max` characters at a line end (inside the first line when that
/// is longer), saying where the rest is.
pub fn cap(text: &str, max: usize, rest_at: Option<&str>) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut = 0;
    let mut end = 0;
    for (count, (i, c)) in text.char_indices().enumerate() {
        if count >= max {
            end = i;
            break;
        }
        if c == '\n' {
            cut = i;
        }
    }
    // One line longer than the whole allowance is cut inside, not dropped.
    if cut == 0 {
        cut = end;
    }
    let mut out = text[..cut].to_string();
    out.push_str("\n\n… (cut");
    if let Some(url) = rest_at {
        out.push_str("; the full notes: ");
        out.push_str(url);
    }
    out.push(')');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_controls() {
        let evil = "ok\u{1b}[31mred\u{1b}[0m \u{1b}]8;;https://x\u{7}link\u{1b}]8;;\u{1b}\\ bell\u{7} \u{202e}txt\r\nnext\tcol";
        assert_eq!(for_terminal(evil), "okred link bell txt\nnext\tcol");
    }

    #[test]
    fn neutralises_markdown() {
        let md = "Thanks @alice and @everyone, fixes #123 (see a@b.c)\n<img src=x onerror=alert(1)>\n`@inline` stays\n```js\n@decorator #1\n";
        let out = for_markdown(md);
        assert!(out.contains("@\u{200d}alice") && out.contains("@\u{200d}everyone"));
        assert!(out.contains("#\u{200d}123"));
        assert!(out.contains("a@b.c"), "an email is not a mention: {out}");
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(out.contains("`@inline` stays"));
        assert!(out.contains("@decorator #1\n```\n"), "fence closed: {out}");
    }

    #[test]
    fn caps_at_a_line() {
        let text = "line one\nline two\nline three\n";
        assert_eq!(
            cap(text, 12, Some("https://example.invalid")),
            "line one\n\n… (cut; the full notes: https://example.invalid)"
        );
        assert_eq!(cap(text, 100, None), text);
        assert_eq!(cap("abcdef", 3, None), "abc\n\n… (cut)");
    }

    #[test]
    fn strips_c1_strings_bidi_marks_and_nul() {
        let evil = "a\u{9b}31mb\u{90}dcs payload\u{9c}c\u{9d}8;;x\u{7}d\u{200f}e\u{200e}f\u{61c}g\u{2067}h\u{2069}\0i";
        assert_eq!(for_terminal(evil), "abcdefghi");
    }

    #[test]
    fn no_line_starts_a_workflow_command() {
        let text = "::error::a\n  ::add-mask::b\n\t::stop-commands::t\nok ::set-output x\n:: x";
        assert_eq!(
            for_text(text),
            "\\::error::a\n  \\::add-mask::b\n\t\\::stop-commands::t\nok ::set-output x\n\\:: x"
        );
        assert!(for_markdown("::error::x\n```\n ::warning::y\n").contains("\n \\::warning::y\n"));
    }

    #[test]
    fn a_backtick_nothing_closes_is_no_code_span() {
        assert_eq!(
            for_markdown("a ` <!-- b `` c\n``x`<y``"),
            "a ` &lt;!-- b `` c\n``x`<y``\n"
        );
    }

    /// Lockfile strings, paths, matched code and error messages are as untrusted as
    /// release notes: every renderer cleans them.
    #[test]
    fn every_format_cleans_what_lockfiles_code_and_servers_say() {
        use crate::report::tests::{finding, report};
        use crate::report::{github, json, markdown, sarif, text, ReportError};
        let mut f = finding("r1", "src/a\u{202e}sj.js", 3, "x\u{1b}[2J()", 1, 4);
        f.message = "call\u{9b}31m ok".into();
        let mut r = report(vec![f]);
        r.changes[0].name = "expr\u{1b}]8;;http://x.invalid\u{7}ess".into();
        r.changes[0].to = Some("5.1.0\u{200f}".into());
        r.changes[0].lockfile = "package-lock\u{7}.json".into();
        r.errors.push(ReportError {
            path: "yarn.lock".into(),
            rev: None,
            message: "server said:\n::add-mask::x\u{2066}y".into(),
        });
        let outputs = [
            (
                "text",
                text::render(
                    &r,
                    text::TextOptions {
                        color: false,
                        all_changes: true,
                        findings: true,
                    },
                ),
            ),
            ("json", json::render(&r)),
            ("sarif", sarif::render(&r)),
            (
                "markdown",
                markdown::render(&r, &markdown::MarkdownOptions::default()),
            ),
            ("github", github::render(&r)),
        ];
        let dangerous = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_bidi(c);
        for (format, out) in outputs {
            assert!(!out.chars().any(dangerous), "{format}: {out:?}");
            assert!(!out.contains("x.invalid"), "{format}: {out}");
            if format != "github" {
                assert!(
                    out.lines().all(|l| !l.trim_start().starts_with("::")),
                    "{format}: {out}"
                );
            }
            // SARIF percent-encodes the real path: `a%E2%80%AEsj.js`.
            for legit in ["sj.js", "call ok", "server said:", "::add-mask::xy"] {
                assert!(out.contains(legit), "{format}: {legit} in {out}");
            }
            if format != "sarif" && format != "github" {
                for legit in ["express", "5.1.0", "package-lock.json", "x()"] {
                    assert!(out.contains(legit), "{format}: {legit} in {out}");
                }
            }
        }
    }
}
