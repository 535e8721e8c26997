//! rules/schema/rule.schema.json (editor completion for rule files) accepts every rule
//! of the library and rejects the mistakes authors make.

use std::path::{Path, PathBuf};

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/schema/rule.schema.json"),
    )
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn yaml(text: &str) -> serde_json::Value {
    serde_saphyr::from_str(text).unwrap()
}

fn rule_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rule_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            out.push(path);
        }
    }
}

fn problems(validator: &jsonschema::Validator, value: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_library_rule_matches_the_schema() {
    let validator = schema();
    let mut files = Vec::new();
    rule_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/library"),
        &mut files,
    );
    assert!(files.len() >= 30, "{files:?}");
    let mut failures = Vec::new();
    for path in &files {
        let value = yaml(&std::fs::read_to_string(path).unwrap());
        for p in problems(&validator, &value) {
            failures.push(format!("{}: {p}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_schema_rejects_typos_and_missing_fields() {
    let validator = schema();
    let good = "id: x-1\nlanguage: python\nseverity: error\nmessage: m\nurl: https://example.invalid/a\nmetadata:\n  ecosystem: pypi\n  package: flask\n  from: \"<3\"\n  to: \">=3\"\n  imports: [flask]\nrule:\n  all:\n    - pattern: $A.b()\n    - inside: { kind: call, stopBy: end }\nfix: \"$A.c()\"\n";
    assert!(
        problems(&validator, &yaml(good)).is_empty(),
        "{:?}",
        problems(&validator, &yaml(good))
    );
    for (bad, why) in [
        (
            good.replace("severity:", "severty:"),
            "unknown top-level key",
        ),
        (
            good.replace("  package:", "  packge:"),
            "unknown metadata key",
        ),
        (good.replace("pattern:", "patern:"), "unknown rule key"),
        (
            good.replace("url: https://example.invalid/a\n", ""),
            "no url",
        ),
        (
            good.replace("https://example.invalid/a", "example.invalid/a"),
            "url not http",
        ),
        (good.replace("  to: \">=3\"\n", ""), "from without to"),
        (good.replace("[flask]", "[\"fl ask\"]"), "bad import"),
        (
            good.replace("language: python", "language: java"),
            "language not compiled in",
        ),
        (good.replace("stopBy: end", "stopBy: top"), "bad stopBy"),
    ] {
        assert!(
            !problems(&validator, &yaml(&bad)).is_empty(),
            "{why}: accepted\n{bad}"
        );
    }
}
