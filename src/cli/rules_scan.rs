//! `bumpcheck rules scan PATH`: every rule over a directory tree, no version trigger.

use super::emit;
use crate::rules::{Rule, RuleSet};
use crate::scan::tree::scan_tree;
use anyhow::bail;
use clap::{Args, ValueEnum};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct ScanArgs {
    /// The directory tree to scan.
    path: PathBuf,
    /// A rule directory to use instead of the built-in library.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Only this rule.
    #[arg(long)]
    id: Option<String>,
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    format: ScanFormat,
    /// Run every rule on every file, ignoring `metadata.imports` (to measure what the
    /// scoping saves).
    #[arg(long)]
    ignore_imports: bool,
}

pub fn run(args: ScanArgs) -> anyhow::Result<i32> {
    if !args.path.is_dir() {
        bail!("{}: not a directory", args.path.display());
    }
    let set = match &args.rules {
        Some(dir) => RuleSet::from_dir(dir),
        None => RuleSet::builtin(),
    };
    for e in &set.errors {
        eprintln!("error: {e}");
    }
    let rules: Vec<&Rule> = set
        .rules
        .iter()
        .filter(|r| args.id.as_deref().is_none_or(|id| id == r.id))
        .collect();
    if let (Some(id), true) = (&args.id, rules.is_empty()) {
        bail!("no rule with id `{id}`");
    }
    let scan = scan_tree(&args.path, &rules, !args.ignore_imports);
    // Every rule appears, with 0 when it found nothing: the precision measure.
    let mut per_rule: BTreeMap<&str, usize> = rules.iter().map(|r| (r.id.as_str(), 0)).collect();
    for f in &scan.findings {
        *per_rule.entry(f.rule.as_str()).or_default() += 1;
    }
    let mut out = String::new();
    match args.format {
        ScanFormat::Json => {
            let json = serde_json::json!({
                "root": args.path.display().to_string(),
                "files": scan.files,
                "rules": rules.len(),
                "counts": per_rule,
                "findings": scan.findings,
                "errors": scan.errors,
            });
            out = serde_json::to_string_pretty(&json)? + "\n";
        }
        ScanFormat::Text => {
            for f in &scan.findings {
                let first = f.snippet.lines().next().unwrap_or_default().trim();
                let _ = writeln!(
                    out,
                    "{}:{}:{}: {}: {first}",
                    f.path, f.line, f.column, f.rule
                );
            }
            let width = per_rule.keys().map(|k| k.len()).max().unwrap_or(0);
            let _ = writeln!(out, "\nfindings per rule:");
            for (id, n) in per_rule.iter().filter(|(_, n)| **n > 0) {
                let _ = writeln!(out, "  {id:<width$}  {n}");
            }
            let _ = writeln!(
                out,
                "{} findings from {} of {} rules in {} files",
                scan.findings.len(),
                per_rule.values().filter(|n| **n > 0).count(),
                rules.len(),
                scan.files
            );
            for e in &scan.errors {
                let _ = writeln!(out, "error: {e}");
            }
        }
    }
    emit(&out, None)?;
    Ok(if set.errors.is_empty() { 0 } else { 2 })
}
