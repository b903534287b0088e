//! A placed question as templates see it: [`QuestionView`] is what a learner's paper shows;
//! [`KeyedQuestion`] adds the key, which exists only in keys.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use super::Text;
use super::module::ids;
use crate::locale::Catalog;
use crate::model::{Question, QuestionKind};
use crate::plan::{ChoiceSource, Placed, label};

/// Every question text rendered so far in one build's pages: a question on a check, its key,
/// two forms and their keys is rendered once and shared.
#[derive(Debug, Default)]
pub struct RenderedQuestions {
    /// By the question's address in the curriculum, which outlives every page, and its part.
    texts: Mutex<HashMap<(usize, Part), Text>>,
}

/// Which text of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Part {
    Prompt,
    Choice(ChoiceSource),
    Left(usize),
    Right(usize),
    Rubric,
    ModelAnswer,
    Explanation,
}

impl RenderedQuestions {
    /// Part `part` of `question`, rendered by `render` the first time it is asked for.
    fn get(&self, question: &Question, part: Part, render: impl FnOnce() -> Text) -> Text {
        let key = (std::ptr::from_ref(question) as usize, part);
        let texts = || self.texts.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(text) = texts().get(&key) {
            return text.clone();
        }
        // Rendered outside the lock, so other pages' questions are not held up.
        let text = render();
        texts().entry(key).or_insert(text).clone()
    }
}

/// A question as printed on a check or form, with no answer in it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    /// Its number on the page.
    pub number: usize,
    /// `id`.
    pub id: String,
    /// The module it comes from.
    pub module: String,
    /// `type`.
    pub kind: &'static str,
    /// `points`.
    pub points: u32,
    /// `objectives`.
    pub objectives: Vec<String>,
    /// `prompt`, rendered.
    pub prompt: Text,
    /// Choice and true-false questions: lettered, in display order.
    pub choices: Vec<ChoiceView>,
    /// Matching: left items, numbered.
    pub left: Vec<ChoiceView>,
    /// Matching: right items, lettered, shuffled.
    pub right: Vec<ChoiceView>,
    /// Ruled lines to leave for a written answer.
    pub lines: usize,
    /// Whether more than one choice may be right.
    pub multiple: bool,
}

/// A question with its key, for answer keys.
#[derive(Debug, Clone, Serialize)]
pub struct KeyedQuestion {
    /// The question as printed.
    #[serde(flatten)]
    pub question: QuestionView,
    /// Its answer.
    pub key: KeyView,
}

/// One choice or matching item.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    /// `A`, `B`, … or `1`, `2`, …
    pub label: String,
    /// The text, rendered inline.
    pub text: Text,
}

/// Everything a key adds to a question.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    /// Short form for tables: "B", "A, C", "True", "1-C, 2-A", the accepted answers.
    pub answer: String,
    /// Letters of the correct choices.
    pub correct: Vec<String>,
    /// Matching: the letter of each left item's match, in left order.
    pub matches: Vec<String>,
    /// Short answer: every accepted answer.
    pub accepted: Vec<String>,
    /// Essay: the model answer, rendered.
    pub model_answer: Option<Text>,
    /// Essay: the rubric, rendered.
    pub rubric: Option<Text>,
    /// `explanation`, rendered.
    pub explanation: Option<Text>,
}

impl QuestionView {
    /// The question as printed where `placed` puts it.
    pub fn new(placed: &Placed<'_>, catalog: &Catalog, rendered: &RenderedQuestions) -> Self {
        let q = placed.question;
        let prefix = format!("q-{}", *q.id);
        let get = |part, render: &dyn Fn() -> Text| rendered.get(q, part, render);
        let (mut choices, mut left, mut right, mut lines) = (Vec::new(), Vec::new(), Vec::new(), 0);
        match &q.kind {
            QuestionKind::SingleChoice { .. }
            | QuestionKind::MultipleChoice { .. }
            | QuestionKind::TrueFalse { .. } => {
                choices = placed
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(i, &c)| ChoiceView {
                        label: label(i),
                        text: get(Part::Choice(c), &|| {
                            Text::inline(&c.display_text(q, catalog))
                        }),
                    })
                    .collect();
            }
            QuestionKind::ShortAnswer { .. } => lines = 2,
            QuestionKind::Matching { pairs } => {
                left = pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ChoiceView {
                        label: (i + 1).to_string(),
                        text: get(Part::Left(i), &|| Text::inline(&p[0])),
                    })
                    .collect();
                right = placed
                    .right_order
                    .iter()
                    .enumerate()
                    .map(|(i, &p)| ChoiceView {
                        label: label(i),
                        text: get(Part::Right(p), &|| Text::inline(&pairs[p][1])),
                    })
                    .collect();
            }
            QuestionKind::Essay { .. } => lines = 8 + 2 * q.points.min(6) as usize,
        }
        QuestionView {
            number: placed.number,
            id: q.id.to_string(),
            module: placed.module.id.clone(),
            kind: q.question_type().as_str(),
            points: q.points,
            objectives: ids(&q.objectives),
            prompt: get(Part::Prompt, &|| Text::block(&q.prompt, 3, &prefix)),
            choices,
            left,
            right,
            lines,
            multiple: matches!(q.kind, QuestionKind::MultipleChoice { .. }),
        }
    }
}

impl KeyedQuestion {
    /// The question where `placed` puts it, with its key.
    pub fn new(placed: &Placed<'_>, catalog: &Catalog, rendered: &RenderedQuestions) -> Self {
        KeyedQuestion {
            question: QuestionView::new(placed, catalog, rendered),
            key: KeyView::new(placed, catalog, rendered),
        }
    }
}

/// The short form of `placed`'s answer that key tables print: "B", "A, C", "True", "1-C, 2-A",
/// the accepted answers.
pub fn answer(placed: &Placed<'_>, catalog: &Catalog) -> String {
    let q = placed.question;
    match &q.kind {
        QuestionKind::TrueFalse { answer } => catalog.text(if *answer { "true" } else { "false" }),
        QuestionKind::ShortAnswer { accepted } => accepted.join(" / "),
        QuestionKind::Matching { .. } => placed
            .matching_key()
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{}-{l}", i + 1))
            .collect::<Vec<_>>()
            .join(", "),
        QuestionKind::Essay { .. } => catalog.text("see-rubric"),
        _ => placed.correct_letters().join(", "),
    }
}

impl KeyView {
    fn new(placed: &Placed<'_>, catalog: &Catalog, rendered: &RenderedQuestions) -> Self {
        let q = placed.question;
        let prefix = format!("q-{}", *q.id);
        let get = |part, render: &dyn Fn() -> Text| rendered.get(q, part, render);
        let correct: Vec<String> = placed.correct_letters();
        let answer = answer(placed, catalog);
        let (accepted, rubric, model_answer) = match &q.kind {
            QuestionKind::ShortAnswer { accepted } => (accepted.clone(), None, None),
            QuestionKind::Essay {
                rubric,
                model_answer,
            } => (
                Vec::new(),
                Some(get(Part::Rubric, &|| {
                    Text::block(rubric, 3, &format!("{prefix}-rubric"))
                })),
                model_answer.as_deref().map(|m| {
                    get(Part::ModelAnswer, &|| {
                        Text::block(m, 3, &format!("{prefix}-model"))
                    })
                }),
            ),
            _ => (Vec::new(), None, None),
        };
        KeyView {
            answer,
            correct,
            matches: placed.matching_key(),
            accepted,
            model_answer,
            rubric,
            explanation: q.explanation.as_deref().map(|e| {
                get(Part::Explanation, &|| {
                    Text::block(e, 3, &format!("{prefix}-expl"))
                })
            }),
        }
    }
}
