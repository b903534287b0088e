//! [`Text`]: a Markdown body as written and as HTML, rendered once for every page that shows it.

use std::ops::Deref;
use std::sync::Arc;

use serde::Serialize;

use super::defer;
use crate::markdown::{Placement, prefix_footnotes, render, to_inline_html};

/// Markdown as written and as HTML, rendered once. Templates print `.md` or `.html` as it is, or
/// move the HTML's headings with `placed(level=N)`. Cloning shares the rendering.
#[derive(Debug, Clone, Default)]
pub struct Text(Arc<Body>);

/// What a [`Text`] holds.
#[derive(Debug, Default, Serialize)]
pub struct Body {
    /// The Markdown, trailing blank space trimmed, footnote labels made unique in the page.
    pub md: String,
    /// The same as an HTML fragment, its top heading at the level the view chose.
    pub html: String,
    /// Where the HTML's heading levels are written, for `placed`: `[offset, rank]` pairs.
    pub headings: Vec<(usize, u8)>,
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
        let rendered = render(
            md,
            Placement {
                level,
                id_prefix: prefix,
            },
        );
        Text(Arc::new(Body {
            md: prefix_footnotes(md.trim_end(), prefix).into_owned(),
            html: rendered.html,
            headings: rendered.headings,
        }))
    }

    /// Markdown that stays on one line: a choice, a matching item.
    pub(crate) fn inline(md: &str) -> Self {
        Text(Arc::new(Body {
            md: md.trim().replace('\n', " "),
            html: to_inline_html(md),
            headings: Vec::new(),
        }))
    }
}
