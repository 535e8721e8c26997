//! Line-by-line reading of the block YAML that pnpm and yarn Berry write, for their
//! purpose-built readers (`pnpm/fast.rs`, `yarn/berry/fast.rs`): each line is split into
//! indent, key and value text, all borrowed from the input, with no tree and no map.
//!
//! Every function answers `None` for anything outside the shapes these writers use (tabs,
//! CR line ends, anchors, tags, block or multi-line scalars, escapes, nested flow
//! collections, comments after a value, duplicate keys...). The caller then reads the file
//! with the general YAML path, so a file these functions accept must mean exactly what the
//! general path reads from it, and anything unsure is refused.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// Nesting past this is not a lockfile (and the block walk recurses once per level).
const MAX_DEPTH: usize = 16;

/// The first `a` or `b` in `bytes`. Most lockfile lines and values are short, where a
/// plain loop beats setting up a vector search.
fn find2(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    if bytes.len() > 48 {
        return memchr::memchr2(a, b, bytes);
    }
    bytes.iter().position(|&c| c == a || c == b)
}

/// The end of the line starting at `pos`: its `\n`, or the end of the text.
fn line_end(bytes: &[u8], pos: usize) -> usize {
    let rest = &bytes[pos..];
    let head = &rest[..rest.len().min(48)];
    match head.iter().position(|&c| c == b'\n') {
        Some(i) => pos + i,
        None if rest.len() <= 48 => bytes.len(),
        None => memchr::memchr(b'\n', &rest[48..]).map_or(bytes.len(), |i| pos + 48 + i),
    }
}

/// A line that is neither blank nor a whole-line comment.
#[derive(Clone, Copy)]
pub(crate) struct Line<'a> {
    pub indent: usize,
    /// The line without its indent and trailing spaces.
    pub body: &'a str,
}

/// The lines of a text, with one line of look-ahead.
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
    /// The next line and the offset after it, once looked at.
    peeked: Option<(Line<'a>, usize)>,
}

impl<'a> Lines<'a> {
    /// The lines of `text` (LF or CRLF line ends), or `None` if it has characters that
    /// change how YAML splits lines or indents them (a lone CR, a tab, a byte-order mark).
    pub fn new(text: &'a str) -> Option<Self> {
        let bytes = text.as_bytes();
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        if lone_cr || memchr::memchr(b'\t', bytes).is_some() || text.starts_with('\u{feff}') {
            return None;
        }
        Some(Lines::at(text, 0))
    }

    /// Lines from a byte offset of a text `new` accepted (an offset `pos` returned).
    pub fn at(text: &'a str, pos: usize) -> Self {
        Lines {
            text,
            pos,
            peeked: None,
        }
    }

    /// The offset of the next line.
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn peek(&mut self) -> Option<Line<'a>> {
        if self.peeked.is_none() {
            self.peeked = self.scan();
        }
        self.peeked.map(|(line, _)| line)
    }

    /// Moves past the line `peek` gave.
    pub fn advance(&mut self) {
        if self.peeked.is_none() {
            self.peeked = self.scan();
        }
        if let Some((_, next)) = self.peeked.take() {
            self.pos = next;
        }
    }

    fn scan(&self) -> Option<(Line<'a>, usize)> {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        while pos < bytes.len() {
            let indent = bytes[pos..].iter().take_while(|&&b| b == b' ').count();
            let start = pos + indent;
            let end = line_end(bytes, start);
            let next = (end + 1).min(bytes.len());
            // Without the CR of a CRLF (`new` refused any other) and trailing spaces.
            let mut body_end = end;
            while body_end > start && matches!(bytes[body_end - 1], b' ' | b'\r') {
                body_end -= 1;
            }
            if body_end > start && bytes[start] != b'#' {
                let body = &self.text[start..body_end];
                return Some((Line { indent, body }, next));
            }
            pos = next;
        }
        None
    }
}

/// A quoted scalar at the start of `s` without escapes (`\\` in double quotes, `''` in
/// single ones): its text and the rest after the closing quote.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let bytes = s.as_bytes();
    let close = match bytes.first()? {
        b'"' => {
            let end = 1 + find2(&bytes[1..], b'"', b'\\')?;
            (bytes[end] == b'"').then_some(end)?
        }
        b'\'' => {
            let end = 1 + find2(&bytes[1..], b'\'', b'\'')?;
            (bytes.get(end + 1) != Some(&b'\'')).then_some(end)?
        }
        _ => return None,
    };
    Some((&s[1..close], &s[close + 1..]))
}

/// `key: value` or `key:` of a block mapping: the key (unquoted) and the value text, ""
/// when the value is the block below or null.
pub(crate) fn key_value(body: &str) -> Option<(&str, &str)> {
    let (key, rest) = if body.starts_with(['"', '\'']) {
        let (key, rest) = quoted(body)?;
        (key, rest.strip_prefix(':')?)
    } else {
        if !plain_start_ok(body) {
            return None;
        }
        // The key ends at the first `: ` (or `:` at the end); ` #` before it is a comment.
        let bytes = body.as_bytes();
        let mut at = 0;
        let colon = loop {
            let i = at + find2(&bytes[at..], b':', b'#')?;
            match bytes[i] {
                b':' if matches!(bytes.get(i + 1), None | Some(b' ')) => break i,
                b'#' if bytes[i - 1] == b' ' => return None,
                _ => at = i + 1,
            }
        };
        let key = &body[..colon];
        // `<<` merges another mapping into this one.
        if key.ends_with(' ') || key == "<<" || !plain_is_str(key) {
            return None;
        }
        (key, &body[colon + 1..])
    };
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    let value = rest.trim_start_matches(' ');
    if value.starts_with('#') {
        return None;
    }
    Some((key, value))
}

/// A value that is a string: quoted (without escapes), or plain text no YAML schema reads
/// as anything else.
pub(crate) fn string(value: &str) -> Option<&str> {
    match scalar(value)? {
        (s, true) => Some(s),
        (s, false) => plain_is_str(s).then_some(s),
    }
}

/// Whether a plain scalar is a string in every YAML schema. Versions (`1.21.13`) and long
/// words are answered at once; the rest is left to `kind`.
pub(crate) fn plain_is_str(s: &str) -> bool {
    let bytes = s.as_bytes();
    match bytes.first() {
        Some(b) if b.is_ascii_alphabetic() && bytes.len() > 5 => true,
        Some(b) if b.is_ascii_digit() => {
            let mut dots = 0;
            let dotted = bytes.iter().all(|&b| {
                dots += usize::from(b == b'.');
                b.is_ascii_digit() || b == b'.'
            });
            (dotted && dots >= 2) || matches!(kind(s), Kind::Str)
        }
        _ => matches!(kind(s), Kind::Str),
    }
}

/// A scalar written on its key's line: its text and whether it was quoted.
pub(crate) fn scalar(value: &str) -> Option<(&str, bool)> {
    if value.starts_with(['"', '\'']) {
        let (s, rest) = quoted(value)?;
        return rest.is_empty().then_some((s, true));
    }
    // No `: ` (a mapping), no ` #` (a comment), no `:` at the end.
    let bytes = value.as_bytes();
    let mut at = 0;
    if !plain_start_ok(value) {
        return None;
    }
    while let Some(i) = find2(&bytes[at..], b':', b'#').map(|i| at + i) {
        let bad = match bytes[i] {
            b':' => matches!(bytes.get(i + 1), None | Some(b' ')),
            _ => bytes[i - 1] == b' ',
        };
        if bad {
            return None;
        }
        at = i + 1;
    }
    Some((value, false))
}

/// Any value written on its key's line: a scalar or a one-line flow collection.
pub(crate) fn inline_value(value: &str) -> Option<()> {
    match value.as_bytes().first() {
        Some(b'{') => flow_map(value, |_, _| Some(())),
        Some(b'[') => flow_seq(value),
        _ => scalar(value).map(drop),
    }
}

/// A one-line flow mapping of scalars, `{a: b, c: 'd'}`: calls `each` with every key and
/// value (unquoted, and whether the value was quoted).
pub(crate) fn flow_map<'a>(
    value: &'a str,
    mut each: impl FnMut(&'a str, (&'a str, bool)) -> Option<()>,
) -> Option<()> {
    let inner = value
        .strip_prefix('{')?
        .strip_suffix('}')?
        .trim_matches(' ');
    let mut keys = Keys::default();
    let mut rest = inner;
    while !rest.is_empty() {
        let (key, after) = flow_scalar(rest)?;
        let after = after.strip_prefix(": ")?.trim_start_matches(' ');
        let (value, after) = flow_scalar(after)?;
        keys.insert(key.0)?;
        each(key.0, value)?;
        rest = match after.strip_prefix(',') {
            Some(more) => {
                let more = more.trim_start_matches(' ');
                // `{a: b,}` and `{a: b, }`: left to the general path.
                (!more.is_empty()).then_some(more)?
            }
            None if after.is_empty() => after,
            None => return None,
        };
    }
    Some(())
}

/// A one-line flow sequence of scalars, `[x64, arm64]`.
fn flow_seq(value: &str) -> Option<()> {
    let mut rest = value
        .strip_prefix('[')?
        .strip_suffix(']')?
        .trim_matches(' ');
    while !rest.is_empty() {
        let (_, after) = flow_scalar(rest)?;
        if after.starts_with(':') {
            return None;
        }
        rest = match after.strip_prefix(',') {
            Some(more) => (!more.trim_start_matches(' ').is_empty())
                .then_some(more.trim_start_matches(' '))?,
            None if after.is_empty() => after,
            None => return None,
        };
    }
    Some(())
}

/// The bytes that may end or break a plain scalar inside a flow collection.
static FLOW_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 7 {
        table[b",:#[]{}"[i] as usize] = true;
        i += 1;
    }
    table
};

/// A scalar at the start of flow text: (text, quoted) and the rest after it (spaces skipped).
fn flow_scalar(s: &str) -> Option<((&str, bool), &str)> {
    if s.starts_with(['"', '\'']) {
        let (v, rest) = quoted(s)?;
        return Some(((v, true), rest.trim_start_matches(' ')));
    }
    if !plain_start_ok(s) {
        return None;
    }
    let bytes = s.as_bytes();
    let mut at = 0;
    let end = loop {
        let Some(i) = bytes[at..]
            .iter()
            .position(|&c| FLOW_SPECIAL[usize::from(c)])
        else {
            break bytes.len();
        };
        let i = at + i;
        match bytes[i] {
            b',' => break i,
            b'[' | b']' | b'{' | b'}' => return None,
            b':' if matches!(bytes.get(i + 1), None | Some(b' ' | b',')) => break i,
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            _ => at = i + 1,
        }
    };
    let text = s[..end].trim_end_matches(' ');
    (!text.is_empty()).then_some(((text, false), &s[end..]))
}

/// The keys of one mapping, to refuse duplicates (the general path rejects them). Writers
/// sort their keys, so while each key sorts after the last, none can repeat; past that the
/// keys are compared one by one while there are few, and a long unsorted mapping is
/// `undecided`: its caller collects and sorts its keys.
#[derive(Default)]
pub(crate) struct Keys<'a> {
    recent: [&'a str; 16],
    count: usize,
    sorted: bool,
    pub undecided: bool,
}

impl<'a> Keys<'a> {
    /// Takes a key; `None` if it repeats one before it.
    pub fn insert(&mut self, key: &'a str) -> Option<()> {
        if self.count == 0 {
            self.sorted = true;
        } else if !self.sorted || !after(key, self.recent[(self.count - 1) % 16]) {
            self.sorted = false;
            if self.count > 16 {
                self.undecided = true;
            } else if self.recent[..self.count].contains(&key) {
                return None;
            }
        }
        self.recent[self.count % 16] = key;
        self.count += 1;
        Some(())
    }
}

/// Whether `key` sorts after `last`: most neighbours differ in their first eight bytes,
/// compared as one number before any byte-wise comparison.
fn after(key: &str, last: &str) -> bool {
    fn prefix(s: &str) -> u64 {
        let mut word = [0u8; 8];
        let n = s.len().min(8);
        word[..n].copy_from_slice(&s.as_bytes()[..n]);
        u64::from_be_bytes(word)
    }
    match prefix(key).cmp(&prefix(last)) {
        std::cmp::Ordering::Equal => key > last,
        order => order.is_gt(),
    }
}

/// Whether the keys are all different: a check in order when the writer sorted them (as
/// yarn and pnpm do), else a hash set.
pub(crate) fn all_distinct<'a, I: Iterator<Item = &'a str> + Clone>(keys: I) -> bool {
    if keys
        .clone()
        .zip(keys.clone().skip(1))
        .all(|(a, b)| after(b, a))
    {
        return true;
    }
    let mut set: HashSet<&str, BuildHasherDefault<Mix>> =
        HashSet::with_capacity_and_hasher(keys.size_hint().0, Default::default());
    keys.into_iter().all(|k| set.insert(k))
}

/// Whether the keys of the mapping at `indent` starting at offset `start` are distinct.
fn distinct_keys(text: &str, start: usize, min: usize, indent: usize) -> bool {
    let mut lines = Lines::at(text, start);
    let mut keys = Vec::new();
    while let Some(line) = lines.peek().filter(|l| l.indent >= min) {
        lines.advance();
        if line.indent == indent {
            keys.extend(key_value(line.body).map(|(k, _)| k));
        }
    }
    keys.sort_unstable();
    keys.windows(2).all(|w| w[0] != w[1])
}

/// Walks the block mapping of the lines indented `min` or more (the block below a key at
/// indent `min - 1`; 0 for the whole document). For each key, `each(lines, key, value,
/// indent)` reads what it wants: `Some(true)` when it has read the value (and the block
/// below it) itself, `Some(false)` to have it checked and skipped here. Duplicate keys are
/// refused here when `check_keys`; otherwise the caller checks them (a long section whose
/// writer does not sort its keys).
pub(crate) fn mapping<'a>(
    lines: &mut Lines<'a>,
    min: usize,
    check_keys: bool,
    mut each: impl FnMut(&mut Lines<'a>, &'a str, &'a str, usize) -> Option<bool>,
) -> Option<()> {
    let Some(first) = lines.peek().filter(|l| l.indent >= min) else {
        return Some(());
    };
    let indent = first.indent;
    let start = lines.pos();
    let mut keys = Keys::default();
    while let Some(line) = lines.peek().filter(|l| l.indent >= min) {
        if line.indent != indent {
            return None;
        }
        lines.advance();
        let (key, value) = key_value(line.body)?;
        if check_keys {
            keys.insert(key)?;
        }
        if !each(lines, key, value, indent)? {
            skip_value(lines, value, indent, 0)?;
        }
    }
    (!keys.undecided || distinct_keys(lines.text, start, min, indent)).then_some(())
}

/// Checks and skips a value: written inline (then nothing may continue it on deeper
/// lines), or the block below its key at `indent`.
pub(crate) fn skip(lines: &mut Lines<'_>, value: &str, indent: usize) -> Option<()> {
    skip_value(lines, value, indent, 0)
}

fn skip_value(lines: &mut Lines<'_>, value: &str, indent: usize, depth: usize) -> Option<()> {
    if value.is_empty() {
        return skip_nested(lines, indent + 1, depth + 1);
    }
    inline_value(value)?;
    end_of_value(lines, indent)
}

/// After a value written on the line of its key at `indent`: no deeper line may continue it.
pub(crate) fn end_of_value(lines: &mut Lines<'_>, indent: usize) -> Option<()> {
    match lines.peek() {
        Some(l) if l.indent > indent => None,
        _ => Some(()),
    }
}

/// The block of the lines indented `min` or more: a mapping or a sequence of the shapes
/// above, to any depth up to `MAX_DEPTH`.
fn skip_nested(lines: &mut Lines<'_>, min: usize, depth: usize) -> Option<()> {
    let Some(first) = lines.peek().filter(|l| l.indent >= min) else {
        return Some(());
    };
    if depth >= MAX_DEPTH {
        return None;
    }
    let indent = first.indent;
    if !(first.body == "-" || first.body.starts_with("- ")) {
        return mapping(lines, min, true, |lines, _, value, indent| {
            skip_value(lines, value, indent, depth).map(|()| true)
        });
    }
    // `- item` of scalars or flow values; an item with lines of its own is not.
    while let Some(line) = lines.peek().filter(|l| l.indent >= min) {
        if line.indent != indent {
            return None;
        }
        lines.advance();
        let item = line.body.strip_prefix("- ")?.trim_start_matches(' ');
        if item.is_empty() || key_value(item).is_some() {
            return None;
        }
        skip_value(lines, item, indent, depth)?;
    }
    Some(())
}

/// A value that must be a string written on its key's line, with nothing continuing it.
pub(crate) fn inline_string<'a>(
    lines: &mut Lines<'a>,
    value: &'a str,
    indent: usize,
) -> Option<&'a str> {
    let s = string(value)?;
    end_of_value(lines, indent)?;
    Some(s)
}

/// The value of a key at `indent` that must be a mapping: the block below (walked as
/// `mapping` does), or an empty `{}` on the key's line. Nothing at all (null) is left to
/// the general path, which refuses it where a mapping must be.
pub(crate) fn value_mapping<'a>(
    lines: &mut Lines<'a>,
    value: &str,
    indent: usize,
    check_keys: bool,
    each: impl FnMut(&mut Lines<'a>, &'a str, &'a str, usize) -> Option<bool>,
) -> Option<()> {
    match value {
        "" => {
            lines.peek().filter(|l| l.indent > indent)?;
            mapping(lines, indent + 1, check_keys, each)
        }
        "{}" => end_of_value(lines, indent),
        _ => None,
    }
}

/// The string value of one `field` of the block mapping below a key at `indent` (the other
/// fields are checked and skipped); `None` inside when it has no such field.
pub(crate) fn field<'a>(
    lines: &mut Lines<'a>,
    indent: usize,
    name: &str,
) -> Option<Option<&'a str>> {
    let mut found = None;
    mapping(lines, indent + 1, true, |lines, key, v, i| {
        if key != name {
            return Some(false);
        }
        found = Some(inline_string(lines, v, i)?);
        Some(true)
    })?;
    Some(found)
}

/// The block mapping of scalars below a key at `indent` (`dependencies:` and the like):
/// calls `each` with every key and value text. A value may be a number or a boolean
/// (`inherits: 2`, `typescript: 5.2`): callers use the text only when it is a string.
pub(crate) fn scalar_map<'a>(
    lines: &mut Lines<'a>,
    indent: usize,
    mut each: impl FnMut(&'a str, &'a str) -> Option<()>,
) -> Option<()> {
    mapping(lines, indent + 1, true, |lines, key, value, indent| {
        let text = match scalar(value)? {
            (s, true) => s,
            (s, false) => match kind(s) {
                Kind::Str | Kind::Int(_) | Kind::Float(_) | Kind::Bool => s,
                Kind::Null | Kind::Unclear => return None,
            },
        };
        skip(lines, value, indent)?;
        each(key, text).map(|()| true)
    })
}

// Plain scalars: what a writer's unquoted text means to YAML, and the key hash.

/// Characters that may not start a plain scalar (or that this reader leaves to the full
/// parser there).
pub(super) fn plain_start_ok(s: &str) -> bool {
    s.as_bytes()
        .first()
        .is_some_and(|b| !b"-?:,[]{}#&*!|>'\"%@`".contains(b))
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

pub(super) fn is_null(s: &str) -> bool {
    matches!(s, "null" | "Null" | "NULL" | "~")
}

/// What a plain scalar is. `Unclear` is any text that YAML 1.1 or 1.2 might read as
/// something other than a string, beyond the plain forms below: left to the full parser.
pub(super) enum Kind {
    Null,
    Bool,
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
        "true" | "True" | "TRUE" | "false" | "False" | "FALSE" => return Kind::Bool,
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::lockfile::Lockfile;
    use std::path::{Path, PathBuf};

    /// The files called `name` anywhere under `dir`, sorted.
    pub(crate) fn files_named(dir: &Path, name: &str) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut dirs = vec![dir.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.file_name().is_some_and(|n| n == name) {
                    files.push(path);
                }
            }
        }
        files.sort();
        files
    }

    /// The files called `name` under `testdata/<testdata>` and under each of the shared
    /// corpus's `corpus` folders (skipped with a message when ../shared is absent).
    pub(crate) fn fixtures(testdata: &str, corpus: &[&str], name: &str) -> Vec<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = files_named(&root.join("testdata").join(testdata), name);
        for dir in corpus {
            let dir = root.join("../shared/lockfile-corpus").join(dir);
            if dir.is_dir() {
                files.extend(files_named(&dir, name));
            } else {
                println!("skipped: {} is absent", dir.display());
            }
        }
        files
    }

    /// Cut anywhere, a file is read by the fast reader exactly as by the general path, or
    /// left to it; neither panics.
    pub(crate) fn prefixes_agree(
        text: &str,
        fast: impl Fn(&str) -> Option<Lockfile>,
        general: impl Fn(&str) -> Result<Lockfile, crate::lockfile::ParseError>,
    ) {
        let mut taken = 0;
        // Every 61st byte: each line shape is still cut at many points, and since the
        // general path is serde-saphyr alone (a full YAML parse per prefix), a finer step
        // only multiplies the time.
        for cut in (0..text.len())
            .step_by(61)
            .filter(|&c| text.is_char_boundary(c))
        {
            let prefix = &text[..cut];
            if let Some(read) = fast(prefix) {
                let full = general(prefix).unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
                assert_same(&read, &full, Path::new(&format!("cut at {cut}")));
                taken += 1;
            }
        }
        assert!(taken > 0);
    }

    /// Random small edits of a file (bytes YAML gives meaning to, deletions, repeated
    /// lines): whenever the fast reader takes the edited file, the general path reads it
    /// the same way.
    pub(crate) fn edits_agree(
        text: &str,
        fast: impl Fn(&str) -> Option<Lockfile>,
        general: impl Fn(&str) -> Result<Lockfile, crate::lockfile::ParseError>,
    ) {
        const PIECES: [&str; 16] = [
            " ", "\n", ":", ": ", "#", " #", "'", "\"", "{", "}", "[", "- ", "&a ", "\t", "\r", "@",
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        let (mut taken, mut tries) = (0, 0);
        while tries < 400 {
            let at = rng.usize(..text.len());
            if !text.is_char_boundary(at) {
                continue;
            }
            tries += 1;
            let edited = match rng.u8(..3) {
                0 => format!(
                    "{}{}{}",
                    &text[..at],
                    PIECES[rng.usize(..PIECES.len())],
                    &text[at..]
                ),
                1 => {
                    let end = (at + rng.usize(1..8)).min(text.len());
                    if !text.is_char_boundary(end) {
                        continue;
                    }
                    format!("{}{}", &text[..at], &text[end..])
                }
                _ => {
                    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let end = text[at..].find('\n').map_or(text.len(), |i| at + i + 1);
                    format!("{}{}", &text[..end], &text[start..])
                }
            };
            if let Some(read) = fast(&edited) {
                let full = general(&edited).unwrap_or_else(|e| panic!("{edited}\n{e}"));
                assert_same(&read, &full, Path::new(&edited));
                taken += 1;
            }
        }
        assert!(taken > 0);
    }

    /// A fast reader's result equals the general path's.
    pub(crate) fn assert_same(fast: &Lockfile, general: &Lockfile, path: &Path) {
        assert_eq!(fast.packages, general.packages, "{path:?}");
        assert_eq!(fast.workspace_dirs, general.workspace_dirs, "{path:?}");
        assert_eq!(fast.recorded_direct, general.recorded_direct, "{path:?}");
    }

    #[test]
    fn lines_keys_and_values() {
        let mut l = Lines::new("# c\n\na:\n  'b c': \"d\"   \n  # x\n").unwrap();
        let a = l.peek().unwrap();
        assert_eq!((a.indent, a.body), (0, "a:"));
        l.advance();
        let b = l.peek().unwrap();
        assert_eq!((b.indent, b.body), (2, "'b c': \"d\""));
        assert_eq!(key_value(b.body), Some(("b c", "\"d\"")));
        l.advance();
        assert!(l.peek().is_none());
        assert!(Lines::new("a:\rb:\n").is_none());
        let mut crlf = Lines::new("a: b\r\n").unwrap();
        assert_eq!(crlf.peek().unwrap().body, "a: b");
        assert!(Lines::new("a:\tb\n").is_none());

        assert_eq!(
            key_value("x@https://h/p: 1.0.0"),
            Some(("x@https://h/p", "1.0.0"))
        );
        for body in [
            "a:b",
            "a :b",
            "&a b: c",
            "1: x",
            "<<: {a: b}",
            "yes: x",
            "\"a\\\"\": b",
        ] {
            assert!(key_value(body).is_none(), "{body}");
        }
        assert_eq!(string("4.17.20"), Some("4.17.20"));
        assert_eq!(string("'1.0'"), Some("1.0"));
        for value in [
            "1.0", "8", "true", "~", "null", "*a", "a: b", "'x''y'", "\"a", "b # c",
        ] {
            assert!(string(value).is_none(), "{value}");
        }
    }

    #[test]
    fn flow_collections() {
        let mut seen = Vec::new();
        flow_map(
            "{integrity: sha512-x==, tarball: https://h/x.tgz, type: 'directory'}",
            |k, v| {
                seen.push((k, v));
                Some(())
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            [
                ("integrity", ("sha512-x==", false)),
                ("tarball", ("https://h/x.tgz", false)),
                ("type", ("directory", true))
            ]
        );
        assert!(flow_map("{}", |_, _| None).is_some());
        for value in [
            "{a: b,}",
            "{a: {b: c}}",
            "{a: b, a: c}",
            "{a: [b]}",
            "{a}",
            "{a: b # c}",
        ] {
            assert!(inline_value(value).is_none(), "{value}");
        }
        assert!(inline_value("[x64, arm64]").is_some());
        assert!(inline_value("[a: b]").is_none());
    }

    #[test]
    fn blocks() {
        let text = "a:\n  b:\n    - x\n    - y\n  c: {d: e}\n  f:\n    g: h\nz: 1\n";
        let mut l = Lines::new(text).unwrap();
        l.advance();
        skip(&mut l, "", 0).unwrap();
        assert_eq!(l.peek().unwrap().body, "z: 1");
        for bad in [
            "a:\n  b: c\n    d: e\n",
            "a:\n    b: c\n  d: e\n",
            "a:\n  b: c\n  b: d\n",
            "a:\n  - b: c\n",
            "a:\n  - b\n    c\n",
            "a:\n  b: |\n    text\n",
        ] {
            let mut l = Lines::new(bad).unwrap();
            l.advance();
            assert!(skip(&mut l, "", 0).is_none(), "{bad:?}");
        }
        let deep: String = (0..40).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let mut l = Lines::new(&deep).unwrap();
        l.advance();
        assert!(skip(&mut l, "", 0).is_none());

        let mut keys = Keys::default();
        for k in ["b", "a", "c"] {
            keys.insert(k).unwrap();
        }
        assert!(keys.insert("a").is_none());
        // A long unsorted mapping: its keys are sorted and compared at its end.
        let long: String = (0..40)
            .map(|i| format!("  k{}: v\n", (i * 7) % 40))
            .collect();
        let text = format!("a:\n{long}");
        let mut l = Lines::new(&text).unwrap();
        l.advance();
        skip(&mut l, "", 0).unwrap();
        let text = format!("a:\n{long}  k3: v\n");
        let mut l = Lines::new(&text).unwrap();
        l.advance();
        assert!(skip(&mut l, "", 0).is_none());
    }
}
