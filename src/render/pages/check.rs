//! `learner/checks/<id>` and `instructor/checks/<id>-key`: a module's knowledge check, and its key.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::{Page, Placed};
use crate::render::coded::{self, Question};
use crate::render::view::{KeyedQuestion, LearnerModule, ModuleHead, QuestionView};

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
    if r.marks {
        return coded(r, page, placed, key, r.base(page), view.core.head());
    }
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

/// A question of a check whose part code has written: what the frame prints for it.
#[derive(Serialize)]
struct Written {
    fragment: String,
}

/// The check (or its key) with each question written by code (see `render::coded`) and the
/// page around them by the frame templates, which print each question's `fragment`.
fn coded(
    r: &Renderer<'_>,
    page: &Page,
    placed: &[Placed<'_>],
    key: bool,
    base: PageBase<'_>,
    module: ModuleHead<'_>,
) -> Result<(), Diagnostic> {
    let (catalog, views) = (&r.plan.catalog, &r.views.questions);
    let (mut md, mut html) = (Vec::new(), Vec::new());
    for p in placed {
        let (q, keyed);
        let question = if key {
            keyed = KeyedQuestion::new(p, catalog, views);
            Question {
                q: &keyed.question,
                key: Some(&keyed.key),
            }
        } else {
            q = QuestionView::new(p, catalog, views);
            Question { q: &q, key: None }
        };
        md.push(Written {
            fragment: coded::md(question, key, catalog),
        });
        html.push(Written {
            fragment: coded::html(question, 2, catalog),
        });
    }
    let page_of = |questions| Framed {
        base: &base,
        module,
        questions,
        key,
    };
    r.framed(page, "check", &page_of(md), &page_of(html))
}

/// [`CheckPage`] of written questions.
#[derive(Serialize)]
struct Framed<'p, 'a> {
    #[serde(flatten)]
    base: &'p PageBase<'a>,
    /// All the built-in templates print of the module.
    module: ModuleHead<'a>,
    questions: Vec<Written>,
    key: bool,
}
