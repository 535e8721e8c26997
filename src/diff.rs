//! Package changes between two readings of one lockfile.

use crate::ecosystem::Ecosystem;
use crate::lockfile::Package;
use crate::version::{self, ChangeKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One package whose pinned versions differ between base and head (the JSON contract).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub ecosystem: Ecosystem,
    pub name: String,
    /// Highest version at base; `None` when added.
    pub from: Option<String>,
    /// Highest version at head; `None` when removed.
    pub to: Option<String>,
    pub kind: ChangeKind,
    /// A major, or a 0.x minor (0.0.x patch): semver allows it to break dependants.
    pub breaking: bool,
    pub direct: bool,
    /// Path of the lockfile at head (at base for a removed lockfile).
    pub lockfile: String,
    /// Every version at base, lowest first, when the lockfile holds more than one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub from_all: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub to_all: Vec<String>,
    /// The requirement as written at base, when the file holds a range there rather than
    /// a pin (see `Package::spec`); `from` is then the lowest version it admits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_spec: Option<String>,
    /// The requirement as written at head; `to` is the lowest version it admits, or the
    /// installed version when one is found beside the file (`to_installed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_spec: Option<String>,
    /// `to` is the version installed beside the file (a virtualenv, `node_modules`), which
    /// the head range admits, rather than the lowest version the range admits.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub to_installed: bool,
    /// Where the lockfile says the new version comes from (see `Package::source`), for
    /// fetching its release notes; not part of the report.
    #[serde(skip)]
    pub source: Option<String>,
}

/// What the diff needs to know about one side.
pub struct Side<'a> {
    pub packages: &'a [Package],
    pub direct: &'a BTreeSet<String>,
}

/// Computes the changes of one lockfile, sorted by package name.
pub fn diff(ecosystem: Ecosystem, lockfile: &str, base: Side, head: Side) -> Vec<Change> {
    let before = versions_by_name(ecosystem, base.packages);
    let after = versions_by_name(ecosystem, head.packages);
    let names: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    let empty = Vec::new();
    let mut out = Vec::new();
    for name in names {
        let a = before.get(name).unwrap_or(&empty);
        let b = after.get(name).unwrap_or(&empty);
        if a == b {
            continue;
        }
        let (from, to) = (a.last().cloned(), b.last().cloned());
        let kind = match (&from, &to) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            (Some(f), Some(t)) if f != t => version::classify(ecosystem, f, t),
            // The highest copy is unchanged but another copy moved: classify the lowest
            // copies, which is where some dependent's view of the package changed.
            _ => version::classify(ecosystem, &a[0], &b[0]),
        };
        let several = a.len() > 1 || b.len() > 1;
        let source = to.as_ref().and_then(|t| {
            head.packages
                .iter()
                .find(|p| p.name == name && p.version == *t)
                .and_then(|p| p.source.clone())
        });
        let breaking = match (&from, &to) {
            (Some(f), Some(t)) => version::is_breaking(ecosystem, f, t),
            _ => false,
        };
        out.push(Change {
            from_spec: None,
            to_spec: None,
            to_installed: false,
            ecosystem,
            breaking,
            name: name.to_string(),
            from,
            to: to.clone(),
            kind,
            direct: head.direct.contains(name) || base.direct.contains(name),
            lockfile: lockfile.to_string(),
            from_all: if several { a.clone() } else { Vec::new() },
            to_all: if several { b.clone() } else { Vec::new() },
            source,
        });
    }
    out
}

/// Distinct versions per name, lowest first.
fn versions_by_name(ecosystem: Ecosystem, packages: &[Package]) -> BTreeMap<&str, Vec<String>> {
    let mut map: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for p in packages {
        let version = match ecosystem {
            Ecosystem::Npm => registry_tarball_version(&p.name, &p.version).unwrap_or(&p.version),
            _ => &p.version,
        };
        map.entry(p.name.as_str())
            .or_default()
            .push(version.to_string());
    }
    for versions in map.values_mut() {
        versions.sort_by(|a, b| version::compare(ecosystem, a, b));
        versions.dedup();
    }
    map
}

/// The version of a dependency installed from a registry tarball URL, which npm registries
/// serve at `…/NAME/-/BASENAME-VERSION.tgz`: bun records such a dependency by its URL where
/// npm and pnpm record the version, so a project switching between them would otherwise show
/// a change that is none. Any other URL (git, a file, another layout) stays as written.
fn registry_tarball_version<'a>(name: &str, version: &'a str) -> Option<&'a str> {
    if !(version.starts_with("https://") || version.starts_with("http://")) {
        return None;
    }
    let path = version.split(['?', '#']).next()?;
    let basename = name.rsplit('/').next()?;
    let file = path.strip_suffix(".tgz")?;
    let (dir, file) = file.rsplit_once('/')?;
    let found = file.strip_prefix(basename)?.strip_prefix('-')?;
    let named = dir.strip_suffix("/-")?.ends_with(&format!("/{name}"));
    (named && semver::Version::parse(found).is_ok()).then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkgs(list: &[(&str, &str)]) -> Vec<Package> {
        list.iter()
            .map(|(n, v)| Package {
                spec: None,
                name: n.to_string(),
                version: v.to_string(),
                source: None,
            })
            .collect()
    }

    #[test]
    fn registry_tarball_urls_read_as_their_version() {
        let v = |name: &str, url: &str| registry_tarball_version(name, url).map(str::to_string);
        let base = "https://registry.example.invalid";
        assert_eq!(
            v("left-pad", &format!("{base}/left-pad/-/left-pad-1.3.0.tgz")),
            Some("1.3.0".into())
        );
        assert_eq!(
            v("@acme/x", &format!("{base}/@acme/x/-/x-2.0.0-rc.1.tgz?t=1")),
            Some("2.0.0-rc.1".into())
        );
        // Another package's tarball, another layout, not a version, not a URL.
        assert_eq!(
            v("pad", &format!("{base}/left-pad/-/left-pad-1.3.0.tgz")),
            None
        );
        assert_eq!(v("pad", &format!("{base}/pad/pad-1.3.0.tgz")), None);
        assert_eq!(v("pad", &format!("{base}/pad/-/pad-latest.tgz")), None);
        assert_eq!(v("pad", "1.3.0"), None);
        assert_eq!(v("pad", "github:acme/pad#0123abc"), None);
    }

    #[test]
    fn kinds_and_several_versions() {
        let base = pkgs(&[
            ("express", "4.21.2"),
            ("debug", "2.6.9"),
            ("debug", "4.3.4"),
            ("gone", "1.0.0"),
            ("same", "1.0.0"),
            ("qs", "6.13.0"),
        ]);
        let head = pkgs(&[
            ("express", "5.1.0"),
            ("debug", "4.3.4"),
            ("new", "0.1.0"),
            ("same", "1.0.0"),
            ("qs", "6.12.0"),
        ]);
        let direct: BTreeSet<String> = ["express".to_string()].into();
        let none = BTreeSet::new();
        let changes = diff(
            Ecosystem::Npm,
            "package-lock.json",
            Side {
                packages: &base,
                direct: &none,
            },
            Side {
                packages: &head,
                direct: &direct,
            },
        );
        let summary: Vec<String> = changes
            .iter()
            .map(|c| {
                format!(
                    "{} {} {:?}->{:?} {}",
                    c.name, c.kind, c.from, c.to, c.direct
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                "debug major Some(\"4.3.4\")->Some(\"4.3.4\") false",
                "express major Some(\"4.21.2\")->Some(\"5.1.0\") true",
                "gone removed Some(\"1.0.0\")->None false",
                "new added None->Some(\"0.1.0\") false",
                "qs downgrade Some(\"6.13.0\")->Some(\"6.12.0\") false",
            ]
        );
        assert_eq!(changes[0].from_all, ["2.6.9", "4.3.4"]);
        assert_eq!(changes[0].to_all, ["4.3.4"]);
        assert!(changes[1].from_all.is_empty());
    }
}
