//! The Tera filters every template may use: `markdown`, `headings` and `cell`, and the HTML escaper.

use std::collections::HashMap;

use crate::markdown::{Placement, to_html};

/// Registers every filter on `tera`.
pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter("markdown", markdown_filter);
    tera.register_filter("headings", headings_filter);
    tera.register_filter("cell", cell_filter);
}

pub(super) fn escape_html(text: &str) -> String {
    crate::markdown::escape_html(text)
}

/// `{{ text | cell }}`: text that stays one cell of a Markdown table, whatever it holds.
fn cell_filter(value: &tera::Value, _: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the cell filter takes a string"))?;
    let cell = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
        .replace('<', "&lt;");
    Ok(tera::Value::String(cell))
}

/// `{{ html | headings(shift=-1) }}`: places a rendered body at another depth.
fn headings_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let html = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the headings filter takes a string"))?;
    let by = args
        .get("shift")
        .and_then(tera::Value::as_i64)
        .unwrap_or(0)
        .clamp(-5, 5) as i8;
    Ok(tera::Value::String(crate::markdown::shift_headings(
        html, by,
    )))
}

/// `{{ text | markdown }}` or `{{ text | markdown(shift=2) }}`.
fn markdown_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the markdown filter takes a string"))?;
    let shift = args
        .get("shift")
        .and_then(tera::Value::as_u64)
        .unwrap_or(0)
        .min(5) as u8;
    Ok(tera::Value::String(to_html(
        text,
        Placement {
            heading_shift: shift,
            id_prefix: "",
        },
    )))
}
