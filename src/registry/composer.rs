//! A Composer repository's metadata, `<repo>/p2/<vendor>/<name>.json`, in Composer 2's
//! minified form: `packages[name]` lists the releases newest first, each entry repeating
//! only the fields that changed (`version` changes in every one). Dev branches live in
//! another file (`~dev.json`) and are not read. The repository is `registries.composer` in
//! bumpcheck.toml, else the first `composer` repository of the project's composer.json.

use super::{Listing, Problem};
use crate::notes::http::{Caching, Http};

pub(super) async fn versions(
    http: &Http,
    configured: Option<&str>,
    name: &str,
    project_repo: Option<&str>,
) -> Result<Listing, Problem> {
    let repo = configured.or(project_repo).ok_or_else(|| {
        Problem::NotConfigured(
            "no Composer repository is configured: set `registries.composer` in bumpcheck.toml \
             (or a `composer` repository in composer.json) or give an exact version"
                .into(),
        )
    })?;
    let name = name.to_ascii_lowercase();
    let url = format!("{}/p2/{name}.json", repo.trim_end_matches('/'));
    let doc = http.get(&url, &[], Caching::Revalidate).await?;
    parse(&doc.body, &name)
        .map(|versions| Listing {
            url: crate::redact::redact(&url),
            versions,
            tags: Default::default(),
        })
        .map_err(|message| Problem::Invalid {
            url: crate::redact::redact(&url),
            message,
        })
}

/// The released versions of `name`: dev branches (`dev-main`, `2.x-dev`) left out.
fn parse(body: &[u8], name: &str) -> Result<Vec<String>, String> {
    let doc: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let entries = doc["packages"][name]
        .as_array()
        .ok_or_else(|| format!("no `packages.{name}` list"))?;
    Ok(entries
        .iter()
        .filter_map(|e| e["version"].as_str())
        .filter(|v| !v.starts_with("dev-") && !v.ends_with("-dev"))
        .map(str::to_string)
        .collect())
}

/// The URL of the first repository of type `composer` in a composer.json (a list of
/// repositories, or an object of named ones).
pub fn project_repository(composer_json: &str) -> Option<String> {
    let doc: serde_json::Value = serde_json::from_str(composer_json).ok()?;
    let repos: Vec<&serde_json::Value> = match &doc["repositories"] {
        serde_json::Value::Array(list) => list.iter().collect(),
        serde_json::Value::Object(named) => named.values().collect(),
        _ => return None,
    };
    repos
        .into_iter()
        .filter(|r| r["type"] == "composer")
        .find_map(|r| r["url"].as_str().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_metadata_versions() {
        let body = br#"{"minified": "composer/2.0", "packages": {"laravel/framework": [
            {"name": "laravel/framework", "version": "v11.1.0", "version_normalized": "11.1.0.0", "require": {"php": "^8.2"}},
            {"version": "v11.0.0", "version_normalized": "11.0.0.0"},
            {"version": "v10.48.4", "version_normalized": "10.48.4.0", "require": "__unset"},
            {"version": "11.x-dev", "version_normalized": "11.9999999.9999999.9999999-dev"}
        ]}}"#;
        assert_eq!(
            parse(body, "laravel/framework").unwrap(),
            ["v11.1.0", "v11.0.0", "v10.48.4"]
        );
        assert!(parse(body, "laravel/laravel")
            .unwrap_err()
            .contains("no `packages.laravel/laravel`"));
        assert!(parse(b"<html>", "x/y")
            .unwrap_err()
            .contains("invalid JSON"));
    }

    #[test]
    fn composer_json_repositories() {
        let list = r#"{"repositories": [{"type": "vcs", "url": "https://git.example.invalid/a/b"},
            {"type": "composer", "url": "https://php.example.invalid/"}]}"#;
        assert_eq!(
            project_repository(list).as_deref(),
            Some("https://php.example.invalid/")
        );
        let named = r#"{"repositories": {"private": {"type": "composer", "url": "https://p.example.invalid"}}}"#;
        assert_eq!(
            project_repository(named).as_deref(),
            Some("https://p.example.invalid")
        );
        assert_eq!(project_repository(r#"{"require": {}}"#), None);
    }
}
