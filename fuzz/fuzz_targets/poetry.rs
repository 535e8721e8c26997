#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| bumpcheck_fuzz::run(bumpcheck::lockfile::Format::PoetryLock, data));
