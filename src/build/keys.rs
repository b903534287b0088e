//! What each page of a build is made from, as digests for the build cache ([`crate::cache`]).

use std::collections::BTreeSet;
use std::path::Path;

use crate::cache::{Fingerprint, binary};
use crate::check::Checked;
use crate::plan::{Options, PageKind};
use crate::render::view::CourseView;
use crate::source::{EntryKind, Remembered, SourceProvider};

/// The digest of every page of one build: pages of one module depend on that module and on
/// every file that is not a module; every other page on the whole source.
#[derive(Debug)]
pub(super) struct PageKeys {
    module: Vec<String>,
    course: String,
    /// What every part of a whole-course page is made from besides its own context: the binary,
    /// the options, the templates and every file that is not a module (see `render::reuse`).
    pub(super) parts: u128,
}

/// The binary, the options, the templates and every file read but the modules, which key their
/// own pages: `course.toml`, the handouts, the catalogs of the words coursepack writes itself
/// (`locales/<lang>.ftl`), the templates and the translations.
fn shared(checked: &Checked, options: &Options) -> Fingerprint {
    let sources = &checked.report.sources;
    let mut base = Fingerprint::default();
    base.add(binary());
    add_options(&mut base, options).add(checked.templates.digest());
    let modules: BTreeSet<&Path> = checked
        .curriculum
        .modules
        .iter()
        .map(|m| sources.get(m.file).path.as_path())
        .collect();
    for file in sources.iter() {
        if !modules.contains(file.path.as_path()) {
            base.add(&file.path).add(&file.text);
        }
    }
    base
}

impl PageKeys {
    pub(super) fn new(checked: &Checked, course: &CourseView, options: &Options) -> Self {
        let sources = &checked.report.sources;
        let curriculum = &checked.curriculum;
        // Whatever a page is made from is in its key.
        let mut base = shared(checked, options);
        let parts = base.digest();
        // What every page's course view shows: totals over all modules among it.
        base.add(serde_json::to_string(course).unwrap_or_default());
        let module = curriculum
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| {
                base.clone()
                    .add(i)
                    .add(&m.id)
                    .add(&sources.get(m.file).text)
                    .finish()
            })
            .collect();
        let mut whole = base;
        for m in &curriculum.modules {
            whole.add(&m.id).add(&sources.get(m.file).text);
        }
        PageKeys {
            module,
            course: whole.finish(),
            parts,
        }
    }

    /// The digest of every page of a translation's build: the whole source, every translation
    /// file included, and the language.
    pub(super) fn translation(checked: &Checked, lang: &str, options: &Options) -> Self {
        let sources = &checked.report.sources;
        let mut whole = Fingerprint::default();
        whole.add(binary()).add(lang);
        add_options(&mut whole, options).add(checked.templates.digest());
        for file in sources.iter() {
            whole.add(&file.path).add(&file.text);
        }
        let course = whole.finish();
        PageKeys {
            module: vec![course.clone(); checked.curriculum.modules.len()],
            course,
            // A part's key holds its file's path, which holds the language.
            parts: shared(checked, options).digest(),
        }
    }

    /// The digest of a page of `kind`.
    pub(super) fn of(&self, kind: PageKind) -> &str {
        match kind {
            PageKind::Module(i)
            | PageKind::Check(i)
            | PageKind::CheckKey(i)
            | PageKind::Activity(i, _) => &self.module[i],
            _ => &self.course,
        }
    }
}

/// A digest of everything a build reads: the binary, the options, and every file of the
/// curriculum (`course.toml`, `modules/`, `templates/`), by path and bytes. `None` when some
/// file cannot be read: then the build goes the long way and reports it. The files are listed
/// in order, then read and hashed side by side, each to a digest of its own that is added in
/// that order. The bytes are held in `provider` for the build to load.
pub(super) fn source_digest(provider: &Remembered<'_>, options: &Options) -> Option<String> {
    use rayon::prelude::*;
    let mut files = vec![Listed::File("course.toml".into())];
    // Translations of course.toml sit beside it.
    let mut translations: Vec<String> = provider
        .list(Path::new(""))
        .ok()?
        .into_iter()
        .filter(|(name, kind)| {
            *kind == EntryKind::File && name.starts_with("course.") && name.ends_with(".toml")
        })
        .map(|(name, _)| name)
        .filter(|name| name != "course.toml")
        .collect();
    translations.sort();
    files.extend(
        translations
            .into_iter()
            .map(|name| Listed::File(name.into())),
    );
    for dir in ["modules", "templates", "handouts", "locales"] {
        list_tree(provider, Path::new(dir), &mut files)?;
    }
    // A file's digest, `None` when it cannot be read; a folder that is absent has none.
    let digests: Vec<Option<u128>> = files
        .par_iter()
        .map(|listed| match listed {
            Listed::File(path) => provider.read_ahead(path, xxhash_rust::xxh3::xxh3_128).ok(),
            Listed::Absent(_) => None,
        })
        .collect();
    let mut print = Fingerprint::default();
    print.add(binary());
    add_options(&mut print, options);
    for (listed, digest) in files.iter().zip(digests) {
        match listed {
            Listed::File(path) => print.add(path).add(digest?),
            Listed::Absent(dir) => print.add((dir, "absent")),
        };
    }
    Some(print.finish())
}

/// A file of the curriculum to hash, or a folder it does not have.
enum Listed {
    File(std::path::PathBuf),
    Absent(std::path::PathBuf),
}

/// Adds every option a page can depend on.
fn add_options<'p>(print: &'p mut Fingerprint, options: &Options) -> &'p mut Fingerprint {
    print
        .add(options.seed)
        .add(&options.built)
        .add(options.class_size)
        .add(options.learner_only)
        .add(&options.variables)
}

/// Lists the files under `dir`, in the provider's order, after `files`; `None` when something
/// there is neither a file nor a folder, or cannot be listed.
fn list_tree(provider: &dyn SourceProvider, dir: &Path, files: &mut Vec<Listed>) -> Option<()> {
    match provider.kind(dir).ok()? {
        None => {
            files.push(Listed::Absent(dir.to_owned()));
            return Some(());
        }
        Some(EntryKind::Dir) => {}
        Some(_) => return None,
    }
    for (name, kind) in provider.list(dir).ok()? {
        let path = dir.join(&name);
        match kind {
            EntryKind::File => files.push(Listed::File(path)),
            EntryKind::Dir => list_tree(provider, &path, files)?,
            EntryKind::Other => return None,
        }
    }
    Some(())
}
