//! Pages whose contexts hold no copy of their texts.
//!
//! A page's context is a JSON tree, and a whole-course page's tree would otherwise copy every
//! module's Markdown and HTML into it. While [`context`] builds a context, each non-empty
//! [`Text`](super::Text) is written as marks instead: short strings in the Unicode private use
//! area that name the text and what the template asked of it (its Markdown, its HTML, its HTML
//! `placed` at a level, its Markdown `quoted`). The template renders a skeleton around the marks,
//! and [`splice`] writes the page with each mark replaced by what a context holding the text
//! would have printed, so the page is byte for byte the same. The built-in templates only print
//! texts or pass them to `placed` and `quoted`; a course's own templates may do anything with a
//! text, so pages render from full contexts when a course overrides a template, or when its
//! source itself holds the mark character.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use serde::Serialize;

use super::text::Body;

/// Opens every mark.
const OPEN: char = '\u{E000}';
/// Closes every mark.
const CLOSE: char = '\u{E001}';

thread_local! {
    /// The texts marked in the context being built on this thread, by number.
    static MARKED: RefCell<Option<Vec<Arc<Body>>>> = const { RefCell::new(None) };
    /// Whether the marks are made for [`hash_marked`], which needs only their numbers.
    static HASHING: Cell<bool> = const { Cell::new(false) };
}

/// What a marked text's context holds: marks for its Markdown and HTML, and its number, which
/// `placed` reads.
#[derive(Serialize)]
pub(super) struct Marks {
    md: String,
    html: String,
    deferred: usize,
}

/// The marks of `body` while a context is built by [`context`]; `None` otherwise, and for an
/// empty text, which costs nothing to copy.
pub(super) fn mark(body: &Arc<Body>) -> Option<Marks> {
    if body.md.is_empty() && body.html().is_empty() {
        return None;
    }
    MARKED.with(|marked| {
        let mut marked = marked.borrow_mut();
        let texts = marked.as_mut()?;
        let n = texts.len();
        texts.push(Arc::clone(body));
        let hashing = HASHING.with(Cell::get);
        let mark = |what| {
            if hashing {
                String::new()
            } else {
                token(n, what)
            }
        };
        Some(Marks {
            md: mark("m"),
            html: mark("h"),
            deferred: n,
        })
    })
}

/// `value` as a Tera context whose texts are marks, and the texts they name.
pub(super) fn context(value: &impl Serialize) -> (tera::Result<tera::Context>, Vec<Arc<Body>>) {
    let (value, texts) = marked(value);
    let context = value
        .map_err(tera::Error::json)
        .and_then(tera::Context::from_value);
    (context, texts)
}

/// `value` added to `print` (see [`super::hashed`]), its texts as marks, and the texts they
/// name: what tells a context of it from another, without building one. A mark's strings are
/// made from its number, so only the number is hashed.
pub(super) fn hash_marked(
    value: &impl Serialize,
    print: &mut crate::cache::Fingerprint,
) -> (Result<(), String>, Vec<Arc<Body>>) {
    // Ends hashing even if serializing panics, so no later context on the thread lacks marks.
    crate::flag::raised(&HASHING, || marking(|| super::hashed::add(print, value)))
}

/// `value` as JSON whose texts are marks, and the texts they name.
pub(super) fn marked(
    value: &impl Serialize,
) -> (serde_json::Result<serde_json::Value>, Vec<Arc<Body>>) {
    marking(|| serde_json::to_value(value))
}

/// What `serialize` returns, every text it serializes marked, and the texts marked.
fn marking<T>(serialize: impl FnOnce() -> T) -> (T, Vec<Arc<Body>>) {
    /// Ends marking even if serializing panics, so no later context on the thread is marked.
    struct Marking;
    impl Drop for Marking {
        fn drop(&mut self) {
            MARKED.with(|marked| marked.borrow_mut().take());
        }
    }
    MARKED.with(|marked| *marked.borrow_mut() = Some(Vec::new()));
    let guard = Marking;
    let json = serialize();
    let texts = MARKED.with(|marked| marked.borrow_mut().take().unwrap_or_default());
    drop(guard);
    (json, texts)
}

/// [`context`] of `value`, the context of `what` (a page's path), a failure as a diagnostic.
pub(super) fn located_context(
    value: &impl Serialize,
    what: &str,
) -> Result<(tera::Context, Vec<Arc<Body>>), crate::diagnostic::Diagnostic> {
    let (built, texts) = context(value);
    Ok((built.map_err(|err| unbuilt(what, &err))?, texts))
}

/// Why the context of `what` could not be built.
pub(super) fn unbuilt(what: &str, err: &dyn std::fmt::Display) -> crate::diagnostic::Diagnostic {
    crate::diagnostic::Diagnostic::error(
        crate::diagnostic::Code::TemplateRender,
        format!("cannot build the context of {what}: {err}"),
    )
}

pub(super) fn token(n: usize, what: &str) -> String {
    format!("{OPEN}{n}{what}{CLOSE}")
}

/// `placed(level=N)` of a marked text (a value holding `deferred`): its mark.
pub(super) fn placed(value: &tera::Value, level: u8) -> Option<String> {
    let n = value.get("deferred")?.as_u64()?;
    Some(token(usize::try_from(n).ok()?, &format!("p{level}")))
}

/// Markdown as the lines of a block quote that a template has already opened: every line after
/// the first starts with `>`. A marked text's Markdown gives its mark for the same.
pub(super) fn quoted(text: &str) -> String {
    if let Some(n) =
        parse(text).and_then(|(n, what, rest)| (what == "m" && rest.is_empty()).then_some(n))
    {
        return token(n, "q");
    }
    quote(text)
}

/// Markdown continued as a block quote: every line after the first starts with `>`.
pub(super) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("\n>");
            if !line.is_empty() {
                out.push(' ');
            }
        }
        out.push_str(line);
    }
    out
}

/// The mark at the start of `text`: the text's number, what is asked of it, and what follows.
fn parse(text: &str) -> Option<(usize, &str, &str)> {
    let inner = text.strip_prefix(OPEN)?;
    let end = inner.find(CLOSE)?;
    let (mark, rest) = (&inner[..end], &inner[end + CLOSE.len_utf8()..]);
    let digits = mark.find(|c: char| !c.is_ascii_digit())?;
    let n = mark[..digits].parse().ok()?;
    Some((n, &mark[digits..], rest))
}

/// Whether `text` holds the character that opens a mark, which a page rendered with marks
/// could take for one.
pub(super) fn holds_marks(text: &str) -> bool {
    text.contains(OPEN)
}

/// The page `skeleton` stands for, given the `texts` its marks name, as one string of exactly
/// its length.
pub(super) fn splice(skeleton: &str, texts: &[Arc<Body>]) -> String {
    let length = spliced_len(skeleton, texts);
    let mut out = String::with_capacity(length);
    pieces(skeleton, texts, |piece| piece.write(&mut out));
    debug_assert_eq!(out.len(), length, "a piece's length is not what it writes");
    out
}

/// How long the page `skeleton` stands for is, in bytes, without making it.
pub(super) fn spliced_len(skeleton: &str, texts: &[Arc<Body>]) -> usize {
    let mut length = 0;
    pieces(skeleton, texts, |piece| length += piece.len());
    length
}

/// The page `skeleton` stands for, given the `texts` its marks name, written to `out`.
pub(super) fn splice_into(
    skeleton: &str,
    texts: &[Arc<Body>],
    out: &mut impl std::io::Write,
) -> std::io::Result<()> {
    let mut result = Ok(());
    pieces(skeleton, texts, |piece| {
        if result.is_ok() {
            result = match piece {
                Piece::Str(text) => out.write_all(text.as_bytes()),
                other => {
                    let mut text = String::with_capacity(other.len());
                    other.write(&mut text);
                    out.write_all(text.as_bytes())
                }
            };
        }
    });
    result
}

/// A run of the page: the skeleton's own text, or what a mark stands for.
enum Piece<'a> {
    Str(&'a str),
    Placed(&'a Body, u8),
    Quoted(&'a str),
}

impl Piece<'_> {
    fn len(&self) -> usize {
        match self {
            Piece::Str(text) => text.len(),
            // Placing rewrites heading digits in place.
            Piece::Placed(body, _) => body.html().len(),
            Piece::Quoted(md) => {
                md.len()
                    + md.split('\n')
                        .skip(1)
                        .map(|line| if line.is_empty() { 1 } else { 2 })
                        .sum::<usize>()
            }
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Piece::Str(text) => out.push_str(text),
            Piece::Placed(body, level) => {
                out.push_str(&crate::markdown::place(
                    body.html(),
                    body.headings(),
                    *level,
                ));
            }
            Piece::Quoted(md) => out.push_str(&quote(md)),
        }
    }
}

/// Every piece of the page `skeleton` stands for, in order.
fn pieces<'a>(skeleton: &'a str, texts: &'a [Arc<Body>], mut each: impl FnMut(Piece<'a>)) {
    let mut rest = skeleton;
    while let Some(at) = rest.find(OPEN) {
        each(Piece::Str(&rest[..at]));
        let marked = parse(&rest[at..]).and_then(|(n, what, after)| {
            let text = texts.get(n)?;
            let piece = match what {
                "m" => Piece::Str(&text.md),
                "h" => Piece::Str(text.html()),
                "q" => Piece::Quoted(&text.md),
                placed => Piece::Placed(text, placed.strip_prefix('p')?.parse().ok()?),
            };
            Some((piece, after))
        });
        match marked {
            Some((piece, after)) => {
                each(piece);
                rest = after;
            }
            None => {
                each(Piece::Str(&rest[at..at + OPEN.len_utf8()]));
                rest = &rest[at + OPEN.len_utf8()..];
            }
        }
    }
    each(Piece::Str(rest));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(md: &str, html: &str) -> Arc<Body> {
        Arc::new(Body::ready(
            md.to_owned().into(),
            html.to_owned(),
            vec![(2, 4)],
        ))
    }

    #[test]
    fn marks_are_spliced_as_the_text_they_name() {
        let texts = vec![body("a\n\nb", "<h4>x</h4>")];
        let skeleton = format!(
            "[{}|{}|{}|{}]",
            token(0, "m"),
            token(0, "h"),
            token(0, "p2"),
            quoted(&token(0, "m"))
        );
        let placed = crate::markdown::place("<h4>x</h4>", &[(2, 4)], 2);
        assert_eq!(
            splice(&skeleton, &texts),
            format!("[a\n\nb|<h4>x</h4>|{placed}|a\n>\n> b]")
        );
    }

    #[test]
    fn quoting_a_plain_text_is_what_the_template_macro_wrote() {
        assert_eq!(quoted("one\n\ntwo"), "one\n>\n> two");
        assert_eq!(quoted("one"), "one");
    }

    #[test]
    fn a_lone_mark_character_or_an_unknown_number_is_left_as_it_is() {
        let texts = vec![body("a", "b")];
        let odd = format!("{OPEN}x {} {}", token(7, "m"), token(0, "z"));
        assert_eq!(splice(&odd, &texts), odd);
    }

    #[test]
    fn texts_are_marked_only_while_a_context_is_built() {
        let text = body("a", "b");
        assert!(mark(&text).is_none());
        let (context, texts) = context(&serde_json::json!({"k": 1}));
        assert!(context.is_ok() && texts.is_empty());
        assert!(mark(&text).is_none());
    }
}
