//! `exam/form-<x>` and `exam/form-<x>-key`: one exam form, and its key.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;
use crate::render::view::{ExamView, KeyedQuestion, QuestionView};

#[derive(Serialize)]
struct FormPage<'a, Q> {
    #[serde(flatten)]
    base: PageBase<'a>,
    form: FormView<'a, Q>,
    key: bool,
}

#[derive(Serialize)]
struct FormView<'a, Q> {
    letter: char,
    name: String,
    questions: Q,
    total_points: u64,
    pass_points: Option<u64>,
    #[serde(flatten)]
    exam: Option<&'a ExamView>,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    form: usize,
    key: bool,
) -> Result<(), Diagnostic> {
    let form = &r.plan.forms[form];
    // u64: no number of questions and points can wrap it (each question has at most 1,000).
    let total_points: u64 = form
        .items
        .iter()
        .map(|p| u64::from(p.question.points))
        .sum();
    let exam = r.course.exam.as_ref();
    let view = FormView {
        letter: form.letter,
        name: r
            .plan
            .catalog
            .text_with("form-letter", "letter", form.letter.to_string()),
        questions: (),
        total_points,
        pass_points: exam
            .and_then(|e| e.pass_percent)
            .map(|p| total_points.saturating_mul(u64::from(p)).div_ceil(100)),
        exam,
    };
    let base = r.base(page);
    if key {
        let questions = form
            .items
            .iter()
            .map(|p| KeyedQuestion::new(p, &r.plan.catalog, &r.views.questions))
            .collect();
        let context = FormPage {
            base,
            form: view.with(questions),
            key,
        };
        r.both(page, "form-key", &context)
    } else {
        let questions = form
            .items
            .iter()
            .map(|p| QuestionView::new(p, &r.plan.catalog, &r.views.questions))
            .collect();
        let context = FormPage {
            base,
            form: view.with(questions),
            key,
        };
        r.both(page, "form", &context)
    }
}

impl<'a> FormView<'a, ()> {
    fn with<Q>(self, questions: Vec<Q>) -> FormView<'a, Vec<Q>> {
        FormView {
            letter: self.letter,
            name: self.name,
            questions,
            total_points: self.total_points,
            pass_points: self.pass_points,
            exam: self.exam,
        }
    }
}
