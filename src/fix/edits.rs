//! Text edits as byte ranges: choosing the ones that can be applied together (the first
//! of overlapping edits wins), applying them, and mapping positions of the old text to
//! the new one.

/// Replace bytes `start..end` of a file with `replacement`, as ast-grep's fixer computed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Edit {
    /// Whether applying the edit would change nothing.
    pub fn is_noop(&self, text: &str) -> bool {
        text.get(self.start..self.end) == Some(self.replacement.as_str())
    }

    /// How much longer (or shorter, negative) the text gets.
    fn delta(&self) -> isize {
        self.replacement.len() as isize - (self.end - self.start) as isize
    }
}

/// Edits, each with a caller's tag.
pub type Tagged<T> = Vec<(Edit, T)>;

/// The edits that can be applied together, in text order, and the others, each with
/// the index (in `applied`) of the edit it overlaps.
pub struct Selection<T> {
    pub applied: Tagged<T>,
    pub skipped: Vec<(Edit, T, usize)>,
}

/// Selects the edits to apply: of overlapping edits, the first in text order. Ties on
/// the start keep the given order, so the caller decides which of two edits at one
/// place is "first".
pub fn select<T>(mut edits: Tagged<T>) -> Selection<T> {
    edits.sort_by_key(|(e, _)| e.start); // stable: ties keep the caller's order
    let mut applied: Tagged<T> = Vec::new();
    let mut skipped = Vec::new();
    for (edit, tag) in edits {
        let clashes = applied.last().is_some_and(|(last, _)| {
            // Overlapping ranges, or two edits at one point (which goes first is unknowable).
            edit.start < last.end || edit.start == last.start
        });
        if clashes {
            skipped.push((edit, tag, applied.len() - 1));
        } else {
            applied.push((edit, tag));
        }
    }
    Selection { applied, skipped }
}

/// The text with non-overlapping edits, sorted by start, applied. `None` when an edit
/// does not fall on character boundaries of `text` (the file changed under us).
pub fn apply<'a>(text: &str, edits: impl IntoIterator<Item = &'a Edit>) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.start < at || e.end < e.start {
            return None;
        }
        out.push_str(text.get(at..e.start)?);
        text.get(e.start..e.end)?;
        out.push_str(&e.replacement);
        at = e.end;
    }
    out.push_str(text.get(at..)?);
    Some(out)
}

/// Where byte `offset` of the old text is in the new one. An offset inside a replaced
/// range goes to the same distance into the replacement, at most its end.
pub fn map_offset(applied: &[Edit], offset: usize) -> usize {
    let mut shift: isize = 0;
    for e in applied {
        if offset < e.start {
            break;
        }
        if offset < e.end {
            let into = (offset - e.start).min(e.replacement.len());
            return (e.start as isize + shift) as usize + into;
        }
        shift += e.delta();
    }
    (offset as isize + shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: usize, end: usize, replacement: &str) -> Edit {
        Edit {
            start,
            end,
            replacement: replacement.into(),
        }
    }

    #[test]
    fn first_of_overlapping_edits_wins() {
        let Selection { applied, skipped } = select(vec![
            (edit(10, 20, "b"), "inner"),
            (edit(0, 5, "a"), "first"),
            (edit(8, 30, "c"), "outer"),
            (edit(30, 30, "d"), "touching"),
            (edit(30, 30, "e"), "same point"),
        ]);
        fn tags<'a>(v: &[(Edit, &'a str)]) -> Vec<&'a str> {
            v.iter().map(|(_, t)| *t).collect()
        }
        assert_eq!(tags(&applied), ["first", "outer", "touching"]);
        let skipped: Vec<(&str, usize)> = skipped.iter().map(|(_, t, i)| (*t, *i)).collect();
        assert_eq!(
            skipped,
            [("inner", 1), ("same point", 2)],
            "with what they overlap"
        );
    }

    #[test]
    fn applies_and_maps_positions() {
        let text = "app.del('/x', h); res.send(204);";
        let edits = [edit(4, 7, "delete"), edit(22, 31, "sendStatus(204)")];
        let new = apply(text, &edits).unwrap();
        assert_eq!(new, "app.delete('/x', h); res.sendStatus(204);");
        assert_eq!(map_offset(&edits, 0), 0);
        assert_eq!(map_offset(&edits, 8), 11, "after the first edit: +3");
        assert_eq!(
            map_offset(&edits, 23),
            26,
            "inside the second: same distance in"
        );
        assert_eq!(map_offset(&edits, 32), 41, "after both: +3 +6");
        assert!(!edits[0].is_noop(text));
        assert!(edit(0, 3, "app").is_noop(text));
        assert_eq!(apply("é", &[edit(1, 2, "x")]), None, "not a char boundary");
    }
}
