//! `build` end to end: guard the output, check, plan, render, export to the LMS formats, write.
//! The CLI calls [`build`] and prints its outcome.

mod date;
mod keys;
mod production;
mod replay;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

pub(crate) use date::civil_date;
pub use date::source_date;
use keys::PageKeys;
use production::Production;

use crate::cache::Cache;
use crate::check::{Checked, check_memo};
use crate::diagnostic::{Diagnostic, Report};
use crate::load::memo::Memo;
use crate::output::{self, FolderLock, Target, WriteReport, Writer};
use crate::plan::{Options, Page, PageKind, Plan};
use crate::render::view::CourseView;
use crate::render::{Artefact, Fill, Reuse, SeekFill, Sink, SourceFacts};
use crate::source::{Remembered, SourceProvider};

/// What [`build`] did.
#[derive(Debug)]
pub struct Built {
    /// The output folder.
    pub out: PathBuf,
    /// How many files the build holds.
    pub files: usize,
    /// What writing them did.
    pub written: WriteReport,
    /// Warnings met on the way (there are no errors), with the sources they quote.
    pub report: Report,
    /// The templates the course overrides.
    pub overridden_templates: Vec<String>,
    /// Pages kept from the last build because nothing they are made from changed.
    pub reused: usize,
    /// Parts of whole-course pages (a module's part of the handbook, a question's of a form)
    /// and groups of the LMS files (a module's bank) copied from the last build's files
    /// because nothing they are made from changed.
    pub parts_kept: usize,
    /// Whole-course files whose frame (the text around their parts: a table of contents, an
    /// agenda) was taken from the last build because nothing it is made from changed.
    pub frames_kept: usize,
    /// How many modules were built.
    pub modules: usize,
    /// How many exam forms.
    pub forms: usize,
}

/// Checks the curriculum `provider` holds and, when it has no errors, writes every artefact to
/// `out`, each as soon as it is rendered; with `options.cache`, pages whose inputs did not change
/// since the last build are kept as they are. `Err` holds every problem: the curriculum's, the
/// templates', or the output folder's.
pub fn build(
    provider: &dyn SourceProvider,
    out: &Path,
    options: &Options,
) -> Result<Built, Report> {
    if let Some(dir) = provider.disk_root() {
        output::guard(dir, out, Target::Folder).map_err(refusal)?;
    }
    // Locked before the cache is read: another build must not change the folder between what
    // this one decides to keep and what it writes.
    let held = FolderLock::existing(out).map_err(refusal)?;
    let cache = if options.cache {
        Cache::open(out)
    } else {
        Cache::empty(out)
    };
    // The files the digest reads are held for the build, which then reads each once.
    let remembered = Remembered::new(provider);
    let source = options
        .cache
        .then(|| keys::source_digest(&remembered, options))
        .flatten();
    if let Some(built) = source
        .as_deref()
        .and_then(|s| unchanged_rebuild(&cache, s, out, provider))
    {
        return Ok(built);
    }
    // The modules the last build parsed from the same bytes are read back, not parsed again.
    // A learner site is published as it is: it keeps no memo, which holds every exam item.
    let memo = if options.cache && !options.learner_only {
        Memo::open(out)
    } else {
        Memo::none()
    };
    let checked = check_memo(&remembered, &options.variables, &memo);
    // Whatever the build did not read again is let go.
    drop(remembered);
    let checked = checked?;
    // The build lets go of the curriculum's text as it goes: what the report quotes is read
    // again, whichever way the build ends.
    let mut result = write_checked(checked, held, cache, memo, source.as_deref(), out, options);
    match &mut result {
        Ok(built) => built.report.recall(provider),
        Err(report) => report.recall(provider),
    }
    result
}

/// [`build`] of a curriculum that checked without errors, into `out` (locked by `held`).
fn write_checked(
    mut checked: Checked,
    held: Option<FolderLock>,
    cache: Cache,
    memo: Memo,
    source: Option<&str>,
    out: &Path,
    options: &Options,
) -> Result<Built, Report> {
    // What the pages need to know of the source's text (its hash is a pass over every byte)
    // is learnt beside the planning and the page keys.
    let (curriculum, translations) = (&checked.curriculum, &checked.translations);
    let ((plans, fit, keys), facts) = rayon::join(
        || {
            let catalogs = &checked.catalogs;
            let plan = Plan::new(curriculum, options)
                .with_catalog(catalogs.get(&curriculum.course.language));
            let fit = class_fit(&plan);
            let mut plans = vec![plan];
            for translated in translations {
                let lang = translated.course.language.as_str();
                let languages = plans[0].languages.clone();
                plans.push(
                    Plan::new(translated, options)
                        .with_catalog(catalogs.get(lang))
                        .in_language(lang, languages),
                );
            }
            let keys: Vec<PageKeys> = plans
                .iter()
                .map(|plan| match &plan.lang {
                    None => PageKeys::new(&checked, &CourseView::new(plan), options),
                    Some(lang) => PageKeys::translation(&checked, lang, options),
                })
                .collect();
            (plans, fit, keys)
        },
        || {
            std::iter::once(curriculum)
                .chain(translations)
                .map(|curriculum| {
                    SourceFacts::of(curriculum, &checked.templates, &checked.report.sources)
                })
                .collect::<Vec<SourceFacts>>()
        },
    );
    checked.report.extend(fit);
    // From here on the curriculum's text is only for quoting what the report says: let it go,
    // and read again what the report quotes before returning it.
    checked.report.sources.forget("toml");
    let mut todo: Vec<Vec<&Page>> = Vec::new();
    let mut kept: Vec<&Page> = Vec::new();
    let mut key_of: BTreeMap<String, &str> = BTreeMap::new();
    for (plan, keys) in plans.iter().zip(&keys) {
        // Each page's files are looked at on disk (their sizes and times): on the pool, in order.
        let (to_render, fresh): (Vec<&Page>, Vec<&Page>) = plan
            .pages
            .par_iter()
            // LMS files are always exported again: what they cannot carry is reported every build.
            .partition(|page| {
                matches!(page.kind, PageKind::Lms(_))
                    || !cache.fresh(out, &page.files(), keys.of(page.kind))
            });
        key_of.extend(
            to_render
                .iter()
                .flat_map(|page| page.files().into_iter().map(|f| (f, keys.of(page.kind)))),
        );
        kept.extend(fresh);
        todo.push(to_render);
    }
    // Parts of whole-course pages are recorded even by `--no-cache` (its cache is empty), so
    // the next build can keep them.
    let mut cache = cache;
    cache.settle(keys[0].parts);
    let reuse = Reuse::new(&cache, out, keys[0].parts);
    let productions: Vec<Production<'_>> = plans
        .iter()
        .zip(todo)
        .zip(facts)
        .map(|((plan, todo), facts)| {
            Production::start(
                plan,
                todo,
                &checked.templates,
                &checked.report.sources,
                facts,
                Some(&reuse),
            )
        })
        .collect();
    let opened = if productions.iter().any(|p| p.failed(&checked.report)) {
        None
    } else {
        Some(Writer::open_locked(
            out,
            held,
            checked.curriculum.course.id.as_str(),
            plans
                .iter()
                .flat_map(|p| planned_paths(p))
                .collect::<Vec<String>>(),
        ))
    };
    let writer = match opened {
        Some(Ok(writer)) => writer,
        refused => {
            let mut problems: Vec<Diagnostic> = productions
                .into_iter()
                .flat_map(Production::problems)
                .collect();
            problems.extend(refused.and_then(Result::err));
            drop(plans);
            checked.report.extend(problems);
            checked.report.sort();
            return Err(checked.report);
        }
    };
    let kept_files: Vec<String> = kept.iter().flat_map(|page| page.files()).collect();
    let reused = kept.len();
    for file in &kept_files {
        cache.keep(file);
    }
    let sink = ToFolder {
        writer: &writer,
        files: AtomicUsize::new(kept_files.len()),
    };
    let mut problems = Vec::new();
    for (i, production) in productions.into_iter().enumerate() {
        let found = production.finish(&sink);
        // A translation's exports lose what the original's lose: reported once, for the original.
        problems.extend(
            found
                .into_iter()
                .filter(|p| i == 0 || p.code != crate::diagnostic::Code::LmsCannotCarry),
        );
    }
    let parts_kept = reuse.parts_kept();
    let pages_kept = reuse.pages_kept();
    let frames_kept = reuse.frames_kept();
    drop(reuse);
    let forms = form_pages(&plans[0]);
    let plan_pages: usize = plans.iter().map(|p| p.pages.len()).sum();
    drop(plans);
    let files = sink.files.into_inner();
    checked.report.extend(problems);
    checked.report.sort();
    if checked.report.has_errors() {
        if let Err(problem) = writer.abandon() {
            checked.report.push(problem);
        }
        return Err(checked.report);
    }
    let mut written = match writer.finish() {
        Ok(written) => written,
        Err(problem) => {
            checked.report.push(problem);
            return Err(checked.report);
        }
    };
    written.unchanged += kept_files.len();
    // Files are in place only now that the writer has moved them there.
    for (file, key) in &key_of {
        cache.record(out, file, key);
    }
    let overridden_templates: Vec<String> =
        checked.templates.overridden().map(str::to_owned).collect();
    let modules = checked.curriculum.modules.len();
    let summary = format!("{modules} {forms} {}", plan_pages);
    let notes = replay::notes(&checked.report, &overridden_templates);
    cache.save(source.map(|s| (s, summary.as_str(), &notes[..])));
    // Like the cache, the memo only saves work: a build that cannot write it has still built.
    if options.learner_only {
        let _ = std::fs::remove_file(out.join(crate::load::memo::MEMO));
    } else {
        let _ = memo.save(out, &checked.curriculum.modules);
    }
    Ok(Built {
        out: out.to_owned(),
        files,
        written,
        reused: reused + pages_kept,
        parts_kept,
        frames_kept,
        modules,
        forms,
        overridden_templates,
        report: checked.report,
    })
}

/// The build's sink: every file goes to the folder's writer, and is counted.
struct ToFolder<'a> {
    writer: &'a Writer,
    files: AtomicUsize,
}

impl Sink for ToFolder<'_> {
    fn put(&self, artefact: Artefact) -> Result<(), Diagnostic> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.writer.put(&artefact.path, &artefact.bytes)
    }

    fn stream(&self, path: String, fill: &mut Fill<'_>) -> Result<(), Diagnostic> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.writer.stream(&path, fill)
    }

    fn stream_seekable(&self, path: String, fill: &mut SeekFill<'_>) -> Result<(), Diagnostic> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.writer.stream_seekable(&path, fill)
    }

    fn keep(&self, path: String) -> Result<(), Diagnostic> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.writer.keep(&path);
        Ok(())
    }
}

/// The build of a source that is exactly what the last build was made from, with every file
/// still in place: nothing to do but to report again what that build reported.
fn unchanged_rebuild(
    cache: &Cache,
    source: &str,
    out: &Path,
    provider: &dyn SourceProvider,
) -> Option<Built> {
    if !output::settled(out) {
        return None;
    }
    let (files, summary, notes) = cache.unchanged_build(source, out)?;
    let mut counts = summary.split(' ').filter_map(|n| n.parse().ok());
    let (modules, forms, pages) = (counts.next()?, counts.next()?, counts.next()?);
    let (report, overridden_templates) = replay::replay(notes, provider)?;
    Some(Built {
        out: out.to_owned(),
        files,
        written: WriteReport {
            unchanged: files,
            ..WriteReport::default()
        },
        report,
        overridden_templates,
        reused: pages,
        parts_kept: 0,
        frames_kept: 0,
        modules,
        forms,
    })
}

/// Every file of a build, in memory and sorted by path, and how many exam forms it drew; what
/// went wrong (a template that fails) and what the LMS formats cannot carry go to the report.
pub fn artefacts(checked: &mut Checked, options: &Options) -> (Vec<Artefact>, usize) {
    let plan = Plan::new(&checked.curriculum, options);
    checked.report.extend(class_fit(&plan));
    let files = Mutex::new(Vec::new());
    let sink = |artefact: Artefact| {
        files
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(artefact);
        Ok(())
    };
    let todo = plan.pages.iter().collect();
    let facts = SourceFacts::of(
        &checked.curriculum,
        &checked.templates,
        &checked.report.sources,
    );
    let production = Production::start(
        &plan,
        todo,
        &checked.templates,
        &checked.report.sources,
        facts,
        None,
    );
    let problems = production.finish(&sink);
    let forms = form_pages(&plan);
    drop(plan);
    checked.report.extend(problems);
    checked.report.sort();
    let mut artefacts = files
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    artefacts.sort_by(|a, b| a.path.cmp(&b.path));
    (artefacts, forms)
}

/// W081 for a `--class-size` other than the course's, which `check` has already judged.
fn class_fit(plan: &Plan<'_>) -> Vec<Diagnostic> {
    let curriculum = plan.curriculum;
    let course = &curriculum.course;
    let Some(size) = plan.class_size else {
        return Vec::new();
    };
    if course.class_size.as_deref() == Some(&size) {
        return Vec::new();
    }
    curriculum
        .modules
        .iter()
        .flat_map(|m| {
            m.module.activities.iter().filter_map(move |a| {
                crate::check::class_fit(m.file, a, size, course.instructors.as_ref())
            })
        })
        .collect()
}

/// How many exam forms the build writes (none for a learner site, which still draws them).
fn form_pages(plan: &Plan<'_>) -> usize {
    plan.pages
        .iter()
        .filter(|p| matches!(p.kind, PageKind::Form(_)))
        .count()
}

/// Every path the plan writes: each page's Markdown and HTML, each LMS file.
fn planned_paths(plan: &Plan<'_>) -> Vec<String> {
    plan.pages
        .iter()
        .flat_map(|page| {
            page.md_path()
                .into_iter()
                .chain(std::iter::once(page.path()))
        })
        .collect()
}

/// A report holding one refusal.
fn refusal(problem: Diagnostic) -> Report {
    let mut report = Report::default();
    report.push(problem);
    report
}
