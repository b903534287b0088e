//! Translations, locale catalogs and the per-language build.

use std::path::{Path, PathBuf};

use crate::harness::{copy_dir, coursepack, fixtures, repo};

/// The values of a Fluent catalog's one-line messages, by id.
fn catalog(name: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(repo().join("locales").join(name)).unwrap();
    text.lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|l| l.split_once(" = "))
        .map(|(id, value)| (id.to_owned(), value.replace("\\_", "_")))
        .collect()
}

/// The text of an HTML page a reader sees: tags, `<style>` and `<script>` removed, and the
/// `<ol class="sources">` citations too (sources are cited as published, in their language).
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    let mut skip: Option<&str> = None;
    while let Some(open) = rest.find('<') {
        if skip.is_none() {
            text.push_str(&rest[..open]);
            text.push(' ');
        }
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        match skip {
            Some(end) if tag.starts_with(end) => skip = None,
            Some(_) => {}
            None if tag.starts_with("<style") => skip = Some("</style"),
            None if tag.starts_with("<script") => skip = Some("</script"),
            None if tag.starts_with("<ol class=\"sources\"") => skip = Some("</ol"),
            None => {}
        }
        rest = &rest[close..];
    }
    text.push_str(rest);
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Whether `needle` occurs in `hay` as whole words.
fn has_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// `course` built with `extra` options into a fresh folder `out`, which must succeed.
fn built(course: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("out");
    let mut args = vec![
        "build",
        course.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let run = coursepack(temp.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    (temp, out)
}

#[test]
fn the_spanish_build_of_the_roll_call_course_has_no_english_page_text() {
    let (temp, out) = built(
        &repo().join("curricula/roll-call-de-escalation"),
        &["--deny-warnings"],
    );
    let spanish = catalog("es.ftl");
    // Words that are the same in both languages (GIFT, Markdown, Total, min) are not English
    // page text; one- and two-letter units (h, x) are not words to look for.
    let english: Vec<String> = catalog("en.ftl")
        .into_iter()
        .filter(|(id, value)| {
            value.chars().count() > 2 && !spanish.iter().any(|(i, v)| i == id && v == value)
        })
        .map(|(_, value)| value)
        .collect();
    assert!(english.len() > 250, "{}", english.len());
    let mut pages = Vec::new();
    html_files(&out.join("es"), &mut pages);
    assert!(pages.len() >= 12, "{pages:?}");
    let mut found = Vec::new();
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        assert!(html.contains("<html lang=\"es\">"), "{}", page.display());
        let text = visible_text(&html);
        for value in &english {
            if has_words(&text, value) {
                found.push(format!("{}: {value:?}", page.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "English page text in the Spanish build:\n{}",
        found.join("\n")
    );
    // The catalog's own words are there, and the pages link to each other's language.
    let module = std::fs::read_to_string(out.join("es/learner/modules/slow-it-down.html")).unwrap();
    assert!(
        module.contains("Al terminar este módulo, usted podrá:"),
        "{module}"
    );
    assert!(module.contains(
        "<a href=\"../../../learner/modules/slow-it-down.html\" hreflang=\"en\" lang=\"en\">English</a>"
    ));
    let english_page =
        std::fs::read_to_string(out.join("learner/modules/slow-it-down.html")).unwrap();
    assert!(english_page.contains(
        "<a href=\"../../es/learner/modules/slow-it-down.html\" hreflang=\"es\" lang=\"es\">Español</a>"
    ));
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("<a href=\"es/index.html\" hreflang=\"es\" lang=\"es\">Español</a>"));
    // The Spanish handouts and exports are there, with the course's variables.
    let card =
        std::fs::read_to_string(out.join("es/learner/handouts/crisis-resources.html")).unwrap();
    assert!(card.contains("Example City Police Department"), "{card}");
    assert!(
        out.join("es/lms/roll-call-de-escalation.gift.txt")
            .is_file()
    );
    // The output folder is still one build: clean removes the Spanish pages too.
    let run = coursepack(temp.path(), &["clean", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!out.join("es").join("index.html").exists());
}

#[test]
fn english_pages_are_byte_identical_to_those_before_catalogs() {
    // These pages were written by the build before the catalogs and language folders existed;
    // a course without translations must still get exactly them.
    let (_temp, out) = built(&fixtures().join("valid/basic"), &[]);
    assert!(!out.join("en").exists() && !out.join("es").exists());
    for page in [
        "index.html",
        "learner/modules/listening.html",
        "learner/checks/calls.html",
        "exam/form-a-key.html",
        "instructor/guide.html",
    ] {
        let built = std::fs::read_to_string(out.join(page)).unwrap();
        insta::assert_snapshot!(format!("basic-{}", page.replace('/', "-")), built);
    }
}

#[test]
fn a_stale_translation_is_reported_at_its_stamp() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("course");
    copy_dir(&repo().join("curricula/roll-call-de-escalation"), &dir);
    let run = coursepack(&dir, &["translate", ".", "--lang", "es", "--stamp"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = coursepack(&dir, &["translate", ".", "--lang", "es"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stdout.contains("stale") && !run.stdout.contains("unstamped"),
        "{}",
        run.stdout
    );
    let run = coursepack(&dir, &["check", ".", "--deny-warnings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The original changes after the translation: its stamp no longer matches.
    let path = dir.join("modules/slow-it-down.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = text.replacen(
        "id = \"RC-1\"\ntext = \"",
        "id = \"RC-1\"\ntext = \"Now: ",
        1,
    );
    assert_ne!(text, changed);
    std::fs::write(&path, changed).unwrap();
    let run = coursepack(&dir, &["check", "."]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning[W098]: the translation of \"RC-1\" is stale"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> modules/slow-it-down.es.toml:"),
        "{}",
        run.stderr
    );
    let run = coursepack(&dir, &["translate", ".", "--lang", "es"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("stale\tmodules/slow-it-down.es.toml\t\"RC-1\""),
        "{}",
        run.stdout
    );
}

#[test]
fn an_untranslated_entry_falls_back_to_the_original() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("course");
    copy_dir(&repo().join("curricula/roll-call-de-escalation"), &dir);
    let path = dir.join("modules/slow-it-down.es.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("[[terms]]").unwrap();
    let end = start + 1 + text[start + 1..].find("[[terms]]").unwrap();
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let run = coursepack(&dir, &["build", ".", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning[W097]: modules/slow-it-down.es.toml does not translate [[terms]] number 4"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_course_catalog_overrides_the_built_in_words() {
    let (_temp, dir) = crate::harness::copy_fixture("valid/basic");
    std::fs::create_dir(dir.join("locales")).unwrap();
    std::fs::write(
        dir.join("locales/en.ftl"),
        "# Our own words.\nlearner-handout = Participant handout\ntrue = Yes\n",
    )
    .unwrap();
    let run = coursepack(&dir, &["build", ".", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(dir.join("out/learner/modules/listening.html")).unwrap();
    assert!(
        page.contains("<p class=\"audience\">Participant handout</p>"),
        "{page}"
    );
    assert!(!page.contains("Learner handout"), "{page}");
    let md = std::fs::read_to_string(dir.join("out/learner/modules/listening.md")).unwrap();
    assert!(md.contains("*Participant handout · "), "{md}");
    // A syntax error in the catalog is located.
    std::fs::write(dir.join("locales/en.ftl"), "learner-handout Participant\n").unwrap();
    let run = coursepack(&dir, &["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("error[E100]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("--> locales/en.ftl:1:1"),
        "{}",
        run.stderr
    );
}
