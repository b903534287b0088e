//! Source to checked model: loads a curriculum, runs every rule over it, parses its template
//! overrides, and hands on a [`Checked`] curriculum only when nothing is wrong.
//!
//! Loading has already reported what a file could not say (syntax, unknown keys, types); the
//! rules look at what the files say together: ids, references, choices, minutes, the exam.
//! Everything after this step (plan, render, export) takes a [`Curriculum`], which cannot be
//! half-loaded, so none of it re-tests what the checker proved.

mod github;
mod render;
mod rules;

pub use github::{RepoPaths, render_github};
pub use render::{render_json, render_text};
pub(crate) use rules::{ItemFindings, class_fit};

use crate::diagnostic::{Lints, Report};
use crate::load::memo::Memo;
use crate::load::{Loaded, load_memo};
use crate::model::Curriculum;
use crate::render::Templates;
use crate::source::SourceProvider;

/// A curriculum with no errors, its templates parsed, and the warnings met on the way.
#[derive(Debug)]
pub struct Checked {
    /// The checked model.
    pub curriculum: Curriculum,
    /// One curriculum per language of `translations`: the checked one with each translation
    /// laid over it, `course.language` set to the translation's.
    pub translations: Vec<Curriculum>,
    /// The catalog of each language the build writes, the course's own `locales/` over the
    /// built-in ones.
    pub catalogs: std::collections::BTreeMap<String, std::sync::Arc<crate::locale::Catalog>>,
    /// The built-in templates with the course's overrides, parsed.
    pub templates: Templates,
    /// Warnings (there are no errors), and the sources they point into. Later steps push
    /// their own problems here.
    pub report: Report,
}

/// Loads the curriculum `provider` holds and checks it: `Err` holds the report of a
/// curriculum with errors, every one of them.
pub fn check(provider: &dyn SourceProvider) -> Result<Checked, Report> {
    check_with(provider, &[])
}

/// [`check`] with `--var name=value` overrides of the course's `[variables]`.
pub fn check_with(
    provider: &dyn SourceProvider,
    variables: &[(String, String)],
) -> Result<Checked, Report> {
    check_memo(provider, variables, &Memo::off())
}

/// [`check_with`], reading back from `memo` the modules the last build parsed from the same
/// bytes, and recording in it this build's (see [`crate::load::memo`]).
pub fn check_memo(
    provider: &dyn SourceProvider,
    variables: &[(String, String)],
    memo: &Memo,
) -> Result<Checked, Report> {
    // The built-in templates are parsed while the modules load.
    let (loaded, ()) = rayon::join(
        || load_memo(provider, variables, memo),
        crate::render::prepare_templates,
    );
    let rule_problems = rules::run(&loaded, memo);
    let Loaded {
        course,
        modules,
        handouts,
        translations,
        mut sources,
        diagnostics,
        ..
    } = loaded;
    let (templates, template_problems) = Templates::load(provider, &mut sources);
    let languages: Vec<(String, crate::source::FileId, std::ops::Range<usize>)> = course
        .as_ref()
        .map(|(file, c)| {
            // `language` is read without a span: point at its line, when the file writes it.
            let text = &sources.get(*file).text;
            let at = text
                .match_indices("language")
                .map(|(i, _)| i)
                .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
                .map_or(0..0, |i| i..i + "language".len());
            let own = (c.language.clone(), *file, at);
            std::iter::once(own)
                .chain(
                    c.translations
                        .iter()
                        .filter(|t| crate::load::is_language_tag(t))
                        .map(|t| (t.to_string(), *file, t.span())),
                )
                .collect()
        })
        .unwrap_or_default();
    let (catalogs, locale_problems) = crate::locale::load(provider, &mut sources, &languages);
    let mut report = Report::new(sources);
    if let Some((file, course)) = &course {
        let (lints, problems) = Lints::new(&course.lints, *file);
        report.set_lints(lints);
        report.extend(problems);
    }
    report.extend(diagnostics);
    report.extend(rule_problems);
    report.extend(template_problems);
    report.extend(locale_problems);
    report.sort();
    match (course, templates) {
        (Some((file, course)), Some(templates)) if !report.has_errors() => Ok(Checked {
            curriculum: Curriculum::new(course, file, modules, handouts),
            catalogs,
            translations: translations
                .into_iter()
                .map(|t| Curriculum::new(t.course, file, t.modules, t.handouts))
                .collect(),
            templates,
            report,
        }),
        _ => Err(report),
    }
}
