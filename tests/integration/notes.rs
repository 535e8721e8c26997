//! Release notes, fetched from a real HTTP server on 127.0.0.1 that serves recorded
//! registry and GitHub responses, failure modes included. No test touches the internet.

use crate::http_server::{Reply, Server};
use crate::support::{run_json, TestRepo};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

pub const HISTORY: &str = "unreleased\n==========\n\n* wip\n\n5.1.0 / 2025-03-31\n==================\n\n* Add support for `Uint8Array` in `res.send()`\n* deps: body-parser@^2.2.0\n\n5.0.0 / 2024-09-10\n==================\n\n* remove:\n  - `res.sendfile` - use `res.sendFile` instead\n  - `app.del` - use `app.delete` instead\n* breaking:\n  * `res.status()` accepts only integers\n* Security: bump path-to-regexp for CVE-2024-45296\n\n5.0.0-beta.1 / 2022-02-14\n=========================\n\n* beta\n\n4.21.2 / 2024-11-06\n===================\n\n* deps: path-to-regexp@0.1.12\n";

/// A package tarball as npm publishes it: `package/` holding the given files.
pub fn tarball(files: &[(&str, &str)]) -> Vec<u8> {
    crate::http_server::targz("package", files)
}

fn packument(server: &Server, name: &str, version: &str, repository: &str) -> String {
    json!({
        "name": name,
        "versions": {
            version: {
                "name": name,
                "version": version,
                "dist": {"tarball": format!("{}/{name}/-/{name}-{version}.tgz", server.url)},
                "repository": {"type": "git", "url": repository}
            }
        }
    })
    .to_string()
}

fn express_packument(server: &Server) -> String {
    packument(
        server,
        "express",
        "5.1.0",
        "git+https://github.com/expressjs/express.git",
    )
}

pub fn serve_express(server: &Server, history: &str) {
    server.route("/express", vec![Reply::ok(express_packument(server))]);
    server.route(
        "/express/-/express-5.1.0.tgz",
        vec![Reply::ok(tarball(&[
            (
                "package.json",
                "{\"name\":\"express\",\"version\":\"5.1.0\"}",
            ),
            ("History.md", history),
        ]))],
    );
}

/// An express 4.21.2 -> 5.1.0 upgrade, committed.
fn upgraded_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("5");
    repo
}

pub fn check_online(repo: &TestRepo, server: &Server, extra_env: &[(&str, &str)]) -> Value {
    crate::network_faults::check_notes(repo, &server.url, &server.url, extra_env)
}

fn express_notes(report: &Value) -> &Value {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == "express")
        .expect("notes for express")
}

#[test]
fn notes_come_from_the_published_tarball_and_a_warm_run_asks_nothing() {
    let server = Server::start();
    serve_express(&server, HISTORY);
    let repo = upgraded_repo();
    let report = check_online(&repo, &server, &[]);
    let notes = express_notes(&report);
    assert_eq!(notes["source"], "npm registry", "{notes:#}");
    assert_eq!(notes["from"], "4.21.2");
    let versions: Vec<&str> = notes["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(
        versions,
        ["5.1.0", "5.0.0", "5.0.0-beta.1"],
        "newest first, the crossed beta included"
    );
    let v5 = &notes["versions"][1];
    assert_eq!(v5["title"], "5.0.0 / 2024-09-10");
    assert_eq!(
        v5["breaking"],
        json!([
            "`res.sendfile` - use `res.sendFile` instead",
            "`app.del` - use `app.delete` instead",
            "`res.status()` accepts only integers"
        ])
    );
    let kinds: Vec<(&str, Value)> = v5["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["kind"].as_str().unwrap(), h["apis"].clone()))
        .collect();
    assert_eq!(
        kinds[0],
        ("removal", json!(["res.sendfile", "res.sendFile"]))
    );
    assert_eq!(kinds[3].0, "security");
    assert!(notes["error"].is_null());
    // Only the direct dependency that changed: one packument, one tarball.
    assert_eq!(server.requests().len(), 2, "{:?}", server.requests());

    server.clear_requests();
    let again = check_online(&repo, &server, &[]);
    assert_eq!(express_notes(&again)["versions"], notes["versions"]);
    assert_eq!(server.requests().len(), 0, "a warm run makes no request");

    // Offline, the cache still answers.
    let (_, offline) = run_json(
        repo.bumpcheck(&[
            "check",
            "--base",
            "HEAD~1",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .env("npm_config_registry", &server.url),
    );
    assert_eq!(express_notes(&offline)["source"], "npm registry (cached)");
}

#[test]
fn server_errors_and_rate_limits_are_retried() {
    let server = Server::start();
    serve_express(&server, HISTORY);
    let body = express_packument(&server);
    server.route(
        "/express",
        vec![Reply::status(500), Reply::status(503), Reply::ok(body)],
    );
    let tgz = tarball(&[("History.md", HISTORY)]);
    server.route(
        "/express/-/express-5.1.0.tgz",
        vec![
            Reply::status(429).header("Retry-After", "1"),
            Reply::ok(tgz),
        ],
    );
    let repo = upgraded_repo();
    let started = Instant::now();
    let report = check_online(&repo, &server, &[]);
    assert_eq!(
        express_notes(&report)["source"],
        "npm registry",
        "{report:#}"
    );
    assert_eq!(server.count("/express"), 3);
    assert_eq!(server.count("/express/-/express-5.1.0.tgz"), 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After was honoured"
    );
}

#[test]
fn failures_are_reported_per_source_and_never_fail_the_check() {
    let repo = upgraded_repo();

    // Slower than the timeout. Had the timeout not applied, the reply would have come
    // and there would be no error: no wall-clock assertion needed (it flaked under load).
    let server = Server::start();
    serve_express(&server, HISTORY);
    let body = express_packument(&server);
    server.route(
        "/express",
        vec![Reply::ok(body).delay(Duration::from_secs(3))],
    );
    let report = check_online(
        &repo,
        &server,
        &[
            ("BUMPCHECK_HTTP_TIMEOUT", "0.3"),
            ("BUMPCHECK_HTTP_RETRIES", "1"),
        ],
    );
    let error = express_notes(&report)["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("npm registry:")
            && error.contains("timed out")
            && error.contains("after 2 attempts"),
        "{error}"
    );

    // A truncated body, every time.
    let server = Server::start();
    serve_express(&server, HISTORY);
    server.route(
        "/express/-/express-5.1.0.tgz",
        vec![Reply::ok(tarball(&[("History.md", HISTORY)])).truncated()],
    );
    let report = check_online(&repo, &server, &[("BUMPCHECK_HTTP_RETRIES", "1")]);
    let error = express_notes(&report)["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("express-5.1.0.tgz") && error.contains("after 2 attempts"),
        "{error}"
    );
    assert_eq!(server.count("/express/-/express-5.1.0.tgz"), 2);

    // Invalid JSON from the registry.
    let server = Server::start();
    server.route("/express", vec![Reply::ok("{\"versions\": {")]);
    let report = check_online(&repo, &server, &[]);
    let error = express_notes(&report)["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(error.contains("invalid JSON"), "{error}");
}

#[test]
fn github_releases_with_pagination_and_a_token() {
    let server = Server::start();
    serve_widget(&server);
    let first = "/repos/acme/widget/releases?per_page=100";
    let second = "/repos/acme/widget/releases?per_page=100&page=2";
    let release =
        |tag: &str, body: &str| json!({"tag_name": tag, "name": tag, "body": body, "draft": false});
    server.route(
        first,
        vec![Reply::ok(
            json!([
                release("v2.1.0", "- feat: `Widget.spin()`"),
                release("v2.0.0", "### BREAKING CHANGES\n- `Widget.turn()` removed")
            ])
            .to_string(),
        )
        .header(
            "Link",
            &format!(
                "<{}{second}>; rel=\"next\", <{}{second}>; rel=\"last\"",
                server.url, server.url
            ),
        )],
    );
    server.route(
        second,
        vec![Reply::ok(
            json!([release("v1.5.0", "- fix"), release("v1.4.0", "- old")]).to_string(),
        )],
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(".npmrc"),
        format!("registry={}/\n", server.url),
    )
    .unwrap();
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("bumpcheck");
    crate::support::isolate(&mut cmd, dir.path());
    let out = cmd
        .args(["notes", "widget", "1.4.0..2.1.0", "--format", "json"])
        .current_dir(dir.path())
        .env_remove("BUMPCHECK_OFFLINE")
        .env_remove("npm_config_registry")
        .env("GITHUB_API_URL", &server.url)
        .env("GITHUB_TOKEN", "t0ken")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let notes: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(notes["source"], "GitHub releases");
    let versions: Vec<&str> = notes["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["2.1.0", "2.0.0", "1.5.0"]);
    assert_eq!(
        notes["versions"][1]["breaking"],
        json!(["`Widget.turn()` removed"])
    );
    let api = server
        .requests()
        .into_iter()
        .find(|r| r.path == first)
        .unwrap();
    assert_eq!(api.header("Authorization"), Some("Bearer t0ken"));
    assert_eq!(server.count(second), 1, "followed the Link header");
    // The registry request had no GitHub token.
    let reg = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/widget")
        .unwrap();
    assert_eq!(reg.header("Authorization"), None);
}

#[test]
fn installed_package_is_read_first_and_untrusted_text_is_cleaned() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write(".gitignore", "node_modules/\n");
    repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let evil = HISTORY.replace("* Add support", "* \u{1b}[2J\u{1b}]0;pwned\u{7}Add support");
    repo.write(
        "node_modules/express/package.json",
        "{\"name\":\"express\",\"version\":\"5.1.0\"}",
    );
    repo.write("node_modules/express/History.md", &evil);
    let (_, report) = repo.check_json(&["--fail-on", "never"]);
    assert_eq!(report["head"]["rev"], "worktree");
    let notes = express_notes(&report);
    assert_eq!(
        notes["source"], "node_modules",
        "offline still reads what is installed: {notes:#}"
    );

    let out = repo
        .bumpcheck(&["notes", "express", "4.21.2..5.1.0"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Add support for `Uint8Array`"), "{text}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "escapes stripped: {text:?}"
    );
    assert!(
        text.contains("! removal: `res.sendfile` - use `res.sendFile` instead"),
        "{text}"
    );
    let out = repo
        .bumpcheck(&["check", "--fail-on", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("release notes: 3 versions from node_modules (5.1.0, 5.0.0, 5.0.0-beta.1)"),
        "{text}"
    );
    assert!(text.contains("removal: [5.0.0] `res.sendfile`"), "{text}");
}

/// `bumpcheck notes ARGS --format json` in `dir`, online against `server`.
pub fn notes_json(
    dir: &std::path::Path,
    server: &Server,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, Value) {
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("bumpcheck");
    crate::support::isolate(&mut cmd, &dir.join("cache"));
    cmd.arg("notes")
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &server.url)
        .env("GITHUB_API_URL", &server.url);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_json(&mut cmd)
}

/// A package `widget` whose tarball has no changelog, so GitHub is asked.
pub fn serve_widget(server: &Server) {
    let widget = "git+https://github.com/acme/widget.git";
    server.route(
        "/widget",
        vec![Reply::ok(packument(server, "widget", "2.1.0", widget))],
    );
    server.route(
        "/widget/-/widget-2.1.0.tgz",
        vec![Reply::ok(tarball(&[("package.json", "{}")]))],
    );
}

#[test]
fn github_rate_limit_beyond_the_bounded_wait_is_reported() {
    let server = Server::start();
    serve_widget(&server);
    let reset = (std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 3600)
        .to_string();
    server.route(
        "/repos/acme/widget/releases?per_page=100",
        vec![Reply::status(403)
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", &reset)],
    );
    // A secondary rate limit with a short Retry-After is waited out.
    server.route(
        "/repos/acme/widget/contents/",
        vec![
            Reply::status(403).header("Retry-After", "1"),
            Reply::ok(json!([{"name": "CHANGELOG.md", "type": "file"}]).to_string()),
        ],
    );
    server.route(
        "/repos/acme/widget/contents/CHANGELOG.md",
        vec![Reply::ok("## 2.1.0\n\n- new\n\n## 2.0.0\n\n- old\n")],
    );
    let dir = tempfile::tempdir().unwrap();
    let (_, notes) = notes_json(
        dir.path(),
        &server,
        &["widget", "2.0.0..2.1.0"],
        &[("BUMPCHECK_HTTP_MAX_WAIT", "5")],
    );
    assert_eq!(notes["source"], "GitHub changelog", "{notes:#}");
    assert_eq!(notes["versions"][0]["version"], "2.1.0");
    assert_eq!(
        server.count("/repos/acme/widget/releases?per_page=100"),
        1,
        "not waited: the reset is an hour away"
    );
    assert_eq!(server.count("/repos/acme/widget/contents/"), 2);

    // When nothing answers, the report says which source failed and why.
    server.route("/repos/acme/widget/contents/", vec![Reply::status(404)]);
    let fresh = tempfile::tempdir().unwrap();
    let (code, notes) = notes_json(fresh.path(), &server, &["widget", "2.0.0..2.1.0"], &[]);
    assert_eq!(code, Some(2));
    let error = notes["error"].as_str().unwrap();
    assert!(
        error.contains("npm registry: the tarball has no changelog file"),
        "{error}"
    );
    assert!(
        error.contains("GitHub releases:") && error.contains("rate limited"),
        "{error}"
    );
    assert!(
        error.contains("GitHub changelog:") && error.contains("HTTP 404"),
        "{error}"
    );
}
