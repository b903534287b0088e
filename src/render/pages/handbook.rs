//! `learner/handbook`: the whole course as one printable learner handout.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{LearnerModule, ReferenceView, number_references};

#[derive(Serialize)]
struct HandbookPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    modules: Vec<LearnerModule<'a>>,
    /// The sources the handbook cites, numbered once for the whole document.
    references: Vec<ReferenceView<'a>>,
}

pub(in crate::render) fn render(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let mut modules = r.views.all_learner();
    let references = number_references(&mut modules);
    let context = HandbookPage {
        base: r.base(page),
        modules,
        references,
    };
    r.both(page, "handbook", &context)
}
