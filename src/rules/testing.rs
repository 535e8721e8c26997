//! Running the rules' own tests: ast-grep's valid/invalid snippets, and annotated
//! whole-file fixtures (`// ruleid: ID` before a line that must be reported, `// ok: ID`
//! before one that must not). A rule's fix is applied to each of its invalid snippets
//! and `ruleid:` fixtures and must leave code that parses and that the rule no longer
//! reports there.

use super::fixcheck::{self, BrokenFix};
use super::{language_of, Rule, RuleSet, PLACEHOLDER};
use crate::scan::imports::FileImports;
use crate::scan::matcher::match_source;
use similar::TextDiff;
use std::collections::BTreeSet;

/// What went wrong with one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Reported code that must not be reported (a false positive).
    Noisy { source: String, detail: String },
    /// Did not report code that must be (a false negative).
    Missing { source: String, detail: String },
    /// The rule's fix, applied to code the rule reports, breaks the syntax or leaves
    /// the finding; `detail` says which and shows the fixed code as a diff.
    FixBroken { source: String, detail: String },
    /// The rule lacks a required kind of test.
    Incomplete(String),
}

#[derive(Clone, Debug)]
pub struct RuleOutcome {
    pub id: String,
    pub path: String,
    pub cases: usize,
    /// How many test cases the rule's fix was applied to and checked on.
    pub fix_cases: usize,
    pub problems: Vec<Problem>,
}

impl RuleOutcome {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }

    /// `passed`, or what went wrong: `noisy` (reports code it must not), `missing` (does
    /// not report code it must), `fix-broken` (its fix breaks the code or leaves the
    /// finding), several of those joined by `+`, or `incomplete` (tests lacking).
    pub fn verdict(&self) -> String {
        let has = |f: fn(&Problem) -> bool| self.problems.iter().any(f);
        let kinds: Vec<&str> = [
            (has(|p| matches!(p, Problem::Noisy { .. })), "noisy"),
            (has(|p| matches!(p, Problem::Missing { .. })), "missing"),
            (
                has(|p| matches!(p, Problem::FixBroken { .. })),
                "fix-broken",
            ),
        ]
        .into_iter()
        .filter_map(|(has, kind)| has.then_some(kind))
        .collect();
        if !kinds.is_empty() {
            kinds.join("+")
        } else if !self.problems.is_empty() {
            "incomplete".into()
        } else {
            "passed".into()
        }
    }
}

/// The results of a test run: one outcome per rule, and problems that belong to no rule
/// (a test for an unknown rule id, an annotation naming a rule that does not apply).
#[derive(Clone, Debug, Default)]
pub struct TestRun {
    pub outcomes: Vec<RuleOutcome>,
    pub orphans: Vec<String>,
}

impl TestRun {
    pub fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| !o.passed()).count()
    }
}

/// One annotation of a fixture: the 1-based line it points at.
struct Annotation {
    rule: String,
    line: usize,
    must_report: bool,
}

fn annotations(text: &str) -> Vec<Annotation> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((must_report, ids)) = parse_annotation(line) else {
            continue;
        };
        // The annotation points at the next line that is code, past stacked annotations.
        let target = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().is_empty() && parse_annotation(lines[j]).is_none());
        if let Some(j) = target {
            for id in ids {
                out.push(Annotation {
                    rule: id,
                    line: j + 1,
                    must_report,
                });
            }
        }
    }
    out
}

fn parse_annotation(line: &str) -> Option<(bool, Vec<String>)> {
    let t = line.trim_start();
    let body = t
        .strip_prefix("//")
        .or_else(|| t.strip_prefix("/*"))
        .or_else(|| t.strip_prefix('#'))?
        .trim_start();
    let (must_report, rest) = if let Some(r) = body.strip_prefix("ruleid:") {
        (true, r)
    } else if let Some(r) = body.strip_prefix("ok:") {
        (false, r)
    } else {
        return None;
    };
    let ids = rest
        .trim_end_matches("*/")
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>();
    (!ids.is_empty()).then_some((must_report, ids))
}

/// Runs the tests of every rule in the set (or only `only`, when given).
pub fn run(set: &RuleSet, only: Option<&str>) -> TestRun {
    let mut run = TestRun::default();
    let fixtures: Vec<Fixture> = set
        .fixtures
        .iter()
        .map(|f| Fixture {
            path: &f.path,
            text: &f.text,
            notes: annotations(&f.text),
            imports: language_of(&f.path).map(|l| FileImports::read(l, &f.text)),
        })
        .collect();
    for t in &set.tests {
        if set.get(&t.id).is_none() {
            run.orphans
                .push(format!("{}: tests for unknown rule `{}`", t.path, t.id));
        }
    }
    for Fixture { path, notes, .. } in &fixtures {
        let ids: BTreeSet<&str> = notes.iter().map(|a| a.rule.as_str()).collect();
        for id in ids {
            match set.get(id) {
                None => run
                    .orphans
                    .push(format!("{path}: annotation names unknown rule `{id}`")),
                Some(rule) => {
                    let applies = language_of(path).is_some_and(|l| rule.for_language(l).is_some());
                    if !applies {
                        run.orphans.push(format!(
                            "{path}: annotation names `{id}`, which does not run on this file's language"
                        ));
                    }
                }
            }
        }
    }
    for rule in &set.rules {
        if only.is_some_and(|id| id != rule.id) {
            continue;
        }
        run.outcomes.push(test_rule(set, rule, &fixtures));
    }
    run
}

/// A whole-file fixture, read once for every rule.
struct Fixture<'a> {
    path: &'a str,
    text: &'a str,
    notes: Vec<Annotation>,
    imports: Option<FileImports>,
}

fn test_rule(set: &RuleSet, rule: &Rule, fixtures: &[Fixture]) -> RuleOutcome {
    let mut outcome = RuleOutcome {
        id: rule.id.clone(),
        path: rule.path.clone(),
        cases: 0,
        fix_cases: 0,
        problems: Vec::new(),
    };
    let config = rule
        .for_language(rule.language)
        .expect("a rule runs on its own language");
    let (mut valid, mut invalid) = (0, 0);
    for tests in set.tests.iter().filter(|t| t.id == rule.id) {
        let snippets = tests.valid.iter().chain(&tests.invalid);
        if snippets.into_iter().any(|s| s.contains(PLACEHOLDER)) {
            outcome.problems.push(Problem::Incomplete(format!(
                "{}: a snippet is still the `{PLACEHOLDER}` placeholder of `bumpcheck rules new`",
                tests.path
            )));
        }
        if !tests.fixed.is_empty() {
            if rule.fix.is_none() {
                outcome.problems.push(Problem::Incomplete(format!(
                    "{}: `fixed:` is given, but the rule has no `fix`",
                    tests.path
                )));
            } else if tests.fixed.len() != tests.invalid.len() {
                outcome.problems.push(Problem::Incomplete(format!(
                    "{}: `fixed:` has {} entries and `invalid:` {}; it must give the fixed text of each invalid snippet, in order",
                    tests.path,
                    tests.fixed.len(),
                    tests.invalid.len()
                )));
            }
        }
        for snippet in &tests.valid {
            valid += 1;
            let found = match_source(rule.language, snippet, &[config]);
            if !found.is_empty() {
                outcome.problems.push(Problem::Noisy {
                    source: format!("{} (valid snippet #{valid})", tests.path),
                    detail: mark_matches(snippet, &found),
                });
            }
        }
        for (i, snippet) in tests.invalid.iter().enumerate() {
            invalid += 1;
            let source = || format!("{} (invalid snippet #{invalid})", tests.path);
            if rule.fix.is_some() {
                outcome.fix_cases += 1;
                match fixcheck::check(rule.language, snippet, config) {
                    Err(broken) => outcome.problems.push(fix_broken(source(), &broken)),
                    Ok(got) => {
                        let expected = tests.fixed.get(i);
                        let got = got.as_deref().unwrap_or(snippet);
                        if let Some(diff) = expected.and_then(|e| fixcheck::unexpected(e, got)) {
                            outcome.problems.push(Problem::FixBroken {
                                source: source(),
                                detail: format!("the fix does not give the `fixed:` text\n{diff}"),
                            });
                        }
                    }
                }
            }
            if match_source(rule.language, snippet, &[config]).is_empty() {
                outcome.problems.push(Problem::Missing {
                    source: source(),
                    detail: format!(
                        "{}\nexpected: reported by {}\nfound:    not reported",
                        indent(snippet),
                        rule.id
                    ),
                });
            }
        }
    }
    let (mut ruleid, mut ok) = (0, 0);
    for Fixture {
        path,
        text,
        notes,
        imports,
    } in fixtures
    {
        let mine: Vec<&Annotation> = notes.iter().filter(|a| a.rule == rule.id).collect();
        if mine.is_empty() {
            continue;
        }
        let Some(config) = language_of(path).and_then(|l| rule.for_language(l).map(|c| (l, c)))
        else {
            continue;
        };
        // Fixtures are whole files, so the import scoping applies as in `check`.
        let in_scope = imports.as_ref().is_some_and(|i| rule.in_scope(i));
        let reported: BTreeSet<usize> = if in_scope {
            match_source(config.0, text, &[config.1])
                .iter()
                .map(|m| m.line)
                .collect()
        } else {
            BTreeSet::new()
        };
        if in_scope && rule.fix.is_some() && mine.iter().any(|a| a.must_report) {
            outcome.fix_cases += 1;
            if let Err(broken) = fixcheck::check(config.0, text, config.1) {
                outcome.problems.push(fix_broken(path.to_string(), &broken));
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        let verdict = |line: usize, reported: bool| {
            format!(
                "{path}:{line}: {} | {}",
                if reported {
                    "reported    "
                } else {
                    "not reported"
                },
                lines.get(line - 1).map_or("", |l| l.trim())
            )
        };
        let (mut expected, mut found) = (String::new(), String::new());
        let (mut noisy, mut missing) = (false, false);
        if mine.iter().any(|a| {
            lines
                .get(a.line - 1)
                .is_some_and(|l| l.contains(PLACEHOLDER))
        }) {
            outcome.problems.push(Problem::Incomplete(format!(
                "{path}: an annotated line is still the `{PLACEHOLDER}` placeholder of `bumpcheck rules new`"
            )));
        }
        for a in &mine {
            if a.must_report {
                ruleid += 1;
            } else {
                ok += 1;
            }
            let got = reported.contains(&a.line);
            expected.push_str(&verdict(a.line, a.must_report));
            expected.push('\n');
            found.push_str(&verdict(a.line, got));
            found.push('\n');
            noisy |= got && !a.must_report;
            missing |= !got && a.must_report;
        }
        if noisy || missing {
            let diff = TextDiff::from_lines(&expected, &found)
                .unified_diff()
                .header("expected", "found")
                .to_string();
            let source = path.to_string();
            outcome.problems.push(if noisy {
                Problem::Noisy {
                    source,
                    detail: diff,
                }
            } else {
                Problem::Missing {
                    source,
                    detail: diff,
                }
            });
        }
    }
    outcome.cases = valid + invalid + ruleid + ok;
    for (count, what) in [
        (valid, "a valid snippet (code that must not be reported)"),
        (invalid, "an invalid snippet (code that must be reported)"),
        (ruleid, "a fixture line annotated `ruleid:`"),
        (ok, "a fixture line annotated `ok:`"),
    ] {
        if count == 0 {
            outcome.problems.push(Problem::Incomplete(format!(
                "no test: needs at least {what}"
            )));
        }
    }
    outcome
}

fn fix_broken(source: String, broken: &BrokenFix) -> Problem {
    let mut detail = broken.reason.clone();
    if !broken.diff.is_empty() {
        detail.push('\n');
        detail.push_str(&broken.diff);
    }
    Problem::FixBroken { source, detail }
}

/// The snippet with `^` under each match, as a diff against the snippet itself.
fn mark_matches(snippet: &str, found: &[crate::scan::matcher::Match]) -> String {
    let mut marked = String::new();
    for (i, line) in snippet.lines().enumerate() {
        marked.push_str(line);
        marked.push('\n');
        for m in found.iter().filter(|m| m.line == i + 1) {
            let end = if m.end_line == m.line {
                m.end_column
            } else {
                line.chars().count() + 1
            };
            marked.push_str(&" ".repeat(m.column - 1));
            marked.push_str(&"^".repeat(end.saturating_sub(m.column).max(1)));
            marked.push_str(" reported here\n");
        }
    }
    let original = format!("{}\n", snippet.trim_end_matches('\n'));
    TextDiff::from_lines(&original, &marked)
        .unified_diff()
        .header("expected (not reported)", "found")
        .to_string()
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>()
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_name_every_kind_of_failure() {
        let outcome = |problems: Vec<Problem>| RuleOutcome {
            id: "r".into(),
            path: "r.yml".into(),
            cases: 1,
            fix_cases: 1,
            problems,
        };
        let broken = || Problem::FixBroken {
            source: "s".into(),
            detail: "d".into(),
        };
        let missing = || Problem::Missing {
            source: "s".into(),
            detail: "d".into(),
        };
        assert_eq!(outcome(vec![]).verdict(), "passed");
        assert_eq!(outcome(vec![broken()]).verdict(), "fix-broken");
        assert_eq!(
            outcome(vec![broken(), missing()]).verdict(),
            "missing+fix-broken"
        );
        assert_eq!(
            outcome(vec![Problem::Incomplete("no test".into())]).verdict(),
            "incomplete"
        );
        assert!(!outcome(vec![broken()]).passed());
    }

    #[test]
    fn reads_annotations() {
        let text =
            "// ruleid: a, b\n\n// ok: c\nfoo();\n# ok: d\nbar();\n/* ruleid: e */\nbaz();\n";
        let a = annotations(text);
        let got: Vec<(String, usize, bool)> = a
            .iter()
            .map(|a| (a.rule.clone(), a.line, a.must_report))
            .collect();
        assert_eq!(
            got,
            [
                ("a".into(), 4, true),
                ("b".into(), 4, true),
                ("c".into(), 4, false),
                ("d".into(), 6, false),
                ("e".into(), 8, true)
            ]
        );
    }
}
