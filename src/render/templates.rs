//! The built-in templates, embedded in the binary, and a course's own overrides.

use std::path::Path;

use anyhow::{Context as _, Result, bail};

use super::filters;

/// Every built-in template: its name (a path under `templates/`) and its text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("style.css", include_str!("../../templates/style.css")),
    (
        "html/base.html",
        include_str!("../../templates/html/base.html"),
    ),
    (
        "html/macros.html",
        include_str!("../../templates/html/macros.html"),
    ),
    (
        "html/index.html",
        include_str!("../../templates/html/index.html"),
    ),
    (
        "html/handbook.html",
        include_str!("../../templates/html/handbook.html"),
    ),
    (
        "html/module.html",
        include_str!("../../templates/html/module.html"),
    ),
    (
        "html/check.html",
        include_str!("../../templates/html/check.html"),
    ),
    (
        "html/guide.html",
        include_str!("../../templates/html/guide.html"),
    ),
    (
        "html/activity.html",
        include_str!("../../templates/html/activity.html"),
    ),
    (
        "html/form.html",
        include_str!("../../templates/html/form.html"),
    ),
    (
        "html/form-key.html",
        include_str!("../../templates/html/form-key.html"),
    ),
    (
        "html/blueprint.html",
        include_str!("../../templates/html/blueprint.html"),
    ),
    ("md/macros.md", include_str!("../../templates/md/macros.md")),
    (
        "md/handbook.md",
        include_str!("../../templates/md/handbook.md"),
    ),
    ("md/module.md", include_str!("../../templates/md/module.md")),
    ("md/check.md", include_str!("../../templates/md/check.md")),
    ("md/guide.md", include_str!("../../templates/md/guide.md")),
    (
        "md/activity.md",
        include_str!("../../templates/md/activity.md"),
    ),
    ("md/form.md", include_str!("../../templates/md/form.md")),
    (
        "md/form-key.md",
        include_str!("../../templates/md/form-key.md"),
    ),
    (
        "md/blueprint.md",
        include_str!("../../templates/md/blueprint.md"),
    ),
];

/// The template set of one build.
#[derive(Debug)]
pub struct Templates {
    tera: tera::Tera,
    /// Names the course overrides, for the build summary.
    pub overridden: Vec<String>,
}

impl Templates {
    /// The built-ins, with any same-named file in `<course>/templates/` in their place.
    pub fn load(course_dir: &Path) -> Result<Self> {
        let dir = course_dir.join("templates");
        let mut overridden = Vec::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, text) in BUILTIN {
            let path = dir.join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read template {}", path.display()))?;
                overridden.push((*name).to_owned());
                sources.push(((*name).to_owned(), text));
            } else {
                sources.push(((*name).to_owned(), (*text).to_owned()));
            }
        }
        if dir.is_dir() {
            let unknown = unknown_files(&dir, &dir)?;
            if let Some(name) = unknown.first() {
                bail!(
                    "{}: no built-in template has this name, so it would be ignored\n  help: run `coursepack templates` to see the names; templates are matched by their path under templates/",
                    dir.join(name).display()
                );
            }
        }
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        // Tera's own escaper also escapes `/`, which turns every link into `&#x2F;` soup.
        tera.set_escape_fn(filters::escape_html);
        filters::register(&mut tera);
        tera.add_raw_templates(sources)
            .map_err(|err| anyhow::anyhow!("{}", chain(&err)))?;
        Ok(Templates { tera, overridden })
    }

    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<String> {
        self.tera
            .render(name, ctx)
            .map_err(|err| anyhow::anyhow!("template {name}: {}", chain(&err)))
    }
}

fn unknown_files(root: &Path, dir: &Path) -> Result<Vec<String>> {
    let mut unknown = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            unknown.extend(unknown_files(root, &path)?);
            continue;
        }
        let name = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !BUILTIN.iter().any(|(b, _)| *b == name)
            && !name.starts_with('.')
            && !name.ends_with(".md~")
        {
            unknown.push(name);
        }
    }
    Ok(unknown)
}

/// Tera's errors nest their causes; a user editing a template needs all of them.
fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Writes the built-in templates into `dir` for editing; refuses to overwrite anything.
pub fn copy_builtins(dir: &Path) -> Result<Vec<String>> {
    let existing: Vec<&str> = BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| dir.join(n).exists())
        .collect();
    if let Some(first) = existing.first() {
        bail!(
            "{} already exists; coursepack will not overwrite it\n  help: move your templates aside or choose another directory with -o",
            dir.join(first).display()
        );
    }
    let mut written = Vec::new();
    for (name, text) in BUILTIN {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push((*name).to_owned());
    }
    Ok(written)
}
