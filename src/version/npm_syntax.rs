//! node-semver's reading of one `||`-free comparator set, step by step: hyphen ranges,
//! operator/version gluing, carets, tildes, x-ranges, stars and `>=0.0.0`, each turned
//! into plain comparators (`>=1.2.0 <1.3.0-0`). The steps and their patterns follow
//! node-semver 7 (default options: neither `loose` nor `includePrerelease`) one for one,
//! because that order is what makes odd inputs (`=1.x`, `>x`, `1.x - 2`, `~>1`) read the
//! way npm reads them; rewriting the grammar from scratch would drift from it.
//!
//! The patterns are node-semver's unbounded ones: the `regex` crate matches in linear
//! time, so the length caps node-semver adds against backtracking are not needed.

use regex::{Captures, Regex};
use std::sync::LazyLock;

const NUM: &str = r"0|[1-9][0-9]*";
const NUM_LOOSE: &str = r"[0-9]+";
const NON_NUM: &str = r"[0-9]*[a-zA-Z-][a-zA-Z0-9-]*";
const GTLT: &str = r"((?:<|>)?=?)";

fn prerelease() -> String {
    let id = format!("(?:{NON_NUM}|{NUM})");
    format!(r"(?:-({id}(?:\.{id})*))")
}

fn prerelease_loose() -> String {
    let id = format!("(?:{NON_NUM}|{NUM_LOOSE})");
    format!(r"(?:-?({id}(?:\.{id})*))")
}

fn build() -> String {
    r"(?:\+([a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*))".to_string()
}

/// A full version: `v1.2.3-beta.1+build`.
fn full_plain() -> String {
    format!(r"v?({NUM})\.({NUM})\.({NUM}){}?{}?", prerelease(), build())
}

fn loose_plain() -> String {
    format!(
        r"[v=\s]*({NUM_LOOSE})\.({NUM_LOOSE})\.({NUM_LOOSE}){}?{}?",
        prerelease_loose(),
        build()
    )
}

/// A partial version with wildcards: `1`, `1.x`, `1.2.*`, `=v1.2.3-beta`; loose, also
/// leading zeros and a prerelease without its hyphen (`01.2.3beta`).
fn xrange_plain(loose: bool) -> String {
    let (num, pre) = if loose {
        (NUM_LOOSE, prerelease_loose())
    } else {
        (NUM, prerelease())
    };
    let id = format!(r"{num}|x|X|\*");
    format!(
        r"[v=\s]*({id})(?:\.({id})(?:\.({id})(?:{pre})?{}?)?)?",
        build()
    )
}

fn re(source: &str) -> Regex {
    Regex::new(source).expect("node-semver's patterns compile")
}

static BUILD: LazyLock<Regex> = LazyLock::new(|| re(&build()));
static COMPARATOR_TRIM: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(\s*){GTLT}\s*({}|{})",
        loose_plain(),
        xrange_plain(false)
    ))
});
static TILDE_TRIM: LazyLock<Regex> = LazyLock::new(|| re(r"(\s*)(?:~>?)\s+"));
static CARET_TRIM: LazyLock<Regex> = LazyLock::new(|| re(r"(\s*)(?:\^)\s+"));

/// The patterns that differ between node-semver's default and `loose` readings.
struct Patterns {
    hyphen: Regex,
    tilde: Regex,
    caret: Regex,
    xrange: Regex,
    comparator: Regex,
}

impl Patterns {
    fn new(loose: bool) -> Patterns {
        let x = xrange_plain(loose);
        let version = if loose { loose_plain() } else { full_plain() };
        Patterns {
            hyphen: re(&format!(r"^\s*({x})\s+-\s+({x})\s*$")),
            tilde: re(&format!("^(?:~>?){x}$")),
            caret: re(&format!(r"^(?:\^){x}$")),
            xrange: re(&format!(r"^{GTLT}\s*{x}$")),
            comparator: re(&format!(r"^{GTLT}\s*({version})$|^$")),
        }
    }
}

static STRICT: LazyLock<Patterns> = LazyLock::new(|| Patterns::new(false));
static LOOSE: LazyLock<Patterns> = LazyLock::new(|| Patterns::new(true));

fn patterns(loose: bool) -> &'static Patterns {
    if loose {
        &LOOSE
    } else {
        &STRICT
    }
}

/// node-semver's comparator pattern: operator, then the version (groups 3 to 7: major,
/// minor, patch, prerelease, build), or nothing (ANY).
pub(super) fn comparator_pattern(loose: bool) -> &'static Regex {
    &patterns(loose).comparator
}

static STAR: LazyLock<Regex> = LazyLock::new(|| re(r"(<|>)?=?\s*\*"));
static GTE0: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*>=\s*0\.0\.0\s*$"));
static BLANKS: LazyLock<Regex> = LazyLock::new(|| re(r"\s+"));

/// The plain comparators (`>=1.2.0`, `<2.0.0-0`, `` for any) of one comparator set, as
/// node-semver's `Range#parseRange` produces them before reading each one. `None` when a
/// number overflows while being bumped (node-semver then fails on the result). `loose`
/// is node-semver's option of that name, which npm picks versions with.
pub(super) fn comparators(set: &str, loose: bool) -> Option<Vec<String>> {
    let p = patterns(loose);
    let set = BUILD.replace_all(set, "");
    let set = match p.hyphen.captures(&set) {
        Some(c) => hyphen(&c)?,
        None => set.into_owned(),
    };
    let set = COMPARATOR_TRIM.replace_all(&set, "${1}${2}${3}");
    let set = TILDE_TRIM.replace_all(&set, "${1}~");
    let set = CARET_TRIM.replace_all(&set, "${1}^");
    let desugared: Vec<String> = set
        .split(' ')
        .map(|token| comparator(token, p))
        .collect::<Option<_>>()?;
    Some(
        BLANKS
            .split(&desugared.join(" "))
            .map(|c| GTE0.replace(c.trim(), "").into_owned())
            // Loose, what is still no comparator is dropped rather than refused.
            .filter(|c| !loose || p.comparator.is_match(c))
            .collect(),
    )
}

/// node-semver's `parseComparator`: one blank-free token through each desugaring.
fn comparator(token: &str, p: &Patterns) -> Option<String> {
    let token = BUILD.replace(token, "");
    let token = each_word(token.trim(), |w| sugar(&p.caret, w, caret))?;
    let token = each_word(token.trim(), |w| sugar(&p.tilde, w, tilde))?;
    let token = each_word(&token, |w| xrange(w.trim(), &p.xrange))?;
    Some(STAR.replace(token.trim(), "").into_owned())
}

/// Applies `f` to each blank-separated word, as node-semver's `split(/\s+/)` does
/// (leading or trailing blanks give empty words), and joins them with a space.
fn each_word(s: &str, f: impl Fn(&str) -> Option<String>) -> Option<String> {
    let words: Option<Vec<String>> = BLANKS.split(s).map(f).collect();
    Some(words?.join(" "))
}

/// Replaces `word` with `f(captures)` when the anchored pattern matches it.
fn sugar(pattern: &Regex, word: &str, f: fn(&Parts) -> Option<String>) -> Option<String> {
    match pattern.captures(word) {
        Some(c) => f(&Parts::from(&c, 1)),
        None => Some(word.to_string()),
    }
}

/// The major (`mj`), minor (`mn`), patch (`pt`) and prerelease a partial version captured (`""` where absent).
struct Parts<'a> {
    mj: &'a str,
    mn: &'a str,
    pt: &'a str,
    pre: &'a str,
}

impl<'a> Parts<'a> {
    fn from(c: &Captures<'a>, first: usize) -> Parts<'a> {
        let at = |i: usize| c.get(first + i).map_or("", |m| m.as_str());
        Parts {
            mj: at(0),
            mn: at(1),
            pt: at(2),
            pre: at(3),
        }
    }
}

/// node-semver's `isX`: absent, `x`, `X` or `*`.
fn is_x(id: &str) -> bool {
    id.is_empty() || id.eq_ignore_ascii_case("x") || id == "*"
}

/// `n + 1` on a captured number; `None` past the integers node-semver accepts.
fn bump(n: &str) -> Option<String> {
    let n: u64 = n.parse().ok()?;
    Some(n.checked_add(1)?.to_string())
}

fn tilde(p: &Parts) -> Option<String> {
    let Parts { mj, mn, pt, pre } = *p;
    Some(if is_x(mj) {
        String::new()
    } else if is_x(mn) {
        format!(">={mj}.0.0 <{}.0.0-0", bump(mj)?)
    } else if is_x(pt) {
        format!(">={mj}.{mn}.0 <{mj}.{}.0-0", bump(mn)?)
    } else if !pre.is_empty() {
        format!(">={mj}.{mn}.{pt}-{pre} <{mj}.{}.0-0", bump(mn)?)
    } else {
        format!(">={mj}.{mn}.{pt} <{mj}.{}.0-0", bump(mn)?)
    })
}

fn caret(p: &Parts) -> Option<String> {
    let Parts { mj, mn, pt, pre } = *p;
    if is_x(mj) {
        return Some(String::new());
    }
    if is_x(mn) {
        return Some(format!(">={mj}.0.0 <{}.0.0-0", bump(mj)?));
    }
    if is_x(pt) {
        return Some(if mj == "0" {
            format!(">={mj}.{mn}.0 <{mj}.{}.0-0", bump(mn)?)
        } else {
            format!(">={mj}.{mn}.0 <{}.0.0-0", bump(mj)?)
        });
    }
    let low = if pre.is_empty() {
        format!(">={mj}.{mn}.{pt}")
    } else {
        format!(">={mj}.{mn}.{pt}-{pre}")
    };
    let high = match (mj, mn) {
        ("0", "0") => format!("<{mj}.{mn}.{}-0", bump(pt)?),
        ("0", _) => format!("<{mj}.{}.0-0", bump(mn)?),
        _ => format!("<{}.0.0-0", bump(mj)?),
    };
    Some(format!("{low} {high}"))
}

/// node-semver's `replaceXRange` on one word.
fn xrange(word: &str, pattern: &Regex) -> Option<String> {
    let Some(c) = pattern.captures(word) else {
        return Some(word.to_string());
    };
    let mut op = c.get(1).map_or("", |m| m.as_str());
    let Parts { mj, mn, pt, .. } = Parts::from(&c, 2);
    // An x before a number (`x.1`, `1.x.2`) is no x-range: the word stays as written
    // and fails later as a comparator.
    if (is_x(mj) && !is_x(mn)) || (is_x(mn) && !pt.is_empty() && !is_x(pt)) {
        return Some(word.to_string());
    }
    let x_major = is_x(mj);
    let x_minor = x_major || is_x(mn);
    let any_x = x_minor || is_x(pt);
    if op == "=" && any_x {
        op = "";
    }
    if x_major {
        return Some(
            if op == ">" || op == "<" {
                "<0.0.0-0"
            } else {
                "*"
            }
            .to_string(),
        );
    }
    if !op.is_empty() && any_x {
        let mut mj = mj.to_string();
        let mut mn = if x_minor { "0" } else { mn }.to_string();
        let mut op = op.to_string();
        if op == ">" {
            op = ">=".into();
            if x_minor {
                mj = bump(&mj)?;
            } else {
                mn = bump(&mn)?;
            }
        } else if op == "<=" {
            op = "<".into();
            if x_minor {
                mj = bump(&mj)?;
            } else {
                mn = bump(&mn)?;
            }
        }
        let pre = if op == "<" { "-0" } else { "" };
        return Some(format!("{op}{mj}.{mn}.0{pre}"));
    }
    Some(if x_minor {
        format!(">={mj}.0.0 <{}.0.0-0", bump(mj)?)
    } else if any_x {
        format!(">={mj}.{mn}.0 <{mj}.{}.0-0", bump(mn)?)
    } else {
        word.to_string()
    })
}

/// node-semver's `hyphenReplace`: `A - B` as `>=A <=B`, partial ends widened.
fn hyphen(c: &Captures) -> Option<String> {
    let whole = |i: usize| c.get(i).map_or("", |m| m.as_str());
    let from = Parts::from(c, 2);
    let to = Parts::from(c, 8);
    let low = if is_x(from.mj) {
        String::new()
    } else if is_x(from.mn) {
        format!(">={}.0.0", from.mj)
    } else if is_x(from.pt) {
        format!(">={}.{}.0", from.mj, from.mn)
    } else {
        format!(">={}", whole(1))
    };
    let high = if is_x(to.mj) {
        String::new()
    } else if is_x(to.mn) {
        format!("<{}.0.0-0", bump(to.mj)?)
    } else if is_x(to.pt) {
        format!("<{}.{}.0-0", to.mj, bump(to.mn)?)
    } else if !to.pre.is_empty() {
        format!("<={}.{}.{}-{}", to.mj, to.mn, to.pt, to.pre)
    } else {
        format!("<={}", whole(7))
    };
    Some(format!("{low} {high}").trim().to_string())
}
