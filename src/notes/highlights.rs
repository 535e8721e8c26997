//! Pulling the lines a reviewer must read out of a release-notes section: breaking
//! changes, removals, deprecations and security fixes, with the API names they mention
//! in backticks (so later stages can look for their use in the source).

use super::changelog::Fence;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Breaking,
    Removal,
    Deprecation,
    Security,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Highlight {
    pub kind: Kind,
    pub text: String,
    /// Code spans the text mentions (`res.sendfile()`, `app.del`).
    pub apis: Vec<String>,
}

/// A heading or a parent list item ("* remove:") that labels what follows.
fn label_kind(label: &str) -> Option<Option<Kind>> {
    let l = label
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c == ':' || c == '⚠' || c.is_whitespace())
        .to_ascii_lowercase();
    let l = l.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    let kind = if l.starts_with("breaking")
        || l == "major changes"
        || l == "backwards incompatible changes"
        || l.starts_with("backward incompatible")
    {
        Some(Kind::Breaking)
    } else if l.starts_with("remove") || l == "removals" || l.starts_with("dropped") {
        Some(Kind::Removal)
    } else if l.starts_with("deprecat") {
        Some(Kind::Deprecation)
    } else if l.starts_with("security") {
        Some(Kind::Security)
    } else {
        None
    };
    // Short labels only: a sentence that starts with "Removed ..." is an item, not a label.
    (l.split_whitespace().count() <= 4).then_some(kind)
}

/// Classifies one item by its own words, where no label applies. Under a heading that
/// labels something else ("Fixed", "Features"), only unmistakable markers count: a fix
/// that "removed a leak" is not a removal.
fn item_kind(text: &str, neutral: bool) -> Option<Kind> {
    let lower = text.to_ascii_lowercase();
    let start = lower.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    if text.contains("BREAKING") || lower.contains("breaking change") || conventional_bang(&lower) {
        Some(Kind::Breaking)
    } else if lower.contains("cve-") || lower.contains("ghsa-") {
        Some(Kind::Security)
    } else if neutral {
        None
    } else if start.starts_with("security") || lower.contains("vulnerab") {
        Some(Kind::Security)
    } else if start.starts_with("remove")
        || start.starts_with("drop ")
        || start.starts_with("dropped ")
        || lower.contains("no longer supported")
    {
        Some(Kind::Removal)
    } else if start.starts_with("deprecat")
        || lower.contains(" is deprecated")
        || lower.contains(" are deprecated")
    {
        Some(Kind::Deprecation)
    } else {
        None
    }
}

/// `feat!: ...`, `fix(router)!: ...`
fn conventional_bang(lower: &str) -> bool {
    let start = lower.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    match start.find("!:") {
        Some(i) => start[..i]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '(' | ')' | '-' | '_' | '/' | ',')),
        None => false,
    }
}

fn list_item(line: &str) -> Option<(usize, &str)> {
    let indent = line.len() - line.trim_start().len();
    let t = line.trim_start();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some((indent, rest));
        }
    }
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        if let Some(rest) = t[digits..]
            .strip_prefix(". ")
            .or_else(|| t[digits..].strip_prefix(") "))
        {
            return Some((indent, rest));
        }
    }
    None
}

fn heading_text(line: &str, next: Option<&str>) -> Option<String> {
    let t = line.trim();
    if t.starts_with('#') {
        return Some(t.trim_start_matches('#').trim().to_string());
    }
    if (t.starts_with("**") && t.ends_with("**") && t.len() > 4)
        || (t.starts_with("__") && t.ends_with("__") && t.len() > 4)
    {
        return Some(t[2..t.len() - 2].to_string());
    }
    if let Some(n) = next {
        let n = n.trim();
        if n.len() >= 3
            && (n.chars().all(|c| c == '-')
                || n.chars().all(|c| c == '=')
                || n.chars().all(|c| c == '~'))
            && !t.is_empty()
        {
            return Some(t.to_string());
        }
    }
    None
}

/// Code spans in backticks (Markdown) or double backticks (reStructuredText), in order,
/// without repeats. reStructuredText roles (`:issue:`5230``) are references, not code.
pub fn apis(text: &str) -> Vec<String> {
    let text = text.replace("``", "`");
    let parts: Vec<&str> = text.split('`').collect();
    let mut out: Vec<String> = Vec::new();
    for i in (1..parts.len()).step_by(2) {
        let before = parts[i - 1];
        let role = before.ends_with(':')
            && before
                .split_whitespace()
                .next_back()
                .is_some_and(|w| w.len() > 2 && w.starts_with(':'));
        let code = parts[i].trim();
        if !role && !code.is_empty() && code.len() <= 80 && !out.iter().any(|c| c == code) {
            out.push(code.to_string());
        }
    }
    out
}

pub fn extract(body: &str) -> Vec<Highlight> {
    let lines: Vec<&str> = body.lines().collect();
    let mut out = Vec::new();
    // The innermost heading: Some(Some(kind)) labels its items, Some(None) is a heading
    // about something else, None is no heading yet.
    let mut section: Option<Option<Kind>> = None;
    let mut parents: Vec<(usize, Option<Kind>)> = Vec::new();
    // Code is no item and no heading: a `- old()` line of a diff, a `# comment`. A fence
    // left open runs to the end of the section.
    let mut fence: Option<Fence> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(open) = &fence {
            if open.closed_by(line) {
                fence = None;
            }
            i += 1;
            continue;
        }
        if let Some(open) = Fence::opened_by(line) {
            fence = Some(open);
            i += 1;
            continue;
        }
        if let Some((indent, rest)) = list_item(line) {
            // Continuation lines: indented deeper, not items themselves.
            let mut text = rest.trim().to_string();
            let mut j = i + 1;
            while j < lines.len() {
                let next = lines[j];
                let next_indent = next.len() - next.trim_start().len();
                if next.trim().is_empty()
                    || list_item(next).is_some()
                    || next_indent <= indent
                    || Fence::opened_by(next).is_some()
                {
                    break;
                }
                text.push(' ');
                text.push_str(next.trim());
                j += 1;
            }
            while parents.last().is_some_and(|p| p.0 >= indent) {
                parents.pop();
            }
            let is_parent = lines
                .get(j)
                .and_then(|n| list_item(n))
                .is_some_and(|(ni, _)| ni > indent);
            match label_kind(&text).filter(|_| is_parent || text.trim_end().ends_with(':')) {
                Some(kind) => parents.push((indent, kind)),
                None => {
                    let labelled = parents.iter().rev().find_map(|p| p.1).or(section.flatten());
                    let neutral = section == Some(None);
                    if let Some(kind) = labelled.or_else(|| item_kind(&text, neutral)) {
                        out.push(Highlight {
                            kind,
                            apis: apis(&text),
                            text,
                        });
                    }
                }
            }
            i = j;
            continue;
        }
        if let Some(h) = heading_text(line, lines.get(i + 1).copied()) {
            section = Some(label_kind(&h).flatten());
            parents.clear();
        } else if let Some(rest) = line
            .trim()
            .strip_prefix("BREAKING CHANGE:")
            .or_else(|| line.trim().strip_prefix("BREAKING CHANGES:"))
        {
            let text = rest.trim().to_string();
            if !text.is_empty() {
                out.push(Highlight {
                    kind: Kind::Breaking,
                    apis: apis(&text),
                    text,
                });
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(body: &str) -> Vec<String> {
        extract(body)
            .into_iter()
            .map(|h| format!("{:?}: {} {:?}", h.kind, h.text, h.apis))
            .collect()
    }

    #[test]
    fn express_history_labels() {
        let body = "* remove:\n  - `path-is-absolute` dependency - use `path.isAbsolute` instead\n  - `res.sendfile` - use `res.sendFile`\n* breaking:\n  * `res.status()` accepts only integers, and input must be greater than 99 and less than 1000\n    * will throw a `RangeError`\n* deps: body-parser@2.0.1\n* Add support for `Uint8Array`";
        assert_eq!(
            summary(body),
            [
                "Removal: `path-is-absolute` dependency - use `path.isAbsolute` instead [\"path-is-absolute\", \"path.isAbsolute\"]",
                "Removal: `res.sendfile` - use `res.sendFile` [\"res.sendfile\", \"res.sendFile\"]",
                "Breaking: `res.status()` accepts only integers, and input must be greater than 99 and less than 1000 [\"res.status()\"]",
                "Breaking: will throw a `RangeError` [\"RangeError\"]",
            ]
        );
    }

    #[test]
    fn keep_a_changelog_and_conventional() {
        let kac = "### Added\n- new `thing()`\n### Deprecated\n- `old()` will go in 3.0\n### Removed\n- `gone()`\n### Security\n- Fix prototype pollution\n### Fixed\n- removed a leak in the pool";
        assert_eq!(
            summary(kac),
            [
                "Deprecation: `old()` will go in 3.0 [\"old()\"]",
                "Removal: `gone()` [\"gone()\"]",
                "Security: Fix prototype pollution []",
            ]
        );
        let cc = "### ⚠ BREAKING CHANGES\n\n* **router:** `Router#param(fn)` is gone\n\n### Features\n\n* feat!: drop callbacks\n* add `x`\n\nBREAKING CHANGE: options are now required";
        assert_eq!(
            summary(cc),
            [
                "Breaking: **router:** `Router#param(fn)` is gone [\"Router#param(fn)\"]",
                "Breaking: feat!: drop callbacks []",
                "Breaking: options are now required []",
            ]
        );
        let rst = "-   Deprecate the ``__version__`` attribute. Use\n    ``importlib.metadata.version(\"flask\")``, instead. :issue:`5230`";
        assert_eq!(
            summary(rst),
            ["Deprecation: Deprecate the ``__version__`` attribute. Use ``importlib.metadata.version(\"flask\")``, instead. :issue:`5230` [\"__version__\", \"importlib.metadata.version(\\\"flask\\\")\"]"]
        );
        let sec = "- Bump qs to fix CVE-2022-24999\n- Update docs";
        assert_eq!(summary(sec), ["Security: Bump qs to fix CVE-2022-24999 []"]);
    }

    #[test]
    fn code_blocks_are_neither_items_nor_headings() {
        let body = "### Breaking changes\n\n- `a()` is removed\n  ```diff\n  - a()\n  + b()\n  ```\n\n```sh\n# Features\nnpm i x\n```\n\n- `c()` is gone\n\n```js\n- left open\n";
        assert_eq!(
            summary(body),
            [
                "Breaking: `a()` is removed [\"a()\"]",
                "Breaking: `c()` is gone [\"c()\"]"
            ]
        );
    }
}
