//! An npm registry's packument: the versions and dist-tags of a package. The same
//! document, with the same Accept header, as the release notes read, so the cached copy
//! (and its ETag) serves both.

use super::{Listing, Problem};
use crate::notes::config::NpmConfig;
use crate::notes::http::{Caching, Http};

pub(super) async fn versions(
    http: &Http,
    config: &NpmConfig,
    name: &str,
) -> Result<Listing, Problem> {
    let registry = config.registry_for(name).ok_or_else(|| {
        Problem::NotConfigured(
            "no npm registry is configured (set `registry=` in .npmrc or npm_config_registry)"
                .into(),
        )
    })?;
    // Scoped names keep their `@` and escape the slash, as the registry API expects.
    let url = format!("{registry}/{}", name.replace('/', "%2f"));
    let mut headers: Vec<(&str, String)> = config
        .auth_for(&url)
        .map(|a| ("Authorization", a))
        .into_iter()
        .collect();
    headers.push(("Accept", "application/json".into()));
    let doc = http.get(&url, &headers, Caching::Revalidate).await?;
    parse(&doc.body)
        .map(|(versions, tags)| Listing {
            url: crate::redact::redact(&url),
            versions,
            tags,
        })
        .map_err(|message| Problem::Invalid {
            url: crate::redact::redact(&url),
            message,
        })
}

type Tags = std::collections::BTreeMap<String, String>;

/// The versions (keys of `versions`) and the dist-tags of a packument.
fn parse(body: &[u8]) -> Result<(Vec<String>, Tags), String> {
    let doc: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let versions = doc["versions"]
        .as_object()
        .ok_or("not a packument: no `versions`")?
        .keys()
        .cloned()
        .collect();
    let tags = doc["dist-tags"]
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
        .collect();
    Ok((versions, tags))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packument_versions_and_tags() {
        let (versions, tags) = parse(
            br#"{"name": "x", "dist-tags": {"latest": "1.1.0", "next": "2.0.0-rc.1"},
                 "versions": {"1.0.0": {}, "1.1.0": {}, "2.0.0-rc.1": {}}}"#,
        )
        .unwrap();
        assert_eq!(versions, ["1.0.0", "1.1.0", "2.0.0-rc.1"]);
        assert_eq!(tags["next"], "2.0.0-rc.1");
        assert!(parse(b"{\"name\": \"x\"}")
            .unwrap_err()
            .contains("no `versions`"));
        assert!(parse(b"<html>").unwrap_err().contains("invalid JSON"));
    }
}
