//! Link and image URLs: only `http`, `https`, `mailto`, `tel` and relative URLs may appear in a
//! curriculum. Handouts are published on intranets and a curriculum arrives by pull request, so
//! a `javascript:` or `data:` link is an error where it is written, not a live link in a page.
//!
//! Every string value of a file is walked as Markdown (a link in a title is as unwelcome as one
//! in a body), and every `url` value is checked as a URL.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic};
use crate::markdown::{options, url_is_safe};
use crate::source::{FileId, SourceFile};

/// Reports every unsafe link or image URL in the string values of `table`.
pub(super) fn check(
    table: &DeTable<'_>,
    file: FileId,
    source: &SourceFile,
    out: &mut Vec<Diagnostic>,
) {
    for (key, value) in table {
        let is_url = key.get_ref() == "url";
        walk(value.get_ref(), value.span(), is_url, file, source, out);
    }
}

fn walk(
    value: &DeValue<'_>,
    span: Range<usize>,
    is_url: bool,
    file: FileId,
    source: &SourceFile,
    out: &mut Vec<Diagnostic>,
) {
    match value {
        DeValue::String(text) if is_url && !url_is_safe(text) => {
            out.push(unsafe_url(text, file, span, "this URL"));
        }
        DeValue::String(_) if is_url => {}
        DeValue::String(text) => markdown(text, span, file, source, out),
        DeValue::Array(items) => {
            for item in items {
                walk(item.get_ref(), item.span(), is_url, file, source, out);
            }
        }
        DeValue::Table(inner) => check(inner, file, source, out),
        _ => {}
    }
}

/// The links and images of one Markdown string whose TOML value is at `span`.
fn markdown(
    text: &str,
    span: Range<usize>,
    file: FileId,
    source: &SourceFile,
    out: &mut Vec<Diagnostic>,
) {
    // Cheap test first: no link or image can be written without one of these.
    if !text.contains(['(', '<', ']', ':']) {
        return;
    }
    let map = OffsetMap::new(source, span.clone());
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let (url, what) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, "this link"),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, "this image"),
            _ => continue,
        };
        if url_is_safe(url) {
            continue;
        }
        out.push(unsafe_url(url, file, map.map(text, range), what));
    }
}

fn unsafe_url(url: &str, file: FileId, span: Range<usize>, what: &str) -> Diagnostic {
    let shown: String = url.chars().take(60).collect();
    Diagnostic::error(
        Code::UnsafeLink,
        format!("{what} has a URL that handouts may not carry: \"{shown}\""),
    )
    .at(file, span)
    .label("not http, https, mailto, tel or a relative path")
    .help("link only to http(s):// pages, mailto: or tel: addresses, or relative paths; a `javascript:` or `data:` URL would run or load in the learner's browser")
}

/// From offsets in a string's value to offsets in its file, when the value is written so the two
/// agree (a literal string, or a basic string without escapes); otherwise the whole value.
struct OffsetMap {
    value: Range<usize>,
    content: Option<usize>,
}

impl OffsetMap {
    fn new(source: &SourceFile, value: Range<usize>) -> Self {
        let raw = source.text.get(value.clone()).unwrap_or("");
        // An unquoted value cannot happen; read it as a basic string.
        let (_, literal, opened) = super::strings::opening(raw).unwrap_or((1, false, 1));
        let start = value.start + opened;
        let body = source.text.get(start..value.end).unwrap_or("");
        let exact = literal || !body.contains('\\');
        OffsetMap {
            value,
            content: exact.then_some(start),
        }
    }

    fn map(&self, text: &str, range: Range<usize>) -> Range<usize> {
        match self.content {
            Some(start) if range.end <= text.len() => {
                // The link's first line: a multi-line link is shown where it starts.
                let line_end = text[range.clone()]
                    .find('\n')
                    .map_or(range.end, |i| range.start + i);
                start + range.start..start + line_end
            }
            _ => self.value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn problems(toml: &str) -> Vec<(String, String)> {
        let mut sources = Sources::default();
        let file = sources.add("m.toml".into(), toml.to_owned());
        let source = sources.get(file);
        let table = DeTable::parse(&source.text).unwrap();
        let mut out = Vec::new();
        check(table.get_ref(), file, source, &mut out);
        out.iter()
            .map(|d| match &d.location {
                Some(crate::diagnostic::Location::Span(_, span)) => {
                    (d.message.clone(), source.text[span.clone()].to_owned())
                }
                _ => (d.message.clone(), String::new()),
            })
            .collect()
    }

    #[test]
    fn unsafe_links_are_found_where_they_are_written() {
        let found = problems(
            "title = \"T\"\n[[sections]]\nbody = '''\nRead [this](javascript:alert(1)) now.'''\n",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "[this](javascript:alert(1))");
        let found = problems("goal = \"see <JavaScript:alert(1)>\"");
        assert_eq!(found[0].1, "<JavaScript:alert(1)>");
        // An escape in a basic string: the whole value is shown.
        let found = problems("goal = \"\\u0041 [x](data:text/html,hi)\"");
        assert_eq!(found[0].1, "\"\\u0041 [x](data:text/html,hi)\"");
        let found = problems("[[sources]]\nurl = \"javascript:alert(1)\"");
        assert_eq!(found[0].1, "\"javascript:alert(1)\"");
    }

    #[test]
    fn every_way_of_writing_a_link_is_walked() {
        for body in [
            "[a](&#106;avascript:alert(1))",
            "[a][r]\n\n[r]: javascript:alert(1)",
            "![img](data:image/png;base64,AAAA)",
            "[a](vbscript:x)",
            "[a]( JAVASCRIPT:x)",
            "[a](<java\tscript:x>)",
            // The scheme's `:` written only as an entity.
            "[a](javascript&#58;alert(1))",
            "[a](javascript&#x3A;alert(1))",
            "[a](javascript&colon;alert(1))",
        ] {
            let toml = format!("body = '''{body}'''");
            assert_eq!(problems(&toml).len(), 1, "{body}");
        }
        for body in [
            "[a](https://example.org)",
            "[a](mailto:x@example.org)",
            "[a](tel:+441234)",
            "[a](../guide.html#x)",
            "[a](#top)",
            "![i](img/a.png)",
            "a: b (c) [d]",
            "[a](guide.html) & [b](c.html)",
        ] {
            let toml = format!("body = '''{body}'''");
            assert!(problems(&toml).is_empty(), "{body}");
        }
    }
}
