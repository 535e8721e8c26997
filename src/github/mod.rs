//! GitHub Actions context: the repository, the pull request and the API endpoint and
//! token, from the variables and the event payload a runner provides; and the sticky PR
//! comment (`comment`).

pub mod comment;

use std::path::Path;

/// What posting to a pull request needs.
#[derive(Clone, Debug)]
pub struct Context {
    /// Without a trailing `/` (`GITHUB_API_URL`, for GitHub Enterprise too).
    pub api_url: String,
    /// `owner/name` (`GITHUB_REPOSITORY`).
    pub repo: String,
    pub pr: u64,
    /// `GITHUB_TOKEN`, else `GH_TOKEN`. Never printed.
    pub token: String,
}

/// Why there is nothing to post to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Missing {
    Token,
    Repository,
    PullRequest,
}

impl std::fmt::Display for Missing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Missing::Token => "no token: set GITHUB_TOKEN or GH_TOKEN",
            Missing::Repository => "no repository: set GITHUB_REPOSITORY (owner/name)",
            Missing::PullRequest => {
                "no pull request: run on a pull_request event (GITHUB_EVENT_PATH) or pass --pr"
            }
        })
    }
}

impl Context {
    /// From the environment; `pr` overrides the event's pull request number.
    pub fn from_env(pr: Option<u64>) -> Result<Context, Missing> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        let token =
            crate::redact::first_secret_env(["GITHUB_TOKEN", "GH_TOKEN"]).ok_or(Missing::Token)?;
        let repo = var("GITHUB_REPOSITORY")
            .filter(|r| r.contains('/'))
            .ok_or(Missing::Repository)?;
        let pr = pr
            .or_else(|| var("GITHUB_EVENT_PATH").and_then(|p| Event::read(Path::new(&p)).pr_number))
            .ok_or(Missing::PullRequest)?;
        Ok(Context {
            api_url: var("GITHUB_API_URL")
                .unwrap_or_else(|| "https://api.github.com".into())
                .trim_end_matches('/')
                .to_string(),
            repo,
            pr,
            token,
        })
    }
}

/// The parts of a webhook event payload bumpcheck reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Event {
    pub pr_number: Option<u64>,
    pub base_sha: Option<String>,
    pub head_sha: Option<String>,
}

impl Event {
    /// Reads `pull_request.number` (or the top-level `number`), `pull_request.base.sha`
    /// and `pull_request.head.sha`; anything unreadable is absent.
    pub fn read(path: &Path) -> Event {
        let Some(v) = std::fs::read(path)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        else {
            return Event::default();
        };
        let pr = &v["pull_request"];
        let sha = |side: &str| pr[side]["sha"].as_str().map(str::to_string);
        Event {
            pr_number: pr["number"].as_u64().or_else(|| v["number"].as_u64()),
            base_sha: sha("base"),
            head_sha: sha("head"),
        }
    }
}
