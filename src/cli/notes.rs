//! `bumpcheck notes PACKAGE FROM..TO`: the release notes of one package for the versions
//! an upgrade would cross, for someone about to bump.

use super::check::NotesArgs;
use super::emit;
use crate::ecosystem::Ecosystem;
use crate::notes::{self, sanitize::for_terminal};
use anyhow::bail;
use clap::{Args, ValueEnum};
use std::fmt::Write;

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
        emit(&(serde_json::to_string_pretty(&n)? + "\n"), None)?;
        return Ok(if n.versions.is_empty() { 2 } else { 0 });
    }
    let mut out = String::new();
    if n.versions.is_empty() {
        bail!(
            "no release notes for {} {}: {}",
            n.name,
            args.range,
            n.error.as_deref().unwrap_or("no section in the range")
        );
    }
    let _ = writeln!(
        out,
        "{} {}: {} version{} from {} <{}>",
        n.name,
        args.range,
        n.versions.len(),
        if n.versions.len() == 1 { "" } else { "s" },
        n.source.as_deref().unwrap_or("?"),
        n.url.as_deref().unwrap_or("")
    );
    for v in &n.versions {
        let _ = writeln!(out, "\n## {}\n", for_terminal(&v.title));
        if !v.highlights.is_empty() {
            for h in &v.highlights {
                let _ = writeln!(
                    out,
                    "  ! {}: {}",
                    format!("{:?}", h.kind).to_lowercase(),
                    for_terminal(&h.text)
                );
            }
            out.push('\n');
        }
        let _ = writeln!(out, "{}", for_terminal(&v.body));
    }
    emit(&out, None)?;
    Ok(0)
}
