//! bun's text lockfile, bun.lock (bun 1.1.39+ with `--save-text-lockfile`, the default
//! since bun 1.2).
//!
//! JSON with trailing commas. `workspaces` maps each workspace folder (`""` is the root) to
//! the dependency lists of its package.json; `packages` maps an install path (`debug`,
//! `express/debug` for a nested copy, `lodash4` for an alias) to a positional array whose
//! first element is the resolution, `name@version` (or `name@workspace:…`, `name@file:…`,
//! `name@https://….tgz`, `name@github:…`).
//!
//! Direct dependencies are the workspaces' lists as bun recorded them (so no manifest is
//! read): npm's dependency kinds, aliases (`npm:real@1`) counted under both names.

use super::{split_name_spec, Lockfile, Package, ParseError};
use crate::manifest::npm::alias_target;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

pub const LOCKB_MESSAGE: &str = "bun.lockb is bun's binary lockfile, which bumpcheck cannot \
read; write the text lockfile bun.lock with `bun install --save-text-lockfile` (bun 1.1.39 \
or newer), or upgrade to bun 1.2, which writes bun.lock by default, and commit it";

/// The first bytes of a binary bun.lockb.
const LOCKB_MAGIC: &[u8] = b"#!/usr/bin/env bun\nbun-lockfile-format";

#[derive(Deserialize)]
struct RawLock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<u64>,
    #[serde(default)]
    workspaces: BTreeMap<String, Workspace>,
    #[serde(default)]
    packages: BTreeMap<String, PackageEntry>,
}

/// A `packages` entry, `["name@version", registry, {info}, integrity]`: only its first
/// element is kept, the rest is read past without building anything.
struct PackageEntry(Option<serde_json::Value>);

impl<'de> Deserialize<'de> for PackageEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PackageEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<PackageEntry, A::Error> {
                let first = seq.next_element()?;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(PackageEntry(first))
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Deserialize)]
struct Workspace {
    dependencies: Option<BTreeMap<String, String>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<BTreeMap<String, String>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<BTreeMap<String, String>>,
    #[serde(rename = "peerDependencies")]
    peer_dependencies: Option<BTreeMap<String, String>>,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    if bytes.starts_with(LOCKB_MAGIC) {
        return Err(ParseError::new(LOCKB_MESSAGE));
    }
    let json = strip_jsonc(bytes);
    let raw: RawLock = super::json::from_json(&json)?;
    if raw.lockfile_version.is_none() {
        return Err(ParseError::new("not a bun lockfile: no `lockfileVersion`"));
    }
    let mut out = Lockfile::default();
    for (path, entry) in raw.packages {
        let resolution = entry.0.as_ref().and_then(|v| v.as_str());
        let Some((name, version)) = resolution.and_then(split_name_spec) else {
            return Err(ParseError::new(format!(
                "`packages` entry `{path}` should start with \"name@version\""
            )));
        };
        if is_project_own(version) {
            continue;
        }
        out.packages.push(Package {
            spec: None,
            name: name.to_string(),
            version: version.to_string(),
            source: None,
        });
    }
    let mut direct = BTreeSet::new();
    for (dir, ws) in raw.workspaces {
        if !dir.is_empty() {
            out.workspace_dirs.push(dir);
        }
        for deps in [
            ws.dependencies,
            ws.dev_dependencies,
            ws.optional_dependencies,
            ws.peer_dependencies,
        ]
        .into_iter()
        .flatten()
        {
            for (name, spec) in deps {
                if is_project_own(&spec) {
                    continue;
                }
                if let Some(real) = alias_target(&spec) {
                    direct.insert(real.to_string());
                }
                direct.insert(name);
            }
        }
    }
    out.recorded_direct = direct.into_iter().collect();
    Ok(out)
}

/// Workspace members and the project's own folders: not dependencies.
fn is_project_own(spec: &str) -> bool {
    ["workspace:", "file:", "link:", "portal:"]
        .iter()
        .any(|p| spec.starts_with(p))
}

/// bun.lock is JSON plus trailing commas (and, being JSONC, possibly comments). Blanks
/// those out with spaces outside strings, so serde_json reads the rest and its line and
/// column still point into the original file.
fn strip_jsonc(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let mut i = 0;
    let mut in_string = false;
    // Where the last comma outside a string is, while only blanks followed it.
    let mut pending_comma: Option<usize> = None;
    while i < out.len() {
        let c = out[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_string = true;
                pending_comma = None;
            }
            b',' => pending_comma = Some(i),
            b']' | b'}' => {
                if let Some(p) = pending_comma.take() {
                    out[p] = b' ';
                }
            }
            b'/' if out.get(i + 1) == Some(&b'/') => {
                while i < out.len() && out[i] != b'\n' {
                    out[i] = b' ';
                    i += 1;
                }
                continue;
            }
            b'/' if out.get(i + 1) == Some(&b'*') => {
                let end = out[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(out.len(), |p| i + 2 + p + 2);
                for b in &mut out[i..end] {
                    if *b != b'\n' {
                        *b = b' ';
                    }
                }
                i = end;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::package_names as names;

    #[test]
    fn workspaces_aliases_nested_and_own_folders() {
        let lock = br#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "acme",
      "devDependencies": { "cross-env": "7.0.3", },
    },
    "packages/api": {
      "name": "@acme/api",
      "dependencies": {
        "@acme/web": "workspace:*",
        "lodash4": "npm:lodash@4.17.20",
        "local": "file:../local",
      },
      "peerDependencies": { "react": "^18", },
    },
  },
  "packages": {
    "@acme/web": ["@acme/web@workspace:packages/web"],
    "local": ["local@file:../local", { "dependencies": { "ms": "2.1.3" } }],
    "cross-env": ["cross-env@7.0.3", "", { "bin": { "cross-env": "src/bin/cross-env.js" } }, "sha512-x"],
    "debug": ["debug@2.6.9", "", {}, "sha512-x"],
    "express/debug": ["debug@4.4.1", "", {}, "sha512-x"],
    "@acme/web/debug": ["debug@4.3.4", "", {}, "sha512-x"],
    "lodash4": ["lodash@4.17.20", "", {}, "sha512-x"],
    "pad": ["pad@https://registry.example.invalid/pad/-/pad-1.3.0.tgz", {}, "sha512-x"],
    "gitdep": ["gitdep@github:acme/gitdep#0123abc", {}, "acme-gitdep-0123abc"],
    "@types/node": ["@types/node@20.1.0", "", {}, "sha512-x"],
  }
}
"#;
        let l = parse(lock).unwrap();
        assert_eq!(
            names(&l),
            [
                "@types/node@20.1.0",
                "cross-env@7.0.3",
                "debug@2.6.9",
                "debug@4.3.4",
                "debug@4.4.1",
                "gitdep@github:acme/gitdep#0123abc",
                "lodash@4.17.20",
                "pad@https://registry.example.invalid/pad/-/pad-1.3.0.tgz",
            ]
        );
        assert_eq!(l.workspace_dirs, ["packages/api"]);
        assert_eq!(
            l.recorded_direct,
            ["cross-env", "lodash", "lodash4", "react"]
        );
    }

    #[test]
    fn trailing_commas_and_comments_keep_positions() {
        let text =
            b"{\"a\": [1, 2,],\n // c, ]\n \"s\": \",]\\\",}\", /* x,\n */ \"b\": {\"c\": 1,},}";
        let stripped = strip_jsonc(text);
        assert_eq!(stripped.len(), text.len());
        let v: serde_json::Value = serde_json::from_slice(&stripped).unwrap();
        assert_eq!(v["s"], ",]\",}");
        assert_eq!(v["b"]["c"], 1);
        assert_eq!(
            stripped.iter().filter(|&&b| b == b'\n').count(),
            text.iter().filter(|&&b| b == b'\n').count()
        );
    }

    #[test]
    fn errors_have_positions() {
        // A missing comma on line 3: the position is the original file's.
        let err =
            parse(b"{\n  \"lockfileVersion\": 1,\n  \"workspaces\": {}\n  \"packages\": {},\n}")
                .unwrap_err();
        assert_eq!((err.line, err.column), (Some(4), Some(3)), "{err}");
        let err = parse(b"{\"lockfileVersion\": 1, \"packages\": {\"a\": [\"a\"]}}").unwrap_err();
        assert!(err.message.contains("name@version"), "{err}");
        let err = parse(b"{\"packages\": {}}").unwrap_err();
        assert!(err.message.contains("not a bun lockfile"), "{err}");
        let err = parse(b"").unwrap_err();
        assert!(err.message.contains("EOF"), "{err}");
        let err = parse(b"#!/usr/bin/env bun\nbun-lockfile-format-v0\n\x02\x00").unwrap_err();
        assert!(err.message.contains("--save-text-lockfile"), "{err}");
    }

    #[test]
    fn never_panics_on_truncations() {
        let lock = br#"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"a": "1",},},},
  "packages": {"a": ["a@1.0.0", "", {}, "sha512-x",], /* c */ "b": ["@s/b@2", "",],},}"#;
        for i in 0..lock.len() {
            let _ = parse(&lock[..i]);
        }
    }
}
