//! Files to model: reads a curriculum directory, keeping the text of every file and the span of
//! every value so that each problem can be shown where it is.
//!
//! Loading never stops at the first problem: every file is read and parsed, every unknown key in
//! a file is reported (and set aside so the rest of the file still loads), and what loads cleanly
//! is handed to the checker.

mod keys;
mod question;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{Course, Module, RawQuestion};
use crate::source::{FileId, Sources};

/// A curriculum as far as it could be read.
#[derive(Debug)]
pub struct Curriculum {
    /// The directory holding `course.toml`.
    pub root: PathBuf,
    pub course: Option<LoadedCourse>,
    /// In course order; modules whose file could not be loaded are absent.
    pub modules: Vec<LoadedModule>,
}

#[derive(Debug)]
pub struct LoadedCourse {
    pub file: FileId,
    pub course: Course,
}

#[derive(Debug)]
pub struct LoadedModule {
    /// The file stem, as listed in `course.toml`.
    pub id: String,
    pub file: FileId,
    pub module: Module,
}

/// The outcome of [`load`]: the curriculum, the text of every file read, and every problem met.
#[derive(Debug)]
pub struct Loaded {
    pub curriculum: Curriculum,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the curriculum in `dir`.
pub fn load(dir: &Path) -> Loaded {
    let mut loader = Loader {
        sources: Sources::default(),
        diagnostics: Vec::new(),
    };
    let curriculum = loader.curriculum(dir);
    Loaded {
        curriculum,
        sources: loader.sources,
        diagnostics: loader.diagnostics,
    }
}

/// Module ids become file names, so they are restricted before any path is built from them.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// How many wrong values one file may report before the rest are left for the next run.
const MAX_TYPE_ERRORS: usize = 50;

/// A module id and where course.toml lists it.
type Listed = (String, Range<usize>);

struct Loader {
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
}

impl Loader {
    fn curriculum(&mut self, dir: &Path) -> Curriculum {
        // Paths are shown as the user gave them; `.` adds nothing but noise.
        let base = if dir == Path::new(".") {
            Path::new("")
        } else {
            dir
        };
        let mut curriculum = Curriculum {
            root: dir.to_owned(),
            course: None,
            modules: Vec::new(),
        };
        match std::fs::metadata(dir) {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                self.diagnostics.push(
                    Diagnostic::error(Code::Io, format!("directory `{}` does not exist", dir.display()))
                        .at_path(dir)
                        .help("pass the directory that holds course.toml, e.g. `coursepack check curricula/police-community-relations`"),
                );
                return curriculum;
            }
            Err(err) => {
                self.io_error(dir, &err);
                return curriculum;
            }
            Ok(meta) if !meta.is_dir() => {
                let mut diagnostic = Diagnostic::error(
                    Code::Io,
                    format!("`{}` is a file, not a curriculum directory", dir.display()),
                )
                .at_path(dir);
                if let Some(parent) = dir.parent().filter(|_| dir.ends_with("course.toml")) {
                    let parent = if parent.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        parent
                    };
                    diagnostic = diagnostic.help(format!(
                        "pass its directory instead: `{}`",
                        parent.display()
                    ));
                }
                self.diagnostics.push(diagnostic);
                return curriculum;
            }
            Ok(_) => {}
        }

        let course_path = base.join("course.toml");
        if !course_path.exists() {
            self.diagnostics.push(
                Diagnostic::error(Code::MissingCourse, format!("no course.toml in `{}`", dir.display()))
                    .at_path(&course_path)
                    .help("create course.toml with at least `id`, `title`, `version` and `modules = [\"<module-id>\", ...]` (see docs/format.md)"),
            );
        } else if let Some((file, course)) = self.load_file::<Course>(&course_path, &keys::COURSE) {
            curriculum.course = Some(LoadedCourse { file, course });
        }

        let modules_dir = base.join("modules");
        let on_disk = self.module_files_on_disk(&modules_dir);
        let listed: Vec<Listed> = match &curriculum.course {
            Some(loaded) => self.listed_modules(loaded, &modules_dir, &on_disk),
            // Without a course there is no order, but every module file still gets checked.
            None => on_disk.iter().map(|id| (id.clone(), 0..0)).collect(),
        };
        for (id, _) in &listed {
            let path = modules_dir.join(format!("{id}.toml"));
            let Some((file, raw)) = self.load_file::<Module<RawQuestion>>(&path, &keys::MODULE)
            else {
                continue;
            };
            let text = &self.sources.get(file).text;
            let module = question::convert_module(raw, file, text, &mut self.diagnostics);
            curriculum.modules.push(LoadedModule {
                id: id.clone(),
                file,
                module,
            });
        }
        if curriculum.course.is_some() {
            for stem in on_disk
                .iter()
                .filter(|stem| !listed.iter().any(|(id, _)| id == *stem))
            {
                self.diagnostics.push(
                    Diagnostic::error(Code::ModuleNotListed, format!("module file `{stem}.toml` is not listed in course.toml"))
                        .at_path(modules_dir.join(format!("{stem}.toml")))
                        .help(format!("add \"{stem}\" to `modules` in course.toml, or move the file out of modules/")),
                );
            }
        }
        curriculum
    }

    /// The module ids of course.toml that name a readable file; problems with the rest are reported.
    fn listed_modules(
        &mut self,
        loaded: &LoadedCourse,
        modules_dir: &Path,
        on_disk: &[String],
    ) -> Vec<Listed> {
        let file = loaded.file;
        let mut listed: Vec<Listed> = Vec::new();
        for entry in loaded.course.modules.get_ref() {
            let id = entry.get_ref();
            let span = entry.span();
            if !is_valid_id(id) {
                self.diagnostics.push(
                    Diagnostic::error(Code::InvalidId, format!("module id \"{id}\" is not a plain file name"))
                        .at(file, span)
                        .label("not a valid module id")
                        .help("module ids start with a letter or digit and use only letters, digits, `-`, `_` and `.`; the module lives in modules/<id>.toml"),
                );
                continue;
            }
            if let Some((_, first)) = listed.iter().find(|(other, _)| other == id) {
                let (line, _) = self.sources.get(file).line_col(first.start);
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateModule,
                        format!("module \"{id}\" is listed twice"),
                    )
                    .at(file, span)
                    .label("listed again here")
                    .help(format!(
                        "remove this entry; it is already listed on line {line}"
                    )),
                );
                continue;
            }
            let path = modules_dir.join(format!("{id}.toml"));
            if path.is_dir() {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::ModuleNotFile,
                        format!("`{}` is a directory, not a module file", path.display()),
                    )
                    .at(file, span)
                    .help(format!("a module is one TOML file: modules/{id}.toml")),
                );
                continue;
            }
            if !path.exists() {
                let mut diagnostic =
                    Diagnostic::error(Code::ModuleMissing, format!("module \"{id}\" has no file"))
                        .at(file, span)
                        .label(format!("expected {}", path.display()));
                let unlisted = on_disk.iter().map(String::as_str);
                diagnostic = match did_you_mean(id, unlisted) {
                    Some(stem) => diagnostic.help(format!(
                        "did you mean \"{stem}\"? (modules/{stem}.toml exists)"
                    )),
                    None => diagnostic.help(format!(
                        "create modules/{id}.toml or remove \"{id}\" from `modules`"
                    )),
                };
                self.diagnostics.push(diagnostic);
                continue;
            }
            listed.push((id.clone(), span));
        }
        listed
    }

    /// Stems of the `*.toml` files in `modules/`, sorted.
    fn module_files_on_disk(&mut self, modules_dir: &Path) -> Vec<String> {
        let entries = match std::fs::read_dir(modules_dir) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
            Err(err) => {
                self.io_error(modules_dir, &err);
                return Vec::new();
            }
        };
        let mut stems: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "toml") && path.is_file())
            .filter_map(|path| path.file_stem()?.to_str().map(str::to_owned))
            .collect();
        stems.sort();
        stems
    }

    /// Reads, parses and deserializes one file, reporting every reason it could not be.
    fn load_file<T: DeserializeOwned>(
        &mut self,
        path: &Path,
        schema: &keys::Schema,
    ) -> Option<(FileId, T)> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(err) => {
                self.io_error(path, &err);
                return None;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let lossy = String::from_utf8_lossy(err.as_bytes()).into_owned();
                let file = self.sources.add(path.to_owned(), lossy);
                self.diagnostics.push(
                    Diagnostic::error(Code::NotUtf8, "file is not valid UTF-8")
                        .at(file, offset..offset + '\u{FFFD}'.len_utf8())
                        .label("invalid byte here")
                        .help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")"),
                );
                return None;
            }
        };
        let file = self.sources.add(path.to_owned(), text);
        let Loader {
            sources,
            diagnostics,
        } = self;
        let source = sources.get(file);
        if source.text.trim().is_empty() {
            let needs = if path.ends_with("course.toml") {
                "`id`, `title`, `version` and `modules`"
            } else {
                "at least `title`"
            };
            diagnostics.push(
                Diagnostic::error(Code::EmptyFile, "file is empty")
                    .at(file, 0..0)
                    .help(format!("it needs {needs}; see docs/format.md")),
            );
            return None;
        }
        let (table, errors) = DeTable::parse_recoverable(&source.text);
        if !errors.is_empty() {
            for err in errors {
                let span = err.span().unwrap_or(0..0);
                let message = err.message().trim_end();
                let help = if message.contains("duplicate key") {
                    "each key may appear only once in a table; remove or rename one of them"
                } else {
                    "check the quoting and brackets on this line; https://toml.io describes the syntax"
                };
                diagnostics.push(
                    Diagnostic::error(Code::Syntax, format!("TOML syntax: {message}"))
                        .at(file, span)
                        .help(help),
                );
            }
            return None;
        }
        let span = table.span();
        let mut table = table.into_inner();
        keys::prune_unknown(&mut table, schema, file, diagnostics);
        // serde stops at the first wrong value. To report every one, set the offending key aside
        // and try again; stop at a missing key, or when a removed key's absence is all that is left.
        let mut removed: Vec<String> = Vec::new();
        for _ in 0..MAX_TYPE_ERRORS {
            let deserializer =
                toml::de::Deserializer::from(toml::Spanned::new(span.clone(), table.clone()));
            let err = match T::deserialize(deserializer) {
                // Unknown keys are already reported and what loaded is still checked; a file with
                // a value set aside is not, since the rules would only repeat its absence.
                Ok(value) => return removed.is_empty().then_some((file, value)),
                Err(err) => err,
            };
            let diagnostic =
                keys::classify(&err, file, source.first_line(err.span().unwrap_or(0..0)));
            let follow_on = diagnostic.code == Code::MissingKey
                && removed
                    .iter()
                    .any(|key| diagnostic.message.contains(&format!("\"{key}\"")));
            if follow_on {
                return None;
            }
            let wrong_value = diagnostic.code == Code::WrongType;
            diagnostics.push(diagnostic);
            match err
                .span()
                .filter(|_| wrong_value)
                .and_then(|at| keys::remove_value_at(&mut table, &at))
            {
                Some(key) => removed.push(key),
                None => return None,
            }
        }
        None
    }

    fn io_error(&mut self, path: &Path, err: &std::io::Error) {
        self.diagnostics.push(
            Diagnostic::error(Code::Io, format!("cannot read `{}`: {err}", path.display()))
                .at_path(path)
                .help("check that the path exists and that you may read it"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_ids_cannot_escape_the_modules_directory() {
        assert!(is_valid_id("active-listening"));
        assert!(is_valid_id("m_2"));
        for bad in ["", "../x", "..", "a/b", "a\\b", ".hidden", "-x", "a b", "é"] {
            assert!(!is_valid_id(bad), "{bad:?} accepted");
        }
    }
}
