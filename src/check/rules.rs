//! The cross-value rules, each a function adding diagnostics.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::{Loaded, LoadedCourse, LoadedModule, is_valid_id};
use crate::model::{Bank, Question, QuestionKind, Spanned};
use crate::source::{FileId, Sources};

/// Every rule over a loaded curriculum.
pub fn run(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let curriculum = &loaded.curriculum;
    if let Some(course) = &curriculum.course {
        course_rules(course, &mut out);
        exam_rules(course, &curriculum.modules, &mut out);
    }
    unique_ids(&curriculum.modules, &loaded.sources, &mut out);
    for module in &curriculum.modules {
        module_rules(module, &curriculum.modules, &mut out);
    }
    out
}

fn course_rules(loaded: &LoadedCourse, out: &mut Vec<Diagnostic>) {
    let file = loaded.file;
    let course = &loaded.course;
    let id = course.id.get_ref();
    if !is_valid_id(id) {
        out.push(invalid_id("course id", id, file, course.id.span()));
    }
    if course.title.get_ref().trim().is_empty() {
        out.push(
            Diagnostic::error(Code::EmptyValue, "the course title is empty")
                .at(file, course.title.span())
                .help("give the course a title, e.g. `title = \"Police–Community Relations\"`"),
        );
    }
    let version = course.version.get_ref();
    if let Some(top) = course.revisions.first() {
        match &top.get_ref().version {
            Some(v) if v.get_ref() != version => out.push(
                Diagnostic::error(Code::RevisionMismatch, format!("the newest revision is {}, but the course version is {version}", v.get_ref()))
                    .at(file, v.span())
                    .label(format!("expected \"{version}\""))
                    .help(format!("add a [[revisions]] entry for {version} at the top (newest first), or set `version = \"{}\"`", v.get_ref())),
            ),
            Some(_) => {}
            None => out.push(
                Diagnostic::error(Code::RevisionMismatch, "the newest revision has no version")
                    .at(file, top.span())
                    .help(format!("add `version = \"{version}\"` to the first [[revisions]] entry")),
            ),
        }
    }
    let mut previous: Option<&Spanned<crate::model::Datetime>> = None;
    for revision in &course.revisions {
        let Some(date) = &revision.get_ref().date else {
            continue;
        };
        let d = date.get_ref();
        if d.date.is_none() || d.time.is_some() {
            out.push(
                Diagnostic::error(Code::WrongType, "a revision date must be a plain date")
                    .at(file, date.span())
                    .help(
                        "write it as YYYY-MM-DD without quotes or time, e.g. `date = 2026-11-01`",
                    ),
            );
            continue;
        }
        if let Some(prev) = previous
            && prev.get_ref().date < d.date
        {
            out.push(
                Diagnostic::error(
                    Code::RevisionOrder,
                    format!(
                        "revision of {d} is listed after an older one ({})",
                        prev.get_ref()
                    ),
                )
                .at(file, date.span())
                .label("newer than the entry above")
                .help("list [[revisions]] newest first"),
            );
        }
        previous = Some(date);
    }
}

fn exam_rules(loaded: &LoadedCourse, modules: &[LoadedModule], out: &mut Vec<Diagnostic>) {
    let file = loaded.file;
    let Some(exam) = &loaded.course.exam else {
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

/// Objective, activity and question ids are unique across the whole course.
fn unique_ids(modules: &[LoadedModule], sources: &Sources, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, (&str, FileId, Range<usize>)> = BTreeMap::new();
    for module in modules {
        let m = &module.module;
        let ids = m
            .objectives
            .iter()
            .map(|o| ("objective", &o.id))
            .chain(m.activities.iter().map(|a| ("activity", &a.id)))
            .chain(m.questions.iter().map(|q| ("question", &q.id)))
            .chain(m.rejected.iter().map(|q| ("question", &q.id)));
        for (what, id) in ids {
            if !is_valid_id(id.get_ref()) {
                out.push(invalid_id(
                    &format!("{what} id"),
                    id.get_ref(),
                    module.file,
                    id.span(),
                ));
                continue;
            }
            match seen.get(id.get_ref().as_str()) {
                Some((first_what, first_file, first_span)) => {
                    let first = sources.get(*first_file);
                    let (line, _) = first.line_col(first_span.start);
                    out.push(
                        Diagnostic::error(Code::DuplicateId, format!("duplicate id \"{}\"", id.get_ref()))
                            .at(module.file, id.span())
                            .label(format!("already used by the {first_what} at {}:{line}", first.path.display()))
                            .help("ids of objectives, activities and questions must be unique across the course; rename one"),
                    );
                }
                None => {
                    seen.insert(id.get_ref(), (what, module.file, id.span()));
                }
            }
        }
    }
}

fn module_rules(loaded: &LoadedModule, all: &[LoadedModule], out: &mut Vec<Diagnostic>) {
    let file = loaded.file;
    let module = &loaded.module;
    if module.title.get_ref().trim().is_empty() {
        out.push(
            Diagnostic::error(
                Code::EmptyValue,
                format!("module \"{}\" has an empty title", loaded.id),
            )
            .at(file, module.title.span())
            .help("give the module a title"),
        );
    }
    let objectives: BTreeSet<&str> = module
        .objectives
        .iter()
        .map(|o| o.id.get_ref().as_str())
        .collect();
    let mut source_ids = BTreeSet::new();
    for source in &module.sources {
        let id = source.id.get_ref();
        if !is_valid_id(id) {
            out.push(invalid_id("source id", id, file, source.id.span()));
        } else if !source_ids.insert(id.as_str()) {
            out.push(
                Diagnostic::error(Code::DuplicateId, format!("duplicate source id \"{id}\""))
                    .at(file, source.id.span())
                    .help("each [[sources]] entry of a module needs its own id"),
            );
        }
    }

    let check_objective = |reference: &Spanned<String>, out: &mut Vec<Diagnostic>| {
        let id = reference.get_ref();
        if objectives.contains(id.as_str()) {
            return;
        }
        let mut diagnostic = Diagnostic::error(
            Code::UnknownObjective,
            format!("unknown objective \"{id}\""),
        )
        .at(file, reference.span())
        .label("no [[objectives]] entry of this module has this id");
        let elsewhere = all
            .iter()
            .find(|m| m.module.objectives.iter().any(|o| o.id.get_ref() == id));
        diagnostic = match (elsewhere, did_you_mean(id, objectives.iter().copied())) {
            (Some(other), _) if other.id != loaded.id => diagnostic.help(format!(
                "\"{id}\" belongs to module \"{}\"; reference an objective of this module",
                other.id
            )),
            (_, Some(suggestion)) => diagnostic.help(format!("did you mean \"{suggestion}\"?")),
            _ => diagnostic.help(format!(
                "this module's objectives are: {}",
                if objectives.is_empty() {
                    "(none)".to_owned()
                } else {
                    objectives.iter().copied().collect::<Vec<_>>().join(", ")
                }
            )),
        };
        out.push(diagnostic);
    };

    let mut taught = BTreeSet::new();
    let mut assessed = BTreeSet::new();
    for section in &module.sections {
        for reference in &section.objectives {
            check_objective(reference, out);
            taught.insert(reference.get_ref().as_str());
        }
        for reference in &section.sources {
            let id = reference.get_ref();
            if !source_ids.contains(id.as_str()) {
                let diagnostic =
                    Diagnostic::error(Code::UnknownSource, format!("unknown source \"{id}\""))
                        .at(file, reference.span())
                        .label("no [[sources]] entry of this module has this id");
                out.push(match did_you_mean(id, source_ids.iter().copied()) {
                    Some(s) => diagnostic.help(format!("did you mean \"{s}\"?")),
                    None => diagnostic.help(format!(
                        "add a [[sources]] entry with `id = \"{id}\"` and a `citation`"
                    )),
                });
            }
        }
    }
    for activity in &module.activities {
        for reference in &activity.objectives {
            check_objective(reference, out);
        }
    }
    let rejected = module.rejected.iter().flat_map(|q| &q.objectives);
    for reference in module
        .questions
        .iter()
        .flat_map(|q| &q.objectives)
        .chain(rejected)
    {
        check_objective(reference, out);
        assessed.insert(reference.get_ref().as_str());
    }
    for question in &module.questions {
        if question.prompt.get_ref().trim().is_empty() {
            out.push(
                Diagnostic::error(
                    Code::EmptyValue,
                    format!("question {} has an empty prompt", question.id.get_ref()),
                )
                .at(file, question.prompt.span())
                .help("write the question in `prompt`"),
            );
        }
        choices(question, file, out);
    }
    for objective in &module.objectives {
        let id = objective.id.get_ref().as_str();
        if !taught.contains(id) {
            out.push(
                Diagnostic::warning(
                    Code::ObjectiveNotTaught,
                    format!("objective \"{id}\" is taught by no section"),
                )
                .at(file, objective.id.span())
                .help(format!(
                    "add \"{id}\" to the `objectives` of the section that teaches it"
                )),
            );
        }
        if !assessed.contains(id) {
            out.push(
                Diagnostic::warning(
                    Code::ObjectiveNotAssessed,
                    format!("objective \"{id}\" is assessed by no question"),
                )
                .at(file, objective.id.span())
                .help(format!(
                    "add a [[questions]] entry with `objectives = [\"{id}\"]`"
                )),
            );
        }
    }
    if let Some(minutes) = &module.minutes {
        let planned = module.planned_minutes();
        if u64::from(*minutes.get_ref()) != planned {
            out.push(
                Diagnostic::error(Code::MinutesMismatch, format!("module \"{}\" is given {} minutes, but its sections and activities add up to {planned}", loaded.id, minutes.get_ref()))
                    .at(file, minutes.span())
                    .label(format!("sections and activities add up to {planned}"))
                    .help(format!("set `minutes = {planned}`, or change the section and activity timings")),
            );
        }
    }
}

/// Choice questions: enough choices, no answer offered as a distractor, no choice twice.
fn choices(question: &Question, file: FileId, out: &mut Vec<Diagnostic>) {
    let id = question.id.get_ref();
    let (answers, distractors): (Vec<&Spanned<String>>, &[Spanned<String>]) = match &question.kind {
        QuestionKind::SingleChoice {
            answer,
            distractors,
        } => (vec![answer], distractors),
        QuestionKind::MultipleChoice {
            answers,
            distractors,
        } => (answers.iter().collect(), distractors),
        QuestionKind::Matching { pairs } => {
            if pairs.len() < 3 {
                out.push(
                    Diagnostic::error(
                        Code::TooFewChoices,
                        format!(
                            "matching question {id} has {} pair(s); it needs at least 3",
                            pairs.len()
                        ),
                    )
                    .at(file, question.choices_span.clone())
                    .help("add pairs until there are at least 3"),
                );
            }
            for side in 0..2 {
                let mut seen = BTreeSet::new();
                for pair in pairs {
                    let text = pair.get_ref()[side].trim();
                    if text.is_empty() {
                        out.push(
                            Diagnostic::error(
                                Code::EmptyValue,
                                format!("question {id} has an empty matching item"),
                            )
                            .at(file, pair.span())
                            .help("fill in both sides of every pair"),
                        );
                    } else if !seen.insert(text) {
                        out.push(
                            Diagnostic::error(Code::DuplicateChoice, format!("question {id} has \"{text}\" twice on the {} side", if side == 0 { "left" } else { "right" }))
                                .at(file, pair.span())
                                .help("every item of a matching question must be different, or learners cannot tell the pairs apart"),
                        );
                    }
                }
            }
            return;
        }
        _ => return,
    };
    let total = answers.len() + distractors.len();
    if distractors.is_empty() || total < 3 {
        out.push(
            Diagnostic::error(Code::TooFewChoices, format!("question {id} offers {total} choice(s); a choice question needs at least 3 with at least one distractor"))
                .at(file, question.choices_span.clone())
                .help("add plausible `distractors` until there are at least 3 choices"),
        );
    }
    let norm = |s: &str| s.trim().to_lowercase();
    let answer_set: BTreeSet<String> = answers.iter().map(|a| norm(a.get_ref())).collect();
    let mut seen = BTreeSet::new();
    for answer in &answers {
        if !seen.insert(norm(answer.get_ref())) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateChoice,
                    format!(
                        "question {id} lists the answer \"{}\" twice",
                        answer.get_ref()
                    ),
                )
                .at(file, answer.span())
                .help("list each answer once"),
            );
        }
    }
    for distractor in distractors {
        let text = norm(distractor.get_ref());
        if text.is_empty() {
            out.push(
                Diagnostic::error(
                    Code::EmptyValue,
                    format!("question {id} has an empty distractor"),
                )
                .at(file, distractor.span())
                .help("remove it or write a plausible wrong answer"),
            );
        } else if answer_set.contains(&text) {
            out.push(
                Diagnostic::error(
                    Code::AnswerIsDistractor,
                    format!(
                        "question {id}: \"{}\" is both an answer and a distractor",
                        distractor.get_ref()
                    ),
                )
                .at(file, distractor.span())
                .label("also the answer")
                .help("remove it from `distractors`; a choice cannot be right and wrong at once"),
            );
        } else if !seen.insert(text) {
            out.push(
                Diagnostic::error(
                    Code::DuplicateChoice,
                    format!("question {id} offers \"{}\" twice", distractor.get_ref()),
                )
                .at(file, distractor.span())
                .help("remove the repeated distractor"),
            );
        }
    }
}

fn invalid_id(what: &str, id: &str, file: FileId, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidId,
        format!("{what} \"{id}\" is not a valid id"),
    )
    .at(file, span)
    .label("invalid id")
    .help("ids start with a letter or digit and use only letters, digits, `-`, `_` and `.`")
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Code;

    /// Checks a one-module course whose module body is `module` and returns the codes found.
    fn codes(course_extra: &str, module: &str) -> Vec<Code> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("modules")).unwrap();
        std::fs::write(
            dir.path().join("course.toml"),
            format!(
                "id = \"c\"\ntitle = \"C\"\nversion = \"1.0\"\nmodules = [\"m\"]\n{course_extra}"
            ),
        )
        .unwrap();
        std::fs::write(dir.path().join("modules/m.toml"), module).unwrap();
        crate::check::check(dir.path())
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    }

    const OBJECTIVE: &str = "title = \"M\"\n[[objectives]]\nid = \"O\"\ntext = \"t\"\n[[sections]]\ntitle = \"S\"\nminutes = 5\nobjectives = [\"O\"]\nbody = \"b\"\n";

    fn question(fields: &str) -> String {
        format!(
            "{OBJECTIVE}[[questions]]\nid = \"Q\"\nobjectives = [\"O\"]\nprompt = \"p\"\n{fields}\n"
        )
    }

    #[test]
    fn a_clean_module_has_no_diagnostics() {
        assert_eq!(
            codes("", &question("type = \"true-false\"\nanswer = true")),
            []
        );
    }

    #[test]
    fn choice_questions_need_three_distinct_choices() {
        let single = |d: &str| {
            codes(
                "",
                &question(&format!(
                    "type = \"single-choice\"\nanswer = \"a\"\ndistractors = {d}"
                )),
            )
        };
        assert_eq!(single("[\"b\"]"), [Code::TooFewChoices]);
        assert_eq!(single("[\"b\", \"A \"]"), [Code::AnswerIsDistractor]);
        assert_eq!(single("[\"b\", \"b\"]"), [Code::DuplicateChoice]);
        assert_eq!(single("[\"b\", \"\"]"), [Code::EmptyValue]);
        assert_eq!(single("[\"b\", \"c\"]"), []);
    }

    #[test]
    fn matching_needs_three_distinct_pairs() {
        let matching = |p: &str| codes("", &question(&format!("type = \"matching\"\npairs = {p}")));
        assert_eq!(
            matching("[[\"a\", \"1\"], [\"b\", \"2\"]]"),
            [Code::TooFewChoices]
        );
        assert_eq!(
            matching("[[\"a\", \"1\"], [\"b\", \"2\"], [\"a\", \"3\"]]"),
            [Code::DuplicateChoice]
        );
        assert_eq!(
            matching("[[\"a\", \"1\"], [\"b\", \"2\"], [\"c\", \"3\"]]"),
            []
        );
    }

    #[test]
    fn minutes_must_add_up() {
        assert_eq!(
            codes(
                "",
                &format!(
                    "minutes = 6\n{}",
                    question("type = \"true-false\"\nanswer = true")
                )
            ),
            [Code::MinutesMismatch]
        );
        assert_eq!(
            codes(
                "",
                &format!(
                    "minutes = 5\n{}",
                    question("type = \"true-false\"\nanswer = true")
                )
            ),
            []
        );
    }

    #[test]
    fn objectives_must_be_taught_and_assessed() {
        assert_eq!(codes("", OBJECTIVE), [Code::ObjectiveNotAssessed]);
        let untaught = OBJECTIVE.replace("objectives = [\"O\"]\n", "");
        let found = codes(
            "",
            &format!(
                "{untaught}[[questions]]\nid = \"Q\"\nobjectives = [\"X\"]\nprompt = \"p\"\ntype = \"true-false\"\nanswer = true\n"
            ),
        );
        assert_eq!(
            found,
            [
                Code::ObjectiveNotTaught,
                Code::ObjectiveNotAssessed,
                Code::UnknownObjective
            ]
        );
    }

    #[test]
    fn revisions_follow_the_version_newest_first() {
        let module = question("type = \"true-false\"\nanswer = true");
        let revision = |v: &str, d: &str| format!("[[revisions]]\nversion = \"{v}\"\ndate = {d}\n");
        assert_eq!(codes(&revision("1.0", "2026-01-01"), &module), []);
        assert_eq!(
            codes(&revision("0.9", "2026-01-01"), &module),
            [Code::RevisionMismatch]
        );
        let out_of_order = format!(
            "{}{}",
            revision("1.0", "2025-01-01"),
            revision("0.9", "2026-01-01")
        );
        assert_eq!(codes(&out_of_order, &module), [Code::RevisionOrder]);
        assert_eq!(
            codes(&revision("1.0", "2026-01-01T10:00:00"), &module),
            [Code::WrongType]
        );
    }

    #[test]
    fn the_exam_cannot_ask_for_more_than_the_bank_holds() {
        let module = question("type = \"true-false\"\nanswer = true\nbank = \"exam\"");
        assert_eq!(codes("[exam]\nquestions_per_module = 1", &module), []);
        assert_eq!(
            codes("[exam]\nquestions_per_module = 2", &module),
            [Code::ExamBankTooSmall]
        );
        assert_eq!(codes("[exam]\nforms = 27", &module), [Code::ExamSetting]);
        assert_eq!(
            codes("[exam]\npass_percent = 101", &module),
            [Code::ExamSetting]
        );
    }
}
