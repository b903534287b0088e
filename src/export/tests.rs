//! Unit tests over the fixture curricula: the real loader and checker feed every exporter.

use std::io::Read;
use std::path::Path;

use super::quiz::{Choice, MOODLE_MOST_CORRECT, html_to_text, moodle_accepts, percent};
use super::*;
use crate::check::{Checked, check};
use crate::plan::Options;
use crate::source::Disk;

fn load(fixture: &str) -> Checked {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
    let checked = check(&Disk::new(dir)).expect("the fixture checks");
    assert!(
        checked.report.diagnostics().is_empty(),
        "{fixture}: {:?}",
        checked.report.diagnostics()
    );
    checked
}

/// Exports from a plan with the default options.
fn ex(checked: &Checked, format: Format, selection: &Selection) -> Result<Export, ExportError> {
    export(
        &Plan::new(&checked.curriculum, &Options::default()),
        format,
        selection,
    )
}

fn messages(export: &Export) -> Vec<String> {
    export
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect()
}

fn awkward() -> Checked {
    load("tests/fixtures/valid/awkward")
}

fn text(export: &Export) -> &str {
    std::str::from_utf8(&export.bytes).expect("text formats are UTF-8")
}

/// The files of a zip, in order, with their contents.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = String::new();
            file.read_to_string(&mut content).unwrap();
            (file.name().unwrap().into_owned(), content)
        })
        .collect()
}

fn all(loaded: &Checked, format: Format) -> Export {
    ex(loaded, format, &Selection::default()).unwrap()
}

#[test]
fn file_names_follow_the_course_id() {
    let loaded = awkward();
    let plan = Plan::new(&loaded.curriculum, &Options::default());
    let names: Vec<String> = lms_files(&plan).0.into_iter().map(|e| e.path).collect();
    assert_eq!(
        names,
        [
            "lms/awkward-course.gift.txt",
            "lms/awkward-course.moodle.xml",
            "lms/awkward-course.qti.zip"
        ]
    );
}

#[test]
fn every_question_type_is_exported_in_every_format() {
    let loaded = awkward();
    let gift = all(&loaded, Format::Gift);
    assert_eq!(gift.questions, 12);
    let gift = text(&gift);
    assert_eq!(gift.matches("\n::").count(), 12, "{gift}");
    for needle in [
        "\t=",
        "\t~%33.33333%",
        "\t~%-50%",
        "{TRUE",
        "{FALSE",
        " -> ",
        "{\n\t####",
    ] {
        assert!(gift.contains(needle), "GIFT lacks {needle:?}");
    }
    let xml = all(&loaded, Format::MoodleXml);
    let xml = text(&xml);
    for kind in [
        "multichoice",
        "truefalse",
        "shortanswer",
        "matching",
        "essay",
    ] {
        let count = xml.matches(&format!("<question type=\"{kind}\">")).count();
        let want = if kind == "multichoice" { 4 } else { 2 };
        assert_eq!(count, want, "{kind} in Moodle XML");
    }
    assert!(xml.contains("<single>false</single>") && xml.contains("<single>true</single>"));
    let files = unzip(&all(&loaded, Format::Qti).bytes);
    let items: String = files.iter().map(|(_, c)| c.as_str()).collect();
    for kind in [
        "multiple_choice_question",
        "multiple_answers_question",
        "true_false_question",
        "short_answer_question",
        "matching_question",
        "essay_question",
    ] {
        let count = items
            .matches(&format!("<fieldentry>{kind}</fieldentry>"))
            .count();
        assert_eq!(count, 2, "{kind} in QTI");
    }
}

#[test]
fn points_carry_over_where_the_format_can_hold_them() {
    let loaded = awkward();
    let xml = all(&loaded, Format::MoodleXml);
    assert!(text(&xml).contains("<defaultgrade>3</defaultgrade>"));
    let files = unzip(&all(&loaded, Format::Qti).bytes);
    let practice = files
        .iter()
        .find(|(n, _)| n == "cp_awkward-course_practice_awkward/assessment_meta.xml")
        .unwrap();
    // AW-Q1..Q6: 1 + 2 + 1 + 1 + 1 + 3.
    assert!(
        practice
            .1
            .contains("<points_possible>9.0</points_possible>")
    );
}

#[test]
fn gift_escapes_specials_in_prompts_answers_and_feedback() {
    let loaded = awkward();
    let gift = all(&loaded, Format::Gift);
    let gift = text(&gift);
    // Prompt, choice, feedback, short answer and matching text, each with its specials escaped.
    for escaped in [
        "GIFT's specials \\~ \\= \\# \\{ \\} \\: and a backslash \\\\ too",
        "\t=The one with \\{braces\\} \\= equals",
        "\t~The one with colon\\: and back\\\\slash and C\\:\\\\new\\\\table",
        "\t~&\\#37;50 of the time, ]]&gt; &amp; &lt;b&gt;",
        "\t~&\\#91;citation needed] is not a format",
        "####<p>Only the answer with <strong>\\{braces\\} \\= equals</strong>",
        "\t=C\\:\\\\Temp\\\\new\\=old.txt",
        "\t=\\{x\\} \\~ \\#1\\: ok",
        "\t=]]> & <tag>",
        "\t=café 中文 🚓",
        "\t=\\\\ backslash -> escape\\: \\\\ or C\\:\\\\new",
    ] {
        assert!(gift.contains(escaped), "GIFT lacks {escaped:?}\n{gift}");
    }
    // No question spills over a blank line: each is one block.
    let blocks = gift.split("\n\n").filter(|b| b.contains("::")).count();
    assert_eq!(blocks, 12);
}

#[test]
fn xml_formats_keep_text_exact() {
    let loaded = awkward();
    let xml = all(&loaded, Format::MoodleXml);
    let xml = text(&xml);
    // Markdown rendered to HTML, in CDATA; raw HTML in the source shows as text.
    assert!(xml.contains("<![CDATA[<p>Read the <strong>whole</strong> prompt"));
    assert!(xml.contains("&lt;b&gt;raw HTML&lt;/b&gt;"));
    assert!(xml.contains("<table>"));
    // Plain text is escaped, not CDATA.
    assert!(
        xml.contains("<text>]]&gt; &amp; &lt;tag&gt;</text>"),
        "{xml}"
    );
    let files = unzip(&all(&loaded, Format::Qti).bytes);
    let (_, practice) = &files[3];
    assert!(practice.contains("<mattext texttype=\"text/html\">&lt;p&gt;Read the &lt;strong&gt;"));
    assert!(
        practice.contains("<varequal respident=\"response1\">]]&gt; &amp; &lt;tag&gt;</varequal>")
    );
    assert!(practice.contains("café 中文 🚓"));
}

/// `build`'s LMS files, each group rendered once and handed to the three writers through
/// channels of `window` groups, with what the sink refused.
fn built(plan: &Plan<'_>, window: usize, refuse: Option<&str>) -> (Vec<Artefact>, Vec<Diagnostic>) {
    struct Refusing<'a> {
        files: std::sync::Mutex<Vec<Artefact>>,
        refuse: Option<&'a str>,
    }
    impl crate::render::Sink for Refusing<'_> {
        fn put(&self, artefact: Artefact) -> Result<(), Diagnostic> {
            self.files.lock().unwrap().push(artefact);
            Ok(())
        }
        fn stream_seekable(
            &self,
            path: String,
            fill: &mut crate::render::SeekFill<'_>,
        ) -> Result<(), Diagnostic> {
            if self.refuse.is_some_and(|r| path.ends_with(r)) {
                // A disk that fills up at the first byte: the writer stops there.
                struct Full;
                impl io::Write for Full {
                    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                        Err(io::Error::other("no space left"))
                    }
                    fn flush(&mut self) -> io::Result<()> {
                        Ok(())
                    }
                }
                impl io::Seek for Full {
                    fn seek(&mut self, _: io::SeekFrom) -> io::Result<u64> {
                        Ok(0)
                    }
                }
                return fill(&mut Full).map_err(|err| {
                    Diagnostic::error(Code::Io, format!("cannot write {path}: {err}"))
                });
            }
            let mut bytes = io::Cursor::new(Vec::new());
            fill(&mut bytes).map_err(|err| Diagnostic::error(Code::Io, err.to_string()))?;
            self.put(Artefact {
                path,
                bytes: bytes.into_inner(),
            })
        }
    }
    let sink = Refusing {
        files: std::sync::Mutex::new(Vec::new()),
        refuse,
    };
    let diagnostics = write_windowed(plan, &sink, window, None);
    let mut files = sink.files.into_inner().unwrap();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    (files, diagnostics)
}

#[test]
fn build_writes_each_format_as_its_own_export_would() {
    for course in [
        "curricula/police-community-relations",
        "curricula/roll-call-de-escalation",
        "tests/fixtures/valid/awkward",
    ] {
        let checked = load(course);
        let plan = Plan::new(&checked.curriculum, &Options::default());
        let quiz = Quiz::new(&plan, &Selection::default()).unwrap();
        assert!(
            quiz.parts.len() > 1,
            "{course}: more groups than the window"
        );
        // A window of one keeps every writer in step with the slowest.
        for window in [1, WINDOW] {
            let (files, diagnostics) = built(&plan, window, None);
            let mut expected = Vec::new();
            for (file, format) in files.iter().zip(Format::ALL) {
                let alone = export(&plan, format, &Selection::default()).unwrap();
                assert!(
                    file.bytes == alone.bytes,
                    "{course} {format:?} window {window}"
                );
                expected.extend(alone.diagnostics);
            }
            assert_eq!(files.len(), 3, "{course}");
            assert_eq!(diagnostics.len(), expected.len(), "{course}");
        }
    }
}

#[test]
fn a_format_that_cannot_be_written_stops_alone() {
    let checked = load("curricula/police-community-relations");
    let plan = Plan::new(&checked.curriculum, &Options::default());
    for refused in ["gift.txt", "moodle.xml", "qti.zip"] {
        let (files, diagnostics) = built(&plan, 1, Some(refused));
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names.len(), 2, "{refused}: {names:?}");
        assert!(names.iter().all(|n| !n.ends_with(refused)));
        for file in &files {
            let format = Format::ALL
                .into_iter()
                .find(|f| file.path.ends_with(f.extension()))
                .unwrap();
            let alone = export(&plan, format, &Selection::default()).unwrap();
            assert!(file.bytes == alone.bytes, "{refused}: {} whole", file.path);
        }
        let errors: Vec<_> = diagnostics.iter().filter(|d| d.code == Code::Io).collect();
        assert_eq!(errors.len(), 1, "{refused}: {diagnostics:?}");
        assert!(errors[0].message.contains(refused), "{}", errors[0].message);
    }
}

#[test]
fn two_exports_are_byte_identical() {
    for format in Format::ALL {
        let a = all(&awkward(), format);
        let b = all(&awkward(), format);
        assert_eq!(a.bytes, b.bytes, "{format:?}");
    }
}

#[test]
fn qti_identifiers_agree_across_manifest_assessment_and_meta() {
    let files = unzip(&all(&awkward(), Format::Qti).bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "imsmanifest.xml",
            "non_cc_assessments/",
            "cp_awkward-course_practice_awkward/assessment_meta.xml",
            "cp_awkward-course_practice_awkward/cp_awkward-course_practice_awkward.xml",
            "cp_awkward-course_exam_awkward/assessment_meta.xml",
            "cp_awkward-course_exam_awkward/cp_awkward-course_exam_awkward.xml",
        ]
    );
    let manifest = &files[0].1;
    for id in [
        "cp_awkward-course_practice_awkward",
        "cp_awkward-course_exam_awkward",
    ] {
        assert!(manifest.contains(&format!(
            "<resource identifier=\"{id}\" type=\"imsqti_xmlv1p2\">"
        )));
        assert!(manifest.contains(&format!("<file href=\"{id}/{id}.xml\"/>")));
        assert!(manifest.contains(&format!("<dependency identifierref=\"{id}_meta\"/>")));
        assert!(manifest.contains(&format!("<resource identifier=\"{id}_meta\"")));
        let meta = &files
            .iter()
            .find(|(n, _)| *n == format!("{id}/assessment_meta.xml"))
            .unwrap()
            .1;
        assert!(meta.contains(&format!("<quiz identifier=\"{id}\"")));
        let body = &files
            .iter()
            .find(|(n, _)| *n == format!("{id}/{id}.xml"))
            .unwrap()
            .1;
        assert!(body.contains(&format!("<assessment ident=\"{id}\"")));
    }
    let exam_meta = &files[4].1;
    assert!(
        exam_meta
            .contains("<quiz_identifierref>cp_awkward-course_exam_awkward</quiz_identifierref>")
    );
}

#[test]
fn what_a_format_cannot_carry_is_a_warning_naming_the_question() {
    let loaded = awkward();
    let gift = messages(&all(&loaded, Format::Gift));
    assert_eq!(
        gift,
        [
            "GIFT: points are not carried, so these import worth 1 point (set the mark in Moodle, \
             or import the Moodle XML file): AW-Q2 (2 points), AW-Q6 (3 points), \
             AW-Q8 (2 points), AW-Q12 (4 points)",
            "GIFT: no place for an essay's rubric, so these import without it (grade with the \
             instructor key, or import the Moodle XML file): AW-Q6, AW-Q12",
            "GIFT: no place for a model answer, so these essays import without it: AW-Q6",
        ]
    );
    assert!(all(&loaded, Format::MoodleXml).diagnostics.is_empty());
    let qti = messages(&all(&loaded, Format::Qti));
    assert_eq!(qti.len(), 2, "{qti:?}");
    assert!(qti[0].starts_with("QTI: Canvas quizzes have no place for an essay's rubric"));
    assert!(qti[0].ends_with(": AW-Q6, AW-Q12"));
    assert!(qti[1].ends_with(": AW-Q6"));
}

#[test]
fn a_bank_selection_exports_only_that_bank() {
    let loaded = awkward();
    let practice = Selection {
        bank: BankSelection::Practice,
        ..Selection::default()
    };
    let gift = ex(&loaded, Format::Gift, &practice).unwrap();
    assert_eq!(gift.questions, 6);
    assert!(!text(&gift).contains("EXAM:"));
    assert!(!text(&gift).contains("/exam/"));
}

#[test]
fn a_form_is_exactly_that_forms_questions_in_form_order() {
    let loaded = awkward();
    let plan = Plan::new(&loaded.curriculum, &Options::default());
    let form = &plan.forms[1];
    let want: Vec<String> = form
        .items
        .iter()
        .map(|p| format!("B{:02} {}", p.number, p.question.id.get_ref()))
        .collect();
    let selection = Selection {
        form: Some('b'),
        ..Selection::default()
    };
    let gift = ex(&loaded, Format::Gift, &selection).unwrap();
    let gift = text(&gift);
    let names: Vec<String> = gift
        .lines()
        .filter_map(|l| l.strip_prefix("::"))
        .map(|l| l.split("::").next().unwrap().to_owned())
        .collect();
    assert_eq!(names, want);
    assert!(gift.contains("$CATEGORY: $course$/top/awkward-course/exam/form-b\n"));
    // Choices keep the printed form's order, so the LMS copy matches the paper key.
    let xml = ex(&loaded, Format::MoodleXml, &selection).unwrap();
    for question in text(&xml).split("<question type=\"multichoice\">").skip(1) {
        assert!(question.contains("<shuffleanswers>false</shuffleanswers>"));
    }
    let qti = unzip(&ex(&loaded, Format::Qti, &selection).unwrap().bytes);
    assert_eq!(
        qti[2].0,
        "cp_awkward-course_exam_form-b/assessment_meta.xml"
    );
    assert!(
        qti[2]
            .1
            .contains("<shuffle_answers>false</shuffle_answers>")
    );
    assert!(qti[2].1.contains("<time_limit>20</time_limit>"));
}

#[test]
fn forms_that_do_not_exist_are_errors() {
    let loaded = awkward();
    let ask = |form: char, bank: BankSelection| {
        let selection = Selection {
            bank,
            form: Some(form),
        };
        ex(&loaded, Format::Gift, &selection).unwrap_err()
    };
    assert_eq!(
        ask('C', BankSelection::All),
        ExportError::NoSuchForm {
            letter: 'C',
            forms: 2
        }
    );
    assert_eq!(
        ask('C', BankSelection::All).to_string(),
        "the course has 2 exam form(s), A to B; there is no form C"
    );
    assert_eq!(
        ask('A', BankSelection::Practice),
        ExportError::FormNeedsExamBank
    );
    let no_exam = load("tests/fixtures/valid/basic");
    let mut course = no_exam;
    course.curriculum.course.exam = None;
    let selection = Selection {
        form: Some('A'),
        ..Selection::default()
    };
    assert_eq!(
        ex(&course, Format::Qti, &selection).unwrap_err(),
        ExportError::NoExam
    );
}

#[test]
fn multiple_choice_credit_sums_to_100_and_wrong_choices_cost() {
    let choices = |correct: usize, wrong: usize| -> Vec<Choice> {
        (0..correct + wrong)
            .map(|i| Choice {
                html: i.to_string(),
                correct: i < correct,
            })
            .collect()
    };
    let credit = |c, w| choice_credit(true, &choices(c, w)).expect("Moodle has grades for it");
    assert_eq!(
        credit(3, 2),
        ["33.33333", "33.33333", "33.33333", "-50", "-50"]
    );
    assert_eq!(credit(2, 3)[..3], ["50", "50", "-33.33333"]);
    assert_eq!(
        choice_credit(false, &choices(1, 2)).unwrap(),
        ["100", "0", "0"]
    );
    // Moodle's importer (match_grade_options) rejects any grade off its list, and the whole
    // file with it: every credit we write is on it, the correct ones make 100% and ticking
    // every box scores nothing.
    for correct in 1..=MOODLE_MOST_CORRECT {
        for wrong in 1..=30 {
            let grades = credit(correct, wrong);
            assert!(
                grades.iter().all(|g| moodle_accepts(g)),
                "{correct} correct, {wrong} wrong: {grades:?}"
            );
            let values: Vec<f64> = grades.iter().map(|g| g.parse().unwrap()).collect();
            let right: f64 = values[..correct].iter().sum();
            assert!((right - 100.0).abs() < 0.001, "{correct}: {right}");
            assert!(values.iter().sum::<f64>() <= 0.001, "{correct}, {wrong}");
        }
    }
    assert!(!moodle_accepts("9.09091"), "Moodle rejects 1/11");
    assert_eq!(choice_credit(true, &choices(21, 1)), None);
    assert_eq!(percent(7), "14.28571");
    assert_eq!(percent(8), "12.5");
}

#[test]
fn an_unloaded_course_never_reaches_the_exporters() {
    let report = check(&Disk::new("/nonexistent/coursepack")).unwrap_err();
    assert!(report.has_errors());
}

#[test]
fn html_becomes_text_for_plain_fields() {
    assert_eq!(
        html_to_text("a <em>b</em> &amp; &lt;c&gt; &quot;d&quot;"),
        "a b & <c> \"d\""
    );
}

#[test]
fn a_seed_reorders_choices_but_not_questions() {
    let loaded = awkward();
    let seeded = Options {
        seed: Some(20_261_121),
        ..Options::default()
    };
    let plain = all(&loaded, Format::Gift);
    let plan = Plan::new(&loaded.curriculum, &seeded);
    let other = export(&plan, Format::Gift, &Selection::default()).unwrap();
    assert_ne!(plain.bytes, other.bytes);
    let sorted = |e: &Export| {
        let mut lines: Vec<String> = text(e).lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&plain), sorted(&other));
}

/// The first run of digits in an identifier, as Canvas's QTI importer reads an answer's id.
fn canvas_id(ident: &str) -> Option<u64> {
    let digits: String = ident
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Every `ident` of an element named `element` in `xml`.
fn idents<'a>(xml: &'a str, element: &str) -> Vec<&'a str> {
    let open = format!("<{element} ident=\"");
    xml.match_indices(&open)
        .filter_map(|(at, _)| {
            let rest = &xml[at + open.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

#[test]
fn qti_answer_ids_are_numbers_unique_in_each_quiz() {
    for fixture in ["tests/fixtures/valid/awkward", "tests/fixtures/valid/basic"] {
        let checked = load(fixture);
        let files = unzip(&all(&checked, Format::Qti).bytes);
        let mut matching = 0;
        for (name, xml) in files.iter().filter(|(n, _)| {
            n.ends_with(".xml") && !n.ends_with("assessment_meta.xml") && n.contains('/')
        }) {
            // Choices, true/false and matching right items: plain numbers. Matching left items:
            // `response_<n>`. Canvas keys each answer by the first run of digits, so they must
            // all differ within the quiz.
            let labels = idents(xml, "response_label");
            let lefts: Vec<&str> = idents(xml, "response_lid")
                .into_iter()
                .filter(|id| *id != "response1")
                .collect();
            matching += lefts.len();
            // A matching question lists its right items once per left item: the same answers.
            let mut seen: std::collections::BTreeMap<u64, &str> = Default::default();
            for id in labels.iter().filter(|id| **id != "answer1") {
                assert!(id.chars().all(|c| c.is_ascii_digit()), "{name}: {id}");
                let earlier = seen.insert(canvas_id(id).unwrap(), id);
                assert!(
                    earlier.is_none_or(|e| e == *id),
                    "{name}: {id} and {earlier:?}"
                );
            }
            for id in &lefts {
                assert!(id.starts_with("response_"), "{name}: {id}");
                let earlier = seen.insert(canvas_id(id).unwrap(), id);
                assert!(earlier.is_none(), "{name}: {id} and {earlier:?}");
            }
            // Scoring names the same ids the presentation shows.
            for (left, right) in
                xml.match_indices("<varequal respident=\"response_")
                    .map(|(at, _)| {
                        let rest = &xml[at + "<varequal respident=\"".len()..];
                        let (left, rest) = rest.split_once("\">").unwrap();
                        (left, rest.split_once('<').unwrap().0)
                    })
            {
                assert!(lefts.contains(&left), "{name}: {left}");
                assert!(labels.contains(&right), "{name}: {right}");
            }
        }
        assert!(matching > 0, "{fixture} exports a matching question");
    }
}

/// A group's source digest, which keys what the LMS writers copy from the last build, moves with
/// anything a writer prints of the group and stays put otherwise.
#[test]
fn a_group_digest_moves_with_what_its_writers_print() {
    let digests = |checked: &Checked| -> Vec<u128> {
        let plan = Plan::new(&checked.curriculum, &Options::default());
        let quiz = Quiz::new(&plan, &Selection::default()).unwrap();
        quiz.groups().map(|group| group.source).collect()
    };
    let loaded = awkward();
    let before = digests(&loaded);
    assert_eq!(
        before,
        digests(&awkward()),
        "the same source, the same digests"
    );
    type Edit = fn(&mut crate::model::Question);
    let edits: [(&str, Edit); 4] = [
        ("prompt", |q| {
            q.prompt = crate::model::Spanned::new(q.prompt.span(), format!("{}!", *q.prompt));
        }),
        ("explanation", |q| q.explanation = Some("Because.".into())),
        ("points", |q| q.points += 1),
        ("objectives", |q| q.objectives.clear()),
    ];
    for (what, edit) in edits {
        let mut changed = awkward();
        edit(&mut changed.curriculum.modules[0].module.questions[0]);
        let after = digests(&changed);
        assert_ne!(after[0], before[0], "{what}");
        assert_eq!(after[1..], before[1..], "{what}: only its group moves");
    }
    let mut retitled = awkward();
    let title = &mut retitled.curriculum.modules[0].module.title;
    *title = crate::model::Spanned::new(title.span(), format!("{}!", **title));
    assert_ne!(digests(&retitled)[0], before[0], "the module's title");
}
