//! When a rule fires: a package of an ecosystem crossing a version window
//! (`from`/`to`), or changing by a kind (`change: major`).

use crate::diff::Change;
use crate::ecosystem::Ecosystem;
use crate::version::{self, ChangeKind, Range};

#[derive(Clone, Debug)]
pub struct Trigger {
    pub ecosystem: Ecosystem,
    pub packages: Vec<String>,
    /// The old version satisfies the first range, the new one the second.
    pub window: Option<(Range, Range)>,
    /// Kinds of change that fire the rule (any of them).
    pub kinds: Vec<ChangeKind>,
}

impl Trigger {
    /// Whether `change` fires the rule. With both a window and kinds, both must hold.
    /// A wide upgrade (4.x to 6.x) satisfies every window it crosses.
    pub fn fires(&self, change: &Change) -> bool {
        if change.ecosystem != self.ecosystem || !self.packages.contains(&change.name) {
            return false;
        }
        if !self.kinds.is_empty() && !self.kinds.contains(&change.kind) {
            return false;
        }
        if let Some((from, to)) = &self.window {
            // A range with no lower bound (`from_spec` without `from`) admitted every
            // version below the new one: it is inside any `from` window that has one.
            let old = match (&change.from, &change.from_spec) {
                (None, Some(_)) => version::parse(self.ecosystem, "0.0.0"),
                (from, _) => from
                    .as_deref()
                    .and_then(|v| version::parse(self.ecosystem, v)),
            };
            let new = change
                .to
                .as_deref()
                .and_then(|v| version::parse(self.ecosystem, v));
            match (old, new) {
                (Some(old), Some(new)) => return from.contains(&old) && to.contains(&new),
                _ => return false,
            }
        }
        !self.kinds.is_empty()
    }

    /// A short human description: `express <5.0.0 -> >=5.0.0`, `express|koa major`.
    pub fn describe(&self) -> String {
        let mut s = format!("{}:{}", self.ecosystem, self.packages.join("|"));
        if let Some((from, to)) = &self.window {
            s.push_str(&format!(" {from} -> {to}"));
        }
        if !self.kinds.is_empty() {
            let kinds: Vec<&str> = self.kinds.iter().map(|k| k.as_str()).collect();
            s.push_str(&format!(" on {} change", kinds.join("|")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(name: &str, from: &str, to: &str) -> Change {
        Change {
            from_spec: None,
            to_spec: None,
            to_installed: false,
            ecosystem: Ecosystem::Npm,
            name: name.into(),
            from: Some(from.into()),
            to: Some(to.into()),
            kind: version::classify(Ecosystem::Npm, from, to),
            breaking: version::is_breaking(Ecosystem::Npm, from, to),
            direct: true,
            lockfile: "package-lock.json".into(),
            from_all: vec![],
            to_all: vec![],
            source: None,
        }
    }

    #[test]
    fn windows_and_kinds() {
        let t = Trigger {
            ecosystem: Ecosystem::Npm,
            packages: vec!["express".into()],
            window: Some((
                Range::parse("<5.0.0").unwrap(),
                Range::parse(">=5.0.0").unwrap(),
            )),
            kinds: vec![],
        };
        assert!(t.fires(&change("express", "4.21.2", "5.1.0")));
        assert!(t.fires(&change("express", "4.0.0", "6.0.0")));
        assert!(!t.fires(&change("express", "4.21.1", "4.21.2")));
        assert!(!t.fires(&change("express", "5.0.0", "5.1.0")));
        assert!(!t.fires(&change("koa", "1.0.0", "5.0.0")));
        // A range: unbounded below at base (`express` with no version), `>=5` at head.
        let mut unpinned = change("express", "4.0.0", "5.0.0");
        (unpinned.from, unpinned.from_spec) = (None, Some(String::new()));
        assert!(t.fires(&unpinned));
        unpinned.from_spec = None;
        assert!(!t.fires(&unpinned), "an added package crosses no window");

        let t = Trigger {
            ecosystem: Ecosystem::Npm,
            packages: vec!["express".into(), "koa".into()],
            window: None,
            kinds: vec![ChangeKind::Major],
        };
        assert!(t.fires(&change("koa", "2.15.0", "3.0.0")));
        assert!(!t.fires(&change("koa", "2.15.0", "2.16.0")));
        assert!(!t.fires(&change("koa", "3.0.0", "2.0.0")));
    }
}
