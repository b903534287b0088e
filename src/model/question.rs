//! Questions: the loose shape a file holds, and the typed shape the rest of the tool uses.

use std::ops::Range;

use super::Spanned;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A `[[questions]]` table as written. Which answer fields it needs depends on `type`, so they
/// are all optional here; loading turns it into a [`Question`] or a diagnostic.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    /// A course-wide unique id, e.g. `AL-Q1`.
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    /// `type`: which answer fields it takes.
    pub kind: Spanned<QuestionType>,
    #[serde(default)]
    /// `practice` (default) or `exam`.
    pub bank: Bank,
    /// Ids of the objectives it assesses.
    pub objectives: Vec<Spanned<String>>,
    /// Markdown: the question.
    pub prompt: Spanned<String>,
    /// The answer: a string, an array of strings or a boolean, by type.
    #[serde(default)]
    #[schemars(schema_with = "super::schema::answer")]
    pub answer: Option<Spanned<toml::Value>>,
    /// Choice questions: the wrong choices.
    pub distractors: Option<Spanned<Vec<Spanned<String>>>>,
    /// Matching questions: `[left, right]` pairs.
    pub pairs: Option<Spanned<Vec<Spanned<[String; 2]>>>>,
    /// Essay questions: Markdown, how answers are graded.
    pub rubric: Option<Spanned<String>>,
    /// Markdown: why the answer is right; in keys and LMS feedback only.
    pub explanation: Option<String>,
    /// Points; default 1.
    pub points: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
/// The six kinds of question.
pub enum QuestionType {
    /// One correct choice among distractors.
    SingleChoice,
    /// Several correct choices among distractors.
    MultipleChoice,
    /// A statement that is true or false.
    TrueFalse,
    /// A typed answer matched against accepted answers.
    ShortAnswer,
    /// Pairs to match.
    Matching,
    /// A written answer graded with a rubric.
    Essay,
}

impl QuestionType {
    /// The name used in the source format.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionType::SingleChoice => "single-choice",
            QuestionType::MultipleChoice => "multiple-choice",
            QuestionType::TrueFalse => "true-false",
            QuestionType::ShortAnswer => "short-answer",
            QuestionType::Matching => "matching",
            QuestionType::Essay => "essay",
        }
    }
}

/// Practice items may be published; exam items are secure.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Bank {
    #[default]
    /// Knowledge checks: may be published.
    Practice,
    /// The final exam: secure.
    Exam,
}

impl Bank {
    /// The name used in the source format.
    pub fn as_str(self) -> &'static str {
        match self {
            Bank::Practice => "practice",
            Bank::Exam => "exam",
        }
    }
}

/// A question whose answer fields match its type. Serialized only for the parsed-module memo
/// (`load::memo`), never read from a source file. It hashes as what it says, not where it was
/// written (as [`Spanned`] does): keys made from a question (an LMS group's, a form's) stay
/// the same when an edit above it in its file moves it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Question {
    /// A course-wide unique id, e.g. `AL-Q1`.
    pub id: Spanned<String>,
    /// `practice` (default) or `exam`.
    pub bank: Bank,
    /// Ids of the objectives it assesses.
    pub objectives: Vec<Spanned<String>>,
    /// Markdown.
    pub prompt: Spanned<String>,
    /// Markdown: in keys and LMS feedback only.
    pub explanation: Option<String>,
    /// Points, at least 1.
    pub points: u32,
    /// The answer fields, by type.
    pub kind: QuestionKind,
    /// The `id` value, for diagnostics about the whole question.
    pub span: Range<usize>,
    /// The `distractors` or `pairs` value (else the id), for "too few choices".
    pub choices_span: Range<usize>,
}

#[derive(Debug, Clone, Hash, Serialize, Deserialize)]
/// The answer fields of each type.
pub enum QuestionKind {
    /// `single-choice`.
    SingleChoice {
        /// The correct choice.
        answer: Spanned<String>,
        /// The wrong choices.
        distractors: Vec<Spanned<String>>,
    },
    /// `multiple-choice`.
    MultipleChoice {
        /// The correct choices.
        answers: Vec<Spanned<String>>,
        /// The wrong choices.
        distractors: Vec<Spanned<String>>,
    },
    /// `true-false`.
    TrueFalse {
        /// Whether the statement is true.
        answer: bool,
    },
    /// `short-answer`.
    ShortAnswer {
        /// Every accepted answer.
        accepted: Vec<String>,
    },
    /// `matching`.
    Matching {
        /// `[left, right]` pairs, in source order.
        pairs: Vec<Spanned<[String; 2]>>,
    },
    /// `essay`.
    Essay {
        /// Markdown.
        rubric: String,
        /// Markdown: a model answer.
        model_answer: Option<String>,
    },
}

impl std::hash::Hash for Question {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Question {
            id,
            bank,
            objectives,
            prompt,
            explanation,
            points,
            kind,
            span: _,
            choices_span: _,
        } = self;
        id.hash(state);
        bank.hash(state);
        objectives.hash(state);
        prompt.hash(state);
        explanation.hash(state);
        points.hash(state);
        kind.hash(state);
    }
}

impl Question {
    /// The type this question's answer fields are of.
    pub fn question_type(&self) -> QuestionType {
        match self.kind {
            QuestionKind::SingleChoice { .. } => QuestionType::SingleChoice,
            QuestionKind::MultipleChoice { .. } => QuestionType::MultipleChoice,
            QuestionKind::TrueFalse { .. } => QuestionType::TrueFalse,
            QuestionKind::ShortAnswer { .. } => QuestionType::ShortAnswer,
            QuestionKind::Matching { .. } => QuestionType::Matching,
            QuestionKind::Essay { .. } => QuestionType::Essay,
        }
    }
}
