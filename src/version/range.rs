//! Version ranges in npm's syntax, which rule windows use for every ecosystem:
//! `>=4.0.0 <5`, `^4.1`, `~1.2.3`, `4.x`, `1.2.3 - 2.0.0`, `*`, joined by `||`; and
//! RubyGems' pessimistic `~> 7.1` (`>=7.1 <8`), which gem requirements use.

use semver::{Comparator, Op, Version};
use std::fmt;

/// An npm-style range: `||`-separated sets of blank-separated comparators
/// (`>=4.0.0 <5`, `^4.1`, `~1.2.3`, `4.x`, `1.2.3 - 2.0.0`, `*`).
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    raw: String,
    sets: Vec<Vec<Comparator>>,
}

impl Range {
    pub fn parse(raw: &str) -> Result<Range, String> {
        let mut sets = Vec::new();
        for set in raw.split("||") {
            let tokens = normalise_tokens(set);
            let mut comparators = Vec::new();
            let mut i = 0;
            while i < tokens.len() {
                // Hyphen range: `A - B` means `>=A <=B`.
                if i + 2 < tokens.len() && tokens[i + 1] == "-" {
                    comparators.push(comparator(&format!(">={}", tokens[i]), raw)?);
                    comparators.push(comparator(&format!("<={}", tokens[i + 2]), raw)?);
                    i += 3;
                    continue;
                }
                let t = &tokens[i];
                if let Some(v) = t.strip_prefix("~>") {
                    let (low, high) = pessimistic(v, raw)?;
                    comparators.push(comparator(&format!(">={low}"), raw)?);
                    comparators.push(comparator(&format!("<{high}"), raw)?);
                } else if !matches!(t.as_str(), "*" | "x" | "X" | "") {
                    comparators.push(comparator(t, raw)?);
                }
                i += 1;
            }
            sets.push(comparators);
        }
        Ok(Range {
            raw: raw.trim().to_string(),
            sets,
        })
    }

    /// Whether `version` is in the range. A prerelease counts as the release it precedes
    /// (`5.0.0-beta.1` is treated as `5.0.0`): for a rule window, a beta of 5 already has
    /// the change that 5.0.0 documents.
    pub fn contains(&self, version: &Version) -> bool {
        let mut v = version.clone();
        v.pre = semver::Prerelease::EMPTY;
        v.build = semver::BuildMetadata::EMPTY;
        self.sets
            .iter()
            .any(|set| set.iter().all(|c| c.matches(&v)))
    }

    /// Whether `version` satisfies the range as npm's resolver reads it: a prerelease
    /// only where a comparator of its set names a prerelease of the same release
    /// (`^5.0.0-beta.1` admits `5.0.0-beta.3`, `5` admits no prerelease). For choosing
    /// a version to install, where `contains` is for rule windows.
    pub fn satisfied_by(&self, version: &Version) -> bool {
        self.sets.iter().any(|set| {
            semver::VersionReq {
                comparators: set.clone(),
            }
            .matches(version)
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Splits a comparator set into tokens, gluing an operator separated from its version
/// by blanks (`>= 4.0.0`) and dropping a leading `v` (`>=v4`).
fn normalise_tokens(set: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut pending_op = String::new();
    for tok in set.split_whitespace() {
        if tok != "-"
            && tok
                .chars()
                .all(|c| matches!(c, '<' | '>' | '=' | '~' | '^'))
        {
            pending_op.push_str(tok);
            continue;
        }
        let t = format!("{pending_op}{tok}");
        pending_op.clear();
        let op_len = t
            .find(|c: char| !matches!(c, '<' | '>' | '=' | '~' | '^'))
            .unwrap_or(t.len());
        let (op, rest) = t.split_at(op_len);
        out.push(format!("{op}{}", rest.trim_start_matches('v')));
    }
    out
}

/// The bounds of `~> v`: the last given release segment may grow, the one before it may
/// not (`~> 7.1` is `>=7.1.0 <8.0.0`, `~> 7.1.2` is `>=7.1.2 <7.2.0`, `~> 7` is `>=7.0.0
/// <8.0.0`). Semver comparators hold three segments: `~> 7.1.3.2` is read as `<7.1.4`.
fn pessimistic(v: &str, whole: &str) -> Result<(String, String), String> {
    let release_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    let (release, tag) = v.split_at(release_end);
    let segments: Vec<u64> = release
        .trim_end_matches('.')
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("invalid version range `{whole}`: `~>{v}` is not a version"))?;
    let padded =
        |s: &[u64]| -> Vec<u64> { (0..3).map(|i| s.get(i).copied().unwrap_or(0)).collect() };
    let low = padded(&segments);
    let mut high = segments.clone();
    if high.len() > 1 {
        high.pop();
    }
    high.truncate(3);
    *high.last_mut().expect("one segment or more") += 1;
    let high = padded(&high);
    let join = |s: &[u64]| s.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
    let tag = tag.trim_start_matches(['.', '-']);
    let mut low_text = join(&low[..]);
    if !tag.is_empty() {
        low_text = format!("{low_text}-{tag}");
    }
    Ok((low_text, join(&high)))
}

fn comparator(token: &str, whole: &str) -> Result<Comparator, String> {
    // npm reads a bare version as exact, where the semver crate reads it as caret.
    let starts_bare = token.starts_with(|c: char| c.is_ascii_digit());
    let text = if starts_bare {
        format!("={token}")
    } else {
        token.to_string()
    };
    let mut c = Comparator::parse(&text)
        .map_err(|e| format!("invalid version range `{whole}`: `{token}`: {e}"))?;
    // `=4.x` in npm is "any 4": the semver crate's wildcard form says the same.
    if c.op == Op::Exact && (c.minor.is_none() || c.patch.is_none()) {
        c.op = Op::Wildcard;
    }
    Ok(c)
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

    #[test]
    fn pessimistic_ranges() {
        let sat = |r: &str, ver: &str| Range::parse(r).unwrap().satisfied_by(&v(ver));
        assert!(sat("~> 7.1", "7.1.0") && sat("~> 7.1", "7.9.3") && !sat("~> 7.1", "8.0.0"));
        assert!(!sat("~> 7.1", "7.0.9"));
        assert!(sat("~> 7.1.2", "7.1.5") && !sat("~> 7.1.2", "7.2.0") && !sat("~> 7.1.2", "7.1.1"));
        assert!(sat("~>7", "7.2.0") && !sat("~>7", "8.0.0"));
        assert!(sat("~> 7.1 >= 7.1.3", "7.1.3") && !sat("~> 7.1 >= 7.1.3", "7.1.2"));
        assert!(sat("~> 7.2.0.beta1", "7.2.0-beta2") && sat("~> 7.2.0.beta1", "7.2.1"));
        assert!(Range::parse("~> 7.1").unwrap().contains(&v("7.2.0")));
        assert!(sat("~> 7.1.3.2", "7.1.3") && !sat("~> 7.1.3.2", "7.1.4"));
        assert!(Range::parse("~> x").is_err());
    }
}
