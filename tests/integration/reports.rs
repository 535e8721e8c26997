//! The reports a reviewer reads on an upgrade PR: SARIF (checked against the official
//! SARIF 2.1.0 schema), workflow-command annotations, the Markdown comment, the job
//! summary, and the sticky PR comment posted to a real HTTP server on 127.0.0.1.

mod action;
mod runner;

use crate::http_server::{Reply, Server};
use crate::support::{testdata, TestRepo};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const APP: &str = "const express = require('express');\nconst app = express();\napp.get('/users/:id', (request, response) => {\n  response.json({ id: request.param('id') });\n});\napp.del('/users/:id', (req, res) => res.send(204));\n";

/// express 4.21.2 -> 5.1.0 with code three rules match: (repo, base, head).
fn express_upgrade() -> (TestRepo, String, String) {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write("src/app.js", APP);
    let base = repo.commit("express 4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let head = repo.commit("express 5");
    (repo, base, head)
}

fn run(repo: &TestRepo, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut cmd = repo.bumpcheck(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn sarif_schema_errors(doc: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(testdata("sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn fingerprints(sarif: &Value) -> BTreeSet<String> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]["bumpcheck/v1"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn sarif_passes_the_official_schema_and_fingerprints_survive_moved_lines() {
    let (repo, base, _) = express_upgrade();
    let (code, out, err) = run(&repo, &["check", "--base", &base, "--format", "sarif"], &[]);
    assert_eq!(code, 1, "error findings fail by default: {err}");
    let sarif: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    // The validator does reject what the schema forbids.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = json!("fatal");
    broken["version"] = json!("2.0.0");
    assert_eq!(sarif_schema_errors(&broken).len(), 2);

    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let param = rules
        .iter()
        .find(|r| r["id"] == "express-5-req-param")
        .unwrap();
    assert_eq!(param["name"], "Express5ReqParam");
    assert_eq!(
        param["helpUri"],
        "https://expressjs.com/en/guide/migrating-5.html#req.param"
    );
    assert_eq!(param["defaultConfiguration"]["level"], "error");
    assert!(param["shortDescription"]["text"]
        .as_str()
        .unwrap()
        .contains("param()"));
    assert!(param["fullDescription"]["text"].as_str().unwrap().len() > 10);
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "express-5-req-param")
        .unwrap();
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        r["ruleId"]
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"],
        json!({"uri": "src/app.js", "uriBaseId": "%SRCROOT%"})
    );
    assert_eq!(
        loc["region"],
        json!({"startLine": 4, "startColumn": 23, "endLine": 4, "endColumn": 42,
               "snippet": {"text": "  response.json({ id: request.param('id') });"}})
    );
    assert_eq!(
        r["properties"],
        json!({"package": "express", "ecosystem": "npm", "from": "4.21.2", "to": "5.1.0",
               "kind": "major", "direct": true, "lockfile": "package-lock.json"})
    );

    // Lines added above the findings and re-indented code: same fingerprints, new lines.
    repo.write(
        "src/app.js",
        &format!(
            "// header\n'use strict';\n{}",
            APP.replace("  response", "    response")
        ),
    );
    repo.commit("moved");
    let (_, moved, _) = run(&repo, &["check", "--base", &base, "--format", "sarif"], &[]);
    let moved: Value = serde_json::from_str(&moved).unwrap();
    assert_eq!(fingerprints(&moved), fingerprints(&sarif));
    assert_eq!(
        fingerprints(&sarif).len(),
        3,
        "distinct findings, distinct fingerprints"
    );
    assert_eq!(
        moved["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        6
    );
}

const EVIL_RULE: &str = r#"id: legacy-call
language: javascript
severity: warning
message: "legacy() called with $ARG"
url: https://docs.example.invalid/legacy
metadata:
  ecosystem: npm
  package: express
  from: "<5.0.0"
  to: ">=5.0.0"
  imports: ["*"]
rule:
  pattern: legacy($ARG)
"#;

const EVIL_NOTES: &str = "5.1.0 / 2025-03-31\n==================\n\n* Thanks @everyone, fixes #42\n* <img src=x onerror=alert(1)> <script>alert(2)</script>\n* breaking:\n  * `res.status()` accepts only integers\n\n4.21.2 / 2024-11-06\n===================\n\n* old\n";

/// An uncommitted upgrade whose matched code and installed release notes are hostile.
fn hostile_upgrade() -> (TestRepo, std::path::PathBuf) {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write(".gitignore", "node_modules/\n");
    repo.write("src/legacy.js", "legacy('%0A::error::pwned\\r\\n');\n");
    repo.commit("express 4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.write(
        "node_modules/express/package.json",
        r#"{"name":"express","version":"5.1.0"}"#,
    );
    repo.write("node_modules/express/History.md", EVIL_NOTES);
    let rules = repo.path().join("node_modules/.rules");
    std::fs::create_dir_all(&rules).unwrap();
    std::fs::write(rules.join("legacy-call.yml"), EVIL_RULE).unwrap();
    (repo, rules)
}

#[test]
fn annotations_and_comment_neutralise_hostile_text() {
    let (repo, rules) = hostile_upgrade();
    let rules = rules.to_str().unwrap();
    let args = |format| ["check", "--worktree", "--rules", rules, "--format", format];
    let (code, out, err) = run(&repo, &args("github"), &[]);
    assert_eq!(code, 0, "a warning does not fail by default: {err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 1, "one finding, one command: {out}");
    assert!(
        lines[0].starts_with("::warning file=src/legacy.js,line=1,endLine=1,col=1,endColumn="),
        "{out}"
    );
    let message = lines[0].split_once("::legacy()").map(|(_, m)| m).unwrap();
    assert!(
        message.starts_with(" called with '%250A::error::pwned\\r\\n'"),
        "{out}"
    );
    assert!(
        !out.contains("%0A::"),
        "no escaped newline before a command: {out}"
    );

    let (_, md, err) = run(&repo, &args("markdown"), &[]);
    assert!(
        md.contains("@\u{200d}everyone") && md.contains("#\u{200d}42"),
        "{md}\n{err}"
    );
    assert!(
        md.contains("&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt;"),
        "{md}"
    );
    assert!(!md.contains("<img") && !md.contains("<script"), "{md}");
    assert!(!md.contains("@everyone"), "{md}");
    assert!(
        md.contains("**Breaking changes**\n\n- `5.1.0`: `res.status()` accepts only integers"),
        "{md}"
    );
}

#[test]
fn step_summary_gets_the_markdown_whatever_the_format_with_links_to_the_head() {
    let (repo, base, head) = express_upgrade();
    let summary = repo.cache.path().join("summary.md");
    let summary_s = summary.to_str().unwrap();
    let env = [
        ("GITHUB_STEP_SUMMARY", summary_s),
        ("GITHUB_SERVER_URL", "https://github.example.invalid"),
        ("GITHUB_REPOSITORY", "acme/shop"),
    ];
    let (code, out, _) = run(&repo, &["check", "--base", &base, "--format", "json"], &env);
    assert_eq!(code, 1);
    assert!(
        serde_json::from_str::<Value>(&out).is_ok(),
        "stdout stays JSON"
    );
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("<!-- bumpcheck -->\n### bumpcheck\n\n**30 packages changed** (1 direct), **3 findings** (3 errors)"), "{text}");
    let link = format!("https://github.example.invalid/acme/shop/blob/{head}/src/app.js#L4");
    assert!(text.contains(&link), "{text}");
    assert!(
        text.contains("```suggestion\n  app.delete('/users/:id', (req, res) => res.send(204));\n"),
        "{text}"
    );
    run(&repo, &["check", "--base", &base, "--format", "text"], &env);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(
        text.matches("<!-- bumpcheck -->").count(),
        2,
        "appended, not replaced"
    );
}

const LIST: &str = "/repos/acme/shop/issues/7/comments?per_page=100";
const LIST_PAGE_2: &str = "/repos/acme/shop/issues/7/comments?per_page=100&page=2";
const TOKEN: &str = "ghs_secretTokenValue123";

/// A `pull_request` event payload of the real shape (trimmed to the fields read).
pub fn pull_request_event(number: u64, base: &str, head: &str) -> Value {
    json!({
        "action": "synchronize",
        "number": number,
        "pull_request": {
            "number": number,
            "title": "Update dependency express to v5 @everyone $(touch /tmp/pwned)",
            "base": {"ref": "main", "sha": base, "repo": {"full_name": "acme/shop"}},
            "head": {"ref": "renovate/express-5.x", "sha": head, "repo": {"full_name": "acme/shop"}},
        },
        "repository": {"full_name": "acme/shop"},
    })
}

fn comment_env(repo: &TestRepo, server: &Server, base: &str, head: &str) -> Vec<(String, String)> {
    let event = repo.cache.path().join("event.json");
    std::fs::write(&event, pull_request_event(7, base, head).to_string()).unwrap();
    vec![
        ("GITHUB_TOKEN".into(), TOKEN.into()),
        ("GITHUB_REPOSITORY".into(), "acme/shop".into()),
        ("GITHUB_API_URL".into(), server.url.clone()),
        ("GITHUB_EVENT_PATH".into(), event.display().to_string()),
        ("GITHUB_ACTIONS".into(), "true".into()),
        ("BUMPCHECK_HTTP_BACKOFF_MS".into(), "10".into()),
    ]
}

fn run_env(repo: &TestRepo, args: &[&str], env: &[(String, String)]) -> (i32, String, String) {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    run(repo, args, &env)
}

fn created(id: u64) -> Reply {
    Reply {
        status: 201,
        ..Reply::ok(json!({"id": id, "html_url": format!("https://github.example.invalid/acme/shop/pull/7#issuecomment-{id}")}).to_string())
    }
}

fn requests_by(server: &Server, method: &str) -> Vec<crate::http_server::Request> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.method == method)
        .collect()
}

#[test]
fn the_comment_is_created_once_then_updated_in_place() {
    let (repo, base, head) = express_upgrade();
    let server = Server::start();
    let next = format!("<{}{LIST_PAGE_2}>; rel=\"next\"", server.url);
    let others =
        json!([{"id": 1, "body": "LGTM, but see <!-- bumpcheck --> below", "html_url": "x"}]);
    server.route(
        LIST,
        vec![Reply::ok(others.to_string()).header("Link", &next)],
    );
    let ours = json!([{"id": 42, "body": "<!-- bumpcheck -->\nan older report", "html_url": "https://github.example.invalid/acme/shop/pull/7#issuecomment-42"}]);
    server.route(
        LIST_PAGE_2,
        vec![Reply::ok("[]"), Reply::ok(ours.to_string())],
    );
    server.route("POST /repos/acme/shop/issues/7/comments", vec![created(42)]);
    server.route(
        "PATCH /repos/acme/shop/issues/comments/42",
        vec![Reply::ok(json!({"id": 42, "html_url": "u"}).to_string())],
    );
    let env = comment_env(&repo, &server, &base, &head);
    let args = ["check", "--base", &base, "--comment"];

    let (code, out, err) = run_env(&repo, &args, &env);
    assert_eq!(code, 1, "the findings decide the exit status: {err}");
    assert!(err.contains("created the PR comment"), "{err}");
    let posts = requests_by(&server, "POST");
    assert_eq!(posts.len(), 1);
    assert_eq!(
        posts[0].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    let body: Value = serde_json::from_slice(&posts[0].body).unwrap();
    let body = body["body"].as_str().unwrap();
    assert!(
        body.starts_with("<!-- bumpcheck -->\n### bumpcheck\n"),
        "{body}"
    );
    assert!(body.contains("express-5-req-param"), "{body}");
    assert_eq!(
        server.count(LIST_PAGE_2),
        1,
        "every page is read before creating"
    );
    assert!(
        !out.contains(TOKEN) && !err.contains(TOKEN),
        "the token is never printed"
    );

    server.clear_requests();
    let (code, out, err) = run_env(&repo, &args, &env);
    assert_eq!(code, 1);
    assert!(err.contains("updated the PR comment"), "{err}");
    assert_eq!(
        requests_by(&server, "POST").len(),
        0,
        "never a second comment"
    );
    let patches = requests_by(&server, "PATCH");
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].path, "/repos/acme/shop/issues/comments/42");
    let patched: Value = serde_json::from_slice(&patches[0].body).unwrap();
    assert_eq!(patched["body"].as_str(), Some(body));
    assert!(!out.contains(TOKEN) && !err.contains(TOKEN));
}

#[test]
fn a_read_only_token_or_a_failing_server_only_skips_the_comment() {
    let (repo, base, head) = express_upgrade();
    let server = Server::start();
    server.route(LIST, vec![Reply::ok("[]")]);
    let denied = Reply {
        status: 403,
        ..Reply::ok(r#"{"message":"Resource not accessible by integration"}"#)
    };
    server.route("POST /repos/acme/shop/issues/7/comments", vec![denied]);
    let env = comment_env(&repo, &server, &base, &head);
    let (code, _, err) = run_env(
        &repo,
        &["check", "--base", &base, "--comment", "--fail-on", "never"],
        &env,
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("::notice title=bumpcheck::PR comment skipped: the token may not write comments on pull request #7 (HTTP 403)"), "{err}");
    assert_eq!(
        requests_by(&server, "POST").len(),
        1,
        "a refusal is not retried"
    );

    // A server error after the request went out: not retried, as it may have been created.
    server.clear_requests();
    server.route(
        "POST /repos/acme/shop/issues/7/comments",
        vec![Reply::status(502)],
    );
    let (code, _, err) = run_env(&repo, &["check", "--base", &base, "--comment"], &env);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("::notice title=bumpcheck::could not post the PR comment"),
        "{err}"
    );
    assert_eq!(requests_by(&server, "POST").len(), 1);
    assert!(!err.contains(TOKEN));

    // No token at all: a notice, the check still runs.
    let env: Vec<(String, String)> = env
        .into_iter()
        .filter(|(k, _)| k != "GITHUB_TOKEN")
        .collect();
    let (code, _, err) = run_env(&repo, &["check", "--base", &base, "--comment"], &env);
    assert_eq!(code, 1);
    assert!(err.contains("PR comment skipped: no token"), "{err}");
}
