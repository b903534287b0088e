//! The journal that makes a build one step an interruption cannot leave half done, the lock
//! that keeps two builds out of one folder, and the symlink-safe path helpers.
//!
//! Under an exclusive lock on the folder (a second build into it is refused with E074), every
//! changed file is first written into `.coursepack-staging/`; then a journal naming every move,
//! every stale file and the new manifest is written atomically (the commit point); then the
//! moves and removals are applied and the journal removed. A build killed before the journal
//! leaves the previous build untouched (the next run removes the staged files); one killed after
//! it is completed by the next run, which says what it found. Nothing is written or removed
//! through a symlink inside the output folder.

use std::collections::{BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use super::{io_error, remove_empty_parents};
use crate::diagnostic::{Code, Diagnostic};

/// The staging folder inside the output folder, removed when a build completes.
pub(super) const STAGING: &str = ".coursepack-staging";
/// The journal of a build that staged every file and is moving them into place.
pub(super) const JOURNAL: &str = ".coursepack-journal";

/// What a committed build still has to do.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Journal {
    /// The course whose build this is, for the manifest.
    pub(super) course: String,
    /// Staged file name, and the path it goes to.
    pub(super) moves: Vec<(String, String)>,
    /// Files of the previous build to remove.
    pub(super) stale: Vec<String>,
    /// The new manifest.
    pub(super) keep: BTreeSet<String>,
}

impl Journal {
    pub(super) fn to_text(&self) -> String {
        let mut text = format!("coursepack journal 1\ncourse\t{}\n", self.course);
        for (staged, path) in &self.moves {
            text.push_str(&format!("move\t{staged}\t{path}\n"));
        }
        for path in &self.stale {
            text.push_str(&format!("remove\t{path}\n"));
        }
        for path in &self.keep {
            text.push_str(&format!("keep\t{path}\n"));
        }
        text.push_str("end\n");
        text
    }

    /// `None` for a journal that is not whole, or names a path outside the folder.
    pub(super) fn parse(text: &str) -> Option<Journal> {
        let mut lines = text.lines();
        if lines.next()? != "coursepack journal 1" || !text.ends_with("end\n") {
            return None;
        }
        let mut journal = Journal::default();
        for line in lines {
            let mut fields = line.split('\t');
            match (fields.next()?, fields.next(), fields.next()) {
                ("move", Some(staged), Some(path))
                    if staged.bytes().all(|b| b.is_ascii_digit()) && inside(path) =>
                {
                    journal.moves.push((staged.to_owned(), path.to_owned()));
                }
                ("remove", Some(path), None) if inside(path) => {
                    journal.stale.push(path.to_owned());
                }
                ("keep", Some(path), None) if inside(path) => {
                    journal.keep.insert(path.to_owned());
                }
                ("course", Some(course), None) => journal.course = course.to_owned(),
                ("end", None, None) => return Some(journal),
                _ => return None,
            }
        }
        None
    }

    /// Moves the staged files into place, removes the stale ones, writes the manifest and
    /// clears the journal; safe to run again after an interruption. Returns how many files
    /// were removed.
    pub(super) fn apply(&self, out: &Path) -> Result<usize, Diagnostic> {
        let staging = out.join(STAGING);
        let mut inside = Inside::new(out);
        for (staged, path) in &self.moves {
            let from = staging.join(staged);
            let to = inside.path(path)?;
            inside.create_dirs(path)?;
            // rename(2) replaces a symlink at `to` itself, never what it points to.
            match std::fs::rename(&from, &to) {
                Ok(()) => {}
                // Moved before an interruption.
                Err(err) if err.kind() == std::io::ErrorKind::NotFound && !from.exists() => {}
                Err(err) => return Err(io_error(&to, "cannot move into place", &err)),
            }
        }
        let mut removed = 0;
        for stale in &self.stale {
            let Ok(path) = inside.path(stale) else {
                continue; // never through a link
            };
            let is_file = std::fs::symlink_metadata(&path)
                .is_ok_and(|m| m.is_file() || m.file_type().is_symlink());
            if is_file {
                std::fs::remove_file(&path)
                    .map_err(|err| io_error(&path, "cannot remove the stale file", &err))?;
                removed += 1;
                remove_empty_parents(out, &path);
            }
        }
        super::manifest::write(out, &self.course, &self.keep)?;
        let journal = out.join(JOURNAL);
        std::fs::remove_file(&journal).map_err(|err| io_error(&journal, "cannot remove", &err))?;
        let _ = std::fs::remove_dir_all(&staging);
        Ok(removed)
    }
}

/// Finishes or undoes what an interrupted build left, and says what it found.
pub(super) fn recover(out: &Path) -> Result<Option<String>, Diagnostic> {
    let journal_path = out.join(JOURNAL);
    let staging = out.join(STAGING);
    let mut found = None;
    match std::fs::read_to_string(&journal_path) {
        Ok(text) => match Journal::parse(&text) {
            Some(journal) => {
                journal.apply(out)?;
                found = Some(format!(
                    "found an interrupted build in {}; completed it ({} files moved into place)",
                    out.display(),
                    journal.moves.len()
                ));
            }
            None => {
                std::fs::remove_file(&journal_path)
                    .map_err(|err| io_error(&journal_path, "cannot remove", &err))?;
                found = Some(format!(
                    "found an unreadable build journal in {}; removed it",
                    out.display()
                ));
            }
        },
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(io_error(&journal_path, "cannot read", &err)),
    }
    if std::fs::symlink_metadata(&staging).is_ok() {
        std::fs::remove_dir_all(&staging)
            .or_else(|_| std::fs::remove_file(&staging))
            .map_err(|err| io_error(&staging, "cannot remove", &err))?;
        found.get_or_insert_with(|| {
            format!(
                "found the staged files of an interrupted build in {}; removed them (the previous build is as it was)",
                out.display()
            )
        });
    }
    // Temporary files of an atomic write that was cut short.
    if let Ok(entries) = std::fs::read_dir(out) {
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().contains(".coursepack-tmp") {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    Ok(found)
}

/// An exclusive lock on the output folder, held while the returned handle lives; the OS
/// releases it when the process ends, however it ends.
pub(super) fn lock(out: &Path) -> Result<std::fs::File, Diagnostic> {
    let dir = std::fs::File::open(out).map_err(|err| io_error(out, "cannot open", &err))?;
    match dir.try_lock() {
        Ok(()) => Ok(dir),
        Err(std::fs::TryLockError::WouldBlock) => Err(Diagnostic::error(
            Code::OutputBusy,
            format!("another build is writing into `{}`", out.display()),
        )
        .at_path(out)
        .help("wait for it to finish and run again, or build into another folder with -o")),
        Err(std::fs::TryLockError::Error(err)) => Err(io_error(out, "cannot lock", &err)),
    }
}

/// Whether a relative path names something inside the folder: plain names only.
pub(super) fn inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Paths under an output folder, checked so that no folder between `out` and a file is a
/// symlink (which would carry a write or a removal outside `out`). Each folder is looked at once
/// per build, not once per file under it.
#[derive(Debug)]
pub(super) struct Inside<'a> {
    out: &'a Path,
    /// Folders (relative to `out`) seen to be real folders, or absent.
    checked: HashSet<PathBuf>,
    /// Folders (relative to `out`) this build made or found as real folders.
    made: HashSet<PathBuf>,
}

impl<'a> Inside<'a> {
    pub(super) fn new(out: &'a Path) -> Self {
        Inside {
            out,
            checked: HashSet::new(),
            made: HashSet::new(),
        }
    }

    /// `out/rel`, when no folder between `out` and it is a symlink.
    pub(super) fn path(&mut self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let mut dir = PathBuf::new();
        let parts: Vec<Component<'_>> = Path::new(rel).components().collect();
        for (i, part) in parts.iter().enumerate() {
            if i + 1 == parts.len() {
                break;
            }
            dir.push(part);
            if self.checked.contains(&dir) || self.made.contains(&dir) {
                continue;
            }
            let path = self.out.join(&dir);
            if std::fs::symlink_metadata(&path).is_ok_and(|meta| meta.file_type().is_symlink()) {
                return Err(symlink_refused(&path));
            }
            self.checked.insert(dir.clone());
        }
        Ok(self.out.join(rel))
    }

    /// Creates the folders of `rel` under `out` one by one, never through a symlink.
    pub(super) fn create_dirs(&mut self, rel: &str) -> Result<(), Diagnostic> {
        let Some(parent) = Path::new(rel).parent() else {
            return Ok(());
        };
        let mut dir = PathBuf::new();
        for part in parent.components() {
            dir.push(part);
            if self.made.contains(&dir) {
                continue;
            }
            let path = self.out.join(&dir);
            match std::fs::symlink_metadata(&path) {
                Ok(meta) if meta.file_type().is_symlink() => return Err(symlink_refused(&path)),
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => {
                    return Err(Diagnostic::error(
                        Code::OutputNotOurs,
                        format!(
                            "`{}` is in the way of a folder of the build",
                            path.display()
                        ),
                    )
                    .at_path(&path)
                    .help("move it away, or build into an empty directory with -o"));
                }
                Err(_) => std::fs::create_dir(&path)
                    .map_err(|err| io_error(&path, "cannot create", &err))?,
            }
            self.made.insert(dir.clone());
        }
        Ok(())
    }
}

pub(super) fn symlink_refused(path: &Path) -> Diagnostic {
    Diagnostic::error(
        Code::OutputRefused,
        format!(
            "`{}` is a symbolic link; a build never writes or removes through one",
            path.display()
        ),
    )
    .at_path(path)
    .help("remove the link from the output folder, or build into an empty directory with -o")
}
