//! [`Text`]: a Markdown body as written and as HTML, rendered once for every page that shows it.

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::Arc;

use serde::Serialize;

use super::defer;
use crate::markdown::{Placement, prefix_footnotes, render, to_inline_html};
use crate::model::Shared;

/// Markdown as written and as HTML, rendered once. Templates print `.md` or `.html` as it is, or
/// move the HTML's headings with `placed(level=N)`. Cloning shares the rendering.
#[derive(Debug, Clone, Default)]
pub struct Text(Arc<Body>);

/// What a [`Text`] holds.
#[derive(Debug, Default, Serialize)]
pub struct Body {
    /// The Markdown, trailing blank space trimmed, footnote labels made unique in the page.
    pub md: Md,
    /// The same as an HTML fragment, its top heading at the level the view chose.
    pub html: String,
    /// Where the HTML's heading levels are written, for `placed`: `[offset, rank]` pairs.
    pub headings: Vec<(usize, u8)>,
}

/// A text's Markdown: its own, or the start of a body the model holds (a section's, trimmed),
/// shared rather than copied.
#[derive(Debug, Clone)]
pub enum Md {
    /// Written for this text (a choice on one line, relabelled footnotes).
    Own(String),
    /// The first `len` bytes of a body the model holds.
    Shared { text: Arc<str>, len: usize },
}

impl Default for Md {
    fn default() -> Self {
        Md::Own(String::new())
    }
}

impl From<String> for Md {
    fn from(text: String) -> Self {
        Md::Own(text)
    }
}

impl Deref for Md {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Md::Own(text) => text,
            Md::Shared { text, len } => &text[..*len],
        }
    }
}

impl Serialize for Md {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl Deref for Text {
    type Target = Body;

    fn deref(&self) -> &Body {
        &self.0
    }
}

impl Serialize for Text {
    /// The text's fields, or, while a whole-course page's context is built, a mark that the
    /// page's writer replaces with the text (see [`defer`]): the context then holds no copy.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match defer::mark(&self.0) {
            Some(marks) => marks.serialize(serializer),
            None => self.0.serialize(serializer),
        }
    }
}

impl Text {
    /// A block of Markdown whose top heading belongs at `level`; `prefix` makes its footnote
    /// labels and ids unique in the page.
    pub(crate) fn block(md: &str, level: u8, prefix: &str) -> Self {
        Self::rendered(md, level, prefix, |md| md.into_owned().into())
    }

    /// [`Text::block`] of a body the model holds: its Markdown is shared with the model, not
    /// copied, unless footnote labels had to change.
    pub(crate) fn block_of(md: &Shared, level: u8, prefix: &str) -> Self {
        Self::rendered(md, level, prefix, |written| match written {
            Cow::Borrowed(start) => Md::Shared {
                text: Arc::clone(md.arc()),
                len: start.len(),
            },
            Cow::Owned(changed) => changed.into(),
        })
    }

    fn rendered(md: &str, level: u8, prefix: &str, keep: impl FnOnce(Cow<'_, str>) -> Md) -> Self {
        let rendered = render(
            md,
            Placement {
                level,
                id_prefix: prefix,
            },
        );
        // `trim_end` and an unchanged `prefix_footnotes` borrow the start of `md`.
        Text(Arc::new(Body {
            md: keep(prefix_footnotes(md.trim_end(), prefix)),
            html: rendered.html,
            headings: rendered.headings,
        }))
    }

    /// Markdown that stays on one line: a choice, a matching item.
    pub(crate) fn inline(md: &str) -> Self {
        Text(Arc::new(Body {
            md: md.trim().replace('\n', " ").into(),
            html: to_inline_html(md),
            headings: Vec::new(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_body_prints_as_a_copied_one_and_shares_its_allocation() {
        for md in [
            "Plain *text*.\n\n",
            "A note[^1].\n\n[^1]: Said.\n",
            "é\n",
            "",
        ] {
            let shared = Shared::from(md);
            let (copied, kept) = (Text::block(md, 4, "s1"), Text::block_of(&shared, 4, "s1"));
            assert_eq!(&*kept.md, &*copied.md, "{md:?}");
            assert_eq!(kept.html, copied.html);
            assert_eq!(kept.headings, copied.headings);
            let same =
                matches!(&kept.md, Md::Shared { text, .. } if Arc::ptr_eq(text, shared.arc()));
            assert_eq!(same, !md.contains("[^"), "{md:?}");
        }
    }
}
