//! Every rule over a directory tree, with no lockfile and no version trigger (the
//! imports scoping still applies): `bumpcheck rules scan`, the rule authors' measure of
//! false positives on code that does not use a framework.

use super::{files, imports, matcher};
use crate::rules::{language_of, Rule};
use rayon::prelude::*;
use serde::Serialize;
use std::path::Path;

#[derive(Clone, Debug, Serialize)]
pub struct TreeFinding {
    pub rule: String,
    /// Relative to the scanned root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub snippet: String,
}

#[derive(Debug, Default, Serialize)]
pub struct TreeScan {
    /// Source files read (in a compiled-in language, not generated).
    pub files: usize,
    pub findings: Vec<TreeFinding>,
    /// Files that could not be read.
    pub errors: Vec<String>,
}

/// Scans the sources under `root` (skipping dependency folders below it, hidden folders
/// and generated files) with `rules`; `scoped` false runs every rule on every file, to
/// measure what the imports scoping saves.
pub fn scan_tree(root: &Path, rules: &[&Rule], scoped: bool) -> TreeScan {
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    let walk = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(true)
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_some_and(|t| t.is_dir())
                || files::descend("", &e.file_name().to_string_lossy())
        })
        .build();
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let name = e.file_name().to_string_lossy();
                if files::is_source("", &name) {
                    paths.push(e.into_path());
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    paths.sort();
    let results: Vec<Result<Option<Vec<TreeFinding>>, String>> = paths
        .par_iter()
        .map(|path| scan_file(root, path, rules, scoped))
        .collect();
    let mut scan = TreeScan {
        errors,
        ..TreeScan::default()
    };
    for r in results {
        match r {
            Ok(Some(found)) => {
                scan.files += 1;
                scan.findings.extend(found);
            }
            Ok(None) => {}
            Err(e) => scan.errors.push(e),
        }
    }
    scan
}

fn scan_file(
    root: &Path,
    path: &Path,
    rules: &[&Rule],
    scoped: bool,
) -> Result<Option<Vec<TreeFinding>>, String> {
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let Some(lang) = language_of(&rel) else {
        return Ok(None);
    };
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(None);
    };
    if files::looks_generated(text) {
        return Ok(None);
    }
    let applicable: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.for_language(lang).is_some())
        .collect();
    let applicable = if scoped {
        imports::rules_in_scope(lang, text, &applicable, |r| *r)
    } else {
        applicable
    };
    let configs: Vec<_> = applicable
        .iter()
        .filter_map(|r| r.for_language(lang))
        .collect();
    let found = matcher::match_source(lang, text, &configs)
        .into_iter()
        .map(|m| TreeFinding {
            rule: applicable[m.rule].id.clone(),
            path: rel.clone(),
            line: m.line,
            column: m.column,
            message: m.message,
            snippet: m.snippet,
        })
        .collect();
    Ok(Some(found))
}
