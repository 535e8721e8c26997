//! Lockfile formats: detection by file name, and parsing into a flat package list.
//! One file per format; each parser reports errors with a line and column.

pub mod bun;
pub mod cargo;
pub mod composer;
pub mod gemfile;
pub mod gomod;
pub mod gradle;
pub mod includes;
pub(crate) mod json;
pub mod mix;
pub mod npm;
pub mod nuget;
pub mod pdm;
pub mod pep508;
pub mod pipfile;
pub mod pnpm;
pub mod poetry;
pub mod pubspec;
pub mod requirements;
pub mod uv;
mod validate;
mod yaml_full;
mod yaml_lines;
pub mod yarn;

use crate::ecosystem::Ecosystem;
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};
use std::fmt;

/// A package as a lockfile pins it. A lockfile may hold several versions of one name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Package {
    /// The real package name (an alias is resolved to the package it points to).
    pub name: String,
    pub version: String,
    /// Where the lockfile says the package came from, when it says so: a Cargo.lock
    /// `source` (`registry+URL`, `sparse+URL`) or a Python package index URL. Release
    /// notes are fetched from there when the user's configuration names no other.
    pub source: Option<String>,
    /// The requirement as the file writes it, when the file holds a range rather than a
    /// pin (`>=2.0`, `^7.0.2`, `~> 5.0`; `""` for a name with no version at all, which
    /// admits any). `version` is then the lowest version the range admits, `"0"` when
    /// nothing bounds it below, so that versions still compare and rules still fire on
    /// the window the range opens.
    pub spec: Option<String>,
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
    /// Other files this one pulls in (a requirements file's `-r other.txt`), relative to
    /// the lockfile's directory; the caller reads them at the same revision and merges them.
    pub includes: Vec<String>,
    /// Entries left out of `packages`, each with why and where: a version the ecosystem
    /// does not admit, a version that is not a string. The rest of the file still counts.
    pub rejected: Vec<ParseError>,
}

impl Lockfile {
    /// Drops the repeats of a package, keeping the first (lockfiles that list a package
    /// once per extras set or per category, and files included by several others). One
    /// pass with a set, where checking each push against the list was quadratic.
    pub fn dedup_packages(&mut self) {
        let keep: Vec<bool> = {
            let mut seen = HashSet::with_capacity(self.packages.len());
            self.packages.iter().map(|p| seen.insert(p)).collect()
        };
        let mut keep = keep.into_iter();
        self.packages.retain(|_| keep.next().unwrap_or(true));
    }
}

/// The `[[package]]` list of a TOML lockfile. Without one, the file is an empty lockfile
/// when it has the format's header key (`marker`), and another kind of file otherwise.
pub fn package_list<T>(
    packages: Option<Vec<T>>,
    marker: bool,
    what: &str,
) -> Result<Vec<T>, ParseError> {
    match packages {
        Some(p) => Ok(p),
        None if marker => Ok(Vec::new()),
        None => Err(ParseError::new(format!("not a {what}: no `[[package]]`"))),
    }
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
                .map(|(name, version)| Package {
                    spec: None,
                    name,
                    version,
                    source: None,
                })
                .collect(),
            recorded_direct: recorded_direct.into_iter().collect(),
            ..Lockfile::default()
        }
    }
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
    CargoLock,
    PoetryLock,
    UvLock,
    PipfileLock,
    PdmLock,
    Requirements,
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
            "yarn.lock" => Some(Format::Yarn),
            "pnpm-lock.yaml" => Some(Format::PnpmLock),
            "bun.lock" => Some(Format::BunLock),
            "bun.lockb" => Some(Format::BunLockb),
            "Cargo.lock" => Some(Format::CargoLock),
            "poetry.lock" => Some(Format::PoetryLock),
            "uv.lock" => Some(Format::UvLock),
            "Pipfile.lock" => Some(Format::PipfileLock),
            "pdm.lock" => Some(Format::PdmLock),
            n if requirements::is_requirements_file(n) => Some(Format::Requirements),
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

    /// Detects a lockfile by its path: by its name (`detect`), or a requirements file by
    /// pip's folder convention, any `.txt` under a folder named `requirements`
    /// (`requirements/prod.txt`, `requirements/base/common.txt`), which is how many Django
    /// projects keep their pins.
    pub fn detect_path(path: &str) -> Option<Format> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        Format::detect(name).or_else(|| {
            let in_folder = dir.split('/').any(|d| d == "requirements");
            (in_folder && name.ends_with(".txt")).then_some(Format::Requirements)
        })
    }

    /// The folder whose sources a lockfile at `path` covers: its own, except for a
    /// requirements file kept in a `requirements/` folder, which covers the project that
    /// holds that folder.
    pub fn project_dir(path: &str) -> &str {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        if Format::detect_path(path) != Some(Format::Requirements) {
            return dir;
        }
        match dir.split('/').position(|d| d == "requirements") {
            Some(0) => "",
            Some(i) => {
                let end: usize = dir.split('/').take(i).map(|d| d.len() + 1).sum();
                &dir[..end - 1]
            }
            None => dir,
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
            Format::CargoLock => Ecosystem::Cargo,
            Format::PoetryLock
            | Format::UvLock
            | Format::PipfileLock
            | Format::PdmLock
            | Format::Requirements => Ecosystem::Pypi,
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
    /// workspace member's folder). `None` where the lockfile itself records them: pnpm and
    /// bun copy every workspace's dependency lists into the lockfile, aliases resolved.
    pub fn manifest_name(self) -> Option<&'static str> {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap | Format::Yarn => Some("package.json"),
            Format::PnpmLock | Format::BunLock | Format::BunLockb => None,
            Format::CargoLock => Some("Cargo.toml"),
            Format::PoetryLock | Format::UvLock | Format::PdmLock => Some("pyproject.toml"),
            Format::PipfileLock => Some("Pipfile"),
            Format::Requirements => None,
            Format::ComposerLock => Some("composer.json"),
            Format::MixLock => Some("mix.exs"),
            Format::GoMod
            | Format::GemfileLock
            | Format::NugetLock
            | Format::GradleLockfile
            | Format::PubspecLock => None,
        }
    }

    /// Reads a lockfile: its packages, less the entries whose version the ecosystem does
    /// not admit (those are in `rejected`).
    pub fn parse(self, bytes: &[u8]) -> Result<Lockfile, ParseError> {
        validate::refuse_blank(self, bytes)?;
        let mut lock = self.read(bytes).map_err(|e| validate::place(e, bytes))?;
        validate::versions(self, bytes, &mut lock);
        Ok(lock)
    }

    fn read(self, bytes: &[u8]) -> Result<Lockfile, ParseError> {
        match self {
            Format::NpmPackageLock | Format::NpmShrinkwrap => npm::parse(bytes),
            Format::Yarn => yarn::parse(bytes),
            Format::PnpmLock => pnpm::parse(bytes),
            Format::BunLock => bun::parse(bytes),
            Format::BunLockb => Err(ParseError::new(bun::LOCKB_MESSAGE)),
            Format::CargoLock => cargo::parse(bytes),
            Format::PoetryLock => poetry::parse(bytes),
            Format::UvLock => uv::parse(bytes),
            Format::PipfileLock => pipfile::parse(bytes),
            Format::PdmLock => pdm::parse(bytes),
            Format::Requirements => requirements::parse(bytes),
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
            | "target"
            | ".venv"
            | "venv"
            | "site-packages"
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

impl ParseError {
    /// An error at a byte offset of `text`, turned into a 1-based line and column
    /// (the column counts characters).
    pub fn at_offset(message: impl Into<String>, text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or(text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        ParseError {
            message: message.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

/// Reads a TOML lockfile into `T`, with the position of the first error.
pub fn from_toml<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ParseError> {
    let text = utf8(bytes)?;
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_string();
        match e.span() {
            Some(span) => ParseError::at_offset(message, text, span.start),
            None => ParseError::new(message),
        }
    })
}

/// A TOML lockfile whose document is a list of `[[package]]` tables (Cargo.lock,
/// poetry.lock, uv.lock, pdm.lock): read one package at a time, so that the whole
/// document is never held as a TOML tree (which costs about 20 times the file size).
pub trait TomlLock: serde::de::DeserializeOwned {
    /// Takes in what a later piece of the same file held.
    fn absorb(&mut self, later: Self);
}

/// The shape of poetry.lock and pdm.lock: `[[package]]` tables and a `[metadata]` table.
#[derive(serde::Deserialize)]
pub struct PackagesAndMetadata<P> {
    pub package: Option<Vec<P>>,
    pub metadata: Option<serde::de::IgnoredAny>,
}

impl<P: serde::de::DeserializeOwned> TomlLock for PackagesAndMetadata<P> {
    fn absorb(&mut self, later: Self) {
        absorb_packages(&mut self.package, later.package);
        self.metadata = self.metadata.take().or(later.metadata);
    }
}

/// Appends a later piece's packages.
pub fn absorb_packages<P>(packages: &mut Option<Vec<P>>, later: Option<Vec<P>>) {
    match (packages.as_mut(), later) {
        (Some(list), Some(more)) => list.extend(more),
        (None, more) => *packages = more,
        (Some(_), None) => {}
    }
}

/// Reads a `TomlLock` piece by piece, split before each `[[package]]` header (not inside a
/// multi-line string). Errors keep their position in the whole file.
pub fn from_toml_pieces<T: TomlLock>(bytes: &[u8]) -> Result<T, ParseError> {
    let text = utf8(bytes)?;
    let mut starts = vec![0];
    let mut offset = 0;
    let mut in_string = false;
    for line in text.split_inclusive('\n') {
        if !in_string && offset > 0 && line.trim_end() == "[[package]]" {
            starts.push(offset);
        }
        // A `"""` or `'''` opening without its close on the line starts a multi-line string.
        if (line.matches(r#"""""#).count() + line.matches("'''").count()) % 2 == 1 {
            in_string = !in_string;
        }
        offset += line.len();
    }
    starts.push(text.len());
    let mut whole: Option<T> = None;
    for w in starts.windows(2) {
        let piece = &text[w[0]..w[1]];
        let part: T = toml::from_str(piece).map_err(|e| {
            let message = e.message().trim_end().to_string();
            match e.span() {
                Some(span) => ParseError::at_offset(message, text, w[0] + span.start),
                None => ParseError::new(message),
            }
        })?;
        match whole.as_mut() {
            Some(w) => w.absorb(part),
            None => whole = Some(part),
        }
    }
    whole.ok_or_else(|| ParseError::new("empty file"))
}

/// The bytes as UTF-8 text, or an error at the first byte that is not.
pub fn utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        ParseError::at_offset("not UTF-8 text (a binary file?)", valid, e.valid_up_to())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pip's folder convention: a `.txt` under `requirements/` is a requirements file, and
    /// covers the project that holds the folder.
    #[test]
    fn requirements_folders() {
        for (path, format, project) in [
            ("requirements/common.txt", Some(Format::Requirements), ""),
            (
                "web/requirements/prod.txt",
                Some(Format::Requirements),
                "web",
            ),
            (
                "web/requirements/base/dev.txt",
                Some(Format::Requirements),
                "web",
            ),
            ("web/requirements.txt", Some(Format::Requirements), "web"),
            ("web/requirements/README.md", None, "web/requirements"),
            ("docs/notes.txt", None, "docs"),
            (
                "web/requirements/package-lock.json",
                Some(Format::NpmPackageLock),
                "web/requirements",
            ),
        ] {
            assert_eq!(Format::detect_path(path), format, "{path}");
            assert_eq!(Format::project_dir(path), project, "{path}");
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct Pieces {
        version: Option<i64>,
        package: Option<Vec<toml::Table>>,
    }

    impl TomlLock for Pieces {
        fn absorb(&mut self, later: Self) {
            absorb_packages(&mut self.package, later.package);
            self.version = self.version.take().or(later.version);
        }
    }

    #[test]
    fn toml_pieces_read_like_the_whole_document() {
        let text = "version = 4\n\n[[package]]\nname = \"a\"\nnote = \"\"\"\n[[package]]\n\"\"\"\n\n[package.metadata]\nx = 1\n\n[[package]]\nname = \"b\"\n";
        let p: Pieces = from_toml_pieces(text.as_bytes()).unwrap();
        assert_eq!(p.version, Some(4));
        let names: Vec<&str> = p
            .package
            .as_ref()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["a", "b"],
            "a header inside a multi-line string does not split"
        );
        assert!(p.package.unwrap()[0].contains_key("metadata"));
        // An error in a later piece keeps its position in the whole file.
        let err = from_toml_pieces::<Pieces>(
            b"version = 4\n[[package]]\nname = \"a\"\n[[package]]\nname = = 2\n",
        )
        .unwrap_err();
        assert_eq!(err.line, Some(5), "{err}");
    }

    /// Every prefix of a real lockfile (cut anywhere, even inside a UTF-8 character) is
    /// read or refused, never a panic.
    #[test]
    fn truncated_lockfiles_never_panic() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        for (file, format) in [
            ("cargo/workspace/before/Cargo.lock", Format::CargoLock),
            ("pypi/poetry/before/poetry.lock", Format::PoetryLock),
            ("pypi/uv-workspace/before/uv.lock", Format::UvLock),
            ("pypi/pipenv/before/Pipfile.lock", Format::PipfileLock),
            ("pypi/pdm/before/pdm.lock", Format::PdmLock),
            (
                "pypi/pip-compile/before/requirements.txt",
                Format::Requirements,
            ),
        ] {
            let bytes = std::fs::read(root.join(file)).unwrap();
            assert!(format.parse(&bytes).is_ok(), "{file}");
            let mut cut = 0;
            while cut < bytes.len() {
                let _ = format.parse(&bytes[..cut]);
                let _ = format.parse(&[&bytes[..cut], "é\u{0}\\\n[".as_bytes()].concat());
                cut += 1 + cut % 211;
            }
        }
    }

    /// Collections nested far deeper than any lockfile (60,000 levels, flow or block) are
    /// refused with a position, by every reader, on a thread with half the stack rayon
    /// gives the parsing threads: reading must not recurse once per level of the input.
    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let flow = |prefix: &str, open: &str| format!("{prefix}{}", open.repeat(60_000));
        let block = |prefix: &str, step: usize| {
            let lines = (1..2_000).map(|i| format!("{}a:\n", " ".repeat(i * step)));
            format!("{prefix}{}", lines.collect::<String>())
        };
        let pnpm = "lockfileVersion: '9.0'\nsettings: ";
        let berry = "__metadata:\n  version: 6\n\"a@npm:1\":\n  x: ";
        let mut cases = Vec::new();
        for (format, prefix) in [
            (Format::PnpmLock, pnpm),
            (Format::PubspecLock, "sdks: "),
            (Format::Yarn, berry),
        ] {
            for open in ["[", "{a: ", "- ["] {
                cases.push((format, flow(prefix, open)));
                // An anchor sends the file straight to the full parser.
                cases.push((format, flow(&format!("{prefix}&x "), open)));
            }
            cases.push((format, block(&format!("{}\n", prefix.trim_end()), 2)));
        }
        for (format, text) in [
            (Format::NpmPackageLock, "[".repeat(60_000)),
            (Format::ComposerLock, "{\"a\":".repeat(60_000)),
            (Format::BunLock, "{\"a\":[".repeat(30_000)),
            (Format::CargoLock, format!("a = {}", "[".repeat(60_000))),
            (Format::UvLock, format!("a = {}", "{a = ".repeat(60_000))),
            (Format::MixLock, format!("%{{\"a\": {}", "{".repeat(60_000))),
        ] {
            cases.push((format, text));
        }
        for (format, text) in cases {
            let head: String = text.chars().take(60).collect();
            let err = std::thread::Builder::new()
                .stack_size(1024 * 1024)
                .spawn(move || format.parse(text.as_bytes()).map(|_| ()))
                .unwrap()
                .join()
                .unwrap()
                .expect_err(&head);
            assert!(err.line.is_some() && err.column.is_some(), "{head}: {err}");
        }
        // The manifests' readers: Cargo.toml, pyproject.toml, Pipfile, package.json,
        // composer.json.
        for (format, text) in [
            (Format::CargoLock, format!("a = {}", "[".repeat(60_000))),
            (
                Format::PoetryLock,
                format!("a = {}", "{a = ".repeat(60_000)),
            ),
            (Format::PipfileLock, format!("a = {}", "[".repeat(60_000))),
            (Format::NpmPackageLock, "{\"a\":".repeat(60_000)),
            (Format::ComposerLock, "[".repeat(60_000)),
        ] {
            std::thread::Builder::new()
                .stack_size(1024 * 1024)
                .spawn(move || {
                    let direct = crate::manifest::direct_dependencies(format, text.as_bytes());
                    assert!(direct.is_err(), "{format:?}");
                    // Refused or read as no workspace: either way, no overflow.
                    let _ = crate::manifest::workspace(format, text.as_bytes());
                })
                .unwrap()
                .join()
                .unwrap();
        }
    }
}
