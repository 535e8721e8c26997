//! A fast reader for the plain subset of YAML that lockfile writers emit (pnpm, yarn Berry,
//! pub): block mappings, block sequences of scalars, one-line flow mappings and sequences,
//! plain and quoted scalars, and whole-line comments. It deserialises straight from the
//! text with serde, borrowing the strings, with no document tree in between.
//!
//! Anything outside that subset gives `None`, and the caller parses the file with the full
//! YAML parser, which also writes the error messages: anchors, tags, block and multi-line
//! scalars, escapes in double quotes, several documents, tabs, CR line ends, duplicate keys,
//! a plain scalar whose type is not clear-cut (`0x1F`, `1_000`, `yes`, `1e3`, `010`), a
//! scalar where the caller wants a map, and every syntax error. So a file this reader
//! accepts is read exactly as the full parser reads it, and only faster.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// The value read from the text, or `None` when the text is outside the subset (or is not
/// what `T` expects): then the full parser decides.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Option<T> {
    if text.contains(['\r', '\t']) || text.starts_with('\u{feff}') {
        return None;
    }
    let mut r = Reader::new(text);
    if r.peek()?.indent != 0 {
        return None;
    }
    let value = T::deserialize(Value {
        r: &mut r,
        parent: None,
        inline: None,
    })
    .ok()?;
    r.peek().is_none().then_some(value)
}

/// Outside the subset, or not the expected shape: the caller falls back.
#[derive(Debug)]
pub(super) struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("outside the plain YAML subset")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Bail
    }
}

type Result<T> = std::result::Result<T, Bail>;

/// How deep collections may nest, block and flow each: reading recurses once per level, so
/// deeper input would overflow the stack. Past this the full parser reads the file, and
/// refuses it with a position (it allows as many levels, so nothing it reads is lost).
const MAX_DEPTH: usize = super::yaml_full::MAX_DEPTH;

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    /// The last `peek`, for the position it was made at: a line is looked at several times.
    last: Cell<Option<(usize, Option<Line<'a>>)>>,
    /// Key lists of finished mappings, cleared, for the next mappings to reuse.
    spare: Vec<Vec<Cow<'a, str>>>,
    /// Block collections open around the current line.
    depth: usize,
}

/// A line that is neither blank nor a comment.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    body: &'a str,
    next: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            text,
            pos: 0,
            last: Cell::new(None),
            spare: Vec::new(),
            depth: 0,
        }
    }

    fn peek(&self) -> Option<Line<'a>> {
        if let Some((at, line)) = self.last.get() {
            if at == self.pos {
                return line;
            }
        }
        let line = self.scan();
        self.last.set(Some((self.pos, line)));
        line
    }

    fn scan(&self) -> Option<Line<'a>> {
        let mut pos = self.pos;
        let bytes = self.text.as_bytes();
        while pos < bytes.len() {
            let end = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            let line = &self.text[pos..end];
            let next = (end + 1).min(bytes.len());
            let body = line.trim_start_matches(' ');
            let indent = line.len() - body.len();
            let body = body.trim_end_matches(' ');
            if !body.is_empty() && !body.starts_with('#') {
                return Some(Line { indent, body, next });
            }
            pos = next;
        }
        None
    }
}

/// A scalar as written: plain (its type follows from its text) or quoted (a string).
#[derive(Clone)]
enum Scalar<'a> {
    Plain(&'a str),
    Quoted(Cow<'a, str>),
}

impl<'a> Scalar<'a> {
    fn text(&self) -> &str {
        match self {
            Scalar::Plain(s) => s,
            Scalar::Quoted(s) => s,
        }
    }
}

/// A quoted scalar at the start of `s`: the string and the rest after the closing quote.
pub(super) fn quoted(s: &str) -> Result<(Cow<'_, str>, &str)> {
    match s.as_bytes().first() {
        Some(b'"') => {
            let end = s[1..].find(['"', '\\']).ok_or(Bail)? + 1;
            if s.as_bytes()[end] == b'\\' {
                return Err(Bail);
            }
            Ok((Cow::Borrowed(&s[1..end]), &s[end + 1..]))
        }
        Some(b'\'') => {
            let mut owned: Option<String> = None;
            let mut start = 1;
            loop {
                let q = start + s[start..].find('\'').ok_or(Bail)?;
                if s.as_bytes().get(q + 1) == Some(&b'\'') {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&s[start..=q]);
                    start = q + 2;
                    continue;
                }
                let value = match owned {
                    Some(mut o) => {
                        o.push_str(&s[start..q]);
                        Cow::Owned(o)
                    }
                    None => Cow::Borrowed(&s[1..q]),
                };
                return Ok((value, &s[q + 1..]));
            }
        }
        _ => Err(Bail),
    }
}

/// Characters that may not start a plain scalar (or that this reader leaves to the full
/// parser there).
pub(super) fn plain_start_ok(s: &str) -> bool {
    s.as_bytes()
        .first()
        .is_some_and(|b| !b"-?:,[]{}#&*!|>'\"%@`".contains(b))
}

/// `key: value` or `key:` in a block mapping: the key and the value text (empty when the
/// value is a nested block or null).
fn entry(body: &str) -> Result<(Scalar<'_>, &str)> {
    let (key, rest) = if body.starts_with(['"', '\'']) {
        let (k, rest) = quoted(body)?;
        (Scalar::Quoted(k), rest)
    } else {
        if !plain_start_ok(body) {
            return Err(Bail);
        }
        let colon = body
            .match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| matches!(body.as_bytes().get(i + 1), None | Some(b' ')))
            .ok_or(Bail)?;
        let key = &body[..colon];
        if key.ends_with(' ') || key.contains(" #") {
            return Err(Bail);
        }
        (Scalar::Plain(key), &body[colon..])
    };
    let rest = rest.strip_prefix(':').ok_or(Bail)?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return Err(Bail);
    }
    let value = rest.trim_start_matches(' ');
    if value.starts_with('#') {
        return Err(Bail);
    }
    Ok((key, value))
}

/// A value written on its key's line (or after `- `), in block context.
fn inline_scalar(text: &str) -> Result<Scalar<'_>> {
    if text.starts_with(['"', '\'']) {
        let (s, rest) = quoted(text)?;
        if !rest.trim_start_matches(' ').is_empty() {
            return Err(Bail);
        }
        return Ok(Scalar::Quoted(s));
    }
    if !plain_start_ok(text) || text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return Err(Bail);
    }
    Ok(Scalar::Plain(text))
}

/// Keys already seen in one mapping: a duplicate is left to the full parser. Writers sort
/// their keys, and while each key sorts after the one before, none can repeat: the set is
/// built only when the order breaks.
#[derive(Default)]
struct Seen<'a> {
    keys: Vec<Cow<'a, str>>,
    set: Option<HashSet<Cow<'a, str>, BuildHasherDefault<Mix>>>,
}

/// A fast multiply-and-rotate hash for the keys of one file (no defence against chosen
/// collisions is needed: the worst case is a slow read, never a wrong one).
#[derive(Default)]
pub(super) struct Mix(u64);

impl Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().unwrap_or_default()));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl Mix {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl<'a> Seen<'a> {
    fn insert(&mut self, key: Cow<'a, str>) -> Result<()> {
        if let Some(set) = &mut self.set {
            return if set.insert(key) { Ok(()) } else { Err(Bail) };
        }
        if self.keys.last().is_none_or(|last| *last < key) {
            self.keys.push(key);
            return Ok(());
        }
        let mut set = HashSet::with_capacity_and_hasher(self.keys.len() * 4, Default::default());
        set.extend(self.keys.drain(..));
        self.set.insert(set).insert(key).then_some(()).ok_or(Bail)
    }
}

/// A value in block context: written inline after its key, or the block below it (a
/// mapping or a sequence indented past `parent`), or nothing (null). At the top,
/// `parent` is `None` and the value is the mapping at column 0.
struct Value<'r, 'a> {
    r: &'r mut Reader<'a>,
    parent: Option<usize>,
    inline: Option<&'a str>,
}

impl<'de> de::Deserializer<'de> for Value<'_, 'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if let Some(text) = self.inline {
            return if text.starts_with(['{', '[']) {
                let mut flow = Flow {
                    s: text,
                    pos: 0,
                    depth: 0,
                };
                let value = (&mut flow).deserialize_any(visitor)?;
                flow.skip_spaces();
                if flow.pos == text.len() {
                    Ok(value)
                } else {
                    Err(Bail)
                }
            } else {
                ScalarDe(inline_scalar(text)?).deserialize_any(visitor)
            };
        }
        match self.r.peek() {
            Some(line) if self.parent.is_none_or(|p| line.indent > p) => {
                if self.r.depth >= MAX_DEPTH {
                    return Err(Bail);
                }
                self.r.depth += 1;
                let value = if line.body == "-" || line.body.starts_with("- ") {
                    visitor.visit_seq(BlockSeq {
                        r: &mut *self.r,
                        indent: line.indent,
                    })
                } else {
                    let keys = self.r.spare.pop().unwrap_or_default();
                    visitor.visit_map(BlockMap {
                        r: &mut *self.r,
                        indent: line.indent,
                        value: "",
                        seen: Seen { keys, set: None },
                    })
                };
                self.r.depth -= 1;
                value
            }
            _ => visitor.visit_unit(),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        let null = match self.inline {
            Some(text) if text.starts_with(['{', '[']) => false,
            Some(text) => matches!(inline_scalar(text)?, Scalar::Plain(p) if is_null(p)),
            None => !matches!(self.r.peek(), Some(l) if self.parent.is_none_or(|p| l.indent > p)),
        };
        if null {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.inline {
            Some(text) if !text.starts_with(['{', '[']) => {
                ScalarDe(inline_scalar(text)?).deserialize_str(visitor)
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct BlockMap<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    /// The inline value text of the key just read ("" for none).
    value: &'a str,
    seen: Seen<'a>,
}

impl Drop for BlockMap<'_, '_> {
    fn drop(&mut self) {
        let mut keys = std::mem::take(&mut self.seen.keys);
        keys.clear();
        self.r.spare.push(keys);
    }
}

impl<'de> MapAccess<'de> for BlockMap<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(line) = self.r.peek() else {
            return Ok(None);
        };
        if line.indent < self.indent {
            return Ok(None);
        }
        if line.indent > self.indent {
            return Err(Bail);
        }
        let (key, value) = entry(line.body)?;
        self.r.pos = line.next;
        self.value = value;
        let text = match &key {
            Scalar::Plain(p) => Cow::Borrowed(*p),
            Scalar::Quoted(q) => q.clone(),
        };
        self.seen.insert(text)?;
        seed.deserialize(ScalarDe(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let inline = (!self.value.is_empty()).then_some(self.value);
        seed.deserialize(Value {
            r: self.r,
            parent: Some(self.indent),
            inline,
        })
    }
}

/// A block sequence of scalars or flow values (`- item` lines).
struct BlockSeq<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
}

impl<'de> SeqAccess<'de> for BlockSeq<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let Some(line) = self.r.peek() else {
            return Ok(None);
        };
        if line.indent < self.indent {
            return Ok(None);
        }
        let item = line.body.strip_prefix("- ").ok_or(Bail)?;
        let item = item.trim_start_matches(' ');
        if line.indent > self.indent || item.is_empty() || entry(item).is_ok() {
            return Err(Bail);
        }
        self.r.pos = line.next;
        // The item's own lines would be indented past the dash: not in the subset.
        if self.r.peek().is_some_and(|l| l.indent > self.indent) {
            return Err(Bail);
        }
        let mut none = Reader::new("");
        seed.deserialize(Value {
            r: &mut none,
            parent: Some(0),
            inline: Some(item),
        })
        .map(Some)
    }
}

pub(super) fn is_null(s: &str) -> bool {
    matches!(s, "null" | "Null" | "NULL" | "~")
}

/// What a plain scalar is. `Unclear` is any text that YAML 1.1 or 1.2 might read as
/// something other than a string, beyond the plain forms below: left to the full parser.
pub(super) enum Kind {
    Null,
    Bool(bool),
    Int(u64),
    Float(f64),
    Str,
    Unclear,
}

pub(super) fn kind(s: &str) -> Kind {
    // Every null and boolean word is five letters or fewer, and numbers start otherwise.
    if s.len() > 5 && s.as_bytes()[0].is_ascii_alphabetic() {
        return Kind::Str;
    }
    if is_null(s) {
        return Kind::Null;
    }
    match s {
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        _ => {}
    }
    if ["y", "n", "yes", "no", "on", "off"]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
    {
        return Kind::Unclear;
    }
    let Some(first) = s.bytes().next() else {
        return Kind::Null;
    };
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Kind::Str;
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let no_leading_zero = |t: &str| t == "0" || !t.starts_with('0');
    if digits(s) && no_leading_zero(s) {
        return s.parse().map_or(Kind::Unclear, Kind::Int);
    }
    if let Some((int, frac)) = s.split_once('.') {
        if digits(int) && no_leading_zero(int) && digits(frac) {
            return s.parse().map_or(Kind::Unclear, Kind::Float);
        }
    }
    // Signs, `0x`/`0o`/`0b`, `_`, `:` (sexagesimal), exponents, `.5`, `1.`, `.inf`: forms
    // the YAML schemas disagree on. A dotted version (`4.17.20`) is no number in any.
    let t = s.trim_start_matches(['+', '-']);
    let lower = t.to_ascii_lowercase();
    if ["0x", "0o", "0b"].iter().any(|p| lower.starts_with(p)) || lower == ".inf" || lower == ".nan"
    {
        return Kind::Unclear;
    }
    let numberish = t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b"_:.eE+-".contains(&b));
    if numberish && t.bytes().filter(|&b| b == b'.').count() <= 1 {
        return Kind::Unclear;
    }
    Kind::Str
}

/// One scalar, as a serde deserializer.
struct ScalarDe<'a>(Scalar<'a>);

impl<'de> de::Deserializer<'de> for ScalarDe<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Scalar::Quoted(Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Scalar::Quoted(Cow::Owned(s)) => visitor.visit_string(s),
            Scalar::Plain(p) => match kind(p) {
                Kind::Null => visitor.visit_unit(),
                Kind::Bool(b) => visitor.visit_bool(b),
                Kind::Int(i) => visitor.visit_u64(i),
                Kind::Float(f) => visitor.visit_f64(f),
                Kind::Str => visitor.visit_borrowed_str(p),
                Kind::Unclear => Err(Bail),
            },
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.0 {
            Scalar::Plain(p) if !matches!(kind(p), Kind::Str) => Err(Bail),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match &self.0 {
            Scalar::Plain(p) if is_null(p) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

/// A one-line flow collection (`{a: b, c: 'd'}`, `[x64]`), read from `pos`.
struct Flow<'a> {
    s: &'a str,
    pos: usize,
    /// Flow collections open at `pos`.
    depth: usize,
}

impl<'a> Flow<'a> {
    fn skip_spaces(&mut self) {
        while self.s.as_bytes().get(self.pos) == Some(&b' ') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    /// A scalar inside a flow collection: quoted, or plain up to `,`, `]`, `}` or `: `.
    fn scalar(&mut self) -> Result<Scalar<'a>> {
        self.skip_spaces();
        let rest = &self.s[self.pos..];
        if rest.starts_with(['"', '\'']) {
            let (s, after) = quoted(rest)?;
            self.pos = self.s.len() - after.len();
            return Ok(Scalar::Quoted(s));
        }
        if !plain_start_ok(rest) {
            return Err(Bail);
        }
        let bytes = rest.as_bytes();
        let mut end = 0;
        loop {
            end += bytes[end..]
                .iter()
                .position(|b| b",][{}:#".contains(b))
                .unwrap_or(bytes.len() - end);
            match bytes.get(end) {
                Some(b':')
                    if !matches!(bytes.get(end + 1), None | Some(b' ' | b',' | b']' | b'}')) =>
                {
                    end += 1
                }
                Some(b'#') if end > 0 && bytes[end - 1] == b' ' => return Err(Bail),
                Some(b'#') => end += 1,
                _ => break,
            }
        }
        let text = rest[..end].trim_end_matches(' ');
        self.pos += end;
        Ok(Scalar::Plain(text))
    }

    /// The flow mapping or sequence that starts at `pos`.
    fn collection<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                self.skip_spaces();
                let empty = self.peek() == Some(b'}');
                let value = visitor.visit_map(FlowMap {
                    flow: self,
                    first: true,
                    done: empty,
                    seen: Seen::default(),
                })?;
                self.skip_spaces();
                if self.peek() != Some(b'}') {
                    return Err(Bail);
                }
                self.pos += 1;
                Ok(value)
            }
            Some(b'[') => {
                self.pos += 1;
                self.skip_spaces();
                let empty = self.peek() == Some(b']');
                let value = visitor.visit_seq(FlowSeq {
                    flow: self,
                    first: true,
                    done: empty,
                })?;
                self.skip_spaces();
                if self.peek() != Some(b']') {
                    return Err(Bail);
                }
                self.pos += 1;
                Ok(value)
            }
            _ => Err(Bail),
        }
    }

    /// After an entry: `,` (and another entry) or the closing bracket.
    fn separator(&mut self, close: u8) -> Result<bool> {
        self.skip_spaces();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                self.skip_spaces();
                if self.peek() == Some(close) {
                    return Err(Bail);
                }
                Ok(true)
            }
            Some(c) if c == close => Ok(false),
            _ => Err(Bail),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Flow<'de> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_spaces();
        if matches!(self.peek(), Some(b'{' | b'[')) {
            if self.depth >= MAX_DEPTH {
                return Err(Bail);
            }
            self.depth += 1;
            let value = self.collection(visitor);
            self.depth -= 1;
            return value;
        }
        let scalar = self.scalar()?;
        if scalar.text().is_empty() && matches!(scalar, Scalar::Plain(_)) {
            return Err(Bail);
        }
        ScalarDe(scalar).deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.skip_spaces();
        if matches!(self.peek(), Some(b'{' | b'[')) {
            return Err(Bail);
        }
        let scalar = self.scalar()?;
        ScalarDe(scalar).deserialize_str(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

struct FlowMap<'f, 'a> {
    flow: &'f mut Flow<'a>,
    first: bool,
    done: bool,
    seen: Seen<'a>,
}

impl<'de> MapAccess<'de> for FlowMap<'_, 'de> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.done || (!self.first && !self.flow.separator(b'}')?) {
            self.done = true;
            return Ok(None);
        }
        self.first = false;
        let key = self.flow.scalar()?;
        if key.text().is_empty() || self.flow.peek() != Some(b':') {
            return Err(Bail);
        }
        self.flow.pos += 1;
        let text = match &key {
            Scalar::Plain(p) => Cow::Borrowed(*p),
            Scalar::Quoted(q) => q.clone(),
        };
        self.seen.insert(text)?;
        seed.deserialize(ScalarDe(key)).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.flow)
    }
}

struct FlowSeq<'f, 'a> {
    flow: &'f mut Flow<'a>,
    first: bool,
    done: bool,
}

impl<'de> SeqAccess<'de> for FlowSeq<'_, 'de> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.done || (!self.first && !self.flow.separator(b']')?) {
            self.done = true;
            return Ok(None);
        }
        self.first = false;
        let value = seed.deserialize(&mut *self.flow)?;
        // `[a: b]` is a mapping inside the sequence: not in the subset.
        self.flow.skip_spaces();
        if self.flow.peek() == Some(b':') {
            return Err(Bail);
        }
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Doc {
        version: Option<String>,
        count: Option<u64>,
        f: Option<f64>,
        flag: Option<bool>,
        list: Option<Vec<String>>,
        map: Option<BTreeMap<String, String>>,
        none: Option<String>,
    }

    /// The fast reader and the full parser agree on every input the fast reader takes.
    fn same(text: &str) -> Option<Doc> {
        let fast: Option<Doc> = from_str(text);
        if let Some(f) = &fast {
            let full: Doc = serde_saphyr::from_str(text).expect("full parser");
            assert_eq!(f, &full, "{text}");
        }
        fast
    }

    #[test]
    fn reads_the_subset_as_the_full_parser_does() {
        let doc = same(
            "# c\nversion: 4.17.20\ncount: 8\nf: 5.4\nflag: true\nlist:\n  - a\n  - 'b''c'\n\
             map: {integrity: sha512-x==, node: '>= 0.8', npm: 1.2.8000 || >= 1.4.16}\n\
             none:\n",
        )
        .unwrap();
        assert_eq!(doc.version.as_deref(), Some("4.17.20"));
        assert_eq!(doc.count, Some(8));
        assert_eq!(doc.f, Some(5.4));
        assert_eq!(doc.list.unwrap(), ["a", "b'c"]);
        assert_eq!(doc.map.unwrap()["npm"], "1.2.8000 || >= 1.4.16");
        assert_eq!(doc.none, None);
        assert!(same("map:\n  \"@s/x@npm:1\": \"npm:^1\"\n  b: workspace:*\n").is_some());
        assert!(same("map: {}\nlist: [x64, arm64]\n").is_some());
    }

    #[test]
    fn leaves_the_rest_to_the_full_parser() {
        for text in [
            "version: &a 1.0.0\n",
            "version: |\n  x\n",
            "version: a\n  continued\n",
            "version: \"a\\tb\"\n",
            "---\nversion: a\n",
            "version: 0x1F\n",
            "version: 1e3\n",
            "version: yes\n",
            "version: 010\n",
            "version: 1\n",
            "version: a\nversion: b\n",
            "version: a # comment\n",
            "map:\n  a: b\n c: d\n",
            "list:\n  - a: b\n",
            "map: {a: b\n",
            "version:\r\n",
            "  version: a\n",
            "version: [a]\n",
            "",
        ] {
            assert!(from_str::<Doc>(text).is_none(), "{text:?}");
        }
    }

    /// Every YAML lockfile under testdata/ reads the same through both readers, and the
    /// fast one takes most of them.
    #[test]
    fn fixtures_read_the_same_both_ways() {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata"
        ))];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if path.is_dir() {
                    dirs.push(path);
                } else if ["pnpm-lock.yaml", "yarn.lock", "pubspec.lock"].contains(&name.as_str()) {
                    files.push(path);
                }
            }
        }
        let (mut fast_read, mut yaml) = (0, 0);
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let Ok(full) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
                assert!(from_str::<serde_json::Value>(&text).is_none(), "{path:?}");
                continue;
            };
            yaml += 1;
            if let Some(fast) = from_str::<serde_json::Value>(&text) {
                assert_eq!(fast, full, "{path:?}");
                fast_read += 1;
            }
        }
        assert!(yaml >= 10 && fast_read * 2 >= yaml, "{fast_read} of {yaml}");
    }
}
