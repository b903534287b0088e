//! `instructor/outline`: the expanded course outline (modules, sections, methods, hours,
//! objectives with conditions and standards, evaluations, outside standards, instructors,
//! prerequisites) and the accreditation record (revisions, the objective matrix, contact hours).

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{Curriculum, Method, Spanned};
use crate::plan::Page;
use rayon::prelude::*;
use std::sync::{Mutex, PoisonError};

use crate::render::view::{EvaluationView, InstructorModule, ObjectiveView, format_hours};
use crate::render::walk;

#[derive(Serialize)]
struct OutlinePage<'a, E> {
    #[serde(flatten)]
    base: PageBase<'a>,
    /// Per module a [`ModuleOutline`], or in a frame a [`FrameEntry`].
    modules: Vec<E>,
    prerequisites: &'a [String],
    /// `[instructors]`: `qualifications`, `learners_per_instructor`, `evaluators`.
    instructors: Option<InstructorsView<'a>>,
    standards: Vec<StandardView>,
    /// One row per objective: what teaches, assesses and evaluates it.
    matrix: Vec<MatrixRow>,
    hours: ContactHours,
}

#[derive(Serialize)]
struct ModuleOutline<M> {
    /// The module's view, or, with the built-in templates, what of it they print.
    module: M,
    /// Decimal hours, `1.75`.
    hours: String,
    /// Ids of its scored activities.
    evaluations: Vec<String>,
    /// Its rows of the objective matrix.
    rows: Vec<MatrixRow>,
}

/// A module as the outline's frame shows it around its two parts, its entry and its rows of
/// the matrix (see [`crate::render::walk`]): what the contact-hours table prints.
#[derive(Serialize)]
struct FrameEntry<'a> {
    module: FrameModule<'a>,
    hours: String,
    /// The marks its entry and its rows of the matrix are written at.
    fragment: String,
    matrix_fragment: String,
}

#[derive(Serialize)]
struct FrameModule<'a> {
    number: usize,
    title: &'a str,
}

/// The context of a module's entry, `html|md/outline-module`, or of its rows of the matrix,
/// `html|md/outline-matrix`: the outline's loops call the module `m`.
#[derive(Serialize)]
struct PartOf<T> {
    m: T,
}

/// What the built-in outline templates print of a module: the outline is made a module at a
/// time from these, not from every module's view at once.
#[derive(Serialize)]
struct Outlined {
    id: String,
    number: usize,
    title: String,
    objectives: Vec<ObjectiveView>,
    sections: Vec<OutlinedSection>,
    activities: Vec<OutlinedActivity>,
}

#[derive(Serialize)]
struct OutlinedSection {
    number: usize,
    title: String,
    method: String,
    minutes: u32,
}

#[derive(Serialize)]
struct OutlinedActivity {
    id: String,
    title: String,
    kind: String,
    minutes: u32,
    evaluation: Option<EvaluationView>,
}

impl Outlined {
    fn of(m: &InstructorModule) -> Self {
        Outlined {
            id: m.core.id.clone(),
            number: m.core.number,
            title: m.core.title.clone(),
            objectives: m.objectives.iter().map(|o| o.objective.clone()).collect(),
            sections: m
                .sections
                .iter()
                .map(|s| OutlinedSection {
                    number: s.section.number,
                    title: s.section.title.clone(),
                    method: s.section.method.clone(),
                    minutes: s.section.minutes,
                })
                .collect(),
            activities: m
                .activities
                .iter()
                .map(|a| OutlinedActivity {
                    id: a.core.id.clone(),
                    title: a.core.title.clone(),
                    kind: a.core.kind.clone(),
                    minutes: a.core.minutes,
                    evaluation: a.evaluation.clone(),
                })
                .collect(),
        }
    }
}

/// What one module gives an outside standard: the `(id, text)` of its objectives that meet it,
/// and the ids of its scored activities that evaluate them.
type Meets = (Vec<(String, String)>, Vec<String>);

/// What the outline takes from one module: its entry, its rows of the objective matrix, and
/// for each outside standard the `(id, text)` of its objectives that meet it and the ids of its
/// scored activities that evaluate them.
struct Parts<M> {
    module: M,
    hours: String,
    /// Ids of its scored activities.
    evaluations: Vec<String>,
    rows: Vec<MatrixRow>,
    standards: Vec<Meets>,
}

fn parts<M>(m: &InstructorModule, standards: &[Vec<&str>], module: M) -> Parts<M> {
    let rows = m
        .objectives
        .iter()
        .map(|o| MatrixRow {
            id: o.objective.id.clone(),
            text: o.objective.text.clone(),
            taught_by: m
                .sections
                .iter()
                .filter(|s| s.section.objectives.contains(&o.objective.id))
                .map(|s| format!("{}.{} {}", m.core.number, s.section.number, s.section.title))
                .collect(),
            questions: o.questions.clone(),
            activities: o.activities.clone(),
            evaluations: evaluations_of(m, &[o.objective.id.as_str()]),
        })
        .collect();
    let standards = standards
        .iter()
        .map(|ids| {
            let objectives = m
                .objectives
                .iter()
                .filter(|o| ids.contains(&o.objective.id.as_str()))
                .map(|o| (o.objective.id.clone(), o.objective.text.clone()))
                .collect();
            (objectives, evaluations_of(m, ids))
        })
        .collect();
    Parts {
        module,
        hours: decimal_hours(m.core.minutes),
        evaluations: m
            .activities
            .iter()
            .filter(|a| a.evaluation.is_some())
            .map(|a| a.core.id.clone())
            .collect(),
        rows,
        standards,
    }
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

#[derive(Clone, Serialize)]
struct MatrixRow {
    id: String,
    text: String,
    taught_by: Vec<String>,
    questions: Vec<String>,
    activities: Vec<String>,
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
    let course = &r.plan.curriculum.course;
    let ids: Vec<Vec<&str>> = course
        .standards
        .iter()
        .map(|s| s.objectives.iter().map(|o| o.as_str()).collect())
        .collect();
    if r.marks {
        return render_in_parts(r, page, &ids);
    }
    let views = r.views.all_instructor();
    let parts = views
        .iter()
        .map(|view| parts(view, &ids, view.as_ref()))
        .collect();
    render_from(r, page, &ids, parts)
}

fn render_from<M: Serialize>(
    r: &Renderer<'_>,
    page: &Page,
    ids: &[Vec<&str>],
    parts: Vec<Parts<M>>,
) -> Result<(), Diagnostic> {
    let mut matrix = Vec::new();
    let mut met = no_meets(ids);
    let mut modules = Vec::with_capacity(parts.len());
    for part in parts {
        matrix.extend(part.rows.iter().cloned());
        meet(&mut met, part.standards);
        modules.push(ModuleOutline {
            module: part.module,
            hours: part.hours,
            evaluations: part.evaluations,
            rows: part.rows,
        });
    }
    r.both(
        page,
        "outline",
        &context(r, page, ids, modules, matrix, met),
    )
}

/// The outline written in parts (see [`crate::render::walk`]), with the built-in templates:
/// a frame around every module's entry and then every module's rows of the matrix, each made
/// from the module's view in turn, a window of modules at a time. A module's rows are
/// rendered with its entry and wait, rendered, for the matrix.
fn render_in_parts(r: &Renderer<'_>, page: &Page, ids: &[Vec<&str>]) -> Result<(), Diagnostic> {
    let files = &r.plan.curriculum.modules;
    let count = files.len();
    let mut met = no_meets(ids);
    if !ids.is_empty() {
        let meets: Vec<Vec<Meets>> = (0..count)
            .into_par_iter()
            .map(|i| parts(&r.views.get(i), ids, ()).standards)
            .collect();
        for standards in meets {
            meet(&mut met, standards);
        }
    }
    let entries = files
        .iter()
        .enumerate()
        .map(|(i, file)| FrameEntry {
            module: FrameModule {
                number: i + 1,
                title: file.module.title.get_ref(),
            },
            hours: decimal_hours(file.module.planned_minutes()),
            fragment: walk::fragment_mark(i),
            matrix_fragment: walk::fragment_mark(count + i),
        })
        .collect();
    let frame = r.frame_of(
        page,
        "outline",
        &[("module", count), ("matrix", count)],
        &context(r, page, ids, entries, Vec::new(), met),
    )?;
    let rows: Vec<Mutex<Option<Vec<walk::Made>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    r.write_parts(&frame, 2 * count, |j| {
        let i = j % count;
        let waiting = |i: usize| rows[i].lock().unwrap_or_else(PoisonError::into_inner);
        // A module's rows wait from its entry, unless the two were made side by side.
        if j >= count
            && let Some(done) = waiting(i).take()
        {
            return Ok(done);
        }
        let view = r.views.get(i);
        let part = parts(&view, &[], Outlined::of(&view));
        let matrix = r.parts(
            &frame,
            count + i,
            &PartOf {
                m: Rows { rows: &part.rows },
            },
        )?;
        if j >= count {
            return Ok(matrix);
        }
        *waiting(i) = Some(matrix);
        let entry = ModuleOutline {
            module: part.module,
            hours: part.hours,
            evaluations: part.evaluations,
            rows: Vec::new(),
        };
        r.parts(&frame, i, &PartOf { m: entry })
    })
}

/// A module's rows of the matrix, for `html|md/outline-matrix`.
#[derive(Serialize)]
struct Rows<'a> {
    rows: &'a [MatrixRow],
}

/// What every outside standard is given, before any module.
fn no_meets(ids: &[Vec<&str>]) -> Vec<Meets> {
    (0..ids.len()).map(|_| Default::default()).collect()
}

/// Adds what one module gives each outside standard.
fn meet(met: &mut [Meets], module: Vec<Meets>) {
    for ((objectives, evaluations), (o, e)) in met.iter_mut().zip(module) {
        objectives.extend(o);
        evaluations.extend(e);
    }
}

/// The outline's context around `modules` and `matrix`: the standards with what the modules
/// give them (`met`) and the contact hours.
fn context<'a, E>(
    r: &'a Renderer<'_>,
    page: &'a Page,
    ids: &[Vec<&str>],
    modules: Vec<E>,
    matrix: Vec<MatrixRow>,
    met: Vec<Meets>,
) -> OutlinePage<'a, E> {
    let curriculum = r.plan.curriculum;
    let course = &curriculum.course;
    let standards = course
        .standards
        .iter()
        .zip(ids)
        .zip(met)
        .map(|((s, ids), (objectives, evaluations))| {
            let minutes = minutes_serving(curriculum, ids);
            StandardView {
                id: s.id.to_string(),
                title: s.title.clone(),
                body: s.body.clone().or_else(|| {
                    course
                        .certification
                        .as_ref()
                        .and_then(|c| c.jurisdiction.clone())
                }),
                objectives,
                minutes,
                hours: decimal_hours(minutes),
                evaluations,
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
    OutlinePage {
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
    }
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
