//! Reading JSON lockfiles and manifests (package-lock.json, composer.lock, Pipfile.lock,
//! packages.lock.json, bun.lock, package.json, composer.json) with the error's position.

use super::ParseError;
use serde::Deserialize;

/// Reads `T` from JSON bytes. A file cut short is reported where it ends (serde_json
/// gives "line 2, column 0" after a final newline) and said to end early.
pub(crate) fn from_json<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, ParseError> {
    // serde_json checks UTF-8 only in the strings it keeps, not in those it skips; every
    // JSON reader of a package manager refuses the whole file.
    let text = super::utf8(bytes)?;
    serde_json::from_str(text).map_err(|e| {
        if !e.is_eof() {
            return ParseError::from(e);
        }
        let reason = ParseError::from(e).message;
        ParseError::at_offset(
            format!("the file ends early, in the middle of its JSON ({reason})"),
            text,
            text.len(),
        )
    })
}

impl From<serde_json::Error> for ParseError {
    fn from(e: serde_json::Error) -> Self {
        // serde_json's Display appends " at line L column C"; keep the message bare.
        let full = e.to_string();
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        ParseError {
            message,
            line: (e.line() > 0).then_some(e.line()),
            column: (e.line() > 0).then_some(e.column()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_file_is_reported_where_it_ends() {
        let err = from_json::<serde_json::Value>(b"{\n  \"a\": {\n    \"b\": 1,\n").unwrap_err();
        assert_eq!((err.line, err.column), (Some(4), Some(1)), "{err}");
        assert!(err.message.contains("ends early"), "{err}");
        let err = from_json::<serde_json::Value>(b"{\n  \"name\": \"x").unwrap_err();
        assert_eq!((err.line, err.column), (Some(2), Some(13)), "{err}");
        let err = from_json::<serde_json::Value>(b"{\"a\" 1}").unwrap_err();
        assert_eq!((err.line, err.column), (Some(1), Some(6)), "{err}");
        assert!(!err.message.contains("ends early"), "{err}");
    }
}
