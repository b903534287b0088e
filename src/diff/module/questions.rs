//! Questions, matched by id across the course (a question moved to another module shows as
//! changed), with answer-key changes flagged.

use std::collections::HashMap;

use super::super::{ChangeKind, FieldChange, QuestionChange};
use super::list;
use crate::model::{Curriculum, ModuleFile, Question, QuestionKind};

/// Every question of a curriculum by id (ids are course-wide), with its module.
pub(super) type QuestionIndex<'a> = HashMap<&'a str, (&'a ModuleFile, &'a Question)>;

pub(super) fn question_index(course: &Curriculum) -> QuestionIndex<'_> {
    course
        .modules
        .iter()
        .flat_map(|m| {
            m.module
                .questions
                .iter()
                .map(move |q| (q.id.as_str(), (m, q)))
        })
        .collect()
}

/// The fields a question is compared by, rendered as text; the flag says whether a change to
/// it changes the answer key.
fn question_fields(module: &str, q: &Question) -> Vec<(&'static str, Option<String>, bool)> {
    let texts = |v: &[crate::model::Spanned<String>]| Some(list(v));
    let (answer, distractors, pairs, rubric) = match &q.kind {
        QuestionKind::SingleChoice {
            answer,
            distractors,
        } => (Some(answer.to_string()), texts(distractors), None, None),
        QuestionKind::MultipleChoice {
            answers,
            distractors,
        } => (texts(answers), texts(distractors), None, None),
        QuestionKind::TrueFalse { answer } => (Some(answer.to_string()), None, None, None),
        QuestionKind::ShortAnswer { accepted } => (Some(list(accepted)), None, None, None),
        QuestionKind::Matching { pairs } => {
            let shown: Vec<String> = pairs
                .iter()
                .map(|p| format!("{} → {}", p[0], p[1]))
                .collect();
            (None, None, Some(list(&shown)), None)
        }
        QuestionKind::Essay {
            rubric,
            model_answer,
        } => (model_answer.clone(), None, None, Some(rubric.clone())),
    };
    vec![
        ("module", Some(module.to_owned()), false),
        ("type", Some(q.question_type().as_str().to_owned()), true),
        ("bank", Some(q.bank.as_str().to_owned()), true),
        ("prompt", Some(q.prompt.to_string()), false),
        ("answer", answer, true),
        ("distractors", distractors, true),
        ("pairs", pairs, true),
        ("rubric", rubric, false),
        ("points", Some(q.points.to_string()), false),
        ("objectives", Some(list(&q.objectives)), false),
        ("explanation", q.explanation.clone(), false),
    ]
}

pub(super) fn questions(
    old_course: &QuestionIndex<'_>,
    old: &ModuleFile,
    new: &ModuleFile,
    new_course: &QuestionIndex<'_>,
) -> Vec<QuestionChange> {
    let mut out = Vec::new();
    for q in &new.module.questions {
        let Some(&(from, previous)) = old_course.get(q.id.as_str()) else {
            out.push(QuestionChange {
                id: q.id.to_string(),
                change: ChangeKind::Added,
                bank: q.bank.as_str().to_owned(),
                fields: Vec::new(),
                answer_key: false,
            });
            continue;
        };
        let mut fields = Vec::new();
        let mut answer_key = false;
        let before = question_fields(&from.id, previous);
        for ((name, o, key), (_, n, _)) in before.into_iter().zip(question_fields(&new.id, q)) {
            if o != n {
                answer_key |= key;
                fields.push(FieldChange {
                    field: name.to_owned(),
                    old: o,
                    new: n,
                });
            }
        }
        if !fields.is_empty() {
            out.push(QuestionChange {
                id: q.id.to_string(),
                change: ChangeKind::Changed,
                bank: q.bank.as_str().to_owned(),
                fields,
                answer_key,
            });
        }
    }
    for q in &old.module.questions {
        if !new_course.contains_key(q.id.as_str()) {
            out.push(QuestionChange {
                id: q.id.to_string(),
                change: ChangeKind::Removed,
                bank: q.bank.as_str().to_owned(),
                fields: Vec::new(),
                answer_key: false,
            });
        }
    }
    out
}
