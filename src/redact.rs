//! Secrets never leave the library in a message. Registries and forges echo credentials
//! back in error bodies, and a configured URL may carry `user:password@`, so every
//! credential is registered here at the moment it is read (`secret_env`, `register`,
//! `register_url`), and every message is passed through `redact` where it becomes text
//! for a user: the HTTP, registry and GitHub errors' Display, the notes' reasons, the
//! CLI's notices. One process-wide registry, because the same token may be read by one
//! part (the notes' configuration) and echoed into another's message (preview's).

use std::sync::{LazyLock, RwLock};

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Shorter values are not registered: masking every `1` or `ab` of a report would hide
/// results, and real tokens and passwords are longer.
const MIN_SECRET_CHARS: usize = 4;

/// The longest quoted response body, in characters, after redaction.
pub const MAX_QUOTED_CHARS: usize = 200;

/// Known secrets, longest first, so a secret that contains another is masked whole.
static SECRETS: LazyLock<RwLock<Vec<String>>> = LazyLock::new(RwLock::default);

/// Registers a credential that must never appear in a message.
pub fn register(secret: &str) {
    let secret = secret.trim();
    if secret.chars().count() < MIN_SECRET_CHARS {
        return;
    }
    let mut known = SECRETS.write().unwrap_or_else(|e| e.into_inner());
    if !known.iter().any(|s| s == secret) {
        known.push(secret.to_string());
        known.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// Returns `value` after registering it: for credentials read from a file.
pub fn secret(value: String) -> String {
    register(&value);
    value
}

/// A non-empty environment variable holding a credential, registered as it is read.
pub fn secret_env(name: &str) -> Option<String> {
    let value = std::env::var(name).ok().filter(|v| !v.trim().is_empty())?;
    Some(secret(value))
}

/// The first of `names` that holds a credential; every one of them is registered, even
/// those not used, since a message may quote any variable a runner set.
pub fn first_secret_env<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let found: Vec<String> = names.into_iter().filter_map(secret_env).collect();
    found.into_iter().next()
}

/// Registers the `user:password@` of a configured URL, in every form it travels in: as
/// written, percent-decoded, and as the Basic credential the HTTP client derives from it.
pub fn register_url(url: &str) {
    let Some(userinfo) = userinfo(url) else {
        return;
    };
    let decoded = percent_decode(userinfo);
    match decoded.split_once(':') {
        Some((_, password)) => register(password),
        // A lone token in the user part (`https://TOKEN@host/`).
        None => register(&decoded),
    }
    if let Some((_, password)) = userinfo.split_once(':') {
        register(password);
    }
    register(userinfo);
    let basic = if decoded.contains(':') {
        decoded
    } else {
        format!("{decoded}:")
    };
    register(&base64(basic.as_bytes()));
}

/// `text` with every known secret and every URL's `user:password@` masked.
pub fn redact(text: &str) -> String {
    mask_userinfo(&redact_known(text))
}

/// Masks the registered secrets only, leaving URLs' `user@` as written: for documents such
/// as release notes, where `ssh://git@host` is text, not a credential.
pub fn redact_known(text: &str) -> String {
    let mut out = text.to_string();
    for secret in SECRETS.read().unwrap_or_else(|e| e.into_inner()).iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

/// A response body fit to quote in a message: redacted, control characters (escape
/// characters) removed, line breaks as spaces, and cut to `MAX_QUOTED_CHARS`.
pub fn quote(body: &[u8]) -> String {
    let text = redact(&String::from_utf8_lossy(body));
    let flat: String = text
        .chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut quoted: String = flat.chars().take(MAX_QUOTED_CHARS).collect();
    if flat.chars().count() > MAX_QUOTED_CHARS {
        quoted.push('…');
    }
    quoted
}

/// The part of a URL's authority before its last `@`, if any.
fn userinfo(url: &str) -> Option<&str> {
    let (_, rest) = url.trim().split_once("://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..end].rsplit_once('@').map(|(info, _)| info)
}

/// Every `scheme://user:password@host` in `text` as `scheme://***@host`.
fn mask_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        // The authority ends where a path, query, fragment or the surrounding text does.
        let end = after
            .find(|c: char| {
                matches!(c, '/' | '?' | '#') || c.is_whitespace() || "\"'<>`()[]{},;".contains(c)
            })
            .unwrap_or(after.len());
        match after[..end].rfind('@') {
            Some(i) if i > 0 => {
                out.push_str(MASK);
                out.push_str(&after[i..end]);
            }
            _ => out.push_str(&after[..end]),
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Standard base64 with padding, as in a Basic `Authorization` header.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_and_userinfo_are_masked() {
        register("npm_registeredTokenValue42");
        assert_eq!(
            redact("401: {\"auth\":\"Bearer npm_registeredTokenValue42\"}"),
            "401: {\"auth\":\"Bearer ***\"}"
        );
        assert_eq!(
            redact("https://user:pa@ss@index.example.invalid/simple/x/?a=b@c"),
            "https://***@index.example.invalid/simple/x/?a=b@c"
        );
        assert_eq!(
            redact("see https://index.example.invalid/a@b and ftp://x"),
            "see https://index.example.invalid/a@b and ftp://x"
        );
        assert_eq!(redact("not a url"), "not a url");
        register("ab");
        assert_eq!(redact("ab cab"), "ab cab", "too short to be a secret");
    }

    #[test]
    fn url_credentials_are_known_in_every_form_they_travel_in() {
        register_url("https://alice:s3cr%40tPass@registry.example.invalid/npm/");
        let basic = base64(b"alice:s3cr@tPass");
        let text = redact(&format!("Basic {basic} s3cr@tPass s3cr%40tPass"));
        assert_eq!(text, "Basic *** *** ***");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"a"), "YQ==");
    }

    #[test]
    fn quoted_bodies_are_flat_and_short() {
        let body = format!("line\n\x1b[31mred\x1b[0m {}", "x".repeat(300));
        let q = quote(body.as_bytes());
        assert!(!q.chars().any(char::is_control), "{q:?}");
        assert_eq!(q.chars().count(), MAX_QUOTED_CHARS + 1, "{q}");
        assert!(q.starts_with("line [31mred[0m x"), "{q}");
    }
}
