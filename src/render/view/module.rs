//! A module as templates see it, in two shapes: [`LearnerModule`] holds only what may be
//! published; [`InstructorModule`] adds notes, checklists, role briefs and the objective map.
//! The learner shape has no field for a secret, so no template can leak one.

use serde::Serialize;

use super::Text;
use super::course::clock_time;
use super::evaluation::{EvaluationView, LearnerCriterion};
use crate::model::{EvaluationSettings, ModuleFile, Spanned};

/// What learner and instructor views of a module share.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleCore {
    /// The file stem.
    pub id: String,
    /// Its place in the course, from 1.
    pub number: usize,
    /// `title`.
    pub title: String,
    /// `goal`, rendered.
    pub goal: Option<Text>,
    /// Minutes of its sections and activities.
    pub minutes: u64,
    /// `materials`.
    pub materials: Vec<String>,
    /// `[[terms]]`.
    pub terms: Vec<TermView>,
    /// `[[sources]]`.
    pub sources: Vec<SourceView>,
    /// Sections then activities, with a running clock from the module's start.
    pub timeline: Vec<TimelineRow>,
}

/// A module as learners may see it: the public parts of an [`InstructorModule`], borrowed, in
/// a type that has no field for anything else.
#[derive(Debug, Clone, Serialize)]
pub struct LearnerModule<'a> {
    /// What both views share.
    #[serde(flatten)]
    pub core: &'a ModuleCore,
    /// `[[objectives]]`.
    pub objectives: Vec<&'a ObjectiveView>,
    /// `[[sections]]`, without instructor notes.
    pub sections: Vec<LearnerSection<'a>>,
    /// `[[activities]]`, without notes, checklists or role briefs.
    pub activities: Vec<LearnerActivity<'a>>,
}

/// What the built-in templates of a module's knowledge check, role-play packets and evaluation
/// forms print of the module: its number and title. With the built-in templates those pages
/// are given this instead of the whole view, which they would copy into their contexts.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ModuleHead<'a> {
    /// The file stem.
    pub id: &'a str,
    /// Its place in the course, from 1.
    pub number: usize,
    /// `title`.
    pub title: &'a str,
}

/// A module as the page of one of its activities gets it: the whole view, or with the built-in
/// templates its head.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
pub enum Module<'a> {
    /// For templates a course overrides, which may print any of it.
    View(&'a InstructorModule),
    /// For the built-in templates.
    Head(ModuleHead<'a>),
}

impl<'a> Module<'a> {
    /// `view`, or its head when the page is rendered from the built-in templates.
    pub fn of(view: &'a InstructorModule, built_in: bool) -> Self {
        if built_in {
            Module::Head(view.core.head())
        } else {
            Module::View(view)
        }
    }
}

impl ModuleCore {
    /// Its [`ModuleHead`].
    pub fn head(&self) -> ModuleHead<'_> {
        ModuleHead {
            id: &self.id,
            number: self.number,
            title: &self.title,
        }
    }
}

/// A module as trainers see it.
#[derive(Debug, Clone, Serialize)]
pub struct InstructorModule {
    /// What both views share.
    #[serde(flatten)]
    pub core: ModuleCore,
    /// `[[objectives]]` with what teaches and assesses each.
    pub objectives: Vec<InstructorObjective>,
    /// `[[sections]]` with instructor notes.
    pub sections: Vec<InstructorSection>,
    /// `[[activities]]` in full.
    pub activities: Vec<InstructorActivity>,
}

/// One objective.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    /// `id`.
    pub id: String,
    /// `text`.
    pub text: String,
    /// `condition`: the conditions of a performance objective.
    pub condition: Option<String>,
    /// `standard`: how well it must be done.
    pub standard: Option<String>,
}

/// One objective and where it is taught and assessed.
#[derive(Debug, Clone, Serialize)]
pub struct InstructorObjective {
    /// The objective.
    #[serde(flatten)]
    pub objective: ObjectiveView,
    /// Titles of the sections that teach it.
    pub taught_by: Vec<String>,
    /// Ids of the questions that assess it.
    pub questions: Vec<String>,
    /// Ids of the activities that practise it.
    pub activities: Vec<String>,
}

/// One section as learners read it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    /// Its place in the module, from 1.
    pub number: usize,
    /// A page-unique id for links.
    pub anchor: String,
    /// `title`.
    pub title: String,
    /// `minutes`.
    pub minutes: u32,
    /// `method`, as a label (`Role-play`).
    pub method: String,
    /// `objectives`.
    pub objectives: Vec<String>,
    /// `body`, rendered.
    pub body: Text,
    /// `key_points`.
    pub key_points: Vec<String>,
    /// `sources` (ids).
    pub sources: Vec<String>,
}

/// One section as a learner document shows it: with the numbers of the references it cites.
#[derive(Debug, Clone, Serialize)]
pub struct LearnerSection<'a> {
    /// The section.
    #[serde(flatten)]
    pub section: &'a SectionView,
    /// Its `sources` as numbered references of the document (see
    /// [`super::references::number`]); empty on pages without a reference list.
    pub cites: Vec<super::references::CiteView>,
}

/// One section with its instructor notes.
#[derive(Debug, Clone, Serialize)]
pub struct InstructorSection {
    /// The section.
    #[serde(flatten)]
    pub section: SectionView,
    /// `instructor_notes`, rendered.
    pub instructor_notes: Option<Text>,
}

/// What learner and instructor views of an activity share.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityCore {
    /// `id`.
    pub id: String,
    /// `title`.
    pub title: String,
    /// `kind`, as a label (`Role-play`).
    pub kind: String,
    /// `minutes`.
    pub minutes: u32,
    /// `objectives`.
    pub objectives: Vec<String>,
    /// `setup`, rendered.
    pub setup: Text,
    /// `safety`, rendered.
    pub safety: Option<Text>,
    /// `debrief` questions.
    pub debrief: Vec<String>,
}

/// An activity as learners see it: the set-up and the names of the roles.
#[derive(Debug, Clone, Serialize)]
pub struct LearnerActivity<'a> {
    /// What both views share.
    #[serde(flatten)]
    pub core: &'a ActivityCore,
    /// The roles, by name only.
    pub roles: Vec<RoleName<'a>>,
    /// The criteria of a scored activity that learners may know (not `evaluator_only`).
    pub criteria: Vec<LearnerCriterion>,
    /// The pass standard of a scored activity.
    pub pass_standard: Option<&'a str>,
}

/// An activity in full.
#[derive(Debug, Clone, Serialize)]
pub struct InstructorActivity {
    /// What both views share.
    #[serde(flatten)]
    pub core: ActivityCore,
    /// `checklist`.
    pub checklist: Vec<String>,
    /// `instructor_notes`, rendered.
    pub instructor_notes: Option<Text>,
    /// The roles with their briefs.
    pub roles: Vec<RoleView>,
    /// The scored evaluation, when the activity has criteria.
    pub evaluation: Option<EvaluationView>,
}

/// A role's name.
#[derive(Debug, Clone, Serialize)]
pub struct RoleName<'a> {
    /// `name`.
    pub name: &'a str,
}

/// A role card.
#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    /// `name`.
    pub name: String,
    /// `brief`, rendered.
    pub brief: Text,
    /// `private`, rendered.
    pub private: Option<Text>,
}

/// One glossary entry.
#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    /// `term`.
    pub term: String,
    /// `definition`.
    pub definition: String,
}

/// One reference.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// `id`.
    pub id: String,
    /// A page-unique id for links.
    pub anchor: String,
    /// `citation`.
    pub citation: String,
    /// `url`.
    pub url: Option<String>,
}

/// One row of a lesson plan's time allocation.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    /// The section's title, or the activity's title and id.
    pub what: String,
    /// The method or activity kind, as a label.
    pub method: String,
    /// Its minutes.
    pub minutes: u32,
    /// The clock at its start, `h:mm` from the module's start.
    pub start: String,
    /// The clock at its end.
    pub end: String,
}

impl InstructorModule {
    /// The full view of the `number`th module, every Markdown body rendered once.
    pub fn new(
        number: usize,
        file: &ModuleFile,
        defaults: Option<&EvaluationSettings>,
        catalog: &crate::locale::Catalog,
    ) -> Self {
        let m = &file.module;
        let prefix = |what: &str, i: usize| format!("{}-{what}{i}", file.id);
        let sections: Vec<InstructorSection> = m
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| InstructorSection {
                section: SectionView {
                    number: i + 1,
                    anchor: prefix("s", i + 1),
                    title: s.title.clone(),
                    minutes: *s.minutes,
                    method: catalog.text(&s.method.message_id()),
                    objectives: ids(&s.objectives),
                    body: Text::block_of(&s.body, 4, &prefix("s", i + 1)),
                    key_points: s.key_points.clone(),
                    sources: ids(&s.sources),
                },
                instructor_notes: s
                    .instructor_notes
                    .as_ref()
                    .map(|n| Text::block_of(n, 5, &prefix("n", i + 1))),
            })
            .collect();
        let activities: Vec<InstructorActivity> = m
            .activities
            .iter()
            .enumerate()
            .map(|(i, a)| activity(i, a, &prefix, defaults, catalog))
            .collect();
        InstructorModule {
            core: ModuleCore {
                id: file.id.clone(),
                number,
                title: m.title.to_string(),
                goal: m
                    .goal
                    .as_deref()
                    .map(|g| Text::block(g, 4, &prefix("goal", 0))),
                minutes: m.planned_minutes(),
                materials: m.materials.clone(),
                terms: m
                    .terms
                    .iter()
                    .map(|t| TermView {
                        term: t.term.clone(),
                        definition: t.definition.clone(),
                    })
                    .collect(),
                sources: m
                    .sources
                    .iter()
                    .map(|s| SourceView {
                        id: s.id.to_string(),
                        anchor: format!("{}-src-{}", file.id, *s.id),
                        citation: s.citation.clone(),
                        url: s.url.clone(),
                    })
                    .collect(),
                timeline: timeline(file, catalog),
            },
            objectives: objectives(file),
            sections,
            activities,
        }
    }

    /// The learner view: the parts of this module a learner may see, borrowed into a type
    /// that has no field for anything else.
    pub fn learner_view(&self) -> LearnerModule<'_> {
        LearnerModule {
            core: &self.core,
            objectives: self.objectives.iter().map(|o| &o.objective).collect(),
            sections: self
                .sections
                .iter()
                .map(|s| LearnerSection {
                    section: &s.section,
                    cites: Vec::new(),
                })
                .collect(),
            activities: self
                .activities
                .iter()
                .map(|a| LearnerActivity {
                    core: &a.core,
                    roles: a.roles.iter().map(|r| RoleName { name: &r.name }).collect(),
                    criteria: a
                        .evaluation
                        .as_ref()
                        .map(EvaluationView::learner_criteria)
                        .unwrap_or_default(),
                    pass_standard: a.evaluation.as_ref().map(|e| e.pass_standard.as_str()),
                })
                .collect(),
        }
    }
}

fn activity(
    i: usize,
    a: &crate::model::Activity,
    prefix: &dyn Fn(&str, usize) -> String,
    defaults: Option<&EvaluationSettings>,
    catalog: &crate::locale::Catalog,
) -> InstructorActivity {
    InstructorActivity {
        core: ActivityCore {
            id: a.id.to_string(),
            title: a.title.clone(),
            kind: catalog.text(&a.kind.message_id()),
            minutes: *a.minutes,
            objectives: ids(&a.objectives),
            setup: Text::block_of(&a.setup, 5, &prefix("a", i + 1)),
            safety: a
                .safety
                .as_deref()
                .map(|t| Text::block(t, 5, &prefix("as", i + 1))),
            debrief: a.debrief.clone(),
        },
        checklist: a.checklist.clone(),
        instructor_notes: a
            .instructor_notes
            .as_ref()
            .map(|t| Text::block_of(t, 5, &prefix("an", i + 1))),
        roles: a
            .roles
            .iter()
            .enumerate()
            .map(|(r, role)| RoleView {
                name: role.name.clone(),
                brief: Text::block_of(&role.brief, 4, &prefix(&format!("a{}r", i + 1), r + 1)),
                private: role
                    .private
                    .as_ref()
                    .map(|p| Text::block_of(p, 4, &prefix(&format!("a{}p", i + 1), r + 1))),
            })
            .collect(),
        evaluation: EvaluationView::new(a, defaults, &prefix("ev", i + 1), catalog),
    }
}

/// Each objective with what teaches, assesses and practises it.
pub fn objectives(file: &ModuleFile) -> Vec<InstructorObjective> {
    let m = &file.module;
    m.objectives
        .iter()
        .map(|o| {
            let id = o.id.as_str();
            let names = |refs: &[Spanned<String>]| refs.iter().any(|r| r.as_str() == id);
            InstructorObjective {
                objective: ObjectiveView {
                    id: id.to_owned(),
                    text: o.text.clone(),
                    condition: o.condition.clone(),
                    standard: o.standard.clone(),
                },
                taught_by: m
                    .sections
                    .iter()
                    .filter(|s| names(&s.objectives))
                    .map(|s| s.title.clone())
                    .collect(),
                questions: m
                    .questions
                    .iter()
                    .filter(|q| names(&q.objectives))
                    .map(|q| q.id.to_string())
                    .collect(),
                activities: m
                    .activities
                    .iter()
                    .filter(|a| names(&a.objectives))
                    .map(|a| a.id.to_string())
                    .collect(),
            }
        })
        .collect()
}

/// Module `file`'s sections then activities with a running clock from its start: its view's
/// `timeline`, read from the curriculum without building the view.
pub fn timeline(file: &ModuleFile, catalog: &crate::locale::Catalog) -> Vec<TimelineRow> {
    let m = &file.module;
    // u64 and saturating: the minutes of every part of a module cannot wrap the clock.
    let mut clock = 0u64;
    m.sections
        .iter()
        .map(|s| {
            (
                s.title.clone(),
                catalog.text(&s.method.message_id()),
                *s.minutes,
            )
        })
        .chain(m.activities.iter().map(|a| {
            (
                format!("{} ({})", a.title, *a.id),
                catalog.text(&a.kind.message_id()),
                *a.minutes,
            )
        }))
        .map(|(what, method, minutes)| {
            let start = clock;
            clock = clock.saturating_add(u64::from(minutes));
            TimelineRow {
                what,
                method,
                minutes,
                start: clock_time(start),
                end: clock_time(clock),
            }
        })
        .collect()
}

/// The ids a list of references names.
pub(super) fn ids(refs: &[Spanned<String>]) -> Vec<String> {
    refs.iter().map(|r| r.to_string()).collect()
}
