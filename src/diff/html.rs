//! The report as one self-contained HTML page: the Markdown report through the one Markdown
//! entry point, so course text in it is escaped the way every page escapes it.

use super::Diff;
use super::markdown::render_markdown;
use crate::markdown::{Placement, escape_html, to_html};

/// The report as a standalone HTML page.
pub fn render_html(diff: &Diff) -> String {
    let body = to_html(&render_markdown(diff), Placement::default());
    let title = escape_html(&format!(
        "Changes from {} ({}) to {} ({})",
        diff.old.label, diff.old.version, diff.new.label, diff.new.version
    ));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )
}

const STYLE: &str = "body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; color: #1a1a1a; }
code { font-size: 0.9em; background: #f2f2f2; padding: 0 0.2em; }
del { color: #8a1c1c; }
strong { color: #0b5d1e; }
h3 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
";
