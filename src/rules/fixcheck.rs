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

/// Applies the fixes of `rule`'s matches in `source` and checks the result, which it
/// returns; `Ok(None)` when the rule reports nothing there (a missing case, which is
/// reported elsewhere).
pub fn check(
    lang: SupportLang,
    source: &str,
    rule: &RuleConfig<SupportLang>,
) -> Result<Option<String>, BrokenFix> {
    let found = match_source(lang, source, &[rule]);
    let candidates: Vec<(Edit, usize)> = found
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((m.edit.clone()?, i)))
        .collect();
    if candidates.is_empty() {
        return Ok(None);
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
    Ok(Some(fixed.new))
}

/// The expected fixed text (a test file's `fixed:` entry) against the one the fix
/// produced, as a diff; `None` when they agree (up to trailing newlines).
pub fn unexpected(expected: &str, got: &str) -> Option<String> {
    let (expected, got) = (expected.trim_end_matches('\n'), got.trim_end_matches('\n'));
    (expected != got).then(|| {
        let (expected, got) = (format!("{expected}\n"), format!("{got}\n"));
        TextDiff::from_lines(expected.as_str(), got.as_str())
            .unified_diff()
            .header("expected (fixed:)", "fixed by the rule")
            .to_string()
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use ast_grep_config::{GlobalRules, SerializableRuleConfig};

    fn rule(pattern: &str, fix: &str) -> RuleConfig<SupportLang> {
        let yaml =
            format!("id: r\nlanguage: javascript\nrule:\n  pattern: {pattern:?}\nfix: {fix:?}\n");
        let config: SerializableRuleConfig<SupportLang> = ast_grep_config::from_str(&yaml).unwrap();
        RuleConfig::try_from(config, &GlobalRules::default()).unwrap()
    }

    fn run(pattern: &str, fix: &str, source: &str) -> Result<Option<String>, BrokenFix> {
        check(SupportLang::JavaScript, source, &rule(pattern, fix))
    }

    #[test]
    fn a_good_fix_gives_the_fixed_text() {
        let got = run("app.del($$$A)", "app.delete($$$A)", "app.del('/x', h);\n");
        assert_eq!(got, Ok(Some("app.delete('/x', h);\n".into())));
        assert_eq!(
            run("app.del($$$A)", "app.delete($$$A)", "app.get('/x', h);\n"),
            Ok(None),
            "nothing reported, nothing to check"
        );
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_broken() {
        let broken = run("app.del($$$A)", "app.delete(($$$A)", "app.del('/x', h);\n")
            .expect_err("the fixed code does not parse");
        assert!(
            broken.reason.contains("does not parse"),
            "{}",
            broken.reason
        );
        assert!(
            broken.diff.contains("+app.delete(('/x', h);"),
            "{}",
            broken.diff
        );
    }

    #[test]
    fn a_fix_the_rule_still_reports_is_broken() {
        let broken = run("$O.del($$$A)", "$O.del($$$A, true)", "app.del('/x');\n")
            .expect_err("the fixed call still matches");
        assert!(
            broken
                .reason
                .contains("still reports the fixed code (line 1: app.del('/x', true);)"),
            "{}",
            broken.reason
        );
        let wrapped = run("f($A)", "w(f($A))", "f(x);\n").expect_err("the wrapped call matches");
        assert!(wrapped.diff.contains("+w(f(x));"), "{}", wrapped.diff);
        let same = run("f($A)", "f($A)", "f(x);\n").expect_err("a fix that changes nothing");
        assert!(same.reason.contains("changes nothing"), "{}", same.reason);
    }

    #[test]
    fn nested_reports_left_for_a_next_run_are_no_failure() {
        // The outer call is fixed; the inner one, whose edit overlaps, stays as it was.
        let got = run("f($A)", "g($A)", "f(f(x));\n");
        assert_eq!(got, Ok(Some("g(f(x));\n".into())));
    }

    #[test]
    fn compares_the_expected_fixed_text() {
        assert_eq!(unexpected("a();\n", "a();"), None);
        let diff = unexpected("a();", "b();").unwrap();
        assert!(diff.contains("-a();\n+b();"), "{diff}");
    }
}
