//! Lockfile formats: detection by file name, and parsing into a flat package list.
//! One file per format; each parser reports errors with a line and column.

pub mod bun;
pub mod npm;
pub mod pnpm;
pub mod yarn;

use crate::ecosystem::Ecosystem;
use serde::Serialize;
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    NpmPackageLock,
    NpmShrinkwrap,
    /// yarn.lock, classic (yarn 1) or Berry (yarn 2+): told apart by the content.
    Yarn,
    PnpmLock,
    BunLock,
    /// bun's binary lockfile (before bun 1.2): detected so the user is told what to do.
    BunLockb,
}

impl Format {
    /// Detects a lockfile by its file name (the last path component).
    pub fn detect(file_name: &str) -> Option<Format> {
        match file_name {
            "package-lock.json" => Some(Format::NpmPackageLock),
            "npm-shrinkwrap.json" => Some(Format::NpmShrinkwrap),
            "yarn.lock" => Some(Format::Yarn),
            "pnpm-lock.yaml" => Some(Format::PnpmLock),
            "bun.lock" => Some(Format::BunLock),
            "bun.lockb" => Some(Format::BunLockb),
            _ => None,
        }
    }

    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Format::NpmPackageLock
            | Format::NpmShrinkwrap
            | Format::Yarn
            | Format::PnpmLock
            | Format::BunLock
            | Format::BunLockb => Ecosystem::Npm,
        }
    }

    /// The manifest that declares direct dependencies, beside the lockfile (and in each
    /// workspace member's folder). `None` where the lockfile itself records them: pnpm and
    /// bun copy every workspace's dependency lists into the lockfile, aliases resolved.
    pub fn manifest_name(self) -> Option<&'static str> {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap | Format::Yarn => Some("package.json"),
            Format::PnpmLock | Format::BunLock | Format::BunLockb => None,
        }
    }

    pub fn parse(self, bytes: &[u8]) -> Result<Lockfile, ParseError> {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap => npm::parse(bytes),
            Format::Yarn => yarn::parse(bytes),
            Format::PnpmLock => pnpm::parse(bytes),
            Format::BunLock => bun::parse(bytes),
            Format::BunLockb => Err(ParseError::new(bun::LOCKB_MESSAGE)),
        }
    }
}

/// Splits `name@spec` at the `@` that ends the name (a scoped name starts with `@`).
pub(crate) fn split_name_spec(s: &str) -> Option<(&str, &str)> {
    let at = s.get(1..)?.find('@')? + 1;
    Some((&s[..at], &s[at + 1..]))
}

/// `name@version` of every package, sorted: what the parsers' unit tests compare.
#[cfg(test)]
pub(crate) fn package_names(l: &Lockfile) -> Vec<String> {
    let mut v: Vec<String> = l
        .packages
        .iter()
        .map(|p| format!("{}@{}", p.name, p.version))
        .collect();
    v.sort();
    v
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

impl From<serde_saphyr::Error> for ParseError {
    fn from(e: serde_saphyr::Error) -> Self {
        // The rendered error repeats the position (" at line L, column C", and maybe a
        // snippet on later lines); keep the reason.
        let full = e.to_string();
        let first = full.lines().next().unwrap_or_default();
        let message = first
            .rfind(" at line ")
            .map_or(first, |i| &first[..i])
            .to_string();
        let loc = e.location();
        ParseError {
            message,
            line: loc.map(|l| l.line() as usize).filter(|&l| l > 0),
            column: loc.map(|l| l.column() as usize).filter(|&c| c > 0),
        }
    }
}
