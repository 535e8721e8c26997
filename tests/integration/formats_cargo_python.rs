//! Cargo.lock and the Python lockfiles (poetry.lock, uv.lock, Pipfile.lock, pdm.lock,
//! requirements files): real fixtures written by the package managers themselves
//! (testdata/README.md), diffed between two commits, and read as the package managers
//! read them (the recorded `*.json` beside each fixture revision).

use crate::support::{change, name_version_set, packages_of, testdata, TestRepo};
use serde_json::Value;
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
    repo.diff_json(&base, &head)
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
            // `<rev>.<tool>.json`, or `<rev>.<lockfile>.<tool>.json` where a revision
            // holds several lockfiles.
            let Some(stem) = file.strip_suffix(&format!(".{tool}.json")) else {
                continue;
            };
            let (rev, name) = stem.split_once('.').unwrap_or((stem, lockfile_name));
            let lockfile = case.join(rev).join(name);
            if !lockfile.exists() {
                continue;
            }
            let recorded: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(
                packages_of(&lockfile),
                name_version_set(&recorded["packages"]),
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

#[test]
fn python_package_sets_match_the_package_managers() {
    for (lockfile, tool, revisions) in [
        ("uv.lock", "uv-export", 2),
        ("poetry.lock", "poetry-show", 2),
        ("Pipfile.lock", "pipenv-requirements", 2),
        ("pdm.lock", "pdm-export", 2),
        ("requirements.txt", "pip-parse", 4),
    ] {
        assert_eq!(check_recorded("pypi", lockfile, tool), revisions, "{tool}");
    }
}

#[test]
fn uv_workspace_member_dependencies_are_direct() {
    let report = diff_fixture("pypi/uv-workspace/before", "pypi/uv-workspace/after", "");
    no_errors(&report);
    assert_eq!(
        summary(&report),
        [
            "annotated-types added ->0.7.0 transitive",
            // The root project's own dependency.
            "flask major 2.3.3->3.1.1 direct",
            // Declared by the workspace member packages/lib (an editable entry of uv.lock).
            "pydantic major 1.10.22->2.11.5 direct",
            "pydantic-core added ->2.33.2 transitive",
            "typing-inspection added ->0.4.1 transitive",
        ]
    );
    assert_eq!(change(&report, "flask")["ecosystem"], "pypi");
}

#[test]
fn poetry_pipenv_and_pdm_lockfiles() {
    let cases: [(&str, &[&str]); 3] = [
        (
            "poetry",
            &[
                "flask major 2.3.3->3.0.3 direct",
                // A dev group dependency ([tool.poetry.group.dev.dependencies]).
                "iniconfig minor 2.0.0->2.1.0 direct",
            ],
        ),
        (
            "pipenv",
            &[
                "blinker added ->1.9.0 transitive",
                "click added ->8.5.1 transitive",
                "flask added ->3.0.3 direct",
                "itsdangerous added ->2.2.0 transitive",
                "jinja2 added ->3.1.6 transitive",
                "markupsafe added ->3.0.4 transitive",
                "requests minor 2.31.0->2.32.3 direct",
                "werkzeug added ->3.1.9 transitive",
            ],
        ),
        (
            "pdm",
            &[
                "annotated-types added ->0.7.0 transitive",
                // A PEP 735 [dependency-groups] entry.
                "iniconfig minor 2.0.0->2.1.0 direct",
                "pydantic major 1.10.22->2.11.5 direct",
                "pydantic-core added ->2.33.2 transitive",
                "typing-inspection added ->0.4.1 transitive",
            ],
        ),
    ];
    for (case, expected) in cases {
        let report = diff_fixture(
            &format!("pypi/{case}/before"),
            &format!("pypi/{case}/after"),
            "",
        );
        no_errors(&report);
        assert_eq!(summary(&report), expected, "{case}");
    }
}

#[test]
fn requirements_files_and_their_includes() {
    let report = diff_fixture("pypi/pip-compile/before", "pypi/pip-compile/after", "svc");
    no_errors(&report);
    let rows: Vec<String> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} {} {}", c["lockfile"], c["name"], c["direct"]))
        .collect();
    assert_eq!(
        rows,
        [
            // requirements-dev.txt pins iniconfig and pulls in requirements.txt with `-r`.
            "\"svc/requirements-dev.txt\" \"flask\" true",
            "\"svc/requirements-dev.txt\" \"iniconfig\" true",
            // pip-compile's `# via -r requirements.in` marks flask direct; `# via flask`
            // marks its dependencies transitive.
            "\"svc/requirements.txt\" \"flask\" true",
        ]
    );

    // A pin that moves only in the included file shows in both, and a missing include
    // is reported, not fatal.
    let repo = TestRepo::new();
    repo.write(
        "requirements/base.txt",
        "click==8.1.7\n    # via -r base.in\n",
    );
    repo.write(
        "requirements-dev.txt",
        "-r requirements/base.txt\npytest==8.2.0\n",
    );
    let base = repo.commit("base");
    repo.write(
        "requirements/base.txt",
        "click==8.1.8\n    # via -r base.in\n",
    );
    repo.write(
        "requirements-dev.txt",
        "-r requirements/base.txt\n-r gone.txt\npytest==8.2.0\n",
    );
    let head = repo.commit("head");
    let report = repo.diff_json(&base, &head);
    // requirements/base.txt is a requirements file of its own (pip's folder convention).
    assert_eq!(
        summary(&report),
        [
            "click patch 8.1.7->8.1.8 direct",
            "click patch 8.1.7->8.1.8 direct"
        ]
    );
    assert_eq!(report["changes"][0]["lockfile"], "requirements-dev.txt");
    assert_eq!(report["changes"][1]["lockfile"], "requirements/base.txt");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert!(errors[0]["message"]
        .as_str()
        .unwrap()
        .contains("cannot read its include gone.txt"));
}

#[test]
fn a_truncated_python_lockfile_is_an_error_with_its_position() {
    let repo = TestRepo::new();
    repo.copy_fixture("pypi/uv-workspace/before", "");
    let base = repo.commit("before");
    let full = std::fs::read_to_string(testdata("pypi/uv-workspace/after/uv.lock")).unwrap();
    let cut = &full[..full.find("[[package]]\nname = \"flask\"").unwrap() + 20];
    repo.write("uv.lock", cut);
    let head = repo.commit("truncated");
    let out = repo
        .bumpcheck(&["diff", "--format", "json", "--base", &base, "--head", &head])
        .output()
        .unwrap();
    // The only changed lockfile is unreadable: exit 2, with the error in the report.
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = report["errors"][0]["message"].as_str().unwrap();
    let line = full[..cut.len()].lines().count();
    assert!(
        message.contains(&format!("line {line}")),
        "expected line {line}: {message}"
    );
}

/// Real lockfiles from public repositories (../shared/lockfile-corpus): the changes their
/// SOURCE.md states, from bumpcheck's diff of the two commits.
#[test]
fn python_corpus_matches_its_recorded_changes() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/lockfile-corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} is absent", corpus.display());
        return;
    }
    // (case, (changed versions, added, removed), one change that must be there)
    let cases = [
        (
            "poetry-lock/artsmolin__pythogen",
            (9, 1, 1),
            "openapi-spec-validator minor 0.6.0->0.7.1 direct",
        ),
        (
            "pipfile-lock/TampereHacklab__mulysa",
            (5, 0, 0),
            "aiohttp minor 3.13.5->3.14.0 transitive",
        ),
        (
            "pdm-lock/pdm-project__pdm",
            (36, 4, 4),
            "pydantic major 1.10.9->2.9.2 transitive",
        ),
    ];
    for (case, (changed, added, removed), example) in cases {
        let repo = TestRepo::new();
        crate::support::copy_dir(&corpus.join(case).join("before"), repo.path());
        let base = repo.commit("before");
        crate::support::copy_dir(&corpus.join(case).join("after"), repo.path());
        let head = repo.commit("after");
        let report = repo.diff_json(&base, &head);
        no_errors(&report);
        let rows = summary(&report);
        let count = |kind: &str| {
            rows.iter()
                .filter(|r| r.split(' ').nth(1) == Some(kind))
                .count()
        };
        assert_eq!(
            (
                rows.len() - count("added") - count("removed"),
                count("added"),
                count("removed")
            ),
            (changed, added, removed),
            "{case}: {rows:#?}"
        );
        assert!(rows.iter().any(|r| r == example), "{case}: {rows:#?}");
    }
}

/// A Django project keeping its pins under `requirements/` (pip's folder convention):
/// the upgrade is read from `requirements/common.txt`, and the rules scan the project that
/// holds the folder, not the folder itself.
#[test]
fn requirements_folder_pins_and_the_project_above_it() {
    let repo = TestRepo::new();
    repo.write(
        "requirements/common.txt",
        "Django==3.2.25\nsqlparse==0.4.4\n",
    );
    repo.write("requirements/dev.txt", "-r common.txt\npytest==8.0.0\n");
    repo.write(
        "project/urls.py",
        "from django.conf.urls import url\n\nurlpatterns = [url(r'^$', lambda r: None)]\n",
    );
    let base = repo.commit("django 3.2");
    repo.write(
        "requirements/common.txt",
        "Django==4.2.13\nsqlparse==0.4.4\n",
    );
    repo.commit("django 4.2");
    let (code, report) = repo.check_json(&["--base", &base]);
    assert_eq!(code, 1, "{report:#}");
    let django: Vec<&str> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == "django")
        .map(|c| c["lockfile"].as_str().unwrap())
        .collect();
    // Attributed to the file that changed: dev.txt only pulls common.txt in, unchanged.
    assert_eq!(django, ["requirements/common.txt"]);
    let findings = crate::support::findings(&report);
    assert!(
        findings
            .iter()
            .any(|(rule, path, _)| rule == "django-4-conf-urls-url" && path == "project/urls.py"),
        "{findings:?}"
    );
}
