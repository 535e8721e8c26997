//! The command line: clap definitions and one file per subcommand. This is the only
//! part of bumpcheck that prints.

mod check;
mod completions;
mod config;
mod fix;
mod github;
mod init;
mod notes;
mod packages;
mod preview;
mod rules;
mod rules_scan;

use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "bumpcheck",
    version,
    about = "Catches the regressions a dependency upgrade is about to cause",
    long_about = "Compares the lockfiles of two git revisions, and matches the rules whose \
                  package and version window the upgrade crosses against your code.",
    after_help = "Examples:\n  bumpcheck check                      # this branch against the default branch\n  npm install express@5 && bumpcheck check   # uncommitted lockfile change\n  bumpcheck check --base v1.2.0 --head HEAD --format json\n  bumpcheck preview express@5                # before upgrading\n  bumpcheck init                       # a starter bumpcheck.toml\n  bumpcheck rules test"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour the output (NO_COLOR is honoured).
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Subcommand)]
enum Command {
    /// Report the lockfile changes and the code they put at risk.
    #[command(
        after_help = "Examples:\n  bumpcheck check\n  bumpcheck check --base origin/main --head HEAD --fail-on warning\n  bumpcheck check --worktree --format json --output report.json\n  bumpcheck check --config ci/bumpcheck.toml   # or --no-config"
    )]
    Check(check::CheckArgs),
    /// What an upgrade would break, before making it: the rules and release notes of
    /// `check`, with the target version resolved from the configured registry.
    #[command(
        after_help = "Examples:\n  bumpcheck preview express@5\n  bumpcheck preview express@^5.1 body-parser@latest --format json\n  bumpcheck preview cargo:axum@0.8 pypi:pydantic@2\n  bumpcheck preview --offline express@5.1.0\n  bumpcheck preview go:github.com/gin-gonic/gin@v1.10 \"rubygems:rails@~> 7.1\" packagist:laravel/framework@^11"
    )]
    Preview(preview::PreviewArgs),
    /// List the lockfile changes only (no rules are matched).
    #[command(
        after_help = "Examples:\n  bumpcheck diff --base HEAD~1\n  bumpcheck diff --base v2.0.0 --format json"
    )]
    Diff(check::DiffArgs),
    /// Show the release notes of one package for the versions an upgrade crosses.
    #[command(
        after_help = "Examples:\n  bumpcheck notes express 4.21.2..5.1.0\n  bumpcheck notes express ..5.0.0 --format json"
    )]
    Notes(notes::NotesCmdArgs),
    /// Print the packages bumpcheck reads from lockfiles on disk (name and version).
    #[command(
        after_help = "Examples:\n  bumpcheck packages package-lock.json\n  bumpcheck packages --format json services/*/package-lock.json"
    )]
    Packages(packages::PackagesArgs),
    /// List, test, validate and explain rules.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Print shell completions (bash, zsh, fish, elvish, powershell) or the man page.
    #[command(
        after_help = "Examples:\n  bumpcheck completions bash > ~/.local/share/bash-completion/completions/bumpcheck\n  bumpcheck completions zsh > ~/.zfunc/_bumpcheck\n  bumpcheck completions man > bumpcheck.1"
    )]
    Completions(completions::CompletionsArgs),
    /// Write a commented starter bumpcheck.toml (and, on request, the GitHub workflow).
    #[command(
        after_help = "Examples:\n  bumpcheck init                      # bumpcheck.toml at the repository root\n  bumpcheck init --github-workflow    # and .github/workflows/bumpcheck.yml\n  bumpcheck init --force              # overwrite an existing file"
    )]
    Init(init::InitArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour what goes to stdout.
    fn enabled(self, to_file: bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                !to_file
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// Runs the command line and returns the exit status: 0 clean, 1 findings at or above
/// `--fail-on` (or failing rule tests), 2 usage or fatal error.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::check(args, cli.color),
        Command::Diff(args) => check::diff(args, cli.color),
        Command::Preview(args) => preview::run(args, cli.color),
        Command::Notes(args) => notes::run(args),
        Command::Packages(args) => packages::run(args),
        Command::Rules(cmd) => rules::run(cmd, cli.color),
        Command::Completions(args) => completions::run(args),
        Command::Init(args) => init::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", crate::redact::redact(&format!("{e:#}")));
            2
        }
    }
}

/// Writes the rendered output to `--output` or stdout.
fn emit(text: &str, output: Option<&PathBuf>) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::io::Write;
    match output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write the report to {}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth reporting.
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("cannot write to stdout"),
            }
        }
    }
}
