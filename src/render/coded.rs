//! The built-in `question` macro (`html/macros.html`, `md/macros.md`) written as code.
//!
//! Checks, keys, exam forms and their keys print one question after another: at 1,000 modules
//! that is some 16,000 calls of one macro, and Tera's interpreting them was a tenth of a build.
//! With the built-in templates (a marked build, see [`super::defer`]), each question's part is
//! written by these functions instead, byte for byte what the macro prints: tests render every
//! question of every bundled course and valid fixture both ways. A course that overrides any
//! template renders every question with Tera.

use std::fmt::Write as _;

use super::view::{KeyView, QuestionView};
use crate::locale::Catalog;
use crate::markdown::place;

/// The rule a written answer is given in Markdown: the macro's line of escaped underscores.
const RULE: &str = r"\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_\_";

/// A question as the macro is given it: `q`, with `q.key` when the page is a key.
#[derive(Clone, Copy)]
pub(super) struct Question<'a> {
    pub q: &'a QuestionView,
    pub key: Option<&'a KeyView>,
}

/// `{{ m::question(q=q, key=.., level=level) }}` of `html/macros.html` (which reads `q.key`,
/// not `key`).
pub(super) fn html(question: Question<'_>, level: u8, catalog: &Catalog) -> String {
    let Question { q, key } = question;
    let t = |id: &str| catalog.text(id);
    let esc = |text: &str| tera::escape_html(text);
    let mut out = String::with_capacity(256 + q.prompt.html().len());
    let n = q.number;
    let _ = write!(
        out,
        "\n<section class=\"question\" id=\"q{n}\" aria-labelledby=\"q{n}-h\">\n<h{level} class=\"q-head\" id=\"q{n}-h\">{n}. <span class=\"points\">("
    );
    points(&mut out, q, catalog);
    let _ = writeln!(out, ")</span></h{level}>");
    out.push_str(&placed(&q.prompt, level + 1));
    out.push('\n');
    let correct = |label: &str| key.is_some_and(|k| k.correct.iter().any(|c| c == label));
    if !q.choices.is_empty() {
        out.push_str("<ul class=\"choices\">\n");
        for c in &q.choices {
            let right = correct(&c.label);
            out.push_str("\n<li");
            if right {
                out.push_str(" class=\"correct\"");
            }
            out.push_str("><span class=\"tick");
            if !q.multiple {
                out.push_str(" round");
            }
            let _ = write!(
                out,
                "\" aria-hidden=\"true\"></span><span><strong>{}.</strong> {}",
                esc(&c.label),
                c.text.html()
            );
            if right {
                let _ = write!(out, " <span class=\"badge\">{}</span>", t("correct"));
            }
            out.push_str("</span></li>\n");
        }
        out.push_str("\n</ul>\n\n");
    } else if !q.left.is_empty() {
        let _ = write!(
            out,
            "<div class=\"matching\">\n<div><p class=\"meta\">{}</p><ol>\n",
            t("write-the-letter-of-the-match-beside-each-number")
        );
        for (i, l) in q.left.iter().enumerate() {
            out.push_str("<li><span class=\"blank\">");
            if let Some(k) = key {
                out.push_str(&esc(k.matches.get(i).map_or("", String::as_str)));
            }
            let _ = writeln!(out, "</span> {}</li>", l.text.html());
        }
        out.push_str("</ol></div>\n<div><ul class=\"choices\">\n");
        for r in &q.right {
            let _ = writeln!(
                out,
                "<li><span><strong>{}.</strong> {}</span></li>",
                esc(&r.label),
                r.text.html()
            );
        }
        out.push_str("</ul></div>\n</div>\n\n");
    }
    if q.lines > 0 && key.is_none() {
        out.push_str("<div class=\"answer-lines\">");
        for _ in 0..q.lines {
            out.push_str("<span></span>");
        }
        out.push_str("</div>\n\n");
    }
    if let Some(k) = key {
        out.push_str("<div class=\"box notes\">\n");
        // The macro's `gap`: where an answer line is left out, a blank line.
        let mut gap;
        if k.accepted.is_empty() {
            gap = true;
        } else {
            let _ = writeln!(
                out,
                "<p><strong>{}</strong> {}</p>",
                t("accepted-answers"),
                esc(&k.accepted.join(" · "))
            );
            gap = false;
        }
        for kind in ["true-false", "matching"] {
            if q.kind == kind {
                if gap {
                    out.push('\n');
                }
                let _ = writeln!(
                    out,
                    "<p><strong>{}</strong> {}</p>",
                    t("answer-2"),
                    esc(&k.answer)
                );
                gap = false;
            } else {
                gap = true;
            }
        }
        if let Some(model) = &k.model_answer {
            if gap {
                out.push('\n');
            }
            let _ = write!(out, "<p><strong>{}</strong></p>", t("model-answer"));
            out.push_str(&placed(model, level + 1));
        }
        for (text, id) in [(&k.rubric, "rubric"), (&k.explanation, "why")] {
            if let Some(text) = text {
                let _ = write!(out, "\n<p><strong>{}</strong></p>", t(id));
                out.push_str(&placed(text, level + 1));
            }
        }
        let _ = write!(
            out,
            "\n<p class=\"meta\">{} · {} {}</p>\n</div>\n\n",
            esc(&q.id),
            t("objectives"),
            q.objectives
                .iter()
                .map(|o| esc(o))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    out.push_str("</section>\n");
    out
}

/// `{{ m::question(q=q, key=key) }}` of `md/macros.md` (which reads `key` for what to print).
pub(super) fn md(question: Question<'_>, key: bool, catalog: &Catalog) -> String {
    let Question { q, key: keyed } = question;
    let t = |id: &str| catalog.text(id);
    let mut out = String::with_capacity(256 + q.prompt.md.len());
    let _ = write!(out, "**{}.** {}\n\n*(", q.number, &*q.prompt.md);
    points(&mut out, q, catalog);
    out.push_str(")*");
    let correct = |label: &str| keyed.is_some_and(|k| k.correct.iter().any(|c| c == label));
    if !q.choices.is_empty() {
        out.push('\n');
        for c in &q.choices {
            let mark = if key && correct(&c.label) {
                t("x")
            } else {
                " ".to_owned()
            };
            let _ = write!(out, "\n- [{mark}] **{}.** {}", c.label, &*c.text.md);
        }
    } else if !q.left.is_empty() {
        out.push('\n');
        for (i, l) in q.left.iter().enumerate() {
            let _ = write!(out, "\n{}. ", l.label);
            if key {
                let matched = keyed.and_then(|k| k.matches.get(i));
                let _ = write!(out, "**{}**", matched.map_or("", String::as_str));
            } else {
                out.push_str(r"\_\_\_\_");
            }
            let _ = write!(out, " {}", &*l.text.md);
        }
        for (i, r) in q.right.iter().enumerate() {
            out.push('\n');
            if i == 0 {
                out.push('\n');
            }
            let _ = write!(out, "- **{}.** {}", r.label, &*r.text.md);
        }
    }
    if q.lines > 0 && !key {
        for _ in 0..q.lines {
            out.push_str("\n\n");
            out.push_str(RULE);
        }
    }
    if key {
        let k = keyed;
        let _ = write!(
            out,
            "\n\n> **{}** {}",
            t("answer-2"),
            k.map_or("", |k| &k.answer)
        );
        if let Some(k) = k {
            for (text, id) in [
                (&k.model_answer, "model-answer"),
                (&k.rubric, "rubric"),
                (&k.explanation, "why"),
            ] {
                if let Some(text) = text {
                    let _ = write!(
                        out,
                        "\n>\n> **{}** {}",
                        t(id),
                        super::defer::quote(&text.md)
                    );
                }
            }
        }
        let _ = write!(
            out,
            "\n>\n> *{} · {} {}*",
            q.id,
            t("objectives"),
            q.objectives.join(", ")
        );
    }
    out
}

/// What both macros print between the parentheses after a question's number: "2 points;
/// choose all that apply".
fn points(out: &mut String, q: &QuestionView, catalog: &Catalog) {
    let _ = write!(out, "{} {}", q.points, catalog.text("point"));
    if q.points != 1 {
        out.push_str(&catalog.text("s"));
    }
    if q.multiple {
        out.push_str("; ");
        out.push_str(&catalog.text("choose-all-that-apply"));
    }
}

/// `{{ text | placed(level=level) }}`.
fn placed(text: &super::text::Text, level: u8) -> String {
    place(text.html(), text.headings(), level)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::check::check;
    use crate::plan::{Options, Plan};
    use crate::render::view::{KeyedQuestion, QuestionView, RenderedQuestions};
    use crate::source::Disk;

    const COURSES: [&str; 4] = [
        "curricula/police-community-relations",
        "curricula/roll-call-de-escalation",
        "tests/fixtures/valid/awkward",
        "tests/fixtures/valid/basic",
    ];

    /// Every question of every check and form, in every language of every bundled course and
    /// valid fixture, as a learner's question and as a key's, at both levels the pages use.
    #[test]
    fn every_question_prints_as_the_macro_prints_it() {
        let mut compared = 0;
        for course in COURSES {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(course);
            let checked = check(&Disk::new(dir)).expect("the course checks");
            let options = Options::default();
            let mut plans = vec![
                Plan::new(&checked.curriculum, &options)
                    .with_catalog(checked.catalogs.get(&checked.curriculum.course.language)),
            ];
            for translated in &checked.translations {
                let lang = translated.course.language.as_str();
                plans
                    .push(Plan::new(translated, &options).with_catalog(checked.catalogs.get(lang)));
            }
            for plan in &plans {
                let templates = checked
                    .templates
                    .with_catalog(plan.catalog.clone())
                    .with_raw(
                        "test/question.html",
                        r#"{% import "html/macros.html" as m %}{{ m::question(q=q, key=key, level=level) }}"#,
                    )
                    .with_raw(
                        "test/question.md",
                        r#"{% import "md/macros.md" as m %}{{ m::question(q=q, key=key) }}"#,
                    );
                let tera = |name: &str, context: serde_json::Value| {
                    let context = tera::Context::from_serialize(context).unwrap();
                    templates
                        .render(name, &context, &checked.report.sources)
                        .unwrap()
                };
                let rendered = RenderedQuestions::default();
                let placed = plan
                    .checks
                    .iter()
                    .flatten()
                    .chain(plan.forms.iter().flat_map(|f| &f.items));
                for p in placed {
                    let learner = QuestionView::new(p, &plan.catalog, &rendered);
                    let keyed = KeyedQuestion::new(p, &plan.catalog, &rendered);
                    let plain = Question {
                        q: &learner,
                        key: None,
                    };
                    let key = Question {
                        q: &keyed.question,
                        key: Some(&keyed.key),
                    };
                    let both = [
                        (plain, serde_json::to_value(&learner).unwrap(), false),
                        (key, serde_json::to_value(&keyed).unwrap(), true),
                    ];
                    for (question, q, key) in both {
                        let what = format!("{course}: {} (key: {key})", learner.id);
                        for level in [2, 3] {
                            let json = serde_json::json!({"q": q, "key": key, "level": level});
                            let macro_html = tera("test/question.html", json);
                            assert_eq!(html(question, level, &plan.catalog), macro_html, "{what}");
                        }
                        let json = serde_json::json!({"q": q, "key": key});
                        let macro_md = tera("test/question.md", json);
                        assert_eq!(md(question, key, &plan.catalog), macro_md, "{what}");
                    }
                    compared += 1;
                }
            }
        }
        assert!(compared > 100, "only {compared} questions compared");
    }
}
