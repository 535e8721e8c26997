//! The rules catalogue (`bumpcheck rules list --format markdown`, kept as docs/rules.md):
//! the rules grouped by ecosystem and package, with their window, severity, reference
//! and whether they have a fix.

use super::Rule;
use crate::ecosystem::Ecosystem;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The command that regenerates docs/rules.md.
pub const REGENERATE: &str = "cargo run -q -- rules list --format markdown > docs/rules.md";

/// The group a rule is listed under: the package folder of the library layout
/// (`library/npm/express/...`), or its first package.
fn group_of(rule: &Rule) -> String {
    let parts: Vec<&str> = rule.path.split('/').collect();
    match parts.iter().rposition(|p| *p == "library") {
        Some(at) if at + 3 < parts.len() => parts[at + 2..parts.len() - 1].join("/"),
        _ => rule.trigger.packages[0].clone(),
    }
}

fn window(rule: &Rule) -> String {
    let mut parts = Vec::new();
    if let Some((from, to)) = &rule.trigger.window {
        parts.push(format!("`{from}` → `{to}`"));
    }
    if !rule.trigger.kinds.is_empty() {
        let kinds: Vec<&str> = rule.trigger.kinds.iter().map(|k| k.as_str()).collect();
        parts.push(format!("{} change", kinds.join(" or ")));
    }
    parts.join(", ")
}

/// Text safe inside a Markdown table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

pub fn markdown(rules: &[Rule]) -> String {
    let mut by_eco: BTreeMap<Ecosystem, BTreeMap<String, Vec<&Rule>>> = BTreeMap::new();
    for r in rules {
        by_eco
            .entry(r.trigger.ecosystem)
            .or_default()
            .entry(group_of(r))
            .or_default()
            .push(r);
    }
    let fixes = rules.iter().filter(|r| r.fix.is_some()).count();
    let mut out = String::new();
    let _ = writeln!(out, "# Rules catalogue\n");
    let _ = writeln!(
        out,
        "Generated from the rule files by `bumpcheck rules list --format markdown`; do not edit.\nRegenerate with `{REGENERATE}`.\n"
    );
    let _ = writeln!(
        out,
        "{} rules ({fixes} with a fix) in {} ecosystem{}:\n",
        rules.len(),
        by_eco.len(),
        if by_eco.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "| ecosystem | packages | rules | with a fix |");
    let _ = writeln!(out, "| --- | --- | ---: | ---: |");
    for (eco, groups) in &by_eco {
        let all: Vec<&&Rule> = groups.values().flatten().collect();
        let _ = writeln!(
            out,
            "| {eco} | {} | {} | {} |",
            groups.len(),
            all.len(),
            all.iter().filter(|r| r.fix.is_some()).count()
        );
    }
    for (eco, groups) in &by_eco {
        let _ = writeln!(out, "\n## {eco}");
        for (group, rules) in groups {
            let n = rules.len();
            let _ = writeln!(
                out,
                "\n### {group} ({n} rule{})\n",
                if n == 1 { "" } else { "s" }
            );
            let mut packages: Vec<&str> = rules
                .iter()
                .flat_map(|r| r.trigger.packages.iter().map(String::as_str))
                .collect();
            packages.sort();
            packages.dedup();
            if packages != [group.as_str()] {
                let _ = writeln!(out, "Packages: {}.\n", packages.join(", "));
            }
            let _ = writeln!(
                out,
                "| rule | window | severity | message | reference | fix |"
            );
            let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- |");
            for r in rules {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | [source]({}) | {} |",
                    r.id,
                    window(r),
                    r.severity,
                    cell(&r.message),
                    r.url,
                    if r.fix.is_some() { "yes" } else { "no" }
                );
            }
        }
    }
    out
}
