//! `learner/modules/<id>`: one module's learner handout.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{LearnerModule, ReferenceView, number_references};

#[derive(Serialize)]
struct ModulePage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    module: LearnerModule<'a>,
    /// The sources the handout cites, numbered for this module.
    references: Vec<ReferenceView<'a>>,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    module: usize,
) -> Result<(), Diagnostic> {
    let view = r.views.instructor(module);
    let mut modules = [view.learner_view()];
    let references = number_references(&mut modules);
    let [module] = modules;
    let context = ModulePage {
        base: r.base(page),
        module,
        references,
    };
    r.both(page, "module", &context)
}
