//! After a file is fixed, the findings left in it move: their positions are mapped
//! through the applied edits and their snippets re-read from the new text.

use super::edits::{map_offset, Edit};
use crate::report::Finding;
use crate::scan::matcher::snippet;

/// The byte offset of 1-based `line` and character `column` in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    let rest = &text[line_start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    line_start
        + rest[..line_len]
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_len, |(i, _)| i)
}

/// The 1-based line and character column of byte `offset` of `text`.
pub fn position_of(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Moves a finding of `old` to where its code is in `new`, after `applied` edits.
pub fn move_finding(f: &mut Finding, old: &str, new: &str, applied: &[Edit]) {
    let start = map_offset(applied, offset_of(old, f.line, f.column));
    let end = map_offset(applied, offset_of(old, f.end_line, f.end_column)).max(start);
    (f.line, f.column) = position_of(new, start);
    (f.end_line, f.end_column) = position_of(new, end);
    let lines: Vec<&str> = new.lines().collect();
    f.snippet = snippet(&lines, f.line - 1, f.end_line - 1);
    // Its own fix was computed on the old text and clashed with one applied.
    f.suggestion = None;
    f.edit = None;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_positions_round_trip() {
        let text = "ab\né x\n\nlast";
        for (line, column, offset) in [(1, 1, 0), (1, 3, 2), (2, 2, 5), (2, 3, 6), (4, 2, 10)] {
            assert_eq!(offset_of(text, line, column), offset, "{line}:{column}");
            assert_eq!(position_of(text, offset), (line, column), "{offset}");
        }
    }

    #[test]
    fn a_finding_follows_its_code() {
        let old = "app.del('/a', h);\nres.send(req.param('id'));\n";
        let edit = Edit {
            start: 4,
            end: 7,
            replacement: "delete".into(),
        };
        let new = super::super::edits::apply(old, [&edit]).unwrap();
        let mut f = crate::report::tests::finding("r", "a.js", 2, "", 10, 26);
        move_finding(&mut f, old, &new, &[edit]);
        assert_eq!((f.line, f.column, f.end_line, f.end_column), (2, 10, 2, 26));
        assert_eq!(f.snippet, "res.send(req.param('id'));");
        let mut first = crate::report::tests::finding("r", "a.js", 1, "", 9, 13);
        move_finding(
            &mut first,
            old,
            &new,
            &[Edit {
                start: 4,
                end: 7,
                replacement: "delete".into(),
            }],
        );
        assert_eq!((first.line, first.column, first.end_column), (1, 12, 16));
    }
}
