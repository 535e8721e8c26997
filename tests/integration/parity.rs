//! The diff against npm's own reading of the same lockfiles: testdata/npm/**/expected*.json
//! were computed with @npmcli/arborist (see testdata/README.md).

use crate::support::{name_versions, packages_json, testdata, TestRepo};
use serde_json::Value;

/// Every fixture pair and its oracle.
const CASES: &[(&str, &str, &str)] = &[
    (
        "npm/express-app/v4.21.1",
        "npm/express-app/v4.21.2",
        "npm/express-app/expected-4.21.1-to-4.21.2.json",
    ),
    (
        "npm/express-app/v4.21.2",
        "npm/express-app/v5.1.0",
        "npm/express-app/expected-4.21.2-to-5.1.0.json",
    ),
    (
        "npm/express-app/v4.21.1",
        "npm/express-app/v5.1.0",
        "npm/express-app/expected-4.21.1-to-5.1.0.json",
    ),
    (
        "npm/workspaces/before",
        "npm/workspaces/after",
        "npm/workspaces/expected.json",
    ),
    (
        "npm/lockfile-v1/before",
        "npm/lockfile-v1/after",
        "npm/lockfile-v1/expected.json",
    ),
    (
        "npm/lockfile-v2/before",
        "npm/lockfile-v2/after",
        "npm/lockfile-v2/expected.json",
    ),
    (
        "npm/shrinkwrap/before",
        "npm/shrinkwrap/after",
        "npm/shrinkwrap/expected.json",
    ),
];

/// A change reduced to what the oracle states, with the kind coarsened to its words.
fn normalise(c: &Value, oracle: bool) -> String {
    let versions = |all: &Value, one: &Value| -> Vec<String> {
        match all.as_array() {
            Some(a) if !a.is_empty() || oracle => {
                a.iter().map(|v| v.as_str().unwrap().to_string()).collect()
            }
            _ => one
                .as_str()
                .map(|v| vec![v.to_string()])
                .unwrap_or_default(),
        }
    };
    let kind = match c["kind"].as_str().unwrap() {
        // The oracle says "changed" where the highest version stays and another copy moves.
        _ if c["from"] == c["to"] => "changed",
        "major" | "minor" | "patch" | "prerelease" => "upgraded",
        "downgrade" => "downgraded",
        k => k,
    };
    format!(
        "{} {} -> {} {:?} -> {:?} {} direct={}",
        c["name"].as_str().unwrap(),
        c["from"],
        c["to"],
        versions(&c["from_all"], &c["from"]),
        versions(&c["to_all"], &c["to"]),
        kind,
        c["direct"]
    )
}

#[test]
fn diff_matches_npms_own_reading() {
    for (before, after, expected) in CASES {
        let repo = TestRepo::new();
        repo.copy_fixture(before, "");
        let base = repo.commit("before");
        // Replace the whole tree, as the next commit of the project would.
        for entry in std::fs::read_dir(repo.path()).unwrap() {
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
        repo.copy_fixture(after, "");
        let head = repo.commit("after");
        let report = repo.diff_json(&base, &head);
        let oracle: Value =
            serde_json::from_str(&std::fs::read_to_string(testdata(expected)).unwrap()).unwrap();
        let ours: Vec<String> = report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| normalise(c, false))
            .collect();
        let theirs: Vec<String> = oracle["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| normalise(c, true))
            .collect();
        assert_eq!(ours, theirs, "{before} -> {after}");
        assert!(!ours.is_empty());
    }
}

/// `bumpcheck packages` reads the same (name, version) set as npm's own tree reader for
/// every fixture revision (testdata/npm/**/inventory-*.json).
#[test]
fn package_sets_match_npms_inventory() {
    let mut checked = 0;
    for fixture in [
        "express-app",
        "workspaces",
        "lockfile-v1",
        "lockfile-v2",
        "shrinkwrap",
    ] {
        let dir = testdata(&format!("npm/{fixture}"));
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            let Some(rev) = name
                .strip_prefix("inventory-")
                .and_then(|n| n.strip_suffix(".json"))
            else {
                continue;
            };
            let inventory: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let lockfile = dir.join(rev).join(inventory["lockfile"].as_str().unwrap());
            let ours = packages_json(&lockfile);
            assert_eq!(
                name_versions(&ours),
                name_versions(&inventory["packages"]),
                "{fixture}/{rev}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 11, "every fixture revision has an inventory");
}
