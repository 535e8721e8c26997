//! A Python package index: the project's page in the simple API (PEP 691 JSON, or the
//! PEP 503 HTML page older indexes serve) lists the files of every version; the sdist of
//! the new version holds the changelog (CHANGELOG, CHANGES, HISTORY, NEWS...) and the
//! PKG-INFO whose `Project-URL`s name the source repository. Without an sdist, a wheel's
//! metadata file (PEP 658) still gives the description and the URLs. Read in memory,
//! never extracted, and cached for good.

use super::{
    best_changelog, cached, is_changelog, read_files, remember, Published, Repository, TooLarge,
};
use crate::ecosystem::Ecosystem;
use crate::lockfile::pep508;
use crate::notes::http::{Caching, Http};
use crate::version;

/// The cache key of what a version's sdist yields.
pub fn cache_key(index: &str, name: &str, version: &str) -> String {
    format!(
        "pypi-published/{index}/{}@{version}",
        pep508::normalize(name)
    )
}

/// JSON first; HTML from indexes that only speak PEP 503.
pub const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

pub async fn published(
    http: &Http,
    index: &str,
    name: &str,
    version: &str,
) -> Result<Published, String> {
    let key = cache_key(index, name, version);
    if let Some(hit) = cached(http.cache(), &key) {
        return Ok(hit);
    }
    let page_url = format!(
        "{}/{}/",
        index.trim_end_matches('/'),
        pep508::normalize(name)
    );
    let page = http
        .get(
            &page_url,
            &[("Accept", ACCEPT.to_string())],
            Caching::Revalidate,
        )
        .await
        .map_err(|e| e.to_string())?;
    let files = project_files(&page.body, &page_url)
        .map_err(|e| format!("{}: {e}", crate::redact::redact(&page_url)))?;
    let of_version: Vec<&File> = files
        .iter()
        .filter(|f| {
            dist_name_version(&f.filename).is_some_and(|(n, v)| {
                pep508::normalize(n) == pep508::normalize(name) && same_version(v, version)
            })
        })
        .collect();
    let out = if let Some(sdist) = of_version.iter().find(|f| f.filename.ends_with(".tar.gz")) {
        let bytes = http
            .get(&sdist.url, &[], Caching::No)
            .await
            .map_err(|e| e.to_string())?;
        let (changelog, metadata, too_large) = read_sdist(&bytes.body)
            .map_err(|e| format!("{}: {e}", crate::redact::redact(&sdist.url)))?;
        Published {
            changelog: changelog.or_else(|| metadata.description_as_changelog()),
            repository: metadata.repository(),
            tarball: sdist.url.clone(),
            too_large,
        }
    } else if let Some(wheel) = of_version.iter().find(|f| f.core_metadata) {
        let url = format!(
            "{}.metadata",
            wheel.url.split('#').next().unwrap_or_default()
        );
        let doc = http
            .get(&url, &[], Caching::No)
            .await
            .map_err(|e| e.to_string())?;
        let metadata = CoreMetadata::parse(&String::from_utf8_lossy(&doc.body));
        Published {
            changelog: metadata.description_as_changelog(),
            repository: metadata.repository(),
            tarball: url,
            too_large: None,
        }
    } else if of_version.is_empty() {
        return Err(format!(
            "{}: no file of version {version}",
            crate::redact::redact(&page_url)
        ));
    } else {
        return Err(format!(
            "{}: version {version} has no .tar.gz sdist and no wheel metadata",
            crate::redact::redact(&page_url)
        ));
    };
    remember(http.cache(), &key, &out);
    Ok(out)
}

/// A file on a project page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    pub filename: String,
    /// Absolute, with any `#sha256=` fragment.
    pub url: String,
    /// Whether `<url>.metadata` serves its core metadata (PEP 658/714).
    pub core_metadata: bool,
    /// Withdrawn by its publisher (PEP 592): installers skip it unless pinned exactly.
    pub yanked: bool,
}

/// The files of a project page: PEP 691 JSON, else the anchors of a PEP 503 page.
pub fn project_files(body: &[u8], page_url: &str) -> Result<Vec<File>, String> {
    let text = String::from_utf8_lossy(body);
    if text.trim_start().starts_with('{') {
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))?;
        let files = doc["files"]
            .as_array()
            .ok_or("not a PEP 691 project page: no `files`")?;
        return Ok(files
            .iter()
            .filter_map(|f| {
                let metadata = f.get("core-metadata").or(f.get("dist-info-metadata"));
                Some(File {
                    filename: f["filename"].as_str()?.to_string(),
                    url: resolve(page_url, f["url"].as_str()?),
                    core_metadata: metadata.is_some_and(|m| m != &serde_json::Value::Bool(false)),
                    yanked: f
                        .get("yanked")
                        .is_some_and(|y| y != &serde_json::Value::Bool(false)),
                })
            })
            .collect());
    }
    let mut out = Vec::new();
    for anchor in text.split("<a ").skip(1) {
        let Some((attrs, rest)) = anchor.split_once('>') else {
            continue;
        };
        let Some(href) = attribute(attrs, "href") else {
            continue;
        };
        let filename = rest
            .split('<')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        out.push(File {
            filename,
            url: resolve(page_url, &unescape(&href)),
            core_metadata: attribute(attrs, "data-core-metadata")
                .or_else(|| attribute(attrs, "data-dist-info-metadata"))
                .is_some_and(|v| v != "false"),
            yanked: attrs.contains("data-yanked"),
        });
    }
    Ok(out)
}

fn attribute(attrs: &str, name: &str) -> Option<String> {
    let start = attrs.find(&format!("{name}="))? + name.len() + 1;
    let rest = &attrs[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = rest[1..].find(quote)?;
    Some(rest[1..1 + end].to_string())
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#35;", "#")
        .replace("&quot;", "\"")
}

/// A link on a page, made absolute.
pub fn resolve(base: &str, link: &str) -> String {
    if link.contains("://") {
        return link.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("https", base));
    let host_end = rest.find('/').unwrap_or(rest.len());
    let origin = format!("{scheme}://{}", &rest[..host_end]);
    if let Some(path) = link.strip_prefix("//") {
        return format!("{scheme}://{path}");
    }
    if link.starts_with('/') {
        return format!("{origin}{link}");
    }
    // Relative to the page's folder, `../` climbing.
    let base_path = &rest[host_end..];
    let mut segments: Vec<&str> = base_path.split('/').collect();
    segments.pop();
    let mut link = link;
    loop {
        if let Some(l) = link.strip_prefix("../") {
            if segments.len() > 1 {
                segments.pop();
            }
            link = l;
        } else if let Some(l) = link.strip_prefix("./") {
            link = l;
        } else {
            break;
        }
    }
    format!("{origin}{}/{link}", segments.join("/"))
}

/// (name, version) of an sdist or wheel file name.
pub fn dist_name_version(filename: &str) -> Option<(&str, &str)> {
    if let Some(stem) = filename.strip_suffix(".whl") {
        let mut parts = stem.splitn(3, '-');
        return Some((parts.next()?, parts.next()?));
    }
    let stem = [".tar.gz", ".zip", ".tar.bz2", ".tgz"]
        .iter()
        .find_map(|ext| filename.strip_suffix(ext))?;
    stem.rsplit_once('-')
}

/// Versions that are the same release however they are written (`1.0` and `1.0.0`).
pub fn same_version(a: &str, b: &str) -> bool {
    a == b
        || version::parse(Ecosystem::Pypi, a)
            .zip(version::parse(Ecosystem::Pypi, b))
            .is_some_and(|(x, y)| x == y)
}

type Changelog = Option<(String, String)>;

/// The changelog of an sdist (at its root, else in `docs/` or `doc/`) and its PKG-INFO.
pub fn read_sdist(gz: &[u8]) -> Result<(Changelog, CoreMetadata, TooLarge), String> {
    let in_docs = |f: &str| {
        f.split_once('/')
            .is_some_and(|(d, n)| matches!(d, "docs" | "doc") && is_changelog(n))
    };
    let picked = read_files(gz, |f| f == "PKG-INFO" || is_changelog(f) || in_docs(f))?;
    let too_large = picked.changelog_too_large();
    let files = picked.files;
    let metadata = files
        .iter()
        .find(|(n, _)| n == "PKG-INFO")
        .map(|(_, t)| CoreMetadata::parse(t))
        .unwrap_or_default();
    let root = best_changelog(&files);
    let docs = || {
        let nested: Vec<(String, String)> = files
            .iter()
            .filter_map(|(n, t)| Some((n.split_once('/')?.1.to_string(), t.clone())))
            .collect();
        best_changelog(&nested).and_then(|(n, _)| {
            files
                .iter()
                .find(|(p, _)| p.ends_with(&format!("/{n}")))
                .cloned()
        })
    };
    Ok((root.or_else(docs), metadata, too_large))
}

/// What core metadata (METADATA, PKG-INFO) tells about where notes are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CoreMetadata {
    /// `Project-URL` (label, URL), then `Home-page` as ("Homepage", URL).
    pub urls: Vec<(String, String)>,
    pub description: Option<String>,
}

impl CoreMetadata {
    /// Email-style headers, then the description as the body (or a `Description:`
    /// header, whose continuation lines are indented).
    pub fn parse(text: &str) -> CoreMetadata {
        let mut out = CoreMetadata::default();
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut lines = text.lines();
        for line in lines.by_ref() {
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push('\n');
                    let l = line.trim_start();
                    v.push_str(l.strip_prefix("|").unwrap_or(l));
                }
                continue;
            }
            if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            }
        }
        let body: Vec<&str> = lines.collect();
        for (k, v) in &headers {
            match k.as_str() {
                "project-url" => {
                    if let Some((label, url)) = v.split_once(',') {
                        out.urls
                            .push((label.trim().to_string(), url.trim().to_string()));
                    }
                }
                "home-page" if !v.is_empty() && v != "UNKNOWN" => {
                    out.urls.push(("Homepage".to_string(), v.clone()))
                }
                "description" if v != "UNKNOWN" => out.description = Some(v.clone()),
                _ => {}
            }
        }
        let body = body.join("\n");
        if !body.trim().is_empty() {
            out.description = Some(body);
        }
        out
    }

    /// The source repository: from the URL labelled most like one (Source, Repository,
    /// Code, GitHub, then Changelog, Issues, Homepage...).
    pub fn repository(&self) -> Option<Repository> {
        let rank = |label: &str| {
            let l: String = label
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            [
                "source",
                "sourcecode",
                "repository",
                "code",
                "github",
                "changelog",
                "changes",
                "releasenotes",
                "issues",
                "bugtracker",
                "tracker",
                "homepage",
            ]
            .iter()
            .position(|p| *p == l)
            .unwrap_or(99)
        };
        let mut urls: Vec<&(String, String)> = self.urls.iter().collect();
        urls.sort_by_key(|(label, _)| rank(label));
        urls.into_iter()
            .find_map(|(_, url)| Repository::parse(url, None))
    }

    /// The description, as a last changelog candidate.
    pub fn description_as_changelog(&self) -> Option<(String, String)> {
        self.description
            .clone()
            .map(|d| ("PKG-INFO description".to_string(), d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep691_and_pep503_pages() {
        let json = br#"{"meta": {"api-version": "1.1"}, "name": "flask", "files": [
            {"filename": "flask-3.0.0-py3-none-any.whl", "url": "../../packages/flask-3.0.0-py3-none-any.whl#sha256=ab", "hashes": {}, "core-metadata": {"sha256": "cd"}},
            {"filename": "flask-3.0.0.tar.gz", "url": "https://files.example.invalid/flask-3.0.0.tar.gz", "hashes": {}}
        ]}"#;
        let files = project_files(json, "https://index.example.invalid/simple/flask/").unwrap();
        assert_eq!(
            files[0].url,
            "https://index.example.invalid/packages/flask-3.0.0-py3-none-any.whl#sha256=ab"
        );
        assert!(files[0].core_metadata && !files[1].core_metadata);
        assert!(!files[0].yanked);
        let html = br#"<html><body><h1>Links for flask</h1>
<a href="/files/Flask-2.3.3.tar.gz#sha256=ef" data-requires-python="&gt;=3.8">Flask-2.3.3.tar.gz</a><br/>
<a href='flask-3.0.0-py3-none-any.whl' data-core-metadata="sha256=12">flask-3.0.0-py3-none-any.whl</a>
</body></html>"#;
        let files = project_files(html, "https://index.example.invalid/simple/flask/").unwrap();
        assert_eq!(
            files.iter().map(|f| f.url.as_str()).collect::<Vec<_>>(),
            [
                "https://index.example.invalid/files/Flask-2.3.3.tar.gz#sha256=ef",
                "https://index.example.invalid/simple/flask/flask-3.0.0-py3-none-any.whl"
            ]
        );
        assert_eq!(files[0].filename, "Flask-2.3.3.tar.gz");
        assert!(files[1].core_metadata);
        assert!(project_files(b"{\"files\": [", "https://x.invalid/").is_err());
    }

    #[test]
    fn file_names_and_versions() {
        assert_eq!(
            dist_name_version("Flask-2.3.3.tar.gz"),
            Some(("Flask", "2.3.3"))
        );
        assert_eq!(
            dist_name_version("typing_extensions-4.12.2-py3-none-any.whl"),
            Some(("typing_extensions", "4.12.2"))
        );
        assert_eq!(
            dist_name_version("zope.interface-6.0.zip"),
            Some(("zope.interface", "6.0"))
        );
        assert_eq!(dist_name_version("README"), None);
        assert!(same_version("1.0", "1.0.0") && !same_version("1.0", "1.1"));
    }

    #[test]
    fn core_metadata_urls_and_description() {
        let text = "Metadata-Version: 2.1\nName: Flask\nVersion: 3.0.0\nHome-page: https://docs.example.invalid/\nProject-URL: Documentation, https://docs.example.invalid/en/stable/\nProject-URL: Changes, https://docs.example.invalid/changes/\nProject-URL: Source Code, https://github.com/pallets/flask/\n\nFlask\n=====\n\nA framework.\n";
        let m = CoreMetadata::parse(text);
        let repo = m.repository().unwrap();
        assert_eq!(
            (repo.owner.as_str(), repo.name.as_str()),
            ("pallets", "flask")
        );
        assert_eq!(
            m.description.as_deref(),
            Some("Flask\n=====\n\nA framework.\n".trim_end())
        );
        let old = "Metadata-Version: 1.1\nName: x\nDescription: First line\n        |\n        |1.0.0\n        |-----\nPlatform: any\n";
        let m = CoreMetadata::parse(old);
        assert_eq!(m.description.as_deref(), Some("First line\n\n1.0.0\n-----"));
        assert!(m.repository().is_none());
    }
}
