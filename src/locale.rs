//! Locale catalogs: every word coursepack writes itself (headings, labels, "True", "Form A")
//! comes from a Fluent catalog per language. English and Spanish are built in
//! (`locales/en.ftl`, `locales/es.ftl`); a course adds or overrides messages in
//! `locales/<lang>.ftl`. Templates call `t(id="...")`; the views and exporters call
//! [`Catalog::text`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{EntryKind, FileId, SourceProvider, Sources};

/// The built-in catalogs, by language tag.
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en.ftl")),
    ("es", include_str!("../locales/es.ftl")),
];

/// The message ids every catalog must hold: those of the English one.
fn english_ids() -> BTreeSet<String> {
    message_ids(BUILTIN[0].1)
}

fn message_ids(text: &str) -> BTreeSet<String> {
    let resource = match FluentResource::try_new(text.to_owned()) {
        Ok(r) | Err((r, _)) => r,
    };
    resource
        .entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// One language's messages, with English behind them for any the language lacks (which only
/// a course catalog the checker refused could).
pub struct Catalog {
    lang: String,
    bundle: FluentBundle<FluentResource>,
    english: Option<Arc<Catalog>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog").field("lang", &self.lang).finish()
    }
}

impl Catalog {
    fn from_texts(lang: &str, texts: &[&str], english: Option<Arc<Catalog>>) -> Self {
        let id = lang
            .parse()
            .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        bundle.set_use_isolating(false);
        for text in texts {
            let resource = match FluentResource::try_new((*text).to_owned()) {
                Ok(r) | Err((r, _)) => r,
            };
            bundle.add_resource_overriding(resource);
        }
        Catalog {
            lang: lang.to_owned(),
            bundle,
            english,
        }
    }

    /// The built-in English catalog.
    pub fn english() -> Arc<Catalog> {
        static ENGLISH: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
        ENGLISH
            .get_or_init(|| Arc::new(Catalog::from_texts("en", &[BUILTIN[0].1], None)))
            .clone()
    }

    /// The built-in catalog of `lang` (its base language, `es` for `es-US`), else English.
    pub fn builtin(lang: &str) -> Arc<Catalog> {
        let base = lang.split('-').next().unwrap_or(lang);
        match BUILTIN.iter().find(|(l, _)| *l == base) {
            Some(("en", _)) | None => Catalog::english(),
            Some((_, text)) => {
                Arc::new(Catalog::from_texts(lang, &[text], Some(Catalog::english())))
            }
        }
    }

    /// The language tag.
    pub fn lang(&self) -> &str {
        &self.lang
    }

    /// Message `id` with `args`; the id itself when no catalog has it.
    pub fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> Option<String> {
        if let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return Some(
                self.bundle
                    .format_pattern(pattern, args, &mut errors)
                    .into_owned(),
            );
        }
        self.english.as_ref().and_then(|e| e.format(id, args))
    }

    /// Message `id`, which the built-in catalogs hold.
    pub fn text(&self, id: &str) -> String {
        self.format(id, None).unwrap_or_else(|| id.to_owned())
    }

    /// Message `id` with named arguments.
    pub fn text_args(&self, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(id, Some(&fluent))
            .unwrap_or_else(|| id.to_owned())
    }

    /// Message `id` with one argument.
    pub fn text_with(
        &self,
        id: &str,
        name: &str,
        value: impl Into<FluentValue<'static>>,
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(name, value.into());
        self.format(id, Some(&args))
            .unwrap_or_else(|| id.to_owned())
    }
}

/// The catalogs of one build, by language, and what was wrong with the course's.
pub fn load(
    provider: &dyn SourceProvider,
    sources: &mut Sources,
    languages: &[(String, FileId, std::ops::Range<usize>)],
) -> (BTreeMap<String, Arc<Catalog>>, Vec<Diagnostic>) {
    let mut catalogs = BTreeMap::new();
    let mut problems = Vec::new();
    let known = english_ids();
    for (lang, at_file, at_span) in languages {
        let path = Path::new("locales").join(format!("{lang}.ftl"));
        let own = match provider.kind(&path) {
            Ok(Some(EntryKind::File)) => match provider.read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => Some(sources.add(provider.display(&path), text)),
                    Err(_) => {
                        problems.push(
                            Diagnostic::error(Code::NotUtf8, "file is not valid UTF-8")
                                .at_path(provider.display(&path))
                                .help("save the catalog as UTF-8"),
                        );
                        None
                    }
                },
                Err(err) => {
                    problems.push(
                        Diagnostic::error(
                            Code::Io,
                            format!("cannot read `{}`: {err}", provider.display(&path).display()),
                        )
                        .at_path(provider.display(&path)),
                    );
                    None
                }
            },
            _ => None,
        };
        let mut texts: Vec<&str> = Vec::new();
        let base = lang.split('-').next().unwrap_or(lang);
        let builtin = BUILTIN.iter().find(|(l, _)| *l == base).map(|(_, t)| *t);
        texts.extend(builtin);
        if let Some(file) = own {
            let source = sources.get(file);
            if let Err((_, errors)) = FluentResource::try_new(source.text.to_string()) {
                for error in errors {
                    let span = error.slice.clone().unwrap_or(error.pos.clone());
                    let end = source.text[span.start.min(source.text.len())..]
                        .find('\n')
                        .map_or(source.text.len(), |n| span.start + n);
                    problems.push(
                        Diagnostic::error(Code::LocaleSyntax, format!("Fluent syntax: {}", error.kind))
                            .at(file, span.start..end.max(span.start))
                            .label("not a Fluent message")
                            .help("write each message as `message-id = text`; indent continuation lines; see docs/templates.md"),
                    );
                }
            }
            for (id, span) in message_spans(&source.text) {
                if !known.contains(&id) {
                    problems.push(
                        Diagnostic::warning(Code::UnknownMessage, format!("no built-in message is called \"{id}\""))
                            .at(file, span)
                            .label("unknown message id")
                            .help("coursepack never asks for it; check the id against locales/en.ftl (`coursepack templates` copies it out)"),
                    );
                }
            }
            texts.push(&source.text);
        }
        if builtin.is_none() {
            let given: BTreeSet<String> = own
                .map(|f| message_ids(&sources.get(f).text))
                .unwrap_or_default();
            let missing: Vec<&String> = known.iter().filter(|id| !given.contains(*id)).collect();
            if !missing.is_empty() {
                let shown: Vec<&str> = missing.iter().take(12).map(|s| s.as_str()).collect();
                let more = missing.len().saturating_sub(shown.len());
                let list = if more > 0 {
                    format!("{} and {more} more", shown.join(", "))
                } else {
                    shown.join(", ")
                };
                problems.push(
                    Diagnostic::error(
                        Code::CatalogIncomplete,
                        format!("language \"{lang}\" has no built-in catalog and locales/{lang}.ftl lacks {} messages: {list}", missing.len()),
                    )
                    .at(*at_file, at_span.clone())
                    .label("no catalog for this language")
                    .help(format!("copy locales/en.ftl to locales/{lang}.ftl in the course (`coursepack templates` writes it) and translate every message")),
                );
            }
        }
        let english = (base != "en").then(Catalog::english);
        catalogs.insert(
            lang.clone(),
            Arc::new(Catalog::from_texts(lang, &texts, english)),
        );
    }
    (catalogs, problems)
}

/// Each message id of an FTL text and the span of its id.
fn message_spans(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let first = line.chars().next();
        if first.is_some_and(|c| c.is_ascii_alphabetic())
            && let Some(eq) = line.find('=')
        {
            let id = line[..eq].trim_end();
            if id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                out.push((id.to_owned(), offset..offset + id.len()));
            }
        }
        offset += line.len();
    }
    out
}

/// The Tera function `t(id="...", name=value, ...)`: message `id` of the page's language.
pub(crate) struct Translate(pub(crate) Arc<Catalog>);

impl tera::Function for Translate {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let id = args
            .get("id")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("t() needs id=\"message-id\""))?;
        let mut fluent = FluentArgs::new();
        let mut names: Vec<&String> = args.keys().filter(|k| *k != "id").collect();
        names.sort();
        for name in names {
            let value = match &args[name] {
                tera::Value::Number(n) => FluentValue::from(n.as_f64().unwrap_or_default()),
                tera::Value::String(s) => FluentValue::from(s.clone()),
                other => FluentValue::from(other.to_string()),
            };
            fluent.set(name.clone(), value);
        }
        let args = fluent.iter().next().is_some().then_some(&fluent);
        self.0
            .format(id, args)
            .map(tera::Value::String)
            .ok_or_else(|| {
                tera::Error::msg(format!(
                    "no message \"{id}\" in the {} catalog",
                    self.0.lang()
                ))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_has_every_english_message_and_no_other() {
        let english = english_ids();
        let spanish = message_ids(BUILTIN[1].1);
        let missing: Vec<_> = english.difference(&spanish).collect();
        let extra: Vec<_> = spanish.difference(&english).collect();
        assert!(missing.is_empty(), "es.ftl lacks {missing:?}");
        assert!(extra.is_empty(), "es.ftl has unknown {extra:?}");
        for (_, text) in BUILTIN {
            assert!(FluentResource::try_new((*text).to_owned()).is_ok());
        }
    }

    #[test]
    fn messages_have_no_isolation_marks() {
        let es = Catalog::builtin("es");
        let text = es.text_with("form-letter", "letter", "A");
        assert_eq!(text, "Formulario A");
        assert!(!text.contains('\u{2068}'));
        assert_eq!(
            Catalog::english().text_with("form-letter", "letter", "B"),
            "Form B"
        );
    }
}
