//! Where release notes come from, cheapest first: the package installed locally, the
//! registry's published artifact, then GitHub (releases, then the changelog file).

pub mod cargo;
pub mod github;
pub mod local;
pub mod npm;
pub mod pypi;

use crate::notes::cache::{Cache, Entry};
use serde::{Deserialize, Serialize};
use std::io::Read;

/// What a published version's artifact (npm tarball, .crate, sdist) tells. Cached for
/// good: a published version never changes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Published {
    /// (file name, text)
    pub changelog: Option<(String, String)>,
    pub repository: Option<Repository>,
    /// Where the artifact was downloaded from.
    pub tarball: String,
    /// A changelog the artifact holds but that is over `MAX_FILE_BYTES`: (name, bytes).
    #[serde(default)]
    pub too_large: TooLarge,
}

/// Why a registry's artifact could not be read, with the repository its metadata named
/// before the failure, so GitHub can still be asked.
#[derive(Clone, Debug, Default)]
pub struct Unpublished {
    pub reason: String,
    pub repository: Option<Repository>,
}

impl From<String> for Unpublished {
    fn from(reason: String) -> Unpublished {
        Unpublished {
            reason,
            repository: None,
        }
    }
}

impl From<&str> for Unpublished {
    fn from(reason: &str) -> Unpublished {
        Unpublished::from(reason.to_string())
    }
}

/// What a published version yielded, from the cache.
pub fn cached(cache: Option<&Cache>, key: &str) -> Option<Published> {
    serde_json::from_str(&cache?.get(key)?.body).ok()
}

/// Keeps what a published version yielded, for good.
pub fn remember(cache: Option<&Cache>, key: &str, published: &Published) {
    if let Some(cache) = cache {
        cache.put(
            key,
            &Entry {
                etag: None,
                body: serde_json::to_string(published).unwrap_or_default(),
            },
        );
    }
}

/// An `Authorization` header, when there is a credential.
pub fn authorization(value: Option<String>) -> Vec<(&'static str, String)> {
    value.map(|v| ("Authorization", v)).into_iter().collect()
}

/// The largest file read from an artifact: beyond it, a changelog is not notes.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A changelog an artifact holds but that is too large to read: (name, bytes).
pub type TooLarge = Option<(String, u64)>;

/// The files an archive holds that were picked: (name, text), and (name, size) of those
/// over `MAX_FILE_BYTES`, left unread.
#[derive(Debug, Default)]
pub struct Picked {
    pub files: Vec<(String, String)>,
    pub too_large: Vec<(String, u64)>,
}

impl Picked {
    /// A changelog left unread for its size, when no changelog was read.
    pub fn changelog_too_large(&self) -> TooLarge {
        let read = self.files.iter().any(|(n, _)| is_changelog(n));
        let big = self
            .too_large
            .iter()
            .find(|(n, _)| is_changelog(n.rsplit('/').next().unwrap_or(n)));
        big.filter(|_| !read).cloned()
    }
}

/// The files of a `.tar.gz` package whose path below the top folder (`History.md` for
/// `package/History.md`, whatever the top folder is called) `want` picks, read in memory
/// and never extracted.
pub fn read_files(gz: &[u8], want: impl Fn(&str) -> bool) -> Result<Picked, String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let mut out = Picked::default();
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
        let mut parts = path.trim_start_matches("./").splitn(2, '/');
        let (Some(_), Some(file)) = (parts.next(), parts.next()) else {
            continue;
        };
        if !want(file) {
            continue;
        }
        if entry.size() > MAX_FILE_BYTES {
            out.too_large.push((file.to_string(), entry.size()));
            continue;
        }
        // A changelog with a stray byte that is not UTF-8 is still the changelog: read
        // it lossily rather than report that the tarball has none. A read that fails is
        // a broken tarball, said as such.
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("broken tarball: {file}: {e}"))?;
        let text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        out.files.push((file.to_string(), text));
    }
    Ok(out)
}

/// The best changelog among (file name, text) pairs.
pub fn best_changelog(files: &[(String, String)]) -> Option<(String, String)> {
    let best = pick_changelog(files.iter().map(|(n, _)| n.as_str()))?;
    files.iter().find(|(n, _)| n == best).cloned()
}

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

    fn tarball(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, body) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(body.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder.append_data(&mut header, path, *body).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        gz.finish().unwrap()
    }

    /// One byte that is not UTF-8 does not make the changelog disappear.
    #[test]
    fn a_changelog_with_a_stray_byte_is_read() {
        let gz = tarball(&[(
            "package/CHANGELOG.md",
            b"# 2.0.0\n\n- Removed \xff`old()`\n",
        )]);
        let picked = read_files(&gz, is_changelog).unwrap();
        assert_eq!(picked.files.len(), 1);
        assert_eq!(picked.files[0].0, "CHANGELOG.md");
        assert!(picked.files[0].1.contains("- Removed \u{fffd}`old()`"));
    }
}
