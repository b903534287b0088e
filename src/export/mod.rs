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

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Bank;
use crate::plan::{self, PageKind, Plan};
use crate::render::{Artefact, Reuse, WriteSeek};
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
///
/// With `reuse`, a group whose hash is the one it had in the last build is copied from the last
/// build's file (see [`Keep`]), and what the format could not carry of it is reported again.
pub fn write_lms_files(
    plan: &Plan<'_>,
    sink: &dyn crate::render::Sink,
    reuse: Option<&Reuse<'_>>,
) -> Vec<Diagnostic> {
    write_windowed(plan, sink, WINDOW, reuse)
}

/// [`write_lms_files`] with at most `window` groups waiting for a writer.
fn write_windowed(
    plan: &Plan<'_>,
    sink: &dyn crate::render::Sink,
    window: usize,
    reuse: Option<&Reuse<'_>>,
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let Ok(quiz) = Quiz::new(plan, &Selection::default()) else {
        return Vec::new();
    };
    let formats: Vec<_> = Format::ALL
        .iter()
        .filter_map(|&format| Some((format, plan.page(PageKind::Lms(format))?)))
        .collect();
    // What each writer could copy from the last build: a group every writer copies is not
    // rendered at all.
    let probes: Vec<Keep<'_>> = reuse
        .map(|reuse| {
            formats
                .iter()
                .map(|(format, page)| Keep::new(reuse, &page.path(), *format, &quiz))
                .collect()
        })
        .unwrap_or_default();
    let qti = |format: Format| format == Format::Qti;
    let kept_by_all = |group: &Group<'_>, position: usize| {
        !probes.is_empty()
            && probes
                .iter()
                .all(|probe| probe.has(probe.key(group, qti(probe.format).then_some(position))))
    };
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
                    write_page(quiz, format, page.path(), &mut groups, sink, reuse)
                })
            })
            .collect();
        // A window of groups is rendered side by side while the writers write the last one.
        for (start, window) in (0..).step_by(window).zip(quiz.parts.chunks(window)) {
            let groups: Vec<Arc<Group<'_>>> = window
                .par_iter()
                .enumerate()
                .map(|(i, part)| {
                    let group = part.group();
                    if !kept_by_all(&group, start + i) {
                        group.rendered();
                    }
                    Arc::new(group)
                })
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
    reuse: Option<&Reuse<'_>>,
) -> Vec<Diagnostic> {
    let mut found = Ok(Vec::new());
    let mut keep = reuse.map(|reuse| Keep::new(reuse, &path, format, quiz));
    let written = sink.stream_seekable(path.clone(), &mut |out| {
        found = write_to(quiz, groups, format, out, keep.as_mut());
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
            match written {
                Err(problem) => diagnostics.push(problem),
                Ok(()) => {
                    if let Some(keep) = keep {
                        keep.finish();
                    }
                }
            }
            diagnostics
        }
    }
}

/// The losses a group's notes in the cache hold (none when they are empty); `None` when they
/// are garbled.
fn losses(notes: &str) -> Option<Vec<Lost>> {
    if notes.is_empty() {
        return Some(Vec::new());
    }
    serde_json::from_str(notes).ok()
}

/// A writer that counts what it passes on, for a writer over it to say where it is.
pub(crate) struct Counted<'o> {
    inner: &'o mut dyn io::Write,
    written: &'o std::cell::Cell<u64>,
}

impl<'o> Counted<'o> {
    pub(crate) fn new(inner: &'o mut dyn io::Write, written: &'o std::cell::Cell<u64>) -> Self {
        Counted { inner, written }
    }
}

impl io::Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written.set(self.written.get() + n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// What one format's writer may take from the last build, and where it records what it wrote
/// (see `render::reuse`): each group's bytes (GIFT, Moodle XML) or entries (QTI), keyed by a
/// hash of the group (which holds everything a writer writes of it), of what the writer reads
/// of the quiz, and of what every page is made from (the binary among it), with the losses the
/// format reported of the group, to report again when the group is kept.
pub(crate) struct Keep<'r> {
    reuse: &'r Reuse<'r>,
    format: Format,
    file: String,
    base: crate::cache::Fingerprint,
    parts: Vec<crate::cache::Part>,
}

impl<'r> Keep<'r> {
    fn new(reuse: &'r Reuse<'r>, file: &str, format: Format, quiz: &Quiz<'_>) -> Self {
        let mut base = crate::cache::Fingerprint::default();
        let course = quiz.course;
        base.add(reuse.base())
            .add(file)
            .add(format.label())
            .add(course.id.get_ref())
            .add(course.version.get_ref())
            .add(course.title.get_ref())
            .add(course.exam.as_ref().and_then(|e| e.get_ref().minutes))
            .add(quiz.form)
            .add(&quiz.true_false);
        Keep {
            reuse,
            format,
            file: file.to_owned(),
            base,
            parts: Vec::new(),
        }
    }

    /// The key of `group`, written `position`th when its place matters (QTI numbers them).
    pub(crate) fn key(&self, group: &Group<'_>, position: Option<usize>) -> u128 {
        self.base.clone().add(group.source).add(position).digest()
    }

    /// Whether the last build wrote the group keyed `key`, so that it may be copied.
    fn has(&self, key: u128) -> bool {
        self.reuse.has(&self.file, key)
    }

    /// The last build's bytes of the group keyed `key`, and the losses it reported of it.
    pub(crate) fn kept(&self, key: u128) -> Option<(String, Vec<Lost>)> {
        let (bytes, notes) = self.reuse.kept(&self.file, key)?;
        Some((bytes, losses(&notes)?))
    }

    /// The losses the last build reported of the group keyed `key`, when it wrote it, for a
    /// format whose groups are not runs of bytes (QTI's are zip entries).
    pub(crate) fn losses(&self, key: u128) -> Option<Vec<Lost>> {
        losses(&self.reuse.notes(&self.file, key)?)
    }

    /// The last build's file, when it is as it was left.
    pub(crate) fn last(&self) -> Option<std::fs::File> {
        self.reuse.file(&self.file)
    }

    /// A group copied from the last build to `at..at + len`: counted, recorded, and its losses
    /// reported again.
    pub(crate) fn copied(
        &mut self,
        key: u128,
        (at, len): (u64, u64),
        losses: Vec<Lost>,
        group: &Group<'_>,
        warnings: &mut Warnings,
    ) {
        self.reuse.placed();
        self.record(key, at, len, &losses);
        warnings.replay(losses, group);
    }

    /// A group written to `at..at + len`: recorded with the losses met since it began.
    pub(crate) fn wrote(&mut self, key: u128, (at, len): (u64, u64), warnings: &mut Warnings) {
        let losses = warnings.take_group();
        self.record(key, at, len, &losses);
    }

    /// Records that the group keyed `key` went to `offset..offset + len` and lost `losses`.
    fn record(&mut self, key: u128, offset: u64, len: u64, losses: &[Lost]) {
        self.parts.push(crate::cache::Part {
            key,
            offset,
            len,
            // Most groups lose nothing, and write nothing.
            notes: if losses.is_empty() {
                "".into()
            } else {
                serde_json::to_string(losses).unwrap_or_default().into()
            },
        });
    }

    fn finish(self) {
        self.reuse.record(&self.file, self.parts);
    }
}

/// Every bank in every format, for `build`'s `lms/` folder, from one quiz rendered once, with
/// what the formats could not carry: [`write_lms_files`] into memory, sorted by path.
pub fn lms_files(plan: &Plan<'_>) -> (Vec<Artefact>, Vec<Diagnostic>) {
    let files = std::sync::Mutex::new(Vec::new());
    let diagnostics = write_lms_files(
        plan,
        &|artefact: Artefact| {
            files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(artefact);
            Ok(())
        },
        None,
    );
    let mut files = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diagnostics)
}

fn write(quiz: &Quiz<'_>, format: Format) -> Result<Export, ExportError> {
    let mut bytes = io::Cursor::new(Vec::new());
    let diagnostics = write_to(quiz, &mut quiz.groups(), format, &mut bytes, None)?;
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
    keep: Option<&mut Keep<'_>>,
) -> Result<Vec<Diagnostic>, ExportError> {
    let mut warnings = Warnings::new(format);
    if quiz.len() == 0 {
        warnings.note("the selection holds no questions");
    }
    match format {
        Format::Gift => gift::write(quiz, groups, &mut warnings, out, keep).map_err(write_error)?,
        Format::MoodleXml => {
            moodle_xml::write(quiz, groups, &mut warnings, out, keep).map_err(write_error)?
        }
        Format::Qti => qti::write(quiz, groups, &mut warnings, out, keep)?,
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
    kinds: Vec<(Cow<'static, str>, Vec<Affected>)>,
    notes: Vec<String>,
    /// The losses of the group being written, for the cache to say again when it keeps it.
    group: Vec<Lost>,
}

/// A loss as the cache keeps it: what is lost, the question's id, the detail.
type Lost = (String, String, Option<String>);

impl Warnings {
    fn new(format: Format) -> Self {
        Warnings {
            format,
            kinds: Vec::new(),
            notes: Vec::new(),
            group: Vec::new(),
        }
    }

    /// `what` names the loss; `detail`, if any, follows the question's id (`COM-Q13 (4 points)`).
    pub(crate) fn lost(&mut self, what: &'static str, item: &Item<'_>, detail: Option<String>) {
        self.group
            .push((what.to_owned(), item.id().to_owned(), detail.clone()));
        self.add(Cow::Borrowed(what), item, detail);
    }

    fn add(&mut self, what: Cow<'static, str>, item: &Item<'_>, detail: Option<String>) {
        let at = (item.file, item.question.span.clone());
        self.add_at(what, at, item.id(), detail);
    }

    fn add_at(
        &mut self,
        what: Cow<'static, str>,
        (file, span): (FileId, std::ops::Range<usize>),
        id: &str,
        detail: Option<String>,
    ) {
        let name = match detail {
            Some(detail) => format!("{id} {detail}"),
            None => id.to_owned(),
        };
        let entry = (file, span, name);
        match self.kinds.iter_mut().find(|(kind, _)| *kind == what) {
            Some((_, items)) => items.push(entry),
            None => self.kinds.push((what, vec![entry])),
        }
    }

    /// The losses met since the last call: one group's.
    fn take_group(&mut self) -> Vec<Lost> {
        std::mem::take(&mut self.group)
    }

    /// Reports again the losses a kept `group` had when it was written.
    fn replay(&mut self, losses: Vec<Lost>, group: &Group<'_>) {
        for (what, id, detail) in losses {
            if let Some(at) = group.locate(&id) {
                self.add_at(Cow::Owned(what), at, &id, detail);
            }
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
