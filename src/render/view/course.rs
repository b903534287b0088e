//! What every page knows of the course: its metadata, length, revisions and exam settings.

use serde::Serialize;

use super::Text;
use crate::plan::Plan;

/// The course, as every template sees it under `course`.
#[derive(Debug, Clone, Serialize)]
pub struct CourseView {
    /// `id` of course.toml.
    pub id: String,
    /// `title`.
    pub title: String,
    /// `version`.
    pub version: String,
    /// `language`, for the pages' `lang`.
    pub language: String,
    /// `organization`.
    pub organization: Option<String>,
    /// `audience`.
    pub audience: Option<String>,
    /// `purpose`, rendered.
    pub purpose: Option<Text>,
    /// `[certification].jurisdiction`.
    pub certification_jurisdiction: Option<String>,
    /// `[certification].number`.
    pub certification_number: Option<String>,
    /// The newest revision's date, the handbook's date.
    pub date: Option<String>,
    /// `[[revisions]]`, newest first.
    pub revisions: Vec<RevisionView>,
    /// Minutes of every section and activity.
    pub minutes: u64,
    /// The same as `2 h 30 min`.
    pub hours: String,
    /// How many modules.
    pub module_count: usize,
    /// `[exam]`, when there is one.
    pub exam: Option<ExamView>,
    /// From `SOURCE_DATE_EPOCH` only.
    pub built: Option<String>,
}

/// One `[[revisions]]` entry; absent values are empty strings.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    /// `version`.
    pub version: String,
    /// `date`, `YYYY-MM-DD`.
    pub date: String,
    /// `author`.
    pub author: String,
    /// `summary`.
    pub summary: String,
    /// `approved_by`.
    pub approved_by: String,
}

/// `[exam]` and the forms drawn from it.
#[derive(Debug, Clone, Serialize)]
pub struct ExamView {
    /// Form letters, `A`, `B`, …
    pub forms: Vec<char>,
    /// `questions_per_module`.
    pub questions_per_module: Option<u32>,
    /// `pass_percent`.
    pub pass_percent: Option<u32>,
    /// `minutes`.
    pub minutes: Option<u32>,
}

impl CourseView {
    /// The course of `plan`.
    pub fn new(plan: &Plan<'_>) -> Self {
        let curriculum = plan.curriculum;
        let course = &curriculum.course;
        let minutes = curriculum.minutes();
        let revisions: Vec<RevisionView> = course
            .revisions
            .iter()
            .map(|r| RevisionView {
                version: r.version.as_deref().cloned().unwrap_or_default(),
                date: r.date.as_ref().map(|d| d.to_string()).unwrap_or_default(),
                author: r.author.clone().unwrap_or_default(),
                summary: r.summary.clone().unwrap_or_default(),
                approved_by: r.approved_by.clone().unwrap_or_default(),
            })
            .collect();
        let certification = course.certification.as_ref();
        CourseView {
            id: course.id.to_string(),
            title: course.title.to_string(),
            version: course.version.to_string(),
            language: course.language.clone(),
            organization: course.organization.clone(),
            audience: course.audience.clone(),
            purpose: course
                .purpose
                .as_deref()
                .map(|p| Text::block(p, 2, "purpose")),
            certification_jurisdiction: certification.and_then(|c| c.jurisdiction.clone()),
            certification_number: certification.and_then(|c| c.number.clone()),
            date: revisions
                .first()
                .map(|r| r.date.clone())
                .filter(|d| !d.is_empty()),
            revisions,
            minutes,
            hours: format_hours(minutes),
            module_count: curriculum.modules.len(),
            exam: course.exam.as_ref().map(|e| ExamView {
                forms: plan.forms.iter().map(|f| f.letter).collect(),
                questions_per_module: e.questions_per_module.as_deref().copied(),
                pass_percent: e.pass_percent.as_deref().copied(),
                minutes: e.minutes,
            }),
            built: plan.built.clone(),
        }
    }
}

/// `2 h 30 min`, `45 min`, `3 h`.
pub(crate) fn format_hours(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// `h:mm` from the start of a module or course.
pub(crate) fn clock_time(minutes: u64) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}
