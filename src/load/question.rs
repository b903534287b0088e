//! Turns each [`RawQuestion`] into a [`Question`] whose answer fields fit its type.

use std::ops::Range;

use toml::{Spanned, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Module, Question, QuestionKind, QuestionType, RawQuestion};
use crate::source::FileId;

/// The same module with typed questions; a question that cannot be typed is reported and left out.
pub fn convert_module(raw: Module<RawQuestion>, file: FileId, out: &mut Vec<Diagnostic>) -> Module {
    let questions = raw
        .questions
        .into_iter()
        .filter_map(|q| convert(q, file, out))
        .collect();
    Module {
        title: raw.title,
        goal: raw.goal,
        minutes: raw.minutes,
        materials: raw.materials,
        objectives: raw.objectives,
        sections: raw.sections,
        terms: raw.terms,
        activities: raw.activities,
        questions,
        sources: raw.sources,
    }
}

fn convert(raw: RawQuestion, file: FileId, out: &mut Vec<Diagnostic>) -> Option<Question> {
    let ty = *raw.kind.get_ref();
    let id = raw.id.get_ref().clone();
    let problem = |span: Range<usize>, message: String, help: &str| {
        Diagnostic::error(Code::QuestionShape, message)
            .at(file, span)
            .help(help.to_owned())
    };
    let before = out.len();
    let not_for = |field: &str, span: Range<usize>, out: &mut Vec<Diagnostic>| {
        out.push(problem(
            span,
            format!(
                "question {id}: `{field}` does not apply to {} questions",
                ty.as_str()
            ),
            &format!("remove `{field}`, or change `type`; {}", shape(ty)),
        ));
    };
    let type_span = raw.kind.span();
    let missing = |field: &str| {
        problem(
            type_span.clone(),
            format!("question {id}: a {} question needs `{field}`", ty.as_str()),
            shape(ty),
        )
    };
    let uses_choices = matches!(
        ty,
        QuestionType::SingleChoice | QuestionType::MultipleChoice
    );
    if let Some(d) = &raw.distractors
        && !uses_choices
    {
        not_for("distractors", d.span(), out);
    }
    if let Some(p) = &raw.pairs
        && ty != QuestionType::Matching
    {
        not_for("pairs", p.span(), out);
    }
    if let Some(r) = &raw.rubric
        && ty != QuestionType::Essay
    {
        not_for("rubric", r.span(), out);
    }
    if ty == QuestionType::Matching
        && let Some(a) = &raw.answer
    {
        not_for("answer", a.span(), out);
    }
    let distractors = raw.distractors.map(Spanned::into_inner).unwrap_or_default();
    let wrong = |answer: &Spanned<Value>| {
        problem(
            answer.span(),
            format!(
                "question {id}: the answer of a {} question must be {}",
                ty.as_str(),
                answer_type(ty)
            ),
            shape(ty),
        )
    };
    let kind = match ty {
        QuestionType::SingleChoice => match raw.answer {
            None => Err(missing("answer")),
            Some(a) => match string(&a) {
                Some(answer) => Ok(QuestionKind::SingleChoice {
                    answer,
                    distractors,
                }),
                None => Err(wrong(&a)),
            },
        },
        QuestionType::MultipleChoice => match raw.answer {
            None => Err(missing("answer")),
            Some(a) => match strings(&a) {
                Some(answers) if !answers.is_empty() => Ok(QuestionKind::MultipleChoice {
                    answers,
                    distractors,
                }),
                _ => Err(wrong(&a)),
            },
        },
        QuestionType::TrueFalse => match raw.answer {
            None => Err(missing("answer")),
            Some(a) => match a.get_ref().as_bool() {
                Some(answer) => Ok(QuestionKind::TrueFalse { answer }),
                None => Err(wrong(&a)),
            },
        },
        QuestionType::ShortAnswer => match raw.answer {
            None => Err(missing("answer")),
            Some(a) => match strings(&a).or_else(|| string(&a).map(|s| vec![s])) {
                Some(accepted)
                    if !accepted.is_empty()
                        && accepted.iter().all(|s| !s.get_ref().trim().is_empty()) =>
                {
                    Ok(QuestionKind::ShortAnswer {
                        accepted: accepted.into_iter().map(Spanned::into_inner).collect(),
                    })
                }
                _ => Err(wrong(&a)),
            },
        },
        QuestionType::Matching => match raw.pairs {
            None => Err(missing("pairs")),
            Some(pairs) => Ok(QuestionKind::Matching {
                pairs: pairs.into_inner(),
            }),
        },
        QuestionType::Essay => match raw.rubric {
            None => Err(missing("rubric")),
            Some(rubric) => {
                let model_answer = match raw.answer {
                    None => Ok(None),
                    Some(a) => string(&a)
                        .map(|s| Some(s.into_inner()))
                        .ok_or_else(|| wrong(&a)),
                };
                model_answer.map(|model_answer| QuestionKind::Essay {
                    rubric: rubric.into_inner(),
                    model_answer,
                })
            }
        },
    };
    let kind = match kind {
        Ok(kind) => kind,
        Err(diagnostic) => {
            out.push(diagnostic);
            return None;
        }
    };
    let points = match raw.points {
        Some(points) if *points.get_ref() == 0 => {
            out.push(problem(
                points.span(),
                format!("question {id}: `points` must be at least 1"),
                "leave `points` out for the default of 1, or give a whole number of 1 or more",
            ));
            return None;
        }
        Some(points) => points.into_inner(),
        None => 1,
    };
    if out.len() > before {
        return None;
    }
    Some(Question {
        span: raw.id.span(),
        id: raw.id,
        bank: raw.bank,
        objectives: raw.objectives,
        prompt: raw.prompt,
        explanation: raw.explanation,
        points,
        kind,
    })
}

fn string(value: &Spanned<Value>) -> Option<Spanned<String>> {
    value
        .get_ref()
        .as_str()
        .map(|s| Spanned::new(value.span(), s.to_owned()))
}

fn strings(value: &Spanned<Value>) -> Option<Vec<Spanned<String>>> {
    // Items of an inline array carry no spans of their own in `Value`; they share the array's.
    value
        .get_ref()
        .as_array()?
        .iter()
        .map(|item| {
            item.as_str()
                .map(|s| Spanned::new(value.span(), s.to_owned()))
        })
        .collect()
}

fn answer_type(ty: QuestionType) -> &'static str {
    match ty {
        QuestionType::SingleChoice => "one string",
        QuestionType::MultipleChoice => "a non-empty array of strings",
        QuestionType::TrueFalse => "true or false",
        QuestionType::ShortAnswer => "a non-empty array of accepted answers",
        QuestionType::Matching => "given as `pairs`",
        QuestionType::Essay => "a string (a model answer)",
    }
}

/// The keys each type takes, as the help line of every shape diagnostic.
fn shape(ty: QuestionType) -> &'static str {
    match ty {
        QuestionType::SingleChoice => {
            "a single-choice question takes `answer = \"...\"` and `distractors = [\"...\", \"...\"]`"
        }
        QuestionType::MultipleChoice => {
            "a multiple-choice question takes `answer = [\"...\", \"...\"]` and `distractors = [\"...\"]`"
        }
        QuestionType::TrueFalse => {
            "a true-false question takes `answer = true` or `answer = false`"
        }
        QuestionType::ShortAnswer => {
            "a short-answer question takes `answer = [\"accepted\", \"also accepted\"]`"
        }
        QuestionType::Matching => {
            "a matching question takes `pairs = [[\"left\", \"right\"], ...]`"
        }
        QuestionType::Essay => {
            "an essay question takes `rubric = \"\"\"...\"\"\"` and optionally a model `answer`"
        }
    }
}
