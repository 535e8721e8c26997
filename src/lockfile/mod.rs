//! Lockfile formats: detection by file name, and parsing into a flat package list.
//! One file per format; each parser reports errors with a line and column.

pub mod composer;
pub mod gemfile;
pub mod gomod;
pub mod gradle;
pub mod mix;
pub mod npm;
pub mod nuget;
pub mod pubspec;

use crate::ecosystem::Ecosystem;
use serde::Serialize;
use std::collections::BTreeSet;
use std::fmt;

/// A package as a lockfile pins it. A lockfile may hold several versions of one name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Package {
    /// The real package name (an alias is resolved to the package it points to).
    pub name: String,
    pub version: String,
}

/// What a parser returns: the packages, and where the project's own manifests are.
#[derive(Clone, Debug, Default)]
pub struct Lockfile {
    pub packages: Vec<Package>,
    /// Directories (relative to the lockfile's directory) of workspace members whose
    /// manifests declare direct dependencies, besides the lockfile's own directory.
    pub workspace_dirs: Vec<String>,
    /// Direct dependency names as the lockfile itself records them: the whole truth for
    /// formats without a manifest, the fallback when the manifest is missing.
    pub recorded_direct: Vec<String>,
}

impl Lockfile {
    /// From distinct (name, version) pairs and direct names, in sorted order.
    pub(crate) fn from_sets(
        packages: BTreeSet<(String, String)>,
        recorded_direct: BTreeSet<String>,
    ) -> Lockfile {
        Lockfile {
            packages: packages
                .into_iter()
                .map(|(name, version)| Package { name, version })
                .collect(),
            workspace_dirs: Vec::new(),
            recorded_direct: recorded_direct.into_iter().collect(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    NpmPackageLock,
    NpmShrinkwrap,
    GoMod,
    GemfileLock,
    ComposerLock,
    NugetLock,
    GradleLockfile,
    PubspecLock,
    MixLock,
}

impl Format {
    /// Detects a lockfile by its file name (the last path component).
    pub fn detect(file_name: &str) -> Option<Format> {
        match file_name {
            "package-lock.json" => Some(Format::NpmPackageLock),
            "npm-shrinkwrap.json" => Some(Format::NpmShrinkwrap),
            "go.mod" => Some(Format::GoMod),
            "Gemfile.lock" | "gems.locked" => Some(Format::GemfileLock),
            "composer.lock" => Some(Format::ComposerLock),
            "packages.lock.json" => Some(Format::NugetLock),
            "gradle.lockfile" => Some(Format::GradleLockfile),
            "pubspec.lock" => Some(Format::PubspecLock),
            "mix.lock" => Some(Format::MixLock),
            _ => None,
        }
    }

    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap => Ecosystem::Npm,
            Format::GoMod => Ecosystem::Go,
            Format::GemfileLock => Ecosystem::Rubygems,
            Format::ComposerLock => Ecosystem::Packagist,
            Format::NugetLock => Ecosystem::Nuget,
            Format::GradleLockfile => Ecosystem::Maven,
            Format::PubspecLock => Ecosystem::Pub,
            Format::MixLock => Ecosystem::Hex,
        }
    }

    /// The manifest that declares direct dependencies, beside the lockfile (and in each
    /// workspace member's folder). `None` where the lockfile itself records them.
    pub fn manifest_name(self) -> Option<&'static str> {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap => Some("package.json"),
            Format::ComposerLock => Some("composer.json"),
            Format::MixLock => Some("mix.exs"),
            Format::GoMod
            | Format::GemfileLock
            | Format::NugetLock
            | Format::GradleLockfile
            | Format::PubspecLock => None,
        }
    }

    pub fn parse(self, bytes: &[u8]) -> Result<Lockfile, ParseError> {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap => npm::parse(bytes),
            Format::GoMod => gomod::parse(bytes),
            Format::GemfileLock => gemfile::parse(bytes),
            Format::ComposerLock => composer::parse(bytes),
            Format::NugetLock => nuget::parse(bytes),
            Format::GradleLockfile => gradle::parse(bytes),
            Format::PubspecLock => pubspec::parse(bytes),
            Format::MixLock => mix::parse(bytes),
        }
    }
}

/// "name version" of each package, in order: what parser tests compare.
#[cfg(test)]
pub(crate) fn listing(lock: &Lockfile) -> Vec<String> {
    lock.packages
        .iter()
        .map(|p| format!("{} {}", p.name, p.version))
        .collect()
}

/// Whether a path component names a folder of installed or vendored dependencies,
/// whose lockfiles and sources belong to someone else.
pub fn is_dependency_dir(component: &str) -> bool {
    matches!(
        component,
        "node_modules"
            | "bower_components"
            | "jspm_packages"
            | "vendor"
            | "vendors"
            | "third_party"
            | "third-party"
            | ".yarn"
            | ".pnpm-store"
            | ".git"
    )
}

/// A parse failure with the 1-based position where the parser gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl ParseError {
    pub fn new(message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// An error at a 1-based line and column.
    pub fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        ParseError {
            message: message.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

/// A text lockfile's bytes as UTF-8, or an error where the invalid bytes start.
pub(crate) fn text(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        ParseError::at(line, before.len() - line_start + 1, "not UTF-8 text")
    })
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l}, column {c}: {}", self.message),
            (Some(l), None) => write!(f, "line {l}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

impl From<serde_json::Error> for ParseError {
    fn from(e: serde_json::Error) -> Self {
        // serde_json's Display appends " at line L column C"; keep the message bare.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        ParseError {
            message,
            line: (e.line() > 0).then_some(e.line()),
            column: (e.line() > 0).then_some(e.column()),
        }
    }
}
