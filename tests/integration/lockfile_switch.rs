//! A project that switches package manager in one folder: the old lockfile gone, another
//! format of the same ecosystem in its place. Only real version differences are changes,
//! and one line says the lockfile format changed.

use crate::support::{change, changed_names, testdata, TestRepo};
use serde_json::Value;

fn switched(report: &Value) -> Vec<(&str, &str)> {
    report["switched_lockfiles"]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|s| (s["from"].as_str().unwrap(), s["to"].as_str().unwrap()))
                .collect()
        })
        .unwrap_or_default()
}

fn text(repo: &TestRepo, args: &[&str]) -> String {
    let out = repo.bumpcheck(args).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// pnpm-lock.yaml replaced by bun.lock for the same package.json: both package managers
/// resolved the same versions (bun records the tarball dependency by its URL, pnpm by its
/// version), so no package is reported at all.
#[test]
fn pnpm_to_bun_with_the_same_versions_reports_only_the_switch() {
    let (repo, base, head) = TestRepo::before_after("pnpm/v9/app/before", "bun/app/before");
    let report = repo.diff_json(&base, &head);
    assert_eq!(switched(&report), [("pnpm-lock.yaml", "bun.lock")]);
    assert_eq!(changed_names(&report), Vec::<&str>::new(), "{report:#}");

    let out = text(&repo, &["diff", "--base", &base, "--head", &head]);
    assert!(
        out.contains("lockfile format changed: pnpm-lock.yaml -> bun.lock"),
        "{out}"
    );
    assert!(out.contains("No package version changed."), "{out}");
    let md = text(
        &repo,
        &[
            "check", "--base", &base, "--head", &head, "--format", "markdown",
        ],
    );
    assert!(
        md.contains("Lockfile format changed: `pnpm-lock.yaml` → `bun.lock`"),
        "{md}"
    );
}

/// The switch made in the same commit as an upgrade: the upgrade is reported as one, with
/// the rules firing, and nothing else.
#[test]
fn pnpm_to_bun_with_an_upgrade_reports_the_upgrade() {
    let (repo, base, head) = TestRepo::before_after("pnpm/v9/app/before", "bun/app/after");
    let report = repo.diff_json(&base, &head);
    assert_eq!(switched(&report), [("pnpm-lock.yaml", "bun.lock")]);
    let express = change(&report, "express");
    assert_eq!(express["from"], "4.21.2");
    assert_eq!(express["to"], "5.1.0");
    assert_eq!(express["kind"], "major");
    assert_eq!(express["lockfile"], "bun.lock");
    // pnpm and bun resolved the same versions for `before`: the switch reads exactly as
    // bun's own before -> after diff does.
    let (bun_repo, bun_base, bun_head) = TestRepo::before_after("bun/app/before", "bun/app/after");
    let bun_only = bun_repo.diff_json(&bun_base, &bun_head);
    assert!(bun_only["changes"].as_array().unwrap().len() > 20);
    assert_eq!(report["changes"], bun_only["changes"]);
}

/// Pipfile.lock replaced by the requirements file pipenv itself exported for the next
/// Pipfile: the two real upgrades and the new package, nothing removed.
#[test]
fn pipfile_lock_to_requirements_pairs_across_formats() {
    let repo = TestRepo::new();
    repo.copy_fixture("pypi/pipenv/before", "svc");
    let base = repo.commit("pipenv");
    std::fs::remove_file(repo.path().join("svc/Pipfile.lock")).unwrap();
    let exported: Value = serde_json::from_slice(
        &std::fs::read(testdata("pypi/pipenv/after.pipenv-requirements.json")).unwrap(),
    )
    .unwrap();
    let pins: String = exported["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}=={}\n",
                p["name"].as_str().unwrap(),
                p["version"].as_str().unwrap()
            )
        })
        .collect();
    repo.write("svc/requirements.txt", &pins);
    let head = repo.commit("pip");
    let report = repo.diff_json(&base, &head);
    assert_eq!(
        switched(&report),
        [("svc/Pipfile.lock", "svc/requirements.txt")]
    );
    let requests = change(&report, "requests");
    assert_eq!(requests["from"], "2.31.0");
    assert_eq!(requests["to"], "2.32.3");
    assert_eq!(requests["lockfile"], "svc/requirements.txt");
    assert!(
        report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["kind"] != "removed"),
        "{report:#}"
    );
}

/// Another folder is another project: a lockfile gone from one folder and another format
/// appearing elsewhere are not a switch.
#[test]
fn a_new_format_in_another_folder_is_not_a_switch() {
    let repo = TestRepo::new();
    repo.copy_fixture("pnpm/v9/app/before", "web");
    let base = repo.commit("pnpm");
    repo.replace_with_fixture("bun/app/before");
    std::fs::create_dir_all(repo.path().join("api")).unwrap();
    for f in ["bun.lock", "package.json"] {
        std::fs::rename(repo.path().join(f), repo.path().join("api").join(f)).unwrap();
    }
    let head = repo.commit("bun elsewhere");
    let report = repo.diff_json(&base, &head);
    assert_eq!(switched(&report), Vec::<(&str, &str)>::new());
    let express: Vec<(&str, &str)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "express")
        .map(|c| (c["lockfile"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        express,
        [("api/bun.lock", "added"), ("web/pnpm-lock.yaml", "removed")]
    );
}
