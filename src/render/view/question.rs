//! A placed question as templates see it: [`QuestionView`] is what a learner's paper shows;
//! [`KeyedQuestion`] adds the key, which exists only in keys.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use serde::Serialize;

use super::Text;
use super::module::ids;
use crate::locale::Catalog;
use crate::model::{Question, QuestionKind};
use crate::plan::{ChoiceSource, PageKind, Placed, Plan, label};

/// Every question text rendered so far in one build's pages: a question on a check, its key,
/// two forms and their keys is rendered once and shared. A question's texts are let go once
/// every page the plan prints it on has taken them, so a build does not hold every question
/// text of the course until it ends.
#[derive(Debug, Default)]
pub struct RenderedQuestions {
    /// By the question's address in the curriculum, which outlives every page.
    texts: Mutex<HashMap<usize, Rendered>>,
    /// How many pages print each question, by its address; a question not counted is kept
    /// until the build ends.
    uses: HashMap<usize, u32>,
}

/// One question's texts rendered so far, and how many of its pages are still to take them.
#[derive(Debug, Default)]
struct Rendered {
    parts: Vec<(Part, Text)>,
    taken: u32,
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

fn address(question: &Question) -> usize {
    std::ptr::from_ref(question) as usize
}

impl RenderedQuestions {
    /// Shared texts for the pages of `plan`: each question's are let go once every check, form
    /// and key of `plan` that prints it has been made. A page made twice (or not at all) only
    /// costs a text rendered again (or kept), never a wrong one.
    pub fn for_plan(plan: &Plan<'_>) -> Self {
        let mut uses: HashMap<usize, u32> = HashMap::new();
        let mut count = |placed: &[Placed<'_>]| {
            for p in placed {
                *uses.entry(address(p.question)).or_default() += 1;
            }
        };
        for page in &plan.pages {
            match page.kind {
                PageKind::Check(i) | PageKind::CheckKey(i) => count(&plan.checks[i]),
                PageKind::Form(f) | PageKind::FormKey(f) => count(&plan.forms[f].items),
                _ => {}
            }
        }
        RenderedQuestions {
            texts: Mutex::default(),
            uses,
        }
    }

    fn texts(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Rendered>> {
        self.texts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Part `part` of `question`, rendered by `render` the first time it is asked for.
    fn get(&self, question: &Question, part: Part, render: impl FnOnce() -> Text) -> Text {
        let key = address(question);
        let find = |texts: &HashMap<usize, Rendered>| {
            texts.get(&key).and_then(|rendered| {
                rendered
                    .parts
                    .iter()
                    .find(|(p, _)| *p == part)
                    .map(|(_, text)| text.clone())
            })
        };
        if let Some(text) = find(&self.texts()) {
            return text;
        }
        // Rendered outside the lock, so other pages' questions are not held up.
        let text = render();
        let mut texts = self.texts();
        if let Some(text) = find(&texts) {
            return text;
        }
        texts
            .entry(key)
            .or_default()
            .parts
            .push((part, text.clone()));
        text
    }

    /// One page has taken every text of `question` it prints: once its last page has, they
    /// are let go.
    fn taken(&self, question: &Question) {
        let key = address(question);
        let Some(&uses) = self.uses.get(&key) else {
            return;
        };
        let mut texts = self.texts();
        if let Some(rendered) = texts.get_mut(&key) {
            rendered.taken += 1;
            if rendered.taken >= uses {
                texts.remove(&key);
            }
        }
    }

    /// How many questions' texts are held.
    #[cfg(test)]
    pub(crate) fn held(&self) -> usize {
        self.texts().len()
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
    /// The question as printed where `placed` puts it, for one page.
    pub fn new(placed: &Placed<'_>, catalog: &Catalog, rendered: &RenderedQuestions) -> Self {
        let view = Self::build(placed, catalog, rendered);
        rendered.taken(placed.question);
        view
    }

    fn build(placed: &Placed<'_>, catalog: &Catalog, rendered: &RenderedQuestions) -> Self {
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
    /// The question where `placed` puts it, with its key, for one page.
    pub fn new(placed: &Placed<'_>, catalog: &Catalog, rendered: &RenderedQuestions) -> Self {
        let keyed = KeyedQuestion {
            question: QuestionView::build(placed, catalog, rendered),
            key: KeyView::new(placed, catalog, rendered),
        };
        rendered.taken(placed.question);
        keyed
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::check::check;
    use crate::plan::Options;
    use crate::source::Disk;

    /// Each question's texts are shared by every page that prints it, then let go after its
    /// last: the checks, forms and keys of the bundled courses, made in the plan's order.
    #[test]
    fn question_texts_are_shared_until_their_last_page_then_let_go() {
        for course in [
            "curricula/police-community-relations",
            "curricula/roll-call-de-escalation",
        ] {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(course);
            let checked = check(&Disk::new(dir)).expect("the course checks");
            let plan = Plan::new(&checked.curriculum, &Options::default());
            let rendered = RenderedQuestions::for_plan(&plan);
            let mut first: HashMap<usize, Text> = HashMap::new();
            let (mut shared, mut most) = (0, 0);
            for page in &plan.pages {
                let (placed, key) = match page.kind {
                    PageKind::Check(i) => (&plan.checks[i], false),
                    PageKind::CheckKey(i) => (&plan.checks[i], true),
                    PageKind::Form(f) => (&plan.forms[f].items, false),
                    PageKind::FormKey(f) => (&plan.forms[f].items, true),
                    _ => continue,
                };
                for p in placed {
                    let prompt = if key {
                        KeyedQuestion::new(p, &plan.catalog, &rendered)
                            .question
                            .prompt
                    } else {
                        QuestionView::new(p, &plan.catalog, &rendered).prompt
                    };
                    match first.get(&address(p.question)) {
                        Some(text) => {
                            assert!(text.is(&prompt), "{course}: {} made twice", *p.question.id);
                            shared += 1;
                        }
                        None => {
                            first.insert(address(p.question), prompt);
                        }
                    }
                }
                most = most.max(rendered.held());
            }
            // Every question is on a page and its key at least.
            assert!(shared >= first.len(), "{course}: {shared} prompts shared");
            assert!(most > 0, "{course}: nothing was ever held");
            assert_eq!(rendered.held(), 0, "{course}: texts outlive their pages");
        }
    }

    /// A page made again after a question's last page renders its texts afresh, the same.
    #[test]
    fn a_question_asked_for_after_its_last_page_is_made_again_the_same() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/basic");
        let checked = check(&Disk::new(dir)).expect("the course checks");
        let plan = Plan::new(&checked.curriculum, &Options::default());
        let rendered = RenderedQuestions::for_plan(&plan);
        let p = &plan.checks[0][0];
        let uses = rendered.uses[&address(p.question)];
        let views: Vec<QuestionView> = (0..=uses)
            .map(|_| QuestionView::new(p, &plan.catalog, &rendered))
            .collect();
        let (last, earlier) = views.split_last().expect("made at least once");
        assert!(
            earlier
                .iter()
                .all(|view| view.prompt.is(&earlier[0].prompt))
        );
        assert!(!last.prompt.is(&earlier[0].prompt));
        assert_eq!(last.prompt.html(), earlier[0].prompt.html());
        assert_eq!(rendered.held(), 1, "the text made again is kept");
    }
}
