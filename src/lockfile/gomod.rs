//! Go modules: `go.mod`.
//!
//! Since Go 1.17 (module graph pruning) go.mod lists every module that provides a package
//! to the main module's build, the transitive ones marked `// indirect`: it is the build
//! list. go.sum is not read: it holds checksums, including `/go.mod`-only lines and versions
//! that the build no longer selects, so counting its lines would report modules that do not
//! build; a commit that changes only go.sum changes no dependency. (For `go` < 1.17 go.mod
//! may omit indirect modules; only the module graph knows them.)
//!
//! - `require` (single-line or block): the packages; without `// indirect`, direct.
//! - `replace`: the replacement is what builds, but the code still imports the requirement's
//!   path, and rules and release notes are keyed to it: a replaced requirement is reported
//!   under its own path with the replacement's version, the replacement's path (a fork) as
//!   its `source`. So dropping a fork while bumping the module reads as one upgrade, not a
//!   module removed and another added. A replace naming a version applies to that version
//!   only. A replacement by a local folder is the project's own code, not a package.
//! - `exclude`, `retract`, `tool`, `go`, `toolchain` and unknown directives do not change the
//!   package set.
//! - The `module` line is the project itself.

use super::{Lockfile, Package, ParseError};
use std::borrow::Cow;
use std::collections::BTreeSet;
use ParseError as E;

/// One line's tokens (borrowed from the text unless a quoted one had escapes), and whether
/// its comment marks the requirement `indirect`.
struct Line<'a> {
    number: usize,
    tokens: Vec<Cow<'a, str>>,
    indirect: bool,
}

struct Replace {
    old: String,
    old_version: Option<String>,
    new: String,
    /// `None` for a local folder.
    new_version: Option<String>,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let text = super::text(bytes)?;
    // The requirements go straight into the output list, sized by the line count (an upper
    // bound), so it never grows by doubling; replaces are applied in place at the end.
    let lines = memchr::memchr_iter(b'\n', bytes).count() + 1;
    let mut packages: Vec<Package> = Vec::with_capacity(lines);
    let mut indirect: Vec<bool> = Vec::with_capacity(lines);
    let mut replaces: Vec<Replace> = Vec::new();
    let mut module_seen = false;
    // The verb of the open block and the line that opened it.
    let mut block: Option<(Cow<str>, usize)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = tokenize(raw, i + 1)?;
        if line.tokens.is_empty() {
            continue;
        }
        let args: &[Cow<str>] = match &block {
            Some(_) if line.tokens.len() == 1 && line.tokens[0] == ")" => {
                block = None;
                continue;
            }
            Some(_) => &line.tokens,
            None => {
                let verb = &line.tokens[0];
                if !verb.chars().all(|c| c.is_ascii_alphabetic()) {
                    return Err(E::at(
                        line.number,
                        1,
                        format!("not a go.mod directive: `{verb}`"),
                    ));
                }
                if line.tokens.len() == 2 && line.tokens[1] == "(" {
                    block = Some((verb.clone(), line.number));
                    continue;
                }
                &line.tokens[1..]
            }
        };
        let verb = block.as_ref().map_or(&line.tokens[0], |(v, _)| v);
        match verb.as_ref() {
            "module" => {
                if args.len() != 1 {
                    return Err(E::at(line.number, 1, "usage: module path"));
                }
                module_seen = true;
            }
            "require" => {
                let [path, version] = args else {
                    return Err(E::at(line.number, 1, "usage: require module/path v1.2.3"));
                };
                check_version(version, line.number)?;
                packages.push(Package {
                    spec: None,
                    name: path.to_string(),
                    version: version.to_string(),
                    source: None,
                });
                indirect.push(line.indirect);
            }
            "replace" => replaces.push(replace(args, line.number)?),
            _ => {}
        }
    }
    if let Some((verb, opened)) = block {
        return Err(E::at(
            opened,
            1,
            format!("`{verb} (` is never closed: truncated go.mod?"),
        ));
    }
    if !module_seen {
        return Err(ParseError::new("not a go.mod: no `module` directive"));
    }

    let mut direct = BTreeSet::new();
    // Requirements replaced by a local folder: the project's own code, dropped below.
    let mut local = vec![false; packages.len()];
    for ((package, &indirect), local) in packages.iter_mut().zip(&indirect).zip(&mut local) {
        if !indirect {
            direct.insert(package.name.clone());
        }
        // A replace for this exact version wins over one for every version.
        let path = package.name.as_str();
        let rep = replaces
            .iter()
            .filter(|r| r.old == path)
            .find(|r| r.old_version.as_deref() == Some(&package.version))
            .or_else(|| {
                replaces
                    .iter()
                    .find(|r| r.old == path && r.old_version.is_none())
            });
        match rep {
            Some(Replace {
                new_version: None, ..
            }) => *local = true,
            Some(Replace {
                new,
                new_version: Some(v),
                ..
            }) => {
                package.version.clone_from(v);
                if *new != package.name {
                    package.source = Some(new.clone());
                }
            }
            None => {}
        }
    }
    let mut local = local.into_iter();
    packages.retain(|_| !local.next().unwrap_or(false));
    Ok(Lockfile {
        packages,
        recorded_direct: direct.into_iter().collect(),
        ..Lockfile::default()
    })
}

/// `old [v] => new [v]`; a replacement without a version is a local folder.
fn replace(args: &[Cow<str>], line: usize) -> Result<Replace, ParseError> {
    let Some(arrow) = args.iter().position(|t| t == "=>") else {
        return Err(E::at(
            line,
            1,
            "usage: replace old [v1.2.3] => new [v1.2.3]",
        ));
    };
    let (old, new) = (&args[..arrow], &args[arrow + 1..]);
    if !(1..=2).contains(&old.len()) || !(1..=2).contains(&new.len()) {
        return Err(E::at(
            line,
            1,
            "usage: replace old [v1.2.3] => new [v1.2.3]",
        ));
    }
    for v in old.get(1).into_iter().chain(new.get(1)) {
        check_version(v, line)?;
    }
    Ok(Replace {
        old: old[0].to_string(),
        old_version: old.get(1).map(|v| v.to_string()),
        new: new[0].to_string(),
        new_version: new.get(1).map(|v| v.to_string()),
    })
}

/// Module versions are `v` followed by a semantic version (Go refuses anything else).
fn check_version(v: &str, line: usize) -> Result<(), ParseError> {
    let mut chars = v.chars();
    if chars.next() == Some('v') && chars.next().is_some_and(|c| c.is_ascii_digit()) {
        Ok(())
    } else {
        Err(E::at(line, 1, format!("invalid module version `{v}`")))
    }
}

/// Splits a line into tokens: words, `"quoted"` and `` `raw` `` strings, `(`, `)`, `=>`;
/// a `//` comment ends it.
fn tokenize(raw: &str, number: usize) -> Result<Line<'_>, ParseError> {
    let mut tokens = Vec::new();
    let mut indirect = false;
    let mut rest = raw;
    loop {
        rest = rest.trim_start();
        let column = raw.len() - rest.len() + 1;
        let Some(c) = rest.chars().next() else {
            break;
        };
        if let Some(comment) = rest.strip_prefix("//") {
            let c = comment.trim();
            indirect = c == "indirect" || c.starts_with("indirect;");
            break;
        }
        match c {
            '"' | '`' => {
                let (token, len) = quoted(rest, c)
                    .ok_or_else(|| E::at(number, column, "unterminated quoted string"))?;
                tokens.push(Cow::Owned(token));
                rest = &rest[len..];
            }
            '(' | ')' => {
                tokens.push(Cow::Borrowed(&rest[..1]));
                rest = &rest[1..];
            }
            _ if rest.starts_with("=>") => {
                tokens.push(Cow::Borrowed("=>"));
                rest = &rest[2..];
            }
            _ => {
                // A word ends at a space, a quote, a paren, a comment or an arrow.
                let end = rest
                    .char_indices()
                    .find(|&(i, c)| {
                        c.is_whitespace()
                            || matches!(c, '(' | ')' | '"' | '`')
                            || rest[i..].starts_with("//")
                            || rest[i..].starts_with("=>")
                    })
                    .map_or(rest.len(), |(i, _)| i);
                tokens.push(Cow::Borrowed(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    Ok(Line {
        number,
        tokens,
        indirect,
    })
}

/// A `"..."` string (with backslash escapes) or a `` `...` `` one: its value and length.
fn quoted(s: &str, quote: char) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            _ if escaped => {
                value.push(c);
                escaped = false;
            }
            '\\' if quote == '"' => escaped = true,
            _ if c == quote => return Some((value, i + 1)),
            _ => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_replaces_and_indirect() {
        let l = parse(
            br#"// a comment
module example.invalid/app

go 1.22
toolchain go1.22.3

require github.com/a/single v1.0.0
require (
	github.com/b/direct v1.2.3
	github.com/c/pseudo v0.0.0-20191109021931-daa7c04131f5 // indirect
	github.com/d/incompat v2.1.0+incompatible // indirect; a note
	"github.com/e/quoted" v1.0.0
	github.com/f/forked v1.0.0
	github.com/g/local v0.1.0
	github.com/h/pinned v1.5.0 // indirect
	github.com/i/unused-replace v1.0.0 // not indirect
)

replace github.com/f/forked => github.com/me/fork v1.0.1
replace (
	github.com/g/local => ../local
	github.com/h/pinned v1.5.0 => github.com/h/pinned v1.5.1
	github.com/h/pinned v1.4.0 => github.com/h/pinned v1.4.9
	github.com/i/unused-replace v0.9.0 => github.com/i/unused-replace v0.9.1
)
exclude github.com/b/direct v1.2.2
retract [v1.0.0, v1.0.5] // oops
retract (
	v0.9.0
)
"#,
        )
        .unwrap();
        assert_eq!(
            crate::lockfile::listing(&l),
            [
                "github.com/a/single v1.0.0",
                "github.com/b/direct v1.2.3",
                "github.com/c/pseudo v0.0.0-20191109021931-daa7c04131f5",
                "github.com/d/incompat v2.1.0+incompatible",
                "github.com/e/quoted v1.0.0",
                "github.com/f/forked v1.0.1",
                "github.com/h/pinned v1.5.1",
                "github.com/i/unused-replace v1.0.0",
            ]
        );
        assert_eq!(
            l.recorded_direct,
            [
                "github.com/a/single",
                "github.com/b/direct",
                "github.com/e/quoted",
                "github.com/f/forked",
                "github.com/g/local",
                "github.com/i/unused-replace",
            ]
        );
        // The fork is where the module comes from; a same-path replace names no source.
        let source = |name: &str| {
            l.packages
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.source.as_deref())
        };
        assert_eq!(source("github.com/f/forked"), Some("github.com/me/fork"));
        assert_eq!(source("github.com/h/pinned"), None);
    }

    #[test]
    fn tokens_touching_arrows_and_comments() {
        let l = parse(b"module m\nrequire a v1.0.0//indirect\nreplace a=>b v1.1.0\n").unwrap();
        assert_eq!(crate::lockfile::listing(&l), ["a v1.1.0"]);
        assert!(l.recorded_direct.is_empty());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse(b"module m\n\nrequire (\n\ta v1.0.0\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
        assert!(e.message.contains("never closed"));

        let e = parse(b"module m\nrequire a 1.0.0\n").unwrap_err();
        assert_eq!(e.line, Some(2));

        let e = parse(b"{\"lockfileVersion\": 3}").unwrap_err();
        assert_eq!(e.line, Some(1));

        let e = parse(b"module m\nrequire \"a v1.0.0\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(9)));

        let e = parse(b"go 1.22\n").unwrap_err();
        assert!(e.message.contains("no `module`"));

        let e = parse(b"module m\nrequire a v1\xff\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(13)));

        for junk in [&b""[..], b"(", b")", b"=>", b"module", b"replace a =>"] {
            assert!(parse(junk).is_err());
        }
    }
}
