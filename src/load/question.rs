//! Turns each [`RawQuestion`] into a [`Question`] whose answer fields fit its type.

use std::ops::Range;

use toml::Value;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Module, Question, QuestionKind, QuestionType, RawQuestion, Spanned};
use crate::source::FileId;

/// What the rules still need of a question that could not be typed.
#[derive(Debug, Clone)]
pub struct RejectedQuestion {
    /// The question's id.
    pub id: Spanned<String>,
    /// The objectives it names.
    pub objectives: Vec<Spanned<String>>,
}

/// The same module with typed questions; a question that cannot be typed is reported and
/// returned apart, by id and objectives.
pub(super) fn convert_module(
    raw: Module<RawQuestion>,
    file: FileId,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> (Module, Vec<RejectedQuestion>) {
    let mut questions = Vec::new();
    let mut rejected = Vec::new();
    for raw_question in raw.questions {
        let kept = RejectedQuestion {
            id: raw_question.id.clone(),
            objectives: raw_question.objectives.clone(),
        };
        match Converter::new(&raw_question, file, text).convert(raw_question, out) {
            Some(question) => questions.push(question),
            None => rejected.push(kept),
        }
    }
    let module = Module {
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
    };
    (module, rejected)
}

/// What every diagnostic about one question needs.
struct Converter<'a> {
    ty: QuestionType,
    id: String,
    file: FileId,
    text: &'a str,
    type_span: Range<usize>,
}

impl<'a> Converter<'a> {
    fn new(raw: &RawQuestion, file: FileId, text: &'a str) -> Self {
        Converter {
            ty: *raw.kind,
            id: raw.id.get_ref().clone(),
            file,
            text,
            type_span: raw.kind.span(),
        }
    }

    fn convert(&self, raw: RawQuestion, out: &mut Vec<Diagnostic>) -> Option<Question> {
        let before = out.len();
        self.misplaced_fields(&raw, out);
        let uses_choices = self.uses_choices();
        let choices_span = match (&raw.distractors, &raw.pairs) {
            (Some(d), _) if uses_choices => d.span(),
            (_, Some(p)) if self.ty == QuestionType::Matching => p.span(),
            _ => raw.id.span(),
        };
        let kind = match self.kind(raw.answer, raw.distractors, raw.pairs, raw.rubric) {
            Ok(kind) => kind,
            Err(diagnostic) => {
                out.push(diagnostic);
                return None;
            }
        };
        let points = match raw.points {
            Some(points) if *points == 0 => {
                out.push(self.problem(
                    points.span(),
                    format!("question {}: `points` must be at least 1", self.id),
                    "leave `points` out for the default of 1, or give a whole number of 1 or more",
                ));
                return None;
            }
            Some(points) if *points > crate::limits::MAX_POINTS => {
                out.push(
                    Diagnostic::error(
                        Code::OverLimit,
                        format!(
                            "question {}: {} points is more than the limit of {}",
                            self.id,
                            points.get_ref(),
                            crate::limits::MAX_POINTS
                        ),
                    )
                    .at(self.file, points.span())
                    .label("over the limit")
                    .help(format!(
                        "give at most {} points; weight a question by its share of the total",
                        crate::limits::MAX_POINTS
                    )),
                );
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

    fn uses_choices(&self) -> bool {
        matches!(
            self.ty,
            QuestionType::SingleChoice | QuestionType::MultipleChoice
        )
    }

    fn problem(&self, span: Range<usize>, message: String, help: &str) -> Diagnostic {
        Diagnostic::error(Code::QuestionShape, message)
            .at(self.file, span)
            .help(help.to_owned())
    }

    /// Fields this type does not take.
    fn misplaced_fields(&self, raw: &RawQuestion, out: &mut Vec<Diagnostic>) {
        let ty = self.ty;
        let misplaced = [
            (
                "distractors",
                raw.distractors.as_ref().map(Spanned::span),
                self.uses_choices(),
            ),
            (
                "pairs",
                raw.pairs.as_ref().map(Spanned::span),
                ty == QuestionType::Matching,
            ),
            (
                "rubric",
                raw.rubric.as_ref().map(Spanned::span),
                ty == QuestionType::Essay,
            ),
            (
                "answer",
                raw.answer.as_ref().map(Spanned::span),
                ty != QuestionType::Matching,
            ),
        ];
        for (field, span, applies) in misplaced {
            if let Some(span) = span.filter(|_| !applies) {
                out.push(self.problem(
                    span,
                    format!(
                        "question {}: `{field}` does not apply to {} questions",
                        self.id,
                        ty.as_str()
                    ),
                    &format!("remove `{field}`, or change `type`; {}", shape(ty)),
                ));
            }
        }
    }

    fn missing(&self, field: &str) -> Diagnostic {
        self.problem(
            self.type_span.clone(),
            format!(
                "question {}: {} question needs `{field}`",
                self.id,
                article(self.ty)
            ),
            shape(self.ty),
        )
    }

    fn wrong(&self, answer: &Spanned<Value>) -> Diagnostic {
        self.problem(
            answer.span(),
            format!(
                "question {}: the answer of {} question must be {}",
                self.id,
                article(self.ty),
                answer_type(self.ty)
            ),
            shape(self.ty),
        )
    }

    /// The answer fields, typed.
    fn kind(
        &self,
        answer: Option<Spanned<Value>>,
        distractors: Option<Spanned<Vec<Spanned<String>>>>,
        pairs: Option<Spanned<Vec<Spanned<[String; 2]>>>>,
        rubric: Option<Spanned<String>>,
    ) -> Result<QuestionKind, Diagnostic> {
        let distractors = distractors.map(Spanned::into_inner).unwrap_or_default();
        match self.ty {
            QuestionType::Matching => {
                let pairs = pairs.ok_or_else(|| self.missing("pairs"))?;
                return Ok(QuestionKind::Matching {
                    pairs: pairs.into_inner(),
                });
            }
            QuestionType::Essay => {
                let rubric = rubric.ok_or_else(|| self.missing("rubric"))?;
                let model_answer = match answer {
                    None => None,
                    Some(a) => Some(string(&a).ok_or_else(|| self.wrong(&a))?.into_inner()),
                };
                return Ok(QuestionKind::Essay {
                    rubric: rubric.into_inner(),
                    model_answer,
                });
            }
            _ => {}
        }
        let a = answer.ok_or_else(|| self.missing("answer"))?;
        let kind = match self.ty {
            QuestionType::SingleChoice => string(&a).map(|answer| QuestionKind::SingleChoice {
                answer,
                distractors,
            }),
            QuestionType::MultipleChoice => strings(&a, self.text)
                .filter(|answers| !answers.is_empty())
                .map(|answers| QuestionKind::MultipleChoice {
                    answers,
                    distractors,
                }),
            QuestionType::TrueFalse => a.as_bool().map(|answer| QuestionKind::TrueFalse { answer }),
            _ => strings(&a, self.text)
                .or_else(|| string(&a).map(|s| vec![s]))
                .filter(|accepted| {
                    !accepted.is_empty() && accepted.iter().all(|s| !s.trim().is_empty())
                })
                .map(|accepted| QuestionKind::ShortAnswer {
                    accepted: accepted.into_iter().map(Spanned::into_inner).collect(),
                }),
        };
        kind.ok_or_else(|| self.wrong(&a))
    }
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
