//! Parses one lockfile with bumpcheck's parser and prints what it cost, for
//! `benches/lockfile_formats.py`:
//!
//!     cargo run --release --example parse_lockfile -- path/to/pnpm-lock.yaml [runs]
//!
//! The file is read first, so neither reading it nor process start-up is timed. Prints one
//! JSON line: the median parse time of the runs, the package count, and the peak heap the
//! parse allocated on top of what was live before it (the file's bytes), as counted by the
//! global allocator below: exact bytes requested, not pages touched.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards the caller's contract to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwards the caller's contract to the system allocator.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwards the caller's contract to the system allocator.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwards the caller's contract to the system allocator.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: parse_lockfile FILE [RUNS]")?;
    let runs: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let name = std::path::Path::new(&path)
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or("no file name")?;
    let format = bumpcheck::lockfile::Format::detect(name).ok_or("not a lockfile name")?;
    let bytes = std::fs::read(&path)?;

    let mut times = Vec::with_capacity(runs);
    let mut peak = 0;
    let mut packages = 0;
    for _ in 0..runs.max(1) {
        let before = LIVE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let start = Instant::now();
        let lock = format.parse(&bytes)?;
        times.push(start.elapsed().as_secs_f64());
        peak = peak.max(PEAK.load(Ordering::Relaxed) - before);
        packages = lock.packages.len();
        drop(lock);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"file_bytes\": {}, \"packages\": {}, \"parse_ms\": {:.3}, \"peak_heap_bytes\": {}, \"runs\": {}}}",
        bytes.len(),
        packages,
        times[times.len() / 2] * 1000.0,
        peak,
        times.len()
    );
    Ok(())
}
