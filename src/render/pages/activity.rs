//! `instructor/activities/<id>`: a role-play packet with one card per role.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{InstructorActivity, Module};

#[derive(Serialize)]
struct ActivityPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    module: Module<'a>,
    activity: &'a InstructorActivity,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    module: usize,
    activity: usize,
) -> Result<(), Diagnostic> {
    let module = r.views.instructor(module);
    let context = ActivityPage {
        base: r.base(page),
        module: Module::of(&module, r.marks),
        activity: &module.activities[activity],
    };
    r.both(page, "activity", &context)
}
