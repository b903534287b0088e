//! Integration tests: run the real binary over fixture curricula and assert on what it prints,
//! its exit code and the files it writes.

mod author;
mod build;
mod bundled;
mod check;
mod cli;
mod diff;
mod export;
mod harness;
mod hostile;
mod pipeline;
mod text;
mod translations;
mod variables;
