//! `--config FILE` / `--no-config`, and finding the repository's `bumpcheck.toml`.

use crate::config::{self, Config};
use anyhow::Context;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Clone, Debug, Default)]
pub struct ConfigArgs {
    /// Read this configuration file [default: bumpcheck.toml or .bumpcheck.toml at the
    /// repository root, if there is one].
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore the repository's configuration file.
    #[arg(long)]
    pub no_config: bool,
}

impl ConfigArgs {
    /// The configuration for a run on the repository containing `repo`, if any. A
    /// folder that is not a repository has none (the run itself reports that error).
    pub fn load(&self, repo: &Path) -> anyhow::Result<Option<Config>> {
        if self.no_config {
            return Ok(None);
        }
        let root = crate::git::Repo::discover(repo)
            .ok()
            .and_then(|r| r.workdir().map(Path::to_path_buf));
        let (path, display) = match &self.config {
            Some(path) => {
                if !path.is_file() {
                    anyhow::bail!("--config {}: no such file", path.display());
                }
                (path.clone(), display_name(path, root.as_deref()))
            }
            None => {
                let Some(root) = root else {
                    return Ok(None);
                };
                match config::discover(&root)? {
                    Some(found) => {
                        let name = display_name(&found, Some(&root));
                        (found, name)
                    }
                    None => return Ok(None),
                }
            }
        };
        Ok(Some(config::load(&path, &display)?))
    }
}

/// How reports name the file: relative to the repository root when it is inside it,
/// else the path as given.
fn display_name(path: &Path, root: Option<&Path>) -> String {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    root.and_then(|r| {
        canonical(path)
            .strip_prefix(canonical(r))
            .ok()
            .map(|rel| rel.to_string_lossy().replace('\\', "/"))
    })
    .unwrap_or_else(|| path.display().to_string())
}

/// The endpoints of the configuration of the repository containing the current folder,
/// for commands that fetch without checking a repository (`bumpcheck notes`). A broken
/// file is an error here too.
pub fn endpoints_here() -> anyhow::Result<crate::notes::config::Endpoints> {
    let here = std::env::current_dir().context("no current folder")?;
    Ok(ConfigArgs::default()
        .load(&here)?
        .map(|c| c.endpoints)
        .unwrap_or_default())
}
