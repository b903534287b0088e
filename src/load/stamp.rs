//! `coursepack translate`: the state of each entry of one language's translation files, and
//! `--stamp`, which writes each entry's `translates` hash (the short hash of the original's text
//! it translates) into the files, keeping their formatting.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml_edit::{DocumentMut, Item, Table, value};

use super::overlay::{self, Match, Spec, entry_hash};
use crate::diagnostic::Diagnostic;
use crate::source::{EntryKind, SourceProvider};

/// What one translated entry is, against its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Its `translates` matches the original's text.
    Current,
    /// Its `translates` does not: the original changed since it was translated.
    Stale,
    /// It has no `translates` yet.
    Unstamped,
}

impl State {
    /// As printed.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Current => "current",
            State::Stale => "stale",
            State::Unstamped => "unstamped",
        }
    }
}

/// One entry of a translation file.
#[derive(Debug, Clone)]
pub struct EntryState {
    /// The translation file, relative to the course.
    pub file: PathBuf,
    /// The entry, as messages name it (`"RC-Q1"`, `[[sections]] number 2`, `the module`).
    pub entry: String,
    /// Its state before any stamping.
    pub state: State,
}

/// Every translated entry of `lang` in the curriculum `root` holds and, with `stamp`, the
/// translation files with their `translates` hashes brought up to date (written atomically).
pub fn translation_status(
    root: &Path,
    provider: &dyn SourceProvider,
    lang: &str,
    stamp: bool,
) -> Result<Vec<EntryState>, Diagnostic> {
    let mut files: Vec<(PathBuf, &'static Spec)> =
        vec![(PathBuf::from("course.toml"), &overlay::COURSE)];
    for (dir, spec) in [
        ("modules", &overlay::MODULE),
        ("handouts", &overlay::HANDOUT),
    ] {
        if let Ok(Some(EntryKind::Dir)) = provider.kind(Path::new(dir))
            && let Ok(entries) = provider.list(Path::new(dir))
        {
            for (name, kind) in entries {
                let Some(stem) = name.strip_suffix(".toml") else {
                    continue;
                };
                let is_translation = stem.rsplit_once('.').is_some_and(|(_, l)| l == lang);
                if kind == EntryKind::File && !is_translation && !stem.contains('.') {
                    files.push((Path::new(dir).join(&name), spec));
                }
            }
        }
    }
    let mut states = Vec::new();
    for (original, spec) in files {
        let stem = original
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let translation = original.with_file_name(format!("{stem}.{lang}.toml"));
        if !matches!(provider.kind(&translation), Ok(Some(EntryKind::File))) {
            continue;
        }
        let read = |path: &Path| -> Result<String, Diagnostic> {
            provider
                .read(path)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .ok_or_else(|| cannot(path, "cannot be read as UTF-8 text"))
        };
        let (orig_text, tr_text) = (read(&original)?, read(&translation)?);
        let orig = DeTable::parse(&orig_text)
            .map_err(|_| cannot(&original, "is not valid TOML; run `coursepack check` first"))?;
        let mut doc: DocumentMut = tr_text.parse().map_err(|_| {
            cannot(
                &translation,
                "is not valid TOML; run `coursepack check` first",
            )
        })?;
        let mut found = Vec::new();
        walk(
            orig.get_ref(),
            doc.as_table_mut(),
            spec,
            spec.header,
            stamp,
            &mut found,
        );
        let changed = found.iter().any(|(_, s)| *s != State::Current);
        states.extend(found.into_iter().map(|(entry, state)| EntryState {
            file: translation.clone(),
            entry,
            state,
        }));
        if stamp && changed {
            crate::output::write_atomic(&root.join(&translation), doc.to_string().as_bytes())?;
        }
    }
    Ok(states)
}

fn cannot(path: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostic::Code::Io,
        format!("`{}` {why}", path.display()),
    )
    .at_path(path)
}

fn walk(
    original: &DeTable<'_>,
    translation: &mut Table,
    spec: &Spec,
    entry: &str,
    stamp: bool,
    out: &mut Vec<(String, State)>,
) {
    let hash = entry_hash(original, spec);
    let state = match translation.get("translates").and_then(Item::as_str) {
        Some(given) if given == hash => State::Current,
        Some(_) => State::Stale,
        None => State::Unstamped,
    };
    out.push((entry.to_owned(), state));
    if stamp && state != State::Current {
        translation.insert("translates", value(hash));
    }
    for (name, how, child) in spec.children {
        let Some(DeValue::Array(originals)) = original.get(*name).map(|v| v.get_ref()) else {
            continue;
        };
        let Some(tables) = translation
            .get_mut(name)
            .and_then(Item::as_array_of_tables_mut)
        else {
            continue;
        };
        for (i, table) in tables.iter_mut().enumerate() {
            let matched = match how {
                Match::Position => originals.get(i),
                Match::Id => {
                    let id = table.get("id").and_then(Item::as_str).map(str::to_owned);
                    originals.iter().find(|o| match (o.get_ref(), &id) {
                        (DeValue::Table(t), Some(id)) => {
                            matches!(t.get("id").map(|v| v.get_ref()), Some(DeValue::String(s)) if s == id)
                        }
                        _ => false,
                    })
                }
            };
            let Some(DeValue::Table(o)) = matched.map(|m| m.get_ref()) else {
                continue;
            };
            let label = match (how, table.get("id").and_then(Item::as_str)) {
                (Match::Id, Some(id)) => format!("\"{id}\""),
                _ => format!("{} number {}", child.header, i + 1),
            };
            walk(o, table, child, &label, stamp, out);
        }
    }
}
