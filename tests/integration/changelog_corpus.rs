//! The slicer and the highlights on real changelog files, one of each heading style the
//! issue names. The files are not committed: `testdata/changelogs/fetch.sh` downloads
//! them from the registries into `target/changelog-corpus/` (or `BUMPCHECK_CHANGELOG_CORPUS`)
//! and this test skips, saying so, a file that is not there. What is committed is the
//! structure of each slice, checked by hand once against the real file (see
//! testdata/README.md): versions in order, each section's title and line count, and its
//! highlights as kind and API names. `BUMPCHECK_UPDATE_SNAPSHOTS=1` rewrites them.

use bumpcheck::ecosystem::Ecosystem;
use bumpcheck::notes::{changelog, highlights};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

struct Case {
    file: &'static str,
    package: &'static str,
    ecosystem: Ecosystem,
    from: &'static str,
    to: &'static str,
}

const CASES: [Case; 4] = [
    Case {
        file: "express-History.md",
        package: "express",
        ecosystem: Ecosystem::Npm,
        from: "4.21.2",
        to: "5.1.0",
    },
    Case {
        file: "standard-version-CHANGELOG.md",
        package: "standard-version",
        ecosystem: Ecosystem::Npm,
        from: "7.1.0",
        to: "9.0.0",
    },
    Case {
        file: "eslint-plugin-import-CHANGELOG.md",
        package: "eslint-plugin-import",
        ecosystem: Ecosystem::Npm,
        from: "0.12.1",
        to: "1.0.0",
    },
    Case {
        file: "flask-CHANGES.rst",
        package: "flask",
        ecosystem: Ecosystem::Pypi,
        from: "2.2.5",
        to: "3.0.0",
    },
];

fn corpus_dir() -> PathBuf {
    match std::env::var_os("BUMPCHECK_CHANGELOG_CORPUS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/changelog-corpus"),
    }
}

/// The structure of the slice (from, to] of a changelog.
fn structure(case: &Case, text: &str) -> String {
    let sections = changelog::slice(
        changelog::sections(text, case.package),
        case.ecosystem,
        Some(case.from),
        case.to,
    );
    let mut out = format!(
        "{} {}..{}: {} sections\n",
        case.file,
        case.from,
        case.to,
        sections.len()
    );
    for s in &sections {
        let lines = if s.body.is_empty() {
            0
        } else {
            s.body.lines().count()
        };
        let _ = writeln!(out, "\n{} | {} | {lines} lines", s.version, s.heading);
        for h in highlights::extract(&s.body) {
            let kind = format!("{:?}", h.kind).to_lowercase();
            let _ = writeln!(out, "  {kind} {:?}", h.apis);
        }
    }
    out
}

#[test]
fn real_changelogs_slice_as_checked_by_hand() {
    let dir = corpus_dir();
    let update = std::env::var_os("BUMPCHECK_UPDATE_SNAPSHOTS").is_some_and(|v| v == "1");
    let mut checked = 0;
    for case in &CASES {
        let Ok(text) = std::fs::read_to_string(dir.join(case.file)) else {
            // Past the test harness's capture, so that a skip is seen.
            let _ = writeln!(
                std::io::stderr(),
                "changelog corpus: skipped {}: not in {} (run testdata/changelogs/fetch.sh)",
                case.file,
                dir.display()
            );
            continue;
        };
        let got = structure(case, &text);
        let snapshot = crate::support::testdata(&format!("changelogs/{}.slice.txt", case.file));
        if update {
            std::fs::write(&snapshot, &got).unwrap();
        }
        let want = std::fs::read_to_string(&snapshot)
            .unwrap_or_else(|e| panic!("{}: {e}", snapshot.display()));
        assert_eq!(got, want, "{} no longer slices as checked", case.file);
        checked += 1;
    }
    let _ = writeln!(
        std::io::stderr(),
        "changelog corpus: {checked} of {} real changelogs checked",
        CASES.len()
    );
}
