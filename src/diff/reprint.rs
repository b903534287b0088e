//! Which printed checks, keys and exam forms differ: each side is planned with default options
//! (the course's own seeds), and every check, key, form and the blueprint is reduced to what it
//! prints per question. A page whose questions print differently must be reprinted.

use std::collections::BTreeMap;

use super::{ChangeKind, Reprint};
use crate::model::{Curriculum, QuestionKind};
use crate::plan::{Options, PageKind, Placed, Plan};

/// What one page prints, question by question: (question id, what it shows).
type Printed = Vec<(String, String)>;

/// The printed pages of a plan that show questions, by output path, with their title, kind and
/// content.
fn printed(plan: &Plan<'_>) -> BTreeMap<String, (usize, String, PageKind, Printed)> {
    let order: BTreeMap<PageKind, usize> = plan
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.kind, i))
        .collect();
    let mut pages = BTreeMap::new();
    let mut add = |kind: PageKind, items: Printed| {
        if let Some(page) = plan.page(kind) {
            let order = order.get(&kind).copied().unwrap_or(0);
            pages.insert(page.path(), (order, page.title.clone(), kind, items));
        }
    };
    for (i, check) in plan.checks.iter().enumerate() {
        add(PageKind::Check(i), check.iter().map(|p| paper(p)).collect());
        add(
            PageKind::CheckKey(i),
            check.iter().map(|p| key(p)).collect(),
        );
    }
    for (f, form) in plan.forms.iter().enumerate() {
        add(
            PageKind::Form(f),
            form.items.iter().map(|p| paper(p)).collect(),
        );
        add(
            PageKind::FormKey(f),
            form.items.iter().map(|p| key(p)).collect(),
        );
    }
    let blueprint = plan
        .forms
        .iter()
        .flat_map(|form| {
            form.items.iter().map(move |p| {
                let objectives: Vec<&str> =
                    p.question.objectives.iter().map(|o| o.as_str()).collect();
                (
                    p.question.id.to_string(),
                    format!("{}:{}:{}", form.letter, p.number, objectives.join(",")),
                )
            })
        })
        .collect();
    add(PageKind::Blueprint, blueprint);
    pages
}

/// What a question shows on a paper: number, prompt, points, choices in order, matching items.
fn paper(p: &Placed<'_>) -> (String, String) {
    let q = p.question;
    let choices: Vec<&str> = p.choices.iter().map(|c| c.text(q)).collect();
    let mut shown = format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        p.number,
        q.question_type().as_str(),
        q.prompt.as_str(),
        q.points,
        choices.join("\u{1e}")
    );
    if let QuestionKind::Matching { pairs } = &q.kind {
        for pair in pairs {
            shown.push_str(&format!("\u{1e}{}", pair[0]));
        }
        for &r in &p.right_order {
            shown.push_str(&format!("\u{1e}{}", pairs[r][1]));
        }
    }
    (q.id.to_string(), shown)
}

/// What a question shows in a key: its paper plus the answers, explanation and rubric.
fn key(p: &Placed<'_>) -> (String, String) {
    let (id, mut shown) = paper(p);
    let q = p.question;
    let letters: String = p.correct_letters().into_iter().collect();
    let matching: String = p.matching_key().into_iter().collect();
    shown.push_str(&format!("\u{1f}{letters}\u{1f}{matching}"));
    match &q.kind {
        QuestionKind::ShortAnswer { accepted } => shown.push_str(&accepted.join("\u{1e}")),
        QuestionKind::Essay {
            rubric,
            model_answer,
        } => {
            shown.push_str(rubric);
            shown.push_str(model_answer.as_deref().unwrap_or(""));
        }
        _ => {}
    }
    shown.push_str(q.explanation.as_deref().unwrap_or(""));
    (id, shown)
}

/// Whether a question's answers (not its wording) differ between two key lines.
fn answers_differ(old: &str, new: &str) -> bool {
    // The key line is the paper line followed by the answers; a different paper with the same
    // answers is a reworded question, not a changed key.
    let tail = |s: &str| s.split('\u{1f}').skip(5).collect::<Vec<_>>().join("\u{1f}");
    let choices = |s: &str| s.split('\u{1f}').nth(4).unwrap_or("").to_owned();
    tail(old) != tail(new) || choices(old) != choices(new)
}

/// Every printed page that differs between the two curricula, planned with default options.
pub(super) fn reprints(old: &Curriculum, new: &Curriculum) -> Vec<Reprint> {
    let options = Options::default();
    let (old_plan, new_plan) = (Plan::new(old, &options), Plan::new(new, &options));
    let (before, after) = (printed(&old_plan), printed(&new_plan));
    let mut out: Vec<(usize, Reprint)> = Vec::new();
    for (path, (order, title, kind, items)) in &after {
        let is_key = matches!(kind, PageKind::CheckKey(_) | PageKind::FormKey(_));
        match before.get(path) {
            None => out.push((
                *order,
                Reprint {
                    artefact: path.clone(),
                    title: title.clone(),
                    change: ChangeKind::Added,
                    answer_key: is_key,
                    questions: items.iter().map(|(id, _)| id.clone()).collect(),
                },
            )),
            Some((_, _, _, old_items)) if old_items != items => {
                let old_by_id: BTreeMap<&str, &str> = old_items
                    .iter()
                    .map(|(id, s)| (id.as_str(), s.as_str()))
                    .collect();
                let new_by_id: BTreeMap<&str, &str> = items
                    .iter()
                    .map(|(id, s)| (id.as_str(), s.as_str()))
                    .collect();
                let mut questions = Vec::new();
                let mut answers = false;
                for (id, shown) in items {
                    match old_by_id.get(id.as_str()) {
                        None => {
                            answers = true;
                            questions.push(id.clone());
                        }
                        Some(old_shown) if old_shown != shown => {
                            // Numbers move when questions come and go: compare without them.
                            let strip = |s: &str| s.split_once('\u{1f}').map(|x| x.1.to_owned());
                            if strip(old_shown) != strip(shown) {
                                answers |= answers_differ(old_shown, shown);
                                questions.push(id.clone());
                            }
                        }
                        Some(_) => {}
                    }
                }
                for (id, _) in old_items {
                    if !new_by_id.contains_key(id.as_str()) {
                        answers = true;
                        questions.push(id.clone());
                    }
                }
                out.push((
                    *order,
                    Reprint {
                        artefact: path.clone(),
                        title: title.clone(),
                        change: ChangeKind::Changed,
                        answer_key: is_key && answers,
                        questions,
                    },
                ));
            }
            Some(_) => {}
        }
    }
    for (path, (_, title, kind, items)) in &before {
        if !after.contains_key(path) {
            out.push((
                usize::MAX,
                Reprint {
                    artefact: path.clone(),
                    title: title.clone(),
                    change: ChangeKind::Removed,
                    answer_key: matches!(kind, PageKind::CheckKey(_) | PageKind::FormKey(_)),
                    questions: items.iter().map(|(id, _)| id.clone()).collect(),
                },
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.artefact.cmp(&b.1.artefact)));
    out.into_iter().map(|(_, r)| r).collect()
}
