//! Turns each [`RawQuestion`] into a [`Question`] whose answer fields fit its type.

use std::ops::Range;

use toml::{Spanned, Value};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Module, Question, QuestionKind, QuestionType, RawQuestion, RejectedQuestion};
use crate::source::FileId;

/// The same module with typed questions; a question that cannot be typed is reported and left out.
pub fn convert_module(
    raw: Module<RawQuestion>,
    file: FileId,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Module {
    let mut questions = Vec::new();
    let mut rejected = Vec::new();
    for raw_question in raw.questions {
        let kept = RejectedQuestion {
            id: raw_question.id.clone(),
            objectives: raw_question.objectives.clone(),
        };
        match convert(raw_question, file, text, out) {
            Some(question) => questions.push(question),
            None => rejected.push(kept),
        }
    }
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
        rejected,
    }
}

fn convert(
    raw: RawQuestion,
    file: FileId,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Option<Question> {
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
            format!("question {id}: {} question needs `{field}`", article(ty)),
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
    let choices_span = match (&raw.distractors, &raw.pairs) {
        (Some(d), _) if uses_choices => d.span(),
        (_, Some(p)) if ty == QuestionType::Matching => p.span(),
        _ => raw.id.span(),
    };
    let distractors = raw.distractors.map(Spanned::into_inner).unwrap_or_default();
    let wrong = |answer: &Spanned<Value>| {
        problem(
            answer.span(),
            format!(
                "question {id}: the answer of {} question must be {}",
                article(ty),
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
            Some(a) => match strings(&a, text) {
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
            Some(a) => match strings(&a, text).or_else(|| string(&a).map(|s| vec![s])) {
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
        choices_span,
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

/// The strings of an array value, each with its own span: `Value` keeps none for items, so they
/// are found again in the source, in order, within the array's span.
fn strings(value: &Spanned<Value>, text: &str) -> Option<Vec<Spanned<String>>> {
    let array = value.span();
    let mut cursor = array.start;
    value
        .get_ref()
        .as_array()?
        .iter()
        .map(|item| {
            let s = item.as_str()?;
            let found = ['"', '\''].iter().find_map(|q| {
                let needle = format!("{q}{s}{q}");
                let window = text.get(cursor..array.end)?;
                window
                    .find(&needle)
                    .map(|at| cursor + at..cursor + at + needle.len())
            });
            let span = match found {
                Some(span) => {
                    cursor = span.end;
                    span
                }
                None => array.clone(),
            };
            Some(Spanned::new(span, s.to_owned()))
        })
        .collect()
}

fn article(ty: QuestionType) -> String {
    let name = ty.as_str();
    let an = matches!(
        name.as_bytes().first(),
        Some(b'a' | b'e' | b'i' | b'o' | b'u')
    );
    format!("{} {name}", if an { "an" } else { "a" })
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
