//! [`Curriculum`]: a course that passed every check, the only input plan, render and export take.

use super::{Course, HandoutFile, Module};
use crate::source::FileId;

/// A checked curriculum: its course loaded, every module listed in it loaded, in course order,
/// and no rule broken. Only [`crate::check::check`] makes one.
#[derive(Debug)]
pub struct Curriculum {
    /// `course.toml`.
    pub course: Course,
    /// Where `course.toml` was read from, for diagnostics about it.
    pub course_file: FileId,
    /// In teaching order.
    pub modules: Vec<ModuleFile>,
    /// The learner handouts, in the order `handouts` lists them.
    pub handouts: Vec<HandoutFile>,
}

/// One module and the file it came from.
#[derive(Debug)]
pub struct ModuleFile {
    /// The file stem, as listed in `course.toml`.
    pub id: String,
    /// Where the module was read from, for diagnostics about it.
    pub file: FileId,
    /// The module's content.
    pub module: Module,
}

impl Curriculum {
    /// Built by the checker from a loaded course that has no errors.
    pub(crate) fn new(
        course: Course,
        course_file: FileId,
        modules: Vec<ModuleFile>,
        handouts: Vec<HandoutFile>,
    ) -> Self {
        Curriculum {
            course,
            course_file,
            modules,
            handouts,
        }
    }

    /// Minutes of every module's sections and activities.
    pub fn minutes(&self) -> u64 {
        self.modules
            .iter()
            .map(|m| m.module.planned_minutes())
            .sum()
    }
}
