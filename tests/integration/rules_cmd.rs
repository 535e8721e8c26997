//! `bumpcheck rules ...`, and the built-in library's own tests.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::str::contains;

/// Every built-in rule passes its snippet tests and annotated fixtures, and has each
/// kind of test, a reference and a compiled-in language (`cargo test` runs the library's
/// tests through the same command users run).
#[test]
fn builtin_rule_library_passes_its_tests() {
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["rules", "test"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains(" 0 failed"), "{text}");
    assert!(text.contains("passed  express-5-req-param"), "{text}");
}

#[test]
fn list_and_explain() {
    cargo_bin_cmd!("bumpcheck")
        .args(["rules", "list"])
        .assert()
        .code(0)
        .stdout(contains("express-5-req-param"))
        .stdout(contains("npm:express <5.0.0 -> >=5.0.0"));
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["rules", "list", "--format", "json"])
        .output()
        .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() >= 10);
    assert!(rows
        .iter()
        .all(|r| r["url"].as_str().unwrap().starts_with("https://")));
    cargo_bin_cmd!("bumpcheck")
        .args(["rules", "explain", "express-5-req-param"])
        .assert()
        .code(0)
        .stdout(contains("fires on: npm:express <5.0.0 -> >=5.0.0"))
        .stdout(contains("runs on:  every file of the lockfile's folder"))
        .stdout(contains("see:      https://"))
        .stdout(contains("reported:"));
    cargo_bin_cmd!("bumpcheck")
        .args(["rules", "explain", "req-param"])
        .assert()
        .code(2)
        .stderr(contains("did you mean: express-5-req-param"));
}

const RULE: &str = r#"id: no-eval
language: javascript
severity: warning
message: eval
url: https://example.invalid/eval
metadata:
  ecosystem: npm
  package: left-pad
  change: major
  imports: ["*"]
rule:
  pattern: eval($X)
"#;

#[test]
fn failing_tests_show_the_snippet_and_a_diff() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("no-eval.yml"), RULE).unwrap();
    std::fs::write(
        p.join("no-eval-test.yml"),
        "id: no-eval\nvalid:\n  - |\n    const x = 1;\n    eval(x);\ninvalid:\n  - window.evaluate(y)\n",
    )
    .unwrap();
    std::fs::write(
        p.join("fixture.js"),
        "// ruleid: no-eval\nnotEval(1);\n// ok: no-eval\neval(2);\n",
    )
    .unwrap();
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["rules", "test", p.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("noisy+missing no-eval"), "{text}");
    // The valid snippet with the reported range marked.
    assert!(text.contains("+^^^^^^^ reported here"), "{text}");
    assert!(text.contains("window.evaluate(y)"), "{text}");
    assert!(text.contains("expected: reported by no-eval"), "{text}");
    // The fixture as a diff of expected against found verdicts.
    assert!(
        text.contains("-") && text.contains("fixture.js:2: reported     | notEval(1);"),
        "{text}"
    );
    assert!(
        text.contains("+") && text.contains("fixture.js:4: reported     | eval(2);"),
        "{text}"
    );
    assert!(text.contains("1 rule: 0 passed, 1 failed"), "{text}");
}

#[test]
fn validate_names_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("bad-window.yml"),
        RULE.replace("no-eval", "bad-window")
            .replace("change: major", "from: \"<<5\"\n  to: \">=5\""),
    )
    .unwrap();
    std::fs::write(
        p.join("no-url.yml"),
        RULE.replace("no-eval", "no-url")
            .replace("url: https://example.invalid/eval\n", ""),
    )
    .unwrap();
    std::fs::write(
        p.join("java-rule.yml"),
        RULE.replace("no-eval", "java-rule")
            .replace("javascript", "java"),
    )
    .unwrap();
    std::fs::write(p.join("misnamed.yml"), RULE).unwrap();
    std::fs::write(p.join("untested.yml"), RULE.replace("no-eval", "untested")).unwrap();
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["rules", "validate", p.to_str().unwrap()])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("bad-window.yml:9:9: `metadata.from`: invalid version range `<<5`"),
        "{text}"
    );
    assert!(text.contains("no-url.yml: `url`: missing `url`"), "{text}");
    assert!(
        text.contains(
            "java-rule.yml:2:11: `language`: language `java` is not compiled into this build"
        ),
        "{text}"
    );
    assert!(
        text.contains("misnamed.yml:1:5: `id`: rule id `no-eval` does not match the file name"),
        "{text}"
    );
    assert!(text.contains("invalid untested"), "{text}");
    assert!(
        text.contains("no test: needs at least a valid snippet"),
        "{text}"
    );
}

/// Completions and the man page come from the same definitions as the command line, and
/// every subcommand's --help shows an example.
#[test]
fn completions_man_page_and_examples_in_help() {
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["completions", "bash"])
        .output()
        .unwrap();
    let bash = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && bash.contains("--fail-on") && bash.contains("--max-lockfile-size"),
        "{bash}"
    );
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["completions", "zsh"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("#compdef bumpcheck"));
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["completions", "man"])
        .output()
        .unwrap();
    let man = String::from_utf8_lossy(&out.stdout);
    for page in [
        "bumpcheck",
        "bumpcheck-check",
        "bumpcheck-diff",
        "bumpcheck-notes",
        "bumpcheck-rules",
    ] {
        assert!(
            man.contains(&format!(".TH {page} 1")),
            "{page} in the man page"
        );
    }
    for sub in ["check", "diff", "notes", "packages", "completions"] {
        let out = cargo_bin_cmd!("bumpcheck")
            .args([sub, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("Examples:\n  bumpcheck "),
            "{sub} --help shows an example: {help}"
        );
    }
    for sub in ["list", "test", "validate", "explain", "new", "scan"] {
        let out = cargo_bin_cmd!("bumpcheck")
            .args(["rules", sub, "--help"])
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Examples:"),
            "rules {sub}"
        );
    }
}

/// docs/rules.md is what `rules list --format markdown` prints for the built-in library,
/// so the catalogue cannot fall behind the rule files.
#[test]
fn the_rules_catalogue_in_docs_is_current() {
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["rules", "list", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains("## npm\n") && printed.contains("| `express-5-app-del` |"));
    assert!(
        printed.contains("[source](https://expressjs.com/"),
        "{printed}"
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md");
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    if on_disk != printed {
        let diff = similar::TextDiff::from_lines(&on_disk, &printed)
            .unified_diff()
            .header("docs/rules.md", "rules list --format markdown")
            .to_string();
        panic!(
            "docs/rules.md is stale; regenerate it with\n  {}\n{diff}",
            bumpcheck::rules::catalogue::REGENERATE
        );
    }
}

/// A rule directory with one rule, `no-eval` with `fix`, and its tests: snippets
/// (`fixed:` when given) and a fixture.
fn fix_rule_dir(fix: &str, fixed: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("no-eval.yml"), format!("{RULE}fix: {fix:?}\n")).unwrap();
    let fixed = fixed.map_or(String::new(), |f| format!("fixed:\n  - {f:?}\n"));
    std::fs::write(
        p.join("no-eval-test.yml"),
        format!("id: no-eval\nvalid:\n  - run(x)\ninvalid:\n  - eval(x)\n{fixed}"),
    )
    .unwrap();
    std::fs::write(
        p.join("fixture.js"),
        "// ruleid: no-eval\neval(a);\n// ok: no-eval\nrun(b);\n",
    )
    .unwrap();
    dir
}

fn rules_test(dir: &std::path::Path, json: bool) -> (Option<i32>, String) {
    let mut cmd = cargo_bin_cmd!("bumpcheck");
    cmd.args(["rules", "test", dir.to_str().unwrap()])
        .env("NO_COLOR", "1");
    if json {
        cmd.args(["--format", "json"]);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn rules_test_checks_that_fixes_fix() {
    // A fix that rewrites the call into code the rule does not report passes, with its
    // expected text; the JSON counts the fix cases (the snippet and the fixture).
    let good = fix_rule_dir("run($X)", Some("run(x)"));
    let (code, text) = rules_test(good.path(), false);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("passed  no-eval"), "{text}");
    let (code, json) = rules_test(good.path(), true);
    assert_eq!(code, Some(0), "{json}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["rules"][0]["fix_cases"], 2, "{json}");
    assert_eq!(json["summary"]["fix_broken"], 0, "{json}");

    // A fix whose output does not parse: the snippet, the fixed text as a diff, why.
    let unparsable = fix_rule_dir("run(($X)", None);
    let (code, text) = rules_test(unparsable.path(), false);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("fix-broken no-eval"), "{text}");
    assert!(
        text.contains("no-eval-test.yml (invalid snippet #1): the fix does not fix it"),
        "{text}"
    );
    assert!(text.contains("the fixed file does not parse"), "{text}");
    assert!(
        text.contains("-eval(x)") && text.contains("+run((x)"),
        "{text}"
    );
    assert!(
        text.contains("fixture.js: the fix does not fix it"),
        "{text}"
    );
    assert!(text.contains("1 fix-broken"), "{text}");

    // A fix that the rule still reports.
    let still = fix_rule_dir("eval(String($X))", None);
    let (code, json) = rules_test(still.path(), true);
    assert_eq!(code, Some(1), "{json}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rule = &json["rules"][0];
    assert_eq!(rule["status"], "fix-broken", "{json}");
    assert_eq!(rule["problems"][0]["kind"], "fix-broken", "{json}");
    let detail = rule["problems"][0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("the rule still reports the fixed code (line 1: eval(String(x)))"),
        "{detail}"
    );
    assert!(detail.contains("+eval(String(x))"), "{detail}");
    assert_eq!(json["summary"]["fix_broken"], 1, "{json}");

    // A good fix whose output is not the test's `fixed:` text.
    let other = fix_rule_dir("run($X)", Some("execute(x)"));
    let (code, text) = rules_test(other.path(), false);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("the fix does not give the `fixed:` text"),
        "{text}"
    );
    assert!(
        text.contains("-execute(x)") && text.contains("+run(x)"),
        "{text}"
    );
}
