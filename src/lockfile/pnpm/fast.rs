//! A purpose-built reader for the pnpm-lock.yaml that pnpm writes (lockfileVersion 5, 6
//! and 9): one line at a time, every string borrowed from the input, one record per
//! `packages` entry and no maps. It reads `lockfileVersion`, the `packages` keys with their
//! `name`, `version` and `resolution.type`, and the importers' dependency lists, and checks
//! the shape of the rest (`snapshots`, `settings`...).
//!
//! Anything else (several documents, a YAML feature pnpm does not write, a duplicate key,
//! an entry it cannot read) gives `None`, and `pnpm::parse_general` reads the file, so the
//! result never depends on this reader and every error keeps its position.

use super::{add_direct, key_style, package, Scalar};
use crate::lockfile::yaml_lines::{self as yl, kind, Kind, Lines};
use crate::lockfile::Lockfile;
use std::collections::BTreeSet;

/// One `packages` entry as written.
struct Record<'a> {
    key: &'a str,
    name: Option<&'a str>,
    version: Option<&'a str>,
    /// `resolution: {type: directory}`: a folder of the project itself.
    directory: bool,
}

/// What the reader collects, all borrowed from the text.
#[derive(Default)]
struct Raw<'a> {
    lockfile_version: Option<Scalar>,
    records: Vec<Record<'a>>,
    /// Importer folders, and their dependencies as (alias, what it resolved to).
    importers: Vec<&'a str>,
    importer_deps: Vec<(&'a str, &'a str)>,
    /// The top-level dependency lists of a single-project 5.x/6.x file.
    top_deps: Vec<(&'a str, &'a str)>,
    /// Keys of the sections read only for their shape, checked for repeats at the end.
    other_keys: Vec<&'a str>,
}

pub(super) fn parse(text: &str) -> Option<Lockfile> {
    let mut lines = Lines::new(text)?;
    let mut raw = Raw::default();
    yl::mapping(&mut lines, 0, true, |lines, key, value, indent| {
        match key {
            "lockfileVersion" => {
                raw.lockfile_version = Some(version_scalar(value)?);
                yl::skip(lines, value, indent)?;
            }
            "importers" => section(
                lines,
                value,
                indent,
                Some(&mut raw.importers),
                |lines, _, v, i| importer(lines, v, i, &mut raw.importer_deps),
            )?,
            // Its keys are checked with the records.
            "packages" => section(lines, value, indent, None, |lines, key, v, i| {
                raw.records.push(entry(lines, key, v, i)?);
                Some(())
            })?,
            "dependencies" | "devDependencies" | "optionalDependencies" => {
                dependencies(lines, value, indent, &mut raw.top_deps)?;
            }
            // `snapshots` is as long as `packages`: its keys are checked at the end.
            "snapshots" => {
                let mut keys = std::mem::take(&mut raw.other_keys);
                section(lines, value, indent, Some(&mut keys), |lines, _, v, i| {
                    yl::skip(lines, v, i)
                })?;
                raw.other_keys = keys;
            }
            _ => return Some(false),
        }
        Some(true)
    })?;
    let style = key_style(raw.lockfile_version.as_ref()?).ok()?;
    if !yl::all_distinct(raw.other_keys.iter().copied()) {
        return None;
    }

    // The general path reads `packages` and `importers` in key order.
    let records = &mut raw.records;
    if !records.windows(2).all(|w| w[0].key < w[1].key) {
        records.sort_unstable_by_key(|r| r.key);
        if records.windows(2).any(|w| w[0].key == w[1].key) {
            return None;
        }
    }
    let mut out = Lockfile::default();
    out.packages.reserve_exact(records.len());
    for r in records.iter().filter(|r| !r.directory) {
        out.packages
            .push(package(style, r.key, r.name, r.version).ok()?);
    }
    let mut dirs = raw.importers;
    dirs.sort_unstable();
    if dirs.windows(2).any(|w| w[0] == w[1]) {
        return None;
    }
    out.workspace_dirs = dirs
        .iter()
        .filter(|d| **d != ".")
        .map(|d| d.to_string())
        .collect();
    let deps = if dirs.is_empty() {
        &raw.top_deps
    } else {
        &raw.importer_deps
    };
    let mut direct = BTreeSet::new();
    for (alias, target) in deps {
        add_direct(style, &mut direct, alias, target);
    }
    out.recorded_direct = direct.into_iter().collect();
    Some(out)
}

/// `lockfileVersion` as the general path reads it: quoted text, or a plain number.
fn version_scalar(value: &str) -> Option<Scalar> {
    let (text, quoted) = yl::scalar(value)?;
    if quoted {
        return Some(Scalar::Text(text.to_string()));
    }
    match kind(text) {
        Kind::Str => Some(Scalar::Text(text.to_string())),
        Kind::Int(i) => Some(Scalar::Number(i as f64)),
        Kind::Float(f) => Some(Scalar::Number(f)),
        Kind::Null | Kind::Bool | Kind::Unclear => None,
    }
}

/// A top-level section keyed by package or folder (`importers`, `packages`, `snapshots`):
/// `{}`, or the block below it, whose keys go to `keys` and whose entries to `each`.
fn section<'a>(
    lines: &mut Lines<'a>,
    value: &str,
    indent: usize,
    mut keys: Option<&mut Vec<&'a str>>,
    mut each: impl FnMut(&mut Lines<'a>, &'a str, &'a str, usize) -> Option<()>,
) -> Option<()> {
    yl::value_mapping(lines, value, indent, false, |lines, key, v, i| {
        if let Some(keys) = keys.as_mut() {
            keys.push(key);
        }
        each(lines, key, v, i).map(|()| true)
    })
}

/// One importer: its dependency lists, in `deps`.
fn importer<'a>(
    lines: &mut Lines<'a>,
    value: &str,
    indent: usize,
    deps: &mut Vec<(&'a str, &'a str)>,
) -> Option<()> {
    yl::value_mapping(
        lines,
        value,
        indent,
        true,
        |lines, field, v, i| match field {
            "dependencies" | "devDependencies" | "optionalDependencies" => {
                dependencies(lines, v, i, deps).map(|()| true)
            }
            _ => Some(false),
        },
    )
}

/// A dependency list: `alias: reference` (5.x) or `alias: {specifier, version}` below it.
fn dependencies<'a>(
    lines: &mut Lines<'a>,
    value: &str,
    indent: usize,
    deps: &mut Vec<(&'a str, &'a str)>,
) -> Option<()> {
    yl::value_mapping(lines, value, indent, true, |lines, alias, v, i| {
        let target = if v.is_empty() {
            yl::field(lines, i, "version")??
        } else {
            yl::inline_string(lines, v, i)?
        };
        deps.push((alias, target));
        Some(true)
    })
}

/// A `packages` entry: `{}`, or its fields below it.
fn entry<'a>(
    lines: &mut Lines<'a>,
    key: &'a str,
    value: &str,
    indent: usize,
) -> Option<Record<'a>> {
    let mut r = Record {
        key,
        name: None,
        version: None,
        directory: false,
    };
    yl::value_mapping(lines, value, indent, true, |lines, field, v, i| {
        match field {
            "name" => r.name = Some(yl::inline_string(lines, v, i)?),
            "version" => r.version = Some(yl::inline_string(lines, v, i)?),
            "resolution" => r.directory = resolution_type(lines, v, i)? == Some("directory"),
            _ => return Some(false),
        }
        Some(true)
    })?;
    Some(r)
}

/// The `type` of a `resolution` (`{integrity: ...}` has none), written as a flow mapping
/// on its key's line or as a block below it.
fn resolution_type<'a>(
    lines: &mut Lines<'a>,
    value: &'a str,
    indent: usize,
) -> Option<Option<&'a str>> {
    if value.is_empty() {
        return yl::field(lines, indent, "type");
    }
    let mut kind = None;
    yl::flow_map(value, |field, (v, quoted)| {
        if field == "type" {
            kind = Some(if quoted { v } else { yl::string(v)? });
        }
        Some(())
    })?;
    yl::end_of_value(lines, indent)?;
    Some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::yaml_lines::tests::{assert_same, edits_agree, fixtures, prefixes_agree};

    /// Every pnpm lockfile under testdata/ (and in the shared corpus, when present) is
    /// taken by this reader, and reads as the general path reads it.
    #[test]
    fn fast_and_general_paths_agree_on_every_fixture() {
        let files = fixtures("pnpm", &["pnpm-lock-v5", "pnpm-lock-v6"], "pnpm-lock.yaml");
        let mut fast_read = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let general = super::super::parse_general(text.as_bytes());
            match parse(&text) {
                Some(fast) => {
                    let general = general.unwrap_or_else(|e| panic!("{path:?}: {e}"));
                    assert_same(&fast, &general, path);
                    fast_read += 1;
                }
                None => panic!("{path:?} left to the general path"),
            }
        }
        assert!(fast_read >= 12, "{fast_read} files");
    }

    #[test]
    fn every_prefix_reads_the_same_or_is_left_to_the_general_path() {
        for file in [
            include_str!("../../../testdata/pnpm/v9/workspace/after/pnpm-lock.yaml"),
            include_str!("../../../testdata/pnpm/v5/app/after/pnpm-lock.yaml"),
            include_str!("../../../testdata/pnpm/v6/workspace/after/pnpm-lock.yaml"),
        ] {
            let general = |t: &str| super::super::parse_general(t.as_bytes());
            prefixes_agree(file, parse, general);
            edits_agree(file, parse, general);
        }
    }

    #[test]
    fn leaves_other_shapes_to_the_general_path() {
        let ok =
            "lockfileVersion: '9.0'\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: x}\n";
        assert_eq!(parse(ok).unwrap().packages.len(), 1);
        for text in [
            format!("---\n{ok}"),
            format!("{ok}  a@1.0.0:\n    resolution: {{integrity: y}}\n"),
            ok.replace("{integrity: x}", "{integrity: {x: y}}"),
            ok.replace("{integrity: x}", "&a {integrity: x}"),
            ok.replace("'9.0'", "yes"),
            format!("{ok}    version: |\n      1.0.0\n"),
            format!("{ok}    name: \"a\\tb\"\n"),
            ok.replace("lockfileVersion: '9.0'\n", ""),
            format!("{ok}importers:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n"),
        ] {
            assert!(parse(&text).is_none(), "{text}");
        }
    }
}
