//! Ranges resolved by what is installed: when the head is the work tree and a
//! `node_modules` or a virtual environment beside a dependency file holds a version its
//! new range admits, that version is the change's `to` (`to_installed`), since it is
//! what the code will run against (`npm install express@5 && bumpcheck check`).

use crate::diff::{self, Change};
use crate::git::Snapshot;
use crate::lockfile::Format;
use crate::version::{ChangeKind, Requirement};

pub(super) fn apply(changes: &mut [Change], head: &Snapshot) {
    let Snapshot::WorkTree(root) = head else {
        return;
    };
    for c in changes.iter_mut() {
        let Some(spec) = &c.to_spec else { continue };
        let dir = root.join(Format::project_dir(&c.lockfile));
        let Some(installed) = crate::notes::installed_version(c.ecosystem, &dir, &c.name) else {
            continue;
        };
        let admitted = Requirement::parse(c.ecosystem, spec).is_ok_and(|r| r.admits(&installed));
        if !admitted {
            continue;
        }
        // Sized from the old version to the installed one; from a range with no lower
        // bound the installed version says nothing more than the new range did.
        if let Some(from) = &c.from {
            c.kind = diff::range_kind(c.ecosystem, from, c.from_spec.as_deref(), &installed, None);
            c.breaking = c.kind != ChangeKind::Downgrade
                && crate::version::is_breaking(c.ecosystem, from, &installed);
        }
        c.to = Some(installed);
        c.to_installed = true;
    }
}
