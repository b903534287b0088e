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
use crate::markdown::{clean_url_is_safe, options, url_is_safe};
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
    // Parsing every text would cost as much as rendering the course: most are plainly safe.
    if plainly_safe(text) {
        return;
    }
    unsafe_links(text, span, file, source, out);
}

/// [`markdown`] the long way: every link and image the parser finds.
fn unsafe_links(
    text: &str,
    span: Range<usize>,
    file: FileId,
    source: &SourceFile,
    out: &mut Vec<Diagnostic>,
) {
    let map = OffsetMap::new(source, span.clone());
    let mut events = Parser::new_ext(text, options()).into_offset_iter();
    let mut reported = Vec::new();
    for (event, range) in events.by_ref() {
        let (url, what) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, "this link"),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, "this image"),
            _ => continue,
        };
        if url_is_safe(url) {
            continue;
        }
        out.push(unsafe_url(url, file, map.map(text, range), what));
        reported.push(url.to_string());
    }
    // A definition no link of this text uses still reaches a page: the Markdown copies put
    // every body of the course in one file, where a link in another body can use it.
    let mut unused: Vec<_> = events
        .reference_definitions()
        .iter()
        .map(|(_, definition)| definition)
        .filter(|d| !url_is_safe(&d.dest) && !reported.iter().any(|url| *url == *d.dest))
        .collect();
    unused.sort_by_key(|d| d.span.start);
    for definition in unused {
        let at = map.map(text, definition.span.clone());
        out.push(unsafe_url(
            &definition.dest,
            file,
            at,
            "this link definition",
        ));
    }
}

/// Whether every link and image `text` can hold is safe, seen without parsing it. A link or an
/// image is written inline (`[text](destination)`), through a reference defined in the same text
/// (`[label]: destination`), or as an autolink (`<scheme:…>`). So a text with no `]:` and no `<`
/// holds only inline ones, each destination starting right after a `](`; when every `](` is
/// followed by a destination written plainly (no whitespace first, no escape, entity,
/// parenthesis, quote or control character before the `)` or space that ends it), that is the
/// destination the parser reads, and [`url_is_safe`] judges it as it would. Anything else is
/// parsed.
fn plainly_safe(text: &str) -> bool {
    if memchr(b'<', text) {
        return false;
    }
    text.match_indices(']').all(|(at, _)| {
        let rest = &text[at + 1..];
        match rest.as_bytes().first() {
            Some(b':') => false,
            Some(b'(') => plain_destination(&rest[1..]),
            _ => true,
        }
    })
}

/// Whether the text after a `](` starts with a destination written plainly that
/// [`url_is_safe`] accepts.
fn plain_destination(rest: &str) -> bool {
    let Some(end) = rest.find([')', ' ']) else {
        return false;
    };
    let destination = &rest[..end];
    if destination.is_empty() {
        // `[a]()` links to nothing; a space first may lead to any destination.
        return rest.starts_with(')');
    }
    let plain = !destination
        .chars()
        .any(|c| c.is_control() || matches!(c, '\\' | '&' | '(' | '"' | '\'' | '>'));
    // Without whitespace or control characters, the URL needs no cleaning.
    plain && clean_url_is_safe(destination)
}

/// Whether `text` holds `byte`.
fn memchr(byte: u8, text: &str) -> bool {
    text.as_bytes().contains(&byte)
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
        // A definition no link here uses: another body's link could, in a Markdown copy.
        let found = problems("body = '''Plain.\n\n[r]: javascript:alert(1)'''");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "[r]: javascript:alert(1)");
        assert!(found[0].0.starts_with("this link definition"), "{found:?}");
        // Used here, it is reported once, at the link.
        let found = problems("body = '''[a][r]\n\n[r]: javascript:alert(1)'''");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "[a][r]");
    }

    #[test]
    fn a_text_seen_as_plainly_safe_is_one_the_parser_finds_safe() {
        let unsafe_ones = [
            "[a](javascript:x)",
            "[a]( javascript:x)",
            "[a](\njavascript:x)",
            "[a](java\tscript:x)",
            "[a](&#106;avascript:x)",
            "[a](java\\script:x)",
            "[a](javascript\"x:y)",
            "[a](java(x)script:y)",
            "[a [b](https://x)](javascript:y)",
            "[a][r]\n\n[r]: javascript:x",
            "[r]\n\n[r]: javascript:x",
            "<javascript:x>",
            "![i](data:image/png;base64,AAAA)",
            "[a](javascript:x",
        ];
        for text in unsafe_ones {
            assert!(!plainly_safe(text), "{text:?}");
        }
        let safe_ones = [
            "plain text: (a) [b]",
            "[a](https://example.org/x) and ![i](img/a.png)",
            "[a](https://example.org \"title\")",
            "[a](#top), [b](mailto:x@example.org), [c]()",
        ];
        for text in safe_ones {
            assert!(plainly_safe(text), "{text:?}");
            assert!(
                problems(&format!("body = '''{text}'''")).is_empty(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn no_mix_of_link_syntax_seen_as_plainly_safe_holds_an_unsafe_link() {
        let pieces = [
            "[",
            "]",
            "(",
            ")",
            "](",
            "![",
            " ",
            "\n",
            "\t",
            "javascript:",
            "JavaScript:",
            "data:",
            "https://x",
            "http:",
            "mailto:a",
            "a",
            "b:",
            "&#106;",
            "avascript:",
            "&colon;",
            "\\",
            "\"",
            "'",
            "`",
            "<",
            ">",
            ":",
            "#",
            "/",
            "?",
            "*",
            "[^1]",
            "\n\n",
            "    ",
            "```\n",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        let mut safe = 0;
        for _ in 0..20_000 {
            let mut text: String = (0..next(6)).map(|_| pieces[next(pieces.len())]).collect();
            // Most texts write a destination after a `](`, the way links are written.
            if next(4) > 0 {
                text.push_str("](");
                text.extend((0..1 + next(3)).map(|_| pieces[next(pieces.len())]));
                text.push_str([")", " ", ""][next(3)]);
                text.extend((0..next(3)).map(|_| pieces[next(pieces.len())]));
            }
            if plainly_safe(&text) {
                safe += 1;
                let mut sources = Sources::default();
                let file = sources.add("m.toml".into(), String::new());
                let mut out = Vec::new();
                unsafe_links(&text, 0..0, file, sources.get(file), &mut out);
                assert!(out.is_empty(), "{text:?} is seen as safe");
            }
        }
        // The property is not vacuous: many texts take the quick way.
        assert!(safe > 1_000, "{safe}");
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
