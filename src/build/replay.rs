//! What a build said, kept in the build cache so that a rebuild of the very same source says it
//! again without checking or rendering anything: its warnings, with where they point, and the
//! templates the course overrides. The source is identical (its digest covers every file, the
//! binary and the options), so the same checks would find exactly these.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Code, Diagnostic, Location, Report, Severity};
use crate::source::{FileId, SourceProvider, Sources};

/// One line of the cache.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "kebab-case")]
enum Note {
    /// How many files the build read, for the closing line.
    Files { count: usize },
    /// A template the course overrides.
    Template { name: String },
    /// A diagnostic, at the level `[lints]` gave it.
    Diagnostic {
        error: bool,
        code: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        file: Option<PathBuf>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        span: Option<(usize, usize)>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<PathBuf>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        help: Option<String>,
    },
}

/// What a successful build said, one JSON line each.
pub(super) fn notes(report: &Report, overridden: &[String]) -> Vec<String> {
    let sources = &report.sources;
    let files = Note::Files {
        count: report.summary().files,
    };
    let templates = overridden
        .iter()
        .map(|name| Note::Template { name: name.clone() });
    let diagnostics = report.diagnostics().iter().map(|d| {
        let (file, span, path) = match &d.location {
            Some(Location::Span(file, span)) => (
                Some(sources.get(*file).path.clone()),
                Some((span.start, span.end)),
                None,
            ),
            Some(Location::Path(path)) => (None, None, Some(path.clone())),
            None => (None, None, None),
        };
        Note::Diagnostic {
            error: d.is_error(),
            code: d.code.as_str().to_owned(),
            message: d.message.clone(),
            file,
            span,
            path,
            label: d.label.clone(),
            help: d.help.clone(),
        }
    });
    std::iter::once(files)
        .chain(templates)
        .chain(diagnostics)
        .filter_map(|note| serde_json::to_string(&note).ok())
        .collect()
}

/// The report and the overridden templates that `notes` describe, with the text of every file a
/// diagnostic quotes read again through `provider`; `None` when anything does not fit (then the
/// build goes the long way).
pub(super) fn replay(
    notes: &[String],
    provider: &dyn SourceProvider,
) -> Option<(Report, Vec<String>)> {
    let mut sources = Sources::default();
    let mut read: Vec<(PathBuf, FileId)> = Vec::new();
    let mut diagnostics = Vec::new();
    let mut templates = Vec::new();
    let mut files = None;
    for line in notes {
        match serde_json::from_str::<Note>(line).ok()? {
            Note::Files { count } => files = Some(count),
            Note::Template { name } => templates.push(name),
            Note::Diagnostic {
                error,
                code,
                message,
                file,
                span,
                path,
                label,
                help,
            } => {
                let code = Code::ALL.iter().copied().find(|c| c.as_str() == code)?;
                let severity = if error {
                    Severity::Error
                } else {
                    Severity::Warning
                };
                let location = match (file, span, path) {
                    (Some(shown), Some((start, end)), None) => {
                        let id = match read.iter().find(|(p, _)| *p == shown) {
                            Some((_, id)) => *id,
                            None => {
                                let rel = relative(provider, &shown)?;
                                let text = String::from_utf8(provider.read(&rel).ok()?).ok()?;
                                let id = sources.add(shown.clone(), text);
                                read.push((shown, id));
                                id
                            }
                        };
                        let text = &sources.get(id).text;
                        let fits = start <= end
                            && text.is_char_boundary(start)
                            && text.is_char_boundary(end);
                        fits.then_some(Some(Location::Span(id, start..end)))?
                    }
                    (None, None, Some(path)) => Some(Location::Path(path)),
                    (None, None, None) => None,
                    _ => return None,
                };
                diagnostics.push(Diagnostic {
                    severity,
                    code,
                    message,
                    location,
                    label,
                    help,
                });
            }
        }
    }
    Some((Report::replayed(sources, diagnostics, files?), templates))
}

/// The path under the curriculum that `provider` shows as `shown`.
fn relative(provider: &dyn SourceProvider, shown: &Path) -> Option<PathBuf> {
    let root = provider.disk_root()?;
    let rel = if root == Path::new(".") {
        shown.to_owned()
    } else {
        shown.strip_prefix(root).ok()?.to_owned()
    };
    (provider.display(&rel) == shown).then_some(rel)
}
