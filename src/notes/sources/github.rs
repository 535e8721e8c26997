//! GitHub: the repository's releases (tags `v1.2.3`, `1.2.3`, `pkg@1.2.3`, `pkg-v1.2.3`,
//! `pkg/v1.2.3`), then its changelog file, through the REST API (GitHub Enterprise via
//! `GITHUB_API_URL`). Without a token public repositories are still tried.

use super::{pick_changelog, Repository};
use crate::ecosystem::Ecosystem;
use crate::notes::changelog::{self, Section};
use crate::notes::config::GithubConfig;
use crate::notes::http::{Caching, Http};
use crate::version;

/// Release pages read at most: releases come newest first, so the range is usually
/// within the first page or two.
const MAX_PAGES: usize = 10;

fn headers(config: &GithubConfig, accept: &str) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("Accept", accept.to_string()),
        ("X-GitHub-Api-Version", "2022-11-28".to_string()),
    ];
    if let Some(token) = &config.token {
        h.push(("Authorization", format!("Bearer {token}")));
    }
    h
}

pub fn serves(config: &GithubConfig, repo: &Repository) -> bool {
    config
        .hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(&repo.host))
}

/// Release notes of the versions in (from, to], newest first, and the releases page URL.
pub async fn releases(
    http: &Http,
    config: &GithubConfig,
    repo: &Repository,
    ecosystem: Ecosystem,
    name: &str,
    from: Option<&str>,
    to: &str,
) -> Result<Vec<Section>, String> {
    let from_v = from.and_then(|f| version::parse(ecosystem, f));
    let mut url = Some(format!(
        "{}/repos/{}/{}/releases?per_page=100",
        config.api_url, repo.owner, repo.name
    ));
    let mut found = Vec::new();
    for _ in 0..MAX_PAGES {
        let Some(page_url) = url.take() else { break };
        let page = http
            .get(
                &page_url,
                &headers(config, "application/vnd.github+json"),
                Caching::Revalidate,
            )
            .await
            .map_err(|e| e.to_string())?;
        let list: Vec<serde_json::Value> = serde_json::from_slice(&page.body)
            .map_err(|e| format!("{page_url}: invalid JSON: {e}"))?;
        let mut older_than_range = !list.is_empty();
        for r in &list {
            if r["draft"].as_bool() == Some(true) {
                continue;
            }
            let tag = r["tag_name"].as_str().unwrap_or_default();
            let Some(v) = changelog::version_in(tag, name) else {
                older_than_range = false;
                continue;
            };
            let parsed = version::parse(ecosystem, &v);
            if parsed
                .as_ref()
                .zip(from_v.as_ref())
                .is_none_or(|(p, f)| p > f)
            {
                older_than_range = false;
            }
            found.push(Section {
                version: v,
                heading: r["name"]
                    .as_str()
                    .filter(|n| !n.is_empty())
                    .unwrap_or(tag)
                    .to_string(),
                body: r["body"].as_str().unwrap_or_default().trim().to_string(),
            });
        }
        if older_than_range {
            break;
        }
        url = page.next;
    }
    Ok(changelog::slice(found, ecosystem, from, to))
}

/// The changelog file at the package's folder (or the repository root).
pub async fn changelog_file(
    http: &Http,
    config: &GithubConfig,
    repo: &Repository,
) -> Result<(String, String), String> {
    let dir = repo.directory.as_deref().unwrap_or("");
    let list_url = format!(
        "{}/repos/{}/{}/contents/{dir}",
        config.api_url, repo.owner, repo.name
    );
    let listing = http
        .get(
            &list_url,
            &headers(config, "application/vnd.github+json"),
            Caching::Revalidate,
        )
        .await
        .map_err(|e| e.to_string())?;
    let files: Vec<serde_json::Value> = serde_json::from_slice(&listing.body)
        .map_err(|e| format!("{list_url}: invalid JSON: {e}"))?;
    let names: Vec<&str> = files
        .iter()
        .filter(|f| f["type"].as_str() == Some("file"))
        .filter_map(|f| f["name"].as_str())
        .collect();
    let file = pick_changelog(names.into_iter())
        .ok_or_else(|| format!("no changelog file in {}/{}/{dir}", repo.owner, repo.name))?;
    let path = if dir.is_empty() {
        file.to_string()
    } else {
        format!("{dir}/{file}")
    };
    let text = raw_file(http, config, repo, &path).await?;
    Ok((path, text))
}

/// A file of the repository at its default branch, through the contents API.
pub async fn raw_file(
    http: &Http,
    config: &GithubConfig,
    repo: &Repository,
    path: &str,
) -> Result<String, String> {
    let url = format!(
        "{}/repos/{}/{}/contents/{path}",
        config.api_url, repo.owner, repo.name
    );
    let raw = http
        .get(
            &url,
            &headers(config, "application/vnd.github.raw+json"),
            Caching::Revalidate,
        )
        .await
        .map_err(|e| e.to_string())?;
    Ok(String::from_utf8_lossy(&raw.body).into_owned())
}

/// The web page of the releases, for the report.
pub fn releases_page(repo: &Repository) -> String {
    format!(
        "https://{}/{}/{}/releases",
        repo.host, repo.owner, repo.name
    )
}

/// The web page of a file at the default branch.
pub fn file_page(repo: &Repository, path: &str) -> String {
    format!(
        "https://{}/{}/{}/blob/HEAD/{path}",
        repo.host, repo.owner, repo.name
    )
}
