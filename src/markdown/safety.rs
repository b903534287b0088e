//! What course text may not carry into a handout: unsafe link schemes, and raw HTML in the
//! Markdown copy.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::options;

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
    clean_url_is_safe(&cleaned)
}

/// [`url_is_safe`] of a URL with no whitespace or control character in it, which needs no
/// cleaning.
pub fn clean_url_is_safe(cleaned: &str) -> bool {
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
    let at = raw_html_at(markdown);
    if at.is_empty() {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len() + at.len());
    out.extend(escaped_runs(markdown, &at));
    out.into()
}

/// The page [`escape_raw_html`] makes, as runs to write one after another: the text between
/// the offsets `at` (from [`raw_html_at`]), each followed by the `\` that escapes the next `<`.
pub fn escaped_runs<'a>(markdown: &'a str, at: &'a [usize]) -> impl Iterator<Item = &'a str> {
    let starts = std::iter::once(0).chain(at.iter().copied());
    let ends = at.iter().copied().map(Some).chain(std::iter::once(None));
    starts.zip(ends).flat_map(move |(from, to)| match to {
        Some(to) => [&markdown[from..to], "\\"],
        None => [&markdown[from..], ""],
    })
}

/// Where [`escape_raw_html`] writes its `\`: the offsets of the `<`s it escapes, in order.
pub fn raw_html_at(markdown: &str) -> Vec<usize> {
    if !markdown.contains('<') {
        return Vec::new();
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
    at.sort_unstable();
    at.dedup();
    at
}

/// Whether Markdown that follows `markdown` after a blank line starts at the top level, between
/// blocks: no fenced code block or HTML block is left open (they alone run on past a blank line
/// and a heading). Only then may a page's Markdown be escaped a run at a time by
/// [`escape_raw_html`], cut there. Without a backtick, tilde or `<`, no such block can open.
pub fn ends_between_blocks(markdown: &str) -> bool {
    if !markdown.contains(['`', '~', '<']) {
        return true;
    }
    // A heading after a blank line starts where it is written only outside such a block.
    let probe = format!("{markdown}\n\n# x\n");
    let at = markdown.len() + 2;
    Parser::new_ext(&probe, options())
        .into_offset_iter()
        .any(|(event, range)| {
            matches!(event, Event::Start(Tag::Heading { .. })) && range.start == at
        })
}

#[cfg(test)]
mod tests {
    use super::super::{Placement, to_html};
    use super::*;

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
    fn only_an_open_fence_or_html_block_runs_on_past_a_blank_line() {
        for open in [
            "```\n<b>x</b>",
            "~~~\ncode",
            "<pre>\nkept",
            "<!-- a comment\n\nstill",
            "<script>\nlet x = 1;",
        ] {
            assert!(!ends_between_blocks(open), "{open:?}");
        }
        for closed in [
            "",
            "plain text",
            "- a list\n- with <b>raw</b> HTML",
            "> a quote with `code`",
            "```\ncode\n```",
            "<div>\nblock\n</div>",
            "<pre>\nx\n</pre>",
            "| a | b |\n|---|---|\n| `<` | ~ |",
            "    indented code <x>",
            "text\n\n    ```\n",
        ] {
            assert!(ends_between_blocks(closed), "{closed:?}");
        }
    }

    #[test]
    fn a_page_escaped_in_runs_cut_between_blocks_is_the_page_escaped_whole() {
        let runs = [
            "# Title <x>\n\n- a <b>list</b>",
            "\n\n## One\n\n<pre>\nopen",
            "\n\n## Two\n\nin <pre> still\n</pre>",
            "\n\n## Three\n\n```\n<b>open code</b>",
            "\n\n## Four\n\n<b>in code</b>",
        ];
        let whole = escape_raw_html(&runs.concat()).into_owned();
        let (mut out, mut open) = (String::new(), String::new());
        for run in runs {
            if ends_between_blocks(&open) {
                out.push_str(&escape_raw_html(&std::mem::take(&mut open)));
            }
            open.push_str(run);
        }
        out.push_str(&escape_raw_html(&open));
        assert_eq!(out, whole);
    }
}
