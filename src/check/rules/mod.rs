//! The cross-value rules, one file per part of the curriculum, each adding diagnostics.

mod choices;
mod course;
mod exam;
mod ids;
mod items;
mod limits;
mod module;
mod schedule;
#[cfg(test)]
mod tests;
mod training;

use std::ops::Range;

use rayon::prelude::*;

pub(crate) use items::ItemFindings;
pub(crate) use training::class_fit;

use crate::diagnostic::{Code, Diagnostic};
use crate::load::Loaded;
use crate::load::memo::Memo;
use crate::source::FileId;

/// Every rule over a loaded curriculum.
pub(super) fn run(loaded: &Loaded, memo: &Memo) -> Vec<Diagnostic> {
    // The course-wide rules run side by side (the item-writing ones are the longest, and run
    // a module at a time in parallel themselves); their findings are kept in this order.
    let ((course, ids), (items, limits)) = rayon::join(
        || {
            rayon::join(
                || {
                    findings(|out| {
                        if let Some((file, course)) = &loaded.course {
                            course::course_rules(*file, course, out);
                            exam::exam_rules(*file, course, &loaded.modules, out);
                            exam::unused_exam_bank(course, &loaded.modules, out);
                            training::course_rules(*file, course, &loaded.modules, out);
                            schedule::schedule_rules(*file, course, &loaded.modules, out);
                        }
                    })
                },
                || findings(|out| ids::unique_ids(loaded, out)),
            )
        },
        || {
            rayon::join(
                || findings(|out| items::item_rules(&loaded.modules, &loaded.sources, memo, out)),
                || findings(|out| limits::limits(loaded, out)),
            )
        },
    );
    let mut out = course;
    out.extend(ids);
    out.extend(items);
    out.extend(limits);
    // Each module's own rules read only it (and the module list): they run in parallel, and
    // their findings are kept in course order.
    let per_module: Vec<Vec<Diagnostic>> = loaded
        .modules
        .par_iter()
        .map(|module| {
            let mut found = Vec::new();
            let rules = module::ModuleRules {
                module,
                all: &loaded.modules,
                rejected: loaded.rejected.get(&module.id).map_or(&[], Vec::as_slice),
            };
            rules.run(&mut found);
            let course = loaded.course.as_ref().map(|(_, c)| c);
            training::activity_rules(module, course, &mut found);
            found
        })
        .collect();
    out.extend(per_module.into_iter().flatten());
    out
}

/// What `rule` finds.
fn findings(rule: impl FnOnce(&mut Vec<Diagnostic>)) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    rule(&mut out);
    out
}

fn invalid_id(what: &str, id: &str, file: FileId, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidId,
        format!("{what} \"{id}\" is not a valid id"),
    )
    .at(file, span)
    .label("invalid id")
    .help("ids start with a letter or digit and use only letters, digits, `-`, `_` and `.`")
}
