//! `exam/form-<x>.json`: one form's manifest, what grading reads: the course, the seed, a hash
//! of the source, and per item its question, module, objectives, points, type, displayed
//! choices and key. The blueprint page is drawn from the same records.

use serde::Serialize;

use super::super::{Artefact, Renderer};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::QuestionKind;
use crate::plan::{ChoiceSource, ExamForm, Page, label};

/// One form, as its manifest records it. Field order is the JSON's key order.
#[derive(Serialize)]
pub(super) struct FormManifest<'a> {
    /// `coursepack-form/1`: the manifest's own format version.
    pub(super) format: &'static str,
    pub(super) course: &'a str,
    pub(super) version: &'a str,
    pub(super) form: char,
    pub(super) seed: u64,
    pub(super) source_hash: &'a str,
    pub(super) total_points: u32,
    pub(super) items: Vec<ManifestItem<'a>>,
}

/// One item of a form.
#[derive(Serialize)]
pub(super) struct ManifestItem<'a> {
    pub(super) number: usize,
    pub(super) question: &'a str,
    pub(super) module: &'a str,
    pub(super) objectives: Vec<&'a str>,
    pub(super) points: u32,
    #[serde(rename = "type")]
    pub(super) kind: &'static str,
    /// Choice and true-false items, in displayed order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) choices: Vec<ManifestChoice<'a>>,
    /// Letters of the correct choices.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) correct: Vec<String>,
    /// Matching: the right-hand items in displayed order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) right: Vec<ManifestChoice<'a>>,
    /// Matching: for each left item in source order, its text and its right item's letter.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) pairs: Vec<(&'a str, String)>,
}

/// One displayed choice: its letter, where it comes from in the source, and its text.
#[derive(Serialize)]
pub(super) struct ManifestChoice<'a> {
    pub(super) letter: String,
    /// `answer`, `answers[i]`, `distractors[i]`, `true`, `false` or `pairs[i]`.
    pub(super) source: String,
    pub(super) text: &'a str,
}

/// The manifest of `form`.
pub(super) fn manifest<'a>(
    r: &'a Renderer<'_>,
    form: &'a ExamForm<'_>,
    hash: &'a str,
) -> FormManifest<'a> {
    let course = &r.plan.curriculum.course;
    let items = form
        .items
        .iter()
        .map(|placed| {
            let q = placed.question;
            let choices = placed
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| ManifestChoice {
                    letter: label(i),
                    source: match c {
                        ChoiceSource::Answer(n) => match q.kind {
                            QuestionKind::MultipleChoice { .. } => format!("answers[{n}]"),
                            _ => "answer".to_owned(),
                        },
                        ChoiceSource::Distractor(n) => format!("distractors[{n}]"),
                        ChoiceSource::Bool(b) => b.to_string(),
                    },
                    text: c.text(q),
                })
                .collect();
            let (right, pairs) = match &q.kind {
                QuestionKind::Matching { pairs } => (
                    placed
                        .right_order
                        .iter()
                        .enumerate()
                        .map(|(i, &p)| ManifestChoice {
                            letter: label(i),
                            source: format!("pairs[{p}]"),
                            text: pairs[p][1].as_str(),
                        })
                        .collect(),
                    pairs
                        .iter()
                        .zip(placed.matching_key())
                        .map(|(pair, key)| (pair[0].as_str(), key))
                        .collect(),
                ),
                _ => (Vec::new(), Vec::new()),
            };
            ManifestItem {
                number: placed.number,
                question: q.id.as_str(),
                module: placed.module.id.as_str(),
                objectives: q.objectives.iter().map(|o| o.as_str()).collect(),
                points: q.points,
                kind: q.question_type().as_str(),
                choices,
                correct: placed.correct_letters(),
                right,
                pairs,
            }
        })
        .collect();
    FormManifest {
        format: "coursepack-form/1",
        course: course.id.as_str(),
        version: course.version.as_str(),
        form: form.letter,
        seed: r.plan.exam_seed,
        source_hash: hash,
        total_points: form.items.iter().map(|p| p.question.points).sum(),
        items,
    }
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
    form: usize,
) -> Result<(), Diagnostic> {
    let manifest = manifest(r, &r.plan.forms[form], r.source_hash());
    let mut bytes = serde_json::to_vec_pretty(&manifest).map_err(|err| {
        Diagnostic::error(
            Code::TemplateRender,
            format!("cannot write {}: {err}", page.path()),
        )
    })?;
    bytes.push(b'\n');
    r.put(Artefact {
        path: page.path(),
        bytes,
    })
}
