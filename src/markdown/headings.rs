//! One heading mechanism, and footnote labels made unique per body: see the module docs of
//! [`super`].

use pulldown_cmark::{Event, Parser, Tag};

use super::options;

/// `level + rank - 1`, kept within h1..h6.
pub(super) fn placed_level(level: u8, rank: usize) -> usize {
    (usize::from(level.max(1)) + rank - 1).clamp(1, 6)
}

/// The level digit of every heading tag pulldown-cmark wrote, paired with its heading's rank.
/// Raw HTML never passes through [`render`] and text has `<` escaped, so `<h` followed by a
/// digit only ever starts a heading tag that the renderer wrote, one per rank recorded.
pub(super) fn heading_digits(html: &str, ranks: &[u8]) -> Vec<(usize, u8)> {
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

#[cfg(test)]
mod tests {
    use super::super::{Placement, render, to_html};
    use super::*;

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
