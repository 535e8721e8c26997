//! yarn.lock, classic (yarn 1) and Berry (yarn 4), end to end: fixtures written by the real
//! yarn clients (testdata/yarn/generate.sh), checked against yarn's own lockfile readers
//! (testdata/yarn/parity.mjs wrote packages-*.json) and diffed in real git repositories.

use crate::support::{
    change, changed_names, name_version_set, oracle_files, packages_of, testdata, TestRepo,
};
use serde_json::Value;
use std::path::Path;

/// The `before/` and `after/` revisions of a fixture as two commits.
fn before_after(fixture: &str) -> (TestRepo, String, String) {
    TestRepo::before_after(&format!("{fixture}/before"), &format!("{fixture}/after"))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// `bumpcheck packages` reads the same (name, version) set as `@yarnpkg/lockfile` (classic)
/// and `parseSyml` (Berry) for every fixture revision.
#[test]
fn package_sets_match_yarns_own_readers() {
    let mut checked = Vec::new();
    for fixture in std::fs::read_dir(testdata("yarn")).unwrap() {
        let dir = fixture.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_str().unwrap().to_string();
        for (rev, theirs) in oracle_files(&dir, "packages-") {
            let lockfile = dir.join(theirs["lockfile"].as_str().unwrap());
            let label = format!("{name}/{rev}");
            assert_eq!(
                packages_of(&lockfile),
                name_version_set(&theirs["packages"]),
                "{label}"
            );
            checked.push(label);
        }
    }
    checked.sort();
    assert_eq!(
        checked,
        [
            "berry-app/after",
            "berry-app/before",
            "berry-workspaces/after",
            "berry-workspaces/before",
            "classic-app/after",
            "classic-app/before",
            "classic-workspaces/after",
            "classic-workspaces/before",
        ]
    );
}

/// express 4 -> 5 in a single project, the same with both yarns: the direct bump, its
/// transitive fallout, an `npm:` alias reported under its real name, several versions of
/// one package, and the project's own `file:` folder left out.
#[test]
fn express_4_to_5_in_classic_and_berry() {
    for fixture in ["yarn/classic-app", "yarn/berry-app"] {
        let (repo, base, head) = before_after(fixture);
        let report = repo.diff_json(&base, &head);
        assert!(
            report["errors"].as_array().unwrap().is_empty(),
            "{report:#}"
        );

        let express = change(&report, "express");
        assert_eq!(express["from"], "4.21.2", "{fixture}");
        assert_eq!(express["to"], "5.1.0");
        assert_eq!(express["kind"], "major");
        assert_eq!(express["direct"], true);
        assert_eq!(express["lockfile"], "yarn.lock");
        assert_eq!(express["ecosystem"], "npm");

        // `"lodash4": "npm:lodash@4.17.21"`: the real name, and direct.
        let lodash = change(&report, "lodash");
        assert_eq!(
            (&lodash["from"], &lodash["to"], &lodash["kind"]),
            (&"4.17.20".into(), &"4.17.21".into(), &"patch".into())
        );
        assert_eq!(lodash["direct"], true);

        // Transitive: express 5's new dependencies.
        let router = change(&report, "router");
        assert_eq!(
            (&router["kind"], &router["direct"]),
            (&"added".into(), &false.into())
        );
        assert_eq!(change(&report, "array-flatten")["kind"], "removed");
        assert_eq!(change(&report, "body-parser")["kind"], "major");
        assert_eq!(change(&report, "body-parser")["direct"], false);

        // morgan keeps debug 2.6.9 while express 5 brings debug 4.
        let debug = change(&report, "debug");
        assert_eq!(strs(&debug["from_all"]), ["2.6.9"], "{fixture}");
        assert_eq!(debug["to_all"].as_array().unwrap().len(), 2);
        assert_eq!(debug["to_all"][0], "2.6.9");
        assert_eq!(debug["kind"], "major");

        let changed = changed_names(&report);
        for unchanged in ["local-lib", "lodash4", "tiny-git-dep", "ms", "escape-html"] {
            assert!(!changed.contains(&unchanged), "{fixture}: {unchanged}");
        }
    }
}

/// Berry: the `patch:` copy of escape-html counts once; the git dependency, the tarball
/// URL and the alias are packages; the root workspace and the `file:` folder are not.
#[test]
fn berry_protocols_in_the_package_list() {
    let lock = testdata("yarn/berry-app/before/yarn.lock");
    let text = std::fs::read_to_string(&lock).unwrap();
    assert!(text.contains("\"escape-html@patch:escape-html@npm%3A1.0.3#"));
    let packages = packages_of(&lock);
    let of = |name: &str| -> Vec<&str> {
        packages
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    assert_eq!(of("escape-html"), ["1.0.3"]);
    assert_eq!(of("tiny-git-dep"), ["0.3.1"]);
    assert_eq!(of("ms"), ["2.0.0", "2.1.3"]);
    assert_eq!(of("lodash"), ["4.17.20"]);
    assert!(of("lodash4").is_empty());
    assert!(of("local-lib").is_empty());
    assert!(of("yarn-app").is_empty(), "the root workspace");
}

/// Berry monorepo: the bump in a member's package.json is direct (the lockfile's
/// `workspace:packages/api` entry names the member folder), the members themselves and the
/// root's `portal:` / `link:` dependencies are not packages.
#[test]
fn berry_workspaces_members_give_direct_dependencies() {
    let (repo, base, head) = before_after("yarn/berry-workspaces");
    let report = repo.diff_json(&base, &head);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let express = change(&report, "express");
    assert_eq!(
        (&express["kind"], &express["direct"]),
        (&"major".into(), &true.into())
    );
    // @acme/web moved debug 4.3.4 -> 4.4.1; @acme/api keeps 2.6.9; express 5 brings 4.4.x.
    let debug = change(&report, "debug");
    assert_eq!(debug["direct"], true);
    assert_eq!(strs(&debug["from_all"]), ["2.6.9", "4.3.4"]);
    assert!(strs(&debug["to_all"]).contains(&"4.4.1"));
    let changed = changed_names(&report);
    for own in [
        "@acme/api",
        "@acme/web",
        "shared-config",
        "assets",
        "yarn-monorepo",
    ] {
        assert!(!changed.contains(&own), "{own}");
    }
    let packages = packages_of(&testdata("yarn/berry-workspaces/after/yarn.lock"));
    assert!(packages.iter().all(|(n, _)| !n.starts_with("@acme/")));
    // shared-config's own dependency (through `portal:`) is locked.
    assert!(packages.contains(&("vary".into(), "1.1.2".into())));
}

/// Classic monorepo: yarn 1 does not lock workspace members, so the lockfile holds only
/// registry packages, and it does not record the member folders either: the root
/// package.json's `workspaces` globs name them, and the members' own dependencies are
/// direct.
#[test]
fn classic_workspaces_diff() {
    let (repo, base, head) = before_after("yarn/classic-workspaces");
    let report = repo.diff_json(&base, &head);
    assert!(
        report["errors"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    assert_eq!(change(&report, "express")["kind"], "major");
    assert_eq!(
        change(&report, "express")["direct"],
        true,
        "declared by packages/api"
    );
    let debug = change(&report, "debug");
    assert_eq!(debug["direct"], true, "declared by both members");
    assert_eq!(strs(&debug["from_all"]), ["2.6.9", "4.3.4"]);
    assert!(strs(&debug["to_all"]).contains(&"4.4.1"));
    let changed = changed_names(&report);
    assert!(!changed.contains(&"@acme/web") && !changed.contains(&"@acme/api"));
}

/// A yarn.lock cut off mid-file is an error naming the file, the revision and the line
/// and column; other lockfiles are still reported.
#[test]
fn truncated_yarn_lock_is_an_error_with_position() {
    for (fixture, position) in [
        ("yarn/truncated-classic", "line 12, column 12"),
        ("yarn/truncated-berry", "line 17, column 15"),
    ] {
        let repo = TestRepo::new();
        repo.copy_fixture("yarn/classic-app/before", "web");
        repo.copy_fixture("npm/lockfile-v2/before", "cli");
        let base = repo.commit("two projects");
        repo.copy_fixture(fixture, "web");
        repo.copy_fixture("npm/lockfile-v2/after", "cli");
        let head = repo.commit("cut-off yarn.lock, cli bump");

        let (code, report) = repo.check_json(&["--base", &base, "--head", &head]);
        assert_eq!(code, 0, "the npm lockfile was analysed: {report:#}");
        let errors = report["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{report:#}");
        assert_eq!(errors[0]["path"], "web/yarn.lock");
        assert_eq!(errors[0]["rev"], head.as_str());
        let message = errors[0]["message"].as_str().unwrap();
        assert!(message.contains("web/yarn.lock"), "{message}");
        assert!(message.contains(&head[..12]), "{message}");
        assert!(message.contains(position), "{fixture}: {message}");
        assert_eq!(
            change(&report, "semver")["lockfile"],
            "cli/package-lock.json"
        );

        // Alone, it is fatal.
        let repo = TestRepo::new();
        repo.copy_fixture("yarn/classic-app/before", "");
        let base = repo.commit("ok");
        repo.copy_fixture(fixture, "");
        let head = repo.commit("cut off");
        repo.bumpcheck(&["check", "--base", &base, "--head", &head])
            .assert()
            .code(2)
            .stdout(predicates::str::contains(position));
    }
}

/// A real-world Berry lockfile (reduxjs/reselect, ../shared/lockfile-corpus): the five
/// version changes its SOURCE.md lists, and nothing else.
#[test]
fn corpus_berry_lockfile_changes() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/lockfile-corpus/yarn-berry/reduxjs__reselect");
    if !corpus.exists() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    let repo = TestRepo::new();
    crate::support::copy_dir(&corpus.join("before"), repo.path());
    let base = repo.commit("before");
    crate::support::copy_dir(&corpus.join("after"), repo.path());
    let head = repo.commit("after");
    let report = repo.diff_json(&base, &head);
    let got: Vec<String> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} -> {}", c["name"], c["from"], c["to"]).replace('"', ""))
        .collect();
    assert_eq!(
        got,
        [
            "@reduxjs/toolkit 2.0.0-rc.1 -> 2.0.1",
            "react-redux 9.0.0-rc.0 -> 9.0.4",
            "redux 5.0.0-rc.1 -> 5.0.1",
            "redux-thunk 3.0.0-rc.0 -> 3.1.0",
            "reselect 5.0.0-beta.1 -> 5.0.1",
        ]
    );
    assert_eq!(change(&report, "@reduxjs/toolkit")["direct"], true);
    assert_eq!(packages_of(&corpus.join("before/yarn.lock")).len(), 556);
}
