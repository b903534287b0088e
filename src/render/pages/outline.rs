//! `instructor/outline`: the expanded course outline (modules, sections, methods, hours,
//! objectives with conditions and standards, evaluations, outside standards, instructors,
//! prerequisites) and the accreditation record (revisions, the objective matrix, contact hours).

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{Curriculum, Method, Spanned};
use crate::plan::Page;
use crate::render::view::{InstructorModule, format_hours};

#[derive(Serialize)]
struct OutlinePage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    modules: Vec<ModuleOutline<'a>>,
    prerequisites: &'a [String],
    /// `[instructors]`: `qualifications`, `learners_per_instructor`, `evaluators`.
    instructors: Option<InstructorsView<'a>>,
    standards: Vec<StandardView>,
    /// One row per objective: what teaches, assesses and evaluates it.
    matrix: Vec<MatrixRow<'a>>,
    hours: ContactHours,
}

#[derive(Serialize)]
struct ModuleOutline<'a> {
    module: &'a InstructorModule,
    /// Decimal hours, `1.75`.
    hours: String,
    /// Ids of its scored activities.
    evaluations: Vec<&'a str>,
}

#[derive(Serialize)]
struct InstructorsView<'a> {
    qualifications: &'a [String],
    learners_per_instructor: Option<u32>,
    evaluators: Option<u32>,
}

#[derive(Serialize)]
struct StandardView {
    id: String,
    title: String,
    body: Option<String>,
    /// `(id, text)` of each objective that meets it.
    objectives: Vec<(String, String)>,
    /// Minutes of the sections and activities that serve those objectives.
    minutes: u64,
    hours: String,
    /// Ids of the scored activities that evaluate those objectives.
    evaluations: Vec<String>,
}

#[derive(Serialize)]
struct MatrixRow<'a> {
    id: &'a str,
    text: &'a str,
    taught_by: Vec<String>,
    questions: &'a [String],
    activities: &'a [String],
    evaluations: Vec<String>,
}

/// Contact hours: every section and activity, by kind, and the exam.
#[derive(Serialize)]
struct ContactHours {
    instruction: String,
    practice: String,
    exam: String,
    total: String,
    /// Total minutes, as `15 h 45 min`.
    total_clock: String,
}

pub(in crate::render) fn render(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let curriculum = r.plan.curriculum;
    let course = &curriculum.course;
    let views = r.views.all_instructor();
    let views: Vec<&InstructorModule> = views.iter().map(AsRef::as_ref).collect();
    let modules = views
        .iter()
        .copied()
        .map(|m| ModuleOutline {
            module: m,
            hours: decimal_hours(m.core.minutes),
            evaluations: m
                .activities
                .iter()
                .filter(|a| a.evaluation.is_some())
                .map(|a| a.core.id.as_str())
                .collect(),
        })
        .collect();
    let matrix = views
        .iter()
        .copied()
        .flat_map(|m| {
            m.objectives.iter().map(move |o| MatrixRow {
                id: &o.objective.id,
                text: &o.objective.text,
                taught_by: m
                    .sections
                    .iter()
                    .filter(|s| s.section.objectives.contains(&o.objective.id))
                    .map(|s| format!("{}.{} {}", m.core.number, s.section.number, s.section.title))
                    .collect(),
                questions: &o.questions,
                activities: &o.activities,
                evaluations: evaluations_of(m, &[o.objective.id.as_str()]),
            })
        })
        .collect();
    let standards = course
        .standards
        .iter()
        .map(|s| {
            let ids: Vec<&str> = s.objectives.iter().map(|o| o.as_str()).collect();
            let minutes = minutes_serving(curriculum, &ids);
            StandardView {
                id: s.id.to_string(),
                title: s.title.clone(),
                body: s.body.clone().or_else(|| {
                    course
                        .certification
                        .as_ref()
                        .and_then(|c| c.jurisdiction.clone())
                }),
                objectives: views
                    .iter()
                    .flat_map(|m| &m.objectives)
                    .filter(|o| ids.contains(&o.objective.id.as_str()))
                    .map(|o| (o.objective.id.clone(), o.objective.text.clone()))
                    .collect(),
                minutes,
                hours: decimal_hours(minutes),
                evaluations: views.iter().flat_map(|m| evaluations_of(m, &ids)).collect(),
            }
        })
        .collect();
    let (mut instruction, mut practice) = (0, 0);
    for m in &curriculum.modules {
        for s in &m.module.sections {
            let minutes = u64::from(*s.minutes);
            match s.method {
                Method::RolePlay | Method::Scenario | Method::Tabletop => practice += minutes,
                _ => instruction += minutes,
            }
        }
        practice += m
            .module
            .activities
            .iter()
            .map(|a| u64::from(*a.minutes))
            .sum::<u64>();
    }
    let exam = u64::from(course.exam.as_ref().and_then(|e| e.minutes).unwrap_or(0));
    let total = instruction + practice + exam;
    let context = OutlinePage {
        base: r.base(page),
        modules,
        prerequisites: &course.prerequisites,
        instructors: course.instructors.as_ref().map(|i| InstructorsView {
            qualifications: &i.qualifications,
            learners_per_instructor: i.learners_per_instructor.as_deref().copied(),
            evaluators: i.evaluators.as_deref().copied(),
        }),
        standards,
        matrix,
        hours: ContactHours {
            instruction: decimal_hours(instruction),
            practice: decimal_hours(practice),
            exam: decimal_hours(exam),
            total: decimal_hours(total),
            total_clock: format_hours(total),
        },
    };
    r.both(page, "outline", &context)
}

/// Ids of `module`'s scored activities that serve any of `objectives`.
fn evaluations_of(module: &InstructorModule, objectives: &[&str]) -> Vec<String> {
    module
        .activities
        .iter()
        .filter(|a| a.evaluation.is_some())
        .filter(|a| {
            a.core
                .objectives
                .iter()
                .any(|o| objectives.contains(&o.as_str()))
        })
        .map(|a| a.core.id.clone())
        .collect()
}

/// Minutes of every section and activity that serves one of `objectives`.
fn minutes_serving(curriculum: &Curriculum, objectives: &[&str]) -> u64 {
    let serves = |refs: &[Spanned<String>]| refs.iter().any(|r| objectives.contains(&r.as_str()));
    curriculum
        .modules
        .iter()
        .map(|m| {
            let sections = m
                .module
                .sections
                .iter()
                .filter(|s| serves(&s.objectives))
                .map(|s| u64::from(*s.minutes));
            let activities = m
                .module
                .activities
                .iter()
                .filter(|a| serves(&a.objectives))
                .map(|a| u64::from(*a.minutes));
            sections.chain(activities).sum::<u64>()
        })
        .sum()
}

/// Minutes as decimal hours to two places, the way accreditation forms count them: `1.75`.
fn decimal_hours(minutes: u64) -> String {
    let hundredths = (minutes * 100 + 30) / 60;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

#[cfg(test)]
mod tests {
    use super::decimal_hours;

    #[test]
    fn hours_to_two_places() {
        assert_eq!(decimal_hours(105), "1.75");
        assert_eq!(decimal_hours(945), "15.75");
        assert_eq!(decimal_hours(10), "0.17");
    }
}
