//! What the fuzz targets share: a small valid course around the fuzzed file, and the whole
//! pipeline run in memory.

use coursepack::check::{check, render_json, render_text};
use coursepack::export::{Format, Selection, export};
use coursepack::plan::{Options, Plan};
use coursepack::source::Memory;

/// The course.toml the module targets use: it lists one module, `m`.
pub const COURSE: &str = include_str!("../../tests/fixtures/valid/basic/course.toml");
/// A module the course targets use.
pub const LISTENING: &str = include_str!("../../tests/fixtures/valid/basic/modules/listening.toml");
/// Another one.
pub const CALLS: &str = include_str!("../../tests/fixtures/valid/basic/modules/calls.toml");

/// A course whose `calls` module is `module`.
pub fn with_module(module: &[u8]) -> Memory {
    Memory::new("fuzz")
        .with("course.toml", COURSE)
        .with("modules/listening.toml", LISTENING)
        .with("modules/calls.toml", module.to_vec())
}

/// A course whose course.toml is `course`.
pub fn with_course(course: &[u8]) -> Memory {
    Memory::new("fuzz")
        .with("course.toml", course.to_vec())
        .with("modules/listening.toml", LISTENING)
        .with("modules/calls.toml", CALLS)
}

/// Checks `memory`; on errors prints the report both ways (which must not panic either).
pub fn checked(memory: &Memory) -> Option<coursepack::check::Checked> {
    match check(memory) {
        Ok(checked) => Some(checked),
        Err(report) => {
            let _ = render_text(&report, false);
            let _ = render_json(&report);
            None
        }
    }
}

/// Checks, plans and exports `memory` in `format`: every bank, then every exam form.
pub fn export_all(memory: &Memory, format: Format) {
    let Some(checked) = checked(memory) else {
        return;
    };
    let plan = Plan::new(&checked.curriculum, &Options::default());
    let _ = export(&plan, format, &Selection::default());
    let letters: Vec<char> = plan.forms.iter().map(|f| f.letter).collect();
    for letter in letters {
        let selection = Selection {
            form: Some(letter),
            ..Selection::default()
        };
        let _ = export(&plan, format, &selection);
    }
}
