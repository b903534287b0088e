//! `modules/<id>.toml`: one module of the course.

use super::Spanned;
use serde::Deserialize;

use super::Question;

/// One module. `Q` is [`super::RawQuestion`] as read from the file and [`Question`] once loaded.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "Q: Deserialize<'de>"))]
pub struct Module<Q = Question> {
    pub title: Spanned<String>,
    /// Markdown: the instructional goal.
    pub goal: Option<String>,
    /// When given it must equal the sum of sections and activities.
    pub minutes: Option<Spanned<u32>>,
    #[serde(default)]
    pub materials: Vec<String>,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub terms: Vec<Term>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub questions: Vec<Q>,
    #[serde(default)]
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    pub id: Spanned<String>,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    pub minutes: Spanned<u32>,
    #[serde(default)]
    pub method: Method,
    #[serde(default)]
    pub objectives: Vec<Spanned<String>>,
    /// Markdown: what learners read.
    pub body: String,
    #[serde(default)]
    pub key_points: Vec<String>,
    /// Markdown: trainer only, never in learner outputs.
    pub instructor_notes: Option<String>,
    #[serde(default)]
    pub sources: Vec<Spanned<String>>,
}

/// How a section is taught.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    #[default]
    Lecture,
    Discussion,
    Demonstration,
    Video,
    RolePlay,
    Scenario,
    Tabletop,
    SelfAssessment,
}

impl Method {
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    pub definition: String,
}

/// Ungraded practice: a role-play, scenario, tabletop exercise or discussion.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub id: Spanned<String>,
    pub title: String,
    pub kind: ActivityKind,
    pub minutes: Spanned<u32>,
    #[serde(default)]
    pub objectives: Vec<Spanned<String>>,
    /// Markdown: what everyone is told.
    pub setup: String,
    pub safety: Option<String>,
    #[serde(default)]
    pub debrief: Vec<String>,
    /// The evaluator's observation checklist.
    #[serde(default)]
    pub checklist: Vec<String>,
    pub instructor_notes: Option<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityKind {
    RolePlay,
    Scenario,
    Tabletop,
    Discussion,
}

impl ActivityKind {
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::RolePlay => "Role-play",
            ActivityKind::Scenario => "Scenario",
            ActivityKind::Tabletop => "Tabletop exercise",
            ActivityKind::Discussion => "Discussion",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Role {
    pub name: String,
    /// What this role's player is told.
    pub brief: String,
    /// Known only to this role's player and the instructor.
    pub private: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: Spanned<String>,
    pub citation: String,
    pub url: Option<String>,
}
