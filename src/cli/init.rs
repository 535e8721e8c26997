//! `bumpcheck init`: a commented starter `bumpcheck.toml` at the repository root and,
//! with `--github-workflow`, the GitHub workflow that runs the action on pull requests.

use crate::config::{starter, FILE_NAMES};
use anyhow::{bail, Context};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct InitArgs {
    /// The repository to write into (default: the one containing the current folder).
    #[arg(long, default_value = ".")]
    repo: PathBuf,
    /// Also write the GitHub workflow `.github/workflows/bumpcheck.yml`.
    #[arg(long)]
    github_workflow: bool,
    /// Overwrite files that already exist.
    #[arg(long)]
    force: bool,
}

/// The workflow's path, relative to the repository root.
const WORKFLOW_PATH: &str = ".github/workflows/bumpcheck.yml";

pub fn run(args: InitArgs) -> anyhow::Result<i32> {
    // Outside a git repository, the folder itself (it may become one).
    let root = crate::git::Repo::discover(&args.repo)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .unwrap_or_else(|| args.repo.clone());
    // Rewrite a `.bumpcheck.toml` in place rather than add a second file beside it.
    let name = FILE_NAMES
        .iter()
        .find(|n| root.join(n).exists())
        .unwrap_or(&FILE_NAMES[0]);
    let mut files = vec![(name.to_string(), starter::STARTER)];
    if args.github_workflow {
        files.push((WORKFLOW_PATH.to_string(), starter::WORKFLOW));
    }
    // Nothing is written unless everything can be.
    let existing: Vec<&str> = files
        .iter()
        .filter(|(rel, _)| root.join(rel).exists())
        .map(|(rel, _)| rel.as_str())
        .collect();
    if !existing.is_empty() && !args.force {
        bail!(
            "{} already exist{} in {}; --force overwrites",
            existing.join(" and "),
            if existing.len() == 1 { "s" } else { "" },
            root.display()
        );
    }
    for (rel, text) in &files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("bumpcheck: wrote {}", path.display());
    }
    eprintln!(
        "bumpcheck: every setting in {name} is commented out; uncomment what you need \
         (`bumpcheck check` names the file it used)"
    );
    if args.github_workflow {
        eprintln!(
            "bumpcheck: in {WORKFLOW_PATH}, replace OWNER/bumpcheck with the repository that \
             holds the bumpcheck action, pinned to a commit sha"
        );
    }
    Ok(0)
}
