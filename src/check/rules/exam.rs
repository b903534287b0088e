//! Rules on `[exam]`: how many forms, the pass mark, and whether the banks hold what the
//! blueprint asks (`crate::plan::blueprint` says what that is; the draw reads the same).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Bank, Course, ExamSettings, ModuleFile, Question};
use crate::plan::blueprint::{self, CountFrom, ModuleDemand};
use crate::source::FileId;

/// `[exam]`: forms, pass mark, and a bank large enough for what it draws.
pub(super) fn exam_rules(
    file: FileId,
    course: &Course,
    modules: &[ModuleFile],
    out: &mut Vec<Diagnostic>,
) {
    let Some(exam) = &course.exam else {
        return;
    };
    let settings = exam.get_ref();
    let forms = *settings.forms.get_ref();
    if !(1..=26).contains(&forms) {
        out.push(
            Diagnostic::error(
                Code::ExamSetting,
                format!("an exam needs between 1 and 26 forms (A to Z), not {forms}"),
            )
            .at(file, settings.forms.span())
            .help("set `forms` to a number from 1 to 26"),
        );
    }
    if let Some(pass) = &settings.pass_percent
        && *pass.get_ref() > 100
    {
        out.push(
            Diagnostic::error(
                Code::ExamSetting,
                format!("pass mark of {}% is over 100%", pass.get_ref()),
            )
            .at(file, pass.span())
            .help("give `pass_percent` as a whole number from 0 to 100"),
        );
    }
    let per_module = settings.questions_per_module.as_ref();
    if let Some(n) = per_module.filter(|n| *n.get_ref() == 0) {
        out.push(
            Diagnostic::error(
                Code::ExamSetting,
                "`questions_per_module` is 0, so the exam would be empty",
            )
            .at(file, n.span())
            .help("draw at least one question per module, or remove [exam]"),
        );
        return;
    }
    let total: usize = modules
        .iter()
        .map(|m| {
            m.module
                .questions
                .iter()
                .filter(|q| q.bank == Bank::Exam)
                .count()
        })
        .sum();
    if total == 0 && !modules.is_empty() {
        out.push(
            Diagnostic::error(
                Code::ExamBankTooSmall,
                "the course has an [exam] but no question is in the exam bank",
            )
            .at(file, exam.span())
            .help("mark questions with `bank = \"exam\"`, or remove [exam]"),
        );
        return;
    }
    blueprint_names(file, settings, modules, out);
    let demands = blueprint::demands(modules, settings);
    let before = out.iter().filter(|d| d.is_error()).count();
    for demand in &demands {
        demand_rules(file, settings, demand, out);
    }
    // Draw only what can be drawn: with the course's own seed, as `build` does by default.
    if out.iter().filter(|d| d.is_error()).count() == before && (2..=26).contains(&forms) {
        let shared = crate::plan::shared_exam_items(modules, settings);
        for demand in &demands {
            if let Some(items) = shared.get(demand.module.id.as_str()) {
                share_rules(settings, demand, items, out);
            }
        }
    }
}

/// Every module and objective `[exam.blueprint]` names exists and has exam items.
fn blueprint_names(
    file: FileId,
    settings: &ExamSettings,
    modules: &[ModuleFile],
    out: &mut Vec<Diagnostic>,
) {
    for id in settings.blueprint.modules.keys() {
        if !modules.iter().any(|m| m.id == id.as_str()) {
            out.push(
                Diagnostic::error(
                    Code::ExamBlueprintUnmet,
                    format!(
                        "[exam.blueprint] names module \"{id}\", which the course does not list"
                    ),
                )
                .at(file, id.span())
                .label("no such module")
                .help("use a module id from `modules` in course.toml"),
            );
        }
    }
    for (id, n) in &settings.blueprint.objectives {
        let exists = modules.iter().any(|m| {
            m.module
                .objectives
                .iter()
                .any(|o| o.id.as_str() == id.as_str())
        });
        let assessed = modules.iter().any(|m| {
            m.module
                .questions
                .iter()
                .any(|q| q.bank == Bank::Exam && blueprint::assesses(q, id))
        });
        if **n > 0 && !assessed {
            let what = if exists {
                format!("objective \"{id}\" has no exam items, so no form can assess it")
            } else {
                format!("[exam.blueprint] names objective \"{id}\", which no module has")
            };
            out.push(
                Diagnostic::error(Code::ExamBlueprintUnmet, what)
                    .at(file, id.span())
                    .label(format!("{n} item(s) per form asked, 0 in the exam bank"))
                    .help(format!(
                        "add questions with `bank = \"exam\"` and `objectives = [\"{id}\"]`, or set it to 0"
                    )),
            );
        }
    }
}

/// One module: the count fits the bank and covers the objectives; the bank holds enough for
/// forms that share no item (a warning: the draw then shares as few as it can).
fn demand_rules(
    file: FileId,
    settings: &ExamSettings,
    demand: &ModuleDemand<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let id = demand.module.id.as_str();
    let available = demand.bank.len();
    let at = match &demand.count_from {
        CountFrom::Blueprint(span) | CountFrom::PerModule(span) => span.clone(),
        CountFrom::Default => settings.forms.span(),
    };
    let key = match demand.count_from {
        CountFrom::Blueprint(_) => format!("[exam.blueprint] modules.{id}"),
        _ => "questions_per_module".to_owned(),
    };
    if demand.count > available {
        out.push(
            Diagnostic::error(
                Code::ExamBankTooSmall,
                format!("the exam draws {} questions per module, but module \"{id}\" has {available} in its exam bank", demand.count),
            )
            .at(file, at.clone())
            .label(format!("\"{id}\" has only {available}"))
            .help(format!("add {} question(s) with `bank = \"exam\"` to modules/{id}.toml, or lower `{key}`", demand.count - available)),
        );
        return;
    }
    for need in demand.needs.iter().filter(|n| n.per_form > n.available) {
        let span = settings
            .blueprint
            .objectives
            .keys()
            .find(|k| k.as_str() == need.objective)
            .map_or(at.clone(), |k| k.span());
        out.push(
            Diagnostic::error(
                Code::ExamBlueprintUnmet,
                format!(
                    "objective \"{}\" needs {} item(s) on every form, but module \"{id}\" has {} exam item(s) assessing it ({} missing)",
                    need.objective, need.per_form, need.available, need.per_form - need.available
                ),
            )
            .at(file, span)
            .label(format!("{} asked, {} in the bank", need.per_form, need.available))
            .help(format!("add exam questions for {} to modules/{id}.toml, or lower its count in [exam.blueprint] objectives", need.objective)),
        );
    }
    if demand.needs.iter().any(|n| n.per_form > n.available) {
        return;
    }
    if demand.cover > demand.count {
        let objectives: Vec<&str> = demand
            .needs
            .iter()
            .filter(|n| n.per_form > 0)
            .map(|n| n.objective)
            .collect();
        out.push(
            Diagnostic::error(
                Code::ExamBlueprintUnmet,
                format!(
                    "{} item(s) from module \"{id}\" cannot cover its objectives {}: every form needs at least {} ({} missing)",
                    demand.count,
                    objectives.join(", "),
                    demand.cover,
                    demand.cover - demand.count
                ),
            )
            .at(file, at)
            .label(format!("{} per form is too few for \"{id}\"", demand.count))
            .help(format!(
                "set `[exam.blueprint] modules = {{ {id} = {} }}`, or waive objectives with `[exam.blueprint] objectives = {{ <id> = 0 }}`",
                demand.cover
            )),
        );
    }
}

/// Forms share an item only when the bank is too small for them not to: say which items, and
/// which objectives and how many items are missing.
fn share_rules(
    settings: &ExamSettings,
    demand: &ModuleDemand<'_>,
    items: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    let forms = *settings.forms.get_ref() as usize;
    let id = demand.module.id.as_str();
    let mut short: Vec<String> = demand
        .needs
        .iter()
        .filter(|n| n.available < forms * n.per_form)
        .map(|n| {
            format!(
                "{} has {} exam item(s), {} needed ({} missing)",
                n.objective,
                n.available,
                forms * n.per_form,
                forms * n.per_form - n.available
            )
        })
        .collect();
    let total = forms * demand.count;
    if demand.bank.len() < total {
        short.insert(
            0,
            format!(
                "{forms} forms of {} item(s) need {total} items, the bank has {} ({} missing)",
                demand.count,
                demand.bank.len(),
                total - demand.bank.len()
            ),
        );
    }
    if short.is_empty() {
        let objectives: Vec<&str> = demand
            .needs
            .iter()
            .filter(|n| n.per_form > 0)
            .map(|n| n.objective)
            .collect();
        short.push(format!(
            "{} item(s) per form cannot cover {} with items no other form holds",
            demand.count,
            objectives.join(", ")
        ));
    }
    let first = demand.bank.first().map_or(0..0, |q| q.span.clone());
    out.push(
        Diagnostic::warning(
            Code::FormsShareItems,
            format!(
                "module \"{id}\"'s exam bank is too small for {forms} forms that share no item ({} shared): {}",
                items.join(", "),
                short.join("; ")
            ),
        )
        .at(demand.module.file, first)
        .label("the forms will share items from this bank")
        .help("add exam questions for the objectives named, or draw fewer forms"),
    );
}

/// Exam-bank questions in a course without `[exam]` reach only the LMS imports.
pub(super) fn unused_exam_bank(course: &Course, modules: &[ModuleFile], out: &mut Vec<Diagnostic>) {
    if course.exam.is_some() {
        return;
    }
    for module in modules {
        let exam: Vec<&Question> = module
            .module
            .questions
            .iter()
            .filter(|q| q.bank == Bank::Exam)
            .collect();
        let Some(first) = exam.first() else { continue };
        let ids: Vec<&str> = exam.iter().map(|q| q.id.as_str()).collect();
        out.push(
            Diagnostic::warning(
                Code::ExamBankUnused,
                format!(
                    "the course has no [exam], so exam-bank question(s) {} appear only in lms/",
                    ids.join(", ")
                ),
            )
            .at(module.file, first.span.clone())
            .label(format!(
                "{} exam-bank question(s) in no exam form",
                exam.len()
            ))
            .help("add [exam] to course.toml, or move them to `bank = \"practice\"`"),
        );
    }
}
