//! Pipfile.lock (pipenv): JSON with `_meta`, then one object per category (`default`,
//! `develop`, and any custom category), each mapping a name to its pin
//! (`"version": "==1.2.3"`). Git, path and editable entries carry no version: a local
//! path is the project itself, and a git checkout pins no release.

use super::{pep508, Lockfile, Package, ParseError};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    path: Option<String>,
    /// The name of the `_meta.sources` entry the package comes from.
    index: Option<String>,
}

#[derive(Deserialize)]
struct Source {
    name: Option<String>,
    url: String,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: BTreeMap<String, serde_json::Value> = serde_json::from_slice(bytes)?;
    if !raw.contains_key("_meta") && !raw.contains_key("default") {
        return Err(ParseError::new(
            "not a Pipfile.lock: no `_meta` or `default`",
        ));
    }
    // The package indexes, by name; the first one is where unnamed packages come from.
    let sources: Vec<Source> = raw
        .get("_meta")
        .and_then(|m| m.get("sources"))
        .and_then(|s| serde_json::from_value(s.clone()).ok())
        .unwrap_or_default();
    let mut out = Lockfile::default();
    for (category, entries) in raw {
        if category == "_meta" {
            continue;
        }
        let entries: BTreeMap<String, Entry> = serde_json::from_value(entries)
            .map_err(|e| ParseError::new(format!("in `{category}`: {e}")))?;
        for (name, entry) in entries {
            if entry.path.is_some() {
                continue;
            }
            let Some(version) = entry.version else {
                continue;
            };
            let source = match &entry.index {
                Some(index) => sources.iter().find(|s| s.name.as_ref() == Some(index)),
                None => sources.first(),
            };
            out.push_unique(Package {
                name: pep508::normalize(&name),
                version: version.trim_start_matches('=').trim().to_string(),
                source: source.map(|s| s.url.clone()),
            });
        }
    }
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
    fn errors_have_positions() {
        let err = parse(b"{\n  \"_meta\": {}\n  \"default\": {}\n}").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(parse(b"{\"name\": 1}").is_err());
        assert!(parse(b"{\"_meta\": {}, \"default\": {\"a\": 1}}").is_err());
        assert!(parse(b"{\"_meta\": {}, \"default\": {\"a\": {\"version\": \"==1\"}").is_err());
    }
}
