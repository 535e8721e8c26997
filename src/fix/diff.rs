//! `--fix --dry-run`: what the fixes would change, as a unified diff that `git apply`
//! and `patch -p1` accept.

use similar::TextDiff;

/// The unified diff of one file, `a/PATH` and `b/PATH` headers, 3 lines of context.
pub fn unified(path: &str, old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_hunks_and_context() {
        let old = "1\n2\n3\n4\napp.del('/x');\n6\n7\n8\n9\n";
        let new = old.replace("del", "delete");
        let d = unified("src/app.js", old, &new);
        assert_eq!(
            d,
            "--- a/src/app.js\n+++ b/src/app.js\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-app.del('/x');\n+app.delete('/x');\n 6\n 7\n 8\n"
        );
    }
}
