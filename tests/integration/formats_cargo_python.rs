//! Cargo.lock and the Python lockfiles (poetry.lock, uv.lock, Pipfile.lock, pdm.lock,
//! requirements files): real fixtures written by the package managers themselves
//! (testdata/README.md), diffed between two commits, and read as the package managers
//! read them (the recorded `*.json` beside each fixture revision).

use crate::support::{change, testdata, TestRepo};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Commits `before` into `dest`, then replaces it with `after` and commits again;
/// returns the `bumpcheck diff --format json` report between the two.
fn diff_fixture(before: &str, after: &str, dest: &str) -> Value {
    let repo = TestRepo::new();
    repo.copy_fixture(before, dest);
    let base = repo.commit("before");
    // Replace the project's files, as its next commit would.
    for entry in std::fs::read_dir(repo.path().join(dest)).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == ".git" {
            continue;
        }
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }
    repo.copy_fixture(after, dest);
    let head = repo.commit("after");
    diff_json(&repo, &base, &head)
}

fn diff_json(repo: &TestRepo, base: &str, head: &str) -> Value {
    let out = repo
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

/// `name kind from->to direct` for every change, in report order.
fn summary(report: &Value) -> Vec<String> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{} {} {}->{} {}",
                c["name"].as_str().unwrap(),
                c["kind"].as_str().unwrap(),
                c["from"].as_str().unwrap_or_default(),
                c["to"].as_str().unwrap_or_default(),
                if c["direct"] == true {
                    "direct"
                } else {
                    "transitive"
                }
            )
        })
        .collect()
}

fn no_errors(report: &Value) {
    assert_eq!(report["errors"], serde_json::json!([]), "{report:#}");
}

/// (name, version) pairs `bumpcheck packages` reads from a lockfile on disk.
fn our_packages(lockfile: &Path) -> BTreeSet<(String, String)> {
    let out = assert_cmd::cargo::cargo_bin_cmd!("bumpcheck")
        .args(["packages", "--format", "json", lockfile.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}",
        lockfile.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    pairs(&serde_json::from_slice(&out.stdout).unwrap())
}

fn pairs(rows: &Value) -> BTreeSet<(String, String)> {
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

/// Compares every `<rev>.<tool>.json` recorded under `testdata/<ecosystem>/` with our
/// reading of `<rev>/<lockfile>`; returns how many were compared.
fn check_recorded(ecosystem: &str, lockfile_name: &str, tool: &str) -> usize {
    let mut checked = 0;
    let root = testdata(ecosystem);
    for case in std::fs::read_dir(&root).unwrap() {
        let case = case.unwrap().path();
        if !case.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&case).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_str().unwrap().to_string();
            let Some(rev) = file.strip_suffix(&format!(".{tool}.json")) else {
                continue;
            };
            let lockfile = case.join(rev).join(lockfile_name);
            if !lockfile.exists() {
                continue;
            }
            let recorded: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(
                our_packages(&lockfile),
                pairs(&recorded["packages"]),
                "{}",
                lockfile.display()
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn cargo_workspace_members_renames_and_two_versions() {
    let report = diff_fixture("cargo/workspace/before", "cargo/workspace/after", "");
    no_errors(&report);
    assert_eq!(
        summary(&report),
        [
            // util (a member found through `members = ["crates/*"]`) moved to bitflags 2.
            "bitflags major 1.3.2->2.13.2 direct",
            // app renames it: `itoa04 = { package = "itoa" }`; itoa 1 stays beside it.
            "itoa patch 1.0.19->1.0.19 direct",
            // Inherited: `log = { workspace = true }`.
            "log patch 0.4.20->0.4.22 direct",
            // Inherited under another name: `ryu1 = { workspace = true }`.
            "ryu patch 1.0.17->1.0.18 direct",
            "semver patch 1.0.20->1.0.23 direct",
            "smallvec added ->1.16.6 direct",
            // A dev-dependency at base only: still direct.
            "static_assertions removed 1.1.0-> direct",
        ]
    );
    let itoa = change(&report, "itoa");
    assert_eq!(itoa["from_all"], serde_json::json!(["0.4.7", "1.0.19"]));
    assert_eq!(itoa["to_all"], serde_json::json!(["0.4.8", "1.0.19"]));
    assert_eq!(itoa["ecosystem"], "cargo");
}

#[test]
fn cargo_lockfile_v3_in_a_subfolder() {
    let report = diff_fixture("cargo/v3/before", "cargo/v3/after", "tools/cli");
    no_errors(&report);
    assert_eq!(
        summary(&report),
        [
            "anyhow patch 1.0.80->1.0.86 direct",
            "cfg-if removed 1.0.5-> direct",
            "once_cell added ->1.21.4 direct",
        ]
    );
    assert_eq!(
        change(&report, "anyhow")["lockfile"],
        "tools/cli/Cargo.lock"
    );
}

#[test]
fn cargo_package_sets_match_cargo_metadata() {
    assert_eq!(check_recorded("cargo", "Cargo.lock", "cargo-metadata"), 4);
}
