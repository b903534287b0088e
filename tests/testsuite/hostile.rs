//! Hostile input and hostile folders (issue 16): unsafe links, raw HTML in the Markdown copy,
//! input past the limits, interrupted and concurrent builds, symlinks and edited manifests.

use std::path::Path;

use crate::harness::{copy_fixture, coursepack};

/// Every file under `dir`, relative, with its text (lossy).
fn files(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let bytes = std::fs::read(&path).unwrap();
                out.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn unsafe_link_schemes_are_located_errors() {
    let cases = [
        ("inline", "[form](javascript:alert(1))"),
        ("autolink", "<javascript:alert(1)>"),
        ("reference", "[form][r]\n\n[r]: javascript:alert(1)"),
        ("entity", "[form](&#106;avascript:alert(1))"),
        ("upper case", "[form](JAVASCRIPT:alert(1))"),
        ("data", "[form](data:text/html,<script>alert(1)</script>)"),
        ("image", "![map](data:image/png;base64,AAAA)"),
    ];
    for (what, body) in cases {
        let (_temp, dir) = copy_fixture("valid/basic");
        edit(
            &dir.join("modules/calls.toml"),
            "body = \"1. Arrive\\n2. Listen\\n3. Explain\"",
            &format!("body = '''\nStart.\n{body}\n'''"),
        );
        let run = coursepack(&dir, &["check", ".", "--format", "json"]);
        assert_eq!(run.code, 1, "{what}: {}", run.stdout);
        assert!(run.stdout.contains("\"E070\""), "{what}: {}", run.stdout);
        // The link's own line: the body starts on line 17, its text on line 18.
        assert!(
            run.stdout.contains("\"line\": 18"),
            "{what}: {}",
            run.stdout
        );
        let build = coursepack(&dir, &["build"]);
        assert_eq!(build.code, 1, "{what}");
        assert!(!dir.join("build").exists(), "{what}: nothing is written");
    }
}

#[test]
fn a_source_url_must_be_safe_too() {
    let (_temp, dir) = copy_fixture("valid/basic");
    edit(
        &dir.join("modules/listening.toml"),
        "url = \"https://example.org/a\"",
        "url = \"javascript:alert(1)\"",
    );
    let run = coursepack(&dir, &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("E070"), "{}", run.stderr);
    assert!(run.stderr.contains("listening.toml:"), "{}", run.stderr);
}

#[test]
fn safe_links_still_pass() {
    let (_temp, dir) = copy_fixture("valid/basic");
    edit(
        &dir.join("modules/calls.toml"),
        "body = \"1. Arrive\\n2. Listen\\n3. Explain\"",
        "body = '''[a](https://example.org) [b](mailto:x@example.org) [c](tel:+1555) [d](../index.html#x) <https://example.org/auto> ![e](img/e.png)'''",
    );
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let handout = std::fs::read_to_string(dir.join("build/learner/modules/calls.html")).unwrap();
    assert!(
        handout.contains("href=\"https://example.org\""),
        "{handout}"
    );
    assert!(handout.contains("href=\"tel:+1555\""), "{handout}");
}

/// Raw HTML is text in both copies of every page: no `<script>`, `<img>`, `<svg>` or `<iframe>`
/// tag from the course reaches any Markdown or HTML file as a tag.
#[test]
fn raw_html_is_text_in_the_markdown_copy_and_the_html() {
    let (_temp, dir) = copy_fixture("hostile/scripts");
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tags = [
        "<script>window.__pwned",
        "<img src=x onerror",
        "<svg onload",
        "<iframe src=",
    ];
    let mut pages = [0, 0];
    for (path, text) in files(&dir.join("build")) {
        let markdown = path.ends_with(".md");
        if !markdown && !path.ends_with(".html") {
            continue;
        }
        pages[usize::from(markdown)] += usize::from(text.contains("pwned"));
        for tag in tags {
            for (at, _) in text.match_indices(tag) {
                assert!(
                    markdown && text[..at].ends_with('\\'),
                    "{path}: a live {tag:?} reaches the page:\n{}",
                    &text[at.saturating_sub(60)..(at + 60).min(text.len())]
                );
            }
        }
    }
    assert!(
        pages[0] > 10 && pages[1] > 10,
        "pages showing the payload (html, md): {pages:?}"
    );
}

/// Runs `coursepack ARGS` in `cwd`, killing it after `seconds`: `None` when it had to be killed.
fn coursepack_within(cwd: &Path, args: &[&str], seconds: u64) -> Option<(i32, String)> {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_coursepack"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut stderr).unwrap();
            return Some((status.code().unwrap_or(-1), stderr));
        }
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn a_recursive_template_macro_is_a_diagnostic_not_a_stack_overflow() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::fs::create_dir_all(dir.join("templates/md")).unwrap();
    let builtin =
        std::fs::read_to_string(crate::harness::repo().join("templates/md/macros.md")).unwrap();
    std::fs::write(
        dir.join("templates/md/macros.md"),
        format!(
            "{builtin}\n{{% macro again(n) %}}{{{{ self::again(n=n) }}}}{{% endmacro again %}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/md/module.md"),
        "{% import \"md/macros.md\" as m %}{{ m::again(n=1) }}\n",
    )
    .unwrap();
    let (code, stderr) = coursepack_within(&dir, &["build"], 60).expect("finishes");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("E072"), "{stderr}");
    assert!(stderr.contains("md/macros.md::again"), "{stderr}");
    let (code, stderr) = coursepack_within(&dir, &["check", "."], 60).expect("finishes");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("E072"), "{stderr}");
}

#[test]
fn choices_past_z_get_labels_of_their_own() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let many: Vec<String> = (1..=29).map(|i| format!("\"Wrong {i}\"")).collect();
    edit(
        &dir.join("modules/listening.toml"),
        "distractors = [\"Calm down.\", \"What is your name?\", \"Have you called before?\"]",
        &format!("distractors = [{}]", many.join(", ")),
    );
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = std::fs::read_to_string(dir.join("build/learner/checks/listening.md")).unwrap();
    let first = check.split("**2.**").next().unwrap();
    let labels: Vec<&str> = first
        .lines()
        .filter_map(|l| {
            l.strip_prefix("- [ ] **")?
                .split_once(".**")
                .map(|(l, _)| l)
        })
        .collect();
    assert_eq!(labels.len(), 30, "{first}");
    let unique: std::collections::BTreeSet<&&str> = labels.iter().collect();
    assert_eq!(unique.len(), 30, "labels repeat: {labels:?}");
    assert!(labels.contains(&"AD"), "{labels:?}");
}

#[test]
fn values_past_the_limits_are_located_errors_in_check() {
    let long = "x".repeat(200);
    let too_many: Vec<String> = (1..=120).map(|i| format!("\"Wrong {i}\"")).collect();
    let too_many = format!("distractors = [{}]", too_many.join(", "));
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "question id",
            "modules/calls.toml",
            "id = \"C-Q1\"",
            &format!("id = \"{long}\""),
        ),
        (
            "activity id",
            "modules/calls.toml",
            "id = \"C-A1\"",
            &format!("id = \"{long}\""),
        ),
        (
            "points",
            "modules/listening.toml",
            "points = 2",
            "points = 4000000000",
        ),
        (
            "minutes",
            "modules/calls.toml",
            "minutes = 10\n",
            "minutes = 4294967295\n",
        ),
        (
            "exam minutes",
            "course.toml",
            "minutes = 30",
            "minutes = 4294967295",
        ),
        (
            "choices",
            "modules/listening.toml",
            "distractors = [\"Calm down.\", \"What is your name?\", \"Have you called before?\"]",
            &too_many,
        ),
    ];
    for (what, file, from, to) in cases {
        let (_temp, dir) = copy_fixture("valid/basic");
        edit(&dir.join(file), from, to);
        let run = coursepack(&dir, &["check", "."]);
        assert_eq!(run.code, 1, "{what}: {}", run.stderr);
        assert!(run.stderr.contains("error[E071]"), "{what}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!("--> {file}:")),
            "{what}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{what}: {}", run.stderr);
    }
}

#[test]
fn an_over_long_module_id_is_refused_before_any_file_is_named_after_it() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let long = "m".repeat(300);
    edit(
        &dir.join("course.toml"),
        "modules = [\"listening\", \"calls\"]",
        &format!("modules = [\"listening\", \"calls\", \"{long}\"]"),
    );
    let run = coursepack(&dir, &["check", "."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E071]: module id is 300 characters long"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("too long"),
        "the OS error is not shown: {}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_a_source_is_a_clear_error_not_a_hang() {
    for (what, target) in [("fifo", None), ("/dev/zero", Some("/dev/zero"))] {
        for file in ["course.toml", "modules/calls.toml"] {
            let (_temp, dir) = copy_fixture("valid/basic");
            let path = dir.join(file);
            std::fs::remove_file(&path).unwrap();
            match target {
                Some(device) => std::os::unix::fs::symlink(device, &path).unwrap(),
                None => {
                    let made = std::process::Command::new("mkfifo")
                        .arg(&path)
                        .status()
                        .unwrap();
                    assert!(made.success());
                }
            }
            let (code, stderr) = coursepack_within(&dir, &["check", "."], 20)
                .unwrap_or_else(|| panic!("{what} as {file}: still running after 20 s"));
            assert_eq!(code, 1, "{what} as {file}: {stderr}");
            assert!(
                stderr.contains("not a regular file"),
                "{what} as {file}: {stderr}"
            );
        }
    }
}

#[test]
fn a_source_file_over_the_size_limit_is_refused_before_it_is_read() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/calls.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!("# {}\n", "x".repeat(9 * 1024 * 1024)));
    std::fs::write(&path, text).unwrap();
    let (code, stderr) = coursepack_within(&dir, &["check", "."], 20).expect("finishes");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("error[E071]") && stderr.contains("over the limit"),
        "{stderr}"
    );
}

/// The build's own files under `out` (the manifest included), without anything a build in
/// progress would leave, nor the build cache: it records when files were written, and every
/// entry is checked against the file it names before it is trusted.
fn build_tree(out: &Path) -> Vec<(String, String)> {
    files(out)
        .into_iter()
        .filter(|(p, _)| {
            !p.starts_with(".coursepack-staging")
                && !p.starts_with(".coursepack-journal")
                && p != ".coursepack-cache"
        })
        .collect()
}

#[test]
fn a_build_killed_at_any_point_leaves_the_old_or_the_new_build_and_the_next_run_recovers() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let fresh = |seed: &str, name: &str| {
        let run = coursepack(&dir, &["build", "-o", name, "--seed", seed]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        build_tree(&dir.join(name))
    };
    let old = fresh("1", "old");
    let new = fresh("2", "new");
    assert_ne!(old, new);
    let mut seen_old = 0;
    for delay in (0..16).map(|i| i * 8) {
        std::fs::remove_dir_all(dir.join("out")).ok();
        assert_eq!(
            coursepack(&dir, &["build", "-o", "out", "--seed", "1"]).code,
            0
        );
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_coursepack"))
            .args(["build", "-o", "out", "--seed", "2"])
            .current_dir(&dir)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        child.kill().ok();
        child.wait().unwrap();
        let out = dir.join("out");
        if !out.join(".coursepack-journal").exists() {
            let now = build_tree(&out);
            assert!(
                now == old || now == new,
                "killed after {delay} ms: a mix of builds"
            );
            seen_old += usize::from(now == old);
        }
        let run = coursepack(&dir, &["build", "-o", "out", "--seed", "2"]);
        assert_eq!(run.code, 0, "after a kill at {delay} ms: {}", run.stderr);
        assert_eq!(build_tree(&out), new, "after a kill at {delay} ms");
        assert!(!out.join(".coursepack-staging").exists());
    }
    assert!(seen_old > 0, "no kill landed before the commit");
}

#[test]
fn a_failed_build_does_not_block_the_folder() {
    let (_temp, dir) = copy_fixture("valid/basic");
    assert_eq!(coursepack(&dir, &["build", "--seed", "1"]).code, 0);
    // A folder in the way of a new page: the build is refused before anything is written.
    std::fs::remove_file(dir.join("build/learner/handbook.html")).unwrap();
    std::fs::create_dir(dir.join("build/learner/handbook.html")).unwrap();
    let run = coursepack(&dir, &["build", "--seed", "2"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    std::fs::remove_dir(dir.join("build/learner/handbook.html")).unwrap();
    let run = coursepack(&dir, &["build", "--seed", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Staged files left by a build that died before its commit are cleared, and it is said.
    std::fs::create_dir_all(dir.join("build/.coursepack-staging")).unwrap();
    std::fs::write(dir.join("build/.coursepack-staging/3"), "half").unwrap();
    let run = coursepack(&dir, &["build", "--seed", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: found the staged files of an interrupted build"),
        "{}",
        run.stderr
    );
    assert!(!dir.join("build/.coursepack-staging").exists());
}

#[test]
fn a_second_build_into_a_busy_folder_is_refused() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::fs::create_dir(dir.join("build")).unwrap();
    let held = std::fs::File::open(dir.join("build")).unwrap();
    held.lock().unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[E074]: another build is writing into"),
        "{}",
        run.stderr
    );
    drop(held);
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
}

#[test]
fn two_builds_at_once_never_interleave() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let expected: Vec<_> = ["1", "2"]
        .iter()
        .map(|seed| {
            let name = format!("seed-{seed}");
            assert_eq!(
                coursepack(&dir, &["build", "-o", &name, "--seed", seed]).code,
                0
            );
            build_tree(&dir.join(name))
        })
        .collect();
    for _ in 0..5 {
        let spawn = |seed: &str| {
            std::process::Command::new(env!("CARGO_BIN_EXE_coursepack"))
                .args(["build", "-o", "out", "--seed", seed])
                .current_dir(&dir)
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (spawn("1"), spawn("2"));
        let a = a.wait_with_output().unwrap();
        let b = b.wait_with_output().unwrap();
        for run in [&a, &b] {
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(run.status.success() || stderr.contains("E074"), "{stderr}");
        }
        let now = build_tree(&dir.join("out"));
        assert!(
            now == expected[0] || now == expected[1],
            "the builds interleaved"
        );
    }
}

#[cfg(unix)]
#[test]
fn out_is_resolved_before_it_is_compared_with_the_curriculum() {
    let (_temp, dir) = copy_fixture("valid/basic");
    std::os::unix::fs::symlink(dir.join("modules"), dir.join("link")).unwrap();
    let run = coursepack(&dir, &["build", "-o", "link/.."]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("E032"), "{}", run.stderr);
    assert!(!dir.join("index.html").exists());
    let run = coursepack(&dir, &["build", "-o", "link/../templates"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn no_write_or_removal_follows_a_symlink_inside_out() {
    let (temp, dir) = copy_fixture("valid/basic");
    let elsewhere = temp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    // A folder of the build replaced by a link: refused, nothing written through it.
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    std::fs::remove_dir_all(dir.join("build/learner")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("build/learner")).unwrap();
    let run = coursepack(&dir, &["build", "--seed", "5"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    // A page replaced by a link to a file outside: neither read, written nor removed.
    std::fs::remove_file(dir.join("build/learner")).unwrap();
    std::fs::remove_dir_all(dir.join("build")).unwrap();
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    let victim = elsewhere.join("victim.html");
    std::fs::write(&victim, "keep me").unwrap();
    std::fs::remove_file(dir.join("build/index.html")).unwrap();
    std::os::unix::fs::symlink(&victim, dir.join("build/index.html")).unwrap();
    let run = coursepack(&dir, &["build", "--seed", "5"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    // A stale entry reached through a linked folder is not removed.
    std::fs::remove_file(dir.join("build/index.html")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("build/gone")).unwrap();
    let manifest = dir.join("build/.coursepack-manifest");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str("gone/victim.html\n");
    std::fs::write(&manifest, text).unwrap();
    let run = coursepack(&dir, &["build", "--seed", "5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

#[test]
fn a_manifest_naming_paths_outside_out_deletes_nothing() {
    let (temp, dir) = copy_fixture("valid/basic");
    let victim = temp.path().join("victim.html");
    std::fs::write(&victim, "keep me").unwrap();
    assert_eq!(coursepack(&dir, &["build"]).code, 0);
    let manifest = dir.join("build/.coursepack-manifest");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(&format!(
        "../../victim.html\n{}\n./../victim.html\n",
        victim.display()
    ));
    std::fs::write(&manifest, text).unwrap();
    let run = coursepack(&dir, &["build", "--seed", "3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(dir.join("course.toml").exists());
}

#[test]
fn a_module_past_the_question_limit_is_refused_at_its_first_question_over() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let limit = coursepack::limits::MAX_QUESTIONS_PER_MODULE;
    let path = dir.join("modules/calls.toml");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let before = text.matches("[[questions]]").count();
    let mut line = text.lines().count() + 1;
    let mut first_over = 0;
    for i in 0..=limit - before {
        text.push_str(&format!(
            "\n[[questions]]\nid = \"C-QN{i}\"\ntype = \"true-false\"\nobjectives = [\"C-1\"]\nprompt = \"Claim {i}.\"\nanswer = {}\n",
            i % 2 == 0
        ));
        if before + i == limit {
            first_over = line + 2;
        }
        line += 7;
    }
    std::fs::write(&path, text).unwrap();
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "error[E071]: module calls has {} questions, more than the limit of {limit} per module",
            limit + 1
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("--> modules/calls.toml:{first_over}:6")),
        "{}",
        run.stderr
    );
    assert!(!dir.join("build").exists(), "nothing is written");
}
