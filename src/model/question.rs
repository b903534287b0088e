//! Questions: the loose shape a file holds, and the typed shape the rest of the tool uses.

use std::ops::Range;

use super::Spanned;
use serde::Deserialize;

/// A `[[questions]]` table as written. Which answer fields it needs depends on `type`, so they
/// are all optional here; loading turns it into a [`Question`] or a diagnostic.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<QuestionType>,
    #[serde(default)]
    pub bank: Bank,
    pub objectives: Vec<Spanned<String>>,
    pub prompt: Spanned<String>,
    pub answer: Option<Spanned<toml::Value>>,
    pub distractors: Option<Spanned<Vec<Spanned<String>>>>,
    pub pairs: Option<Spanned<Vec<Spanned<[String; 2]>>>>,
    pub rubric: Option<Spanned<String>>,
    pub explanation: Option<String>,
    pub points: Option<Spanned<u32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionType {
    SingleChoice,
    MultipleChoice,
    TrueFalse,
    ShortAnswer,
    Matching,
    Essay,
}

impl QuestionType {
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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bank {
    #[default]
    Practice,
    Exam,
}

impl Bank {
    pub fn as_str(self) -> &'static str {
        match self {
            Bank::Practice => "practice",
            Bank::Exam => "exam",
        }
    }
}

/// A question whose answer fields match its type.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: Spanned<String>,
    pub bank: Bank,
    pub objectives: Vec<Spanned<String>>,
    /// Markdown.
    pub prompt: Spanned<String>,
    /// Markdown: in keys and LMS feedback only.
    pub explanation: Option<String>,
    pub points: u32,
    pub kind: QuestionKind,
    /// The `id` value, for diagnostics about the whole question.
    pub span: Range<usize>,
    /// The `distractors` or `pairs` value (else the id), for "too few choices".
    pub choices_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum QuestionKind {
    SingleChoice {
        answer: Spanned<String>,
        distractors: Vec<Spanned<String>>,
    },
    MultipleChoice {
        answers: Vec<Spanned<String>>,
        distractors: Vec<Spanned<String>>,
    },
    TrueFalse {
        answer: bool,
    },
    ShortAnswer {
        accepted: Vec<String>,
    },
    Matching {
        pairs: Vec<Spanned<[String; 2]>>,
    },
    Essay {
        /// Markdown.
        rubric: String,
        /// Markdown: a model answer.
        model_answer: Option<String>,
    },
}

impl Question {
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
