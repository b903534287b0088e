//! `learner/checks/<id>` and `instructor/checks/<id>-key`: a module's knowledge check, and its key.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{KeyedQuestion, LearnerModule, QuestionView};

#[derive(Serialize)]
struct CheckPage<'a, Q> {
    #[serde(flatten)]
    base: PageBase<'a>,
    module: LearnerModule<'a>,
    questions: Vec<Q>,
    key: bool,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    module: usize,
    key: bool,
) -> Result<(), Diagnostic> {
    let placed = &r.plan.checks[module];
    let view = r.views.instructor(module);
    let (base, module) = (r.base(page), view.learner_view());
    if key {
        let questions = placed
            .iter()
            .map(|p| KeyedQuestion::new(p, &r.plan.catalog, &r.views.questions))
            .collect();
        r.both(
            page,
            "check",
            &CheckPage {
                base,
                module,
                questions,
                key,
            },
        )
    } else {
        let questions = placed
            .iter()
            .map(|p| QuestionView::new(p, &r.plan.catalog, &r.views.questions))
            .collect();
        r.both(
            page,
            "check",
            &CheckPage {
                base,
                module,
                questions,
                key,
            },
        )
    }
}
