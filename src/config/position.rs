//! Positions in the file: the 1-based line and column of a byte offset, and the dotted
//! key (`rules.severity.express-5-req-param`, `exclude[2]`) whose key or value holds it.
//! toml's deserialisation errors carry a byte span but not the key, so the key is found
//! by walking the document's spanned tree to the innermost entry around the offset.

use std::ops::Range;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// 1-based line and column (in characters) of a byte offset of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let e = crate::lockfile::ParseError::at_offset(String::new(), text, offset);
    (e.line.unwrap_or(1), e.column.unwrap_or(1))
}

/// The dotted key whose key or value contains `offset`, innermost first; `None` outside
/// every entry (or when the text does not parse).
pub fn key_at(text: &str, offset: usize) -> Option<String> {
    let doc = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    in_table(doc.get_ref(), offset, &mut path);
    (!path.is_empty()).then(|| path.concat())
}

fn contains(span: Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn in_table(table: &DeTable<'_>, offset: usize, path: &mut Vec<String>) -> bool {
    for (key, value) in table {
        if contains(key.span(), offset) {
            path.push(segment(key.get_ref(), path.is_empty()));
            return true;
        }
        if contains(value.span(), offset) {
            path.push(segment(key.get_ref(), path.is_empty()));
            in_value(value, offset, path);
            return true;
        }
    }
    // A `[table]` header's value span may not cover its entries: look inside anyway.
    for (key, value) in table {
        if let DeValue::Table(t) = value.get_ref() {
            path.push(segment(key.get_ref(), path.is_empty()));
            if in_table(t, offset, path) {
                return true;
            }
            path.pop();
        }
    }
    false
}

fn in_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut Vec<String>) {
    match value.get_ref() {
        DeValue::Table(t) => {
            in_table(t, offset, path);
        }
        DeValue::Array(items) => {
            if let Some(i) = items.iter().position(|v| contains(v.span(), offset)) {
                path.push(format!("[{i}]"));
                in_value(&items[i], offset, path);
            }
        }
        _ => {}
    }
}

/// One key of a dotted path: `.name`, or quoted when it is not a bare key.
fn segment(key: &str, first: bool) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let key = if bare {
        key.to_string()
    } else {
        format!("{key:?}")
    };
    if first {
        key
    } else {
        format!(".{key}")
    }
}

/// The dotted key of an array element: `exclude[2]`.
pub fn element(key: &str, index: usize) -> String {
    format!("{key}[{index}]")
}

/// The dotted key of a table entry: `rules.severity.ID`.
pub fn entry(table: &str, key: &str) -> String {
    format!("{table}{}", segment(key, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_around_an_offset() {
        let text = "fail-on = \"error\"\nexclude = [\"a\", \"b/**\"]\n\n[rules.severity]\nexpress-5-req-param = \"critical\"\n\"odd.key\" = 1\n";
        let at = |needle: &str| key_at(text, text.find(needle).unwrap());
        assert_eq!(at("\"error\"").as_deref(), Some("fail-on"));
        assert_eq!(at("\"b/**\"").as_deref(), Some("exclude[1]"));
        assert_eq!(
            at("\"critical\"").as_deref(),
            Some("rules.severity.express-5-req-param")
        );
        assert_eq!(
            at("express-5").as_deref(),
            Some("rules.severity.express-5-req-param")
        );
        assert_eq!(
            at("\"odd.key\"").as_deref(),
            Some("rules.severity.\"odd.key\"")
        );
        assert_eq!(
            line_column(text, text.find("\"critical\"").unwrap()),
            (5, 23)
        );
    }
}
