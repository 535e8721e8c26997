//! Python version specifiers (`>=2,<3`, `~=2.1`, `!=1.0.*`, `===1.0`, `>=1!2.0`) with
//! PEP 440's semantics, through `pep440_rs` (the implementation uv uses), and the
//! pre-release rule of `packaging`'s `SpecifierSet.filter` (what pip picks with):
//! pre-releases are admitted when a specifier names one, or when nothing else matches.

use pep440_rs::{Operator, Version, VersionSpecifier};
use std::str::FromStr;

/// A specifier set `packaging` refuses, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid version specifier `{part}` in `{specifiers}`: {reason}")]
pub struct SpecifierError {
    pub specifiers: String,
    pub part: String,
    pub reason: String,
}

/// A comma-separated PEP 440 specifier set; a version must meet every specifier.
#[derive(Clone, Debug)]
pub struct PythonSpecifiers {
    standard: Vec<VersionSpecifier>,
    /// `===` operands, compared with the raw version text (case-insensitively), as
    /// `packaging` does: they need not be versions.
    arbitrary: Vec<String>,
    /// A specifier names a pre-release (`>=2.0b1`), so pre-releases are candidates.
    names_prerelease: bool,
}

impl PythonSpecifiers {
    pub fn parse(raw: &str) -> Result<PythonSpecifiers, SpecifierError> {
        let mut out = PythonSpecifiers {
            standard: Vec::new(),
            arbitrary: Vec::new(),
            names_prerelease: false,
        };
        let fail = |part: &str, reason: String| SpecifierError {
            specifiers: raw.trim().to_string(),
            part: part.to_string(),
            reason,
        };
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if let Some(operand) = part.strip_prefix("===") {
                let operand = operand.trim_start();
                if operand.contains(|c: char| c.is_whitespace() || c == ';' || c == ')') {
                    return Err(fail(part, "`===` takes one word".into()));
                }
                if let Ok(v) = Version::from_str(operand) {
                    out.names_prerelease |= v.any_prerelease();
                }
                out.arbitrary.push(operand.to_string());
                continue;
            }
            let spec = VersionSpecifier::from_str(part).map_err(|e| fail(part, e.to_string()))?;
            // `!=` and `==X.*` name no pre-release even when their version is one.
            let names = !matches!(
                spec.operator(),
                Operator::NotEqual | Operator::NotEqualStar | Operator::EqualStar
            );
            out.names_prerelease |= names && spec.any_prerelease();
            out.standard.push(spec);
        }
        Ok(out)
    }

    /// Whether the version (as the index spells it) meets every specifier, pre-releases
    /// included: PEP 440's membership, `packaging`'s `contains(v, prereleases=True)`.
    pub fn contains(&self, raw_version: &str) -> bool {
        let raw_version = raw_version.trim();
        if !self
            .arbitrary
            .iter()
            .all(|a| a.eq_ignore_ascii_case(raw_version))
        {
            return false;
        }
        if self.standard.is_empty() {
            return true;
        }
        Version::from_str(raw_version).is_ok_and(|v| self.standard.iter().all(|s| matches(s, &v)))
    }

    /// The versions `pip` would consider, in the given order: those the set contains,
    /// without pre-releases unless a specifier names one or no final release matches
    /// (`packaging`'s `SpecifierSet.filter`).
    pub fn filter<'a>(&self, versions: &'a [String]) -> Vec<&'a String> {
        let matching: Vec<&String> = versions.iter().filter(|v| self.contains(v)).collect();
        if self.names_prerelease {
            return matching;
        }
        let is_final = |v: &str| Version::from_str(v.trim()).is_ok_and(|v| !v.any_prerelease());
        if matching.iter().any(|v| is_final(v)) {
            // Texts that are no version (matched by `===`) cannot be judged: kept.
            matching
                .into_iter()
                .filter(|v| is_final(v) || Version::from_str(v.trim()).is_err())
                .collect()
        } else {
            matching
        }
    }

    /// The highest version `filter` keeps, in PEP 440's order.
    pub fn highest<'a>(&self, versions: &'a [String]) -> Option<&'a String> {
        self.filter(versions)
            .into_iter()
            .max_by_key(|v| Version::from_str(v.trim()).ok())
    }
}

/// One specifier on one version. `pep440_rs` answers, except where `packaging` (pip)
/// reads PEP 440 differently and the differential test showed it: prefix matching pads
/// the candidate's release with zeros (`1` is not in `==1.2.*`), `<V` leaves out only
/// V's own pre-releases (`2.dev0` is in `<2b2`), and `>V` only V's own post-releases
/// and local versions (`1.0.post1` is in `>1.0a1`).
fn matches(spec: &VersionSpecifier, v: &Version) -> bool {
    let own = spec.version();
    let v_public = v.clone().without_local();
    match spec.operator() {
        Operator::EqualStar => prefix_matches(own, &v_public),
        Operator::NotEqualStar => !prefix_matches(own, &v_public),
        Operator::LessThan => {
            if v_public >= *own {
                return false;
            }
            if own.any_prerelease() {
                return true;
            }
            // [V.dev0, V): V's pre-releases, which `<V` does not mean.
            let floor = Version::new(own.release().iter().copied())
                .with_epoch(own.epoch())
                .with_post(own.post())
                .with_dev(Some(0));
            v_public < floor
        }
        Operator::GreaterThan => {
            if *v <= *own {
                return false;
            }
            let same_release = v.epoch() == own.epoch()
                && release_cmp(v.release(), own.release()).is_eq()
                && v.pre() == own.pre();
            let own_local = v_public == *own;
            let own_post =
                own.post().is_none() && own.dev().is_none() && same_release && v.is_post();
            !own_local && !own_post
        }
        _ => spec.contains(v),
    }
}

/// `==V.*`: same epoch, and the candidate's release, padded with zeros, starts with V's.
fn prefix_matches(own: &Version, v: &Version) -> bool {
    own.epoch() == v.epoch()
        && own
            .release()
            .iter()
            .enumerate()
            .all(|(i, n)| v.release().get(i).copied().unwrap_or(0) == *n)
}

/// Release segments compared as PEP 440 does: missing segments are zeros.
fn release_cmp(a: &[u64], b: &[u64]) -> std::cmp::Ordering {
    (0..a.len().max(b.len()))
        .map(|i| a.get(i).unwrap_or(&0).cmp(b.get(i).unwrap_or(&0)))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> PythonSpecifiers {
        PythonSpecifiers::parse(s).unwrap()
    }

    #[test]
    fn pep_440_membership() {
        assert!(!set("<=1.0").contains("1.0.1"));
        assert!(set(">1.0,<1.1").contains("1.0.5"));
        assert!(set("===1.0").contains("1.0") && !set("===1.0").contains("1.0.0"));
        assert!(set("!=1.0.*").contains("1.1") && !set("!=1.0.*").contains("1.0.3"));
        assert!(set("~=2.1").contains("2.9") && !set("~=2.1").contains("3.0"));
        assert!(set(">=1!2.0").contains("1!2.1") && !set(">=1!2.0").contains("3.0"));
        assert!(set("==1.0").contains("1.0+local.1"));
        assert!(set(">=2.0b1").contains("2.0b2"));
        assert!(!set(">1.0").contains("1.0.post1"));
        assert!(PythonSpecifiers::parse("=>1.0").is_err());
        assert!(PythonSpecifiers::parse("~=1").is_err());
    }

    #[test]
    fn prereleases_only_when_named_or_alone() {
        let vs: Vec<String> = ["1.9", "2.0", "2.1rc1", "3.0a1"].map(String::from).to_vec();
        let pick = |s: &str| set(s).highest(&vs).map(String::as_str);
        assert_eq!(pick(">=1"), Some("2.0"));
        assert_eq!(pick(">=2.1rc1"), Some("3.0a1"));
        assert_eq!(pick(">=2.1"), Some("3.0a1"), "no final matches");
        assert_eq!(pick("!=2.1rc1"), Some("2.0"));
        assert_eq!(pick(">=4"), None);
    }
}
