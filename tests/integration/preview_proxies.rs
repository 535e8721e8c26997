//! `bumpcheck preview` for Go modules, gems and Composer packages: ranges and `latest`
//! resolved from a Go module proxy (GOPROXY), a RubyGems compact index (the Gemfile.lock's
//! remote) and a Composer repository (composer.json or bumpcheck.toml), served on
//! 127.0.0.1 with responses written by hand in the registries' formats.

use crate::http_server::{Reply, Server};
use crate::preview::fails_with_2;
use crate::support::{change, findings, run_json, TestRepo};

/// A rule of the project's own on chi 5.1 (no library rule fires within one Go module path).
const CHI_RULE: &str = r#"id: local-chi-5.1-mux
language: go
severity: warning
message: "chi 5.1 changed how routes mount"
url: https://example.invalid/notes
metadata:
  ecosystem: go
  package: github.com/go-chi/chi/v5
  from: "<5.1.0"
  to: ">=5.1.0"
rule:
  pattern: chi.NewRouter()
"#;

/// The service module (chi v5.0.10) with a file that uses chi.
fn go_service() -> TestRepo {
    let repo = TestRepo::new();
    repo.copy_fixture("go/service/before", "");
    repo.write(
        "main.go",
        "package main\n\nimport \"github.com/go-chi/chi/v5\"\n\nfunc main() {\n\tr := chi.NewRouter()\n\t_ = r\n}\n",
    );
    repo.write("rules/local-chi-5.1-mux.yml", CHI_RULE);
    repo.commit("go module");
    repo
}

#[test]
fn go_ranges_and_latest_resolve_from_goproxy() {
    let server = Server::start();
    // Upper case is escaped in the proxy path; the first proxy lacks the module.
    server.route(
        "/proxy/github.com/go-chi/chi/v5/@v/list",
        vec![Reply::ok(
            "v5.0.10\nv5.0.12\nv5.1.0\nv5.2.1\nv5.3.0-rc.1\nv5.2.2-0.20250101000000-0123456789ab\n",
        )],
    );
    let repo = go_service();
    let goproxy = format!("{0}/empty,direct,{0}/proxy", server.url);
    let run = |spec: &str| {
        let mut cmd = repo.bumpcheck(&[
            "preview", spec, "--format", "json", "--notes", "none", "--rules", "rules",
        ]);
        cmd.env_remove("BUMPCHECK_OFFLINE").env("GOPROXY", &goproxy);
        run_json(&mut cmd)
    };
    for (spec, to, code) in [
        ("go:github.com/go-chi/chi/v5@v5.0", "v5.0.12", 0),
        ("go:github.com/go-chi/chi/v5@v5.1", "v5.1.0", 0),
        ("go:github.com/go-chi/chi/v5@latest", "v5.2.1", 0),
        (
            "go:github.com/go-chi/chi/v5@>=v5.3.0-rc.0",
            "v5.3.0-rc.1",
            0,
        ),
    ] {
        let (got, report) = run(spec);
        assert_eq!(got, Some(code), "{spec}: {report:#}");
        let chi = change(&report, "github.com/go-chi/chi/v5");
        assert_eq!(chi["to"].as_str(), Some(to), "{spec}");
        let fired: Vec<String> = findings(&report).into_iter().map(|(r, _, _)| r).collect();
        let want: Vec<String> = if to.starts_with("v5.0") {
            vec![]
        } else {
            vec!["local-chi-5.1-mux".into()]
        };
        assert_eq!(fired, want, "{spec}: {report:#}");
    }
    assert!(server.count("/empty/github.com/go-chi/chi/v5/@v/list") > 0);

    let mut cmd = repo.bumpcheck(&[
        "preview",
        "go:github.com/go-chi/chi/v5@v6",
        "--notes",
        "none",
    ]);
    cmd.env_remove("BUMPCHECK_OFFLINE").env("GOPROXY", &goproxy);
    let err = fails_with_2(&mut cmd);
    assert!(
        err.contains("no version of github.com/go-chi/chi/v5 matches `v6` (newest: v5.2.1)"),
        "{err}"
    );
}

#[test]
fn go_module_paths_are_case_escaped_and_tagless_modules_use_latest() {
    let server = Server::start();
    server.route("/github.com/!burnt!sushi/toml/@v/list", vec![Reply::ok("")]);
    server.route(
        "/github.com/!burnt!sushi/toml/@latest",
        vec![Reply::ok(
            r#"{"Version":"v1.4.0","Time":"2024-06-01T00:00:00Z"}"#,
        )],
    );
    let repo = TestRepo::new();
    repo.write(
        "go.mod",
        "module example.invalid/app\n\ngo 1.21\n\nrequire github.com/BurntSushi/toml v1.3.2\n",
    );
    repo.write("go.sum", "github.com/BurntSushi/toml v1.3.2 h1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGnpq14C4YWiu/gL8=\ngithub.com/BurntSushi/toml v1.3.2/go.mod h1:CxXYINrC8qIiEnFrOxCa7Jy5BFHlXnUU2pbicEuybxQ=\n");
    repo.commit("toml");
    let to = |spec: &str| {
        let mut cmd = repo.bumpcheck(&["preview", spec, "--format", "json", "--notes", "none"]);
        cmd.env_remove("BUMPCHECK_OFFLINE")
            .env("GOPROXY", &server.url);
        let (code, report) = run_json(&mut cmd);
        assert_eq!(code, Some(0), "{report:#}");
        report["changes"][0]["to"].as_str().unwrap().to_string()
    };
    assert_eq!(to("go:github.com/BurntSushi/toml@v1"), "v1.4.0");

    // `latest` of an untagged module is the pseudo-version `@latest` names.
    server.route("/example.invalid/acme/!kit/@v/list", vec![Reply::ok("")]);
    server.route(
        "/example.invalid/acme/!kit/@latest",
        vec![Reply::ok(
            r#"{"Version":"v0.0.0-20240601120000-0123456789ab"}"#,
        )],
    );
    repo.write("go.mod", "module example.invalid/app\n\ngo 1.21\n\nrequire example.invalid/acme/Kit v0.0.0-20230101000000-aaaaaaaaaaaa\n");
    repo.write("go.sum", "");
    repo.commit("kit");
    assert_eq!(
        to("go:example.invalid/acme/Kit@latest"),
        "v0.0.0-20240601120000-0123456789ab"
    );
    // An exact pseudo-version is taken as given: no proxy lists pseudo-versions.
    let pseudo = "v0.0.0-20240701000000-bbbbbbbbbbbb";
    assert_eq!(to(&format!("go:example.invalid/acme/Kit@{pseudo}")), pseudo);
}

#[test]
fn go_without_goproxy_or_for_private_modules_asks_for_an_exact_version() {
    let server = Server::start();
    let repo = go_service();
    let spec = "go:github.com/go-chi/chi/v5@v5.1";
    let mut unset = repo.bumpcheck(&["preview", spec, "--notes", "none"]);
    unset.env_remove("BUMPCHECK_OFFLINE");
    let err = fails_with_2(&mut unset);
    assert!(err.contains("GOPROXY is not set"), "{err}");
    assert!(err.contains("exact version"), "{err}");

    let mut direct = repo.bumpcheck(&["preview", spec, "--notes", "none"]);
    direct
        .env_remove("BUMPCHECK_OFFLINE")
        .env("GOPROXY", "direct");
    let err = fails_with_2(&mut direct);
    assert!(err.contains("names no proxy"), "{err}");

    let mut private = repo.bumpcheck(&["preview", spec, "--notes", "none"]);
    private
        .env_remove("BUMPCHECK_OFFLINE")
        .env("GOPROXY", &server.url)
        .env("GOPRIVATE", "github.com/go-chi");
    let err = fails_with_2(&mut private);
    assert!(
        err.contains("matches `github.com/go-chi` in GOPRIVATE"),
        "{err}"
    );
    assert!(
        server.requests().is_empty(),
        "no proxy asked for a private module"
    );

    // An exact version needs no proxy.
    let mut exact = repo.bumpcheck(&[
        "preview",
        "go:github.com/go-chi/chi/v5@v5.1.0",
        "--format",
        "json",
        "--notes",
        "none",
    ]);
    exact.env_remove("BUMPCHECK_OFFLINE");
    let (code, report) = run_json(&mut exact);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(change(&report, "github.com/go-chi/chi/v5")["to"], "v5.1.0");
}

/// The one finding `expected` (an error: exit 1), or none (exit 0).
fn assert_fired(
    code: Option<i32>,
    report: &serde_json::Value,
    expected: Option<(&str, &str, u64)>,
    spec: &str,
) {
    let fired = findings(report);
    let want: Vec<(String, String, u64)> = expected
        .into_iter()
        .map(|(rule, path, line)| (rule.to_string(), path.to_string(), line))
        .collect();
    assert_eq!(fired, want, "{spec}");
    assert_eq!(code, Some(if want.is_empty() { 0 } else { 1 }), "{spec}");
}

/// A Rails 7.1 app whose lockfile names `remote` as its gem source, and a file that reads
/// `Rails.application.secrets` (removed in railties 7.2).
fn rails_app(remote: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write("Gemfile", "source \"https://registry.example.invalid\"\n\ngem \"rails\", \"~> 7.1\"\ngem \"pundit\", git: \"https://git.example.invalid/acme/pundit.git\"\n");
    repo.write(
        "Gemfile.lock",
        &format!(
            "GIT\n  remote: https://git.example.invalid/acme/pundit.git\n  revision: 0123456789abcdef0123456789abcdef01234567\n  specs:\n    pundit (2.3.0)\n\nGEM\n  remote: {remote}\n  specs:\n    activesupport (7.1.3)\n    rails (7.1.3)\n      activesupport (= 7.1.3)\n      railties (= 7.1.3)\n    railties (7.1.3)\n      activesupport (= 7.1.3)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  pundit!\n  rails (~> 7.1)\n\nBUNDLED WITH\n   2.5.6\n"
        ),
    );
    repo.write(
        "config/initializers/keys.rb",
        "API_KEY = Rails.application.secrets.api_key\n",
    );
    repo.commit("rails 7.1 app");
    repo
}

/// The compact index of railties: platform variants, a prerelease, no yanked version.
const RAILTIES_INFO: &str = "---\n7.1.3 activesupport:= 7.1.3|checksum:01,ruby:>= 2.7.0\n7.1.5 activesupport:= 7.1.5|checksum:02\n7.2.0.beta1 activesupport:= 7.2.0.beta1|checksum:03\n7.2.2 activesupport:= 7.2.2|checksum:04\n7.2.2-java activesupport:= 7.2.2|checksum:05\n8.0.1 activesupport:= 8.0.1|checksum:06\n";

/// `bumpcheck preview --format json SPEC` online, without release notes.
fn preview_json(repo: &TestRepo, spec: &str) -> (Option<i32>, serde_json::Value) {
    let mut cmd = repo.bumpcheck(&["preview", spec, "--format", "json", "--notes", "none"]);
    cmd.env_remove("BUMPCHECK_OFFLINE");
    run_json(&mut cmd)
}

#[test]
fn gem_ranges_and_latest_resolve_from_the_lockfile_remote() {
    let server = Server::start();
    server.route("/gems/info/railties", vec![Reply::ok(RAILTIES_INFO)]);
    let repo = rails_app(&format!("{}/gems/", server.url));
    for (spec, to, fires) in [
        ("gem:railties@~> 7.1", "7.2.2", true),
        ("gem:railties@~> 7.1.3", "7.1.5", false),
        ("gem:railties@7", "7.2.2", true),
        ("gem:railties@latest", "8.0.1", true),
        ("gem:railties@>= 7.2.0.beta1, < 7.2.0", "7.2.0.beta1", true),
    ] {
        let (code, report) = preview_json(&repo, spec);
        let railties = change(&report, "railties");
        assert_eq!(railties["to"].as_str(), Some(to), "{spec}: {report:#}");
        let expected = fires.then_some((
            "rails-7.2-secrets-removed",
            "config/initializers/keys.rb",
            1,
        ));
        assert_fired(code, &report, expected, spec);
    }
    let mut cmd = repo.bumpcheck(&["preview", "gem:railties@~> 9.0", "--notes", "none"]);
    cmd.env_remove("BUMPCHECK_OFFLINE");
    let err = fails_with_2(&mut cmd);
    assert!(
        err.contains("no version of railties matches `~> 9.0` (newest: 8.0.1)"),
        "{err}"
    );
}

#[test]
fn bumpcheck_toml_names_the_gem_source_over_the_lockfile() {
    let server = Server::start();
    server.route("/mirror/info/railties", vec![Reply::ok(RAILTIES_INFO)]);
    let repo = rails_app("https://registry.example.invalid/");
    repo.write(
        "bumpcheck.toml",
        &format!("[registries]\nrubygems = \"{}/mirror\"\n", server.url),
    );
    repo.commit("gem mirror");
    let (code, report) = preview_json(&repo, "gem:railties@~> 7.2");
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(change(&report, "railties")["to"], "7.2.2");
    assert_eq!(server.count("/mirror/info/railties"), 1);
}

#[test]
fn a_gem_without_a_source_needs_an_exact_version() {
    let repo = rails_app("https://registry.example.invalid/");
    let mut cmd = repo.bumpcheck(&["preview", "gem:pundit@~> 2.4", "--notes", "none"]);
    cmd.env_remove("BUMPCHECK_OFFLINE");
    let err = fails_with_2(&mut cmd);
    assert!(err.contains("no gem source for pundit"), "{err}");
    assert!(err.contains("registries.rubygems"), "{err}");
    let (code, report) = preview_json(&repo, "gem:pundit@2.4.0");
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(change(&report, "pundit")["to"], "2.4.0");
}

/// A Laravel 10 app whose composer.json names `repo` as a Composer repository (none when
/// `None`), with a call Laravel 11 removed.
fn laravel_app(repo: Option<&str>) -> TestRepo {
    let project = TestRepo::new();
    let repositories = repo
        .map(|url| format!(",\n  \"repositories\": [{{\"type\": \"vcs\", \"url\": \"https://git.example.invalid/acme/sdk.git\"}}, {{\"type\": \"composer\", \"url\": \"{url}\"}}]"))
        .unwrap_or_default();
    project.write(
        "composer.json",
        &format!("{{\n  \"name\": \"acme/shop\",\n  \"require\": {{\"laravel/framework\": \"^10.0\"}}{repositories}\n}}\n"),
    );
    project.write(
        "composer.lock",
        r#"{
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "0123456789abcdef0123456789abcdef",
    "packages": [
        {
            "name": "laravel/framework",
            "version": "v10.48.4",
            "source": {"type": "git", "url": "https://git.example.invalid/laravel/framework.git", "reference": "7e0701bf59cb76a51f7c1f7bea51c0c0c29c0b72"},
            "type": "library"
        }
    ],
    "packages-dev": [],
    "aliases": [],
    "minimum-stability": "stable",
    "stability-flags": [],
    "prefer-stable": true,
    "prefer-lowest": false,
    "platform": {},
    "platform-dev": [],
    "plugin-api-version": "2.6.0"
}
"#,
    );
    project.write(
        "app/Console/ListTables.php",
        "<?php\n\nnamespace App\\Console;\n\nuse Illuminate\\Support\\Facades\\Schema;\n\nfunction tables() {\n    return Schema::getAllTables();\n}\n",
    );
    project.commit("laravel 10 app");
    project
}

/// Composer 2 minified metadata: later entries repeat only what changed.
const LARAVEL_P2: &str = r#"{"minified": "composer/2.0", "packages": {"laravel/framework": [
  {"name": "laravel/framework", "description": "The Laravel Framework.", "version": "v11.31.0", "version_normalized": "11.31.0.0", "require": {"php": "^8.2"}},
  {"version": "v11.0.0", "version_normalized": "11.0.0.0"},
  {"version": "v11.0.0-RC1", "version_normalized": "11.0.0.0-RC1"},
  {"version": "v10.48.22", "version_normalized": "10.48.22.0", "require": {"php": "^8.1"}},
  {"version": "v10.48.4", "version_normalized": "10.48.4.0"},
  {"version": "v9.52.16", "version_normalized": "9.52.16.0", "description": "__unset"}
]}}"#;

#[test]
fn composer_constraints_and_latest_resolve_from_the_project_repository() {
    let server = Server::start();
    server.route(
        "/php/p2/laravel/framework.json",
        vec![Reply::ok(LARAVEL_P2)],
    );
    let repo = laravel_app(Some(&format!("{}/php/", server.url)));
    for (spec, to, fires) in [
        ("composer:laravel/framework@^11", "v11.31.0", true),
        ("composer:laravel/framework@~11.0.0", "v11.0.0", true),
        (
            "composer:laravel/framework@^10.0 || ^9.0",
            "v10.48.22",
            false,
        ),
        ("composer:laravel/framework@latest", "v11.31.0", true),
    ] {
        let (code, report) = preview_json(&repo, spec);
        let laravel = change(&report, "laravel/framework");
        assert_eq!(laravel["to"].as_str(), Some(to), "{spec}: {report:#}");
        let expected = fires.then_some((
            "laravel-11-schema-get-all-methods-removed",
            "app/Console/ListTables.php",
            8,
        ));
        assert_fired(code, &report, expected, spec);
    }
    let mut cmd = repo.bumpcheck(&[
        "preview",
        "composer:laravel/framework@^12",
        "--notes",
        "none",
    ]);
    cmd.env_remove("BUMPCHECK_OFFLINE");
    let err = fails_with_2(&mut cmd);
    assert!(
        err.contains("no version of laravel/framework matches `^12` (newest: v11.31.0)"),
        "{err}"
    );
}

#[test]
fn composer_repository_from_bumpcheck_toml_or_an_exact_version() {
    let repo = laravel_app(None);
    let mut cmd = repo.bumpcheck(&[
        "preview",
        "composer:laravel/framework@^11",
        "--notes",
        "none",
    ]);
    cmd.env_remove("BUMPCHECK_OFFLINE");
    let err = fails_with_2(&mut cmd);
    assert!(
        err.contains("no Composer repository is configured"),
        "{err}"
    );
    assert!(err.contains("registries.composer"), "{err}");
    let (code, report) = preview_json(&repo, "composer:laravel/framework@v11.0.0");
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(change(&report, "laravel/framework")["to"], "v11.0.0");

    let server = Server::start();
    server.route(
        "/mirror/p2/laravel/framework.json",
        vec![Reply::ok(LARAVEL_P2)],
    );
    repo.write(
        "bumpcheck.toml",
        &format!("[registries]\ncomposer = \"{}/mirror\"\n", server.url),
    );
    repo.commit("composer mirror");
    let (code, report) = preview_json(&repo, "composer:laravel/framework@11.*");
    assert_eq!(code, Some(1), "{report:#}");
    assert_eq!(change(&report, "laravel/framework")["to"], "v11.31.0");
}
