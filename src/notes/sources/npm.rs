//! The npm registry: the packument names the tarball and the repository; the tarball of
//! the new version holds its changelog. The tarball is read in memory, never extracted,
//! and what it yields is cached for good (a published version never changes).

use super::local::repository_of;
use super::{
    authorization, best_changelog, cached, is_changelog, read_files, remember, Published, TooLarge,
    Unpublished,
};
use crate::notes::config::NpmConfig;
use crate::notes::http::{Caching, Http};

/// The cache key of what a version's tarball yields.
pub fn cache_key(registry: &str, name: &str, version: &str) -> String {
    format!("npm-published/{registry}/{name}@{version}")
}

pub async fn published(
    http: &Http,
    config: &NpmConfig,
    name: &str,
    version: &str,
) -> Result<Published, Unpublished> {
    let registry = config.registry_for(name).ok_or(
        "no npm registry is configured (set `registry=` in .npmrc or npm_config_registry)",
    )?;
    let key = cache_key(&registry, name, version);
    if let Some(hit) = cached(http.cache(), &key) {
        return Ok(hit);
    }
    // Scoped names keep their `@` and escape the slash, as the registry API expects.
    let url = format!("{registry}/{}", name.replace('/', "%2f"));
    let auth = authorization(config.auth_for(&url));
    let mut headers = auth.clone();
    headers.push(("Accept", "application/json".into()));
    let doc = http
        .get(&url, &headers, Caching::Revalidate)
        .await
        .map_err(|e| e.to_string())?;
    let packument: serde_json::Value =
        serde_json::from_slice(&doc.body).map_err(|e| format!("{url}: invalid JSON: {e}"))?;
    let meta = &packument["versions"][version];
    let tarball = meta["dist"]["tarball"]
        .as_str()
        .ok_or_else(|| format!("{url}: no version {version} with a tarball"))?
        .to_string();
    // What the packument says stays known when the tarball cannot be read.
    let named = repository_of(meta).or_else(|| repository_of(&packument));
    let unpublished = |reason: String| Unpublished {
        reason,
        repository: named.clone(),
    };
    let tar_auth = authorization(config.auth_for(&tarball));
    let bytes = http
        .get(&tarball, &tar_auth, Caching::No)
        .await
        .map_err(|e| unpublished(e.to_string()))?;
    let (changelog, manifest, too_large) =
        read_tarball(&bytes.body).map_err(|e| unpublished(format!("{tarball}: {e}")))?;
    let repository = named
        .clone()
        .or_else(|| manifest.as_ref().and_then(repository_of));
    let out = Published {
        changelog,
        repository,
        tarball,
        too_large,
    };
    remember(http.cache(), &key, &out);
    Ok(out)
}

type Changelog = Option<(String, String)>;

/// The changelog at the package root (`package/CHANGELOG.md`), the package.json, and a
/// changelog too large to read.
pub fn read_tarball(gz: &[u8]) -> Result<(Changelog, Option<serde_json::Value>, TooLarge), String> {
    // Root files only.
    let picked = read_files(gz, |f| f == "package.json" || is_changelog(f))?;
    let manifest = picked
        .files
        .iter()
        .find(|(n, _)| n == "package.json")
        .and_then(|(_, text)| serde_json::from_str(text).ok());
    let too_large = picked.changelog_too_large();
    Ok((best_changelog(&picked.files), manifest, too_large))
}
