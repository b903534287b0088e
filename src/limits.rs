//! The limits a curriculum must keep, so that no input can exhaust the machine or build
//! something no reader can use. Each is a located error (E071, `over-limit`) in `check`;
//! `docs/format.md` lists them.

/// The largest file read as a source (`course.toml`, a module, a template override): 8 MiB.
/// The bundled modules are about 30 KB; a larger file is refused before it is read whole.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// The longest id, in characters. Ids name files (`modules/<id>.toml`, packets, LMS files with
/// the course id and a suffix), and most file systems stop at 255 bytes per name.
pub const MAX_ID_CHARS: usize = 64;

/// The most points one question may carry.
pub const MAX_POINTS: u32 = 1_000;

/// The most minutes a section, an activity, a module or the exam may take (about a week of
/// teaching days).
pub const MAX_MINUTES: u32 = 10_000;

/// The most choices (answers and distractors) or matching pairs one question may offer.
pub const MAX_CHOICES: usize = 100;

/// The most questions one module may hold. A module's check, key and guide pages hold all its
/// questions at once (about 20 KB of memory each while rendering); the bundled modules have about
/// 10, a large item bank a few hundred.
pub const MAX_QUESTIONS_PER_MODULE: usize = 1_000;

/// The most questions a whole course may hold: every question is rendered into about ten files
/// (the course-wide guide among them), roughly 0.1 ms of CPU each. The 5,000-module benchmark
/// course has about 50,000.
pub const MAX_QUESTIONS_PER_COURSE: usize = 60_000;

/// How deep a template override may nest macro calls and includes; a cycle is refused.
pub const MAX_TEMPLATE_DEPTH: usize = 32;
