//! Manifests (package.json, ...): which dependencies the project declares itself.

pub mod composer;
pub mod mix;
pub mod npm;

use crate::lockfile::{Format, ParseError};

/// The dependency names a manifest of the lockfile's format declares.
pub fn direct_dependencies(format: Format, bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    match format {
        Format::NpmPackageLock | Format::NpmShrinkwrap => npm::direct_dependencies(bytes),
        Format::ComposerLock => composer::direct_dependencies(bytes),
        Format::MixLock => mix::direct_dependencies(bytes),
        // These lockfiles record direct dependencies themselves (no manifest is read).
        Format::GoMod
        | Format::GemfileLock
        | Format::NugetLock
        | Format::GradleLockfile
        | Format::PubspecLock => Ok(Vec::new()),
    }
}
