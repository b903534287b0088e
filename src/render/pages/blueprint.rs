//! `exam/blueprint`: per form, how many items assess each objective, what is left untested,
//! points per module, the items forms share, the spread of correct letters and the mix of
//! types. Drawn from the forms' manifests, so it says what grading will read.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::super::{PageBase, Renderer};
use super::manifest::{FormManifest, manifest};
use crate::diagnostic::Diagnostic;
use crate::model::Bank;
use crate::plan::{Page, label};

#[derive(Serialize)]
struct BlueprintPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    rows: Vec<BlueprintRow<'a>>,
    per_type: BTreeMap<&'static str, Vec<usize>>,
    totals: Vec<usize>,
    forms: Vec<char>,
    coverage: Vec<Coverage<'a>>,
    /// Objectives no exam item assesses, so no form can test.
    unbanked: Vec<&'a str>,
    points: Vec<ModulePoints<'a>>,
    total_points: Vec<u32>,
    overlap: Vec<Overlap<'a>>,
    /// The letters single-choice keys can take, `A` to the most choices an item offers.
    letters: Vec<String>,
    /// Per form, how many single-choice keys sit on each of `letters`.
    letter_counts: Vec<Vec<usize>>,
}

#[derive(Serialize)]
struct BlueprintRow<'a> {
    module: &'a str,
    objective: &'a str,
    text: &'a str,
    /// Items per form, in form order.
    counts: Vec<usize>,
}

/// What one form tests of the objectives that have exam items.
#[derive(Serialize)]
struct Coverage<'a> {
    form: char,
    tested: usize,
    testable: usize,
    /// Objectives with exam items that this form does not test, in course order.
    untested: Vec<&'a str>,
}

#[derive(Serialize)]
struct ModulePoints<'a> {
    module: &'a str,
    /// Points per form, in form order.
    points: Vec<u32>,
}

/// The items two forms share.
#[derive(Serialize)]
struct Overlap<'a> {
    forms: (char, char),
    questions: Vec<&'a str>,
}

pub(in crate::render) fn render(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let hash = r.source_hash();
    let manifests: Vec<FormManifest<'_>> =
        r.plan.forms.iter().map(|f| manifest(r, f, hash)).collect();
    let n = manifests.len();
    // Count once per item, not once per objective and item: linear in the course.
    let mut counts: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut per_type: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    let mut module_points: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut letter_counts: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); n];
    for (f, form) in manifests.iter().enumerate() {
        for item in &form.items {
            let objectives: BTreeSet<&str> = item.objectives.iter().copied().collect();
            for objective in objectives {
                counts
                    .entry((item.module, objective))
                    .or_insert_with(|| vec![0; n])[f] += 1;
            }
            per_type.entry(item.kind).or_insert_with(|| vec![0; n])[f] += 1;
            module_points
                .entry(item.module)
                .or_insert_with(|| vec![0; n])[f] += item.points;
            if item.kind == "single-choice" {
                for key in &item.correct {
                    *letter_counts[f].entry(key.as_str()).or_default() += 1;
                }
            }
        }
    }
    let mut rows = Vec::new();
    let mut testable: Vec<(&str, &str)> = Vec::new();
    let mut unbanked = Vec::new();
    // Objectives with exam items, found once: a lookup per objective, not a scan.
    let banked: BTreeSet<&str> = r
        .plan
        .curriculum
        .modules
        .iter()
        .flat_map(|m| &m.module.questions)
        .filter(|q| q.bank == Bank::Exam)
        .flat_map(|q| q.objectives.iter().map(|o| o.as_str()))
        .collect();
    // Titles and objectives as the modules' views print them, read from the curriculum: the
    // blueprint needs no view.
    for module in &r.plan.curriculum.modules {
        for objective in &module.module.objectives {
            let id = objective.id.as_str();
            if banked.contains(id) {
                testable.push((module.id.as_str(), id));
            } else {
                unbanked.push(id);
            }
            rows.push(BlueprintRow {
                module: module.module.title.as_str(),
                objective: id,
                text: &objective.text,
                counts: counts
                    .get(&(module.id.as_str(), id))
                    .cloned()
                    .unwrap_or_else(|| vec![0; n]),
            });
        }
    }
    let coverage = manifests
        .iter()
        .enumerate()
        .map(|(f, form)| {
            let untested: Vec<&str> = testable
                .iter()
                .filter(|&&(m, o)| counts.get(&(m, o)).is_none_or(|c| c[f] == 0))
                .map(|&(_, o)| o)
                .collect();
            Coverage {
                form: form.form,
                tested: testable.len() - untested.len(),
                testable: testable.len(),
                untested,
            }
        })
        .collect();
    let points = r
        .plan
        .curriculum
        .modules
        .iter()
        .filter_map(|m| {
            module_points.get(m.id.as_str()).map(|points| ModulePoints {
                module: m.module.title.as_str(),
                points: points.clone(),
            })
        })
        .collect();
    let mut overlap = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let on_b: BTreeSet<&str> = manifests[b].items.iter().map(|i| i.question).collect();
            let questions: Vec<&str> = manifests[a]
                .items
                .iter()
                .map(|i| i.question)
                .filter(|q| on_b.contains(q))
                .collect();
            overlap.push(Overlap {
                forms: (manifests[a].form, manifests[b].form),
                questions,
            });
        }
    }
    let widest = r
        .plan
        .forms
        .iter()
        .flat_map(|f| &f.items)
        .filter(|p| p.question.question_type().as_str() == "single-choice")
        .map(|p| p.choices.len())
        .max()
        .unwrap_or(0);
    let letters: Vec<String> = (0..widest).map(label).collect();
    let context = BlueprintPage {
        base: r.base(page),
        rows,
        per_type,
        totals: manifests.iter().map(|f| f.items.len()).collect(),
        forms: manifests.iter().map(|f| f.form).collect(),
        coverage,
        unbanked,
        points,
        total_points: manifests.iter().map(|f| f.total_points).collect(),
        overlap,
        letter_counts: letter_counts
            .iter()
            .map(|c| {
                letters
                    .iter()
                    .map(|l| c.get(l.as_str()).copied().unwrap_or(0))
                    .collect()
            })
            .collect(),
        letters,
    };
    r.both(page, "blueprint", &context)
}
