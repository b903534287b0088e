//! What `[exam]` and `[exam.blueprint]` ask of every form, module by module: how many items,
//! and which objectives each form must assess how often. The checker reads it to say what the
//! bank cannot satisfy; the draw reads it to assemble the forms, so the two never disagree.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::model::{Bank, ExamSettings, ModuleFile, Question};

/// Where a module's item count comes from, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CountFrom {
    /// `[exam.blueprint] modules = { <id> = n }`, at this span.
    Blueprint(Range<usize>),
    /// `questions_per_module`, at this span.
    PerModule(Range<usize>),
    /// Neither: the whole bank for one form, an even split of it for several (never fewer than
    /// covering the objectives takes).
    Default,
}

/// One objective a form must assess.
#[derive(Debug, Clone)]
pub struct Need<'a> {
    /// The objective id.
    pub objective: &'a str,
    /// The least number of items on every form that assess it.
    pub per_form: usize,
    /// How many of the module's exam items assess it.
    pub available: usize,
}

/// What every form takes from one module.
#[derive(Debug, Clone)]
pub struct ModuleDemand<'a> {
    /// The module.
    pub module: &'a ModuleFile,
    /// Its exam bank, in source order.
    pub bank: Vec<&'a Question>,
    /// Items per form.
    pub count: usize,
    /// Where `count` comes from.
    pub count_from: CountFrom,
    /// The objectives its exam items assess, in the module's order then the items' order,
    /// with what each form needs of them (`per_form` 0: waived by the blueprint).
    pub needs: Vec<Need<'a>>,
    /// How many items the deterministic greedy cover of `needs` takes (every form needs at
    /// least this many).
    pub cover: usize,
}

/// Each module's demand, in course order; modules without exam items are left out unless the
/// blueprint or `questions_per_module` asks them for items.
pub fn demands<'a>(modules: &'a [ModuleFile], settings: &ExamSettings) -> Vec<ModuleDemand<'a>> {
    let forms = (*settings.forms.get_ref()).max(1) as usize;
    let blueprint = &settings.blueprint;
    modules
        .iter()
        .filter_map(|module| {
            let bank: Vec<&Question> = module
                .module
                .questions
                .iter()
                .filter(|q| q.bank == Bank::Exam)
                .collect();
            let needs = needs(module, &bank, settings);
            let cover = greedy_cover(
                &bank,
                &needs,
                &|_| 0,
                false,
                &(0..bank.len()).collect::<Vec<_>>(),
            )
            .map_or(usize::MAX, |c| c.len());
            let named = blueprint
                .modules
                .iter()
                .find(|(id, _)| id.as_str() == module.id);
            let (count, count_from) = match (named, &settings.questions_per_module) {
                (Some((_, n)), _) => (**n as usize, CountFrom::Blueprint(n.span())),
                (None, Some(n)) => (**n as usize, CountFrom::PerModule(n.span())),
                (None, None) if forms == 1 => (bank.len(), CountFrom::Default),
                (None, None) => (
                    (bank.len() / forms).max(cover.min(bank.len())),
                    CountFrom::Default,
                ),
            };
            (!bank.is_empty() || count > 0).then_some(ModuleDemand {
                module,
                bank,
                count,
                count_from,
                needs,
                cover,
            })
        })
        .collect()
}

fn needs<'a>(
    module: &'a ModuleFile,
    bank: &[&'a Question],
    settings: &ExamSettings,
) -> Vec<Need<'a>> {
    let assessed: BTreeSet<&str> = bank
        .iter()
        .flat_map(|q| q.objectives.iter().map(|o| o.as_str()))
        .collect();
    let mut order: Vec<&'a str> = module
        .module
        .objectives
        .iter()
        .map(|o| o.id.as_str())
        .filter(|id| assessed.contains(id))
        .collect();
    for q in bank {
        for o in &q.objectives {
            if !order.contains(&o.as_str()) {
                order.push(o.as_str());
            }
        }
    }
    order
        .into_iter()
        .map(|objective| Need {
            objective,
            per_form: settings
                .blueprint
                .objectives
                .iter()
                .find(|(id, _)| id.as_str() == objective)
                .map_or(1, |(_, n)| **n as usize),
            available: bank.iter().filter(|q| assesses(q, objective)).count(),
        })
        .collect()
}

/// Whether `question` assesses `objective`.
pub fn assesses(question: &Question, objective: &str) -> bool {
    question.objectives.iter().any(|o| o.as_str() == objective)
}

/// The items (indexes into `bank`) a greedy cover of `needs` picks: each step takes the item
/// meeting the most unmet need, then the one `penalty` rates lowest (or, `penalty_first`, the
/// other way round), then the first in `order`. `None` when the bank cannot meet the needs.
pub(super) fn greedy_cover(
    bank: &[&Question],
    needs: &[Need<'_>],
    penalty: &dyn Fn(usize) -> u32,
    penalty_first: bool,
    order: &[usize],
) -> Option<Vec<usize>> {
    let mut unmet: Vec<usize> = needs.iter().map(|n| n.per_form).collect();
    let mut picked: Vec<usize> = Vec::new();
    while unmet.iter().any(|&u| u > 0) {
        let gain = |i: usize| {
            needs
                .iter()
                .zip(&unmet)
                .filter(|(n, u)| **u > 0 && assesses(bank[i], n.objective))
                .count()
        };
        let best = order
            .iter()
            .enumerate()
            .filter(|&(_, &i)| !picked.contains(&i) && gain(i) > 0)
            .min_by_key(|&(rank, &i)| {
                let (more, less) = (usize::MAX - gain(i), penalty(i) as usize);
                if penalty_first {
                    (less, more, rank)
                } else {
                    (more, less, rank)
                }
            })
            .map(|(_, &i)| i)?;
        for (n, u) in needs.iter().zip(unmet.iter_mut()) {
            if *u > 0 && assesses(bank[best], n.objective) {
                *u -= 1;
            }
        }
        picked.push(best);
    }
    Some(picked)
}
