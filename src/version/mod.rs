//! Versions and version ranges: ordering lockfile versions per ecosystem, classifying a
//! change (major/minor/patch/...), and each ecosystem's range syntax: npm's (also used by
//! rule windows), PEP 440 specifiers, gem requirements and Composer constraints.
//!
//! Every ecosystem's versions are read into a `semver::Version` that orders the same way
//! (extra release segments become build metadata, tags become prerelease identifiers),
//! so that diffing, classifying and rule windows share one model.

mod admitted;
mod composer_constraint;
mod composer_version;
mod gem_requirement;
mod lenient;
mod npm_syntax;
mod pep440;
mod pep440_specifiers;
mod range;

pub use admitted::Requirement;
pub use composer_constraint::{ComposerConstraint, ComposerConstraintError};
pub use gem_requirement::{GemRequirement, GemRequirementError, GemVersion};
pub use pep440_specifiers::{PythonSpecifiers, SpecifierError};
pub use range::{Range, RangeError};

use crate::ecosystem::Ecosystem;
use semver::Version;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// What happened to a package between two revisions (the `kind` of the JSON report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Major,
    Minor,
    Patch,
    Prerelease,
    Downgrade,
    /// Not ordered: a git commit, a tarball URL, a local path.
    Other,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Major,
        ChangeKind::Minor,
        ChangeKind::Patch,
        ChangeKind::Prerelease,
        ChangeKind::Downgrade,
        ChangeKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Major => "major",
            ChangeKind::Minor => "minor",
            ChangeKind::Patch => "patch",
            ChangeKind::Prerelease => "prerelease",
            ChangeKind::Downgrade => "downgrade",
            ChangeKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses a version as a lockfile of `ecosystem` records it. `None` for what is not a
/// version (a git URL, a local path).
pub fn parse(ecosystem: Ecosystem, raw: &str) -> Option<Version> {
    match ecosystem {
        Ecosystem::Pypi => pep440::parse(raw),
        // Strict semver first: it is what npm and cargo write, and the fast path.
        _ => Version::parse(raw.trim())
            .ok()
            .or_else(|| lenient::parse(raw)),
    }
}

/// Orders two raw versions: version order where both parse, parsed before unparsed, then text.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Ordering {
    match (parse(ecosystem, a), parse(ecosystem, b)) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Classifies the move from one version to another.
pub fn classify(ecosystem: Ecosystem, from: &str, to: &str) -> ChangeKind {
    let (Some(a), Some(b)) = (parse(ecosystem, from), parse(ecosystem, to)) else {
        return ChangeKind::Other;
    };
    if b < a {
        return ChangeKind::Downgrade;
    }
    if a.major != b.major {
        ChangeKind::Major
    } else if a.minor != b.minor {
        ChangeKind::Minor
    } else if a.patch != b.patch {
        ChangeKind::Patch
    } else if a.pre != b.pre {
        ChangeKind::Prerelease
    } else if a.build != b.build {
        // A fourth release segment (1.2.3.4), a post-release or a local label moved.
        ChangeKind::Patch
    } else {
        ChangeKind::Other
    }
}

/// Whether an upgrade may break dependants by the semver convention: a new major, or
/// below 1.0 a new minor (0.7 -> 0.8) or, below 0.1, a new patch (0.0.3 -> 0.0.4), as
/// Cargo and npm's caret read it. A downgrade or an unordered change is not judged.
pub fn is_breaking(ecosystem: Ecosystem, from: &str, to: &str) -> bool {
    let (Some(a), Some(b)) = (parse(ecosystem, from), parse(ecosystem, to)) else {
        return false;
    };
    if b <= a {
        return false;
    }
    a.major != b.major
        || (a.major == 0 && a.minor != b.minor)
        || (a.major == 0 && a.minor == 0 && a.patch != b.patch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_major_minor_bumps_are_breaking() {
        assert!(is_breaking(Ecosystem::Cargo, "0.7.9", "0.8.1"));
        assert!(is_breaking(Ecosystem::Npm, "0.0.3", "0.0.4"));
        assert!(is_breaking(Ecosystem::Npm, "4.21.2", "5.1.0"));
        assert!(is_breaking(Ecosystem::Pypi, "0.99.1", "0.100.0"));
        assert!(!is_breaking(Ecosystem::Cargo, "0.7.1", "0.7.9"));
        assert!(!is_breaking(Ecosystem::Npm, "4.17.1", "4.21.2"));
        assert!(!is_breaking(Ecosystem::Cargo, "0.8.0", "0.7.0"));
        assert!(!is_breaking(Ecosystem::Npm, "git+ssh://x", "1.0.0"));
    }

    #[test]
    fn classifies_changes() {
        assert_eq!(
            classify(Ecosystem::Npm, "4.21.2", "5.1.0"),
            ChangeKind::Major
        );
        assert_eq!(
            classify(Ecosystem::Npm, "4.21.1", "4.21.2"),
            ChangeKind::Patch
        );
        assert_eq!(
            classify(Ecosystem::Npm, "4.20.0", "4.21.2"),
            ChangeKind::Minor
        );
        assert_eq!(
            classify(Ecosystem::Npm, "5.0.0-beta.1", "5.0.0"),
            ChangeKind::Prerelease
        );
        assert_eq!(
            classify(Ecosystem::Npm, "5.0.0", "4.0.0"),
            ChangeKind::Downgrade
        );
        assert_eq!(
            classify(Ecosystem::Npm, "v1.0.0", "=1.0.1"),
            ChangeKind::Patch
        );
        assert_eq!(
            classify(Ecosystem::Rubygems, "1.2.3.4", "1.2.3.5"),
            ChangeKind::Patch
        );
        assert_eq!(
            classify(Ecosystem::Pypi, "1.26.4", "2.0.0rc1"),
            ChangeKind::Major
        );
        assert_eq!(
            classify(Ecosystem::Pypi, "2.0.0rc1", "2.0.0"),
            ChangeKind::Prerelease
        );
        assert_eq!(
            classify(Ecosystem::Pypi, "1.0", "1.0.post1"),
            ChangeKind::Patch
        );
        assert_eq!(
            classify(Ecosystem::Go, "v1.2.0", "v2.0.0+incompatible"),
            ChangeKind::Major
        );
        assert_eq!(
            classify(
                Ecosystem::Npm,
                "git+ssh://git@example.invalid/a.git#abc",
                "1.0.0"
            ),
            ChangeKind::Other
        );
    }

    /// The shapes go.mod, Gemfile.lock, composer.lock, NuGet, Gradle, pub and mix write.
    #[test]
    fn orders_and_classifies_other_ecosystems() {
        let sorted = |eco: Ecosystem, vs: &[&str]| {
            let mut v = vs.to_vec();
            v.sort_by(|a, b| compare(eco, a, b));
            assert_eq!(v, vs, "{eco}");
            assert!(vs.iter().all(|v| parse(eco, v).is_some()), "{eco}: {vs:?}");
        };
        // Go: pseudo-versions precede the release they are based on; +incompatible majors.
        sorted(
            Ecosystem::Go,
            &[
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.0.0-20231006140011-7918f672742d",
                "v0.4.6-0.20260528054050-7bf4ca1f5741",
                "v0.4.6",
                "v2.0.0+incompatible",
                "v3.2.1+incompatible",
            ],
        );
        // RubyGems: `.pre`/`.rc1` tags before the release, four segments.
        sorted(
            Ecosystem::Rubygems,
            &["1.0.0.pre", "1.0.0.rc1", "1.0.0", "1.0.0.1", "1.15.0"],
        );
        // NuGet: four-part versions and prerelease labels.
        sorted(
            Ecosystem::Nuget,
            &["4.0.0-preview.1", "4.0.0", "4.0.0.1", "4.0.0.10", "10.0.1"],
        );
        // Maven/Gradle: qualifiers such as -jre stay comparable; plain releases.
        sorted(
            Ecosystem::Maven,
            &["6.2.1", "6.2.2", "31.1-jre", "32.1.3-jre", "33.0.0-jre"],
        );
        // Changes: Go pseudo-versions, NuGet/Maven majors, Packagist `v` prefixes and
        // branches (not versions), pub and hex 0.x to 1.x.
        for (eco, from, to, kind) in [
            (
                Ecosystem::Go,
                "v0.4.5",
                "v0.4.6-0.20260528054050-7bf4ca1f5741",
                ChangeKind::Patch,
            ),
            (
                Ecosystem::Go,
                "v0.0.0-20220715151400-c0bba94af5f8",
                "v0.0.0-20231006140011-7918f672742d",
                ChangeKind::Prerelease,
            ),
            (Ecosystem::Nuget, "9.0.0", "10.0.1", ChangeKind::Major),
            (
                Ecosystem::Maven,
                "32.1.3-jre",
                "33.0.0-jre",
                ChangeKind::Major,
            ),
            (Ecosystem::Packagist, "v6.2.7", "v6.3.0", ChangeKind::Minor),
            (
                Ecosystem::Packagist,
                "dev-main",
                "dev-main",
                ChangeKind::Other,
            ),
            (Ecosystem::Pub, "0.13.6", "1.0.0", ChangeKind::Major),
            (Ecosystem::Hex, "0.1.2", "1.0.1", ChangeKind::Major),
        ] {
            assert_eq!(classify(eco, from, to), kind, "{eco}: {from} -> {to}");
        }
    }

    #[test]
    fn orders_versions() {
        let mut vs = vec!["10.0.0", "9.1.0", "git+https://x", "9.1.0-rc.1"];
        vs.sort_by(|a, b| compare(Ecosystem::Npm, a, b));
        assert_eq!(vs, ["9.1.0-rc.1", "9.1.0", "10.0.0", "git+https://x"]);
    }
}
