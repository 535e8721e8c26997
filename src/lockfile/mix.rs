//! Elixir Mix's `mix.lock`: an Elixir map literal, read with a small term reader.
//!
//! ```text
//! %{
//!   "plug": {:hex, :plug, "1.16.1", "<checksum>", [:mix], [{:mime, "~> 1.0 or ~> 2.0", [hex: :mime, repo: "hexpm", optional: false]}], "hexpm", "<checksum>"},
//!   "finch": {:git, "https://git.example.invalid/finch.git", "<commit>", [branch: "main"]},
//! }
//! ```
//!
//! - A `:hex` entry is the hex package named by its second element, at its third.
//! - A `:git` (or other SCM) entry is reported under its key, with the locked commit as its
//!   version (a moved commit is a change of kind `other`).
//! - mix.lock does not say which dependencies are direct: mix.exs does (src/manifest/mix.rs).

use super::{Lockfile, ParseError};
use std::collections::BTreeSet;

/// The terms a mix.lock holds.
#[derive(Debug, PartialEq)]
enum Term {
    Str(String),
    Atom(String),
    Other,
    Tuple(Vec<Term>),
    List(Vec<Term>),
    /// `%{k => v}` or `%{"k": v}`, in order.
    Map(Vec<(Term, Term)>),
}

/// Nesting deeper than this is not a mix.lock (and would risk the stack).
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    text: &'a str,
    pos: usize,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let text = super::text(bytes)?;
    let mut r = Reader { text, pos: 0 };
    r.skip_space();
    if !r.eat("%{") {
        // Not a map: read the term for the position of any syntax error in it.
        r.term(0)?;
        return Err(ParseError::at(
            1,
            1,
            "not a mix.lock: expected a map `%{...}`",
        ));
    }
    // One entry at a time: its term is dropped once its package is taken, so the terms of
    // the whole file (each entry's dependency lists) are never held at once.
    let mut packages = BTreeSet::new();
    let mut rejected = Vec::new();
    r.sequence("}", 0, |r, depth| {
        r.skip_space();
        let start = r.error("");
        let (key, value) = r.map_entry(depth)?;
        match package(key, value) {
            Ok(Some(package)) => {
                packages.insert(package);
            }
            Ok(None) => {}
            Err(message) => rejected.push(ParseError { message, ..start }),
        }
        Ok(())
    })?;
    r.skip_space();
    if r.pos < text.len() {
        return Err(r.error("unexpected text after the map"));
    }
    let mut lock = Lockfile::from_sets(packages, BTreeSet::new());
    lock.rejected = rejected;
    Ok(lock)
}

/// The package of one entry: `(name, version)`, `None` for an entry of another shape, or
/// why a package entry (`{:hex, ...}`, `{:git, ...}`) has no version to read.
fn package(key: Term, value: Term) -> Result<Option<(String, String)>, String> {
    let (Term::Str(key) | Term::Atom(key)) = key else {
        return Ok(None);
    };
    let Term::Tuple(items) = value else {
        return Ok(None);
    };
    let mut items = items.into_iter();
    match (items.next(), items.next(), items.next()) {
        (Some(Term::Atom(scm)), Some(Term::Atom(name)), Some(Term::Str(version)))
            if scm == "hex" =>
        {
            Ok(Some((name, version)))
        }
        (Some(Term::Atom(_)), Some(_), Some(Term::Str(reference))) => Ok(Some((key, reference))),
        (Some(Term::Atom(scm)), Some(_), _) => Err(format!(
            "`{key}`: the third element of its {scm} entry, its version, is not a string; the entry is left out"
        )),
        _ => Ok(None),
    }
}

impl<'a> Reader<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn error(&self, message: &str) -> ParseError {
        let before = &self.text[..self.pos];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        ParseError::at(line, column, message)
    }

    fn skip_space(&mut self) {
        loop {
            let trimmed = self.rest().trim_start();
            self.pos = self.text.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn term(&mut self, depth: usize) -> Result<Term, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("terms nested too deeply"));
        }
        self.skip_space();
        if self.eat("%{") {
            let mut entries = Vec::new();
            self.sequence("}", depth, |r, depth| {
                let (key, value) = r.map_entry(depth)?;
                entries.push((key, value));
                Ok(())
            })?;
            return Ok(Term::Map(entries));
        }
        if self.eat("{") {
            let mut items = Vec::new();
            self.sequence("}", depth, |r, depth| {
                items.push(r.term(depth + 1)?);
                Ok(())
            })?;
            return Ok(Term::Tuple(items));
        }
        if self.eat("[") {
            let mut items = Vec::new();
            self.sequence("]", depth, |r, depth| {
                // A keyword item `name: value` is the tuple `{:name, value}`.
                if let Some(key) = r.keyword_key()? {
                    let value = r.term(depth + 1)?;
                    items.push(Term::Tuple(vec![Term::Atom(key), value]));
                } else {
                    items.push(r.term(depth + 1)?);
                }
                Ok(())
            })?;
            return Ok(Term::List(items));
        }
        if self.rest().starts_with('"') {
            return Ok(Term::Str(self.string()?));
        }
        if let Some(atom) = self.rest().strip_prefix(':') {
            if atom.starts_with('"') {
                self.pos += 1;
                return Ok(Term::Atom(self.string()?));
            }
            let len = word_len(atom);
            if len == 0 {
                return Err(self.error("expected an atom after `:`"));
            }
            self.pos += 1 + len;
            return Ok(Term::Atom(atom[..len].to_string()));
        }
        let len = word_len(self.rest());
        if len == 0 {
            return Err(self.error(if self.rest().is_empty() {
                "unexpected end of file: truncated mix.lock?"
            } else {
                "expected a term"
            }));
        }
        // Numbers, true/false/nil, aliases: nothing the package list needs.
        self.pos += len;
        Ok(Term::Other)
    }

    /// Items separated by commas (a trailing one allowed) up to `close`.
    fn sequence(
        &mut self,
        close: &str,
        depth: usize,
        mut item: impl FnMut(&mut Self, usize) -> Result<(), ParseError>,
    ) -> Result<(), ParseError> {
        loop {
            if self.eat(close) {
                return Ok(());
            }
            item(self, depth + 1)?;
            if !self.eat(",") {
                if self.eat(close) {
                    return Ok(());
                }
                return Err(self.error(&format!("expected `,` or `{close}`")));
            }
        }
    }

    /// `"key": value`, `key: value` or `key => value`.
    fn map_entry(&mut self, depth: usize) -> Result<(Term, Term), ParseError> {
        self.skip_space();
        if let Some(key) = self.keyword_key()? {
            return Ok((Term::Atom(key), self.term(depth + 1)?));
        }
        let key = self.term(depth + 1)?;
        if !self.eat("=>") {
            return Err(self.error("expected `=>` in a map"));
        }
        Ok((key, self.term(depth + 1)?))
    }

    /// A keyword key, `name:` or `"name":` (followed by a space), if one starts here.
    fn keyword_key(&mut self) -> Result<Option<String>, ParseError> {
        self.skip_space();
        let start = self.pos;
        let key = if self.rest().starts_with('"') {
            self.string()?
        } else {
            let len = word_len(self.rest());
            self.pos += len;
            self.text[start..self.pos].to_string()
        };
        let after = self.rest();
        if !key.is_empty()
            && after.starts_with(':')
            && after[1..].starts_with(|c: char| c.is_whitespace())
        {
            self.pos += 1;
            return Ok(Some(key));
        }
        self.pos = start;
        Ok(None)
    }

    /// A `"..."` string with Elixir's backslash escapes (interpolation is not used in
    /// lockfiles).
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        let mut value = String::new();
        let body = &self.rest()[1..];
        let mut i = 0;
        while let Some(c) = body[i..].chars().next() {
            i += c.len_utf8();
            match c {
                '"' => {
                    self.pos += 1 + i;
                    return Ok(value);
                }
                '\\' => {
                    let Some((decoded, len)) = escape(&body[i..]) else {
                        // At the backslash: after the opening quote, one back from `i`.
                        self.pos += i;
                        return Err(self.error("not an Elixir string escape"));
                    };
                    value.push(decoded);
                    i += len;
                }
                _ => value.push(c),
            }
        }
        self.pos = start;
        Err(self.error("unterminated string"))
    }
}

/// The character an escape after `\\` stands for, and how many bytes it takes: `\\n`,
/// `\\xHH`, `\\x{H..}`, `\\uHHHH`, `\\u{H..}`, and any other character for itself.
fn escape(s: &str) -> Option<(char, usize)> {
    let c = s.chars().next()?;
    let simple = match c {
        '0' => Some('\0'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'd' => Some('\u{7f}'),
        'e' => Some('\u{1b}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        's' => Some(' '),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        'x' | 'u' => None,
        other => Some(other),
    };
    if let Some(decoded) = simple {
        return Some((decoded, c.len_utf8()));
    }
    let rest = &s[1..];
    let (hex, len) = match rest.strip_prefix('{') {
        Some(braced) => {
            let end = braced.find('}')?;
            (&braced[..end], end + 2)
        }
        None => {
            let n = if c == 'x' { 2 } else { 4 };
            (rest.get(..n)?, n)
        }
    };
    if hex.is_empty() || hex.len() > 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let decoded = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((decoded, 1 + len))
}

/// Length of an identifier-like word (letters, digits, `_`, `.`, `?`, `!`, `@`).
fn word_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '?' | '!' | '@')))
        .unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_git_entries() {
        let l = parse(
            br#"%{
  "bandit": {:hex, :bandit, "1.5.0", "3bc8", [:mix], [{:hpax, "~> 0.1.1", [hex: :hpax, repo: "hexpm", optional: false]}], "hexpm", "92d1"},
  "ssl_verify": {:hex, :ssl_verify_fun, "1.1.7", "354c", [:make, :mix, :rebar3], [], "hexpm", "fe4c"},
  "finch": {:git, "https://git.example.invalid/finch.git", "0123456789abcdef0123456789abcdef01234567", [branch: "main"]},
  # a comment
  "odd \"key\"": {:hex, :odd, "0.1.0-rc.1", "00", [:mix], [], "hexpm", "00"},
}
"#,
        )
        .unwrap();
        assert_eq!(
            crate::lockfile::listing(&l),
            [
                "bandit 1.5.0",
                "finch 0123456789abcdef0123456789abcdef01234567",
                "odd 0.1.0-rc.1",
                "ssl_verify_fun 1.1.7"
            ]
        );
        assert!(parse(b"%{}").unwrap().packages.is_empty());
        assert!(parse(b"%{\"a\" => {:hex, :a, \"1.0.0\"}}").is_ok());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse(b"%{\n  \"a\": {:hex, :a, \"1.0.0\"\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        let e = parse(b"%{\n  \"a\": {:hex :a}\n}").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(14)), "{e}");
        let e = parse(b"{\"lockfileVersion\": 3}").unwrap_err();
        assert!(e.line.is_some());
        let e = parse(b"%{\"a\": \"unterminated}").unwrap_err();
        assert!(e.message.contains("unterminated"));
        assert!(parse(b"").is_err());
        assert!(parse(b"%{} extra").is_err());
        let deep = format!("%{{\"a\": {}{}}}", "[".repeat(500), "]".repeat(500));
        assert!(parse(deep.as_bytes())
            .unwrap_err()
            .message
            .contains("deeply"));
    }
}
