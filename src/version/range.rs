//! Version ranges in npm's syntax, read exactly as node-semver 7 reads them (default
//! options): `>=4.0.0 <5`, `^4.1`, `~1.2.3`, `4.x`, `=1.x`, `1.2.3 - 2.x`, `*`, `x`,
//! joined by `||`. Rule windows use this syntax in every ecosystem; `preview` uses it for
//! npm packages. The desugaring into plain comparators is in `npm_syntax`.

use super::npm_syntax;
use semver::{BuildMetadata, Prerelease, Version};
use std::cmp::Ordering;
use std::fmt;

/// A range node-semver refuses, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid version range `{range}`: {reason}")]
pub struct RangeError {
    pub range: String,
    pub reason: String,
}

/// An npm range: `||`-separated sets of comparators, all of which a version must meet.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    raw: String,
    sets: Vec<Vec<Comparator>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One plain comparator; `version: None` is node-semver's ANY (the empty comparator).
#[derive(Clone, Debug, PartialEq)]
struct Comparator {
    op: Op,
    version: Option<Version>,
}

/// node-semver's `Number.MAX_SAFE_INTEGER`: larger version numbers are refused.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// node-semver refuses a version longer than this.
const MAX_LENGTH: usize = 256;

impl Range {
    /// node-semver's default reading (`new Range(raw)`), which rule windows use.
    pub fn parse(raw: &str) -> Result<Range, RangeError> {
        Range::read(raw, false)
    }

    /// node-semver's `loose` reading, which npm picks versions with (leading zeros,
    /// `1.2.3beta`, and what is no comparator dropped).
    pub fn parse_loose(raw: &str) -> Result<Range, RangeError> {
        Range::read(raw, true)
    }

    fn read(raw: &str, loose: bool) -> Result<Range, RangeError> {
        // node-semver trims and collapses blanks before anything else.
        let normalised = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let fail = |reason: String| RangeError {
            range: raw.trim().to_string(),
            reason,
        };
        let mut sets = Vec::new();
        for set in normalised.split("||") {
            let plain = npm_syntax::comparators(set.trim(), loose)
                .ok_or_else(|| fail("a version number is too large".into()))?;
            let mut comparators: Vec<Comparator> = Vec::new();
            let mut parsed = Vec::new();
            for text in &plain {
                parsed.push(Comparator::parse(text, loose).map_err(fail)?);
            }
            // A set holding `<0.0.0-0` matches nothing; repeats count once; ANY beside
            // other comparators adds nothing.
            if let Some(null) = parsed.iter().find(|c| c.is_null_set()) {
                sets.push(vec![null.clone()]);
                continue;
            }
            for c in parsed {
                if !comparators.contains(&c) {
                    comparators.push(c);
                }
            }
            if comparators.len() > 1 {
                comparators.retain(|c| c.version.is_some());
            }
            // Loose, a set whose every comparator was dropped is no set.
            if !comparators.is_empty() {
                sets.push(comparators);
            }
        }
        if sets.is_empty() {
            return Err(fail("no comparator".into()));
        }
        // Across `||`: sets that match nothing are dropped (unless all do), and a set
        // that is ANY alone replaces them all (so `* || 1.0.0-rc.1` admits no prerelease,
        // as in npm).
        if sets.len() > 1 {
            let first = sets[0].clone();
            sets.retain(|s| !s[0].is_null_set());
            if sets.is_empty() {
                sets = vec![first];
            } else if let Some(any) = sets.iter().find(|s| s.len() == 1 && s[0].version.is_none()) {
                sets = vec![any.clone()];
            }
        }
        Ok(Range {
            raw: raw.trim().to_string(),
            sets,
        })
    }

    /// Whether `version` is in the range, for rule windows: a prerelease counts as the
    /// release it precedes (`5.0.0-beta.1` is treated as `5.0.0`), since a beta of 5
    /// already has the change that 5.0.0 documents.
    pub fn contains(&self, version: &Version) -> bool {
        let mut v = version.clone();
        v.pre = Prerelease::EMPTY;
        v.build = BuildMetadata::EMPTY;
        self.satisfied_by(&v)
    }

    /// Whether `version` satisfies the range as npm's resolver reads it
    /// (`semver.satisfies`): a prerelease only where a comparator of the same set names a
    /// prerelease of the same major.minor.patch (`^5.0.0-beta.1` admits `5.0.0-beta.3`,
    /// `5` admits no prerelease). For choosing a version to install.
    pub fn satisfied_by(&self, version: &Version) -> bool {
        self.sets.iter().any(|set| {
            set.iter().all(|c| c.test(version))
                && (version.pre.is_empty()
                    || set.iter().any(|c| {
                        c.version.as_ref().is_some_and(|a| {
                            !a.pre.is_empty()
                                && (a.major, a.minor, a.patch)
                                    == (version.major, version.minor, version.patch)
                        })
                    }))
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl Comparator {
    /// node-semver's `Comparator#parse` on a desugared comparator (`>=1.2.0`, ``).
    fn parse(text: &str, loose: bool) -> Result<Comparator, String> {
        let caps = npm_syntax::comparator_pattern(loose)
            .captures(text)
            .ok_or_else(|| format!("`{text}` is not a comparator"))?;
        let op = match caps.get(1).map_or("", |m| m.as_str()) {
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            _ => Op::Eq,
        };
        let Some(whole) = caps.get(2) else {
            return Ok(Comparator { op, version: None });
        };
        if whole.as_str().len() > MAX_LENGTH {
            return Err(format!("`{text}` is longer than {MAX_LENGTH} characters"));
        }
        let number = |i: usize| -> Result<u64, String> {
            caps[i]
                .parse::<u64>()
                .ok()
                .filter(|n| *n <= MAX_SAFE_INTEGER)
                .ok_or_else(|| format!("`{}` in `{text}` is too large", &caps[i]))
        };
        let pre = match caps.get(6) {
            // node-semver keeps numeric identifiers as numbers: loose, `01` is `1`.
            Some(p) => Prerelease::new(
                &p.as_str()
                    .split('.')
                    .map(|id| match id.parse::<u64>() {
                        Ok(n) if n < MAX_SAFE_INTEGER => n.to_string(),
                        _ => id.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("."),
            )
            .map_err(|e| format!("`{text}`: {e}"))?,
            None => Prerelease::EMPTY,
        };
        Ok(Comparator {
            op,
            version: Some(Version {
                major: number(3)?,
                minor: number(4)?,
                patch: number(5)?,
                pre,
                build: BuildMetadata::EMPTY,
            }),
        })
    }

    fn is_null_set(&self) -> bool {
        self.op == Op::Lt
            && self
                .version
                .as_ref()
                .is_some_and(|v| *v == Version::parse("0.0.0-0").expect("a version"))
    }

    fn test(&self, version: &Version) -> bool {
        let Some(own) = &self.version else {
            return true;
        };
        // node-semver compares release and prerelease; build metadata never counts.
        let order = (version.major, version.minor, version.patch, &version.pre)
            .cmp(&(own.major, own.minor, own.patch, &own.pre));
        match self.op {
            Op::Eq => order == Ordering::Equal,
            Op::Lt => order == Ordering::Less,
            Op::Le => order != Ordering::Greater,
            Op::Gt => order == Ordering::Greater,
            Op::Ge => order != Ordering::Less,
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn npm_ranges() {
        let r = Range::parse("<5.0.0").unwrap();
        assert!(r.contains(&v("4.21.2")));
        assert!(!r.contains(&v("5.0.0")));
        // A prerelease counts as the release it leads to.
        assert!(!r.contains(&v("5.0.0-beta.1")));
        assert!(Range::parse(">=5.0.0")
            .unwrap()
            .contains(&v("5.0.0-beta.1")));

        let r = Range::parse(">= 4.0.0 < 5 || ^6.1").unwrap();
        assert!(r.contains(&v("4.3.0")));
        assert!(!r.contains(&v("5.0.0")));
        assert!(r.contains(&v("6.2.0")));
        assert!(!r.contains(&v("6.0.9")));

        let r = Range::parse("1.2.3 - 2.0.0").unwrap();
        assert!(r.contains(&v("1.5.0")) && r.contains(&v("2.0.0")) && !r.contains(&v("2.0.1")));

        assert!(Range::parse("4.x").unwrap().contains(&v("4.9.1")));
        assert!(!Range::parse("4.x").unwrap().contains(&v("5.0.0")));
        assert!(Range::parse("1.2.3").unwrap().contains(&v("1.2.3")));
        assert!(!Range::parse("1.2.3").unwrap().contains(&v("1.2.4")));
        assert!(Range::parse("*").unwrap().contains(&v("0.0.1")));
        assert!(Range::parse(">=v2").unwrap().contains(&v("2.0.0")));
        assert!(Range::parse("<<5").is_err());
    }

    #[test]
    fn resolution_skips_prereleases_the_range_does_not_name() {
        let sat = |r: &str, ver: &str| Range::parse(r).unwrap().satisfied_by(&v(ver));
        assert!(sat("5", "5.1.0") && !sat("5", "5.2.0-rc.1"));
        assert!(sat(">=5.0.0-beta.1 <5.0.0", "5.0.0-beta.3"));
        assert!(!sat(">=5.0.0-beta.1 <5.0.0", "5.0.0"));
        assert!(sat("^5.2.0-rc.0", "5.2.0-rc.1") && !sat("^5.1.0-rc.0", "5.2.0-rc.1"));
        assert!(sat("*", "0.1.0") && !sat("*", "1.0.0-alpha"));
        assert!(sat("4 || 5", "4.21.2"));
    }

    /// Each answer checked against node-semver 7.8.6 (`semver.satisfies`).
    #[test]
    fn reads_ranges_as_node_semver_does() {
        let sat = |r: &str, ver: &str| Range::parse(r).unwrap().satisfied_by(&v(ver));
        // x-ranges with `=` and `v`, x anywhere.
        assert!(sat("=1.x", "1.9.0") && !sat("=1.x", "2.0.0"));
        assert!(sat("=0.7.x", "0.7.3") && !sat("=0.7.x", "0.8.0"));
        assert!(sat("=1", "1.4.0") && sat("x", "3.0.0") && sat("X", "0.0.1"));
        assert!(sat("x.x", "1.2.3") && sat("", "1.0.0"));
        // Hyphen ranges with partial and x ends; `>`/`<=` on partials.
        assert!(sat("1.x - 2", "2.9.9") && !sat("1.x - 2", "3.0.0") && sat("1.x - 2", "1.0.0"));
        assert!(sat("1.2.3 - 2.x", "2.5.0"));
        assert!(sat(">1.x", "2.0.0") && !sat(">1.x", "1.9.9"));
        assert!(sat("<=1.2", "1.2.9") && !sat("<=1.2", "1.3.0"));
        // A set that is ANY alone replaces the others, and admits no prerelease.
        assert!(!sat("* || 1.0.0-rc.1", "1.0.0-rc.1"));
        assert!(sat("1.0.0-rc.1 || 2", "1.0.0-rc.1"));
        // Caret and tilde on prereleases; `~>` is npm's tilde, not RubyGems'.
        assert!(sat("^0.0.1-rc.1", "0.0.1") && !sat("^0.0.1-rc.1", "0.0.2"));
        assert!(sat("~1.2.3-beta", "1.2.3-beta.2") && !sat("~1.2.3-beta", "1.2.4-beta"));
        assert!(sat("~>1.2", "1.2.5") && !sat("~>1.2", "1.3.0"));
        for refused in [
            "x.1",
            "1.x.2",
            "<<1",
            "1.2.3.4",
            ">=1.0.0 -2",
            "not a range",
            "^9007199254740992",
        ] {
            assert!(Range::parse(refused).is_err(), "{refused}");
        }
    }

    /// npm picks with node-semver's `loose` option; rule windows read the default way.
    #[test]
    fn loose_reading_as_npm_picks() {
        for (range, version) in [
            ("1.2.3beta", "1.2.3-beta"),
            ("01.02.03", "1.2.3"),
            (">=1.2.3 junk", "1.5.0"),
            ("^01.2", "1.9.0"),
            ("junk || 1", "1.0.0"),
        ] {
            assert!(Range::parse(range).is_err(), "{range}");
            assert!(
                Range::parse_loose(range).unwrap().satisfied_by(&v(version)),
                "{range}"
            );
        }
        assert!(Range::parse_loose("junk").is_err());
    }
}
