//! Whether a rule's fix fixes: applied to code the rule reports (an invalid snippet, a
//! fixture), the fixed code must parse no worse than before, and the rule must stop
//! reporting the places it fixed. The edits, their selection and the parse check are
//! `check --fix`'s own (`fix::text`).

use crate::fix::edits::Edit;
use crate::fix::text::{self, Refusal};
use crate::scan::matcher::{match_source, Match};
use ast_grep_config::RuleConfig;
use ast_grep_language::SupportLang;
use similar::TextDiff;
use std::ops::Range;

/// A fix that does not fix: why, and the code before and after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenFix {
    pub reason: String,
    /// The unified diff from the code to the fixed code (empty when nothing changed).
    pub diff: String,
}

/// Applies the fixes of `rule`'s matches in `source` and checks the result; `Ok` also
/// when the rule reports nothing there (that is a missing case, reported elsewhere).
pub fn check(
    lang: SupportLang,
    source: &str,
    rule: &RuleConfig<SupportLang>,
) -> Result<(), BrokenFix> {
    let found = match_source(lang, source, &[rule]);
    let candidates: Vec<(Edit, usize)> = found
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((m.edit.clone()?, i)))
        .collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let fixed = match text::apply_checked(Some(lang), source, candidates) {
        Ok(Some(fixed)) => fixed,
        Ok(None) => {
            return Err(BrokenFix {
                reason: "the fix changes nothing: its output is the code it replaces".into(),
                diff: String::new(),
            })
        }
        Err(refusal) => {
            let reason = refusal.reason();
            let diff = match &refusal {
                Refusal::Unparsable { new, .. } => diff(source, new),
                Refusal::Stale => String::new(),
            };
            return Err(BrokenFix { reason, diff });
        }
    };
    // Each applied edit must take one report away from the code it rewrote; the
    // reports nested in it (skipped, overlapping edits) may stay.
    let edits: Vec<&Edit> = fixed.applied.iter().map(|(e, _)| e).collect();
    let old_regions: Vec<Range<usize>> = edits.iter().map(|e| e.start..e.end).collect();
    let new_regions = new_ranges(&edits);
    let before = found
        .iter()
        .filter(|m| touches(&old_regions, &m.bytes))
        .count();
    let after: Vec<Match> = match_source(lang, &fixed.new, &[rule])
        .into_iter()
        .filter(|m| touches(&new_regions, &m.bytes))
        .collect();
    if after.len() + edits.len() > before {
        let lines: Vec<&str> = fixed.new.lines().collect();
        let places: Vec<String> = after
            .iter()
            .map(|m| {
                let line = lines.get(m.line - 1).map_or("", |l| l.trim());
                format!("line {}: {line}", m.line)
            })
            .collect();
        return Err(BrokenFix {
            reason: format!(
                "the rule still reports the fixed code ({})",
                places.join("; ")
            ),
            diff: diff(source, &fixed.new),
        });
    }
    Ok(())
}

/// Where each edit's replacement lies in the fixed text (edits sorted, disjoint).
fn new_ranges(edits: &[&Edit]) -> Vec<Range<usize>> {
    let mut shift: isize = 0;
    edits
        .iter()
        .map(|e| {
            let start = (e.start as isize + shift) as usize;
            shift += e.replacement.len() as isize - (e.end - e.start) as isize;
            start..start + e.replacement.len()
        })
        .collect()
}

/// Whether `range` overlaps one of `regions` (an empty range or region: touches it).
fn touches(regions: &[Range<usize>], range: &Range<usize>) -> bool {
    regions.iter().any(|r| {
        if r.is_empty() || range.is_empty() {
            range.start <= r.end && r.start <= range.end
        } else {
            range.start < r.end && r.start < range.end
        }
    })
}

fn diff(old: &str, new: &str) -> String {
    TextDiff::from_lines(old, new)
        .unified_diff()
        .header("before the fix", "after the fix")
        .to_string()
}
