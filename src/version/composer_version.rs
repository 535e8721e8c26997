//! Composer versions as `composer/semver` reads them: `VersionParser::normalize`
//! (`v11.0` -> `11.0.0.0`, `2.1.0-RC1`, `1.0.x-dev`), `parseStability`, and PHP's
//! `version_compare`, which Composer orders normalized versions with.

use regex::{Captures, Regex, RegexBuilder};
use std::cmp::Ordering;
use std::sync::LazyLock;

/// The stability suffix Composer recognises (`-beta2`, `.RC1`, `-p1`, `-dev`).
pub(super) const MODIFIER: &str =
    r"[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*)?)?([.-]?dev)?";

pub(super) fn re(source: &str, case_insensitive: bool) -> Regex {
    RegexBuilder::new(source)
        .case_insensitive(case_insensitive)
        .build()
        .expect("composer/semver's patterns compile")
}

static ALIAS: LazyLock<Regex> = LazyLock::new(|| re(r"^([^,\s]+) +as +([^,\s]+)$", false));
static STABILITY_FLAG: LazyLock<Regex> =
    LazyLock::new(|| re(r"@(?:stable|RC|beta|alpha|dev)$", true));
static BUILD: LazyLock<Regex> = LazyLock::new(|| re(r"^([^,\s+]+)\+[^\s]+$", false));
static CLASSICAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        &format!(r"^v?(\d{{1,5}})(\.\d+)?(\.\d+)?(\.\d+)?{MODIFIER}$"),
        true,
    )
});
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        &format!(r"^v?(\d{{4}}(?:[.:-]?\d{{2}}){{1,6}}(?:[.:-]?\d{{1,3}})?){MODIFIER}$"),
        true,
    )
});
static DEV_SUFFIX: LazyLock<Regex> = LazyLock::new(|| re(r"^(.*?)[.-]?dev$", true));
static BRANCH: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$",
        true,
    )
});
static STABILITY: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"{MODIFIER}(?:\+.*)?$"), true));

/// How stable a version is, least stable last (Composer's `BasePackage::STABILITIES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stability {
    Stable,
    Rc,
    Beta,
    Alpha,
    Dev,
}

impl Stability {
    pub(super) fn from_flag(flag: &str) -> Stability {
        match flag.to_ascii_lowercase().as_str() {
            "rc" => Stability::Rc,
            "beta" => Stability::Beta,
            "alpha" => Stability::Alpha,
            "dev" => Stability::Dev,
            _ => Stability::Stable,
        }
    }
}

/// PHP's `trim`: blanks, tabs, line ends, NUL and vertical tabs.
pub(super) fn php_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r', '\0', '\x0B'])
}

fn group<'a>(c: &Captures<'a>, i: usize) -> &'a str {
    c.get(i).map_or("", |m| m.as_str())
}

/// `VersionParser::normalize`; `None` where Composer throws "Invalid version string".
pub fn normalize(version: &str) -> Option<String> {
    let mut v = php_trim(version).to_string();
    if let Some(c) = ALIAS.captures(&v) {
        v = group(&c, 1).to_string();
    }
    if let Some(m) = STABILITY_FLAG.find(&v) {
        v.truncate(m.start());
    }
    if matches!(v.as_str(), "master" | "trunk" | "default") {
        v = format!("dev-{v}");
    }
    if v.len() >= 4 && v[..4].eq_ignore_ascii_case("dev-") {
        return Some(format!("dev-{}", &v[4..]));
    }
    if let Some(c) = BUILD.captures(&v) {
        v = group(&c, 1).to_string();
    }
    let (mut out, c, index) = if let Some(c) = CLASSICAL.captures(&v) {
        let part = |i: usize, default: &str| {
            let g = group(&c, i);
            if g.is_empty() { default } else { g }.to_string()
        };
        let out = format!(
            "{}{}{}{}",
            group(&c, 1),
            part(2, ".0"),
            part(3, ".0"),
            part(4, ".0")
        );
        (out, c, 5)
    } else if let Some(c) = DATE.captures(&v) {
        let out = group(&c, 1).replace(|ch: char| !ch.is_ascii_digit(), ".");
        (out, c, 2)
    } else {
        let c = DEV_SUFFIX.captures(&v)?;
        let branch = normalize_branch(group(&c, 1));
        return (!branch.contains("dev-")).then_some(branch);
    };
    let word = group(&c, index);
    if !word.is_empty() {
        if word == "stable" {
            return Some(out);
        }
        out.push('-');
        out.push_str(&expand_stability(word));
        out.push_str(group(&c, index + 1).trim_start_matches(['.', '-']));
    }
    if !group(&c, index + 2).is_empty() {
        out.push_str("-dev");
    }
    Some(out)
}

/// `VersionParser::normalizeBranch`: `1.x` -> `1.9999999.9999999.9999999-dev`.
fn normalize_branch(name: &str) -> String {
    let name = php_trim(name);
    let Some(c) = BRANCH.captures(name) else {
        return format!("dev-{name}");
    };
    let mut v = String::new();
    for i in 1..5 {
        match c.get(i) {
            Some(m) => v.push_str(&m.as_str().replace(['*', 'X'], "x")),
            None => v.push_str(".x"),
        }
    }
    format!("{}-dev", v.replace('x', "9999999"))
}

fn expand_stability(word: &str) -> String {
    match word.to_ascii_lowercase().as_str() {
        "a" => "alpha".into(),
        "b" => "beta".into(),
        "p" | "pl" => "patch".into(),
        "rc" => "RC".into(),
        other => other.into(),
    }
}

/// `VersionParser::parseStability`.
pub fn stability(version: &str) -> Stability {
    let v = version.split('#').next().unwrap_or_default();
    if v.starts_with("dev-") || v.ends_with("-dev") {
        return Stability::Dev;
    }
    let lower = v.to_ascii_lowercase();
    let Some(c) = STABILITY.captures(&lower) else {
        return Stability::Stable;
    };
    if !group(&c, 3).is_empty() {
        return Stability::Dev;
    }
    match group(&c, 1) {
        "beta" | "b" => Stability::Beta,
        "alpha" | "a" => Stability::Alpha,
        "rc" => Stability::Rc,
        _ => Stability::Stable,
    }
}

/// PHP's `php_canonicalize_version`: `-`, `_`, `+` and other symbols become dots, and a
/// dot goes between digits and letters (`1.0RC1` -> `1.0.RC.1`).
fn canonicalize(v: &str) -> Vec<u8> {
    let b = v.as_bytes();
    let Some(&first) = b.first() else {
        return Vec::new();
    };
    let digit = |x: u8| x.is_ascii_digit();
    let non_digit = |x: u8| !x.is_ascii_digit() && x != b'.';
    let mut q = vec![first];
    let mut lp = first;
    for &c in &b[1..] {
        let lq = *q.last().expect("one byte or more");
        if matches!(c, b'-' | b'_' | b'+') {
            if lq != b'.' {
                q.push(b'.');
            }
        } else if (non_digit(lp) && digit(c)) || (digit(lp) && non_digit(c)) {
            if lq != b'.' {
                q.push(b'.');
            }
            q.push(c);
        } else if !c.is_ascii_alphanumeric() {
            if lq != b'.' {
                q.push(b'.');
            }
        } else {
            q.push(c);
        }
        lp = c;
    }
    q
}

/// PHP's `compare_special_version_forms`: by prefix, dev < alpha < beta < RC < number <
/// patch, anything else below them all.
fn special_form(form: &[u8]) -> i32 {
    const FORMS: [(&[u8], i32); 10] = [
        (b"dev", 0),
        (b"alpha", 1),
        (b"a", 1),
        (b"beta", 2),
        (b"b", 2),
        (b"RC", 3),
        (b"rc", 3),
        (b"#", 4),
        (b"pl", 5),
        (b"p", 5),
    ];
    FORMS
        .iter()
        .find(|(name, _)| form.starts_with(name))
        .map_or(-1, |(_, order)| *order)
}

/// A leading run of digits as `strtol` reads it (saturating).
fn strtol(s: &[u8]) -> i64 {
    s.iter()
        .take_while(|c| c.is_ascii_digit())
        .fold(0i64, |n, c| {
            n.saturating_mul(10).saturating_add(i64::from(c - b'0'))
        })
}

/// PHP's `version_compare`.
pub fn version_compare(a: &str, b: &str) -> Ordering {
    compare_bytes(a.as_bytes(), b.as_bytes())
}

fn compare_bytes(a: &[u8], b: &[u8]) -> Ordering {
    if a.is_empty() || b.is_empty() {
        return (!a.is_empty()).cmp(&!b.is_empty());
    }
    let canon = |v: &[u8]| {
        if v[0] == b'#' {
            v.to_vec()
        } else {
            canonicalize(std::str::from_utf8(v).unwrap_or_default())
        }
    };
    let (v1, v2) = (canon(a), canon(b));
    // PHP's loop, with positions for its pointers: `p` where a segment starts, `n` the
    // dot that ends it (`None` once a string has no further dot).
    let dot = |v: &[u8], from: usize| v[from..].iter().position(|c| *c == b'.').map(|i| from + i);
    let (mut p1, mut p2) = (0, 0);
    let (mut n1, mut n2) = (Some(0), Some(0));
    while p1 < v1.len() && p2 < v2.len() && n1.is_some() && n2.is_some() {
        n1 = dot(&v1, p1);
        n2 = dot(&v2, p2);
        let seg1 = &v1[p1..n1.unwrap_or(v1.len())];
        let seg2 = &v2[p2..n2.unwrap_or(v2.len())];
        let d1 = seg1.first().is_some_and(u8::is_ascii_digit);
        let d2 = seg2.first().is_some_and(u8::is_ascii_digit);
        let order = match (d1, d2) {
            (true, true) => strtol(seg1).cmp(&strtol(seg2)),
            (false, false) => special_form(seg1).cmp(&special_form(seg2)),
            (true, false) => special_form(b"#N#").cmp(&special_form(seg2)),
            (false, true) => special_form(seg1).cmp(&special_form(b"#N#")),
        };
        if order != Ordering::Equal {
            return order;
        }
        if let Some(n) = n1 {
            p1 = n + 1;
        }
        if let Some(n) = n2 {
            p2 = n + 1;
        }
    }
    // What is left of the longer one decides: a number is newer, a word is compared
    // with a number.
    if n1.is_some() {
        let rest = &v1[p1.min(v1.len())..];
        if rest.first().is_some_and(u8::is_ascii_digit) {
            Ordering::Greater
        } else {
            compare_bytes(rest, b"#N#")
        }
    } else if n2.is_some() {
        let rest = &v2[p2.min(v2.len())..];
        if rest.first().is_some_and(u8::is_ascii_digit) {
            Ordering::Less
        } else {
            compare_bytes(b"#N#", rest)
        }
    } else {
        Ordering::Equal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_as_composer_does() {
        let n = |v: &str| normalize(v).unwrap_or_else(|| "-".into());
        assert_eq!(n("v11.0"), "11.0.0.0");
        assert_eq!(n("2.1.0-RC1"), "2.1.0.0-RC1");
        assert_eq!(n("1.0.0-b2"), "1.0.0.0-beta2");
        assert_eq!(n("1.0.x-dev"), "1.0.9999999.9999999-dev");
        assert_eq!(n("dev-main"), "dev-main");
        assert_eq!(n("1.0.0+build"), "1.0.0.0");
        assert_eq!(n("not a version"), "-");
        assert_eq!(stability("11.0.0-RC1"), Stability::Rc);
        assert_eq!(stability("v11.0.0"), Stability::Stable);
    }

    #[test]
    fn orders_as_php_version_compare() {
        let lt = |a: &str, b: &str| version_compare(a, b) == Ordering::Less;
        assert!(lt("1.0.0.0-dev", "1.0.0.0-alpha1"));
        assert!(lt("1.0.0.0-beta2", "1.0.0.0-RC1"));
        assert!(lt("1.0.0.0-RC1", "1.0.0.0"));
        assert!(lt("1.0.0.0", "1.0.0.0-patch1"));
        assert!(lt("1.0.0.9", "1.0.0.10"));
        assert_eq!(version_compare("1.0", "1.0"), Ordering::Equal);
    }
}
