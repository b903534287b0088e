//! Any bytes as a module file: load and check never panic, and their report prints.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = coursepack_fuzz::checked(&coursepack_fuzz::with_module(data));
});
