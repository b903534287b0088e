//! LMS imports: Moodle GIFT, Moodle XML and a Canvas-compatible QTI 1.2 package.
//!
//! Each format is one file beside this one (`gift`, `moodle_xml`, `qti`) and writes from the same
//! `quiz::Quiz`: the selected questions, grouped one group per module and bank (or one group for
//! an exam form), with every Markdown body rendered to HTML once, even when `build` writes all
//! three formats. What a format cannot carry is reported as a warning naming the questions it
//! affects; nothing is dropped silently.
//!
//! Categories: `$course$/top/<course-id>/<bank>/<module-id>` (an exam form:
//! `…/exam/form-a`). The bank comes before the module so a Moodle quiz can draw "random
//! questions from `exam`, including subcategories" without ever reaching a practice item.
//!
//! Output is deterministic: identifiers derive from the course, bank, module and question ids,
//! choice order comes from [`plan`] (seeded), and the QTI zip has fixed timestamps and entry
//! order.
//!
//! Multiple-choice credit (Moodle formats): each correct choice is worth `100 / correct` percent
//! and each wrong choice `-100 / wrong` percent, so the correct set scores 100% and ticking every
//! box scores 0%, as Moodle's own multiple-answer questions are usually set up. Moodle never
//! lets a question score below zero. Canvas (QTI) applies its own partial-credit rule to
//! multiple-answer questions; the package marks which choices are correct, as text2qti does.

mod gift;
mod moodle_xml;
mod qti;
mod quiz;
mod xml;

use std::fmt;

use crate::load::Curriculum;
use crate::model::Bank;
use crate::plan;
use quiz::{Answer, Group, Item, Quiz, choice_credit, credit_is_exact};

/// The three formats, in the order `build` writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Gift,
    MoodleXml,
    Qti,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Gift, Format::MoodleXml, Format::Qti];

    /// What follows the course id in the file name.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Gift => "gift.txt",
            Format::MoodleXml => "moodle.xml",
            Format::Qti => "qti.zip",
        }
    }

    /// The name warnings use.
    pub fn label(self) -> &'static str {
        match self {
            Format::Gift => "GIFT",
            Format::MoodleXml => "Moodle XML",
            Format::Qti => "QTI",
        }
    }

    /// Text formats may go to a terminal; the QTI package is a zip.
    pub fn is_text(self) -> bool {
        self != Format::Qti
    }
}

/// Which bank(s) to export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BankSelection {
    Practice,
    Exam,
    #[default]
    All,
}

impl BankSelection {
    fn includes(self, bank: Bank) -> bool {
        match self {
            BankSelection::All => true,
            BankSelection::Practice => bank == Bank::Practice,
            BankSelection::Exam => bank == Bank::Exam,
        }
    }
}

/// What to export: whole banks (the default: both), or exactly one exam form.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub bank: BankSelection,
    /// An exam form letter (`A`, `B`, …): exactly that form's questions, in form order.
    pub form: Option<char>,
    /// Shuffles with this seed instead of the course's (and draws `form` with it), as
    /// `build --seed` does.
    pub seed: Option<u64>,
}

/// One written export.
#[derive(Debug, Clone)]
pub struct Export {
    /// `<course-id>.gift.txt`, `<course-id>.moodle.xml` or `<course-id>.qti.zip`.
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// What the format could not carry, each naming the questions it affects.
    pub warnings: Vec<String>,
    /// How many questions the export holds.
    pub questions: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// The curriculum has no loaded course: check it first.
    NoCourse,
    /// A form was asked of a course without `[exam]`.
    NoExam,
    /// A form letter past the forms `[exam]` asks for.
    NoSuchForm { letter: char, forms: usize },
    /// `--form` with `--bank practice`: forms hold exam questions only.
    FormNeedsExamBank,
    /// Writing failed. Everything is built in memory, so this means a bug.
    Write(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NoCourse => f.write_str("the curriculum has no course.toml that loads"),
            ExportError::NoExam => {
                f.write_str("the course has no [exam] in course.toml, so it has no exam forms")
            }
            ExportError::NoSuchForm { letter, forms } => write!(
                f,
                "the course has {forms} exam form(s), A to {}; there is no form {letter}",
                plan::letter(forms.saturating_sub(1))
            ),
            ExportError::FormNeedsExamBank => {
                f.write_str("an exam form holds exam questions only; drop `--bank practice`")
            }
            ExportError::Write(err) => write!(f, "cannot write the export: {err}"),
        }
    }
}

impl std::error::Error for ExportError {}

/// Exports the selected questions of a checked curriculum in one format.
pub fn export(
    curriculum: &Curriculum,
    format: Format,
    selection: &Selection,
) -> Result<Export, ExportError> {
    let quiz = Quiz::new(curriculum, selection)?;
    write(&quiz, format)
}

/// Every bank in every format, for `build`'s `lms/` folder, from one quiz rendered once. `seed`
/// is the build's `--seed`. Empty when the course did not load; the default selection cannot
/// otherwise fail.
pub fn export_all(curriculum: &Curriculum, seed: Option<u64>) -> Vec<Export> {
    let selection = Selection {
        seed,
        ..Selection::default()
    };
    let Ok(quiz) = Quiz::new(curriculum, &selection) else {
        return Vec::new();
    };
    Format::ALL
        .iter()
        .filter_map(|&format| write(&quiz, format).ok())
        .collect()
}

fn write(quiz: &Quiz<'_>, format: Format) -> Result<Export, ExportError> {
    let mut warnings = Warnings::new(format);
    if quiz.len() == 0 {
        warnings.note("the selection holds no questions");
    }
    let bytes = match format {
        Format::Gift => gift::write(quiz, &mut warnings).into_bytes(),
        Format::MoodleXml => moodle_xml::write(quiz, &mut warnings).map_err(write_error)?,
        Format::Qti => qti::write(quiz, &mut warnings)?,
    };
    Ok(Export {
        file_name: format!("{}.{}", quiz.course.id.get_ref(), format.extension()),
        bytes,
        warnings: warnings.finish(),
        questions: quiz.len(),
    })
}

fn write_error(err: impl fmt::Display) -> ExportError {
    ExportError::Write(err.to_string())
}

/// Warnings, one line per kind of loss, each naming every question it affects.
#[derive(Debug)]
pub(crate) struct Warnings {
    format: Format,
    kinds: Vec<(&'static str, Vec<String>)>,
    notes: Vec<String>,
}

impl Warnings {
    fn new(format: Format) -> Self {
        Warnings {
            format,
            kinds: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// `what` names the loss; `question` is the id, with detail if any (`COM-Q13 (4 points)`).
    pub fn lost(&mut self, what: &'static str, question: String) {
        match self.kinds.iter_mut().find(|(kind, _)| *kind == what) {
            Some((_, ids)) => ids.push(question),
            None => self.kinds.push((what, vec![question])),
        }
    }

    pub fn note(&mut self, note: &str) {
        self.notes.push(note.to_owned());
    }

    fn finish(self) -> Vec<String> {
        let label = self.format.label();
        self.notes
            .into_iter()
            .map(|note| format!("{label}: {note}"))
            .chain(
                self.kinds
                    .into_iter()
                    .map(|(what, ids)| format!("{label}: {what}: {}", ids.join(", "))),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests;
