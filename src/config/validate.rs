//! Checking the values of a parsed file: names from closed lists (severities, fail-on,
//! notes mode), globs that compile, folders that exist, URLs a client can fetch, package
//! names with a known ecosystem. All problems are collected, each at its own position.

use super::apply::{Exclude, PackageSpec, RuleSettings, SeverityChange};
use super::position::{element, entry, line_column};
use super::schema::File;
use super::{Config, ConfigError, ConfigErrors, FailOn};
use crate::notes::config::Endpoints;
use crate::notes::Selection;
use crate::rules::Severity;
use std::path::Path;
use toml::Spanned;

const SEVERITIES: [(&str, Severity); 4] = [
    ("hint", Severity::Hint),
    ("info", Severity::Info),
    ("warning", Severity::Warning),
    ("error", Severity::Error),
];

struct Checker<'a> {
    text: &'a str,
    display: &'a str,
    errors: Vec<ConfigError>,
}

impl Checker<'_> {
    fn error<T>(&mut self, at: &Spanned<T>, key: &str, message: String) {
        let (line, column) = line_column(self.text, at.span().start);
        self.errors.push(ConfigError {
            path: self.display.to_string(),
            line: Some(line),
            column: Some(column),
            key: Some(key.to_string()),
            message,
        });
    }

    /// A value from a closed list of names.
    fn one_of<T: Copy>(
        &mut self,
        value: &Spanned<String>,
        key: &str,
        what: &str,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let found = choices.iter().find(|(n, _)| *n == value.get_ref().as_str());
        if found.is_none() {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            self.error(
                value,
                key,
                format!(
                    "unknown {what} {:?} (expected {})",
                    value.get_ref(),
                    names.join(", ")
                ),
            );
        }
        found.map(|(_, v)| *v)
    }

    /// An `http(s)://` URL (with `sparse+`/`registry+` first when `cargo` is true).
    fn url(&mut self, value: &Option<Spanned<String>>, key: &str, cargo: bool) -> Option<String> {
        let value = value.as_ref()?;
        let raw = value.get_ref().trim();
        let (kind, rest) = match raw.split_once('+') {
            Some((k, rest)) if cargo && (k == "sparse" || k == "registry") => (Some(k), rest),
            _ => (None, raw),
        };
        let problem = match reqwest::Url::parse(rest) {
            Err(e) => Some(format!("{raw:?} is not a URL ({e})")),
            Ok(u) if !matches!(u.scheme(), "http" | "https") => {
                Some(format!("{raw:?} is not an http or https URL"))
            }
            Ok(u) if u.host_str().is_none_or(str::is_empty) => {
                Some(format!("{raw:?} names no host"))
            }
            Ok(_) if cargo && kind.is_none() => Some(format!(
                "{raw:?} does not say what kind of index it is: write `sparse+{raw}` (a sparse \
                 index) or `registry+{raw}` (a git index)"
            )),
            Ok(_) => None,
        };
        match problem {
            Some(p) => {
                self.error(value, key, p);
                None
            }
            None => Some(raw.to_string()),
        }
    }
}

pub fn check(raw: File, text: &str, display: &str, base: &Path) -> Result<Config, ConfigErrors> {
    let mut c = Checker {
        text,
        display,
        errors: Vec::new(),
    };
    let mut config = Config {
        display: display.to_string(),
        ..Config::default()
    };

    if let Some(v) = &raw.fail_on {
        let mut choices: Vec<(&str, FailOn)> = SEVERITIES
            .iter()
            .rev()
            .map(|&(n, s)| (n, FailOn::At(s)))
            .collect();
        choices.push(("never", FailOn::Never));
        config.fail_on = c.one_of(v, "fail-on", "fail-on level", &choices);
    }
    if let Some(v) = &raw.max_lockfile_size {
        if *v.get_ref() < 1 {
            c.error(
                v,
                "max-lockfile-size",
                format!(
                    "{} is not a size: give a number of MiB, at least 1",
                    v.get_ref()
                ),
            );
        } else {
            config.max_lockfile_size = Some(*v.get_ref() as u64);
        }
    }

    let mut exclude = globset::GlobSetBuilder::new();
    for (i, pattern) in raw.exclude.iter().enumerate() {
        match Exclude::glob(pattern.get_ref()) {
            Ok(g) => {
                exclude.add(g);
            }
            Err(e) => c.error(pattern, &element("exclude", i), e),
        }
    }
    config.exclude = Exclude::new(
        exclude.build().ok(),
        raw.exclude.iter().map(|p| p.get_ref().clone()).collect(),
    );

    for (i, dir) in raw.rules.dirs.iter().enumerate() {
        let path = base.join(dir.get_ref());
        if path.is_dir() {
            config.rule_dirs.push(path);
        } else {
            c.error(
                dir,
                &element("rules.dirs", i),
                format!(
                    "{:?} is not a folder (rule folders are relative to this file's folder)",
                    dir.get_ref()
                ),
            );
        }
    }
    let mut rules = RuleSettings {
        file: display.to_string(),
        ..RuleSettings::default()
    };
    for (i, id) in raw.rules.disable.iter().enumerate() {
        rules
            .disable
            .push(located(&c, id, element("rules.disable", i)));
    }
    for (id, severity) in &raw.rules.severity {
        let key = entry("rules.severity", id.get_ref());
        if raw
            .rules
            .disable
            .iter()
            .any(|d| d.get_ref() == id.get_ref())
        {
            c.error(
                id,
                &key,
                format!(
                    "`{}` is also in `rules.disable`: a disabled rule has no severity",
                    id.get_ref()
                ),
            );
            continue;
        }
        if let Some(s) = c.one_of(severity, &key, "severity", &SEVERITIES) {
            rules.severity.push(SeverityChange {
                rule: located(&c, id, key),
                severity: s,
            });
        }
    }
    config.rules = rules;

    if let Some(v) = &raw.notes.mode {
        let choices = [
            ("none", Selection::None),
            ("direct", Selection::Direct),
            ("all", Selection::All),
        ];
        config.notes_mode = c.one_of(v, "notes.mode", "notes mode", &choices);
    }
    for (i, spec) in raw.notes.always.iter().enumerate() {
        match PackageSpec::parse(spec.get_ref()) {
            Ok(p) => config.notes_always.push(p),
            Err(e) => c.error(spec, &element("notes.always", i), e),
        }
    }

    config.endpoints = Endpoints {
        npm_registry: c.url(&raw.registries.npm, "registries.npm", false),
        cargo_index: c.url(&raw.registries.crates, "registries.crates", true),
        pypi_index: c.url(&raw.registries.pypi, "registries.pypi", false),
        rubygems_source: c.url(&raw.registries.rubygems, "registries.rubygems", false),
        composer_repository: c.url(&raw.registries.composer, "registries.composer", false),
        github_api_url: c.url(&raw.github.api_url, "github.api-url", false),
        github_token_env: None,
    };
    if let Some(v) = &raw.github.token_env {
        let name = v.get_ref();
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            && !name.starts_with(|ch: char| ch.is_ascii_digit());
        if valid {
            config.endpoints.github_token_env = Some(name.clone());
        } else {
            c.error(
                v,
                "github.token-env",
                format!(
                    "{name:?} is not an environment variable name (letters, digits and `_`); \
                     name the variable that holds the token, not the token"
                ),
            );
        }
    }

    if c.errors.is_empty() {
        Ok(config)
    } else {
        Err(ConfigErrors(c.errors))
    }
}

fn located(c: &Checker<'_>, value: &Spanned<String>, key: String) -> super::apply::Located {
    let (line, column) = line_column(c.text, value.span().start);
    super::apply::Located {
        value: value.get_ref().clone(),
        line,
        column,
        key,
    }
}
