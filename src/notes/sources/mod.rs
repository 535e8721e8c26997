//! Where release notes come from, cheapest first: the package installed locally, the
//! registry's published artifact, then GitHub (releases, then the changelog file).

pub mod github;
pub mod local;
pub mod npm;

/// Whether a file name is a changelog: CHANGELOG, HISTORY, CHANGES, NEWS or RELEASES,
/// bare or with .md/.markdown/.rst/.txt, in any case.
pub fn is_changelog(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    let (stem, ext) = match lower.rsplit_once('.') {
        Some((s, e)) => (s, Some(e)),
        None => (lower.as_str(), None),
    };
    matches!(
        stem,
        "changelog" | "history" | "changes" | "news" | "releases"
    ) && ext.is_none_or(|e| matches!(e, "md" | "markdown" | "rst" | "txt"))
}

/// The best changelog among file names: CHANGELOG before HISTORY before the others,
/// Markdown before other formats.
pub fn pick_changelog<'a>(names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let rank = |n: &str| {
        let l = n.to_ascii_lowercase();
        let stem = ["changelog", "history", "changes", "releases", "news"]
            .iter()
            .position(|s| l.starts_with(s))
            .unwrap_or(9);
        (stem, !l.ends_with(".md"))
    };
    names.filter(|n| is_changelog(n)).min_by_key(|n| rank(n))
}

/// A source repository named by a package's metadata.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Repository {
    pub host: String,
    pub owner: String,
    pub name: String,
    /// The package's folder inside a monorepo.
    pub directory: Option<String>,
}

impl Repository {
    /// Reads `git+https://host/owner/repo.git`, `git@host:owner/repo`, `github:owner/repo`
    /// and the `owner/repo` shorthand (GitHub).
    pub fn parse(url: &str, directory: Option<&str>) -> Option<Repository> {
        let u = url.trim();
        let (host, path) = if let Some(rest) = u.strip_prefix("github:") {
            ("github.com".to_string(), rest.to_string())
        } else if let Some(rest) = u.strip_prefix("git@") {
            let (h, p) = rest.split_once(':')?;
            (h.to_string(), p.to_string())
        } else if let Some((_, rest)) = u.split_once("://") {
            let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
            let (h, p) = rest.split_once('/')?;
            (h.to_string(), p.to_string())
        } else if u.split('/').count() == 2 && !u.contains(':') {
            ("github.com".to_string(), u.to_string())
        } else {
            return None;
        };
        let path = path.split(['#', '?']).next()?.trim_end_matches('/');
        let mut parts = path.split('/');
        let owner = parts.next()?.to_string();
        let name = parts.next()?.trim_end_matches(".git").to_string();
        (!owner.is_empty() && !name.is_empty()).then(|| Repository {
            host,
            owner,
            name,
            directory: directory
                .map(|d| d.trim_matches('/').to_string())
                .filter(|d| !d.is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changelog_names_and_repositories() {
        assert!(is_changelog("History.md") && is_changelog("CHANGES.rst") && is_changelog("NEWS"));
        assert!(!is_changelog("changelog.js") && !is_changelog("README.md"));
        assert_eq!(
            pick_changelog(["NEWS", "History.md", "CHANGELOG.txt", "CHANGELOG.md"].into_iter()),
            Some("CHANGELOG.md")
        );
        let r = Repository::parse("git+https://github.com/expressjs/express.git", None).unwrap();
        assert_eq!(
            (r.host.as_str(), r.owner.as_str(), r.name.as_str()),
            ("github.com", "expressjs", "express")
        );
        let r = Repository::parse(
            "git@ghe.example.invalid:team/mono.git",
            Some("packages/ui/"),
        )
        .unwrap();
        assert_eq!(
            (r.host.as_str(), r.name.as_str(), r.directory.as_deref()),
            ("ghe.example.invalid", "mono", Some("packages/ui"))
        );
        assert_eq!(Repository::parse("github:a/b", None).unwrap().name, "b");
        assert_eq!(Repository::parse("a/b", None).unwrap().owner, "a");
        assert!(Repository::parse("not a url", None).is_none());
    }
}
