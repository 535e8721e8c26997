//! The built-in rule library, embedded at build time so the binary is self-contained.

use super::SourceFile;
use include_dir::{include_dir, Dir};

static LIBRARY: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/rules");

/// Every text file of the library, with paths as in the repository (`rules/...`).
pub fn files() -> Vec<SourceFile> {
    let mut out = Vec::new();
    collect(&LIBRARY, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

fn collect(dir: &Dir<'static>, out: &mut Vec<SourceFile>) {
    for file in dir.files() {
        if let (Some(text), Some(path)) = (file.contents_utf8(), file.path().to_str()) {
            out.push(SourceFile {
                path: format!("rules/{}", path.replace('\\', "/")),
                text: text.to_string(),
            });
        }
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}
