//! One file, many rules: a single tree walk with ast-grep's CombinedScan, which also
//! honours `// ast-grep-ignore: RULE` suppressions.

use crate::fix::edits::Edit;
use ast_grep_config::{CombinedScan, RuleConfig};
use ast_grep_core::tree_sitter::{LanguageExt, StrDoc};
use ast_grep_core::AstGrep;
use ast_grep_language::SupportLang;

/// A parsed source file.
pub type Tree = AstGrep<StrDoc<SupportLang>>;

/// A rule's match, with 1-based positions (end column exclusive, as in SARIF).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// Index into the rule slice given to `match_source`.
    pub rule: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The matched node's byte range in the source.
    pub bytes: std::ops::Range<usize>,
    pub message: String,
    /// The source lines the match spans (at most a few).
    pub snippet: String,
    /// The whole lines the match spans, with the rule's fix applied, when it has one.
    pub suggestion: Option<String>,
    /// The rule's fix as a byte-range edit of the source, when it has one.
    pub edit: Option<Edit>,
}

/// Lines of context kept in a snippet, at most.
const SNIPPET_LINES: usize = 5;

pub fn match_source(
    lang: SupportLang,
    source: &str,
    rules: &[&RuleConfig<SupportLang>],
) -> Vec<Match> {
    if rules.is_empty() {
        return Vec::new();
    }
    match_tree(&lang.ast_grep(source), source, rules)
}

/// `match_source` on a tree already parsed from `source`.
pub fn match_tree(root: &Tree, source: &str, rules: &[&RuleConfig<SupportLang>]) -> Vec<Match> {
    if rules.is_empty() {
        return Vec::new();
    }
    let scan = CombinedScan::new(rules.to_vec());
    let result = scan.scan(root, false);
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    for (config, matches) in result.matches {
        let Some(rule) = rules.iter().position(|r| std::ptr::eq(*r, config)) else {
            continue;
        };
        for m in matches {
            let start = m.start_pos();
            let end = m.end_pos();
            let snippet = snippet(&lines, start.line(), end.line());
            // ast-grep's fixer gives the replaced range (expandStart/expandEnd included).
            let edit = config.fixer.first().and_then(|fixer| {
                let edit = m.make_edit(&config.matcher, fixer);
                Some(Edit {
                    start: edit.position,
                    end: edit.position + edit.deleted_length,
                    replacement: String::from_utf8(edit.inserted_text).ok()?,
                })
            });
            out.push(Match {
                rule,
                line: start.line() + 1,
                column: start.column(&m) + 1,
                end_line: end.line() + 1,
                end_column: end.column(&m) + 1,
                bytes: m.range(),
                message: config.get_message(&m),
                snippet,
                suggestion: edit
                    .as_ref()
                    .and_then(|e| fixed_lines(source, e.start, e.end, &e.replacement)),
                edit,
            });
        }
    }
    out.sort_by_key(|m| (m.line, m.column, m.rule));
    out
}

/// The source lines `first..=last` (0-based), at most `SNIPPET_LINES` of them.
pub fn snippet(lines: &[&str], first: usize, last: usize) -> String {
    let last = last.min(first + SNIPPET_LINES - 1);
    lines
        .get(first..=last.min(lines.len().saturating_sub(1)))
        .map(|l| l.join("\n"))
        .unwrap_or_default()
}

/// The whole lines holding bytes `start..end` of `source`, with that range replaced.
fn fixed_lines(source: &str, start: usize, end: usize, inserted: &str) -> Option<String> {
    if start > end || end > source.len() || !source.is_char_boundary(start) {
        return None;
    }
    if !source.is_char_boundary(end) {
        return None;
    }
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
    let mut out = String::with_capacity(line_end - line_start + inserted.len());
    out.push_str(&source[line_start..start]);
    out.push_str(inserted);
    out.push_str(source[end..line_end].trim_end_matches('\r'));
    Some(out)
}
