//! Inline suppressions: `bumpcheck-ignore: RULE[, RULE] -- reason` in a comment on the
//! reported line or on the line above it. Only a real comment counts: the marker must
//! lie inside a comment node of the parsed file, in the language's comment syntax
//! (`//` and `/* */` in JavaScript, TypeScript, Rust and Go; `#` in Python and Ruby; all
//! three in PHP), so a string literal or a JavaScript private field `#x` never suppresses.
//! ast-grep's own `ast-grep-ignore` is honoured by the matcher itself.

use super::matcher::Tree;
use ast_grep_core::tree_sitter::StrDoc;
use ast_grep_core::Node;
use ast_grep_language::SupportLang;

pub const MARKER: &str = "bumpcheck-ignore:";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The 1-based line and character column of the marker, and the line it applies to.
    pub line: usize,
    pub column: usize,
    pub target: usize,
    pub ids: Vec<String>,
    /// Why the finding does not apply; a suppression without one is itself reported.
    pub reason: Option<String>,
}

/// How a language writes comments.
struct Syntax {
    line: &'static [&'static str],
    block: Option<(&'static str, &'static str)>,
}

fn syntax(lang: SupportLang) -> Syntax {
    match lang {
        SupportLang::Python | SupportLang::Ruby => Syntax {
            line: &["#"],
            block: None,
        },
        SupportLang::Php => Syntax {
            line: &["//", "#"],
            block: Some(("/*", "*/")),
        },
        // JavaScript, TypeScript, TSX, Rust, Go.
        _ => Syntax {
            line: &["//"],
            block: Some(("/*", "*/")),
        },
    }
}

type SgNode<'t> = Node<'t, StrDoc<SupportLang>>;

/// The comment holding byte `offset`, if there is one: the outermost node on the way
/// down to it that the grammar calls a comment and that opens as this language's
/// comments do (Rust's doc comments have nodes inside theirs).
fn comment_at<'t>(
    tree: &'t Tree,
    text: &str,
    syntax: &Syntax,
    offset: usize,
) -> Option<SgNode<'t>> {
    let mut node = tree.root();
    loop {
        if node.kind().contains("comment") {
            let at = &text[node.range().start..];
            let opens = syntax.line.iter().any(|o| at.starts_with(o))
                || syntax.block.is_some_and(|(o, _)| at.starts_with(o));
            return opens.then_some(node);
        }
        let inner = node.children().find(|c| {
            let r = c.range();
            r.start <= offset && offset < r.end
        });
        node = inner?;
    }
}

/// The byte range of line `i` (0-based) of `text`, given the line starts.
fn line_range(starts: &[usize], text: &str, i: usize) -> std::ops::Range<usize> {
    let end = starts.get(i + 1).map_or(text.len(), |&s| s - 1);
    starts[i]..end
}

/// Every suppression comment of a parsed source file.
pub fn find(lang: SupportLang, tree: &Tree, text: &str) -> Vec<Suppression> {
    let syntax = syntax(lang);
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    // A line holding only a comment (or nothing) is not the code a suppression is for.
    let is_code_line = |i: usize| {
        let r = line_range(&starts, text, i);
        let line = &text[r.clone()];
        let trimmed = line.trim();
        if trimmed.is_empty() {
            return false;
        }
        let first = r.start + (line.len() - line.trim_start().len());
        let last = r.start + line.trim_end().len();
        !comment_at(tree, text, &syntax, first)
            .is_some_and(|c| c.range().start == first && c.range().end >= last)
    };
    let mut out = Vec::new();
    for (at, _) in text.match_indices(MARKER) {
        let Some(comment) = comment_at(tree, text, &syntax, at) else {
            continue;
        };
        let range = comment.range();
        let i = line_of(at);
        let rest_end = line_range(&starts, text, i).end.min(range.end);
        let mut rest = text[at + MARKER.len()..rest_end].trim();
        if let Some((_, close)) = syntax.block {
            rest = rest.trim_end_matches(close).trim();
        }
        let (ids, reason) = match rest.split_once("--") {
            Some((ids, reason)) => (ids, Some(reason.trim()).filter(|r| !r.is_empty())),
            None => (rest, None),
        };
        let ids: Vec<String> = ids
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        if ids.is_empty() {
            continue;
        }
        // After code on the same line it applies there; alone, to the next code line.
        let first = line_of(range.start);
        let alone = text[starts[first]..range.start].trim().is_empty();
        let target = if alone {
            let last = line_of(range.end.saturating_sub(1).max(range.start));
            (last + 1..starts.len())
                .find(|&j| is_code_line(j))
                .map_or(last + 2, |j| j + 1)
        } else {
            first + 1
        };
        out.push(Suppression {
            line: i + 1,
            column: text[starts[i]..at].chars().count() + 1,
            target,
            ids,
            reason: reason.map(str::to_string),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ast_grep_core::tree_sitter::LanguageExt;

    /// (line, target, ids, reason) of each suppression found in `text`.
    fn found(lang: SupportLang, text: &str) -> Vec<(usize, usize, String, Option<String>)> {
        find(lang, &lang.ast_grep(text), text)
            .into_iter()
            .map(|s| (s.line, s.target, s.ids.join(","), s.reason))
            .collect()
    }

    fn row(
        line: usize,
        target: usize,
        ids: &str,
        reason: Option<&str>,
    ) -> (usize, usize, String, Option<String>) {
        (line, target, ids.into(), reason.map(str::to_string))
    }

    #[test]
    fn javascript_comments_count_strings_and_private_fields_do_not() {
        let text = "a();\n// bumpcheck-ignore: r1, r2 -- reviewed, safe\n// a plain comment\n\nreq.param('x');\nres.send(1); // bumpcheck-ignore: r3\n/* bumpcheck-ignore: r4 -- legacy */\nx();\nconst s = 'bumpcheck-ignore: r5 -- string';\nclass A { #bumpcheck = 1; }\nconst t = `// bumpcheck-ignore: r6 -- template`;\n/*\n * bumpcheck-ignore: r7 -- in a block\n */\ny();\n";
        assert_eq!(
            found(SupportLang::JavaScript, text),
            [
                row(2, 5, "r1,r2", Some("reviewed, safe")),
                row(6, 6, "r3", None),
                row(7, 8, "r4", Some("legacy")),
                row(13, 15, "r7", Some("in a block")),
            ]
        );
        let ts = "// bumpcheck-ignore: r1 -- ok\nconst a: string = '# bumpcheck-ignore: r2';\n";
        assert_eq!(
            found(SupportLang::TypeScript, ts),
            [row(1, 2, "r1", Some("ok"))]
        );
        assert!(found(
            SupportLang::JavaScript,
            "# bumpcheck-ignore: r1 -- no\nx();\n"
        )
        .is_empty());
    }

    #[test]
    fn python_and_ruby_use_hash_comments_only() {
        let py = "import os\n# bumpcheck-ignore: r1 -- reviewed\nos.system('x')\nx = \"# bumpcheck-ignore: r2 -- in a string\"\n\"\"\"bumpcheck-ignore: r3 -- docstring\"\"\"\nos.popen('y')  # bumpcheck-ignore: r4\n";
        assert_eq!(
            found(SupportLang::Python, py),
            [row(2, 3, "r1", Some("reviewed")), row(6, 6, "r4", None)]
        );
        let rb = "# bumpcheck-ignore: r1 -- ok\nputs 1\ns = '# bumpcheck-ignore: r2'\n";
        assert_eq!(found(SupportLang::Ruby, rb), [row(1, 2, "r1", Some("ok"))]);
    }

    #[test]
    fn rust_go_and_php() {
        let rs = "/// bumpcheck-ignore: r1 -- doc comment\nfn f() {}\nlet s = \"// bumpcheck-ignore: r2\";\n/* bumpcheck-ignore: r3 -- block */ g();\n";
        assert_eq!(
            found(SupportLang::Rust, rs),
            [
                row(1, 2, "r1", Some("doc comment")),
                row(4, 5, "r3", Some("block"))
            ]
        );
        let go =
            "package a\n\n// bumpcheck-ignore: r1 -- ok\nvar x = \"// bumpcheck-ignore: r2\"\n";
        assert_eq!(found(SupportLang::Go, go), [row(3, 4, "r1", Some("ok"))]);
        let php = "<?php\n# bumpcheck-ignore: r1 -- hash\nf();\n// bumpcheck-ignore: r2 -- slashes\ng();\n/* bumpcheck-ignore: r3 */\nh();\n$s = '# bumpcheck-ignore: r4';\n";
        assert_eq!(
            found(SupportLang::Php, php),
            [
                row(2, 3, "r1", Some("hash")),
                row(4, 5, "r2", Some("slashes")),
                row(6, 7, "r3", None)
            ]
        );
    }
}
