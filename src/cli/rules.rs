//! `bumpcheck rules list | test | validate | explain`.

use super::{emit, Color};
use crate::rules::testing::{self, Problem};
use crate::rules::{Rule, RuleSet};
use anyhow::bail;
use clap::{Args, Subcommand, ValueEnum};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum RulesCommand {
    /// List the rules with their triggers.
    #[command(
        after_help = "Examples:\n  bumpcheck rules list\n  bumpcheck rules list --format json"
    )]
    List(ListArgs),
    /// Run the rules' tests (snippets and annotated fixtures).
    #[command(
        after_help = "Examples:\n  bumpcheck rules test\n  bumpcheck rules test ./my-rules\n  bumpcheck rules test --id express-5-req-param"
    )]
    Test(DirArgs),
    /// Check rule files: schema, trigger, reference, language, tests present.
    #[command(
        after_help = "Examples:\n  bumpcheck rules validate\n  bumpcheck rules validate ./my-rules"
    )]
    Validate(DirArgs),
    /// Show one rule in full.
    #[command(after_help = "Examples:\n  bumpcheck rules explain express-5-req-param")]
    Explain(ExplainArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct ListArgs {
    /// More rule directories, besides the built-in library.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
}

#[derive(Args)]
pub struct DirArgs {
    /// A rule directory to work on instead of the built-in library.
    dir: Option<PathBuf>,
    /// Only this rule.
    #[arg(long)]
    id: Option<String>,
}

#[derive(Args)]
pub struct ExplainArgs {
    /// The rule id.
    id: String,
    /// More rule directories, besides the built-in library.
    #[arg(long = "rules", value_name = "DIR")]
    rules: Vec<PathBuf>,
}

pub fn run(cmd: RulesCommand, color: Color) -> anyhow::Result<i32> {
    let paint = color.enabled(false);
    match cmd {
        RulesCommand::List(args) => list(args),
        RulesCommand::Test(args) => test(args, paint, false),
        RulesCommand::Validate(args) => test(args, paint, true),
        RulesCommand::Explain(args) => explain(args),
    }
}

fn load(dir: Option<&PathBuf>) -> RuleSet {
    match dir {
        Some(d) => RuleSet::from_dir(d),
        None => RuleSet::builtin(),
    }
}

fn list(args: ListArgs) -> anyhow::Result<i32> {
    let set = RuleSet::load(true, &args.rules);
    let mut out = String::new();
    match args.format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = set.rules.iter().map(rule_json).collect();
            out = serde_json::to_string_pretty(&rows)? + "\n";
        }
        ListFormat::Text => {
            let width = set.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
            for r in &set.rules {
                let _ = writeln!(
                    out,
                    "{:<width$}  {:<7}  {}",
                    r.id,
                    r.severity.as_str(),
                    r.trigger.describe()
                );
            }
            let _ = writeln!(out, "{} rules", set.rules.len());
        }
    }
    for e in &set.errors {
        eprintln!("error: {e}");
    }
    emit(&out, None)?;
    Ok(if set.errors.is_empty() { 0 } else { 2 })
}

fn rule_json(r: &Rule) -> serde_json::Value {
    serde_json::json!({
        "id": r.id,
        "severity": r.severity,
        "language": r.language.to_string(),
        "message": r.message,
        "note": r.note,
        "url": r.url,
        "fix": r.fix,
        "path": r.path,
        "ecosystem": r.trigger.ecosystem,
        "packages": r.trigger.packages,
        "from": r.trigger.window.as_ref().map(|w| w.0.to_string()),
        "to": r.trigger.window.as_ref().map(|w| w.1.to_string()),
        "change": r.trigger.kinds,
    })
}

fn test(args: DirArgs, paint: bool, validate_only: bool) -> anyhow::Result<i32> {
    let set = load(args.dir.as_ref());
    if let Some(id) = &args.id {
        if set.get(id).is_none() {
            bail!("no rule with id `{id}`");
        }
    }
    let run = testing::run(&set, args.id.as_deref());
    let (red, green, reset) = if paint {
        ("\x1b[1;31m", "\x1b[1;32m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::new();
    for e in &set.errors {
        let _ = writeln!(out, "{red}error{reset}: {e}");
    }
    for o in &run.orphans {
        let _ = writeln!(out, "{red}error{reset}: {o}");
    }
    let mut failed = 0;
    for outcome in &run.outcomes {
        let problems: Vec<&Problem> = outcome
            .problems
            .iter()
            .filter(|p| !validate_only || matches!(p, Problem::Incomplete(_)))
            .collect();
        if problems.is_empty() {
            if !validate_only {
                let _ = writeln!(
                    out,
                    "{green}passed{reset}  {} ({} cases)",
                    outcome.id, outcome.cases
                );
            }
            continue;
        }
        failed += 1;
        let verdict = if validate_only {
            "invalid"
        } else {
            outcome.verdict()
        };
        let _ = writeln!(
            out,
            "{red}{verdict:<7}{reset} {} ({})",
            outcome.id, outcome.path
        );
        for p in problems {
            match p {
                Problem::Noisy { source, detail } => {
                    let _ = writeln!(
                        out,
                        "  noisy: {source}: reported code that must not be\n{}",
                        indent(detail)
                    );
                }
                Problem::Missing { source, detail } => {
                    let _ = writeln!(
                        out,
                        "  missing: {source}: did not report code that must be\n{}",
                        indent(detail)
                    );
                }
                Problem::Incomplete(msg) => {
                    let _ = writeln!(out, "  {msg}");
                }
            }
        }
    }
    let total = run.outcomes.len();
    let errors = set.errors.len() + run.orphans.len();
    let _ = writeln!(
        out,
        "\n{} rule{}: {} passed, {failed} failed{}",
        total,
        if total == 1 { "" } else { "s" },
        total - failed,
        if errors > 0 {
            format!(", {errors} errors")
        } else {
            String::new()
        }
    );
    emit(&out, None)?;
    Ok(if failed > 0 || errors > 0 { 1 } else { 0 })
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

fn explain(args: ExplainArgs) -> anyhow::Result<i32> {
    let set = RuleSet::load(true, &args.rules);
    let Some(r) = set.get(&args.id) else {
        let close: Vec<&str> = set
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| id.contains(args.id.as_str()) || args.id.contains(id))
            .collect();
        if close.is_empty() {
            bail!("no rule with id `{}` (see `bumpcheck rules list`)", args.id);
        }
        bail!(
            "no rule with id `{}`; did you mean: {}",
            args.id,
            close.join(", ")
        );
    };
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", r.id, r.severity);
    let _ = writeln!(out, "  {}", r.message);
    if let Some(note) = &r.note {
        let _ = writeln!(out, "\n{}", note.trim());
    }
    let _ = writeln!(out, "\nfires on: {}", r.trigger.describe());
    let langs: Vec<String> = r.languages().map(|l| l.to_string()).collect();
    let _ = writeln!(
        out,
        "language: {} (runs on {})",
        r.language,
        langs.join(", ")
    );
    if let Some(fix) = &r.fix {
        let _ = writeln!(out, "fix:      {fix}");
    }
    let _ = writeln!(out, "see:      {}", r.url);
    let _ = writeln!(out, "defined:  {}", r.path);
    let tests: Vec<_> = set.tests.iter().filter(|t| t.id == r.id).collect();
    for t in tests {
        for v in t.invalid.iter().take(2) {
            let _ = writeln!(out, "\nreported:\n{}", indent(v.trim_end()));
        }
        for v in t.valid.iter().take(2) {
            let _ = writeln!(out, "not reported:\n{}", indent(v.trim_end()));
        }
    }
    emit(&out, None)?;
    Ok(0)
}
