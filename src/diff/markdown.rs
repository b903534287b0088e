//! The report as Markdown, ready for a pull-request comment.

use super::Diff;
use super::text::{Style, render};

/// The report as Markdown: a `##` title, a `###` heading per part, bulleted changes, removed
/// words struck through and added words in bold.
pub fn render_markdown(diff: &Diff) -> String {
    render(diff, Style::Markdown)
}
