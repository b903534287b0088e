//! `coursepack check` over valid and broken curricula.

use std::collections::BTreeSet;

use std::path::Path;

use serde_json::Value;

use crate::harness::{copy_fixture, coursepack, fixtures};

#[test]
fn a_valid_course_prints_only_the_summary() {
    let run = coursepack(&fixtures().join("valid/basic"), &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "0 errors, 0 warnings in 3 files\n");
    assert_eq!(run.stdout, "");
}

type Expected = BTreeSet<(String, String, Option<u64>, Option<u64>)>;

fn expected(dir: &Path) -> (i32, Expected) {
    let text = std::fs::read_to_string(dir.join("expect.toml"))
        .expect("every broken fixture has expect.toml");
    let table: toml::Table = toml::from_str(&text).expect("expect.toml parses");
    let exit = table
        .get("exit")
        .and_then(toml::Value::as_integer)
        .unwrap_or(1) as i32;
    let diagnostics = table["diagnostics"].as_array().expect("[[diagnostics]]");
    let set = diagnostics
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap().to_owned(),
                d.get("line")
                    .and_then(toml::Value::as_integer)
                    .map(|n| n as u64),
                d.get("column")
                    .and_then(toml::Value::as_integer)
                    .map(|n| n as u64),
            )
        })
        .collect();
    (exit, set)
}

fn reported(json: &str) -> Expected {
    let items: Vec<Value> = serde_json::from_str(json).expect("--format json prints a JSON array");
    items
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["file"].as_str().unwrap_or_default().replace('\\', "/"),
                d["line"].as_u64(),
                d["column"].as_u64(),
            )
        })
        .collect()
}

/// Every folder in `tests/fixtures/broken` holds one mistake and says, in `expect.toml`, exactly
/// which diagnostics it must produce and where.
#[test]
fn broken_fixtures_report_the_right_code_file_line_and_column() {
    let root = fixtures().join("broken");
    let mut names: Vec<_> = std::fs::read_dir(&root)
        .expect("tests/fixtures/broken exists")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert!(names.len() >= 25, "only {} broken fixtures", names.len());
    let mut failures = Vec::new();
    for name in &names {
        let dir = root.join(name);
        let (exit, want) = expected(&dir);
        let run = coursepack(&dir, &["check", ".", "--format", "json"]);
        let got = reported(&run.stdout);
        if run.code != exit || got != want {
            failures.push(format!(
                "{name}: exit {} (want {exit})\n  want {want:?}\n  got  {got:?}\n{}",
                run.code, run.stderr
            ));
        }
        assert!(
            !run.stderr.contains("panicked"),
            "{name} panicked:\n{}",
            run.stderr
        );
        if exit == 0 {
            let strict = coursepack(&dir, &["check", ".", "--deny-warnings"]);
            assert_eq!(
                strict.code, 1,
                "{name}: --deny-warnings must fail on warnings"
            );
        }
        let text = coursepack(&dir, &["check", "."]);
        insta::assert_snapshot!(format!("broken-{name}"), text.stderr);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_typo_is_reported_with_a_suggestion_at_its_line_and_column() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/listening.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("key_points = [\"Short\"", "key_pionts = [\"Short\"", 1),
    )
    .unwrap();
    let run = coursepack(&dir, &["check"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[E006]: unknown key \"key_pionts\" in [[sections]]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> modules/listening.toml:31:1"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean \"key_points\"?"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("1 error, 0 warnings in 3 files\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_directory_is_a_located_error_not_a_panic() {
    let temp = tempfile::tempdir().unwrap();
    let run = coursepack(temp.path(), &["check", "no-such-course"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error[E001]: directory `no-such-course` does not exist"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_without_course_toml_says_what_to_create() {
    let temp = tempfile::tempdir().unwrap();
    let run = coursepack(temp.path(), &["check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let got = reported(&run.stdout);
    assert!(
        got.contains(&("E002".into(), "course.toml".into(), None, None)),
        "{got:?}"
    );
    let text = coursepack(temp.path(), &["check"]);
    assert!(
        text.stderr
            .contains("help: create course.toml with at least `id`, `title`, `version`"),
        "{}",
        text.stderr
    );
}

#[test]
fn a_file_given_as_the_course_points_to_its_directory() {
    let run = coursepack(&fixtures().join("valid/basic"), &["check", "course.toml"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is a file, not a curriculum directory"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("pass its directory instead: `.`"),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_unreadable_module_is_reported_by_path() {
    let (_temp, dir) = copy_fixture("valid/basic");
    // A dangling symlink cannot be read even by root, unlike a chmod 000 file.
    let path = dir.join("modules/calls.toml");
    std::fs::remove_file(&path).unwrap();
    std::os::unix::fs::symlink("/nonexistent/calls.toml", &path).unwrap();
    let run = coursepack(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("modules/calls.toml"), "{}", run.stderr);
}

#[test]
fn usage_errors_exit_2() {
    let run = coursepack(&fixtures(), &["check", "--format", "yaml"]);
    assert_eq!(run.code, 2);
    let run = coursepack(&fixtures(), &["frobnicate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn warnings_pass_unless_denied() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/calls.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The section no longer teaches C-1.
    std::fs::write(
        &path,
        text.replacen(
            "method = \"discussion\"\nobjectives = [\"C-1\"]",
            "method = \"discussion\"",
            1,
        ),
    )
    .unwrap();
    let run = coursepack(&dir, &["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[W019]: objective \"C-1\" is taught by no section"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("0 errors, 1 warning in 3 files\n"),
        "{}",
        run.stderr
    );
    assert_eq!(coursepack(&dir, &["check", "--deny-warnings"]).code, 1);
}
