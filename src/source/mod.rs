//! Where a curriculum comes from ([`SourceProvider`]) and the text of every file read from it,
//! so diagnostics can quote it.

mod git;
mod provider;

pub use git::{GitRevision, merge_base, repository_of};
pub use provider::{Disk, EntryKind, Memory, SourceProvider};

use std::ops::Range;
use std::path::PathBuf;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(usize);

/// One file's text, and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    /// As shown to the user: the curriculum directory as given, joined with the file name.
    pub path: PathBuf,
    /// The whole text.
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let line_text = &self.text[start..];
        let within = line_text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
        start + within
    }

    /// The whole lines a span touches: the 1-based number of the first, and their byte range.
    /// A diagnostic quotes only these, so printing many of them in one big file costs each
    /// its own lines, not the whole file.
    pub fn lines_of(&self, span: Range<usize>) -> (usize, Range<usize>) {
        let len = self.text.len();
        let (start, end) = (
            span.start.min(len),
            span.end.min(len).max(span.start.min(len)),
        );
        let first = self
            .line_starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        let last = self
            .line_starts
            .partition_point(|&s| s <= end)
            .saturating_sub(1);
        let from = self.line_starts.get(first).copied().unwrap_or(0);
        let to = self.line_starts.get(last + 1).copied().unwrap_or(len);
        (first + 1, from..to)
    }

    /// A span narrowed to its first line, so a whole-table span points at its header.
    pub fn first_line(&self, span: Range<usize>) -> Range<usize> {
        let start = span.start.min(self.text.len());
        let end = span.end.min(self.text.len()).max(start);
        let line_end = self.text[start..end].find('\n').map_or(end, |i| start + i);
        let trimmed = self.text[start..line_end].trim_end_matches('\r').len();
        start..start + trimmed
    }
}

/// Every file read while loading a curriculum.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Every file read, in the order it was added.
    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.iter()
    }

    /// Adds a file's text; `path` is how diagnostics show it.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        self.files.push(SourceFile {
            path,
            text,
            line_starts,
        });
        FileId(self.files.len() - 1)
    }

    /// The file `id` names.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    /// How many files were read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut sources = Sources::default();
        let id = sources.add("x.toml".into(), "a = 1\ntitle = \"Déjà\" x\n".into());
        let file = sources.get(id);
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(6), (2, 1));
        let x = file.text.rfind('x').unwrap();
        assert_eq!(file.line_col(x), (2, 16));
        assert_eq!(file.first_line(0..10), 0..5);
        assert_eq!(file.lines_of(7..9), (2, 6..file.text.len()));
        assert_eq!(file.lines_of(0..7), (1, 0..file.text.len()));
        assert_eq!(file.lines_of(2..3), (1, 0..6));
        assert_eq!(
            file.lines_of(500..600),
            (3, file.text.len()..file.text.len())
        );
    }
}
