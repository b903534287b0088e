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
        // The link's own line: the body starts on line 15, its text on line 16.
        assert!(
            run.stdout.contains("\"line\": 16"),
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
