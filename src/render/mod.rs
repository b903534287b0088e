//! Plan to pages: every printed artefact as Markdown and HTML, from Tera templates.
//!
//! Each page of the [`Plan`] is an independent job over shared, read-only views, so jobs run in
//! parallel (rayon) and the output does not depend on their order. Each kind of page has its
//! file under `pages/`, with the typed context its templates see.

mod calls;
mod filters;
mod pages;
mod templates;
mod text;
mod tidy;
pub mod view;

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

/// Renders every page of `plan` (LMS files are the exporters'); a template that fails is a
/// diagnostic, and its page is left out.
pub fn render(
    plan: &Plan<'_>,
    templates: &Templates,
    sources: &Sources,
) -> (Vec<Artefact>, Vec<Diagnostic>) {
    let instructor: Vec<InstructorModule> = plan
        .curriculum
        .modules
        .par_iter()
        .enumerate()
        .map(|(i, m)| InstructorModule::new(i + 1, m))
        .collect();
    let learner: Vec<LearnerModule> = instructor
        .iter()
        .map(InstructorModule::learner_view)
        .collect();
    let renderer = Renderer {
        plan,
        templates,
        sources,
        course: CourseView::new(plan),
        instructor: &instructor,
        learner: &learner,
    };
    let results: Vec<Result<Vec<Artefact>, Diagnostic>> = plan
        .pages
        .par_iter()
        .filter(|page| !matches!(page.kind, PageKind::Lms(_)))
        .map(|page| renderer.page(page))
        .collect();
    let mut artefacts = Vec::new();
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(files) => artefacts.extend(files),
            Err(problem) => problems.push(problem),
        }
    }
    // One broken template breaks every page that uses it: say so once.
    problems.dedup_by(|a, b| a.message == b.message);
    (artefacts, problems)
}

/// What every page job reads.
struct Renderer<'a> {
    plan: &'a Plan<'a>,
    templates: &'a Templates,
    sources: &'a Sources,
    course: CourseView,
    instructor: &'a [InstructorModule],
    learner: &'a [LearnerModule],
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
}

/// The pages navigation links to, as the plan names them, from the page being rendered.
#[derive(Serialize)]
struct NavLinks {
    index: String,
    handbook: String,
    guide: String,
}

impl Renderer<'_> {
    fn page(&self, page: &Page) -> Result<Vec<Artefact>, Diagnostic> {
        match page.kind {
            PageKind::Index => pages::index::render(self, page),
            PageKind::Handbook => pages::handbook::render(self, page),
            PageKind::Module(i) => pages::module::render(self, page, i),
            PageKind::Check(i) => pages::check::render(self, page, i, false),
            PageKind::CheckKey(i) => pages::check::render(self, page, i, true),
            PageKind::Guide => pages::guide::render(self, page),
            PageKind::Activity(m, a) => pages::activity::render(self, page, m, a),
            PageKind::Form(f) => pages::form::render(self, page, f, false),
            PageKind::FormKey(f) => pages::form::render(self, page, f, true),
            PageKind::Blueprint => pages::blueprint::render(self, page),
            PageKind::Lms(_) => Ok(Vec::new()),
        }
    }

    fn base(&self, page: &Page) -> PageBase<'_> {
        let md_path = page
            .md_path()
            .and_then(|p| p.rsplit('/').next().map(str::to_owned))
            .unwrap_or_default();
        let root = page.root();
        let links = NavLinks {
            index: self.plan.href(PageKind::Index, &root),
            handbook: self.plan.href(PageKind::Handbook, &root),
            guide: self.plan.href(PageKind::Guide, &root),
        };
        PageBase {
            course: &self.course,
            root,
            md_path,
            links,
        }
    }

    /// Renders `md/<name>.md` and `html/<name>.html` with `context` to the page's two files
    /// (only the HTML for a page without a Markdown copy).
    fn both(
        &self,
        page: &Page,
        name: &str,
        context: &impl Serialize,
    ) -> Result<Vec<Artefact>, Diagnostic> {
        let context = tera::Context::from_serialize(context).map_err(|err| {
            Diagnostic::error(
                crate::diagnostic::Code::TemplateRender,
                format!("cannot build the context of {}: {err}", page.path()),
            )
        })?;
        let mut files = Vec::with_capacity(2);
        if let Some(md) = page.md_path() {
            files.push(self.file(&format!("md/{name}.md"), md, &context)?);
        }
        files.push(self.file(&format!("html/{name}.html"), page.path(), &context)?);
        Ok(files)
    }

    fn file(
        &self,
        template: &str,
        path: String,
        context: &tera::Context,
    ) -> Result<Artefact, Diagnostic> {
        let mut text = self.templates.render(template, context, self.sources)?;
        if template.ends_with(".md") {
            // The Markdown copy shows raw HTML as text, as the HTML copy does.
            if let std::borrow::Cow::Owned(escaped) = crate::markdown::escape_raw_html(&text) {
                text = escaped;
            }
        }
        Ok(Artefact {
            path,
            bytes: tidy::tidy(&text).into_bytes(),
        })
    }
}
