//! What every fuzz target runs: a lockfile format's parser, and the readers of its
//! manifest, on arbitrary bytes. Any result is fine; a panic, a hang or unbounded
//! allocation is what libFuzzer reports.

use bumpcheck::lockfile::Format;
use bumpcheck::manifest;

pub fn run(format: Format, data: &[u8]) {
    let _ = format.parse(data);
    let _ = manifest::direct_dependencies(format, data);
    let _ = manifest::workspace(format, data);
}
