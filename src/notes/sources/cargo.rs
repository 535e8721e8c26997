//! A cargo registry: the index's `config.json` gives the download URL template (`dl`),
//! and the `.crate` of the new version (a .tar.gz) holds the changelog and the Cargo.toml
//! whose `repository` names the source repository. The `.crate` is read in memory, never
//! extracted, and what it yields is cached for good.

use super::github;
use super::{
    authorization, best_changelog, cached, is_changelog, read_files, remember, Published,
    Repository, TooLarge,
};
use crate::notes::cargo_config::Index;
use crate::notes::config::GithubConfig;
use crate::notes::http::{Caching, Http};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The cache key of what a version's `.crate` yields.
pub fn cache_key(index: &str, name: &str, version: &str) -> String {
    format!("cargo-published/{index}/{name}@{version}")
}

type ConfigCell = Arc<tokio::sync::OnceCell<Result<serde_json::Value, String>>>;

/// The `config.json` of each index, read once per run however many crates come from it
/// (for a git index on GitHub, each read is an API request).
#[derive(Default)]
pub struct IndexConfigs(Mutex<HashMap<String, ConfigCell>>);

impl IndexConfigs {
    fn cell(&self, index: &str) -> ConfigCell {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.entry(index.to_string()).or_default().clone()
    }
}

pub async fn published(
    http: &Http,
    github: &GithubConfig,
    configs: &IndexConfigs,
    index: &Index,
    name: &str,
    version: &str,
) -> Result<Published, String> {
    let key = cache_key(&index.url, name, version);
    if let Some(hit) = cached(http.cache(), &key) {
        return Ok(hit);
    }
    let config = configs
        .cell(&index.url)
        .get_or_init(|| index_config(http, github, index))
        .await
        .clone()?;
    let dl = config["dl"]
        .as_str()
        .ok_or_else(|| format!("the config.json of {} has no `dl`", index.url))?;
    // Cargo sends its token beyond config.json only to registries that require it.
    let auth = authorization(
        index
            .token
            .clone()
            .filter(|_| config["auth-required"].as_bool() == Some(true)),
    );
    let checksum = if dl.contains("{sha256-checksum}") {
        Some(checksum(http, index, &auth, name, version).await?)
    } else {
        None
    };
    let url = download_url(dl, name, version, checksum.as_deref());
    let bytes = http
        .get(&url, &auth, Caching::No)
        .await
        .map_err(|e| e.to_string())?;
    let (changelog, repository, too_large) =
        read_crate(&bytes.body).map_err(|e| format!("{url}: {e}"))?;
    let out = Published {
        changelog,
        repository,
        tarball: url,
        too_large,
    };
    remember(http.cache(), &key, &out);
    Ok(out)
}

/// The index's `config.json`: over HTTP for a sparse index; through the GitHub API for a
/// git index hosted there (a git index elsewhere cannot be read without git).
async fn index_config(
    http: &Http,
    github: &GithubConfig,
    index: &Index,
) -> Result<serde_json::Value, String> {
    let text = if let Some(base) = index.url.strip_prefix("sparse+") {
        let url = format!("{}/config.json", base.trim_end_matches('/'));
        let auth = authorization(index.token.clone());
        let doc = http
            .get(&url, &auth, Caching::Revalidate)
            .await
            .map_err(|e| e.to_string())?;
        String::from_utf8_lossy(&doc.body).into_owned()
    } else {
        let git = index.url.trim_start_matches("registry+");
        match Repository::parse(git, None) {
            Some(repo) if github::serves(github, &repo) => {
                github::raw_file(http, github, &repo, "config.json").await?
            }
            _ => {
                return Err(format!(
                    "the git index {git} can only be read where GitHub hosts it; configure its \
                     sparse index (`sparse+` URL) in .cargo/config.toml"
                ))
            }
        }
    };
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: config.json: invalid JSON: {e}", index.url))
}

/// The `cksum` of a version in a sparse index's entry for the crate.
async fn checksum(
    http: &Http,
    index: &Index,
    auth: &[(&str, String)],
    name: &str,
    version: &str,
) -> Result<String, String> {
    let base = index.url.strip_prefix("sparse+").ok_or_else(|| {
        format!(
            "{}: the download URL needs a checksum, read only from sparse indexes",
            index.url
        )
    })?;
    let lower = name.to_ascii_lowercase();
    let url = format!("{}/{}/{lower}", base.trim_end_matches('/'), prefix(&lower));
    let doc = http
        .get(&url, auth, Caching::Revalidate)
        .await
        .map_err(|e| e.to_string())?;
    String::from_utf8_lossy(&doc.body)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["vers"].as_str() == Some(version))
        .and_then(|v| v["cksum"].as_str().map(str::to_string))
        .ok_or_else(|| format!("{url}: no version {version}"))
}

/// The index folder of a crate name: `1`, `2`, `3/a`, or `ab/cd`.
pub fn prefix(name: &str) -> String {
    match name.len() {
        0..=2 => name.len().to_string(),
        3 => format!("3/{}", &name[..1]),
        _ => format!("{}/{}", &name[..2], &name[2..4]),
    }
}

/// The `.crate` URL from the `dl` template: its markers filled in, or, with none, the
/// `/{crate}/{version}/download` form.
pub fn download_url(dl: &str, name: &str, version: &str, checksum: Option<&str>) -> String {
    const MARKERS: [&str; 5] = [
        "{crate}",
        "{version}",
        "{prefix}",
        "{lowerprefix}",
        "{sha256-checksum}",
    ];
    if !MARKERS.iter().any(|m| dl.contains(m)) {
        return format!("{}/{name}/{version}/download", dl.trim_end_matches('/'));
    }
    let name_prefix = if name.is_ascii() {
        prefix(name)
    } else {
        String::new()
    };
    dl.replace("{crate}", name)
        .replace("{version}", version)
        .replace("{lowerprefix}", &name_prefix.to_ascii_lowercase())
        .replace("{prefix}", &name_prefix)
        .replace("{sha256-checksum}", checksum.unwrap_or_default())
}

type Changelog = Option<(String, String)>;

/// The changelog at the root of a `.crate`, the repository its Cargo.toml names, and a
/// changelog too large to read.
pub fn read_crate(gz: &[u8]) -> Result<(Changelog, Option<Repository>, TooLarge), String> {
    let picked = read_files(gz, |f| f == "Cargo.toml" || is_changelog(f))?;
    let repository = picked
        .files
        .iter()
        .find(|(n, _)| n == "Cargo.toml")
        .and_then(|(_, text)| repository_of(text));
    let too_large = picked.changelog_too_large();
    Ok((best_changelog(&picked.files), repository, too_large))
}

/// `package.repository` of a Cargo.toml, else a `homepage` that names a repository.
pub fn repository_of(manifest: &str) -> Option<Repository> {
    let doc: toml::Table = toml::from_str(manifest).ok()?;
    let package = doc.get("package")?.as_table()?;
    ["repository", "homepage"]
        .iter()
        .filter_map(|k| package.get(*k)?.as_str())
        .find_map(|url| Repository::parse(url, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_urls_and_prefixes() {
        assert_eq!(
            [prefix("a"), prefix("ab"), prefix("abc"), prefix("serde")],
            ["1", "2", "3/a", "se/rd"]
        );
        assert_eq!(
            download_url("https://dl.example.invalid/crates/", "serde", "1.0.0", None),
            "https://dl.example.invalid/crates/serde/1.0.0/download"
        );
        assert_eq!(
            download_url(
                "https://dl.example.invalid/{lowerprefix}/{crate}/{crate}-{version}.crate?sum={sha256-checksum}",
                "Inflector",
                "0.11.4",
                Some("abc")
            ),
            "https://dl.example.invalid/in/fl/Inflector/Inflector-0.11.4.crate?sum=abc"
        );
        assert_eq!(
            download_url(
                "https://dl.example.invalid/{prefix}/{crate}",
                "Abc",
                "1.0.0",
                None
            ),
            "https://dl.example.invalid/3/A/Abc"
        );
    }

    #[test]
    fn manifest_repository() {
        let toml = "[package]\nname = \"x\"\nversion = \"1.0.0\"\nrepository = \"https://github.com/acme/x\"\n";
        assert_eq!(repository_of(toml).unwrap().name, "x");
        let toml = "[package]\nname = \"x\"\nhomepage = \"https://github.com/acme/y/\"\n";
        assert_eq!(repository_of(toml).unwrap().name, "y");
        assert!(repository_of("[package]\nname = \"x\"\n").is_none());
        assert!(repository_of("not toml [").is_none());
    }
}
