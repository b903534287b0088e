//! `[variables]`, `${name}` placeholders and `--var`; learner handouts.

use std::path::Path;

use crate::harness::{copy_fixture, coursepack};

/// valid/basic with `[variables]`, a handout that uses one and a question prompt that uses it.
fn course_with_variables() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, dir) = copy_fixture("valid/basic");
    let course = std::fs::read_to_string(dir.join("course.toml")).unwrap();
    let course = course
        .replacen(
            "modules = [\"listening\", \"calls\"]",
            "modules = [\"listening\", \"calls\"]\nhandouts = [\"crisis\"]",
            1,
        )
        .replacen(
            "[exam]",
            "[variables]\nagency = \"Example City Police\"\ncrisis_line = \"555-0100\"\n\n[exam]",
            1,
        );
    std::fs::write(dir.join("course.toml"), course).unwrap();
    std::fs::create_dir(dir.join("handouts")).unwrap();
    std::fs::write(
        dir.join("handouts/crisis.toml"),
        "title = \"Who to call\"\nsummary = \"Numbers for ${agency}\"\nbody = '''\nCall ${crisis_line}. Write $${agency} to get a placeholder.\n'''\n",
    )
    .unwrap();
    let calls = dir.join("modules/calls.toml");
    let module = std::fs::read_to_string(&calls).unwrap().replacen(
        "prompt = \"Explaining what happens next helps people accept a decision.\"",
        "prompt = \"At ${agency}, explaining what happens next helps people accept a decision.\"",
        1,
    );
    std::fs::write(calls, module).unwrap();
    (temp, dir)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_var_on_the_command_line_reaches_the_handouts_and_the_gift_file() {
    let (_temp, dir) = course_with_variables();
    let run = coursepack(
        &dir,
        &[
            "build",
            ".",
            "-o",
            "out",
            "--var",
            "agency=Lakeside Police Department",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("W09"), "{}", run.stderr);
    let out = dir.join("out");
    let html = read(&out.join("learner/handouts/crisis.html"));
    let md = read(&out.join("learner/handouts/crisis.md"));
    for page in [&html, &md] {
        assert!(
            page.contains("Numbers for Lakeside Police Department"),
            "{page}"
        );
        assert!(page.contains("Call 555-0100."), "{page}");
        assert!(
            page.contains("Write ${agency} to get a placeholder."),
            "{page}"
        );
        assert!(!page.contains("Example City Police"), "{page}");
    }
    let index = read(&out.join("index.html"));
    assert!(
        index.contains("<a href=\"learner/handouts/crisis.html\">Who to call</a>"),
        "{index}"
    );
    let gift = read(&out.join("lms/basic-course.gift.txt"));
    assert!(
        gift.contains("At Lakeside Police Department, explaining"),
        "{gift}"
    );
    // export reads the same overrides.
    let run = coursepack(&dir, &["export", "gift", "--var", "agency=Harbor PD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("At Harbor PD, explaining"),
        "{}",
        run.stdout
    );
}

#[test]
fn without_a_var_the_course_values_are_used() {
    let (_temp, dir) = course_with_variables();
    let run = coursepack(&dir, &["build", ".", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = read(&dir.join("out/learner/handouts/crisis.html"));
    assert!(html.contains("Numbers for Example City Police"), "{html}");
}

#[test]
fn an_undefined_placeholder_is_reported_at_its_line_and_column() {
    let (_temp, dir) = course_with_variables();
    std::fs::write(
        dir.join("handouts/crisis.toml"),
        "title = \"Who to call\"\nbody = \"\"\"\nCall \\t ${crisis_line} or\n  ${crisis_lien}.\n\"\"\"\n",
    )
    .unwrap();
    let run = coursepack(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E090]: placeholder `${crisis_lien}` names no variable"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> handouts/crisis.toml:4:3"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `${crisis_line}`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_bad_var_is_a_usage_error() {
    let (_temp, dir) = course_with_variables();
    let run = coursepack(&dir, &["check", "--var", "Agency=x"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = coursepack(&dir, &["check", "--var", "agency"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}
