//! Moodle XML: the format Moodle's own question export writes, and the one that carries
//! everything coursepack knows about a question: points (`defaultgrade`), HTML text, general
//! feedback, multiple-answer credit, objectives as tags, and an essay's rubric and model answer
//! as grader information.
//!
//! HTML goes in CDATA (split where the text holds `]]>`); plain text (names, short answers,
//! matching drop-down items) is XML-escaped.

use std::cell::Cell;
use std::io::{self, Write as _};
use std::sync::Arc;

use super::quiz::{Choice, Facts, Pair};
use super::xml::{Xml, cdata, document, element, finish, text};
use super::{Answer, Counted, Group, Item, Keep, Quiz, Warnings, choice_credit, refused};
use crate::markdown::escape_html;

/// The whole `<quiz>` document: per group a category question, then the group's questions.
/// With `keep`, a group the last build wrote from the same group is copied from its file: the
/// writer indents by depth alone, so a group's bytes are the same wherever it goes.
pub(super) fn write<'a>(
    quiz: &Quiz<'a>,
    groups: &mut dyn Iterator<Item = Arc<Group<'a>>>,
    warnings: &mut Warnings,
    out: &mut dyn io::Write,
    mut keep: Option<&mut Keep<'_>>,
) -> io::Result<()> {
    let written = Cell::new(0);
    let mut counted = Counted::new(out, &written);
    let mut w = document(&mut counted)?;
    w.create_element("quiz").write_inner_content(|w| {
        for group in groups {
            let key = keep.as_deref().map(|keep| keep.key(&group, None));
            if let (Some(keep), Some(key)) = (keep.as_deref_mut(), key)
                && let Some((bytes, losses)) = keep.kept(key)
            {
                let start = written.get();
                w.get_mut().write_all(bytes.as_bytes())?;
                keep.copied(key, (start, bytes.len() as u64), losses, &group, warnings);
                continue;
            }
            let start = written.get();
            warnings.take_group();
            let path = format!("$course$/top/{}/{}", quiz.course.id.get_ref(), group.path);
            w.create_element("question")
                .with_attribute(("type", "category"))
                .write_inner_content(|w| {
                    w.create_element("category")
                        .write_inner_content(|w| element(w, "text", &path))?;
                    html_field(
                        w,
                        "info",
                        &format!(
                            "<p>{}</p>{}",
                            escape_html(&group.title),
                            group.rendered().description
                        ),
                    )
                })?;
            for item in &group.rendered().items {
                if !refused(item, warnings) {
                    question(w, item, quiz.form.is_none())?;
                }
            }
            if let (Some(keep), Some(key)) = (keep.as_deref_mut(), key) {
                keep.wrote(key, (start, written.get() - start), warnings);
            }
        }
        Ok(())
    })?;
    finish(w)
}

/// One `<question>`: the fields every type shares, then the type's own, then the tags.
fn question(w: &mut Xml<'_>, item: &Item<'_>, shuffle: bool) -> io::Result<()> {
    w.create_element("question")
        .with_attribute(("type", kind(&item.answer)))
        .write_inner_content(|w| {
            w.create_element("name")
                .write_inner_content(|w| element(w, "text", &item.name))?;
            html_field(w, "questiontext", &item.prompt)?;
            html_field(w, "generalfeedback", item.feedback.as_deref().unwrap_or(""))?;
            element(w, "defaultgrade", &item.question.points.to_string())?;
            element(w, "penalty", penalty(&item.answer))?;
            element(w, "hidden", "0")?;
            element(w, "idnumber", item.id())?;
            match &item.answer {
                Answer::Choice { multiple, choices } => {
                    choice_fields(w, *multiple, choices, shuffle)?;
                }
                Answer::TrueFalse(value) => true_false_fields(w, *value)?,
                Answer::Short(accepted) => short_answer_fields(w, accepted)?,
                Answer::Matching { pairs, .. } => matching_fields(w, pairs)?,
                Answer::Essay {
                    rubric,
                    model_answer,
                } => essay_fields(w, rubric, model_answer.as_deref())?,
            }
            tags(w, &item.question)
        })?;
    Ok(())
}

/// Moodle's name for the question type, the `type` attribute of `<question>`.
fn kind(answer: &Answer<'_>) -> &'static str {
    match answer {
        Answer::Choice { .. } => "multichoice",
        Answer::TrueFalse(_) => "truefalse",
        Answer::Short(_) => "shortanswer",
        Answer::Matching { .. } => "matching",
        Answer::Essay { .. } => "essay",
    }
}

/// Moodle's own defaults: a wrong try costs a third, except where there is only one.
fn penalty(answer: &Answer<'_>) -> &'static str {
    match answer {
        Answer::TrueFalse(_) => "1.0000000",
        Answer::Essay { .. } => "0.0000000",
        _ => "0.3333333",
    }
}

/// A multichoice question's settings and one answer per choice with its share of the credit.
/// An exam form keeps the printed order, so only a bank lets Moodle shuffle.
fn choice_fields(
    w: &mut Xml<'_>,
    multiple: bool,
    choices: &[Choice],
    shuffle: bool,
) -> io::Result<()> {
    element(w, "single", if multiple { "false" } else { "true" })?;
    element(w, "shuffleanswers", if shuffle { "true" } else { "false" })?;
    element(w, "answernumbering", "abc")?;
    element(w, "showstandardinstruction", "0")?;
    combined_feedback(w)?;
    // `write` leaves out a question Moodle has no grades for.
    let credit = choice_credit(multiple, choices).unwrap_or_default();
    for (choice, credit) in choices.iter().zip(credit) {
        answer(w, &credit, "html", |w| cdata(w, &choice.html))?;
    }
    Ok(())
}

/// Moodle's true-false question is two answers, `true` and `false`, one of them worth 100.
fn true_false_fields(w: &mut Xml<'_>, value: bool) -> io::Result<()> {
    for (label, is) in [("true", true), ("false", false)] {
        let credit = if is == value { "100" } else { "0" };
        answer(w, credit, "moodle_auto_format", |w| text(w, label))?;
    }
    Ok(())
}

/// Every accepted answer is worth full marks and, as docs/lms.md promises, matched ignoring
/// case (`usecase` 0).
fn short_answer_fields(w: &mut Xml<'_>, accepted: &[String]) -> io::Result<()> {
    element(w, "usecase", "0")?;
    for accepted in accepted {
        answer(w, "100", "moodle_auto_format", |w| text(w, accepted))?;
    }
    Ok(())
}

/// One `<subquestion>` per pair: the left side as HTML, the right as the plain text Moodle
/// shows in its drop-down (which Moodle shuffles itself).
fn matching_fields(w: &mut Xml<'_>, pairs: &[Pair<'_>]) -> io::Result<()> {
    element(w, "shuffleanswers", "true")?;
    combined_feedback(w)?;
    for pair in pairs {
        w.create_element("subquestion")
            .with_attribute(("format", "html"))
            .write_inner_content(|w| {
                w.create_element("text")
                    .write_inner_content(|w| cdata(w, &pair.left_html))?;
                w.create_element("answer").write_inner_content(|w| {
                    w.create_element("text")
                        .write_inner_content(|w| text(w, pair.right))?;
                    Ok(())
                })?;
                Ok(())
            })?;
    }
    Ok(())
}

/// An essay's response settings; the rubric and model answer go in the grader information,
/// which graders see and learners do not.
fn essay_fields(w: &mut Xml<'_>, rubric: &str, model_answer: Option<&str>) -> io::Result<()> {
    element(w, "responseformat", "editor")?;
    element(w, "responserequired", "1")?;
    element(w, "responsefieldlines", "15")?;
    element(w, "attachments", "0")?;
    element(w, "attachmentsrequired", "0")?;
    let mut info = format!("<p><strong>Rubric</strong></p>{rubric}");
    if let Some(model) = model_answer {
        info.push_str("<p><strong>Model answer</strong></p>");
        info.push_str(model);
    }
    html_field(w, "graderinfo", &info)?;
    html_field(w, "responsetemplate", "")
}

/// The bank and the objectives as tags, so a question bank can be filtered by either.
fn tags(w: &mut Xml<'_>, q: &Facts<'_>) -> io::Result<()> {
    w.create_element("tags").write_inner_content(|w| {
        let bank = std::iter::once(q.bank.as_str());
        for tag in bank.chain(q.objectives.iter().copied()) {
            w.create_element("tag")
                .write_inner_content(|w| element(w, "text", tag))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `<answer fraction="…" format="…"><text>…</text><feedback …/></answer>`.
fn answer(
    w: &mut Xml<'_>,
    fraction: &str,
    format: &str,
    body: impl FnOnce(&mut Xml<'_>) -> io::Result<()>,
) -> io::Result<()> {
    w.create_element("answer")
        .with_attribute(("fraction", fraction))
        .with_attribute(("format", format))
        .write_inner_content(|w| {
            w.create_element("text").write_inner_content(body)?;
            html_field(w, "feedback", "")
        })?;
    Ok(())
}

/// The per-outcome feedback Moodle expects of choice and matching questions; coursepack's
/// explanation is the general feedback, so these stay empty.
fn combined_feedback(w: &mut Xml<'_>) -> io::Result<()> {
    for name in [
        "correctfeedback",
        "partiallycorrectfeedback",
        "incorrectfeedback",
    ] {
        html_field(w, name, "")?;
    }
    Ok(())
}

/// `<name format="html"><text><![CDATA[…]]></text></name>`.
fn html_field(w: &mut Xml<'_>, name: &str, html: &str) -> io::Result<()> {
    w.create_element(name)
        .with_attribute(("format", "html"))
        .write_inner_content(|w| {
            w.create_element("text")
                .write_inner_content(|w| cdata(w, html))?;
            Ok(())
        })?;
    Ok(())
}
