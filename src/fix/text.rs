//! Fixing one text: choosing the edits that go together, applying them, and refusing
//! the result when it parses worse than the original. `check --fix` runs it on each
//! file; `rules test` on each test case of a rule with a fix.

use super::edits::{self, Edit, Tagged};
use super::parse;
use ast_grep_language::SupportLang;

/// A text with its fixes applied.
pub struct Fixed<T> {
    pub new: String,
    pub applied: Tagged<T>,
    /// The edits left out, each with the index (in `applied`) of the edit it overlaps.
    pub skipped: Vec<(Edit, T, usize)>,
}

/// Why fixes could not be applied to a text.
pub enum Refusal<T> {
    /// An edit does not fall on the text's character boundaries (the text is not the
    /// one the edits were computed on).
    Stale,
    /// The fixed text has more ERROR or MISSING nodes than the original.
    Unparsable {
        new: String,
        applied: Tagged<T>,
        before: usize,
        after: usize,
    },
}

impl<T> Refusal<T> {
    /// Why, in words.
    pub fn reason(&self) -> String {
        match self {
            Refusal::Stale => "the file changed while bumpcheck ran".into(),
            Refusal::Unparsable { before, after, .. } => {
                format!("the fixed file does not parse ({after} syntax errors, {before} before)")
            }
        }
    }
}

/// `text` with the `candidates` applied (of overlapping ones, the first; edits that
/// change nothing are dropped); `Ok(None)` when no edit changes anything. With `lang`,
/// the fixed text must parse with no more errors than `text`.
pub fn apply_checked<T>(
    lang: Option<SupportLang>,
    text: &str,
    candidates: Tagged<T>,
) -> Result<Option<Fixed<T>>, Refusal<T>> {
    let candidates = candidates
        .into_iter()
        .filter(|(e, _)| !e.is_noop(text))
        .collect();
    let edits::Selection { applied, skipped } = edits::select(candidates);
    if applied.is_empty() {
        return Ok(None);
    }
    let new = edits::apply(text, applied.iter().map(|(e, _)| e)).ok_or(Refusal::Stale)?;
    if let Some(lang) = lang {
        let before = parse::broken_nodes(lang, text);
        let after = parse::broken_nodes(lang, &new);
        if after > before {
            return Err(Refusal::Unparsable {
                new,
                applied,
                before,
                after,
            });
        }
    }
    Ok(Some(Fixed {
        new,
        applied,
        skipped,
    }))
}
