//! The revision gate (`check --since REV`): content that changed since REV needs a new
//! `version` and a new top `[[revisions]]` entry, and a changed answer key needs at least a
//! minor version bump.

use super::{Version, compare};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::Curriculum;

/// The gate's problems with `new` against the course as of `rev`: `old` is that course, or
/// the number of errors it has (then nothing can be compared, and a warning says so).
pub fn gate(new: &Curriculum, old: Result<&Curriculum, usize>, rev: &str) -> Vec<Diagnostic> {
    let file = new.course_file;
    let course = &new.course;
    let old = match old {
        Ok(old) => old,
        Err(errors) => {
            return vec![
                Diagnostic::warning(
                    Code::SinceNotComparable,
                    format!(
                        "the revision gate is skipped: the course at `{rev}` has {errors} error{}",
                        if errors == 1 { "" } else { "s" }
                    ),
                )
                .at(file, course.version.span())
                .help(format!(
                    "run `coursepack check` on a checkout of `{rev}` to see them, or compare with another revision"
                )),
            ];
        }
    };
    let diff = compare(old, rev, new, "working tree");
    if !diff.content_changed() {
        return Vec::new();
    }
    let (was, now) = (old.course.version.as_str(), course.version.as_str());
    let mut out = Vec::new();
    let (was_v, now_v) = (Version::parse(was), Version::parse(now));
    let suggested = was_v.map_or_else(
        || "\"<new version>\"".to_owned(),
        |v| {
            if diff.answer_keys_changed() {
                format!("\"{}\"", v.next_minor())
            } else {
                format!(
                    "\"{}\"",
                    Version {
                        patch: v.patch + 1,
                        ..v
                    }
                )
            }
        },
    );
    if was == now {
        out.push(
            Diagnostic::error(
                Code::VersionNotBumped,
                format!("the course changed since `{rev}`, but its version is still {now}"),
            )
            .at(file, course.version.span())
            .label(format!("the same as at `{rev}`"))
            .help(format!(
                "set `version = {suggested}` and add a [[revisions]] entry for it at the top (`coursepack diff {rev} <course dir>` shows what changed)"
            )),
        );
        return out;
    }
    if let (Some(was_v), Some(now_v)) = (was_v, now_v) {
        if now_v < was_v {
            out.push(
                Diagnostic::error(
                    Code::VersionWentBack,
                    format!("the version went back from {was} (at `{rev}`) to {now}"),
                )
                .at(file, course.version.span())
                .label(format!("lower than {was}"))
                .help(format!("set `version = {suggested}` or higher")),
            );
        } else if diff.answer_keys_changed()
            && (now_v.major, now_v.minor) == (was_v.major, was_v.minor)
        {
            out.push(
                Diagnostic::error(
                    Code::KeyChangeNeedsMinor,
                    format!(
                        "answer keys changed since `{rev}`, which needs at least a minor version bump, but {was} → {now} is a patch"
                    ),
                )
                .at(file, course.version.span())
                .label("a patch release")
                .help(format!(
                    "set `version = \"{}\"`: printed keys and exam forms must be reprinted, and the version tells trainers so",
                    was_v.next_minor()
                )),
            );
        }
    }
    if let (Some(top), Some(old_top)) = (course.revisions.first(), old.course.revisions.first()) {
        let (t, o) = (top.get_ref(), old_top.get_ref());
        if t.date == o.date && t.summary == o.summary {
            let span = top
                .version
                .as_ref()
                .map_or_else(|| top.span(), |v| v.span());
            out.push(
                Diagnostic::error(
                    Code::RevisionNotRecorded,
                    format!(
                        "the newest [[revisions]] entry was not updated for {now}: it has the same date and summary as at `{rev}`"
                    ),
                )
                .at(file, span)
                .label("unchanged since the last version")
                .help(format!(
                    "add a new [[revisions]] entry at the top with `version = \"{now}\"`, today's date and a summary of what changed; keep the entry for {was} below it"
                )),
            );
        }
    } else if course.revisions.is_empty() && !old.course.revisions.is_empty() {
        out.push(
            Diagnostic::error(
                Code::RevisionNotRecorded,
                format!("the [[revisions]] record was removed since `{rev}`"),
            )
            .at(file, course.version.span())
            .help(format!(
                "restore the [[revisions]] entries and add one for {now} at the top"
            )),
        );
    }
    out
}
