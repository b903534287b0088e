//! Any bytes as a module: when it checks, every page renders (in memory).
#![no_main]
use coursepack::build::artefacts;
use coursepack::plan::Options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(mut checked) = coursepack_fuzz::checked(&coursepack_fuzz::with_module(data)) {
        let _ = artefacts(&mut checked, &Options::default());
    }
});
