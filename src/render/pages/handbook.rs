//! `learner/handbook`: the whole course as one printable learner handout.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{
    CiteView, Cited, Cites, InstructorModule, LearnerModule, ReferenceView, number_cited,
    number_references,
};
use crate::render::walk::{self, Frame};

#[derive(Serialize)]
struct HandbookPage<'a, M> {
    #[serde(flatten)]
    base: PageBase<'a>,
    modules: Vec<M>,
    /// The sources the handbook cites, numbered once for the whole document.
    references: Vec<ReferenceView<'a>>,
}

/// One module's context, when the handbook is rendered a module at a time: what the handbook's
/// loop gives `html/handbook-module.html` and `md/handbook-module.md`.
#[derive(Serialize)]
struct Part<'a> {
    module: LearnerModule<'a>,
}

/// A module as the handbook's frame shows it around its part (see [`crate::render::walk`]).
#[derive(Serialize)]
struct FrameModule<'a> {
    id: &'a str,
    number: usize,
    title: String,
    minutes: u64,
    /// The mark its part is written at.
    fragment: String,
}

pub(in crate::render) fn render(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let views = r.views.all_instructor();
    let mut modules: Vec<LearnerModule<'_>> = views.iter().map(|v| v.learner_view()).collect();
    let references = number_references(&mut modules);
    let context = HandbookPage {
        base: r.base(page),
        modules,
        references,
    };
    r.both(page, "handbook", &context)
}

/// The handbook's frame: its context with every module's part a mark, and each module's
/// sections' numbered citations, which its part prints (see [`crate::render::walk`]).
pub(in crate::render) fn frame(
    r: &Renderer<'_>,
    page: &Page,
) -> Result<(Frame, Cites), Diagnostic> {
    let files = &r.plan.curriculum.modules;
    let cited: Vec<Cited<'_>> = files.iter().map(Cited::of_file).collect();
    let (references, cites) = number_cited(&cited);
    let modules = files
        .iter()
        .enumerate()
        .map(|(i, file)| FrameModule {
            id: &file.id,
            number: i + 1,
            title: file.module.title.to_string(),
            minutes: file.module.planned_minutes(),
            fragment: walk::fragment_mark(i),
        })
        .collect();
    let context = HandbookPage {
        base: r.base(page),
        modules,
        references,
    };
    let parts = ("module", files.len());
    Ok((r.frame(page, "handbook", parts, &context)?, cites))
}

/// Module `view`'s part, its sections citing as `cites` says.
pub(in crate::render) fn part<'a>(
    view: &'a InstructorModule,
    cites: &[Vec<CiteView>],
) -> impl Serialize + 'a {
    let mut module = view.learner_view();
    for (section, cites) in module.sections.iter_mut().zip(cites) {
        section.cites.clone_from(cites);
    }
    Part { module }
}
