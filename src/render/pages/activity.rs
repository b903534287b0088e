//! `instructor/activities/<id>`: a role-play packet with one card per role.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{InstructorActivity, InstructorModule};

#[derive(Serialize)]
struct ActivityPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    module: &'a InstructorModule,
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
        module: &module,
        activity: &module.activities[activity],
    };
    r.both(page, "activity", &context)
}
