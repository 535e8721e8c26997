//! The report: what `check` found, as one serialisable value (the JSON contract of
//! DESIGN.md), rendered by one module per output format.

pub mod json;
pub mod text;

use crate::diff::Change;
use crate::rules::Severity;
use serde::Serialize;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub base: Revision,
    pub head: Revision,
    pub changes: Vec<Change>,
    pub findings: Vec<Finding>,
    /// Release notes of the selected changed packages.
    pub notes: Vec<crate::notes::PackageNotes>,
    pub errors: Vec<ReportError>,
    /// How many changed lockfiles were read at both revisions (not serialised: it decides
    /// whether errors left nothing analysed).
    #[serde(skip)]
    pub analysed_lockfiles: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

impl Default for Tool {
    fn default() -> Self {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Revision {
    pub rev: String,
    /// The commit sha; `None` for the work tree.
    pub commit: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub snippet: String,
    pub package: String,
    pub from: Option<String>,
    pub to: Option<String>,
    pub references: Vec<String>,
    pub fix: Option<String>,
    /// Index of the change (in `changes`) that fired the rule.
    #[serde(skip)]
    pub change: usize,
    /// The rule's explanatory note, for the terminal report.
    #[serde(skip)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReportError {
    pub path: String,
    /// The commit sha of the revision at fault; `None` for the work tree or no revision.
    pub rev: Option<String>,
    pub message: String,
}

impl Report {
    /// The exit status `check` should end with: 1 when a finding is at or above
    /// `fail_on`, 2 when errors left nothing analysed, else 0.
    pub fn exit_code(&self, fail_on: Option<Severity>) -> i32 {
        let failing =
            fail_on.is_some_and(|level| self.findings.iter().any(|f| f.severity >= level));
        if failing {
            1
        } else if !self.errors.is_empty() && self.analysed_lockfiles == 0 {
            2
        } else {
            0
        }
    }
}
