//! Manifests (package.json, Cargo.toml, pyproject.toml, Pipfile): which dependencies the
//! project declares itself, and where the members of a workspace are.

pub mod cargo;
pub mod composer;
pub mod mix;
pub mod npm;
pub mod pipfile;
pub mod pyproject;

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
        Format::CargoLock => cargo::direct_dependencies(bytes),
        Format::PoetryLock | Format::UvLock | Format::PdmLock => {
            pyproject::direct_dependencies(bytes)
        }
        Format::PipfileLock => pipfile::direct_dependencies(bytes),
        Format::ComposerLock => composer::direct_dependencies(bytes),
        Format::MixLock => mix::direct_dependencies(bytes),
        // These lockfiles record direct dependencies themselves (no manifest is read).
        Format::Requirements
        | Format::GoMod
        | Format::GemfileLock
        | Format::NugetLock
        | Format::GradleLockfile
        | Format::PubspecLock => Ok(Vec::new()),
    }
}

/// What a root manifest says about its workspace, for formats whose lockfile does not
/// (always) record where the members are: Cargo, yarn 1, npm lockfileVersion 1.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Workspace {
    /// Member folders relative to the manifest's folder; `*` and `?` match within one
    /// path component.
    pub members: Vec<String>,
    /// Folders left out of the members.
    pub exclude: Vec<String>,
    /// (key, real name) of dependencies members inherit under another name.
    pub renamed: Vec<(String, String)>,
}

/// The workspace a root manifest declares; empty for formats whose lockfile lists
/// the members itself.
pub fn workspace(format: Format, bytes: &[u8]) -> Result<Workspace, ParseError> {
    match format {
        Format::CargoLock => cargo::workspace(bytes),
        // yarn 1 and npm's lockfileVersion 1 do not record the members: package.json does.
        Format::NpmPackageLock | Format::NpmShrinkwrap | Format::Yarn => npm::workspace(bytes),
        _ => Ok(Workspace::default()),
    }
}
