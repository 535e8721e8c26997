//! Release notes come from strangers. Before printing them: no terminal escape sequences
//! or control characters. Before putting them in Markdown (a PR comment): no @mentions,
//! no #123 backlinks, no raw HTML, no unbalanced code fence swallowing the rest.

/// Removes ANSI/VT escape sequences (CSI, OSC, DCS...), C0 and C1 control characters
/// (keeping newline and tab) and the bidirectional overrides that disguise text.
pub fn for_terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                // CSI: parameters and intermediates up to a final byte in @..~
                Some('[') => {
                    for n in chars.by_ref() {
                        if ('@'..='~').contains(&n) {
                            break;
                        }
                    }
                }
                // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \)
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' || (n == '\u{1b}' && chars.peek() == Some(&'\\')) {
                            if n == '\u{1b}' {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                _ => {}
            },
            '\u{9b}' => {
                for n in chars.by_ref() {
                    if ('@'..='~').contains(&n) {
                        break;
                    }
                }
            }
            '\n' | '\t' => out.push(c),
            '\r' => {}
            c if c.is_control() => {}
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Makes untrusted Markdown inert in a GitHub comment: mentions and issue references no
/// longer notify or link, HTML shows as text, code fences are balanced. Applies the
/// terminal cleaning too.
pub fn for_markdown(text: &str) -> String {
    let clean = for_terminal(text);
    let mut out = String::with_capacity(clean.len() + 16);
    let mut fence: Option<String> = None;
    for line in clean.lines() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        if marker.len() >= 3 && marker.chars().all(|c| c == marker.chars().next().unwrap()) {
            match &fence {
                Some(open) if marker.starts_with(open.as_str()) && trimmed.trim() == marker => {
                    fence = None
                }
                Some(_) => {}
                None => fence = Some(marker.clone()),
            }
            out.push_str(line);
        } else if fence.is_some() {
            // Inside a code block nothing renders or notifies.
            out.push_str(line);
        } else {
            out.push_str(&neutralise_line(line));
        }
        out.push('\n');
    }
    if let Some(open) = fence {
        out.push_str(&open);
        out.push('\n');
    }
    out
}

/// A zero-width joiner breaks GitHub's autolinking of `@user` and `#123` while reading the same.
const ZWJ: char = '\u{200d}';

fn neutralise_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            continue;
        }
        if in_code {
            out.push(c);
            continue;
        }
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
    }
    out
}

/// Cuts text to at most `max` characters at a line end, saying where the rest is.
pub fn cap(text: &str, max: usize, rest_at: Option<&str>) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut = 0;
    for (count, (i, c)) in text.char_indices().enumerate() {
        if count >= max {
            break;
        }
        if c == '\n' {
            cut = i;
        }
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
    }
}
