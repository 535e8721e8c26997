//! Where Python packages come from, as the user's configuration says: pip's (`PIP_INDEX_URL`,
//! `PIP_EXTRA_INDEX_URL`, pip.conf/pip.ini in the global, user and site locations and
//! `PIP_CONFIG_FILE`, `[global]` then `[install]`), uv's (`UV_DEFAULT_INDEX`,
//! `UV_INDEX_URL`, `UV_INDEX`, `UV_EXTRA_INDEX_URL`), then the index the lockfile records
//! for the package, then `pip config get global.index-url`. No index host is built in.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

#[derive(Debug, Default)]
pub struct PipConfig {
    /// The configured main index (pip's, else uv's).
    pub index_url: Option<String>,
    /// Extra indexes, tried after the main one and the lockfile's.
    pub extra: Vec<String>,
    /// `VIRTUAL_ENV`: an activated environment whose site-packages may hold the package.
    pub virtual_env: Option<PathBuf>,
    /// What `pip config get global.index-url` says, asked once and only when nothing
    /// else names an index.
    asked_pip: OnceLock<Option<String>>,
}

/// Settings read from pip's configuration files, later files overriding.
#[derive(Debug, Default)]
struct Files {
    index_url: Option<String>,
    extra: Option<Vec<String>>,
}

impl PipConfig {
    pub fn discover() -> PipConfig {
        PipConfig::discover_with(None)
    }

    /// `discover`, with `bumpcheck.toml`'s index over pip's files and uv's variables
    /// (`PIP_INDEX_URL` still overrides it).
    pub fn discover_with(file_index: Option<&str>) -> PipConfig {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        let files = config_files(&var);
        PipConfig::load_with(&files, var, file_index)
    }

    /// Reads `files` (lowest precedence first), then the environment through `var`.
    pub fn load(files: &[PathBuf], var: impl Fn(&str) -> Option<String>) -> PipConfig {
        PipConfig::load_with(files, var, None)
    }

    /// `load`, with an index from `bumpcheck.toml`.
    pub fn load_with(
        files: &[PathBuf],
        var: impl Fn(&str) -> Option<String>,
        file_index: Option<&str>,
    ) -> PipConfig {
        let mut read = Files::default();
        for f in files {
            if let Ok(text) = std::fs::read_to_string(f) {
                read.read(&text);
            }
        }
        let split = |v: String| -> Vec<String> { v.split_whitespace().map(String::from).collect() };
        let index_url = var("PIP_INDEX_URL")
            .or_else(|| file_index.map(String::from))
            .or(read.index_url)
            .or_else(|| var("UV_DEFAULT_INDEX"))
            .or_else(|| var("UV_INDEX_URL"));
        let mut extra: Vec<String> = var("PIP_EXTRA_INDEX_URL")
            .map(split)
            .or(read.extra)
            .unwrap_or_default();
        for v in ["UV_INDEX", "UV_EXTRA_INDEX_URL"] {
            extra.extend(var(v).map(split).unwrap_or_default());
        }
        for url in index_url.iter().chain(&extra) {
            crate::redact::register_url(url);
        }
        PipConfig {
            index_url,
            extra,
            virtual_env: var("VIRTUAL_ENV").map(PathBuf::from),
            asked_pip: OnceLock::new(),
        }
    }

    /// The indexes to try for a package whose lockfile records `lock_source`, in order.
    pub fn indexes(&self, lock_source: Option<&str>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let candidates = self
            .index_url
            .iter()
            .chain(lock_source.map(String::from).as_ref())
            .chain(self.extra.iter())
            .cloned()
            .collect::<Vec<_>>();
        for c in candidates {
            crate::redact::register_url(&c);
            let c = c.trim_end_matches('/').to_string();
            if !out.contains(&c) {
                out.push(c);
            }
        }
        if out.is_empty() {
            if let Some(asked) = self.asked_pip.get_or_init(pip_config_get) {
                out.push(asked.trim_end_matches('/').to_string());
            }
        }
        out
    }
}

impl Files {
    /// One pip.conf (INI): `[global]`, then `[install]` overriding it; keys with `_` or
    /// `-`; values continued on indented lines.
    fn read(&mut self, text: &str) {
        let mut section = String::new();
        let mut global: Vec<(String, String)> = Vec::new();
        let mut install: Vec<(String, String)> = Vec::new();
        for line in text.lines() {
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
                continue;
            }
            if trimmed.starts_with('[') && trimmed.ends_with(']') {
                section = trimmed[1..trimmed.len() - 1].trim().to_ascii_lowercase();
                continue;
            }
            let target = match section.as_str() {
                "global" => &mut global,
                "install" => &mut install,
                _ => continue,
            };
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = target.last_mut() {
                    v.push(' ');
                    v.push_str(trimmed);
                }
                continue;
            }
            if let Some((k, v)) = trimmed.split_once(['=', ':']) {
                let key = k.trim().to_ascii_lowercase().replace('_', "-");
                target.push((key, v.trim().to_string()));
            }
        }
        for (k, v) in global.into_iter().chain(install) {
            match k.as_str() {
                "index-url" if !v.is_empty() => self.index_url = Some(v),
                "extra-index-url" => {
                    self.extra = Some(v.split_whitespace().map(String::from).collect())
                }
                _ => {}
            }
        }
    }
}

/// pip's configuration files, lowest precedence first: global, user (unless
/// `PIP_CONFIG_FILE` names an existing file), site (`VIRTUAL_ENV`), then
/// `PIP_CONFIG_FILE`. `PIP_CONFIG_FILE` set to the null device loads none, as in pip.
fn config_files(var: &impl Fn(&str) -> Option<String>) -> Vec<PathBuf> {
    let env_file = var("PIP_CONFIG_FILE").map(PathBuf::from);
    if env_file
        .as_deref()
        .is_some_and(|f| f == Path::new("/dev/null") || f.as_os_str().eq_ignore_ascii_case("nul"))
    {
        return Vec::new();
    }
    let name = if cfg!(windows) { "pip.ini" } else { "pip.conf" };
    let mut files = Vec::new();
    if cfg!(windows) {
        if let Some(d) = var("PROGRAMDATA") {
            files.push(Path::new(&d).join("pip").join(name));
        }
    } else {
        let dirs = var("XDG_CONFIG_DIRS").unwrap_or_else(|| "/etc/xdg".into());
        files.extend(dirs.split(':').map(|d| Path::new(d).join("pip").join(name)));
        files.push(PathBuf::from("/etc").join(name));
    }
    if !env_file.as_deref().is_some_and(Path::exists) {
        if let Some(home) = dirs::home_dir() {
            // The legacy location first; the newer one overrides it.
            let legacy = if cfg!(windows) { "pip" } else { ".pip" };
            files.push(home.join(legacy).join(name));
        }
        if let Some(config) = dirs::config_dir() {
            files.push(config.join("pip").join(name));
        }
        if let Some(xdg) = var("XDG_CONFIG_HOME") {
            files.push(Path::new(&xdg).join("pip").join(name));
        }
    }
    if let Some(venv) = var("VIRTUAL_ENV") {
        files.push(Path::new(&venv).join(name));
    }
    files.extend(env_file);
    files
}

fn pip_config_get() -> Option<String> {
    for pip in ["pip", "pip3"] {
        let Ok(out) = std::process::Command::new(pip)
            .args(["config", "get", "global.index-url"])
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .output()
        else {
            continue;
        };
        let url = String::from_utf8_lossy(&out.stdout).trim().to_string();
        return (out.status.success() && url.starts_with("http")).then_some(url);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k: &str| map.get(k).cloned()
    }

    #[test]
    fn pip_conf_sections_and_continuations() {
        let mut f = Files::default();
        f.read("# comment\n[global]\nindex_url = https://one.example.invalid/simple\nextra-index-url =\n    https://two.example.invalid/simple\n    https://three.example.invalid/simple\n[install]\nindex-url: https://install.example.invalid/simple/\n[freeze]\nindex-url = https://no.example.invalid/\n");
        assert_eq!(
            f.index_url.as_deref(),
            Some("https://install.example.invalid/simple/")
        );
        assert_eq!(
            f.extra.unwrap(),
            [
                "https://two.example.invalid/simple",
                "https://three.example.invalid/simple"
            ]
        );
    }

    #[test]
    fn precedence_files_environment_and_lockfile() {
        let tmp = tempfile::tempdir().unwrap();
        let user = tmp.path().join("user.conf");
        let site = tmp.path().join("site.conf");
        std::fs::write(
            &user,
            "[global]\nindex-url = https://user.example.invalid/simple\n",
        )
        .unwrap();
        std::fs::write(
            &site,
            "[global]\nindex-url = https://site.example.invalid/simple\n",
        )
        .unwrap();
        let files = [user.clone(), site, tmp.path().join("missing.conf")];
        let c = PipConfig::load(&files, env(&[]));
        assert_eq!(
            c.indexes(Some("https://lock.example.invalid/simple/")),
            [
                "https://site.example.invalid/simple",
                "https://lock.example.invalid/simple"
            ]
        );
        let c = PipConfig::load(
            &files,
            env(&[
                ("PIP_INDEX_URL", "https://env.example.invalid/simple"),
                ("UV_INDEX", "https://uv-extra.example.invalid/simple"),
            ]),
        );
        assert_eq!(
            c.indexes(None),
            [
                "https://env.example.invalid/simple",
                "https://uv-extra.example.invalid/simple"
            ]
        );
        let c = PipConfig::load(
            &[],
            env(&[("UV_DEFAULT_INDEX", "https://uv.example.invalid/simple")]),
        );
        assert_eq!(c.indexes(None), ["https://uv.example.invalid/simple"]);
        // bumpcheck.toml's index: over the files and uv, under PIP_INDEX_URL.
        let toml = Some("https://toml.example.invalid/simple");
        let c = PipConfig::load_with(
            &files,
            env(&[("UV_DEFAULT_INDEX", "https://uv.example.invalid/simple")]),
            toml,
        );
        assert_eq!(c.indexes(None), ["https://toml.example.invalid/simple"]);
        let c = PipConfig::load_with(
            &files,
            env(&[("PIP_INDEX_URL", "https://env.example.invalid/simple")]),
            toml,
        );
        assert_eq!(c.indexes(None), ["https://env.example.invalid/simple"]);
        // The lockfile's index alone.
        let c = PipConfig::load(&[], env(&[]));
        assert_eq!(
            c.indexes(Some("https://lock.example.invalid/simple")),
            ["https://lock.example.invalid/simple"]
        );
    }

    #[test]
    fn config_file_locations() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("pip.conf");
        std::fs::write(&file, "").unwrap();
        let f = file.to_str().unwrap();
        let files = config_files(&env(&[("PIP_CONFIG_FILE", f), ("VIRTUAL_ENV", "/venv")]));
        assert_eq!(files.last().unwrap(), &file);
        assert!(files.contains(&Path::new("/venv").join(if cfg!(windows) {
            "pip.ini"
        } else {
            "pip.conf"
        })));
        // An existing PIP_CONFIG_FILE replaces the user's files.
        if let Some(home) = dirs::home_dir() {
            assert!(!files.iter().any(|p| p.starts_with(&home)));
        }
        assert!(config_files(&env(&[("PIP_CONFIG_FILE", "/dev/null")])).is_empty());
    }
}
