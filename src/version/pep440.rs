//! Python versions as PEP 440 orders them, read by `pep440_rs` (every spelling PEP 440
//! normalises: `1.0-1` is `1.0.post1`, `1.0-RC-1` is `1.0rc1`) and carried into a
//! `semver::Version` with the same order: `N!` epochs, release segments,
//! `aN`/`bN`/`rcN` pre-releases, `.postN`, `.devN` and `+local` labels.

use pep440_rs::{LocalSegment, PrereleaseKind};
use semver::{BuildMetadata, Prerelease, Version};
use std::str::FromStr;

/// The epoch outranks every release: it is folded into the major number.
const EPOCH_WEIGHT: u64 = 1_000_000_000;

pub fn parse(raw: &str) -> Option<Version> {
    let v = pep440_rs::Version::from_str(raw.trim()).ok()?;
    let epoch = v.epoch();
    // Trailing zeros past the third segment change nothing (`1.0.0.0` is `1.0.0`).
    let mut release = v.release().to_vec();
    while release.len() > 3 && release.last() == Some(&0) {
        release.pop();
    }
    let pre = v.pre().map(|p| {
        let kind = match p.kind {
            PrereleaseKind::Alpha => "a",
            PrereleaseKind::Beta => "b",
            PrereleaseKind::Rc => "rc",
        };
        (kind, p.number)
    });
    let post = v.post().map(|n| ("post", n));
    let dev = v.dev().map(|n| ("dev", n));
    let local: Option<Vec<String>> = (!v.local().is_empty()).then(|| {
        v.local()
            .iter()
            .map(|s| match s {
                LocalSegment::String(t) => t.clone(),
                LocalSegment::Number(n) => n.to_string(),
            })
            .collect()
    });

    // Pre-releases and dev releases sort before the release: dev < a < b < rc, and
    // within one pre-release, .devN < (plain) < .postN.
    let pre_ids: Vec<String> = match (pre, dev) {
        (Some((kind, n)), dev) => {
            let mut ids = vec![kind.to_string(), n.to_string()];
            match (post, dev) {
                (None, Some((_, d))) => ids.extend(["0".into(), d.to_string()]),
                (None, None) => ids.push("1".into()),
                (Some((_, p)), dev) => ids.extend([
                    "2".into(),
                    p.to_string(),
                    if dev.is_some() { "0" } else { "1" }.into(),
                    dev.map_or(0, |d| d.1).to_string(),
                ]),
            }
            ids
        }
        (None, Some((_, d))) if post.is_none() => vec!["0".into(), d.to_string()],
        _ => Vec::new(),
    };
    // After the release: extra segments ("z", ranked above "post"), then post-releases,
    // then the local label as a tiebreak.
    let mut build: Vec<String> = Vec::new();
    if release.len() > 3 {
        build.push("z".into());
        build.extend(release[3..].iter().map(u64::to_string));
    }
    if pre.is_none() {
        if let Some((_, p)) = post {
            build.push("post".into());
            build.push(p.to_string());
            // 1.0.post1.dev2 sorts before 1.0.post1.
            build.push(if dev.is_some() { "0" } else { "1" }.into());
            build.push(dev.map_or(0, |d| d.1).to_string());
        }
    }
    if let Some(l) = local {
        build.push("local".into());
        build.extend(l);
    }
    Some(Version {
        major: epoch
            .checked_mul(EPOCH_WEIGHT)?
            .checked_add(*release.first()?)?,
        minor: release.get(1).copied().unwrap_or(0),
        patch: release.get(2).copied().unwrap_or(0),
        pre: if pre_ids.is_empty() {
            Prerelease::EMPTY
        } else {
            Prerelease::new(&pre_ids.join(".")).ok()?
        },
        build: if build.is_empty() {
            BuildMetadata::EMPTY
        } else {
            BuildMetadata::new(&build.join(".")).ok()?
        },
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn orders_as_pep_440_does() {
        // PEP 440's own example ordering, plus epochs, local labels and extra segments.
        let ordered = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.0.1",
            "1.0.15",
            "1.1.dev1",
            "2.0.0rc1",
            "2.0.0",
            "1!0.5",
        ];
        let parsed: Vec<_> = ordered
            .iter()
            .map(|v| parse(v).unwrap_or_else(|| panic!("{v} parses")))
            .collect();
        for w in parsed.windows(2) {
            assert!(w[0] < w[1], "{} < {}", w[0], w[1]);
        }
        assert_eq!(parse("1.0-RC-1"), parse("1.0rc1"));
        assert_eq!(parse("1.0.alpha.2"), parse("1.0a2"));
        assert!(parse("not a version").is_none());
        assert!(parse("1.0foo").is_none());
    }
}
