//! Baselines: the findings a repository already had, recorded by a fingerprint that
//! survives unrelated edits (rule, path and the matched code with blanks folded; not line
//! numbers), so that a team adopting bumpcheck sees only what is new.

use super::sarif::fingerprint;
use super::Report;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding; `line` is for people reading the file, not for matching.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    pub path: String,
    pub line: usize,
}

#[derive(Debug, Error)]
pub enum BaselineError {
    #[error("cannot read the baseline {path}: {message}")]
    Read { path: String, message: String },
    #[error(
        "{path} is a baseline of version {found}; this bumpcheck reads version {BASELINE_VERSION}"
    )]
    Version { path: String, found: u32 },
}

impl Baseline {
    /// The findings of a report, as a baseline.
    pub fn of(report: &Report) -> Baseline {
        Baseline {
            version: BASELINE_VERSION,
            findings: report
                .findings
                .iter()
                .map(|f| Entry {
                    fingerprint: fingerprint(f),
                    rule: f.rule.clone(),
                    path: f.path.clone(),
                    line: f.line,
                })
                .collect(),
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError::Read {
            path: path.display().to_string(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        let baseline: Baseline = serde_json::from_slice(&bytes).map_err(|e| err(e.to_string()))?;
        if baseline.version != BASELINE_VERSION {
            return Err(BaselineError::Version {
                path: path.display().to_string(),
                found: baseline.version,
            });
        }
        Ok(baseline)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a baseline always serialises") + "\n"
    }

    /// Removes from the report the findings the baseline records, each recorded finding
    /// at most once (the same code twice in a file is two findings); returns how many.
    pub fn apply(&self, report: &mut Report) -> usize {
        let mut known: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &self.findings {
            *known.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        let before = report.findings.len();
        report
            .findings
            .retain(|f| match known.get_mut(fingerprint(f).as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            });
        before - report.findings.len()
    }
}
