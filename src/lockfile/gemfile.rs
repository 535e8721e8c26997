//! Bundler's `Gemfile.lock`.
//!
//! Sections start at column 0 (`GEM`, `GIT`, `PATH`, `PLUGIN SOURCE`, `PLATFORMS`,
//! `DEPENDENCIES`, `CHECKSUMS`, `RUBY VERSION`, `BUNDLED WITH`). A source section lists its
//! gems under `specs:`, four spaces in, as `name (version)`; their own requirements follow six
//! spaces in. A platform-specific gem is written `nokogiri (1.15.0-x86_64-linux)`: as Bundler
//! reads it, the version ends at the first `-` and the rest is the platform, so the platform
//! copies of one version are one package version.
//!
//! - `GEM` and `GIT` specs are the packages. `PATH` specs are the project's own gems (its
//!   gemspec, local engines) and `PLUGIN SOURCE` specs are Bundler plugins: not packages.
//! - `DEPENDENCIES` lists what the Gemfile asks for (the direct dependencies), as
//!   `name (constraints)`, with `!` after a gem pinned to a non-default source.

use super::{Lockfile, Package, ParseError};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, PartialEq)]
enum Section {
    /// GEM: specs are packages from the gem source in `remote:`.
    Gem,
    /// GIT: specs are packages from a repository.
    Git,
    /// PATH or PLUGIN SOURCE: specs are not packages.
    Local,
    Dependencies,
    Other,
}

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let text = super::text(bytes)?;
    let mut section = None;
    let mut in_specs = false;
    let mut seen_dependencies = false;
    // (name, version) -> the `remote:` of the GEM section listing it (the gem source).
    let mut packages: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    let mut remote: Option<&str> = None;
    let mut direct = BTreeSet::new();
    let mut last_line = 0;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        last_line = number;
        let indent = line.len() - line.trim_start_matches(' ').len();
        if indent == 0 {
            section = Some(header(line, number)?);
            seen_dependencies |= section == Some(Section::Dependencies);
            in_specs = false;
            remote = None;
            continue;
        }
        let Some(current) = section else {
            return Err(ParseError::at(
                number,
                1,
                "indented line before any section",
            ));
        };
        match (current, indent) {
            (Section::Gem | Section::Git | Section::Local, 2) => {
                let item = line.trim();
                in_specs = item == "specs:";
                // Several remotes (old lockfiles): bundler lists the one it uses first.
                if let Some(url) = item.strip_prefix("remote:") {
                    remote = remote.or(Some(url.trim()));
                }
            }
            (Section::Gem | Section::Git, 4) if in_specs => {
                let (name, version) = name_and_version(line, indent, number)?;
                let version = version.ok_or_else(|| {
                    ParseError::at(number, indent + 1, format!("gem `{name}` has no version"))
                })?;
                // The platform follows the first `-`.
                let version = version.split('-').next().unwrap_or_default();
                // A GIT section's remote is a repository, not a gem source.
                let source = remote.filter(|_| current == Section::Gem);
                packages
                    .entry((name.to_string(), version.to_string()))
                    .or_insert(source.map(str::to_string));
            }
            (Section::Dependencies, 2) => {
                let (name, _) = name_and_version(line, indent, number)?;
                direct.insert(name.trim_end_matches('!').to_string());
            }
            _ => {}
        }
    }
    if !seen_dependencies {
        return Err(ParseError::at(
            last_line.max(1),
            1,
            "no DEPENDENCIES section: not a Gemfile.lock, or a truncated one",
        ));
    }
    Ok(Lockfile {
        packages: packages
            .into_iter()
            .map(|((name, version), source)| Package {
                spec: None,
                name,
                version,
                source,
            })
            .collect(),
        recorded_direct: direct.into_iter().collect(),
        ..Lockfile::default()
    })
}

fn header(line: &str, number: usize) -> Result<Section, ParseError> {
    match line.trim_end() {
        "GEM" => Ok(Section::Gem),
        "GIT" => Ok(Section::Git),
        "PATH" | "PLUGIN SOURCE" => Ok(Section::Local),
        "DEPENDENCIES" => Ok(Section::Dependencies),
        // PLATFORMS, CHECKSUMS, RUBY VERSION, BUNDLED WITH, and sections of later Bundlers.
        h if !h.is_empty() && h.chars().all(|c| c.is_ascii_uppercase() || c == ' ') => {
            Ok(Section::Other)
        }
        _ => Err(ParseError::at(
            number,
            1,
            "expected a Gemfile.lock section header (GEM, GIT, PATH, DEPENDENCIES, ...)",
        )),
    }
}

/// `name` or `name (text)`: the name and what the parentheses hold.
fn name_and_version(
    line: &str,
    indent: usize,
    number: usize,
) -> Result<(&str, Option<&str>), ParseError> {
    let rest = &line[indent..];
    let (name, version) = match rest.split_once(" (") {
        Some((name, tail)) => {
            let inner = tail.strip_suffix(')').ok_or_else(|| {
                ParseError::at(
                    number,
                    line.len() + 1,
                    "expected `)` at the end of the line",
                )
            })?;
            (name, Some(inner))
        }
        None => (rest, None),
    };
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(ParseError::at(
            number,
            indent + 1,
            format!("not a gem name: `{name}`"),
        ));
    }
    Ok((name, version))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_gem_source_is_the_remote_of_its_gem_section() {
        let lock = b"GIT\n  remote: https://git.example.invalid/acme/pundit.git\n  revision: abc\n  specs:\n    pundit (2.3.0)\n\nGEM\n  remote: https://registry.example.invalid/\n  specs:\n    rails (7.0.8)\n      railties (= 7.0.8)\n    railties (7.0.8)\n\nGEM\n  remote: https://gems.example.invalid/private/\n  specs:\n    acme-auth (1.2.0)\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  rails (~> 7.0)\n";
        let lock = parse(lock).unwrap();
        let source = |name: &str| {
            lock.packages
                .iter()
                .find(|p| p.name == name)
                .unwrap()
                .source
                .clone()
        };
        assert_eq!(
            source("railties").as_deref(),
            Some("https://registry.example.invalid/")
        );
        assert_eq!(
            source("acme-auth").as_deref(),
            Some("https://gems.example.invalid/private/")
        );
        assert_eq!(source("pundit"), None, "a git source");
        assert!(!lock.packages.iter().any(|p| p.name == "ruby"));
    }

    const LOCK: &str = "GIT
  remote: https://git.example.invalid/acme/pundit.git
  revision: 0123456789abcdef0123456789abcdef01234567
  branch: main
  specs:
    pundit (2.3.1)
      activesupport (>= 3.0.0)

PATH
  remote: .
  specs:
    acme-app (0.1.0)
      rack (>= 2)

GEM
  remote: https://registry.example.invalid/
  specs:
    activesupport (7.1.3)
      concurrent-ruby (~> 1.0, >= 1.0.2)
    concurrent-ruby (1.2.3)
    nokogiri (1.16.2)
      racc (~> 1.4)
    nokogiri (1.16.2-arm64-darwin)
      racc (~> 1.4)
    nokogiri (1.16.2-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)
    rack (3.0.9.1)
    rails-html-sanitizer (1.6.0.rc1)

PLATFORMS
  arm64-darwin
  ruby
  x86_64-linux

DEPENDENCIES
  acme-app!
  activesupport (~> 7.1)
  nokogiri (>= 1.16, < 2)
  pundit!
  rails-html-sanitizer

RUBY VERSION
   ruby 3.3.0p0

BUNDLED WITH
   2.5.6
";

    #[test]
    fn sections_platforms_and_direct() {
        let l = parse(LOCK.as_bytes()).unwrap();
        let got = crate::lockfile::listing(&l);
        assert_eq!(
            got,
            [
                "activesupport 7.1.3",
                "concurrent-ruby 1.2.3",
                "nokogiri 1.16.2",
                "pundit 2.3.1",
                "racc 1.7.3",
                "rack 3.0.9.1",
                "rails-html-sanitizer 1.6.0.rc1",
            ]
        );
        assert_eq!(
            l.recorded_direct,
            [
                "acme-app",
                "activesupport",
                "nokogiri",
                "pundit",
                "rails-html-sanitizer"
            ]
        );
        // Windows line endings read the same.
        let crlf = LOCK.replace('\n', "\r\n");
        assert_eq!(parse(crlf.as_bytes()).unwrap().packages, l.packages);
    }

    #[test]
    fn errors_have_positions() {
        let truncated = &LOCK[..LOCK.find("PLATFORMS").unwrap()];
        let e = parse(truncated.as_bytes()).unwrap_err();
        assert!(e.message.contains("DEPENDENCIES"), "{e}");
        assert_eq!(e.line, Some(29));

        let e = parse(b"GEM\n  specs:\n    rack (3.0.9\n\nDEPENDENCIES\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(16)));

        let e = parse(b"GEM\n  specs:\n    rack\n\nDEPENDENCIES\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(5)));

        let e = parse(b"{\"lockfileVersion\": 3}").unwrap_err();
        assert_eq!((e.line, e.column), (Some(1), Some(1)));

        let e = parse(b"<<<<<<< HEAD\nGEM\n").unwrap_err();
        assert_eq!(e.line, Some(1));

        let e = parse(b"  specs:\n").unwrap_err();
        assert_eq!(e.line, Some(1));

        assert!(parse(b"").is_err());
        assert!(parse(b"DEPENDENCIES\n").unwrap().packages.is_empty());
    }
}
