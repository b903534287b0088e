//! `coursepack new`: a fresh curriculum that passes `check --deny-warnings` as it stands, with
//! one example module using every question type, a role-play with a private brief, a
//! `.gitignore` for the build, a CI workflow, and the JSON Schema its TOML files name on their
//! first line for editors.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::schema::{Kind, schema};

const COURSE: &str = include_str!("scaffold/course.toml");
const MODULE: &str = include_str!("scaffold/first-module.toml");
const GITIGNORE: &str = "/build/\n";
const WORKFLOW: &str = include_str!("scaffold/coursepack.yml");

/// What [`new`] wrote.
#[derive(Debug)]
pub struct Created {
    /// The course id, from the folder name.
    pub id: String,
    /// Every file written, relative to the course folder, in order.
    pub files: Vec<PathBuf>,
}

/// Writes a new curriculum into `dir`, which must be missing or empty. `title` defaults to the
/// folder name; `date` (`YYYY-MM-DD`) is the first revision's.
pub fn new(dir: &Path, title: Option<&str>, date: &str) -> Result<Created> {
    if dir.is_file() {
        bail!("`{}` is a file; pass a folder to create", dir.display());
    }
    if dir.is_dir()
        && std::fs::read_dir(dir)
            .with_context(|| format!("cannot read `{}`", dir.display()))?
            .next()
            .is_some()
    {
        bail!(
            "`{}` is not empty; `coursepack new` only writes into a new or empty folder",
            dir.display()
        );
    }
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let id = slug(&name);
    let title = title.map_or_else(|| titled(&id), str::to_owned);
    let course = COURSE
        .replace("{{id}}", &id)
        .replace("{{title}}", &toml_escape(&title))
        .replace("{{date}}", date);
    // taplo (and editors built on it) read the schema named on a file's first line.
    let course = format!("#:schema ./schema/course.schema.json\n{course}");
    let module = format!("#:schema ../schema/module.schema.json\n{MODULE}");
    let files: [(&str, String); 6] = [
        ("course.toml", course),
        ("modules/first-module.toml", module),
        ("schema/course.schema.json", schema(Kind::Course)),
        ("schema/module.schema.json", schema(Kind::Module)),
        (".gitignore", GITIGNORE.to_owned()),
        (".github/workflows/coursepack.yml", WORKFLOW.to_owned()),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))?;
        }
        std::fs::write(&target, text)
            .with_context(|| format!("cannot write `{}`", target.display()))?;
        written.push(PathBuf::from(path));
    }
    Ok(Created { id, files: written })
}

/// A course id from a folder name: lowercase letters, digits and `-`.
fn slug(name: &str) -> String {
    let mut id = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id = id.trim_end_matches('-');
    if id.is_empty() {
        "my-course".to_owned()
    } else {
        id.to_owned()
    }
}

/// `de-escalation-refresher` as `De-escalation refresher`.
fn titled(id: &str) -> String {
    let text = id.replace('-', " ");
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn toml_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Today's date in UTC, for the first revision of a new course (never used by a build).
pub fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::build::civil_date(i64::try_from(seconds / 86_400).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_titles_from_folder_names() {
        assert_eq!(slug("My Course 2"), "my-course-2");
        assert_eq!(slug("--"), "my-course");
        assert_eq!(titled("de-escalation-refresher"), "De escalation refresher");
    }
}
