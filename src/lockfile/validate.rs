//! What a lockfile's versions may look like, per ecosystem, in one place. An entry whose
//! version no package manager of the ecosystem would have written is dropped from the
//! package list and reported with its position (`Lockfile::rejected`); the other entries
//! are kept. The rules are no stricter than the package managers: every real lockfile
//! under testdata/ and the shared corpus passes them (a test below checks that).

use super::{Format, Lockfile, ParseError};
use crate::ecosystem::Ecosystem;

/// Longer than any version a package manager writes (npm's limit is 256 characters; a
/// git-sourced entry's version is a commit id or a branch name).
const MAX_LEN: usize = 512;

/// Why `version` cannot be a version of `ecosystem`; `None` when it can.
pub(crate) fn version_problem(ecosystem: Ecosystem, version: &str) -> Option<&'static str> {
    if version.is_empty() {
        return Some("it is empty");
    }
    if version.len() > MAX_LEN {
        return Some("it is longer than any version");
    }
    if version.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Some("it holds a space or a control character");
    }
    let fits = match ecosystem {
        // Cargo.lock and pubspec.lock write semver versions only.
        Ecosystem::Cargo | Ecosystem::Pub => semver::Version::parse(version).is_ok(),
        Ecosystem::Rubygems => is_gem_version(version),
        // A hex package's version is semver; a git dependency's is its commit.
        Ecosystem::Hex => semver::Version::parse(version).is_ok() || is_commit(version),
        // Composer (`dev-main`), Maven, NuGet, Go (checked by its reader), npm (git and
        // tarball dependencies) and Python (legacy versions in hand-written pins) admit
        // more than a version grammar; the checks above are what they have in common.
        Ecosystem::Npm
        | Ecosystem::Pypi
        | Ecosystem::Go
        | Ecosystem::Packagist
        | Ecosystem::Nuget
        | Ecosystem::Maven => true,
    };
    (!fits).then_some(match ecosystem {
        Ecosystem::Rubygems => "RubyGems versions are numbers and letters joined by `.` or `-`",
        Ecosystem::Hex => "not a semver version or a commit id",
        _ => "not a semver version",
    })
}

/// RubyGems' `Gem::Version` pattern: `N(.X)*(-X(.X)*)?`, with digits `N` and
/// alphanumeric `X` (a `-` part may hold `-` too: platform gems like `1.16.0-x86_64-linux`
/// are split off by the reader).
fn is_gem_version(v: &str) -> bool {
    let (main, pre) = v.split_once('-').unwrap_or((v, ""));
    let mut parts = main.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = v.find('-').is_none()
        || pre.split('.').all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    first_ok && rest_ok && pre_ok
}

fn is_commit(v: &str) -> bool {
    (7..=64).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Drops the packages whose version the ecosystem does not admit, each reported in
/// `lock.rejected` at the first place the file names it.
pub(crate) fn versions(format: Format, bytes: &[u8], lock: &mut Lockfile) {
    let ecosystem = format.ecosystem();
    // Decoded only when an entry is refused: every lockfile of every check passes here.
    let text = std::cell::OnceCell::new();
    let text = || text.get_or_init(|| String::from_utf8_lossy(bytes));
    let mut rejected = Vec::new();
    lock.packages.retain(|p| {
        let Some(why) = version_problem(ecosystem, &p.version) else {
            return true;
        };
        let message = format!(
            "`{}` has the version `{}`, which is not a {ecosystem} version ({why}); the entry is left out",
            shown(&p.name),
            shown(&p.version)
        );
        rejected.push(match locate(text(), &p.name, &p.version) {
            Some(offset) => ParseError::at_offset(message, text(), offset),
            None => ParseError::new(message),
        });
        false
    });
    lock.rejected.extend(rejected);
}

/// Where the file names the entry: its version after the first mention of its name, or
/// that mention (a version written with escapes is not found as read).
fn locate(text: &str, name: &str, version: &str) -> Option<usize> {
    let at_name = text
        .find(&format!("\"{name}"))
        .or_else(|| text.find(name))?;
    let after = &text[at_name..];
    Some(match (version.is_empty(), after.find(version)) {
        (false, Some(i)) => at_name + i,
        _ => at_name,
    })
}

/// A name or version for a message: control characters escaped, and cut short.
fn shown(s: &str) -> String {
    let escaped: String = s.chars().flat_map(char::escape_debug).collect();
    match escaped.char_indices().nth(40) {
        Some((i, _)) => format!("{}...", &escaped[..i]),
        None => escaped,
    }
}

/// An error its reader gave without a position (a check made after the file was read,
/// such as "`packages` key `x` names no package"), placed where the file first has the
/// text it quotes between backticks (the longest quote the file has: the most specific).
pub(crate) fn place(e: ParseError, bytes: &[u8]) -> ParseError {
    if e.line.is_some() {
        return e;
    }
    let text = String::from_utf8_lossy(bytes);
    let quoted = e.message.split('`').skip(1).step_by(2);
    let found = quoted
        .filter_map(|q| Some((q.len(), text.find(q)?)))
        .max()
        .map(|(_, offset)| offset);
    match found {
        Some(offset) => ParseError::at_offset(e.message, &text, offset),
        None => e,
    }
}

/// Formats whose files always have content (a header, a version marker, a JSON object):
/// an empty or blank one was cut or never written by the tool. A requirements file may
/// be empty.
pub(crate) fn refuse_blank(format: Format, bytes: &[u8]) -> Result<(), ParseError> {
    if format == Format::Requirements || !bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    Err(ParseError::at(
        1,
        1,
        "the file is empty: the tool that writes it always writes a header or a version marker",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_per_ecosystem() {
        for (ecosystem, good) in [
            (Ecosystem::Rubygems, "7.1.3"),
            (Ecosystem::Rubygems, "1.0.0.pre.rc1"),
            (Ecosystem::Rubygems, "1.16.0-x86_64-linux"),
            (Ecosystem::Cargo, "1.0.0-alpha.1+build"),
            (Ecosystem::Hex, "1.16.1"),
            (Ecosystem::Hex, "0f3e1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f"),
            (Ecosystem::Packagist, "dev-main"),
            (Ecosystem::Npm, "0.0.0-use.local"),
        ] {
            assert_eq!(version_problem(ecosystem, good), None, "{ecosystem} {good}");
        }
        for (ecosystem, bad) in [
            (Ecosystem::Rubygems, "(".repeat(100_000).as_str()),
            (Ecosystem::Rubygems, "(1.0"),
            (Ecosystem::Hex, "\0"),
            (Ecosystem::Hex, "x00"),
            (Ecosystem::Cargo, "1.0"),
            (Ecosystem::Npm, ""),
            (Ecosystem::Npm, "1.0.0 || evil"),
            (Ecosystem::Pypi, "1.0\u{1b}[31m"),
        ] {
            assert!(
                version_problem(ecosystem, bad).is_some(),
                "{ecosystem} {bad:.20}"
            );
        }
    }

    /// The bad entries are left out and reported where they are; the good ones stay.
    #[test]
    fn bad_entries_are_reported_and_the_rest_kept() {
        let mix = "%{\n  \"a\": {:hex, :a, \"\\x00\", \"00\", [:mix], [], \"hexpm\", \"00\"},\n  \"b\": {:hex, :b, 1.0, \"00\"},\n  \"c\": {:hex, :c, \"1.0.0\", \"00\"},\n}\n";
        let lock = Format::MixLock.parse(mix.as_bytes()).unwrap();
        assert_eq!(super::super::listing(&lock), ["c 1.0.0"]);
        let at: Vec<_> = lock.rejected.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(
            at,
            [(Some(3), Some(3)), (Some(2), Some(3))],
            "{:?}",
            lock.rejected
        );
        assert!(
            lock.rejected[0].message.contains("not a string"),
            "{:?}",
            lock.rejected
        );
        assert!(
            lock.rejected[1].message.contains(r"`\0`"),
            "{:?}",
            lock.rejected
        );

        let gems = format!(
            "GEM\n  remote: https://gems.example.invalid/\n  specs:\n    ok (1.0.0)\n    bad ({})\n\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n  ok\n  bad\n",
            "(".repeat(100_000)
        );
        let lock = Format::GemfileLock.parse(gems.as_bytes()).unwrap();
        assert_eq!(super::super::listing(&lock), ["ok 1.0.0"]);
        let e = &lock.rejected[0];
        // The gem's line; the column is where its version text is first found.
        assert_eq!(e.line, Some(5), "{e}");
        assert!(e.column.is_some_and(|c| (5..=10).contains(&c)), "{e}");
        assert!(e.message.len() < 300, "the version is cut short: {e}");
    }

    #[test]
    fn blank_files_of_formats_with_a_header_are_errors() {
        for format in [
            Format::Yarn,
            Format::PnpmLock,
            Format::CargoLock,
            Format::GemfileLock,
        ] {
            for blank in ["", " \n\n\t\n"] {
                let e = format.parse(blank.as_bytes()).unwrap_err();
                assert!(e.message.contains("empty"), "{format:?}: {e}");
            }
        }
        assert!(Format::Requirements
            .parse(b"\n")
            .unwrap()
            .packages
            .is_empty());
    }

    /// Every real lockfile (testdata/ and the shared corpus) passes: the rules are no
    /// stricter than the package managers that wrote them.
    #[test]
    fn real_lockfiles_lose_no_entry() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![
            root.join("testdata"),
            root.join("../shared/lockfile-corpus"),
        ];
        let mut checked = 0;
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    // Deliberately broken files, kept for error tests.
                    if !path.ends_with("malformed") {
                        dirs.push(path);
                    }
                    continue;
                }
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                let Some(format) = Format::detect(&name) else {
                    continue;
                };
                let bytes = std::fs::read(&path).unwrap();
                if let Ok(lock) = format.parse(&bytes) {
                    checked += 1;
                    assert!(lock.rejected.is_empty(), "{path:?}: {:?}", lock.rejected);
                }
            }
        }
        assert!(checked > 50, "{checked} lockfiles");
    }
}
