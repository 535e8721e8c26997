//! Composer constraints as `composer/semver`'s `VersionParser::parseConstraints` reads
//! them (`^11`, `~10.0`, `11.*`, `1.0 - 2.0`, `>=1.0 <2.0 || ^3`, `^11@beta`), matched as
//! `Semver::satisfies` does, and picked as `composer require` does: stable releases only,
//! unless a stability flag (`@beta`) or a version in the constraint (`>=11.0.0-RC1`)
//! names a less stable one. Each step follows composer/semver, pattern for pattern.

use super::composer_version::{
    normalize, php_trim, re, stability, version_compare, Stability, MODIFIER,
};
use regex::{Captures, Regex};
use std::cmp::Ordering;
use std::sync::LazyLock;

/// A constraint Composer refuses, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Composer constraint `{part}` in `{constraint}`: {reason}")]
pub struct ComposerConstraintError {
    pub constraint: String,
    pub part: String,
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// One normalized comparison (`>= 11.0.0.0-dev`).
#[derive(Clone, Debug)]
struct Comparison {
    op: Op,
    version: String,
}

/// `||`-alternatives of comparisons that must all hold; an empty alternative is `*`.
#[derive(Clone, Debug)]
pub struct ComposerConstraint {
    any_of: Vec<Vec<Comparison>>,
    /// The least stable release `composer require` would take.
    stability: Stability,
}

fn version_regex() -> String {
    format!(
        r"v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:{MODIFIER}|\.([xX*][.-]?dev))(?:\+[^\s]+)?"
    )
}

static OR_SPLIT: LazyLock<Regex> = LazyLock::new(|| re(r"\s*\|\|?\s*", false));
static ALIAS: LazyLock<Regex> = LazyLock::new(|| re(r"^([^,\s]+) +as +([^,\s]+)$", false));
static FLAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"^([^,\s]*?)@(stable|RC|beta|alpha|dev)$", true));
static ANY_FLAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[^@]*?@(stable|RC|beta|alpha|dev)$", true));
static HASH_REF: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(dev-[^,\s@]+?|[^,\s@]+?\.x-dev)#.+$", true));
static ALL_X: LazyLock<Regex> = LazyLock::new(|| re(r"^(v)?[xX*](\.[xX*])*$", true));
static TILDE: LazyLock<Regex> = LazyLock::new(|| re(&format!("^~>?{}$", version_regex()), true));
static CARET: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"^\^{}($)", version_regex()), true));
static WILDCARD: LazyLock<Regex> =
    LazyLock::new(|| re(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.[xX*])+$", false));
static HYPHEN: LazyLock<Regex> = LazyLock::new(|| {
    let v = version_regex();
    re(&format!("^({v}) +- +({v})($)"), true)
});
static BASIC: LazyLock<Regex> = LazyLock::new(|| re(r"^(<>|!=|>=?|<=?|==?)?\s*(.*)", false));
static DEV_LIKE: LazyLock<Regex> = LazyLock::new(|| re(r"^[0-9a-zA-Z./-]+$", false));
static MODIFIER_END: LazyLock<Regex> = LazyLock::new(|| re(&format!("-{MODIFIER}$"), false));
static PLAIN_TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"^[^,\s@]+$", false));
static ALIASED_TOKEN: LazyLock<Regex> = LazyLock::new(|| re(r"^([^,\s@]+) as .+$", false));

fn group<'a>(c: &Captures<'a>, i: usize) -> &'a str {
    c.get(i).map_or("", |m| m.as_str())
}

impl ComposerConstraint {
    pub fn parse(raw: &str) -> Result<ComposerConstraint, ComposerConstraintError> {
        let mut any_of = Vec::new();
        let mut tokens = Vec::new();
        for alternative in OR_SPLIT.split(php_trim(raw)) {
            let mut all = Vec::new();
            for token in and_split(alternative) {
                all.extend(parse_one(token).map_err(|reason| ComposerConstraintError {
                    constraint: raw.trim().to_string(),
                    part: token.to_string(),
                    reason,
                })?);
                tokens.push(token);
            }
            any_of.push(all);
        }
        Ok(ComposerConstraint {
            any_of,
            stability: admitted_stability(&tokens),
        })
    }

    /// `Semver::satisfies(version, constraint)`.
    pub fn satisfied_by(&self, raw_version: &str) -> bool {
        let Some(v) = normalize(raw_version) else {
            return false;
        };
        self.any_of
            .iter()
            .any(|all| all.iter().all(|c| c.matches(&v)))
    }

    /// The highest of `versions` the constraint admits, at the stability
    /// `composer require` accepts.
    pub fn highest<'a>(&self, versions: &'a [String]) -> Option<&'a String> {
        versions
            .iter()
            .filter(|raw| stability(raw) <= self.stability && self.satisfied_by(raw))
            .filter_map(|raw| Some((normalize(raw)?, raw)))
            .max_by(|a, b| version_compare(&a.0, &b.0))
            .map(|(_, raw)| raw)
    }
}

impl Comparison {
    /// `Constraint::matchSpecific` against `== v` (`versionCompare` with its branch rules).
    fn matches(&self, v: &str) -> bool {
        let (a_branch, b_branch) = (v.starts_with("dev-"), self.version.starts_with("dev-"));
        if self.op == Op::Ne && (a_branch || b_branch) {
            return v != self.version;
        }
        if a_branch && b_branch {
            return self.op == Op::Eq && v == self.version;
        }
        if a_branch || b_branch {
            return false;
        }
        let order = version_compare(v, &self.version);
        match self.op {
            Op::Eq => order == Ordering::Equal,
            Op::Ne => order != Ordering::Equal,
            Op::Lt => order == Ordering::Less,
            Op::Le => order != Ordering::Greater,
            Op::Gt => order == Ordering::Greater,
            Op::Ge => order != Ordering::Less,
        }
    }
}

/// composer/semver's split of an alternative into its parts, the pattern
/// `(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)` matched by hand (the regex crate has
/// no lookaround): a comma or blank between parts, not after an operator or `as`, not
/// inside a hyphen range, not before a comma, `as` or the end.
fn and_split(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        match separator_at(b, i) {
            Some(end) => {
                parts.push(&s[start..i]);
                start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    parts.push(&s[start..]);
    parts
}

fn separator_at(b: &[u8], i: usize) -> Option<usize> {
    if i == 0 || b"=>< ,".contains(&b[i - 1]) || (i >= 2 && &b[i - 2..i] == b"as") {
        return None;
    }
    let blanks = |from: usize| b[from..].iter().take_while(|c| **c == b' ').count();
    for lead in (0..=blanks(i)).rev() {
        let k = i + lead;
        if k >= b.len() || !matches!(b[k], b',' | b' ') || b[k - 1] == b'-' {
            continue;
        }
        if b.get(k + 1) == Some(&b'-') {
            continue;
        }
        for trail in (0..=blanks(k + 1)).rev() {
            let e = k + 1 + trail;
            if e < b.len() && b[e] != b',' && !b[e..].starts_with(b"as") {
                return Some(e);
            }
        }
    }
    None
}

/// `VersionParser::manipulateVersionString`: segments after `position` zeroed, the one
/// at `position` raised by `increment`.
fn manipulate(segments: [&str; 4], position: usize, increment: u64) -> Option<String> {
    let mut out: Vec<String> = segments.iter().map(|s| s.to_string()).collect();
    for i in (1..=4).rev() {
        if i > position {
            out[i - 1] = "0".into();
        } else if i == position && increment > 0 {
            out[i - 1] = out[i - 1]
                .parse::<u64>()
                .ok()?
                .checked_add(increment)?
                .to_string();
        }
    }
    Some(out.join("."))
}

fn numbers<'a>(c: &Captures<'a>, first: usize) -> [&'a str; 4] {
    [
        group(c, first),
        group(c, first + 1),
        group(c, first + 2),
        group(c, first + 3),
    ]
}

fn comparison(op: Op, version: String) -> Comparison {
    Comparison { op, version }
}

/// `VersionParser::parseConstraint` on one part.
fn parse_one(part: &str) -> Result<Vec<Comparison>, String> {
    let invalid = || format!("could not parse version constraint {part}");
    let mut c = part;
    if let Some(m) = ALIAS.captures(c) {
        c = group(&m, 1);
    }
    let mut modifier = None;
    if let Some(m) = FLAG.captures(c) {
        c = if group(&m, 1).is_empty() {
            "*"
        } else {
            group(&m, 1)
        };
        if group(&m, 2) != "stable" {
            modifier = Some(group(&m, 2));
        }
    }
    if let Some(m) = HASH_REF.captures(c) {
        c = group(&m, 1);
    }
    if let Some(m) = ALL_X.captures(c) {
        return Ok(if group(&m, 1).is_empty() && group(&m, 2).is_empty() {
            Vec::new()
        } else {
            vec![comparison(Op::Ge, "0.0.0.0-dev".into())]
        });
    }
    let unstable = |m: &Captures| {
        if group(m, 5).is_empty() && group(m, 7).is_empty() && group(m, 8).is_empty() {
            "-dev"
        } else {
            ""
        }
    };
    if let Some(m) = TILDE.captures(c) {
        if c.starts_with("~>") {
            return Err("invalid operator `~>`, you probably meant to use the `~` operator".into());
        }
        let mut position = (1..=4)
            .rev()
            .find(|i| !group(&m, *i).is_empty())
            .unwrap_or(1);
        if !group(&m, 8).is_empty() {
            position += 1;
        }
        let low = normalize(&format!("{}{}", &c[1..], unstable(&m))).ok_or_else(invalid)?;
        let high =
            manipulate(numbers(&m, 1), position.saturating_sub(1).max(1), 1).ok_or_else(invalid)?;
        return Ok(vec![
            comparison(Op::Ge, low),
            comparison(Op::Lt, format!("{high}-dev")),
        ]);
    }
    if let Some(m) = CARET.captures(c) {
        let position = if group(&m, 1) != "0" || group(&m, 2).is_empty() {
            1
        } else if group(&m, 2) != "0" || group(&m, 3).is_empty() {
            2
        } else {
            3
        };
        let low = normalize(&format!("{}{}", &c[1..], unstable(&m))).ok_or_else(invalid)?;
        let high = manipulate(numbers(&m, 1), position, 1).ok_or_else(invalid)?;
        return Ok(vec![
            comparison(Op::Ge, low),
            comparison(Op::Lt, format!("{high}-dev")),
        ]);
    }
    if let Some(m) = WILDCARD.captures(c) {
        let position = (1..=3)
            .rev()
            .find(|i| !group(&m, *i).is_empty())
            .unwrap_or(1);
        let low = format!(
            "{}-dev",
            manipulate(numbers(&m, 1), position, 0).ok_or_else(invalid)?
        );
        let high = format!(
            "{}-dev",
            manipulate(numbers(&m, 1), position, 1).ok_or_else(invalid)?
        );
        return Ok(if low == "0.0.0.0-dev" {
            vec![comparison(Op::Lt, high)]
        } else {
            vec![comparison(Op::Ge, low), comparison(Op::Lt, high)]
        });
    }
    if let Some(m) = HYPHEN.captures(c) {
        let low_suffix =
            if group(&m, 6).is_empty() && group(&m, 8).is_empty() && group(&m, 9).is_empty() {
                "-dev"
            } else {
                ""
            };
        let low = normalize(group(&m, 1)).ok_or_else(invalid)?;
        let to = normalize(group(&m, 10)).ok_or_else(invalid)?;
        let exact_end = (!group(&m, 12).is_empty() && !group(&m, 13).is_empty())
            || !group(&m, 15).is_empty()
            || !group(&m, 17).is_empty()
            || !group(&m, 18).is_empty();
        let upper = if exact_end {
            comparison(Op::Le, to)
        } else {
            let position = if group(&m, 12).is_empty() { 1 } else { 2 };
            let high = manipulate(numbers(&m, 11), position, 1).ok_or_else(invalid)?;
            comparison(Op::Lt, format!("{high}-dev"))
        };
        return Ok(vec![
            comparison(Op::Ge, format!("{low}{low_suffix}")),
            upper,
        ]);
    }
    let m = BASIC.captures(c).ok_or_else(invalid)?;
    let (op_text, operand) = (group(&m, 1), group(&m, 2));
    let mut version = match normalize(operand) {
        Some(v) => v,
        None if operand.ends_with("-dev") && DEV_LIKE.is_match(operand) => {
            format!("dev-{}", &operand[..operand.len() - 4])
        }
        None => return Err(invalid()),
    };
    let op = match op_text {
        "<>" | "!=" => Op::Ne,
        "<" => Op::Lt,
        "<=" => Op::Le,
        ">" => Op::Gt,
        ">=" => Op::Ge,
        _ => Op::Eq,
    };
    let equality = matches!(op_text, "" | "=" | "==");
    match modifier {
        Some(flag) if !equality && stability(&version) == Stability::Stable => {
            version.push('-');
            version.push_str(flag);
        }
        _ if matches!(op, Op::Lt | Op::Ge)
            && !MODIFIER_END.is_match(&operand.to_lowercase())
            && !operand.starts_with("dev-") =>
        {
            version.push_str("-dev");
        }
        _ => {}
    }
    Ok(vec![comparison(op, version)])
}

/// The least stable release `composer require` takes for the constraint: the least
/// stable `@flag` among its parts, else the least stable version a part names
/// (`>=11.0.0-RC1` admits RCs), else stable (Composer's `RootPackageLoader`).
fn admitted_stability(tokens: &[&str]) -> Stability {
    let flags = tokens
        .iter()
        .filter_map(|t| ANY_FLAG.captures(t))
        .map(|m| Stability::from_flag(group(&m, 1)))
        .max();
    if let Some(flag) = flags {
        return flag;
    }
    tokens
        .iter()
        .map(|t| match ALIASED_TOKEN.captures(t) {
            Some(m) => group(&m, 1),
            None => t,
        })
        .filter(|t| PLAIN_TOKEN.is_match(t))
        .map(stability)
        .max()
        .unwrap_or(Stability::Stable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(c: &str, v: &str) -> bool {
        ComposerConstraint::parse(c).unwrap().satisfied_by(v)
    }

    #[test]
    fn constraints_as_composer_reads_them() {
        assert!(sat("~1.2", "1.9.0") && !sat("~1.2", "2.0.0"));
        assert!(sat("~1.2.3", "1.2.9") && !sat("~1.2.3", "1.3.0"));
        assert!(sat("^0.3", "0.3.5") && !sat("^0.3", "0.4.0"));
        assert!(sat("1.0 - 2.0", "2.0.5") && !sat("1.0 - 2.0", "2.1.0"));
        assert!(sat("1.0.0 - 2.1.0", "2.1.0") && !sat("1.0.0 - 2.1.0", "2.1.1"));
        assert!(sat("11.*", "11.4.0") && !sat("11.*", "12.0.0"));
        assert!(sat(">=1.0 <1.1 || >=1.2", "1.3.0") && !sat(">=1.0,<1.1", "1.1.0"));
        assert!(sat("^10.0|^11.0", "11.2.0") && sat("1.2", "1.2.0.0"));
        assert!(
            !sat(">=11.0.0-RC1 <11.0.0", "v11.0.0-RC1"),
            "<11.0.0 is <11.0.0-dev"
        );
        assert!(sat("!=1.0", "1.0.1") && sat("*", "0.0.1"));
        assert!(ComposerConstraint::parse("~>1.2").is_err());
        assert!(ComposerConstraint::parse("").is_err());
    }

    #[test]
    fn picks_stable_unless_a_flag_or_version_says_otherwise() {
        let vs: Vec<String> = [
            "v10.0.0",
            "v11.0.0-RC1",
            "v11.0.0",
            "v11.1.0-beta1",
            "12.0.0-alpha1",
        ]
        .map(String::from)
        .to_vec();
        let pick = |c: &str| ComposerConstraint::parse(c).unwrap().highest(&vs).cloned();
        assert_eq!(pick("^11").as_deref(), Some("v11.0.0"));
        assert_eq!(pick("^11@beta").as_deref(), Some("v11.1.0-beta1"));
        assert_eq!(pick(">=11.0.0-RC1").as_deref(), Some("v11.0.0"));
        assert_eq!(pick("^12@alpha").as_deref(), Some("12.0.0-alpha1"));
        assert_eq!(pick("^12"), None);
    }
}
