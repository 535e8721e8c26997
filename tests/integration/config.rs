//! `bumpcheck.toml`: found at the repository root and named in every report, overridden
//! by flags, applied to rules, paths and release notes, refused with file:line:column
//! and the key when wrong; and `bumpcheck init`, which writes a starter that loads.

use crate::check_npm::STORY_APP;
use crate::http_server::Server;
use crate::support::{findings, run_json, testdata, TestRepo};
use serde_json::Value;

/// The story app (two listener findings, warnings, and one `req.param` error) before and
/// after express 4 -> 5, with `files` written into both commits.
fn upgrade(files: &[(&str, &str)]) -> (TestRepo, String) {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write("src/app.js", STORY_APP);
    for (path, text) in files {
        repo.write(path, text);
    }
    let base = repo.commit("express 4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("express 5");
    (repo, base)
}

fn check(repo: &TestRepo, base: &str, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["--base", base];
    all.extend_from_slice(args);
    repo.check_json(&all)
}

/// (exit code, stdout, stderr).
fn run(repo: &TestRepo, args: &[&str]) -> (i32, String, String) {
    let out = repo.bumpcheck(args).output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn rules_of(report: &Value) -> Vec<String> {
    let mut r: Vec<String> = findings(report).into_iter().map(|(r, _, _)| r).collect();
    r.dedup();
    r
}

fn severity_of<'a>(report: &'a Value, rule: &str) -> &'a str {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding: {report:#}"))["severity"]
        .as_str()
        .unwrap()
}

#[test]
fn the_file_at_the_root_is_found_and_every_report_names_it() {
    let (repo, base) = upgrade(&[]);
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(code, 1, "the req.param error fails the check by default");
    assert_eq!(report["config"], Value::Null);

    // Not committed: the file is read from the work tree, whatever the revisions.
    repo.write("bumpcheck.toml", "fail-on = \"never\"\n");
    let (code, report) = check(&repo, &base, &["--head", "HEAD"]);
    assert_eq!(code, 0, "fail-on = never: {report:#}");
    assert_eq!(report["config"], "bumpcheck.toml");

    let (_, text, _) = run(&repo, &["check", "--base", &base, "--head", "HEAD"]);
    assert!(
        text.lines().nth(1) == Some("configuration: bumpcheck.toml"),
        "{text}"
    );
    let (_, md, _) = run(&repo, &["check", "--base", &base, "--format", "markdown"]);
    assert!(
        md.contains("<sub>bumpcheck 0.1.0, configuration `bumpcheck.toml`</sub>"),
        "{md}"
    );
    let (_, sarif, _) = run(&repo, &["check", "--base", &base, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["configurationFile"],
        "bumpcheck.toml"
    );
    assert_eq!(
        crate::reports::sarif_schema_errors(&sarif),
        Vec::<String>::new()
    );

    // From a subfolder, the root's file is still the one.
    let mut cmd = repo.bumpcheck(&["check", "--format", "json", "--base", &base]);
    std::fs::create_dir_all(repo.path().join("src/deep")).unwrap();
    cmd.current_dir(repo.path().join("src/deep"));
    let (code, report) = run_json(&mut cmd);
    assert_eq!(
        (code, &report["config"]),
        (Some(0), &Value::from("bumpcheck.toml"))
    );
}

#[test]
fn the_dot_file_works_and_both_at_once_is_an_error_naming_them() {
    let (repo, base) = upgrade(&[(".bumpcheck.toml", "fail-on = \"never\"\n")]);
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(
        (code, &report["config"]),
        (0, &Value::from(".bumpcheck.toml"))
    );

    repo.write("bumpcheck.toml", "fail-on = \"never\"\n");
    let (code, out, err) = run(&repo, &["check", "--base", &base]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("both bumpcheck.toml and .bumpcheck.toml are at the repository root"),
        "{err}"
    );
}

#[test]
fn flags_override_the_file() {
    let (repo, base) = upgrade(&[("bumpcheck.toml", "fail-on = \"never\"\n")]);
    let (code, report) = check(&repo, &base, &["--fail-on", "error"]);
    assert_eq!(code, 1, "--fail-on beats the file: {report:#}");
    let (code, _) = check(&repo, &base, &["--fail-on", "warning"]);
    assert_eq!(code, 1);

    let (code, report) = check(&repo, &base, &["--no-config"]);
    assert_eq!((code, &report["config"]), (1, &Value::Null));

    // --config names another file, which is then the one reported.
    repo.write(
        "ci/strict.toml",
        "fail-on = \"warning\"\n[rules]\ndisable = [\"express-5-req-param\"]\n",
    );
    let (code, report) = check(&repo, &base, &["--config", "ci/strict.toml"]);
    assert_eq!(code, 1, "warnings fail under the strict file: {report:#}");
    assert_eq!(report["config"], "ci/strict.toml");
    let (code, out, err) = run(&repo, &["check", "--config", "ci/nothing.toml"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("--config ci/nothing.toml: no such file"),
        "{err}"
    );
}

#[test]
fn disabled_rules_are_gone_and_re_graded_ones_change_the_exit_code() {
    let (repo, base) = upgrade(&[]);
    let (_, report) = check(&repo, &base, &[]);
    assert_eq!(
        rules_of(&report),
        ["node-http-req-escapes-listener", "express-5-req-param"]
    );
    assert_eq!(severity_of(&report, "express-5-req-param"), "error");

    repo.write(
        "bumpcheck.toml",
        "[rules]\ndisable = [\"node-http-req-escapes-listener\"]\n",
    );
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(rules_of(&report), ["express-5-req-param"]);
    assert_eq!(code, 1);

    repo.write(
        "bumpcheck.toml",
        "[rules.severity]\nexpress-5-req-param = \"warning\"\nnode-http-req-escapes-listener = \"error\"\n",
    );
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(severity_of(&report, "express-5-req-param"), "warning");
    assert_eq!(
        severity_of(&report, "node-http-req-escapes-listener"),
        "error"
    );
    assert_eq!(code, 1);
    repo.write(
        "bumpcheck.toml",
        "[rules.severity]\nexpress-5-req-param = \"info\"\n",
    );
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(code, 0, "no error left: {report:#}");
    let (code, _) = check(&repo, &base, &["--fail-on", "info"]);
    assert_eq!(code, 1);
    // SARIF describes the rule at its new level.
    let (_, sarif, _) = run(&repo, &["check", "--base", &base, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "express-5-req-param")
        .unwrap();
    assert_eq!(rule["defaultConfiguration"]["level"], "note");
}

#[test]
fn an_unknown_rule_id_is_reported_with_its_position_and_the_run_goes_on() {
    let (repo, base) = upgrade(&[(
        "bumpcheck.toml",
        "[rules]\ndisable = [\n  \"express-5-req-parm\",\n]\n",
    )]);
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(code, 1, "the findings still count: {report:#}");
    assert_eq!(report["errors"][0]["path"], "bumpcheck.toml");
    assert_eq!(
        report["errors"][0]["message"],
        "bumpcheck.toml:3:3: `rules.disable[0]`: no rule has the id `express-5-req-parm` (did you mean `express-5-req-param`?)"
    );
    assert!(rules_of(&report).contains(&"express-5-req-param".to_string()));
}

#[test]
fn excluded_paths_are_not_scanned_and_their_lockfiles_not_read() {
    let (repo, base) = upgrade(&[
        ("legacy/app.js", STORY_APP),
        (
            "bumpcheck.toml",
            "exclude = [\"legacy/\", \"fixtures/**\"]\n",
        ),
    ]);
    // A second project under an excluded path, upgraded in the same commit.
    repo.copy_fixture("npm/express-app/v4.21.1", "fixtures/old-app");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "--amend", "--no-edit"]);
    let (_, report) = check(&repo, &base, &[]);
    let paths: Vec<String> = findings(&report).into_iter().map(|(_, p, _)| p).collect();
    assert!(!paths.is_empty());
    assert!(paths.iter().all(|p| p == "src/app.js"), "{paths:?}");
    let lockfiles: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["lockfile"].as_str().unwrap())
        .collect();
    assert!(
        lockfiles.iter().all(|l| *l == "package-lock.json"),
        "{lockfiles:?}"
    );

    // `diff` leaves the excluded lockfile out too, and an uncommitted edit under an
    // excluded path does not turn the comparison to the work tree.
    let diffed = repo.diff_json(&base, "HEAD");
    assert!(diffed["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["lockfile"] == "package-lock.json"));
    repo.copy_fixture("npm/express-app/v4.21.2", "fixtures/old-app");
    let (_, report) = check(&repo, &base, &[]);
    assert_eq!(report["head"]["rev"], "HEAD");
    let (_, report) = check(&repo, &base, &["--no-config"]);
    assert_eq!(report["head"]["rev"], "worktree");

    // Without the file, both are there: the test above can fail.
    let (_, report) = check(&repo, &base, &["--no-config"]);
    let paths: Vec<String> = findings(&report).into_iter().map(|(_, p, _)| p).collect();
    assert!(paths.contains(&"legacy/app.js".to_string()));
    assert!(report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["lockfile"] == "fixtures/old-app/package-lock.json"));
}

const TEAM_RULE: &str = r#"id: team-no-listen-literal
language: javascript
severity: warning
message: Read the port from the configuration
url: https://docs.example.invalid/ports
metadata:
  ecosystem: npm
  package: express
  change: major
rule:
  pattern: $APP.listen(3000)
"#;

#[test]
fn rule_folders_are_relative_to_the_file_and_add_to_the_flag() {
    let (repo, base) = upgrade(&[
        ("ci/team-rules/team-no-listen-literal.yml", TEAM_RULE),
        ("ci/bumpcheck.toml", "[rules]\ndirs = [\"team-rules\"]\n"),
    ]);
    let (_, report) = check(&repo, &base, &[]);
    assert!(!rules_of(&report).contains(&"team-no-listen-literal".to_string()));
    let (_, report) = check(&repo, &base, &["--config", "ci/bumpcheck.toml"]);
    assert!(
        findings(&report).contains(&(
            "team-no-listen-literal".to_string(),
            "src/app.js".to_string(),
            25
        )),
        "{report:#}"
    );
    assert_eq!(report["errors"], Value::Array(Vec::new()));
}

/// The names of the packages the report has notes for.
fn noted(report: &Value) -> Vec<&str> {
    report["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["name"].as_str().unwrap())
        .collect()
}

#[test]
fn notes_always_asks_for_a_transitive_package() {
    let (repo, base) = upgrade(&[]);
    let (_, report) = check(&repo, &base, &[]);
    assert_eq!(noted(&report), ["express"], "direct only, by default");

    // The wrong ecosystem matches nothing; an unprefixed name matches any.
    repo.write(
        "bumpcheck.toml",
        "[notes]\nalways = [\"cargo:body-parser\"]\n",
    );
    let (_, report) = check(&repo, &base, &[]);
    assert_eq!(noted(&report), ["express"]);
    repo.write(
        "bumpcheck.toml",
        "[notes]\nalways = [\"npm:body-parser\", \"send\"]\n",
    );
    let (_, report) = check(&repo, &base, &[]);
    let mut names = noted(&report);
    names.sort();
    assert_eq!(names, ["body-parser", "express", "send"]);

    repo.write(
        "bumpcheck.toml",
        "[notes]\nmode = \"none\"\nalways = [\"send\"]\n",
    );
    let (_, report) = check(&repo, &base, &[]);
    assert_eq!(noted(&report), Vec::<&str>::new());
    let (_, report) = check(&repo, &base, &["--notes", "direct"]);
    assert_eq!(
        noted(&report),
        ["express", "send"],
        "--notes beats notes.mode"
    );
}

#[test]
fn the_npm_registry_of_the_file_is_where_notes_come_from() {
    let server = Server::start();
    crate::notes::serve_express(&server, crate::notes::HISTORY);
    let (repo, base) = upgrade(&[]);
    repo.write(
        "bumpcheck.toml",
        &format!("[registries]\nnpm = \"{}\"\n", server.url),
    );
    let mut cmd = repo.bumpcheck(&["check", "--format", "json", "--base", &base]);
    // The isolation's registry variable would win over the file: leave it out, and
    // `npm` off the PATH, so that a file not applied cannot mean npm's own registry.
    let no_npm = repo.path().join(".empty-path");
    std::fs::create_dir_all(&no_npm).unwrap();
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env_remove("npm_config_registry")
        .env("PATH", &no_npm)
        .env("BUMPCHECK_HTTP_RETRIES", "0");
    let (_, report) = run_json(&mut cmd);
    let express = &report["notes"][0];
    assert_eq!(express["source"], "npm registry", "{express:#}");
    assert!(server.count("/express") >= 1);

    // `bumpcheck notes` in the repository reads the same file.
    let mut cmd = repo.bumpcheck(&["notes", "express", "4.21.2..5.1.0", "--format", "json"]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env_remove("npm_config_registry")
        .env("PATH", &no_npm)
        .env("BUMPCHECK_CACHE_DIR", repo.path().join(".no-cache"));
    let (code, notes) = run_json(&mut cmd);
    assert_eq!(code, Some(0), "{notes:#}");
    assert_eq!(notes["source"], "npm registry");

    // The environment variable wins over the file.
    let other = Server::start();
    let mut cmd = repo.bumpcheck(&["check", "--format", "json", "--base", &base]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env("npm_config_registry", &other.url)
        .env("BUMPCHECK_HTTP_RETRIES", "0");
    run_json(&mut cmd);
    assert!(other.count("/express") >= 1);
}

/// `bumpcheck check` on a repository whose bumpcheck.toml is `text`: (code, stderr).
fn refused(text: &str) -> (i32, String) {
    let (repo, base) = upgrade(&[("bumpcheck.toml", text)]);
    let (code, out, err) = run(&repo, &["check", "--base", &base]);
    assert!(
        out.is_empty(),
        "no report from a broken configuration: {out}"
    );
    (code, err)
}

#[test]
fn configuration_errors_name_the_file_line_column_and_key() {
    // (file, what stderr must say); each file is refused with status 2 and no report.
    let cases = [
        (
            "fail-on = \"error\"\n\n[rules]\nsevrity = {}\n",
            "error: bumpcheck.toml:4:1: `rules.sevrity`: unknown field `sevrity`, expected one of `dirs`, `disable`, `severity`",
        ),
        (
            "[notes]\nalways = \"react\"\n",
            "bumpcheck.toml:2:10: `notes.always`: invalid type: string \"react\", expected a sequence",
        ),
        (
            "# severities\n[rules.severity]\nnode-http-req-escapes-listener = \"warning\"\nexpress-5-req-param = \"critical\"\n",
            "bumpcheck.toml:4:23: `rules.severity.express-5-req-param`: unknown severity \"critical\" (expected hint, info, warning, error)",
        ),
        (
            "[rules]\ndirs = [\"no-such-folder\"]\n",
            "bumpcheck.toml:2:9: `rules.dirs[0]`: \"no-such-folder\" is not a folder",
        ),
        (
            "[github]\napi-url = \"not a url\"\n",
            "bumpcheck.toml:2:11: `github.api-url`: \"not a url\" is not a URL",
        ),
    ];
    for (text, expected) in cases {
        let (code, err) = refused(text);
        assert_eq!(code, 2, "{text}");
        assert!(err.contains(expected), "{text}\n{err}");
    }

    let (code, err) = refused("exclude = [\"src/[oops\"]\nfail-on = \"warnings\"\n");
    assert_eq!(code, 2);
    assert!(
        err.contains("bumpcheck.toml:1:12: `exclude[0]`: \"src/[oops\" is not a valid glob")
            && err.contains("bumpcheck.toml:2:11: `fail-on`: unknown fail-on level \"warnings\""),
        "every problem is reported at once: {err}"
    );
}

#[test]
fn init_writes_a_starter_that_loads_and_refuses_to_overwrite() {
    let (repo, base) = upgrade(&[]);
    let (code, _, err) = run(&repo, &["init"]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(repo.path().join("bumpcheck.toml")).unwrap();
    assert!(written.contains("# fail-on = \"error\""));
    assert!(!repo.path().join(".github").exists());
    let (code, report) = check(&repo, &base, &[]);
    assert_eq!(code, 1);
    assert_eq!(report["config"], "bumpcheck.toml");

    // Edited, then init again: refused, and the edit is kept.
    repo.write("bumpcheck.toml", "fail-on = \"never\"\n");
    let (code, _, err) = run(&repo, &["init", "--github-workflow"]);
    assert_eq!(code, 2);
    assert!(err.contains("bumpcheck.toml already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("bumpcheck.toml")).unwrap(),
        "fail-on = \"never\"\n"
    );
    assert!(
        !repo.path().join(".github").exists(),
        "nothing is written when one file is refused"
    );

    let (code, _, err) = run(&repo, &["init", "--github-workflow", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(repo.path().join("bumpcheck.toml")).unwrap(),
        written
    );
    let workflow =
        std::fs::read_to_string(repo.path().join(".github/workflows/bumpcheck.yml")).unwrap();
    let example = std::fs::read_to_string(testdata("../examples/github-workflow.yml")).unwrap();
    assert_eq!(workflow, example);
    let (code, _, err) = run(&repo, &["init", "--github-workflow"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bumpcheck.toml and .github/workflows/bumpcheck.yml already exist"),
        "{err}"
    );
}

#[test]
fn init_rewrites_a_dot_file_in_place() {
    let repo = TestRepo::new();
    repo.write(".bumpcheck.toml", "fail-on = \"never\"\n");
    let (code, _, err) = run(&repo, &["init", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(!repo.path().join("bumpcheck.toml").exists());
    assert!(std::fs::read_to_string(repo.path().join(".bumpcheck.toml"))
        .unwrap()
        .starts_with("# bumpcheck.toml"));
}

#[test]
fn the_github_api_and_token_variable_of_the_file_are_used() {
    let server = Server::start();
    crate::notes::serve_widget(&server);
    server.route(
        "/repos/acme/widget/releases?per_page=100",
        vec![crate::http_server::Reply::ok(
            serde_json::json!([{"tag_name": "v2.1.0", "name": "v2.1.0", "body": "- `Widget.turn()` removed", "draft": false}])
                .to_string(),
        )],
    );
    let repo = TestRepo::new();
    repo.write(
        "bumpcheck.toml",
        &format!(
            "[registries]\nnpm = \"{0}\"\n[github]\napi-url = \"{0}\"\ntoken-env = \"WIDGET_TOKEN\"\n",
            server.url
        ),
    );
    let mut cmd = repo.bumpcheck(&["notes", "widget", "1.4.0..2.1.0", "--format", "json"]);
    cmd.env_remove("BUMPCHECK_OFFLINE")
        .env_remove("npm_config_registry")
        .env_remove("GITHUB_API_URL")
        // Were the file's API ignored, the default host would go to a closed proxy.
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("NO_PROXY", "127.0.0.1")
        .env("WIDGET_TOKEN", "t0ken")
        .env("GITHUB_TOKEN", "not-this-one");
    let (code, notes) = run_json(&mut cmd);
    assert_eq!(code, Some(0), "{notes:#}");
    assert_eq!(notes["source"], "GitHub releases");
    let api = server
        .requests()
        .into_iter()
        .find(|r| r.path.starts_with("/repos/acme/widget/releases"))
        .unwrap();
    assert_eq!(api.header("Authorization"), Some("Bearer t0ken"));
}
