//! A git repository in a temporary directory, built with the real git client.

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

pub struct TestRepo {
    pub dir: tempfile::TempDir,
    /// The release-notes cache, outside the repository.
    pub cache: tempfile::TempDir,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = tempfile::tempdir().expect("temp dir");
        let repo = TestRepo { dir, cache };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.email", "test@example.invalid"]);
        repo.git(&["config", "user.name", "test"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn write(&self, rel: &str, content: &str) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    /// Copies every file of a testdata folder into `dest` (relative to the repository).
    pub fn copy_fixture(&self, fixture: &str, dest: &str) {
        let src = testdata(fixture);
        copy_dir(&src, &self.path().join(dest));
    }

    /// Replaces the whole tree (all but `.git`) with a testdata folder, as the project's
    /// next commit would.
    pub fn replace_with_fixture(&self, fixture: &str) {
        for entry in std::fs::read_dir(self.path()).unwrap() {
            let entry = entry.unwrap();
            if entry.file_name() != ".git" {
                let p = entry.path();
                if p.is_dir() {
                    std::fs::remove_dir_all(p).unwrap();
                } else {
                    std::fs::remove_file(p).unwrap();
                }
            }
        }
        self.copy_fixture(fixture, "");
    }

    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// `bumpcheck ARGS` run inside the repository, with no CI variables leaking in and no
    /// network: offline, and every endpoint pointed at a closed port on loopback (the
    /// release-notes tests lift these).
    pub fn bumpcheck(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = cargo_bin_cmd!("bumpcheck");
        cmd.args(args).current_dir(self.path());
        isolate(&mut cmd, self.cache.path());
        cmd
    }

    /// A repository whose first commit holds the testdata folder `before` and whose second
    /// holds `after` in its place, as the project's next commit would: (repo, base, head).
    pub fn before_after(before: &str, after: &str) -> (TestRepo, String, String) {
        let repo = TestRepo::new();
        repo.copy_fixture(before, "");
        let base = repo.commit("before");
        repo.replace_with_fixture(after);
        let head = repo.commit("after");
        (repo, base, head)
    }

    /// `bumpcheck diff --format json` between two commits: (exit code, report).
    pub fn diff_json_code(&self, base: &str, head: &str) -> (Option<i32>, Value) {
        run_json(&mut self.bumpcheck(&["diff", "--format", "json", "--base", base, "--head", head]))
    }

    /// `bumpcheck diff --format json` between two commits, which must succeed.
    pub fn diff_json(&self, base: &str, head: &str) -> Value {
        success(self.diff_json_code(base, head))
    }

    /// Runs `bumpcheck check --format json ARGS` and returns (exit code, report).
    pub fn check_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let (code, report) = run_json(&mut self.bumpcheck(&all));
        (code.unwrap(), report)
    }
}

/// Runs a command that prints JSON: (exit code, the JSON). Output that is not JSON fails
/// the test, showing stdout and stderr.
pub fn run_json(cmd: &mut assert_cmd::Command) -> (Option<i32>, Value) {
    let out = cmd.output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): stdout={} stderr={}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), json)
}

/// The JSON of a command that must have exited 0.
pub fn success((code, json): (Option<i32>, Value)) -> Value {
    assert_eq!(code, Some(0), "{json:#}");
    json
}

/// Keeps a bumpcheck command off the network and away from the user's configuration.
pub fn isolate(cmd: &mut assert_cmd::Command, cache: &Path) {
    cmd.env_remove("GITHUB_BASE_REF")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .env_remove("GITHUB_SERVER_URL")
        .env("NO_COLOR", "1")
        .env("BUMPCHECK_OFFLINE", "1")
        .env("BUMPCHECK_CACHE_DIR", cache)
        .env("NPM_CONFIG_USERCONFIG", cache.join("no-npmrc"))
        .env("npm_config_registry", "http://127.0.0.1:9/")
        .env("GITHUB_API_URL", "http://127.0.0.1:9")
        // No cargo registry cache or configuration, no pip or uv index, no virtualenv.
        .env("CARGO_HOME", cache.join("no-cargo-home"))
        .env(
            "PIP_CONFIG_FILE",
            if cfg!(windows) { "nul" } else { "/dev/null" },
        )
        .env_remove("VIRTUAL_ENV");
    for var in [
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "UV_DEFAULT_INDEX",
        "UV_INDEX_URL",
        "UV_INDEX",
        "UV_EXTRA_INDEX_URL",
        "GOPROXY",
        "GONOPROXY",
        "GOPRIVATE",
    ] {
        cmd.env_remove(var);
    }
    for (var, _) in std::env::vars().filter(|(k, _)| k.starts_with("CARGO_REGISTRIES_")) {
        cmd.env_remove(var);
    }
}

/// `git ARGS` in `dir`, which must succeed; its output, trimmed.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

pub fn copy_dir(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).unwrap();
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let entry = entry.unwrap();
        let target = dest.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The change for `name` in a JSON report.
pub fn change<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no change for {name} in {report:#}"))
}

/// The names of the changes in a JSON report, in report order.
pub fn changed_names(report: &Value) -> Vec<&str> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

/// (rule, path, line) of every finding.
pub fn findings(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The (name, version) pairs of a JSON array of `{"name", "version"}` objects.
pub fn name_version_set(rows: &Value) -> BTreeSet<(String, String)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["version"].as_str().unwrap().into(),
            )
        })
        .collect()
}

/// What `bumpcheck packages --format json LOCKFILE` reads, as (name, version) pairs.
pub fn packages_of(lockfile: &Path) -> BTreeSet<(String, String)> {
    let mut cmd = cargo_bin_cmd!("bumpcheck");
    cmd.args(["packages", "--format", "json", lockfile.to_str().unwrap()]);
    name_version_set(&success(run_json(&mut cmd)))
}

/// The oracle files `PREFIX<rev>.json` in `dir`: (rev, parsed content).
pub fn oracle_files(dir: &Path, prefix: &str) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap();
        if let Some(rev) = name
            .strip_prefix(prefix)
            .and_then(|n| n.strip_suffix(".json"))
        {
            let json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            found.push((rev.to_string(), json));
        }
    }
    found
}

/// Checks every `inventory-<rev>.json` of a testdata folder (a package manager's own reading
/// of `<rev>/<lockfile>`) against `bumpcheck packages --format json`, as (name, version)
/// sets; returns how many were checked.
pub fn check_inventories(fixture: &str) -> usize {
    let dir = testdata(fixture);
    let inventories = oracle_files(&dir, "inventory-");
    for (rev, inventory) in &inventories {
        let lockfile = dir.join(rev).join(inventory["lockfile"].as_str().unwrap());
        assert_eq!(
            packages_of(&lockfile),
            name_version_set(&inventory["packages"]),
            "{fixture}/{rev}"
        );
    }
    inventories.len()
}

/// The errors a JSON report gives about the file at `path` (any revision).
pub fn errors_about<'a>(report: &'a Value, path: &str) -> Vec<&'a Value> {
    let errors = report["errors"].as_array();
    errors
        .into_iter()
        .flatten()
        .filter(|e| e["path"] == path)
        .collect()
}
