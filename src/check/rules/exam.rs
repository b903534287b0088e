//! Rules on `[exam]`: how many forms, the pass mark, and whether the banks hold enough.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Bank, Course, ModuleFile};
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
    let mut total = 0;
    for module in modules {
        let available = module
            .module
            .questions
            .iter()
            .filter(|q| q.bank == Bank::Exam)
            .count();
        total += available;
        if let Some(n) = per_module {
            let wanted = *n.get_ref() as usize;
            if available < wanted {
                out.push(
                    Diagnostic::error(
                        Code::ExamBankTooSmall,
                        format!("the exam draws {wanted} questions per module, but module \"{}\" has {available} in its exam bank", module.id),
                    )
                    .at(file, n.span())
                    .label(format!("\"{}\" has only {available}", module.id))
                    .help(format!("add {} question(s) with `bank = \"exam\"` to modules/{}.toml, or lower `questions_per_module`", wanted - available, module.id)),
                );
            }
        }
    }
    if per_module.is_none() && total == 0 && !modules.is_empty() {
        out.push(
            Diagnostic::error(
                Code::ExamBankTooSmall,
                "the course has an [exam] but no question is in the exam bank",
            )
            .at(file, exam.span())
            .help("mark questions with `bank = \"exam\"`, or remove [exam]"),
        );
    }
}
