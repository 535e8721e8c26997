//! The library's error type. Each variant names what the user must look at: the file,
//! the revision and, where there is one, the position.

use std::path::PathBuf;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Git(#[from] crate::git::GitError),
    #[error(transparent)]
    Rule(#[from] crate::rules::RuleError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
