//! [`Text`]: a Markdown body as written and as HTML, rendered once for every page that shows it.

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use super::defer;
use crate::markdown::{Placement, prefix_footnotes, render, to_inline_html};
use crate::model::Shared;

/// Markdown as written and as HTML, rendered once. Templates print `.md` or `.html` as it is, or
/// move the HTML's headings with `placed(level=N)`. Cloning shares the rendering.
#[derive(Debug, Clone, Default)]
pub struct Text(Arc<Body>);

/// What a [`Text`] holds.
#[derive(Debug, Default)]
pub struct Body {
    /// The Markdown, trailing blank space trimmed, footnote labels made unique in the page.
    pub md: Md,
    /// The HTML, once rendered.
    rendered: OnceLock<Html>,
    /// How to render a body that is rendered on first use; `None` when it was rendered at once.
    later: Option<Later>,
}

/// A text's HTML.
#[derive(Debug, Default)]
struct Html {
    /// An HTML fragment, its top heading at the level the view chose.
    html: String,
    /// Where its heading levels are written, for `placed`: `[offset, rank]` pairs.
    headings: Vec<(usize, u8)>,
}

/// What rendering a body the model holds needs: the body as written, and where it goes.
#[derive(Debug)]
struct Later {
    source: Shared,
    level: u8,
    prefix: String,
    /// Rendered as a line (a choice, a matching item), not as a block.
    inline: bool,
}

impl Body {
    /// A body already rendered.
    #[cfg(test)]
    pub(super) fn ready(md: Md, html: String, headings: Vec<(usize, u8)>) -> Self {
        Body {
            md,
            rendered: OnceLock::from(Html { html, headings }),
            later: None,
        }
    }

    /// The same as an HTML fragment, its top heading at the level the view chose: rendered the
    /// first time any page asks, once.
    pub fn html(&self) -> &str {
        &self.rendered().html
    }

    /// Where the HTML's heading levels are written, for `placed`: `[offset, rank]` pairs.
    pub fn headings(&self) -> &[(usize, u8)] {
        &self.rendered().headings
    }

    /// Adds to `print` everything the body prints from: its source, level and footnote prefix
    /// when it renders on first use (without rendering it), else its Markdown and HTML.
    pub(super) fn identify(&self, print: &mut crate::cache::Fingerprint) {
        match &self.later {
            Some(later) => print
                .add(1u8)
                .add(&*later.source)
                .add(later.level)
                .add(&later.prefix)
                .add(later.inline),
            None => {
                let html = self.rendered();
                print
                    .add(0u8)
                    .add(&*self.md)
                    .add(&html.html)
                    .add(&html.headings)
            }
        };
    }

    fn rendered(&self) -> &Html {
        self.rendered.get_or_init(|| match &self.later {
            Some(later) if later.inline => Html {
                html: to_inline_html(&later.source),
                headings: Vec::new(),
            },
            Some(later) => Html::of(&later.source, later.level, &later.prefix),
            None => Html::default(),
        })
    }
}

impl Html {
    fn of(md: &str, level: u8, prefix: &str) -> Self {
        let rendered = render(
            md,
            Placement {
                level,
                id_prefix: prefix,
            },
        );
        Html {
            html: rendered.html,
            headings: rendered.headings,
        }
    }
}

impl Serialize for Body {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut body = serializer.serialize_struct("Body", 3)?;
        body.serialize_field("md", &self.md)?;
        body.serialize_field("html", self.html())?;
        body.serialize_field("headings", self.headings())?;
        body.end()
    }
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
    /// Whether `other` is this text, shared, not an equal one made again.
    #[cfg(test)]
    pub(crate) fn is(&self, other: &Text) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// A block of Markdown whose top heading belongs at `level`; `prefix` makes its footnote
    /// labels and ids unique in the page. Its HTML is rendered when a page first prints it: a
    /// text that is only hashed (its part kept from the last build) costs no rendering.
    pub(crate) fn block(md: &str, level: u8, prefix: &str) -> Self {
        Text::block_of(&Shared::from(md), level, prefix)
    }

    /// [`Text::block`] of a body the model holds: its Markdown is shared with the model, not
    /// copied, unless footnote labels had to change, and its HTML is rendered when a page first
    /// prints it, so a view that no page prints from costs no rendering.
    pub(crate) fn block_of(md: &Shared, level: u8, prefix: &str) -> Self {
        // `trim_end` and an unchanged `prefix_footnotes` borrow the start of `md`.
        let kept = match prefix_footnotes(md.trim_end(), prefix) {
            Cow::Borrowed(start) => Md::Shared {
                text: Arc::clone(md.arc()),
                len: start.len(),
            },
            Cow::Owned(changed) => changed.into(),
        };
        Text(Arc::new(Body {
            md: kept,
            rendered: OnceLock::new(),
            later: Some(Later {
                source: md.clone(),
                level,
                prefix: prefix.to_owned(),
                inline: false,
            }),
        }))
    }

    /// Markdown that stays on one line: a choice, a matching item. Its HTML is rendered when a
    /// page first prints it.
    pub(crate) fn inline(md: &str) -> Self {
        Text(Arc::new(Body {
            md: md.trim().replace('\n', " ").into(),
            rendered: OnceLock::new(),
            later: Some(Later {
                source: Shared::from(md),
                level: 0,
                prefix: String::new(),
                inline: true,
            }),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_rendered_on_first_print_is_the_markdown_rendered() {
        for md in [
            "Plain *text*.\n\n",
            "A note[^1].\n\n[^1]: Said.\n",
            " two\nlines ",
            "",
        ] {
            let rendered = render(
                md,
                Placement {
                    level: 3,
                    id_prefix: "q1",
                },
            );
            let block = Text::block(md, 3, "q1");
            assert_eq!(
                (&*block.md, block.html(), block.headings()),
                (
                    &*prefix_footnotes(md.trim_end(), "q1"),
                    rendered.html.as_str(),
                    &rendered.headings[..]
                )
            );
            let line = Text::inline(md);
            assert_eq!(line.html(), to_inline_html(md));
            assert_eq!(&*line.md, md.trim().replace('\n', " "));
        }
    }

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
            assert_eq!(kept.html(), copied.html());
            assert_eq!(kept.headings(), copied.headings());
            let same =
                matches!(&kept.md, Md::Shared { text, .. } if Arc::ptr_eq(text, shared.arc()));
            assert_eq!(same, !md.contains("[^"), "{md:?}");
        }
    }
}
