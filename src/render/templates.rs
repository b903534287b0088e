//! The built-in templates, embedded in the binary, and a course's own overrides.

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use anyhow::{Context as _, Result, bail};

use super::filters;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{EntryKind, FileId, SourceProvider, Sources};

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
        "html/learner-index.html",
        include_str!("../../templates/html/learner-index.html"),
    ),
    (
        "html/handbook.html",
        include_str!("../../templates/html/handbook.html"),
    ),
    (
        "html/handbook-module.html",
        include_str!("../../templates/html/handbook-module.html"),
    ),
    (
        "html/handout.html",
        include_str!("../../templates/html/handout.html"),
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
        "html/guide-module.html",
        include_str!("../../templates/html/guide-module.html"),
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
        "html/check-question.html",
        include_str!("../../templates/html/check-question.html"),
    ),
    (
        "html/form-question.html",
        include_str!("../../templates/html/form-question.html"),
    ),
    (
        "html/form-key.html",
        include_str!("../../templates/html/form-key.html"),
    ),
    (
        "html/form-key-question.html",
        include_str!("../../templates/html/form-key-question.html"),
    ),
    (
        "html/blueprint.html",
        include_str!("../../templates/html/blueprint.html"),
    ),
    (
        "html/evaluation.html",
        include_str!("../../templates/html/evaluation.html"),
    ),
    (
        "html/outline.html",
        include_str!("../../templates/html/outline.html"),
    ),
    (
        "html/outline-module.html",
        include_str!("../../templates/html/outline-module.html"),
    ),
    (
        "html/outline-matrix.html",
        include_str!("../../templates/html/outline-matrix.html"),
    ),
    ("md/macros.md", include_str!("../../templates/md/macros.md")),
    (
        "md/handbook.md",
        include_str!("../../templates/md/handbook.md"),
    ),
    (
        "md/handbook-module.md",
        include_str!("../../templates/md/handbook-module.md"),
    ),
    (
        "md/handout.md",
        include_str!("../../templates/md/handout.md"),
    ),
    ("md/module.md", include_str!("../../templates/md/module.md")),
    ("md/check.md", include_str!("../../templates/md/check.md")),
    ("md/guide.md", include_str!("../../templates/md/guide.md")),
    (
        "md/guide-module.md",
        include_str!("../../templates/md/guide-module.md"),
    ),
    (
        "md/activity.md",
        include_str!("../../templates/md/activity.md"),
    ),
    ("md/form.md", include_str!("../../templates/md/form.md")),
    (
        "md/check-question.md",
        include_str!("../../templates/md/check-question.md"),
    ),
    (
        "md/form-question.md",
        include_str!("../../templates/md/form-question.md"),
    ),
    (
        "md/form-key.md",
        include_str!("../../templates/md/form-key.md"),
    ),
    (
        "md/form-key-question.md",
        include_str!("../../templates/md/form-key-question.md"),
    ),
    (
        "md/blueprint.md",
        include_str!("../../templates/md/blueprint.md"),
    ),
    (
        "md/evaluation.md",
        include_str!("../../templates/md/evaluation.md"),
    ),
    (
        "md/outline.md",
        include_str!("../../templates/md/outline.md"),
    ),
    (
        "md/outline-module.md",
        include_str!("../../templates/md/outline-module.md"),
    ),
    (
        "md/outline-matrix.md",
        include_str!("../../templates/md/outline-matrix.md"),
    ),
];

/// The built-in templates, parsed once per process: every `check` and `build` (and every fuzz
/// run) starts from them, and a course with overrides changes a copy.
struct Builtin {
    tera: tera::Tera,
    /// [`digest`] of the built-ins alone.
    digest: String,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Builtin")
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// The built-ins, parsed on first use; `Err` only if a built-in template is broken (a bug).
fn builtin() -> Result<&'static Builtin, String> {
    static BUILTIN_SET: OnceLock<Result<Builtin, String>> = OnceLock::new();
    BUILTIN_SET
        .get_or_init(|| {
            let mut tera = tera::Tera::default();
            tera.autoescape_on(vec![".html"]);
            // Tera's own escaper also escapes `/`, which turns every link into `&#x2F;` soup.
            tera.set_escape_fn(filters::escape_html);
            filters::register(&mut tera);
            tera.register_function(
                "t",
                crate::locale::Translate(crate::locale::Catalog::english()),
            );
            tera.add_raw_templates(BUILTIN.iter().copied())
                .map_err(|err| chain(&err))?;
            let texts: Vec<(String, String)> = BUILTIN
                .iter()
                .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
                .collect();
            Ok(Builtin {
                tera,
                digest: digest(&texts),
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Parses the built-in templates now, if no call has yet: they are parsed once per process, so
/// a caller can have it done beside other work before [`Templates::load`] needs them.
pub fn prepare() {
    // A broken built-in is reported by the `Templates::load` that follows.
    let _ = builtin();
}

/// A digest of every template's name and text, in [`BUILTIN`]'s order.
fn digest(texts: &[(String, String)]) -> String {
    let mut digest = crate::cache::Fingerprint::default();
    for (name, text) in texts {
        digest.add(name).add(text);
    }
    digest.finish()
}

/// The template set of one build.
#[derive(Debug, Clone)]
pub struct Templates {
    tera: Cow<'static, tera::Tera>,
    /// The course's overrides: their names under `templates/` and the files they were read from.
    overrides: Vec<(String, FileId)>,
    /// A digest of every template's text, for the build cache.
    digest: String,
}

impl Templates {
    /// The built-ins, with any same-named file in the course's `templates/` in their place; every
    /// problem with an override (unreadable, misnamed, a syntax error) is a located diagnostic.
    /// `None` when any override is broken.
    pub fn load(
        provider: &dyn SourceProvider,
        sources: &mut Sources,
    ) -> (Option<Self>, Vec<Diagnostic>) {
        let dir = Path::new(TEMPLATES);
        let has_overrides = matches!(provider.kind(dir), Ok(Some(EntryKind::Dir)));
        let mut problems = if has_overrides {
            unknown_files(provider, dir)
        } else {
            Vec::new()
        };
        let mut overrides = Vec::new();
        let mut texts: Vec<(String, String)> = Vec::new();
        for (name, builtin) in BUILTIN {
            let path = dir.join(name);
            let found = if has_overrides {
                read_override(provider, &path, sources)
            } else {
                Ok(None)
            };
            match found {
                Ok(None) => texts.push(((*name).to_owned(), (*builtin).to_owned())),
                Ok(Some(file)) => {
                    let text = sources.get(file).text.to_string();
                    if let Err(err) = tera::Template::new(name, None, &text) {
                        problems.push(syntax_error(&err, file, sources));
                    }
                    overrides.push(((*name).to_owned(), file));
                    texts.push(((*name).to_owned(), text));
                }
                Err(problem) => problems.push(problem),
            }
        }
        if !problems.is_empty() {
            return (None, problems);
        }
        let builtin = match builtin() {
            Ok(builtin) => builtin,
            Err(message) => {
                return (
                    None,
                    vec![Diagnostic::error(
                        Code::TemplateSyntax,
                        format!("the built-in templates do not parse: {message}"),
                    )],
                );
            }
        };
        if overrides.is_empty() {
            return (
                Some(Templates {
                    tera: Cow::Borrowed(&builtin.tera),
                    overrides,
                    digest: builtin.digest.clone(),
                }),
                Vec::new(),
            );
        }
        let digest = digest(&texts);
        // The built-ins are parsed once per process; a course's overrides go on a copy.
        let mut tera = builtin.tera.clone();
        let changed = texts
            .into_iter()
            .filter(|(name, _)| overrides.iter().any(|(n, _)| n == name));
        if let Err(err) = tera.add_raw_templates(changed) {
            // Each file parsed alone, so what is left is how they fit together: a missing
            // parent, an import of a file that is not there, a macro that does not exist.
            let message = chain(&err);
            let culprit = overrides
                .iter()
                .find(|(name, _)| message.contains(name.as_str()));
            let mut diagnostic = Diagnostic::error(Code::TemplateSyntax, format!("templates do not fit together: {message}"))
                .help("check the names in `extends`, `import` and `include`; `coursepack templates --list` shows the built-in names");
            if let Some((_, file)) = culprit {
                diagnostic = diagnostic.at_path(sources.get(*file).path.clone());
            }
            return (None, vec![diagnostic]);
        }
        if let Some((chain, cycle)) = super::calls::first_unbounded(&tera) {
            let shown: Vec<String> = chain
                .iter()
                .map(|(t, m)| {
                    if m.is_empty() {
                        t.clone()
                    } else {
                        format!("{t}::{m}")
                    }
                })
                .collect();
            let culprit = overrides
                .iter()
                .find(|(name, _)| chain.iter().any(|(t, _)| t == name));
            let message = if cycle {
                format!(
                    "templates call themselves without end: {}",
                    shown.join(" → ")
                )
            } else {
                format!(
                    "templates nest macro calls and includes deeper than {}: {} → …",
                    crate::limits::MAX_TEMPLATE_DEPTH,
                    shown.join(" → ")
                )
            };
            let mut diagnostic = Diagnostic::error(Code::TemplateRecursion, message)
                .help("a macro or include may not lead back to itself; render nested parts with a `for` loop instead");
            if let Some((_, file)) = culprit {
                diagnostic = diagnostic.at_path(sources.get(*file).path.clone());
            }
            return (None, vec![diagnostic]);
        }
        (
            Some(Templates {
                tera: Cow::Owned(tera),
                overrides,
                digest,
            }),
            Vec::new(),
        )
    }

    /// The same templates with one more, `name`, holding `text`: for tests that run a macro.
    #[cfg(test)]
    pub(super) fn with_raw(&self, name: &str, text: &str) -> Templates {
        let mut templates = self.clone();
        templates
            .tera
            .to_mut()
            .add_raw_template(name, text)
            .expect("the test's template parses");
        templates
    }

    /// The same templates with `t(id=...)` reading `catalog`.
    pub fn with_catalog(&self, catalog: std::sync::Arc<crate::locale::Catalog>) -> Templates {
        let mut templates = self.clone();
        templates
            .tera
            .to_mut()
            .register_function("t", crate::locale::Translate(catalog));
        templates
    }

    /// The same templates with the part of each whole-course page that one module or question
    /// fills (the `*-module` templates the handbook, the guide and the outline include, the
    /// outline's `outline-matrix`, the `*-question` ones of the exam forms) printing its
    /// `fragment`, a mark the part is written at (see `render::walk`).
    pub(super) fn frames(&self) -> Templates {
        let mut frames = self.clone();
        let parts = BUILTIN.iter().filter_map(|(name, _)| {
            // The outline's loops name each module `m`, and print two parts of it.
            if name.contains("outline-module.") {
                Some((*name, "{{ m.fragment | safe }}"))
            } else if name.contains("outline-matrix.") {
                Some((*name, "{{ m.matrix_fragment | safe }}"))
            } else if name.contains("-module.") {
                Some((*name, "{{ module.fragment | safe }}"))
            } else if name.contains("-question.") {
                Some((*name, "{{ q.fragment | safe }}"))
            } else {
                None
            }
        });
        frames
            .tera
            .to_mut()
            .add_raw_templates(parts)
            .expect("a frame's part template parses");
        frames
    }

    /// A digest of every template's text: a change to any template changes it.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// Names the course overrides, for the build summary.
    pub fn overridden(&self) -> impl Iterator<Item = &str> {
        self.overrides.iter().map(|(name, _)| name.as_str())
    }

    /// Renders template `name`; a failure is a diagnostic at the override, if it is one.
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        sources: &Sources,
    ) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|err| {
            let diagnostic = Diagnostic::error(
                Code::TemplateRender,
                format!("template {name} failed: {}", chain(&err)),
            )
            .help("docs/templates.md lists every variable and filter a template may use");
            match self.overrides.iter().find(|(n, _)| n == name) {
                Some((_, file)) => diagnostic.at_path(sources.get(*file).path.clone()),
                None => diagnostic,
            }
        })
    }
}

/// Where a course keeps its overrides.
const TEMPLATES: &str = "templates";

/// The file of an override of a built-in, when the course has one.
fn read_override(
    provider: &dyn SourceProvider,
    path: &Path,
    sources: &mut Sources,
) -> Result<Option<FileId>, Diagnostic> {
    let shown = provider.display(path);
    let unreadable = |why: String| {
        Diagnostic::error(
            Code::Io,
            format!("cannot read template `{}`: {why}", shown.display()),
        )
        .at_path(&shown)
        .help("check that the file exists and that you may read it")
    };
    match provider.kind(path) {
        Ok(Some(EntryKind::File)) => {}
        Ok(_) => return Ok(None),
        Err(err) => return Err(unreadable(err.to_string())),
    }
    let bytes = provider
        .read(path)
        .map_err(|err| unreadable(err.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| unreadable("not valid UTF-8".to_owned()))?;
    Ok(Some(sources.add(shown.clone(), text)))
}

/// A parse error at the line and column Tera's parser names.
fn syntax_error(err: &tera::Error, file: FileId, sources: &Sources) -> Diagnostic {
    let message = chain(err);
    let source = sources.get(file);
    let offset = position(&message).map(|(line, column)| source.offset(line, column));
    let first = message
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("= "))
        .map_or("the template does not parse", |l| {
            l.trim_start_matches("= ")
        });
    let diagnostic = Diagnostic::error(
        Code::TemplateSyntax,
        format!("template syntax: {first}"),
    )
    .help("fix the tag at this place; Tera's syntax is described at https://keats.github.io/tera/docs/");
    match offset {
        Some(at) => diagnostic.at(file, at..at).label("here"),
        None => diagnostic.at_path(source.path.clone()),
    }
}

/// `--> 3:5` in a pest error: line 3, column 5.
fn position(message: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find("--> ")? + 4..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit() && c != ':')
        .unwrap_or(rest.len());
    let (line, column) = rest[..end].split_once(':')?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Files under `templates/` that no built-in has the name of: they would be ignored.
fn unknown_files(provider: &dyn SourceProvider, dir: &Path) -> Vec<Diagnostic> {
    let mut unknown = Vec::new();
    let entries = match provider.list(dir) {
        Ok(entries) => entries,
        Err(err) => {
            let shown = provider.display(dir);
            return vec![
                Diagnostic::error(
                    Code::Io,
                    format!("cannot read `{}`: {err}", shown.display()),
                )
                .at_path(shown),
            ];
        }
    };
    for (name, kind) in entries {
        let path = dir.join(&name);
        if kind == EntryKind::Dir {
            unknown.extend(unknown_files(provider, &path));
            continue;
        }
        let relative = path
            .strip_prefix(TEMPLATES)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if !BUILTIN.iter().any(|(b, _)| *b == relative)
            && !name.starts_with('.')
            && !name.ends_with('~')
        {
            unknown.push(
                Diagnostic::error(
                    Code::UnknownTemplate,
                    format!("templates/{relative}: no built-in template has this name, so it would be ignored"),
                )
                .at_path(provider.display(&path))
                .help("run `coursepack templates --list` to see the names; templates are matched by their path under templates/"),
            );
        }
    }
    unknown
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
            "{} already exists; coursepack will not overwrite it\n  help: move your templates aside, or copy them into another curriculum directory",
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
        // Atomically: a full disk leaves no file, never a short one a later build would use.
        crate::output::write_atomic(&path, text.as_bytes())
            .map_err(|d| anyhow::anyhow!(d.message))?;
        written.push((*name).to_owned());
    }
    Ok(written)
}
