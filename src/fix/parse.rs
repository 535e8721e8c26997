//! Whether a fix broke the syntax: tree-sitter's ERROR and MISSING nodes, counted
//! before and after.

use ast_grep_core::tree_sitter::LanguageExt;
use ast_grep_language::SupportLang;

/// How many ERROR and MISSING nodes the parse of `text` has.
pub fn broken_nodes(lang: SupportLang, text: &str) -> usize {
    let tree = lang.ast_grep(text);
    let root = tree.root();
    root.dfs()
        .filter(|n| n.is_error() || n.is_missing())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_errors_and_missing_nodes() {
        assert_eq!(
            broken_nodes(SupportLang::JavaScript, "app.delete('/x', h);\n"),
            0
        );
        assert!(broken_nodes(SupportLang::JavaScript, "app.delete(('/x', h;\n") > 0);
        assert!(broken_nodes(SupportLang::Python, "def f(:\n  pass\n") > 0);
    }
}
