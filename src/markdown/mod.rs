//! The one Markdown entry point: every body in every artefact goes through [`to_html`], and the
//! same function is the `markdown` filter in templates.
//!
//! Raw HTML in a body is shown as text, never passed through: course text cannot break the page
//! structure, inject scripts, or smuggle markup into an LMS import. Footnote ids are prefixed so
//! that many bodies can share one page (in the Markdown copy too, see [`prefix_footnotes`]).
//!
//! Headings have one mechanism. A body's headings are ranked (its highest level is rank 1, the
//! next rank 2, …) and written at `level + rank - 1`, at most 6, where `level` is where the
//! body's top heading belongs. [`render`] also records, from the same pass, where each heading
//! tag's level digit is and its rank ([`Rendered::headings`]), so a body rendered once can be
//! placed at another depth by [`place`], which only rewrites those digits: no second parse, no
//! search through the HTML. Templates do it with the `placed(level=N)` filter.

use std::fmt::Write;

mod headings;
mod safety;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use headings::{heading_digits, placed_level};
pub use headings::{place, prefix_footnotes};
pub use safety::{
    SAFE_SCHEMES, clean_url_is_safe, ends_between_blocks, escape_raw_html, escaped_runs,
    raw_html_at, url_is_safe,
};

/// How a body is placed in its page.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    /// The level of the body's top heading (`#` in a body under an `<h3>` belongs at 4).
    pub level: u8,
    /// Makes footnote ids unique in the page; empty for a body alone on its page.
    pub id_prefix: &'a str,
}

impl Default for Placement<'_> {
    fn default() -> Self {
        Placement {
            level: 1,
            id_prefix: "",
        }
    }
}

/// A body as HTML, with where its heading levels are written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The HTML fragment.
    pub html: String,
    /// For every heading tag, opening and closing, in order: the byte offset of its level
    /// digit in `html` and the heading's rank in the body (1 for its highest level).
    pub headings: Vec<(usize, u8)>,
}

/// The Markdown extensions every body may use: tables, footnotes, strikethrough, task lists.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders Markdown to an HTML fragment.
///
/// Heading levels are ranked first (the body's highest level becomes 1, the next 2, …) and then
/// placed, so a body written with `##` and `####` still nests without skipping a level.
pub fn to_html(markdown: &str, placement: Placement<'_>) -> String {
    render(markdown, placement).html
}

/// Renders Markdown to an HTML fragment and records where its headings are.
pub fn render(markdown: &str, placement: Placement<'_>) -> Rendered {
    let parsed: Vec<Event<'_>> = Parser::new_ext(markdown, options()).collect();
    let mut levels: Vec<HeadingLevel> = parsed
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level),
            _ => None,
        })
        .collect();
    levels.sort();
    levels.dedup();
    let rank = |level: HeadingLevel| levels.iter().position(|l| *l == level).unwrap_or(0) + 1;
    let place = |level: HeadingLevel| {
        HeadingLevel::try_from(placed_level(placement.level, rank(level)))
            .unwrap_or(HeadingLevel::H6)
    };
    let mut ranks: Vec<u8> = Vec::new();
    let mut footnotes: Vec<String> = Vec::new();
    // Whether each open link or image was kept: `check` refuses unsafe URLs, and one that
    // reaches here anyway (a caller that did not check) is shown as its text, never as a link.
    let mut kept: Vec<bool> = Vec::new();
    let events = parsed.into_iter().filter_map(|event| {
        Some(match event {
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let safe = url_is_safe(dest_url);
                kept.push(safe);
                if !safe {
                    return None;
                }
                event
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if !kept.pop().unwrap_or(true) {
                    return None;
                }
                event
            }
            other => other,
        })
    });
    let events = events.map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            ranks.push(rank(level) as u8);
            Event::Start(Tag::Heading {
                level: place(level),
                id,
                classes,
                attrs,
            })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(place(level))),
        Event::FootnoteReference(label) => {
            let number = footnote_number(&mut footnotes, &label);
            let id = footnote_id(placement.id_prefix, &label);
            Event::Html(CowStr::from(format!(
                "<sup class=\"footnote-reference\" id=\"{id}-ref\"><a href=\"#{id}\">{number}</a></sup>"
            )))
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let number = footnote_number(&mut footnotes, &label);
            let id = footnote_id(placement.id_prefix, &label);
            Event::Html(CowStr::from(format!(
                "<div class=\"footnote-definition\" id=\"{id}\"><sup class=\"footnote-definition-label\">{number}</sup>"
            )))
        }
        Event::End(TagEnd::FootnoteDefinition) => Event::Html(CowStr::from("</div>\n")),
        other => other,
    });
    // After raw HTML became text above: these are the only tags added.
    let events = events.flat_map(|event| {
        // A wide table scrolls inside its own box on a phone instead of widening the page.
        let (before, after) = match &event {
            Event::Start(Tag::Table(_)) => (
                Some(Event::Html(CowStr::from("<div class=\"table-wrap\">"))),
                None,
            ),
            Event::End(TagEnd::Table) => (None, Some(Event::Html(CowStr::from("</div>\n")))),
            _ => (None, None),
        };
        before
            .into_iter()
            .chain(std::iter::once(event))
            .chain(after)
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    let headings = heading_digits(&out, &ranks);
    Rendered {
        html: out,
        headings,
    }
}

/// Renders Markdown that must stay on one line (a prompt in a table cell, a choice): the
/// paragraph wrapper is dropped.
pub fn to_inline_html(markdown: &str) -> String {
    let html = to_html(
        &escape_block_start(markdown.trim_start()),
        Placement::default(),
    );
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_owned(),
        _ => trimmed.to_owned(),
    }
}

/// A choice such as "# of officers" or "1. Listen" is text, not a heading or a list: escape the
/// character that would start a block.
fn escape_block_start(text: &str) -> std::borrow::Cow<'_, str> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let after_digits = text[digits..].chars().next();
    if digits > 0 && matches!(after_digits, Some('.' | ')')) {
        return format!("{}\\{}", &text[..digits], &text[digits..]).into();
    }
    let mut chars = text.chars();
    let list_marker = matches!(chars.next(), Some('-' | '+' | '*'))
        && chars.next().is_none_or(char::is_whitespace);
    if list_marker || text.starts_with(['#', '>']) {
        return format!("\\{text}").into();
    }
    text.into()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn footnote_number(seen: &mut Vec<String>, label: &str) -> usize {
    match seen.iter().position(|l| l == label) {
        Some(i) => i + 1,
        None => {
            seen.push(label.to_owned());
            seen.len()
        }
    }
}

fn footnote_id(prefix: &str, label: &str) -> String {
    let mut id = String::from(if prefix.is_empty() { "fn" } else { prefix });
    if !prefix.is_empty() {
        id.push_str("-fn");
    }
    id.push('-');
    for c in label.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            id.push(c);
        } else {
            let _ = write!(id, "_{:x}", c as u32);
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_footnotes_strikethrough_and_task_lists_render() {
        let html = to_html(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ y[^n]\n\n- [x] done\n\n[^n]: note",
            Placement::default(),
        );
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("<del>x</del>"), "{html}");
        assert!(html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("href=\"#fn-n\""), "{html}");
        assert!(html.contains("id=\"fn-n\""), "{html}");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html(
            "<script>alert(1)</script> and <b>bold</b>",
            Placement::default(),
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
    }

    #[test]
    fn an_unsafe_link_that_reaches_the_renderer_is_text() {
        let html = to_html(
            "[go](javascript:alert(1)) ![i](data:x) [ok](https://a.example)",
            Placement::default(),
        );
        assert!(!html.contains("javascript"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(html.contains("go"), "{html}");
        assert!(
            html.contains("<a href=\"https://a.example\">ok</a>"),
            "{html}"
        );
    }

    #[test]
    fn headings_shift_and_footnotes_take_the_prefix() {
        let html = to_html(
            "# Title\n\nText[^1]\n\n[^1]: A note.",
            Placement {
                level: 3,
                id_prefix: "m1-s2",
            },
        );
        assert!(html.contains("<h3>Title</h3>"), "{html}");
        assert!(html.contains("id=\"m1-s2-fn-1\""), "{html}");
        assert!(html.contains("href=\"#m1-s2-fn-1\""), "{html}");
        let ranked = render(
            "## A\n\n#### B",
            Placement {
                level: 4,
                id_prefix: "",
            },
        );
        assert_eq!(ranked.html, "<h4>A</h4>\n<h5>B</h5>\n");
        assert_eq!(
            place(&ranked.html, &ranked.headings, 2),
            "<h2>A</h2>\n<h3>B</h3>\n"
        );
    }

    #[test]
    fn inline_html_drops_the_paragraph() {
        assert_eq!(to_inline_html("a **b**"), "a <strong>b</strong>");
        assert_eq!(to_inline_html("# of officers"), "# of officers");
        assert_eq!(to_inline_html("1. Listen"), "1. Listen");
        assert_eq!(to_inline_html("- a dash"), "- a dash");
        assert_eq!(
            to_inline_html("*emphasis* stays"),
            "<em>emphasis</em> stays"
        );
        assert_eq!(escape_html("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
    }
}
