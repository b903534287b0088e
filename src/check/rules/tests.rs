//! Each rule on the smallest course that breaks it.

use crate::diagnostic::Code;

/// Checks a one-module course whose module body is `module` and returns the codes found.
fn codes(course_extra: &str, module: &str) -> Vec<Code> {
    let course = crate::source::Memory::new("c")
        .with(
            "course.toml",
            format!(
                "id = \"c\"\ntitle = \"C\"\nversion = \"1.0\"\nmodules = [\"m\"]\n{course_extra}"
            ),
        )
        .with("modules/m.toml", module);
    let report = match crate::check::check(&course) {
        Ok(checked) => checked.report,
        Err(report) => report,
    };
    report.diagnostics().iter().map(|d| d.code).collect()
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
