//! pnpm's pnpm-lock.yaml, lockfileVersion 5.x (pnpm 7 and older), 6.x (pnpm 8) and 9.x
//! (pnpm 9 and 10).
//!
//! `packages` is keyed by dependency path, one per resolved package:
//! - 5.x: `/name/1.2.3`, `/@scope/name/1.2.3`, peers after `_` (`/a/1.0.0_react@18.2.0`);
//! - 6.x: `/name@1.2.3`, peers in parentheses (`/a@1.0.0(react@18.2.0)`);
//! - 9.x: `name@1.2.3` (no peers: those live in `snapshots`, which repeat the packages).
//!
//! Packages not from a registry (tarballs, git) carry their `name` and `version` in the entry,
//! which win over the key. Folders of the project itself (`file:` directories, with
//! `resolution: {type: directory}`) are not dependencies; workspace links (`link:`) appear
//! only in `importers`.
//!
//! Direct dependencies are what pnpm recorded for each importer (the root `.` and every
//! workspace member), or the top-level `dependencies` maps of a single-project 5.x/6.x
//! lockfile. pnpm keeps them equal to the manifests (a frozen install refuses otherwise), and
//! they name the target of an alias, so the lockfile is read instead of package.json.

mod fast;

use super::{split_name_spec, Lockfile, Package, ParseError};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct RawLock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<Scalar>,
    importers: Option<BTreeMap<String, Importer>>,
    packages: Option<BTreeMap<String, Entry>>,
    // A single-project 5.x/6.x lockfile lists its direct dependencies at the top level.
    dependencies: Option<BTreeMap<String, Reference>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, Reference>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, Reference>>,
}

/// A YAML scalar pnpm writes unquoted (5.4) or quoted ('6.0').
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum Scalar {
    Text(String),
    Number(f64),
}

#[derive(Deserialize)]
struct Importer {
    dependencies: Option<BTreeMap<String, Reference>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, Reference>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, Reference>>,
}

/// What an importer's dependency resolved to: a bare reference (5.x) or
/// `{specifier, version}` (6.x, 9.x).
#[derive(Deserialize)]
#[serde(untagged)]
enum Reference {
    Bare(String),
    Pinned { version: String },
    Other(IgnoredAny),
}

#[derive(Deserialize)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolution: Option<Resolution>,
}

#[derive(Deserialize)]
struct Resolution {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// How the dependency paths of one lockfile generation are written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum KeyStyle {
    /// `/name/1.2.3_peers`
    Slash,
    /// `/name@1.2.3(peers)`
    SlashAt,
    /// `name@1.2.3(peers)`
    At,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    // The purpose-built reader takes the files pnpm writes; it answers `None` for anything
    // else (or any error), and the general path below reads (or refuses) the file.
    if let Some(lock) = std::str::from_utf8(bytes).ok().and_then(fast::parse) {
        return Ok(lock);
    }
    parse_general(bytes)
}

/// The general path: serde-saphyr, for any YAML.
pub(super) fn parse_general(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    // Bytes that are not UTF-8 are refused where they start (the YAML parser says only
    // that the input is not UTF-8).
    super::text(bytes)?;
    let raw = read_main_document(bytes)?;
    let style = match &raw.lockfile_version {
        None => return Err(ParseError::new("not a pnpm lockfile: no `lockfileVersion`")),
        Some(v) => key_style(v)?,
    };
    let mut out = Lockfile::default();
    for (key, entry) in raw.packages.unwrap_or_default() {
        if entry.resolution.as_ref().and_then(|r| r.kind.as_deref()) == Some("directory") {
            continue;
        }
        out.packages.push(
            package(style, &key, entry.name.as_deref(), entry.version.as_deref())
                .map_err(ParseError::new)?,
        );
    }
    let mut direct = BTreeSet::new();
    let mut importers = raw.importers.unwrap_or_default();
    if importers.is_empty() {
        importers.insert(
            ".".into(),
            Importer {
                dependencies: raw.dependencies,
                dev_dependencies: raw.dev_dependencies,
                optional_dependencies: raw.optional_dependencies,
            },
        );
    }
    for (dir, importer) in importers {
        if dir != "." {
            out.workspace_dirs.push(dir);
        }
        for deps in [
            importer.dependencies,
            importer.dev_dependencies,
            importer.optional_dependencies,
        ]
        .into_iter()
        .flatten()
        {
            for (alias, reference) in deps {
                let target = match &reference {
                    Reference::Bare(r) | Reference::Pinned { version: r } => r.as_str(),
                    Reference::Other(_) => "",
                };
                add_direct(style, &mut direct, &alias, target);
            }
        }
    }
    out.recorded_direct = direct.into_iter().collect();
    Ok(out)
}

/// The package of a `packages` entry (not a `directory` one): its own `name` and `version`
/// when it has them, else what its key says.
pub(super) fn package(
    style: KeyStyle,
    key: &str,
    name: Option<&str>,
    version: Option<&str>,
) -> Result<Package, String> {
    let parsed = parse_dep_path(style, key);
    match (
        name.or(parsed.map(|(n, _)| n)),
        version.or(parsed.map(|(_, v)| v)),
    ) {
        (Some(name), Some(version)) => Ok(Package {
            spec: None,
            name: name.to_string(),
            version: version.to_string(),
            source: None,
        }),
        _ => Err(format!(
            "`packages` key `{key}` names no package and version"
        )),
    }
}

/// An importer's dependency `alias` resolved to `target` is direct, and so is the real
/// package an alias names; the project's own folders and workspace members are not.
pub(super) fn add_direct(
    style: KeyStyle,
    direct: &mut BTreeSet<String>,
    alias: &str,
    target: &str,
) {
    if target.starts_with("link:") || target.starts_with("file:") {
        return;
    }
    if let Some((real, _)) = alias_target(style, target) {
        direct.insert(real.to_string());
    }
    direct.insert(alias.to_string());
}

/// pnpm 9+ may put a document for its own tooling first (`---` separated); the lockfile
/// proper is the last one.
fn read_main_document(bytes: &[u8]) -> Result<RawLock, ParseError> {
    let options = serde_saphyr::options! {
        budget: Some(super::yaml_full::budget(bytes.len())),
        with_snippet: false,
    };
    let mut docs: Vec<RawLock> = serde_saphyr::from_slice_multiple_with_options(bytes, options)?;
    docs.pop()
        .ok_or_else(|| ParseError::new("empty file: not a pnpm lockfile"))
}

pub(super) fn key_style(v: &Scalar) -> Result<KeyStyle, ParseError> {
    let major = match v {
        Scalar::Text(t) => t
            .split('.')
            .next()
            .and_then(|m| m.trim().parse::<u64>().ok()),
        Scalar::Number(n) if n.is_finite() && *n >= 0.0 => Some(n.trunc() as u64),
        Scalar::Number(_) => None,
    };
    match major {
        Some(0..=5) => Ok(KeyStyle::Slash),
        Some(6) => Ok(KeyStyle::SlashAt),
        Some(_) => Ok(KeyStyle::At),
        None => Err(ParseError::new(
            "`lockfileVersion` should be a version number such as '9.0'",
        )),
    }
}

/// Name and version of a registry dependency path, peers stripped. `None` for paths that
/// are not `name` + version (tarball URLs, git hosts), whose entries carry both.
fn parse_dep_path(style: KeyStyle, key: &str) -> Option<(&str, &str)> {
    let (name, rest) = match style {
        KeyStyle::Slash => {
            let path = key.strip_prefix('/')?;
            // The name is one segment, or two when scoped; the version follows.
            let first = path.find('/')?;
            let end = if path.starts_with('@') {
                first + 1 + path[first + 1..].find('/')?
            } else {
                first
            };
            (&path[..end], &path[end + 1..])
        }
        KeyStyle::SlashAt => split_name_spec(key.strip_prefix('/')?)?,
        KeyStyle::At => split_name_spec(key)?,
    };
    // Peers: `_` in 5.x, `(` since 6.x (and in some late 5.x files).
    let version = match style {
        KeyStyle::Slash => rest.split(['_', '(']).next(),
        KeyStyle::SlashAt | KeyStyle::At => rest.split('(').next(),
    }
    .unwrap_or_default();
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

/// The real package behind an importer's reference when it names one: an alias
/// (`lodash4: /lodash/4.17.20` in 5.x, `/lodash@4.17.20` in 6.x, `lodash@4.17.20` in 9.x).
/// A bare version (`4.17.20`, `18.2.0(react@18.2.0)`) names none.
fn alias_target(style: KeyStyle, reference: &str) -> Option<(&str, &str)> {
    if reference.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    match style {
        KeyStyle::Slash | KeyStyle::SlashAt if reference.starts_with('/') => {
            parse_dep_path(style, reference)
        }
        KeyStyle::At if !reference.contains(':') => parse_dep_path(style, reference),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::package_names as names;

    #[test]
    fn v5_single_project_peers_alias_file_and_tarball() {
        let lock = br#"lockfileVersion: 5.4

specifiers:
  lodash4: npm:lodash@4.17.20
  local-lib: file:./local-lib
  react-dom: 18.2.0

dependencies:
  lodash4: /lodash/4.17.20
  local-lib: file:local-lib
  react-dom: 18.2.0_react@18.2.0

devDependencies:
  '@types/node': 20.1.0

packages:

  /@types/node/20.1.0:
    resolution: {integrity: sha512-x}
    dev: true

  /lodash/4.17.20:
    resolution: {integrity: sha512-x}

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-x}

  /@babel/helper/7.0.0_@babel+core@7.1.0:
    resolution: {integrity: sha512-x}

  registry.example.invalid/tgz/-/tgz-1.0.0.tgz:
    resolution: {tarball: https://registry.example.invalid/tgz/-/tgz-1.0.0.tgz}
    name: tgz
    version: 1.0.0

  file:local-lib:
    resolution: {directory: local-lib, type: directory}
    name: local-lib
    version: 1.0.0
"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            names(&l),
            [
                "@babel/helper@7.0.0",
                "@types/node@20.1.0",
                "lodash@4.17.20",
                "react-dom@18.2.0",
                "tgz@1.0.0"
            ]
        );
        assert!(l.workspace_dirs.is_empty());
        assert_eq!(
            l.recorded_direct,
            ["@types/node", "lodash", "lodash4", "react-dom"]
        );
    }

    #[test]
    fn v6_workspace_importers_and_link() {
        let lock = br#"lockfileVersion: '6.0'

importers:

  .:
    devDependencies:
      cross-env:
        specifier: 7.0.3
        version: 7.0.3

  packages/api:
    dependencies:
      '@acme/web':
        specifier: workspace:*
        version: link:../web
      lodash4:
        specifier: npm:lodash@4.17.20
        version: /lodash@4.17.20

packages:

  /@scope/a@1.0.0(react@18.2.0)(b@2.0.0):
    resolution: {integrity: sha512-x}

  /@scope/a@1.0.0(react@17.0.2):
    resolution: {integrity: sha512-x}

  /cross-env@7.0.3:
    resolution: {integrity: sha512-x}

  /lodash@4.17.20:
    resolution: {integrity: sha512-x}

  /debug@2.6.9:
    resolution: {integrity: sha512-x}

  /debug@4.3.4:
    resolution: {integrity: sha512-x}
"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            names(&l),
            [
                "@scope/a@1.0.0",
                "@scope/a@1.0.0",
                "cross-env@7.0.3",
                "debug@2.6.9",
                "debug@4.3.4",
                "lodash@4.17.20"
            ]
        );
        assert_eq!(l.workspace_dirs, ["packages/api"]);
        assert_eq!(l.recorded_direct, ["cross-env", "lodash", "lodash4"]);
    }

    #[test]
    fn v9_packages_not_snapshots_and_git() {
        let lock = br#"---
lockfileVersion: '9.0'
importers:
  .:
    configDependencies: {}
---
lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    dependencies:
      lodash4:
        specifier: npm:lodash@4.17.21
        version: lodash@4.17.21
      react-dom:
        specifier: 18.2.0
        version: 18.2.0(react@18.2.0)
      gitdep:
        specifier: github:acme/gitdep
        version: https://codeload.example.invalid/acme/gitdep/tar.gz/0123abc
      local-lib:
        specifier: file:./local-lib
        version: file:local-lib

packages:

  '@scope/x@1.0.0':
    resolution: {integrity: sha512-x}

  gitdep@https://codeload.example.invalid/acme/gitdep/tar.gz/0123abc:
    resolution: {tarball: https://codeload.example.invalid/acme/gitdep/tar.gz/0123abc}
    version: 2.0.0

  local-lib@file:local-lib:
    resolution: {directory: local-lib, type: directory}

  lodash@4.17.21:
    resolution: {integrity: sha512-x}

  react-dom@18.2.0:
    resolution: {integrity: sha512-x}
    peerDependencies:
      react: ^18.2.0

snapshots:

  react-dom@18.2.0(react@18.2.0):
    dependencies:
      react: 18.2.0
"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            names(&l),
            [
                "@scope/x@1.0.0",
                "gitdep@2.0.0",
                "lodash@4.17.21",
                "react-dom@18.2.0"
            ]
        );
        assert_eq!(
            l.recorded_direct,
            ["gitdep", "lodash", "lodash4", "react-dom"]
        );
    }

    #[test]
    fn dep_paths() {
        use KeyStyle::*;
        assert_eq!(
            parse_dep_path(Slash, "/@a/b/1.0.0_x@1"),
            Some(("@a/b", "1.0.0"))
        );
        assert_eq!(
            parse_dep_path(Slash, "/b/1.0.0-rc.1"),
            Some(("b", "1.0.0-rc.1"))
        );
        assert_eq!(parse_dep_path(Slash, "/b"), None);
        assert_eq!(parse_dep_path(Slash, "/@a/b"), None);
        assert_eq!(
            parse_dep_path(SlashAt, "/@a/b@1.0.0(x@1)"),
            Some(("@a/b", "1.0.0"))
        );
        assert_eq!(parse_dep_path(At, "@a/b@1.0.0"), Some(("@a/b", "1.0.0")));
        assert_eq!(parse_dep_path(At, "@a/b"), None);
        assert_eq!(parse_dep_path(At, ""), None);
        assert_eq!(alias_target(At, "4.17.21"), None);
        assert_eq!(alias_target(At, "link:../x"), None);
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"lockfileVersion: '9.0'\npackages:\n  a@1.0.0: [\n").unwrap_err();
        assert!(err.line.is_some(), "{err:?}");

        let err = parse(b"lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    name: {x: 1}\n")
            .unwrap_err();
        assert_eq!(err.line, Some(4), "{err:?}");

        let err = parse(b"packages: {}\n").unwrap_err();
        assert!(err.message.contains("not a pnpm lockfile"), "{err}");
        let err = parse(b"").unwrap_err();
        assert!(err.message.contains("not a pnpm lockfile"), "{err}");
        // package-lock.json is valid YAML too.
        let err = parse(br#"{"lockfileVersion": 3, "packages": {"": {}}}"#).unwrap_err();
        assert!(err.message.contains("no package"), "{err}");
        let err = parse(b"lockfileVersion: x\n").unwrap_err();
        assert!(err.message.contains("lockfileVersion"), "{err}");
    }

    #[test]
    fn never_panics_on_truncations() {
        let lock = br#"lockfileVersion: '6.0'
dependencies:
  a:
    specifier: ^1
    version: 1.0.0(b@2.0.0)
packages:
  /a@1.0.0(b@2.0.0):
    resolution: {integrity: sha512-x}
    name: a
"#;
        for i in 0..lock.len() {
            let _ = parse(&lock[..i]);
        }
    }
}
