//! `check --fix` and `check --fix --dry-run`: the flags, and what they print.

use crate::check::{HeadMode, Options};
use crate::fix::{self, Mode};
use crate::report::Report;
use anyhow::Context;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct FixArgs {
    /// Apply the fixes of the rules that have one to the files in the work tree (checks
    /// the work tree unless --head is given).
    #[arg(long)]
    fix: bool,
    /// With --fix: print the changes as a unified diff and change nothing.
    #[arg(long, requires = "fix")]
    dry_run: bool,
}

impl FixArgs {
    /// Fixing edits the work tree, so the work tree is what gets checked, unless the
    /// user named a head revision (then only files identical to it are fixed).
    pub fn adjust(&self, opts: &mut Options) {
        if self.fix && opts.head.is_none() {
            opts.head_mode = HeadMode::WorkTree;
        }
    }

    /// Applies the fixes and prints what happened. With --dry-run, prints the diff to
    /// stdout (or `output`) and returns true: the report is not printed then.
    pub fn run(
        &self,
        opts: &Options,
        report: &mut Report,
        output: Option<&PathBuf>,
    ) -> anyhow::Result<bool> {
        if !self.fix {
            return Ok(false);
        }
        let mode = if self.dry_run {
            Mode::DryRun
        } else {
            Mode::Apply
        };
        let outcome = fix::run(&opts.repo, report, mode).context("bumpcheck check --fix failed")?;
        eprint!("bumpcheck: {}", outcome.summary(mode));
        if mode == Mode::DryRun {
            super::emit(&outcome.diff, output)?;
        }
        Ok(mode == Mode::DryRun)
    }
}
