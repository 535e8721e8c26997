//! The rule authors' commands: `rules new`, `rules validate` (schema, layout, imports,
//! placeholders), `rules test --format json` and `rules scan`.

use assert_cmd::cargo::cargo_bin_cmd;
use predicates::str::contains;
use std::path::Path;

fn bumpcheck(args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("bumpcheck")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const RULE: &str = r#"id: left-pad-2-pad-start
language: javascript
severity: warning
message: "leftPad() is gone"
url: https://example.invalid/left-pad/2.0
metadata:
  ecosystem: npm
  package: left-pad
  from: "<2.0.0"
  to: ">=2.0.0"
rule:
  pattern: leftPad($$$ARGS)
"#;

const TESTS: &str =
    "id: left-pad-2-pad-start\nvalid:\n  - s.padStart(3)\ninvalid:\n  - leftPad(s, 3)\n";

/// `rules new` writes the three files in the layout, refuses to overwrite them, and the
/// scaffold fails validate and test until its placeholders are filled in.
#[test]
fn new_scaffolds_a_rule_that_fails_until_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("r");
    let r = rules.to_str().unwrap();
    let (code, out, err) = bumpcheck(&["rules", "new", "pypi/flask/flask-3-x", "--dir", r]);
    assert_eq!(code, 0, "{out}{err}");
    for rel in [
        "library/pypi/flask/flask-3-x.yml",
        "tests/pypi/flask/flask-3-x-test.yml",
        "fixtures/pypi/flask/flask-3-x.py",
    ] {
        assert!(rules.join(rel).is_file(), "{rel}: {out}");
    }
    let rule = std::fs::read_to_string(rules.join("library/pypi/flask/flask-3-x.yml")).unwrap();
    assert!(
        rule.contains("language: python") && rule.contains("ecosystem: pypi"),
        "{rule}"
    );
    let fixture = std::fs::read_to_string(rules.join("fixtures/pypi/flask/flask-3-x.py")).unwrap();
    assert!(fixture.contains("import flask\n") && fixture.contains("# ruleid: flask-3-x"));

    let (code, _, err) = bumpcheck(&["rules", "new", "pypi/flask/flask-3-x", "--dir", r]);
    assert_eq!(code, 2);
    assert!(err.contains("refusing to overwrite"), "{err}");

    let (code, out, _) = bumpcheck(&["rules", "validate", r]);
    assert_eq!(code, 1);
    assert!(
        out.contains("flask-3-x.yml: `url`: still the `TODO` placeholder of `bumpcheck rules new` (fill in: url, message, note, metadata.from, metadata.to)"),
        "{out}"
    );
    // Once the rule is filled in, the placeholder tests still fail.
    let filled = rule
        .replace("TODO.example.invalid", "example.invalid")
        .replace("TODO: what", "What")
        .replace("<TODO", "<3.0.0")
        .replace(">=TODO", ">=3.0.0")
        .replace("TODO($ARG)", "flask.json_encoder($ARG)");
    std::fs::write(rules.join("library/pypi/flask/flask-3-x.yml"), filled).unwrap();
    let (code, out, _) = bumpcheck(&["rules", "test", r]);
    assert_eq!(code, 1);
    assert!(
        out.contains("a snippet is still the `TODO` placeholder"),
        "{out}"
    );
    assert!(
        out.contains("an annotated line is still the `TODO` placeholder"),
        "{out}"
    );

    let (code, _, err) = bumpcheck(&["rules", "new", "nuget/x/y", "--dir", r]);
    assert_eq!(code, 2);
    assert!(err.contains("pass --language"), "{err}");
    let (code, _, err) = bumpcheck(&["rules", "new", "npm/express", "--dir", r]);
    assert_eq!(code, 2);
    assert!(err.contains("is not ECOSYSTEM/PACKAGE/ID"), "{err}");
}

#[test]
fn validate_reports_unknown_fields_layout_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let rename = |id: &str| RULE.replace("left-pad-2-pad-start", id);
    write(
        p,
        "library/npm/left-pad/typo-top.yml",
        &rename("typo-top").replace("severity:", "severty:"),
    );
    write(
        p,
        "library/npm/left-pad/typo-meta.yml",
        &rename("typo-meta").replace("  package:", "  packge:"),
    );
    write(
        p,
        "library/npm/left-pad/typo-rule.yml",
        &rename("typo-rule").replace("  pattern:", "  patern:"),
    );
    write(
        p,
        "library/pypi/left-pad/wrong-dir.yml",
        &rename("wrong-dir"),
    );
    write(
        p,
        "library/npm/left-pad/bad-imports.yml",
        &rename("bad-imports").replace(
            "  to: \">=2.0.0\"\n",
            "  to: \">=2.0.0\"\n  imports: [\"left pad\"]\n",
        ),
    );
    write(
        p,
        "library/cargo/tokio/pep-window.yml",
        &rename("pep-window")
            .replace("ecosystem: npm", "ecosystem: cargo")
            .replace("\"<2.0.0\"", "\"<1.0,\"")
            .replace("javascript", "rust"),
    );
    let (code, out, _) = bumpcheck(&["rules", "validate", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    for expected in [
        "typo-top.yml:3:1: `severty`: unknown field `severty`",
        "typo-meta.yml:8:3: `metadata.packge`: unknown field `packge`",
        "typo-rule.yml:12:3: `rule.patern`: unknown field `patern`",
        "wrong-dir.yml:7:14: `metadata.ecosystem`: the rule is for npm but lives under library/pypi/",
        "bad-imports.yml:11:12: `metadata.imports`: `left pad` is not an import name",
        "(windows use npm's range syntax in every ecosystem",
    ] {
        assert!(out.contains(expected), "{expected}\n{out}");
    }
}

/// `rules test --format json` gives each rule's status: passed, noisy, missing.
#[test]
fn test_statuses_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for (id, valid, invalid) in [
        ("pads-ok", "s.padStart(3)", "leftPad(s, 3)"),
        ("pads-noisy", "leftPad(a)", "leftPad(s, 3)"),
        ("pads-missing", "s.padStart(3)", "left(s, 3)"),
    ] {
        write(
            p,
            &format!("{id}.yml"),
            &RULE.replace("left-pad-2-pad-start", id).replace(
                "  to: \">=2.0.0\"\n",
                "  to: \">=2.0.0\"\n  imports: [\"*\"]\n",
            ),
        );
        write(
            p,
            &format!("{id}-test.yml"),
            &format!("id: {id}\nvalid:\n  - {valid}\ninvalid:\n  - {invalid}\n"),
        );
    }
    write(
        p,
        "fixture.js",
        "// ruleid: pads-ok, pads-noisy, pads-missing\nleftPad(x, 2);\n// ok: pads-ok, pads-noisy, pads-missing\nx.padStart(2);\n",
    );
    let dir_arg = p.to_str().unwrap();
    let (code, out, _) = bumpcheck(&["rules", "test", dir_arg]);
    assert_eq!(code, 1);
    assert!(out.contains("noisy   pads-noisy"), "{out}");
    assert!(out.contains("missing pads-missing"), "{out}");
    assert!(out.contains("passed  pads-ok"), "{out}");
    assert!(
        out.contains(
            "3 rules: 1 passed, 2 failed (1 noisy, 1 missing, 0 fix-broken, 0 incomplete)"
        ),
        "{out}"
    );
    let (code, out, _) = bumpcheck(&["rules", "test", dir_arg, "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let status = |id: &str| {
        json["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status("pads-ok").as_deref(), Some("passed"));
    assert_eq!(status("pads-noisy").as_deref(), Some("noisy"));
    assert_eq!(status("pads-missing").as_deref(), Some("missing"));
    assert_eq!(json["summary"]["noisy"], 1);
    assert_eq!(json["summary"]["failed"], 2);
    let noisy = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "pads-noisy")
        .unwrap();
    assert_eq!(noisy["problems"][0]["kind"], "noisy");
    assert!(noisy["problems"][0]["detail"]
        .as_str()
        .unwrap()
        .contains("reported here"));
}

/// `rules scan` runs the rules with no trigger, honouring the imports scoping.
#[test]
fn scan_runs_rules_over_a_tree_with_imports_scoping() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    write(&rules, "left-pad-2-pad-start.yml", RULE);
    write(&rules, "left-pad-2-pad-start-test.yml", TESTS);
    let tree = dir.path().join("tree");
    write(
        &tree,
        "uses.js",
        "const leftPad = require('left-pad');\nleftPad('a', 3);\n",
    );
    write(
        &tree,
        "lookalike.js",
        "// require('left-pad')\nleftPad('a', 3);\n",
    );
    write(
        &tree,
        "node_modules/left-pad/index.js",
        "require('left-pad');\nleftPad(1);\n",
    );
    write(
        &tree,
        "src/app.ts",
        "import leftPad from 'left-pad/index';\nexport const x = leftPad('b', 2);\n",
    );
    let (code, out, err) = bumpcheck(&[
        "rules",
        "scan",
        tree.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("uses.js:2:1: left-pad-2-pad-start: leftPad('a', 3);"),
        "{out}"
    );
    assert!(
        out.contains("src/app.ts:2:18: left-pad-2-pad-start"),
        "{out}"
    );
    assert!(
        !out.contains("lookalike.js") && !out.contains("node_modules"),
        "{out}"
    );
    assert!(
        out.contains("2 findings from 1 of 1 rules in 3 files"),
        "{out}"
    );
    let (_, out, _) = bumpcheck(&[
        "rules",
        "scan",
        tree.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["counts"]["left-pad-2-pad-start"], 2);
    assert_eq!(json["findings"].as_array().unwrap().len(), 2);
    cargo_bin_cmd!("bumpcheck")
        .args([
            "rules",
            "scan",
            tree.to_str().unwrap(),
            "--id",
            "no-such-rule",
        ])
        .assert()
        .code(2)
        .stderr(contains("no rule with id `no-such-rule`"));
}
