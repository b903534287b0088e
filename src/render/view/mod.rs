//! View structs: exactly what templates see, built for one audience. Learner views have no
//! field for an answer, a note or a private brief, so no template (built-in or a course's
//! override) can leak one. `docs/templates.md` lists every field.

mod course;
mod evaluation;
mod module;
mod question;
mod references;

pub use super::text::Text;
pub use course::{CourseView, ExamView, RevisionView};
pub(crate) use course::{clock_time, format_hours};
pub use evaluation::{CriterionView, EvaluationView, LearnerCriterion};
pub use module::{
    ActivityCore, InstructorActivity, InstructorModule, InstructorObjective, InstructorSection,
    LearnerActivity, LearnerModule, LearnerSection, Module, ModuleCore, ModuleHead, ObjectiveView,
    RoleName, RoleView, SectionView, SourceView, TermView, TimelineRow, objectives, timeline,
};
pub use question::{ChoiceView, KeyView, KeyedQuestion, QuestionView, RenderedQuestions, answer};
pub use references::{
    CiteView, Cited, Cites, ReferenceView, number as number_references, number_cited,
};
