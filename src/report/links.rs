//! Links to a file and line at the head commit on GitHub (or GitHub Enterprise), for the
//! Markdown report.

/// Where the head commit can be browsed: `{server}/{repo}/blob/{sha}/{path}#L{line}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Links {
    pub server: String,
    /// `owner/name`.
    pub repo: String,
    pub sha: String,
}

impl Links {
    /// From `GITHUB_SERVER_URL` and `GITHUB_REPOSITORY`, for the head commit `sha`; `None`
    /// when either is unknown (links are then plain `path:line`).
    pub fn from_env(sha: Option<&str>) -> Option<Links> {
        let var = |n: &str| std::env::var(n).ok().filter(|v| !v.trim().is_empty());
        let repo = var("GITHUB_REPOSITORY")?;
        let server = var("GITHUB_SERVER_URL")?;
        Some(Links {
            server: server.trim_end_matches('/').to_string(),
            repo,
            sha: sha?.to_string(),
        })
    }

    pub fn file_line(&self, path: &str, line: usize) -> String {
        format!(
            "{}/{}/blob/{}/{}#L{line}",
            self.server,
            self.repo,
            self.sha,
            encode_path(path)
        )
    }
}

/// Percent-encodes what would end or break a URL path inside Markdown link syntax.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b'@' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_a_line_at_the_head_commit() {
        let l = Links {
            server: "https://github.example.invalid".into(),
            repo: "acme/shop".into(),
            sha: "abc123".into(),
        };
        assert_eq!(
            l.file_line("src/my app (v2)/a.js", 7),
            "https://github.example.invalid/acme/shop/blob/abc123/src/my%20app%20%28v2%29/a.js#L7"
        );
    }
}
