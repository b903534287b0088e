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

fn exam_question(id: &str, objectives: &str, fields: &str) -> String {
    format!(
        "[[questions]]\nid = \"{id}\"\nbank = \"exam\"\nobjectives = {objectives}\nprompt = \"p\"\n{fields}\n"
    )
}

const TWO_OBJECTIVES: &str = "title = \"M\"\n[[objectives]]\nid = \"O\"\ntext = \"t\"\n[[objectives]]\nid = \"P\"\ntext = \"t\"\n[[sections]]\ntitle = \"S\"\nminutes = 5\nobjectives = [\"O\", \"P\"]\nbody = \"b\"\n";

#[test]
fn the_blueprint_must_be_satisfiable() {
    let tf = "type = \"true-false\"\nanswer = true";
    let module = format!(
        "{TWO_OBJECTIVES}{}{}{}",
        exam_question("Q1", "[\"O\"]", tf),
        exam_question("Q2", "[\"P\"]", tf),
        exam_question("Q3", "[\"P\"]", tf)
    );
    assert_eq!(codes("[exam]\nforms = 1", &module), []);
    // One item per form cannot cover two objectives.
    assert_eq!(
        codes("[exam]\nquestions_per_module = 1", &module),
        [Code::ExamBlueprintUnmet]
    );
    // ... unless the blueprint waives one, or asks for more items.
    assert_eq!(
        codes(
            "[exam]\nquestions_per_module = 1\n[exam.blueprint]\nobjectives = { O = 0 }",
            &module
        ),
        []
    );
    assert_eq!(
        codes(
            "[exam]\nquestions_per_module = 1\n[exam.blueprint]\nmodules = { m = 2 }",
            &module
        ),
        []
    );
    assert_eq!(
        codes("[exam]\n[exam.blueprint]\nobjectives = { O = 2 }", &module),
        [Code::ExamBlueprintUnmet]
    );
    assert_eq!(
        codes("[exam]\n[exam.blueprint]\nobjectives = { X = 1 }", &module),
        [Code::ExamBlueprintUnmet]
    );
    assert_eq!(
        codes("[exam]\n[exam.blueprint]\nmodules = { n = 1 }", &module),
        [Code::ExamBlueprintUnmet]
    );
    assert_eq!(
        codes("[exam]\n[exam.blueprint]\nmodules = { m = 4 }", &module),
        [Code::ExamBankTooSmall]
    );
    assert_eq!(
        codes("[exam]\n[exam.blueprint]\nmodulez = { m = 4 }", &module),
        // Read as the `modules` it was meant to be, so its value is checked too.
        [Code::UnknownKey, Code::ExamBankTooSmall]
    );
    // Two forms, each covering O, from one O item: they must share it.
    assert_eq!(codes("[exam]\nforms = 2", &module), [Code::FormsShareItems]);
}

#[test]
fn exam_items_without_an_exam_are_reported() {
    let module = format!(
        "{OBJECTIVE}{}",
        exam_question("Q", "[\"O\"]", "type = \"true-false\"\nanswer = true")
    );
    assert_eq!(codes("", &module), [Code::ExamBankUnused]);
    assert_eq!(codes("[exam]", &module), []);
}

fn single(prompt: &str, answer: &str, distractors: &str) -> String {
    format!(
        "{OBJECTIVE}[[questions]]\nid = \"Q\"\nobjectives = [\"O\"]\ntype = \"single-choice\"\nprompt = \"{prompt}\"\nanswer = \"{answer}\"\ndistractors = {distractors}\n"
    )
}

#[test]
fn item_writing_cues_are_lints() {
    let plain = "[\"Shout an order\", \"Leave the scene\", \"Call for backup\"]";
    assert_eq!(
        codes("", &single("Which first?", "Greet the host", plain)),
        []
    );
    assert_eq!(
        codes(
            "",
            &single(
                "Which first?",
                "Greet the host by name and explain why you came tonight",
                plain
            )
        ),
        [Code::LongestCorrect]
    );
    assert_eq!(
        codes(
            "",
            &single(
                "Which first?",
                "Greet the host",
                "[\"Shout an order\", \"None of the above\"]"
            )
        ),
        [Code::AllNoneOfTheAbove]
    );
    assert_eq!(
        codes(
            "",
            &single(
                "Which first?",
                "Greet the host",
                "[\"Leave the scene.\", \"Leave the scene!!\"]"
            )
        ),
        [Code::SimilarOptions]
    );
    assert_eq!(
        codes(
            "",
            &single("Which tactic calms a resident?", "A calming voice", plain)
        ),
        [Code::StemClue]
    );
    assert_eq!(
        codes(
            "",
            &single("Which is not a first step?", "Greet the host", plain)
        ),
        [Code::NegativeStem]
    );
    assert_eq!(
        codes(
            "",
            &single("Which is **NOT** a first step?", "Greet the host", plain)
        ),
        []
    );
    let tf = |prompt: &str| {
        codes(
            "",
            &format!(
                "{OBJECTIVE}[[questions]]\nid = \"Q\"\nobjectives = [\"O\"]\ntype = \"true-false\"\nprompt = \"{prompt}\"\nanswer = true\n"
            ),
        )
    };
    assert_eq!(tf("Officers always win."), [Code::AbsoluteWords]);
    assert_eq!(tf("Officers often win."), []);
}

#[test]
fn true_false_keys_must_be_balanced() {
    let bank = |answers: &[bool]| {
        let mut module = OBJECTIVE.to_owned();
        for (i, a) in answers.iter().enumerate() {
            module.push_str(&format!(
                "[[questions]]\nid = \"Q{i}\"\nobjectives = [\"O\"]\ntype = \"true-false\"\nprompt = \"p\"\nanswer = {a}\n"
            ));
        }
        codes("", &module)
    };
    assert_eq!(bank(&[false, false, false]), [], "too few to judge");
    assert_eq!(
        bank(&[false, false, false, false]),
        [Code::TrueFalseBalance]
    );
    assert_eq!(bank(&[false, true, false, true]), []);
    assert_eq!(bank(&[true, true, true, false]), [Code::TrueFalseBalance]);
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

/// `count` true-false questions on objective `O`, ids `Q0` … for a module built on `OBJECTIVE`.
fn many_questions(count: usize) -> String {
    let mut module = OBJECTIVE.to_owned();
    for i in 0..count {
        module.push_str(&format!(
            "[[questions]]\nid = \"Q{i}\"\ntype = \"true-false\"\nobjectives = [\"O\"]\nprompt = \"Claim {i}.\"\nanswer = {}\n",
            i % 2 == 0
        ));
    }
    module
}

#[test]
fn a_module_holds_at_most_the_question_limit() {
    let limit = crate::limits::MAX_QUESTIONS_PER_MODULE;
    assert!(!codes("", &many_questions(limit)).contains(&Code::OverLimit));
    let over = codes("", &many_questions(limit + 1));
    assert_eq!(
        over.iter().filter(|c| **c == Code::OverLimit).count(),
        1,
        "{over:?}"
    );
}

#[test]
fn a_course_holds_at_most_the_question_limit() {
    let per_module = crate::limits::MAX_QUESTIONS_PER_MODULE;
    let modules = crate::limits::MAX_QUESTIONS_PER_COURSE / per_module;
    let module = many_questions(per_module);
    let course = |extra: usize| {
        let ids: Vec<String> = (0..modules + extra).map(|i| format!("\"m{i}\"")).collect();
        let mut memory = crate::source::Memory::new("c").with(
            "course.toml",
            format!(
                "id = \"c\"\ntitle = \"C\"\nversion = \"1.0\"\nmodules = [{}]\n",
                ids.join(", ")
            ),
        );
        for i in 0..modules + extra {
            memory = memory.with(
                format!("modules/m{i}.toml"),
                module.replace("\"Q", &format!("\"m{i}-Q")),
            );
        }
        let report = match crate::check::check(&memory) {
            Ok(checked) => checked.report,
            Err(report) => report,
        };
        report
            .diagnostics()
            .iter()
            .filter(|d| d.code == Code::OverLimit)
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(course(0), Vec::<String>::new());
    let over = course(1);
    assert_eq!(over.len(), 1, "{over:?}");
    assert!(over[0].starts_with("the course has "), "{over:?}");
}
