//! [`Report`]: every diagnostic of one command and the text of every file they point into.

use super::{Diagnostic, Lints, Location};
use crate::source::{FileId, SourceProvider, Sources};

/// The one channel every problem goes through: loading, the rules, templates, the output folder
/// and the LMS exports all push here, and `[lints]` levels apply on the way in.
#[derive(Debug, Default)]
pub struct Report {
    /// The text of every file read, so diagnostics can quote it.
    pub sources: Sources,
    diagnostics: Vec<Diagnostic>,
    lints: Lints,
    /// How many files the command read, when that is more than `sources` holds (a report
    /// replayed from the build cache keeps only the files its diagnostics quote).
    files_read: Option<usize>,
}

impl Report {
    /// A report over `sources`, with no problems yet.
    pub fn new(sources: Sources) -> Self {
        Report {
            sources,
            diagnostics: Vec::new(),
            lints: Lints::default(),
            files_read: None,
        }
    }

    /// A report of problems already judged (their `[lints]` levels applied) over `sources`,
    /// for a command that read `files` files.
    pub fn replayed(sources: Sources, diagnostics: Vec<Diagnostic>, files: usize) -> Self {
        Report {
            sources,
            diagnostics,
            lints: Lints::default(),
            files_read: Some(files),
        }
    }

    /// Sets the course's `[lints]` levels for every diagnostic pushed from now on.
    pub fn set_lints(&mut self, lints: Lints) {
        self.lints = lints;
    }

    /// Adds a problem, at the level `[lints]` sets for it.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if let Some(diagnostic) = self.lints.apply(diagnostic) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Whether `diagnostic` would be an error once pushed, at the level `[lints]` sets.
    pub fn would_fail(&self, diagnostic: &Diagnostic) -> bool {
        self.lints
            .apply(diagnostic.clone())
            .is_some_and(|d| d.is_error())
    }

    /// Adds every problem.
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        for diagnostic in diagnostics {
            self.push(diagnostic);
        }
    }

    /// Every problem, in the order [`Report::sort`] left them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Reads again, through `provider`, the files the diagnostics quote that
    /// [`Sources::forget`] let go of. A diagnostic in a file that changed since it was read
    /// names the file and quotes nothing: its byte range belongs to the old text.
    pub fn recall(&mut self, provider: &dyn SourceProvider) {
        let wanted: std::collections::BTreeSet<FileId> = self
            .diagnostics
            .iter()
            .filter_map(|d| match &d.location {
                Some(Location::Span(file, _)) => Some(*file),
                _ => None,
            })
            .collect();
        let changed = self.sources.recall(provider, wanted);
        if changed.is_empty() {
            return;
        }
        for diagnostic in &mut self.diagnostics {
            let Some(Location::Span(file, _)) = &diagnostic.location else {
                continue;
            };
            if changed.contains(file) {
                let path = self.sources.get(*file).path.clone();
                diagnostic.location = Some(Location::Path(path));
                let note = "the file changed while the build ran, so it is not quoted: run the build again to see where";
                diagnostic.help = Some(match diagnostic.help.take() {
                    Some(help) => format!("{help}; {note}"),
                    None => note.to_owned(),
                });
            }
        }
    }

    /// Whether any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The counts for the closing line.
    pub fn summary(&self) -> Summary {
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        Summary {
            errors,
            warnings: self.diagnostics.len() - errors,
            files: self.files_read.unwrap_or(self.sources.len()),
        }
    }

    /// Orders diagnostics by file, then position, so output is stable and reads top to bottom.
    pub fn sort(&mut self) {
        let sources = &self.sources;
        // The key allocates a path string, so compute it once per diagnostic, not per comparison.
        self.diagnostics.sort_by_cached_key(|d| {
            let place = match &d.location {
                None => (0, String::new(), 0),
                Some(Location::Path(path)) => (1, path.display().to_string(), 0),
                Some(Location::Span(file, span)) => (
                    1,
                    sources.get(*file).path.display().to_string(),
                    span.start + 1,
                ),
            };
            (place, d.severity)
        });
    }
}

/// Counts for the closing line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Problems that stop the command.
    pub errors: usize,
    /// Problems that do not.
    pub warnings: usize,
    /// Files read.
    pub files: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        write!(
            f,
            "{}, {} in {}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.files, "file")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::source::Memory;

    #[test]
    fn a_recalled_report_quotes_unchanged_files_and_only_names_changed_ones() {
        let mut provider = Memory::new("c")
            .with("a.toml", "title = 1\n")
            .with("b.toml", "title = 2\n");
        let mut sources = Sources::default();
        let a = sources.add_read("c/a.toml".into(), "a.toml".into(), "title = 1\n".into());
        let b = sources.add_read("c/b.toml".into(), "b.toml".into(), "title = 2\n".into());
        sources.forget("toml");
        let mut report = Report::new(sources);
        report.push(Diagnostic::warning(Code::LmsCannotCarry, "in a").at(a, 8..9));
        report.push(
            Diagnostic::warning(Code::LmsCannotCarry, "in b")
                .at(b, 8..9)
                .help("fix it"),
        );
        provider.insert("b.toml", "title = 22\n");
        report.recall(&provider);
        let [in_a, in_b] = report.diagnostics() else {
            panic!("two diagnostics");
        };
        assert_eq!(in_a.location, Some(Location::Span(a, 8..9)));
        assert_eq!(report.sources.get(a).text, "title = 1\n");
        assert_eq!(in_b.location, Some(Location::Path("c/b.toml".into())));
        let help = in_b.help.as_deref().unwrap_or_default();
        assert!(help.starts_with("fix it; the file changed"), "{help}");
    }
}
