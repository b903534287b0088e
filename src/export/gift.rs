//! Moodle GIFT: a text file Moodle's question import reads (Question bank → Import → GIFT).
//!
//! Every text goes out as HTML (`[html]`) rendered by the one Markdown entry point, with GIFT's
//! specials (`~ = # { } :` and backslash) escaped and newlines written as `\n`, so each question
//! is one `::title::` line plus one line per answer, and no course text can end a question early
//! or start a comment. Short answers and the right-hand side of matching pairs are plain text,
//! as Moodle stores them.
//!
//! GIFT cannot carry points, an essay's rubric or model answer: those are warnings.

use std::fmt::Write;
use std::sync::Arc;

use super::quiz::{Choice, Pair};
use super::{Answer, Group, Item, Keep, Quiz, Warnings, choice_credit, refused};

/// The whole GIFT file, written to `to` a question at a time: a header comment, then per group
/// a `$CATEGORY:` line and its questions. With `keep`, a group the last build wrote from the
/// same group is copied from its file.
pub(super) fn write<'a>(
    quiz: &Quiz<'a>,
    groups: &mut dyn Iterator<Item = Arc<Group<'a>>>,
    warnings: &mut Warnings,
    to: &mut dyn std::io::Write,
    mut keep: Option<&mut Keep<'_>>,
) -> std::io::Result<()> {
    let course = quiz.course;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// {} {}: {}",
        course.id.get_ref(),
        course.version.get_ref(),
        one_line(course.title.get_ref())
    );
    out.push_str(
        "// Written by coursepack. Secure: it holds answers. Import into Moodle with \
         Question bank > Import > GIFT format, with \"Get category from file\" ticked.\n",
    );
    to.write_all(out.as_bytes())?;
    let mut written = out.len() as u64;
    out.clear();
    for group in groups {
        let key = keep.as_deref().map(|keep| keep.key(&group, None));
        if let (Some(keep), Some(key)) = (keep.as_deref_mut(), key)
            && let Some((bytes, losses)) = keep.kept(key)
        {
            to.write_all(bytes.as_bytes())?;
            let len = bytes.len() as u64;
            keep.copied(key, (written, len), losses, &group, warnings);
            written += len;
            continue;
        }
        let start = written;
        warnings.take_group();
        // A category line is a block of its own: blank lines around it.
        let _ = write!(
            out,
            "\n// {}\n$CATEGORY: $course$/top/{}/{}\n",
            one_line(&group.title),
            course.id.get_ref(),
            group.path
        );
        for item in &group.rendered().items {
            if refused(item, warnings) {
                continue;
            }
            out.push('\n');
            question(&mut out, item, warnings);
            to.write_all(out.as_bytes())?;
            written += out.len() as u64;
            out.clear();
        }
        to.write_all(out.as_bytes())?;
        written += out.len() as u64;
        out.clear();
        if let (Some(keep), Some(key)) = (keep.as_deref_mut(), key) {
            keep.wrote(key, (start, written - start), warnings);
        }
    }
    Ok(())
}

/// One question: its comment line, `::title::` and prompt, then the answers in braces.
fn question(out: &mut String, item: &Item<'_>, warnings: &mut Warnings) {
    comment(out, item, warnings);
    let _ = write!(
        out,
        "::{}::[html]{}{{",
        escape(&item.name),
        html(&item.prompt)
    );
    let answers_start = out.len();
    match &item.answer {
        Answer::Choice { multiple, choices } => {
            choice_answers(out, *multiple, choices);
        }
        Answer::TrueFalse(answer) => out.push_str(if *answer { "TRUE" } else { "FALSE" }),
        Answer::Short(accepted) => short_answers(out, item, accepted, warnings),
        Answer::Matching { pairs, .. } => matching_answers(out, pairs),
        Answer::Essay { model_answer, .. } => essay_losses(item, model_answer.is_some(), warnings),
    }
    if let Some(feedback) = &item.feedback {
        let _ = write!(out, "\n\t####{}", html(feedback));
    }
    let multiline = out[answers_start..].contains('\n');
    out.push_str(if multiline { "\n}\n" } else { "}\n" });
}

/// The `//` line above a question. GIFT has no field for points, so the points go here for a
/// reader of the file, and a question not worth 1 is a warning.
fn comment(out: &mut String, item: &Item<'_>, warnings: &mut Warnings) {
    let q = &item.question;
    let id = item.id();
    // `[id:…]` and `[tag:…]` in the comment become the idnumber and tags in Moodle 4.
    let _ = write!(out, "// [id:{id}] [tag:{}]", q.bank.as_str());
    for objective in &q.objectives {
        let _ = write!(out, " [tag:{objective}]");
    }
    let _ = writeln!(
        out,
        " {}, {} point{}",
        q.kind.as_str(),
        q.points,
        if q.points == 1 { "" } else { "s" }
    );
    if q.points != 1 {
        warnings.lost(
            "points are not carried, so these import worth 1 point (set the mark in Moodle, or \
             import the Moodle XML file)",
            item,
            Some(format!("({} points)", q.points)),
        );
    }
}

/// `=right` and `~wrong` for one correct choice; with several, every choice carries its share
/// as `~%credit%`, since that is the only way GIFT gives partial credit.
fn choice_answers(out: &mut String, multiple: bool, choices: &[Choice]) {
    // `write` leaves out a question Moodle has no grades for.
    let credit = choice_credit(multiple, choices).unwrap_or_default();
    for (choice, credit) in choices.iter().zip(credit) {
        let mark = match (multiple, choice.correct) {
            (false, true) => "=".to_owned(),
            (false, false) => "~".to_owned(),
            (true, _) => format!("~%{credit}%"),
        };
        let _ = write!(out, "\n\t{mark}{}", html(&choice.html));
    }
}

/// One `=answer` per accepted answer, as plain text because Moodle compares it as typed.
fn short_answers(out: &mut String, item: &Item<'_>, accepted: &[String], warnings: &mut Warnings) {
    for answer in accepted {
        if answer.trim_start().starts_with('%') {
            warnings.lost(
                "a short answer starting with % reads as a weight; check these answers \
                 after import",
                item,
                None,
            );
        }
        let _ = write!(out, "\n\t={}", escape(answer));
    }
}

/// `=left -> right`; the right-hand side is a drop-down item, so one line of plain text.
fn matching_answers(out: &mut String, pairs: &[Pair<'_>]) {
    for pair in pairs {
        let _ = write!(
            out,
            "\n\t={} -> {}",
            html(&pair.left_html),
            escape(&one_line(pair.right))
        );
    }
}

/// An essay is an empty `{}` in GIFT: what it cannot hold is reported, not dropped silently.
fn essay_losses(item: &Item<'_>, has_model_answer: bool, warnings: &mut Warnings) {
    warnings.lost(
        "no place for an essay's rubric, so these import without it (grade with the \
         instructor key, or import the Moodle XML file)",
        item,
        None,
    );
    if has_model_answer {
        warnings.lost(
            "no place for a model answer, so these essays import without it",
            item,
            None,
        );
    }
}

/// An HTML fragment as GIFT text: a leading `%` or `[` would read as a weight or a format, so
/// it becomes an entity.
fn html(fragment: &str) -> String {
    let trimmed = fragment.trim();
    let guarded = match trimmed.chars().next() {
        Some('%') => format!("&#37;{}", &trimmed[1..]),
        Some('[') => format!("&#91;{}", &trimmed[1..]),
        _ => trimmed.to_owned(),
    };
    escape(&guarded)
}

/// Escapes GIFT's specials and writes newlines as `\n`.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Comments and drop-down items are one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_escaped_and_newlines_kept_as_escapes() {
        assert_eq!(
            escape("a~b=c#d{e}f:g\\h\ni\r\n"),
            "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni\\n"
        );
    }

    #[test]
    fn a_leading_percent_or_bracket_cannot_become_a_weight_or_format() {
        assert_eq!(html("%50 off"), "&\\#37;50 off");
        assert_eq!(html("[html] x\n"), "&\\#91;html] x");
        assert_eq!(html("<p>a</p>\n<p>b</p>\n"), "<p>a</p>\\n<p>b</p>");
    }
}
