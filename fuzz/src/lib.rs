//! What every fuzz target runs: a lockfile format's parser, and the readers of its
//! manifest, on arbitrary bytes. Any result is fine; a panic, a hang, unbounded
//! allocation or a stack overflow is what libFuzzer reports.

use bumpcheck::lockfile::Format;
use bumpcheck::manifest;

/// The stack the readers run on: an eighth of what rayon gives bumpcheck's parsing
/// threads. Recursion bounded by a small depth cap fits; recursion once per level of the
/// input does not, even on the few kilobytes libFuzzer tries, so that class of crash shows
/// up here rather than only on inputs megabytes deep.
const STACK: usize = 256 * 1024;

pub fn run(format: Format, data: &[u8]) {
    let data = data.to_vec();
    let reader = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let _ = format.parse(&data);
            let _ = manifest::direct_dependencies(format, &data);
            let _ = manifest::workspace(format, &data);
        })
        .expect("a thread for the reader");
    // A panic on the reader's thread is the target's panic (libFuzzer's hook aborts on
    // any thread's panic already; this keeps it so without the hook too).
    if let Err(panic) = reader.join() {
        std::panic::resume_unwind(panic);
    }
}
