//! Inline suppressions: `bumpcheck-ignore: RULE[, RULE] -- reason` in a comment on the
//! reported line or on the line above it, in the comment syntax of the language (`//`,
//! `/* */`, `#`). ast-grep's own `ast-grep-ignore` is honoured by the matcher itself.

pub const MARKER: &str = "bumpcheck-ignore:";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    /// The 1-based line of the comment, and the line it applies to.
    pub line: usize,
    pub target: usize,
    pub ids: Vec<String>,
    /// Why the finding does not apply; a suppression without one is itself reported.
    pub reason: Option<String>,
}

/// Every suppression comment of a source file.
pub fn find(text: &str) -> Vec<Suppression> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(at) = line.find(MARKER) else {
            continue;
        };
        // Only inside a comment: a comment opener before the marker.
        let before = &line[..at];
        let Some(opener) = ["//", "/*", "#"]
            .iter()
            .filter_map(|o| before.find(o))
            .min()
        else {
            continue;
        };
        let rest = line[at + MARKER.len()..]
            .trim()
            .trim_end_matches("*/")
            .trim();
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
        let target = if before[..opener].trim().is_empty() {
            (i + 1..lines.len())
                .find(|&j| !lines[j].trim().is_empty() && !lines[j].contains(MARKER))
                .map_or(i + 1, |j| j + 1)
        } else {
            i + 1
        };
        out.push(Suppression {
            line: i + 1,
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

    #[test]
    fn reads_comments_in_each_syntax() {
        let text = "a();\n// bumpcheck-ignore: r1, r2 -- reviewed, safe\n\nreq.param('x');\nres.send(1); // bumpcheck-ignore: r3\n/* bumpcheck-ignore: r4 -- legacy */\nx();\n# bumpcheck-ignore: r5 -- py\ny()\nconst s = 'bumpcheck-ignore: not-a-comment';\n";
        let found = find(text);
        let summary: Vec<(usize, usize, Vec<&str>, Option<&str>)> = found
            .iter()
            .map(|s| {
                (
                    s.line,
                    s.target,
                    s.ids.iter().map(String::as_str).collect(),
                    s.reason.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (2, 4, vec!["r1", "r2"], Some("reviewed, safe")),
                (5, 5, vec!["r3"], None),
                (6, 7, vec!["r4"], Some("legacy")),
                (8, 9, vec!["r5"], Some("py")),
            ]
        );
    }
}
