//! The parts of a module's diff: objectives, sections, terms, activities and roles, questions,
//! sources, and the printed artefacts to reprint.

use serde::Serialize;

use super::{Change, ChangeKind, FieldChange};

/// An objective added, removed or reworded.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveChange {
    /// Its id.
    pub id: String,
    /// Added, removed or reworded.
    pub change: ChangeKind,
    /// The old wording.
    pub old: Option<String>,
    /// The new wording.
    pub new: Option<String>,
}

/// A section added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct SectionChange {
    /// Its title (the new one when retitled).
    pub title: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The title it had, when it was retitled.
    pub old_title: Option<String>,
    /// Words in the body on each side (0 for the missing side).
    pub words: Change<usize>,
    /// New words minus old words.
    pub word_delta: i64,
    /// Minutes, when they changed.
    pub minutes: Option<Change<u32>>,
    /// Other fields that changed (`method`, `key_points`, `instructor_notes`, `objectives`,
    /// `sources`).
    pub fields: Vec<FieldChange>,
    /// Short excerpts of what the body's words changed.
    pub excerpt: Vec<Edit>,
}

/// One run of changed words, with a little context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Unchanged words before.
    pub before: String,
    /// Words taken out.
    pub removed: String,
    /// Words put in.
    pub added: String,
    /// Unchanged words after.
    pub after: String,
}

/// A glossary term added, removed or redefined.
#[derive(Debug, Clone, Serialize)]
pub struct TermChange {
    /// The term.
    pub term: String,
    /// Added, removed or reworded.
    pub change: ChangeKind,
    /// The old definition.
    pub old: Option<String>,
    /// The new definition.
    pub new: Option<String>,
}

/// An activity added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct ActivityChange {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// Fields that changed (`title`, `kind`, `minutes`, `setup`, `safety`, `debrief`,
    /// `checklist`, `objectives`, `instructor_notes`).
    pub fields: Vec<FieldChange>,
    /// Roles added, removed or changed.
    pub roles: Vec<RoleChange>,
}

/// A role of an activity added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct RoleChange {
    /// The role's name.
    pub name: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// Fields that changed (`brief`, `private`).
    pub fields: Vec<FieldChange>,
}

/// A question added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionChange {
    /// Its id.
    pub id: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// `practice` or `exam` (the new side's, unless removed).
    pub bank: String,
    /// Fields that changed (`prompt`, `type`, `bank`, `module`, `answer`, `distractors`,
    /// `pairs`, `points`, `objectives`, `explanation`, `rubric`).
    pub fields: Vec<FieldChange>,
    /// A changed answer, distractor, pair, type or bank: the answer key changed.
    pub answer_key: bool,
}

/// A source added, removed or changed.
#[derive(Debug, Clone, Serialize)]
pub struct SourceChange {
    /// Its id.
    pub id: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The citation (the new one, unless removed).
    pub citation: String,
    /// Fields that changed (`citation`, `url`).
    pub fields: Vec<FieldChange>,
}

/// A printed artefact whose content differs between the two sides.
#[derive(Debug, Clone, Serialize)]
pub struct Reprint {
    /// Its path in the build folder, as the plan names it (`instructor/checks/x-key.html`).
    pub artefact: String,
    /// Its title.
    pub title: String,
    /// `added` (print it for the first time), `removed` (withdraw it) or `changed` (reprint).
    pub change: ChangeKind,
    /// Whether it is an answer key whose answers changed.
    pub answer_key: bool,
    /// The questions on it that are new, gone or changed; empty when only the draw or order
    /// changed.
    pub questions: Vec<String>,
}
