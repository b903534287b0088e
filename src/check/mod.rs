//! Model to diagnostics: the rules of DESIGN.md that span more than one value.
//!
//! Loading has already reported what a file could not say (syntax, unknown keys, types); these
//! rules look at what the files say together: ids, references, choices, minutes, the exam.

mod render;
mod rules;

pub use render::{Summary, render_json, render_text};

use crate::diagnostic::Diagnostic;
use crate::load::{Loaded, load};

/// Loads the curriculum in `dir` and runs every rule over it.
pub fn check(dir: &std::path::Path) -> Loaded {
    let mut loaded = load(dir);
    let mut diagnostics = rules::run(&loaded);
    loaded.diagnostics.append(&mut diagnostics);
    sort(&mut loaded.diagnostics, &loaded.sources);
    loaded
}

/// Orders diagnostics by file, then position, so output is stable and reads top to bottom.
fn sort(diagnostics: &mut [Diagnostic], sources: &crate::source::Sources) {
    use crate::diagnostic::Location;
    // The key allocates a path string, so compute it once per diagnostic, not per comparison.
    diagnostics.sort_by_cached_key(|d| {
        let place = match &d.location {
            None => (0, String::new(), 0),
            Some(Location::Path(path)) => (1, path.display().to_string(), 0),
            Some(Location::Span(file, span)) => (
                1,
                sources.get(*file).path.display().to_string(),
                span.start + 1,
            ),
        };
        (place, d.severity)
    });
}
