//! `coursepack export`: the three LMS formats, selections, and what it refuses to do.
//! (tests/external/lms.sh reads the same exports with gift-pegjs, XML parsers and text2qti.)

use std::path::Path;

use crate::harness::{copy_fixture, coursepack, fixtures, repo};

fn awkward() -> std::path::PathBuf {
    fixtures().join("valid/awkward")
}

#[test]
fn gift_goes_to_stdout_and_warnings_to_stderr() {
    let run = coursepack(&awkward(), &["export", "gift"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("// awkward-course 1.0.0: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("$CATEGORY: $course$/top/awkward-course/practice/awkward\n")
    );
    assert!(
        run.stdout
            .contains("$CATEGORY: $course$/top/awkward-course/exam/awkward\n")
    );
    assert_eq!(run.stdout.matches("\n::").count(), 12);
    // What GIFT cannot carry: one located warning per kind of loss, naming every question.
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(warnings.len(), 3, "{}", run.stderr);
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("warning[W034]: GIFT: "))
    );
    assert!(
        warnings[0]
            .ends_with("AW-Q2 (2 points), AW-Q6 (3 points), AW-Q8 (2 points), AW-Q12 (4 points)")
    );
    assert!(
        run.stderr.contains("--> modules/awkward.toml:65:6"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_qti_package_is_written_to_a_file_byte_identically_every_time() {
    let temp = tempfile::tempdir().unwrap();
    let first = temp.path().join("first.qti.zip");
    let second = temp.path().join("second.qti.zip");
    for out in [&first, &second] {
        let run = coursepack(&awkward(), &["export", "qti", "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr.contains("wrote 12 questions to "),
            "{}",
            run.stderr
        );
        assert_eq!(run.stdout, "");
    }
    let bytes = std::fs::read(&first).unwrap();
    assert_eq!(bytes, std::fs::read(&second).unwrap());
    assert!(bytes.starts_with(b"PK\x03\x04"));
}

#[test]
fn the_bundled_course_exports_to_all_three_formats() {
    let dir = repo().join("curricula/police-community-relations");
    let temp = tempfile::tempdir().unwrap();
    for (format, file) in [
        ("gift", "pcr.gift.txt"),
        ("moodle-xml", "pcr.moodle.xml"),
        ("qti", "pcr.qti.zip"),
    ] {
        let out = temp.path().join(file);
        let run = coursepack(&dir, &["export", format, "-o", out.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(run.stderr.contains("wrote 141 questions"), "{}", run.stderr);
        // The course allows lms-cannot-carry in its [lints]: its essays are graded on paper.
        assert!(!run.stderr.contains("warning"), "{format}: {}", run.stderr);
    }
}

#[test]
fn a_form_exports_exactly_that_forms_questions_in_order() {
    let checked = coursepack::check::check(&coursepack::source::Disk::new(awkward())).unwrap();
    let plan = coursepack::plan::Plan::new(&checked.curriculum, &Default::default());
    let want: Vec<String> = plan.forms[0]
        .items
        .iter()
        .map(|p| format!("<text>A{:02} {}</text>", p.number, p.question.id.get_ref()))
        .collect();
    let run = coursepack(&awkward(), &["export", "moodle-xml", "--form", "a"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got: Vec<String> = run
        .stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<text>A0"))
        .map(str::to_owned)
        .collect();
    assert_eq!(got, want);
    assert!(
        run.stdout
            .contains("$course$/top/awkward-course/exam/form-a")
    );
    assert!(!run.stdout.contains("/practice/"));
}

#[test]
fn forms_that_do_not_exist_or_do_not_fit_are_refused() {
    let run = coursepack(&awkward(), &["export", "gift", "--form", "C"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the course has 2 exam form(s), A to B; there is no form C\n"
    );
    assert_eq!(run.stdout, "");
    let run = coursepack(
        &awkward(),
        &["export", "gift", "--form", "A", "--bank", "practice"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("exam questions only"), "{}", run.stderr);
    for args in [
        &["export", "gift", "--form", "AB"][..],
        &["export", "gift", "--seed", "x"],
        &["export", "scorm"],
    ] {
        let run = coursepack(&awkward(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_broken_course_is_refused_with_its_diagnostics() {
    let (_temp, dir) = copy_fixture("valid/awkward");
    let path = dir.join("modules/awkward.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("answer = true", "answer = \"yes\"", 1)).unwrap();
    let out = dir.join("out.gift.txt");
    let run = coursepack(&dir, &["export", "gift", "-o", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error["), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> modules/awkward.toml:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .ends_with("export refused: fix the errors above, then export again\n")
    );
    assert_eq!(run.stdout, "");
    assert!(!out.exists());
}

#[test]
fn the_source_is_never_overwritten() {
    let (_temp, dir) = copy_fixture("valid/awkward");
    let course = std::fs::read(dir.join("course.toml")).unwrap();
    std::fs::create_dir(dir.join("templates")).unwrap();
    for target in [
        "course.toml",
        "./course.toml",
        "modules/awkward.toml",
        "modules/new.xml",
        "templates/x.html",
        "modules",
    ] {
        let run = coursepack(&dir, &["export", "moodle-xml", "-o", target]);
        // The same refusal, code and exit status as `build -o` into the sources.
        assert_eq!(run.code, 1, "{target}: {}", run.stderr);
        assert!(run.stderr.starts_with("error[E032]: "), "{}", run.stderr);
    }
    assert_eq!(std::fs::read(dir.join("course.toml")).unwrap(), course);
    assert!(!dir.join("modules/new.xml").exists());
    // From outside the curriculum, the same file by another path.
    let parent = dir.parent().unwrap();
    let name = dir.file_name().unwrap().to_str().unwrap();
    let target = Path::new(name).join("course.toml");
    let run = coursepack(
        parent,
        &["export", "gift", name, "-o", target.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(std::fs::read(dir.join("course.toml")).unwrap(), course);
    // Beside the source is fine.
    let run = coursepack(&dir, &["export", "gift", "-o", "awkward.gift.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}
