//! The on-disk cache of fetched notes material. Immutable artifacts (what a published
//! version's tarball holds) are kept for good, so a warm run asks nothing for them;
//! mutable documents keep their ETag for a conditional request.

use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct Cache {
    dir: PathBuf,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub etag: Option<String>,
    pub body: String,
}

impl Cache {
    /// `BUMPCHECK_CACHE_DIR`, else the platform cache directory (`~/.cache/bumpcheck`,
    /// `~/Library/Caches/bumpcheck`, `%LOCALAPPDATA%\bumpcheck`).
    pub fn default_dir() -> Option<PathBuf> {
        match std::env::var_os("BUMPCHECK_CACHE_DIR") {
            Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
            _ => dirs::cache_dir().map(|d| d.join("bumpcheck")),
        }
    }

    pub fn new(dir: &Path) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
        }
    }

    fn path(&self, key: &str) -> PathBuf {
        // Readable file names, with a hash so that distinct keys never collide.
        let safe: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .take(120)
            .collect();
        self.dir.join(format!("{safe}-{:016x}.json", fnv1a(key)))
    }

    pub fn get(&self, key: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores an entry; a cache that cannot be written only costs a later request.
    pub fn put(&self, key: &str, entry: &Entry) {
        let path = self.path(key);
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        if let Ok(bytes) = serde_json::to_vec(entry) {
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, &path);
            }
        }
    }
}

/// FNV-1a: stable across Rust releases, unlike the standard hasher.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(&dir.path().join("c"));
        assert!(cache.get("npm/express/5.1.0").is_none());
        cache.put(
            "npm/express/5.1.0",
            &Entry {
                etag: Some("\"x\"".into()),
                body: "hi".into(),
            },
        );
        let e = cache.get("npm/express/5.1.0").unwrap();
        assert_eq!((e.etag.as_deref(), e.body.as_str()), (Some("\"x\""), "hi"));
        assert!(cache.get("npm/express/5.1.1").is_none());
    }
}
