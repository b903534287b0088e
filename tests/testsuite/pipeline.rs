//! The library's pipeline through each source provider, `[lints]`, and template overrides that
//! `check` parses.

use std::path::Path;

use coursepack::build::artefacts;
use coursepack::check::check;
use coursepack::diagnostic::{Code, Report, Severity};
use coursepack::plan::Options;
use coursepack::source::{Disk, GitRevision, Memory};

use crate::harness::{copy_dir, copy_fixture, coursepack, fixtures, git, replace_in};

/// The basic fixture, read into memory.
fn basic_in_memory() -> Memory {
    let root = fixtures().join("valid/basic");
    let mut memory = Memory::new("basic");
    for name in [
        "course.toml",
        "modules/listening.toml",
        "modules/calls.toml",
    ] {
        memory.insert(name, std::fs::read(root.join(name)).unwrap());
    }
    memory
}

fn report_of(result: Result<coursepack::check::Checked, Report>) -> Report {
    match result {
        Ok(checked) => checked.report,
        Err(report) => report,
    }
}

fn codes(report: &Report) -> Vec<(Code, Severity)> {
    report
        .diagnostics()
        .iter()
        .map(|d| (d.code, d.severity))
        .collect()
}

#[test]
fn a_curriculum_builds_entirely_from_memory() {
    let mut checked = check(&basic_in_memory()).expect("the fixture checks");
    let (files, forms) = artefacts(&mut checked, &Options::default());
    assert_eq!(forms, 2);
    assert!(!checked.report.has_errors());
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for want in [
        "index.html",
        "learner/handbook.md",
        "learner/modules/listening.html",
        "instructor/activities/L-A1.md",
        "exam/form-b-key.md",
        "lms/basic-course.qti.zip",
    ] {
        assert!(paths.contains(&want), "{want} missing from {paths:?}");
    }
    let text = |path: &str| {
        let file = files.iter().find(|f| f.path == path).unwrap();
        String::from_utf8(file.bytes.clone()).unwrap()
    };
    assert!(text("learner/modules/listening.md").starts_with("# Listening\n"));
    // The same source on disk gives the same bytes.
    let mut on_disk = check(&Disk::new(fixtures().join("valid/basic"))).unwrap();
    let (disk_files, _) = artefacts(&mut on_disk, &Options::default());
    assert_eq!(files, disk_files);
    // Nothing secret reaches learner/.
    for file in files.iter().filter(|f| f.path.starts_with("learner/")) {
        let text = String::from_utf8_lossy(&file.bytes);
        assert!(!text.contains("SECRET"), "{} leaks a secret", file.path);
    }
}

#[test]
fn an_in_memory_course_reports_problems_at_its_own_paths() {
    let memory = basic_in_memory().with("modules/calls.toml", "title = \"Calls\"\nminutez = 3\n");
    let report = check(&memory).unwrap_err();
    let unknown = report
        .diagnostics()
        .iter()
        .find(|d| d.code == Code::UnknownKey)
        .expect("the typo is reported");
    let text = coursepack::check::render_text(&report, false);
    assert!(text.contains("--> basic/modules/calls.toml:2:1"), "{text}");
    assert_eq!(unknown.help.as_deref(), Some("did you mean \"minutes\"?"));
}

#[test]
fn a_curriculum_loads_from_a_git_revision() {
    let temp = tempfile::tempdir().unwrap();
    let repo = temp.path();
    let course = repo.join("curricula/basic");
    copy_dir(&fixtures().join("valid/basic"), &course);
    git(repo, &["init", "-q"]);
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    let listening = course.join("modules/listening.toml");
    replace_in(&listening, "title = \"Listening\"", "title = \"Hearing\"");
    git(repo, &["commit", "-q", "-am", "second"]);
    // The working tree moves on; the revisions stay as they were committed.
    std::fs::write(&listening, "broken = [").unwrap();

    let title = |rev: &str| {
        let provider = GitRevision::open(&course, rev).expect("the revision opens");
        let checked = check(&provider).expect("the revision checks");
        checked.curriculum.modules[0].module.title.to_string()
    };
    assert_eq!(title("HEAD"), "Hearing");
    assert_eq!(title("HEAD~1"), "Listening");
    assert!(check(&Disk::new(&course)).is_err());

    // Problems name the revision and the path in the repository.
    let provider = GitRevision::open(&course, "HEAD").unwrap();
    assert_eq!(
        provider_display(&provider, "course.toml"),
        "HEAD:curricula/basic/course.toml"
    );
    let err = GitRevision::open(&course, "no-such-tag").unwrap_err();
    assert!(
        err.to_string().contains("`no-such-tag` is not a revision"),
        "{err}"
    );
}

fn provider_display(provider: &GitRevision, path: &str) -> String {
    use coursepack::source::SourceProvider;
    provider.display(Path::new(path)).display().to_string()
}

#[test]
fn lints_set_a_warnings_level_by_name_or_code() {
    // An objective no section teaches (W019) and none assesses (W020).
    let module = "title = \"M\"\n[[objectives]]\nid = \"O\"\ntext = \"t\"\n";
    let course = |lints: &str| {
        Memory::new("c")
            .with(
                "course.toml",
                format!("id = \"c\"\ntitle = \"C\"\nversion = \"1\"\nmodules = [\"m\"]\n{lints}"),
            )
            .with("modules/m.toml", module)
    };
    let warn = Severity::Warning;
    assert_eq!(
        codes(&report_of(check(&course("")))),
        [
            (Code::ObjectiveNotTaught, warn),
            (Code::ObjectiveNotAssessed, warn)
        ]
    );
    let quiet = course("[lints]\nobjective-not-taught = \"allow\"\nW020 = \"allow\"\n");
    assert_eq!(codes(&report_of(check(&quiet))), []);
    let strict = course("[lints]\nobjective-not-assessed = \"deny\"\n");
    let report = check(&strict).unwrap_err();
    assert_eq!(
        codes(&report),
        // At the same place, errors come first.
        [
            (Code::ObjectiveNotAssessed, Severity::Error),
            (Code::ObjectiveNotTaught, warn)
        ]
    );
    let typo = course("[lints]\nobjective-not-tought = \"allow\"\nE006 = \"allow\"\n");
    let report = check(&typo).unwrap_err();
    let text = coursepack::check::render_text(&report, false);
    assert!(
        text.contains("error[E035]: no warning is called \"objective-not-tought\""),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"objective-not-taught\"?"),
        "{text}"
    );
    assert!(text.contains("E006 (unknown-key) is an error"), "{text}");
    assert!(text.contains("--> c/course.toml:6:1"), "{text}");
}

#[test]
fn lms_losses_are_lints_a_course_can_allow() {
    let (_temp, dir) = copy_fixture("valid/awkward");
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("warning[W034]").count(),
        5,
        "{}",
        run.stderr
    );
    let course = dir.join("course.toml");
    let text = std::fs::read_to_string(&course).unwrap();
    std::fs::write(
        &course,
        text.replace("[lints]\n", "[lints]\nlms-cannot-carry = \"allow\"\n"),
    )
    .unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    std::fs::write(
        &course,
        text.replace("[lints]\n", "[lints]\nW034 = \"deny\"\n"),
    )
    .unwrap();
    let run = coursepack(&dir, &["build", "-o", "strict"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[W034]: GIFT: "), "{}", run.stderr);
    assert!(run.stderr.contains("build refused"), "{}", run.stderr);
    assert!(!dir.join("strict").exists());
    // The losses are found as the LMS files are written, after the pages: a refused build
    // over an earlier one leaves every file of it as it was.
    let earlier = dir.join("build");
    let before = files_under(&earlier);
    assert!(before.len() > 10);
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(files_under(&earlier), before);
}

/// Every file under `dir` with its bytes, by path.
fn files_under(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut todo = vec![dir.to_owned()];
    while let Some(folder) = todo.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.push((path, bytes));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn check_reports_a_broken_template_override_at_its_line_and_column() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::fs::create_dir_all(dir.join("templates/html")).unwrap();
    std::fs::write(
        dir.join("templates/html/module.html"),
        "{% extends \"html/base.html\" %}\n{% block main %}\n<p>{{ module.title </p>\n{% endblock main %}\n",
    )
    .unwrap();
    let run = coursepack(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("error[E029]: template syntax"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> templates/html/module.html:3:"),
        "{}",
        run.stderr
    );
    let json = coursepack(&dir, &["check", "--format", "json"]);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let item = &items[0];
    assert_eq!(item["code"], "E029");
    assert_eq!(item["file"], "templates/html/module.html");
    assert_eq!(item["line"], 3);
    assert!(item["column"].as_u64().unwrap() > 1, "{item}");
    // build refuses the same way, before writing anything.
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E029]"), "{}", run.stderr);
    assert!(!dir.join("build").exists());
}

#[test]
fn a_template_that_fails_while_rendering_is_a_diagnostic_at_the_override() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::fs::create_dir_all(dir.join("templates/md")).unwrap();
    std::fs::write(
        dir.join("templates/md/module.md"),
        "{{ module.no_such_field }}\n",
    )
    .unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E031]: template md/module.md failed"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("templates/md/module.md"),
        "{}",
        run.stderr
    );
    // One diagnostic for the template, not one per module page.
    assert_eq!(
        run.stderr.matches("error[E031]").count(),
        1,
        "{}",
        run.stderr
    );
    assert!(!dir.join("build").exists());
}

#[test]
fn a_build_quotes_its_warnings_from_files_it_let_go_of() {
    use coursepack::source::SourceProvider as _;
    let mut memory = basic_in_memory();
    let course = String::from_utf8(memory.read(Path::new("course.toml")).unwrap()).unwrap();
    memory.insert(
        "course.toml",
        format!("{course}\n[variables]\nnever_used = \"x\"\n"),
    );
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let built = coursepack::build::build(&memory, &out, &Options::default()).expect("it builds");
    let text = coursepack::check::render_text(&built.report, false);
    assert!(text.contains("never_used = \"x\""), "{text}");
    assert!(text.contains("basic/course.toml:"), "{text}");
    // Every file the report quotes is whole again, as read.
    for diagnostic in built.report.diagnostics() {
        if let Some(coursepack::diagnostic::Location::Span(file, _)) = &diagnostic.location {
            assert!(!built.report.sources.is_forgotten(*file));
            assert!(!built.report.sources.get(*file).text.is_empty());
        }
    }
}
