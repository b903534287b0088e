//! View structs: exactly what templates see. Learner views are built without answers, notes or
//! private briefs, so no template (built-in or a course's override) can leak them.

use serde::Serialize;

use crate::load::{Curriculum, LoadedModule};
use crate::model::{Course, Module, QuestionKind};
use crate::plan::{ExamForm, Placed, letter};

pub use super::text::Text;

#[derive(Debug, Clone, Serialize)]
pub struct CourseView {
    pub id: String,
    pub title: String,
    pub version: String,
    pub language: String,
    pub organization: Option<String>,
    pub audience: Option<String>,
    pub purpose: Option<Text>,
    pub certification_jurisdiction: Option<String>,
    pub certification_number: Option<String>,
    /// The newest revision's date, the handbook's date.
    pub date: Option<String>,
    pub revisions: Vec<RevisionView>,
    pub minutes: u64,
    pub hours: String,
    pub module_count: usize,
    pub exam: Option<ExamView>,
    /// From `SOURCE_DATE_EPOCH` only.
    pub built: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RevisionView {
    pub version: String,
    pub date: String,
    pub author: String,
    pub summary: String,
    pub approved_by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleSummary {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub minutes: u64,
    pub activities: Vec<(String, String)>,
    pub practice_questions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExamView {
    pub forms: Vec<char>,
    pub questions_per_module: Option<u32>,
    pub pass_percent: Option<u32>,
    pub minutes: Option<u32>,
}

impl CourseView {
    pub fn new(
        curriculum: &Curriculum,
        course: &Course,
        built: Option<String>,
        forms: &[ExamForm<'_>],
    ) -> Self {
        let minutes = curriculum
            .modules
            .iter()
            .map(|m| m.module.planned_minutes())
            .sum();
        let revisions: Vec<RevisionView> = course
            .revisions
            .iter()
            .map(|r| {
                let r = r.get_ref();
                RevisionView {
                    version: r
                        .version
                        .as_ref()
                        .map(|v| v.get_ref().clone())
                        .unwrap_or_default(),
                    date: r
                        .date
                        .as_ref()
                        .map(|d| d.get_ref().to_string())
                        .unwrap_or_default(),
                    author: r.author.clone().unwrap_or_default(),
                    summary: r.summary.clone().unwrap_or_default(),
                    approved_by: r.approved_by.clone().unwrap_or_default(),
                }
            })
            .collect();
        CourseView {
            id: course.id.get_ref().clone(),
            title: course.title.get_ref().clone(),
            version: course.version.get_ref().clone(),
            language: course.language.clone(),
            organization: course.organization.clone(),
            audience: course.audience.clone(),
            purpose: course
                .purpose
                .as_deref()
                .map(|p| Text::block(p, 1, "purpose")),
            certification_jurisdiction: course
                .certification
                .as_ref()
                .and_then(|c| c.jurisdiction.clone()),
            certification_number: course.certification.as_ref().and_then(|c| c.number.clone()),
            date: revisions
                .first()
                .map(|r| r.date.clone())
                .filter(|d| !d.is_empty()),
            revisions,
            minutes,
            hours: format_hours(minutes),
            module_count: curriculum.modules.len(),
            exam: course.exam.as_ref().map(|e| {
                let e = e.get_ref();
                ExamView {
                    forms: forms.iter().map(|f| f.letter).collect(),
                    questions_per_module: e.questions_per_module.as_ref().map(|n| *n.get_ref()),
                    pass_percent: e.pass_percent.as_ref().map(|n| *n.get_ref()),
                    minutes: e.minutes,
                }
            }),
            built,
        }
    }
}

/// One line per module, for the index page.
pub fn module_summaries(curriculum: &Curriculum) -> Vec<ModuleSummary> {
    curriculum
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| ModuleSummary {
            id: m.id.clone(),
            number: i + 1,
            title: m.module.title.get_ref().clone(),
            minutes: m.module.planned_minutes(),
            activities: m
                .module
                .activities
                .iter()
                .map(|a| (a.id.get_ref().clone(), a.title.clone()))
                .collect(),
            practice_questions: m
                .module
                .questions
                .iter()
                .filter(|q| q.bank == crate::model::Bank::Practice)
                .count(),
        })
        .collect()
}

fn format_hours(minutes: u64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleView {
    pub id: String,
    pub number: usize,
    pub title: String,
    pub goal: Option<Text>,
    pub minutes: u64,
    pub materials: Vec<String>,
    pub objectives: Vec<ObjectiveView>,
    pub sections: Vec<SectionView>,
    pub terms: Vec<TermView>,
    pub activities: Vec<ActivityView>,
    pub sources: Vec<SourceView>,
    /// Rows of the lesson plan's time allocation: sections then activities, with a running clock.
    pub timeline: Vec<TimelineRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveView {
    pub id: String,
    pub text: String,
    /// Instructor only: titles of the sections that teach it, ids of questions and activities
    /// that assess it.
    pub taught_by: Vec<String>,
    pub questions: Vec<String>,
    pub activities: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub number: usize,
    pub anchor: String,
    pub title: String,
    pub minutes: u32,
    pub method: &'static str,
    pub objectives: Vec<String>,
    pub body: Text,
    pub key_points: Vec<String>,
    pub instructor_notes: Option<Text>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TermView {
    pub term: String,
    pub definition: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    pub id: String,
    pub anchor: String,
    pub citation: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActivityView {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    pub minutes: u32,
    pub objectives: Vec<String>,
    pub setup: Text,
    pub safety: Option<Text>,
    pub debrief: Vec<String>,
    pub checklist: Vec<String>,
    pub instructor_notes: Option<Text>,
    pub roles: Vec<RoleView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleView {
    pub name: String,
    pub brief: Option<Text>,
    pub private: Option<Text>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineRow {
    pub what: String,
    pub method: &'static str,
    pub minutes: u32,
    pub start: String,
    pub end: String,
}

/// Who a view is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Learner,
    Instructor,
}

impl ModuleView {
    /// The full view, with every Markdown body rendered once; [`ModuleView::for_learners`]
    /// strips what learners may not see.
    pub fn new(number: usize, loaded: &LoadedModule) -> Self {
        let m: &Module = &loaded.module;
        let prefix = |what: &str, i: usize| format!("{}-{what}{i}", loaded.id);
        let sections: Vec<SectionView> = m
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| SectionView {
                number: i + 1,
                anchor: prefix("s", i + 1),
                title: s.title.clone(),
                minutes: *s.minutes.get_ref(),
                method: s.method.label(),
                objectives: ids(&s.objectives),
                body: Text::block(&s.body, 3, &prefix("s", i + 1)),
                key_points: s.key_points.clone(),
                instructor_notes: s
                    .instructor_notes
                    .as_deref()
                    .map(|n| Text::block(n, 4, &prefix("n", i + 1))),
                sources: ids(&s.sources),
            })
            .collect();
        let activities: Vec<ActivityView> =
            m.activities
                .iter()
                .enumerate()
                .map(|(i, a)| ActivityView {
                    id: a.id.get_ref().clone(),
                    title: a.title.clone(),
                    kind: a.kind.label(),
                    minutes: *a.minutes.get_ref(),
                    objectives: ids(&a.objectives),
                    setup: Text::block(&a.setup, 4, &prefix("a", i + 1)),
                    safety: a
                        .safety
                        .as_deref()
                        .map(|t| Text::block(t, 4, &prefix("as", i + 1))),
                    debrief: a.debrief.clone(),
                    checklist: a.checklist.clone(),
                    instructor_notes: a
                        .instructor_notes
                        .as_deref()
                        .map(|t| Text::block(t, 4, &prefix("an", i + 1))),
                    roles: a
                        .roles
                        .iter()
                        .enumerate()
                        .map(|(r, role)| RoleView {
                            name: role.name.clone(),
                            brief: Some(Text::block(
                                &role.brief,
                                3,
                                &prefix(&format!("a{}r", i + 1), r + 1),
                            )),
                            private: role.private.as_deref().map(|p| {
                                Text::block(p, 3, &prefix(&format!("a{}p", i + 1), r + 1))
                            }),
                        })
                        .collect(),
                })
                .collect();
        let objectives = m
            .objectives
            .iter()
            .map(|o| {
                let id = o.id.get_ref();
                let names =
                    |refs: &[crate::model::Spanned<String>]| refs.iter().any(|r| r.get_ref() == id);
                ObjectiveView {
                    id: id.clone(),
                    text: o.text.clone(),
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
                        .map(|q| q.id.get_ref().clone())
                        .collect(),
                    activities: m
                        .activities
                        .iter()
                        .filter(|a| names(&a.objectives))
                        .map(|a| a.id.get_ref().clone())
                        .collect(),
                }
            })
            .collect();
        let mut clock = 0u32;
        let timeline = sections
            .iter()
            .map(|s| (s.title.clone(), s.method, s.minutes))
            .chain(
                activities
                    .iter()
                    .map(|a| (format!("{} ({})", a.title, a.id), a.kind, a.minutes)),
            )
            .map(|(what, method, minutes)| {
                let start = clock;
                clock += minutes;
                TimelineRow {
                    what,
                    method,
                    minutes,
                    start: clock_time(start),
                    end: clock_time(clock),
                }
            })
            .collect();
        ModuleView {
            id: loaded.id.clone(),
            number,
            title: m.title.get_ref().clone(),
            goal: m
                .goal
                .as_deref()
                .map(|g| Text::block(g, 3, &prefix("goal", 0))),
            minutes: m.planned_minutes(),
            materials: m.materials.clone(),
            objectives,
            sections,
            terms: m
                .terms
                .iter()
                .map(|t| TermView {
                    term: t.term.clone(),
                    definition: t.definition.clone(),
                })
                .collect(),
            activities,
            sources: m
                .sources
                .iter()
                .map(|s| SourceView {
                    id: s.id.get_ref().clone(),
                    anchor: format!("{}-src-{}", loaded.id, s.id.get_ref()),
                    citation: s.citation.clone(),
                    url: s.url.clone(),
                })
                .collect(),
            timeline,
        }
    }

    /// The same module without instructor notes, private briefs, role briefs or the
    /// objective-to-assessment map.
    pub fn for_learners(&self) -> Self {
        let mut view = self.clone();
        for section in &mut view.sections {
            section.instructor_notes = None;
        }
        for activity in &mut view.activities {
            activity.instructor_notes = None;
            activity.checklist.clear();
            for role in &mut activity.roles {
                role.brief = None;
                role.private = None;
            }
        }
        for objective in &mut view.objectives {
            objective.questions.clear();
            objective.activities.clear();
            objective.taught_by.clear();
        }
        view
    }
}

/// `h:mm` from the start of a module or course.
pub fn clock_time(minutes: u32) -> String {
    format!("{}:{:02}", minutes / 60, minutes % 60)
}

fn ids(refs: &[crate::model::Spanned<String>]) -> Vec<String> {
    refs.iter().map(|r| r.get_ref().clone()).collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub number: usize,
    pub id: String,
    pub module: String,
    pub kind: &'static str,
    pub points: u32,
    pub objectives: Vec<String>,
    pub prompt: Text,
    pub choices: Vec<ChoiceView>,
    /// Matching: left items numbered, right items lettered (shuffled).
    pub left: Vec<ChoiceView>,
    pub right: Vec<ChoiceView>,
    /// Ruled lines to leave for a written answer.
    pub lines: usize,
    pub multiple: bool,
    pub key: Option<KeyView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    pub label: String,
    pub text: Text,
}

/// Everything a key adds to a question; absent from learner views.
#[derive(Debug, Clone, Serialize)]
pub struct KeyView {
    /// Short form for tables: "B", "A, C", "True", "1-C, 2-A", the accepted answers.
    pub answer: String,
    pub correct: Vec<String>,
    /// Matching: the letter of each left item's match, in left order.
    pub matches: Vec<String>,
    pub accepted: Vec<String>,
    pub model_answer: Option<Text>,
    pub rubric: Option<Text>,
    pub explanation: Option<Text>,
}

impl QuestionView {
    pub fn new(placed: &Placed<'_>, audience: Audience) -> Self {
        let q = placed.question;
        let prefix = format!("q-{}", q.id.get_ref());
        let mut choices = Vec::new();
        let mut left = Vec::new();
        let mut right = Vec::new();
        let mut lines = 0;
        let mut accepted = Vec::new();
        let mut model_answer = None;
        let mut rubric = None;
        match &q.kind {
            QuestionKind::SingleChoice { .. }
            | QuestionKind::MultipleChoice { .. }
            | QuestionKind::TrueFalse { .. } => {
                choices = placed
                    .choices
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ChoiceView {
                        label: letter(i).to_string(),
                        text: Text::inline(c.text(q)),
                    })
                    .collect();
            }
            QuestionKind::ShortAnswer { accepted: a } => {
                lines = 2;
                accepted = a.clone();
            }
            QuestionKind::Matching { pairs } => {
                left = pairs
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ChoiceView {
                        label: (i + 1).to_string(),
                        text: Text::inline(&p.get_ref()[0]),
                    })
                    .collect();
                right = placed
                    .right_order
                    .iter()
                    .enumerate()
                    .map(|(i, &p)| ChoiceView {
                        label: letter(i).to_string(),
                        text: Text::inline(&pairs[p].get_ref()[1]),
                    })
                    .collect();
            }
            QuestionKind::Essay {
                rubric: r,
                model_answer: m,
            } => {
                lines = 8 + 2 * q.points.min(6) as usize;
                rubric = Some(Text::block(r, 2, &format!("{prefix}-rubric")));
                model_answer = m
                    .as_deref()
                    .map(|m| Text::block(m, 2, &format!("{prefix}-model")));
            }
        }
        let key = (audience == Audience::Instructor).then(|| {
            let correct: Vec<String> = placed
                .correct_letters()
                .iter()
                .map(char::to_string)
                .collect();
            let answer = match &q.kind {
                QuestionKind::TrueFalse { answer } => {
                    if *answer { "True" } else { "False" }.to_owned()
                }
                QuestionKind::ShortAnswer { accepted } => accepted.join(" / "),
                QuestionKind::Matching { .. } => placed
                    .matching_key()
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("{}-{l}", i + 1))
                    .collect::<Vec<_>>()
                    .join(", "),
                QuestionKind::Essay { .. } => "See rubric".to_owned(),
                _ => correct.join(", "),
            };
            KeyView {
                answer,
                correct,
                matches: placed.matching_key().iter().map(char::to_string).collect(),
                accepted,
                model_answer,
                rubric,
                explanation: q
                    .explanation
                    .as_deref()
                    .map(|e| Text::block(e, 2, &format!("{prefix}-expl"))),
            }
        });
        QuestionView {
            number: placed.number,
            id: q.id.get_ref().clone(),
            module: placed.module.id.clone(),
            kind: q.question_type().as_str(),
            points: q.points,
            objectives: ids(&q.objectives),
            prompt: Text::block(q.prompt.get_ref(), 2, &prefix),
            choices,
            left,
            right,
            lines,
            multiple: matches!(q.kind, QuestionKind::MultipleChoice { .. }),
            key,
        }
    }
}
