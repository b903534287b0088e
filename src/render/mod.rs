//! Plan to pages: every printed artefact as Markdown and HTML, from Tera templates.
//!
//! Each page of the [`Plan`] is an independent job over shared, read-only views, so jobs run in
//! parallel (rayon) and the output does not depend on their order. Each kind of page has its
//! file under `pages/`, with the typed context its templates see.

mod calls;
mod coded;
mod defer;
mod filters;
mod hashed;
mod pages;
mod reuse;
mod templates;
mod text;
mod tidy;
pub mod view;
mod walk;

use std::sync::{Arc, Mutex, PoisonError};

use std::io::Write as _;

use rayon::prelude::*;
use serde::Serialize;

pub(crate) use reuse::ReadAhead;
pub use reuse::Reuse;
pub use templates::{BUILTIN, Templates, copy_builtins, prepare as prepare_templates};
use view::{CourseView, InstructorModule};

use crate::diagnostic::Diagnostic;
use crate::model::Curriculum;
use crate::plan::{Page, PageKind, Plan};
use crate::source::Sources;

/// One file of the output, by its path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    /// `/`-separated, relative to the output folder.
    pub path: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// Where rendered files go as soon as each is ready: a folder's writer, or a list in memory.
/// Any `Fn(Artefact)` is one that takes each file whole.
pub trait Sink: Sync {
    /// Takes one file, whole.
    fn put(&self, artefact: Artefact) -> Result<(), Diagnostic>;

    /// Takes the file at `path` that `fill` writes piece by piece, so a large page is never
    /// held whole; by default it is gathered and [`Sink::put`].
    fn stream(&self, path: String, fill: &mut Fill<'_>) -> Result<(), Diagnostic> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|err| {
            Diagnostic::error(
                crate::diagnostic::Code::TemplateRender,
                format!("cannot write {path}: {err}"),
            )
        })?;
        self.put(Artefact { path, bytes })
    }

    /// [`Sink::stream`] for a file that `fill` goes back into as it writes it, as a zip does;
    /// by default it is gathered and [`Sink::put`].
    fn stream_seekable(&self, path: String, fill: &mut SeekFill<'_>) -> Result<(), Diagnostic> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        fill(&mut bytes).map_err(|err| {
            Diagnostic::error(
                crate::diagnostic::Code::TemplateRender,
                format!("cannot write {path}: {err}"),
            )
        })?;
        self.put(Artefact {
            path,
            bytes: bytes.into_inner(),
        })
    }

    /// Leaves the file at `path` as the last build wrote it: nothing it is made from changed.
    /// Only a build that keeps pages (with a [`Reuse`]) leaves files; a sink that holds no
    /// earlier build has nothing to do.
    fn keep(&self, _path: String) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// What writes a streamed file's bytes, in order.
pub type Fill<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// A file a writer may go back into: a file on disk, or a [`std::io::Cursor`] in memory.
pub trait WriteSeek: std::io::Write + std::io::Seek {}

impl<W: std::io::Write + std::io::Seek> WriteSeek for W {}

/// What writes a file that it goes back into, as [`Sink::stream_seekable`] asks.
pub type SeekFill<'a> = dyn FnMut(&mut dyn WriteSeek) -> std::io::Result<()> + 'a;

impl<F: Fn(Artefact) -> Result<(), Diagnostic> + Sync> Sink for F {
    fn put(&self, artefact: Artefact) -> Result<(), Diagnostic> {
        self(artefact)
    }
}

/// The pages of one plan, ready to render. A module's views are built the first time a page
/// needs them, rendering each Markdown body once, so a rebuild that renders one module's pages
/// renders only that module's Markdown.
#[derive(Debug)]
pub struct Pages<'a> {
    plan: &'a Plan<'a>,
    /// The build's templates, `t()` reading the plan's catalog.
    templates: Templates,
    /// With marks: the same templates with each module's or question's part of a long page
    /// printing the part's mark, to render that page's frame (see [`walk`]).
    frames: Option<Templates>,
    sources: &'a Sources,
    course: CourseView,
    views: Views<'a>,
    /// Whether contexts mark their texts instead of copying them (see [`defer`]).
    marks: bool,
    /// The source's hash, which every form's manifest records.
    source_hash: String,
    /// The last build's parts of whole-course pages, and where this build's are recorded.
    reuse: Option<&'a Reuse<'a>>,
}

/// Each module's views, built on first use and kept while its pages are rendered.
#[derive(Debug)]
pub(crate) struct Views<'a> {
    plan: &'a Plan<'a>,
    instructor: Vec<Mutex<Option<Arc<InstructorModule>>>>,
    /// Whether a whole-course page keeps the views it builds. A build that walks the course a
    /// module at a time (see [`walk`]) lets each module's views go once its pages are written,
    /// and the outline and the blueprint, which print none of their texts, build theirs afresh.
    keep_all: bool,
    /// Question texts, shared by the checks, forms and keys that print them.
    pub(crate) questions: view::RenderedQuestions,
}

impl Views<'_> {
    fn build(&self, i: usize) -> InstructorModule {
        let curriculum = self.plan.curriculum;
        let evaluation = curriculum.course.evaluation.as_ref();
        InstructorModule::new(
            i + 1,
            &curriculum.modules[i],
            evaluation,
            &self.plan.catalog,
        )
    }

    /// The trainer's view of module `i`, built once and kept until [`Views::evict`].
    pub(crate) fn instructor(&self, i: usize) -> Arc<InstructorModule> {
        let mut slot = self.instructor[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        Arc::clone(slot.get_or_insert_with(|| Arc::new(self.build(i))))
    }

    /// The trainer's view of module `i` for a page that shows the whole course: kept if the
    /// build keeps every view, else the one kept for the module's pages or one made afresh.
    pub(crate) fn get(&self, i: usize) -> Arc<InstructorModule> {
        if self.keep_all {
            return self.instructor(i);
        }
        let kept = self.instructor[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        kept.unwrap_or_else(|| Arc::new(self.build(i)))
    }

    /// Every module's trainer view, built in parallel (see [`Views::get`]).
    pub(crate) fn all_instructor(&self) -> Vec<Arc<InstructorModule>> {
        (0..self.instructor.len())
            .into_par_iter()
            .map(|i| self.get(i))
            .collect()
    }

    /// Lets module `i`'s views go: its pages are written.
    pub(crate) fn evict(&self, i: usize) {
        self.instructor[i]
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
    }
}

/// What rendering needs to know of the source files' text, learnt before the build lets go of
/// it (see [`Sources::forget`]).
#[derive(Debug, Clone)]
pub struct SourceFacts {
    /// Whether contexts may mark their texts (see [`defer`]): the templates are the built-in
    /// ones, and neither the files nor the variables hold the mark character.
    marks: bool,
    /// The source's hash, which every form's manifest records.
    hash: String,
}

impl SourceFacts {
    /// What the pages of `curriculum` need to know of `sources`, which must still hold every
    /// text. It needs no [`Plan`], so a build learns it while it plans.
    pub fn of(curriculum: &Curriculum, templates: &Templates, sources: &Sources) -> Self {
        let course = &curriculum.course;
        let marks = templates.overridden().next().is_none()
            && !sources.iter().any(|file| defer::holds_marks(&file.text))
            && !course
                .variables
                .values()
                .any(|value| defer::holds_marks(value.get_ref()));
        SourceFacts {
            marks,
            hash: crate::plan::source_hash(curriculum, sources),
        }
    }
}

impl<'a> Pages<'a> {
    /// Ready to render `plan`'s pages; nothing is rendered yet. `facts` are what
    /// [`SourceFacts::of`] learnt of the source.
    pub fn new(
        plan: &'a Plan<'a>,
        templates: &'a Templates,
        sources: &'a Sources,
        facts: SourceFacts,
    ) -> Self {
        let count = plan.curriculum.modules.len();
        let templates = templates.with_catalog(plan.catalog.clone());
        Pages {
            frames: facts.marks.then(|| templates.frames()),
            marks: facts.marks,
            source_hash: facts.hash,
            reuse: None,
            plan,
            templates,
            sources,
            course: CourseView::new(plan),
            views: Views {
                plan,
                instructor: (0..count).map(|_| Mutex::new(None)).collect(),
                keep_all: !facts.marks,
                questions: view::RenderedQuestions::for_plan(plan),
            },
        }
    }

    /// The same pages, their whole-course pages' parts kept from the last build where nothing
    /// they are made from changed, and this build's recorded, through `reuse`.
    pub fn with_reuse(mut self, reuse: &'a Reuse<'a>) -> Self {
        self.reuse = Some(reuse);
        self
    }

    /// Renders `pages` (LMS files are the exporters') in parallel and hands each file to
    /// `sink` as soon as it is rendered, so no build holds all its pages at once. A template
    /// that fails is a diagnostic, once per template, and its pages are left out.
    pub fn render(&self, pages: &[&Page], sink: &dyn Sink) -> Vec<Diagnostic> {
        if !self.walks() {
            return self.run(pages, Out::Sink(sink));
        }
        let (walked, rest): (Vec<&Page>, Vec<&Page>) =
            pages.iter().partition(|page| walk::walked(page.kind));
        let renderer = self.renderer(Out::Sink(sink));
        // The frames first, while the build holds least (see `Pages::frames`).
        let (walk, mut problems) = self.frames(&renderer, &walked);
        let (walked, rest) = rayon::join(
            || self.walk(&renderer, walk, sink),
            || self.run(&rest, Out::Sink(sink)),
        );
        problems.extend(walked);
        problems.extend(rest);
        // One broken template breaks every module's part: say so once.
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        problems.dedup_by(|a, b| a.message == b.message);
        problems
    }

    /// Whether [`Pages::render`] walks the course a module at a time (see [`walk`]): with the
    /// built-in templates. Then the handbook, the guide and the exam forms and keys are written
    /// in parts as they are rendered, so [`Pages::hold`] is not to be asked for them.
    pub fn walks(&self) -> bool {
        self.frames.is_some()
    }

    /// Whether `page` may be held by [`Pages::hold`].
    pub fn holds(&self, page: &Page) -> bool {
        let in_parts = matches!(
            page.kind,
            PageKind::Handbook
                | PageKind::Guide
                | PageKind::Outline
                | PageKind::Form(_)
                | PageKind::FormKey(_)
        );
        !(self.walks() && in_parts)
    }

    /// Runs the templates of `pages` and keeps what they wrote, unwritten, to find a broken
    /// template before any file is written. A marked page is kept as its skeleton (see
    /// [`defer`]), which is small; [`Pending::write`] splices and writes it later.
    pub fn hold(&self, pages: &[&Page]) -> (Vec<Pending>, Vec<Diagnostic>) {
        let held = Mutex::new(Vec::new());
        let problems = self.run(pages, Out::Hold(&held));
        let held = held.into_inner().unwrap_or_else(PoisonError::into_inner);
        (held, problems)
    }

    fn renderer<'s>(&'s self, out: Out<'s>) -> Renderer<'s> {
        Renderer {
            plan: self.plan,
            templates: &self.templates,
            frames: self.frames.as_ref(),
            sources: self.sources,
            course: &self.course,
            views: &self.views,
            out,
            marks: self.marks,
            source_hash: &self.source_hash,
            reuse: self.reuse,
        }
    }

    fn run(&self, pages: &[&Page], out: Out<'_>) -> Vec<Diagnostic> {
        let renderer = self.renderer(out);
        let mut problems: Vec<Diagnostic> = pages
            .par_iter()
            .filter(|page| !matches!(page.kind, PageKind::Lms(_)))
            .filter_map(|page| renderer.page(page).err())
            .collect();
        // One broken template breaks every page that uses it: say so once.
        problems.sort_by(|a, b| a.message.cmp(&b.message));
        problems.dedup_by(|a, b| a.message == b.message);
        problems
    }
}

/// A language's name in itself, for the links between language versions.
fn language_name(tag: &str) -> String {
    let base = tag.split('-').next().unwrap_or(tag);
    match base {
        "en" => "English",
        "es" => "Español",
        "fr" => "Français",
        "pt" => "Português",
        "vi" => "Tiếng Việt",
        "zh" => "中文",
        "ko" => "한국어",
        "ar" => "العربية",
        "ru" => "Русский",
        "tl" => "Tagalog",
        "ht" => "Kreyòl ayisyen",
        "so" => "Soomaali",
        "am" => "አማርኛ",
        _ => tag,
    }
    .to_owned()
}

/// What every page job reads.
struct Renderer<'a> {
    plan: &'a Plan<'a>,
    templates: &'a Templates,
    /// The templates of whole-course frames, when the build walks.
    frames: Option<&'a Templates>,
    sources: &'a Sources,
    course: &'a CourseView,
    views: &'a Views<'a>,
    /// Where each file goes as soon as it is rendered.
    out: Out<'a>,
    /// Whether contexts mark their texts instead of copying them.
    marks: bool,
    source_hash: &'a str,
    reuse: Option<&'a Reuse<'a>>,
}

/// Where a page job's files go.
#[derive(Clone, Copy)]
enum Out<'a> {
    /// Written, each as soon as it is ready.
    Sink(&'a dyn Sink),
    /// Kept unwritten, to be written later with [`Pending::write`].
    Hold(&'a Mutex<Vec<Pending>>),
}

/// What every page's context holds besides its own content.
#[derive(Serialize)]
struct PageBase<'a> {
    course: &'a CourseView,
    /// `../` once per folder between the page and the output root.
    root: String,
    /// The file name of the page's Markdown copy, for the HTML's "Markdown" link.
    md_path: String,
    /// Links every page's navigation may use, from this page.
    links: NavLinks,
    /// The same page in each language the build writes; empty without translations.
    languages: Vec<LanguageLink>,
}

/// A link to the page's counterpart in one language.
#[derive(Serialize)]
struct LanguageLink {
    /// The BCP 47 tag, for `hreflang` and `lang`.
    lang: String,
    /// The language's name in itself: "English", "Español".
    name: String,
    href: String,
    /// Whether it is the page's own language.
    current: bool,
}

/// The pages navigation links to, as the plan names them, from the page being rendered.
#[derive(Serialize)]
struct NavLinks {
    index: String,
    handbook: String,
    guide: String,
}

impl Renderer<'_> {
    /// The hash of the source, computed once for every manifest.
    fn source_hash(&self) -> &str {
        self.source_hash
    }

    /// Renders `page` and hands its files to the sink, one by one.
    fn page(&self, page: &Page) -> Result<(), Diagnostic> {
        match page.kind {
            PageKind::Index => pages::index::render(self, page),
            PageKind::LearnerIndex => pages::index::render_learner(self, page),
            PageKind::Handbook => pages::handbook::render(self, page),
            PageKind::Module(i) => pages::module::render(self, page, i),
            PageKind::Handout(i) => pages::handout::render(self, page, i),
            PageKind::Check(i) => pages::check::render(self, page, i, false),
            PageKind::CheckKey(i) => pages::check::render(self, page, i, true),
            PageKind::Guide => pages::guide::render(self, page),
            PageKind::Activity(m, a) => pages::activity::render(self, page, m, a),
            PageKind::Form(f) => pages::form::render(self, page, f, false),
            PageKind::FormKey(f) => pages::form::render(self, page, f, true),
            PageKind::FormManifest(f) => pages::manifest::render(self, page, f),
            PageKind::Blueprint => pages::blueprint::render(self, page),
            PageKind::Evaluation(m, a) => pages::evaluation::render(self, page, m, a),
            PageKind::Outline => pages::outline::render(self, page),
            PageKind::Lms(_) => Ok(()),
        }
    }

    fn base(&self, page: &Page) -> PageBase<'_> {
        let md_path = page
            .md_path()
            .and_then(|p| p.rsplit('/').next().map(str::to_owned))
            .unwrap_or_default();
        let root = page.root();
        let links = NavLinks {
            index: self.plan.href(self.plan.home(), &root),
            handbook: self.plan.href(PageKind::Handbook, &root),
            guide: self.plan.href(PageKind::Guide, &root),
        };
        let path = self.plan.unprefixed_path(page);
        let default = self.plan.languages.first();
        let own = self.plan.lang.as_ref().or(default);
        let languages = self
            .plan
            .languages
            .iter()
            .map(|lang| LanguageLink {
                lang: lang.clone(),
                name: language_name(lang),
                href: if Some(lang) == default {
                    format!("{root}{path}")
                } else {
                    format!("{root}{lang}/{path}")
                },
                current: Some(lang) == own,
            })
            .collect();
        PageBase {
            course: self.course,
            root,
            md_path,
            links,
            languages,
        }
    }

    /// Renders `md/<name>.md` and `html/<name>.html` with `context` to the page's two files
    /// (only the HTML for a page without a Markdown copy), handing each to the sink as soon as
    /// it is ready.
    fn both(&self, page: &Page, name: &str, context: &impl Serialize) -> Result<(), Diagnostic> {
        let whole = self.whole_page(page, name, context);
        if let Some(key) = whole
            && self.kept_whole(page, key)?
        {
            return Ok(());
        }
        let (context, texts) = if self.marks {
            defer::context(context)
        } else {
            (tera::Context::from_serialize(context), Vec::new())
        };
        // One list for both copies of the page.
        let texts: Arc<[Arc<text::Body>]> = texts.into();
        let context = context.map_err(|err| {
            Diagnostic::error(
                crate::diagnostic::Code::TemplateRender,
                format!("cannot build the context of {}: {err}", page.path()),
            )
        })?;
        if let Some(md) = page.md_path() {
            self.file(&format!("md/{name}.md"), md, &context, &texts)?;
        }
        self.file(&format!("html/{name}.html"), page.path(), &context, &texts)?;
        if let Some(key) = whole {
            self.wrote_whole(page, key);
        }
        Ok(())
    }

    /// Whether every file of `page` was written whole from `key` by the last build and is still
    /// as it left it: then each is left in place, with what the cache recorded of it (its parts
    /// and frame, for a later build that writes it again), and nothing is rendered.
    fn kept_whole(&self, page: &Page, key: u128) -> Result<bool, Diagnostic> {
        let Some(reuse) = self.reuse else {
            return Ok(false);
        };
        let files: Vec<String> = page.md_path().into_iter().chain([page.path()]).collect();
        if !files.iter().all(|file| reuse.whole(file, key)) {
            return Ok(false);
        }
        reuse.page_kept();
        for file in files {
            reuse.carry(&file);
            self.pending(Pending(Held::Kept(file)))?;
        }
        Ok(true)
    }

    /// Records that every file of `page`, just written, was written whole from `key`.
    fn wrote_whole(&self, page: &Page, key: u128) {
        if let Some(reuse) = self.reuse {
            for file in page.md_path().into_iter().chain([page.path()]) {
                reuse.add_whole(&file, key);
            }
        }
    }

    /// The key a page that shows the whole course is kept by, from its context: a rebuild
    /// renders such a page again whenever any module changes, but what it shows (a blueprint's
    /// counts, the index's titles) changes far less often, and when its context is what the last
    /// build rendered, so are its files. `None` for a module's pages, kept by their module's
    /// source, and for a build that keeps nothing.
    fn whole_page(&self, page: &Page, name: &str, context: &impl Serialize) -> Option<u128> {
        if matches!(
            page.kind,
            PageKind::Module(_)
                | PageKind::Check(_)
                | PageKind::CheckKey(_)
                | PageKind::Activity(..)
        ) {
            return None;
        }
        let mut print = self.reuse?.view(context).ok()?;
        print.add("whole page").add(name).add(page.path());
        Some(print.digest())
    }

    /// [`Renderer::both`] with the frame templates (see [`walk`]), which print the `fragment`
    /// of each part the page includes: `md` is the Markdown copy's context, `html` the page's.
    fn framed(
        &self,
        page: &Page,
        name: &str,
        md: &impl Serialize,
        html: &impl Serialize,
    ) -> Result<(), Diagnostic> {
        let Some(frames) = self.frames else {
            return Err(walk::unframed(page));
        };
        if let Some(path) = page.md_path() {
            let (context, texts) = defer::located_context(md, &path)?;
            self.file_of(
                frames,
                &format!("md/{name}.md"),
                path,
                &context,
                &texts.into(),
            )?;
        }
        let path = page.path();
        let (context, texts) = defer::located_context(html, &path)?;
        self.file_of(
            frames,
            &format!("html/{name}.html"),
            path,
            &context,
            &texts.into(),
        )
    }

    fn file(
        &self,
        template: &str,
        path: String,
        context: &tera::Context,
        texts: &Arc<[Arc<text::Body>]>,
    ) -> Result<(), Diagnostic> {
        self.file_of(self.templates, template, path, context, texts)
    }

    fn file_of(
        &self,
        templates: &Templates,
        template: &str,
        path: String,
        context: &tera::Context,
        texts: &Arc<[Arc<text::Body>]>,
    ) -> Result<(), Diagnostic> {
        let text = templates.render(template, context, self.sources)?;
        self.pending(Pending(Held::Page {
            path,
            text,
            texts: Arc::clone(texts),
            markdown: template.ends_with(".md"),
        }))
    }

    /// Hands one finished file to the sink.
    fn put(&self, artefact: Artefact) -> Result<(), Diagnostic> {
        self.pending(Pending(Held::File(artefact)))
    }

    fn pending(&self, mut pending: Pending) -> Result<(), Diagnostic> {
        match self.out {
            Out::Hold(held) => {
                // A rendered page grows by doubling: what is kept a while keeps only its length.
                if let Held::Page { text, .. } = &mut pending.0 {
                    text.shrink_to_fit();
                }
                held.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(pending);
                Ok(())
            }
            Out::Sink(sink) => pending.write(sink),
        }
    }
}

/// A file rendered but not written yet.
#[derive(Debug)]
pub struct Pending(Held);

#[derive(Debug)]
enum Held {
    /// What a page's template wrote and, for a marked page, the texts its marks name.
    Page {
        path: String,
        text: String,
        texts: Arc<[Arc<text::Body>]>,
        /// A Markdown copy: its raw HTML is escaped.
        markdown: bool,
    },
    /// A file made without a template.
    File(Artefact),
    /// A file left as the last build wrote it.
    Kept(String),
}

/// Pages at least this long are streamed into their files; a shorter one is made whole, so the
/// writer can compare it with what the folder holds before writing anything.
const STREAM_FROM: usize = 1 << 20;

impl Pending {
    /// Splices the page's texts in, if it has marks, escapes a Markdown copy's raw HTML, and
    /// hands the page to `sink`: a long marked page as a stream, so it is never held whole (its
    /// Markdown copy is spliced whole first, as escaping its raw HTML reads the whole page).
    pub fn write(self, sink: &dyn Sink) -> Result<(), Diagnostic> {
        let (path, text, texts, markdown) = match self.0 {
            Held::File(artefact) => return sink.put(artefact),
            Held::Kept(path) => return sink.keep(path),
            Held::Page {
                path,
                text,
                texts,
                markdown,
            } => (path, text, texts, markdown),
        };
        let long = !texts.is_empty() && defer::spliced_len(&text, &texts) >= STREAM_FROM;
        if long && !markdown {
            return sink.stream(path, &mut |out| {
                let mut out = tidy::Tidy::new(out);
                defer::splice_into(&text, &texts, &mut out)?;
                out.finish()
            });
        }
        let mut text = if texts.is_empty() {
            text
        } else {
            defer::splice(&text, &texts)
        };
        drop(texts);
        if !long {
            if markdown {
                // The Markdown copy shows raw HTML as text, as the HTML copy does.
                if let std::borrow::Cow::Owned(escaped) = crate::markdown::escape_raw_html(&text) {
                    text = escaped;
                }
            }
            return sink.put(Artefact {
                path,
                bytes: tidy::tidy(text).into_bytes(),
            });
        }
        let at = crate::markdown::raw_html_at(&text);
        sink.stream(path, &mut |out| {
            let mut out = tidy::Tidy::new(out);
            for run in crate::markdown::escaped_runs(&text, &at) {
                out.write_all(run.as_bytes())?;
            }
            out.finish()
        })
    }
}
