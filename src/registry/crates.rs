//! A cargo sparse index: one JSON line per published version of a crate (`vers`,
//! `yanked`), at the path cargo derives from the name. Git indexes are not read.

use super::{Listing, Problem};
use crate::notes::cargo_config::Index;
use crate::notes::http::{Caching, Http};

pub(super) async fn versions(http: &Http, index: &Index, name: &str) -> Result<Listing, Problem> {
    let base = index.url.strip_prefix("sparse+").ok_or_else(|| {
        Problem::NotConfigured(format!(
            "`{}` is a git index, which preview does not read: configure a sparse index \
             (`sparse+https://...`) for it in .cargo/config.toml",
            crate::redact::redact(index.url.trim_start_matches("registry+"))
        ))
    })?;
    let lower = name.to_ascii_lowercase();
    let url = format!(
        "{}/{}/{lower}",
        base.trim_end_matches('/'),
        crate::notes::index_prefix(&lower)
    );
    let auth: Vec<(&str, String)> = index
        .token
        .clone()
        .map(|t| ("Authorization", t))
        .into_iter()
        .collect();
    let doc = http.get(&url, &auth, Caching::Revalidate).await?;
    Ok(Listing {
        url: crate::redact::redact(&url),
        versions: parse(&doc.body),
        tags: Default::default(),
    })
}

/// The versions an index file lists, yanked ones left out; unreadable lines are skipped.
fn parse(body: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(body)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["yanked"].as_bool() != Some(true))
        .filter_map(|v| v["vers"].as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn index_lines() {
        let body = b"{\"name\":\"axum\",\"vers\":\"0.7.9\",\"yanked\":false}\n{\"name\":\"axum\",\"vers\":\"0.8.0\",\"yanked\":true}\nnot json\n{\"name\":\"axum\",\"vers\":\"0.8.1\",\"yanked\":false}\n";
        assert_eq!(super::parse(body), ["0.7.9", "0.8.1"]);
    }
}
