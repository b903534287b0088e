//! JSON Schema for the two model types serde cannot describe by themselves: a TOML date and a
//! question's `answer`, whose type depends on the question's `type`.

use schemars::{Schema, SchemaGenerator, json_schema};

/// A TOML local date (`2026-11-01`); taplo validates TOML dates as strings of format `date`.
pub(super) fn date(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "When, as a TOML date (`2026-11-01`, not quoted).",
        "type": "string",
        "format": "date",
    })
}

/// A string (single-choice; an essay's model answer), an array of strings (multiple-choice,
/// short-answer) or a boolean (true-false).
pub(super) fn answer(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "The answer, by type: a string (single-choice; an essay's model answer), an array of strings (multiple-choice: the correct choices; short-answer: every accepted answer) or a boolean (true-false).",
        "anyOf": [
            { "type": "string" },
            { "type": "array", "items": { "type": "string" } },
            { "type": "boolean" },
        ],
    })
}
