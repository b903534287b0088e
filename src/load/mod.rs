//! Files to model: reads a curriculum through a [`SourceProvider`], keeping the text of every
//! file and the span of every value so that each problem can be shown where it is.
//!
//! Loading never stops at the first problem: every file is read and parsed, every unknown key in
//! a file is reported (and set aside so the rest of the file still loads), and what loads cleanly
//! is handed to the checker.

mod file;
mod handouts;
mod keys;
mod links;
pub mod memo;
mod overlay;
mod question;
mod stamp;
mod strings;
mod translations;
mod vars;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{Course, HandoutFile, Module, ModuleFile, RawQuestion};
use memo::Memo;

use rayon::prelude::*;

use crate::source::{EntryKind, FileId, SourceProvider, Sources};
pub use question::RejectedQuestion;
pub use stamp::{EntryState, State, translation_status};
pub use translations::{Translation, is_language_tag};
pub use vars::{Variables, is_variable_name};

/// How many module files are read side by side.
const BATCH: usize = 64;

/// About how many bytes of module text are kept in one block: enough that the allocator maps
/// each block on its own and gives it back whole.
const BLOCK: usize = 32 << 20;

/// A curriculum as far as it could be read: what the checker's rules run over.
#[derive(Debug)]
pub struct Loaded {
    /// `course.toml`, when it loaded.
    pub course: Option<(FileId, Course)>,
    /// In course order; modules whose file could not be loaded are absent.
    pub modules: Vec<ModuleFile>,
    /// The handouts course.toml lists, in its order; those that could not be loaded are absent.
    pub handouts: Vec<HandoutFile>,
    /// One per language of `translations`, when the course loaded.
    pub translations: Vec<Translation>,
    /// Per module id: questions whose answer fields did not fit their type, kept by id and
    /// objectives so the other rules still see them and one mistake does not cause others.
    pub rejected: BTreeMap<String, Vec<RejectedQuestion>>,
    /// The text of every file read.
    pub sources: Sources,
    /// Every problem met while reading.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the curriculum `provider` holds.
pub fn load(provider: &dyn SourceProvider) -> Loaded {
    load_with(provider, &[])
}

/// Reads the curriculum `provider` holds, with `overrides` (`--var name=value`) replacing or
/// adding to the course's `[variables]`.
pub fn load_with(provider: &dyn SourceProvider, overrides: &[(String, String)]) -> Loaded {
    load_memo(provider, overrides, &Memo::off())
}

/// [`load_with`], each module file read back from `memo` when the last build parsed the same
/// bytes without a problem, and every module that loads without one recorded in it.
pub fn load_memo(
    provider: &dyn SourceProvider,
    overrides: &[(String, String)],
    memo: &Memo,
) -> Loaded {
    let mut loader = Loader {
        provider,
        memo,
        variables: Variables::new(overrides),
        translations: Vec::new(),
        loaded: Loaded {
            course: None,
            modules: Vec::new(),
            handouts: Vec::new(),
            translations: Vec::new(),
            rejected: BTreeMap::new(),
            sources: Sources::default(),
            diagnostics: Vec::new(),
        },
    };
    loader.curriculum();
    loader
        .variables
        .report_unused(&mut loader.loaded.diagnostics);
    loader.loaded
}

/// Module ids become file names, so they are restricted before any path is built from them.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// A module id and where course.toml lists it.
type Listed = (String, Range<usize>);

struct Loader<'a> {
    provider: &'a dyn SourceProvider,
    /// The parsed modules the last build left, and this build's for the next.
    memo: &'a Memo,
    variables: Variables,
    /// The course's `translations`: files `<id>.<lang>.toml` of these languages are not
    /// modules or handouts of their own.
    translations: Vec<String>,
    loaded: Loaded,
}

impl Loader<'_> {
    fn push(&mut self, diagnostic: Diagnostic) {
        self.loaded.diagnostics.push(diagnostic);
    }

    fn curriculum(&mut self) {
        if !self.root_is_a_directory() {
            return;
        }
        let course_path = Path::new("course.toml");
        match self.provider.kind(course_path) {
            Ok(None) => {
                let root = self.provider.display(Path::new(""));
                let shown = if root.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    &root
                };
                self.push(
                    Diagnostic::error(Code::MissingCourse, format!("no course.toml in `{}`", shown.display()))
                        .at_path(self.provider.display(course_path))
                        .help("create course.toml with at least `id`, `title`, `version` and `modules = [\"<module-id>\", ...]` (see docs/format.md)"),
                );
            }
            _ => {
                if let Some((file, course)) = self.load_file::<Course>(course_path, &keys::COURSE) {
                    self.translations = self.translation_languages(file, &course);
                    self.loaded.course = Some((file, course));
                }
            }
        }

        let on_disk = self.module_files();
        let listed: Vec<Listed> = match self.loaded.course.take() {
            Some(course) => {
                let listed = self.listed_modules(&course, &on_disk);
                self.loaded.course = Some(course);
                listed
            }
            // Without a course there is no order, but every module file still gets checked.
            None => on_disk.iter().map(|id| (id.clone(), 0..0)).collect(),
        };
        self.modules(&listed);
        if let Some((file, course)) = self.loaded.course.take() {
            self.handouts(file, &course.handouts);
            self.loaded.course = Some((file, course));
            let ids: Vec<&str> = listed.iter().map(|(id, _)| id.as_str()).collect();
            let unlisted: Vec<&String> = on_disk
                .iter()
                .filter(|stem| !ids.contains(&stem.as_str()) && !self.is_translation(stem, &ids))
                .collect();
            let langs = self.translations.clone();
            self.translations(&langs);
            for stem in unlisted {
                self.push(
                    Diagnostic::error(Code::ModuleNotListed, format!("module file `{stem}.toml` is not listed in course.toml"))
                        .at_path(self.provider.display(&module_path(stem)))
                        .help(format!("add \"{stem}\" to `modules` in course.toml, or move the file out of modules/")),
                );
            }
        }
    }

    /// Reports a root that is missing or not a directory.
    fn root_is_a_directory(&mut self) -> bool {
        let root = self.provider.display(Path::new(""));
        let shown = if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root
        };
        match self.provider.kind(Path::new("")) {
            Ok(Some(EntryKind::Dir)) => true,
            Ok(None) => {
                self.push(
                    Diagnostic::error(Code::Io, format!("directory `{}` does not exist", shown.display()))
                        .at_path(&shown)
                        .help("pass the directory that holds course.toml, e.g. `coursepack check curricula/police-community-relations`"),
                );
                false
            }
            Ok(Some(_)) => {
                let mut diagnostic = Diagnostic::error(
                    Code::Io,
                    format!(
                        "`{}` is a file, not a curriculum directory",
                        shown.display()
                    ),
                )
                .at_path(&shown);
                if let Some(parent) = shown.parent().filter(|_| shown.ends_with("course.toml")) {
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
                self.push(diagnostic);
                false
            }
            Err(err) => {
                self.io_error(Path::new(""), &err);
                false
            }
        }
    }

    /// Reads every listed module in course order (so files are numbered as they are listed),
    /// then parses them in parallel and keeps the results, and their problems, in that order.
    ///
    /// Files are read a batch at a time on the pool's threads, and their texts kept in blocks
    /// of about [`BLOCK`] bytes (see [`crate::source::Sources::add_read_all`]): once the build
    /// lets the texts go, their memory is given back whole, not left in holes between the
    /// model's strings.
    fn modules(&mut self, listed: &[Listed]) {
        let provider = self.provider;
        let mut read: Vec<(&str, PathBuf, FileId)> = Vec::with_capacity(listed.len());
        // Texts waiting for their block: (listed id, path, shown path, text).
        let mut pending: Vec<(&str, PathBuf, PathBuf, String)> = Vec::new();
        for batch in listed.chunks(BATCH) {
            let bytes: Vec<(PathBuf, std::io::Result<Vec<u8>>)> = batch
                .par_iter()
                .map(|(id, _)| {
                    let path = module_path(id);
                    let read = provider.read(&path);
                    (path, read)
                })
                .collect();
            for ((id, _), (path, bytes)) in batch.iter().zip(bytes) {
                let text = match bytes {
                    Ok(bytes) if bytes.len() as u64 <= crate::limits::MAX_FILE_BYTES => {
                        String::from_utf8(bytes).map_err(|err| Ok(err.into_bytes()))
                    }
                    other => Err(other),
                };
                match text {
                    Ok(text) => {
                        pending.push((
                            id.as_str(),
                            path.clone(),
                            self.provider.display(&path),
                            text,
                        ));
                    }
                    // Reported as any file's problem, in its place among the files.
                    Err(bytes) => {
                        self.add_block(&mut pending, &mut read);
                        if let Some(file) = self.add_text(&path, bytes) {
                            read.push((id.as_str(), path, file));
                        }
                    }
                }
            }
            if pending.iter().map(|(.., text)| text.len()).sum::<usize>() >= BLOCK {
                self.add_block(&mut pending, &mut read);
            }
        }
        self.add_block(&mut pending, &mut read);
        let sources = &self.loaded.sources;
        let variables = &self.variables;
        let memo = self.memo;
        let parsed: Vec<_> = read
            .par_iter()
            .map(|(id, path, file)| {
                let mut diagnostics = Vec::new();
                let source = sources.get(*file);
                let key = memo.on().then(|| Memo::key(variables, path, &source.text));
                if let Some((module, used)) = key.and_then(|key| memo.get(id, key)) {
                    variables.mark_used(&used);
                    let module = ModuleFile {
                        id: (*id).to_owned(),
                        file: *file,
                        module,
                    };
                    return (Some((module, Vec::new())), diagnostics);
                }
                let mut used = Vec::new();
                let module = file::parse_file::<Module<RawQuestion>>(
                    path,
                    source,
                    *file,
                    &keys::MODULE,
                    variables,
                    &mut diagnostics,
                    &mut used,
                )
                .map(|(file, raw)| {
                    let (module, rejected) =
                        question::convert_module(raw, file, &source.text, &mut diagnostics);
                    (
                        ModuleFile {
                            id: (*id).to_owned(),
                            file,
                            module,
                        },
                        rejected,
                    )
                });
                if let (Some((module, rejected)), Some(key)) = (&module, key)
                    && rejected.is_empty()
                    && diagnostics.is_empty()
                {
                    memo.learnt(&module.id, key, used);
                }
                (module, diagnostics)
            })
            .collect();
        for (module, diagnostics) in parsed {
            self.loaded.diagnostics.extend(diagnostics);
            if let Some((module, rejected)) = module {
                if !rejected.is_empty() {
                    self.loaded.rejected.insert(module.id.clone(), rejected);
                }
                self.loaded.modules.push(module);
            }
        }
    }

    /// Adds the `pending` texts to the sources in one block, and their files to `read`.
    fn add_block<'l>(
        &mut self,
        pending: &mut Vec<(&'l str, PathBuf, PathBuf, String)>,
        read: &mut Vec<(&'l str, PathBuf, FileId)>,
    ) {
        if pending.is_empty() {
            return;
        }
        let mut named = Vec::with_capacity(pending.len());
        let texts = pending
            .drain(..)
            .map(|(id, path, shown, text)| {
                named.push((id, path.clone()));
                (shown, path, text)
            })
            .collect();
        let files = self.loaded.sources.add_read_all(texts);
        read.extend(
            named
                .into_iter()
                .zip(files)
                .map(|((id, path), file)| (id, path, file)),
        );
    }

    /// The module ids of course.toml that name a readable file; problems with the rest are reported.
    fn listed_modules(
        &mut self,
        (file, course): &(FileId, Course),
        on_disk: &[String],
    ) -> Vec<Listed> {
        let file = *file;
        let mut listed: Vec<Listed> = Vec::new();
        for entry in course.modules.iter() {
            let id = entry.get_ref();
            let span = entry.span();
            if !is_valid_id(id) {
                self.push(
                    Diagnostic::error(Code::InvalidId, format!("module id \"{id}\" is not a plain file name"))
                        .at(file, span)
                        .label("not a valid module id")
                        .help("module ids start with a letter or digit and use only letters, digits, `-`, `_` and `.`; the module lives in modules/<id>.toml"),
                );
                continue;
            }
            if id.chars().count() > crate::limits::MAX_ID_CHARS {
                self.push(
                    Diagnostic::error(
                        Code::OverLimit,
                        format!(
                            "module id is {} characters long, more than the limit of {}",
                            id.chars().count(),
                            crate::limits::MAX_ID_CHARS
                        ),
                    )
                    .at(file, span)
                    .label("over the limit")
                    .help("shorten it (and rename its file in modules/); ids become file names, which most systems cap at 255 bytes"),
                );
                continue;
            }
            if let Some((_, first)) = listed.iter().find(|(other, _)| other == id) {
                let (line, _) = self.loaded.sources.get(file).line_col(first.start);
                self.push(
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
            let path = module_path(id);
            let shown = self.provider.display(&path);
            match self.provider.kind(&path) {
                Ok(Some(EntryKind::Dir)) => {
                    self.push(
                        Diagnostic::error(
                            Code::ModuleNotFile,
                            format!("`{}` is a directory, not a module file", shown.display()),
                        )
                        .at(file, span)
                        .help(format!("a module is one TOML file: modules/{id}.toml")),
                    );
                    continue;
                }
                Ok(None) => {
                    let diagnostic = Diagnostic::error(
                        Code::ModuleMissing,
                        format!("module \"{id}\" has no file"),
                    )
                    .at(file, span)
                    .label(format!("expected {}", shown.display()));
                    let unlisted = on_disk.iter().map(String::as_str);
                    self.push(match did_you_mean(id, unlisted) {
                        Some(stem) => diagnostic.help(format!(
                            "did you mean \"{stem}\"? (modules/{stem}.toml exists)"
                        )),
                        None => diagnostic.help(format!(
                            "create modules/{id}.toml or remove \"{id}\" from `modules`"
                        )),
                    });
                    continue;
                }
                _ => listed.push((id.clone(), span)),
            }
        }
        listed
    }

    /// Stems of the `*.toml` files in `modules/`, sorted.
    fn module_files(&mut self) -> Vec<String> {
        self.toml_stems(Path::new("modules"))
    }

    fn io_error(&mut self, path: &Path, err: &std::io::Error) {
        let shown = self.provider.display(path);
        let (code, help) = match err.kind() {
            std::io::ErrorKind::FileTooLarge => (
                Code::OverLimit,
                format!(
                    "a source file may hold at most {} MiB; split a module that large",
                    crate::limits::MAX_FILE_BYTES / 1024 / 1024
                ),
            ),
            std::io::ErrorKind::InvalidInput => (
                Code::Io,
                "replace it with a plain file; coursepack reads only regular files".to_owned(),
            ),
            _ => (
                Code::Io,
                "check that the path exists and that you may read it".to_owned(),
            ),
        };
        self.push(
            Diagnostic::error(code, format!("cannot read `{}`: {err}", shown.display()))
                .at_path(shown)
                .help(help),
        );
    }
}

/// `modules/<id>.toml`, for an id that [`is_valid_id`] accepted.
fn module_path(id: &str) -> PathBuf {
    Path::new("modules").join(format!("{id}.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Memory;

    /// More modules than are read side by side, one of them not UTF-8 and one missing: every
    /// file is numbered in course order, holds its own text, and the broken ones are reported
    /// where they are.
    #[test]
    fn modules_read_in_batches_keep_course_order_and_their_own_text() {
        let count = BATCH * 2 + 5;
        let ids: Vec<String> = (0..count).map(|n| format!("\"m{n}\"")).collect();
        let mut provider = Memory::new("c").with(
            "course.toml",
            format!(
                "id = \"c\"\ntitle = \"C\"\nversion = \"1.0.0\"\nmodules = [{}]\n",
                ids.join(", ")
            ),
        );
        let text = |n: usize| format!("title = \"Module {n}\"\n# {}\n", "é".repeat(n));
        for n in (0..count).filter(|&n| n != 100) {
            if n == 70 {
                provider.insert(format!("modules/m{n}.toml"), b"title = \"\xff\"\n".to_vec());
            } else {
                provider.insert(format!("modules/m{n}.toml"), text(n));
            }
        }
        let loaded = load(&provider);
        let modules: Vec<_> = loaded
            .sources
            .iter()
            .filter(|f| f.path.to_string_lossy().contains("modules/"))
            .collect();
        let expected: Vec<String> = (0..count)
            .filter(|&n| n != 100)
            .map(|n| format!("c/modules/m{n}.toml"))
            .collect();
        let paths: Vec<String> = modules
            .iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(paths, expected, "files are numbered in course order");
        for (file, n) in modules.iter().zip((0..count).filter(|&n| n != 100)) {
            if n != 70 {
                assert_eq!(&*file.text, text(n), "m{n}");
                assert_eq!(file.line_col(file.text.len()), (3, 1), "m{n}");
            }
        }
        let loaded_ids: Vec<&str> = loaded.modules.iter().map(|m| m.id.as_str()).collect();
        let good: Vec<String> = (0..count)
            .filter(|&n| n != 70 && n != 100)
            .map(|n| format!("m{n}"))
            .collect();
        assert_eq!(loaded_ids, good);
        let codes: Vec<_> = loaded.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&crate::diagnostic::Code::NotUtf8),
            "{codes:?}"
        );
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| d.message.contains("m100")),
            "the missing module is reported"
        );
    }

    #[test]
    fn module_ids_cannot_escape_the_modules_directory() {
        assert!(is_valid_id("active-listening"));
        assert!(is_valid_id("m_2"));
        for bad in ["", "../x", "..", "a/b", "a\\b", ".hidden", "-x", "a b", "é"] {
            assert!(!is_valid_id(bad), "{bad:?} accepted");
        }
    }
}
