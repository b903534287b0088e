//! Module by module: objectives, sections, terms, activities, questions and sources.

use similar::{Algorithm, DiffOp, capture_diff_slices};

mod questions;

use std::collections::HashMap;

use questions::{QuestionIndex, question_index, questions};

use super::{
    ActivityChange, Change, ChangeKind, Edit, FieldChange, ModuleDiff, ObjectiveChange, RoleChange,
    SectionChange, SourceChange, TermChange, words,
};
use crate::model::{Activity, Curriculum, Module, ModuleFile, Section};

/// A diff for every module both sides have, in the new side's order (empty ones included).
pub(super) fn changed_modules(old: &Curriculum, new: &Curriculum) -> Vec<ModuleDiff> {
    let old_modules: HashMap<&str, &ModuleFile> =
        old.modules.iter().map(|m| (m.id.as_str(), m)).collect();
    let (old_questions, new_questions) = (question_index(old), question_index(new));
    new.modules
        .iter()
        .filter_map(|n| {
            let o = old_modules.get(n.id.as_str())?;
            Some(module_diff(&old_questions, o, n, &new_questions))
        })
        .collect()
}

fn module_diff(
    old_course: &QuestionIndex<'_>,
    old: &ModuleFile,
    new: &ModuleFile,
    new_course: &QuestionIndex<'_>,
) -> ModuleDiff {
    let (o, n) = (&old.module, &new.module);
    let mut fields = Vec::new();
    field(
        &mut fields,
        "title",
        Some(o.title.as_str()),
        Some(n.title.as_str()),
    );
    field(&mut fields, "goal", o.goal.as_deref(), n.goal.as_deref());
    let minutes = Change::of(o.planned_minutes(), n.planned_minutes());
    let declared = |m: &Module| m.minutes.as_ref().map(|m| u64::from(*m.get_ref()));
    // A declared total equals the planned one (the checker sees to it): report it once.
    if (declared(o), declared(n))
        != (
            minutes.as_ref().map(|m| m.old),
            minutes.as_ref().map(|m| m.new),
        )
    {
        field(
            &mut fields,
            "minutes",
            o.minutes.as_ref().map(|m| m.to_string()).as_deref(),
            n.minutes.as_ref().map(|m| m.to_string()).as_deref(),
        );
    }
    field(
        &mut fields,
        "materials",
        Some(list(&o.materials).as_str()),
        Some(list(&n.materials).as_str()),
    );
    ModuleDiff {
        id: new.id.clone(),
        title: n.title.to_string(),
        fields,
        minutes,
        objectives: objectives(o, n),
        sections: sections(&o.sections, &n.sections),
        terms: terms(o, n),
        activities: activities(o, n),
        questions: questions(old_course, old, new, new_course),
        sources: sources(o, n),
    }
}

/// Pushes a [`FieldChange`] when the values differ.
pub(super) fn field(out: &mut Vec<FieldChange>, name: &str, old: Option<&str>, new: Option<&str>) {
    if old != new {
        out.push(FieldChange {
            field: name.to_owned(),
            old: old.map(str::to_owned),
            new: new.map(str::to_owned),
        });
    }
}

pub(super) fn list<S: std::fmt::Display>(items: &[S]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" | ")
}

fn objectives(o: &Module, n: &Module) -> Vec<ObjectiveChange> {
    let mut out = Vec::new();
    for new in &n.objectives {
        match o.objectives.iter().find(|x| x.id == new.id) {
            None => out.push(ObjectiveChange {
                id: new.id.to_string(),
                change: ChangeKind::Added,
                old: None,
                new: Some(new.text.clone()),
            }),
            Some(old) if old.text != new.text => out.push(ObjectiveChange {
                id: new.id.to_string(),
                change: ChangeKind::Reworded,
                old: Some(old.text.clone()),
                new: Some(new.text.clone()),
            }),
            Some(_) => {}
        }
    }
    for old in o
        .objectives
        .iter()
        .filter(|x| !n.objectives.iter().any(|y| y.id == x.id))
    {
        out.push(ObjectiveChange {
            id: old.id.to_string(),
            change: ChangeKind::Removed,
            old: Some(old.text.clone()),
            new: None,
        });
    }
    out
}

/// Sections are matched by title; the ones left over are paired in order (a retitled section),
/// and what remains was added or removed.
fn sections(old: &[Section], new: &[Section]) -> Vec<SectionChange> {
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut old_used = vec![false; old.len()];
    let mut unmatched_new = Vec::new();
    for (j, n) in new.iter().enumerate() {
        match (0..old.len()).find(|&i| !old_used[i] && old[i].title == n.title) {
            Some(i) => {
                old_used[i] = true;
                pairs.push((Some(i), Some(j)));
            }
            None => unmatched_new.push(j),
        }
    }
    let mut unmatched_old = (0..old.len()).filter(|&i| !old_used[i]);
    for j in unmatched_new {
        pairs.push((unmatched_old.next(), Some(j)));
    }
    pairs.extend(unmatched_old.map(|i| (Some(i), None)));
    pairs.sort_by_key(|&(i, j)| (j.unwrap_or(usize::MAX), i));
    pairs
        .into_iter()
        .filter_map(|(i, j)| section_change(i.map(|i| &old[i]), j.map(|j| &new[j])))
        .collect()
}

fn section_change(old: Option<&Section>, new: Option<&Section>) -> Option<SectionChange> {
    let (ob, nb) = (
        old.map_or("", |s| &s.body[..]),
        new.map_or("", |s| &s.body[..]),
    );
    let count = Change {
        old: words(ob),
        new: words(nb),
    };
    let word_delta = count.new as i64 - count.old as i64;
    let (change, title, old_title) = match (old, new) {
        (None, Some(n)) => (ChangeKind::Added, n.title.clone(), None),
        (Some(o), None) => (ChangeKind::Removed, o.title.clone(), None),
        (Some(o), Some(n)) => (
            ChangeKind::Changed,
            n.title.clone(),
            (o.title != n.title).then(|| o.title.clone()),
        ),
        (None, None) => return None,
    };
    let mut fields = Vec::new();
    let mut minutes = None;
    let mut excerpt = Vec::new();
    if let (Some(o), Some(n)) = (old, new) {
        minutes = Change::of(*o.minutes.get_ref(), *n.minutes.get_ref());
        field(
            &mut fields,
            "method",
            Some(o.method.label()),
            Some(n.method.label()),
        );
        field(
            &mut fields,
            "key_points",
            Some(&list(&o.key_points)),
            Some(&list(&n.key_points)),
        );
        field(
            &mut fields,
            "instructor_notes",
            o.instructor_notes.as_deref(),
            n.instructor_notes.as_deref(),
        );
        field(
            &mut fields,
            "objectives",
            Some(&list(&o.objectives)),
            Some(&list(&n.objectives)),
        );
        field(
            &mut fields,
            "sources",
            Some(&list(&o.sources)),
            Some(&list(&n.sources)),
        );
        excerpt = edits(ob, nb);
        let unchanged = old_title.is_none() && minutes.is_none() && fields.is_empty() && ob == nb;
        if unchanged {
            return None;
        }
    }
    Some(SectionChange {
        title,
        change,
        old_title,
        words: count,
        word_delta,
        minutes,
        fields,
        excerpt,
    })
}

/// How many edits a section's excerpt shows, words of context, and words per side of an edit.
const EDITS: usize = 3;
const CONTEXT: usize = 5;
const EDIT_WORDS: usize = 24;

/// The word runs that changed between two texts, with a few words of context each.
pub(super) fn edits(old: &str, new: &str) -> Vec<Edit> {
    let o: Vec<&str> = old.split_whitespace().collect();
    let n: Vec<&str> = new.split_whitespace().collect();
    let ops = capture_diff_slices(Algorithm::Myers, &o, &n);
    let mut out = Vec::new();
    let mut k = 0;
    while k < ops.len() && out.len() < EDITS {
        if matches!(ops[k], DiffOp::Equal { .. }) {
            k += 1;
            continue;
        }
        // A run of changes: from the first non-equal op to the next equal one.
        let start = k;
        while k < ops.len() && !matches!(ops[k], DiffOp::Equal { .. }) {
            k += 1;
        }
        let old_range = ops[start].old_range().start..ops[k - 1].old_range().end;
        let new_range = ops[start].new_range().start..ops[k - 1].new_range().end;
        let before = &o[old_range.start.saturating_sub(CONTEXT)..old_range.start];
        let after_end = (old_range.end + CONTEXT).min(o.len());
        out.push(Edit {
            before: before.join(" "),
            removed: clip(&o[old_range.clone()]),
            added: clip(&n[new_range]),
            after: o[old_range.end..after_end].join(" "),
        });
    }
    out
}

fn clip(words: &[&str]) -> String {
    if words.len() <= EDIT_WORDS {
        words.join(" ")
    } else {
        format!("{} …", words[..EDIT_WORDS].join(" "))
    }
}

fn terms(o: &Module, n: &Module) -> Vec<TermChange> {
    let mut out = Vec::new();
    for new in &n.terms {
        match o.terms.iter().find(|x| x.term == new.term) {
            None => out.push(TermChange {
                term: new.term.clone(),
                change: ChangeKind::Added,
                old: None,
                new: Some(new.definition.clone()),
            }),
            Some(old) if old.definition != new.definition => out.push(TermChange {
                term: new.term.clone(),
                change: ChangeKind::Reworded,
                old: Some(old.definition.clone()),
                new: Some(new.definition.clone()),
            }),
            Some(_) => {}
        }
    }
    for old in o
        .terms
        .iter()
        .filter(|x| !n.terms.iter().any(|y| y.term == x.term))
    {
        out.push(TermChange {
            term: old.term.clone(),
            change: ChangeKind::Removed,
            old: Some(old.definition.clone()),
            new: None,
        });
    }
    out
}

fn activity_fields(o: &Activity, n: &Activity) -> Vec<FieldChange> {
    let mut out = Vec::new();
    field(&mut out, "title", Some(&o.title), Some(&n.title));
    field(&mut out, "kind", Some(o.kind.label()), Some(n.kind.label()));
    field(
        &mut out,
        "minutes",
        Some(&o.minutes.to_string()),
        Some(&n.minutes.to_string()),
    );
    field(
        &mut out,
        "objectives",
        Some(&list(&o.objectives)),
        Some(&list(&n.objectives)),
    );
    field(&mut out, "setup", Some(&o.setup), Some(&n.setup));
    field(&mut out, "safety", o.safety.as_deref(), n.safety.as_deref());
    field(
        &mut out,
        "debrief",
        Some(&list(&o.debrief)),
        Some(&list(&n.debrief)),
    );
    field(
        &mut out,
        "checklist",
        Some(&list(&o.checklist)),
        Some(&list(&n.checklist)),
    );
    field(
        &mut out,
        "instructor_notes",
        o.instructor_notes.as_deref(),
        n.instructor_notes.as_deref(),
    );
    out
}

fn roles(o: &Activity, n: &Activity) -> Vec<RoleChange> {
    let mut out = Vec::new();
    for new in &n.roles {
        match o.roles.iter().find(|r| r.name == new.name) {
            None => out.push(RoleChange {
                name: new.name.clone(),
                change: ChangeKind::Added,
                fields: Vec::new(),
            }),
            Some(old) => {
                let mut fields = Vec::new();
                field(&mut fields, "brief", Some(&old.brief), Some(&new.brief));
                field(
                    &mut fields,
                    "private",
                    old.private.as_deref(),
                    new.private.as_deref(),
                );
                if !fields.is_empty() {
                    out.push(RoleChange {
                        name: new.name.clone(),
                        change: ChangeKind::Changed,
                        fields,
                    });
                }
            }
        }
    }
    for old in o
        .roles
        .iter()
        .filter(|r| !n.roles.iter().any(|x| x.name == r.name))
    {
        out.push(RoleChange {
            name: old.name.clone(),
            change: ChangeKind::Removed,
            fields: Vec::new(),
        });
    }
    out
}

fn activities(o: &Module, n: &Module) -> Vec<ActivityChange> {
    let mut out = Vec::new();
    for new in &n.activities {
        match o.activities.iter().find(|a| a.id == new.id) {
            None => out.push(ActivityChange {
                id: new.id.to_string(),
                title: new.title.clone(),
                change: ChangeKind::Added,
                fields: Vec::new(),
                roles: Vec::new(),
            }),
            Some(old) => {
                let fields = activity_fields(old, new);
                let roles = roles(old, new);
                if !fields.is_empty() || !roles.is_empty() {
                    out.push(ActivityChange {
                        id: new.id.to_string(),
                        title: new.title.clone(),
                        change: ChangeKind::Changed,
                        fields,
                        roles,
                    });
                }
            }
        }
    }
    for old in o
        .activities
        .iter()
        .filter(|a| !n.activities.iter().any(|x| x.id == a.id))
    {
        out.push(ActivityChange {
            id: old.id.to_string(),
            title: old.title.clone(),
            change: ChangeKind::Removed,
            fields: Vec::new(),
            roles: Vec::new(),
        });
    }
    out
}

fn sources(o: &Module, n: &Module) -> Vec<SourceChange> {
    let mut out = Vec::new();
    for new in &n.sources {
        match o.sources.iter().find(|s| s.id == new.id) {
            None => out.push(SourceChange {
                id: new.id.to_string(),
                change: ChangeKind::Added,
                citation: new.citation.clone(),
                fields: Vec::new(),
            }),
            Some(old) => {
                let mut fields = Vec::new();
                field(
                    &mut fields,
                    "citation",
                    Some(&old.citation),
                    Some(&new.citation),
                );
                field(&mut fields, "url", old.url.as_deref(), new.url.as_deref());
                if !fields.is_empty() {
                    out.push(SourceChange {
                        id: new.id.to_string(),
                        change: ChangeKind::Changed,
                        citation: new.citation.clone(),
                        fields,
                    });
                }
            }
        }
    }
    for old in o
        .sources
        .iter()
        .filter(|s| !n.sources.iter().any(|x| x.id == s.id))
    {
        out.push(SourceChange {
            id: old.id.to_string(),
            change: ChangeKind::Removed,
            citation: old.citation.clone(),
            fields: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_show_changed_words_with_context() {
        let edits = edits(
            "one two three four five six seven eight",
            "one two three FOUR five six seven eight nine",
        );
        assert_eq!(
            edits[0],
            Edit {
                before: "one two three".into(),
                removed: "four".into(),
                added: "FOUR".into(),
                after: "five six seven eight".into(),
            }
        );
        assert_eq!(edits[1].added, "nine");
        assert_eq!(edits[1].removed, "");
    }
}
