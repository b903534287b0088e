//! The one thing done to every rendered page after its template: its ending.

/// The page with exactly one trailing newline, and otherwise as the template wrote it.
///
/// Nothing inside the page is touched: in Markdown, trailing spaces are hard breaks and blank
/// lines in a fenced code block are content, and only the template knows which is which. The
/// templates lay themselves out with Tera's whitespace control instead.
pub(super) fn tidy(mut page: String) -> String {
    page.truncate(page.trim_end_matches('\n').len());
    page.push('\n');
    page
}
