//! `bumpcheck check` on npm projects, end to end.

use crate::support::{change, findings, TestRepo};

pub const STORY_APP: &str = r#"const express = require('express');
const { EventEmitter } = require('events');

const bus = new EventEmitter();
const app = express();

// Audit middleware: keeps every request alive in listeners that outlive it.
app.use((req, res, next) => {
  process.on('uncaughtException', () => console.error('failed during', req.url));
  bus.on('flush', () => audit(req));
  const path = req.path;
  setImmediate(() => console.log(path));
  res.on('finish', () => console.log(req.method));
  next();
});

app.get('/users/:id', (request, response) => {
  response.json({ id: request.param('id') });
});

function audit(r) {
  return r.headers;
}

app.listen(3000);
"#;

/// The story this project grew from: an express 4 app whose middleware keeps `req` in
/// long-lived closures, then a commit that bumps express to 5 in the lockfile only.
#[test]
fn story_express_4_to_5_flags_the_capturing_middleware() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write("src/app.js", STORY_APP);
    let base = repo.commit("express 4 app");
    std::fs::copy(
        crate::support::testdata("npm/express-app/v5.1.0/package-lock.json"),
        repo.path().join("package-lock.json"),
    )
    .unwrap();
    let head = repo.commit("bump express to 5 (lockfile only)");

    let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(
        code, 1,
        "an error-severity finding fails the check: {report:#}"
    );
    assert_eq!(report["schema_version"], 1);
    // The JSON contract of DESIGN.md, key for key.
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&report),
        [
            "base",
            "changes",
            "config",
            "errors",
            "findings",
            "head",
            "notes",
            "schema_version",
            "tool"
        ]
    );
    assert_eq!(report["tool"]["name"], "bumpcheck");
    assert_eq!(
        keys(&report["findings"][0]),
        [
            "column",
            "end_column",
            "end_line",
            "fix",
            "from",
            "line",
            "message",
            "package",
            "path",
            "references",
            "rule",
            "severity",
            "snippet",
            "to"
        ]
    );
    assert_eq!(
        keys(&report["changes"][0]),
        [
            "breaking",
            "direct",
            "ecosystem",
            "from",
            "kind",
            "lockfile",
            "name",
            "to"
        ]
    );
    assert_eq!(report["base"]["commit"], base.as_str());
    assert_eq!(report["head"]["commit"], head.as_str());
    let express = change(&report, "express");
    assert_eq!(express["from"], "4.21.2");
    assert_eq!(express["to"], "5.1.0");
    assert_eq!(express["kind"], "major");
    assert_eq!(express["breaking"], true);
    assert_eq!(express["direct"], true);
    assert_eq!(express["lockfile"], "package-lock.json");
    assert_eq!(change(&report, "body-parser")["direct"], false);

    let found = findings(&report);
    let lines_of = |prefix: &str| -> Vec<u64> {
        found
            .iter()
            .filter(|(rule, path, _)| rule.starts_with(prefix) && path == "src/app.js")
            .map(|(_, _, line)| *line)
            .collect()
    };
    // process.on and the module-level emitter keep `req`; the copied primitive
    // (line 12) and the per-request `res.on` (line 13) do not.
    assert_eq!(lines_of("node-http-req-escapes"), [9, 10], "{report:#}");
    assert_eq!(lines_of("express-5-req-param"), [18], "{report:#}");
    for f in report["findings"].as_array().unwrap() {
        assert_eq!(f["package"], "express");
        assert_eq!(f["from"], "4.21.2");
        assert_eq!(f["to"], "5.1.0");
        assert!(f["references"][0].as_str().unwrap().starts_with("https://"));
        assert!(f["column"].as_u64().unwrap() >= 1);
        assert!(f["end_line"].as_u64().unwrap() >= f["line"].as_u64().unwrap());
    }
    let param = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "express-5-req-param")
        .unwrap();
    assert_eq!(param["column"], 23);
    assert!(param["snippet"]
        .as_str()
        .unwrap()
        .contains("request.param('id')"));

    // The terminal report groups the findings under the change, with file:line:col.
    let out = repo
        .bumpcheck(&["check", "--base", &base, "--head", &head])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("express 4.21.2 -> 5.1.0  major, direct"),
        "{text}"
    );
    assert!(text.contains("--> src/app.js:18:23"), "{text}");
    assert!(
        text.contains("response.json({ id: request.param('id') });"),
        "{text}"
    );
    assert!(
        !text.contains("\x1b["),
        "no colour on a pipe or with NO_COLOR"
    );
}

#[test]
fn patch_bump_within_a_major_fires_no_express_5_rule() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.1", "");
    repo.write("src/app.js", STORY_APP);
    let base = repo.commit("4.21.1");
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    let head = repo.commit("4.21.2");
    let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(code, 0, "{report:#}");
    let express = change(&report, "express");
    assert_eq!(
        (express["from"].as_str(), express["to"].as_str()),
        (Some("4.21.1"), Some("4.21.2"))
    );
    assert_eq!(express["kind"], "patch");
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        0,
        "{report:#}"
    );
}

#[test]
fn commit_without_lockfile_change_reports_nothing() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    let base = repo.commit("app");
    repo.write("src/app.js", STORY_APP);
    let head = repo.commit("code only");
    let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(code, 0);
    assert_eq!(report["changes"].as_array().unwrap().len(), 0);
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
    repo.bumpcheck(&["check", "--base", &base, "--head", &head])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("No lockfile changes"));
}

#[test]
fn malformed_lockfile_is_named_and_other_lockfiles_still_reported() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.1", "services/api");
    repo.copy_fixture("npm/lockfile-v2/before", "services/cli");
    repo.write("services/api/src/app.js", STORY_APP);
    let base = repo.commit("two services");
    repo.copy_fixture("npm/malformed", "services/api");
    repo.copy_fixture("npm/lockfile-v2/after", "services/cli");
    let head = repo.commit("broken api lockfile, cli bump");

    let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(code, 0, "the other lockfile was analysed: {report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["path"], "services/api/package-lock.json");
    assert_eq!(errors[0]["rev"], head.as_str());
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("services/api/package-lock.json"),
        "{message}"
    );
    assert!(
        message.contains(&head[..12]),
        "names the revision: {message}"
    );
    assert!(
        message.contains("line 21, column 7"),
        "names the position: {message}"
    );
    assert_eq!(
        change(&report, "semver")["lockfile"],
        "services/cli/package-lock.json"
    );

    // With nothing else to analyse, the error is fatal: exit 2.
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.1", "");
    let base = repo.commit("ok");
    repo.copy_fixture("npm/malformed", "");
    let head = repo.commit("broken");
    let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(code, 2, "{report:#}");
    repo.bumpcheck(&["check", "--base", &base, "--head", &head])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("line 21, column 7"));
}

#[test]
fn fail_on_controls_the_exit_code() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    // Only a warning-level pattern: the request escapes into process.on.
    repo.write(
        "src/mw.js",
        "module.exports = (req, res, next) => {\n  process.on('exit', () => log(req));\n  next();\n};\n",
    );
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("5");
    let range = ["--base", base.as_str(), "--head", head.as_str()];
    let (code, report) = repo.check_json(&range);
    let severities: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities, ["warning"], "{report:#}");
    assert_eq!(code, 0, "default --fail-on error");
    let with = |level: &str| {
        let mut args = range.to_vec();
        args.extend(["--fail-on", level]);
        repo.check_json(&args).0
    };
    assert_eq!(with("warning"), 1);
    assert_eq!(with("info"), 1);
    assert_eq!(with("never"), 0);
    repo.bumpcheck(&["check", "--fail-on", "sometimes"])
        .assert()
        .code(2);
}

#[test]
fn handlers_named_differently_or_outside_express_files_are_found() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    // A controller module that never imports express.
    repo.write(
        "src/controllers/users.ts",
        "import type { Request, Response } from 'express';\n\nexport function show(r: Request, res: Response) {\n  res.send(r.param('id'));\n}\n",
    );
    repo.write(
        "src/controllers/plain.js",
        "exports.show = function (request, response) {\n  response.send(request.param('id'));\n};\n",
    );
    // An unrelated object's .param() in a file with no express handler.
    repo.write(
        "src/lib/url.js",
        "const u = new URLish('x');\nconsole.log(u.param('a'));\n// req.param('in a comment')\nconst s = \"req.param('in a string')\";\n",
    );
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("5");
    let (_, report) = repo.check_json(&["--base", &base, "--head", &head]);
    let param: Vec<(String, u64)> = findings(&report)
        .into_iter()
        .filter(|(rule, _, _)| rule == "express-5-req-param")
        .map(|(_, path, line)| (path, line))
        .collect();
    assert_eq!(
        param,
        [
            ("src/controllers/plain.js".to_string(), 2),
            ("src/controllers/users.ts".to_string(), 4)
        ],
        "{report:#}"
    );
}

#[test]
fn sources_in_dependencies_ignored_or_minified_files_are_skipped() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    let bad = "module.exports = (req, res) => { res.send(req.param('id')); };\n";
    repo.write("src/ok.js", bad);
    repo.write("vendor/lib.js", bad);
    repo.write("public/app.min.js", bad);
    repo.write(".gitignore", "build/\nnode_modules/\n");
    let base = repo.commit("4");
    // Generated and installed files in the work tree: ignored, or dependency folders.
    repo.write("build/out.js", bad);
    repo.write("node_modules/x/index.js", bad);
    repo.write("src/bundle.js", &format!("{}\n", bad.trim().repeat(200)));
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let (_, report) = repo.check_json(&["--base", &base, "--worktree"]);
    let paths: Vec<String> = findings(&report).into_iter().map(|f| f.1).collect();
    assert_eq!(paths, ["src/ok.js"], "{report:#}");
}

#[test]
fn extra_rule_directories_add_rules() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write(
        "src/a.js",
        "const morgan = require('morgan');\nmorgan.compile(':method');\n",
    );
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("5");
    let rules = tempfile::tempdir().unwrap();
    std::fs::write(
        rules.path().join("local-path-to-regexp.yml"),
        r#"id: local-path-to-regexp
language: javascript
severity: info
message: path-to-regexp changed; check morgan.compile
url: https://example.invalid/notes
metadata:
  ecosystem: npm
  package: path-to-regexp
  change: major
  imports: ["*"]
rule:
  pattern: morgan.compile($$$)
"#,
    )
    .unwrap();
    let dir = rules.path().to_str().unwrap();
    let (code, report) = repo.check_json(&["--base", &base, "--head", &head, "--rules", dir]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&report),
        [(
            "local-path-to-regexp".to_string(),
            "src/a.js".to_string(),
            2
        )]
    );
    assert_eq!(report["findings"][0]["package"], "path-to-regexp");
}

#[test]
fn lockfiles_over_the_size_limit_are_refused_clearly() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("5");
    let (code, report) =
        repo.check_json(&["--base", &base, "--head", &head, "--max-lockfile-size", "0"]);
    assert_eq!(code, 2, "nothing else to analyse: {report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "both revisions refused: {report:#}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("package-lock.json") && message.contains("over the limit of 0 MiB"),
        "{message}"
    );
    assert!(message.contains("--max-lockfile-size"), "{message}");
    let (code, report) =
        repo.check_json(&["--base", &base, "--head", &head, "--max-lockfile-size", "1"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["errors"].as_array().unwrap().is_empty());
}

/// A baseline records today's findings; later runs report only new ones, even after
/// unrelated edits move the old ones to other lines.
#[test]
fn baseline_survives_lines_inserted_above_a_finding() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write(
        "src/h.js",
        "module.exports = (req, res) => {\n  res.send(req.param('id'));\n};\n",
    );
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("5");
    let baseline = repo.cache.path().join("bumpcheck-baseline.json");
    let b = baseline.to_str().unwrap();
    let out = repo
        .bumpcheck(&[
            "check",
            "--base",
            &base,
            "--write-baseline",
            b,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    assert_eq!(recorded["version"], 1);
    assert_eq!(recorded["findings"][0]["rule"], "express-5-req-param");
    assert_eq!(recorded["findings"][0]["line"], 2);

    // Three lines above the old finding, re-indented, and one new finding.
    repo.write(
        "src/h.js",
        "// a comment\n// another\nconst x = 1;\nmodule.exports = (req, res) => {\n    res.send(req.param('id'));\n};\nexports.b = (req, res) => res.send(req.param('name'));\n",
    );
    repo.commit("edits");
    let out = repo
        .bumpcheck(&[
            "check",
            "--base",
            &base,
            "--baseline",
            b,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        findings(&report),
        [("express-5-req-param".to_string(), "src/h.js".to_string(), 7)],
        "{report:#}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 findings already in the baseline"));
    assert_eq!(
        out.status.code(),
        Some(1),
        "the new finding still fails the check"
    );

    std::fs::write(&baseline, "{not json").unwrap();
    repo.bumpcheck(&["check", "--base", &base, "--baseline", b])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read the baseline"))
        .stderr(predicates::str::contains("bumpcheck-baseline.json"));
}

/// `bumpcheck-ignore: RULE -- reason` on or above a line hides its finding; one without a
/// reason, or one that hides nothing, is itself reported; the hidden ones are counted.
#[test]
fn inline_suppressions_in_javascript_and_typescript() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write(
        "src/a.js",
        "const express = require('express');\nmodule.exports = (req, res) => {\n  // bumpcheck-ignore: express-5-req-param -- a shim restores req.param\n  res.send(req.param('id'));\n  res.send(req.param('x')); // bumpcheck-ignore: express-5-req-param\n  // bumpcheck-ignore: express-5-app-del -- nothing here\n  const y = 1;\n  res.send(req.param('kept'));\n};\n",
    );
    repo.write(
        "src/b.ts",
        "/* bumpcheck-ignore: express-5-req-param -- reviewed */\nexport const h = (req: any, res: any) => res.send(req.param('q'));\n",
    );
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("5");
    let (_, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(
        findings(&report),
        [
            (
                "bumpcheck-suppression-without-reason".to_string(),
                "src/a.js".to_string(),
                5
            ),
            (
                "bumpcheck-unused-suppression".to_string(),
                "src/a.js".to_string(),
                6
            ),
            ("express-5-req-param".to_string(), "src/a.js".to_string(), 8),
        ],
        "{report:#}"
    );
    assert_eq!(report["suppressed"], 3);
}

/// A rule runs only on files that import its package (`metadata.imports`, by default the
/// package itself); rules marked `imports: ["*"]` (handler signatures) run on every file.
#[test]
fn rules_are_scoped_to_files_that_import_the_package() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    let routes = "module.exports = (app) => {\n  app.del('/a', h);\n};\n";
    repo.write("src/koa-routes.js", routes);
    repo.write(
        "src/express-routes.js",
        &format!(
            "// require('express') in a comment\nconst express = require('express');\n{routes}"
        ),
    );
    repo.write(
        "src/not-imported.js",
        &format!("const s = \"require('express')\";\n{routes}"),
    );
    repo.write(
        "src/handler.js",
        "exports.show = (req, res) => res.send(req.param('id'));\n",
    );
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("5");
    let (_, report) = repo.check_json(&["--base", &base, "--head", &head]);
    let found = findings(&report);
    let at = |rule: &str, path: &str, line: u64| (rule.to_string(), path.to_string(), line);
    assert!(
        found.contains(&at("express-5-app-del", "src/express-routes.js", 4)),
        "{found:?}"
    );
    assert!(
        found.contains(&at("express-5-req-param", "src/handler.js", 1)),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|f| f.1 == "src/koa-routes.js" || f.1 == "src/not-imported.js"),
        "{found:?}"
    );
}
