//! Pinned requirements files (`requirements*.txt`, as pip-compile or `pip freeze` write
//! them): one `name==version` a line, with extras (`name[extra]==1.0`), environment
//! markers (`; python_version < "3.11"`), `--hash=` options, `\` continuations and
//! comments. `-r other.txt` / `--requirement other.txt` pull another file in: the caller
//! reads it (`Lockfile::includes`). Other options (`-i`, `--index-url`,
//! `--extra-index-url`, `-f`, `-c`, `-e`, ...) and unpinned lines (`flask>=2`, URLs, paths)
//! pin nothing and are skipped.
//!
//! Direct dependencies: pip-compile marks each pin with `# via ...`; a pin is direct
//! when one of its sources is an input file (`-r requirements.in`, `-c ...`) or the
//! project's own metadata (`name (pyproject.toml)`). A file without any `# via` comment
//! was written by hand or by `pip freeze`: each of its pins is direct.

use super::{pep508, utf8, Lockfile, Package, ParseError};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// `requirements.txt`, `requirements-dev.txt`, `requirements_test.txt`,
/// `dev-requirements.txt`...
pub fn is_requirements_file(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    stem.starts_with("requirements") || stem.ends_with("requirements")
}

/// One logical line: continuations joined, with the 1-based number of its first line.
/// Borrowed from the file unless it continues over several physical lines, so a large
/// file is never copied whole.
struct Logical<'a> {
    line: usize,
    text: Cow<'a, str>,
    /// Byte offset in `text` where each physical line after the first starts.
    starts: Vec<(usize, usize)>,
}

impl Logical<'_> {
    fn error(&self, message: impl Into<String>, at: usize) -> ParseError {
        // The physical line holding byte `at` of the joined text.
        let (offset, line) = self
            .starts
            .iter()
            .rev()
            .find(|(start, _)| *start <= at)
            .copied()
            .unwrap_or((0, self.line));
        let column = self.text[offset..at.min(self.text.len())].chars().count() + 1;
        ParseError {
            message: message.into(),
            line: Some(line),
            column: Some(column),
        }
    }
}

/// The logical lines of `text`, one at a time.
fn logical_lines(text: &str) -> impl Iterator<Item = Logical<'_>> {
    let mut physical = text.lines().enumerate();
    std::iter::from_fn(move || {
        let (i, raw) = physical.next()?;
        let Some(head) = raw.strip_suffix('\\') else {
            return Some(Logical {
                line: i + 1,
                text: Cow::Borrowed(raw),
                starts: Vec::new(),
            });
        };
        let mut joined = head.to_string();
        let mut starts = Vec::new();
        for (j, raw) in physical.by_ref() {
            starts.push((joined.len(), j + 1));
            match raw.strip_suffix('\\') {
                Some(head) => joined.push_str(head),
                None => {
                    joined.push_str(raw);
                    break;
                }
            }
        }
        Some(Logical {
            line: i + 1,
            text: Cow::Owned(joined),
            starts,
        })
    })
}

/// The text before a comment: `#` at the start or after whitespace (a URL may hold `#`).
fn strip_comment(s: &str) -> &str {
    let bytes = s.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &s[..i];
        }
    }
    s
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let text = utf8(bytes)?;
    let mut out = Lockfile::default();
    // pip-compile's annotations: `# via x` on the pin's line or on the lines after it.
    let annotated = text
        .lines()
        .any(|l| l.trim_start().starts_with("# via") || l.contains("  # via"));
    let mut direct = BTreeSet::new();
    let mut last_pin: Option<String> = None;
    let mut in_via = false;
    for logical in logical_lines(text) {
        let trimmed = logical.text.trim_start();
        if let Some(comment) = trimmed.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(rest) = comment.strip_prefix("via") {
                in_via = true;
                mark_via(rest, last_pin.as_deref(), &mut direct);
            } else if in_via {
                mark_via(comment, last_pin.as_deref(), &mut direct);
            }
            continue;
        }
        in_via = false;
        let content = strip_comment(&logical.text);
        let indent = content.len() - content.trim_start().len();
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        if content.starts_with('-') {
            if let Some(file) = include_target(content) {
                out.includes.push(file.to_string());
            }
            continue;
        }
        let Some(pin) = read_pin(content, indent, &logical)? else {
            continue;
        };
        last_pin = Some(pin.name.clone());
        if let Some(i) = logical.text.find("# via") {
            mark_via(&logical.text[i + 5..], last_pin.as_deref(), &mut direct);
        }
        out.packages.push(pin);
    }
    out.dedup_packages();
    out.recorded_direct = if annotated {
        direct.into_iter().collect()
    } else {
        // Written by hand or by `pip freeze`: every pin is direct.
        let all: BTreeSet<&str> = out.packages.iter().map(|p| p.name.as_str()).collect();
        all.into_iter().map(str::to_string).collect()
    };
    Ok(out)
}

/// `-r file`, `-rfile`, `--requirement file`, `--requirement=file`.
fn include_target(option: &str) -> Option<&str> {
    let rest = option
        .strip_prefix("--requirement")
        .or_else(|| option.strip_prefix("-r"))?;
    let rest = rest.strip_prefix('=').unwrap_or(rest).trim();
    (!rest.is_empty()).then_some(rest)
}

/// A `# via` source list for `pin`: direct when a source is an input file or the
/// project's own metadata rather than another package.
fn mark_via(sources: &str, pin: Option<&str>, direct: &mut BTreeSet<String>) {
    let Some(pin) = pin else { return };
    let s = sources.trim();
    if s.starts_with("-r ")
        || s.starts_with("-c ")
        || s.contains(" -r ")
        || s.contains(".toml)")
        || s.contains("setup.py)")
        || s.contains("setup.cfg)")
    {
        direct.insert(pin.to_string());
    }
}

/// Reads `name[extras] ==version ; markers`, ignoring trailing `--hash` options. `None`
/// for a valid line that pins nothing (a range, a URL, a path).
fn read_pin(
    content: &str,
    indent: usize,
    logical: &Logical,
) -> Result<Option<Package>, ParseError> {
    if content.starts_with(['.', '/', '~']) || content.contains("://") {
        return Ok(None); // a path or a URL such as `git+https://...`
    }
    let len = pep508::name_len(content);
    if len == 0 {
        return Err(logical.error(
            "expected a requirement (`name==version`) or an option",
            indent,
        ));
    }
    let name = pep508::normalize(&content[..len]);
    let mut rest = content[len..].trim_start();
    if rest.starts_with(['/', '\\']) {
        return Ok(None); // a relative path
    }
    if let Some(extras) = rest.strip_prefix('[') {
        let Some(end) = extras.find(']') else {
            let at = indent + content.len();
            return Err(logical.error("unclosed `[` of extras", at));
        };
        rest = extras[end + 1..].trim_start();
    }
    // The version specifier ends at the markers or at the first option (`-` after
    // whitespace), whichever comes first: `==1.0 --hash=sha256:…;x` is version 1.0.
    let spec_end = rest
        .char_indices()
        .find(|&(i, c)| c == ';' || (c.is_whitespace() && rest[i..].trim_start().starts_with('-')))
        .map_or(rest.len(), |(i, _)| i);
    let spec = rest[..spec_end].trim();
    if spec.is_empty() || spec.starts_with('@') {
        return Ok(None);
    }
    if !spec.starts_with(['=', '<', '>', '!', '~', '(']) {
        let at = indent + content.len() - rest.len();
        return Err(logical.error(format!("unexpected `{spec}` after the name"), at));
    }
    // pip expands `${VAR}` from its own environment at install time; what it will be is
    // not in the file, so the line pins nothing bumpcheck can know.
    if spec.contains("${") {
        return Ok(None);
    }
    // Each clause is an operator and one version: what follows the version (a stray `\`
    // before a space, a word) makes pip refuse the file, so it is an error here too.
    let spec_at = indent + content.len() - rest.len();
    let mut offset = 0;
    for clause in spec.split(',') {
        let version = clause
            .trim_start()
            .trim_start_matches(['=', '<', '>', '!', '~', '(', ')'])
            .trim();
        if let Some(bad) = version.find(|c: char| !is_version_char(c)) {
            let after = &version[bad..];
            let junk = after.trim_start().trim_end_matches(')');
            let bad = bad + after.len() - after.trim_start().len();
            let at = spec_at + offset + clause.find(version).unwrap_or(0) + bad;
            return Err(logical.error(format!("unexpected `{junk}` after the version"), at));
        }
        offset += clause.len() + 1;
    }
    let exact = spec
        .split(',')
        .map(str::trim)
        .find_map(|s| s.strip_prefix("==="))
        .or_else(|| {
            spec.split(',')
                .map(str::trim)
                .find_map(|s| s.strip_prefix("=="))
        });
    match exact.map(str::trim) {
        Some("") => {
            let at = indent + content.len() - rest.len() + spec.len();
            Err(logical.error("`==` without a version", at))
        }
        Some(v) if !v.contains('*') => Ok(Some(Package {
            spec: None,
            name,
            version: v.to_string(),
            source: None,
        })),
        _ => Ok(None),
    }
}

/// What a PEP 440 version (or a legacy one, or a `==1.*` prefix) is written with.
fn is_version_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '+' | '!' | '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pins(l: &Lockfile) -> Vec<String> {
        l.packages
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect()
    }

    #[test]
    fn pip_compile_output_with_hashes_and_via() {
        let text = br#"#
# This file is autogenerated by pip-compile with Python 3.11
#
--index-url https://registry.example.invalid/simple
--extra-index-url https://registry.example.invalid/extra

blinker==1.8.2 \
    --hash=sha256:1779309f71bf239144b9399d06ae925637cf6634cf6bd131104184531bf67c01 \
    --hash=sha256:8f77b09d3bf7c795e969e9486f39c2c5e9c39d4ee07424be2bc594ece9642d83
    # via flask
flask[async]==3.0.3 ; python_version >= "3.8" \
    --hash=sha256:34e815dfaa43340d1d15a5c3a02b8476004037eb4840b34910c6e21679d288f3
    # via
    #   -r requirements.in
    #   flask-cors
Jinja2==3.1.4
    # via flask
typing_extensions==4.12.2 ; python_version < "3.11"
    # via -r requirements.in
"#;
        let l = parse(text).unwrap();
        assert_eq!(
            pins(&l),
            [
                "blinker@1.8.2",
                "flask@3.0.3",
                "jinja2@3.1.4",
                "typing-extensions@4.12.2"
            ]
        );
        assert_eq!(l.recorded_direct, ["flask", "typing-extensions"]);
        assert!(l.includes.is_empty());
    }

    #[test]
    fn hand_written_file_with_includes_and_skipped_lines() {
        let text = b"-r base.txt\n--requirement=common/extra.txt\n-c constraints.txt\n\
            -e .\n-e git+https://example.invalid/x.git#egg=x\n./local-pkg\n\
            django>=4.2  # a range pins nothing\nrequests == 2.32.3  # pinned\n\
            pkg @ https://example.invalid/pkg-1.0.whl\nblack===24.4.2\n\
            numpy==1.26.*\nzope.interface==6.4.post2\n";
        let l = parse(text).unwrap();
        assert_eq!(
            pins(&l),
            [
                "requests@2.32.3",
                "black@24.4.2",
                "zope-interface@6.4.post2"
            ]
        );
        assert_eq!(l.includes, ["base.txt", "common/extra.txt"]);
        assert_eq!(l.recorded_direct, ["black", "requests", "zope-interface"]);
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"flask==3.0.3\n{\"json\": true}\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(1)), "{err}");
        let err = parse(b"a==1\n  flask==\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(10)), "{err}");
        let err = parse(b"a==1 \\\n  --hash=x\nflask[async\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        let err = parse(b"flask: 3\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(6)), "{err}");
        let err = parse(b"a==1\nb==2\xff\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(5)), "{err}");
        let err = parse(b"flask 3\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(7)), "{err}");
    }

    #[test]
    fn file_names() {
        for n in [
            "requirements.txt",
            "requirements-dev.txt",
            "requirements_test.txt",
            "dev-requirements.txt",
        ] {
            assert!(is_requirements_file(n), "{n}");
        }
        for n in ["requirements.in", "constraints.txt", "README.txt"] {
            assert!(!is_requirements_file(n), "{n}");
        }
    }

    /// pip's own reading (pip 23.2 parse_requirements, then packaging's Requirement) is the
    /// reference: an option after the version ends it, `${VAR}` is pip's environment at
    /// install time, and anything else after the version makes pip refuse the file.
    #[test]
    fn what_follows_the_version() {
        let read = |t: &str| parse(t.as_bytes()).map(|l| pins(&l));
        assert_eq!(read("flask==\\\n    3.0.0\n").unwrap(), ["flask@3.0.0"]);
        assert_eq!(
            read("flask==3.0.0 --hash=sha256:abc;#x\n").unwrap(),
            ["flask@3.0.0"]
        );
        assert_eq!(
            read("flask==3.0.0\t--hash=sha256:abc\n").unwrap(),
            ["flask@3.0.0"]
        );
        assert_eq!(
            read("flask==3.0.0 \\\r\n    --hash=sha256:abc\r\n").unwrap(),
            ["flask@3.0.0"]
        );
        assert_eq!(
            read("flask == 3.0.0 ; python_version > '3'\n").unwrap(),
            ["flask@3.0.0"]
        );
        assert_eq!(
            read("flask==${FLASK_VERSION}\nidna==3.7\n").unwrap(),
            ["idna@3.7"]
        );
        for (text, message, column) in [
            // A backslash with a space after it continues nothing.
            (
                "flask==3.0.0 \\ \n  --hash=sha256:abc\n",
                "unexpected `\\`",
                14,
            ),
            (
                "flask==3.0.0 junk\n",
                "unexpected `junk` after the version",
                14,
            ),
            (
                "idna==3.7\nflask>=2,<3 x\n",
                "unexpected `x` after the version",
                13,
            ),
        ] {
            let e = read(text).unwrap_err();
            assert!(e.message.contains(message), "{text:?}: {e}");
            assert_eq!(e.column, Some(column), "{text:?}: {e}");
        }
    }
}
