//! `course.toml`: metadata, module order, certification, revision history and exam settings.

use std::collections::BTreeMap;

use super::Spanned;
use crate::diagnostic::LintLevel;
use serde::Deserialize;
use toml::value::Datetime;

/// The whole of `course.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    pub version: Spanned<String>,
    #[serde(default = "default_language")]
    pub language: String,
    pub organization: Option<String>,
    pub audience: Option<String>,
    /// Markdown: why the course exists.
    pub purpose: Option<String>,
    /// Module ids in teaching order; each names `modules/<id>.toml`.
    pub modules: Spanned<Vec<Spanned<String>>>,
    /// Shuffles knowledge checks.
    #[serde(default)]
    pub seed: u64,
    pub certification: Option<Certification>,
    /// Newest first.
    #[serde(default)]
    pub revisions: Vec<Spanned<Revision>>,
    pub exam: Option<Spanned<ExamSettings>>,
    /// `[lints]`: the level of each warning, by name or code.
    #[serde(default)]
    pub lints: BTreeMap<Spanned<String>, Spanned<LintLevel>>,
}

fn default_language() -> String {
    "en".to_owned()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub jurisdiction: Option<String>,
    pub number: Option<String>,
}

/// One entry of the revision and approval record.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    pub version: Option<Spanned<String>>,
    pub date: Option<Spanned<Datetime>>,
    pub author: Option<String>,
    pub summary: Option<String>,
    pub approved_by: Option<String>,
}

/// `[exam]`: how the final test's forms are drawn.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExamSettings {
    /// Same seed and same source give byte-identical forms.
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "one")]
    pub forms: Spanned<u32>,
    /// Drawn from each module's exam bank; all of it when absent.
    pub questions_per_module: Option<Spanned<u32>>,
    pub pass_percent: Option<Spanned<u32>>,
    pub minutes: Option<u32>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}
