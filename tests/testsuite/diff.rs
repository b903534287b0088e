//! `coursepack diff`, the revision gate (`check --since`) and `check --format github`, over real
//! git repositories made in temporary folders.

use std::path::{Path, PathBuf};

use serde_json::Value;

use coursepack::check::check;
use coursepack::plan::{Options, PageKind, Plan};
use coursepack::source::Disk;

use crate::harness::{Run, copy_dir, coursepack, fixtures, git, repo};

/// A repository holding the basic fixture at `course/`, committed once.
struct Repo {
    _temp: tempfile::TempDir,
    root: PathBuf,
}

impl Repo {
    fn new(prepare: impl FnOnce(&Path)) -> Repo {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().to_owned();
        copy_dir(&fixtures().join("valid/basic"), &root.join("course"));
        prepare(&root.join("course"));
        git(&root, &["init", "-q"]);
        git(&root, &["add", "."]);
        git(&root, &["commit", "-q", "-m", "first"]);
        Repo { _temp: temp, root }
    }

    fn course(&self) -> PathBuf {
        self.root.join("course")
    }

    /// Replaces `from` with `to` in a file of the course (once; it must be there).
    fn edit(&self, file: &str, from: &str, to: &str) {
        edit(&self.course(), file, from, to);
    }

    fn commit(&self) {
        git(&self.root, &["add", "-A"]);
        git(&self.root, &["commit", "-q", "-m", "next"]);
    }

    fn run(&self, args: &[&str]) -> Run {
        coursepack(&self.root, args)
    }

    /// `diff OLD NEW course --format json`, parsed.
    fn diff_json(&self, old: &str, new: &str) -> Value {
        let run = self.run(&["diff", old, new, "course", "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).expect("JSON")
    }
}

fn edit(course: &Path, file: &str, from: &str, to: &str) {
    let path = course.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn append(course: &Path, file: &str, text: &str) {
    let path = course.join(file);
    let mut all = std::fs::read_to_string(&path).unwrap_or_default();
    all.push_str(text);
    std::fs::write(path, all).unwrap();
}

/// A small valid module with two exam questions (the fixture's exam draws two per module).
fn small_module(prefix: &str, title: &str) -> String {
    format!(
        r#"title = "{title}"

[[objectives]]
id = "{prefix}-1"
text = "Do the thing."

[[sections]]
title = "Only"
minutes = 10
objectives = ["{prefix}-1"]
body = "Words to read."

[[questions]]
id = "{prefix}-Q1"
type = "true-false"
objectives = ["{prefix}-1"]
prompt = "True?"
answer = true

[[questions]]
id = "{prefix}-QX1"
type = "true-false"
bank = "exam"
objectives = ["{prefix}-1"]
prompt = "Also true?"
answer = true

[[questions]]
id = "{prefix}-QX2"
type = "true-false"
bank = "exam"
objectives = ["{prefix}-1"]
prompt = "False?"
answer = false
"#
    )
}

/// The entry of `list` whose `key` is `value`.
fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .find(|v| v[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

fn strings(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_kind_of_change_is_in_the_json_report() {
    let repo = Repo::new(|course| {
        // Modules come and go below; the fixture's schedule would need every one placed.
        let path = course.join("course.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        let (start, end) = (
            text.find("[[schedule.days]]").unwrap(),
            text.find("[[standards]]").unwrap(),
        );
        std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
        std::fs::write(
            course.join("modules/retired.toml"),
            small_module("R", "Retired"),
        )
        .unwrap();
        edit(
            course,
            "course.toml",
            r#"modules = ["listening", "calls"]"#,
            r#"modules = ["listening", "calls", "retired"]"#,
        );
        // An objective the next version drops.
        edit(
            course,
            "modules/listening.toml",
            "[[sections]]",
            "[[objectives]]\nid = \"L-9\"\ntext = \"Dropped later.\"\n\n[[sections]]",
        );
    });
    let course = repo.course();
    std::fs::remove_file(course.join("modules/retired.toml")).unwrap();
    std::fs::write(
        course.join("modules/fresh.toml"),
        small_module("F", "Fresh"),
    )
    .unwrap();
    repo.edit(
        "course.toml",
        r#"modules = ["listening", "calls", "retired"]"#,
        r#"modules = ["calls", "listening", "fresh"]"#,
    );
    repo.edit(
        "course.toml",
        "audience = \"Test readers\"",
        "audience = \"New readers\"",
    );
    let listening = "modules/listening.toml";
    repo.edit(listening, "minutes = 50", "minutes = 60");
    repo.edit(
        listening,
        "text = \"Paraphrase what a caller said.\"",
        "text = \"Paraphrase what a caller said, briefly.\"",
    );
    repo.edit(
        listening,
        "id = \"L-9\"\ntext = \"Dropped later.\"",
        "id = \"L-3\"\ntext = \"Summarise a call.\"",
    );
    repo.edit(
        listening,
        "title = \"Paraphrasing\"\nminutes = 15",
        "title = \"Paraphrasing\"\nminutes = 20",
    );
    repo.edit(
        listening,
        "Say back the **content** in your own words.",
        "Say back the **content** in your own plain words, then pause.",
    );
    repo.edit(
        listening,
        "sources = [\"src-a\", \"src-b\"]",
        "sources = [\"src-a\"]",
    );
    repo.edit(
        listening,
        "[[terms]]",
        "[[sections]]\ntitle = \"Summaries\"\nminutes = 5\nobjectives = [\"L-3\"]\nbody = \"Sum up the whole call in two sentences.\"\n\n[[terms]]",
    );
    repo.edit(
        listening,
        "definition = \"Restating content in your own words.\"",
        "definition = \"Restating content in plain words.\"",
    );
    repo.edit(
        listening,
        "[[terms]]\nterm = \"Emotion label\"\ndefinition = \"Naming the feeling you observe.\"",
        "[[terms]]\nterm = \"Summary\"\ndefinition = \"The call in brief.\"",
    );
    repo.edit(
        listening,
        "setup = \"Two chairs back to back.",
        "setup = \"Two chairs, back to back.",
    );
    repo.edit(
        listening,
        "checklist = [\"Used a paraphrase\", \"Used an emotion label\"]",
        "checklist = [\"Used a paraphrase\", \"Used an emotion label\", \"Summarised\"]",
    );
    repo.edit(
        listening,
        "brief = \"You are upset about a neighbour's dog.\"",
        "brief = \"You are upset about a neighbour's parrot.\"",
    );
    repo.edit(
        listening,
        "[[questions]]\nid = \"L-Q1\"",
        "[[activities.roles]]\nname = \"Observer\"\nbrief = \"Watch and take notes.\"\n\n[[questions]]\nid = \"L-Q1\"",
    );
    repo.edit(
        listening,
        "answer = \"So the dog has barked every night this week.\"",
        "answer = \"So the dog barks every night.\"",
    );
    repo.edit(
        listening,
        "[[questions]]\nid = \"L-Q3\"\ntype = \"true-false\"\nobjectives = [\"L-1\"]\nprompt = \"A paraphrase repeats the caller's exact words.\"\nanswer = false\nexplanation = \"SECRET-EXPLANATION-Q3\"\n",
        "[[questions]]\nid = \"L-Q7\"\ntype = \"true-false\"\nobjectives = [\"L-3\"]\nprompt = \"A summary is short.\"\nanswer = true\n",
    );
    repo.edit(
        listening,
        "[\"SECRET-EXAM-DISTRACTOR-X1a\"",
        "[\"SECRET-EXAM-DISTRACTOR-X1-new\"",
    );
    repo.edit(
        listening,
        "id = \"L-QX2\"\ntype = \"true-false\"\nbank = \"exam\"",
        "id = \"L-QX2\"\ntype = \"true-false\"\nbank = \"practice\"",
    );
    // Two exam questions must stay in the bank: L-QX1 and L-QX3, plus a new one.
    append(
        &course,
        listening,
        "\n[[questions]]\nid = \"L-QX4\"\ntype = \"true-false\"\nbank = \"exam\"\nobjectives = [\"L-1\"]\nprompt = \"New exam item.\"\nanswer = true\n",
    );
    repo.edit(
        listening,
        "[[sources]]\nid = \"src-b\"\ncitation = \"Author, B. (1997). Another study. Bulletin 66(9).\"",
        "[[sources]]\nid = \"src-c\"\ncitation = \"Author, C. (2020). A third study.\"",
    );
    repo.commit();
    let check_run = repo.run(&["check", "course"]);
    assert_eq!(check_run.code, 0, "{}", check_run.stderr);

    let diff = repo.diff_json("HEAD~1", "HEAD");
    assert_eq!(diff["old"]["label"], "HEAD~1");
    assert_eq!(diff["new"]["label"], "HEAD");
    let audience = find(&diff["course"], "field", "audience");
    assert_eq!(
        (audience["old"].as_str(), audience["new"].as_str()),
        (Some("Test readers"), Some("New readers"))
    );

    // Modules added, removed, reordered; course minutes.
    let modules = &diff["modules"];
    assert_eq!(strings(&modules["added"], "id"), ["fresh"]);
    assert_eq!(modules["added"][0]["minutes"], 10);
    assert_eq!(modules["added"][0]["questions"], 3);
    assert_eq!(strings(&modules["removed"], "id"), ["retired"]);
    assert_eq!(
        modules["reordered"],
        serde_json::json!({"old": ["listening", "calls"], "new": ["calls", "listening"]})
    );
    assert_eq!(diff["minutes"], serde_json::json!({"old": 85, "new": 95}));

    // Only listening changed inside; calls did not.
    let changed = diff["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    let m = &changed[0];
    assert_eq!(m["id"], "listening");
    assert_eq!(m["minutes"], serde_json::json!({"old": 50, "new": 60}));
    // The declared `minutes` moved with the planned ones: reported once.
    assert_eq!(m["fields"], serde_json::json!([]));

    // Objectives: reworded, added, removed.
    let objective = |id: &str| find(&m["objectives"], "id", id).clone();
    assert_eq!(objective("L-1")["change"], "reworded");
    assert_eq!(objective("L-1")["old"], "Paraphrase what a caller said.");
    assert_eq!(
        objective("L-1")["new"],
        "Paraphrase what a caller said, briefly."
    );
    assert_eq!(objective("L-3")["change"], "added");
    assert_eq!(objective("L-9")["change"], "removed");
    assert_eq!(m["objectives"].as_array().unwrap().len(), 3);

    // Sections: a word delta, an excerpt, minutes, sources; one added.
    let paraphrasing = find(&m["sections"], "title", "Paraphrasing");
    assert_eq!(paraphrasing["change"], "changed");
    assert_eq!(paraphrasing["word_delta"], 3);
    assert_eq!(
        paraphrasing["words"]["new"].as_u64().unwrap(),
        paraphrasing["words"]["old"].as_u64().unwrap() + 3
    );
    assert_eq!(
        paraphrasing["minutes"],
        serde_json::json!({"old": 15, "new": 20})
    );
    let edit = &paraphrasing["excerpt"][0];
    assert_eq!(edit["removed"], "words.");
    assert_eq!(edit["added"], "plain words, then pause.");
    assert_eq!(edit["before"], "the **content** in your own");
    let labels = find(&m["sections"], "title", "Emotion labels");
    assert_eq!(labels["word_delta"], 0);
    let sources = find(&labels["fields"], "field", "sources");
    assert_eq!(sources["new"], "src-a");
    let summaries = find(&m["sections"], "title", "Summaries");
    assert_eq!(summaries["change"], "added");
    assert_eq!(summaries["words"]["new"], 8);

    // Terms: redefined, added, removed.
    assert_eq!(
        find(&m["terms"], "term", "Paraphrase")["change"],
        "reworded"
    );
    assert_eq!(find(&m["terms"], "term", "Summary")["change"], "added");
    assert_eq!(
        find(&m["terms"], "term", "Emotion label")["change"],
        "removed"
    );

    // Activities: fields and roles.
    let activity = find(&m["activities"], "id", "L-A1");
    assert_eq!(activity["change"], "changed");
    let fields = strings(&activity["fields"], "field");
    assert_eq!(fields, ["setup", "checklist"]);
    assert_eq!(
        find(&activity["roles"], "name", "Observer")["change"],
        "added"
    );
    let caller = find(&activity["roles"], "name", "Caller");
    assert_eq!(caller["change"], "changed");
    assert_eq!(strings(&caller["fields"], "field"), ["brief"]);

    // Questions: a changed answer, a changed distractor and a bank move flag the key.
    let question = |id: &str| find(&m["questions"], "id", id).clone();
    assert_eq!(question("L-Q1")["change"], "changed");
    assert_eq!(question("L-Q1")["answer_key"], true);
    assert_eq!(strings(&question("L-Q1")["fields"], "field"), ["answer"]);
    assert_eq!(
        strings(&question("L-QX1")["fields"], "field"),
        ["distractors"]
    );
    assert_eq!(question("L-QX1")["answer_key"], true);
    let moved = question("L-QX2");
    assert_eq!(moved["bank"], "practice");
    assert_eq!(moved["answer_key"], true);
    let bank = find(&moved["fields"], "field", "bank");
    assert_eq!(
        (bank["old"].as_str(), bank["new"].as_str()),
        (Some("exam"), Some("practice"))
    );
    assert_eq!(question("L-Q3")["change"], "removed");
    assert_eq!(question("L-Q7")["change"], "added");
    assert_eq!(question("L-QX4")["change"], "added");
    assert_eq!(question("L-QX4")["bank"], "exam");
    assert_eq!(m["questions"].as_array().unwrap().len(), 6);

    // Sources.
    assert_eq!(find(&m["sources"], "id", "src-c")["change"], "added");
    assert_eq!(find(&m["sources"], "id", "src-b")["change"], "removed");

    // Reprints: listening's check and key; fresh's are new; retired's withdrawn.
    let reprint = &diff["reprint"];
    let key = find(reprint, "artefact", "instructor/checks/listening-key.html");
    assert_eq!(key["change"], "changed");
    assert_eq!(key["answer_key"], true);
    let paper = find(reprint, "artefact", "learner/checks/listening.html");
    assert_eq!(paper["answer_key"], false);
    assert_eq!(
        find(reprint, "artefact", "instructor/checks/fresh-key.html")["change"],
        "added"
    );
    assert_eq!(
        find(reprint, "artefact", "instructor/checks/retired-key.html")["change"],
        "removed"
    );
    assert!(
        !strings(reprint, "artefact").contains(&"instructor/checks/calls-key.html".to_owned()),
        "calls did not change: {reprint:#}"
    );

    // The other formats say the same things.
    let text = repo.run(&["diff", "HEAD~1", "HEAD", "course"]);
    assert_eq!(text.code, 0);
    assert!(
        text.stdout.contains(
            "objective L-1 reworded: “Paraphrase what a caller said.” → “Paraphrase what a caller said, briefly.”"
        ),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("…the **content** in your own [-words.-] {+plain words, then pause.+}"),
        "{}",
        text.stdout
    );
    let markdown = repo.run(&["diff", "HEAD~1..HEAD", "course", "--format", "markdown"]);
    assert_eq!(markdown.code, 0, "{}", markdown.stderr);
    assert!(
        markdown
            .stdout
            .starts_with("## Changes from `HEAD~1` (2.0.0) to `HEAD` (2.0.0)\n")
    );
    assert!(markdown.stdout.contains(
        "- `instructor/checks/listening-key.html` (Answer key: Listening knowledge check): **answer key changed**:"
    ), "{}", markdown.stdout);
    let html = repo.run(&["diff", "HEAD~1..HEAD", "course", "--format", "html"]);
    assert!(html.stdout.starts_with("<!DOCTYPE html>"));
    assert!(html.stdout.contains("<del>words.</del>"), "{}", html.stdout);
}

/// The exam forms (and keys) of a course that hold question `id`.
fn forms_holding(course: &Path, id: &str) -> Vec<String> {
    let checked = check(&Disk::new(course)).expect("checks");
    let plan = Plan::new(&checked.curriculum, &Options::default());
    let mut paths = Vec::new();
    for (f, form) in plan.forms.iter().enumerate() {
        if form.items.iter().any(|p| p.question.id.as_str() == id) {
            paths.push(plan.page(PageKind::Form(f)).unwrap().path());
            paths.push(plan.page(PageKind::FormKey(f)).unwrap().path());
        }
    }
    paths
}

#[test]
fn a_changed_exam_answer_flags_the_keys_and_forms_that_hold_it() {
    let repo = Repo::new(|_| {});
    let holding = forms_holding(&repo.course(), "C-QX2");
    assert!(!holding.is_empty(), "the fixture's forms draw C-QX2");
    repo.edit(
        "modules/calls.toml",
        "answer = [\"SECRET-EXAM-ANSWER-CX2\"]",
        "answer = [\"SECRET-EXAM-ANSWER-CX2\", \"also right\"]",
    );
    repo.commit();
    let diff = repo.diff_json("HEAD~1", "HEAD");
    let question = &diff["changed"][0]["questions"][0];
    assert_eq!(question["id"], "C-QX2");
    assert_eq!(question["answer_key"], true);
    // A short answer's accepted answers are only in the key: the papers stay as printed.
    let keys: Vec<String> = holding
        .into_iter()
        .filter(|p| p.ends_with("-key.html"))
        .collect();
    assert_eq!(strings(&diff["reprint"], "artefact"), keys);
    for reprint in diff["reprint"].as_array().unwrap() {
        assert_eq!(reprint["answer_key"], true);
        assert_eq!(reprint["questions"], serde_json::json!(["C-QX2"]));
    }
}

#[test]
fn the_bundled_course_against_itself_and_with_one_reworded_objective() {
    let bundled = repo().join("curricula/police-community-relations");
    let bundled = bundled.to_str().unwrap();
    let same = coursepack(&repo(), &["diff", bundled, bundled, "--format", "json"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    let diff: Value = serde_json::from_str(&same.stdout).unwrap();
    for part in ["course", "revisions", "changed", "reprint"] {
        assert_eq!(diff[part], serde_json::json!([]), "{part}");
    }
    assert_eq!(
        diff["modules"],
        serde_json::json!({"added": [], "removed": [], "reordered": null})
    );
    let text = coursepack(&repo(), &["diff", bundled, bundled]);
    assert!(text.stdout.ends_with("\nNo changes.\n"), "{}", text.stdout);

    let temp = tempfile::tempdir().unwrap();
    let copy = temp.path().join("pcr");
    copy_dir(Path::new(bundled), &copy);
    let module = copy.join("modules/active-listening.toml");
    let source = std::fs::read_to_string(&module).unwrap();
    let start = source.find("[[objectives]]").unwrap();
    let text_at = start + source[start..].find("text = \"").unwrap() + "text = \"".len();
    let old_text = &source[text_at..text_at + source[text_at..].find('"').unwrap()];
    let id_at = start + source[start..].find("id = \"").unwrap() + "id = \"".len();
    let id = &source[id_at..id_at + source[id_at..].find('"').unwrap()];
    let new_text = format!("{old_text} (reworded)");
    std::fs::write(
        &module,
        source.replacen(
            &format!("text = \"{old_text}\""),
            &format!("text = \"{new_text}\""),
            1,
        ),
    )
    .unwrap();
    let run = coursepack(
        &repo(),
        &["diff", bundled, copy.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diff: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(diff["reprint"], serde_json::json!([]));
    assert_eq!(diff["course"], serde_json::json!([]));
    assert_eq!(
        diff["changed"],
        serde_json::json!([{
            "id": "active-listening",
            "title": diff["changed"][0]["title"],
            "fields": [],
            "minutes": null,
            "objectives": [{"id": id, "change": "reworded", "old": old_text, "new": new_text}],
            "sections": [],
            "terms": [],
            "activities": [],
            "questions": [],
            "sources": [],
        }])
    );
}

#[test]
fn unreadable_sides_are_usage_errors_and_a_side_with_errors_is_refused() {
    let repo = Repo::new(|_| {});
    let run = repo.run(&["diff", "no-such-tag", "HEAD", "course"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: `no-such-tag` is neither a directory nor a readable revision: `no-such-tag` is not a revision of the repository at "),
        "{}",
        run.stderr
    );
    let run = repo.run(&["diff", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("give NEW too"), "{}", run.stderr);
    let outside = tempfile::tempdir().unwrap();
    let run = coursepack(outside.path(), &["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`HEAD~1` is neither a directory nor a readable revision")
    );

    // The working tree is broken; the committed revision is not.
    repo.edit("course.toml", "title = ", "titel = ");
    let run = repo.run(&["diff", "HEAD", "course"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("error[E006]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("diff refused: `course` does not check"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_side_and_a_revision_of_its_repository() {
    let repo = Repo::new(|_| {});
    repo.edit(
        "modules/calls.toml",
        "title = \"Steps\"",
        "title = \"The steps\"",
    );
    // `diff HEAD course`: the revision is of the repository `course` is in.
    let diff = repo.diff_json("HEAD", "course");
    assert_eq!(diff["new"]["label"], "course");
    let section = &diff["changed"][0]["sections"][0];
    assert_eq!(section["title"], "The steps");
    assert_eq!(section["old_title"], "Steps");
    // From inside the course, with a range.
    let run = coursepack(&repo.course(), &["diff", "HEAD..HEAD", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diff: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(diff["changed"], serde_json::json!([]));
}

/// `check --since HEAD --format json` in the repository: (exit code, [(code, line, column)]).
fn gate(repo: &Repo, rev: &str) -> (i32, Vec<(String, u64, u64)>) {
    let run = repo.run(&["check", "course", "--since", rev, "--format", "json"]);
    let items: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON");
    let found = items
        .iter()
        .map(|d| {
            assert_eq!(d["file"], "course/course.toml", "{d}");
            (
                d["code"].as_str().unwrap().to_owned(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    (run.code, found)
}

const NEW_REVISION: &str = "[[revisions]]\nversion = \"VERSION\"\ndate = 2026-12-01\nauthor = \"Fixture Author\"\nsummary = \"Reworded.\"\n\n[[revisions]]\nversion = \"2.0.0\"";

#[test]
fn the_revision_gate_wants_a_new_version_and_revision_entry() {
    let repo = Repo::new(|_| {});
    // Nothing changed: the gate passes.
    assert_eq!(gate(&repo, "HEAD"), (0, vec![]));

    // Content changed, version did not: at `version` (line 3, column 11).
    repo.edit(
        "modules/calls.toml",
        "text = \"Explain the steps of a call.\"",
        "text = \"Explain each step of a call.\"",
    );
    assert_eq!(gate(&repo, "HEAD"), (1, vec![("E050".into(), 3, 11)]));
    let text = repo.run(&["check", "course", "--since", "HEAD"]);
    assert!(
        text.stderr.starts_with(
            "error[E050]: the course changed since `HEAD`, but its version is still 2.0.0\n --> course/course.toml:3:11\n"
        ),
        "{}",
        text.stderr
    );
    assert!(
        text.stderr.contains("help: set `version = \"2.0.1\"`"),
        "{}",
        text.stderr
    );

    // Version moved, but the top entry was only relabelled: at that entry's version (line 15).
    repo.edit("course.toml", "version = \"2.0.0\"", "version = \"2.0.1\"");
    repo.edit("course.toml", "version = \"2.0.0\"", "version = \"2.0.1\"");
    assert_eq!(gate(&repo, "HEAD"), (1, vec![("E051".into(), 17, 11)]));

    // A new entry on top: the gate passes.
    repo.edit(
        "course.toml",
        "[[revisions]]\nversion = \"2.0.1\"",
        &NEW_REVISION.replace("VERSION", "2.0.1"),
    );
    assert_eq!(gate(&repo, "HEAD"), (0, vec![]));

    // A changed answer key needs at least a minor bump.
    repo.edit(
        "modules/calls.toml",
        "answer = true\nexplanation = \"SECRET-EXPLANATION-C1\"",
        "answer = false\nexplanation = \"SECRET-EXPLANATION-C1\"",
    );
    assert_eq!(gate(&repo, "HEAD"), (1, vec![("E052".into(), 3, 11)]));
    repo.edit("course.toml", "version = \"2.0.1\"", "version = \"2.1.0\"");
    repo.edit("course.toml", "version = \"2.0.1\"", "version = \"2.1.0\"");
    assert_eq!(gate(&repo, "HEAD"), (0, vec![]));

    // Backwards is refused.
    repo.edit("course.toml", "version = \"2.1.0\"", "version = \"1.9.0\"");
    repo.edit("course.toml", "version = \"2.1.0\"", "version = \"1.9.0\"");
    assert_eq!(gate(&repo, "HEAD"), (1, vec![("E053".into(), 3, 11)]));

    // A course that did not exist at REV is new: nothing to gate.
    let (temp, course) = crate::harness::copy_fixture("valid/basic");
    git(temp.path(), &["init", "-q"]);
    std::fs::write(temp.path().join("README"), "x").unwrap();
    git(temp.path(), &["add", "README"]);
    git(temp.path(), &["commit", "-q", "-m", "first"]);
    let run = coursepack(temp.path(), &["check", "basic", "--since", "HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("note: the revision gate has nothing to compare: `basic/` holds no files at revision `HEAD`"), "{}", run.stderr);
    drop(course);

    // An unreadable revision is a usage error.
    let run = repo.run(&["check", "course", "--since", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("error: --since no-such-branch: `no-such-branch` is not a revision"),
        "{}",
        run.stderr
    );
}

#[test]
fn github_annotations_name_lines_relative_to_the_repository_root() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    let course = root.join("curricula/q");
    copy_dir(&fixtures().join("broken/unknown-key-in-question"), &course);
    std::fs::remove_file(course.join("expect.toml")).unwrap();
    git(root, &["init", "-q"]);
    let expected = "::error file=curricula/q/modules/m.toml,line=18,col=1,endLine=18,endColumn=5,\
                    title=E006 unknown-key::unknown key \"hint\" in [[questions]]%0Ahelp: [[questions]] accepts: id, type, bank, objectives, prompt, answer, distractors, pairs, rubric, explanation, points\n";
    for (cwd, dir) in [
        (root.to_owned(), "curricula/q"),
        (course.clone(), "."),
        (course.join("modules"), ".."),
    ] {
        let run = coursepack(&cwd, &["check", dir, "--format", "github"]);
        assert_eq!(run.code, 1);
        assert_eq!(run.stdout, expected, "from {}", cwd.display());
    }

    // Outside a repository, paths are relative to the current directory.
    let plain = tempfile::tempdir().unwrap();
    copy_dir(&course, &plain.path().join("q"));
    let run = coursepack(plain.path(), &["check", "q", "--format", "github"]);
    assert!(
        run.stdout
            .starts_with("::error file=q/modules/m.toml,line=18,col=1,"),
        "{}",
        run.stdout
    );

    // A module file not listed has a file and no line; a warning is a warning.
    let valid = root.join("curricula/w");
    copy_dir(&fixtures().join("valid/basic"), &valid);
    std::fs::write(valid.join("modules/stray.toml"), small_module("S", "Stray")).unwrap();
    edit(
        &valid,
        "modules/calls.toml",
        "[[objectives]]\nid = \"C-1\"\ntext = \"Explain the steps of a call.\"",
        "[[objectives]]\nid = \"C-1\"\ntext = \"Explain the steps of a call.\"\n\n[[objectives]]\nid = \"C-2\"\ntext = \"Untaught: 100%, really.\"",
    );
    let run = coursepack(root, &["check", "curricula/w", "--format", "github"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(&"::error file=curricula/w/modules/stray.toml,title=E012 module-not-listed::module file `stray.toml` is not listed in course.toml%0Ahelp: add \"stray\" to `modules` in course.toml, or move the file out of modules/"),
        "{}",
        run.stdout
    );
    assert!(
        lines.contains(&"::warning file=curricula/w/modules/calls.toml,line=10,col=6,endLine=10,endColumn=11,title=W019 objective-not-taught::objective \"C-2\" is taught by no section%0Ahelp: add \"C-2\" to the `objectives` of the section that teaches it"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_gate_is_skipped_with_a_warning_when_the_old_course_has_errors() {
    let repo = Repo::new(|course| edit(course, "course.toml", "title = ", "titel = "));
    repo.edit("course.toml", "titel = ", "title = ");
    assert_eq!(gate(&repo, "HEAD"), (0, vec![("W054".into(), 3, 11)]));
    let run = repo.run(&["check", "course", "--since", "HEAD"]);
    assert!(
        run.stderr.starts_with(
            "warning[W054]: the revision gate is skipped: the course at `HEAD` has 1 error\n"
        ),
        "{}",
        run.stderr
    );
}
