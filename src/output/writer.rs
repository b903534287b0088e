//! [`Writer`]: one build's writes into an output folder, from many threads at once.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::journal::{self, Journal};
use super::manifest::{self, Manifest};
use super::{WriteReport, io_error, write_atomic};
use crate::diagnostic::{Code, Diagnostic};
use crate::render::{Artefact, WriteSeek};

/// Writes the build of course `course` (its id), `artefacts`, under `out`.
pub fn write(out: &Path, course: &str, artefacts: &[Artefact]) -> Result<WriteReport, Diagnostic> {
    let writer = Writer::open(out, course, artefacts.iter().map(|a| a.path.clone()))?;
    for artefact in artefacts {
        writer.put(&artefact.path, &artefact.bytes)?;
    }
    writer.finish()
}

/// The output folder's lock, taken before a build reads anything of the folder (its cache, its
/// files' sizes and times), so that what the build decides from them still holds when it
/// writes: without it, a build that read the cache while another was writing kept pages the
/// other had replaced, and the folder ended as a mix of both.
#[derive(Debug)]
pub struct FolderLock(std::fs::File);

impl FolderLock {
    /// Locks `out` when it is a folder already; `None` when there is none yet (nothing in it to
    /// read, and [`Writer::open_locked`] takes the lock when it creates it).
    pub fn existing(out: &Path) -> Result<Option<Self>, Diagnostic> {
        if !out.is_dir() {
            return Ok(None);
        }
        journal::lock(out).map(|file| Some(FolderLock(file)))
    }
}

/// One build's writes into an output folder, from many threads at once: each page is staged as
/// soon as it is rendered, so a build never holds all its output in memory, and the build only
/// replaces the previous one when every file is ready ([`super::journal`]).
#[derive(Debug)]
pub struct Writer {
    out: PathBuf,
    /// The id of the course being built, recorded in the manifest.
    course: String,
    /// What the folder's manifest listed before this build.
    previous: BTreeSet<String>,
    /// What this build writes.
    planned: BTreeSet<String>,
    /// Held until the build is done: no other build writes into the folder meanwhile.
    _lock: std::fs::File,
    /// What an interrupted earlier build had left, and what was done about it.
    recovered: Option<String>,
    staging: PathBuf,
    staged: AtomicUsize,
    moves: Mutex<Vec<(String, String)>>,
    unchanged: AtomicUsize,
    /// Whether this build created the folder, which it removes again if it gives up.
    created: bool,
}

impl Writer {
    /// Opens `out` for the build of course `course` (its id) that writes exactly `paths`: takes
    /// the folder's lock, completes or discards what an interrupted build left, and, before
    /// anything is written, refuses a folder holding another course's build and files in the
    /// way that no manifest names (they are the user's) or that are symlinks.
    pub fn open(
        out: &Path,
        course: &str,
        paths: impl IntoIterator<Item = String>,
    ) -> Result<Self, Diagnostic> {
        Self::open_locked(out, None, course, paths)
    }

    /// [`Writer::open`] with the folder's lock already held (`held`), or taken here if `None`.
    pub fn open_locked(
        out: &Path,
        held: Option<FolderLock>,
        course: &str,
        paths: impl IntoIterator<Item = String>,
    ) -> Result<Self, Diagnostic> {
        let created = !out.exists();
        std::fs::create_dir_all(out).map_err(|err| io_error(out, "cannot create", &err))?;
        let lock = match held {
            Some(FolderLock(file)) => file,
            None => journal::lock(out)?,
        };
        let recovered = journal::recover(out)?;
        let Manifest {
            found,
            course: recorded,
            files: previous,
        } = manifest::read(out)?;
        if let Some(other) = recorded.as_deref().filter(|&c| c != course) {
            return Err(Diagnostic::error(
                Code::OutputOtherCourse,
                format!(
                    "`{}` holds the build of course `{other}`; building `{course}` there would delete its files",
                    out.display()
                ),
            )
            .at_path(out)
            .help(format!(
                "build `{course}` into another folder with -o, or remove the other build first with `coursepack clean {}`",
                out.display()
            )));
        }
        let planned: BTreeSet<String> = paths.into_iter().collect();
        let mut inside = journal::Inside::new(out);
        let paths = planned
            .iter()
            .map(|relative| Ok((relative, inside.path(relative)?)))
            .collect::<Result<Vec<_>, Diagnostic>>()?;
        // Each file is looked at on the pool; the first symlink, in path order, is the one
        // reported.
        use rayon::prelude::*;
        let looked: Vec<(&String, PathBuf, Option<bool>)> = paths
            .into_par_iter()
            .map(|(relative, path)| {
                let existing = std::fs::symlink_metadata(&path).ok();
                let symlink = existing.as_ref().map(|m| m.file_type().is_symlink());
                (relative, path, symlink)
            })
            .collect();
        let mut in_the_way = Vec::new();
        for (relative, path, symlink) in &looked {
            if *symlink == Some(true) {
                return Err(journal::symlink_refused(path));
            }
            if symlink.is_some() && !previous.contains(*relative) {
                in_the_way.push(relative.as_str());
            }
        }
        if !in_the_way.is_empty() {
            return Err(manifest::not_ours(out, found, &in_the_way));
        }
        let staging = out.join(journal::STAGING);
        std::fs::create_dir(&staging).map_err(|err| io_error(&staging, "cannot create", &err))?;
        Ok(Writer {
            out: out.to_owned(),
            course: course.to_owned(),
            previous,
            planned,
            _lock: lock,
            recovered,
            staging,
            staged: AtomicUsize::new(0),
            moves: Mutex::new(Vec::new()),
            unchanged: AtomicUsize::new(0),
            created,
        })
    }

    /// Stages one planned file, unless the folder already holds these bytes there.
    pub fn put(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        debug_assert!(
            self.planned.contains(relative),
            "{relative} was not planned"
        );
        // `open` found no symlink among the folders, and nothing is written here: the new file
        // goes to the staging folder.
        let path = self.out.join(relative);
        // Most changed files are told by their size alone; only a same-sized file is read.
        if holds_bytes(&path, bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        let (name, staged) = self.next_staged();
        std::fs::write(&staged, bytes).map_err(|err| io_error(&staged, "cannot write", &err))?;
        self.will_move(name, relative);
        Ok(())
    }

    /// Leaves the planned file `relative` as the folder holds it: the build found it unchanged
    /// without writing it again.
    pub fn keep(&self, relative: &str) {
        debug_assert!(
            self.planned.contains(relative),
            "{relative} was not planned"
        );
        self.unchanged.fetch_add(1, Ordering::Relaxed);
    }

    /// Stages the planned file that `fill` writes piece by piece, so it is never held whole;
    /// when the folder already holds exactly these bytes there, the staged copy is dropped.
    pub fn stream(
        &self,
        relative: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        self.stream_to(relative, |out| fill(out))
    }

    /// [`Writer::stream`] for a file that `fill` goes back into as it writes it (a zip
    /// finishes each entry's header once the entry is written).
    pub fn stream_seekable(
        &self,
        relative: &str,
        fill: &mut dyn FnMut(&mut dyn WriteSeek) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        self.stream_to(relative, |out| fill(out))
    }

    fn stream_to(
        &self,
        relative: &str,
        fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
    ) -> Result<(), Diagnostic> {
        debug_assert!(
            self.planned.contains(relative),
            "{relative} was not planned"
        );
        let (name, staged) = self.next_staged();
        let written = std::fs::File::create(&staged).and_then(|file| {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            fill(&mut out)?;
            out.into_inner()
                .map_err(std::io::IntoInnerError::into_error)?;
            Ok(())
        });
        written.map_err(|err| io_error(&staged, "cannot write", &err))?;
        let path = self.out.join(relative);
        if same_file(&path, &staged) {
            std::fs::remove_file(&staged)
                .map_err(|err| io_error(&staged, "cannot remove", &err))?;
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        self.will_move(name, relative);
        Ok(())
    }

    /// A new file's name in the staging folder, and its path.
    fn next_staged(&self) -> (String, PathBuf) {
        let name = self.staged.fetch_add(1, Ordering::Relaxed).to_string();
        let staged = self.staging.join(&name);
        (name, staged)
    }

    /// Records that staged file `name` goes to `relative` when the build finishes.
    fn will_move(&self, name: String, relative: &str) {
        self.moves
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((name, relative.to_owned()));
    }

    /// Commits the build (the journal), moves every staged file into place, removes what earlier
    /// builds wrote and this one does not, and records this build's files.
    pub fn finish(self) -> Result<WriteReport, Diagnostic> {
        let mut moves = self
            .moves
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        moves.sort();
        let journal = Journal {
            course: self.course,
            moves,
            stale: self.previous.difference(&self.planned).cloned().collect(),
            keep: self.planned,
        };
        write_atomic(
            &self.out.join(journal::JOURNAL),
            journal.to_text().as_bytes(),
        )?;
        let removed = journal.apply(&self.out)?;
        Ok(WriteReport {
            written: journal.moves.len(),
            unchanged: self.unchanged.into_inner(),
            removed,
            recovered: self.recovered,
        })
    }

    /// Writes the journal but moves nothing: a build killed right after its commit point.
    #[cfg(test)]
    pub(super) fn commit_only(self) -> Result<Journal, Diagnostic> {
        let journal = Journal {
            course: self.course,
            moves: self
                .moves
                .into_inner()
                .unwrap_or_else(PoisonError::into_inner),
            stale: self.previous.difference(&self.planned).cloned().collect(),
            keep: self.planned,
        };
        write_atomic(
            &self.out.join(journal::JOURNAL),
            journal.to_text().as_bytes(),
        )?;
        Ok(journal)
    }

    /// A build that failed part-way: its staged files go, the previous build stays as it was,
    /// and a folder this build created is removed again.
    pub fn abandon(self) -> Result<(), Diagnostic> {
        std::fs::remove_dir_all(&self.staging)
            .map_err(|err| io_error(&self.staging, "cannot remove", &err))?;
        if self.created {
            // Empty now, unless something else wrote into it meanwhile: then it stays.
            let _ = std::fs::remove_dir(&self.out);
        }
        Ok(())
    }
}

/// Whether `old` is a plain file holding exactly the bytes of `new`, compared a buffer at a
/// time: a course's handbook can be larger than the rest of the build holds at once.
fn same_file(old: &Path, new: &Path) -> bool {
    let Some(size) = file_size(old) else {
        return false;
    };
    if file_size(new) != Some(size) {
        return false;
    }
    match std::fs::File::open(new) {
        Ok(new) => holds(old, size, new),
        Err(_) => false,
    }
}

/// Whether `path` is a plain file holding exactly `bytes`, read a buffer at a time.
fn holds_bytes(path: &Path, bytes: &[u8]) -> bool {
    file_size(path) == Some(bytes.len() as u64) && holds(path, bytes.len() as u64, bytes)
}

/// The size of `path` when it is a plain file.
fn file_size(path: &Path) -> Option<u64> {
    std::fs::symlink_metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.len())
}

/// Whether the file at `path`, `size` bytes long, holds what `other` reads: both read a buffer
/// at a time, and no further than the first difference.
fn holds(path: &Path, size: u64, mut other: impl std::io::Read) -> bool {
    const BUFFER: usize = 1 << 16;
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    // Most files compared are small: no larger buffers than the file.
    let buffer = BUFFER.min(usize::try_from(size).unwrap_or(BUFFER));
    let (mut a, mut b) = (vec![0; buffer], vec![0; buffer]);
    let mut left = size;
    loop {
        let want = buffer.min(usize::try_from(left).unwrap_or(buffer));
        if std::io::Read::read_exact(&mut file, &mut a[..want]).is_err()
            || std::io::Read::read_exact(&mut other, &mut b[..want]).is_err()
            || a[..want] != b[..want]
        {
            return false;
        }
        left -= want as u64;
        if left == 0 {
            // Neither has more than `size` bytes.
            let mut byte = [0];
            return matches!(std::io::Read::read(&mut file, &mut byte), Ok(0))
                && matches!(std::io::Read::read(&mut other, &mut byte), Ok(0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files compared a buffer at a time are equal exactly when their bytes are: the same, one
    /// byte changed at each end and at a buffer boundary, one byte more or fewer, and empty.
    #[test]
    fn files_are_the_same_exactly_when_every_byte_is() {
        let temp = tempfile::tempdir().unwrap();
        let long: Vec<u8> = (0..(3 << 16) + 5).map(|i| (i % 251) as u8).collect();
        let file = |name: &str, bytes: &[u8]| {
            let path = temp.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            path
        };
        let old = file("old", &long);
        assert!(same_file(&old, &file("same", &long)));
        assert!(holds_bytes(&old, &long));
        for at in [0, (1 << 16) - 1, 1 << 16, long.len() - 1] {
            let mut changed = long.clone();
            changed[at] ^= 1;
            assert!(!same_file(&old, &file("changed", &changed)), "byte {at}");
            assert!(!holds_bytes(&old, &changed), "byte {at}");
        }
        let shorter = &long[..long.len() - 1];
        assert!(!same_file(&old, &file("shorter", shorter)));
        assert!(!holds_bytes(&old, shorter));
        let mut longer = long.clone();
        longer.push(0);
        assert!(!same_file(&old, &file("longer", &longer)));
        assert!(!holds_bytes(&old, &longer));
        let empty = file("empty", b"");
        assert!(same_file(&empty, &file("empty too", b"")));
        assert!(holds_bytes(&empty, b""));
        assert!(!holds_bytes(&temp.path().join("absent"), b""));
        assert!(!same_file(temp.path(), &empty), "a folder is not a file");
    }
}
