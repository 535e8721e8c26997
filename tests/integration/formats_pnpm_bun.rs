//! pnpm-lock.yaml (5.4, 6.0, 9.0) and bun.lock: package sets against pnpm's and bun's own
//! reading (testdata/{pnpm,bun}/**/inventory-*.json), diffs of real before/after commits,
//! the shared corpus, and the binary bun.lockb.

use crate::support::{change, changed_names, check_inventories, TestRepo};
use serde_json::Value;
use std::path::Path;

const FIXTURES: &[&str] = &[
    "pnpm/v5/app",
    "pnpm/v5/workspace",
    "pnpm/v6/app",
    "pnpm/v6/workspace",
    "pnpm/v9/app",
    "pnpm/v9/workspace",
    "bun/app",
    "bun/workspace",
];

#[test]
fn package_sets_match_pnpm_and_bun_own_reading() {
    let checked: usize = FIXTURES.iter().map(|f| check_inventories(f)).sum();
    assert_eq!(checked, 16, "every fixture revision has an inventory");
}

/// `bumpcheck diff --format json` between a fixture's before/ and after/ commits.
fn diff_fixture(fixture: &str) -> Value {
    let (repo, base, head) =
        TestRepo::before_after(&format!("{fixture}/before"), &format!("{fixture}/after"));
    repo.diff_json(&base, &head)
}

#[test]
fn express_4_to_5_in_a_single_project() {
    for (fixture, lockfile) in [
        ("pnpm/v5/app", "pnpm-lock.yaml"),
        ("pnpm/v6/app", "pnpm-lock.yaml"),
        ("pnpm/v9/app", "pnpm-lock.yaml"),
        ("bun/app", "bun.lock"),
    ] {
        let report = diff_fixture(fixture);
        assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report:#}");
        let express = change(&report, "express");
        assert_eq!(
            (&express["from"], &express["to"], &express["kind"]),
            (&"4.21.2".into(), &"5.1.0".into(), &"major".into()),
            "{fixture}"
        );
        assert_eq!(express["direct"], true, "{fixture}");
        assert_eq!(express["lockfile"], lockfile, "{fixture}");
        // The alias `lodash4` moved to lodash 4.17.21: reported under the real name, direct.
        let lodash = change(&report, "lodash");
        assert_eq!(lodash["kind"], "patch", "{fixture}");
        assert_eq!(lodash["direct"], true, "{fixture}");
        // express 5 brings debug 4 beside the direct debug 2.6.9.
        let debug = change(&report, "debug");
        assert_eq!(debug["kind"], "major", "{fixture}: the highest copy");
        let debug = (&debug["from_all"], &debug["to_all"]);
        assert_eq!(debug.0, &serde_json::json!(["2.6.9"]), "{fixture}");
        assert_eq!(debug.1, &serde_json::json!(["2.6.9", "4.4.3"]), "{fixture}");
        let router = change(&report, "router");
        assert_eq!(
            (&router["kind"], &router["direct"]),
            (&"added".into(), &false.into())
        );
        assert_eq!(change(&report, "array-flatten")["kind"], "removed");
        // The project's own folder, the peer-suffixed and the tarball entries did not move.
        let n = changed_names(&report);
        for same in ["local-lib", "react-dom", "react", "left-pad", "ms"] {
            assert!(!n.contains(&same), "{fixture}: {same} in {n:?}");
        }
        assert_eq!(n.len(), 35, "{fixture}: {n:?}");
    }
}

#[test]
fn express_4_to_5_in_a_workspace_member() {
    for (fixture, lockfile) in [
        ("pnpm/v5/workspace", "pnpm-lock.yaml"),
        ("pnpm/v6/workspace", "pnpm-lock.yaml"),
        ("pnpm/v9/workspace", "pnpm-lock.yaml"),
        ("bun/workspace", "bun.lock"),
    ] {
        let report = diff_fixture(fixture);
        let express = change(&report, "express");
        assert_eq!(express["kind"], "major", "{fixture}");
        assert_eq!(
            express["direct"], true,
            "{fixture}: declared by packages/api"
        );
        assert_eq!(express["lockfile"], lockfile, "{fixture}");
        let debug = change(&report, "debug");
        assert_eq!(debug["direct"], true, "{fixture}");
        assert_eq!(
            debug["to_all"],
            serde_json::json!(["2.6.9", "4.3.4", "4.4.3"]),
            "{fixture}"
        );
        assert_eq!(change(&report, "send")["direct"], false, "{fixture}");
        let n = changed_names(&report);
        for same in ["@acme/web", "@acme/api", "lodash", "react-dom", "cross-env"] {
            assert!(!n.contains(&same), "{fixture}: {same} in {n:?}");
        }
        assert_eq!(n.len(), 34, "{fixture}: {n:?}");
    }
}

#[test]
fn malformed_pnpm_lock_is_named_with_its_line() {
    let repo = TestRepo::new();
    repo.copy_fixture("pnpm/v9/app/before", "");
    let base = repo.commit("before");
    let text = std::fs::read_to_string(repo.path().join("pnpm-lock.yaml")).unwrap();
    // Cut the file inside a flow mapping on line 3.
    let cut: String = text.lines().take(3).collect::<Vec<_>>().join("\n") + "\n  x: {a: [\n";
    repo.write("pnpm-lock.yaml", &cut);
    let head = repo.commit("truncated");
    let (code, report) = repo.diff_json_code(&base, &head);
    assert_eq!(code, Some(2), "{report:#}");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{report:#}");
    assert_eq!(errors[0]["path"], "pnpm-lock.yaml");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("line "), "{message}");
}

#[test]
fn binary_bun_lockb_says_how_to_get_the_text_lockfile() {
    let repo = TestRepo::new();
    let lockb = |tail: &[u8]| {
        let mut b = b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n".to_vec();
        b.extend_from_slice(tail);
        std::fs::write(repo.path().join("bun.lockb"), b).unwrap();
    };
    repo.write("package.json", "{\"name\": \"x\"}\n");
    lockb(&[2, 0, 0, 0]);
    let base = repo.commit("lockb");
    lockb(&[3, 0, 0, 0]);
    let head = repo.commit("lockb changed");
    let (code, report) = repo.diff_json_code(&base, &head);
    assert_eq!(code, Some(2), "{report:#}");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("bun.lockb"), "{message}");
    assert!(
        message.contains("bun install --save-text-lockfile"),
        "{message}"
    );
    assert!(message.contains("bun 1.2"), "{message}");
}

/// The real lockfiles of /work/shared/lockfile-corpus (read in place; CI has them at
/// ../shared): package counts and the changes their SOURCE.md describe.
#[test]
fn shared_corpus_pnpm_and_bun() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/lockfile-corpus");
    if !corpus.is_dir() {
        println!("skipped: {} is absent", corpus.display());
        return;
    }
    /// (case, lockfile, distinct names before and after, changed names, examples)
    type Case = (&'static str, &'static str, usize, usize, &'static [Example]);
    type Example = (&'static str, &'static str, &'static str);
    let cases: &[Case] = &[
        (
            "pnpm-lock-v5/antfu__vitesse",
            "pnpm-lock.yaml",
            // pnpm's own reader (@pnpm/lockfile-file 7) finds 970 names, 1089 and 1097
            // name@version pairs; SOURCE.md counts 968 names.
            970,
            47,
            &[
                ("@antfu/eslint-config", "0.29.2", "0.29.4"),
                ("@unocss/core", "0.46.2", "0.46.4"),
                ("@vueuse/core", "9.4.0", "9.5.0"),
                ("eslint", "8.26.0", "8.27.0"),
                ("@vue/runtime-core", "3.2.41", "3.2.42"),
            ],
        ),
        (
            "pnpm-lock-v6/tomrtk__fish-code",
            "pnpm-lock.yaml",
            329,
            6,
            &[
                ("jquery", "3.7.0", "3.7.1"),
                ("@types/jquery", "3.5.17", "3.5.18"),
                ("postcss", "8.4.28", "8.4.29"),
                ("prettier", "3.0.2", "3.0.3"),
                ("@tailwindcss/forms", "0.5.5", "0.5.6"),
            ],
        ),
        (
            "bun-lock/honojs__hono",
            "bun.lock",
            770,
            4,
            &[
                ("decimal.js", "10.4.3", "10.6.0"),
                ("entities", "4.5.0", "6.0.1"),
                ("nwsapi", "2.2.12", "2.2.21"),
                ("parse5", "7.1.2", "7.3.0"),
            ],
        ),
    ];
    for (case, lockfile, count, changed, examples) in cases {
        let dir = corpus.join(case);
        for rev in ["before", "after"] {
            let out = assert_cmd::cargo::cargo_bin_cmd!("bumpcheck")
                .args(["packages", "--format", "json"])
                .arg(dir.join(rev).join(lockfile))
                .output()
                .unwrap();
            assert!(out.status.success(), "{case}/{rev}");
            let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
            let names: std::collections::BTreeSet<&str> = rows
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["name"].as_str().unwrap())
                .collect();
            assert_eq!(names.len(), *count, "{case}/{rev}");
        }
        let repo = TestRepo::new();
        crate::support::copy_dir(&dir.join("before"), repo.path());
        let base = repo.commit("before");
        crate::support::copy_dir(&dir.join("after"), repo.path());
        let head = repo.commit("after");
        let report = repo.diff_json(&base, &head);
        let changes = report["changes"].as_array().unwrap();
        assert_eq!(changes.len(), *changed, "{case}");
        assert!(
            changes
                .iter()
                .all(|c| c["kind"] != "added" && c["kind"] != "removed"),
            "{case}"
        );
        for (name, from, to) in *examples {
            let c = change(&report, name);
            assert_eq!((&c["from"], &c["to"]), (&(*from).into(), &(*to).into()));
        }
    }
}
