//! Rewriting a file atomically: the new content goes to a temporary file in the same
//! folder (so the rename stays on one file system), is flushed to disk, takes the old
//! file's permissions, and replaces the old file in one rename. A reader sees the old
//! file or the new one, never half of one.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub fn replace_file(path: &Path, content: &[u8]) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_file() {
        // Renaming over a symlink would replace the link, not the file it points to.
        return Err(io::Error::other("not a regular file (a symlink?)"));
    }
    let tmp = temp_path(path)?;
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(content)?;
        f.set_permissions(meta.permissions())?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    sync_dir(path);
    Ok(())
}

/// `.NAME.bumpcheck-PID-RANDOM.tmp` beside the file.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| io::Error::other("no file name"))?;
    let tmp = format!(
        ".{name}.bumpcheck-{}-{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    );
    Ok(path.with_file_name(tmp))
}

/// Makes the rename itself durable (on Unix a folder can be opened and synced).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.js");
        fs::write(&p, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&p, fs::Permissions::from_mode(0o751)).unwrap();
        }
        replace_file(&p, b"new").unwrap();
        assert_eq!(fs::read_to_string(&p).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o751
            );
        }
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        assert!(replace_file(&dir.path().join("missing.js"), b"x").is_err());
    }
}
