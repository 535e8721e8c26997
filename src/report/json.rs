//! `--format json`: the report as DESIGN.md specifies it, pretty-printed, every string
//! cleaned of what would harm a terminal, a log or a page it is pasted into.

use super::sanitize::for_text;
use super::Report;
use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, PrettyFormatter};
use std::io::{self, Write};

pub fn render(report: &Report) -> String {
    render_value(report)
}

/// Any serialisable value as the JSON formats print it: pretty, with every string (keys
/// too) cleaned by [`for_text`], fields in their declared order.
pub fn render_value(value: &impl Serialize) -> String {
    let mut ser = serde_json::Serializer::with_formatter(Vec::new(), Cleaning::default());
    value
        .serialize(&mut ser)
        .expect("reports have string keys: they serialise");
    let mut s = String::from_utf8(ser.into_inner()).expect("serde_json writes UTF-8");
    s.push('\n');
    s
}

/// serde_json's pretty printer, except that a string is collected whole (serde_json hands
/// it over in pieces, split at its escapes) and written cleaned.
#[derive(Default)]
struct Cleaning {
    pretty: PrettyFormatter<'static>,
    string: Option<String>,
}

impl Formatter for Cleaning {
    fn begin_string<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.string = Some(String::new());
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + Write>(&mut self, _: &mut W, s: &str) -> io::Result<()> {
        self.string.get_or_insert_default().push_str(s);
        Ok(())
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, _: &mut W, c: CharEscape) -> io::Result<()> {
        let c = match c {
            CharEscape::Quote => '"',
            CharEscape::ReverseSolidus => '\\',
            CharEscape::Solidus => '/',
            CharEscape::Backspace => '\u{8}',
            CharEscape::FormFeed => '\u{c}',
            CharEscape::LineFeed => '\n',
            CharEscape::CarriageReturn => '\r',
            CharEscape::Tab => '\t',
            CharEscape::AsciiControl(b) => char::from(b),
        };
        self.string.get_or_insert_default().push(c);
        Ok(())
    }

    fn end_string<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        let clean = for_text(&self.string.take().unwrap_or_default());
        // What is left needs only serde_json's ordinary escaping.
        w.write_all(serde_json::to_string(&clean)?.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::render_value;
    use serde_json::{json, Value};

    #[test]
    fn strings_and_keys_are_cleaned_and_order_kept() {
        let v = json!([{"a\u{1b}[1m": ["x\u{202e}y\u{9b}2J", {"b": "::error::z\n  ::add-mask::w"}]}, "q\"\\\u{7}"]);
        let out = render_value(&v);
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            back,
            json!([{"a": ["xy", {"b": "\\::error::z\n  \\::add-mask::w"}]}, "q\"\\"])
        );
        #[derive(serde::Serialize)]
        struct Ordered {
            z: u8,
            a: u8,
        }
        assert_eq!(
            render_value(&Ordered { z: 1, a: 2 }),
            "{\n  \"z\": 1,\n  \"a\": 2\n}\n"
        );
    }
}
