//! `learner/handouts/<id>`: one learner handout, such as an "I speak" card.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::Text;

#[derive(Serialize)]
struct HandoutPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    handout: HandoutView,
}

/// What a handout's templates see.
#[derive(Serialize)]
struct HandoutView {
    id: String,
    title: String,
    summary: Option<String>,
    body: Text,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    index: usize,
) -> Result<(), Diagnostic> {
    let file = &r.plan.curriculum.handouts[index];
    let handout = &file.handout;
    let context = HandoutPage {
        base: r.base(page),
        handout: HandoutView {
            id: file.id.clone(),
            title: handout.title.to_string(),
            summary: handout.summary.clone(),
            body: Text::block(&handout.body, 2, "h-"),
        },
    };
    r.both(page, "handout", &context)
}
