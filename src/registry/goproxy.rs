//! Go module proxies (the GOPROXY protocol): `<proxy>/<escaped path>/@v/list` lists the
//! tagged versions, `/@latest` answers when nothing is tagged. The proxies are the ones
//! GOPROXY names; `direct` and `off` are skipped (preview does not clone repositories),
//! and a module GONOPROXY or GOPRIVATE keeps off proxies is refused. No proxy is built in.

use super::{Listing, Problem};
use crate::notes::http::{Caching, Http, HttpError};

/// A proxy from GOPROXY, and whether any error (`|` after it) or only "not found" (`,`)
/// passes on to the next one, as the go command reads the list.
#[derive(Debug, PartialEq, Eq)]
struct Proxy {
    url: String,
    fall_through_on_error: bool,
}

pub(super) async fn versions(http: &Http, module: &str) -> Result<Listing, Problem> {
    refuse_private(module, &|k| std::env::var(k).ok())?;
    let proxies = proxies(std::env::var("GOPROXY").ok().as_deref())?;
    let path = escape(module);
    let mut last = None;
    for proxy in &proxies {
        let base = proxy.url.trim_end_matches('/');
        match list(http, base, &path).await {
            Ok(listing) => return Ok(listing),
            Err(Problem::Http(e)) if proxy.fall_through_on_error || not_found(&e) => {
                last = Some(Problem::Http(e));
            }
            Err(other) => return Err(other),
        }
    }
    Err(last.expect("GOPROXY names a proxy"))
}

/// The tagged releases a proxy lists; pseudo-versions and `+incompatible` versions are not
/// ranges' business. With no tagged version, `latest` is the one `@latest` names (often a
/// pseudo-version, which only `latest` selects).
async fn list(http: &Http, base: &str, path: &str) -> Result<Listing, Problem> {
    let url = format!("{base}/{path}/@v/list");
    let doc = http.get(&url, &[], Caching::Revalidate).await?;
    let mut versions = parse_list(&doc.body);
    let mut tags = std::collections::BTreeMap::new();
    if versions.is_empty() {
        let latest_url = format!("{base}/{path}/@latest");
        let doc = http.get(&latest_url, &[], Caching::Revalidate).await?;
        let info: serde_json::Value =
            serde_json::from_slice(&doc.body).map_err(|e| Problem::Invalid {
                url: crate::redact::redact(&latest_url),
                message: format!("invalid JSON: {e}"),
            })?;
        if let Some(v) = info["Version"].as_str() {
            versions.push(v.to_string());
            tags.insert("latest".to_string(), v.to_string());
        }
    }
    Ok(Listing {
        url: crate::redact::redact(&url),
        versions,
        tags,
    })
}

fn not_found(e: &HttpError) -> bool {
    matches!(
        e,
        HttpError::Status {
            status: 404 | 410,
            ..
        }
    )
}

fn parse_list(body: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(body)
        .lines()
        .map(str::trim)
        .filter(|v| v.starts_with('v') && !outside_ranges(v))
        .map(str::to_string)
        .collect()
}

/// A pseudo-version or a `+incompatible` one: never chosen by a range.
pub(super) fn outside_ranges(v: &str) -> bool {
    v.ends_with("+incompatible") || is_pseudo(v)
}

/// `v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.20191109021931-daa7c04131f5`: a
/// timestamp of 14 digits and a 12-digit commit hash end the prerelease.
fn is_pseudo(v: &str) -> bool {
    let mut parts = v.rsplitn(3, '-');
    let (Some(hash), Some(stamp)) = (parts.next(), parts.next()) else {
        return false;
    };
    let stamp = stamp.rsplit('.').next().unwrap_or(stamp);
    hash.len() == 12
        && hash.chars().all(|c| c.is_ascii_hexdigit())
        && stamp.len() == 14
        && stamp.chars().all(|c| c.is_ascii_digit())
}

/// The proxies of a GOPROXY value, in order.
fn proxies(goproxy: Option<&str>) -> Result<Vec<Proxy>, Problem> {
    let value = goproxy
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            Problem::NotConfigured(
            "GOPROXY is not set: set it to your Go module proxy (GOPROXY=https://...) or give an \
             exact version, such as go:github.com/gin-gonic/gin@v1.10.0"
                .into(),
        )
        })?;
    let mut out = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let end = rest.find([',', '|']).unwrap_or(rest.len());
        let entry = rest[..end].trim();
        let fall_through_on_error = rest[end..].starts_with('|');
        rest = rest.get(end + 1..).unwrap_or("");
        if entry.is_empty() || entry == "direct" || entry == "off" {
            continue;
        }
        out.push(Proxy {
            url: entry.to_string(),
            fall_through_on_error,
        });
    }
    if out.is_empty() {
        return Err(Problem::NotConfigured(format!(
            "GOPROXY=`{value}` names no proxy (only `direct`/`off`, which need version \
             control access): set a proxy URL or give an exact version"
        )));
    }
    Ok(out)
}

/// GONOPROXY (GOPRIVATE when GONOPROXY is unset) lists glob patterns of module path
/// prefixes that the go command fetches directly, never through a proxy.
fn refuse_private(module: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<(), Problem> {
    let var = ["GONOPROXY", "GOPRIVATE"]
        .into_iter()
        .find_map(|k| env(k).filter(|v| !v.trim().is_empty()).map(|v| (k, v)));
    let Some((name, patterns)) = var else {
        return Ok(());
    };
    match patterns
        .split(',')
        .map(str::trim)
        .find(|p| !p.is_empty() && matches_prefix(p, module))
    {
        Some(p) => Err(Problem::NotConfigured(format!(
            "{module} matches `{p}` in {name}: the go command fetches it directly from version \
             control, which preview does not do; give an exact version"
        ))),
        None => Ok(()),
    }
}

/// Whether the first path elements of `module`, as many as the pattern has, match it.
fn matches_prefix(pattern: &str, module: &str) -> bool {
    let pattern = pattern.trim_end_matches('/');
    let n = pattern.split('/').count();
    let elements: Vec<&str> = module.split('/').collect();
    if elements.len() < n {
        return false;
    }
    pattern
        .split('/')
        .zip(&elements)
        .all(|(p, e)| glob(p.as_bytes(), e.as_bytes()))
}

/// `*` (any run) and `?` (one character) within one path element.
fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, _) => s.is_empty(),
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
        (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => glob(&p[1..], &s[1..]),
        _ => false,
    }
}

/// The module proxy protocol's case escaping: each upper-case letter becomes `!` and
/// its lower-case form, so paths stay distinct on case-insensitive file systems.
fn escape(module: &str) -> String {
    let mut out = String::with_capacity(module.len());
    for c in module.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_upper_case() {
        assert_eq!(
            escape("github.com/Azure/azure-sdk-for-go"),
            "github.com/!azure/azure-sdk-for-go"
        );
        assert_eq!(
            escape("github.com/BurntSushi/toml"),
            "github.com/!burnt!sushi/toml"
        );
    }

    #[test]
    fn goproxy_lists() {
        let p = proxies(Some("http://a.invalid,direct|http://b.invalid|off")).unwrap();
        assert_eq!(
            p,
            [
                Proxy {
                    url: "http://a.invalid".into(),
                    fall_through_on_error: false
                },
                Proxy {
                    url: "http://b.invalid".into(),
                    fall_through_on_error: true
                }
            ]
        );
        assert!(proxies(None)
            .unwrap_err()
            .to_string()
            .contains("GOPROXY is not set"));
        assert!(proxies(Some("direct"))
            .unwrap_err()
            .to_string()
            .contains("names no proxy"));
    }

    #[test]
    fn private_patterns() {
        let env = |k: &str| (k == "GOPRIVATE").then(|| "*.corp.example,github.com/acme".into());
        let err = refuse_private("git.corp.example/team/mod", &env).unwrap_err();
        assert!(err.to_string().contains("GOPRIVATE"), "{err}");
        assert!(refuse_private("github.com/acme/tool/v2", &env).is_err());
        assert!(refuse_private("github.com/acmex/tool", &env).is_ok());
        // GONOPROXY, when set, is the list that counts.
        let env = |k: &str| match k {
            "GONOPROXY" => Some("none".into()),
            _ => Some("github.com/acme".into()),
        };
        assert!(refuse_private("github.com/acme/tool", &env).is_ok());
    }

    #[test]
    fn list_leaves_out_pseudo_and_incompatible() {
        let body = b"v4.11.4\nv4.12.0\nv0.0.0-20191109021931-daa7c04131f5\nv4.13.0-0.20240101000000-0123456789ab\nv3.3.10+incompatible\nv4.13.0-rc.1\n";
        assert_eq!(parse_list(body), ["v4.11.4", "v4.12.0", "v4.13.0-rc.1"]);
    }
}
