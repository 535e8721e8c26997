//! Where crates come from, as the user's cargo configuration says: `$CARGO_HOME/config.toml`
//! and `.cargo/config.toml` in the project and its parents (`[registries.NAME] index`,
//! `[source.NAME] replace-with` / `registry`), `CARGO_REGISTRIES_<NAME>_INDEX` and
//! `_TOKEN`, and `credentials.toml`. No registry host is built in: a crate's index is the
//! one its Cargo.lock `source` records, after the source replacements configured for it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct CargoConfig {
    /// `CARGO_HOME`, else `~/.cargo`: its `registry/src` and `registry/cache` hold the
    /// crates already downloaded.
    pub home: Option<PathBuf>,
    /// `[registries.NAME]`: index URL and token.
    registries: BTreeMap<String, Registry>,
    /// `[source.NAME]`: `replace-with` and `registry`.
    sources: BTreeMap<String, SourceDef>,
    /// `bumpcheck.toml`'s `registries.crates`: the index for crates of the default
    /// registry, over any replacement cargo's configuration makes.
    pub default_index: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct Registry {
    index: Option<String>,
    token: Option<String>,
}

#[derive(Clone, Debug, Default)]
struct SourceDef {
    replace_with: Option<String>,
    registry: Option<String>,
}

/// The index a crate is fetched from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// `sparse+https://...` or `registry+https://...` (a git index).
    pub url: String,
    /// The token for it (`[registries.NAME] token`, `CARGO_REGISTRIES_NAME_TOKEN`).
    pub token: Option<String>,
}

/// The source name cargo gives its default registry.
const DEFAULT_SOURCE: &str = "crates-io";

impl CargoConfig {
    /// Reads the configuration as cargo does: `$CARGO_HOME/config.toml` first, then each
    /// `.cargo/config.toml` from the root down to the project (the nearer overriding),
    /// then the environment.
    pub fn discover(project_dir: Option<&Path>) -> CargoConfig {
        let home = std::env::var_os("CARGO_HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(|| dirs::home_dir().map(|h| h.join(".cargo")));
        CargoConfig::load(home, project_dir, std::env::vars())
    }

    /// `discover` with the cargo home and the environment given.
    pub fn load(
        home: Option<PathBuf>,
        project_dir: Option<&Path>,
        vars: impl Iterator<Item = (String, String)>,
    ) -> CargoConfig {
        let mut config = CargoConfig {
            home: home.clone(),
            ..CargoConfig::default()
        };
        let mut files: Vec<PathBuf> = Vec::new();
        if let Some(h) = &home {
            files.push(h.clone());
        }
        if let Some(dir) = project_dir {
            let mut ancestors: Vec<PathBuf> = dir.ancestors().map(|a| a.join(".cargo")).collect();
            ancestors.reverse();
            files.extend(ancestors.into_iter().filter(|a| Some(a) != home.as_ref()));
        }
        for dir in files {
            // `config` is the name cargo read before `config.toml`.
            if let Some(text) = ["config.toml", "config"]
                .iter()
                .find_map(|f| std::fs::read_to_string(dir.join(f)).ok())
            {
                config.read(&text);
            }
        }
        if let Some(h) = &home {
            for f in ["credentials.toml", "credentials"] {
                if let Ok(text) = std::fs::read_to_string(h.join(f)) {
                    config.read(&text);
                    break;
                }
            }
        }
        config.read_env(vars);
        config
    }

    /// One configuration file; what it sets overrides what was read before.
    pub fn read(&mut self, text: &str) {
        let Ok(doc) = toml::from_str::<toml::Table>(text) else {
            return;
        };
        let tables = |key: &str| {
            doc.get(key)
                .and_then(toml::Value::as_table)
                .into_iter()
                .flatten()
                .filter_map(|(name, v)| Some((name.clone(), v.as_table()?)))
        };
        let string = |t: &toml::Table, k: &str| t.get(k).and_then(|v| v.as_str()).map(String::from);
        for (name, t) in tables("registries") {
            let r = self.registries.entry(name).or_default();
            if let Some(index) = string(t, "index") {
                crate::redact::register_url(&index);
                r.index = Some(index);
            }
            if let Some(token) = string(t, "token") {
                r.token = Some(crate::redact::secret(token));
            }
        }
        for (name, t) in tables("source") {
            let s = self.sources.entry(name).or_default();
            if let Some(with) = string(t, "replace-with") {
                s.replace_with = Some(with);
            }
            if let Some(registry) = string(t, "registry") {
                s.registry = Some(registry);
            }
        }
    }

    /// `CARGO_REGISTRIES_<NAME>_INDEX` and `_TOKEN`, the name upper-cased with `-` as `_`.
    pub fn read_env(&mut self, vars: impl Iterator<Item = (String, String)>) {
        for (key, value) in vars {
            let Some(rest) = key.strip_prefix("CARGO_REGISTRIES_") else {
                continue;
            };
            let (env_name, field) = if let Some(n) = rest.strip_suffix("_INDEX") {
                (n, "index")
            } else if let Some(n) = rest.strip_suffix("_TOKEN") {
                (n, "token")
            } else {
                continue;
            };
            let name = self
                .registries
                .keys()
                .find(|k| k.to_ascii_uppercase().replace('-', "_") == env_name)
                .cloned()
                .unwrap_or_else(|| env_name.to_ascii_lowercase().replace('_', "-"));
            let r = self.registries.entry(name).or_default();
            if field == "index" {
                crate::redact::register_url(&value);
                r.index = Some(value);
            } else {
                r.token = Some(crate::redact::secret(value));
            }
        }
    }

    /// The index for a crate whose Cargo.lock `source` is `lock_source`, after the
    /// source replacements configured for it (a mirror, a vendored registry's index).
    ///
    /// A source the configuration does not name is the default registry (cargo records
    /// it by URL, and every other registry a lockfile uses must be configured), so
    /// `[source.crates-io] replace-with` applies to it.
    pub fn index_for(&self, lock_source: Option<&str>) -> Result<Index, String> {
        let none = "no cargo registry is configured for it (the lockfile records no \
                    registry source, and no `[source.crates-io] replace-with` names one)";
        let mut name = match lock_source {
            Some(s) => self.name_of(s).unwrap_or(DEFAULT_SOURCE).to_string(),
            None => DEFAULT_SOURCE.to_string(),
        };
        if let Some(url) = self
            .default_index
            .as_ref()
            .filter(|_| name == DEFAULT_SOURCE)
        {
            return Ok(Index {
                url: url.clone(),
                token: None,
            });
        }
        let mut url = lock_source.map(str::to_string);
        for _ in 0..16 {
            let Some(next) = self.sources.get(&name).and_then(|s| s.replace_with.clone()) else {
                break;
            };
            name = next;
            if let Some(u) = self.url_of(&name) {
                url = Some(u);
            }
        }
        let url = url.ok_or(none)?;
        if !(url.starts_with("sparse+") || url.starts_with("registry+")) {
            return Err(format!(
                "`{url}` is not a registry index (only `registry+` and `sparse+` sources have release notes)"
            ));
        }
        Ok(Index {
            token: self.registries.get(&name).and_then(|r| r.token.clone()),
            url,
        })
    }

    /// The configured name of a source URL: a `[registries]` index or a `[source]`
    /// registry.
    fn name_of(&self, source: &str) -> Option<&str> {
        let wanted = normalize(source);
        self.registries
            .iter()
            .find(|(_, r)| r.index.as_deref().map(normalize) == Some(wanted.clone()))
            .map(|(n, _)| n.as_str())
            .or_else(|| {
                self.sources
                    .iter()
                    .find(|(_, s)| s.registry.as_deref().map(normalize) == Some(wanted.clone()))
                    .map(|(n, _)| n.as_str())
            })
    }

    /// The source URL of a configured name, as a lockfile would write it.
    fn url_of(&self, name: &str) -> Option<String> {
        let raw = self
            .registries
            .get(name)
            .and_then(|r| r.index.clone())
            .or_else(|| self.sources.get(name).and_then(|s| s.registry.clone()))?;
        Some(
            if raw.starts_with("sparse+") || raw.starts_with("registry+") {
                raw
            } else {
                format!("registry+{raw}")
            },
        )
    }
}

/// A source URL without its kind prefix, `.git` suffix or trailing `/`, for comparing.
fn normalize(url: &str) -> String {
    let u = url
        .strip_prefix("registry+")
        .or_else(|| url.strip_prefix("sparse+"))
        .unwrap_or(url);
    u.trim_end_matches('/')
        .trim_end_matches(".git")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOCKED: &str = "registry+https://registry.example.invalid/index";

    #[test]
    fn the_lockfile_source_is_used_as_is() {
        let c = CargoConfig::default();
        assert_eq!(c.index_for(Some(LOCKED)).unwrap().url, LOCKED);
        assert!(c.index_for(None).unwrap_err().contains("no cargo registry"));
        assert!(c
            .index_for(Some("git+https://example.invalid/x#abc"))
            .unwrap_err()
            .contains("not a registry index"));
    }

    #[test]
    fn replacements_registries_and_tokens() {
        let mut c = CargoConfig::default();
        c.read(
            r#"
[source.crates-io]
replace-with = "mirror"

[source.mirror]
registry = "sparse+https://mirror.example.invalid/index/"

[registries.corp]
index = "sparse+https://corp.example.invalid/api/v1/crates/"
"#,
        );
        // An unnamed source is the default registry, so its replacement applies.
        assert_eq!(
            c.index_for(Some(LOCKED)).unwrap().url,
            "sparse+https://mirror.example.invalid/index/"
        );
        assert_eq!(
            c.index_for(None).unwrap().url,
            "sparse+https://mirror.example.invalid/index/"
        );
        // A named registry is not replaced.
        let corp = "sparse+https://corp.example.invalid/api/v1/crates/";
        assert_eq!(c.index_for(Some(corp)).unwrap().url, corp);
        assert_eq!(c.index_for(Some(corp)).unwrap().token, None);

        // A later file overrides; the environment names registries by upper case.
        c.read("[registries.corp]\ntoken = \"from-credentials\"\n");
        c.read_env(
            [
                (
                    "CARGO_REGISTRIES_CORP_TOKEN".to_string(),
                    "env-token".to_string(),
                ),
                (
                    "CARGO_REGISTRIES_MY_REG_INDEX".to_string(),
                    "https://git.example.invalid/index.git".to_string(),
                ),
                ("PATH".to_string(), "/bin".to_string()),
            ]
            .into_iter(),
        );
        assert_eq!(
            c.index_for(Some(corp)).unwrap().token.as_deref(),
            Some("env-token")
        );
        c.read("[source.crates-io]\nreplace-with = \"my-reg\"\n");
        assert_eq!(
            c.index_for(Some(LOCKED)).unwrap().url,
            "registry+https://git.example.invalid/index.git"
        );
        // A broken file changes nothing.
        c.read("[source\n");
        assert!(c.index_for(Some(LOCKED)).is_ok());

        // bumpcheck.toml's index wins for the default registry only.
        c.default_index = Some("sparse+https://toml.example.invalid/index/".into());
        assert_eq!(
            c.index_for(Some(LOCKED)).unwrap().url,
            "sparse+https://toml.example.invalid/index/"
        );
        assert_eq!(c.index_for(Some(corp)).unwrap().url, corp);
    }

    #[test]
    fn discovers_files_from_home_and_project() {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("cargo-home");
        let project = tmp.path().join("work/app");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(project.join(".cargo")).unwrap();
        std::fs::create_dir_all(tmp.path().join("work/.cargo")).unwrap();
        std::fs::write(
            home.join("config.toml"),
            "[source.crates-io]\nreplace-with = \"home\"\n[source.home]\nregistry = \"sparse+https://home.example.invalid/\"\n",
        )
        .unwrap();
        // The legacy name, in a parent folder.
        std::fs::write(
            tmp.path().join("work/.cargo/config"),
            "[source.parent]\nregistry = \"sparse+https://parent.example.invalid/\"\n",
        )
        .unwrap();
        std::fs::write(
            project.join(".cargo/config.toml"),
            "[source.crates-io]\nreplace-with = \"parent\"\n",
        )
        .unwrap();
        std::fs::write(
            home.join("credentials.toml"),
            "[registries.parent]\ntoken = \"secret\"\n",
        )
        .unwrap();
        let c = CargoConfig::load(Some(home), Some(&project), std::iter::empty());
        let index = c.index_for(Some(LOCKED)).unwrap();
        assert_eq!(index.url, "sparse+https://parent.example.invalid/");
        assert_eq!(index.token.as_deref(), Some("secret"));
    }
}
