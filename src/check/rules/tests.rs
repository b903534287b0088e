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

/// A module whose one activity carries `fields` (after `minutes = 30`).
fn activity(fields: &str) -> String {
    format!(
        "{}[[activities]]\nid = \"A\"\ntitle = \"A\"\nkind = \"role-play\"\nminutes = 30\nsetup = \"s\"\n{fields}\n",
        question("type = \"true-false\"\nanswer = true")
    )
}

#[test]
fn criteria_scales_and_pass_standards_are_checked() {
    let criterion = "[[activities.criteria]]\ntext = \"Gave a warning\"\ncritical = true\n";
    assert_eq!(codes("", &activity(criterion)), []);
    assert_eq!(
        codes("", &activity(&format!("scale = [\"Met\"]\n{criterion}"))),
        [Code::EvaluationSetting]
    );
    assert_eq!(
        codes(
            "",
            &activity(&format!("scale = [\"Met\", \"Met\"]\n{criterion}"))
        ),
        [Code::EvaluationSetting]
    );
    assert_eq!(
        codes(
            "",
            &activity(&format!("pass_rating = \"Good\"\n{criterion}"))
        ),
        [Code::EvaluationSetting]
    );
    assert_eq!(
        codes("", &activity(&format!("pass_percent = 120\n{criterion}"))),
        [Code::EvaluationSetting]
    );
    assert_eq!(
        codes("", &activity("[[activities.criteria]]\ntext = \" \"\n")),
        [Code::EmptyValue]
    );
    // Anchors are keyed by the ratings of the scale in force: the course's here.
    let anchored = "[[activities.criteria]]\ntext = \"t\"\nanchors = { Good = \"g\" }\n";
    assert_eq!(codes("", &activity(anchored)), [Code::EvaluationSetting]);
    assert_eq!(
        codes(
            "[evaluation]\nscale = [\"Poor\", \"Good\"]",
            &activity(anchored)
        ),
        []
    );
    assert_eq!(
        codes(
            "[evaluation]\nscale = [\"Poor\"]\npass_percent = 101",
            &activity(anchored)
        ),
        [
            Code::EvaluationSetting,
            Code::EvaluationSetting,
            Code::EvaluationSetting
        ]
    );
}

#[test]
fn every_learner_must_fit_in_the_activity_minutes() {
    let runs = |course: &str, fields: &str| codes(course, &activity(fields));
    // 12 learners, 2 at a time: 6 runs of 5 minutes fit 30 minutes in one group.
    assert_eq!(
        runs("class_size = 12", "performers = 2\nrun_minutes = 5"),
        []
    );
    assert_eq!(
        runs("class_size = 24", "performers = 2\nrun_minutes = 5"),
        [Code::ClassCannotPerform]
    );
    assert_eq!(
        runs(
            "class_size = 24",
            "performers = 2\nrun_minutes = 5\ngroups = 2"
        ),
        []
    );
    assert_eq!(
        runs(
            "class_size = 24\n[instructors]\nevaluators = 2",
            "performers = 2\nrun_minutes = 5"
        ),
        []
    );
    assert_eq!(
        runs("class_size = 2", "performers = 2\nrun_minutes = 40"),
        [Code::ClassCannotPerform]
    );
    assert_eq!(runs("", "performers = 2"), [Code::EvaluationSetting]);
    assert_eq!(
        runs("", "performers = 0\nrun_minutes = 5"),
        [Code::EvaluationSetting]
    );
    assert_eq!(runs("class_size = 0", ""), [Code::EvaluationSetting]);
}

#[test]
fn the_schedule_places_every_module_once_within_its_days() {
    let day = |items: &str| {
        format!("[[schedule.days]]\nstart = \"08:00\"\nend = \"08:30\"\nitems = [{items}]\n")
    };
    let module = question("type = \"true-false\"\nanswer = true");
    let with = |course: &str| codes(course, &module);
    assert_eq!(with(&day("{ module = \"m\" }, { break = 10 }")), []);
    assert_eq!(
        with(&day("{ module = \"m\" }, { meal = 30 }")),
        [Code::ScheduleOverrun]
    );
    assert_eq!(with(&day("{ break = 10 }")), [Code::ScheduleSetting]);
    assert_eq!(
        with(&day("{ module = \"m\" }, { module = \"m\" }")),
        [Code::ScheduleSetting]
    );
    assert_eq!(
        with(&day("{ module = \"m\" }, { module = \"x\" }")),
        [Code::ScheduleSetting]
    );
    assert_eq!(
        with(&day("{ module = \"m\", break = 5 }")),
        [Code::ScheduleSetting]
    );
    assert_eq!(
        with(&day("{ module = \"m\" }, { check = \"m\" }")),
        [Code::ScheduleSetting]
    );
    assert_eq!(
        with(&day("{ module = \"m\" }, { check = \"m\", minutes = 5 }")),
        []
    );
    assert_eq!(
        with(&day("{ module = \"m\" }, { exam = true, minutes = 5 }")),
        [Code::ScheduleSetting]
    );
    // The exam takes `[exam].minutes`: 5 + 30 runs past 08:30.
    let exam = codes(
        &format!(
            "{}[exam]\nminutes = 30\n",
            day("{ module = \"m\" }, { exam = true }")
        ),
        &question("type = \"true-false\"\nanswer = true\nbank = \"exam\""),
    );
    assert_eq!(exam, [Code::ScheduleOverrun]);
    assert_eq!(
        with(&day("{ module = \"m\" }").replace("08:00", "8 am")),
        [Code::ScheduleSetting]
    );
    assert_eq!(
        with(&day("{ module = \"m\" }").replace("08:30", "07:00")),
        [Code::ScheduleSetting]
    );
}

#[test]
fn standards_name_objectives_of_the_course() {
    let module = question("type = \"true-false\"\nanswer = true");
    let standard =
        |o: &str| format!("[[standards]]\nid = \"LD 1\"\ntitle = \"T\"\nobjectives = [\"{o}\"]\n");
    assert_eq!(codes(&standard("O"), &module), []);
    assert_eq!(codes(&standard("X"), &module), [Code::UnknownObjective]);
}

#[test]
fn new_keys_are_known_and_their_typos_caught() {
    let module = activity("[[activities.criteria]]\ntext = \"t\"\ncritcal = true\n");
    assert_eq!(codes("", &module), [Code::UnknownKey]);
    let typo = "[[schedule.days]]\nstart = \"08:00\"\nitems = [{ modul = \"m\" }]\n";
    assert_eq!(
        codes(typo, &question("type = \"true-false\"\nanswer = true")),
        [Code::UnknownKey]
    );
    for course in [
        "[evaluation]\nscael = []",
        "[instructors]\nevaluator = 2",
        "[[standards]]\nid = \"x\"\ntitle = \"t\"\nobjective = []",
        "[schedule]\nday = []",
    ] {
        assert!(
            codes(course, &question("type = \"true-false\"\nanswer = true"))
                .contains(&Code::UnknownKey),
            "{course}"
        );
    }
    let objective = OBJECTIVE.replace(
        "text = \"t\"\n",
        "text = \"t\"\ncondition = \"Given a stop\"\nstandard = \"every critical criterion\"\n",
    );
    assert_eq!(
        codes(
            "prerequisites = [\"First aid\"]",
            &format!(
                "{objective}[[questions]]\nid = \"Q\"\nobjectives = [\"O\"]\nprompt = \"p\"\ntype = \"true-false\"\nanswer = true\n"
            )
        ),
        []
    );
}
