//! [`Text`]: a Markdown body as written and as HTML, rendered once for every page that shows it.

use serde::Serialize;

use crate::markdown::{Placement, to_html, to_inline_html};

/// Markdown as written and as HTML, rendered once.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Text {
    /// The Markdown, as written (trailing blank space trimmed).
    pub md: String,
    /// The same as an HTML fragment.
    pub html: String,
}

impl Text {
    pub(crate) fn block(md: &str, shift: u8, prefix: &str) -> Self {
        Text {
            md: md.trim_end().to_owned(),
            html: to_html(
                md,
                Placement {
                    heading_shift: shift,
                    id_prefix: prefix,
                },
            ),
        }
    }

    pub(crate) fn inline(md: &str) -> Self {
        Text {
            md: md.trim().replace('\n', " "),
            html: to_inline_html(md),
        }
    }
}
