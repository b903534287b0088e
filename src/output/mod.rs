//! Writing a build: refuses unsafe output paths, writes atomically, skips unchanged files, and
//! keeps a manifest so stale files it wrote are removed and files it did not write are never
//! touched. Every refusal is a [`Diagnostic`], the same for `build` and `export`.

mod clean;
mod journal;
mod manifest;
mod writer;

use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

pub use clean::{Cleaned, clean};
pub use writer::{FolderLock, Writer, write};

use crate::diagnostic::{Code, Diagnostic};

/// The manifest's name in the output directory.
pub const MANIFEST: &str = ".coursepack-manifest";

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    /// Files whose bytes changed.
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files of an earlier build, removed.
    pub removed: usize,
    /// What an interrupted build had left, and what was done about it.
    pub recovered: Option<String>,
}

/// What an output path is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// `build -o`: a folder.
    Folder,
    /// `export -o`: one file.
    File,
}

/// Whether `out` holds a finished build and nothing else of ours: its manifest, and no journal or
/// staging folder an interrupted build left (those need the long way, which recovers them).
pub fn settled(out: &Path) -> bool {
    std::fs::symlink_metadata(out.join(MANIFEST)).is_ok_and(|m| m.is_file())
        && std::fs::symlink_metadata(out.join(journal::JOURNAL)).is_err()
        && std::fs::symlink_metadata(out.join(journal::STAGING)).is_err()
}

/// Refuses an output path that would overwrite the curriculum in `course_dir`: for a folder, one
/// that is the curriculum, holds it, sits in its sources, or is a file; for a file, one that is
/// a directory or part of the sources.
pub fn guard(course_dir: &Path, out: &Path, target: Target) -> Result<(), Diagnostic> {
    let refuse = |why: String, help: String| {
        Diagnostic::error(
            Code::OutputRefused,
            format!("output `{}` {why}", out.display()),
        )
        .at_path(out)
        .help(help)
    };
    let course = absolute(course_dir)?;
    let resolved = absolute(out)?;
    let elsewhere = format!(
        "choose a directory outside the sources, e.g. -o {}",
        course_dir.join("build").display()
    );
    match target {
        Target::Folder if resolved.is_file() => {
            return Err(refuse(
                "is a file".into(),
                "pass a directory with -o, e.g. -o build".into(),
            ));
        }
        Target::File if resolved.is_dir() => {
            return Err(refuse(
                "is a directory".into(),
                "pass a file name with -o, e.g. -o course.gift.txt".into(),
            ));
        }
        _ => {}
    }
    if target == Target::Folder {
        if resolved == course {
            return Err(refuse(
                "is the curriculum directory itself".into(),
                format!(
                    "write the build elsewhere, e.g. -o {}",
                    course_dir.join("build").display()
                ),
            ));
        }
        if course.starts_with(&resolved) {
            return Err(refuse(
                format!(
                    "contains the curriculum `{}`, whose files could be overwritten",
                    course_dir.display()
                ),
                elsewhere,
            ));
        }
    }
    for source in ["modules", "templates", "handouts", "locales", "course.toml"] {
        if resolved.starts_with(course.join(source)) {
            return Err(refuse(
                format!("is inside the curriculum's {source}"),
                match target {
                    Target::Folder => elsewhere,
                    Target::File => {
                        "write the export somewhere else, e.g. beside course.toml".into()
                    }
                },
            ));
        }
    }
    Ok(())
}

/// Writes one file where [`guard`] allowed it, atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_atomic(path, bytes)
}

pub(crate) fn io_error(path: &Path, what: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, format!("{what} `{}`: {err}", path.display()))
        .at_path(path)
        .help("check that the folder exists, that you may write to it, and that the disk has room")
}

/// Writes to a temporary file beside `path` (named for this process, so two writers never
/// share one), then renames it into place; the temporary file is removed on failure.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_atomic_with(path, &mut |file| file.write_all(bytes))
}

/// [`write_atomic`] of what `fill` writes, through a buffer, so a long file is never held whole.
pub(crate) fn write_atomic_with(
    path: &Path,
    fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), Diagnostic> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "cannot create", &err))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(".{name}.{}.coursepack-tmp", std::process::id()));
    let result = (|| {
        let file =
            std::fs::File::create(&temp).map_err(|err| io_error(&temp, "cannot write", &err))?;
        // No fsync: a build is reproducible from its source, and the rename already means a
        // reader sees the old file or the new one, never half of one.
        let mut file = std::io::BufWriter::new(file);
        fill(&mut file)
            .and_then(|()| file.flush())
            .map_err(|err| io_error(&temp, "cannot write", &err))?;
        drop(file);
        std::fs::rename(&temp, path).map_err(|err| io_error(path, "cannot move into place", &err))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

pub(crate) fn remove_empty_parents(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// `path` made absolute and resolved the way the OS resolves it.
fn absolute(path: &Path) -> Result<PathBuf, Diagnostic> {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|err| io_error(Path::new("."), "cannot read the current directory", &err))?
            .join(path)
    };
    // As the OS resolves it: each part in turn, a symlink replaced by its target before a
    // following `..` applies (so `link/..` is the link target's parent, not the link's).
    let mut resolved = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if std::fs::symlink_metadata(&resolved).is_ok()
                    && let Ok(real) = resolved.canonicalize()
                {
                    resolved = real;
                }
            }
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::journal::{Journal, STAGING, recover};
    use super::*;
    use crate::render::Artefact;

    /// Opens `out` for `files` and stages them all: a build about to commit.
    fn stage(out: &Path, files: &[Artefact]) -> Writer {
        let writer = Writer::open(out, "c", files.iter().map(|a| a.path.clone())).unwrap();
        for file in files {
            writer.put(&file.path, &file.bytes).unwrap();
        }
        writer
    }

    fn artefacts(version: &str, paths: &[&str]) -> Vec<Artefact> {
        paths
            .iter()
            .map(|p| Artefact {
                path: (*p).to_owned(),
                bytes: format!("{p} {version}").into_bytes(),
            })
            .collect()
    }

    fn tree(out: &Path) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let mut dirs = vec![out.to_owned()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let rel = path
                        .strip_prefix(out)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    files.push((rel, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn an_interrupted_commit_is_completed_by_the_next_run() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        let old = artefacts("old", &["a.html", "d/b.html", "d/gone.html"]);
        let new = artefacts("new", &["a.html", "d/b.html", "e/c.html"]);
        write(&out, "c", &old).unwrap();
        let fresh = temp.path().join("fresh");
        write(&fresh, "c", &new).unwrap();
        // Killed after the commit, with one file moved: a mix, and the journal says so.
        let journal = stage(&out, &new).commit_only().unwrap();
        let (staged, path) = &journal.moves[0];
        std::fs::rename(out.join(STAGING).join(staged), out.join(path)).unwrap();
        let found = recover(&out).unwrap().unwrap();
        assert!(
            found.contains("completed it (3 files moved into place)"),
            "{found}"
        );
        assert_eq!(tree(&out), tree(&fresh));
        // Killed before the commit: the staged files go, the build is as it was.
        drop(stage(&out, &old));
        let found = recover(&out).unwrap().unwrap();
        assert!(found.contains("staged files"), "{found}");
        assert_eq!(tree(&out), tree(&fresh));
        // A journal that names paths outside the folder is not followed.
        assert_eq!(
            Journal::parse("coursepack journal 1\nremove\t../x\nend\n"),
            None
        );
        assert_eq!(
            Journal::parse("coursepack journal 1\nremove\t/x\nend\n"),
            None
        );
        assert_eq!(Journal::parse("coursepack journal 1\nmove\t1\ta\n"), None);
        let report = write(&out, "c", &new).unwrap();
        assert_eq!(
            (report.written, report.unchanged, report.removed),
            (0, 3, 0)
        );
        assert_eq!(report.recovered, None);
    }

    #[test]
    fn refuses_dangerous_output_directories() {
        let temp = tempfile::tempdir().unwrap();
        let course = temp.path().join("course");
        std::fs::create_dir_all(course.join("modules")).unwrap();
        std::fs::write(course.join("course.toml"), "").unwrap();
        let folder = |out: &Path| guard(&course, out, Target::Folder);
        assert!(folder(&course).is_err());
        assert!(folder(temp.path()).is_err());
        assert!(folder(&course.join("modules/out")).is_err());
        assert!(folder(&course.join("course.toml")).is_err());
        assert!(folder(&course.join("build/../..")).is_err());
        assert!(folder(&course.join("build")).is_ok());
        assert!(folder(&temp.path().join("elsewhere")).is_ok());
        // `link/..` is the parent of the link's target, as the OS resolves it.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(course.join("modules"), temp.path().join("link")).unwrap();
            assert!(folder(&temp.path().join("link/..")).is_err());
            assert!(folder(&temp.path().join("link/../templates")).is_err());
            assert!(folder(&temp.path().join("link/../build")).is_ok());
        }
    }

    #[test]
    fn refuses_export_files_in_the_sources() {
        let temp = tempfile::tempdir().unwrap();
        let course = temp.path().join("course");
        std::fs::create_dir_all(course.join("modules")).unwrap();
        std::fs::write(course.join("course.toml"), "").unwrap();
        let file = |out: &Path| guard(&course, out, Target::File).map_err(|d| d.code);
        assert_eq!(file(&course.join("course.toml")), Err(Code::OutputRefused));
        assert_eq!(
            file(&course.join("modules/x.xml")),
            Err(Code::OutputRefused)
        );
        assert_eq!(file(&course.join("modules")), Err(Code::OutputRefused));
        assert_eq!(file(&course.join("course.gift.txt")), Ok(()));
    }
}
