//! Where a curriculum comes from ([`SourceProvider`]) and the text of every file read from it,
//! so diagnostics can quote it.

mod git;
mod provider;

pub use git::{GitRevision, merge_base, repository_of};
pub use provider::{Disk, EntryKind, Memory, Remembered, SourceProvider};

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(usize);

/// One file's text: a `str` of its own, or its part of a block that holds the texts of many
/// files read together (see [`Sources::add_read_all`]), so that letting them all go gives back
/// their memory whole.
#[derive(Clone, Default)]
pub struct Text {
    block: Arc<String>,
    range: Range<usize>,
}

impl Text {
    fn of(block: &Arc<String>, range: Range<usize>) -> Self {
        Text {
            block: Arc::clone(block),
            range,
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        let range = 0..text.len();
        Text {
            block: Arc::new(text),
            range,
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.block[self.range.clone()]
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl std::hash::Hash for Text {
    /// As the `str` hashes: a file's hash does not depend on how its text is kept.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &**self == *other
    }
}

/// One file's text, and where its lines start.
#[derive(Debug)]
pub struct SourceFile {
    /// As shown to the user: the curriculum directory as given, joined with the file name.
    pub path: PathBuf,
    /// The whole text; empty while the file is forgotten (see [`Sources::forget`]).
    pub text: Text,
    /// Where its lines start, found the first time a position is asked for: most builds quote
    /// no file, and finding them is a pass over every byte.
    line_starts: std::sync::OnceLock<Vec<usize>>,
    /// Where the provider read it, for reading it again.
    origin: Option<PathBuf>,
    /// While forgotten: what the text hashed to and its length, to know it again.
    forgotten: Option<(u64, usize)>,
}

impl SourceFile {
    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| line_starts(&self.text))
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&start| start <= offset) - 1;
        let start = starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
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
        let starts = self.line_starts();
        let first = starts.partition_point(|&s| s <= start).saturating_sub(1);
        let last = starts.partition_point(|&s| s <= end).saturating_sub(1);
        let from = starts.get(first).copied().unwrap_or(0);
        let to = starts.get(last + 1).copied().unwrap_or(len);
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

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// A hash to know a file's text again within one run.
fn hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
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
        self.files.push(SourceFile {
            path,
            line_starts: std::sync::OnceLock::new(),
            text: text.into(),
            origin: None,
            forgotten: None,
        });
        FileId(self.files.len() - 1)
    }

    /// Adds the texts of many files read from a provider, as [`Sources::add_read`] does each
    /// (`(path, origin, text)`), in order; they are kept in one block, which the last of them
    /// to be forgotten gives back whole. Their own buffers are let go as they are copied in.
    pub fn add_read_all(&mut self, files: Vec<(PathBuf, PathBuf, String)>) -> Vec<FileId> {
        let mut block = String::with_capacity(files.iter().map(|(_, _, text)| text.len()).sum());
        let mut placed = Vec::with_capacity(files.len());
        for (path, origin, text) in files {
            let start = block.len();
            block.push_str(&text);
            placed.push((path, origin, start..block.len()));
        }
        let block = Arc::new(block);
        placed
            .into_iter()
            .map(|(path, origin, range)| {
                self.files.push(SourceFile {
                    path,
                    text: Text::of(&block, range),
                    line_starts: std::sync::OnceLock::new(),
                    origin: Some(origin),
                    forgotten: None,
                });
                FileId(self.files.len() - 1)
            })
            .collect()
    }

    /// Adds the text of the file the provider holds at `origin`, so it can be forgotten and
    /// read again; `path` is how diagnostics show it.
    pub fn add_read(&mut self, path: PathBuf, origin: PathBuf, text: String) -> FileId {
        let id = self.add(path, text);
        self.files[id.0].origin = Some(origin);
        id
    }

    /// Lets go of the text of every file read from a provider whose name ends in `extension`,
    /// once nothing but a diagnostic's quote needs it: a large curriculum is then not held
    /// twice, as text and as its model. [`Sources::recall`] reads the ones a report quotes
    /// again.
    pub fn forget(&mut self, extension: &str) {
        use rayon::prelude::*;
        self.files.par_iter_mut().for_each(|file| {
            let named = file
                .origin
                .as_ref()
                .is_some_and(|o| o.extension().is_some_and(|e| e == extension));
            if named && file.forgotten.is_none() {
                file.forgotten = Some((hash(&file.text), file.text.len()));
                file.text = Text::default();
                file.line_starts = std::sync::OnceLock::new();
            }
        });
    }

    /// Reads again, through `provider`, the forgotten files `wanted` names, and keeps the ones
    /// that are still what was read first; returns the ones that changed since (or cannot be
    /// read), which stay empty and cannot be quoted.
    pub fn recall(
        &mut self,
        provider: &dyn SourceProvider,
        wanted: impl IntoIterator<Item = FileId>,
    ) -> Vec<FileId> {
        use rayon::prelude::*;
        let wanted: Vec<(FileId, (u64, usize), &PathBuf)> = wanted
            .into_iter()
            .filter_map(|id| {
                let file = &self.files[id.0];
                Some((id, file.forgotten?, file.origin.as_ref()?))
            })
            .collect();
        // Read on the pool's threads, where the build's pages left memory free.
        let read: Vec<(FileId, Option<String>)> = wanted
            .into_par_iter()
            .map(|(id, (was, len), origin)| {
                let text = provider
                    .read(origin)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .filter(|text| text.len() == len && hash(text) == was);
                (id, text)
            })
            .collect();
        let mut changed = Vec::new();
        for (id, text) in read {
            let file = &mut self.files[id.0];
            match text {
                Some(text) => {
                    file.line_starts = std::sync::OnceLock::new();
                    file.text = text.into();
                    file.forgotten = None;
                }
                None => changed.push(id),
            }
        }
        changed
    }

    /// Whether the file's text is forgotten (and not recalled).
    pub fn is_forgotten(&self, id: FileId) -> bool {
        self.files[id.0].forgotten.is_some()
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

    #[test]
    fn texts_read_together_share_a_block_and_give_it_back_together() {
        let mut sources = Sources::default();
        let ids = sources.add_read_all(vec![
            ("c/a.toml".into(), "a.toml".into(), "a = 1\nb = 2\n".into()),
            ("c/b.toml".into(), "b.toml".into(), "x = \"é\" y\n".into()),
        ]);
        let (a, b) = (sources.get(ids[0]), sources.get(ids[1]));
        assert_eq!(a.text, "a = 1\nb = 2\n");
        assert_eq!(b.text, "x = \"é\" y\n");
        assert_eq!(a.line_col(8), (2, 3));
        assert_eq!(b.line_col(b.text.rfind('y').unwrap()), (1, 9));
        assert_eq!(b.lines_of(0..1), (1, 0..b.text.len()));
        let block = Arc::downgrade(&a.text.block);
        assert!(Arc::ptr_eq(&a.text.block, &b.text.block), "one block");
        sources.forget("toml");
        assert!(block.upgrade().is_none(), "the block is given back");
        let provider = Memory::new("c")
            .with("a.toml", "a = 1\nb = 2\n")
            .with("b.toml", "x = \"é\" y\n");
        assert!(sources.recall(&provider, ids.clone()).is_empty());
        assert_eq!(sources.get(ids[1]).text, "x = \"é\" y\n");
        assert_eq!(sources.get(ids[0]).line_col(8), (2, 3));
    }

    #[test]
    fn a_forgotten_file_is_read_again_only_while_it_is_unchanged() {
        let same = "a = 1\nb = 2\n";
        let mut provider = Memory::new("c")
            .with("m.toml", same)
            .with("n.toml", "x = 1\n");
        let mut sources = Sources::default();
        let m = sources.add_read("c/m.toml".into(), "m.toml".into(), same.into());
        let n = sources.add_read("c/n.toml".into(), "n.toml".into(), "x = 1\n".into());
        let handout = sources.add_read("c/h.md".into(), "h.md".into(), "# H\n".into());
        let shown = sources.add("inline.toml".into(), "y = 2\n".into());
        sources.forget("toml");
        assert!(sources.is_forgotten(m) && sources.is_forgotten(n));
        assert!(!sources.is_forgotten(handout) && !sources.is_forgotten(shown));
        assert_eq!(sources.get(m).text, "");
        assert_eq!(sources.get(m).line_col(8), (1, 1));
        provider.insert("n.toml", "x = 2\n");
        assert_eq!(sources.recall(&provider, [m, n, shown]), vec![n]);
        assert_eq!(sources.get(m).text, same);
        assert_eq!(sources.get(m).line_col(8), (2, 3));
        assert!(sources.is_forgotten(n));
        assert_eq!(sources.get(n).text, "");
        assert_eq!(sources.get(shown).text, "y = 2\n");
    }
}
