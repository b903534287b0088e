//! The unknown-key pass and the translation of serde's errors into diagnostics.
//!
//! serde stops at the first unknown key; this pass walks the parsed table first, reports every
//! key no type accepts (with a suggestion), and removes it so the rest of the file still loads.

use std::borrow::Cow;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{
    Activity, Blueprint, Certification, Course, Criterion, Day, EvaluationSettings, ExamSettings,
    Handout, Instructors, Module, Objective, RawQuestion, Revision, Role, Schedule, ScheduleItem,
    Section, Source, Standard, Term, field_names,
};
use crate::source::FileId;

/// The keys one kind of table accepts, and the tables nested in it.
pub(super) struct Schema {
    /// How the table is written in the file, for messages.
    pub(super) header: &'static str,
    pub(super) fields: fn() -> &'static [&'static str],
    pub(super) children: &'static [(&'static str, &'static Schema)],
}

pub(super) static COURSE: Schema = Schema {
    header: "course.toml",
    fields: field_names::<Course>,
    children: &[
        ("certification", &CERTIFICATION),
        ("revisions", &REVISION),
        ("exam", &EXAM),
        ("evaluation", &EVALUATION),
        ("schedule", &SCHEDULE),
        ("standards", &STANDARD),
        ("instructors", &INSTRUCTORS),
    ],
};
static CERTIFICATION: Schema = leaf("[certification]", field_names::<Certification>);
static REVISION: Schema = leaf("[[revisions]]", field_names::<Revision>);
static EXAM: Schema = Schema {
    header: "[exam]",
    fields: field_names::<ExamSettings>,
    children: &[("blueprint", &BLUEPRINT)],
};
static BLUEPRINT: Schema = leaf("[exam.blueprint]", field_names::<Blueprint>);
static EVALUATION: Schema = leaf("[evaluation]", field_names::<EvaluationSettings>);
static SCHEDULE: Schema = Schema {
    header: "[schedule]",
    fields: field_names::<Schedule>,
    children: &[("days", &DAY)],
};
static DAY: Schema = Schema {
    header: "[[schedule.days]]",
    fields: field_names::<Day>,
    children: &[("items", &SCHEDULE_ITEM)],
};
static SCHEDULE_ITEM: Schema = leaf("a schedule item", field_names::<ScheduleItem>);
static STANDARD: Schema = leaf("[[standards]]", field_names::<Standard>);
static INSTRUCTORS: Schema = leaf("[instructors]", field_names::<Instructors>);

pub(super) static MODULE: Schema = Schema {
    header: "the module",
    fields: field_names::<Module<RawQuestion>>,
    children: &[
        ("objectives", &OBJECTIVE),
        ("sections", &SECTION),
        ("terms", &TERM),
        ("activities", &ACTIVITY),
        ("questions", &QUESTION),
        ("sources", &SOURCE),
    ],
};
pub(super) static HANDOUT: Schema = leaf("the handout", field_names::<Handout>);
static OBJECTIVE: Schema = leaf("[[objectives]]", field_names::<Objective>);
static SECTION: Schema = leaf("[[sections]]", field_names::<Section>);
static TERM: Schema = leaf("[[terms]]", field_names::<Term>);
static ACTIVITY: Schema = Schema {
    header: "[[activities]]",
    fields: field_names::<Activity>,
    children: &[("roles", &ROLE), ("criteria", &CRITERION)],
};
static ROLE: Schema = leaf("[[activities.roles]]", field_names::<Role>);
// Anchors are keyed by rating names, which the checker compares with the scale.
static CRITERION: Schema = leaf("[[activities.criteria]]", field_names::<Criterion>);
static QUESTION: Schema = leaf("[[questions]]", field_names::<RawQuestion>);
static SOURCE: Schema = leaf("[[sources]]", field_names::<Source>);

const fn leaf(header: &'static str, fields: fn() -> &'static [&'static str]) -> Schema {
    Schema {
        header,
        fields,
        children: &[],
    }
}

/// Reports every key `schema` does not accept, at any depth, and removes it (or, when it is a
/// misspelling of a key the table lacks, moves its value there). Returns how many.
pub(super) fn prune_unknown(
    table: &mut DeTable<'_>,
    schema: &Schema,
    file: FileId,
    out: &mut Vec<Diagnostic>,
) -> usize {
    let fields = (schema.fields)();
    let unknown: Vec<(String, Range<usize>)> = table
        .keys()
        .filter(|key| !fields.contains(&key.get_ref().as_ref()))
        .map(|key| (key.get_ref().to_string(), key.span()))
        .collect();
    let mut count = unknown.len();
    for (name, span) in unknown {
        let value = table.remove(name.as_str());
        let help = match did_you_mean(&name, fields.iter().copied()) {
            Some(suggestion) => {
                // Recover as a compiler would: read the value under the key it was meant to be,
                // so the rest of the file is still checked without a follow-on "missing key".
                if let Some(value) = value.filter(|_| !table.contains_key(suggestion)) {
                    table.insert(
                        Spanned::new(span.clone(), Cow::Owned(suggestion.to_owned())),
                        value,
                    );
                }
                format!("did you mean \"{suggestion}\"?")
            }
            None => format!("{} accepts: {}", schema.header, fields.join(", ")),
        };
        out.push(
            Diagnostic::error(
                Code::UnknownKey,
                format!("unknown key \"{name}\" in {}", schema.header),
            )
            .at(file, span)
            .label("unknown key")
            .help(help),
        );
    }
    for (name, child) in schema.children {
        let Some(value) = table.get_mut(*name) else {
            continue;
        };
        match value.get_mut() {
            DeValue::Table(inner) => count += prune_unknown(inner, child, file, out),
            DeValue::Array(items) => {
                for item in items.iter_mut() {
                    if let DeValue::Table(inner) = item.get_mut() {
                        count += prune_unknown(inner, child, file, out);
                    }
                }
            }
            _ => {}
        }
    }
    count
}

/// Removes the entry whose value holds `at` (the innermost table entry), returning its key.
pub(super) fn remove_value_at(table: &mut DeTable<'_>, at: &Range<usize>) -> Option<String> {
    let keys: Vec<String> = table.keys().map(|k| k.get_ref().to_string()).collect();
    for key in keys {
        let value = table.get_mut(key.as_str())?;
        let span = value.span();
        let inside = span.start <= at.start && at.end <= span.end;
        let inner = match value.get_mut() {
            DeValue::Table(inner) if inside => remove_value_at(inner, at),
            // A table in an array of tables spans only its header, so ask each one.
            DeValue::Array(items) => items.iter_mut().find_map(|item| match item.get_mut() {
                DeValue::Table(inner) => remove_value_at(inner, at),
                _ => None,
            }),
            _ => None,
        };
        if inner.is_some() {
            return inner;
        }
        if inside {
            table.remove(key.as_str());
            return Some(key);
        }
    }
    None
}

/// Turns a serde error from the TOML deserializer into a diagnostic.
pub(super) fn classify(err: &toml::de::Error, file: FileId, span: Range<usize>) -> Diagnostic {
    let message = err.message().trim_end();
    let quoted = backticked(message);
    if let Some(rest) = message.strip_prefix("missing field ") {
        let key = quoted.first().copied().unwrap_or(rest);
        return Diagnostic::error(Code::MissingKey, format!("missing required key \"{key}\""))
            .at(file, span)
            .label(format!("this table needs \"{key}\""))
            .help(format!(
                "add `{key} = ...` to this table (docs/format.md lists every key)"
            ));
    }
    if message.starts_with("unknown variant ") {
        let (found, expected) = quoted.split_first().map_or(("", &[][..]), |(f, e)| (*f, e));
        let help = match did_you_mean(found, expected.iter().copied()) {
            Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
            None => format!("use one of: {}", expected.join(", ")),
        };
        return Diagnostic::error(
            Code::WrongType,
            format!("\"{found}\" is not an accepted value"),
        )
        .at(file, span)
        .label(format!("expected one of: {}", expected.join(", ")))
        .help(help);
    }
    if message.starts_with("unknown field ") {
        // The unknown-key pass removes these first; kept for completeness.
        return Diagnostic::error(Code::UnknownKey, message.replace('`', "\"")).at(file, span);
    }
    let wrong = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .or_else(|| message.strip_prefix("invalid length "));
    let text = match wrong.and_then(|rest| rest.split_once(", expected ")) {
        Some((found, expected)) => {
            format!("expected {}, found {}", friendly(expected), friendly(found))
        }
        None => message.replace('`', "\""),
    };
    Diagnostic::error(Code::WrongType, format!("wrong type: {text}"))
        .at(file, span)
        .label("wrong type")
        .help(type_help(message))
}

fn type_help(message: &str) -> String {
    if message.contains("expected u32") || message.contains("expected u64") {
        "write a whole number without quotes, e.g. `minutes = 20`".into()
    } else if message.contains("a sequence") || message.contains("array") {
        "write a list in brackets, e.g. `[\"first\", \"second\"]`".into()
    } else if message.contains("a string") {
        "write text in quotes, e.g. `title = \"Active Listening\"`; use \"\"\" for Markdown over several lines".into()
    } else if message.contains("datetime") || message.contains("date") {
        "write a bare TOML date without quotes, e.g. `date = 2026-11-01`".into()
    } else {
        "see docs/format.md for the type each key takes".into()
    }
}

/// serde's type names in the words a course author uses.
fn friendly(text: &str) -> String {
    text.replace("u32", "a whole number")
        .replace("u64", "a whole number")
        .replace("a sequence", "an array")
        .replace("sequence", "array")
        .replace("map", "table")
        .replace('`', "")
}

fn backticked(message: &str) -> Vec<&str> {
    message.split('`').skip(1).step_by(2).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_out_of_serde_messages() {
        assert_eq!(
            backticked("unknown variant `lectur`, expected one of `lecture`, `video`"),
            ["lectur", "lecture", "video"]
        );
        assert_eq!(friendly("u32"), "a whole number");
    }
}
