//! RubyGems versions and requirements as `Gem::Version` and `Gem::Requirement` read
//! them: segments that are numbers or letters (`7.2.0.beta1`), letters sorting before
//! numbers, trailing zeros ignored (`7.1` = `7.1.0`), and the operators `=`, `!=`, `>`,
//! `<`, `>=`, `<=` and the pessimistic `~>`.

use std::cmp::Ordering;

/// A requirement RubyGems refuses, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid gem requirement `{part}` in `{requirement}`: {reason}")]
pub struct GemRequirementError {
    pub requirement: String,
    pub part: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Number(u64),
    Letters(String),
}

/// A gem version: its segments as `Gem::Version#segments` gives them.
#[derive(Clone, Debug)]
pub struct GemVersion {
    segments: Vec<Segment>,
}

impl GemVersion {
    /// `Gem::Version.new`: digits, then dot-separated alphanumeric parts, then an optional
    /// `-tag` (read as `.pre.tag`); blank is version 0.
    pub fn parse(raw: &str) -> Option<GemVersion> {
        let s = raw.trim();
        if s.is_empty() {
            return Some(GemVersion {
                segments: vec![Segment::Number(0)],
            });
        }
        let (main, tag) = match s.split_once('-') {
            Some((m, t)) => (m, Some(t)),
            None => (s, None),
        };
        let mut parts = main.split('.');
        let first = parts.next()?;
        let alnum = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric());
        if first.is_empty() || !first.chars().all(|c| c.is_ascii_digit()) || !parts.all(alnum) {
            return None;
        }
        let tag_ok = |t: &str| {
            t.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        };
        if tag.is_some_and(|t| !tag_ok(t)) {
            return None;
        }
        let text = match tag {
            Some(t) => format!("{main}.pre.{t}"),
            None => main.to_string(),
        };
        // `scan(/[0-9]+|[a-z]+/i)`: runs of digits and runs of letters.
        let mut segments = Vec::new();
        let mut run = String::new();
        let flush = |run: &mut String, segments: &mut Vec<Segment>| -> Option<()> {
            if run.is_empty() {
                return Some(());
            }
            segments.push(if run.as_bytes()[0].is_ascii_digit() {
                Segment::Number(run.parse().ok()?)
            } else {
                Segment::Letters(std::mem::take(run))
            });
            run.clear();
            Some(())
        };
        for c in text.chars() {
            let same_kind = run
                .chars()
                .next()
                .is_some_and(|r| r.is_ascii_digit() == c.is_ascii_digit());
            if !c.is_ascii_alphanumeric() || !same_kind {
                flush(&mut run, &mut segments)?;
            }
            if c.is_ascii_alphanumeric() {
                run.push(c);
            }
        }
        flush(&mut run, &mut segments)?;
        Some(GemVersion { segments })
    }

    /// Has letters: `7.2.0.beta1`, `1.0.a`.
    pub fn is_prerelease(&self) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s, Segment::Letters(_)))
    }

    /// The numbers before the first letters (`Gem::Version#release`).
    fn release(&self) -> GemVersion {
        let end = self
            .segments
            .iter()
            .position(|s| matches!(s, Segment::Letters(_)))
            .unwrap_or(self.segments.len());
        GemVersion {
            segments: self.segments[..end].to_vec(),
        }
    }

    /// `Gem::Version#bump`: letters dropped, the last number dropped (unless it is the
    /// only one) and the new last one incremented (`7.1.3` -> `7.2`, `7` -> `8`).
    fn bump(&self) -> GemVersion {
        let mut segments = self.release().segments;
        if segments.len() > 1 {
            segments.pop();
        }
        if let Some(Segment::Number(n)) = segments.last_mut() {
            *n = n.saturating_add(1);
        }
        GemVersion { segments }
    }

    /// `Gem::Version#canonical_segments`: trailing zeros dropped from the numeric part and
    /// from the part from the first letters on.
    fn canonical(&self) -> Vec<Segment> {
        let split = self
            .segments
            .iter()
            .position(|s| matches!(s, Segment::Letters(_)))
            .unwrap_or(self.segments.len());
        let trim = |part: &[Segment]| {
            let keep = part
                .iter()
                .rposition(|s| *s != Segment::Number(0))
                .map_or(0, |i| i + 1);
            part[..keep].to_vec()
        };
        let mut out = trim(&self.segments[..split]);
        out.extend(trim(&self.segments[split..]));
        out
    }
}

impl Ord for GemVersion {
    fn cmp(&self, other: &GemVersion) -> Ordering {
        let (a, b) = (self.canonical(), other.canonical());
        for i in 0..a.len().max(b.len()) {
            let zero = Segment::Number(0);
            let (l, r) = (a.get(i).unwrap_or(&zero), b.get(i).unwrap_or(&zero));
            let order = match (l, r) {
                (Segment::Number(x), Segment::Number(y)) => x.cmp(y),
                (Segment::Letters(x), Segment::Letters(y)) => x.cmp(y),
                (Segment::Letters(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Letters(_)) => Ordering::Greater,
            };
            if order != Ordering::Equal {
                return order;
            }
        }
        Ordering::Equal
    }
}

impl PartialOrd for GemVersion {
    fn partial_cmp(&self, other: &GemVersion) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for GemVersion {
    fn eq(&self, other: &GemVersion) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for GemVersion {}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GemOp {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Pessimistic,
}

/// A gem requirement: comma-separated parts (`~> 7.1, >= 7.1.3`), all of which must hold.
#[derive(Clone, Debug)]
pub struct GemRequirement {
    parts: Vec<(GemOp, GemVersion)>,
}

impl GemRequirement {
    /// Each part as `Gem::Requirement.parse` reads it: an optional operator (`=` when
    /// absent), blanks, a version.
    pub fn parse(raw: &str) -> Result<GemRequirement, GemRequirementError> {
        let mut parts = Vec::new();
        for part in raw.split(',').map(str::trim) {
            let fail = |reason: &str| GemRequirementError {
                requirement: raw.trim().to_string(),
                part: part.to_string(),
                reason: reason.to_string(),
            };
            let ops = [
                ("~>", GemOp::Pessimistic),
                (">=", GemOp::Ge),
                ("<=", GemOp::Le),
                ("!=", GemOp::Ne),
                ("=", GemOp::Eq),
                (">", GemOp::Gt),
                ("<", GemOp::Lt),
            ];
            let (op, rest) = ops
                .iter()
                .find_map(|(text, op)| part.strip_prefix(text).map(|rest| (*op, rest)))
                .unwrap_or((GemOp::Eq, part));
            if rest.trim().is_empty() {
                return Err(fail("no version"));
            }
            let version = GemVersion::parse(rest).ok_or_else(|| fail("not a version"))?;
            parts.push((op, version));
        }
        Ok(GemRequirement { parts })
    }

    /// `Gem::Requirement#satisfied_by?`.
    pub fn satisfied_by(&self, v: &GemVersion) -> bool {
        self.parts.iter().all(|(op, r)| match op {
            GemOp::Eq => v == r,
            GemOp::Ne => v != r,
            GemOp::Gt => v > r,
            GemOp::Lt => v < r,
            GemOp::Ge => v >= r,
            GemOp::Le => v <= r,
            GemOp::Pessimistic => v >= r && v.release() < r.bump(),
        })
    }

    /// Names a prerelease: then `gem install` considers prereleases, otherwise not.
    pub fn is_prerelease(&self) -> bool {
        self.parts.iter().any(|(_, v)| v.is_prerelease())
    }

    /// The highest version `gem install -v REQUIREMENT` would take among `versions`.
    pub fn highest<'a>(&self, versions: &'a [String]) -> Option<&'a String> {
        versions
            .iter()
            .filter_map(|raw| Some((GemVersion::parse(raw)?, raw)))
            .filter(|(v, _)| (self.is_prerelease() || !v.is_prerelease()) && self.satisfied_by(v))
            .max_by(|a, b| a.0.cmp(&b.0))
            .map(|(_, raw)| raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(r: &str, v: &str) -> bool {
        GemRequirement::parse(r)
            .unwrap()
            .satisfied_by(&GemVersion::parse(v).unwrap())
    }

    #[test]
    fn requirements_as_rubygems_reads_them() {
        assert!(sat("~> 7.1", "7.9.3") && !sat("~> 7.1", "8.0.0") && !sat("~> 7.1", "7.0.9"));
        assert!(sat("~> 7.1.2", "7.1.5") && !sat("~> 7.1.2", "7.2.0"));
        assert!(sat("~> 7.1.3.2", "7.1.3.5") && !sat("~> 7.1.3.2", "7.1.3"));
        assert!(sat("~> 7.2.0.beta1", "7.2.0.beta2") && sat("~> 7.2.0.beta1", "7.2.1"));
        assert!(!sat("~> 7.2.0.beta1", "7.3.0"));
        assert!(
            sat("7", "7.0.0") && !sat("7", "7.2.2"),
            "a bare version is `=`"
        );
        assert!(sat(">= 7.2.0.beta1, < 7.2.0", "7.2.0.rc1"));
        assert!(sat("!= 7.1.3", "7.1.4") && !sat("!= 7.1.3", "7.1.3.0"));
        assert!(sat(">= 1.0", "1.1.a"), "satisfied_by? admits prereleases");
        assert!(GemRequirement::parse("~> x").is_err());
        assert!(GemRequirement::parse(">= 1.0,").is_err());
    }

    #[test]
    fn prereleases_only_when_named() {
        let vs: Vec<String> = ["7.1.3", "7.2.0.beta1", "7.2.2", "8.0.0.rc1"]
            .map(String::from)
            .to_vec();
        let pick = |r: &str| GemRequirement::parse(r).unwrap().highest(&vs).cloned();
        assert_eq!(pick(">= 7").as_deref(), Some("7.2.2"));
        assert_eq!(pick(">= 8.0.0.rc1").as_deref(), Some("8.0.0.rc1"));
    }
}
