//! Pipfile.lock (pipenv): JSON with `_meta`, then one object per category (`default`,
//! `develop`, and any custom category), each mapping a name to its pin
//! (`"version": "==1.2.3"`). Git, path and editable entries carry no version: a local
//! path is the project itself, and a git checkout pins no release.

use super::{pep508, Lockfile, Package, ParseError};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// One pin, its strings borrowed from the input; `hashes` and `markers` are skipped unread.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    path: Option<Cow<'a, str>>,
    /// The name of the `_meta.sources` entry the package comes from.
    #[serde(borrow)]
    index: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Source {
    name: Option<String>,
    url: String,
}

/// The file read in one pass: `_meta` (small, kept as a JSON value so a malformed
/// `sources` is ignored as before) and every category's entries, in file order. No JSON
/// tree of the categories is built: they are most of the file.
struct Raw<'a> {
    meta: Option<serde_json::Value>,
    has_default: bool,
    categories: Vec<BTreeMap<Cow<'a, str>, Entry<'a>>>,
}

impl<'de> Deserialize<'de> for Raw<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Top;
        impl<'de> Visitor<'de> for Top {
            type Value = Raw<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a Pipfile.lock object")
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Raw<'de>, M::Error> {
                let mut raw = Raw {
                    meta: None,
                    has_default: false,
                    categories: Vec::new(),
                };
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "_meta" {
                        raw.meta = Some(map.next_value()?);
                    } else {
                        raw.has_default |= key == "default";
                        raw.categories.push(map.next_value()?);
                    }
                }
                Ok(raw)
            }
        }
        d.deserialize_map(Top)
    }
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: Raw = super::json::from_json(bytes)?;
    if raw.meta.is_none() && !raw.has_default {
        return Err(ParseError::new(
            "not a Pipfile.lock: no `_meta` or `default`",
        ));
    }
    // The package indexes, by name; the first one is where unnamed packages come from.
    let sources: Vec<Source> = raw
        .meta
        .as_ref()
        .and_then(|m| m.get("sources"))
        .and_then(|s| Vec::<Source>::deserialize(s).ok())
        .unwrap_or_default();
    let mut out = Lockfile::default();
    for entries in raw.categories {
        for (name, entry) in entries {
            if entry.path.is_some() {
                continue;
            }
            let Some(version) = entry.version else {
                continue;
            };
            let source = match &entry.index {
                Some(index) => sources
                    .iter()
                    .find(|s| s.name.as_deref() == Some(index.as_ref())),
                None => sources.first(),
            };
            out.packages.push(Package {
                spec: None,
                name: pep508::normalize(&name),
                version: version.trim_start_matches('=').trim().to_string(),
                source: source.map(|s| s.url.clone()),
            });
        }
    }
    out.dedup_packages();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_develop_and_unversioned_entries() {
        let lock = br#"{
    "_meta": {"pipfile-spec": 6, "sources": []},
    "default": {
        "flask": {"hashes": ["sha256:00"], "version": "==3.0.3"},
        "Jinja2": {"version": "==3.1.4", "markers": "python_version >= '3.7'"},
        "mylib": {"editable": true, "path": "./libs/mylib"},
        "gitpkg": {"git": "https://example.invalid/x.git", "ref": "abc"}
    },
    "develop": {
        "pytest": {"version": "==8.2.0"},
        "jinja2": {"version": "==3.1.4"}
    }
}"#;
        let l = parse(lock).unwrap();
        let mut got: Vec<_> = l.packages.iter().map(|p| (&*p.name, &*p.version)).collect();
        got.sort();
        assert_eq!(
            got,
            [("flask", "3.0.3"), ("jinja2", "3.1.4"), ("pytest", "8.2.0")]
        );
    }

    #[test]
    fn packages_name_their_index() {
        let lock = br#"{
    "_meta": {"sources": [
        {"name": "main", "url": "https://one.example.invalid/simple"},
        {"name": "private", "url": "https://two.example.invalid/simple"}
    ]},
    "default": {
        "a": {"version": "==1.0"},
        "b": {"version": "==2.0", "index": "private"}
    }
}"#;
        let l = parse(lock).unwrap();
        let sources: Vec<Option<&str>> = l.packages.iter().map(|p| p.source.as_deref()).collect();
        assert_eq!(
            sources,
            [
                Some("https://one.example.invalid/simple"),
                Some("https://two.example.invalid/simple")
            ]
        );
    }

    #[test]
    fn meta_after_the_categories_still_names_the_index() {
        let lock = br#"{"default": {"a": {"version": "==1.0", "hashes": ["sha256:00"]}},
            "_meta": {"sources": [{"name": "main", "url": "https://one.example.invalid/simple"}]}}"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            l.packages[0].source.as_deref(),
            Some("https://one.example.invalid/simple")
        );
        // A malformed `sources` names no index; the pins are still read.
        let l =
            parse(br#"{"_meta": {"sources": 3}, "default": {"a": {"version": "==1"}}}"#).unwrap();
        assert_eq!(l.packages[0].source, None);
    }

    #[test]
    fn errors_have_positions() {
        let err = parse(b"{\n  \"_meta\": {}\n  \"default\": {}\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(parse(b"{\"name\": 1}").is_err());
        assert!(parse(b"{\"_meta\": {}, \"default\": {\"a\": 1}}").is_err());
        assert!(parse(b"{\"_meta\": {}, \"default\": {\"a\": {\"version\": \"==1\"}").is_err());
    }
}
