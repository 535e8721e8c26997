//! A forgiving reader for the version shapes lockfiles hold besides strict semver:
//! `v1.2`, `1.2.3.4` (RubyGems, NuGet), `1.0.0.pre`, `v0.0.0-2019...-abc` (Go
//! pseudo-versions), `1.2.3+incompatible`.

use semver::{BuildMetadata, Prerelease, Version};

/// Reads release segments, then an optional tag (prerelease) and build part. Segments past
/// the third go to the build metadata, which orders them after the same three segments.
pub fn parse(raw: &str) -> Option<Version> {
    let s = raw.trim().trim_start_matches(['v', 'V', '=']);
    if looks_like_commit(s) {
        return None;
    }
    let (main, build) = match s.split_once('+') {
        Some((m, b)) => (m, Some(b)),
        None => (s, None),
    };
    let release_end = main
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(main.len());
    let (release, tag) = main.split_at(release_end);
    let segments: Vec<u64> = release
        .trim_end_matches('.')
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if segments.is_empty() || segments.len() > 8 {
        return None;
    }
    let tag = tag.trim_start_matches(['-', '.', '_']);
    let mut build_ids: Vec<String> = segments.iter().skip(3).map(u64::to_string).collect();
    if let Some(b) = build {
        build_ids.push(identifiers(b)?);
    }
    Some(Version {
        major: segments[0],
        minor: segments.get(1).copied().unwrap_or(0),
        patch: segments.get(2).copied().unwrap_or(0),
        pre: if tag.is_empty() {
            Prerelease::EMPTY
        } else {
            Prerelease::new(&identifiers(tag)?).ok()?
        },
        build: if build_ids.is_empty() {
            BuildMetadata::EMPTY
        } else {
            BuildMetadata::new(&build_ids.join(".")).ok()?
        },
    })
}

/// A git commit (`4a1b2c3d…`, as mix.lock pins a git dependency) is not version 4 with a
/// tag: seven or more hex digits, at least one of them a letter, and nothing else.
fn looks_like_commit(s: &str) -> bool {
    s.len() >= 7
        && s.chars().all(|c| c.is_ascii_hexdigit())
        && s.chars().any(|c| c.is_ascii_alphabetic())
}

/// Makes dot-separated semver identifiers: other separators become dots, characters
/// semver does not allow are refused.
fn identifiers(s: &str) -> Option<String> {
    let ids: Vec<&str> = s.split(['.', '_']).filter(|p| !p.is_empty()).collect();
    let joined = ids.join(".");
    joined
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        .then_some(joined)
        .filter(|j| !j.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> String {
        parse(s)
            .map(|v| v.to_string())
            .unwrap_or_else(|| "-".into())
    }

    #[test]
    fn reads_common_shapes() {
        assert_eq!(p("v1.2"), "1.2.0");
        assert_eq!(p("1.2.3.4"), "1.2.3+4");
        assert_eq!(p("1.0.0.pre"), "1.0.0-pre");
        assert_eq!(p("5.0.0.beta1"), "5.0.0-beta1");
        assert_eq!(
            p("v0.0.0-20191109021931-daa7c04131f5"),
            "0.0.0-20191109021931-daa7c04131f5"
        );
        assert_eq!(p("v2.1.0+incompatible"), "2.1.0+incompatible");
        assert_eq!(p("git+https://x"), "-");
        assert_eq!(p("dev-main"), "-");
        assert_eq!(p("4a1b2c3d4e5f60718293a4b5c6d7e8f901234567"), "-");
        assert_eq!(p("9f8e7d6"), "-");
        assert_eq!(p("20230601"), "20230601.0.0");
        assert_eq!(p("1.0.0a1"), "1.0.0-a1");
        assert!(parse("1.2.3.10").unwrap() > parse("1.2.3.9").unwrap());
        assert!(parse("1.2.3.1").unwrap() > parse("1.2.3").unwrap());
        assert!(parse("1.0.0.pre").unwrap() < parse("1.0.0").unwrap());
    }
}
