//! `coursepack clean OUT`: removes a build, and only what a build writes.

use std::path::{Path, PathBuf};

use super::{MANIFEST, io_error, manifest, remove_empty_parents};
use crate::diagnostic::{Code, Diagnostic};

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
    let manifest = manifest::read(out)?;
    let mut cleaned = Cleaned::default();
    let mut files = Vec::new();
    walk(out, out, &mut files);
    for rel in files {
        let ours = manifest.files.contains(&rel)
            || is_layout_path(&rel)
            || rel == MANIFEST
            || rel == crate::cache::CACHE
            || rel == crate::load::memo::MEMO;
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

/// `es`, `pt-BR`: a folder a translation's pages go in (never one of the layout's own folders).
fn is_language_folder(name: &str) -> bool {
    let mut parts = name.split('-');
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase()))
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && !matches!(name, "lms")
}

/// Whether `rel` is a name a build writes (`docs/format.md`'s output tree, as the plan lays it
/// out): the index, pages under `learner/`, `instructor/` and `exam/`, LMS files under `lms/`,
/// and the temporary files of an interrupted write.
pub(super) fn is_layout_path(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.starts_with('.') && name.ends_with(".coursepack-tmp") {
        return true;
    }
    let page = name.ends_with(".html") || name.ends_with(".md");
    // A translation's build: the same layout under `<lang>/`.
    if let Some((lang, rest)) = rel.split_once('/')
        && is_language_folder(lang)
    {
        return is_layout_path(rest);
    }
    match rel.split_once('/') {
        None => rel == "index.html",
        Some(("learner" | "instructor", _)) => page,
        // Exam forms, keys and the blueprint, and each form's manifest.
        Some(("exam", rest)) => page || (!rest.contains('/') && rest.ends_with(".json")),
        Some(("lms", rest)) => {
            !rest.contains('/')
                && [".gift.txt", ".moodle.xml", ".qti.zip"]
                    .iter()
                    .any(|ext| rest.ends_with(ext))
        }
        _ => false,
    }
}
