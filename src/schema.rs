//! `coursepack schema`: JSON Schema for `course.toml` and module files, generated from the
//! serde types the loader reads them with (so the two cannot drift) and described by their doc
//! comments. Editors with a TOML language server (taplo, Even Better TOML) complete and check
//! keys with it, pointed to by a `#:schema` line at the top of each file.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use schemars::generate::SchemaSettings;
use serde_json::Value;

use crate::model::{Course, Module, RawQuestion};

/// Which file a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `course.toml`.
    Course,
    /// `modules/<id>.toml`.
    Module,
}

impl Kind {
    /// Both, in the order they are written.
    pub const ALL: [Kind; 2] = [Kind::Course, Kind::Module];

    /// The schema's file name.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Course => "course.schema.json",
            Kind::Module => "module.schema.json",
        }
    }
}

/// The schema of `kind`, as pretty-printed JSON with a final newline.
pub fn schema(kind: Kind) -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema = match kind {
        Kind::Course => generator.into_root_schema_for::<Course>(),
        Kind::Module => generator.into_root_schema_for::<Module<RawQuestion>>(),
    };
    let (title, description) = match kind {
        Kind::Course => (
            "coursepack course.toml",
            "A coursepack course: metadata, the modules in teaching order, the revision record \
             and the exam. See docs/format.md.",
        ),
        Kind::Module => (
            "coursepack module",
            "One module of a coursepack course (modules/<id>.toml; the file stem is the module \
             id): objectives, sections, terms, activities, questions and sources. See \
             docs/format.md.",
        ),
    };
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), description.into());
    let mut value = schema.to_value();
    drop_null(&mut value);
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Writes both schemas into `dir` (created if missing); returns the paths written.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
    Kind::ALL
        .iter()
        .map(|&kind| {
            let path = dir.join(kind.file_name());
            std::fs::write(&path, schema(kind))
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            Ok(path)
        })
        .collect()
}

/// TOML has no null: an optional key is simply left out. So `"type": ["string", "null"]`
/// becomes `"type": "string"`, and `anyOf: [X, {"type": "null"}]` becomes X.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(any)) = map.get("anyOf") {
                let rest: Vec<&Value> = any
                    .iter()
                    .filter(|s| s.get("type").is_none_or(|t| t != "null"))
                    .collect();
                if let ([Value::Object(inner)], 2) = (&rest[..], any.len()) {
                    let inner = inner.clone();
                    map.remove("anyOf");
                    for (k, v) in inner {
                        map.entry(k).or_insert(v);
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}
