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
        let (from, to) = (a.last().cloned(), b.last().cloned());
        let from_spec = spec_at(base.packages, name, from.as_deref());
        let to_spec = spec_at(head.packages, name, to.as_deref());
        if a == b && from_spec == to_spec {
            continue;
        }
        let ranged = from_spec.is_some() || to_spec.is_some();
        let kind = match (&from, &to) {
            (None, _) => ChangeKind::Added,
            (_, None) => ChangeKind::Removed,
            (Some(f), Some(t)) if ranged => {
                range_kind(ecosystem, f, from_spec.as_deref(), t, to_spec.as_deref())
            }
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
            (Some(f), Some(t)) if ranged => {
                range_breaking(ecosystem, f, from_spec.as_deref(), t, kind)
            }
            (Some(f), Some(t)) => version::is_breaking(ecosystem, f, t),
            _ => false,
        };
        // A range with nothing below it has no version to show: its spec says it all.
        let shown = |v: Option<String>, spec: &Option<String>| {
            v.filter(|v| !(spec.is_some() && v == UNBOUNDED))
        };
        out.push(Change {
            ecosystem,
            breaking,
            name: name.to_string(),
            from: shown(from, &from_spec),
            to: shown(to, &to_spec),
            kind,
            direct: head.direct.contains(name) || base.direct.contains(name),
            lockfile: lockfile.to_string(),
            from_all: if several { a.clone() } else { Vec::new() },
            to_all: if several { b.clone() } else { Vec::new() },
            from_spec,
            to_spec,
            to_installed: false,
            source,
        });
    }
    out
}

/// The `version` of a ranged package whose range has no lower bound (`Package::spec`).
pub const UNBOUNDED: &str = "0";

/// The requirement written for `name` at `version` on one side, when that side holds a
/// range rather than a pin.
fn spec_at(packages: &[Package], name: &str, version: Option<&str>) -> Option<String> {
    let version = version?;
    packages
        .iter()
        .find(|p| p.name == name && p.version == version && p.spec.is_some())
        .and_then(|p| p.spec.clone())
}

/// The kind of a change where one side at least is a range, `from` and `to` being the
/// lowest versions each side admits (or a pin, or an installed version): a move up is
/// sized as usual, since the new range excludes the old lowest; a range that still admits
/// the old version (a bound loosened) or moves nothing but its text is `other`; a range
/// that newly excludes the old version from above is a downgrade.
pub fn range_kind(
    ecosystem: Ecosystem,
    from: &str,
    from_spec: Option<&str>,
    to: &str,
    to_spec: Option<&str>,
) -> ChangeKind {
    let unbounded = |v: &str, spec: Option<&str>| spec.is_some() && v == UNBOUNDED;
    if unbounded(to, to_spec) {
        return ChangeKind::Other;
    }
    if unbounded(from, from_spec) {
        // Nothing bounded the old requirement, so which version was installed is unknown:
        // a new bound at the start of a major (`>=3.0`) requires that major, which is a
        // major change for anyone who had an older one; any other bound is minor.
        return match version::parse(ecosystem, to) {
            Some(v) if v.major >= 1 && v.minor == 0 && v.patch == 0 => ChangeKind::Major,
            _ => ChangeKind::Minor,
        };
    }
    match version::compare(ecosystem, from, to) {
        std::cmp::Ordering::Less => version::classify(ecosystem, from, to),
        std::cmp::Ordering::Equal => ChangeKind::Other,
        std::cmp::Ordering::Greater => {
            let still_admitted = to_spec
                .and_then(|s| version::Requirement::parse(ecosystem, s).ok())
                .is_some_and(|r| r.admits(from));
            if still_admitted {
                ChangeKind::Other
            } else {
                ChangeKind::Downgrade
            }
        }
    }
}

/// Whether a range change may break dependants: as for pins, except that from a range
/// with no lower bound only a change sized major counts.
fn range_breaking(
    ecosystem: Ecosystem,
    from: &str,
    from_spec: Option<&str>,
    to: &str,
    kind: ChangeKind,
) -> bool {
    if from_spec.is_some() && from == UNBOUNDED {
        return kind == ChangeKind::Major;
    }
    matches!(
        kind,
        ChangeKind::Major | ChangeKind::Minor | ChangeKind::Patch | ChangeKind::Prerelease
    ) && version::is_breaking(ecosystem, from, to)
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

    /// A side of one package: a pin (`==1.3.20` as `1.3.20`) or a range with its lowest.
    fn one(name: &str, spec: Option<&str>, version: &str) -> Vec<Package> {
        vec![Package {
            name: name.into(),
            version: version.into(),
            source: None,
            spec: spec.map(str::to_string),
        }]
    }

    fn ranged(
        eco: Ecosystem,
        from: (Option<&str>, &str),
        to: (Option<&str>, &str),
    ) -> Option<Change> {
        let none = BTreeSet::new();
        let (a, b) = (one("x", from.0, from.1), one("x", to.0, to.1));
        let side = |p| Side {
            packages: p,
            direct: &none,
        };
        diff(eco, "requirements.txt", side(&a), side(&b)).pop()
    }

    #[test]
    fn range_changes_compare_lowest_admitted_versions() {
        use Ecosystem::{Npm, Pypi};
        let kind = |eco, from, to| ranged(eco, from, to).map(|c| (c.kind, c.breaking));
        // The cases: a pin to a range across a major, an unpinned name gaining a
        // bound at a new major, a window moving past its old upper bound.
        let c = ranged(Pypi, (None, "1.3.20"), (Some(">=2.0"), "2.0")).unwrap();
        assert_eq!((c.kind, c.breaking), (ChangeKind::Major, true));
        assert_eq!(
            (c.from.as_deref(), c.to.as_deref()),
            (Some("1.3.20"), Some("2.0"))
        );
        assert_eq!((c.from_spec, c.to_spec.as_deref()), (None, Some(">=2.0")));
        let c = ranged(Pypi, (Some(""), "0"), (Some(">=3.0"), "3.0")).unwrap();
        assert_eq!(
            (c.kind, c.breaking, c.from),
            (ChangeKind::Major, true, None)
        );
        assert_eq!(c.from_spec.as_deref(), Some(""));
        assert_eq!(
            kind(
                Pypi,
                (Some(">=1.4.9,<2.0"), "1.4.9"),
                (Some("~=2.0.0"), "2.0.0")
            ),
            Some((ChangeKind::Major, true))
        );
        assert_eq!(
            kind(Npm, (Some("^7.0.2"), "7.0.2"), (Some("^8.1.0"), "8.1.0")),
            Some((ChangeKind::Major, true))
        );
        // A bound that is not the start of a major, from nothing: minor, not breaking.
        assert_eq!(
            kind(Pypi, (Some(""), "0"), (Some(">=2.5"), "2.5")),
            Some((ChangeKind::Minor, false))
        );
        // The text moved but not the lowest version; a loosened pin still admits the old
        // version; a bound dropped: none of them forces a move.
        for (from, to) in [
            ((Some(">=1.0"), "1.0"), (Some(">=1.0,<3"), "1.0")),
            ((None, "1.3.20"), (Some(">=1.3"), "1.3")),
            ((Some(">=2.0"), "2.0"), (Some(""), "0")),
        ] {
            assert_eq!(kind(Pypi, from, to), Some((ChangeKind::Other, false)));
        }
        // Excluding the old version from above is a downgrade.
        assert_eq!(
            kind(Pypi, (None, "2.1"), (Some("<2"), "0")).map(|k| k.0),
            Some(ChangeKind::Other)
        );
        assert_eq!(
            kind(Pypi, (Some(">=2.1"), "2.1"), (Some(">=1.0,<2"), "1.0")).map(|k| k.0),
            Some(ChangeKind::Downgrade)
        );
        // The same range on both sides is no change.
        assert_eq!(kind(Pypi, (Some(">=2"), "2"), (Some(">=2"), "2")), None);
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
