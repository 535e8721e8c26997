//! `bumpcheck preview`: target versions resolved from registries served on 127.0.0.1
//! (an npm packument recorded in testdata/registry, a cargo sparse index, a PEP 691
//! Python index), findings and notes as `check` gives them, and the equivalence with
//! `check --worktree` once the upgrade is really made.

use crate::http_server::{Reply, Server};
use crate::notes::{tarball, HISTORY};
use crate::notes_cargo_pypi::versions;
use crate::support::{change, findings, run_json, testdata, TestRepo};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// An express 4.21.2 app whose code several express 5 rules and the request-capturing
/// rule match.
const APP: &str = r#"const express = require('express');
const { EventEmitter } = require('events');

const bus = new EventEmitter();
const app = express();

app.use((req, res, next) => {
  bus.on('flush', () => console.log(req.url));
  next();
});

app.get('/users/:id', (req, res) => {
  res.json({ id: req.param('id') });
});

app.del('/users/:id', (req, res) => res.sendStatus(204));

app.listen(3000);
"#;

/// Rule ids and lines the upgrade to express 5 must report in `APP`.
const EXPECTED: [(&str, u64); 3] = [
    ("node-http-req-escapes-listener", 8),
    ("express-5-req-param", 13),
    ("express-5-app-del", 16),
];

fn express_app() -> TestRepo {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write("src/app.js", APP);
    repo.commit("express 4 app");
    repo
}

/// The recorded express packument, its tarball URLs pointing at `server`.
fn serve_packument(server: &Server) {
    let recorded = std::fs::read_to_string(testdata("registry/npm/express.json")).unwrap();
    let doc = recorded.replace("https://registry.example.invalid", &server.url);
    server.route(
        "/express",
        vec![Reply::ok(doc).header("ETag", "\"express-1\"")],
    );
}

/// `bumpcheck preview --format json ARGS` against `server` as the npm registry.
fn preview_online(repo: &TestRepo, server: &Server, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["preview", "--format", "json"];
    all.extend_from_slice(args);
    let mut cmd = repo.bumpcheck(&all);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &server.url)
        .env("GITHUB_API_URL", &server.url)
        .env("BUMPCHECK_HTTP_BACKOFF_MS", "10");
    run_json(&mut cmd)
}

fn rule_lines(report: &Value) -> Vec<(String, u64)> {
    findings(report)
        .into_iter()
        .filter(|(_, path, _)| path == "src/app.js")
        .map(|(rule, _, line)| (rule, line))
        .collect()
}

fn expected() -> Vec<(String, u64)> {
    EXPECTED.iter().map(|(r, l)| (r.to_string(), *l)).collect()
}

/// `bumpcheck preview --offline --format json ARGS`, with no registry anywhere.
fn preview_offline(repo: &TestRepo, args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["preview", "--offline", "--format", "json"];
    all.extend_from_slice(args);
    run_json(&mut repo.bumpcheck(&all))
}

/// stderr of a command that must fail with status 2.
pub fn fails_with_2(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty(), "nothing on stdout: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn ranges_and_tags_resolve_from_the_configured_registry() {
    let server = Server::start();
    serve_packument(&server);
    let repo = express_app();
    for spec in ["express@5", "express@^5.1", "express@latest", "express"] {
        let (code, report) = preview_online(&repo, &server, &[spec, "--notes", "none"]);
        assert_eq!(code, Some(1), "{spec}: error findings fail: {report:#}");
        assert_eq!(report["changes"].as_array().unwrap().len(), 1, "{report:#}");
        let express = change(&report, "express");
        assert_eq!(express["from"], "4.21.2", "{spec}");
        assert_eq!(
            express["to"], "5.1.0",
            "{spec}: 5.2 betas and rcs are not taken"
        );
        assert_eq!(express["kind"], "major");
        assert_eq!(express["direct"], true);
        assert_eq!(express["lockfile"], "package-lock.json");
        assert_eq!(report["base"]["rev"], "worktree");
        assert_eq!(report["head"]["rev"], "preview");
        assert_eq!(rule_lines(&report), expected(), "{spec}");
    }
    // A range that names a prerelease, a dist-tag, a patch range.
    for (spec, to) in [
        ("express@>=5.0.0-beta.1 <5.0.0", "5.0.0-beta.3"),
        ("express@next", "5.0.0-beta.3"),
        ("express@~5.0.0", "5.0.1"),
    ] {
        let (_, report) = preview_online(&repo, &server, &[spec, "--notes", "none"]);
        assert_eq!(change(&report, "express")["to"], to, "{spec}: {report:#}");
    }
    // The packument is revalidated with its ETag, and the lockfile is untouched.
    let revalidated = server
        .requests()
        .iter()
        .filter(|r| r.header("If-None-Match") == Some("\"express-1\""))
        .count();
    assert!(revalidated > 0, "{:?}", server.requests());
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn release_notes_for_the_range_come_with_the_preview() {
    let server = Server::start();
    serve_packument(&server);
    server.route(
        "/express/-/express-5.1.0.tgz",
        vec![Reply::ok(tarball(&[
            (
                "package.json",
                "{\"name\":\"express\",\"version\":\"5.1.0\"}",
            ),
            ("History.md", HISTORY),
        ]))],
    );
    let repo = express_app();
    let (code, report) = preview_online(&repo, &server, &["express@5", "--fail-on", "never"]);
    assert_eq!(code, Some(0), "--fail-on never: {report:#}");
    let notes = &report["notes"][0];
    assert_eq!(notes["name"], "express", "{report:#}");
    assert_eq!(
        (notes["from"].as_str(), notes["to"].as_str()),
        (Some("4.21.2"), Some("5.1.0"))
    );
    assert_eq!(notes["source"], "npm registry");
    let versions = versions(notes);
    assert_eq!(versions[..2], ["5.1.0", "5.0.0"], "{notes:#}");
    assert!(
        !versions.contains(&"4.21.2".to_string()),
        "the current version's notes are not news"
    );
}

/// The key property: what preview reports is what `check` reports once the upgrade is
/// made (the lockfile and package.json npm 11 wrote for `npm install express@5`, left
/// uncommitted in the work tree).
#[test]
fn preview_equals_check_after_the_real_upgrade() {
    let server = Server::start();
    serve_packument(&server);
    let repo = express_app();
    let (_, preview) = preview_online(&repo, &server, &["express@5", "--notes", "none"]);

    repo.copy_fixture("npm/express-app/v5.1.0", "");
    assert!(!repo.git(&["status", "--porcelain"]).is_empty());
    let (code, check) = repo.check_json(&["--worktree", "--notes", "none"]);
    assert_eq!(code, 1, "{check:#}");
    assert_eq!(change(&check, "express")["to"], "5.1.0");
    assert!(
        check["changes"].as_array().unwrap().len() > 1,
        "check sees the transitive bumps too"
    );

    let set = |r: &Value| findings(r).into_iter().collect::<BTreeSet<_>>();
    assert!(!set(&preview).is_empty());
    assert_eq!(set(&preview), set(&check));
    let columns = |r: &Value| -> Vec<(u64, u64)> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["column"].as_u64().unwrap(),
                    f["end_column"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(columns(&preview), columns(&check));

    // Now the work tree has express 5; --head previews from the commit instead.
    let out = repo
        .bumpcheck(&["preview", "express@5.1.0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already at 5.1.0"));
    let (_, from_head) = preview_offline(&repo, &["express@5.1.0", "--head", "HEAD"]);
    assert_eq!(change(&from_head, "express")["from"], "4.21.2");
    assert_eq!(from_head["base"]["rev"], "HEAD");
    assert_eq!(set(&from_head), set(&check));
}

#[test]
fn offline_takes_an_exact_version_and_refuses_ranges_and_tags() {
    let repo = express_app();
    // No server at all: the isolated environment points every endpoint at a closed port.
    let (code, report) = preview_offline(&repo, &["express@5.1.0"]);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(change(&report, "express")["to"], "5.1.0");
    assert_eq!(rule_lines(&report), expected());

    for spec in ["express@5", "express@^5.1", "express@latest"] {
        let err = fails_with_2(&mut repo.bumpcheck(&["preview", "--offline", spec]));
        assert!(err.contains(&format!("`{spec}`")), "{err}");
        assert!(err.contains("offline, only an exact version"), "{err}");
    }
    // BUMPCHECK_OFFLINE (set by the test harness) is offline too.
    let err = fails_with_2(&mut repo.bumpcheck(&["preview", "express@5"]));
    assert!(err.contains("offline"), "{err}");

    // The other formats, --output and --fail-on, as check has them.
    let exact = |extra: &[&str]| {
        let mut args = vec!["preview", "--offline", "express@5.1.0"];
        args.extend_from_slice(extra);
        repo.bumpcheck(&args).output().unwrap()
    };
    let sarif = repo.path().join("preview.sarif");
    let sarif_arg = sarif.to_str().unwrap();
    let out = exact(&[
        "--format",
        "sarif",
        "--fail-on",
        "never",
        "--output",
        sarif_arg,
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(sarif).unwrap()).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        EXPECTED.len()
    );
    let out = exact(&["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("`worktree` → `preview`"));

    // Already there: nothing to report, and it says so.
    let out = repo
        .bumpcheck(&["preview", "express@4.21.2"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("express is already at 4.21.2 in package-lock.json"));
}

#[test]
fn bad_specs_unknown_packages_and_missing_versions_exit_2() {
    let server = Server::start();
    serve_packument(&server);
    let repo = express_app();
    for (spec, says) in [
        ("express@", "no version after `@`"),
        ("yarn:express@5", "unknown ecosystem prefix `yarn:`"),
        ("express@>=<5", "invalid version range"),
    ] {
        let err = fails_with_2(&mut repo.bumpcheck(&["preview", spec]));
        assert!(
            err.contains(&format!("`{spec}`")) && err.contains(says),
            "{spec}: {err}"
        );
    }
    let err = fails_with_2(&mut repo.bumpcheck(&["preview", "left-pad@1.3.0"]));
    assert!(
        err.contains("left-pad is in no lockfile of the work tree"),
        "{err}"
    );
    let err = fails_with_2(&mut repo.bumpcheck(&["preview", "cargo:express@1.0.0"]));
    assert!(err.contains("express is in no cargo lockfile"), "{err}");

    // Online: a version the registry does not have names the newest it does.
    let mut cmd = repo.bumpcheck(&["preview", "express@6"]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &server.url);
    let err = fails_with_2(&mut cmd);
    assert!(
        err.contains("no version of express matches `6`") && err.contains("(newest: 5.1.0)"),
        "{err}"
    );
    let mut cmd = repo.bumpcheck(&["preview", "express@5.9.9"]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &server.url);
    assert!(fails_with_2(&mut cmd).contains("matches `5.9.9`"));
    // A registry that fails says which URL.
    let broken = Server::start();
    broken.route("/express", vec![Reply::status(404)]);
    let mut cmd = repo.bumpcheck(&["preview", "express@5"]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &broken.url);
    let err = fails_with_2(&mut cmd);
    assert!(
        err.contains(&format!("{}/express: HTTP 404", broken.url)),
        "{err}"
    );
}

/// A monorepo: one change per lockfile that holds the package, each scanned in its own
/// folder, and a name found in two ecosystems' lockfiles must be prefixed.
#[test]
fn every_lockfile_holding_the_package_gets_its_change() {
    let repo = TestRepo::new();
    for service in ["services/api", "services/web"] {
        repo.copy_fixture("npm/express-app/v4.21.2", service);
        repo.write(&format!("{service}/src/app.js"), APP);
    }
    repo.copy_fixture("pypi/pip-compile/before", "tools");
    repo.commit("two services");
    let (code, report) = preview_offline(&repo, &["express@5.1.0"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        lockfiles_of(&report),
        [
            "services/api/package-lock.json",
            "services/web/package-lock.json"
        ]
    );
    let paths: BTreeSet<String> = findings(&report).into_iter().map(|(_, p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "services/api/src/app.js".to_string(),
            "services/web/src/app.js".to_string()
        ]
        .into()
    );
    assert_eq!(findings(&report).len(), 2 * EXPECTED.len());

    // `idna` is pinned by the Python tools; give it an npm twin to make the name ambiguous.
    let lock = repo.path().join("services/api/package-lock.json");
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&lock).unwrap()).unwrap();
    doc["packages"]["node_modules/idna"] = json!({"version": "0.1.0"});
    std::fs::write(&lock, doc.to_string()).unwrap();
    let err = fails_with_2(&mut repo.bumpcheck(&["preview", "--offline", "idna@3.21.0"]));
    assert!(
        err.contains("several ecosystems") && err.contains("npm:idna@3.21.0"),
        "{err}"
    );
    let (_, report) = preview_offline(&repo, &["pypi:idna@3.21.0"]);
    // requirements-dev.txt pulls in requirements.txt (`-r`): both pin idna.
    assert_eq!(
        lockfiles_of(&report),
        ["tools/requirements-dev.txt", "tools/requirements.txt"]
    );
    assert_eq!(change(&report, "idna")["from"], "3.20");
}

fn lockfiles_of(report: &Value) -> Vec<&str> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["lockfile"].as_str().unwrap())
        .collect()
}

#[test]
fn cargo_ranges_resolve_from_a_sparse_index_named_by_source_replacement() {
    let server = Server::start();
    let line = |v: &str, yanked: bool| {
        json!({"name": "anyhow", "vers": v, "deps": [], "cksum": "00", "features": {}, "yanked": yanked})
            .to_string()
    };
    let index = ["1.0.80", "1.0.85", "1.0.86", "1.0.87", "2.0.0-rc.1"]
        .iter()
        .map(|v| line(v, *v == "1.0.87"))
        .collect::<Vec<_>>()
        .join("\n");
    server.route("/index/an/yh/anyhow", vec![Reply::ok(index)]);
    let repo = TestRepo::new();
    repo.copy_fixture("cargo/v3/before", "");
    repo.commit("anyhow 1.0.80");
    let home = tempfile::tempdir().unwrap();
    std::fs::write(
        home.path().join("config.toml"),
        format!(
            "[source.crates-io]\nreplace-with = \"mirror\"\n\n[source.mirror]\nregistry = \"sparse+{}/index/\"\n",
            server.url
        ),
    )
    .unwrap();
    let run = |spec: &str| {
        let mut cmd = repo.bumpcheck(&["preview", spec, "--format", "json", "--notes", "none"]);
        cmd.env_remove("BUMPCHECK_OFFLINE")
            .env("CARGO_HOME", home.path());
        run_json(&mut cmd)
    };
    for (spec, to) in [
        ("cargo:anyhow@1.0", "1.0.86"),
        ("anyhow@latest", "1.0.86"),
        ("cargo:anyhow@~1.0.80", "1.0.86"),
    ] {
        let (code, report) = run(spec);
        assert_eq!(code, Some(0), "{report:#}");
        let anyhow = change(&report, "anyhow");
        assert_eq!(
            (anyhow["from"].as_str(), anyhow["to"].as_str()),
            (Some("1.0.80"), Some(to)),
            "{spec}"
        );
        assert_eq!(anyhow["kind"], "patch");
        assert_eq!(anyhow["direct"], true);
    }
    let (_, report) = run("cargo:anyhow@2.0.0-rc.1");
    assert_eq!(change(&report, "anyhow")["kind"], "major");
}

#[test]
fn python_ranges_resolve_from_the_configured_index() {
    let server = Server::start();
    let file = |name: &str, yanked: bool| json!({"filename": name, "url": format!("/files/{name}"), "hashes": {}, "yanked": yanked});
    let page = json!({
        "meta": {"api-version": "1.1"},
        "name": "flask",
        "files": [
            file("Flask-2.3.3.tar.gz", false),
            file("flask-3.0.0-py3-none-any.whl", false),
            file("flask-3.0.0.tar.gz", false),
            file("flask-3.0.3-py3-none-any.whl", false),
            file("flask-3.1.0-py3-none-any.whl", true),
            file("flask-4.0.0rc1-py3-none-any.whl", false)
        ]
    });
    server.route("/simple/flask/", vec![Reply::ok(page.to_string())]);
    let repo = TestRepo::new();
    repo.copy_fixture("pypi/pip-compile/before", "");
    repo.commit("flask 2");
    for (spec, to) in [
        ("pypi:flask@3", "3.0.3"),
        ("pypi:Flask@>=3,<3.0.3", "3.0.0"),
        ("flask@latest", "3.0.3"),
    ] {
        let mut cmd = repo.bumpcheck(&["preview", spec, "--format", "json", "--notes", "none"]);
        cmd.env_remove("BUMPCHECK_OFFLINE")
            .env("PIP_INDEX_URL", format!("{}/simple", server.url));
        let (code, report) = run_json(&mut cmd);
        assert_eq!(code, Some(0), "{report:#}");
        let flask = change(&report, "flask");
        assert_eq!(
            (flask["from"].as_str(), flask["to"].as_str()),
            (Some("2.3.3"), Some(to)),
            "{spec}"
        );
        assert_eq!(
            lockfiles_of(&report),
            ["requirements-dev.txt", "requirements.txt"]
        );
    }
    let accept = server.requests()[0]
        .header("Accept")
        .unwrap_or_default()
        .to_string();
    assert!(
        accept.starts_with("application/vnd.pypi.simple.v1+json"),
        "{accept}"
    );
}

#[test]
fn go_without_goproxy_takes_an_exact_version_on_trust() {
    let repo = TestRepo::new();
    repo.copy_fixture("go/service/before", "");
    repo.commit("go module");
    let online = |spec: &str| {
        let mut cmd = repo.bumpcheck(&["preview", spec, "--format", "json", "--notes", "none"]);
        cmd.env_remove("BUMPCHECK_OFFLINE");
        cmd
    };
    let err = fails_with_2(&mut online("go:github.com/go-chi/chi/v5@v5.1"));
    assert!(err.contains("GOPROXY is not set"), "{err}");
    // An exact version needs no registry, online or not.
    let (code, report) = run_json(&mut online("go:github.com/go-chi/chi/v5@v5.1.0"));
    assert_eq!(code, Some(0), "{report:#}");
    let chi = change(&report, "github.com/go-chi/chi/v5");
    assert_eq!(
        (chi["from"].as_str(), chi["to"].as_str()),
        (Some("v5.0.10"), Some("v5.1.0"))
    );
    assert_eq!(chi["kind"], "minor");
}

/// The registry and its token come from the project's .npmrc, as npm reads them.
#[test]
fn the_project_npmrc_names_the_registry_and_its_token() {
    let server = Server::start();
    serve_packument(&server);
    let repo = express_app();
    let host = server.url.trim_start_matches("http:");
    repo.write(
        ".npmrc",
        &format!(
            "registry={}/\n{host}/:_authToken=${{NPM_TOKEN}}\n",
            server.url
        ),
    );
    let mut cmd = repo.bumpcheck(&[
        "preview",
        "express@^5",
        "--format",
        "json",
        "--notes",
        "none",
    ]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env_remove("npm_config_registry")
        .env("NPM_TOKEN", "s3cret");
    let (code, report) = run_json(&mut cmd);
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(change(&report, "express")["to"], "5.1.0");
    let asked = &server.requests()[0];
    assert_eq!(asked.path, "/express");
    assert_eq!(asked.header("Authorization"), Some("Bearer s3cret"));
}
