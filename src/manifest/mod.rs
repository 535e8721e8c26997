//! Manifests (package.json, ...): which dependencies the project declares itself.

pub mod npm;

use crate::lockfile::{Format, ParseError};

/// The dependency names a manifest of the lockfile's format declares.
pub fn direct_dependencies(format: Format, bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    match format {
        // pnpm and bun record direct dependencies in the lockfile (no manifest is read for
        // them), but their projects' manifests are package.json all the same.
        Format::NpmPackageLock
        | Format::NpmShrinkwrap
        | Format::Yarn
        | Format::PnpmLock
        | Format::BunLock
        | Format::BunLockb => npm::direct_dependencies(bytes),
    }
}
