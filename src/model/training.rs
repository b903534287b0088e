//! The training record an academy keeps beyond the lesson: rating scales and pass standards for
//! scored activities, the class schedule, outside standards and instructor requirements
//! (`[evaluation]`, `[schedule]`, `[[standards]]`, `[instructors]` in `course.toml`), and the
//! arithmetic that guide, outline and checker share.

use schemars::JsonSchema;
use serde::Deserialize;
use toml::value::Datetime;

use super::Spanned;

/// The scale used when neither the course nor the activity names one.
/// These names key a criterion's `anchors`; pages show them in their own language, from the
/// catalog messages of [`DEFAULT_SCALE_MESSAGES`].
pub const DEFAULT_SCALE: [&str; 2] = ["Not met", "Met"];

/// The catalog message that shows each rating of [`DEFAULT_SCALE`], in the same order.
pub const DEFAULT_SCALE_MESSAGES: [&str; 2] = ["rating-not-met", "rating-met"];

/// `[evaluation]`: the course-wide defaults of every scored activity.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationSettings {
    /// The ratings, lowest first, e.g. `["Not met", "Needs improvement", "Met"]`; default
    /// `["Not met", "Met"]`.
    pub scale: Option<Spanned<Vec<Spanned<String>>>>,
    /// The lowest rating that counts as meeting a criterion; default the highest rating.
    pub pass_rating: Option<Spanned<String>>,
    /// Pass standard: every critical criterion met and at least this percent of the others;
    /// default 100.
    pub pass_percent: Option<Spanned<u32>>,
    /// Markdown: what a learner who does not pass does next (remediation and retest).
    pub remediation: Option<String>,
}

/// `[schedule]`: the training days, in order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// `[[schedule.days]]`.
    #[serde(default)]
    pub days: Vec<Spanned<Day>>,
}

/// One training day: when it starts and ends, and what fills it, in order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Day {
    /// A name for the day; default `Day 1`, `Day 2`, …
    pub title: Option<String>,
    /// The calendar date, when the class has one (a bare TOML date).
    #[serde(default)]
    #[schemars(schema_with = "super::schema::date")]
    pub date: Option<Spanned<Datetime>>,
    /// The clock time the day starts, `"HH:MM"` (24-hour).
    pub start: Spanned<String>,
    /// The clock time the day must end by, `"HH:MM"`; a later finish is W083.
    pub end: Option<Spanned<String>>,
    /// What the day holds, in order: each item names one of `module`, `check`, `exam`,
    /// `break`, `meal` or `other`.
    #[serde(default)]
    pub items: Vec<Spanned<ScheduleItem>>,
}

/// One block of a training day. Exactly one of `module`, `check`, `exam`, `break`, `meal` and
/// `other` is given.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleItem {
    /// A module, taught whole: its sections and activities in order.
    pub module: Option<Spanned<String>>,
    /// The knowledge check of the module with this id; needs `minutes`.
    pub check: Option<Spanned<String>>,
    /// The final exam (`exam = true`); takes `[exam].minutes` unless `minutes` is given.
    pub exam: Option<Spanned<bool>>,
    /// A break of this many minutes.
    #[serde(rename = "break")]
    pub pause: Option<Spanned<u32>>,
    /// A meal of this many minutes.
    pub meal: Option<Spanned<u32>>,
    /// Anything else (roll call, orientation, a written test): its title; needs `minutes`.
    pub other: Option<Spanned<String>>,
    /// How long a `check`, `exam` or `other` item takes.
    pub minutes: Option<Spanned<u32>>,
    /// A title shown instead of the default (`Break`, `Lunch`, `Knowledge check: …`).
    pub title: Option<String>,
}

/// What kind of block a schedule item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// `module`.
    Module,
    /// `check`.
    Check,
    /// `exam`.
    Exam,
    /// `break`.
    Break,
    /// `meal`.
    Meal,
    /// `other`.
    Other,
}

impl ScheduleItem {
    /// Which of the kinds this item names; several or none is a mistake the checker reports.
    pub fn kinds(&self) -> Vec<ItemKind> {
        let mut kinds = Vec::new();
        let given = [
            (self.module.is_some(), ItemKind::Module),
            (self.check.is_some(), ItemKind::Check),
            (self.exam.as_deref() == Some(&true), ItemKind::Exam),
            (self.pause.is_some(), ItemKind::Break),
            (self.meal.is_some(), ItemKind::Meal),
            (self.other.is_some(), ItemKind::Other),
        ];
        for (is, kind) in given {
            if is {
                kinds.push(kind);
            }
        }
        kinds
    }
}

impl ScheduleItem {
    /// How long the item takes: a module its sections and activities (`module_minutes`), the
    /// exam its `minutes` or `exam_minutes`, the rest their own minutes.
    pub fn length(
        &self,
        module_minutes: impl Fn(&str) -> Option<u64>,
        exam_minutes: Option<u32>,
    ) -> u64 {
        let own = self.minutes.as_deref().copied();
        let minutes = match self.kinds().first() {
            Some(ItemKind::Module) => {
                return self
                    .module
                    .as_ref()
                    .and_then(|m| module_minutes(m))
                    .unwrap_or(0);
            }
            Some(ItemKind::Exam) => own.or(exam_minutes),
            Some(ItemKind::Break) => self.pause.as_deref().copied(),
            Some(ItemKind::Meal) => self.meal.as_deref().copied(),
            Some(ItemKind::Check | ItemKind::Other) => own,
            None => None,
        };
        u64::from(minutes.unwrap_or(0))
    }
}

/// `"HH:MM"` as minutes after midnight.
pub fn parse_clock(text: &str) -> Option<u32> {
    let (h, m) = text.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Minutes after midnight as `HH:MM`; past midnight it keeps counting (`24:30`).
pub fn format_clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `[[standards]]`: one learning domain of an outside body and the objectives that meet it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// The body's own number or code for the domain, e.g. `LD 3`.
    pub id: Spanned<String>,
    /// The domain's title.
    pub title: String,
    /// The body that sets it, e.g. the state standards board; default the
    /// `[certification].jurisdiction`.
    pub body: Option<String>,
    /// Ids of the course's objectives that meet it.
    #[serde(default)]
    pub objectives: Vec<Spanned<String>>,
}

/// `[instructors]`: who may teach the course and how many are needed.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Instructors {
    /// What an instructor must hold, e.g. `"State-certified instructor"`.
    #[serde(default)]
    pub qualifications: Vec<String>,
    /// The most learners one instructor teaches in the classroom.
    pub learners_per_instructor: Option<Spanned<u32>>,
    /// How many evaluators are on hand for scored activities: the parallel groups an activity
    /// may run unless it says `groups` itself.
    pub evaluators: Option<Spanned<u32>>,
}

/// How a class gets every learner through a scored activity's scored role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunPlan {
    /// Learners in the class.
    pub class_size: u32,
    /// Learners one run puts in the scored role.
    pub performers: u32,
    /// Minutes of one run.
    pub run_minutes: u32,
    /// Runs so every learner performs once.
    pub runs: u32,
    /// Runs one group fits in the activity's minutes.
    pub runs_per_group: u32,
    /// Parallel groups needed; `None` when one run is longer than the activity.
    pub groups_needed: Option<u32>,
    /// Parallel groups the activity may run (`groups`, else `[instructors].evaluators`, else 1).
    pub groups: u32,
}

impl RunPlan {
    /// The plan for `class_size` learners, `performers` at a time, in runs of `run_minutes`
    /// within `minutes`, with up to `groups` groups side by side.
    pub fn new(
        class_size: u32,
        performers: u32,
        run_minutes: u32,
        minutes: u32,
        groups: u32,
    ) -> Self {
        let performers = performers.max(1);
        let runs = class_size.div_ceil(performers);
        let runs_per_group = minutes / run_minutes.max(1);
        let groups_needed = (runs_per_group > 0).then(|| runs.div_ceil(runs_per_group).max(1));
        RunPlan {
            class_size,
            performers,
            run_minutes,
            runs,
            runs_per_group,
            groups_needed,
            groups: groups.max(1),
        }
    }

    /// Whether every learner performs within the activity's minutes.
    pub fn fits(&self) -> bool {
        self.groups_needed.is_some_and(|g| g <= self.groups)
    }
}
