//! `bumpcheck notes PACKAGE FROM..TO`: the release notes of one package for the versions
//! an upgrade would cross, for someone about to bump.

use super::check::NotesArgs;
use super::emit;
use crate::ecosystem::Ecosystem;
use crate::notes;
use crate::report::{release_notes, sanitize::for_text};
use anyhow::bail;
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NotesFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct NotesCmdArgs {
    /// The package name.
    package: String,
    /// The versions crossed: `FROM..TO` (or `..TO` for everything up to TO).
    range: String,
    /// The package's ecosystem.
    #[arg(long, default_value = "npm")]
    ecosystem: Ecosystem,
    #[arg(long, value_enum, default_value_t = NotesFormat::Text)]
    format: NotesFormat,
    #[command(flatten)]
    notes: NotesArgs,
}

pub fn run(args: NotesCmdArgs) -> anyhow::Result<i32> {
    let Some((from, to)) = args.range.split_once("..") else {
        bail!(
            "the range is FROM..TO, e.g. 4.21.2..5.1.0 (got `{}`)",
            args.range
        );
    };
    if to.is_empty() {
        bail!("the range needs the version to upgrade to: FROM..TO");
    }
    let mut opts = args.notes.options();
    opts.project_dir = std::env::current_dir().ok();
    opts.endpoints = super::config::endpoints_here()?;
    let request = notes::Request {
        ecosystem: args.ecosystem,
        name: args.package.clone(),
        from: (!from.is_empty()).then(|| from.to_string()),
        to: to.to_string(),
        install_dir: std::env::current_dir().ok(),
        source: None,
    };
    let (mut found, _) = notes::collect(vec![request], &opts);
    let n = found.pop().expect("one request, one answer");
    if args.format == NotesFormat::Json {
        emit(&release_notes::json(&n), None)?;
        return Ok(if n.versions.is_empty() { 2 } else { 0 });
    }
    if n.versions.is_empty() {
        // The reason may quote a server.
        bail!(
            "no release notes for {} {}: {}",
            for_text(&n.name),
            for_text(&args.range),
            for_text(n.error.as_deref().unwrap_or("no section in the range"))
        );
    }
    emit(&release_notes::text(&n, &args.range), None)?;
    Ok(0)
}
