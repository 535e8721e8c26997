//! A gem source's compact index: `<source>/info/<gem>` lists one published version a line
//! (`VERSION[-PLATFORM] deps|requirements`); yanked versions are not listed. The source is
//! `registries.rubygems` in bumpcheck.toml, else the `remote:` of the Gemfile.lock's GEM
//! section that holds the gem.

use super::{Listing, Problem};
use crate::notes::http::{Caching, Http};

pub(super) async fn versions(
    http: &Http,
    configured: Option<&str>,
    name: &str,
    lock_remote: Option<&str>,
) -> Result<Listing, Problem> {
    let source = configured.or(lock_remote).ok_or_else(|| {
        Problem::NotConfigured(format!(
            "no gem source for {name}: the Gemfile.lock's GEM section holding it names no \
             `remote:`; set `registries.rubygems` in bumpcheck.toml or give an exact version"
        ))
    })?;
    let url = format!("{}/info/{name}", source.trim_end_matches('/'));
    let doc = http.get(&url, &[], Caching::Revalidate).await?;
    Ok(Listing {
        url: crate::redact::redact(&url),
        versions: parse(&doc.body),
        tags: Default::default(),
    })
}

/// The versions of a compact index file, each once (platform variants share it).
fn parse(body: &[u8]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in String::from_utf8_lossy(body).lines() {
        let Some(first) = line.split_whitespace().next() else {
            continue;
        };
        if first == "---" {
            continue;
        }
        // Gem versions have no `-`: what follows one is the platform.
        let version = first.split('-').next().unwrap_or(first);
        if !out.iter().any(|v| v == version) {
            out.push(version.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_index_versions_once_per_platform() {
        let body = b"---\n7.1.3 actionpack:= 7.1.3|checksum:abc,ruby:>= 2.7.0\n7.1.3-x86_64-linux |checksum:def\n7.2.0.beta1 |checksum:0\n\n7.2.1 |checksum:1\n";
        assert_eq!(parse(body), ["7.1.3", "7.2.0.beta1", "7.2.1"]);
    }
}
