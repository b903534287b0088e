//! `coursepack build`: every artefact, determinism, the learner boundary, overrides, refusals.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::{copy_dir, copy_fixture, coursepack, fixtures, replace_in, repo};

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// `files` without the cache and the parsed-module memo: they record how the build was made,
/// and a rebuild that wrote only what changed leaves them other than a fresh build does.
fn made(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.remove(".coursepack-cache");
    files.remove(".coursepack-modules");
    files
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} was not written"))
            .clone(),
    )
    .unwrap()
}

#[test]
fn writes_every_artefact_as_markdown_and_html() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("built 2 modules and 2 exam forms into build: 40 files (40 written, 0 unchanged, 0 removed)"), "{}", run.stderr);
    let files = tree(&dir.join("build"));
    let mut expected = vec![
        "index.html".to_owned(),
        ".coursepack-manifest".to_owned(),
        ".coursepack-cache".to_owned(),
        ".coursepack-modules".to_owned(),
        "lms/basic-course.gift.txt".to_owned(),
        "lms/basic-course.moodle.xml".to_owned(),
        "lms/basic-course.qti.zip".to_owned(),
        "exam/form-a.json".to_owned(),
        "exam/form-b.json".to_owned(),
    ];
    for stem in [
        "learner/handbook",
        "learner/modules/listening",
        "learner/modules/calls",
        "learner/checks/listening",
        "learner/checks/calls",
        "instructor/guide",
        "instructor/checks/listening-key",
        "instructor/checks/calls-key",
        "instructor/activities/L-A1",
        "instructor/activities/C-A1",
        "exam/form-a",
        "exam/form-b",
        "exam/form-a-key",
        "exam/form-b-key",
        "exam/blueprint",
        "instructor/outline",
        "instructor/evaluations/C-A1",
    ] {
        expected.push(format!("{stem}.md"));
        expected.push(format!("{stem}.html"));
    }
    expected.sort();
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected);
    for (path, bytes) in &files {
        if path.ends_with(".md") {
            insta::assert_snapshot!(
                format!("build-{}", path.replace('/', "-")),
                String::from_utf8(bytes.clone()).unwrap()
            );
        }
    }
}

#[test]
fn html_pages_are_complete_documents_with_landmarks() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    let files = tree(&dir.join("build"));
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"),
            "{path}"
        );
        assert!(
            html.contains("<main id=\"main\">") && html.contains("</html>"),
            "{path}"
        );
        assert!(html.contains("<h1"), "{path} has no h1");
        assert!(
            html.contains("@media print"),
            "{path} has no print stylesheet"
        );
        assert!(
            !html.contains("http://") && !html.contains("<script"),
            "{path} loads something from outside"
        );
    }
}

#[test]
fn every_relative_link_in_the_bundled_build_resolves() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let run = coursepack(
        &repo(),
        &[
            "build",
            "curricula/police-community-relations",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&out);
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes.clone()).unwrap();
        let base = Path::new(path).parent().unwrap();
        for href in html
            .split("href=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
        {
            if href.starts_with("http") {
                continue;
            }
            let (file, anchor) = href.split_once('#').unwrap_or((href, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                normalize(&base.join(file))
            };
            let page = files
                .get(&target)
                .unwrap_or_else(|| panic!("{path}: link to missing {href}"));
            if !anchor.is_empty() {
                let page = String::from_utf8_lossy(page);
                assert!(
                    page.contains(&format!("id=\"{anchor}\"")),
                    "{path}: link to missing anchor {href}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn two_builds_are_byte_identical_and_the_second_rewrites_nothing() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build", "-o", "one"]).code, 0);
    assert_eq!(coursepack(&dir, &["build", "-o", "two"]).code, 0);
    // Every artefact is byte-identical; the build cache records when files were written.
    let artefacts = |out: &str| {
        let mut files = tree(&dir.join(out));
        assert!(files.remove(".coursepack-cache").is_some());
        files
    };
    assert_eq!(artefacts("one"), artefacts("two"));
    let again = coursepack(&dir, &["build", "-o", "one"]);
    assert!(
        again
            .stderr
            .contains("(0 written, 40 unchanged, 0 removed)"),
        "{}",
        again.stderr
    );
}

/// Pages rendered from the built-in templates splice their texts into a skeleton, and the
/// handbook and the guide are written a module at a time; a course's own templates see full
/// contexts and render each page whole. The same templates must give the same bytes either way.
#[test]
fn pages_spliced_from_marks_are_the_bytes_full_contexts_give() {
    let courses = [
        repo().join("curricula/police-community-relations"),
        repo().join("curricula/roll-call-de-escalation"),
        fixtures().join("valid/basic"),
        fixtures().join("valid/awkward"),
    ];
    for course in courses {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("course");
        copy_dir(&course, &dir);
        assert_marks_give_what_full_contexts_give(&dir);
    }
}

/// A course of more modules than the walk renders side by side, whose Markdown leaves a fenced
/// code block and an HTML block open across modules and holds raw HTML, with a module long
/// enough that the handbook's two copies are streamed, and exam forms of more questions than
/// are rendered side by side: written a module or a question at a time, every page is still the
/// page the whole template gives.
#[test]
fn a_long_course_written_a_module_at_a_time_is_the_page_the_whole_template_gives() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("course");
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    let count = 75;
    let ids: Vec<String> = (0..count).map(|n| format!("\"m{n}\"")).collect();
    std::fs::write(
        dir.join("course.toml"),
        format!(
            "id = \"many\"\ntitle = \"Many <Modules>\"\nversion = \"1.0.0\"\nmodules = [{}]\n\n\
             [exam]\nforms = 2\nquestions_per_module = 2\n\n[lints]\nforms-share-items = \"allow\"\n",
            ids.join(", ")
        ),
    )
    .unwrap();
    let long =
        "A paragraph of the long module, with *emphasis* and a [link](https://example.org).\n\n"
            .repeat(14_000);
    for n in 0..count {
        let body = match (n, n % 7) {
            (_, 0) => "Text with a <b>tag</b> and `code <i>`.\n".to_owned(),
            // An HTML block that runs on into the next module, to its `</pre>`.
            (30, _) => "<pre>\nopen across modules\n".to_owned(),
            (31, _) => "still <b>inside</b>\n</pre>\n".to_owned(),
            // A fence that is never closed: the rest of the Markdown copy is code.
            (50, _) => "An open fence:\n\n```\n<b>in code</b>\n".to_owned(),
            (_, 2) => "<pre>\nopen\n\n<b>still pre</b>\n</pre>\n".to_owned(),
            (_, 3) => "<div>raw</div>\n\n~~~\nclosed <x>\n~~~\n".to_owned(),
            (4, _) => long.clone(),
            _ => format!("Plain text of module {n}; 3 < 4.\n"),
        };
        let module = format!(
            r#"title = "Module {n}"
goal = "Goal {n}."

[[objectives]]
id = "M{n}-1"
text = "Do thing {n}."

[[sections]]
title = "Part {n}"
minutes = 10
method = "lecture"
objectives = ["M{n}-1"]
body = '''
{body}'''
instructor_notes = "Notes of {n}: <em>raw</em>."
sources = ["s{n}"]

[[sources]]
id = "s{n}"
citation = "Source {c}"

[[activities]]
id = "M{n}-A1"
title = "Practice {n}"
kind = "role-play"
minutes = 10
objectives = ["M{n}-1"]
setup = "Set up {n}."

[[activities.roles]]
name = "Caller"
brief = "Brief {n}."

[[questions]]
id = "M{n}-Q1"
type = "single-choice"
bank = "exam"
objectives = ["M{n}-1"]
prompt = "Which is <b>right</b> for {n}?"
answer = "Right {n}."
distractors = ["Wrong A {n}.", "Wrong B {n}.", "Wrong C {n}."]
explanation = "Because <i>{n}</i>."

[[questions]]
id = "M{n}-Q2"
type = "true-false"
bank = "exam"
objectives = ["M{n}-1"]
prompt = "Is `{n}` <em>a number</em>?"
answer = true
explanation = "Yes: ```{n}```."
"#,
            c = n % 5,
        );
        std::fs::write(dir.join(format!("modules/m{n}.toml")), module).unwrap();
    }
    let files = assert_marks_give_what_full_contexts_give(&dir);
    let key = text(&files, "exam/form-a-key.md");
    assert_eq!(
        (key.matches("Because").count(), key.matches("Yes: ").count()),
        (75, 75),
        "every exam question is on the key, with its explanation"
    );
    for path in ["learner/handbook.html", "learner/handbook.md"] {
        assert!(files[path].len() > 1 << 20, "{path} is too short to stream");
    }
    // The outline is written in two runs of parts: every module's entry, then every module's
    // rows of the matrix.
    let outline = text(&files, "instructor/outline.md");
    let entries: Vec<usize> = (0..count)
        .map(|n| {
            outline
                .find(&format!("### {}. Module {n} ", n + 1))
                .unwrap()
        })
        .collect();
    let rows: Vec<usize> = (0..count)
        .map(|n| {
            outline
                .find(&format!("| **M{n}-1** Do thing {n}. |"))
                .unwrap()
        })
        .collect();
    assert!(
        entries
            .windows(2)
            .chain(rows.windows(2))
            .all(|w| w[0] < w[1])
            && entries[count - 1] < rows[0],
        "the outline's entries, then its matrix, each in course order"
    );
    let handbook = text(&files, "learner/handbook.md");
    let module = |n: usize| {
        let at = handbook.find(&format!(". Module {n}\n")).unwrap();
        &handbook[at..at + 200]
    };
    assert!(
        module(0).contains("Text with a \\<b>tag\\</b>"),
        "raw HTML is escaped"
    );
    assert!(
        handbook.contains("```\n<b>in code</b>") && module(56).contains("Text with a <b>tag</b>"),
        "after an open fence, nothing is escaped"
    );
}

/// Builds the course at `dir` with the built-in templates, then with them copied in as the
/// course's own, and asserts that both give the same files; returns them.
fn assert_marks_give_what_full_contexts_give(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let build = |out: &str| {
        let run = coursepack(dir, &["build", "-o", out]);
        assert_eq!(run.code, 0, "{}: {}", dir.display(), run.stderr);
        made(tree(&dir.join(out)))
    };
    let spliced = build("spliced");
    // The built-in templates copied in are the course's own: no marks.
    assert_eq!(coursepack(dir, &["templates", "."]).code, 0);
    let full = build("full");
    assert_eq!(
        spliced.keys().collect::<Vec<_>>(),
        full.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &spliced {
        assert!(
            bytes == &full[path],
            "{}: {path} differs between marks and full contexts",
            dir.display()
        );
    }
    spliced
}

/// A course whose own text holds what a mark looks like gets that text, not a spliced body.
#[test]
fn text_that_looks_like_a_mark_is_printed_as_written() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/listening.toml");
    let source = std::fs::read_to_string(&path).unwrap();
    let mark = "\u{E000}0h\u{E001}";
    let changed = source.replacen("title = \"", &format!("title = \"{mark} "), 1);
    assert_ne!(source, changed);
    std::fs::write(&path, changed).unwrap();
    let run = coursepack(&dir, &["build", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&dir.join("out"));
    let handbook = text(&files, "learner/handbook.html");
    assert!(
        handbook.contains(&format!("{mark} ")),
        "the mark was replaced"
    );
}

#[test]
fn another_seed_changes_the_forms_and_only_source_date_epoch_dates_the_build() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build", "-o", "a"]).code, 0);
    assert_eq!(
        coursepack(&dir, &["build", "-o", "b", "--seed", "12345"]).code,
        0
    );
    let (a, b) = (tree(&dir.join("a")), tree(&dir.join("b")));
    assert_ne!(text(&a, "exam/form-a.md"), text(&b, "exam/form-a.md"));
    assert_eq!(
        text(&a, "learner/modules/listening.md"),
        text(&b, "learner/modules/listening.md")
    );
    assert!(!text(&a, "index.html").contains("built "));

    let output = std::process::Command::new(env!("CARGO_BIN_EXE_coursepack"))
        .args(["build", "-o", "dated"])
        .current_dir(&dir)
        .env("SOURCE_DATE_EPOCH", "1763683200")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(text(&tree(&dir.join("dated")), "index.html").contains("built 2025-11-21"));
}

/// Every secret field of the fixture holds a unique `SECRET-…` marker.
#[test]
fn nothing_secret_reaches_learner_files() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    let files = tree(&dir.join("build"));
    for (path, bytes) in &files {
        if path.starts_with("learner/") || path == "index.html" {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.contains("SECRET"),
                "{path} leaks {}",
                &text[text.find("SECRET").unwrap()..][..30]
            );
            assert!(
                !text.contains("correct</span>") && !text.contains("- [x]"),
                "{path} marks a correct choice"
            );
        }
    }
    let all = |prefix: &str| -> String {
        files
            .iter()
            .filter(|(p, _)| p.starts_with(prefix))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    };
    let instructor = all("instructor/");
    for marker in [
        "SECRET-NOTE-SECTION-1",
        "SECRET-NOTE-SECTION-2",
        "SECRET-NOTE-ACTIVITY-1",
        "SECRET-PRIVATE-CALLER",
        "SECRET-PRIVATE-HOST",
        "SECRET-EXPLANATION-Q1",
        "SECRET-ACCEPTED-Q4",
        "SECRET-RUBRIC-Q6",
        "SECRET-MODEL-Q6",
    ] {
        assert!(
            instructor.contains(marker),
            "{marker} missing from instructor/"
        );
    }
    let exam = all("exam/");
    let drawn = [
        "SECRET-EXAM-PROMPT-X1",
        "SECRET-EXAM-PROMPT-X2",
        "SECRET-EXAM-PROMPT-X3",
        "SECRET-EXAM-PROMPT-CX1",
        "SECRET-EXAM-PROMPT-CX2",
    ]
    .iter()
    .filter(|m| exam.contains(*m))
    .count();
    assert!(drawn >= 4, "exam forms show only {drawn} of the exam items");
    assert!(exam.contains("SECRET-EXAM-EXPLANATION-X1") || !exam.contains("SECRET-EXAM-PROMPT-X1"));
}

#[test]
fn a_course_template_replaces_the_built_in_one() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::fs::create_dir_all(dir.join("templates/md")).unwrap();
    std::fs::write(
        dir.join("templates/md/module.md"),
        "OVERRIDE {{ module.title }} {{ module.goal.md | upper }}\n",
    )
    .unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("using the course's templates/md/module.md")
    );
    let files = tree(&dir.join("build"));
    assert_eq!(
        text(&files, "learner/modules/listening.md"),
        "OVERRIDE Listening LEARNERS *LISTEN* BEFORE THEY SPEAK.\n"
    );
    assert!(text(&files, "learner/modules/listening.html").contains("<h1>Listening</h1>"));

    std::fs::write(dir.join("templates/md/modul.md"), "typo").unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("templates/md/modul.md: no built-in template has this name"),
        "{}",
        run.stderr
    );
}

/// With the built-in templates a module's check, packets and evaluation forms are given only
/// the module's number and title (all those templates print); a course's own template for them
/// still sees the whole module.
#[test]
fn a_course_template_for_a_check_packet_or_evaluation_sees_the_whole_module() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::fs::create_dir_all(dir.join("templates/md")).unwrap();
    let body = "{{ module.id }} {{ module.minutes }} min, {{ module.sections | length }} section(s), \
                first {{ module.sections.0.title }}, goal {{ module.goal.md }}\n";
    for name in ["check", "activity", "evaluation"] {
        std::fs::write(
            dir.join(format!("templates/md/{name}.md")),
            format!("{name}: {body}"),
        )
        .unwrap();
    }
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&dir.join("build"));
    let goal = "goal Learners *listen* before they speak.";
    for (path, kind) in [
        ("learner/checks/listening.md", "check"),
        ("instructor/checks/listening-key.md", "check"),
        ("instructor/activities/L-A1.md", "activity"),
    ] {
        let page = text(&files, path);
        assert!(
            page.starts_with(&format!("{kind}: listening ")),
            "{path}: {page}"
        );
        assert!(page.contains("section(s), first "), "{path}: {page}");
        assert!(page.contains(goal), "{path}: {page}");
    }
    let evaluation = text(&files, "instructor/evaluations/C-A1.md");
    assert!(
        evaluation.starts_with("evaluation: calls 25 min, 1 section(s), first Steps"),
        "{evaluation}"
    );
}

#[test]
fn templates_are_copied_out_for_editing_and_never_overwritten() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let run = coursepack(&dir, &["templates"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.join("templates/html/base.html").is_file());
    assert!(dir.join("templates/style.css").is_file());
    let build = coursepack(&dir, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    let again = coursepack(&dir, &["templates"]);
    assert_eq!(again.code, 1);
    assert!(
        again.stderr.contains("will not overwrite"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_curriculum_with_errors_is_not_built() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/calls.toml");
    let source = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, source.replace("minutes = 25", "minutes = 26")).unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[E018]"), "{}", run.stderr);
    assert!(run.stderr.contains("build refused"), "{}", run.stderr);
    assert!(!dir.join("build").exists());
}

#[test]
fn unsafe_output_directories_are_refused() {
    let (_temp, dir) = copy_fixture("valid/basic");
    for (out, message) in [
        (".", "is the curriculum directory itself"),
        ("..", "contains the curriculum"),
        ("modules", "inside the curriculum's modules"),
        ("course.toml", "is a file"),
    ] {
        let run = coursepack(&dir, &["build", "-o", out]);
        assert_eq!(run.code, 1, "-o {out}");
        assert!(run.stderr.contains(message), "-o {out}: {}", run.stderr);
    }
    assert_eq!(std::fs::read_dir(dir.join("modules")).unwrap().count(), 2);
}

#[test]
fn stale_files_go_and_files_coursepack_did_not_write_stay() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    std::fs::write(dir.join("build/notes.txt"), "mine").unwrap();
    // Drop the second exam form: its five files (two pages, two keys, a manifest) are stale.
    let course = dir.join("course.toml");
    let source = std::fs::read_to_string(&course).unwrap();
    std::fs::write(&course, source.replace("forms = 2", "forms = 1")).unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("5 removed"), "{}", run.stderr);
    assert!(!dir.join("build/exam/form-b.md").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("build/notes.txt")).unwrap(),
        "mine"
    );

    // A file of the user's where a page would go is never overwritten.
    std::fs::write(&course, source).unwrap();
    std::fs::write(dir.join("build/exam/form-b.md"), "my own form").unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("was not written by coursepack"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("build/exam/form-b.md")).unwrap(),
        "my own form"
    );
}

/// What `coursepack ARGS` run in `dir` printed to stderr; it must succeed.
fn succeeds(dir: &Path, args: &[&str]) -> String {
    let run = coursepack(dir, args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stderr
}

/// The number `build`'s summary prints before `said` (0 when it says nothing).
fn counted(stderr: &str, said: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| l.strip_suffix(said))
        .map_or(0, |n| n.parse().unwrap())
}

/// The pages `build` kept from the cache, from its summary.
fn kept(stderr: &str) -> usize {
    counted(
        stderr,
        " unchanged pages kept from the last build (--no-cache renders them again)",
    )
}

/// The parts of whole-course pages `build` copied from the last build, from its summary.
fn parts_copied(stderr: &str) -> usize {
    counted(
        stderr,
        " unchanged parts of whole-course pages and LMS files copied from the last build",
    )
}

/// The whole-course files whose frame `build` took from the cache, from its summary.
fn frames_kept(stderr: &str) -> usize {
    counted(
        stderr,
        " whole-course files kept their frame (contents, agenda) from the last build",
    )
}

/// Builds `dir` again into `fresh` with `--no-cache`, and checks that `build` holds the same
/// files (but for the cache and the memo).
fn built_as_without_cache(dir: &Path, what: &str) {
    succeeds(dir, &["build", "-o", "fresh", "--no-cache"]);
    assert!(
        made(tree(&dir.join("build"))) == made(tree(&dir.join("fresh"))),
        "{what}"
    );
}

/// A whole-course file's frame (its text around the modules' and questions' parts) is taken
/// from the cache only while everything it shows is unchanged, and only as the cache wrote it.
#[test]
fn a_frame_is_kept_only_while_what_it_shows_is_unchanged() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let build = |args: &[&str]| succeeds(&dir, args);
    let same_as_fresh = |what: &str| built_as_without_cache(&dir, what);
    let edit = |from: &str, to: &str| replace_in(&dir.join("modules/listening.toml"), from, to);
    let cache = dir.join("build/.coursepack-cache");
    assert_eq!(frames_kept(&build(&["build"])), 0);
    let frames = std::fs::read_to_string(&cache)
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("frame\t"))
        .count();
    // The handbook, the guide, the outline, two forms and their keys, each in two formats.
    assert_eq!(frames, 14);
    // A section's text is in no frame: every frame is kept, but for the forms and their keys
    // (8 files), which show no section and are left whole as they were.
    let forms = 8;
    edit("in your own words", "in words of your own");
    assert_eq!(frames_kept(&build(&["build"])), frames - forms);
    same_as_fresh("a section edited");
    let handbook = std::fs::read_to_string(dir.join("build/learner/handbook.html")).unwrap();
    assert!(handbook.contains("in words of your own"));
    // A module's title is in the handbook's contents, and its minutes in the guide's agenda:
    // those frames are made again, with the new title and times.
    edit("title = \"Listening\"", "title = \"Listening well\"");
    edit("minutes = 50", "minutes = 55");
    edit("minutes = 15", "minutes = 20");
    let remade = frames - frames_kept(&build(&["build"]));
    assert!(remade >= 4, "{remade} of {frames} frames made again");
    same_as_fresh("a title and minutes edited");
    // A frame's text changed in the cache (its length as it was) is not used: the file's frame
    // is made again, the others are kept.
    let text = std::fs::read_to_string(&cache).unwrap();
    let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    // The handbook's frame header, its first text's length, and the first line of that text.
    let at = lines
        .iter()
        .position(|l| l.starts_with("frame\t") && l.ends_with("\tlearner/handbook.html"))
        .unwrap()
        + 2;
    let first = lines[at].chars().next().unwrap();
    assert!(first.is_ascii(), "{first:?}");
    let other = if first == 'X' { "Y" } else { "X" };
    lines[at].replace_range(..1, other);
    std::fs::write(&cache, lines.join("\n")).unwrap();
    edit("in words of your own", "in your own words");
    assert_eq!(frames_kept(&build(&["build"])), frames - forms - 1);
    same_as_fresh("a garbled frame");
    // A frame cut short in the cache loses it and every frame after it, never a wrong one.
    let text = std::fs::read_to_string(&cache).unwrap();
    let at = text.find("frame\t").unwrap();
    let cut = at + text[at..].find('\n').unwrap() + 1;
    std::fs::write(&cache, &text[..cut + 2]).unwrap();
    edit("in your own words", "in words of your own");
    let kept = frames_kept(&build(&["build"]));
    assert!(kept < frames, "{kept} of {frames}");
    same_as_fresh("a frame cut short");
}

/// A page that shows the whole course but is not written in parts (the index, the blueprint)
/// is left as it is only while its context is what the last build rendered, and only while its
/// file is as that build left it.
#[test]
fn a_whole_course_page_is_kept_only_while_what_it_shows_is_unchanged() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let build = |args: &[&str]| succeeds(&dir, args);
    let same_as_fresh = |what: &str| built_as_without_cache(&dir, what);
    let edit = |from: &str, to: &str| replace_in(&dir.join("modules/listening.toml"), from, to);
    let page = |file: &str| std::fs::read_to_string(dir.join("build").join(file)).unwrap();
    build(&["build"]);
    // The other module's four pages, the three whole-course pages this text is not on, and
    // the two forms and their keys, whose questions are as they were.
    edit("in your own words", "in words of your own");
    assert_eq!(kept(&build(&["build"])), 4 + 3 + 4);
    same_as_fresh("a section edited");
    // A module's title is on the index and the blueprint: both are made again.
    // The forms print no module's title: they stay as they were.
    edit("title = \"Listening\"", "title = \"Listening well\"");
    assert_eq!(kept(&build(&["build"])), 4 + 1 + 4);
    assert!(page("index.html").contains("Listening well"));
    assert!(page("exam/blueprint.html").contains("Listening well"));
    same_as_fresh("a title edited");
    // A file changed by hand is made again, even though its context is unchanged.
    let blueprint = dir.join("build/exam/blueprint.md");
    std::fs::write(&blueprint, page("exam/blueprint.md") + "a note\n").unwrap();
    edit("in words of your own", "in your own words");
    assert_eq!(kept(&build(&["build"])), 4 + 2 + 4);
    assert!(!page("exam/blueprint.md").contains("a note"));
    same_as_fresh("a page changed by hand");
    // An exam question edited: the forms and keys that print it are made again, with it.
    edit(
        "SECRET-EXAM-PROMPT-X1: best paraphrase?",
        "SECRET-EXAM-PROMPT-X1: the best paraphrase?",
    );
    let on_forms = ["exam/form-a.html", "exam/form-b.html"]
        .iter()
        .filter(|f| page(f).contains("SECRET-EXAM-PROMPT-X1"))
        .count();
    assert!(on_forms > 0);
    assert_eq!(kept(&build(&["build"])), 4 + 3 + 4 - 2 * on_forms);
    for form in ["exam/form-a.html", "exam/form-b-key.md"] {
        let text = page(form);
        assert!(
            !text.contains("SECRET-EXAM-PROMPT-X1") || text.contains("X1: the best paraphrase"),
            "{form}"
        );
    }
    same_as_fresh("an exam question edited");
    // What only a key prints (an explanation, a rubric), and a distractor: each is a change
    // to what the forms are made from, and each comes out as a build without the cache makes it.
    for (from, to) in [
        (
            "SECRET-EXAM-EXPLANATION-X1",
            "SECRET-EXAM-EXPLANATION-X1, edited",
        ),
        ("SECRET-EXAM-RUBRIC-X3", "SECRET-EXAM-RUBRIC-X3, edited"),
        (
            "SECRET-EXAM-DISTRACTOR-X1b",
            "SECRET-EXAM-DISTRACTOR-X1b, edited",
        ),
        ("answer = true", "answer = false"),
    ] {
        edit(from, to);
        build(&["build"]);
        same_as_fresh(from);
    }
    // `--no-cache` leaves nothing as it was.
    assert_eq!(kept(&build(&["build", "--no-cache"])), 0);
}

#[test]
fn a_rebuild_renders_only_what_changed() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let first = coursepack(&dir, &["build"]);
    assert_eq!(kept(&first.stderr), 0, "{}", first.stderr);
    let again = coursepack(&dir, &["build"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    // Nothing changed: nothing is rendered or exported, every page (the three LMS files too)
    // is kept, and the warnings the first build printed are printed again, word for word.
    assert_eq!(kept(&again.stderr), 23, "{}", again.stderr);
    let warnings = |stderr: &str| -> String {
        let end = stderr.find("built ").unwrap_or(stderr.len());
        stderr[..end].to_owned()
    };
    assert!(
        warnings(&first.stderr).contains("warning["),
        "{}",
        first.stderr
    );
    assert_eq!(warnings(&again.stderr), warnings(&first.stderr));
    assert!(
        again
            .stderr
            .contains("(0 written, 40 unchanged, 0 removed)"),
        "{}",
        again.stderr
    );
    // One module changes: its four pages (handout, check, key, packet) are rendered again,
    // and so is every page that shows the whole course; the other module's four are kept, and
    // so are the pages that show the whole course but nothing of the text edited (the index,
    // the blueprint, the other module's evaluation form, the two exam forms and their keys),
    // whose contexts, and for the forms whose questions, are as they were.
    replace_in(
        &dir.join("modules/listening.toml"),
        "before they speak",
        "before they answer",
    );
    let modified = |file: &str| {
        std::fs::metadata(dir.join("build").join(file))
            .unwrap()
            .modified()
            .unwrap()
    };
    let whole = [
        "index.html",
        "exam/blueprint.md",
        "instructor/evaluations/C-A1.html",
        "exam/form-a.html",
        "exam/form-b-key.md",
    ];
    let before: Vec<_> = whole.iter().map(|f| modified(f)).collect();
    let edit = coursepack(&dir, &["build"]);
    assert_eq!(kept(&edit.stderr), 4 + 3 + 4, "{}", edit.stderr);
    let after: Vec<_> = whole.iter().map(|f| modified(f)).collect();
    assert_eq!(before, after, "left as they were, not written again");
    // Of the pages that show the whole course, the other module's parts are copied: its part
    // of the handbook, the guide and their Markdown copies (4), its entry and rows of the
    // outline (4), and its banks in the LMS files.
    let copied = parts_copied(&edit.stderr);
    assert!(copied > 8, "{}", edit.stderr);
    let handout = std::fs::read_to_string(dir.join("build/learner/modules/listening.md")).unwrap();
    assert!(handout.contains("before they answer"), "{handout}");
    let handbook = std::fs::read_to_string(dir.join("build/learner/handbook.md")).unwrap();
    assert!(handbook.contains("before they answer"));
    // A page changed by hand is made again, even at the same size.
    let key = dir.join("build/instructor/checks/calls-key.md");
    let original = std::fs::read_to_string(&key).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&key, original.replacen('A', "Z", 1)).unwrap();
    let repaired = coursepack(&dir, &["build"]);
    assert_eq!(repaired.code, 0, "{}", repaired.stderr);
    assert_eq!(std::fs::read_to_string(&key).unwrap(), original);
    // Another seed or date, or --no-cache: everything is rendered again.
    for args in [&["build", "--seed", "9"][..], &["build", "--no-cache"]] {
        let run = coursepack(&dir, args);
        assert_eq!(kept(&run.stderr), 0, "{args:?}: {}", run.stderr);
    }
    // A template override changes every page's inputs.
    std::fs::create_dir_all(dir.join("templates/md")).unwrap();
    std::fs::write(dir.join("templates/md/module.md"), "# {{ module.title }}\n").unwrap();
    let run = coursepack(&dir, &["build", "--seed", "9"]);
    assert_eq!(kept(&run.stderr), 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("build/learner/modules/listening.md")).unwrap(),
        "# Listening\n"
    );
}

/// The cache never serves a page made from inputs that have since changed: after an edit to any
/// kind of file a build reads, a rebuild from the cache writes what a build without it writes.
#[test]
fn a_rebuild_after_any_edit_writes_what_a_build_without_the_cache_writes() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("course");
    copy_dir(&repo().join("curricula/roll-call-de-escalation"), &dir);
    // Each edit replaces the first `from` of a file with `to` (an empty `from` puts `to` first,
    // and makes the file when it is not there), or removes the file.
    enum Edit {
        Replace(&'static str, &'static str),
        Remove,
    }
    use Edit::{Remove, Replace};
    let edits = [
        (
            "modules/slow-it-down.toml",
            Replace("title = \"", "title = \"Edited "),
        ),
        (
            "modules/slow-it-down.es.toml",
            Replace("title = \"", "title = \"Editado "),
        ),
        (
            "handouts/i-speak.toml",
            Replace("title = \"", "title = \"Edited "),
        ),
        (
            "handouts/i-speak.es.toml",
            Replace("title = \"", "title = \"Editado "),
        ),
        ("course.toml", Replace("title = \"", "title = \"Edited ")),
        (
            "course.es.toml",
            Replace("title = \"", "title = \"Editado "),
        ),
        (
            "course.toml",
            Replace(
                "modules = [\"slow-it-down\", \"cant-or-wont\"]",
                "modules = [\"cant-or-wont\", \"slow-it-down\"]",
            ),
        ),
        // The words coursepack writes itself, in the course's language and in a translation's.
        ("locales/en.ftl", Replace("", "objectives = Aims\n")),
        (
            "locales/en.ftl",
            Replace("", "role-play-packet = Scenario packet\n"),
        ),
        ("locales/es.ftl", Replace("", "objectives = Metas\n")),
        (
            "templates/md/module.md",
            Replace("", "# {{ module.title }}\n"),
        ),
        ("templates/md/module.md", Remove),
        ("locales/en.ftl", Remove),
        // What pages kept whole by their contexts and questions show: a module's goal, an
        // exam question's prompt, a choice and an explanation (on the keys only), a variable
        // every page may print, and a whole-course page's template.
        (
            "modules/slow-it-down.toml",
            Replace("goal = '''", "goal = '''Edited. "),
        ),
        (
            "modules/slow-it-down.toml",
            Replace(
                "best describes a tactical pause?",
                "best describes a tactical pause, here?",
            ),
        ),
        (
            "modules/slow-it-down.toml",
            Replace("\"An open car door\"", "\"An open vehicle door\""),
        ),
        (
            "modules/slow-it-down.toml",
            Replace(
                "A tactical pause is active planning",
                "A tactical pause is deliberate planning",
            ),
        ),
        (
            "course.toml",
            Replace(
                "Example City Police Department",
                "Example County Sheriff's Office",
            ),
        ),
        (
            "templates/md/blueprint.md",
            Replace("", "A note on the blueprint.\n\n"),
        ),
        ("templates/md/blueprint.md", Remove),
    ];
    assert_eq!(coursepack(&dir, &["build", "-o", "cached"]).code, 0);
    for (file, edit) in edits {
        let path = dir.join(file);
        match edit {
            Replace(from, to) => {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                assert!(text.contains(from), "{file} holds no {from:?}");
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
            }
            Remove => std::fs::remove_file(&path).unwrap(),
        }
        let cached = coursepack(&dir, &["build", "-o", "cached"]);
        assert_eq!(cached.code, 0, "{file}: {}", cached.stderr);
        let fresh = coursepack(&dir, &["build", "-o", "fresh", "--no-cache"]);
        assert_eq!(fresh.code, 0, "{file}: {}", fresh.stderr);
        let artefacts = |out: &str| made(tree(&dir.join(out)));
        let (cached, fresh) = (artefacts("cached"), artefacts("fresh"));
        let stale: Vec<&String> = fresh
            .iter()
            .filter(|(path, bytes)| cached.get(*path) != Some(bytes))
            .map(|(path, _)| path)
            .chain(cached.keys().filter(|path| !fresh.contains_key(*path)))
            .collect();
        assert!(stale.is_empty(), "after editing {file}, stale: {stale:?}");
    }
}

/// A part of a whole-course page is copied from the last build's file only where that file is
/// still as the last build left it, and where the page it goes into prints it the same way: the
/// rebuild writes what a build without the cache writes.
#[test]
fn a_part_is_copied_only_where_the_page_would_print_it_so() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let fresh_build = |dir: &Path| {
        let run = coursepack(dir, &["build", "-o", "fresh", "--no-cache"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        made(tree(&dir.join("fresh")))
    };
    let cached_build = |dir: &Path| {
        let run = coursepack(dir, &["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let files = made(tree(&dir.join("build")));
        (files, parts_copied(&run.stderr))
    };
    let edit = |from: &str, to: &str| replace_in(&dir.join("modules/listening.toml"), from, to);
    assert_eq!(cached_build(&dir).1, 0);
    // The first module's part of a Markdown copy ends in an open code block: the copy is no
    // longer cut before the second module's part, whose kept run cannot go there, so it is
    // rendered again.
    edit(
        "body = \"Name the feeling: *you sound frustrated*.\"",
        "body = \"Name the feeling:\\n\\n```\\nan open fence\"",
    );
    let (cached, copied) = cached_build(&dir);
    assert!(copied > 0);
    assert_eq!(
        cached,
        fresh_build(&dir),
        "an open block before a kept part"
    );
    // The fence closed again, and the handbook changed by hand at the same size in the second
    // module's part: its parts are not copied from it.
    edit("an open fence", "closed\\n```");
    let handbook = dir.join("build/learner/handbook.html");
    let page = std::fs::read_to_string(&handbook).unwrap();
    let at = page.find("Noise complaint").unwrap();
    let mut bytes = page.into_bytes();
    bytes[at] = if bytes[at] == b'X' { b'Y' } else { b'X' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&handbook, bytes).unwrap();
    let (cached, _) = cached_build(&dir);
    assert_eq!(cached, fresh_build(&dir), "a page changed by hand");
    // A cache whose parts are garbled copies none of them.
    let cache = dir.join("build/.coursepack-cache");
    let garbled: String = std::fs::read_to_string(&cache)
        .unwrap()
        .lines()
        .map(|line| match line.split_once(' ') {
            Some((key, rest)) if !line.contains('\t') => format!("{key}x {rest}\n"),
            _ => format!("{line}\n"),
        })
        .collect();
    std::fs::write(&cache, garbled).unwrap();
    edit("closed", "closed again");
    let (cached, copied) = cached_build(&dir);
    assert_eq!(copied, 0);
    assert_eq!(cached, fresh_build(&dir), "a garbled cache");
}

/// A kept part whose bytes in the last build's file cannot be read as text when the writer
/// places it (the file changed under the build, its size and time as they were) is made again.
#[test]
fn a_kept_part_that_cannot_be_read_is_made_again() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let build = |args: &[&str]| succeeds(&dir, args);
    build(&["build"]);
    replace_in(
        &dir.join("modules/listening.toml"),
        "in your own words",
        "in words of your own",
    );
    // The other module's part of the handbook, and of its Markdown copy, broken in place.
    for file in ["build/learner/handbook.html", "build/learner/handbook.md"] {
        let handbook = dir.join(file);
        let modified = std::fs::metadata(&handbook).unwrap().modified().unwrap();
        let mut bytes = std::fs::read(&handbook).unwrap();
        let at = String::from_utf8_lossy(&bytes)
            .find("Noise complaint")
            .unwrap();
        bytes[at] = 0xFF;
        std::fs::write(&handbook, &bytes).unwrap();
        let file = std::fs::File::options()
            .write(true)
            .open(&handbook)
            .unwrap();
        file.set_modified(modified).unwrap();
    }
    let stderr = build(&["build"]);
    assert!(parts_copied(&stderr) > 0, "{stderr}");
    build(&["build", "-o", "fresh", "--no-cache"]);
    for file in ["learner/handbook.html", "learner/handbook.md"] {
        let made = std::fs::read(dir.join("build").join(file)).unwrap();
        assert!(
            made == std::fs::read(dir.join("fresh").join(file)).unwrap(),
            "{file}"
        );
    }
}

/// An LMS group copied from the last build is reported as a build without the cache reports it:
/// what its format cannot carry of it is said again, and every file is what that build writes.
#[test]
fn a_copied_lms_group_reports_what_its_format_cannot_carry() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    // The other module changes: the listening module's groups, which GIFT and QTI cannot
    // carry whole, are copied.
    replace_in(
        &dir.join("modules/calls.toml"),
        "Noise complaint",
        "Noise complaints",
    );
    let cached = coursepack(&dir, &["build"]);
    let fresh = coursepack(&dir, &["build", "-o", "fresh", "--no-cache"]);
    assert_eq!((cached.code, fresh.code), (0, 0), "{}", cached.stderr);
    assert!(parts_copied(&cached.stderr) > 0, "{}", cached.stderr);
    let warnings = |stderr: &str| stderr[..stderr.find("built ").unwrap_or(0)].to_owned();
    assert!(
        warnings(&cached.stderr).contains("L-Q2 (2 points)"),
        "{}",
        cached.stderr
    );
    assert_eq!(warnings(&cached.stderr), warnings(&fresh.stderr));
    let (cached, fresh) = (tree(&dir.join("build")), tree(&dir.join("fresh")));
    assert_eq!(made(cached), made(fresh));
}

/// The parsed-module memo holds every exam item: a learner site, published as it is, has none,
/// even where a full build left one.
#[test]
fn a_learner_site_keeps_no_parsed_module_memo() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let memo = dir.join("site/.coursepack-modules");
    let run = coursepack(&dir, &["build", "-o", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let held = std::fs::read(&memo).expect("a full build keeps a memo");
    assert!(String::from_utf8_lossy(&held).contains("SECRET"));
    let run = coursepack(&dir, &["build", "--audience", "learner", "-o", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!memo.exists(), "the learner build removed the memo");
    for (path, bytes) in tree(&dir.join("site")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET"),
            "{path} leaks a secret"
        );
    }
}

/// `build --audience learner`: a site to publish as it is.
#[test]
fn the_learner_site_links_only_learner_pages_and_holds_no_secret() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let run = coursepack(&dir, &["build", "--audience", "learner", "-o", "site"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("built 2 modules into site: 11 files"),
        "{}",
        run.stderr
    );
    let site = dir.join("site");
    let files = tree(&site);
    for path in files.keys() {
        assert!(
            path == "index.html"
                || path == ".coursepack-manifest"
                || path == ".coursepack-cache"
                || path == ".coursepack-modules"
                || path.starts_with("learner/"),
            "{path} is not a learner file"
        );
    }
    let index = text(&files, "index.html");
    assert!(index.contains("learner/modules/listening.html"), "{index}");
    // Walk every link from the index: each resolves to a file of the site.
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["index.html".to_owned()];
    while let Some(page) = queue.pop() {
        if !seen.insert(page.clone()) || !page.ends_with(".html") {
            continue;
        }
        let html = text(&files, &page);
        let folder = Path::new(&page).parent().unwrap().to_owned();
        for href in html
            .split("href=\"")
            .skip(1)
            .map(|s| &s[..s.find('"').unwrap()])
        {
            if href.starts_with("http") || href.starts_with('#') {
                continue;
            }
            let href = href.split('#').next().unwrap();
            let mut target = folder.clone();
            for part in href.split('/') {
                if part == ".." {
                    assert!(target.pop(), "{page} links {href} outside the site");
                } else {
                    target.push(part);
                }
            }
            let target = target.to_string_lossy().replace('\\', "/");
            assert!(
                files.contains_key(&target),
                "{page} links {href}, which is not in the site"
            );
            queue.push(target);
        }
    }
    for stem in [
        "learner/handbook",
        "learner/modules/calls",
        "learner/checks/calls",
    ] {
        assert!(
            seen.contains(&format!("{stem}.html")),
            "{stem} is not linked"
        );
    }
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("SECRET"), "{path} leaks a secret");
        for secure in ["instructor/", "exam/", "lms/"] {
            assert!(!text.contains(secure), "{path} names {secure}");
        }
    }
}

#[test]
fn a_scored_activity_gets_one_form_per_learner_and_a_roster() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    let files = tree(&dir.join("build"));
    let html = text(&files, "instructor/evaluations/C-A1.html");
    assert_eq!(html.matches("<section class=\"eval-form\"").count(), 4);
    assert_eq!(html.matches("<section class=\"roster\"").count(), 1);
    // The roster has a row per learner; the form a box per rating of the course's scale.
    let roster = &html[html.find("<section class=\"roster\"").unwrap()..];
    assert_eq!(roster.matches("<tr><td class=\"num\">").count(), 4);
    assert!(html.contains("<th scope=\"col\" class=\"scale\">Partly met</th>"));
    assert!(html.contains("Pass: the critical criterion and at least 1 of the 2 other criteria (50%) rated &quot;Met&quot; or better."));
    for field in [
        "Learner name",
        "Learner ID",
        "Run number",
        "Evaluator signature",
        "Learner signature",
        "Retest date",
    ] {
        assert!(html.contains(field), "{field}");
    }
    assert!(text(&files, "index.html").contains("href=\"instructor/evaluations/C-A1.html\""));
    // The checklist-only activity keeps its simple form and gets no evaluation page.
    assert!(!files.contains_key("instructor/evaluations/L-A1.html"));
    let learner = text(&files, "learner/modules/calls.md");
    assert!(learner.contains("**How you will be evaluated.**"));
    assert!(learner.contains("- **Critical:** Warned before going hands-on"));
    let guide = text(&files, "instructor/guide.html");
    assert!(
        guide.contains("<dt>Condition</dt><dd>Given a role-played noise complaint at night</dd>")
    );
    assert!(guide.contains(
        "<dt>Standard</dt><dd>meeting every critical criterion of the C-A1 evaluation</dd>"
    ));
    assert!(text(&files, "instructor/guide.md").contains("**Every learner performs:** a class of 4, 1 in the scored role per run of 5 min: 4 runs; 3 fit one group's 15 minutes, so 2 parallel groups are needed (2 may run)."));
    let guide_md = text(&files, "instructor/guide.md");
    assert!(
        guide_md.contains("### Day 1 · 2027-01-11\n\n*08:00–10:40 (ends by 10:45)*"),
        "{guide_md}"
    );
    assert!(
        guide_md
            .contains("| 09:05 | 09:15 |  | Knowledge check: Listening | Knowledge check | 10 |")
    );
    assert!(guide_md.contains("| 40 min | 35 min | 40 min | 40 min | 5 min | 2 h 40 min |"));
    // A larger class, given on the command line: more forms, and the runs no longer fit.
    let run = coursepack(&dir, &["build", "--class-size", "9"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[W081]: a class of 9 cannot all perform in C-A1"),
        "{}",
        run.stderr
    );
    let files = tree(&dir.join("build"));
    let html = text(&files, "instructor/evaluations/C-A1.html");
    assert_eq!(html.matches("<section class=\"eval-form\"").count(), 9);
    let guide = text(&files, "instructor/guide.md");
    assert!(guide.contains("9 runs; 3 fit one group's 15 minutes, so 3 parallel groups are needed (2 may run). **Does not fit:** add groups or minutes."), "{guide}");
}

#[test]
fn the_outline_maps_standards_and_holds_the_accreditation_record() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    let files = tree(&dir.join("build"));
    let md = text(&files, "instructor/outline.md");
    for want in [
        "- **Contact hours:** 1.75 (1 h 45 min): instruction 0.67, practice 0.58, exam 0.50",
        "- Basic first aid",
        "- Certified instructor",
        "- Ratio: at most 24 learners per instructor in the classroom",
        "### 1. Listening · 0.83 h",
        "| 2.1 | Steps | Discussion | 10 |",
        "| C-A1 | Noise complaint (scored) | Scenario | 15 |",
        "  - *Condition:* Given a role-played noise complaint at night",
        // L-1 is served by 1.1 (15 min) and L-A1 (20); C-1 by 2.1 (10) and C-A1 (15).
        "| LD 2 | Community relations | Fixture State | L-1, C-1 | 1.00 | C-A1 |",
        "| 2.0.0 | 2026-10-02 | Second edition. | Fixture Author | Fixture Approver |",
        "| **Total** | **1.75** |",
    ] {
        assert!(md.contains(want), "{want}\n{md}");
    }
    assert!(
        md.contains("| **C-1** Explain the steps of a call. | 2.1 Steps | C-Q1"),
        "{md}"
    );
    assert!(text(&files, "index.html").contains("href=\"instructor/outline.html\""));
}

#[test]
fn learner_documents_number_their_references_in_order_of_first_citation() {
    let (_temp, dir) = copy_fixture("valid/basic");
    // Module 2 cites the same work as module 1's `src-b` (under its own id) and one of its own.
    let calls = dir.join("modules/calls.toml");
    let source = std::fs::read_to_string(&calls).unwrap();
    let source = source.replacen(
        "instructor_notes = \"SECRET-NOTE-SECTION-2\"",
        "instructor_notes = \"SECRET-NOTE-SECTION-2\"\nsources = [\"own\", \"same-b\"]",
        1,
    ) + "\n[[sources]]\nid = \"same-b\"\ncitation = \"Author, B. (1997). Another study. Bulletin 66(9).\"\n\n[[sources]]\nid = \"own\"\ncitation = \"Author, C. (2020). A call study.\"\n";
    std::fs::write(&calls, source).unwrap();
    let run = coursepack(&dir, &["build", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = tree(&dir.join("out"));
    let handbook = text(&files, "learner/handbook.md");
    // One list for the whole handbook, at its end: the shared work keeps its number 2.
    assert!(
        handbook.contains("*Sources: \\[1\\], \\[2\\]*"),
        "{handbook}"
    );
    assert!(
        handbook.contains("*Sources: \\[2\\], \\[3\\]*"),
        "{handbook}"
    );
    assert!(
        handbook.trim_end().ends_with(
            "## References\n\n1. Author, A. (2005). A listening study. Journal 10, 1–20. <https://example.org/a>\n2. Author, B. (1997). Another study. Bulletin 66(9).\n3. Author, C. (2020). A call study."
        ),
        "{handbook}"
    );
    assert!(!handbook.contains("src-a"), "no source id: {handbook}");
    let html = text(&files, "learner/handbook.html");
    assert!(
        html.contains("Sources: <a href=\"#ref-2\">[2]</a>, <a href=\"#ref-3\">[3]</a>"),
        "{html}"
    );
    assert_eq!(html.matches("<li id=\"ref-").count(), 3, "{html}");
    // A module handout numbers its own references from 1.
    let handout = text(&files, "learner/modules/calls.md");
    assert!(handout.contains("*Sources: \\[1\\], \\[2\\]*"), "{handout}");
    assert!(
        handout.contains("### References\n\n1. Author, C. (2020). A call study.\n2. Author, B."),
        "{handout}"
    );
    let handout = text(&files, "learner/modules/calls.html");
    assert!(
        handout.contains("<li id=\"ref-1\">Author, C. (2020)"),
        "{handout}"
    );
}
