//! Plan to pages: every printed artefact as Markdown and HTML, from Tera templates.
//!
//! Each page of the [`Plan`] is an independent job over shared, read-only views, so jobs run in
//! parallel (rayon) and the output does not depend on their order. Each kind of page has its
//! file under `pages/`, with the typed context its templates see.

mod calls;
mod defer;
mod filters;
mod pages;
mod templates;
mod text;
mod tidy;
pub mod view;

use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;

pub use templates::{BUILTIN, Templates, copy_builtins};
use view::{CourseView, InstructorModule, LearnerModule};

use crate::diagnostic::Diagnostic;
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
pub type Sink<'a> = dyn Fn(Artefact) -> Result<(), Diagnostic> + Sync + 'a;

/// The pages of one plan, ready to render. A module's views are built the first time a page
/// needs them, rendering each Markdown body once, so a rebuild that renders one module's pages
/// renders only that module's Markdown.
#[derive(Debug)]
pub struct Pages<'a> {
    plan: &'a Plan<'a>,
    /// The build's templates, `t()` reading the plan's catalog.
    templates: Templates,
    sources: &'a Sources,
    course: CourseView,
    views: Views<'a>,
    /// Whether contexts mark their texts instead of copying them (see [`defer`]).
    marks: bool,
}

/// Each module's views, built on first use.
#[derive(Debug)]
pub(crate) struct Views<'a> {
    plan: &'a Plan<'a>,
    instructor: Vec<OnceLock<InstructorModule>>,
}

impl Views<'_> {
    /// The trainer's view of module `i`.
    pub(crate) fn instructor(&self, i: usize) -> &InstructorModule {
        self.instructor[i].get_or_init(|| {
            let curriculum = self.plan.curriculum;
            let evaluation = curriculum.course.evaluation.as_ref();
            InstructorModule::new(
                i + 1,
                &curriculum.modules[i],
                evaluation,
                &self.plan.catalog,
            )
        })
    }

    /// The learner's view of module `i`.
    pub(crate) fn learner(&self, i: usize) -> LearnerModule<'_> {
        self.instructor(i).learner_view()
    }

    /// Every module's trainer view, built in parallel.
    pub(crate) fn all_instructor(&self) -> Vec<&InstructorModule> {
        (0..self.instructor.len())
            .into_par_iter()
            .map(|i| self.instructor(i))
            .collect()
    }

    /// Every module's learner view.
    pub(crate) fn all_learner(&self) -> Vec<LearnerModule<'_>> {
        self.all_instructor()
            .into_iter()
            .map(InstructorModule::learner_view)
            .collect()
    }
}

impl<'a> Pages<'a> {
    /// Ready to render `plan`'s pages; nothing is rendered yet.
    pub fn new(plan: &'a Plan<'a>, templates: &'a Templates, sources: &'a Sources) -> Self {
        let count = plan.curriculum.modules.len();
        let course = &plan.curriculum.course;
        let marks = templates.overridden().next().is_none()
            && !sources.iter().any(|file| defer::holds_marks(&file.text))
            && !course
                .variables
                .values()
                .any(|value| defer::holds_marks(value.get_ref()));
        Pages {
            marks,
            plan,
            templates: templates.with_catalog(plan.catalog.clone()),
            sources,
            course: CourseView::new(plan),
            views: Views {
                plan,
                instructor: (0..count).map(|_| OnceLock::new()).collect(),
            },
        }
    }

    /// Renders `pages` (LMS files are the exporters') in parallel and hands each file to
    /// `sink` as soon as it is rendered, so no build holds all its pages at once. A template
    /// that fails is a diagnostic, once per template, and its pages are left out.
    pub fn render(&self, pages: &[&Page], sink: &Sink<'_>) -> Vec<Diagnostic> {
        self.run(pages, sink, false)
    }

    /// Whether [`Pages::try_templates`] can tell a broken template without holding pages.
    pub fn can_try(&self) -> bool {
        self.marks
    }

    /// Renders what the templates make of `pages` without writing anything or splicing their
    /// texts in (see [`defer`]: that part cannot fail), to find a broken template before any
    /// file is written without holding the pages in memory until then.
    pub fn try_templates(&self, pages: &[&Page]) -> Vec<Diagnostic> {
        self.run(pages, &|_| Ok(()), true)
    }

    fn run(&self, pages: &[&Page], sink: &Sink<'_>, dry: bool) -> Vec<Diagnostic> {
        let renderer = Renderer {
            plan: self.plan,
            templates: &self.templates,
            sources: self.sources,
            course: &self.course,
            views: &self.views,
            sink,
            marks: self.marks,
            dry,
        };
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
    sources: &'a Sources,
    course: &'a CourseView,
    views: &'a Views<'a>,
    /// Where each file goes as soon as it is rendered.
    sink: &'a Sink<'a>,
    /// Whether contexts mark their texts instead of copying them.
    marks: bool,
    /// Whether only the templates are tried, and nothing is spliced or handed to the sink.
    dry: bool,
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
        let (context, texts) = if self.marks {
            defer::context(context)
        } else {
            (tera::Context::from_serialize(context), Vec::new())
        };
        let context = context.map_err(|err| {
            Diagnostic::error(
                crate::diagnostic::Code::TemplateRender,
                format!("cannot build the context of {}: {err}", page.path()),
            )
        })?;
        if let Some(md) = page.md_path() {
            self.file(&format!("md/{name}.md"), md, &context, &texts)?;
        }
        self.file(&format!("html/{name}.html"), page.path(), &context, &texts)
    }

    fn file(
        &self,
        template: &str,
        path: String,
        context: &tera::Context,
        texts: &[std::sync::Arc<text::Body>],
    ) -> Result<(), Diagnostic> {
        let mut text = self.templates.render(template, context, self.sources)?;
        if self.dry {
            return Ok(());
        }
        if !texts.is_empty() {
            text = defer::splice(&text, texts);
        }
        if template.ends_with(".md") {
            // The Markdown copy shows raw HTML as text, as the HTML copy does.
            if let std::borrow::Cow::Owned(escaped) = crate::markdown::escape_raw_html(&text) {
                text = escaped;
            }
        }
        self.put(Artefact {
            path,
            bytes: tidy::tidy(text).into_bytes(),
        })
    }

    /// Hands one finished file to the sink.
    fn put(&self, artefact: Artefact) -> Result<(), Diagnostic> {
        if self.dry {
            return Ok(());
        }
        (self.sink)(artefact)
    }
}
