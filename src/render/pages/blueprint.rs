//! `exam/blueprint`: how many items each form gives each objective, and the mix of types.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::{Artefact, PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::Page;

#[derive(Serialize)]
struct BlueprintPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    rows: Vec<BlueprintRow<'a>>,
    per_type: BTreeMap<&'static str, Vec<usize>>,
    totals: Vec<usize>,
    forms: Vec<char>,
}

#[derive(Serialize)]
struct BlueprintRow<'a> {
    module: &'a str,
    objective: &'a str,
    text: &'a str,
    /// Items per form, in form order.
    counts: Vec<usize>,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
) -> Result<Vec<Artefact>, Diagnostic> {
    let forms = &r.plan.forms;
    // Count once per item, not once per objective and item: linear in the course.
    let mut counts: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    let mut per_type: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (f, form) in forms.iter().enumerate() {
        for item in &form.items {
            let objectives: std::collections::BTreeSet<&str> = item
                .question
                .objectives
                .iter()
                .map(|o| o.as_str())
                .collect();
            for objective in objectives {
                counts
                    .entry((item.module.id.as_str(), objective))
                    .or_insert_with(|| vec![0; forms.len()])[f] += 1;
            }
            per_type
                .entry(item.question.question_type().as_str())
                .or_insert_with(|| vec![0; forms.len()])[f] += 1;
        }
    }
    let mut rows = Vec::new();
    for (module, view) in r
        .plan
        .curriculum
        .modules
        .iter()
        .zip(r.views.all_instructor())
    {
        for objective in &view.objectives {
            let id = objective.objective.id.as_str();
            rows.push(BlueprintRow {
                module: &view.core.title,
                objective: id,
                text: &objective.objective.text,
                counts: counts
                    .get(&(module.id.as_str(), id))
                    .cloned()
                    .unwrap_or_else(|| vec![0; forms.len()]),
            });
        }
    }
    let context = BlueprintPage {
        base: r.base(page),
        rows,
        per_type,
        totals: forms.iter().map(|f| f.items.len()).collect(),
        forms: forms.iter().map(|f| f.letter).collect(),
    };
    r.both(page, "blueprint", &context)
}
