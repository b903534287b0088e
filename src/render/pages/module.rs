//! `learner/modules/<id>`: one module's learner handout.

use serde::Serialize;

use super::super::{Artefact, PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::LearnerModule;

#[derive(Serialize)]
struct ModulePage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    module: LearnerModule<'a>,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    module: usize,
) -> Result<Vec<Artefact>, Diagnostic> {
    let context = ModulePage {
        base: r.base(page),
        module: r.views.learner(module),
    };
    r.both(page, "module", &context)
}
