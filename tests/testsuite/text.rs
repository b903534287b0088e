//! Bodies reach the Markdown and HTML artefacts as written: hard breaks, code blocks and
//! footnotes survive the templates (issue 9).

use std::path::Path;

use crate::harness::{copy_fixture, coursepack};

/// A body with a two-space hard break, a backslash hard break, and a fenced code block holding
/// a run of blank lines and trailing spaces.
const BODY: &str = "First line  \nsecond line\\\nthird line\n\n```\ncode  \n\n\nmore\n```\n\nLast.";

/// The basic fixture with [`BODY`] as the calls module's section body.
fn course_with_body() -> (tempfile::TempDir, std::path::PathBuf) {
    let (temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/calls.toml");
    let toml = std::fs::read_to_string(&path).expect("read calls.toml");
    let quoted = toml_string(BODY);
    let toml = toml.replace(
        "body = \"1. Arrive\\n2. Listen\\n3. Explain\"",
        &format!("body = {quoted}"),
    );
    assert!(toml.contains(&quoted), "the fixture's section body moved");
    std::fs::write(&path, toml).expect("write calls.toml");
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (temp, dir)
}

fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('\n', "\\n"))
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join("build").join(path)).expect("artefact")
}

#[test]
fn hard_breaks_and_code_blocks_survive_into_markdown() {
    let (_temp, dir) = course_with_body();
    for page in ["learner/modules/calls.md", "learner/handbook.md"] {
        let md = read(&dir, page);
        assert!(md.contains(BODY), "{page} lost part of the body:\n{md}");
        assert!(
            md.ends_with(".\n") && !md.ends_with("\n\n"),
            "{page} ends badly"
        );
    }
}

#[test]
fn hard_breaks_and_code_blocks_survive_into_html() {
    let (_temp, dir) = course_with_body();
    for page in ["learner/modules/calls.html", "learner/handbook.html"] {
        let html = read(&dir, page);
        assert!(
            html.contains("<p>First line<br />\nsecond line<br />\nthird line</p>"),
            "{page}:\n{html}"
        );
        assert!(
            html.contains("<pre><code>code  \n\n\nmore\n</code></pre>"),
            "{page}:\n{html}"
        );
    }
}

#[test]
fn footnote_labels_stay_unique_when_bodies_share_a_markdown_page() {
    let (_temp, dir) = copy_fixture("valid/basic");
    let path = dir.join("modules/calls.toml");
    let toml = std::fs::read_to_string(&path).expect("read calls.toml");
    // The listening module already has a `[^1]`; give calls one of the same name.
    let toml = toml.replace(
        "body = \"1. Arrive\\n2. Listen\\n3. Explain\"",
        "body = \"Arrive, then listen.[^1]\\n\\n[^1]: The calls note.\"",
    );
    std::fs::write(&path, toml).expect("write calls.toml");
    let run = coursepack(&dir, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let handbook = read(&dir, "learner/handbook.md");
    let labels = |needle: &str| -> Vec<String> {
        handbook
            .match_indices(needle)
            .map(|(i, _)| {
                let rest = &handbook[i + 2..];
                rest[..rest.find(']').unwrap()].to_owned()
            })
            .collect()
    };
    let mut definitions: Vec<String> = handbook
        .lines()
        .filter(|l| l.starts_with("[^"))
        .map(|l| l[2..l.find("]:").unwrap()].to_owned())
        .collect();
    assert_eq!(definitions, ["listening-s1-1", "calls-s1-1"], "{handbook}");
    definitions.sort();
    definitions.dedup();
    assert_eq!(definitions.len(), 2);
    for label in labels("[^") {
        assert!(definitions.contains(&label), "[^{label}] has no definition");
    }
    // The module's own page and its HTML agree on the same notes.
    assert!(read(&dir, "learner/modules/calls.md").contains("listen.[^calls-s1-1]"));
    let html = read(&dir, "learner/modules/calls.html");
    assert!(html.contains("id=\"calls-s1-fn-1\""), "{html}");
}
