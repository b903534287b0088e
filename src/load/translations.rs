//! `translations = ["es"]`: the files beside the originals (`course.es.toml`,
//! `modules/<id>.es.toml`, `handouts/<id>.es.toml`) laid over them into one more curriculum per
//! language. Text a translation leaves out falls back to the original's.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use super::overlay::{self, Overlay, Spec};
use super::{Loader, file, keys, question};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Course, Handout, HandoutFile, Module, ModuleFile, RawQuestion};
use crate::source::{EntryKind, FileId};

/// One language's translated curriculum, as loaded.
#[derive(Debug)]
pub struct Translation {
    /// The language tag, as `translations` lists it.
    pub lang: String,
    /// `course.toml` with `course.<lang>.toml` laid over it, `language` set to `lang`.
    pub course: Course,
    /// In course order.
    pub modules: Vec<ModuleFile>,
    /// In course order.
    pub handouts: Vec<HandoutFile>,
}

/// Whether `tag` looks like a BCP 47 language tag: `es`, `pt-BR`, `zh-Hant`.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `dir/<stem>.<lang>.toml`.
fn translation_path(original: &Path, lang: &str) -> PathBuf {
    let stem = original
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    original.with_file_name(format!("{stem}.{lang}.toml"))
}

impl Loader<'_> {
    /// The languages course.toml asks for, checked; problems reported.
    pub(super) fn translation_languages(&mut self, file: FileId, course: &Course) -> Vec<String> {
        let mut langs: Vec<String> = Vec::new();
        for tag in &course.translations {
            let problem = if !is_language_tag(tag) {
                Some("is not a language tag such as \"es\" or \"pt-BR\"")
            } else if **tag == course.language {
                Some("is the course's own `language`")
            } else if langs.contains(tag) {
                Some("is listed twice")
            } else {
                None
            };
            match problem {
                Some(problem) => self.push(
                    Diagnostic::error(
                        Code::TranslationLanguage,
                        format!("translation \"{}\" {problem}", tag.get_ref()),
                    )
                    .at(file, tag.span())
                    .label("not a translation language")
                    .help("list the languages built besides `language`, as BCP 47 tags: translations = [\"es\"]"),
                ),
                None => langs.push(tag.to_string()),
            }
        }
        langs
    }

    /// Every translation of the loaded curriculum, one per language.
    pub(super) fn translations(&mut self, langs: &[String]) {
        let Some((course_file, course)) = self.loaded.course.clone() else {
            return;
        };
        for lang in langs {
            let course = self
                .translate::<Course>(
                    course_file,
                    Path::new("course.toml"),
                    lang,
                    &overlay::COURSE,
                    &keys::COURSE,
                )
                .unwrap_or_else(|| course.clone());
            let course = Course {
                language: lang.clone(),
                ..course
            };
            let modules: Vec<ModuleFile> = self
                .loaded
                .modules
                .iter()
                .map(|m| (m.id.clone(), m.file, m.module.clone()))
                .collect::<Vec<_>>()
                .into_iter()
                .map(|(id, file, module)| {
                    let path = Path::new("modules").join(format!("{id}.toml"));
                    let translated = self
                        .translate::<Module<RawQuestion>>(
                            file,
                            &path,
                            lang,
                            &overlay::MODULE,
                            &keys::MODULE,
                        )
                        .map(|raw| {
                            let text = self.loaded.sources.get(file).text.to_string();
                            let mut discard = Vec::new();
                            question::convert_module(raw, file, &text, &mut discard).0
                        });
                    ModuleFile {
                        id,
                        file,
                        module: translated.unwrap_or(module),
                    }
                })
                .collect();
            let handouts: Vec<HandoutFile> = self
                .loaded
                .handouts
                .clone()
                .into_iter()
                .map(|h| {
                    let path = super::handouts::handout_path(&h.id);
                    let handout = self
                        .translate::<Handout>(
                            h.file,
                            &path,
                            lang,
                            &overlay::HANDOUT,
                            &keys::HANDOUT,
                        )
                        .unwrap_or(h.handout);
                    HandoutFile { handout, ..h }
                })
                .collect();
            self.loaded.translations.push(Translation {
                lang: lang.clone(),
                course,
                modules,
                handouts,
            });
        }
    }

    /// The original at `path` (already loaded as `original`) with its `<lang>` translation laid
    /// over it; `None`, reported, when the translation is absent or cannot be read.
    fn translate<T: DeserializeOwned>(
        &mut self,
        original: FileId,
        path: &Path,
        lang: &str,
        spec: &Spec,
        schema: &keys::Schema,
    ) -> Option<T> {
        let tr_path = translation_path(path, lang);
        let shown = self.provider.display(&tr_path);
        if !matches!(self.provider.kind(&tr_path), Ok(Some(EntryKind::File))) {
            self.push(
                Diagnostic::warning(
                    Code::Untranslated,
                    format!("`{}` has no \"{lang}\" translation", self.provider.display(path).display()),
                )
                .at_path(shown.clone())
                .help(format!("create {} with the translated text; until then the {lang} build uses the original's", shown.display())),
            );
            return None;
        }
        let translation = self.read_text(&tr_path)?;
        let Loader {
            loaded, variables, ..
        } = self;
        let sources = &loaded.sources;
        let mut out = Vec::new();
        let mut discard = Vec::new();
        let (orig_source, tr_source) = (sources.get(original), sources.get(translation));
        let Ok(orig_table) = DeTable::parse(&orig_source.text) else {
            return None;
        };
        let mut merged = orig_table.into_inner();
        keys::prune_unknown(&mut merged, schema, original, &mut discard);
        let (tr_table, errors) = DeTable::parse_recoverable(&tr_source.text);
        if !errors.is_empty() {
            loaded.diagnostics.extend(
                errors
                    .iter()
                    .map(|err| file::syntax_error(err, translation)),
            );
            return None;
        }
        let span = tr_table.span();
        let mut tr_table = tr_table.into_inner();
        // The hashes are of the original as written, so `--var` does not make a translation stale.
        let mut overlay = Overlay {
            original,
            translation,
            shown: shown.display().to_string(),
            out: &mut out,
        };
        // Placeholders: the translation's own are reported where they are; the original's were
        // reported when it loaded. The stamps are of the original's text as written, so they are
        // compared before either is substituted.
        let mut stamped = merged.clone();
        overlay.table(&mut stamped, &tr_table, spec, spec.header, 0..0);
        variables.substitute(&mut tr_table, translation, tr_source, overlay.out);
        variables.substitute(&mut merged, original, orig_source, &mut discard);
        let mut quiet = Vec::new();
        let mut again = Overlay {
            original,
            translation,
            shown: String::new(),
            out: &mut quiet,
        };
        again.table(&mut merged, &tr_table, spec, spec.header, 0..0);
        super::links::check(&tr_table, translation, tr_source, &mut out);
        let value = file::deserialize::<T>(merged, span, translation, tr_source, &mut discard);
        loaded.diagnostics.extend(out);
        value.map(|(_, value)| value)
    }
}
