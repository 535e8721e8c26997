//! The full YAML parser (serde-saphyr) as the lockfile readers use it: one budget for
//! every YAML format, and its errors turned into `ParseError`s.

use super::ParseError;

/// How deep collections may nest. A lockfile nests a handful of levels (pnpm's deepest is
/// `importers` > project > `dependencies` > name > `version`); the parser recurses once per
/// level, so deeper input (hostile or broken) is refused before it can exhaust the stack.
pub(crate) const MAX_DEPTH: usize = 32;

/// The budget for reading a lockfile of `len` bytes. A large monorepo's lockfile has far
/// more YAML events and nodes than the default budget allows; each takes at least one
/// byte (an event, half of one), so those limits follow the input.
pub(crate) fn budget(len: usize) -> serde_saphyr::Budget {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = budget.max_events.max(len.saturating_mul(2));
    budget.max_nodes = budget.max_nodes.max(len);
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget
}

impl From<serde_saphyr::Error> for ParseError {
    fn from(e: serde_saphyr::Error) -> Self {
        let loc = e.location();
        let nested_too_deep = matches!(
            e.without_snippet(),
            serde_saphyr::Error::Budget {
                breach: serde_saphyr::budget::BudgetBreach::Depth { .. },
                ..
            }
        );
        // The rendered error may start with `error: line L column C: ` or end with
        // ` at line L, column C` (and quote the input on later lines); keep the reason.
        let full = e.to_string();
        let first = full.lines().next().unwrap_or_default();
        let bare = first.strip_prefix("error: ").unwrap_or(first);
        let bare = match bare.split_once(": ") {
            Some((pos, reason)) if pos.starts_with("line ") => reason,
            _ => bare,
        };
        let bare = bare.rfind(" at line ").map_or(bare, |i| &bare[..i]);
        // The depth budget and the parser's own flow nesting guard say the same thing.
        let message = if nested_too_deep || bare == "recursion limit exceeded" {
            format!("collections nested more than {MAX_DEPTH} levels deep")
        } else {
            bare.to_string()
        };
        ParseError {
            message,
            line: loc.map(|l| l.line() as usize).filter(|&l| l > 0),
            column: loc
                .filter(|l| l.line() > 0)
                .map(|l| l.column() as usize)
                .filter(|&c| c > 0),
        }
    }
}
