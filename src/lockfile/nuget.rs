//! NuGet's `packages.lock.json` (version 1 and 2).
//!
//! `dependencies` maps each target framework (`net8.0`, and runtime-specific ones such as
//! `net8.0/linux-x64`) to the packages restored for it. `type` says what each is:
//! `Direct` (a PackageReference of the project), `Transitive`, `CentralTransitive` (a
//! transitive package pinned by central package management: still transitive), and `Project`
//! (another project of the solution: the project's own code, not a package). `resolved` is
//! the version. A package resolved at different versions for different frameworks is kept
//! at each version. Package IDs are kept as written (NuGet compares them ignoring case, and
//! the lockfile writes each ID as its package does).

use super::{Lockfile, ParseError};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct RawLock {
    version: Option<u32>,
    dependencies: Option<BTreeMap<String, BTreeMap<String, Entry>>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    resolved: Option<String>,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let raw: RawLock = super::json::from_json(bytes)?;
    let (Some(_), Some(frameworks)) = (raw.version, raw.dependencies) else {
        return Err(ParseError::new(
            "not a packages.lock.json: no `version` and `dependencies`",
        ));
    };
    let mut packages = BTreeSet::new();
    let mut direct = BTreeSet::new();
    for (name, entry) in frameworks.into_values().flatten() {
        if entry.kind.eq_ignore_ascii_case("project") {
            continue;
        }
        if entry.kind.eq_ignore_ascii_case("direct") {
            direct.insert(name.clone());
        }
        if let Some(version) = entry.resolved {
            packages.insert((name, version));
        }
    }
    Ok(Lockfile::from_sets(packages, direct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_types_and_projects() {
        let l = parse(
            br#"{"version": 2, "dependencies": {
              "net6.0": {
                "Serilog": {"type": "Direct", "requested": "[3.1.1, )", "resolved": "3.1.1"},
                "System.Memory": {"type": "Transitive", "resolved": "4.5.4"},
                "Acme.Core": {"type": "Project", "dependencies": {"Serilog": "[3.1.1, )"}}
              },
              "net8.0": {
                "Serilog": {"type": "Direct", "requested": "[3.1.1, )", "resolved": "3.1.1"},
                "System.Memory": {"type": "CentralTransitive", "requested": "[4.5.5, )", "resolved": "4.5.5"}
              },
              "net8.0/linux-x64": {}
            }}"#,
        )
        .unwrap();
        assert_eq!(
            crate::lockfile::listing(&l),
            [
                "Serilog 3.1.1",
                "System.Memory 4.5.4",
                "System.Memory 4.5.5"
            ]
        );
        assert_eq!(l.recorded_direct, ["Serilog"]);
    }

    #[test]
    fn errors_have_positions() {
        let e =
            parse(b"{\"version\": 1,\n \"dependencies\": {\"net8.0\": {\"A\": {}}}}").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("type"), "{e}");
        let e = parse(b"{\"lockfileVersion\": 3}").unwrap_err();
        assert!(e.message.contains("not a packages.lock.json"));
        assert!(parse(b"{\"version\": 1, \"dependencies\": {").is_err());
    }
}
