//! `instructor/evaluations/<activity-id>`: one printable scored-evaluation form per learner and
//! the class roster grid of one scored activity.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::{Page, PageKind};
use crate::render::view::{EvaluationView, InstructorActivity, Module};

#[derive(Serialize)]
struct EvaluationPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    module: Module<'a>,
    activity: &'a InstructorActivity,
    evaluation: &'a EvaluationView,
    /// Learners in the class, when the course or `--class-size` says.
    class_size: Option<u32>,
    /// The form numbers the HTML prints: one per learner (1 without a class size).
    forms: Vec<u32>,
    /// The roster's row numbers: one per learner, or 12 blank rows without a class size.
    roster: Vec<u32>,
    /// The activity's role-play packet, as `md` and `html` links from this page.
    packet: (String, String),
}

/// Blank roster rows when the class size is unknown.
const ROSTER_ROWS: u32 = 12;

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    module: usize,
    activity: usize,
) -> Result<(), Diagnostic> {
    let (m, a) = (module, activity);
    let module = r.views.instructor(m);
    let activity = &module.activities[a];
    let Some(evaluation) = &activity.evaluation else {
        return Ok(());
    };
    let class_size = r.plan.class_size;
    let kind = PageKind::Activity(m, a);
    let context = EvaluationPage {
        base: r.base(page),
        module: Module::of(&module, r.marks),
        activity,
        evaluation,
        class_size,
        forms: (1..=class_size.unwrap_or(1)).collect(),
        roster: (1..=class_size.unwrap_or(ROSTER_ROWS)).collect(),
        packet: (
            r.plan.relative_href(page, kind, true),
            r.plan.relative_href(page, kind, false),
        ),
    };
    r.both(page, "evaluation", &context)
}
