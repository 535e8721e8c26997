//! yarn 1's lockfile text format (`# yarn lockfile v1`).
//!
//! An entry starts at column 1 with its specifiers, comma-joined and quoted where they
//! hold special characters, and ends with `:`:
//!
//! ```text
//! "@babel/core@^7.0.0", "@babel/core@^7.1.0":
//!   version "7.1.2"
//!   resolved "https://..."
//!   dependencies:
//!     debug "^4.1.0"
//! ```
//!
//! Fields are indented by two spaces per level; `key:` opens a nested map. The lockfile
//! records neither the project's own package.json nor workspace members (they are
//! symlinked, not locked), so it has no workspace folders; a `file:` folder dependency
//! is the project's own code and its dependencies are direct ones.

use super::{alias_target, at, is_tarball_path, split_descriptor};
use crate::lockfile::{Lockfile, ParseError};
use std::collections::BTreeSet;

/// One entry while it is read.
struct Entry {
    line: usize,
    keys: Vec<String>,
    version: Option<String>,
    /// Names under `dependencies` / `optionalDependencies`.
    dependencies: Vec<String>,
}

pub fn parse(text: &str) -> Result<Lockfile, ParseError> {
    let mut packages = BTreeSet::new();
    let mut direct = BTreeSet::new();
    let mut entry: Option<Entry> = None;
    // The deepest level the next line may have, and the map that level-2 lines are in.
    let mut max_level = 0;
    let mut nested_in_dependencies = false;

    for (i, raw) in text.split('\n').enumerate() {
        let line_no = i + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        if content.starts_with('\t') {
            return Err(at("tab in indentation", line_no, indent + 1));
        }
        if indent % 2 != 0 || indent / 2 > max_level {
            return Err(at("unexpected indentation", line_no, indent + 1));
        }
        let level = indent / 2;
        let mut cur = Cursor {
            line: content,
            pos: 0,
            line_no,
            offset: indent,
        };
        if level == 0 {
            if let Some(done) = entry.take() {
                finish(done, &mut packages, &mut direct)?;
            }
            entry = Some(Entry {
                line: line_no,
                keys: cur.header()?,
                version: None,
                dependencies: Vec::new(),
            });
            max_level = 1;
            continue;
        }
        let Some(current) = entry.as_mut() else {
            return Err(at("indented line outside an entry", line_no, 1));
        };
        let key = cur.token()?;
        cur.skip_spaces();
        if cur.peek() == Some(':') {
            cur.pos += 1;
            cur.expect_end()?;
            max_level = level + 1;
            if level == 1 {
                nested_in_dependencies = key == "dependencies" || key == "optionalDependencies";
            }
            continue;
        }
        if cur.pos == 0 || cur.at_end() || !cur.line[..cur.pos].ends_with(' ') {
            return Err(cur.error("expected a value or `:` after the key"));
        }
        let value = cur.value()?;
        max_level = level;
        match level {
            1 if key == "version" => current.version = Some(value),
            2 if nested_in_dependencies => current.dependencies.push(key),
            _ => {}
        }
    }
    if let Some(done) = entry.take() {
        finish(done, &mut packages, &mut direct)?;
    }
    Ok(Lockfile::from_sets(packages, direct))
}

/// Turns a complete entry into its package, or into direct dependencies for a folder of
/// the project itself.
fn finish(
    entry: Entry,
    packages: &mut BTreeSet<(String, String)>,
    direct: &mut BTreeSet<String>,
) -> Result<(), ParseError> {
    let first = &entry.keys[0];
    let Some((name, range)) = split_descriptor(first) else {
        return Err(at(
            format!("`{first}` is not a `name@range` specifier"),
            entry.line,
            1,
        ));
    };
    let own_folder = range.starts_with("link:")
        || range
            .strip_prefix("file:")
            .is_some_and(|path| !is_tarball_path(path));
    if own_folder {
        direct.extend(entry.dependencies);
        return Ok(());
    }
    let Some(version) = entry.version else {
        return Err(at(
            format!("entry `{first}` has no `version`"),
            entry.line,
            1,
        ));
    };
    let real = alias_target(range).unwrap_or(name);
    packages.insert((real.to_string(), version));
    Ok(())
}

/// Reads the tokens of one line; `offset` is the indentation cut off before `line`.
struct Cursor<'a> {
    line: &'a str,
    pos: usize,
    line_no: usize,
    offset: usize,
}

impl Cursor<'_> {
    fn error(&self, message: impl Into<String>) -> ParseError {
        at(message, self.line_no, self.offset + self.pos + 1)
    }

    fn peek(&self) -> Option<char> {
        self.line[self.pos..].chars().next()
    }

    fn at_end(&self) -> bool {
        self.line[self.pos..].trim().is_empty()
    }

    fn skip_spaces(&mut self) {
        let rest = &self.line[self.pos..];
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn expect_end(&mut self) -> Result<(), ParseError> {
        self.skip_spaces();
        if self.at_end() {
            Ok(())
        } else {
            Err(self.error("unexpected text after `:`"))
        }
    }

    /// `key, "key", key:` (the specifiers of an entry).
    fn header(&mut self) -> Result<Vec<String>, ParseError> {
        let mut keys = Vec::new();
        loop {
            keys.push(self.token()?);
            self.skip_spaces();
            match self.peek() {
                Some(',') => {
                    self.pos += 1;
                    self.skip_spaces();
                }
                Some(':') => {
                    self.pos += 1;
                    self.expect_end()?;
                    return Ok(keys);
                }
                _ => return Err(self.error("expected `,` or `:` after a specifier")),
            }
        }
    }

    /// A quoted string, or a bare word up to a space, `:`, `,` or `"`.
    fn token(&mut self) -> Result<String, ParseError> {
        if self.peek() == Some('"') {
            return self.quoted();
        }
        let rest = &self.line[self.pos..];
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '"'))
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(self.error("expected a key"));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    /// A field's value: a quoted string, or the bare rest of the line.
    fn value(&mut self) -> Result<String, ParseError> {
        if self.peek() == Some('"') {
            let s = self.quoted()?;
            if !self.at_end() {
                return Err(self.error("unexpected text after the value"));
            }
            return Ok(s);
        }
        let v = self.line[self.pos..].trim_end().to_string();
        self.pos = self.line.len();
        Ok(v)
    }

    /// A JSON-style double-quoted string.
    fn quoted(&mut self) -> Result<String, ParseError> {
        let rest = &self.line[self.pos..];
        let mut escaped = false;
        for (i, c) in rest.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => {
                    let s: String = serde_json::from_str(&rest[..=i])
                        .map_err(|e| self.error(format!("bad string: {e}")))?;
                    self.pos += i + 1;
                    return Ok(s);
                }
                _ => {}
            }
        }
        Err(self.error("unterminated string"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::names;
    use super::*;

    const LOCK: &str = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@sindresorhus/is@4.6.0", "@sindresorhus/is@^4.0.0":
  version "4.6.0"
  resolved "https://registry.example.invalid/@sindresorhus/is/-/is-4.6.0.tgz#abc"
  integrity sha512-t09vSN3MdfsyCHoFcTRCH/iUtG7OJ0CsjzB8cjAmKc/va/kIgeDI/TxsigdncE/4be734m0cvIYwNaV4i2XqAw==

debug@2.6.9, debug@^2.2.0:
  version "2.6.9"
  dependencies:
    ms "2.0.0"

debug@4.3.4:
  version "4.3.4"
  optionalDependencies:
    "@types/x" "^1"

"l4@npm:@acme/lodash@4.17.20":
  version "4.17.20"

"local-lib@file:./local-lib":
  version "0.1.0"
  dependencies:
    vary "1.1.2"

"vendored@file:./vendor/vendored-1.0.0.tgz":
  version "1.0.0"

"safer-buffer@>= 2.1.2 < 3":
  version 2.1.2
  optional true

"tiny-git-dep@git://127.0.0.1:19418/tiny-git-dep#v0.3.1":
  version "0.3.1"
  resolved "git://127.0.0.1:19418/tiny-git-dep#5fdfc014f3fd8020ddd908b8dcea5ced98b45931"
"#;

    #[test]
    fn reads_specifiers_aliases_and_local_folders() {
        let l = parse(LOCK).unwrap();
        assert_eq!(
            names(&l),
            [
                "@acme/lodash@4.17.20",
                "@sindresorhus/is@4.6.0",
                "debug@2.6.9",
                "debug@4.3.4",
                "safer-buffer@2.1.2",
                "tiny-git-dep@0.3.1",
                "vendored@1.0.0",
            ]
        );
        assert_eq!(l.recorded_direct, ["vary"]);
        assert!(l.workspace_dirs.is_empty());
        // CRLF line ends read the same.
        let crlf = parse(&LOCK.replace('\n', "\r\n")).unwrap();
        assert_eq!(names(&crlf), names(&l));
    }

    #[test]
    fn empty_and_comment_only_lockfiles_have_no_packages() {
        assert!(parse("").unwrap().packages.is_empty());
        assert!(parse("# yarn lockfile v1\n\n").unwrap().packages.is_empty());
    }

    #[test]
    fn errors_have_positions() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            // Cut off inside a string.
            (
                "a@1:\n  version \"1.0.0\"\n  resolved \"https://x",
                (3, 12),
                "unterminated",
            ),
            // Cut off after the header.
            ("a@1:\n  version \"1\"\nb@2:\n", (3, 1), "no `version`"),
            ("a@1\n", (1, 4), "expected `,` or `:`"),
            ("a@1, :\n", (1, 6), "expected a key"),
            ("a@1:\n    version \"1\"\n", (2, 5), "indentation"),
            ("a@1:\n   version \"1\"\n", (2, 4), "indentation"),
            ("  version \"1\"\n", (1, 3), "indentation"),
            ("a@1:\n  version\n", (2, 10), "expected a value"),
            ("a@1:\n  version \"1\" x\n", (2, 14), "after the value"),
            ("a@1:\n  dependencies: x\n", (2, 17), "after `:`"),
            ("a@1:\n\tversion \"1\"\n", (2, 1), "tab"),
            ("a:\n  version \"1\"\n", (1, 1), "not a `name@range`"),
            ("{\"lockfileVersion\": 3}\n", (1, 2), "expected `,` or `:`"),
            ("a@1:\n  version \"\\x\"\n", (2, 11), "bad string"),
        ];
        for (text, (line, column), message) in cases {
            let err = parse(text).unwrap_err();
            assert_eq!(
                (err.line, err.column),
                (Some(*line), Some(*column)),
                "{text:?}: {err}"
            );
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }
}
