//! A git repository in a temporary directory, built with the real git client.

use assert_cmd::cargo::cargo_bin_cmd;
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

pub struct TestRepo {
    pub dir: tempfile::TempDir,
}

impl TestRepo {
    pub fn new() -> TestRepo {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = TestRepo { dir };
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
        let out = Command::new("git")
            .args(args)
            .current_dir(self.path())
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

    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// `bumpcheck ARGS` run inside the repository, with no CI variables leaking in.
    pub fn bumpcheck(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = cargo_bin_cmd!("bumpcheck");
        cmd.args(args)
            .current_dir(self.path())
            .env_remove("GITHUB_BASE_REF")
            .env_remove("GITHUB_ACTIONS")
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `bumpcheck diff --format json --base BASE --head HEAD`, which must succeed, and
    /// returns the report.
    pub fn diff_json(&self, base: &str, head: &str) -> serde_json::Value {
        let out = self
            .bumpcheck(&["diff", "--format", "json", "--base", base, "--head", head])
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// Runs `bumpcheck check --format json ARGS` and returns (exit code, report).
    pub fn check_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = vec!["check", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.bumpcheck(&all).output().unwrap();
        let code = out.status.code().unwrap();
        let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): stdout={} stderr={}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (code, report)
    }
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

/// `bumpcheck packages --format json LOCKFILE` (must succeed): the rows it prints.
pub fn packages_json(lockfile: &Path) -> serde_json::Value {
    let out = cargo_bin_cmd!("bumpcheck")
        .args(["packages", "--format", "json", lockfile.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        lockfile.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The (name, version) pairs of a JSON array of packages.
pub fn name_versions(rows: &serde_json::Value) -> std::collections::BTreeSet<(String, String)> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
            )
        })
        .collect()
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
