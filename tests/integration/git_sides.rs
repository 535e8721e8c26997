//! Which revisions are compared: defaults, the work tree, bare and shallow clones, and
//! lockfiles that appear, disappear or move.

use crate::support::{change, errors_about, findings, TestRepo};

const HANDLER: &str = "module.exports = (req, res) => res.send(req.param('id'));\n";

#[test]
fn default_base_is_the_merge_base_with_the_default_branch() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.1", "");
    let fork = repo.commit("main: 4.21.1");
    repo.git(&["checkout", "-q", "-b", "upgrade"]);
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("upgrade: express 5");
    // main moves on after the fork: that must not count as part of the upgrade.
    repo.git(&["checkout", "-q", "main"]);
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.commit("main: 4.21.2");
    repo.git(&["checkout", "-q", "upgrade"]);

    let (_, report) = repo.check_json(&[]);
    assert_eq!(report["base"]["rev"], "main");
    assert_eq!(report["base"]["commit"], fork.as_str());
    assert_eq!(report["base"]["merge_base"], true);
    assert_eq!(change(&report, "express")["from"], "4.21.1");
    // The headers say what was compared: not main, but where the branch forked from it.
    let text = repo.bumpcheck(&["check"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    let short = &fork[..12];
    assert!(
        text.contains(&format!(
            "bumpcheck: merge-base of main and HEAD ({short}) -> HEAD"
        )),
        "{text}"
    );
    let md = repo
        .bumpcheck(&["check", "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains(&format!("merge-base of `main` and `HEAD` `{}`", &fork[..7])),
        "{md}"
    );
    // An explicit base is that revision itself.
    let (_, explicit) = repo.check_json(&["--base", "main"]);
    assert!(explicit["base"].get("merge_base").is_none(), "{explicit:#}");

    // In GitHub Actions the PR's base branch names the default branch.
    repo.git(&["branch", "-q", "release", &fork]);
    let out = repo
        .bumpcheck(&["check", "--format", "json"])
        .env("GITHUB_BASE_REF", "release")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["base"]["rev"], "release");
    assert_eq!(report["base"]["commit"], fork.as_str());
}

#[test]
fn uncommitted_lockfile_change_means_the_work_tree() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write("src/h.js", HANDLER);
    let head = repo.commit("app");
    // `npm install express@5` just ran: nothing committed yet.
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    let (code, report) = repo.check_json(&[]);
    assert_eq!(
        report["base"]["commit"],
        head.as_str(),
        "on main, base is HEAD"
    );
    assert_eq!(report["head"]["rev"], "worktree");
    assert!(report["head"]["commit"].is_null());
    assert_eq!(change(&report, "express")["to"], "5.1.0");
    assert_eq!(
        findings(&report),
        [("express-5-req-param".into(), "src/h.js".into(), 1)]
    );
    assert_eq!(code, 1);

    // An explicit --head means that commit, not the work tree.
    let (_, report) = repo.check_json(&["--head", "HEAD"]);
    assert_eq!(report["changes"].as_array().unwrap().len(), 0);

    // Uncommitted source edits only: HEAD is compared; --worktree forces the work tree.
    repo.git(&["checkout", "-q", "--", "."]);
    repo.write("src/h.js", "// edited\n");
    let (_, report) = repo.check_json(&["--base", "HEAD"]);
    assert_eq!(report["head"]["rev"], "HEAD");
    let (_, report) = repo.check_json(&["--base", "HEAD", "--worktree"]);
    assert_eq!(report["head"]["rev"], "worktree");
    repo.bumpcheck(&["check", "--head", "HEAD", "--worktree"])
        .assert()
        .code(2);
}

#[test]
fn works_in_a_bare_clone() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.write("src/h.js", HANDLER);
    repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("5");
    let bare = tempfile::tempdir().unwrap();
    let bare_path = bare.path().join("app.git");
    repo.git(&["clone", "-q", "--bare", ".", bare_path.to_str().unwrap()]);
    let (code, report) = repo.check_json(&[
        "--repo",
        bare_path.to_str().unwrap(),
        "--base",
        "HEAD~1",
        "--head",
        "HEAD",
    ]);
    assert_eq!(change(&report, "express")["kind"], "major");
    assert_eq!(
        findings(&report).len(),
        1,
        "sources are read from the tree: {report:#}"
    );
    assert_eq!(code, 1);
    repo.bumpcheck(&[
        "check",
        "--repo",
        bare_path.to_str().unwrap(),
        "--worktree",
        "--base",
        "HEAD",
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("bare"));
}

#[test]
fn unknown_revision_and_shallow_clone_say_what_to_do() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("5");
    repo.bumpcheck(&["check", "--base", "no-such-branch"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "unknown revision `no-such-branch`",
        ));

    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let dest = shallow.path().join("clone");
    repo.git(&["clone", "-q", "--depth", "1", &url, dest.to_str().unwrap()]);
    let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("bumpcheck");
    crate::support::isolate(&mut cmd, repo.cache.path());
    cmd.args(["check", "--base", "HEAD~1"])
        .current_dir(&dest)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("shallow clone"))
        .stderr(predicates::str::contains("fetch-depth: 0"));
}

#[test]
fn lockfiles_added_removed_and_moved() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "app");
    repo.copy_fixture("npm/shrinkwrap/before", "tool");
    let base = repo.commit("start");
    // Move app/ to services/app/ and bump express there; drop tool; add a new project.
    repo.git(&["rm", "-q", "-r", "app", "tool"]);
    repo.copy_fixture("npm/express-app/v5.1.0", "services/app");
    repo.copy_fixture("npm/lockfile-v2/before", "cli");
    let head = repo.commit("reorganise");
    let (_, report) = repo.check_json(&["--base", &base, "--head", &head]);
    let express = change(&report, "express");
    assert_eq!(express["lockfile"], "services/app/package-lock.json");
    assert_eq!(
        (express["from"].as_str(), express["to"].as_str()),
        (Some("4.21.2"), Some("5.1.0"))
    );
    let morgan = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "morgan")
        .count();
    assert_eq!(
        morgan, 0,
        "unchanged packages of a moved lockfile are not reported"
    );
    let debug = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "debug" && c["lockfile"] == "tool/npm-shrinkwrap.json")
        .unwrap();
    assert_eq!(debug["kind"], "removed");
    assert!(debug["to"].is_null());
    let semver = change(&report, "semver");
    assert_eq!(semver["lockfile"], "cli/package-lock.json");
    assert_eq!(semver["kind"], "added");
    assert!(semver["from"].is_null());
    assert_eq!(semver["direct"], true);
}

#[test]
fn monorepo_changes_scan_only_their_lockfile_folder() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "services/api");
    repo.copy_fixture("npm/express-app/v4.21.2", "services/web");
    repo.copy_fixture("npm/lockfile-v2/before", "");
    repo.write("services/api/src/h.js", HANDLER);
    repo.write("services/web/src/h.js", HANDLER);
    repo.write("scripts/h.js", HANDLER);
    let base = repo.commit("monorepo");
    repo.copy_fixture("npm/express-app/v5.1.0", "services/api");
    let head = repo.commit("api: express 5");
    let (_, report) = repo.check_json(&["--base", &base, "--head", &head]);
    assert_eq!(
        findings(&report),
        [(
            "express-5-req-param".into(),
            "services/api/src/h.js".into(),
            1
        )],
        "{report:#}"
    );
    assert!(report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["lockfile"] == "services/api/package-lock.json"));
}

#[test]
fn diff_subcommand_lists_every_change() {
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    let base = repo.commit("4");
    repo.copy_fixture("npm/express-app/v5.1.0", "");
    repo.commit("5");
    let out = repo.bumpcheck(&["diff", "--base", &base]).assert().code(0);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("package-lock.json: 30 packages changed (1 direct)"),
        "{text}"
    );
    assert!(!text.contains("more transitive"), "diff lists all: {text}");
    assert!(
        text.contains("array-flatten 1.1.1  removed, transitive"),
        "{text}"
    );
}

/// The lockfiles of a report's changes, with each change's name and versions.
fn changes_of(report: &serde_json::Value, lockfile: &str) -> Vec<String> {
    let mut v: Vec<String> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["lockfile"] == lockfile)
        .map(|c| format!("{} {} {}", c["name"], c["from"], c["to"]))
        .collect();
    v.sort();
    v
}

/// A lockfile committed as a symlink to another file of the repository is read through
/// the link at both revisions (and in the work tree), also when a real file became a link;
/// links that leave the repository or dangle are refused, in the report's errors, naming
/// the path and the revision, while the other lockfiles are still reported.
#[cfg(unix)]
#[test]
fn lockfile_symlinks_are_followed_inside_the_repository_only() {
    use std::os::unix::fs::symlink;
    let repo = TestRepo::new();
    repo.copy_fixture("npm/express-app/v4.21.2", "app");
    repo.copy_fixture("npm/express-app/v4.21.2", "moved");
    std::fs::create_dir_all(repo.path().join("web/nested")).unwrap();
    symlink(
        "../app/package-lock.json",
        repo.path().join("web/package-lock.json"),
    )
    .unwrap();
    // A chain: nested -> web's link -> app's file.
    symlink(
        "../package-lock.json",
        repo.path().join("web/nested/package-lock.json"),
    )
    .unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(
        repo.path().join("app/package-lock.json"),
        outside.path().join("package-lock.json"),
    )
    .unwrap();
    std::fs::create_dir_all(repo.path().join("evil")).unwrap();
    symlink(
        outside.path().join("package-lock.json"),
        repo.path().join("evil/package-lock.json"),
    )
    .unwrap();
    std::fs::create_dir_all(repo.path().join("gone")).unwrap();
    symlink("../nowhere/yarn.lock", repo.path().join("gone/yarn.lock")).unwrap();
    let base = repo.commit("links");
    // Upgrade app's lockfile; `moved`'s real file becomes a link to it.
    std::fs::copy(
        testdata_file("npm/express-app/v5.1.0/package-lock.json"),
        repo.path().join("app/package-lock.json"),
    )
    .unwrap();
    std::fs::remove_file(repo.path().join("moved/package-lock.json")).unwrap();
    symlink(
        "../app/package-lock.json",
        repo.path().join("moved/package-lock.json"),
    )
    .unwrap();
    let head = repo.commit("upgrade");

    let (code, report) = repo.check_json(&["--base", &base, "--head", &head, "--fail-on", "never"]);
    assert_eq!(code, 0, "{report:#}");
    let app = changes_of(&report, "app/package-lock.json");
    assert!(app
        .iter()
        .any(|c| c.starts_with("\"express\" \"4.21.2\" \"5.1.0\"")));
    for linked in [
        "web/package-lock.json",
        "web/nested/package-lock.json",
        "moved/package-lock.json",
    ] {
        assert_eq!(changes_of(&report, linked), app, "{linked}");
    }
    for rev in [&base, &head] {
        let evil = errors_about(&report, "evil/package-lock.json")
            .into_iter()
            .find(|e| e["rev"] == rev.as_str())
            .unwrap_or_else(|| panic!("no error at {rev}: {report:#}"));
        let message = evil["message"].as_str().unwrap();
        assert!(message.contains("outside the repository"), "{message}");
        assert!(message.contains("evil/package-lock.json"), "{message}");
    }
    let gone = errors_about(&report, "gone/yarn.lock")[0]["message"]
        .as_str()
        .unwrap();
    assert!(gone.contains("does not exist"), "{gone}");

    // The work tree: the same links, read from disk.
    std::fs::copy(
        testdata_file("npm/express-app/v4.21.2/package-lock.json"),
        repo.path().join("app/package-lock.json"),
    )
    .unwrap();
    let (code, report) = repo.check_json(&["--base", &head, "--worktree", "--fail-on", "never"]);
    assert_eq!(code, 0, "{report:#}");
    let app = changes_of(&report, "app/package-lock.json");
    assert!(app
        .iter()
        .any(|c| c.starts_with("\"express\" \"5.1.0\" \"4.21.2\"")));
    assert_eq!(changes_of(&report, "web/nested/package-lock.json"), app);
    let evil = errors_about(&report, "evil/package-lock.json")
        .into_iter()
        .find(|e| e["rev"].is_null())
        .unwrap_or_else(|| panic!("no work-tree error: {report:#}"));
    assert!(evil["message"]
        .as_str()
        .unwrap()
        .contains("outside the repository"));
}

fn testdata_file(rel: &str) -> std::path::PathBuf {
    crate::support::testdata(rel)
}

/// A repository without a commit, and HEAD on a branch without one, say so (libgit2 says
/// "revspec 'HEAD' not found"), with default and with explicit revisions.
#[test]
fn no_commits_yet_is_said_plainly() {
    let repo = TestRepo::new();
    let refused = |args: &[&str], says: &str| {
        let out = repo
            .bumpcheck(&[&["check"][..], args].concat())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("revspec"), "{args:?}: {stderr}");
    };
    repo.copy_fixture("npm/express-app/v4.21.2", "");
    for args in [
        &[][..],
        &["--base", "main", "--head", "HEAD"],
        &["--base", "v1"],
    ] {
        refused(args, "this repository has no commits yet");
    }
    repo.commit("first");
    repo.git(&["checkout", "-q", "--orphan", "fresh"]);
    for args in [&[][..], &["--base", "main", "--head", "HEAD"]] {
        refused(args, "HEAD is on branch `fresh`, which has no commits yet");
    }
}
