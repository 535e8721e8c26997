//! `bumpcheck.toml`: the optional per-repository configuration. Found at the root of the
//! repository being checked (`bumpcheck.toml` or `.bumpcheck.toml`, not both), or named
//! with `--config`. The file is read into typed structs that refuse unknown keys
//! (`schema`), then checked value by value (`validate`); every error names the file, the
//! line and column, and the dotted key. `apply` holds what the check run does with it.

mod apply;
mod position;
mod schema;
pub mod starter;
mod validate;

pub use apply::{always_wanted, Exclude, PackageSpec, RuleSettings, PSEUDO_RULES};

use crate::notes::config::Endpoints;
use crate::rules::Severity;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The names looked for at the repository root, in this order.
pub const FILE_NAMES: [&str; 2] = ["bumpcheck.toml", ".bumpcheck.toml"];

/// A problem in the configuration file, at a position and key where there is one.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub struct ConfigError {
    /// The file as the user knows it (relative to the repository root when found there).
    pub path: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted key at fault: `rules.severity.express-5-req-param`, `exclude[1]`.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one file (a file is checked whole, so all are reported at once).
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// `fail-on`: the least severe finding that fails the check, or never.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

/// A loaded, checked configuration file. Every setting is optional: what the file leaves
/// out (and what a command-line flag sets) keeps its usual default.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file, as reports and errors name it.
    pub display: String,
    /// The file on disk.
    pub path: PathBuf,
    pub fail_on: Option<FailOn>,
    /// In MiB.
    pub max_lockfile_size: Option<u64>,
    pub exclude: Exclude,
    /// Extra rule directories, resolved against the file's folder.
    pub rule_dirs: Vec<PathBuf>,
    pub rules: RuleSettings,
    pub notes_mode: Option<crate::notes::Selection>,
    pub notes_always: Vec<PackageSpec>,
    pub endpoints: Endpoints,
}

/// The configuration file at the repository root, if there is one. Both names present is
/// an error: which one applies would be a guess.
pub fn discover(root: &Path) -> Result<Option<PathBuf>, ConfigError> {
    let found: Vec<PathBuf> = FILE_NAMES
        .iter()
        .map(|n| root.join(n))
        .filter(|p| p.is_file())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        _ => Err(ConfigError {
            path: FILE_NAMES[0].into(),
            line: None,
            column: None,
            key: None,
            message: format!(
                "both {} and {} are at the repository root; keep one",
                FILE_NAMES[0], FILE_NAMES[1]
            ),
        }),
    }
}

/// Reads and checks a configuration file; `display` is how messages and reports name it.
pub fn load(path: &Path, display: &str) -> Result<Config, ConfigErrors> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            path: display.into(),
            line: None,
            column: None,
            key: None,
            message: format!("cannot read it: {e}"),
        }])
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse(&text, display, base).map(|mut c| {
        c.path = path.to_path_buf();
        c
    })
}

/// Parses and checks configuration text; relative rule directories are resolved
/// against `base`.
pub fn parse(text: &str, display: &str, base: &Path) -> Result<Config, ConfigErrors> {
    let raw: schema::File = toml::from_str(text).map_err(|e| {
        let at = e.span().map(|s| s.start);
        let (line, column) = at.map(|o| position::line_column(text, o)).unzip();
        ConfigErrors(vec![ConfigError {
            path: display.into(),
            line,
            column,
            key: at.and_then(|o| position::key_at(text, o)),
            message: e.message().trim_end().to_string(),
        }])
    })?;
    validate::check(raw, text, display, base)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        parse(text, "bumpcheck.toml", Path::new("."))
            .unwrap_err()
            .0
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn errors_name_the_file_position_and_key() {
        assert_eq!(
            errors("fail-on = \"error\"\n[rules]\ndisabel = [\"x\"]\n"),
            ["bumpcheck.toml:3:1: `rules.disabel`: unknown field `disabel`, expected one of `dirs`, `disable`, `severity`"]
        );
        assert_eq!(
            errors("max-lockfile-size = \"big\"\n"),
            ["bumpcheck.toml:1:21: `max-lockfile-size`: invalid type: string \"big\", expected i64"]
        );
        assert_eq!(
            errors("[rules.severity]\nexpress-5-req-param = \"critical\"\n"),
            ["bumpcheck.toml:2:23: `rules.severity.express-5-req-param`: unknown severity \"critical\" (expected hint, info, warning, error)"]
        );
        let many = errors(
            "fail-on = \"sometimes\"\nexclude = [\"ok/\", \"src/[a\"]\n[notes]\nalways = [\"crate:serde\"]\n[registries]\nnpm = \"ftp://x.example.invalid\"\ncrates = \"https://c.example.invalid/\"\n[github]\ntoken-env = \"ghp_abc-123\"\n",
        );
        let starts: Vec<&str> = many.iter().map(|e| e.split(" ").next().unwrap()).collect();
        assert_eq!(
            starts,
            [
                "bumpcheck.toml:1:11:",
                "bumpcheck.toml:2:19:",
                "bumpcheck.toml:4:11:",
                "bumpcheck.toml:6:7:",
                "bumpcheck.toml:7:10:",
                "bumpcheck.toml:9:13:"
            ],
            "{many:#?}"
        );
        assert!(many[0].contains("`fail-on`: unknown fail-on level \"sometimes\" (expected error, warning, info, hint, never)"));
        assert!(many[1].contains("`exclude[1]`"));
        assert!(many[2].contains("`notes.always[0]`"));
        assert!(many[5].contains("not an environment variable name"));
    }

    #[test]
    fn keys_in_headers_inline_tables_and_arrays() {
        assert_eq!(
            errors("fail-on = \"error\"\n[rulez]\n"),
            ["bumpcheck.toml:2:2: `rulez`: unknown field `rulez`, expected one of `fail-on`, `max-lockfile-size`, `exclude`, `rules`, `notes`, `registries`, `github`"]
        );
        assert_eq!(
            errors("github = { apiurl = \"x\" }\n"),
            ["bumpcheck.toml:1:12: `github.apiurl`: unknown field `apiurl`, expected `api-url` or `token-env`"]
        );
        assert_eq!(
            errors("exclude = [\"a\", 1]\n"),
            ["bumpcheck.toml:1:17: `exclude[1]`: invalid type: integer `1`, expected a string"]
        );
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let e = errors("[rules\n");
        assert!(e[0].starts_with("bumpcheck.toml:1:"), "{e:?}");
    }

    #[test]
    fn both_names_at_the_root_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(discover(dir.path()), Ok(None));
        std::fs::write(dir.path().join(".bumpcheck.toml"), "").unwrap();
        assert_eq!(
            discover(dir.path()),
            Ok(Some(dir.path().join(".bumpcheck.toml")))
        );
        std::fs::write(dir.path().join("bumpcheck.toml"), "").unwrap();
        let e = discover(dir.path()).unwrap_err().to_string();
        assert!(e.contains("bumpcheck.toml and .bumpcheck.toml"), "{e}");
    }
}
