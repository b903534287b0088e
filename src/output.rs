//! Writing a build: refuses unsafe output paths, writes atomically, skips unchanged files, and
//! keeps a manifest so stale files it wrote are removed and files it did not write are never
//! touched. Every refusal is a [`Diagnostic`], the same for `build` and `export`.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::render::Artefact;

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
    for source in ["modules", "templates", "course.toml"] {
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

/// Writes `artefacts` under `out`, as one step that an interruption cannot leave half done.
///
/// Under an exclusive lock on the folder (a second build into it waits for none: it is refused
/// with E074), every changed file is first written into `.coursepack-staging/`; then a journal
/// naming every move, every stale file and the new manifest is written atomically (the commit
/// point); then the moves and removals are applied and the journal removed. A build killed
/// before the journal leaves the previous build untouched (the next run removes the staged
/// files); one killed after it is completed by the next run, which says what it found. Nothing
/// is written or removed through a symlink inside `out`.
pub fn write(out: &Path, artefacts: &[Artefact]) -> Result<WriteReport, Diagnostic> {
    std::fs::create_dir_all(out).map_err(|err| io_error(out, "cannot create", &err))?;
    let _lock = lock(out)?;
    let mut report = WriteReport {
        recovered: recover(out)?,
        ..WriteReport::default()
    };
    let journal = commit(out, artefacts, &mut report)?;
    report.removed = journal.apply(out)?;
    Ok(report)
}

/// Stages every changed file and writes the journal: after this, the build is done but for
/// moving files into place, which [`Journal::apply`] (or the next run) does.
fn commit(
    out: &Path,
    artefacts: &[Artefact],
    report: &mut WriteReport,
) -> Result<Journal, Diagnostic> {
    let previous = read_manifest(out)?;
    let current: BTreeSet<String> = artefacts.iter().map(|a| a.path.clone()).collect();
    // Before writing anything: a file in the way that we did not write is the user's.
    let mut unchanged = Vec::with_capacity(artefacts.len());
    for artefact in artefacts {
        let path = no_link_inside(out, &artefact.path)?;
        let existing = std::fs::symlink_metadata(&path).ok();
        if existing
            .as_ref()
            .is_some_and(|m| m.file_type().is_symlink())
        {
            return Err(symlink_refused(&path));
        }
        if existing.is_some() && !previous.contains(&artefact.path) {
            return Err(Diagnostic::error(
                Code::OutputNotOurs,
                format!(
                    "`{}` exists and was not written by coursepack; it will not be overwritten",
                    path.display()
                ),
            )
            .at_path(&path)
            .help("move it away, or build into an empty directory with -o"));
        }
        let same = existing.is_some_and(|m| m.is_file())
            && std::fs::read(&path).is_ok_and(|bytes| bytes == artefact.bytes);
        unchanged.push(same);
    }
    let staging = out.join(STAGING);
    std::fs::create_dir(&staging).map_err(|err| io_error(&staging, "cannot create", &err))?;
    let mut journal = Journal::default();
    for (i, (artefact, same)) in artefacts.iter().zip(unchanged).enumerate() {
        if same {
            report.unchanged += 1;
            continue;
        }
        let staged = staging.join(i.to_string());
        std::fs::write(&staged, &artefact.bytes)
            .map_err(|err| io_error(&staged, "cannot write", &err))?;
        journal.moves.push((i.to_string(), artefact.path.clone()));
    }
    report.written = journal.moves.len();
    journal.stale = previous.difference(&current).cloned().collect();
    journal.keep = current;
    write_atomic(&out.join(JOURNAL), journal.to_text().as_bytes())?;
    Ok(journal)
}

/// The staging folder inside the output folder, removed when a build completes.
const STAGING: &str = ".coursepack-staging";
/// The journal of a build that staged every file and is moving them into place.
const JOURNAL: &str = ".coursepack-journal";

/// What a committed build still has to do.
#[derive(Debug, Default, PartialEq, Eq)]
struct Journal {
    /// Staged file name, and the path it goes to.
    moves: Vec<(String, String)>,
    /// Files of the previous build to remove.
    stale: Vec<String>,
    /// The new manifest.
    keep: BTreeSet<String>,
}

impl Journal {
    fn to_text(&self) -> String {
        let mut text = String::from("coursepack journal 1\n");
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
    fn parse(text: &str) -> Option<Journal> {
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
                ("end", None, None) => return Some(journal),
                _ => return None,
            }
        }
        None
    }

    /// Moves the staged files into place, removes the stale ones, writes the manifest and
    /// clears the journal; safe to run again after an interruption. Returns how many files
    /// were removed.
    fn apply(&self, out: &Path) -> Result<usize, Diagnostic> {
        let staging = out.join(STAGING);
        for (staged, path) in &self.moves {
            let from = staging.join(staged);
            if std::fs::symlink_metadata(&from).is_err() {
                continue; // moved before an interruption
            }
            let to = no_link_inside(out, path)?;
            if std::fs::symlink_metadata(&to).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(symlink_refused(&to));
            }
            create_dirs_inside(out, path)?;
            std::fs::rename(&from, &to)
                .map_err(|err| io_error(&to, "cannot move into place", &err))?;
        }
        let mut removed = 0;
        for stale in &self.stale {
            let Ok(path) = no_link_inside(out, stale) else {
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
        let manifest: String = self.keep.iter().map(|p| format!("{p}\n")).collect();
        let manifest_path = out.join(MANIFEST);
        if std::fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
            write_atomic(&manifest_path, manifest.as_bytes())?;
        }
        let journal = out.join(JOURNAL);
        std::fs::remove_file(&journal).map_err(|err| io_error(&journal, "cannot remove", &err))?;
        let _ = std::fs::remove_dir_all(&staging);
        Ok(removed)
    }
}

/// Finishes or undoes what an interrupted build left, and says what it found.
fn recover(out: &Path) -> Result<Option<String>, Diagnostic> {
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
fn lock(out: &Path) -> Result<std::fs::File, Diagnostic> {
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
fn inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// `out/rel`, when no folder between `out` and it is a symlink (which would carry a write or a
/// removal outside `out`).
fn no_link_inside(out: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
    let mut path = out.to_owned();
    let parts: Vec<Component<'_>> = Path::new(rel).components().collect();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        if i + 1 == parts.len() {
            break;
        }
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(symlink_refused(&path)),
            _ => {}
        }
    }
    Ok(path)
}

/// Creates the folders of `rel` under `out` one by one, never through a symlink.
fn create_dirs_inside(out: &Path, rel: &str) -> Result<(), Diagnostic> {
    let mut path = out.to_owned();
    let Some(parent) = Path::new(rel).parent() else {
        return Ok(());
    };
    for part in parent.components() {
        path.push(part);
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
            Err(_) => {
                std::fs::create_dir(&path).map_err(|err| io_error(&path, "cannot create", &err))?
            }
        }
    }
    Ok(())
}

fn symlink_refused(path: &Path) -> Diagnostic {
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

/// Writes one file where [`guard`] allowed it, atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    write_atomic(path, bytes)
}

fn io_error(path: &Path, what: &str, err: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Io, format!("{what} `{}`: {err}", path.display()))
        .at_path(path)
        .help("check that the folder exists, that you may write to it, and that the disk has room")
}

fn read_manifest(out: &Path) -> Result<BTreeSet<String>, Diagnostic> {
    let path = out.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        // A hand-edited manifest must not point outside the output directory.
        Ok(text) => Ok(text
            .lines()
            .map(str::trim)
            .filter(|l| inside(l))
            .map(str::to_owned)
            .collect()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(err) => Err(io_error(&path, "cannot read", &err)),
    }
}

/// Writes to a temporary file beside `path` (named for this process, so two writers never
/// share one), then renames it into place; the temporary file is removed on failure.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
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
        let mut file =
            std::fs::File::create(&temp).map_err(|err| io_error(&temp, "cannot write", &err))?;
        // No fsync: a build is reproducible from its source, and the rename already means a
        // reader sees the old file or the new one, never half of one.
        file.write_all(bytes)
            .map_err(|err| io_error(&temp, "cannot write", &err))?;
        drop(file);
        std::fs::rename(&temp, path).map_err(|err| io_error(path, "cannot move into place", &err))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

fn remove_empty_parents(root: &Path, file: &Path) {
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
    use super::*;

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
        write(&out, &old).unwrap();
        let fresh = temp.path().join("fresh");
        write(&fresh, &new).unwrap();
        // Killed after the commit, with one file moved: a mix, and the journal says so.
        let journal = commit(&out, &new, &mut WriteReport::default()).unwrap();
        let (staged, path) = &journal.moves[0];
        std::fs::rename(out.join(STAGING).join(staged), out.join(path)).unwrap();
        let found = recover(&out).unwrap().unwrap();
        assert!(
            found.contains("completed it (3 files moved into place)"),
            "{found}"
        );
        assert_eq!(tree(&out), tree(&fresh));
        // Killed before the commit: the staged files go, the build is as it was.
        let _ = commit(&out, &old, &mut WriteReport::default()).unwrap();
        std::fs::remove_file(out.join(JOURNAL)).unwrap();
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
        let report = write(&out, &new).unwrap();
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
