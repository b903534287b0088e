//! Any bytes as a module: when it checks, every bank and every exam form export to MoodleXml.
#![no_main]
use coursepack::export::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    coursepack_fuzz::export_all(&coursepack_fuzz::with_module(data), Format::MoodleXml);
});
