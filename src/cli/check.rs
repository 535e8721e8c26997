//! `bumpcheck check` and `bumpcheck diff`.

use super::{emit, Color};
use crate::check::{self, HeadMode, Options};
use crate::config::Config;
use crate::notes;
use crate::report::baseline::Baseline;
use crate::report::{github, json, markdown, sarif, text};
use crate::rules::Severity;
use anyhow::Context;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Where to read and write, shared by `check`, `diff` and `preview`.
#[derive(Args)]
pub struct RepoArgs {
    /// The repository (default: the one containing the current directory).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Write the report to this file instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Refuse lockfiles larger than this many MiB [default: 256].
    #[arg(long, value_name = "MIB")]
    max_lockfile_size: Option<u64>,
    #[command(flatten)]
    config: super::config::ConfigArgs,
}

impl RepoArgs {
    /// The configuration file (`bumpcheck.toml`), unless `--no-config`.
    pub(super) fn load_config(&self) -> anyhow::Result<Option<Config>> {
        self.config.load(&self.repo)
    }
}

#[derive(Args)]
pub struct RevisionArgs {
    #[command(flatten)]
    repo: RepoArgs,
    /// The revision before the upgrade (default: the merge-base with the default branch,
    /// or with GITHUB_BASE_REF in GitHub Actions).
    #[arg(long)]
    base: Option<String>,
    /// The revision after the upgrade (default: HEAD, or the work tree when a lockfile
    /// has uncommitted changes).
    #[arg(long, conflicts_with = "worktree")]
    head: Option<String>,
    /// Compare with the work tree, committed or not.
    #[arg(long)]
    worktree: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// The PR comment.
    Markdown,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Hint,
    Never,
}

impl FailOn {
    pub(super) fn level(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Hint => Some(Severity::Hint),
            FailOn::Never => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NotesChoice {
    /// No release notes.
    None,
    /// Direct dependencies and packages a rule fired for.
    Direct,
    /// Every changed package.
    All,
}

#[derive(Args)]
pub struct NotesArgs {
    /// Which changed packages get release notes [default: direct].
    #[arg(long, value_enum, env = "BUMPCHECK_NOTES")]
    notes: Option<NotesChoice>,
    /// Use only what is on disk: installed packages and the cache. No network.
    #[arg(long, env = "BUMPCHECK_OFFLINE", value_parser = clap::builder::FalseyValueParser::new())]
    offline: bool,
}

impl NotesArgs {
    pub fn options(&self) -> notes::Options {
        notes::Options {
            offline: self.offline,
            http: notes::http::HttpConfig::from_env(),
            cache_dir: None,
            project_dir: None,
            progress: true,
            endpoints: Default::default(),
        }
    }

    /// `--notes`, else the configuration's `notes.mode`, else direct.
    pub(super) fn selection(&self, config: Option<&Config>) -> notes::Selection {
        match self.notes {
            Some(NotesChoice::None) => notes::Selection::None,
            Some(NotesChoice::Direct) => notes::Selection::Direct,
            Some(NotesChoice::All) => notes::Selection::All,
            None => config
                .and_then(|c| c.notes_mode)
                .unwrap_or(notes::Selection::Direct),
        }
    }
}

/// How findings are reported, shared by `check` and `preview`.
#[derive(Args)]
pub struct ReportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 when a finding has at least this severity [default: error].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// More rule directories, besides the built-in library (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
}

impl ReportArgs {
    /// `--fail-on`, else the configuration's `fail-on`, else error.
    pub(super) fn fail_level(&self, config: Option<&Config>) -> Option<Severity> {
        match (self.fail_on, config.and_then(|c| c.fail_on)) {
            (Some(flag), _) => flag.level(),
            (None, Some(crate::config::FailOn::At(s))) => Some(s),
            (None, Some(crate::config::FailOn::Never)) => None,
            (None, None) => FailOn::Error.level(),
        }
    }
}

#[derive(Args)]
pub struct CheckArgs {
    #[command(flatten)]
    rev: RevisionArgs,
    #[command(flatten)]
    report: ReportArgs,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (before --baseline applies).
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    #[command(flatten)]
    notes: NotesArgs,
    #[command(flatten)]
    fix: super::fix::FixArgs,
    #[command(flatten)]
    github: super::github::GithubArgs,
}

#[derive(Args)]
pub struct DiffArgs {
    #[command(flatten)]
    rev: RevisionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// `notes` is `None` for `diff`, which neither scans nor fetches notes.
fn options(
    rev: &RevisionArgs,
    rule_dirs: Vec<PathBuf>,
    notes: Option<&NotesArgs>,
    config: Option<Config>,
) -> Options {
    Options {
        base: rev.base.clone(),
        head: rev.head.clone(),
        head_mode: if rev.worktree {
            HeadMode::WorkTree
        } else {
            HeadMode::Auto
        },
        ..repo_options(&rev.repo, rule_dirs, notes, config)
    }
}

/// The options every command that reads a repository shares; base and head left to
/// their defaults. Flags win over the configuration file, which wins over the defaults.
pub(super) fn repo_options(
    repo: &RepoArgs,
    rule_dirs: Vec<PathBuf>,
    notes: Option<&NotesArgs>,
    config: Option<Config>,
) -> Options {
    let mut notes_options = notes.map(NotesArgs::options).unwrap_or_default();
    let mut dirs = Vec::new();
    if let Some(c) = &config {
        notes_options.endpoints = c.endpoints.clone();
        dirs.extend(c.rule_dirs.iter().cloned());
    }
    dirs.extend(rule_dirs);
    let max_mib = repo
        .max_lockfile_size
        .or(config.as_ref().and_then(|c| c.max_lockfile_size))
        .unwrap_or(check::DEFAULT_MAX_LOCKFILE_MIB);
    Options {
        repo: repo.repo.clone(),
        base: None,
        head: None,
        head_mode: HeadMode::Auto,
        rule_dirs: dirs,
        github_base_ref: std::env::var("GITHUB_BASE_REF").ok(),
        scan: notes.is_some(),
        max_lockfile_bytes: max_mib.saturating_mul(1024 * 1024),
        notes: notes.map_or(notes::Selection::None, |n| n.selection(config.as_ref())),
        notes_options,
        config,
    }
}

pub fn check(args: CheckArgs, color: Color) -> anyhow::Result<i32> {
    let config = args.rev.repo.load_config()?;
    let fail_on = args.report.fail_level(config.as_ref());
    let mut opts = options(
        &args.rev,
        args.report.rules.clone(),
        Some(&args.notes),
        config,
    );
    args.fix.adjust(&mut opts);
    let mut report = check::run(&opts).context("bumpcheck check failed")?;
    if let Some(path) = &args.write_baseline {
        std::fs::write(path, Baseline::of(&report).to_json())
            .with_context(|| format!("cannot write the baseline {}", path.display()))?;
        eprintln!(
            "bumpcheck: wrote {} findings to the baseline {}",
            report.findings.len(),
            path.display()
        );
    }
    if let Some(path) = &args.baseline {
        let known = Baseline::read(path)?.apply(&mut report);
        if known > 0 {
            eprintln!(
                "bumpcheck: {known} findings already in the baseline {} are not reported",
                path.display()
            );
        }
    }
    if args
        .fix
        .run(&opts, &mut report, args.rev.repo.output.as_ref())?
    {
        return Ok(report.exit_code(fail_on));
    }
    write(&report, args.report.format, &args.rev.repo, color, true)?;
    let code = report.exit_code(fail_on);
    super::github::after_check(&report, &args.github)?;
    Ok(code)
}

pub fn diff(args: DiffArgs, color: Color) -> anyhow::Result<i32> {
    let config = args.rev.repo.load_config()?;
    let opts = options(&args.rev, Vec::new(), None, config);
    let report = check::run(&opts).context("bumpcheck diff failed")?;
    write(&report, args.format, &args.rev.repo, color, false)?;
    Ok(report.exit_code(None))
}

/// Renders for `check` and `preview` (findings, transitive changes capped) or `diff`
/// (every change).
pub(super) fn write(
    report: &crate::report::Report,
    format: Format,
    rev: &RepoArgs,
    color: Color,
    with_findings: bool,
) -> anyhow::Result<()> {
    let rendered = match format {
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report, &super::github::markdown_options(report)),
        Format::Text => text::render(
            report,
            text::TextOptions {
                color: color.enabled(rev.output.is_some()),
                all_changes: !with_findings,
                findings: with_findings,
            },
        ),
    };
    emit(&rendered, rev.output.as_ref())
}
