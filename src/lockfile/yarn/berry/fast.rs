//! A purpose-built reader for the yarn.lock that yarn Berry writes: one line at a time,
//! every string borrowed from the input, one record per entry and no maps. It reads the
//! fields the package list needs (`version`, `resolution`, `linkType`, and the
//! `dependencies` of the project's own entries) and checks the shape of the rest.
//!
//! Anything else (another layout, a YAML feature yarn does not write, a duplicate key, an
//! incomplete entry) gives `None`, and `berry::parse_general` reads the file, so the result
//! never depends on this reader and every error keeps its position.

use super::{add_direct, resolve, Resolved};
use crate::lockfile::yaml_lines::{self as yl, Lines};
use crate::lockfile::{Lockfile, Package};
use std::collections::BTreeSet;

/// One entry as written: its key and the fields read from it.
struct Record<'a> {
    key: &'a str,
    /// Raw value texts (a string is checked when it is used).
    version: Option<&'a str>,
    resolution: Option<&'a str>,
    link_type: bool,
    /// Where the `dependencies` and `peerDependencies` blocks start, and their key's indent:
    /// read again only for the project's own entries.
    deps: [Option<(usize, usize)>; 2],
}

pub(super) fn parse(text: &str) -> Option<Lockfile> {
    let mut lines = Lines::new(text)?;
    let mut records: Vec<Record> = Vec::new();
    let mut metadata = false;
    yl::mapping(&mut lines, 0, false, |lines, key, value, indent| {
        if !value.is_empty() {
            return None;
        }
        let record = entry(lines, key, indent)?;
        if key == "__metadata" {
            // Its fields are yarn's own (a numeric `version`): checked as the general path
            // checks any entry's, not read.
            if std::mem::replace(&mut metadata, true) {
                return None;
            }
            return Some(true);
        }
        records.push(record);
        Some(true)
    })?;
    if !metadata || lines.peek().is_some() {
        return None;
    }
    // The general path refuses a repeated key.
    if !yl::all_distinct(records.iter().map(|r| r.key)) {
        return None;
    }

    let mut packages: Vec<(&str, &str)> = Vec::with_capacity(records.len());
    let mut direct = BTreeSet::new();
    let mut workspace_dirs = Vec::new();
    for r in &records {
        let version = r.version.map(yl::string);
        let resolution = r.resolution.map(yl::string);
        // A value that is not plainly a string: the general path knows what it means.
        if version == Some(None) || resolution == Some(None) {
            return None;
        }
        match resolve(r.key, version.flatten(), resolution.flatten(), r.link_type).ok()? {
            Resolved::Own(dir) => {
                workspace_dirs.extend(dir.map(|d| (r.key, d)));
                for (pos, indent) in r.deps.iter().flatten() {
                    let mut block = Lines::at(text, *pos);
                    yl::scalar_map(&mut block, *indent, |dep, range| {
                        add_direct(&mut direct, dep, range);
                        Some(())
                    })?;
                }
            }
            Resolved::Package(name, version) => packages.push((name, version)),
        }
    }
    // In the order of the general path: by key, and packages by name and version.
    workspace_dirs.sort_unstable();
    if !packages.is_sorted() {
        packages.sort_unstable();
    }
    packages.dedup();
    Some(Lockfile {
        packages: packages
            .into_iter()
            .map(|(name, version)| Package {
                spec: None,
                name: name.to_string(),
                version: version.to_string(),
                source: None,
            })
            .collect(),
        workspace_dirs: workspace_dirs
            .into_iter()
            .map(|(_, dir)| dir.to_string())
            .collect(),
        recorded_direct: direct.into_iter().collect(),
        ..Lockfile::default()
    })
}

/// The fields of the entry below `key` (at `indent`).
fn entry<'a>(lines: &mut Lines<'a>, key: &'a str, indent: usize) -> Option<Record<'a>> {
    let mut r = Record {
        key,
        version: None,
        resolution: None,
        link_type: false,
        deps: [None, None],
    };
    // An entry with no fields is left to the general path.
    lines.peek().filter(|l| l.indent > indent)?;
    yl::mapping(lines, indent + 1, true, |lines, field, value, at| {
        let slot = match field {
            "version" => &mut r.version,
            "resolution" => &mut r.resolution,
            "linkType" => {
                yl::inline_string(lines, value, at)?;
                r.link_type = true;
                return Some(true);
            }
            "dependencies" | "peerDependencies" => {
                if !value.is_empty() {
                    return None;
                }
                r.deps[usize::from(field == "peerDependencies")] = Some((lines.pos(), at));
                yl::scalar_map(lines, at, |_, _| Some(()))?;
                return Some(true);
            }
            _ => return Some(false),
        };
        // A scalar on the key's line (checked as a string when it is used).
        yl::scalar(value)?;
        yl::skip(lines, value, at)?;
        *slot = Some(value);
        Some(true)
    })?;
    Some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::yaml_lines::tests::{assert_same, edits_agree, fixtures, prefixes_agree};

    /// Every yarn Berry lockfile under testdata/ (and in the shared corpus, when present)
    /// is taken by this reader, and reads as the general path reads it.
    #[test]
    fn fast_and_general_paths_agree_on_every_fixture() {
        let files = fixtures("yarn", &["yarn-berry"], "yarn.lock");
        let mut fast_read = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            if !text.lines().any(|l| l.starts_with("__metadata:")) {
                continue;
            }
            let general = super::super::parse_general(&text);
            match parse(&text) {
                Some(fast) => {
                    let general = general.unwrap_or_else(|e| panic!("{path:?}: {e}"));
                    assert_same(&fast, &general, path);
                    fast_read += 1;
                }
                // Only a file the general path refuses (the truncated fixture) is refused.
                None => assert!(general.is_err(), "{path:?} left to the general path"),
            }
        }
        assert!(fast_read >= 4, "{fast_read} files");
    }

    #[test]
    fn every_prefix_reads_the_same_or_is_left_to_the_general_path() {
        let file = include_str!("../../../../testdata/yarn/berry-workspaces/after/yarn.lock");
        prefixes_agree(file, parse, super::super::parse_general);
        edits_agree(file, parse, super::super::parse_general);
    }

    #[test]
    fn leaves_other_shapes_to_the_general_path() {
        let head = "__metadata:\n  version: 8\n\n";
        let entry = "\"a@npm:1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n";
        let ok = format!("{head}{entry}  linkType: hard\n");
        assert_eq!(parse(&ok).unwrap().packages.len(), 1);
        for text in [
            format!("{head}{entry}"),
            format!("{head}{entry}  linkType: hard\n{entry}  linkType: hard\n"),
            format!("{head}{entry}  linkType: &a hard\n"),
            format!("{head}{entry}  linkType: hard\n  version: 2.0.0\n"),
            format!("{head}{entry}  linkType: hard\n  dependencies: {{b: 1}}\n"),
            format!("{head}{entry}  linkType:\n    hard\n"),
            format!("{entry}  linkType: hard\n"),
            format!("__metadata:\n  resolution:\n    a: b\n\n{entry}  linkType: hard\n"),
            format!("{head}\"a@npm:1\":\n  version: 1.0\n  resolution: \"a@npm:1.0\"\n  linkType: hard\n"),
            format!("{head}{entry}  linkType: hard\n  bin:\n    a: |\n      x\n"),
            ok.replace("\n", "\r"),
        ] {
            assert!(parse(&text).is_none(), "{text}");
        }
    }
}
