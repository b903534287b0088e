//! `modules/<id>.toml`: one module of the course.

use std::collections::BTreeMap;

use super::Spanned;
use super::training::{DEFAULT_SCALE, EvaluationSettings, Instructors, RunPlan};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Question;

/// One module. `Q` is [`super::RawQuestion`] as read from the file and [`Question`] once loaded.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, bound(deserialize = "Q: Deserialize<'de>"))]
pub struct Module<Q = Question> {
    /// The module title.
    pub title: Spanned<String>,
    /// Markdown: the instructional goal.
    pub goal: Option<String>,
    /// When given it must equal the sum of sections and activities.
    pub minutes: Option<Spanned<u32>>,
    #[serde(default)]
    /// What the trainer needs in the room.
    pub materials: Vec<String>,
    #[serde(default)]
    /// `[[objectives]]`: what learners will be able to do.
    pub objectives: Vec<Objective>,
    #[serde(default)]
    /// `[[sections]]`: the lesson, in teaching order.
    pub sections: Vec<Section>,
    #[serde(default)]
    /// `[[terms]]`: the glossary.
    pub terms: Vec<Term>,
    #[serde(default)]
    /// `[[activities]]`: ungraded practice.
    pub activities: Vec<Activity>,
    #[serde(default)]
    /// `[[questions]]`: the practice and exam banks.
    pub questions: Vec<Q>,
    #[serde(default)]
    /// `[[sources]]`: what the module's facts rest on.
    pub sources: Vec<Source>,
}

impl<Q> Module<Q> {
    /// Total minutes of sections and activities.
    pub fn planned_minutes(&self) -> u64 {
        let sections = self
            .sections
            .iter()
            .map(|s| u64::from(*s.minutes.get_ref()));
        let activities = self
            .activities
            .iter()
            .map(|a| u64::from(*a.minutes.get_ref()));
        sections.chain(activities).sum()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One learning objective.
pub struct Objective {
    /// A course-wide unique id, e.g. `AL-1`.
    pub id: Spanned<String>,
    /// What the learner will be able to do (the behaviour).
    pub text: String,
    /// The conditions of performance, e.g. "Given a role-played traffic stop with a driver of
    /// limited English".
    pub condition: Option<String>,
    /// How well: the standard the performance is judged by, e.g. "meeting every critical
    /// criterion of the CA-A1 evaluation".
    pub standard: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One section of a lesson.
pub struct Section {
    /// The section (or activity) title.
    pub title: String,
    /// How long it takes.
    pub minutes: Spanned<u32>,
    #[serde(default)]
    /// How it is taught; default `lecture`.
    pub method: Method,
    #[serde(default)]
    /// Ids of the objectives it serves.
    pub objectives: Vec<Spanned<String>>,
    /// Markdown: what learners read.
    #[schemars(with = "String")]
    pub body: super::Shared,
    #[serde(default)]
    /// The points learners must take away.
    pub key_points: Vec<String>,
    /// Markdown: trainer only, never in learner outputs.
    #[schemars(with = "Option<String>")]
    pub instructor_notes: Option<super::Shared>,
    #[serde(default)]
    /// Ids of the module's `[[sources]]` it rests on.
    pub sources: Vec<Spanned<String>>,
}

/// How a section is taught.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    #[default]
    /// Lecture.
    Lecture,
    /// Discussion.
    Discussion,
    /// Demonstration.
    Demonstration,
    /// Video.
    Video,
    /// Role-play.
    RolePlay,
    /// Scenario.
    Scenario,
    /// Tabletop exercise.
    Tabletop,
    /// Self-assessment.
    SelfAssessment,
}

impl Method {
    /// The id of its name in the locale catalogs (`method-role-play`).
    pub fn message_id(self) -> String {
        format!("method-{}", self.label().to_lowercase())
    }

    /// The name printed in guides and handouts.
    pub fn label(self) -> &'static str {
        match self {
            Method::Lecture => "Lecture",
            Method::Discussion => "Discussion",
            Method::Demonstration => "Demonstration",
            Method::Video => "Video",
            Method::RolePlay => "Role-play",
            Method::Scenario => "Scenario",
            Method::Tabletop => "Tabletop",
            Method::SelfAssessment => "Self-assessment",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One glossary entry.
pub struct Term {
    /// The word or phrase.
    pub term: String,
    /// What it means.
    pub definition: String,
}

/// Ungraded practice: a role-play, scenario, tabletop exercise or discussion.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// A course-wide unique id, e.g. `AL-A1`; names the packet file.
    pub id: Spanned<String>,
    /// The section (or activity) title.
    pub title: String,
    /// What kind of practice it is.
    pub kind: ActivityKind,
    /// How long it takes.
    pub minutes: Spanned<u32>,
    #[serde(default)]
    /// Ids of the objectives it serves.
    pub objectives: Vec<Spanned<String>>,
    /// Markdown: what everyone is told.
    #[schemars(with = "String")]
    pub setup: super::Shared,
    /// Markdown: safety rules for the exercise.
    pub safety: Option<String>,
    #[serde(default)]
    /// Questions for the debrief.
    pub debrief: Vec<String>,
    /// The evaluator's observation checklist.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// Markdown: trainer only.
    #[schemars(with = "Option<String>")]
    pub instructor_notes: Option<super::Shared>,
    #[serde(default)]
    /// `[[activities.roles]]`: one card per role.
    pub roles: Vec<Role>,
    /// `[[activities.criteria]]`: what a scored evaluation rates; with criteria the activity
    /// gets an evaluation form per learner.
    #[serde(default)]
    pub criteria: Vec<Criterion>,
    /// The ratings, lowest first; overrides `[evaluation].scale`.
    pub scale: Option<Spanned<Vec<Spanned<String>>>>,
    /// The lowest rating that meets a criterion; overrides `[evaluation].pass_rating`.
    pub pass_rating: Option<Spanned<String>>,
    /// Every critical criterion met and at least this percent of the others; overrides
    /// `[evaluation].pass_percent`.
    pub pass_percent: Option<Spanned<u32>>,
    /// Markdown: what a learner who does not pass does next; overrides
    /// `[evaluation].remediation`.
    pub remediation: Option<String>,
    /// How many learners one run puts in the scored role.
    pub performers: Option<Spanned<u32>>,
    /// How long one run takes, in minutes.
    pub run_minutes: Option<Spanned<u32>>,
    /// How many groups may run side by side (stations); default `[instructors].evaluators`,
    /// else 1.
    pub groups: Option<Spanned<u32>>,
}

/// One criterion of a scored evaluation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// What the evaluator rates, e.g. "Gave a warning before going hands-on".
    pub text: Spanned<String>,
    /// A critical criterion not met fails the evaluation, whatever the rest.
    #[serde(default)]
    pub critical: bool,
    /// Evaluators only: learner outputs never list this criterion.
    #[serde(default)]
    pub evaluator_only: bool,
    /// Behavioural anchors: by rating (a name on the scale), what that rating looks like.
    #[serde(default)]
    pub anchors: BTreeMap<Spanned<String>, String>,
}

impl Activity {
    /// The rating scale in force: the activity's, else the course's, else
    /// [`DEFAULT_SCALE`].
    pub fn rating_scale(&self, course: Option<&EvaluationSettings>) -> Vec<String> {
        self.scale
            .as_ref()
            .or_else(|| course.and_then(|c| c.scale.as_ref()))
            .map_or_else(
                || DEFAULT_SCALE.map(str::to_owned).to_vec(),
                |s| s.iter().map(|r| r.to_string()).collect(),
            )
    }

    /// The lowest rating that meets a criterion: the activity's, else the course's, else the
    /// highest of the scale.
    pub fn pass_rating(&self, course: Option<&EvaluationSettings>) -> String {
        self.pass_rating
            .as_ref()
            .or_else(|| course.and_then(|c| c.pass_rating.as_ref()))
            .map(|r| r.to_string())
            .or_else(|| self.rating_scale(course).pop())
            .unwrap_or_default()
    }

    /// The percent of non-critical criteria that must be met: the activity's, else the
    /// course's, else 100.
    pub fn pass_percent(&self, course: Option<&EvaluationSettings>) -> u32 {
        self.pass_percent
            .as_deref()
            .or_else(|| course.and_then(|c| c.pass_percent.as_deref()))
            .copied()
            .unwrap_or(100)
    }

    /// How a class of `class_size` gets every learner through the scored role, when the
    /// activity says how many perform per run and how long a run takes.
    pub fn run_plan(&self, class_size: u32, instructors: Option<&Instructors>) -> Option<RunPlan> {
        let performers = **self.performers.as_ref()?;
        let run_minutes = **self.run_minutes.as_ref()?;
        let groups = self
            .groups
            .as_deref()
            .or_else(|| instructors.and_then(|i| i.evaluators.as_deref()))
            .copied()
            .unwrap_or(1);
        Some(RunPlan::new(
            class_size,
            performers,
            run_minutes,
            *self.minutes,
            groups,
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
/// What kind of practice an activity is.
pub enum ActivityKind {
    /// Role-play.
    RolePlay,
    /// Scenario.
    Scenario,
    /// Tabletop exercise.
    Tabletop,
    /// Discussion.
    Discussion,
}

impl ActivityKind {
    /// The id of its name in the locale catalogs (`activity-tabletop-exercise`).
    pub fn message_id(self) -> String {
        format!("activity-{}", self.label().to_lowercase().replace(' ', "-"))
    }

    /// The name printed in guides and handouts.
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::RolePlay => "Role-play",
            ActivityKind::Scenario => "Scenario",
            ActivityKind::Tabletop => "Tabletop exercise",
            ActivityKind::Discussion => "Discussion",
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One role of an activity.
pub struct Role {
    /// The role's name, e.g. `Caller`.
    pub name: String,
    /// What this role's player is told.
    #[schemars(with = "String")]
    pub brief: super::Shared,
    /// Known only to this role's player and the instructor.
    #[schemars(with = "Option<String>")]
    pub private: Option<super::Shared>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
/// One cited source.
pub struct Source {
    /// Unique within the module; sections cite it.
    pub id: Spanned<String>,
    /// The full citation.
    pub citation: String,
    /// Where to read it.
    pub url: Option<String>,
}
