//! One file to one value: read, check it is UTF-8 and not empty, parse the TOML, report every
//! unknown key and every wrong value, deserialize.

use std::path::Path;

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use super::{Loaded, Loader, Variables, keys, links};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, SourceFile};

/// How many wrong values one file may report before the rest are left for the next run.
const MAX_TYPE_ERRORS: usize = 50;

impl Loader<'_> {
    /// Reads, parses and deserializes one file, reporting every reason it could not be.
    pub(super) fn load_file<T: DeserializeOwned>(
        &mut self,
        path: &Path,
        schema: &keys::Schema,
    ) -> Option<(FileId, T)> {
        let file = self.read_text(path)?;
        let Loaded {
            sources,
            diagnostics,
            ..
        } = &mut self.loaded;
        let source = sources.get(file);
        let (table, span) = parse_table(path, source, file, schema, diagnostics)?;
        if path == Path::new("course.toml") {
            self.variables.define(&table, file, diagnostics);
        }
        finish_file(
            table,
            span,
            file,
            source,
            &self.variables,
            diagnostics,
            &mut Vec::new(),
        )
    }

    /// The file's text, added to the sources; `None` (reported) when it cannot be read as UTF-8.
    pub(super) fn read_text(&mut self, path: &Path) -> Option<FileId> {
        let read = self.provider.read(path);
        self.add_text(path, read)
    }

    /// What reading `path` gave, added to the sources as [`Loader::read_text`] does; the
    /// reading itself may have run on another thread.
    pub(super) fn add_text(
        &mut self,
        path: &Path,
        read: std::io::Result<Vec<u8>>,
    ) -> Option<FileId> {
        let shown = self.provider.display(path);
        let bytes = match read {
            Ok(bytes) if bytes.len() as u64 > crate::limits::MAX_FILE_BYTES => {
                let err = std::io::Error::new(
                    std::io::ErrorKind::FileTooLarge,
                    format!(
                        "the file is {} bytes, over the limit of {} bytes",
                        bytes.len(),
                        crate::limits::MAX_FILE_BYTES
                    ),
                );
                self.io_error(path, &err);
                return None;
            }
            Ok(bytes) => bytes,
            Err(err) => {
                self.io_error(path, &err);
                return None;
            }
        };
        match String::from_utf8(bytes) {
            Ok(text) => Some(self.loaded.sources.add_read(shown, path.to_owned(), text)),
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
                let file = self.loaded.sources.add(shown, lossy);
                self.push(
                    Diagnostic::error(Code::NotUtf8, "file is not valid UTF-8")
                        .at(file, offset..offset + '\u{FFFD}'.len_utf8())
                        .label("invalid byte here")
                        .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")"),
                );
                None
            }
        }
    }
}

/// Parses and deserializes the text of one file read as `file`, reporting every reason it could
/// not be, and adds to `used` the name of every variable it fills in; touches nothing shared, so
/// files are parsed in parallel.
pub(super) fn parse_file<T: DeserializeOwned>(
    path: &Path,
    source: &SourceFile,
    file: FileId,
    schema: &keys::Schema,
    variables: &Variables,
    diagnostics: &mut Vec<Diagnostic>,
    used: &mut Vec<String>,
) -> Option<(FileId, T)> {
    let (table, span) = parse_table(path, source, file, schema, diagnostics)?;
    finish_file(table, span, file, source, variables, diagnostics, used)
}

/// The TOML table of one file, its unknown keys reported and set aside, and its span.
fn parse_table<'s>(
    path: &Path,
    source: &'s SourceFile,
    file: FileId,
    schema: &keys::Schema,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(DeTable<'s>, std::ops::Range<usize>)> {
    if source.text.trim().is_empty() {
        let needs = if path.ends_with("course.toml") {
            "`id`, `title`, `version` and `modules`"
        } else {
            "at least `title`"
        };
        diagnostics.push(
            Diagnostic::error(Code::EmptyFile, "file is empty")
                .at(file, 0..0)
                .help(format!("it needs {needs}; see docs/format.md")),
        );
        return None;
    }
    let (table, errors) = DeTable::parse_recoverable(&source.text);
    if !errors.is_empty() {
        diagnostics.extend(errors.iter().map(|err| syntax_error(err, file)));
        return None;
    }
    let span = table.span();
    let mut table = table.into_inner();
    keys::prune_unknown(&mut table, schema, file, diagnostics);
    Some((table, span))
}

/// Placeholders filled in, links checked, the table deserialized.
fn finish_file<T: DeserializeOwned>(
    mut table: DeTable<'_>,
    span: std::ops::Range<usize>,
    file: FileId,
    source: &SourceFile,
    variables: &Variables,
    diagnostics: &mut Vec<Diagnostic>,
    used: &mut Vec<String>,
) -> Option<(FileId, T)> {
    variables.substitute_noting(&mut table, file, source, diagnostics, used);
    links::check(&table, file, source, diagnostics);
    deserialize(table, span, file, source, diagnostics)
}

/// serde stops at the first wrong value. To report every one, set the offending key aside
/// and try again; stop at a missing key, or when a removed key's absence is all that is left.
pub(super) fn deserialize<T: DeserializeOwned>(
    mut table: DeTable<'_>,
    span: std::ops::Range<usize>,
    file: FileId,
    source: &SourceFile,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(FileId, T)> {
    let mut removed: Vec<String> = Vec::new();
    for _ in 0..MAX_TYPE_ERRORS {
        let deserializer =
            toml::de::Deserializer::from(toml::Spanned::new(span.clone(), table.clone()));
        let err = match T::deserialize(deserializer) {
            // Unknown keys are already reported and what loaded is still checked; a file with
            // a value set aside is not, since the rules would only repeat its absence.
            Ok(value) => return removed.is_empty().then_some((file, value)),
            Err(err) => err,
        };
        let diagnostic = keys::classify(&err, file, source.first_line(err.span().unwrap_or(0..0)));
        let follow_on = diagnostic.code == Code::MissingKey
            && removed
                .iter()
                .any(|key| diagnostic.message.contains(&format!("\"{key}\"")));
        if follow_on {
            return None;
        }
        let wrong_value = diagnostic.code == Code::WrongType;
        diagnostics.push(diagnostic);
        match err
            .span()
            .filter(|_| wrong_value)
            .and_then(|at| keys::remove_value_at(&mut table, &at))
        {
            Some(key) => removed.push(key),
            None => return None,
        }
    }
    None
}

pub(super) fn syntax_error(err: &toml::de::Error, file: FileId) -> Diagnostic {
    let span = err.span().unwrap_or(0..0);
    let message = err.message().trim_end();
    let help = if message.contains("duplicate key") {
        "each key may appear only once in a table; remove or rename one of them"
    } else {
        "check the quoting and brackets on this line; https://toml.io describes the syntax"
    };
    Diagnostic::error(Code::Syntax, format!("TOML syntax: {message}"))
        .at(file, span)
        .help(help)
}
