//! [`Writer`]: one build's writes into an output folder, from many threads at once.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::manifest::{self, Manifest};
use super::{WriteReport, io_error, remove_empty_parents, write_atomic};
use crate::diagnostic::{Code, Diagnostic};
use crate::render::Artefact;

/// Writes the build of course `course` (its id), `artefacts`, under `out`.
pub fn write(out: &Path, course: &str, artefacts: &[Artefact]) -> Result<WriteReport, Diagnostic> {
    let writer = Writer::open(out, course, artefacts.iter().map(|a| a.path.clone()))?;
    for artefact in artefacts {
        writer.put(&artefact.path, &artefact.bytes)?;
    }
    writer.finish()
}

/// One build's writes into an output folder, from many threads at once: each page is written as
/// soon as it is rendered, so a build never holds all its output in memory.
#[derive(Debug)]
pub struct Writer {
    out: PathBuf,
    /// The id of the course being built, recorded in the manifest.
    course: String,
    /// What the folder's manifest listed before this build.
    previous: BTreeSet<String>,
    /// What this build writes.
    planned: BTreeSet<String>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
}

impl Writer {
    /// Opens `out` for the build of course `course` (its id) that writes exactly `paths`.
    /// Before anything is written, refuses a folder holding another course's build, and files in
    /// the way that no manifest names (they are the user's).
    pub fn open(
        out: &Path,
        course: &str,
        paths: impl IntoIterator<Item = String>,
    ) -> Result<Self, Diagnostic> {
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
        let in_the_way: Vec<&str> = planned
            .iter()
            .map(String::as_str)
            .filter(|p| !previous.contains(*p) && out.join(p).exists())
            .collect();
        if !in_the_way.is_empty() {
            return Err(manifest::not_ours(out, found, &in_the_way));
        }
        Ok(Writer {
            out: out.to_owned(),
            course: course.to_owned(),
            previous,
            planned,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Writes one planned file, unless it already holds these bytes.
    pub fn put(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        debug_assert!(
            self.planned.contains(relative),
            "{relative} was not planned"
        );
        let path = self.out.join(relative);
        // Most unchanged files are told by their size alone; only a same-sized file is read.
        let same_size = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64);
        if same_size && std::fs::read(&path).is_ok_and(|old| old == bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        write_atomic(&path, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Removes what earlier builds wrote and this one does not, and records this build's files.
    pub fn finish(self) -> Result<WriteReport, Diagnostic> {
        let mut report = WriteReport {
            written: self.written.into_inner(),
            unchanged: self.unchanged.into_inner(),
            removed: 0,
        };
        for stale in self.previous.difference(&self.planned) {
            let path = self.out.join(stale);
            if path.is_file() {
                std::fs::remove_file(&path)
                    .map_err(|err| io_error(&path, "cannot remove the stale file", &err))?;
                report.removed += 1;
                remove_empty_parents(&self.out, &path);
            }
        }
        manifest::write(&self.out, &self.course, &self.planned)?;
        Ok(report)
    }

    /// A build that failed part-way: keeps every file it may have written in the manifest, with
    /// the earlier build's, so the next build can overwrite them instead of refusing.
    pub fn abandon(self) -> Result<(), Diagnostic> {
        let known: BTreeSet<String> = self.previous.union(&self.planned).cloned().collect();
        manifest::write(&self.out, &self.course, &known)
    }
}
