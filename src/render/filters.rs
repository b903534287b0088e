//! The Tera filters every template may use: `markdown`, `placed` and `cell`, and the HTML escaper.

use std::collections::HashMap;

use crate::markdown::{Placement, to_html};

/// Registers every filter on `tera`.
pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter("markdown", markdown_filter);
    tera.register_filter("placed", placed_filter);
    tera.register_filter("cell", cell_filter);
    tera.register_filter("quoted", quoted_filter);
}

/// `{{ text | quoted }}`: Markdown continued as a block quote the template opened on the line
/// before the text: every line after the first starts with `>`.
fn quoted_filter(
    value: &tera::Value,
    _: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().ok_or_else(|| {
        tera::Error::msg("the quoted filter takes Markdown, e.g. `q.key.rubric.md`")
    })?;
    Ok(tera::Value::String(super::defer::quoted(text)))
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

/// `{{ s.body | placed(level=3) }}`: a rendered [`super::text::Text`] with its top heading at
/// `level` (1 to 6), its other headings below it.
fn placed_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let level = level_arg(args, "placed")?;
    if let Some(mark) = super::defer::placed(value, level) {
        return Ok(tera::Value::String(mark));
    }
    let html = value
        .get("html")
        .and_then(tera::Value::as_str)
        .ok_or_else(|| {
            tera::Error::msg(
                "the placed filter takes a rendered text, e.g. `s.body`, not `s.body.html`",
            )
        })?;
    let headings: Vec<(usize, u8)> = value
        .get("headings")
        .and_then(tera::Value::as_array)
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|pair| {
                    let at = pair.get(0)?.as_u64()?;
                    let rank = pair.get(1)?.as_u64()?;
                    Some((usize::try_from(at).ok()?, u8::try_from(rank).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(tera::Value::String(crate::markdown::place(
        html, &headings, level,
    )))
}

/// The `level` argument of a filter: a heading level from 1 to 6, 1 when absent.
fn level_arg(args: &HashMap<String, tera::Value>, filter: &str) -> tera::Result<u8> {
    match args.get("level") {
        None => Ok(1),
        Some(value) => value
            .as_u64()
            .filter(|level| (1..=6).contains(level))
            .map(|level| level as u8)
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "the {filter} filter's `level` is a heading level from 1 to 6, not {value}"
                ))
            }),
    }
}

/// `{{ text | markdown }}` or `{{ text | markdown(level=3) }}`: Markdown to HTML, with its top
/// heading at `level`.
fn markdown_filter(
    value: &tera::Value,
    args: &HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value
        .as_str()
        .ok_or_else(|| tera::Error::msg("the markdown filter takes a string"))?;
    let level = level_arg(args, "markdown")?;
    Ok(tera::Value::String(to_html(
        text,
        Placement {
            level,
            id_prefix: "",
        },
    )))
}
