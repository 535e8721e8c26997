//! `bumpcheck preview PACKAGE@VERSION...`: check's report for an upgrade not yet made.

use super::check::{repo_options, write, NotesArgs, RepoArgs, ReportArgs};
use super::Color;
use crate::preview::{self, Spec};
use anyhow::Context;
use clap::Args;

#[derive(Args)]
pub struct PreviewArgs {
    /// The upgrades: NAME@VERSION (exact), NAME@RANGE (`5`, `^5.1`, `>=2,<3`) or NAME@TAG
    /// (`latest`, the default), with an ecosystem prefix where the name is ambiguous or
    /// not npm's (`cargo:`, `pypi:`, `go:`, `rubygems:` or `gem:`, `packagist:` or
    /// `composer:`).
    #[arg(value_name = "PACKAGE@VERSION", required = true)]
    specs: Vec<Spec>,
    /// Read the lockfiles and sources of this commit (default: the work tree).
    #[arg(long)]
    head: Option<String>,
    #[command(flatten)]
    repo: RepoArgs,
    #[command(flatten)]
    report: ReportArgs,
    #[command(flatten)]
    notes: NotesArgs,
}

pub fn run(args: PreviewArgs, color: Color) -> anyhow::Result<i32> {
    let config = args.repo.load_config()?;
    let fail_on = args.report.fail_level(config.as_ref());
    let mut opts = repo_options(
        &args.repo,
        args.report.rules.clone(),
        Some(&args.notes),
        config,
    );
    opts.head = args.head.clone();
    let preview = preview::run(&opts, &args.specs).context("bumpcheck preview failed")?;
    for line in &preview.unchanged {
        eprintln!("bumpcheck: {line}");
    }
    write(&preview.report, args.report.format, &args.repo, color, true)?;
    Ok(preview.report.exit_code(fail_on))
}
