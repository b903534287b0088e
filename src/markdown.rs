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

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

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

/// The URL schemes a link or image may use; anything else but a relative URL is refused.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Whether `url` is relative or uses one of [`SAFE_SCHEMES`], read as a browser reads it:
/// surrounding blanks and control characters dropped, tabs and newlines inside removed, the
/// scheme case-insensitive. Anything with a colon before its first `/`, `?` or `#` that is not
/// a safe scheme is refused, so no spelling of `javascript:` can pass.
pub fn url_is_safe(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let head_end = cleaned.find(['/', '?', '#']).unwrap_or(cleaned.len());
    match cleaned[..head_end].find(':') {
        None => true,
        Some(colon) => {
            let scheme = &cleaned[..colon];
            SAFE_SCHEMES.iter().any(|s| scheme.eq_ignore_ascii_case(s))
        }
    }
}

/// The Markdown copy of a page with raw HTML shown as text, as the HTML copy shows it: every
/// `<` that starts raw HTML, or that looks like a tag in text (`<img src=x onerror=a=1>` is text
/// to CommonMark but a tag to laxer renderers), is escaped as `\\<`. Code is left alone, and a
/// page without such a `<` comes back unchanged.
pub fn escape_raw_html(markdown: &str) -> std::borrow::Cow<'_, str> {
    if !markdown.contains('<') {
        return markdown.into();
    }
    let tag_like = |after: &str| {
        after.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'))
    };
    let mut at: Vec<usize> = Vec::new();
    let mut in_code = false;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            _ => {}
        }
        let raw_html = matches!(event, Event::Html(_) | Event::InlineHtml(_));
        let text = matches!(event, Event::Text(_)) && !in_code;
        if !raw_html && !text {
            continue;
        }
        let Some(raw) = markdown.get(range.clone()) else {
            continue;
        };
        for (i, _) in raw.match_indices('<') {
            let i = range.start + i;
            let escaped = markdown[..i].ends_with('\\');
            if raw_html || (!escaped && tag_like(&markdown[i + 1..])) {
                at.push(i);
            }
        }
    }
    if at.is_empty() {
        return markdown.into();
    }
    at.sort_unstable();
    at.dedup();
    let mut out = String::with_capacity(markdown.len() + at.len());
    let mut from = 0;
    for i in at {
        out.push_str(&markdown[from..i]);
        out.push('\\');
        from = i;
    }
    out.push_str(&markdown[from..]);
    out.into()
}

/// `level + rank - 1`, kept within h1..h6.
fn placed_level(level: u8, rank: usize) -> usize {
    (usize::from(level.max(1)) + rank - 1).clamp(1, 6)
}

/// The level digit of every heading tag pulldown-cmark wrote, paired with its heading's rank.
/// Raw HTML never passes through [`render`] and text has `<` escaped, so `<h` followed by a
/// digit only ever starts a heading tag that the renderer wrote, one per rank recorded.
fn heading_digits(html: &str, ranks: &[u8]) -> Vec<(usize, u8)> {
    let mut digits = Vec::with_capacity(ranks.len() * 2);
    if ranks.is_empty() {
        return digits;
    }
    let bytes = html.as_bytes();
    let (mut next, mut open) = (0, 0);
    let mut at = 0;
    while let Some(found) = html[at..].find('<').map(|i| at + i) {
        let closing = bytes.get(found + 1) == Some(&b'/');
        let h = found + 1 + usize::from(closing);
        at = found + 1;
        if bytes.get(h) != Some(&b'h') || !matches!(bytes.get(h + 1), Some(b'1'..=b'6')) {
            continue;
        }
        let digit = h + 1;
        if closing {
            digits.push((digit, open));
        } else if let Some(&rank) = ranks.get(next) {
            open = rank;
            next += 1;
            digits.push((digit, rank));
        }
    }
    digits
}

/// The same HTML with every heading moved so the body's top heading is at `level`: only the
/// digits [`render`] recorded are rewritten.
pub fn place(html: &str, headings: &[(usize, u8)], level: u8) -> String {
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for &(at, rank) in headings {
        if at >= html.len() || at < from || !html.is_char_boundary(at) {
            continue;
        }
        out.push_str(&html[from..at]);
        let digit = placed_level(level, usize::from(rank.max(1))) as u8;
        out.push(char::from(b'0' + digit));
        from = at + 1;
    }
    out.push_str(&html[from..]);
    out
}

/// The Markdown with every footnote label made unique by `prefix` (`[^1]` becomes
/// `[^m-s2-1]`), so many bodies can share one Markdown page as their HTML ids already do.
/// Nothing else in the text changes.
pub fn prefix_footnotes<'a>(markdown: &'a str, prefix: &str) -> std::borrow::Cow<'a, str> {
    if prefix.is_empty() || !markdown.contains("[^") {
        return markdown.into();
    }
    let mut inserts: Vec<usize> = Parser::new_ext(markdown, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => markdown
                [range.clone()]
            .find("[^")
            .map(|i| range.start + i + 2),
            _ => None,
        })
        .collect();
    if inserts.is_empty() {
        return markdown.into();
    }
    inserts.sort_unstable();
    inserts.dedup();
    let mut out = String::with_capacity(markdown.len() + inserts.len() * (prefix.len() + 1));
    let mut from = 0;
    for at in inserts {
        out.push_str(&markdown[from..at]);
        out.push_str(prefix);
        out.push('-');
        from = at;
    }
    out.push_str(&markdown[from..]);
    out.into()
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
    fn unsafe_urls_are_refused_in_every_spelling() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:x",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
            "c:x",
        ] {
            assert!(!url_is_safe(url), "{url}");
        }
        for url in [
            "https://example.org",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+1",
            "../a.html",
            "#top",
            "a/b:c",
            "?q=a:b",
            "",
        ] {
            assert!(url_is_safe(url), "{url}");
        }
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
    fn raw_html_is_escaped_in_the_markdown_copy() {
        assert_eq!(
            escape_raw_html("# T <script>x</script>\n\n<div>\nb\n</div>\n"),
            "# T \\<script>x\\</script>\n\n\\<div>\nb\n\\</div>\n"
        );
        assert_eq!(
            escape_raw_html("a <img src=x onerror=a=1>"),
            "a \\<img src=x onerror=a=1>"
        );
        let plain = "a < b, <https://example.org>, `<code>`, \\<kept>\n\n    <indented>\n";
        assert_eq!(escape_raw_html(plain), plain);
        // Shown as text: the escaped copy renders to what the HTML copy shows.
        let body = "x <b>y</b> <img src=x onerror=a=1>";
        assert_eq!(
            to_html(&escape_raw_html(body), Placement::default()),
            to_html(body, Placement::default())
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

    #[test]
    fn headings_are_placed_from_what_the_render_recorded() {
        let body = "# A\n\ntext <h2>not a heading</h2> and <hr>\n\n## B\n\n### C\n\n#### D\n\n- # In a list";
        let rendered = render(body, Placement::default());
        // Four ranks plus the heading in the list item (rank 1): ten tag digits.
        assert_eq!(rendered.headings.len(), 10, "{}", rendered.html);
        assert!(rendered.html.contains("&lt;h2&gt;not a heading&lt;/h2&gt;"));
        for level in 1..=6u8 {
            let placed = place(&rendered.html, &rendered.headings, level);
            let direct = to_html(
                body,
                Placement {
                    level,
                    id_prefix: "",
                },
            );
            assert_eq!(placed, direct, "level {level}");
        }
        let deep = place(&rendered.html, &rendered.headings, 5);
        assert!(deep.contains("<h5>A</h5>"), "{deep}");
        assert!(
            deep.contains("<h6>B</h6>") && deep.contains("<h6>D</h6>"),
            "{deep}"
        );
        assert!(deep.contains("&lt;h2&gt;"), "{deep}");
        assert_eq!(place("<p>x</p>", &[], 3), "<p>x</p>");
    }

    #[test]
    fn footnote_labels_take_the_prefix_in_markdown() {
        let body = "One[^1] and two[^note].\n\n[^1]: First.\n[^note]: Second, see [^1].\n\n`[^1]` in code stays.";
        let prefixed = prefix_footnotes(body, "m-s2");
        assert_eq!(
            prefixed,
            "One[^m-s2-1] and two[^m-s2-note].\n\n[^m-s2-1]: First.\n[^m-s2-note]: Second, see [^m-s2-1].\n\n`[^1]` in code stays."
        );
        assert_eq!(prefix_footnotes(body, ""), body);
        assert_eq!(
            prefix_footnotes("no notes [^ here", "p"),
            "no notes [^ here"
        );
        // The prefixed copy renders to the same notes, under new labels.
        let html = to_html(&prefixed, Placement::default());
        assert_eq!(html.matches("footnote-definition\"").count(), 2, "{html}");
    }
}
