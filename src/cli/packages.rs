//! `bumpcheck packages FILE...`: what bumpcheck reads from lockfiles on disk, for
//! checking a parser against the package manager's own reading.

use super::emit;
use crate::lockfile::{includes, Format};
use crate::report::sanitize::for_terminal as clean;
use anyhow::{anyhow, Context};
use clap::{Args, ValueEnum};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PackagesFormat {
    Text,
    Json,
}

#[derive(Args)]
pub struct PackagesArgs {
    /// Lockfiles to read (the format is told by the file name).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = PackagesFormat::Text)]
    format: PackagesFormat,
}

pub fn run(args: PackagesArgs) -> anyhow::Result<i32> {
    let mut rows = Vec::new();
    let mut text = String::new();
    for file in &args.files {
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let format = Format::detect(name).ok_or_else(|| {
            anyhow!(
                "{}: not a lockfile bumpcheck knows by its name",
                file.display()
            )
        })?;
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let mut lock = format
            .parse(&bytes)
            .map_err(|e| anyhow!("{}: {e}", file.display()))?;
        // `-r other.txt`: read beside the file, as the package manager does.
        let dir = file.parent().unwrap_or(std::path::Path::new(""));
        let problems = includes::resolve(&mut lock, format, name, |p| {
            match std::fs::read(dir.join(p)) {
                Ok(b) => Ok(Some(b)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
                Err(e) => Err(e),
            }
        });
        if let Some((path, message)) = problems.into_iter().next() {
            return Err(anyhow!("{}: include {path}: {message}", file.display()));
        }
        let mut packages: Vec<(&str, &str)> = lock
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        packages.sort_unstable();
        packages.dedup();
        for (name, version) in packages {
            // Names and versions come from the file: no escape sequence reaches a terminal.
            let _ = writeln!(
                text,
                "{}\t{}\t{}\t{}",
                clean(&file.display().to_string()),
                format.ecosystem(),
                clean(name),
                clean(version)
            );
            rows.push(serde_json::json!({
                "lockfile": file.display().to_string(),
                "ecosystem": format.ecosystem(),
                "name": name,
                "version": version,
            }));
        }
    }
    let out = match args.format {
        PackagesFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        PackagesFormat::Text => text,
    };
    emit(&out, None)?;
    Ok(0)
}
