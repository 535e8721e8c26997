//! The network failing under bumpcheck: hosts that refuse connections or never answer,
//! rate limits that never lift, artifacts that cannot be downloaded. Every server is on
//! 127.0.0.1; assertions count requests and read messages, never the clock.

use crate::http_server::{targz, Reply, Server};
use crate::support::{run_json, success, TestRepo};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A project whose npm direct dependencies `names` all go from 1.0.0 to 2.0.0, committed
/// before and after.
pub fn npm_upgrade(names: &[String]) -> TestRepo {
    let repo = TestRepo::new();
    for version in ["1.0.0", "2.0.0"] {
        let deps: serde_json::Map<String, Value> =
            names.iter().map(|n| (n.clone(), json!(version))).collect();
        let mut packages = serde_json::Map::new();
        packages.insert(
            String::new(),
            json!({"name": "app", "version": "1.0.0", "dependencies": deps}),
        );
        for n in names {
            packages.insert(format!("node_modules/{n}"), json!({"version": version}));
        }
        repo.write(
            "package.json",
            &json!({"name": "app", "version": "1.0.0", "dependencies": deps}).to_string(),
        );
        repo.write(
            "package-lock.json",
            &json!({"name": "app", "version": "1.0.0", "lockfileVersion": 3,
                    "requires": true, "packages": packages})
            .to_string(),
        );
        repo.commit(version);
    }
    repo
}

/// `check --format json` (notes for direct dependencies, the default) with the npm
/// registry at `registry` and GitHub's API at `github`.
pub fn check_notes(repo: &TestRepo, registry: &str, github: &str, env: &[(&str, &str)]) -> Value {
    success(run_json(&mut online_check(
        repo, registry, github, env, "json",
    )))
}

/// `check --format FORMAT` of the last commit, online, with the npm registry at
/// `registry` and GitHub's API at `github`.
fn online_check(
    repo: &TestRepo,
    registry: &str,
    github: &str,
    env: &[(&str, &str)],
    format: &str,
) -> assert_cmd::Command {
    let mut cmd = repo.bumpcheck(&[
        "check",
        "--base",
        "HEAD~1",
        "--format",
        format,
        "--fail-on",
        "never",
    ]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", registry)
        .env("GITHUB_API_URL", github)
        .env("BUMPCHECK_HTTP_BACKOFF_MS", "10")
        .envs(env.iter().copied());
    cmd
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("pkg{i:02}")).collect()
}

fn errors(report: &Value) -> Vec<String> {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["error"].as_str().unwrap_or("").to_string())
        .collect()
}

fn note<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["name"] == name)
        .unwrap_or_else(|| panic!("notes for {name}: {report:#}"))
}

/// Requests per package with the breaker off: 2 attempts (BUMPCHECK_HTTP_RETRIES=1).
const ENV: &[(&str, &str)] = &[
    ("BUMPCHECK_HTTP_RETRIES", "1"),
    ("BUMPCHECK_HTTP_CONCURRENCY", "2"),
];

/// At most this many attempts reach a dead host: the breaker's 3, the requests already
/// in flight when it opens (the concurrency), and a retry.
const BOUND: usize = 3 + 2 + 1;

#[test]
fn a_refused_port_is_given_up_on_after_a_few_attempts() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let repo = npm_upgrade(&names(50));
    let dead = format!("http://127.0.0.1:{port}/");
    let report = check_notes(&repo, &dead, &dead, ENV);
    let errors = errors(&report);
    assert_eq!(errors.len(), 50, "{report:#}");
    // Every package is told the host was given up on, and how many attempts that took.
    let prefix = format!("127.0.0.1:{port} unreachable: ");
    let suffix = " connection failures; not asked again this run";
    for e in &errors {
        let attempts: usize = e
            .split_once(&prefix)
            .and_then(|(_, rest)| rest.split_once(suffix))
            .and_then(|(n, _)| n.parse().ok())
            .unwrap_or_else(|| panic!("{e}"));
        assert!(attempts <= BOUND, "{e}");
    }
}

/// Fifty packages told the same thing make one line of the text and Markdown reports, not
/// fifty.
#[test]
fn a_reason_many_packages_share_is_said_once() {
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let repo = npm_upgrade(&names(50));
    let dead = format!("http://127.0.0.1:{port}/");
    for format in ["text", "markdown"] {
        let out = online_check(&repo, &dead, &dead, ENV, format)
            .output()
            .unwrap();
        let out = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = out.lines().filter(|l| l.contains("unreachable")).collect();
        // The packages asked before the breaker opened may each have their own reason.
        assert!(lines.len() <= BOUND, "{format}: {lines:#?}");
        let grouped = lines
            .iter()
            .find(|l| l.contains("and ") && l.contains(" more"))
            .unwrap_or_else(|| panic!("{format}: no grouped line in {out}"));
        if format == "text" {
            assert!(
                grouped.contains("release notes: unavailable for "),
                "{grouped}"
            );
        }
    }
}

/// A server that accepts connections and never answers, counting them.
fn black_hole() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (url, accepted)
}

#[test]
fn a_host_that_never_answers_is_given_up_on_after_a_few_attempts() {
    let (url, accepted) = black_hole();
    let repo = npm_upgrade(&names(50));
    let mut env = ENV.to_vec();
    env.push(("BUMPCHECK_HTTP_TIMEOUT", "0.3"));
    let report = check_notes(&repo, &url, &url, &env);
    let connections = accepted.load(Ordering::SeqCst);
    assert!(
        connections <= BOUND,
        "{connections} connections to a host that never answers"
    );
    let errors = errors(&report);
    let host = url.trim_start_matches("http://");
    let skipped = errors
        .iter()
        .filter(|e| e.contains(&format!("{host} unreachable")))
        .count();
    assert!(skipped >= 50 - BOUND, "{errors:#?}");
}

#[test]
fn a_rate_limit_that_never_lifts_says_so() {
    let server = Server::start();
    server.route(
        "/pkg00",
        vec![Reply::status(429).header("Retry-After", "1")],
    );
    let repo = npm_upgrade(&names(1));
    let report = check_notes(
        &repo,
        &server.url,
        &server.url,
        &[("BUMPCHECK_HTTP_RETRIES", "2")],
    );
    let error = &errors(&report)[0];
    assert!(
        error.contains("still rate limited after 2 retries (Retry-After: 1 s each time)"),
        "{error}"
    );
    assert!(!error.contains("longer than"), "{error}");
    assert_eq!(server.count("/pkg00"), 3);
}

/// A packument for `name` at 2.0.0 naming its GitHub repository and a tarball on `server`.
fn packument(server: &Server, name: &str) -> String {
    json!({
        "name": name,
        "versions": {"2.0.0": {
            "dist": {"tarball": format!("{}/{name}/-/{name}-2.0.0.tgz", server.url)},
            "repository": {"type": "git", "url": format!("git+https://github.com/acme/{name}.git")}
        }}
    })
    .to_string()
}

#[test]
fn a_tarball_that_cannot_be_read_still_leads_to_github() {
    let server = Server::start();
    let failures: Vec<(&str, Reply)> = vec![
        ("pkg00", Reply::status(404)),
        ("pkg01", Reply::status(500)),
        (
            "pkg02",
            Reply::ok(vec![0u8; 64]).delay(std::time::Duration::from_secs(2)),
        ),
        (
            "pkg03",
            Reply::ok(targz("package", &[("README.md", "x")])).truncated(),
        ),
        (
            "pkg04",
            Reply::ok(b"\x1f\x8b\x08\x00 not really gzip".to_vec()),
        ),
    ];
    let names: Vec<String> = failures.iter().map(|(n, _)| n.to_string()).collect();
    for (name, reply) in failures {
        server.route(
            &format!("/{name}"),
            vec![Reply::ok(packument(&server, name))],
        );
        server.route(&format!("/{name}/-/{name}-2.0.0.tgz"), vec![reply]);
        server.route(
            &format!("/repos/acme/{name}/releases?per_page=100"),
            vec![Reply::ok(
                json!([{"tag_name": "v2.0.0", "name": "v2.0.0", "body": "- BREAKING: `x()` removed", "draft": false}])
                    .to_string(),
            )],
        );
    }
    let repo = npm_upgrade(&names);
    let report = check_notes(
        &repo,
        &server.url,
        &server.url,
        &[
            ("BUMPCHECK_HTTP_RETRIES", "1"),
            ("BUMPCHECK_HTTP_TIMEOUT", "0.5"),
        ],
    );
    for name in &names {
        let n = note(&report, name);
        assert_eq!(n["source"], "GitHub releases", "{name}: {n:#}");
        assert_eq!(n["versions"][0]["version"], "2.0.0", "{name}: {n:#}");
    }
}

#[test]
fn a_changelog_too_large_to_read_is_named() {
    let server = Server::start();
    server.route("/pkg00", vec![Reply::ok(packument(&server, "pkg00"))]);
    let big = "## 2.0.0\n\n- change\n".repeat(9 * 1024 * 1024 / 20 + 1);
    server.route(
        "/pkg00/-/pkg00-2.0.0.tgz",
        vec![Reply::ok(targz("package", &[("CHANGELOG.md", &big)]))],
    );
    let repo = npm_upgrade(&names(1));
    let report = check_notes(&repo, &server.url, &server.url, &[]);
    let error = &errors(&report)[0];
    assert!(
        error.contains("CHANGELOG.md is in the tarball but too large to read")
            && error.contains("up to 8 MiB"),
        "{error}"
    );
    assert!(!error.contains("no changelog file"), "{error}");
}
