//! Which files are sources worth scanning: a compiled-in language, not inside a folder
//! of installed or vendored dependencies, not a minified bundle.

use crate::lockfile::is_dependency_dir;
use crate::rules::language_of;

/// Files larger than this are generated or bundled, not code a person maintains.
pub const MAX_SOURCE_BYTES: usize = 2 * 1024 * 1024;

/// Whether to descend into a folder when looking for sources.
pub fn descend(_dir_path: &str, dir_name: &str) -> bool {
    !is_dependency_dir(dir_name)
}

/// Whether a file name is a source file bumpcheck can match.
pub fn is_source(_path: &str, file_name: &str) -> bool {
    if language_of(file_name).is_none() {
        return false;
    }
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    !(stem.ends_with(".min") || stem.ends_with("-min") || stem.ends_with(".bundle"))
}

/// Whether the content looks machine-written: minified or bundled code has a few
/// enormous lines, where maintained code averages well under a hundred characters.
pub fn looks_generated(text: &str) -> bool {
    if text.len() > MAX_SOURCE_BYTES {
        return true;
    }
    if text.len() < 2048 {
        return false;
    }
    let lines = text.lines().count().max(1);
    text.len() / lines > 300 || text.lines().any(|l| l.len() > 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_sources() {
        assert!(is_source("src/a.js", "a.js"));
        assert!(is_source("src/a.tsx", "a.tsx"));
        assert!(is_source("src/a.mts", "a.mts"));
        assert!(!is_source("dist/app.min.js", "app.min.js"));
        assert!(!is_source("README.md", "README.md"));
        assert!(!descend("node_modules", "node_modules"));
        assert!(descend("src", "src"));
        assert!(looks_generated(&"x".repeat(20_000)));
        assert!(!looks_generated(&"let a = 1;\n".repeat(500)));
    }
}
