//! `exam/form-<x>` and `exam/form-<x>-key`: one exam form, and its key.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::locale::Catalog;
use crate::plan::{Page, Placed};
use crate::render::coded::{self, Question};
use crate::render::view::{ExamView, KeyView, KeyedQuestion, QuestionView, answer};
use crate::render::walk;

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
    if r.marks {
        return in_parts(r, page, &form.items, view, key);
    }
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

/// A question as a form's frame shows it around the question itself: what the key's table
/// prints (see [`crate::render::walk`]).
#[derive(Serialize)]
struct FrameQuestion<'a> {
    number: usize,
    id: &'a str,
    points: u32,
    objectives: Vec<&'a str>,
    key: FrameKey,
    /// The mark the question is written at.
    fragment: String,
}

#[derive(Serialize)]
struct FrameKey {
    answer: String,
}

/// One question's context, when a form is written a question at a time: what the form's loop
/// gives `html/form-question.html` (or `form-key-question`).
#[derive(Serialize)]
struct Part<Q> {
    q: Q,
}

/// Writes the form (or its key) a window of questions at a time: no context holds them all.
fn in_parts(
    r: &Renderer<'_>,
    page: &Page,
    items: &[Placed<'_>],
    view: FormView<'_, ()>,
    key: bool,
) -> Result<(), Diagnostic> {
    let catalog = &r.plan.catalog;
    let questions = items
        .iter()
        .enumerate()
        .map(|(i, p)| FrameQuestion {
            number: p.number,
            id: p.question.id.as_str(),
            points: p.question.points,
            objectives: p.question.objectives.iter().map(|o| o.as_str()).collect(),
            key: FrameKey {
                answer: if key {
                    answer(p, catalog)
                } else {
                    String::new()
                },
            },
            fragment: walk::fragment_mark(i),
        })
        .collect();
    let context = FormPage {
        base: r.base(page),
        form: view.with(questions),
        key,
    };
    let name = if key { "form-key" } else { "form" };
    // The whole page is made from its frame's context and its questions as placed: when
    // neither changed, the last build's files are left as they are.
    let whole = r.reuse.and_then(|reuse| {
        let mut print = reuse.view(&context).ok()?;
        print.add("whole form").add(name).add(page.path());
        for p in items {
            print
                .add(p.number)
                .add(&p.module.id)
                .add(p.question)
                .add(&p.choices)
                .add(&p.right_order);
        }
        Some(print.digest())
    });
    if let Some(whole) = whole
        && r.kept_whole(page, whole)?
    {
        return Ok(());
    }
    let frame = r.frame(page, name, ("question", items.len()), &context)?;
    let views = &r.views.questions;
    // The built-in parts are the `question` macro, written as code (see `render::coded`).
    let coded: Option<Vec<Coded>> = frame
        .part_templates()
        .map(|part| match part {
            "html/form-question.html" if !key => Some(Coded::Html(2)),
            "html/form-key-question.html" if key => Some(Coded::Html(3)),
            "md/form-question.md" | "md/form-key-question.md" => Some(Coded::Md),
            _ => None,
        })
        .collect();
    let written = match (coded, key) {
        (Some(coded), true) => r.write_parts(&frame, items.len(), |i| {
            let q = KeyedQuestion::new(&items[i], catalog, views);
            r.coded_parts(&frame, i, &q, || {
                Coded::all(&coded, question(&q.question, Some(&q.key)), key, catalog)
            })
        }),
        (Some(coded), false) => r.write_parts(&frame, items.len(), |i| {
            let q = QuestionView::new(&items[i], catalog, views);
            r.coded_parts(&frame, i, &q, || {
                Coded::all(&coded, question(&q, None), key, catalog)
            })
        }),
        (None, true) => r.write_in_parts(&frame, items.len(), |i| Part {
            q: KeyedQuestion::new(&items[i], catalog, views),
        }),
        (None, false) => r.write_in_parts(&frame, items.len(), |i| Part {
            q: QuestionView::new(&items[i], catalog, views),
        }),
    };
    if written.is_ok()
        && let Some(whole) = whole
    {
        r.wrote_whole(page, whole);
    }
    written
}

/// How code writes one file's part of a form: the HTML macro at a heading level, or the
/// Markdown one.
#[derive(Clone, Copy)]
enum Coded {
    Html(u8),
    Md,
}

impl Coded {
    /// `question`'s part of every file, in the frame's order.
    fn all(coded: &[Coded], question: Question<'_>, key: bool, catalog: &Catalog) -> Vec<String> {
        coded
            .iter()
            .map(|how| match *how {
                Coded::Html(level) => coded::html(question, level, catalog),
                Coded::Md => coded::md(question, key, catalog),
            })
            .collect()
    }
}

fn question<'a>(q: &'a QuestionView, key: Option<&'a KeyView>) -> Question<'a> {
    Question { q, key }
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
