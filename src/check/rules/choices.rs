//! Rules on a question's choices: enough of them, none empty, none twice, none both right and wrong.

use std::collections::BTreeSet;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Question, QuestionKind, Spanned};
use crate::source::FileId;

/// Choice questions: enough choices, no answer offered as a distractor, no choice twice.
pub(super) fn choices(question: &Question, file: FileId, out: &mut Vec<Diagnostic>) {
    let id = question.id.get_ref();
    let (answers, distractors): (Vec<&Spanned<String>>, &[Spanned<String>]) = match &question.kind {
        QuestionKind::SingleChoice {
            answer,
            distractors,
        } => (vec![answer], distractors),
        QuestionKind::MultipleChoice {
            answers,
            distractors,
        } => (answers.iter().collect(), distractors),
        QuestionKind::Matching { pairs } => return matching(question, pairs, file, out),
        _ => return,
    };
    let total = answers.len() + distractors.len();
    if distractors.is_empty() || total < 3 {
        out.push(
            Diagnostic::error(Code::TooFewChoices, format!("question {id} offers {total} choice(s); a choice question needs at least 3 with at least one distractor"))
                .at(file, question.choices_span.clone())
                .help("add plausible `distractors` until there are at least 3 choices"),
        );
    }
    let norm = |s: &str| s.trim().to_lowercase();
    let answer_set: BTreeSet<String> = answers.iter().map(|a| norm(a.get_ref())).collect();
    let mut seen = BTreeSet::new();
    for answer in &answers {
        if !seen.insert(norm(answer.get_ref())) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateChoice,
                    format!(
                        "question {id} lists the answer \"{}\" twice",
                        answer.get_ref()
                    ),
                )
                .at(file, answer.span())
                .help("list each answer once"),
            );
        }
    }
    for distractor in distractors {
        let text = norm(distractor.get_ref());
        if text.is_empty() {
            out.push(
                Diagnostic::error(
                    Code::EmptyValue,
                    format!("question {id} has an empty distractor"),
                )
                .at(file, distractor.span())
                .help("remove it or write a plausible wrong answer"),
            );
        } else if answer_set.contains(&text) {
            out.push(
                Diagnostic::error(
                    Code::AnswerIsDistractor,
                    format!(
                        "question {id}: \"{}\" is both an answer and a distractor",
                        distractor.get_ref()
                    ),
                )
                .at(file, distractor.span())
                .label("also the answer")
                .help("remove it from `distractors`; a choice cannot be right and wrong at once"),
            );
        } else if !seen.insert(text) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateChoice,
                    format!("question {id} offers \"{}\" twice", distractor.get_ref()),
                )
                .at(file, distractor.span())
                .help("remove the repeated distractor"),
            );
        }
    }
}

/// Matching questions: at least three pairs, none empty, no item twice on one side.
fn matching(
    question: &Question,
    pairs: &[Spanned<[String; 2]>],
    file: FileId,
    out: &mut Vec<Diagnostic>,
) {
    let id = question.id.as_str();
    if pairs.len() < 3 {
        out.push(
            Diagnostic::error(
                Code::TooFewChoices,
                format!(
                    "matching question {id} has {} pair(s); it needs at least 3",
                    pairs.len()
                ),
            )
            .at(file, question.choices_span.clone())
            .help("add pairs until there are at least 3"),
        );
    }
    for side in 0..2 {
        let mut seen = BTreeSet::new();
        for pair in pairs {
            let text = pair.get_ref()[side].trim();
            if text.is_empty() {
                out.push(
                    Diagnostic::error(
                        Code::EmptyValue,
                        format!("question {id} has an empty matching item"),
                    )
                    .at(file, pair.span())
                    .help("fill in both sides of every pair"),
                );
            } else if !seen.insert(text) {
                out.push(
                    Diagnostic::error(Code::DuplicateChoice, format!("question {id} has \"{text}\" twice on the {} side", if side == 0 { "left" } else { "right" }))
                        .at(file, pair.span())
                        .help("every item of a matching question must be different, or learners cannot tell the pairs apart"),
                );
            }
        }
    }
}
