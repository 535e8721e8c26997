//! Where to fetch from: the user's own npm configuration (`.npmrc` in the project and the
//! home folder, `npm_config_registry`, `npm config get registry`), and GitHub's API
//! (`GITHUB_API_URL` for GitHub Enterprise, `GITHUB_TOKEN`/`GH_TOKEN`). No registry host
//! is built in: private registries are configured the way users already configure them.

use std::collections::BTreeMap;
use std::path::Path;

/// Endpoints named in `bumpcheck.toml` (`[registries]`, `[github]`). Each ranks below the
/// environment variable that sets the same thing and above the package manager's own
/// configuration files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoints {
    /// The npm registry for unscoped packages (scoped registries in .npmrc still apply).
    pub npm_registry: Option<String>,
    /// The index of the default cargo registry (`sparse+URL` or `registry+URL`).
    pub cargo_index: Option<String>,
    /// The main Python package index.
    pub pypi_index: Option<String>,
    /// The gem source (its compact index), over the Gemfile.lock's `remote:`.
    pub rubygems_source: Option<String>,
    /// The Composer repository (its `p2` metadata), over composer.json's repositories.
    pub composer_repository: Option<String>,
    pub github_api_url: Option<String>,
    /// The environment variable holding the GitHub token, tried before `GITHUB_TOKEN`.
    pub github_token_env: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct NpmConfig {
    pub registry: Option<String>,
    /// `@scope` -> registry URL.
    pub scoped: BTreeMap<String, String>,
    /// `//host/path/` prefixes -> bearer token.
    pub tokens: Vec<(String, String)>,
}

impl NpmConfig {
    /// Reads the configuration as npm does, later sources overriding earlier ones: the
    /// user's `.npmrc`, the project's `.npmrc`, then the environment. When no registry is
    /// configured anywhere, asks `npm config get registry` (npm's own default).
    pub fn discover(project_dir: Option<&Path>) -> NpmConfig {
        NpmConfig::discover_with(project_dir, None)
    }

    /// `discover`, with `bumpcheck.toml`'s registry over the `.npmrc` files' (the
    /// environment still overrides it).
    pub fn discover_with(project_dir: Option<&Path>, file_registry: Option<&str>) -> NpmConfig {
        let mut config = NpmConfig::default();
        let user = std::env::var_os("NPM_CONFIG_USERCONFIG")
            .or_else(|| std::env::var_os("npm_config_userconfig"))
            .map(std::path::PathBuf::from)
            .or_else(|| dirs::home_dir().map(|h| h.join(".npmrc")));
        if let Some(path) = user {
            config.read_file(&path);
        }
        if let Some(dir) = project_dir {
            config.read_file(&dir.join(".npmrc"));
        }
        if let Some(r) = file_registry {
            config.registry = Some(r.to_string());
        }
        for var in ["npm_config_registry", "NPM_CONFIG_REGISTRY"] {
            if let Some(v) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                config.registry = Some(v);
            }
        }
        if let Some(r) = &config.registry {
            crate::redact::register_url(r);
        }
        if config.registry.is_none() {
            config.registry = npm_default_registry();
        }
        config
    }

    fn read_file(&mut self, path: &Path) {
        if let Ok(text) = std::fs::read_to_string(path) {
            self.read(&text);
        }
    }

    pub fn read(&mut self, text: &str) {
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let (key, value) = (key.trim(), expand_env(value.trim().trim_matches('"')));
            if key == "registry" {
                crate::redact::register_url(&value);
                self.registry = Some(value);
            } else if let Some(scope) = key.strip_suffix(":registry") {
                crate::redact::register_url(&value);
                self.scoped.insert(scope.to_string(), value);
            } else if let Some(prefix) = key.strip_suffix(":_authToken") {
                self.tokens
                    .push((prefix.to_string(), crate::redact::secret(value)));
            }
        }
    }

    /// The registry URL for a package (scoped registries first), without a trailing `/`.
    pub fn registry_for(&self, name: &str) -> Option<String> {
        let scoped = name
            .split_once('/')
            .filter(|_| name.starts_with('@'))
            .and_then(|(scope, _)| self.scoped.get(scope));
        scoped
            .or(self.registry.as_ref())
            .map(|r| r.trim_end_matches('/').to_string())
    }

    /// The `Authorization` header for a URL, from a matching `//host/path/:_authToken`.
    pub fn auth_for(&self, url: &str) -> Option<String> {
        let without_scheme = url.split_once("//").map_or(url, |(_, rest)| rest);
        self.tokens
            .iter()
            .filter(|(prefix, _)| without_scheme.starts_with(prefix.trim_start_matches("//")))
            .max_by_key(|(prefix, _)| prefix.len())
            .map(|(_, token)| format!("Bearer {token}"))
    }
}

/// `${NAME}` references, as npm expands them in .npmrc.
fn expand_env(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find('}') {
            Some(end) => {
                let name = &rest[start + 2..start + 2 + end];
                out.push_str(&std::env::var(name).unwrap_or_default());
                rest = &rest[start + 3 + end..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn npm_default_registry() -> Option<String> {
    let out = std::process::Command::new("npm")
        .args(["config", "get", "registry"])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let url = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && url.starts_with("http")).then_some(url)
}

/// GitHub's REST API endpoint and credentials.
#[derive(Clone, Debug)]
pub struct GithubConfig {
    pub api_url: String,
    /// The web host whose repository URLs the API serves (`github.com`, or the
    /// Enterprise host of `GITHUB_SERVER_URL`).
    pub hosts: Vec<String>,
    pub token: Option<String>,
}

impl GithubConfig {
    pub fn from_env() -> GithubConfig {
        GithubConfig::from_env_with(&Endpoints::default())
    }

    /// `from_env`, with `bumpcheck.toml`'s API URL where `GITHUB_API_URL` is not set, and
    /// its token variable tried before `GITHUB_TOKEN` and `GH_TOKEN`.
    pub fn from_env_with(endpoints: &Endpoints) -> GithubConfig {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.is_empty());
        let mut hosts = vec!["github.com".to_string()];
        if let Some(server) = var("GITHUB_SERVER_URL") {
            let host = server
                .split("//")
                .nth(1)
                .unwrap_or(&server)
                .trim_end_matches('/')
                .to_string();
            if !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        GithubConfig {
            api_url: var("GITHUB_API_URL")
                .or_else(|| endpoints.github_api_url.clone())
                .unwrap_or_else(|| "https://api.github.com".into())
                .trim_end_matches('/')
                .to_string(),
            hosts,
            token: crate::redact::first_secret_env(
                endpoints
                    .github_token_env
                    .as_deref()
                    .into_iter()
                    .chain(["GITHUB_TOKEN", "GH_TOKEN"]),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_npmrc() {
        let mut c = NpmConfig::default();
        c.read("; comment\nregistry=https://npm.example.invalid/\n@acme:registry=https://acme.example.invalid/npm/\n//acme.example.invalid/npm/:_authToken=secret\n");
        assert_eq!(
            c.registry_for("express").as_deref(),
            Some("https://npm.example.invalid")
        );
        assert_eq!(
            c.registry_for("@acme/ui").as_deref(),
            Some("https://acme.example.invalid/npm")
        );
        assert_eq!(
            c.registry_for("@other/ui").as_deref(),
            Some("https://npm.example.invalid")
        );
        assert_eq!(
            c.auth_for("https://acme.example.invalid/npm/@acme%2fui")
                .as_deref(),
            Some("Bearer secret")
        );
        assert_eq!(c.auth_for("https://npm.example.invalid/express"), None);
    }
}
