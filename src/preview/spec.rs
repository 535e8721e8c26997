//! `PACKAGE@VERSION` as `preview` reads it: `express@5`, `express@^5.1`, `express@latest`,
//! `@types/node@22.1.0`, `cargo:axum@0.8`, `pypi:pydantic@2`,
//! `go:github.com/gin-gonic/gin@v1.10.0`, `gem:rails@7.1.3`,
//! `composer:laravel/framework@v11.0.0`. Without `@VERSION`, the `latest` tag.

use crate::ecosystem::Ecosystem;
use crate::registry::Wanted;
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// As the user wrote it.
    pub raw: String,
    /// From the prefix; `None` means whichever ecosystem's lockfiles hold the name.
    pub ecosystem: Option<Ecosystem>,
    pub name: String,
    pub wanted: Wanted,
}

#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("`{spec}`: {reason}")]
pub struct SpecError {
    pub spec: String,
    pub reason: String,
}

impl FromStr for Spec {
    type Err = SpecError;

    fn from_str(raw: &str) -> Result<Spec, SpecError> {
        let fail = |reason: String| SpecError {
            spec: raw.to_string(),
            reason,
        };
        let text = raw.trim();
        let (ecosystem, rest) = match text.split_once(':') {
            Some((prefix, rest)) => match prefix.parse::<Ecosystem>() {
                Ok(e) => (Some(e), rest),
                Err(_) => {
                    return Err(fail(format!(
                        "unknown ecosystem prefix `{prefix}:` (known: {})",
                        Ecosystem::known()
                    )));
                }
            },
            None => (None, text),
        };
        // The last `@` past the first character: `@scope/name@1.0.0`.
        let (name, version) = match rest.rfind('@').filter(|&i| i > 0) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        if name.is_empty() || (name.starts_with('@') && !name.contains('/')) {
            return Err(fail(
                "no package name (write NAME@VERSION; a scoped npm name is @scope/name)".into(),
            ));
        }
        if name.contains(char::is_whitespace) {
            return Err(fail(format!("`{name}` is not a package name")));
        }
        let wanted = match version.map(str::trim) {
            None => Wanted::Tag("latest".into()),
            Some("") => return Err(fail("no version after `@` (write NAME@VERSION)".into())),
            Some(v) => classify(v),
        };
        Ok(Spec {
            raw: raw.to_string(),
            ecosystem,
            name: name.to_string(),
            wanted,
        })
    }
}

impl fmt::Display for Spec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// An exact version has three release numbers or more (`5.1.0`, `v1.10.0`, `2.0.0rc1`,
/// `1.2.3.4`) or says `=`/`==`; a word is a tag (`latest`, `next`); the rest is a range
/// (`5`, `^5.1`, `0.8`, `>=2,<3`).
fn classify(v: &str) -> Wanted {
    if let Some(pinned) = v.strip_prefix("==").or_else(|| v.strip_prefix('=')) {
        let pinned = pinned.trim();
        if !pinned.contains([' ', ',', '|', '<', '>', '*']) {
            return Wanted::Exact(pinned.to_string());
        }
    }
    let starts_version = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
    let unprefixed = v
        .strip_prefix('v')
        .filter(|s| starts_version(s))
        .unwrap_or(v);
    if v.starts_with(|c: char| c.is_ascii_alphabetic()) && unprefixed == v {
        return Wanted::Tag(v.to_string());
    }
    let release: Vec<&str> = unprefixed
        .split(|c: char| !c.is_ascii_digit() && c != '.')
        .next()
        .unwrap_or_default()
        .split('.')
        .collect();
    let numbered = release.iter().take_while(|s| !s.is_empty()).count();
    let operators = v.contains([' ', ',', '|', '<', '>', '^', '~', '*']);
    if numbered >= 3 && !operators && !v.contains(".x") && !v.contains(".X") {
        Wanted::Exact(v.to_string())
    } else {
        Wanted::Range(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(s: &str) -> Spec {
        s.parse().unwrap()
    }

    fn wanted(s: &str) -> Wanted {
        spec(s).wanted
    }

    #[test]
    fn names_prefixes_and_versions() {
        let s = spec("express@5");
        assert_eq!((s.ecosystem, s.name.as_str()), (None, "express"));
        assert_eq!(s.wanted, Wanted::Range("5".into()));
        assert_eq!(wanted("express@^5.1"), Wanted::Range("^5.1".into()));
        assert_eq!(wanted("express@latest"), Wanted::Tag("latest".into()));
        assert_eq!(wanted("express"), Wanted::Tag("latest".into()));
        assert_eq!(wanted("express@5.1.0"), Wanted::Exact("5.1.0".into()));
        assert_eq!(wanted("express@=5.1"), Wanted::Exact("5.1".into()));
        assert_eq!(
            wanted("express@5.0.0-beta.3"),
            Wanted::Exact("5.0.0-beta.3".into())
        );
        assert_eq!(wanted("express@5.x"), Wanted::Range("5.x".into()));
        assert_eq!(wanted("express@>=4 <6"), Wanted::Range(">=4 <6".into()));
        let s = spec("@types/node@22.1.0");
        assert_eq!(s.name, "@types/node");
        assert_eq!(spec("@types/node").wanted, Wanted::Tag("latest".into()));
        let s = spec("cargo:axum@0.8");
        assert_eq!(s.ecosystem, Some(Ecosystem::Cargo));
        assert_eq!(
            (s.name.as_str(), s.wanted),
            ("axum", Wanted::Range("0.8".into()))
        );
        assert_eq!(wanted("pypi:pydantic@2"), Wanted::Range("2".into()));
        assert_eq!(wanted("pypi:pydantic@==2.0"), Wanted::Exact("2.0".into()));
        assert_eq!(
            wanted("pypi:django@5.0.0rc1"),
            Wanted::Exact("5.0.0rc1".into())
        );
        assert_eq!(
            wanted("pypi:pydantic@>=2,<3"),
            Wanted::Range(">=2,<3".into())
        );
        let s = spec("go:github.com/gin-gonic/gin@v1.10");
        assert_eq!(s.ecosystem, Some(Ecosystem::Go));
        assert_eq!(s.name, "github.com/gin-gonic/gin");
        assert_eq!(s.wanted, Wanted::Range("v1.10".into()));
        assert_eq!(
            wanted("go:github.com/gin-gonic/gin@v1.10.0"),
            Wanted::Exact("v1.10.0".into())
        );
        assert_eq!(spec("gem:rails@7").ecosystem, Some(Ecosystem::Rubygems));
        assert_eq!(wanted("gem:rails@7.1.3.4"), Wanted::Exact("7.1.3.4".into()));
        let s = spec("composer:laravel/framework@11");
        assert_eq!(
            (s.ecosystem, s.name.as_str()),
            (Some(Ecosystem::Packagist), "laravel/framework")
        );
    }

    #[test]
    fn bad_specs_name_themselves() {
        for (bad, says) in [
            ("express@", "no version after `@`"),
            ("@", "no package name"),
            ("cargo:@1.0.0", "no package name"),
            ("yarn:express@5", "unknown ecosystem prefix `yarn:`"),
            ("exp ress@5", "not a package name"),
        ] {
            let e = bad.parse::<Spec>().unwrap_err();
            assert_eq!(e.spec, bad);
            assert!(e.to_string().contains(says), "{bad}: {e}");
            assert!(e.to_string().starts_with(&format!("`{bad}`")), "{e}");
        }
    }
}
