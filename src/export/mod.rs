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
//! lets a question score below zero. Moodle's importer accepts only the grades on its list
//! (`quiz::MOODLE_GRADES`) and rejects the whole file otherwise, so 11 to 20 correct choices
//! take 10% and 5% shares, more than 10 wrong ones cost the next grade up (10% or 5%), and a
//! question with more than 20 correct choices is left out of the Moodle files with a warning. Canvas (QTI) applies its own partial-credit rule to
//! multiple-answer questions; the package marks which choices are correct, as text2qti does.

mod gift;
mod moodle_xml;
mod qti;
mod quiz;
mod xml;

use std::fmt;
use std::io;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Bank;
use crate::plan::{self, PageKind, Plan};
use crate::render::{Artefact, WriteSeek};
use crate::source::FileId;
use quiz::{Answer, Group, Item, Quiz, choice_credit};

pub use crate::plan::LmsFormat as Format;

/// Which bank(s) to export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BankSelection {
    /// The practice banks (knowledge checks).
    Practice,
    /// The exam banks.
    Exam,
    /// Both.
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
    /// Which banks.
    pub bank: BankSelection,
    /// An exam form letter (`A`, `B`, …): exactly that form's questions, in form order.
    pub form: Option<char>,
}

/// One written export.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file's content.
    pub bytes: Vec<u8>,
    /// What the format could not carry, each naming the questions it affects.
    pub diagnostics: Vec<Diagnostic>,
    /// How many questions the export holds.
    pub questions: usize,
}

/// Why a selection cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportError {
    /// A form was asked of a course without `[exam]`.
    NoExam,
    /// A form letter past the forms `[exam]` asks for.
    NoSuchForm {
        /// The letter asked for.
        letter: char,
        /// How many forms there are.
        forms: usize,
    },
    /// `--form` with `--bank practice`: forms hold exam questions only.
    FormNeedsExamBank,
    /// Writing failed. Everything is built in memory, so this means a bug.
    Write(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
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

/// Exports the selected questions of a plan's curriculum in one format, shuffled and drawn as
/// the plan says.
pub fn export(
    plan: &Plan<'_>,
    format: Format,
    selection: &Selection,
) -> Result<Export, ExportError> {
    let quiz = Quiz::new(plan, selection)?;
    write(&quiz, format)
}

/// How many rendered groups (a module's bank each) may wait for the slowest format's writer:
/// the LMS files hold at most this many groups rendered at a time, not the course's.
const WINDOW: usize = 16;

/// [`lms_files`] written to `sink` as each is generated, so none is held whole; what the
/// formats could not carry, and what could not be written.
///
/// Every group is rendered once, here, and handed to the three formats' writers, one thread
/// each, through bounded channels: a group is let go once the last of them has written it, and
/// rendering waits while the slowest writer is [`WINDOW`] groups behind.
pub fn write_lms_files(plan: &Plan<'_>, sink: &dyn crate::render::Sink) -> Vec<Diagnostic> {
    write_windowed(plan, sink, WINDOW)
}

/// [`write_lms_files`] with at most `window` groups waiting for a writer.
fn write_windowed(
    plan: &Plan<'_>,
    sink: &dyn crate::render::Sink,
    window: usize,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let Ok(quiz) = Quiz::new(plan, &Selection::default()) else {
        return Vec::new();
    };
    let formats: Vec<_> = Format::ALL
        .iter()
        .filter_map(|&format| Some((format, plan.page(PageKind::Lms(format))?)))
        .collect();
    std::thread::scope(|scope| {
        let quiz = &quiz;
        let mut senders = Vec::new();
        let writers: Vec<_> = formats
            .into_iter()
            .map(|(format, page)| {
                let (sender, receiver) = std::sync::mpsc::sync_channel::<Arc<Group<'_>>>(window);
                senders.push(sender);
                scope.spawn(move || {
                    let mut groups = receiver.into_iter();
                    write_page(quiz, format, page.path(), &mut groups, sink)
                })
            })
            .collect();
        // A window of groups is rendered side by side while the writers write the last one.
        for window in quiz.parts.chunks(window) {
            let groups: Vec<Arc<Group<'_>>> = window
                .par_iter()
                .map(|part| Arc::new(part.render()))
                .collect();
            for group in groups {
                // A writer that stopped (it could not write) drops its end, and is sent no more.
                senders.retain(|sender| sender.send(Arc::clone(&group)).is_ok());
            }
            if senders.is_empty() {
                break;
            }
        }
        drop(senders);
        writers
            .into_iter()
            .flat_map(|writer| {
                writer
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// One format's file written to `sink` from `groups`; what it could not carry or write.
fn write_page<'a>(
    quiz: &Quiz<'a>,
    format: Format,
    path: String,
    groups: &mut dyn Iterator<Item = Arc<Group<'a>>>,
    sink: &dyn crate::render::Sink,
) -> Vec<Diagnostic> {
    let mut found = Ok(Vec::new());
    let written = sink.stream_seekable(path.clone(), &mut |out| {
        found = write_to(quiz, groups, format, out);
        match &found {
            Ok(_) => Ok(()),
            Err(err) => Err(io::Error::other(err.to_string())),
        }
    });
    match found {
        // The sink's own error repeats this one.
        Err(err) => vec![Diagnostic::error(
            Code::Io,
            format!("cannot write {path}: {err}"),
        )],
        Ok(mut diagnostics) => {
            diagnostics.extend(written.err());
            diagnostics
        }
    }
}

/// Every bank in every format, for `build`'s `lms/` folder, from one quiz rendered once, with
/// what the formats could not carry: [`write_lms_files`] into memory, sorted by path.
pub fn lms_files(plan: &Plan<'_>) -> (Vec<Artefact>, Vec<Diagnostic>) {
    let files = std::sync::Mutex::new(Vec::new());
    let diagnostics = write_lms_files(plan, &|artefact: Artefact| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(artefact);
        Ok(())
    });
    let mut files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diagnostics)
}

fn write(quiz: &Quiz<'_>, format: Format) -> Result<Export, ExportError> {
    let mut bytes = io::Cursor::new(Vec::new());
    let diagnostics = write_to(quiz, &mut quiz.groups(), format, &mut bytes)?;
    Ok(Export {
        bytes: bytes.into_inner(),
        diagnostics,
        questions: quiz.len(),
    })
}

/// Writes `quiz` in `format` to `out` as it is generated; what the format could not carry.
fn write_to<'a>(
    quiz: &Quiz<'a>,
    groups: &mut dyn Iterator<Item = Arc<Group<'a>>>,
    format: Format,
    out: &mut dyn WriteSeek,
) -> Result<Vec<Diagnostic>, ExportError> {
    let mut warnings = Warnings::new(format);
    if quiz.len() == 0 {
        warnings.note("the selection holds no questions");
    }
    match format {
        Format::Gift => gift::write(quiz, groups, &mut warnings, out).map_err(write_error)?,
        Format::MoodleXml => {
            moodle_xml::write(quiz, groups, &mut warnings, out).map_err(write_error)?
        }
        Format::Qti => qti::write(quiz, groups, &mut warnings, out)?,
    }
    Ok(warnings.finish())
}

fn write_error(err: impl fmt::Display) -> ExportError {
    ExportError::Write(err.to_string())
}

/// A question a loss affects: where its id is, and how to name it.
type Affected = (FileId, std::ops::Range<usize>, String);

/// What a format could not carry: one warning per kind of loss, placed at the first question it
/// affects and naming every one.
#[derive(Debug)]
pub(crate) struct Warnings {
    format: Format,
    kinds: Vec<(&'static str, Vec<Affected>)>,
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

    /// `what` names the loss; `detail`, if any, follows the question's id (`COM-Q13 (4 points)`).
    pub(crate) fn lost(&mut self, what: &'static str, item: &Item<'_>, detail: Option<String>) {
        let name = match detail {
            Some(detail) => format!("{} {detail}", item.id()),
            None => item.id().to_owned(),
        };
        let entry = (item.file, item.question.span.clone(), name);
        match self.kinds.iter_mut().find(|(kind, _)| *kind == what) {
            Some((_, items)) => items.push(entry),
            None => self.kinds.push((what, vec![entry])),
        }
    }

    pub(crate) fn note(&mut self, note: &str) {
        self.notes.push(note.to_owned());
    }

    fn finish(self) -> Vec<Diagnostic> {
        let label = self.format.label();
        let help = "set `lms-cannot-carry = \"allow\"` under [lints] in course.toml once the \
                    course accepts this loss";
        let notes = self.notes.into_iter().map(|note| {
            Diagnostic::warning(Code::LmsCannotCarry, format!("{label}: {note}")).help(help)
        });
        let kinds = self.kinds.into_iter().filter_map(|(what, items)| {
            let names: Vec<&str> = items.iter().map(|(_, _, name)| name.as_str()).collect();
            let message = format!("{label}: {what}: {}", names.join(", "));
            let (file, span, _) = items.first()?;
            Some(
                Diagnostic::warning(Code::LmsCannotCarry, message)
                    .at(*file, span.clone())
                    .label(format!("{} question(s) affected", items.len()))
                    .help(help),
            )
        });
        notes.chain(kinds).collect()
    }
}

/// Moodle formats: a multiple-choice question no set of Moodle grades can score is left out
/// (Moodle would reject the whole file), and the loss reported.
fn refused(item: &Item<'_>, warnings: &mut Warnings) -> bool {
    let Answer::Choice { multiple, choices } = &item.answer else {
        return false;
    };
    let refuse = choice_credit(*multiple, choices).is_none();
    if refuse {
        warnings.lost(
            "Moodle's importer accepts only grades from its list, and none of them can share \
             100% among more than 20 correct choices; these questions are left out",
            item,
            None,
        );
    }
    refuse
}

#[cfg(test)]
mod tests;
