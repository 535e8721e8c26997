//! What a requirement written in a manifest or a requirements file admits, read with its
//! own ecosystem's semantics: whether a version is admitted, and the lowest version it
//! admits. A range change (`>=1.4.9,<2.0` to `~=2.0.0`) is compared by the lowest
//! versions, which is where the range forces a project that installs the oldest it may
//! (and rules keyed to a window fire on that window).

use super::{ComposerConstraint, GemRequirement, GemVersion, PythonSpecifiers, Range};
use crate::ecosystem::Ecosystem;

/// A parsed requirement of one ecosystem.
pub struct Requirement {
    ecosystem: Ecosystem,
    raw: String,
    reading: Reading,
}

enum Reading {
    /// No version at all (`flask`, `"*"`, `""`): every version.
    Any,
    Npm(Range),
    Cargo(semver::VersionReq),
    Python(PythonSpecifiers),
    Gem(Vec<GemRequirement>),
    Composer(ComposerConstraint),
}

impl Requirement {
    /// Reads `raw` as `ecosystem`'s package manager does; the reason when it cannot.
    pub fn parse(ecosystem: Ecosystem, raw: &str) -> Result<Requirement, String> {
        let text = raw.trim();
        let reading = if text.is_empty() || text == "*" {
            Reading::Any
        } else {
            match ecosystem {
                Ecosystem::Pypi => {
                    Reading::Python(PythonSpecifiers::parse(text).map_err(|e| e.to_string())?)
                }
                Ecosystem::Cargo => Reading::Cargo(
                    semver::VersionReq::parse(text)
                        .map_err(|e| format!("invalid version requirement `{text}`: {e}"))?,
                ),
                // A Gemfile may give several requirements (`"~> 7.0", ">= 7.0.4"`): all hold.
                Ecosystem::Rubygems => Reading::Gem(
                    text.split(',')
                        .map(|part| GemRequirement::parse(part).map_err(|e| e.to_string()))
                        .collect::<Result<_, _>>()?,
                ),
                Ecosystem::Packagist => {
                    Reading::Composer(ComposerConstraint::parse(text).map_err(|e| e.to_string())?)
                }
                _ => Reading::Npm(Range::parse_loose(text).map_err(|e| e.to_string())?),
            }
        };
        Ok(Requirement {
            ecosystem,
            raw: text.to_string(),
            reading,
        })
    }

    /// The requirement as written (trimmed).
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Whether `version` (as a lockfile or an index spells it) is admitted, prereleases
    /// included: the membership test, not the package manager's choice among releases.
    pub fn admits(&self, version: &str) -> bool {
        match &self.reading {
            Reading::Any => true,
            Reading::Npm(range) => super::parse(self.ecosystem, version)
                .is_some_and(|v| range.contains(&v) || range.satisfied_by(&v)),
            Reading::Cargo(req) => semver::Version::parse(&pad3(version))
                .is_ok_and(|v| req.matches(&v) || matches_ignoring_pre(req, &v)),
            Reading::Python(spec) => spec.contains(version),
            Reading::Gem(all) => {
                GemVersion::parse(version).is_some_and(|v| all.iter().all(|r| r.satisfied_by(&v)))
            }
            Reading::Composer(c) => c.satisfied_by(version),
        }
    }

    /// The lowest version the requirement admits, spelled for its ecosystem; `None` when
    /// nothing bounds it from below (`*`, `<2`, a name alone) or when it admits nothing.
    ///
    /// The lowest admitted version of a union of intervals is one of the versions the text
    /// names, or the release right above one (`>1.0`, `>1` in npm is `>=2.0.0`): those
    /// candidates are tried in version order with the exact membership test above.
    pub fn lowest(&self) -> Option<String> {
        if matches!(self.reading, Reading::Any) {
            return None;
        }
        let mut candidates: Vec<String> = Vec::new();
        for word in self.raw.split(|c: char| {
            !(c.is_ascii_alphanumeric() || matches!(c, '.' | '!' | '+' | '-' | '*'))
        }) {
            let word = word.trim_start_matches(['v', 'V']).trim_end_matches('.');
            if !word.starts_with(|c: char| c.is_ascii_digit()) {
                continue;
            }
            let literal = zero_wildcards(word);
            for candidate in [
                Some(literal.clone()),
                bumps(&literal, 2),
                bumps(&literal, 1),
                bumps(&literal, 0),
            ]
            .into_iter()
            .flatten()
            {
                candidates.push(self.spell(&candidate));
            }
        }
        candidates.sort_by(|a, b| super::compare(self.ecosystem, a, b));
        candidates.dedup();
        if self.admits(&self.spell("0")) {
            return None;
        }
        candidates.into_iter().find(|c| self.admits(c))
    }

    /// A version in the form the ecosystem's own parser takes: three numbers for semver.
    fn spell(&self, version: &str) -> String {
        match self.ecosystem {
            Ecosystem::Pypi | Ecosystem::Rubygems | Ecosystem::Packagist => version.to_string(),
            _ => pad3(version),
        }
    }
}

/// `1.x` → `1.0`, `2.*` → `2.0`: a wildcard's lowest member.
fn zero_wildcards(word: &str) -> String {
    word.split('.')
        .map(|p| if matches!(p, "x" | "X" | "*") { "0" } else { p })
        .collect::<Vec<_>>()
        .join(".")
}

/// The next release at component `at` (0 major, 1 minor, 2 patch) of the leading numbers
/// of `literal`, lower components zeroed: `1.4.9` at 1 is `1.5.0`.
fn bumps(literal: &str, at: usize) -> Option<String> {
    let release: Vec<u64> = literal
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()?
        .split('.')
        .take_while(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if release.is_empty() || literal.contains('!') {
        return None;
    }
    let mut parts = [0u64; 3];
    for (i, n) in release.iter().take(3).enumerate() {
        parts[i] = *n;
    }
    parts[at] = parts[at].checked_add(1)?;
    for p in parts.iter_mut().skip(at + 1) {
        *p = 0;
    }
    Some(format!("{}.{}.{}", parts[0], parts[1], parts[2]))
}

/// `1` → `1.0.0`, `1.2` → `1.2.0`, `1.2-beta` → `1.2.0-beta`; anything else as is.
fn pad3(version: &str) -> String {
    let v = version.trim();
    let split = v.find(['-', '+']).unwrap_or(v.len());
    let (release, rest) = v.split_at(split);
    let count = release.split('.').count();
    if count >= 3 || !release.split('.').all(|p| p.parse::<u64>().is_ok()) {
        return v.to_string();
    }
    let mut out = release.to_string();
    for _ in count..3 {
        out.push_str(".0");
    }
    out + rest
}

/// Cargo admits a prerelease only where the requirement names one of the same release;
/// a lockfile pinning `2.0.0-rc.1` under `^2.0.0-rc.1` is admitted by `matches` already.
/// For the lowest-version search, a prerelease named by the requirement counts.
fn matches_ignoring_pre(req: &semver::VersionReq, v: &semver::Version) -> bool {
    !v.pre.is_empty() && req.comparators.iter().any(|c| !c.pre.is_empty()) && req.matches(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lowest(e: Ecosystem, raw: &str) -> Option<String> {
        Requirement::parse(e, raw).unwrap().lowest()
    }

    #[test]
    fn lowest_admitted_versions() {
        use Ecosystem::*;
        for (e, raw, want) in [
            (Pypi, "==1.3.20", Some("1.3.20")),
            (Pypi, ">=2.0", Some("2.0")),
            (Pypi, ">=1.4.9,<2.0", Some("1.4.9")),
            (Pypi, "~=2.0.0", Some("2.0.0")),
            (Pypi, ">1.0", Some("1.0.1")),
            (Pypi, "<2", None),
            (Pypi, "", None),
            (Pypi, "==2.*", Some("2.0")),
            (Pypi, ">=2.0rc1", Some("2.0rc1")),
            (Npm, "^7.0.2", Some("7.0.2")),
            (Npm, "~1.2", Some("1.2.0")),
            (Npm, "1.x", Some("1.0.0")),
            (Npm, ">1", Some("2.0.0")),
            (Npm, "*", None),
            (Npm, ">=1 <3 || 0.5.x", Some("0.5.0")),
            (Npm, "^2.0.0-rc.1", Some("2.0.0-rc.1")),
            (Cargo, "1", Some("1.0.0")),
            (Cargo, "0.8", Some("0.8.0")),
            (Cargo, "=1.2.3", Some("1.2.3")),
            (Rubygems, "~> 5.0", Some("5.0")),
            (Rubygems, "~> 7.0, >= 7.0.4", Some("7.0.4")),
            (Packagist, "^7.0 || ^8.0", Some("7.0")),
            (Packagist, ">=5.4 <6", Some("5.4")),
        ] {
            assert_eq!(lowest(e, raw).as_deref(), want, "{e} {raw}");
        }
    }

    #[test]
    fn admits_follows_each_ecosystem() {
        let r = Requirement::parse(Ecosystem::Pypi, "~=2.0.0").unwrap();
        assert!(r.admits("2.0.5") && !r.admits("2.1.0") && !r.admits("1.4.9"));
        let r = Requirement::parse(Ecosystem::Cargo, "1").unwrap();
        assert!(r.admits("1.9.0") && !r.admits("2.0.0"));
        let r = Requirement::parse(Ecosystem::Npm, "^7.0.2").unwrap();
        assert!(r.admits("7.5.0") && !r.admits("8.1.0"));
        assert!(Requirement::parse(Ecosystem::Npm, "github:x/y").is_err());
    }
}
