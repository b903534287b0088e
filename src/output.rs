//! Writing a build: refuses unsafe output directories, writes atomically, skips unchanged
//! files, and keeps a manifest so stale files it wrote are removed and files it did not write
//! are never touched.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::render::Artefact;

/// The manifest's name in the output directory.
pub const MANIFEST: &str = ".coursepack-manifest";

/// What a write did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// Refuses an output directory that is the curriculum, holds it, sits in its sources, or is a file.
pub fn check_output_dir(course_dir: &Path, out: &Path) -> Result<()> {
    let course = absolute(course_dir)?;
    let target = absolute(out)?;
    if target.is_file() {
        bail!(
            "output `{}` is a file\n  help: pass a directory with -o, e.g. -o build",
            out.display()
        );
    }
    if target == course {
        bail!(
            "output `{}` is the curriculum directory itself\n  help: write the build elsewhere, e.g. -o {}",
            out.display(),
            course_dir.join("build").display()
        );
    }
    if course.starts_with(&target) {
        bail!(
            "output `{}` contains the curriculum `{}`, whose files could be overwritten\n  help: choose a directory outside it, e.g. -o {}",
            out.display(),
            course_dir.display(),
            course_dir.join("build").display()
        );
    }
    for source in ["modules", "templates", "course.toml"] {
        if target.starts_with(course.join(source)) {
            bail!(
                "output `{}` is inside the curriculum's {source}\n  help: choose a directory outside the sources, e.g. -o {}",
                out.display(),
                course_dir.join("build").display()
            );
        }
    }
    Ok(())
}

/// Writes `artefacts` under `out`.
pub fn write(out: &Path, artefacts: &[Artefact]) -> Result<WriteReport> {
    let previous = read_manifest(out)?;
    let current: BTreeSet<String> = artefacts.iter().map(|a| a.path.clone()).collect();
    // Before writing anything: a file in the way that we did not write is the user's.
    for artefact in artefacts {
        let path = out.join(&artefact.path);
        if path.exists() && !previous.contains(&artefact.path) {
            bail!(
                "`{}` exists and was not written by coursepack; it will not be overwritten\n  help: move it away, or build into an empty directory with -o",
                path.display()
            );
        }
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
                .with_context(|| format!("cannot remove stale {}", path.display()))?;
            report.removed += 1;
            remove_empty_parents(out, &path);
        }
    }
    let manifest: String = current.iter().map(|p| format!("{p}\n")).collect();
    let manifest_path = out.join(MANIFEST);
    if std::fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
        write_atomic(&manifest_path, manifest.as_bytes())?;
    }
    Ok(report)
}

fn read_manifest(out: &Path) -> Result<BTreeSet<String>> {
    let path = out.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text
            .lines()
            .map(str::trim)
            // A hand-edited manifest must not point outside the output directory.
            .filter(|l| {
                !l.is_empty()
                    && Path::new(l)
                        .components()
                        .all(|c| matches!(c, Component::Normal(_)))
            })
            .map(str::to_owned)
            .collect()),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(BTreeSet::new()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes to a temporary file beside `path`, then renames it into place.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = path.parent().context("output path has no parent")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = path
        .file_name()
        .context("output path has no file name")?
        .to_string_lossy();
    let temp = parent.join(format!(".{name}.coursepack-tmp"));
    let mut file =
        std::fs::File::create(&temp).with_context(|| format!("cannot write {}", temp.display()))?;
    // No fsync: a build is reproducible from its source, and the rename already means a reader
    // sees the old file or the new one, never half of one.
    file.write_all(bytes)
        .with_context(|| format!("cannot write {}", temp.display()))?;
    drop(file);
    std::fs::rename(&temp, path)
        .with_context(|| format!("cannot move {} into place", path.display()))?;
    Ok(())
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

fn absolute(path: &Path) -> Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir()
            .context("cannot read the current directory")?
            .join(path)
    };
    // `..` is resolved by name first, then what exists is resolved on disk (symlinks
    // included) and the rest appended.
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
    let joined = lexical;
    let mut existing = joined.as_path();
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
        assert!(check_output_dir(&course, &course).is_err());
        assert!(check_output_dir(&course, temp.path()).is_err());
        assert!(check_output_dir(&course, &course.join("modules/out")).is_err());
        assert!(check_output_dir(&course, &course.join("course.toml")).is_err());
        assert!(check_output_dir(&course, &course.join("build/../..")).is_err());
        assert!(check_output_dir(&course, &course.join("build")).is_ok());
        assert!(check_output_dir(&course, &temp.path().join("elsewhere")).is_ok());
    }
}
