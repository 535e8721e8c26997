//! `bumpcheck check --fix` and `--fix --dry-run` on real repositories: an express 4 app
//! whose lockfile moves to express 5.

use crate::support::{findings, TestRepo};
use std::path::Path;

const APP: &str = "const express = require('express');
const app = express();

app.del('/users/:id', (req, res) => res.send(204));
app.del('/items/:id', (req, res) => res.json({ id: req.param('id') }));
app.listen(3000);
";

/// What the built-in fixes (express-5-app-del, express-5-res-send-status) make of APP.
const FIXED: &str = "const express = require('express');
const app = express();

app.delete('/users/:id', (req, res) => res.sendStatus(204));
app.delete('/items/:id', (req, res) => res.json({ id: req.param('id') }));
app.listen(3000);
";

/// An express 4 app with `files`, then a commit that moves the lockfile to express 5:
/// (repo, base commit).
fn express_upgrade(files: &[(&str, &str)]) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    for (path, content) in files {
        repo.write(path, content);
    }
    let base = repo.commit("express 4 app");
    std::fs::copy(
        crate::support::testdata("npm/express-app/v5.1.0/package-lock.json"),
        repo.path().join("package-lock.json"),
    )
    .unwrap();
    repo.commit("bump express to 5");
    (repo, base)
}

/// A rule directory with one rule per (id, pattern, fix), fired by express's major upgrade.
fn rule_dir(rules: &[(&str, &str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (id, pattern, fix) in rules {
        std::fs::write(
            dir.path().join(format!("{id}.yml")),
            format!(
                "id: {id}\nlanguage: javascript\nseverity: warning\nmessage: local rule {id}\n\
                 url: https://docs.example.invalid/{id}\nmetadata:\n  ecosystem: npm\n  \
                 package: express\n  change: major\n  imports: [\"*\"]\nrule:\n  pattern: {pattern}\nfix: {fix:?}\n"
            ),
        )
        .unwrap();
    }
    dir
}

/// `bumpcheck check ARGS`: (exit code, stdout, stderr).
fn run(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check", "--notes", "none"];
    all.extend_from_slice(args);
    let out = repo.bumpcheck(&all).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn read(repo: &TestRepo, path: &str) -> String {
    std::fs::read_to_string(repo.path().join(path)).unwrap()
}

fn rules_of(report: &serde_json::Value) -> Vec<String> {
    findings(report).into_iter().map(|f| f.0).collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(not(unix))]
fn mode(_: &Path) -> u32 {
    0
}

#[test]
fn fix_rewrites_the_work_tree_and_a_recheck_finds_only_what_has_no_fix() {
    let (repo, base) = express_upgrade(&[("src/app.js", APP)]);
    let app = repo.path().join("src/app.js");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&app, std::fs::Permissions::from_mode(0o750)).unwrap();
    }
    let mode_before = mode(&app);
    let (before_code, before, _) = run(&repo, &["--base", &base, "--format", "json"]);
    assert_eq!(before_code, 1);
    let mut rules_before = rules_of(&json(&before));
    rules_before.sort();
    assert_eq!(
        rules_before,
        [
            "express-5-app-del",
            "express-5-app-del",
            "express-5-req-param",
            "express-5-res-send-status"
        ]
    );

    let (code, stdout, stderr) = run(&repo, &["--base", &base, "--fix", "--format", "json"]);
    assert!(stderr.contains("applied 3 fixes in 1 file"), "{stderr}");
    assert_eq!(read(&repo, "src/app.js"), FIXED);
    assert_eq!(mode(&app), mode_before, "permissions kept");
    let leftover: Vec<_> = std::fs::read_dir(repo.path().join("src"))
        .unwrap()
        .collect();
    assert_eq!(leftover.len(), 1, "no temporary file left");
    // The fixed findings are gone; the one without a fix moved 3 columns right
    // (`del` became `delete` before it on its line) and still fails the check.
    let report = json(&stdout);
    assert_eq!(
        findings(&report),
        [(
            "express-5-req-param".to_string(),
            "src/app.js".to_string(),
            5
        )]
    );
    assert_eq!(code, 1, "{stdout}");

    let (recheck_code, recheck, _) =
        run(&repo, &["--base", &base, "--worktree", "--format", "json"]);
    let recheck = json(&recheck);
    assert_eq!(recheck_code, 1);
    assert_eq!(findings(&recheck), findings(&report));
    for key in ["line", "column", "end_line", "end_column", "snippet"] {
        assert_eq!(
            recheck["findings"][0][key], report["findings"][0][key],
            "{key}: the report after --fix agrees with a fresh check"
        );
    }
    assert_eq!(report["findings"][0]["column"], 55);
}

#[test]
fn dry_run_prints_a_diff_git_applies_and_changes_nothing() {
    let (repo, base) = express_upgrade(&[("src/app.js", APP)]);
    let (code, stdout, stderr) = run(&repo, &["--base", &base, "--fix", "--dry-run"]);
    assert_eq!(code, 1, "nothing was fixed, so the findings still count");
    assert!(
        stderr.contains("would apply 3 fixes in 1 file (dry run: no file was changed)"),
        "{stderr}"
    );
    assert_eq!(read(&repo, "src/app.js"), APP, "unchanged");
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(
        stdout.starts_with("--- a/src/app.js\n+++ b/src/app.js\n@@ -1,6 +1,6 @@\n"),
        "{stdout}"
    );
    for line in [
        "-app.del('/users/:id', (req, res) => res.send(204));",
        "+app.delete('/users/:id', (req, res) => res.sendStatus(204));",
        " app.listen(3000);",
    ] {
        assert!(stdout.lines().any(|l| l == line), "{line}: {stdout}");
    }
    // A valid unified diff: git applies it, and the result is what --fix writes.
    let patch = repo.cache.path().join("fix.patch");
    std::fs::write(&patch, &stdout).unwrap();
    repo.git(&["apply", "--check", patch.to_str().unwrap()]);
    repo.git(&["apply", patch.to_str().unwrap()]);
    assert_eq!(read(&repo, "src/app.js"), FIXED);
}

#[test]
fn overlapping_edits_apply_the_first_and_report_the_others() {
    let source = "const log = require('./log');\nconsole.log(wrap(1));\nconsole.log(2);\n";
    let (repo, base) = express_upgrade(&[("src/log.js", source)]);
    let rules = rule_dir(&[
        ("local-outer", "console.log($X)", "logger.info($X)"),
        ("local-inner", "wrap($N)", "wrapped($N)"),
    ]);
    let dir = rules.path().to_str().unwrap();
    let (code, stdout, stderr) = run(
        &repo,
        &["--base", &base, "--rules", dir, "--fix", "--format", "json"],
    );
    assert!(stderr.contains("applied 2 fixes in 1 file"), "{stderr}");
    assert!(
        stderr.contains(
            "skipped local-inner at src/log.js:2: its edit overlaps the fix of local-outer on line 2"
        ),
        "{stderr}"
    );
    assert_eq!(
        read(&repo, "src/log.js"),
        "const log = require('./log');\nlogger.info(wrap(1));\nlogger.info(2);\n"
    );
    let report = json(&stdout);
    assert_eq!(
        findings(&report),
        [("local-inner".to_string(), "src/log.js".to_string(), 2)],
        "the skipped fix's finding stays"
    );
    assert_eq!(
        report["findings"][0]["column"], 13,
        "at `wrap` in the new text"
    );
    assert_eq!(report["findings"][0]["snippet"], "logger.info(wrap(1));");
    assert_eq!(code, 0, "warnings do not fail the default check");
}

#[test]
fn a_fix_that_breaks_the_syntax_is_rolled_back() {
    let source = "console.log(1);\n";
    let (repo, base) = express_upgrade(&[("src/a.js", source), ("src/b.js", "wrap(2);\n")]);
    let rules = rule_dir(&[
        ("local-broken", "console.log($X)", "console.log(($X"),
        ("local-fine", "wrap($N)", "wrapped($N)"),
    ]);
    let dir = rules.path().to_str().unwrap();
    let (_, stdout, stderr) = run(
        &repo,
        &["--base", &base, "--rules", dir, "--fix", "--format", "json"],
    );
    assert!(
        stderr.contains("rolled back src/a.js: the fixed file does not parse"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixes not applied: local-broken (line 1)"),
        "{stderr}"
    );
    assert!(stderr.contains("applied 1 fix in 1 file"), "{stderr}");
    assert_eq!(read(&repo, "src/a.js"), source, "left as it was");
    assert_eq!(
        read(&repo, "src/b.js"),
        "wrapped(2);\n",
        "the other file is fixed"
    );
    assert_eq!(
        findings(&json(&stdout)),
        [("local-broken".to_string(), "src/a.js".to_string(), 1)]
    );
}

/// With --head REV the findings are REV's: a work-tree file that differs from REV is
/// not touched; one identical to it is fixed.
#[test]
fn with_head_a_commit_only_files_identical_to_it_are_fixed() {
    let (repo, base) = express_upgrade(&[("src/app.js", APP), ("src/other.js", APP)]);
    let edited = format!("// local edit\n{APP}");
    repo.write("src/other.js", &edited);
    let (_, _, stderr) = run(&repo, &["--base", &base, "--head", "HEAD", "--fix"]);
    assert!(
        stderr.contains("not fixed src/other.js: the work tree's copy differs from HEAD ("),
        "{stderr}"
    );
    assert!(stderr.contains("applied 3 fixes in 1 file"), "{stderr}");
    assert_eq!(read(&repo, "src/other.js"), edited);
    assert_eq!(read(&repo, "src/app.js"), FIXED);
}

#[test]
fn dry_run_needs_fix() {
    let (repo, base) = express_upgrade(&[("src/app.js", APP)]);
    let (code, _, stderr) = run(&repo, &["--base", &base, "--dry-run"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--fix"), "{stderr}");
}

/// What the report would not show is not fixed: suppressed and baselined findings.
#[test]
fn suppressed_and_baselined_findings_are_not_fixed() {
    let old = "const app = require('express')();\napp.del('/old', h);\n";
    let (repo, base) = express_upgrade(&[("src/app.js", old)]);
    let baseline = repo.cache.path().join("baseline.json");
    let b = baseline.to_str().unwrap();
    let (code, _, stderr) = run(&repo, &["--base", &base, "--write-baseline", b]);
    assert_eq!(code, 1, "{stderr}");
    let kept = "app.del('/kept', h); // bumpcheck-ignore: express-5-app-del -- a shim keeps del";
    let now = format!("{old}{kept}\napp.del('/new', h);\n");
    repo.write("src/app.js", &now);
    let (code, stdout, stderr) = run(
        &repo,
        &[
            "--base",
            &base,
            "--baseline",
            b,
            "--fix",
            "--format",
            "json",
        ],
    );
    assert!(stderr.contains("applied 1 fix in 1 file"), "{stderr}");
    assert_eq!(
        read(&repo, "src/app.js"),
        format!("{old}{kept}\napp.delete('/new', h);\n")
    );
    let report = json(&stdout);
    assert_eq!(findings(&report), [], "{report:#}");
    assert_eq!(report["suppressed"], 1);
    assert_eq!(code, 0);
}
