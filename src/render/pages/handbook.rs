//! `learner/handbook`: the whole course as one printable learner handout.

use serde::Serialize;

use super::super::{Artefact, PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::LearnerModule;

#[derive(Serialize)]
struct HandbookPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    modules: Vec<LearnerModule<'a>>,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
) -> Result<Vec<Artefact>, Diagnostic> {
    let context = HandbookPage {
        base: r.base(page),
        modules: r.views.all_learner(),
    };
    r.both(page, "handbook", &context)
}
