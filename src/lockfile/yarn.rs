//! yarn.lock, both of its formats: yarn 1's own text format ("classic", `# yarn lockfile
//! v1`) and the YAML of yarn 2 and later ("Berry"). Both are named `yarn.lock`; Berry's
//! has a top-level `__metadata:` entry, which tells them apart.

mod berry;
mod classic;

use super::{Lockfile, ParseError};

pub fn parse(bytes: &[u8]) -> Result<Lockfile, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = position(bytes, e.valid_up_to());
        at("not UTF-8 text: not a yarn.lock", line, column)
    })?;
    if is_berry(text) {
        berry::parse(text)
    } else {
        classic::parse(text)
    }
}

/// Berry writes `__metadata:` as its first entry, at the start of a line.
fn is_berry(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("__metadata:"))
}

fn at(message: impl Into<String>, line: usize, column: usize) -> ParseError {
    ParseError {
        message: message.into(),
        line: Some(line),
        column: Some(column),
    }
}

/// 1-based line and column of a byte offset (the column counts bytes).
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
        + 1;
    (line, column)
}

/// Splits `name@range` (`@scope/name@range` too) at the `@` that ends the name.
fn split_descriptor(s: &str) -> Option<(&str, &str)> {
    let at = s.get(1..)?.find('@')? + 1;
    Some((&s[..at], &s[at + 1..]))
}

/// The real package an `npm:` alias range points to: `npm:@s/real@^1` -> `@s/real`.
/// A plain `npm:^1.0.0` (Berry writes every registry range so) is not an alias.
fn alias_target(range: &str) -> Option<&str> {
    let rest = range.strip_prefix("npm:")?;
    split_descriptor(rest).map(|(name, _)| name)
}

/// A `file:` path that names a tarball rather than a folder of the project.
fn is_tarball_path(path: &str) -> bool {
    [".tgz", ".tar.gz", ".tar"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::Lockfile;

    /// `name@version` of each package, in the parser's order.
    pub(super) fn names(l: &Lockfile) -> Vec<String> {
        l.packages
            .iter()
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect()
    }

    #[test]
    fn descriptors_and_aliases() {
        assert_eq!(split_descriptor("a@^1"), Some(("a", "^1")));
        assert_eq!(
            split_descriptor("@s/n@npm:@t/m@1"),
            Some(("@s/n", "npm:@t/m@1"))
        );
        assert_eq!(split_descriptor("@s/n"), None);
        assert_eq!(split_descriptor(""), None);
        assert_eq!(alias_target("npm:lodash@4.17.20"), Some("lodash"));
        assert_eq!(alias_target("npm:@s/real@^1"), Some("@s/real"));
        assert_eq!(alias_target("npm:^1.0.0"), None);
        assert_eq!(alias_target("^1.0.0"), None);
        assert!(is_tarball_path("./vendor/x-1.0.0.tgz"));
        assert!(!is_tarball_path("./local-lib"));
    }

    /// Every cut of a real lockfile parses or fails cleanly, never panics; cuts inside an
    /// entry are errors.
    #[test]
    fn cut_off_files_never_panic() {
        let files: [&[u8]; 2] = [
            include_bytes!("../../testdata/yarn/classic-app/before/yarn.lock"),
            include_bytes!("../../testdata/yarn/berry-workspaces/before/yarn.lock"),
        ];
        for file in files {
            let mut errors = 0;
            for len in (0..file.len()).step_by(173) {
                let cut = &file[..len];
                match parse(cut) {
                    Err(e) => {
                        errors += 1;
                        assert!(e.line.is_some() || e.message.contains("__metadata"), "{e}");
                    }
                    Ok(l) => assert!(l.packages.len() < 100),
                }
            }
            assert!(errors > 0);
            assert!(parse(file).is_ok());
        }
    }

    #[test]
    fn positions_and_binary_input() {
        assert_eq!(position(b"ab\ncd", 4), (2, 2));
        assert_eq!(position(b"ab", 0), (1, 1));
        let err = parse(b"a@1:\n  version \"1\"\n\xff\xfe").unwrap_err();
        assert_eq!((err.line, err.column), (Some(3), Some(1)));
        assert!(err.message.contains("UTF-8"), "{}", err.message);
    }
}
