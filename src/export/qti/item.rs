//! One QTI 1.2 `<item>` per question, in the shapes Canvas writes and reads: text2qti's for the
//! types it knows, Canvas's own export for matching (which text2qti lacks).

use std::io;

use super::super::quiz::Choice;
use super::super::xml::Xml;
use super::super::{Answer, Item, Warnings};
use super::metadata;

/// One `<item>`: its metadata, what the learner sees, how it is scored, and the explanation.
/// `next_id` numbers every answer of the assessment (see [`response_ids`]).
pub(super) fn write(
    w: &mut Xml<'_>,
    assessment: &str,
    item: &Item<'_>,
    true_false: &[String; 2],
    next_id: &mut u64,
    warnings: &mut Warnings,
) -> io::Result<()> {
    let ident = format!("{assessment}_{}", item.id());
    let (choice_ids, right_ids) = response_ids(item, next_id);
    let question_type = question_type(&item.answer);
    if let Answer::Essay { model_answer, .. } = &item.answer {
        essay_losses(item, model_answer.is_some(), warnings);
    }
    w.create_element("item")
        .with_attributes([("ident", ident.as_str()), ("title", item.name.as_str())])
        .write_inner_content(|w| {
            w.create_element("itemmetadata").write_inner_content(|w| {
                metadata(
                    w,
                    &[
                        ("question_type", question_type.to_owned()),
                        ("points_possible", format!("{}.0", item.question.points)),
                        ("original_answer_ids", choice_ids.join(",")),
                        ("assessment_question_identifierref", format!("{ident}_ref")),
                    ],
                )
            })?;
            presentation(w, item, true_false, &choice_ids, &right_ids)?;
            resprocessing(w, item, &choice_ids, &right_ids)?;
            if let Some(feedback) = &item.feedback {
                w.create_element("itemfeedback")
                    .with_attribute(("ident", "general_fb"))
                    .write_inner_content(|w| {
                        w.create_element("flow_mat")
                            .write_inner_content(|w| material(w, feedback, Some("text/html")))?;
                        Ok(())
                    })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Canvas's `question_type`, named as in text2qti and Canvas's own export.
fn question_type(answer: &Answer<'_>) -> &'static str {
    match answer {
        Answer::Choice {
            multiple: false, ..
        } => "multiple_choice_question",
        Answer::Choice { multiple: true, .. } => "multiple_answers_question",
        Answer::TrueFalse(_) => "true_false_question",
        Answer::Short(_) => "short_answer_question",
        Answer::Matching { .. } => "matching_question",
        Answer::Essay { .. } => "essay_question",
    }
}

/// What an essay loses on the way to Canvas is reported, not dropped silently.
fn essay_losses(item: &Item<'_>, has_model_answer: bool, warnings: &mut Warnings) {
    warnings.lost(
        "Canvas quizzes have no place for an essay's rubric, so these import without it \
         (grade with the instructor key, or use Moodle XML)",
        item,
        None,
    );
    if has_model_answer {
        warnings.lost(
            "Canvas quizzes have no place for a model answer; these essays import without one",
            item,
            None,
        );
    }
}

/// The identifiers of what a learner picks from, in display order: choices, true and false,
/// the accepted short answers, or the left items of a matching question (`response_<n>`); and
/// for matching, the right items. Canvas's importer reads an answer's id as the first run of
/// digits in its identifier, so every one is a number unique in the assessment, as Canvas's
/// own export writes them (docs/lms.md). They count up in display order, so they never give
/// away which choice is correct.
fn response_ids(item: &Item<'_>, next_id: &mut u64) -> (Vec<String>, Vec<String>) {
    let mut take = |n: usize| -> Vec<u64> {
        (0..n)
            .map(|_| {
                *next_id += 1;
                *next_id
            })
            .collect()
    };
    let numbers = |ids: Vec<u64>| ids.into_iter().map(|n| n.to_string()).collect();
    match &item.answer {
        Answer::Choice { choices, .. } => (numbers(take(choices.len())), Vec::new()),
        Answer::TrueFalse(_) => (numbers(take(2)), Vec::new()),
        Answer::Short(accepted) => (numbers(take(accepted.len())), Vec::new()),
        Answer::Matching { pairs, .. } => {
            let left = take(pairs.len())
                .into_iter()
                .map(|n| format!("response_{n}"))
                .collect();
            (left, numbers(take(pairs.len())))
        }
        Answer::Essay { .. } => (Vec::new(), Vec::new()),
    }
}

/// What the learner sees: the prompt, then the choices, a text box, or a drop-down per left
/// item.
fn presentation(
    w: &mut Xml<'_>,
    item: &Item<'_>,
    true_false: &[String; 2],
    ids: &[String],
    right_ids: &[String],
) -> io::Result<()> {
    w.create_element("presentation").write_inner_content(|w| {
        material(w, &item.prompt, Some("text/html"))?;
        match &item.answer {
            Answer::Choice { multiple, choices } => {
                let labels: Vec<(&str, &str)> = ids
                    .iter()
                    .zip(choices)
                    .map(|(id, c)| (id.as_str(), c.html.as_str()))
                    .collect();
                choice_list(w, if *multiple { "Multiple" } else { "Single" }, &labels)?;
            }
            Answer::TrueFalse(_) => {
                let labels = [
                    (ids[0].as_str(), true_false[0].as_str()),
                    (ids[1].as_str(), true_false[1].as_str()),
                ];
                choice_list(w, "Single", &labels)?;
            }
            Answer::Short(_) | Answer::Essay { .. } => {
                w.create_element("response_str")
                    .with_attributes([("ident", "response1"), ("rcardinality", "Single")])
                    .write_inner_content(|w| {
                        w.create_element("render_fib").write_inner_content(|w| {
                            w.create_element("response_label")
                                .with_attributes([("ident", "answer1"), ("rshuffle", "No")])
                                .write_empty()?;
                            Ok(())
                        })?;
                        Ok(())
                    })?;
            }
            Answer::Matching { pairs, right_order } => {
                for (left_id, pair) in ids.iter().zip(pairs) {
                    w.create_element("response_lid")
                        .with_attribute(("ident", left_id.as_str()))
                        .write_inner_content(|w| {
                            material(w, &pair.left_text, Some("text/plain"))?;
                            w.create_element("render_choice").write_inner_content(|w| {
                                for (id, &pair) in right_ids.iter().zip(right_order) {
                                    w.create_element("response_label")
                                        .with_attribute(("ident", id.as_str()))
                                        .write_inner_content(|w| {
                                            material(w, pairs[pair].right, None)
                                        })?;
                                }
                                Ok(())
                            })?;
                            Ok(())
                        })?;
                }
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// `<response_lid ident="response1">` with one labelled choice per entry.
fn choice_list(w: &mut Xml<'_>, cardinality: &str, labels: &[(&str, &str)]) -> io::Result<()> {
    w.create_element("response_lid")
        .with_attributes([("ident", "response1"), ("rcardinality", cardinality)])
        .write_inner_content(|w| {
            w.create_element("render_choice").write_inner_content(|w| {
                for (id, html) in labels {
                    w.create_element("response_label")
                        .with_attribute(("ident", *id))
                        .write_inner_content(|w| material(w, html, Some("text/html")))?;
                }
                Ok(())
            })?;
            Ok(())
        })?;
    Ok(())
}

/// Scoring: SCORE runs 0–100 and Canvas scales it to the item's points.
fn resprocessing(
    w: &mut Xml<'_>,
    item: &Item<'_>,
    ids: &[String],
    right_ids: &[String],
) -> io::Result<()> {
    w.create_element("resprocessing").write_inner_content(|w| {
        score_outcome(w)?;
        match &item.answer {
            Answer::Choice { multiple, choices } => {
                general_feedback(w, item)?;
                choice_scoring(w, ids, *multiple, choices)?;
            }
            Answer::TrueFalse(value) => {
                general_feedback(w, item)?;
                let id = if *value { &ids[0] } else { &ids[1] };
                full_marks_if(w, |w| varequal(w, "response1", id))?;
            }
            Answer::Short(accepted) => {
                general_feedback(w, item)?;
                short_answer_scoring(w, accepted)?;
            }
            Answer::Matching { right_order, .. } => {
                matching_scoring(w, ids, right_ids, right_order)?;
                general_feedback(w, item)?;
            }
            Answer::Essay { .. } => {
                condition(w, Some("No"), |w| empty(w, "other"), None, None)?;
                general_feedback(w, item)?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// `<outcomes>` declaring SCORE as a decimal from 0 to 100.
fn score_outcome(w: &mut Xml<'_>) -> io::Result<()> {
    w.create_element("outcomes").write_inner_content(|w| {
        w.create_element("decvar")
            .with_attributes([
                ("maxvalue", "100"),
                ("minvalue", "0"),
                ("varname", "SCORE"),
                ("vartype", "Decimal"),
            ])
            .write_empty()?;
        Ok(())
    })?;
    Ok(())
}

/// A condition that always holds and shows the explanation, when the question has one;
/// `continue` Yes so that scoring goes on after it.
fn general_feedback(w: &mut Xml<'_>, item: &Item<'_>) -> io::Result<()> {
    if item.feedback.is_some() {
        condition(
            w,
            Some("Yes"),
            |w| empty(w, "other"),
            None,
            Some("general_fb"),
        )?;
    }
    Ok(())
}

/// A condition that sets SCORE to 100 and stops there.
fn full_marks_if(
    w: &mut Xml<'_>,
    test: impl FnOnce(&mut Xml<'_>) -> io::Result<()>,
) -> io::Result<()> {
    condition(w, Some("No"), test, Some(("Set", "100")), None)
}

/// One correct choice scores when picked; several score only when exactly the correct ones
/// are picked, all or nothing, in the shape text2qti writes.
fn choice_scoring(
    w: &mut Xml<'_>,
    ids: &[String],
    multiple: bool,
    choices: &[Choice],
) -> io::Result<()> {
    let correct: Vec<(&String, bool)> = ids.iter().zip(choices.iter().map(|c| c.correct)).collect();
    if multiple {
        let all = |w: &mut Xml<'_>| -> io::Result<()> {
            w.create_element("and").write_inner_content(|w| {
                for (id, is_correct) in &correct {
                    if *is_correct {
                        varequal(w, "response1", id)?;
                    } else {
                        w.create_element("not")
                            .write_inner_content(|w| varequal(w, "response1", id))?;
                    }
                }
                Ok(())
            })?;
            Ok(())
        };
        full_marks_if(w, all)?;
    } else if let Some((id, _)) = correct.iter().find(|(_, c)| *c) {
        full_marks_if(w, |w| varequal(w, "response1", id))?;
    }
    Ok(())
}

/// Full marks when the typed answer equals any accepted one.
fn short_answer_scoring(w: &mut Xml<'_>, accepted: &[String]) -> io::Result<()> {
    let any = |w: &mut Xml<'_>| -> io::Result<()> {
        for answer in accepted {
            varequal(w, "response1", answer)?;
        }
        Ok(())
    };
    full_marks_if(w, any)
}

/// Each left item matched to its right item adds an equal share of 100.
fn matching_scoring(
    w: &mut Xml<'_>,
    left_ids: &[String],
    right_ids: &[String],
    right_order: &[usize],
) -> io::Result<()> {
    let share = format!("{:.2}", 100.0 / left_ids.len().max(1) as f64);
    for (pair, left_id) in left_ids.iter().enumerate() {
        let position = right_order.iter().position(|&p| p == pair).unwrap_or(0);
        let right_id = &right_ids[position];
        let pick = |w: &mut Xml<'_>| varequal(w, left_id, right_id);
        // As Canvas writes matching: no `continue`, each pair adds its share.
        condition(w, None, pick, Some(("Add", share.as_str())), None)?;
    }
    Ok(())
}

/// `<respcondition continue=…>` with its condition, an optional score and optional feedback.
fn condition(
    w: &mut Xml<'_>,
    continue_: Option<&str>,
    test: impl FnOnce(&mut Xml<'_>) -> io::Result<()>,
    score: Option<(&str, &str)>,
    feedback: Option<&str>,
) -> io::Result<()> {
    let mut respcondition = w.create_element("respcondition");
    if let Some(continue_) = continue_ {
        respcondition = respcondition.with_attribute(("continue", continue_));
    }
    respcondition.write_inner_content(|w| {
        w.create_element("conditionvar").write_inner_content(test)?;
        if let Some((action, value)) = score {
            w.create_element("setvar")
                .with_attributes([("action", action), ("varname", "SCORE")])
                .write_text_content(quick_xml::events::BytesText::new(value))?;
        }
        if let Some(link) = feedback {
            w.create_element("displayfeedback")
                .with_attributes([("feedbacktype", "Response"), ("linkrefid", link)])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `<varequal>`: the response equals the value, made XML-safe like every other text.
fn varequal(w: &mut Xml<'_>, response: &str, value: &str) -> io::Result<()> {
    w.create_element("varequal")
        .with_attribute(("respident", response))
        .write_text_content(quick_xml::events::BytesText::new(&super::super::xml::safe(
            value,
        )))?;
    Ok(())
}

/// An empty element, such as `<other/>`, the condition that always holds.
fn empty(w: &mut Xml<'_>, name: &str) -> io::Result<()> {
    w.create_element(name).write_empty()?;
    Ok(())
}

/// `<material><mattext texttype=…>escaped text</mattext></material>`.
fn material(w: &mut Xml<'_>, text: &str, texttype: Option<&str>) -> io::Result<()> {
    w.create_element("material").write_inner_content(|w| {
        let mut mattext = w.create_element("mattext");
        if let Some(texttype) = texttype {
            mattext = mattext.with_attribute(("texttype", texttype));
        }
        mattext.write_text_content(quick_xml::events::BytesText::new(&super::super::xml::safe(
            text,
        )))?;
        Ok(())
    })?;
    Ok(())
}
