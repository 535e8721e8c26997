//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. The fired rules are the
//! tool's rules; each finding is a result at a path relative to the repository root
//! (`%SRCROOT%`), with a fingerprint that survives pushes (rule, path and the matched
//! code, not its line) and the package change that fired it in its properties.

use super::{Finding, Report, RuleInfo};
use crate::rules::Severity;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key: versioned, so a change of recipe is a new key.
pub const FINGERPRINT_KEY: &str = "bumpcheck/v1";

pub fn render(report: &Report) -> String {
    super::json::render_value(&log(report))
}

pub fn log(report: &Report) -> Value {
    let mut rules: Vec<RuleInfo> = report.rules.clone();
    for f in &report.findings {
        if !rules.iter().any(|r| r.id == f.rule) {
            rules.push(RuleInfo {
                id: f.rule.clone(),
                severity: f.severity,
                message: f.message.clone(),
                note: f.note.clone(),
                url: f.references.first().cloned().unwrap_or_default(),
            });
        }
    }
    let index: BTreeMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let base = fingerprint(f);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            result(report, f, index[f.rule.as_str()], &format!("{base}:{n}"))
        })
        .collect();
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| json!({"level": "error", "message": {"text": e.message}}))
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": report.tool.name,
            "version": report.tool.version,
            "semanticVersion": report.tool.version,
            "rules": rules.iter().map(rule).collect::<Vec<_>>(),
        }},
        "invocations": [{
            "executionSuccessful": report.errors.is_empty() || report.analysed_lockfiles > 0,
            "toolExecutionNotifications": notifications,
        }],
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The repository root."}}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(config) = &report.config {
        run["properties"] = json!({"configurationFile": config});
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

fn rule(r: &RuleInfo) -> Value {
    let full = r.note.as_deref().unwrap_or(&r.message);
    let mut v = json!({
        "id": r.id,
        "name": pascal_case(&r.id),
        "shortDescription": {"text": r.message},
        "fullDescription": {"text": full},
        "help": {"text": format!("{full}\n\nSee: {}", r.url)},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {"tags": ["dependency-upgrade"]},
    });
    if !r.url.is_empty() {
        v["helpUri"] = json!(r.url);
    }
    v
}

fn result(report: &Report, f: &Finding, rule_index: usize, fingerprint: &str) -> Value {
    let change = report.changes.get(f.change);
    json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": super::links::encode_path(&f.path), "uriBaseId": "%SRCROOT%"},
            "region": {
                "startLine": f.line,
                "startColumn": f.column,
                "endLine": f.end_line,
                "endColumn": f.end_column,
                "snippet": {"text": f.snippet},
            },
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "package": f.package,
            "ecosystem": change.map(|c| c.ecosystem),
            "from": f.from,
            "to": f.to,
            "kind": change.map(|c| c.kind.as_str()),
            "direct": change.map(|c| c.direct),
            "lockfile": change.map(|c| c.lockfile.as_str()),
        },
    })
}

/// FNV-1a (64 bits) of the rule, the path and the matched code with its whitespace
/// collapsed: the same finding keeps its fingerprint when lines move above it.
pub fn fingerprint(f: &Finding) -> String {
    let matched = matched_text(f);
    let code: Vec<&str> = matched.split_whitespace().collect();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [
        f.rule.as_str(),
        "\0",
        f.path.as_str(),
        "\0",
        &code.join(" "),
    ] {
        for b in part.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// The matched code: the snippet from the start column to the end column (the snippet
/// holds whole lines, the match's first line first).
fn matched_text(f: &Finding) -> String {
    let lines: Vec<&str> = f.snippet.lines().collect();
    let mut out = String::new();
    for (k, line) in lines.iter().enumerate() {
        let n = f.line + k;
        let from = if k == 0 { f.column - 1 } else { 0 };
        let chars: Vec<char> = line.chars().collect();
        let to = if n == f.end_line {
            (f.end_column - 1).min(chars.len())
        } else {
            chars.len()
        };
        out.extend(chars.get(from.min(to)..to).into_iter().flatten());
        out.push('\n');
        if n == f.end_line {
            break;
        }
    }
    out
}

fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_uppercase().chain(cs).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::finding;

    #[test]
    fn fingerprints_ignore_lines_and_whitespace() {
        let a = finding("r", "src/a.js", 3, "  x.param( 'id' );", 3, 18);
        let mut b = finding("r", "src/a.js", 40, "\tx.param(   'id' );  // moved", 2, 19);
        assert_eq!(matched_text(&a), "x.param( 'id' )\n");
        assert_eq!(fingerprint(&a), fingerprint(&b));
        b.path = "src/b.js".into();
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(pascal_case("express-5-req-param"), "Express5ReqParam");
    }
}
