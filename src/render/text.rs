//! [`Text`]: a Markdown body as written and as HTML, rendered once for every page that shows it.

use serde::Serialize;

use crate::markdown::{Placement, prefix_footnotes, render, to_inline_html};

/// Markdown as written and as HTML, rendered once. Templates print `.md` or `.html` as it is, or
/// move the HTML's headings with `placed(level=N)`.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Text {
    /// The Markdown, trailing blank space trimmed, footnote labels made unique in the page.
    pub md: String,
    /// The same as an HTML fragment, its top heading at the level the view chose.
    pub html: String,
    /// Where the HTML's heading levels are written, for `placed`: `[offset, rank]` pairs.
    pub headings: Vec<(usize, u8)>,
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
        Text {
            md: prefix_footnotes(md.trim_end(), prefix).into_owned(),
            html: rendered.html,
            headings: rendered.headings,
        }
    }

    /// Markdown that stays on one line: a choice, a matching item.
    pub(crate) fn inline(md: &str) -> Self {
        Text {
            md: md.trim().replace('\n', " "),
            html: to_inline_html(md),
            headings: Vec::new(),
        }
    }
}
