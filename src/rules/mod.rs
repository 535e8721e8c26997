//! The rule library: loading and validating rule files, deciding which rules a change
//! fires, and running the rules' own tests.
//!
//! A rule is a valid ast-grep rule (so `sg scan`/`sg test` keep working on the library)
//! whose trigger lives under `metadata`. The built-in library is embedded in the binary;
//! `--rules DIR` adds directories laid out the same way: `*.yml` rule files, `*-test.yml`
//! snippet tests (ast-grep's valid/invalid format) and annotated whole-file fixtures.

pub mod catalogue;
mod embedded;
mod fixcheck;
mod load;
pub mod scaffold;
pub mod testing;
mod trigger;

pub use load::{language_of, layout_names, COMPILED_LANGUAGES, PLACEHOLDER};
pub use trigger::Trigger;

use crate::scan::imports::FileImports;
use ast_grep_config::RuleConfig;
use ast_grep_language::SupportLang;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// How serious a finding is; ordered so that `>=` compares with `--fail-on`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem in a rule file, with the position of the offending field where known.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub line: Option<u64>,
    pub column: Option<u64>,
    /// The field at fault (`metadata.from`, `url`...), when one is.
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, ": `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A loaded, compiled rule.
pub struct Rule {
    pub id: String,
    /// Where it was read from (`rules/library/...` for the built-in library).
    pub path: String,
    /// The language the rule is written in.
    pub language: SupportLang,
    pub severity: Severity,
    pub message: String,
    pub note: Option<String>,
    pub url: String,
    /// The fix template, when the rule has one.
    pub fix: Option<String>,
    pub trigger: Trigger,
    /// The import names that scope the rule to files using its package
    /// (`metadata.imports`, or derived from the package names); `None` runs it on
    /// every file of the lockfile's scope.
    pub imports: Option<Vec<String>>,
    /// The rule compiled for every grammar it applies to: a JavaScript rule also runs
    /// on TypeScript and TSX files, whose grammars extend JavaScript's.
    variants: Vec<(SupportLang, RuleConfig<SupportLang>)>,
}

impl Rule {
    /// The compiled rule for files of `lang`, if the rule applies to them.
    pub fn for_language(&self, lang: SupportLang) -> Option<&RuleConfig<SupportLang>> {
        self.variants
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, config)| config)
    }

    /// Whether the rule applies to a file with these imports.
    pub fn in_scope(&self, imports: &FileImports) -> bool {
        self.imports
            .as_ref()
            .is_none_or(|names| imports.uses(names))
    }

    pub fn languages(&self) -> impl Iterator<Item = SupportLang> + '_ {
        self.variants.iter().map(|(l, _)| *l)
    }
}

/// A rule file, test file or fixture as read from the library or a directory.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Snippet tests for one rule (ast-grep's format).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct SnippetTests {
    pub id: String,
    #[serde(default)]
    pub valid: Vec<String>,
    #[serde(default)]
    pub invalid: Vec<String>,
    /// What the rule's fix makes of each invalid snippet, in the same order (optional;
    /// ast-grep's `sg test` ignores the key).
    #[serde(default)]
    pub fixed: Vec<String>,
    #[serde(skip)]
    pub path: String,
}

/// Every rule available to a run, with their tests, and the files that failed to load.
#[derive(Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    pub tests: Vec<SnippetTests>,
    pub fixtures: Vec<SourceFile>,
    pub errors: Vec<RuleError>,
}

impl RuleSet {
    /// The built-in library.
    pub fn builtin() -> RuleSet {
        let mut set = RuleSet::default();
        set.add_files(embedded::files());
        set
    }

    /// The built-in library (unless `builtin` is false) plus rule directories.
    pub fn load(builtin: bool, dirs: &[PathBuf]) -> RuleSet {
        let mut set = if builtin {
            RuleSet::builtin()
        } else {
            RuleSet::default()
        };
        for dir in dirs {
            match load::read_dir(dir) {
                Ok(files) => set.add_files(files),
                Err(e) => set.errors.push(e),
            }
        }
        set
    }

    /// Loads one directory only (for `rules test DIR`).
    pub fn from_dir(dir: &Path) -> RuleSet {
        RuleSet::load(false, &[dir.to_path_buf()])
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    fn add_files(&mut self, files: Vec<SourceFile>) {
        for file in files {
            match load::classify(&file.path) {
                load::FileRole::Rule => match load::parse_rule(&file) {
                    Ok(rule) => {
                        if let Some(other) = self.get(&rule.id) {
                            self.errors.push(RuleError {
                                path: file.path.clone(),
                                line: None,
                                column: None,
                                field: Some("id".into()),
                                message: format!(
                                    "duplicate rule id `{}`, already defined in {}",
                                    rule.id, other.path
                                ),
                            });
                        } else {
                            self.rules.push(rule);
                        }
                    }
                    Err(e) => self.errors.push(e),
                },
                load::FileRole::Tests => match load::parse_tests(&file) {
                    Ok(tests) => self.tests.extend(tests),
                    Err(e) => self.errors.push(e),
                },
                load::FileRole::Fixture => self.fixtures.push(file),
                load::FileRole::Other => {}
            }
        }
        self.rules.sort_by(|a, b| a.id.cmp(&b.id));
    }
}
