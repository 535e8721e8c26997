//! The npm registry: the packument names the tarball and the repository; the tarball of
//! the new version holds its changelog. The tarball is read in memory, never extracted,
//! and what it yields is cached for good (a published version never changes).

use super::local::repository_of;
use super::{is_changelog, pick_changelog, Repository};
use crate::notes::cache::Entry;
use crate::notes::config::NpmConfig;
use crate::notes::http::{Caching, Http};
use serde::{Deserialize, Serialize};
use std::io::Read;

/// What a published version's tarball tells.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Published {
    pub changelog: Option<(String, String)>,
    pub repository: Option<Repository>,
    pub tarball: String,
}

/// The largest changelog read from a tarball: beyond it, the file is not notes.
const MAX_CHANGELOG_BYTES: u64 = 8 * 1024 * 1024;

pub async fn published(
    http: &Http,
    config: &NpmConfig,
    name: &str,
    version: &str,
) -> Result<Published, String> {
    let registry = config.registry_for(name).ok_or(
        "no npm registry is configured (set `registry=` in .npmrc or npm_config_registry)",
    )?;
    let key = format!("npm-published/{registry}/{name}@{version}");
    if let Some(hit) = http.cache().and_then(|c| c.get(&key)) {
        if let Ok(p) = serde_json::from_str(&hit.body) {
            return Ok(p);
        }
    }
    // Scoped names keep their `@` and escape the slash, as the registry API expects.
    let url = format!("{registry}/{}", name.replace('/', "%2f"));
    let auth: Vec<(&str, String)> = config
        .auth_for(&url)
        .map(|a| ("Authorization", a))
        .into_iter()
        .collect();
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
    let tar_auth: Vec<(&str, String)> = config
        .auth_for(&tarball)
        .map(|a| ("Authorization", a))
        .into_iter()
        .collect();
    let bytes = http
        .get(&tarball, &tar_auth, Caching::No)
        .await
        .map_err(|e| e.to_string())?;
    let (changelog, manifest) = read_tarball(&bytes.body).map_err(|e| format!("{tarball}: {e}"))?;
    let repository = repository_of(meta)
        .or_else(|| repository_of(&packument))
        .or_else(|| manifest.as_ref().and_then(repository_of));
    let out = Published {
        changelog,
        repository,
        tarball,
    };
    if let Some(cache) = http.cache() {
        cache.put(
            &key,
            &Entry {
                etag: None,
                body: serde_json::to_string(&out).unwrap_or_default(),
            },
        );
    }
    Ok(out)
}

type Changelog = Option<(String, String)>;

/// The changelog at the package root (`package/CHANGELOG.md`) and the package.json.
pub fn read_tarball(gz: &[u8]) -> Result<(Changelog, Option<serde_json::Value>), String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut changelogs: Vec<(String, String)> = Vec::new();
    let mut manifest = None;
    let entries = archive
        .entries()
        .map_err(|e| format!("not a tarball: {e}"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("broken tarball: {e}"))?;
        let path = entry
            .path()
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .into_owned();
        // Root files only: `package/History.md`, whatever the top folder is called.
        let mut parts = path.splitn(2, '/');
        let (Some(_), Some(file)) = (parts.next(), parts.next()) else {
            continue;
        };
        if file.contains('/') || entry.size() > MAX_CHANGELOG_BYTES {
            continue;
        }
        if file == "package.json" || is_changelog(file) {
            let mut text = String::new();
            if entry.read_to_string(&mut text).is_err() {
                continue;
            }
            if file == "package.json" {
                manifest = serde_json::from_str(&text).ok();
            } else {
                changelogs.push((file.to_string(), text));
            }
        }
    }
    let best = pick_changelog(changelogs.iter().map(|(n, _)| n.as_str())).map(str::to_string);
    let changelog = best.and_then(|b| changelogs.into_iter().find(|(n, _)| *n == b));
    Ok((changelog, manifest))
}
