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
