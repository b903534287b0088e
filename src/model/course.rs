//! `course.toml`: metadata, module order, certification, revision history and exam settings.

use std::collections::BTreeMap;

use super::Spanned;
use super::training::{EvaluationSettings, Instructors, Schedule, Standard};
use crate::diagnostic::LintLevel;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

/// The whole of `course.toml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// The course id: letters, digits, `-`, `_`, `.`; names the LMS files.
    pub id: Spanned<String>,
    /// The course title.
    pub title: Spanned<String>,
    /// The version being taught; the newest `[[revisions]]` entry must match it.
    pub version: Spanned<String>,
    #[serde(default = "default_language")]
    /// The language of the course text, as a BCP 47 tag (`en`, `es`); default `en`.
    pub language: String,
    /// Who teaches the course.
    pub organization: Option<String>,
    /// Who the course is for.
    pub audience: Option<String>,
    /// Markdown: why the course exists.
    pub purpose: Option<String>,
    /// Module ids in teaching order; each names `modules/<id>.toml`.
    pub modules: Spanned<Vec<Spanned<String>>>,
    /// Shuffles knowledge checks.
    #[serde(default)]
    pub seed: u64,
    /// `[certification]`: the approval the course holds.
    pub certification: Option<Certification>,
    /// Newest first.
    #[serde(default)]
    pub revisions: Vec<Spanned<Revision>>,
    /// `[exam]`: the final test; without it, no exam forms are drawn.
    pub exam: Option<Spanned<ExamSettings>>,
    /// `[lints]`: the level of each warning, by name or code.
    #[serde(default)]
    pub lints: BTreeMap<Spanned<String>, Spanned<LintLevel>>,
    /// How many learners a class holds: scored activities must let each of them perform.
    pub class_size: Option<Spanned<u32>>,
    /// What a learner must have done or hold before the course.
    #[serde(default)]
    pub prerequisites: Vec<String>,
    /// `[evaluation]`: the default rating scale, pass standard and remediation of scored
    /// activities.
    pub evaluation: Option<EvaluationSettings>,
    /// `[schedule]`: training days with clock times, breaks, meals, checks and the exam.
    pub schedule: Option<Spanned<Schedule>>,
    /// `[[standards]]`: an outside body's learning domains and the objectives that meet them.
    #[serde(default)]
    pub standards: Vec<Standard>,
    /// `[instructors]`: qualifications and ratios.
    pub instructors: Option<Instructors>,
    /// Languages built besides `language`, each from `course.<lang>.toml`,
    /// `modules/<id>.<lang>.toml` and `handouts/<id>.<lang>.toml`, into `<out>/<lang>/`.
    #[serde(default)]
    pub translations: Vec<Spanned<String>>,
    /// Learner handouts in the order the index lists them; each names `handouts/<id>.toml`.
    #[serde(default)]
    pub handouts: Vec<Spanned<String>>,
    /// `[variables]`: values that `${name}` placeholders in any text take; `--var name=value`
    /// overrides them.
    #[serde(default)]
    pub variables: BTreeMap<Spanned<String>, Spanned<String>>,
}

fn default_language() -> String {
    "en".to_owned()
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// `[certification]`: which body approved the course, and under which number.
pub struct Certification {
    /// The approving body or state.
    pub jurisdiction: Option<String>,
    /// The approval or course number.
    pub number: Option<String>,
}

/// One entry of the revision and approval record.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// The version this entry records.
    pub version: Option<Spanned<String>>,
    /// When, as a TOML date (`2026-11-01`).
    #[serde(default)]
    #[schemars(schema_with = "super::schema::date")]
    pub date: Option<Spanned<Datetime>>,
    /// Who made the change.
    pub author: Option<String>,
    /// What changed.
    pub summary: Option<String>,
    /// Who approved it.
    pub approved_by: Option<String>,
}

/// `[exam]`: how the final test's forms are drawn.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamSettings {
    /// Same seed and same source give byte-identical forms.
    #[serde(default)]
    pub seed: u64,
    #[serde(default = "one")]
    /// How many forms to draw (A, B, …); default 1.
    pub forms: Spanned<u32>,
    /// Items each form draws from each module's exam bank, unless `[exam.blueprint]` names the
    /// module. Without either, one form takes the whole bank and several forms split it.
    pub questions_per_module: Option<Spanned<u32>>,
    /// The pass mark, in percent of the points.
    pub pass_percent: Option<Spanned<u32>>,
    /// The time allowed.
    pub minutes: Option<u32>,
    /// `[exam.blueprint]`: items per module and per objective on every form.
    #[serde(default)]
    pub blueprint: Blueprint,
}

/// `[exam.blueprint]`: what every form must hold. By default each form covers every objective
/// that has exam items at least once; `objectives` raises (or, with 0, waives) that for an
/// objective, and `modules` sets how many items a form draws from a module.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Blueprint {
    /// Module id to the number of items each form draws from its exam bank; overrides
    /// `questions_per_module` for that module.
    #[serde(default)]
    pub modules: BTreeMap<Spanned<String>, Spanned<u32>>,
    /// Objective id to the least number of items on each form that assess it (default 1 for an
    /// objective with exam items; 0 leaves it to chance).
    #[serde(default)]
    pub objectives: BTreeMap<Spanned<String>, Spanned<u32>>,
}

fn one() -> Spanned<u32> {
    Spanned::new(0..0, 1)
}
