//! Gradle's dependency lock file, `gradle.lockfile` (Gradle 6.0 and later).
//!
//! One line per module version: `group:artifact:version=configuration,configuration`;
//! `#` starts a comment; the last line, `empty=...`, names the configurations that resolved
//! nothing (Gradle always writes it, so a file without it is truncated). The
//! package name is `group:artifact`. One module may be locked at several versions (for
//! different configurations, such as a plugin's classpath and the runtime): each is kept.
//! The lockfile does not say which modules the build script declares, and build scripts are
//! programs, so no dependency is marked direct.

use super::{Lockfile, ParseError};
use std::collections::BTreeSet;

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let text = super::text(bytes)?;
    let mut packages = BTreeSet::new();
    let mut complete = false;
    let mut last = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        last = i + 1;
        if line.starts_with("empty=") {
            complete = true;
            continue;
        }
        let coordinates = line.split_once('=').map_or(line, |(c, _)| c);
        let parts: Vec<&str> = coordinates.split(':').collect();
        let [group, artifact, version] = parts[..] else {
            return Err(ParseError::at(
                i + 1,
                1,
                "expected `group:artifact:version=configurations`",
            ));
        };
        if [group, artifact, version]
            .iter()
            .any(|p| p.is_empty() || p.contains(char::is_whitespace))
        {
            return Err(ParseError::at(
                i + 1,
                1,
                format!("not module coordinates: `{coordinates}`"),
            ));
        }
        packages.insert((format!("{group}:{artifact}"), version.to_string()));
    }
    if !complete {
        return Err(ParseError::at(
            last.max(1),
            1,
            "no `empty=` line: not a gradle.lockfile, or a truncated one",
        ));
    }
    Ok(Lockfile::from_sets(packages, BTreeSet::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_versions_and_empty() {
        let l = parse(
            b"# This is a Gradle generated file for dependency locking.\n\
              com.google.guava:guava:32.1.3-jre=compileClasspath,runtimeClasspath\n\
              com.fasterxml.jackson.core:jackson-core:2.12.7=dokkaPlugin\n\
              com.fasterxml.jackson.core:jackson-core:2.15.3=runtimeClasspath\n\
              empty=annotationProcessor\n",
        )
        .unwrap();
        assert_eq!(
            crate::lockfile::listing(&l),
            [
                "com.fasterxml.jackson.core:jackson-core 2.12.7",
                "com.fasterxml.jackson.core:jackson-core 2.15.3",
                "com.google.guava:guava 32.1.3-jre"
            ]
        );
        assert!(l.recorded_direct.is_empty());
    }

    #[test]
    fn errors_have_positions() {
        let e = parse(b"# c\na:b:1.0=x\n{\"lockfileVersion\": 3}\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(1)));
        let e = parse(b"# c\na:b:1.0=x\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("truncated"));
        let e = parse(b"a:b=x\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = parse(b"a::1.0=x\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(parse(b"\xff").is_err());
        assert!(parse(b"").is_err());
        assert!(parse(b"empty=\n").unwrap().packages.is_empty());
    }
}
