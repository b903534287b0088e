//! The exam draw on a bank built to test it: coverage, no shared items, balanced keys,
//! unrepeated matching patterns, and the same bytes for the same seed.

use std::collections::BTreeSet;

use super::{ExamForm, Options, Plan};
use crate::check::{Checked, check};
use crate::model::QuestionKind;
use crate::source::Memory;

/// One module, objectives O1–O4; per objective four 4-choice and one 3-choice single-choice
/// items and one 3-pair matching item: 24 exam items, 12 per form.
fn course() -> Checked {
    let mut module = String::from("title = \"M\"\n");
    for o in 1..=4 {
        module.push_str(&format!("[[objectives]]\nid = \"O{o}\"\ntext = \"t\"\n"));
    }
    module.push_str("[[sections]]\ntitle = \"S\"\nminutes = 5\nobjectives = [\"O1\", \"O2\", \"O3\", \"O4\"]\nbody = \"b\"\n");
    for o in 1..=4 {
        for i in 1..=5 {
            let extra = if i == 5 { "" } else { ", \"d3\"" };
            module.push_str(&format!(
                "[[questions]]\nid = \"Q{o}-{i}\"\ntype = \"single-choice\"\nbank = \"exam\"\nobjectives = [\"O{o}\"]\nprompt = \"p\"\nanswer = \"a{o}{i}\"\ndistractors = [\"d1\", \"d2\"{extra}]\n"
            ));
        }
        module.push_str(&format!(
            "[[questions]]\nid = \"M{o}\"\ntype = \"matching\"\nbank = \"exam\"\nobjectives = [\"O{o}\"]\nprompt = \"p\"\npairs = [[\"l1\", \"r1\"], [\"l2\", \"r2\"], [\"l3\", \"r3\"]]\n"
        ));
    }
    let source = Memory::new("c")
        .with(
            "course.toml",
            "id = \"c\"\ntitle = \"C\"\nversion = \"1.0\"\nmodules = [\"m\"]\n[exam]\nforms = 2\nquestions_per_module = 12\n",
        )
        .with("modules/m.toml", module);
    check(&source).expect("the course checks")
}

fn ids<'a>(form: &ExamForm<'a>) -> BTreeSet<&'a str> {
    form.items.iter().map(|p| p.question.id.as_str()).collect()
}

#[test]
fn forms_cover_every_objective_share_nothing_and_balance_their_keys_for_50_seeds() {
    let checked = course();
    for seed in 0..50 {
        let options = Options {
            seed: Some(seed),
            ..Options::default()
        };
        let plan = Plan::new(&checked.curriculum, &options);
        assert_eq!(plan.forms.len(), 2);
        let (a, b) = (&plan.forms[0], &plan.forms[1]);
        assert!(
            ids(a).is_disjoint(&ids(b)),
            "seed {seed}: forms share items"
        );
        for form in &plan.forms {
            assert_eq!(form.items.len(), 12);
            for o in ["O1", "O2", "O3", "O4"] {
                let on = form
                    .items
                    .iter()
                    .filter(|p| p.question.objectives.iter().any(|x| x.as_str() == o))
                    .count();
                assert!(on >= 1, "seed {seed}: form {} misses {o}", form.letter);
            }
            // Correct letters of single-choice items: A–C, which every item offers, within one
            // of each other; D, which only the 4-choice items offer, never above them.
            let mut counts = [0usize; 4];
            for item in &form.items {
                if matches!(item.question.kind, QuestionKind::SingleChoice { .. }) {
                    let letters = item.correct_letters();
                    assert_eq!(letters.len(), 1);
                    counts[usize::from(letters[0].as_bytes()[0] - b'A')] += 1;
                }
            }
            let (low, high) = (counts[..3].iter().min(), counts[..3].iter().max());
            let (low, high) = (*low.unwrap(), *high.unwrap());
            assert!(
                high - low <= 1,
                "seed {seed}, form {}: {counts:?}",
                form.letter
            );
            assert!(
                counts[3] <= low + 1,
                "seed {seed}, form {}: {counts:?}",
                form.letter
            );
            let total: usize = counts.iter().sum();
            let even = total as f64 / 4.0;
            assert!(
                counts[..3]
                    .iter()
                    .all(|&c| (c as f64 - even).abs() <= 1.0 + even / 3.0),
                "seed {seed}, form {}: {counts:?}",
                form.letter
            );
            // No two matching items on a form with the same key.
            let patterns: Vec<Vec<String>> = form
                .items
                .iter()
                .filter(|p| !p.right_order.is_empty())
                .map(|p| p.matching_key())
                .collect();
            let distinct: BTreeSet<&Vec<String>> = patterns.iter().collect();
            assert_eq!(distinct.len(), patterns.len(), "seed {seed}: {patterns:?}");
        }
    }
}

#[test]
fn the_same_seed_draws_the_same_forms() {
    let checked = course();
    let draw = |seed| {
        let plan = Plan::new(
            &checked.curriculum,
            &Options {
                seed: Some(seed),
                ..Options::default()
            },
        );
        plan.forms
            .iter()
            .map(|f| {
                f.items
                    .iter()
                    .map(|p| {
                        (
                            p.question.id.to_string(),
                            p.correct_letters(),
                            p.matching_key(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(draw(3), draw(3));
    assert_ne!(draw(3), draw(4));
}
