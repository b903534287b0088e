//! `coursepack outline`: a course at a glance, for its author: each module's minutes,
//! objectives, sections, activities, questions by bank and type, and which objectives are
//! taught and assessed where. As a table for a terminal, or as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::{Bank, Curriculum};

/// The outline of a checked curriculum.
#[derive(Debug, Serialize)]
pub struct Outline {
    /// The course id.
    pub id: String,
    /// The course title.
    pub title: String,
    /// The course version.
    pub version: String,
    /// Minutes of every module.
    pub minutes: u64,
    /// In teaching order.
    pub modules: Vec<ModuleOutline>,
}

/// One module of an [`Outline`].
#[derive(Debug, Serialize)]
pub struct ModuleOutline {
    /// The module id (its file stem).
    pub id: String,
    /// The module title.
    pub title: String,
    /// Minutes of its sections and activities.
    pub minutes: u64,
    /// Its sections, in teaching order.
    pub sections: Vec<Part>,
    /// Its activities.
    pub activities: Vec<Part>,
    /// Practice-bank question counts by type (`single-choice`, …).
    pub practice: BTreeMap<String, usize>,
    /// Exam-bank question counts by type.
    pub exam: BTreeMap<String, usize>,
    /// Each objective and where it is covered.
    pub objectives: Vec<Coverage>,
}

/// A section (named by its title) or an activity (by its id), how it runs and how long.
#[derive(Debug, Serialize)]
pub struct Part {
    /// The section's title or the activity's id.
    pub name: String,
    /// The section's method or the activity's kind, as printed.
    pub kind: String,
    /// How long it takes.
    pub minutes: u32,
}

/// Where one objective is taught and assessed.
#[derive(Debug, Serialize)]
pub struct Coverage {
    /// The objective id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Titles of the sections and ids of the activities that serve it.
    pub taught_by: Vec<String>,
    /// Ids of the practice questions that assess it.
    pub practice: Vec<String>,
    /// Ids of the exam questions that assess it.
    pub exam: Vec<String>,
}

impl Outline {
    /// The outline of `curriculum`.
    pub fn new(curriculum: &Curriculum) -> Self {
        let course = &curriculum.course;
        let modules = curriculum
            .modules
            .iter()
            .map(|m| {
                let module = &m.module;
                let (mut practice, mut exam) = (BTreeMap::new(), BTreeMap::new());
                for q in &module.questions {
                    let counts = match q.bank {
                        Bank::Practice => &mut practice,
                        Bank::Exam => &mut exam,
                    };
                    *counts
                        .entry(q.question_type().as_str().to_owned())
                        .or_default() += 1;
                }
                let objectives = module
                    .objectives
                    .iter()
                    .map(|o| {
                        let id = o.id.as_str();
                        let serves = |ids: &[crate::model::Spanned<String>]| {
                            ids.iter().any(|x| x.as_str() == id)
                        };
                        let taught_by = module
                            .sections
                            .iter()
                            .filter(|s| serves(&s.objectives))
                            .map(|s| s.title.clone())
                            .chain(
                                module
                                    .activities
                                    .iter()
                                    .filter(|a| serves(&a.objectives))
                                    .map(|a| a.id.to_string()),
                            )
                            .collect();
                        let assessed = |bank: Bank| {
                            module
                                .questions
                                .iter()
                                .filter(|q| q.bank == bank && serves(&q.objectives))
                                .map(|q| q.id.to_string())
                                .collect()
                        };
                        Coverage {
                            id: id.to_owned(),
                            text: o.text.clone(),
                            taught_by,
                            practice: assessed(Bank::Practice),
                            exam: assessed(Bank::Exam),
                        }
                    })
                    .collect();
                ModuleOutline {
                    id: m.id.clone(),
                    title: module.title.to_string(),
                    minutes: module.planned_minutes(),
                    sections: module
                        .sections
                        .iter()
                        .map(|s| Part {
                            name: s.title.clone(),
                            kind: s.method.label().to_owned(),
                            minutes: *s.minutes,
                        })
                        .collect(),
                    activities: module
                        .activities
                        .iter()
                        .map(|a| Part {
                            name: a.id.to_string(),
                            kind: a.kind.label().to_owned(),
                            minutes: *a.minutes,
                        })
                        .collect(),
                    practice,
                    exam,
                    objectives,
                }
            })
            .collect();
        Outline {
            id: course.id.to_string(),
            title: course.title.to_string(),
            version: course.version.to_string(),
            minutes: curriculum.minutes(),
            modules,
        }
    }

    /// Pretty-printed JSON, with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// A plain-text table per module.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} (version {}, {}): {} min in {} modules",
            self.title,
            self.version,
            self.id,
            self.minutes,
            self.modules.len()
        );
        for (n, m) in self.modules.iter().enumerate() {
            let _ = writeln!(out, "\n{}. {} [{}] {} min", n + 1, m.title, m.id, m.minutes);
            for (what, parts) in [("section ", &m.sections), ("activity", &m.activities)] {
                for p in parts {
                    let _ = writeln!(
                        out,
                        "   {:>4} min  {what}  {} ({})",
                        p.minutes, p.name, p.kind
                    );
                }
            }
            for (bank, types) in [("practice", &m.practice), ("exam", &m.exam)] {
                if types.is_empty() {
                    continue;
                }
                let total: usize = types.values().sum();
                let by_type: Vec<String> = types.iter().map(|(t, n)| format!("{n} {t}")).collect();
                let _ = writeln!(
                    out,
                    "   {total:>4} {bank} questions: {}",
                    by_type.join(", ")
                );
            }
            let width = m.objectives.iter().map(|o| o.id.len()).max().unwrap_or(0);
            for o in &m.objectives {
                let list = |ids: &[String]| {
                    if ids.is_empty() {
                        "none".to_owned()
                    } else {
                        ids.join(", ")
                    }
                };
                let _ = writeln!(
                    out,
                    "   {:<width$}  taught by {}; practice {}; exam {}",
                    o.id,
                    list(&o.taught_by),
                    list(&o.practice),
                    list(&o.exam),
                );
            }
        }
        out
    }
}
