//! `bumpcheck-ignore` comments in Python and Rust: real poetry.lock and Cargo.lock
//! upgrades (testdata/), local rules fired by them, and suppressions in each language's
//! own comment syntax. Markers in string literals or docstrings suppress nothing.

use crate::support::{findings, TestRepo};

/// A repository whose first commit holds `before` plus `source` at `path`, and whose
/// second swaps in `after`'s lockfile and manifests: (repo, base, head).
fn upgrade(before: &str, after: &str, path: &str, source: &str) -> (TestRepo, String, String) {
    let repo = TestRepo::new();
    repo.copy_fixture(before, "");
    repo.write(path, source);
    let base = repo.commit("before");
    repo.copy_fixture(after, "");
    let head = repo.commit("after");
    (repo, base, head)
}

/// A rule directory holding one rule.
fn rule(
    id: &str,
    language: &str,
    ecosystem: &str,
    package: &str,
    pattern: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(format!("{id}.yml")),
        format!(
            "id: {id}\nlanguage: {language}\nseverity: warning\nmessage: {package} changed\n\
             url: https://docs.example.invalid/{id}\nmetadata:\n  ecosystem: {ecosystem}\n  \
             package: {package}\n  change: major\nrule:\n  pattern: {pattern}\n"
        ),
    )
    .unwrap();
    dir
}

fn row(rule: &str, path: &str, line: u64) -> (String, String, u64) {
    (rule.to_string(), path.to_string(), line)
}

const PY: &str = r##"from flask import Flask; from markupsafe import escape

app = Flask(__name__)

# bumpcheck-ignore: local-flask-escape -- markupsafe's escape is re-exported here
a = escape("x")
b = escape("y")  # bumpcheck-ignore: local-flask-escape
label = "# bumpcheck-ignore: local-flask-escape -- in a string"
c = escape("z")
"""bumpcheck-ignore: local-flask-escape -- in a docstring"""
d = escape("w")
# bumpcheck-ignore: local-flask-escape -- nothing below calls it
print("done")
"##;

#[test]
fn python_suppressions_with_a_poetry_upgrade() {
    // poetry.lock: flask 2.3.3 -> 3.0.3.
    let (repo, base, head) = upgrade("pypi/poetry/before", "pypi/poetry/after", "app.py", PY);
    let rules = rule(
        "local-flask-escape",
        "python",
        "pypi",
        "flask",
        "escape($X)",
    );
    let dir = rules.path().to_str().unwrap();
    let (code, report) = repo.check_json(&["--base", &base, "--head", &head, "--rules", dir]);
    assert_eq!(
        findings(&report),
        [
            row("bumpcheck-suppression-without-reason", "app.py", 7),
            row("local-flask-escape", "app.py", 9),
            row("local-flask-escape", "app.py", 11),
            row("bumpcheck-unused-suppression", "app.py", 12),
        ],
        "{report:#}"
    );
    assert_eq!(report["suppressed"], 2, "lines 6 and 7");
    let without_reason = &report["findings"][0];
    assert_eq!(without_reason["severity"], "warning");
    assert_eq!(without_reason["column"], 20, "at the marker");
    assert!(
        report["findings"][3]["message"]
            .as_str()
            .unwrap()
            .contains("suppresses nothing on line 13"),
        "{report:#}"
    );
    assert_eq!(code, 0, "warnings only");
}

const RS: &str = r#"use bitflags::bitflags;

pub fn a(f: Flags) -> u32 {
    // bumpcheck-ignore: local-bitflags-bits -- checked against bitflags 2
    // (bits() keeps its meaning for these flags)
    f.bits()
}

pub fn b(f: Flags) -> u32 {
    f.bits() // bumpcheck-ignore: local-bitflags-bits
}

pub fn c(f: Flags) -> u32 {
    let _s = "// bumpcheck-ignore: local-bitflags-bits -- in a string";
    f.bits()
}

pub fn d(f: Flags) -> u32 {
    /* bumpcheck-ignore: local-bitflags-bits -- a block comment */
    f.bits()
}

/// bumpcheck-ignore: local-bitflags-bits -- nothing here
pub fn e() {}
"#;

#[test]
fn rust_suppressions_with_a_cargo_upgrade() {
    // Cargo.lock: bitflags 1.3.2 -> 2.13.2.
    let (repo, base, head) = upgrade(
        "cargo/workspace/before",
        "cargo/workspace/after",
        "src/flags.rs",
        RS,
    );
    let rules = rule(
        "local-bitflags-bits",
        "rust",
        "cargo",
        "bitflags",
        "$F.bits()",
    );
    let dir = rules.path().to_str().unwrap();
    let (_, report) = repo.check_json(&["--base", &base, "--head", &head, "--rules", dir]);
    assert_eq!(
        findings(&report),
        [
            row("bumpcheck-suppression-without-reason", "src/flags.rs", 10),
            row("local-bitflags-bits", "src/flags.rs", 15),
            row("bumpcheck-unused-suppression", "src/flags.rs", 23),
        ],
        "{report:#}"
    );
    assert_eq!(report["suppressed"], 3, "lines 6, 10 and 20");
}
