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
        "schema/course.schema.json",
        "schema/module.schema.json",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let schema = std::fs::read_to_string(dir.join("schema/module.schema.json")).unwrap();
    assert_eq!(
        schema,
        coursepack(&dir, &["schema", "--kind", "module"]).stdout
    );
    let course = std::fs::read_to_string(dir.join("course.toml")).unwrap();
    assert!(course.starts_with("#:schema ./schema/course.schema.json\n"));
    assert!(course.contains("title = \"Roll \\\"Call\\\"\""), "{course}");
    let module = std::fs::read_to_string(dir.join("modules/first-module.toml")).unwrap();
    assert!(module.starts_with("#:schema ../schema/module.schema.json\n"));
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
    // The recipe of docs/ci.md: annotations, the revision gate, the build, the diff comment.
    assert!(workflow.contains("coursepack check \"$COURSE\" --deny-warnings --format github"));
    assert!(workflow.contains("--since \"origin/$BASE_REF\""));
    assert!(workflow.contains("coursepack build"));
    assert!(workflow.contains("coursepack diff"));

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
fn schema_writes_both_files_or_prints_one() {
    let temp = tempfile::tempdir().unwrap();
    let run = coursepack(temp.path(), &["schema", "-o", "schemas"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let course = std::fs::read_to_string(temp.path().join("schemas/course.schema.json")).unwrap();
    assert_eq!(course, coursepack(temp.path(), &["schema"]).stdout);
    let course: serde_json::Value = serde_json::from_str(&course).unwrap();
    assert_eq!(course["additionalProperties"], false);
    assert_eq!(
        course["properties"]["modules"]["description"],
        "Module ids in teaching order; each names `modules/<id>.toml`."
    );
    let module: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(temp.path().join("schemas/module.schema.json")).unwrap(),
    )
    .unwrap();
    let role = &module["definitions"]["Role"];
    assert_eq!(role["required"], serde_json::json!(["name", "brief"]));
    assert_eq!(
        role["properties"]["private"]["description"],
        "Known only to this role's player and the instructor."
    );
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

/// A TOML document as the JSON a TOML language server validates: dates become strings.
fn toml_to_json(value: toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s),
        toml::Value::Integer(i) => J::from(i),
        toml::Value::Float(f) => J::from(f),
        toml::Value::Boolean(b) => J::Bool(b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => J::Object(
            table
                .into_iter()
                .map(|(k, v)| (k, toml_to_json(v)))
                .collect(),
        ),
    }
}

fn validator(kind: &str) -> jsonschema::Validator {
    let run = coursepack(&crate::harness::repo(), &["schema", "--kind", kind]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// The errors `path` has against the schema of its kind (course.toml or a module).
fn schema_errors(
    course: &jsonschema::Validator,
    module: &jsonschema::Validator,
    path: &std::path::Path,
) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    let validator = if path.file_name().unwrap() == "course.toml" {
        course
    } else {
        module
    };
    validator
        .iter_errors(&toml_to_json(value))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn toml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = vec![dir.join("course.toml")];
    let mut modules: Vec<_> = std::fs::read_dir(dir.join("modules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        // Translations (`<id>.<lang>.toml`) give only text and have no schema of their own.
        .filter(|p| !p.file_stem().unwrap().to_string_lossy().contains('.'))
        .collect();
    modules.sort();
    files.extend(modules);
    files
}

#[test]
fn every_bundled_file_and_valid_fixture_matches_the_schema() {
    let (course, module) = (validator("course"), validator("module"));
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    for parent in [
        crate::harness::repo().join("curricula"),
        crate::harness::fixtures().join("valid"),
    ] {
        for entry in std::fs::read_dir(parent).unwrap() {
            dirs.push(entry.unwrap().path());
        }
    }
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(coursepack(temp.path(), &["new", "fresh"]).code, 0);
    dirs.push(temp.path().join("fresh"));
    let mut checked = 0;
    for dir in dirs {
        for file in toml_files(&dir) {
            let errors = schema_errors(&course, &module, &file);
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
            checked += 1;
        }
    }
    assert!(checked >= 15, "only {checked} files validated");
}

#[test]
fn broken_fixtures_of_unknown_keys_and_wrong_types_fail_the_schema() {
    let (course, module) = (validator("course"), validator("module"));
    // JSON has no date type: a quoted date is a string like any TOML date, so only the loader
    // can tell them apart.
    let beyond_json = ["revision-date-quoted"];
    let mut failed = 0;
    for entry in std::fs::read_dir(crate::harness::fixtures().join("broken")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(expect) = std::fs::read_to_string(dir.join("expect.toml")) else {
            continue;
        };
        let expect: toml::Value = toml::from_str(&expect).unwrap();
        let Some(first) = expect["diagnostics"].as_array().and_then(|d| d.first()) else {
            continue;
        };
        let code = first["code"].as_str().unwrap();
        if !["E006", "E008"].contains(&code) || beyond_json.contains(&name.as_str()) {
            continue;
        }
        let file = dir.join(first["file"].as_str().unwrap());
        let errors = schema_errors(&course, &module, &file);
        assert!(!errors.is_empty(), "{name}: {code} passes the schema");
        failed += 1;
    }
    assert!(failed >= 15, "only {failed} broken fixtures tried");
}

#[test]
fn completions_and_man_pages_come_from_the_command_line() {
    let repo = crate::harness::repo();
    let bash = coursepack(&repo, &["completions", "bash"]);
    assert_eq!(bash.code, 0, "{}", bash.stderr);
    assert!(
        bash.stdout.contains("complete -F _coursepack"),
        "{}",
        bash.stdout
    );
    for command in [
        "outline",
        "schema",
        "new",
        "serve",
        "clean",
        "--deny-warnings",
        "--audience",
    ] {
        assert!(
            bash.stdout.contains(command),
            "bash completion lacks {command}"
        );
    }
    let zsh = coursepack(&repo, &["completions", "zsh"]);
    assert!(zsh.stdout.starts_with("#compdef coursepack"));
    assert_eq!(coursepack(&repo, &["completions", "tcsh"]).code, 2);

    let man = coursepack(&repo, &["man"]);
    assert_eq!(man.code, 0);
    assert!(man.stdout.contains(".TH coursepack 1"));
    assert!(man.stdout.contains("outline"));
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(coursepack(temp.path(), &["man", "-o", "man"]).code, 0);
    let build = std::fs::read_to_string(temp.path().join("man/coursepack-build.1")).unwrap();
    assert!(build.contains("deny\\-warnings"), "{build}");
}

#[test]
fn quiet_keeps_only_problems_and_output_flags_share_one_name() {
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(coursepack(temp.path(), &["new", "-q", "c"]).stderr, "");
    let dir = temp.path().join("c");
    let run = coursepack(&dir, &["build", "--quiet", "--out", "b"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(dir.join("b/index.html").is_file());
    for flag in ["-o", "--out", "--output"] {
        let file = format!("q{}.gift.txt", flag.len());
        let run = coursepack(&dir, &["-q", "export", "gift", flag, &file]);
        assert_eq!(run.code, 0, "{flag}: {}", run.stderr);
        assert_eq!(run.stderr, "");
        assert!(dir.join(&file).is_file(), "{flag} wrote nothing");
    }
    let help = coursepack(&dir, &["export", "--help"]).stdout;
    assert!(
        help.contains("-o, --out <FILE>") && !help.contains("--output"),
        "{help}"
    );
    let run = coursepack(&dir, &["check", "-q"]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn build_deny_warnings_fails_on_warnings() {
    let (_temp, dir) = crate::harness::copy_fixture("broken/objective-not-assessed");
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = coursepack(&dir, &["build", "--deny-warnings"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("warnings are denied"), "{}", run.stderr);
}

#[test]
fn a_folder_holding_another_course_build_is_refused() {
    let (_temp, dir) = crate::harness::copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build", "-q", "-o", "out"]).code, 0);
    let manifest = std::fs::read_to_string(dir.join("out/.coursepack-manifest")).unwrap();
    assert!(
        manifest.starts_with("# course basic-course\n"),
        "{manifest}"
    );
    assert_eq!(coursepack(&dir, &["new", "-q", "other"]).code, 0);
    let run = coursepack(&dir, &["build", "other", "-o", "out"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "error[E060]: `out` holds the build of course `basic-course`; building `other` there would delete its files"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("coursepack clean out"),
        "{}",
        run.stderr
    );
    assert!(
        dir.join("out/exam/form-b.html").is_file(),
        "the first build was touched"
    );
}

#[test]
fn a_lost_manifest_is_explained_and_clean_removes_only_build_files() {
    let (_temp, dir) = crate::harness::copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build", "-q"]).code, 0);
    std::fs::remove_file(dir.join("build/.coursepack-manifest")).unwrap();
    std::fs::write(dir.join("build/notes.txt"), "mine").unwrap();
    std::fs::write(dir.join("build/learner/photo.jpg"), "mine").unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E061]"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("holds 40 files of a coursepack build, but its manifest"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("build/exam/blueprint.html"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("… and 32 more"), "{}", run.stderr);
    assert!(
        run.stderr.contains("`coursepack clean build`"),
        "{}",
        run.stderr
    );

    let run = coursepack(&dir, &["clean", "build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        // The 40 files of the build, its cache and its parsed-module memo.
        run.stderr.contains("removed 42 files from build"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("build/notes.txt"), "{}", run.stderr);
    let mut left: Vec<String> = Vec::new();
    for entry in walkdir(&dir.join("build")) {
        left.push(entry);
    }
    assert_eq!(left, ["learner/photo.jpg", "notes.txt"]);
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let run = coursepack(&dir, &["clean", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("is a curriculum, not a build"),
        "{}",
        run.stderr
    );
    assert!(dir.join("course.toml").is_file());
}

/// Files under `dir`, relative and sorted.
fn walkdir(dir: &std::path::Path) -> Vec<String> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(
                    path.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `GET path` from the preview server, as `(status line, body)`.
fn get(addr: &str, path: &str) -> (String, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    (head.lines().next().unwrap().to_owned(), body.to_owned())
}

/// Polls `until` for up to ten seconds.
fn eventually(what: &str, mut until: impl FnMut() -> bool) {
    for _ in 0..100 {
        if until() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("{what} did not happen within 10 s");
}

#[test]
fn serve_rebuilds_on_save_and_shows_errors_instead_of_stale_pages() {
    use std::io::{BufRead, BufReader};
    let temp = tempfile::tempdir().unwrap();
    assert_eq!(coursepack(temp.path(), &["new", "-q", "c"]).code, 0);
    let dir = temp.path().join("c");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_coursepack"))
        .args([
            "serve",
            "--port",
            "0",
            "--color",
            "never",
            "-o",
            "../preview",
        ])
        .current_dir(&dir)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let stderr = child.stderr.take().unwrap();
    let _child = Kill(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(at) = line.find("http://127.0.0.1:") {
            let rest = &line[at + "http://".len()..];
            break rest[..rest.find('/').unwrap()].to_owned();
        }
    };
    std::thread::spawn(move || lines.for_each(drop));

    let page = "/learner/modules/first-module.html";
    let (status, body) = get(&addr, page);
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("<h1>First Module</h1>"), "{body}");
    assert!(body.contains("/__coursepack/version"), "no reload script");
    assert!(get(&addr, "/").1.contains("Course pack"));
    assert!(get(&addr, "/../course.toml").0.contains("404"));
    let (_, version) = get(&addr, "/__coursepack/version");

    let module = dir.join("modules/first-module.toml");
    let source = std::fs::read_to_string(&module).unwrap();
    std::fs::write(
        &module,
        source.replace("title = \"First Module\"", "title = \"Edited\""),
    )
    .unwrap();
    eventually("a rebuild after the edit", || {
        get(&addr, page).1.contains("<h1>Edited</h1>")
    });
    assert_ne!(get(&addr, "/__coursepack/version").1, version);

    std::fs::write(&module, format!("{source}\nbogus = 1\n")).unwrap();
    eventually("the diagnostics page", || {
        get(&addr, page).1.contains("error[E006]: unknown key")
    });
    assert!(
        get(&addr, "/index.html")
            .1
            .contains("coursepack-diagnostics")
    );
    assert!(!dir.join("build").exists(), "serve wrote into the course");
    assert!(
        temp.path()
            .join("preview/learner/modules/first-module.html")
            .is_file()
    );
    let built = std::fs::read_to_string(temp.path().join("preview/index.html")).unwrap();
    assert!(
        !built.contains("__coursepack"),
        "the reload script reached a built file"
    );
}

#[test]
fn the_full_module_in_the_format_docs_checks_cleanly_and_matches_the_schema() {
    let docs = std::fs::read_to_string(crate::harness::repo().join("docs/format.md")).unwrap();
    let section = &docs[docs.find("## A full module").unwrap()..];
    let start = section.find("```toml\n").unwrap() + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    std::fs::write(dir.join("modules/listening.toml"), example).unwrap();
    std::fs::write(
        dir.join("course.toml"),
        // The example has an exam-bank question, so the course has an exam to draw it into.
        "id = \"docs\"\ntitle = \"Docs\"\nversion = \"1\"\nmodules = [\"listening\"]\n\n[exam]\nforms = 1\n",
    )
    .unwrap();
    let run = coursepack(dir, &["check", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let errors = schema_errors(
        &validator("course"),
        &validator("module"),
        &dir.join("modules/listening.toml"),
    );
    assert!(errors.is_empty(), "{errors:#?}");
}
