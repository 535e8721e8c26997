//! No secret is ever printed: registries and GitHub echo credentials back in their error
//! bodies, and URLs carry `user:password@`. A server on 127.0.0.1 echoes the
//! Authorization header and the request into 401/403/404 bodies; every output of every
//! command that reaches it is searched for every secret.

use crate::http_server::{Reply, Server};
use crate::network_faults::npm_upgrade;
use crate::support::TestRepo;
use serde_json::json;
use std::path::Path;

const NPM_TOKEN: &str = "npm_SeCrEtToken0123456789";
const GITHUB_TOKEN: &str = "ghs_GithubTokenSecret0123";
const GH_TOKEN: &str = "gho_GhTokenSecret4567";
const CORP_TOKEN: &str = "ghp_CorpTokenSecret890";
const TARBALL_PASSWORD: &str = "tarball-Pass-7788";
const REGISTRY_PASSWORD: &str = "registry-Pass-3344";

/// Base64 of `user:password`, as a Basic Authorization header carries it.
fn basic(user: &str, password: &str) -> String {
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let input = format!("{user}:{password}").into_bytes();
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                table[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out
}

fn secrets() -> Vec<String> {
    vec![
        NPM_TOKEN.into(),
        GITHUB_TOKEN.into(),
        GH_TOKEN.into(),
        CORP_TOKEN.into(),
        TARBALL_PASSWORD.into(),
        REGISTRY_PASSWORD.into(),
        basic("bob", TARBALL_PASSWORD),
        basic("dave", REGISTRY_PASSWORD),
    ]
}

fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{what} shows {secret}:\n{text}");
    }
}

/// `alpha`'s packument answers 401; `beta`'s tarball (at a URL with credentials) 404,
/// then GitHub 401 for its releases and 403 for its files; the PR comments 401.
fn echoing_server() -> Server {
    let server = Server::start();
    server.route("/alpha", vec![Reply::echo(401)]);
    let host = server.url.trim_start_matches("http://");
    let beta = json!({"name": "beta", "versions": {"2.0.0": {
        "dist": {"tarball": format!("http://bob:{TARBALL_PASSWORD}@{host}/beta/-/beta-2.0.0.tgz")},
        "repository": {"type": "git", "url": "git+https://github.com/acme/beta.git"}
    }}});
    server.route("/beta", vec![Reply::ok(beta.to_string())]);
    server.route("/beta/-/beta-2.0.0.tgz", vec![Reply::echo(404)]);
    server.route(
        "/repos/acme/beta/releases?per_page=100",
        vec![Reply::echo(401)],
    );
    server.route("/repos/acme/beta/contents/", vec![Reply::echo(403)]);
    server.route(
        "/repos/acme/shop/issues/7/comments?per_page=100",
        vec![Reply::echo(401)],
    );
    server
}

fn project(server: &Server) -> TestRepo {
    let repo = npm_upgrade(&["alpha".to_string(), "beta".to_string()]);
    let host = server.url.trim_start_matches("http://");
    repo.write(
        ".npmrc",
        &format!(
            "registry={}/\n//{host}/:_authToken={NPM_TOKEN}\n",
            server.url
        ),
    );
    repo.write(
        "bumpcheck.toml",
        "[github]\ntoken-env = \"CORP_GH_TOKEN\"\n",
    );
    repo
}

/// The command with the network on, the tokens set and the npm registry from .npmrc.
fn online(repo: &TestRepo, server: &Server, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = repo.bumpcheck(args);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env_remove("npm_config_registry")
        .env("GITHUB_API_URL", &server.url)
        .env("GITHUB_TOKEN", GITHUB_TOKEN)
        .env("GH_TOKEN", GH_TOKEN)
        .env("CORP_GH_TOKEN", CORP_TOKEN)
        .env("BUMPCHECK_HTTP_RETRIES", "0");
    cmd
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

#[test]
fn check_prints_no_secret_in_any_format_or_file() {
    let server = echoing_server();
    let repo = project(&server);
    let dir = tempfile::tempdir().unwrap();
    let (summary, output) = (
        dir.path().join("summary.md"),
        dir.path().join("report.json"),
    );
    for format in ["text", "json", "sarif", "markdown", "github"] {
        let out = online(
            &repo,
            &server,
            &[
                "check",
                "--base",
                "HEAD~1",
                "--notes",
                "direct",
                "--fail-on",
                "never",
            ],
        )
        .args(["--format", format, "--comment", "--pr", "7"])
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert_clean(&format!("{format} stdout"), &stdout);
        assert_clean(&format!("{format} stderr"), &stderr);
        assert!(
            stderr.contains("could not post the PR comment") && stderr.contains("HTTP 401"),
            "the comment failed with the echoed body: {stderr}"
        );
    }
    assert_clean("GITHUB_STEP_SUMMARY", &read(&summary));

    let out = online(
        &repo,
        &server,
        &["check", "--base", "HEAD~1", "--fail-on", "never"],
    )
    .args(["--format", "json", "--output"])
    .arg(&output)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report = read(&output);
    assert_clean("--output", &report);
    // The bodies were quoted, with the credentials masked.
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    let error = |name: &str| {
        report["notes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["name"] == name)
            .and_then(|n| n["error"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(error("alpha").contains("HTTP 401") && error("alpha").contains("Bearer ***"));
    let beta = error("beta");
    assert!(
        beta.contains("http://***@127.0.0.1") && beta.contains("Basic ***"),
        "{beta}"
    );
    assert!(
        beta.contains("GitHub releases:") && beta.contains("HTTP 401"),
        "{beta}"
    );
}

#[test]
fn notes_and_preview_print_no_secret() {
    let server = echoing_server();
    let repo = project(&server);
    let host = server.url.trim_start_matches("http://");
    let registry = format!("http://dave:{REGISTRY_PASSWORD}@{host}/");
    for format in ["text", "json"] {
        let out = online(&repo, &server, &["notes", "alpha", "1.0.0..2.0.0"])
            .args(["--format", format])
            .env("npm_config_registry", &registry)
            .output()
            .unwrap();
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_clean(&format!("notes {format} stdout"), &stdout);
        assert_clean(&format!("notes {format} stderr"), &stderr);
        assert!(
            format!("{stdout}{stderr}").contains("HTTP 401"),
            "{stdout}{stderr}"
        );
    }
    let out = online(&repo, &server, &["preview", "alpha@^2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_clean("preview stdout", &String::from_utf8_lossy(&out.stdout));
    assert_clean("preview stderr", &stderr);
    assert!(stderr.contains("HTTP 401"), "{stderr}");
}

/// A configuration error quotes the value it refuses: a URL with a password in it is
/// masked on stderr, the way every other message is.
#[test]
fn a_configuration_error_prints_no_password() {
    let repo = TestRepo::new();
    repo.write(
        "bumpcheck.toml",
        &format!(
            "[github]\napi-url = \"ftp://user:{REGISTRY_PASSWORD}@registry.example.invalid/\"\n"
        ),
    );
    repo.commit("config");
    let out = repo.bumpcheck(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("github.api-url"), "{stderr}");
    assert!(
        stderr.contains("ftp://***@registry.example.invalid/"),
        "{stderr}"
    );
    assert_clean("stderr", &stderr);
}
