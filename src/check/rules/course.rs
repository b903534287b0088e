//! Rules on `course.toml` itself: its id, title and revision history.

use super::invalid_id;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::is_valid_id;
use crate::model::{Course, Datetime, Spanned};
use crate::source::FileId;

/// The course id, title and revision history.
pub(super) fn course_rules(file: FileId, course: &Course, out: &mut Vec<Diagnostic>) {
    let id = course.id.get_ref();
    if !is_valid_id(id) {
        out.push(invalid_id("course id", id, file, course.id.span()));
    }
    if course.title.get_ref().trim().is_empty() {
        out.push(
            Diagnostic::error(Code::EmptyValue, "the course title is empty")
                .at(file, course.title.span())
                .help("give the course a title, e.g. `title = \"Police–Community Relations\"`"),
        );
    }
    let version = course.version.get_ref();
    if let Some(top) = course.revisions.first() {
        match &top.get_ref().version {
            Some(v) if v.get_ref() != version => out.push(
                Diagnostic::error(Code::RevisionMismatch, format!("the newest revision is {}, but the course version is {version}", v.get_ref()))
                    .at(file, v.span())
                    .label(format!("expected \"{version}\""))
                    .help(format!("add a [[revisions]] entry for {version} at the top (newest first), or set `version = \"{}\"`", v.get_ref())),
            ),
            Some(_) => {}
            None => out.push(
                Diagnostic::error(Code::RevisionMismatch, "the newest revision has no version")
                    .at(file, top.span())
                    .help(format!("add `version = \"{version}\"` to the first [[revisions]] entry")),
            ),
        }
    }
    let mut previous: Option<&Spanned<Datetime>> = None;
    for revision in &course.revisions {
        let Some(date) = &revision.get_ref().date else {
            continue;
        };
        let d = date.get_ref();
        if d.date.is_none() || d.time.is_some() {
            out.push(
                Diagnostic::error(Code::WrongType, "a revision date must be a plain date")
                    .at(file, date.span())
                    .help(
                        "write it as YYYY-MM-DD without quotes or time, e.g. `date = 2026-11-01`",
                    ),
            );
            continue;
        }
        if let Some(prev) = previous
            && prev.get_ref().date < d.date
        {
            out.push(
                Diagnostic::error(
                    Code::RevisionOrder,
                    format!(
                        "revision of {d} is listed after an older one ({})",
                        prev.get_ref()
                    ),
                )
                .at(file, date.span())
                .label("newer than the entry above")
                .help("list [[revisions]] newest first"),
            );
        }
        previous = Some(date);
    }
}
