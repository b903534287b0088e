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

/// Writes the build of course `course` (its id) under `out`. Refuses, before writing anything,
/// a folder holding another course's build, and files in the way that no manifest names.
pub fn write(out: &Path, course: &str, artefacts: &[Artefact]) -> Result<WriteReport, Diagnostic> {
    let manifest = read_manifest(out)?;
    if let Some(other) = manifest.course.as_deref().filter(|&c| c != course) {
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
    let previous = manifest.files;
    let current: BTreeSet<String> = artefacts.iter().map(|a| a.path.clone()).collect();
    // Before writing anything: a file in the way that we did not write is the user's.
    let in_the_way: Vec<&str> = artefacts
        .iter()
        .map(|a| a.path.as_str())
        .filter(|p| !previous.contains(*p) && out.join(p).exists())
        .collect();
    if !in_the_way.is_empty() {
        return Err(not_ours(out, manifest.found, &in_the_way));
    }
    let mut report = WriteReport::default();
    for artefact in artefacts {
        let path = out.join(&artefact.path);
        if std::fs::read(&path).is_ok_and(|bytes| bytes == artefact.bytes) {
            report.unchanged += 1;
            continue;
        }
        write_atomic(&path, &artefact.bytes)?;
        report.written += 1;
    }
    for stale in previous.difference(&current) {
        let path = out.join(stale);
        if path.is_file() {
            std::fs::remove_file(&path)
                .map_err(|err| io_error(&path, "cannot remove the stale file", &err))?;
            report.removed += 1;
            remove_empty_parents(out, &path);
        }
    }
    let mut text = format!("{COURSE_LINE}{course}\n");
    text.extend(current.iter().map(|p| format!("{p}\n")));
    let manifest_path = out.join(MANIFEST);
    if std::fs::read_to_string(&manifest_path).ok().as_deref() != Some(text.as_str()) {
        write_atomic(&manifest_path, text.as_bytes())?;
    }
    Ok(report)
}

/// The refusal for files in the way: all of them at once, and what probably happened.
fn not_ours(out: &Path, manifest_found: bool, files: &[&str]) -> Diagnostic {
    const SHOWN: usize = 8;
    let mut list: String = files
        .iter()
        .take(SHOWN)
        .map(|f| format!("\n  {}", out.join(f).display()))
        .collect();
    if files.len() > SHOWN {
        list.push_str(&format!("\n  … and {} more", files.len() - SHOWN));
    }
    let layout = files.iter().all(|f| is_layout_path(f));
    if !manifest_found && layout {
        return Diagnostic::error(
            Code::OutputManifestLost,
            format!(
                "`{}` holds {} files of a coursepack build, but its manifest `{MANIFEST}` is missing, so coursepack cannot tell them from yours:{list}",
                out.display(),
                files.len()
            ),
        )
        .at_path(out)
        .help(format!(
            "if they are an earlier build, `coursepack clean {}` removes them (only files a build writes), then build again; or build into another folder with -o",
            out.display()
        ));
    }
    let message = match files {
        [one] => format!(
            "`{}` exists and was not written by coursepack; it will not be overwritten",
            out.join(one).display()
        ),
        _ => format!(
            "{} files in `{}` were not written by coursepack and will not be overwritten:{list}",
            files.len(),
            out.display()
        ),
    };
    Diagnostic::error(Code::OutputNotOurs, message)
        .at_path(out.join(files[0]))
        .help("move them away, or build into an empty directory with -o")
}

/// What [`clean`] did.
#[derive(Debug, Default)]
pub struct Cleaned {
    /// The files removed, relative to the folder.
    pub removed: Vec<String>,
    /// Files left alone because neither a manifest nor the output layout names them.
    pub kept: Vec<String>,
}

/// Removes a build from `out`: the files its manifest names, and (for a lost manifest) the
/// files the output layout names; nothing else. Refuses a folder holding a curriculum.
pub fn clean(out: &Path) -> Result<Cleaned, Diagnostic> {
    if out.join("course.toml").exists() || out.join("modules").is_dir() {
        return Err(Diagnostic::error(
            Code::OutputRefused,
            format!("`{}` is a curriculum, not a build", out.display()),
        )
        .at_path(out)
        .help("pass the output folder, e.g. `coursepack clean build`"));
    }
    if !out.is_dir() {
        return Err(
            Diagnostic::error(Code::Io, format!("`{}` is not a folder", out.display()))
                .at_path(out)
                .help("pass the output folder of a build, e.g. `coursepack clean build`"),
        );
    }
    let manifest = read_manifest(out)?;
    let mut cleaned = Cleaned::default();
    let mut files = Vec::new();
    walk(out, out, &mut files);
    for rel in files {
        let ours = manifest.files.contains(&rel) || is_layout_path(&rel) || rel == MANIFEST;
        if !ours {
            cleaned.kept.push(rel);
            continue;
        }
        let path = out.join(&rel);
        std::fs::remove_file(&path).map_err(|err| io_error(&path, "cannot remove", &err))?;
        remove_empty_parents(out, &path);
        cleaned.removed.push(rel);
    }
    Ok(cleaned)
}

/// Every file under `dir`, relative to `root`, `/`-separated, sorted.
fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(root, &path, files);
        } else if let Ok(rel) = path.strip_prefix(root) {
            files.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Whether `rel` is a name a build writes (`docs/format.md`'s output tree, as the plan lays it
/// out): the index, pages under `learner/`, `instructor/` and `exam/`, LMS files under `lms/`,
/// and the temporary files of an interrupted write.
fn is_layout_path(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.starts_with('.') && name.ends_with(".coursepack-tmp") {
        return true;
    }
    let page = name.ends_with(".html") || name.ends_with(".md");
    match rel.split_once('/') {
        None => rel == "index.html",
        Some(("learner" | "instructor" | "exam", _)) => page,
        Some(("lms", rest)) => {
            !rest.contains('/')
                && [".gift.txt", ".moodle.xml", ".qti.zip"]
                    .iter()
                    .any(|ext| rest.ends_with(ext))
        }
        _ => false,
    }
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

/// The manifest's first line, naming the course whose build the folder holds.
const COURSE_LINE: &str = "# course ";

/// What the manifest of an output folder says.
#[derive(Debug, Default)]
struct Manifest {
    /// Whether there was one.
    found: bool,
    /// The course it records (manifests before 0.2 record none).
    course: Option<String>,
    /// The files it lists.
    files: BTreeSet<String>,
}

fn read_manifest(out: &Path) -> Result<Manifest, Diagnostic> {
    let path = out.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Manifest {
            found: true,
            course: text
                .lines()
                .find_map(|l| l.strip_prefix(COURSE_LINE))
                .map(|c| c.trim().to_owned()),
            files: text
                .lines()
                .map(str::trim)
                // A hand-edited manifest must not point outside the output directory.
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with('#')
                        && Path::new(l)
                            .components()
                            .all(|c| matches!(c, Component::Normal(_)))
                })
                .map(str::to_owned)
                .collect(),
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(err) => Err(io_error(&path, "cannot read", &err)),
    }
}

/// Writes to a temporary file beside `path`, then renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|err| io_error(parent, "cannot create", &err))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = parent.join(format!(".{name}.coursepack-tmp"));
    let mut file =
        std::fs::File::create(&temp).map_err(|err| io_error(&temp, "cannot write", &err))?;
    // No fsync: a build is reproducible from its source, and the rename already means a reader
    // sees the old file or the new one, never half of one.
    file.write_all(bytes)
        .map_err(|err| io_error(&temp, "cannot write", &err))?;
    drop(file);
    std::fs::rename(&temp, path).map_err(|err| io_error(path, "cannot move into place", &err))
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

/// `path` made absolute: `..` resolved by name first, then what exists resolved on disk
/// (symlinks included) and the rest appended.
fn absolute(path: &Path) -> Result<PathBuf, Diagnostic> {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .map_err(|err| io_error(Path::new("."), "cannot read the current directory", &err))?
            .join(path)
    };
    let mut lexical = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_owned());
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

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
