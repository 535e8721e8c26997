//! bumpcheck: catches the regressions a dependency upgrade is about to cause.
//!
//! The pipeline (see `check::run`): read the lockfiles at two revisions (`git`), parse them
//! (`lockfile`), find direct dependencies (`manifest`), compute the package changes (`diff`,
//! `version`), fire the rules whose trigger the changes satisfy (`rules`), match them against
//! the sources (`scan`), and render a report (`report`). The library never prints; `cli` does.

pub mod check;
pub mod cli;
pub mod config;
pub mod diff;
pub mod ecosystem;
pub mod error;
pub mod fix;
pub mod git;
pub mod github;
pub mod lockfile;
pub mod manifest;
pub mod notes;
pub mod preview;
pub mod redact;
pub mod registry;
pub mod report;
pub mod rules;
pub mod scan;
pub mod version;
