//! Choosing the target version among what a registry lists: an exact version that is
//! published, a dist-tag, or the highest version a range admits, read with the package
//! manager's own semantics (node-semver, cargo's `semver`, PEP 440 with pip's
//! pre-release rule, RubyGems, composer/semver with Composer's stability rule).

use super::spelling;
use crate::ecosystem::Ecosystem;
use crate::version::{self, Range};
use std::collections::BTreeMap;
use std::fmt;

/// What the user asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// An exact version, as the registry spells it.
    Exact(String),
    /// A range: npm's syntax, cargo's requirement syntax for crates, PEP 440 specifiers
    /// for Python (`>=2,<3`, `~=2.1`, `!=2.0.*`), RubyGems' requirements for gems
    /// (`~> 7.1, >= 7.1.3`), Composer's constraints (`^11`, `~10.0`, `11.*`, `^10 || ^11`).
    Range(String),
    /// An npm dist-tag (`latest`, `next`); `latest` elsewhere is the newest release.
    Tag(String),
}

impl fmt::Display for Wanted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wanted::Exact(v) | Wanted::Range(v) | Wanted::Tag(v) => f.write_str(v),
        }
    }
}

/// The version `wanted` selects among `versions`, or `None`.
pub fn highest(
    ecosystem: Ecosystem,
    versions: &[String],
    wanted: &Wanted,
    tags: &BTreeMap<String, String>,
) -> Option<String> {
    let parsed = || {
        versions
            .iter()
            .filter_map(move |raw| Some((version::parse(ecosystem, raw)?, raw)))
    };
    match wanted {
        Wanted::Exact(v) => {
            let want = version::parse(ecosystem, v);
            versions
                .iter()
                .find(|raw| *raw == v || (want.is_some() && version::parse(ecosystem, raw) == want))
                .cloned()
        }
        Wanted::Tag(tag) => match tags.get(tag) {
            Some(v) => Some(v.clone()),
            None if tag == "latest" => parsed()
                .filter(|(p, _)| p.pre.is_empty())
                .max_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, raw)| raw.clone()),
            None => None,
        },
        Wanted::Range(raw) => match ecosystem {
            Ecosystem::Pypi => spelling::python_specifiers(raw)
                .ok()?
                .highest(versions)
                .cloned(),
            Ecosystem::Rubygems => spelling::gem_requirement(raw)
                .ok()?
                .highest(versions)
                .cloned(),
            Ecosystem::Packagist => spelling::composer_constraint(raw)
                .ok()?
                .highest(versions)
                .cloned(),
            _ => {
                let matches = matcher(ecosystem, raw)?;
                parsed()
                    .filter(|(p, _)| matches(p))
                    .max_by(|a, b| a.0.cmp(&b.0))
                    .map(|(_, raw)| raw.clone())
            }
        },
    }
}

/// Whether a range is well-formed for the ecosystem, with the reason when not.
pub fn check_range(ecosystem: Ecosystem, raw: &str) -> Result<(), String> {
    match ecosystem {
        Ecosystem::Cargo => semver::VersionReq::parse(raw)
            .map(|_| ())
            .map_err(|e| format!("invalid version requirement `{raw}`: {e}")),
        Ecosystem::Pypi => spelling::python_specifiers(raw)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Ecosystem::Rubygems => spelling::gem_requirement(raw)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Ecosystem::Packagist => spelling::composer_constraint(raw)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        _ => Range::parse_loose(raw)
            .map(|_| ())
            .map_err(|e| e.to_string()),
    }
}

type Matcher = Box<dyn Fn(&semver::Version) -> bool>;

/// npm's and cargo's ranges as a test on versions; prereleases only where the range
/// names one.
fn matcher(ecosystem: Ecosystem, raw: &str) -> Option<Matcher> {
    match ecosystem {
        // Cargo's own requirement syntax: `0.8` means `^0.8`, as in Cargo.toml.
        Ecosystem::Cargo => {
            let req = semver::VersionReq::parse(raw).ok()?;
            Some(Box::new(move |v| req.matches(v)))
        }
        // npm picks with node-semver's `loose` reading.
        _ => {
            let range = Range::parse_loose(raw).ok()?;
            Some(Box::new(move |v| range.satisfied_by(v)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(vs: &[&str]) -> Vec<String> {
        vs.iter().map(|v| v.to_string()).collect()
    }

    fn range(v: &str) -> Wanted {
        Wanted::Range(v.into())
    }

    #[test]
    fn npm_ranges_tags_and_prereleases() {
        let vs = list(&[
            "4.21.1",
            "4.21.2",
            "5.0.0-beta.1",
            "5.0.0-beta.3",
            "5.0.0",
            "5.0.1",
            "5.1.0",
            "5.2.0-rc.1",
        ]);
        let tags: BTreeMap<String, String> = [
            ("latest".to_string(), "5.1.0".to_string()),
            ("next".to_string(), "5.2.0-rc.1".to_string()),
        ]
        .into();
        let pick = |w: &Wanted| highest(Ecosystem::Npm, &vs, w, &tags);
        assert_eq!(pick(&range("5")).as_deref(), Some("5.1.0"));
        assert_eq!(pick(&range("^5.0")).as_deref(), Some("5.1.0"));
        assert_eq!(pick(&range("~5.0.0")).as_deref(), Some("5.0.1"));
        assert_eq!(pick(&range("4")).as_deref(), Some("4.21.2"));
        assert_eq!(
            pick(&range(">=5.0.0-beta.1 <5.0.0")).as_deref(),
            Some("5.0.0-beta.3")
        );
        assert_eq!(pick(&range("^5.2.0-rc.0")).as_deref(), Some("5.2.0-rc.1"));
        assert_eq!(pick(&range("6")), None);
        assert_eq!(
            pick(&Wanted::Tag("next".into())).as_deref(),
            Some("5.2.0-rc.1")
        );
        assert_eq!(
            pick(&Wanted::Tag("latest".into())).as_deref(),
            Some("5.1.0")
        );
        assert_eq!(pick(&Wanted::Tag("beta".into())), None);
        assert_eq!(
            pick(&Wanted::Exact("5.0.1".into())).as_deref(),
            Some("5.0.1")
        );
        assert_eq!(pick(&Wanted::Exact("5.0.2".into())), None);
        // No dist-tags: `latest` is the newest release.
        let none = BTreeMap::new();
        assert_eq!(
            highest(Ecosystem::Npm, &vs, &Wanted::Tag("latest".into()), &none).as_deref(),
            Some("5.1.0")
        );
    }

    #[test]
    fn cargo_requirements() {
        let vs = list(&["0.7.9", "0.8.0", "0.8.4", "0.9.0-alpha.1", "1.0.0", "1.2.0"]);
        let none = BTreeMap::new();
        let pick = |w: &str| highest(Ecosystem::Cargo, &vs, &range(w), &none);
        assert_eq!(pick("0.8").as_deref(), Some("0.8.4"));
        assert_eq!(pick("1").as_deref(), Some("1.2.0"));
        assert_eq!(pick("1.0").as_deref(), Some("1.2.0"), "cargo's caret");
        assert_eq!(pick("=1.0.0").as_deref(), Some("1.0.0"));
        assert_eq!(pick("0.9.0-alpha.1").as_deref(), Some("0.9.0-alpha.1"));
        assert!(check_range(Ecosystem::Cargo, "^^1").is_err());
    }

    #[test]
    fn python_specifiers() {
        let vs = list(&["1.10.17", "2.0.0", "2.7.1", "2.8.0b1", "2.8.0", "3.0.0a1"]);
        let none = BTreeMap::new();
        let pick = |w: &str| highest(Ecosystem::Pypi, &vs, &range(w), &none);
        assert_eq!(pick("2").as_deref(), Some("2.8.0"));
        assert_eq!(pick(">=2,<2.8").as_deref(), Some("2.7.1"));
        assert_eq!(pick("~=2.0").as_deref(), Some("2.8.0"));
        assert_eq!(pick("~=2.7.0").as_deref(), Some("2.7.1"));
        assert_eq!(pick("==2.0").as_deref(), Some("2.0.0"));
        assert_eq!(
            highest(Ecosystem::Pypi, &vs, &Wanted::Exact("2.0".into()), &none).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(pick(">=2,!=2.8.0").as_deref(), Some("2.7.1"));
        assert_eq!(
            pick("<=2.7").as_deref(),
            Some("2.0.0"),
            "2.7.1 is above 2.7"
        );
        assert_eq!(pick(">2.7,<2.8").as_deref(), Some("2.7.1"));
        assert_eq!(pick(">=2.8.0b1").as_deref(), Some("3.0.0a1"));
        assert!(check_range(Ecosystem::Pypi, "!=2.0").is_ok());
        assert!(check_range(Ecosystem::Pypi, "=>2.0").is_err());
    }

    #[test]
    fn gem_requirements() {
        let vs = list(&["7.0.8", "7.1.3", "7.1.5", "7.2.0.beta1", "7.2.2", "8.0.1"]);
        let none = BTreeMap::new();
        let pick = |w: &str| highest(Ecosystem::Rubygems, &vs, &range(w), &none);
        assert_eq!(pick("~> 7.1").as_deref(), Some("7.2.2"));
        assert_eq!(pick("~> 7.1.0").as_deref(), Some("7.1.5"));
        assert_eq!(pick("~> 7.1, >= 7.1.4").as_deref(), Some("7.2.2"));
        assert_eq!(pick("7").as_deref(), Some("7.2.2"));
        assert_eq!(
            pick(">= 7.2.0.beta1, < 7.2.0").as_deref(),
            Some("7.2.0.beta1")
        );
        assert_eq!(pick("~> 9"), None);
        assert_eq!(pick("!= 7.2.2, < 8").as_deref(), Some("7.1.5"));
        assert!(check_range(Ecosystem::Rubygems, "~> x").is_err());
    }

    #[test]
    fn composer_constraints() {
        let vs = list(&[
            "v9.52.16",
            "v10.0.0",
            "v10.48.4",
            "v11.0.0-RC1",
            "v11.0.0",
            "v11.1.0",
            "12.0.0-beta1",
        ]);
        let none = BTreeMap::new();
        let pick = |w: &str| highest(Ecosystem::Packagist, &vs, &range(w), &none);
        assert_eq!(pick("^11").as_deref(), Some("v11.1.0"));
        assert_eq!(pick("^10.0 || ^9.0").as_deref(), Some("v10.48.4"));
        assert_eq!(
            pick("~10.0").as_deref(),
            Some("v10.48.4"),
            "Composer's tilde"
        );
        assert_eq!(pick("~11.0.0").as_deref(), Some("v11.0.0"));
        assert_eq!(pick("11.*").as_deref(), Some("v11.1.0"));
        assert_eq!(pick(">=10.0, <11.0").as_deref(), Some("v10.48.4"));
        assert_eq!(pick("9.0 - 10.0").as_deref(), Some("v10.0.0"));
        assert_eq!(pick("^v11.0").as_deref(), Some("v11.1.0"));
        // Composer reads `<11.0.0` as `<11.0.0-dev`: no 11.0.0 prerelease is below it.
        assert_eq!(pick(">=11.0.0-RC1 <11.0.0"), None);
        assert_eq!(
            pick(">=11.0.0-RC1 <11.0.0.0-RC2").as_deref(),
            Some("v11.0.0-RC1")
        );
        assert_eq!(pick("^12@beta").as_deref(), Some("12.0.0-beta1"));
        assert_eq!(
            pick("11").as_deref(),
            Some("v11.1.0"),
            "preview's bare series"
        );
        assert_eq!(pick("^13"), None);
        assert!(check_range(Ecosystem::Packagist, "~>11.0").is_err());
    }
}
