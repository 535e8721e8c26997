//! The composite action end to end, as a runner runs it on a pull_request event: a
//! shallow checkout of the PR's merge commit from a real upstream repository, the event
//! payload, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and GITHUB_API_URL (and the npm
//! registry) at the recording HTTP server on 127.0.0.1.

use super::runner::{ActionRun, Runner};
use super::{pull_request_event, sarif_schema_errors, APP, LIST};
use crate::http_server::{Reply, Server};
use crate::notes::{serve_express, HISTORY};
use crate::support::{git_in as git, TestRepo};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The upstream repository with PR 7 (express 4 -> 5) whose base branch moved on since it
/// branched, and refs/pull/7/merge as GitHub makes it: (upstream, base, head, merge).
fn upstream() -> (TestRepo, String, String, String) {
    let up = TestRepo::new();
    up.copy_fixture("npm/express-app/v4.21.2", "");
    up.write("src/app.js", APP);
    let fork = up.commit("express 4");
    up.git(&["checkout", "-q", "-b", "renovate/express-5.x"]);
    up.copy_fixture("npm/express-app/v5.1.0", "");
    let head = up.commit("Update dependency express to v5");
    up.git(&["checkout", "-q", "main"]);
    up.write("README.md", "shop\n");
    let base = up.commit("readme");
    assert_ne!(fork, base);
    up.git(&[
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge head into base",
        "renovate/express-5.x",
    ]);
    let merge = up.git(&["rev-parse", "HEAD"]);
    up.git(&["update-ref", "refs/pull/7/merge", &merge]);
    up.git(&["update-ref", "refs/pull/7/head", &head]);
    up.git(&["reset", "-q", "--hard", &base]);
    // As GitHub: any commit reachable from a ref can be fetched by its sha.
    up.git(&["config", "uploadpack.allowReachableSHA1InWant", "true"]);
    (up, base, head, merge)
}

/// What actions/checkout does by default on a pull_request event: the merge commit,
/// fetched with depth 1.
fn shallow_checkout(upstream: &Path, into: &Path) {
    std::fs::create_dir_all(into).unwrap();
    git(into, &["init", "-q"]);
    git(
        into,
        &[
            "remote",
            "add",
            "origin",
            &format!("file://{}", upstream.display()),
        ],
    );
    git(
        into,
        &[
            "fetch",
            "-q",
            "--no-tags",
            "--depth=1",
            "origin",
            "+refs/pull/7/merge:refs/remotes/pull/7/merge",
        ],
    );
    git(
        into,
        &["checkout", "-q", "--detach", "refs/remotes/pull/7/merge"],
    );
}

struct Job {
    _dir: tempfile::TempDir,
    root: PathBuf,
    summary: PathBuf,
}

impl Job {
    fn new() -> Job {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        Job {
            summary: root.join("step_summary.md"),
            root,
            _dir: dir,
        }
    }

    /// A runner for the action in this repository with the job's variables.
    fn runner(&self, server: &Server, event: &Value, sha: &str) -> Runner {
        let action = Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml");
        let workspace = self.root.join("workspace");
        let temp = self.root.join(format!("runner-temp-{}", fastrand::u32(..)));
        std::fs::create_dir_all(&temp).unwrap();
        let event_path = temp.join("event.json");
        std::fs::write(&event_path, event.to_string()).unwrap();
        let mut r = Runner::new(&action, &workspace, &temp);
        r.token = "ghs_jobTokenNeverPrinted".into();
        let p = |p: &Path| p.display().to_string();
        for (k, v) in [
            ("CI", "true".to_string()),
            ("GITHUB_ACTIONS", "true".into()),
            ("GITHUB_WORKSPACE", p(&workspace)),
            ("GITHUB_EVENT_NAME", "pull_request".into()),
            ("GITHUB_EVENT_PATH", p(&event_path)),
            ("GITHUB_REPOSITORY", "acme/shop".into()),
            ("GITHUB_SERVER_URL", "https://github.example.invalid".into()),
            ("GITHUB_API_URL", server.url.clone()),
            ("GITHUB_SHA", sha.into()),
            ("GITHUB_REF", "refs/pull/7/merge".into()),
            ("GITHUB_BASE_REF", "main".into()),
            ("GITHUB_HEAD_REF", "renovate/express-5.x".into()),
            ("GITHUB_STEP_SUMMARY", p(&self.summary)),
            ("RUNNER_OS", "Linux".into()),
            ("RUNNER_ARCH", "X64".into()),
            ("RUNNER_TEMP", p(&temp)),
            ("RUNNER_TOOL_CACHE", p(&self.root.join("toolcache"))),
            // Kept off the user's configuration; the registry is the recording server.
            ("BUMPCHECK_CACHE_DIR", p(&self.root.join("cache"))),
            ("BUMPCHECK_HTTP_BACKOFF_MS", "10".into()),
            ("NPM_CONFIG_USERCONFIG", p(&self.root.join("no-npmrc"))),
            ("npm_config_registry", server.url.clone()),
            ("NO_COLOR", "1".into()),
        ] {
            r.env.insert(k.to_string(), v);
        }
        r.inputs.insert(
            "version".into(),
            format!("path:{}", env!("CARGO_BIN_EXE_bumpcheck")),
        );
        r
    }
}

/// A job whose workspace is the shallow checkout of PR 7, and the recording server:
/// (job, server, upstream, [base, head, merge]).
fn pull_request_job() -> (Job, Server, TestRepo, [String; 3]) {
    let (up, base, head, merge) = upstream();
    let job = Job::new();
    shallow_checkout(up.path(), &job.root.join("workspace"));
    (job, Server::start(), up, [base, head, merge])
}

fn requests(server: &Server, method: &str) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == method)
        .count()
}

fn assert_no_token(run: &ActionRun) {
    for s in &run.steps {
        assert!(
            !s.stdout.contains("ghs_jobTokenNeverPrinted")
                && !s.stderr.contains("ghs_jobTokenNeverPrinted"),
            "{s:#?}"
        );
    }
}

#[test]
fn the_action_checks_a_shallow_pr_comments_once_and_follows_fail_on() {
    let (job, server, _up, [base, head, merge]) = pull_request_job();
    serve_express(&server, HISTORY);
    server.route(
        LIST,
        vec![
            Reply::ok("[]"),
            Reply::ok(
                json!([{"id": 42, "body": "<!-- bumpcheck -->\nold", "html_url": "h"}]).to_string(),
            ),
        ],
    );
    server.route(
        "POST /repos/acme/shop/issues/7/comments",
        vec![Reply {
            status: 201,
            ..Reply::ok(json!({"id": 42, "html_url": "h"}).to_string())
        }],
    );
    server.route(
        "PATCH /repos/acme/shop/issues/comments/42",
        vec![Reply::ok(json!({"id": 42, "html_url": "h"}).to_string())],
    );
    let event = pull_request_event(7, &base, &head);

    let mut runner = job.runner(&server, &event, &merge);
    let sarif = job.root.join("results.sarif");
    runner
        .inputs
        .insert("sarif-file".into(), sarif.display().to_string());
    let run = runner.run();
    let check = run.step("check");
    assert_eq!(
        run.status, 1,
        "error findings fail the step by default: {run:#?}"
    );
    assert_eq!(check.status, Some(1));
    assert!(
        check
            .stdout
            .contains(&format!("the base revision {base} is not in this clone")),
        "{}",
        check.stdout
    );
    assert!(check.stdout.contains("::error file=src/app.js,line=4,endLine=4,col=23,endColumn=42,title=express-5-req-param"), "{}", check.stdout);
    assert_eq!(run.outputs["findings"], "3");
    assert_eq!(
        run.outputs["changed-packages"], "30",
        "the PR's change only, not main's README commit"
    );
    assert_eq!(run.outputs["comment-id"], "42");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&run.outputs["report-json"]).unwrap())
            .unwrap();
    assert_eq!(report["base"]["commit"], base.as_str());
    assert_eq!(
        report["head"]["commit"],
        merge.as_str(),
        "the merge commit checked out"
    );
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(sarif_schema_errors(&sarif), Vec::<String>::new());
    assert_eq!(requests(&server, "POST"), 1);
    assert_eq!(requests(&server, "PATCH"), 0);
    let summary = std::fs::read_to_string(&job.summary).unwrap();
    assert!(summary.starts_with("<!-- bumpcheck -->\n### bumpcheck\n\n**30 packages changed** (1 direct), **3 findings** (3 errors)"), "{summary}");
    assert!(
        summary.contains(&format!(
            "https://github.example.invalid/acme/shop/blob/{merge}/src/app.js#L4"
        )),
        "{summary}"
    );
    assert!(
        summary.contains("- `5.0.0`: `res.status()` accepts only integers"),
        "release notes from the registry: {summary}"
    );
    assert_no_token(&run);

    // The next push: same comment updated, and fail-on never lets the step pass.
    server.clear_requests();
    let mut runner = job.runner(&server, &event, &merge);
    runner.inputs.insert("fail-on".into(), "never".into());
    let again = runner.run();
    assert_eq!(again.status, 0, "{again:#?}");
    assert_eq!(again.outputs["comment-id"], "42");
    assert_eq!(
        (requests(&server, "POST"), requests(&server, "PATCH")),
        (0, 1),
        "no duplicate comment"
    );
    let summary = std::fs::read_to_string(&job.summary).unwrap();
    assert_eq!(summary.matches("<!-- bumpcheck -->").count(), 2);
    assert_no_token(&again);

    // comment: false posts nothing.
    server.clear_requests();
    let mut runner = job.runner(&server, &event, &merge);
    runner.inputs.insert("comment".into(), "false".into());
    let quiet = runner.run();
    assert_eq!(quiet.status, 1);
    assert_eq!(quiet.outputs["comment-id"], "");
    assert!(!server
        .requests()
        .iter()
        .any(|r| r.path.starts_with("/repos/")));
}

#[test]
fn a_base_commit_that_cannot_be_fetched_fails_with_the_fetch_depth_instruction() {
    let (job, server, _up, [_, head, merge]) = pull_request_job();
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let run = job
        .runner(&server, &pull_request_event(7, missing, &head), &merge)
        .run();
    assert_eq!(run.status, 2, "{run:#?}");
    let expected = format!("::error title=bumpcheck::The base commit {missing} is not in this clone and could not be fetched. Check out the repository with its history:%0A- uses: actions/checkout@v5%0A  with:%0A    fetch-depth: 0%0A");
    assert!(
        run.step("check").stdout.contains(&expected),
        "{}",
        run.stdout()
    );
    assert!(
        server.requests().is_empty(),
        "nothing reported, nothing posted"
    );
}

/// A release asset holding a stand-in binary, and its checksum file.
fn release_asset(dir: &Path, version_line: &str) -> (Vec<u8>, String) {
    std::fs::create_dir_all(dir).unwrap();
    let bin = dir.join("bumpcheck");
    std::fs::write(&bin, format!("#!/bin/sh\necho '{version_line}'\n")).unwrap();
    Command::new("chmod")
        .args(["755", bin.to_str().unwrap()])
        .status()
        .unwrap();
    let tgz = dir.join("asset.tar.gz");
    let ok = Command::new("tar")
        .args([
            "-czf",
            tgz.to_str().unwrap(),
            "-C",
            dir.to_str().unwrap(),
            "bumpcheck",
        ])
        .status()
        .unwrap();
    assert!(ok.success());
    let bytes = std::fs::read(&tgz).unwrap();
    let sum = Command::new("sha256sum").arg(&tgz).output().unwrap();
    let hex = String::from_utf8_lossy(&sum.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    (bytes, hex)
}

#[test]
fn a_release_asset_is_installed_only_when_its_checksum_matches() {
    let job = Job::new();
    std::fs::create_dir_all(job.root.join("workspace")).unwrap();
    let server = Server::start();
    let (bytes, sum) = release_asset(&job.root.join("asset"), "bumpcheck 9.9.9");
    let path = "/acme/bumpcheck/releases/download/v9.9.9/bumpcheck-x86_64-unknown-linux-gnu.tar.gz";
    server.route(path, vec![Reply::ok(bytes)]);
    server.route(
        &format!("{path}.sha256"),
        vec![Reply::ok(format!(
            "{sum}  bumpcheck-x86_64-unknown-linux-gnu.tar.gz\n"
        ))],
    );
    let install = |version: &str, until: &str| {
        let mut r = job.runner(&server, &json!({}), "0");
        r.env.insert("GITHUB_SERVER_URL".into(), server.url.clone());
        r.action_repository = "acme/bumpcheck".into();
        r.inputs.insert("version".into(), version.into());
        r.until = Some(until.into());
        r.run()
    };
    let run = install("9.9.9", "install");
    assert_eq!(run.status, 0, "{run:#?}");
    assert_eq!(run.step("plan").outputs["method"], "release");
    assert!(
        run.step("install").stdout.contains("bumpcheck 9.9.9"),
        "{run:#?}"
    );

    // A tampered asset is refused.
    server.route(
        &format!("{path}.sha256"),
        vec![Reply::ok(format!("{}  x\n", "0".repeat(64)))],
    );
    let run = install("9.9.9", "install");
    assert_eq!(run.status, 1);
    assert!(
        run.step("plan")
            .stdout
            .contains("does not match its published checksum"),
        "{run:#?}"
    );
    assert_eq!(
        run.step("install").status,
        None,
        "nothing after a failed step runs"
    );

    // No asset for that version: build from the action's source, cached by its hash.
    let run = install("1.2.3", "plan");
    assert_eq!(run.status, 0, "{run:#?}");
    let plan = &run.step("plan").outputs;
    assert_eq!(plan["method"], "source");
    assert!(
        plan["cache-key"].starts_with("bumpcheck-Linux-X64-"),
        "{plan:?}"
    );
    assert!(plan["bin"].ends_with("/bin/bumpcheck") && plan["bin"].starts_with(&plan["cache-dir"]));
    assert!(run
        .step("plan")
        .stdout
        .contains("::notice title=bumpcheck::no release asset"));
}

#[test]
fn action_metadata_keeps_expressions_out_of_scripts() {
    let job = Job::new();
    let server = Server::start();
    let runner = job.runner(&server, &json!({}), "0");
    let action = runner.action();
    for step in action["runs"]["steps"].as_array().unwrap() {
        if let Some(script) = step["run"].as_str() {
            assert!(!script.contains("${{"), "{script}");
        }
    }
    let inputs: Vec<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for name in [
        "base-ref",
        "head-ref",
        "working-directory",
        "fail-on",
        "rules",
        "notes",
        "comment",
        "sarif-file",
        "github-token",
        "version",
    ] {
        assert!(inputs.contains(&name), "input {name}");
    }
    assert_eq!(
        action["inputs"]["github-token"]["default"],
        "${{ github.token }}"
    );
    let outputs: Vec<&str> = action["outputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        outputs,
        ["changed-packages", "comment-id", "findings", "report-json"]
    );
}

#[test]
fn the_readme_shows_the_example_workflow_that_ci_lints() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/github-workflow.yml")).unwrap();
    assert!(
        readme.contains(&format!("```yaml\n{example}```\n")),
        "README's \"Use in GitHub Actions\" workflow differs from examples/github-workflow.yml"
    );
}
