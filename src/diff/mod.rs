//! What changed between two versions of a curriculum, in the terms a trainer uses: course
//! metadata, modules added, removed and reordered, objectives reworded, sections with a word
//! delta and an excerpt, minutes, terms, activities and roles, questions (with answer-key
//! changes flagged), sources, and which printed checks, keys and exam forms must be reprinted.
//!
//! [`compare`] builds a typed [`Diff`] from two checked curricula; one file per output format
//! renders it ([`render_text`], [`render_markdown`], [`render_html`], [`render_json`]), and
//! [`gate`] turns it into the revision gate's diagnostics (`check --since REV`).

mod gate;
mod html;
mod json;
mod markdown;
mod module;
mod report;
mod reprint;
mod sides;
mod text;
mod version;

pub use gate::gate;
pub use html::render_html;
pub use json::render_json;
pub use markdown::render_markdown;
pub use report::{
    ActivityChange, Edit, ObjectiveChange, QuestionChange, Reprint, RoleChange, SectionChange,
    SourceChange, TermChange,
};
pub use sides::{OpenSide, Sides};
pub use text::render_text;
pub use version::Version;

use serde::Serialize;

use crate::model::{Course, Curriculum, ModuleFile};

/// Everything that changed between `old` and `new`.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    /// The side compared from.
    pub old: Side,
    /// The side compared to.
    pub new: Side,
    /// Course metadata and `[exam]` settings that changed (`version` among them).
    pub course: Vec<FieldChange>,
    /// `[[revisions]]` entries the new side has and the old one does not, newest first.
    pub revisions: Vec<RevisionEntry>,
    /// Modules added, removed or reordered.
    pub modules: ModuleList,
    /// The course total, in minutes.
    pub minutes: Change<u64>,
    /// Modules on both sides whose content changed, in the new side's order.
    pub changed: Vec<ModuleDiff>,
    /// Printed checks, keys and exam forms that differ, in the new build's page order.
    pub reprint: Vec<Reprint>,
}

/// One side of a diff: where it came from and its version.
#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// A directory or a revision, as the user named it.
    pub label: String,
    /// The course `version`.
    pub version: String,
}

/// An old and a new value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change<T> {
    /// Before.
    pub old: T,
    /// After.
    pub new: T,
}

impl<T: PartialEq> Change<T> {
    /// The pair, when the value changed.
    fn of(old: T, new: T) -> Option<Self> {
        (old != new).then_some(Change { old, new })
    }
}

/// One named field whose value changed; `None` where it is absent on that side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The key as the source format names it (`title`, `exam.forms`, `distractors`).
    pub field: String,
    /// Before.
    pub old: Option<String>,
    /// After.
    pub new: Option<String>,
}

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Removed,
    /// On both, with other words (objectives, term definitions).
    Reworded,
    /// On both, with other content.
    Changed,
}

impl ChangeKind {
    /// The word reports print.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Reworded => "reworded",
            ChangeKind::Changed => "changed",
        }
    }
}

/// A `[[revisions]]` entry.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionEntry {
    /// Its version.
    pub version: Option<String>,
    /// Its date.
    pub date: Option<String>,
    /// Its summary.
    pub summary: Option<String>,
}

/// The module list.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModuleList {
    /// Modules only the new side has, in its order.
    pub added: Vec<ModuleSummary>,
    /// Modules only the old side has, in its order.
    pub removed: Vec<ModuleSummary>,
    /// The teaching order of the modules both sides have, when it changed.
    pub reordered: Option<Change<Vec<String>>>,
}

/// A module added or removed, in brief.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleSummary {
    /// The module id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its planned minutes.
    pub minutes: u64,
    /// How many objectives, sections, activities and questions it has.
    pub objectives: usize,
    /// Sections.
    pub sections: usize,
    /// Activities.
    pub activities: usize,
    /// Questions, both banks.
    pub questions: usize,
}

/// What changed inside one module both sides have.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModuleDiff {
    /// The module id.
    pub id: String,
    /// Its title on the new side.
    pub title: String,
    /// `title`, `goal`, `minutes` (as declared), `materials`.
    pub fields: Vec<FieldChange>,
    /// Planned minutes (sections and activities), when they changed.
    pub minutes: Option<Change<u64>>,
    /// Objectives added, removed, reworded.
    pub objectives: Vec<ObjectiveChange>,
    /// Sections added, removed, changed.
    pub sections: Vec<SectionChange>,
    /// Glossary terms added, removed, redefined.
    pub terms: Vec<TermChange>,
    /// Activities added, removed, changed.
    pub activities: Vec<ActivityChange>,
    /// Questions added, removed, changed (a question moved here from another module is
    /// listed here, changed).
    pub questions: Vec<QuestionChange>,
    /// Sources added, removed, changed.
    pub sources: Vec<SourceChange>,
}

impl ModuleDiff {
    fn is_empty(&self) -> bool {
        self.fields.is_empty()
            && self.minutes.is_none()
            && self.objectives.is_empty()
            && self.sections.is_empty()
            && self.terms.is_empty()
            && self.activities.is_empty()
            && self.questions.is_empty()
            && self.sources.is_empty()
    }
}

impl Diff {
    /// Whether nothing changed at all.
    pub fn is_empty(&self) -> bool {
        self.course.is_empty() && self.revisions.is_empty() && !self.content_changed()
    }

    /// Whether anything beyond `version` and `[[revisions]]` changed: what the revision gate
    /// asks a new version for.
    pub fn content_changed(&self) -> bool {
        self.course.iter().any(|f| f.field != "version")
            || !self.modules.added.is_empty()
            || !self.modules.removed.is_empty()
            || self.modules.reordered.is_some()
            || !self.changed.is_empty()
            || !self.reprint.is_empty()
    }

    /// Whether any answer key changed: a question added to or removed from a bank, or a
    /// changed answer, distractor, pair, type or bank.
    pub fn answer_keys_changed(&self) -> bool {
        self.changed
            .iter()
            .flat_map(|m| &m.questions)
            .any(|q| q.answer_key || matches!(q.change, ChangeKind::Added | ChangeKind::Removed))
            || self
                .modules
                .added
                .iter()
                .chain(&self.modules.removed)
                .any(|m| m.questions > 0)
    }
}

/// Compares two checked curricula. `old_label` and `new_label` name the sides in the report.
pub fn compare(old: &Curriculum, old_label: &str, new: &Curriculum, new_label: &str) -> Diff {
    let modules = module_list(old, new);
    let mut changed = module::changed_modules(old, new);
    changed.retain(|m| !m.is_empty());
    Diff {
        old: Side {
            label: old_label.to_owned(),
            version: old.course.version.to_string(),
        },
        new: Side {
            label: new_label.to_owned(),
            version: new.course.version.to_string(),
        },
        course: course_fields(&old.course, &new.course),
        revisions: new_revisions(&old.course, &new.course),
        modules,
        minutes: Change {
            old: old.minutes(),
            new: new.minutes(),
        },
        changed,
        reprint: reprint::reprints(old, new),
    }
}

fn course_fields(old: &Course, new: &Course) -> Vec<FieldChange> {
    let cert = |c: &Course, f: fn(&crate::model::Certification) -> &Option<String>| {
        c.certification.as_ref().and_then(|x| f(x).clone())
    };
    let exam = |c: &Course, f: fn(&crate::model::ExamSettings) -> Option<String>| {
        c.exam.as_ref().and_then(|e| f(e))
    };
    let rows: Vec<(&str, Option<String>, Option<String>)> = vec![
        ("id", Some(old.id.to_string()), Some(new.id.to_string())),
        (
            "title",
            Some(old.title.to_string()),
            Some(new.title.to_string()),
        ),
        (
            "version",
            Some(old.version.to_string()),
            Some(new.version.to_string()),
        ),
        (
            "language",
            Some(old.language.clone()),
            Some(new.language.clone()),
        ),
        (
            "organization",
            old.organization.clone(),
            new.organization.clone(),
        ),
        ("audience", old.audience.clone(), new.audience.clone()),
        ("purpose", old.purpose.clone(), new.purpose.clone()),
        (
            "seed",
            Some(old.seed.to_string()),
            Some(new.seed.to_string()),
        ),
        (
            "certification.jurisdiction",
            cert(old, |c| &c.jurisdiction),
            cert(new, |c| &c.jurisdiction),
        ),
        (
            "certification.number",
            cert(old, |c| &c.number),
            cert(new, |c| &c.number),
        ),
        (
            "exam",
            old.exam.as_ref().map(|_| "[exam]".to_owned()),
            new.exam.as_ref().map(|_| "[exam]".to_owned()),
        ),
        (
            "exam.seed",
            exam(old, |e| Some(e.seed.to_string())),
            exam(new, |e| Some(e.seed.to_string())),
        ),
        (
            "exam.forms",
            exam(old, |e| Some(e.forms.to_string())),
            exam(new, |e| Some(e.forms.to_string())),
        ),
        (
            "exam.questions_per_module",
            exam(old, |e| {
                e.questions_per_module.as_ref().map(|n| n.to_string())
            }),
            exam(new, |e| {
                e.questions_per_module.as_ref().map(|n| n.to_string())
            }),
        ),
        (
            "exam.pass_percent",
            exam(old, |e| e.pass_percent.as_ref().map(|n| n.to_string())),
            exam(new, |e| e.pass_percent.as_ref().map(|n| n.to_string())),
        ),
        (
            "exam.minutes",
            exam(old, |e| e.minutes.map(|n| n.to_string())),
            exam(new, |e| e.minutes.map(|n| n.to_string())),
        ),
    ];
    rows.into_iter()
        .filter(|(_, o, n)| o != n)
        .map(|(field, old, new)| FieldChange {
            field: field.to_owned(),
            old,
            new,
        })
        .collect()
}

fn revision_entry(r: &crate::model::Revision) -> RevisionEntry {
    RevisionEntry {
        version: r.version.as_ref().map(|v| v.to_string()),
        date: r.date.as_ref().map(|d| d.to_string()),
        summary: r.summary.clone(),
    }
}

/// Entries above the old side's newest one (all of them when the old side had none).
fn new_revisions(old: &Course, new: &Course) -> Vec<RevisionEntry> {
    let same = |a: &crate::model::Revision, b: &crate::model::Revision| {
        a.version == b.version && a.date == b.date && a.summary == b.summary
    };
    let old_top = old.revisions.first();
    new.revisions
        .iter()
        .take_while(|r| old_top.is_none_or(|top| !same(r, top)))
        .filter(|r| !old.revisions.iter().any(|o| same(o, r)))
        .map(|r| revision_entry(r))
        .collect()
}

fn summary(m: &ModuleFile) -> ModuleSummary {
    ModuleSummary {
        id: m.id.clone(),
        title: m.module.title.to_string(),
        minutes: m.module.planned_minutes(),
        objectives: m.module.objectives.len(),
        sections: m.module.sections.len(),
        activities: m.module.activities.len(),
        questions: m.module.questions.len(),
    }
}

fn module_list(old: &Curriculum, new: &Curriculum) -> ModuleList {
    let has = |c: &Curriculum, id: &str| c.modules.iter().any(|m| m.id == id);
    let added = new
        .modules
        .iter()
        .filter(|m| !has(old, &m.id))
        .map(summary)
        .collect();
    let removed = old
        .modules
        .iter()
        .filter(|m| !has(new, &m.id))
        .map(summary)
        .collect();
    let kept = |c: &Curriculum, other: &Curriculum| -> Vec<String> {
        c.modules
            .iter()
            .filter(|m| has(other, &m.id))
            .map(|m| m.id.clone())
            .collect()
    };
    ModuleList {
        added,
        removed,
        reordered: Change::of(kept(old, new), kept(new, old)),
    }
}

/// Words of a Markdown text.
fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

/// A long value shortened for a report line: at most `max` characters, on a word boundary.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut} …")
}
