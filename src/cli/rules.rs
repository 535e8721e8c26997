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
        after_help = "Examples:\n  bumpcheck rules list\n  bumpcheck rules list --format json\n  bumpcheck rules list --format markdown > docs/rules.md"
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
    /// Scaffold a rule, its snippet tests and an annotated fixture (TODO placeholders).
    #[command(
        after_help = "Examples:\n  bumpcheck rules new npm/express/express-5-app-del\n  bumpcheck rules new pypi/flask/flask-3-json-encoder --language python --dir ./my-rules"
    )]
    New(NewArgs),
    /// Run every rule over a directory tree, ignoring version triggers (imports scoping
    /// still applies): how rule authors measure false positives.
    #[command(
        after_help = "Examples:\n  bumpcheck rules scan ~/src/some-app\n  bumpcheck rules scan . --id express-5-req-param --format json"
    )]
    Scan(super::rules_scan::ScanArgs),
}

#[derive(Args)]
pub struct NewArgs {
    /// ECOSYSTEM/PACKAGE/ID: npm, pypi, cargo, go, gem or composer; the package as the
    /// lockfile names it; the rule id (also the file name).
    target: String,
    /// The rule's language (default: the ecosystem's usual one).
    #[arg(long)]
    language: Option<String>,
    /// The rule directory (holding library/, tests/, fixtures/).
    #[arg(long, default_value = "rules")]
    dir: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
    /// The catalogue grouped by ecosystem and package (docs/rules.md).
    Markdown,
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
    #[arg(long, value_enum, default_value_t = OutFormat::Text)]
    format: OutFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutFormat {
    Text,
    Json,
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
        RulesCommand::New(args) => new(args),
        RulesCommand::Scan(args) => super::rules_scan::run(args),
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
        ListFormat::Markdown => out = crate::rules::catalogue::markdown(&set.rules),
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
        "imports": r.imports,
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
    if args.format == OutFormat::Json {
        let json = test_json(&set, &run, validate_only);
        emit(&(serde_json::to_string_pretty(&json)? + "\n"), None)?;
        let bad = json["summary"]["failed"].as_u64() != Some(0)
            || json["summary"]["errors"].as_u64() != Some(0);
        return Ok(i32::from(bad));
    }
    let mut out = String::new();
    for e in &set.errors {
        let _ = writeln!(out, "{red}error{reset}: {e}");
    }
    for o in &run.orphans {
        let _ = writeln!(out, "{red}error{reset}: {o}");
    }
    let mut failed = 0;
    for outcome in &run.outcomes {
        let problems = shown(&outcome.problems, validate_only);
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
            "invalid".to_string()
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
                Problem::FixBroken { source, detail } => {
                    let _ = writeln!(
                        out,
                        "  fix-broken: {source}: the fix does not fix it\n{}",
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
    let count = |v: &str| {
        run.outcomes
            .iter()
            .filter(|o| !shown(&o.problems, validate_only).is_empty() && o.verdict().contains(v))
            .count()
    };
    let breakdown = if failed > 0 && !validate_only {
        format!(
            " ({} noisy, {} missing, {} fix-broken, {} incomplete)",
            count("noisy"),
            count("missing"),
            count("fix-broken"),
            count("incomplete")
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "\n{} rule{}: {} passed, {failed} failed{breakdown}{}",
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

/// The problems a run reports: all of them, or for `validate` the missing tests only.
fn shown(problems: &[Problem], validate_only: bool) -> Vec<&Problem> {
    problems
        .iter()
        .filter(|p| !validate_only || matches!(p, Problem::Incomplete(_)))
        .collect()
}

/// `rules test --format json`: one object per rule with its status and problems.
fn test_json(set: &RuleSet, run: &testing::TestRun, validate_only: bool) -> serde_json::Value {
    let mut counts = std::collections::BTreeMap::<String, u64>::new();
    let rules: Vec<serde_json::Value> = run
        .outcomes
        .iter()
        .map(|o| {
            let problems = shown(&o.problems, validate_only);
            let status = match (problems.is_empty(), validate_only) {
                (true, _) => "passed".to_string(),
                (false, true) => "invalid".to_string(),
                (false, false) => o.verdict(),
            };
            *counts.entry(status.clone()).or_default() += 1;
            let problems: Vec<serde_json::Value> = problems
                .into_iter()
                .map(|p| match p {
                    Problem::Noisy { source, detail } => {
                        serde_json::json!({"kind": "noisy", "source": source, "detail": detail})
                    }
                    Problem::Missing { source, detail } => {
                        serde_json::json!({"kind": "missing", "source": source, "detail": detail})
                    }
                    Problem::FixBroken { source, detail } => {
                        serde_json::json!({"kind": "fix-broken", "source": source, "detail": detail})
                    }
                    Problem::Incomplete(msg) => {
                        serde_json::json!({"kind": "incomplete", "detail": msg})
                    }
                })
                .collect();
            serde_json::json!({
                "id": o.id, "path": o.path, "status": status, "cases": o.cases,
                "fix_cases": o.fix_cases,
                "problems": problems,
            })
        })
        .collect();
    let errors: Vec<serde_json::Value> = set
        .errors
        .iter()
        .map(|e| {
            serde_json::json!({"path": e.path, "line": e.line, "column": e.column,
                "field": e.field, "message": e.message})
        })
        .chain(
            run.orphans
                .iter()
                .map(|o| serde_json::json!({"message": o})),
        )
        .collect();
    let passed = counts.get("passed").copied().unwrap_or(0);
    // Statuses combine (`noisy+missing`), so each kind counts every status naming it.
    let with = |kind: &str| -> u64 {
        counts
            .iter()
            .filter(|(status, _)| status.split('+').any(|k| k == kind))
            .map(|(_, n)| n)
            .sum()
    };
    serde_json::json!({
        "rules": rules,
        "errors": errors,
        "summary": {
            "rules": run.outcomes.len(),
            "passed": passed,
            "failed": run.outcomes.len() as u64 - passed,
            "noisy": with("noisy"),
            "missing": with("missing"),
            "fix_broken": with("fix-broken"),
            "incomplete": with("incomplete") + with("invalid"),
            "fix_cases": run.outcomes.iter().map(|o| o.fix_cases).sum::<usize>(),
            "errors": errors.len(),
        },
    })
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

fn new(args: NewArgs) -> anyhow::Result<i32> {
    use crate::rules::{scaffold, COMPILED_LANGUAGES};
    use anyhow::Context;
    let (ecosystem, package, id) =
        scaffold::parse_target(&args.target).map_err(anyhow::Error::msg)?;
    let language = match &args.language {
        Some(l) => l
            .parse()
            .map_err(|e| anyhow::anyhow!("--language {l}: {e}"))?,
        None => scaffold::default_language(ecosystem)
            .with_context(|| format!("no usual language for {ecosystem}: pass --language"))?,
    };
    if !COMPILED_LANGUAGES.contains(&language) {
        bail!("language `{language}` is not compiled into this build of bumpcheck");
    }
    let files = scaffold::files(&scaffold::Request {
        ecosystem,
        package,
        id,
        language,
        schema: args.dir.join("schema/rule.schema.json").is_file(),
    });
    let existing: Vec<String> = files
        .iter()
        .map(|f| args.dir.join(&f.path))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        bail!("refusing to overwrite {}", existing.join(", "));
    }
    let mut out = String::new();
    for f in &files {
        let path = args.dir.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, &f.text)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let _ = writeln!(out, "created {}", path.display());
    }
    let _ = writeln!(
        out,
        "\nReplace every TODO, then run:\n  bumpcheck rules validate {dir}\n  bumpcheck rules test {dir} --id {id}",
        dir = args.dir.display()
    );
    emit(&out, None)?;
    Ok(0)
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
    let _ = writeln!(
        out,
        "runs on:  {}",
        match &r.imports {
            Some(names) => format!("files that import {}", names.join(", ")),
            None => "every file of the lockfile's folder".into(),
        }
    );
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
