//! The author's commands: `new`, `outline`, `schema`, `completions`, `man`, `clean`.

use crate::harness::coursepack;

#[test]
fn new_writes_a_course_that_checks_and_builds_cleanly() {
    let temp = tempfile::tempdir().unwrap();
    let run = coursepack(
        temp.path(),
        &["new", "Roll Call", "--title", "Roll \"Call\""],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("created course `roll-call`"),
        "{}",
        run.stderr
    );
    let dir = temp.path().join("Roll Call");
    for file in [
        "course.toml",
        "modules/first-module.toml",
        ".gitignore",
        ".github/workflows/coursepack.yml",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let course = std::fs::read_to_string(dir.join("course.toml")).unwrap();
    assert!(course.contains("title = \"Roll \\\"Call\\\"\""), "{course}");
    let module = std::fs::read_to_string(dir.join("modules/first-module.toml")).unwrap();
    for kind in [
        "single-choice",
        "multiple-choice",
        "true-false",
        "short-answer",
        "matching",
        "essay",
    ] {
        assert!(module.contains(&format!("type = \"{kind}\"")), "no {kind}");
    }
    assert!(module.contains("[[activities.roles]]") && module.contains("private = "));
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitignore")).unwrap(),
        "/build/\n"
    );
    let workflow = std::fs::read_to_string(dir.join(".github/workflows/coursepack.yml")).unwrap();
    assert!(workflow.contains("coursepack check --deny-warnings"));
    assert!(workflow.contains("coursepack build"));

    let check = coursepack(&dir, &["check", "--deny-warnings"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stderr.contains("0 errors, 0 warnings"),
        "{}",
        check.stderr
    );
    let build = coursepack(&dir, &["build", "--deny-warnings"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    assert!(dir.join("build/instructor/activities/FM-A1.html").is_file());
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("notes.txt"), "mine").unwrap();
    let run = coursepack(temp.path(), &["new", "."]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(temp.path()).unwrap().count(), 1);
}

#[test]
fn outline_shows_minutes_questions_and_coverage() {
    let dir = crate::harness::fixtures().join("valid/basic");
    let run = coursepack(&dir, &["outline"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("outline-basic", run.stdout);

    let run = coursepack(&dir, &["outline", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["minutes"], 75);
    let listening = &json["modules"][0];
    assert_eq!(listening["id"], "listening");
    assert_eq!(listening["practice"]["matching"], 1);
    assert_eq!(listening["exam"]["essay"], 1);
    assert_eq!(listening["activities"][0]["name"], "L-A1");
    let coverage = &listening["objectives"][1];
    assert_eq!(coverage["id"], "L-2");
    assert_eq!(coverage["exam"], serde_json::json!(["L-QX2", "L-QX3"]));
}

#[test]
fn outline_refuses_a_broken_course() {
    let dir = crate::harness::fixtures().join("broken/missing-course-id");
    let run = coursepack(&dir, &["outline"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("outline refused"), "{}", run.stderr);
}
