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
        url: crate::notes::redact(&url),
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

/// The `remote:` of the GEM section of a Gemfile.lock whose `specs:` list `name`.
pub fn lock_remote(lockfile: &str, name: &str) -> Option<String> {
    let mut remote: Option<&str> = None;
    let mut in_gem = false;
    for line in lockfile.lines() {
        if !line.starts_with(' ') {
            in_gem = line.trim_end() == "GEM";
            remote = None;
            continue;
        }
        if !in_gem {
            continue;
        }
        let trimmed = line.trim();
        if let Some(url) = trimmed.strip_prefix("remote:") {
            // Several remotes (old lockfiles): the first is the one bundler lists first.
            remote = remote.or(Some(url.trim()));
        } else if line.starts_with("    ") && !line.starts_with("     ") {
            let spec_name = trimmed.split_whitespace().next().unwrap_or_default();
            if spec_name == name {
                return remote.map(str::to_string);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_index_versions_once_per_platform() {
        let body = b"---\n7.1.3 actionpack:= 7.1.3|checksum:abc,ruby:>= 2.7.0\n7.1.3-x86_64-linux |checksum:def\n7.2.0.beta1 |checksum:0\n\n7.2.1 |checksum:1\n";
        assert_eq!(parse(body), ["7.1.3", "7.2.0.beta1", "7.2.1"]);
    }

    #[test]
    fn remote_of_the_section_holding_the_gem() {
        let lock = "GIT\n  remote: https://git.example.invalid/acme/pundit.git\n  revision: abc\n  specs:\n    pundit (2.3.0)\n\nGEM\n  remote: https://registry.example.invalid/\n  specs:\n    rails (7.0.8)\n      railties (= 7.0.8)\n    railties (7.0.8)\n\nGEM\n  remote: https://gems.example.invalid/private/\n  specs:\n    acme-auth (1.2.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rails (~> 7.0)\n";
        assert_eq!(
            lock_remote(lock, "railties").as_deref(),
            Some("https://registry.example.invalid/")
        );
        assert_eq!(
            lock_remote(lock, "acme-auth").as_deref(),
            Some("https://gems.example.invalid/private/")
        );
        assert_eq!(lock_remote(lock, "pundit"), None, "a git source");
        assert_eq!(lock_remote(lock, "ruby"), None);
    }
}
