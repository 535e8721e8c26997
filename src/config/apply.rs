//! What a check run does with the configuration: which paths it leaves alone, which rules
//! it drops or re-grades, and which packages always get release notes.

use super::ConfigError;
use crate::diff::Change;
use crate::ecosystem::Ecosystem;
use crate::report::Finding;
use crate::rules::{RuleSet, Severity};
use globset::{Glob, GlobBuilder, GlobSet};
use std::collections::BTreeSet;

/// Findings bumpcheck itself reports, which no rule file defines but which can be
/// disabled or re-graded like rules.
pub const PSEUDO_RULES: [&str; 2] = [
    "bumpcheck-unused-suppression",
    "bumpcheck-suppression-without-reason",
];

/// `exclude`: globs over repository-relative paths (`*` stays within a folder, `**`
/// crosses folders); a glob that matches a folder excludes everything below it.
#[derive(Clone, Debug, Default)]
pub struct Exclude {
    set: Option<GlobSet>,
    patterns: Vec<String>,
}

impl Exclude {
    pub(super) fn new(set: Option<GlobSet>, patterns: Vec<String>) -> Exclude {
        Exclude { set, patterns }
    }

    /// One pattern, compiled; a leading `/` (anchored) and a trailing `/` (a folder) are
    /// accepted as gitignore writes them, and mean what the glob means anyway.
    pub fn glob(pattern: &str) -> Result<Glob, String> {
        let p = pattern.trim();
        let p = p.strip_prefix('/').unwrap_or(p);
        let p = p.strip_suffix('/').unwrap_or(p);
        if p.is_empty() {
            return Err("an empty pattern would exclude nothing".into());
        }
        GlobBuilder::new(p)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("{pattern:?} is not a valid glob: {}", e.kind()))
    }

    /// Whether a repository-relative path (`/`-separated) or one of its folders matches.
    pub fn excludes(&self, path: &str) -> bool {
        let Some(set) = &self.set else {
            return false;
        };
        path.match_indices('/')
            .map(|(i, _)| &path[..i])
            .chain(std::iter::once(path))
            .any(|p| set.is_match(p))
    }

    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }
}

/// A value from the file with its position, for errors found after loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub value: String,
    pub line: usize,
    pub column: usize,
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeverityChange {
    pub rule: Located,
    pub severity: Severity,
}

/// `rules.disable` and `rules.severity`.
#[derive(Clone, Debug, Default)]
pub struct RuleSettings {
    /// The configuration file, for the errors `apply` reports.
    pub file: String,
    pub disable: Vec<Located>,
    pub severity: Vec<SeverityChange>,
}

impl RuleSettings {
    pub fn is_empty(&self) -> bool {
        self.disable.is_empty() && self.severity.is_empty()
    }

    /// Drops the disabled rules and re-grades the others. Returns an error for each id
    /// that names no loaded rule (a typo, or a rule folder that was not loaded), which
    /// the run reports without stopping.
    pub fn apply(&self, rules: &mut RuleSet) -> Vec<ConfigError> {
        let known: Vec<&str> = rules
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(PSEUDO_RULES)
            .collect();
        let mut errors = Vec::new();
        let named = self
            .disable
            .iter()
            .chain(self.severity.iter().map(|s| &s.rule));
        for id in named {
            if !known.contains(&id.value.as_str()) {
                let hint = closest(&id.value, &known)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                errors.push(ConfigError {
                    path: self.file.clone(),
                    line: Some(id.line),
                    column: Some(id.column),
                    key: Some(id.key.clone()),
                    message: format!("no rule has the id `{}`{hint}", id.value),
                });
            }
        }
        rules.rules.retain(|r| !self.is_disabled(&r.id));
        for rule in &mut rules.rules {
            if let Some(s) = self.severity_of(&rule.id) {
                rule.severity = s;
            }
        }
        errors
    }

    /// The same for findings no rule file defines (`PSEUDO_RULES`).
    pub fn apply_to_findings(&self, findings: &mut Vec<Finding>) {
        findings.retain(|f| !self.is_disabled(&f.rule));
        for f in findings {
            if let Some(s) = self.severity_of(&f.rule) {
                f.severity = s;
            }
        }
    }

    fn is_disabled(&self, id: &str) -> bool {
        self.disable.iter().any(|d| d.value == id)
    }

    fn severity_of(&self, id: &str) -> Option<Severity> {
        self.severity
            .iter()
            .find(|s| s.rule.value == id)
            .map(|s| s.severity)
    }
}

/// The known id nearest to a misspelt one, if it is near enough to be the intent.
fn closest<'a>(id: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(id, k), *k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 5))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// `notes.always`: a package name, with an ecosystem prefix where the name alone is
/// ambiguous (`cargo:serde`, `pypi:django`, `maven:junit:junit`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageSpec {
    pub ecosystem: Option<Ecosystem>,
    pub name: String,
}

impl PackageSpec {
    pub fn parse(spec: &str) -> Result<PackageSpec, String> {
        let spec = spec.trim();
        let (ecosystem, name) = match spec.split_once(':') {
            Some((prefix, rest)) => match prefix.parse::<Ecosystem>() {
                Ok(e) => (Some(e), rest),
                // Maven coordinates (`org.slf4j:slf4j-api`) hold a `:` of their own.
                Err(_) if prefix.contains('.') => (None, spec),
                Err(e) => {
                    return Err(format!(
                        "{e}; write `ECOSYSTEM:NAME` (`maven:{spec}` for Maven coordinates)"
                    ))
                }
            },
            None => (None, spec),
        };
        if name.is_empty() {
            return Err(format!("{spec:?} names no package"));
        }
        Ok(PackageSpec {
            ecosystem,
            name: name.to_string(),
        })
    }

    fn matches(&self, change: &Change) -> bool {
        self.ecosystem.is_none_or(|e| e == change.ecosystem)
            && match change.ecosystem {
                Ecosystem::Pypi => {
                    crate::lockfile::pep508::normalize(&self.name)
                        == crate::lockfile::pep508::normalize(&change.name)
                }
                _ => self.name == change.name,
            }
    }
}

/// The changed packages that `notes.always` names.
pub fn always_wanted(specs: &[PackageSpec], changes: &[Change]) -> BTreeSet<(Ecosystem, String)> {
    changes
        .iter()
        .filter(|c| specs.iter().any(|s| s.matches(c)))
        .map(|c| (c.ecosystem, c.name.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exclude(patterns: &[&str]) -> Exclude {
        let mut b = globset::GlobSetBuilder::new();
        for p in patterns {
            b.add(Exclude::glob(p).unwrap());
        }
        Exclude::new(
            b.build().ok(),
            patterns.iter().map(|p| p.to_string()).collect(),
        )
    }

    #[test]
    fn excludes_paths_and_everything_under_a_matching_folder() {
        let e = exclude(&[
            "testdata/",
            "/legacy",
            "**/fixtures",
            "**/*.gen.ts",
            "src/*.old.js",
        ]);
        assert!(e.excludes("testdata/npm/package-lock.json"));
        assert!(e.excludes("legacy/app.js"));
        assert!(e.excludes("packages/api/fixtures/a.js"));
        assert!(e.excludes("a/b/c.gen.ts"));
        assert!(e.excludes("src/x.old.js"));
        assert!(
            !e.excludes("src/deep/x.old.js"),
            "`*` stays within a folder"
        );
        assert!(!e.excludes("src/testdata.js"));
        assert!(
            !e.excludes("app/legacy/x.js"),
            "a leading `/` anchors at the root"
        );
        assert!(!Exclude::default().excludes("anything"));
        assert!(Exclude::glob("src/[a").is_err());
        assert!(Exclude::glob(" ").is_err());
    }

    #[test]
    fn package_specs() {
        let p = |s: &str| PackageSpec::parse(s);
        assert_eq!(
            p("cargo:serde").unwrap(),
            PackageSpec {
                ecosystem: Some(Ecosystem::Cargo),
                name: "serde".into()
            }
        );
        assert_eq!(p("@types/node").unwrap().ecosystem, None);
        assert_eq!(
            p("org.slf4j:slf4j-api").unwrap().name,
            "org.slf4j:slf4j-api"
        );
        assert_eq!(p("maven:junit:junit").unwrap().name, "junit:junit");
        assert!(p("crate:serde")
            .unwrap_err()
            .contains("unknown ecosystem `crate`"));
        assert!(p("npm:").is_err());
    }

    #[test]
    fn suggests_the_nearest_rule_id() {
        let known = ["express-5-req-param", "node-http-req-escapes-listener"];
        assert_eq!(
            closest("express-5-req-parm", &known),
            Some("express-5-req-param")
        );
        assert_eq!(closest("something-else-entirely", &known), None);
    }
}
