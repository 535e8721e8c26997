//! One sticky comment per pull request: found again by the hidden marker at the start of
//! its body (every page of comments is read), updated in place, created only when none
//! exists. A token that may not write (pull requests from forks get a read-only one) is
//! not an error: the comment is skipped and the check's result stands.

use super::Context;
use crate::notes::http::{Http, HttpConfig, HttpError};
use crate::report::markdown::MARKER;
use reqwest::Method;

/// Comment pages read at most (100 comments each).
const MAX_PAGES: usize = 50;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Created {
        id: u64,
        url: String,
    },
    Updated {
        id: u64,
        url: String,
    },
    /// The comment already says this.
    Unchanged {
        id: u64,
        url: String,
    },
    /// Not allowed to read or write comments with this token (the reason).
    Skipped(String),
}

impl Outcome {
    pub fn id(&self) -> Option<u64> {
        match self {
            Outcome::Created { id, .. }
            | Outcome::Updated { id, .. }
            | Outcome::Unchanged { id, .. } => Some(*id),
            Outcome::Skipped(_) => None,
        }
    }
}

/// Creates or updates the comment holding `body` (which starts with the marker).
pub fn upsert(ctx: &Context, body: &str, config: HttpConfig) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let http = Http::new(config, None);
        match upsert_async(&http, ctx, body).await {
            Err(HttpError::Status { status, .. }) if status == 403 || status == 404 => {
                Ok(Outcome::Skipped(format!(
                    "the token may not write comments on pull request #{} (HTTP {status}); pull requests from forks get a read-only token",
                    ctx.pr
                )))
            }
            r => r.map_err(|e| e.to_string()),
        }
    })
}

fn headers(ctx: &Context) -> Vec<(&'static str, String)> {
    vec![
        ("Accept", "application/vnd.github+json".to_string()),
        ("X-GitHub-Api-Version", "2022-11-28".to_string()),
        ("Authorization", format!("Bearer {}", ctx.token)),
    ]
}

async fn upsert_async(http: &Http, ctx: &Context, body: &str) -> Result<Outcome, HttpError> {
    let headers = headers(ctx);
    let existing = find(http, ctx, &headers).await?;
    let payload =
        serde_json::to_vec(&serde_json::json!({ "body": body })).expect("a string serialises");
    if let Some(found) = existing {
        if found.body == body {
            return Ok(Outcome::Unchanged {
                id: found.id,
                url: found.url,
            });
        }
        let url = format!(
            "{}/repos/{}/issues/comments/{}",
            ctx.api_url, ctx.repo, found.id
        );
        let resp = http
            .send_json(Method::PATCH, &url, &headers, payload)
            .await?;
        let (id, url) = identify(&resp.body).unwrap_or((found.id, found.url));
        return Ok(Outcome::Updated { id, url });
    }
    let url = format!(
        "{}/repos/{}/issues/{}/comments",
        ctx.api_url, ctx.repo, ctx.pr
    );
    let resp = http
        .send_json(Method::POST, &url, &headers, payload)
        .await?;
    let (id, url) = identify(&resp.body).unwrap_or_default();
    Ok(Outcome::Created { id, url })
}

struct Existing {
    id: u64,
    url: String,
    body: String,
}

/// The first comment whose body starts with the marker, on any page.
async fn find(
    http: &Http,
    ctx: &Context,
    headers: &[(&str, String)],
) -> Result<Option<Existing>, HttpError> {
    let mut next = Some(format!(
        "{}/repos/{}/issues/{}/comments?per_page=100",
        ctx.api_url, ctx.repo, ctx.pr
    ));
    for _ in 0..MAX_PAGES {
        let Some(url) = next.take() else { break };
        let page = http
            .get(&url, headers, crate::notes::http::Caching::No)
            .await?;
        let comments: Vec<serde_json::Value> =
            serde_json::from_slice(&page.body).unwrap_or_default();
        for c in &comments {
            let body = c["body"].as_str().unwrap_or("");
            if body.trim_start().starts_with(MARKER) {
                if let Some((id, url)) = identify_value(c) {
                    return Ok(Some(Existing {
                        id,
                        url,
                        body: body.to_string(),
                    }));
                }
            }
        }
        next = page.next;
    }
    Ok(None)
}

fn identify(body: &[u8]) -> Option<(u64, String)> {
    identify_value(&serde_json::from_slice(body).ok()?)
}

fn identify_value(v: &serde_json::Value) -> Option<(u64, String)> {
    Some((
        v["id"].as_u64()?,
        v["html_url"].as_str().unwrap_or_default().to_string(),
    ))
}
