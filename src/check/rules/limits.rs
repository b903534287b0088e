//! Values past the limits of [`crate::limits`]: over-long ids, points, minutes and choices.

use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{
    MAX_CHOICES, MAX_ID_CHARS, MAX_MINUTES, MAX_QUESTIONS_PER_COURSE, MAX_QUESTIONS_PER_MODULE,
};
use crate::load::Loaded;
use crate::model::{QuestionKind, Spanned};
use crate::source::FileId;

/// Every value of `loaded` past a limit.
pub(super) fn limits(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    if let Some((file, course)) = &loaded.course {
        id(*file, "course id", &course.id, out);
        if let Some(exam) = &course.exam
            && let Some(minutes) = exam.get_ref().minutes
            && minutes > MAX_MINUTES
        {
            let span = loaded.sources.get(*file).first_line(exam.span());
            out.push(over(
                *file,
                span,
                format!("the exam takes {minutes} minutes, more than the limit of {MAX_MINUTES}"),
                format!("give `minutes` under [exam] as at most {MAX_MINUTES}"),
            ));
        }
    }
    for module in &loaded.modules {
        let file = module.file;
        let m = &module.module;
        if let Some(minutes) = &m.minutes {
            self::minutes(file, "the module", minutes, out);
        }
        for s in &m.sections {
            self::minutes(file, "a section", &s.minutes, out);
        }
        for a in &m.activities {
            id(file, "activity id", &a.id, out);
            self::minutes(file, "an activity", &a.minutes, out);
        }
        for o in &m.objectives {
            id(file, "objective id", &o.id, out);
        }
        for s in &m.sources {
            id(file, "source id", &s.id, out);
        }
        for q in &m.questions {
            id(file, "question id", &q.id, out);
            let count = match &q.kind {
                QuestionKind::SingleChoice { distractors, .. } => 1 + distractors.len(),
                QuestionKind::MultipleChoice {
                    answers,
                    distractors,
                } => answers.len() + distractors.len(),
                QuestionKind::Matching { pairs } => pairs.len(),
                _ => 0,
            };
            if count > MAX_CHOICES {
                out.push(over(
                    file,
                    q.choices_span.clone(),
                    format!(
                        "question {} offers {count} choices, more than the limit of {MAX_CHOICES}",
                        q.id.get_ref()
                    ),
                    format!("offer at most {MAX_CHOICES} choices or pairs; split the question"),
                ));
            }
        }
        for q in loaded.rejected.get(&module.id).into_iter().flatten() {
            id(file, "question id", &q.id, out);
        }
    }
    questions(loaded, out);
}

/// Too many questions in one module, or in the whole course: each error is at the first
/// question past the limit, so the author sees where to split.
fn questions(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let mut total = 0usize;
    let mut course_reported = false;
    for module in &loaded.modules {
        let questions = &module.module.questions;
        let count = questions.len();
        if let Some(q) = questions.get(MAX_QUESTIONS_PER_MODULE) {
            out.push(over(
                module.file,
                q.id.span(),
                format!(
                    "module {} has {count} questions, more than the limit of {MAX_QUESTIONS_PER_MODULE} per module",
                    module.id
                ),
                format!(
                    "keep at most {MAX_QUESTIONS_PER_MODULE} questions in a module: split the module, or keep the rest of the item bank outside the course"
                ),
            ));
        }
        if !course_reported && total + count > MAX_QUESTIONS_PER_COURSE {
            course_reported = true;
            let first = MAX_QUESTIONS_PER_COURSE - total;
            let all: usize = loaded
                .modules
                .iter()
                .map(|m| m.module.questions.len())
                .sum();
            if let Some(q) = questions.get(first) {
                out.push(over(
                    module.file,
                    q.id.span(),
                    format!(
                        "the course has {all} questions, more than the limit of {MAX_QUESTIONS_PER_COURSE}; this is the first past it"
                    ),
                    format!(
                        "keep at most {MAX_QUESTIONS_PER_COURSE} questions in a course: split it into several courses"
                    ),
                ));
            }
        }
        total += count;
    }
}

/// An over-long id is reported here only: the other id rules test its characters.
fn id(file: FileId, what: &str, id: &Spanned<String>, out: &mut Vec<Diagnostic>) {
    let chars = id.get_ref().chars().count();
    if chars > MAX_ID_CHARS {
        out.push(over(
            file,
            id.span(),
            format!("{what} is {chars} characters long, more than the limit of {MAX_ID_CHARS}"),
            format!(
                "shorten it to at most {MAX_ID_CHARS} characters; ids become file names, which most systems cap at 255 bytes"
            ),
        ));
    }
}

fn minutes(file: FileId, what: &str, minutes: &Spanned<u32>, out: &mut Vec<Diagnostic>) {
    if *minutes.get_ref() > MAX_MINUTES {
        out.push(over(
            file,
            minutes.span(),
            format!(
                "{what} takes {} minutes, more than the limit of {MAX_MINUTES}",
                minutes.get_ref()
            ),
            format!("give at most {MAX_MINUTES} minutes; split a longer part"),
        ));
    }
}

/// An E071 diagnostic.
pub(crate) fn over(file: FileId, span: Range<usize>, message: String, help: String) -> Diagnostic {
    Diagnostic::error(Code::OverLimit, message)
        .at(file, span)
        .label("over the limit")
        .help(help)
}
