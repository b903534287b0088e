//! The report as JSON: the [`Diff`] as it is, for scripts.

use super::Diff;

/// The whole [`Diff`] as pretty-printed JSON, ending in a newline.
pub fn render_json(diff: &Diff) -> String {
    let mut json = serde_json::to_string_pretty(diff).unwrap_or_else(|_| "{}".to_owned());
    json.push('\n');
    json
}
