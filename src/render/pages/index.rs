//! `index.html`: the landing page, linking every page and file the plan holds.

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{Bank, ModuleFile};
use crate::plan::{LmsFormat, Page, PageKind};

#[derive(Serialize)]
struct IndexPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    modules: Vec<ModuleLinks>,
    /// The handbook, as HTML and as Markdown.
    handbook: (String, String),
    handouts: Vec<HandoutLink>,
    /// `(letter, form, key, manifest)` links of each form.
    forms: Vec<(char, String, String, String)>,
    blueprint: String,
    /// The course outline and accreditation record.
    outline: String,
    /// GIFT, Moodle XML and QTI, in that order.
    lms: Vec<String>,
}

/// One line per module, with the links to its pages.
#[derive(Serialize)]
struct ModuleLinks {
    /// What the learner site's index shows too.
    #[serde(flatten)]
    public: LearnerLinks,
    id: String,
    /// `(id, title, link)` of each activity's packet.
    activities: Vec<(String, String, String)>,
    /// `(title, link)` of each scored activity's evaluation forms.
    evaluations: Vec<(String, String)>,
    key: String,
}

/// A module's line on either index: its handout and knowledge check.
fn learner_links(i: usize, m: &ModuleFile, href: &dyn Fn(PageKind) -> String) -> LearnerLinks {
    LearnerLinks {
        number: i + 1,
        title: m.module.title.to_string(),
        minutes: m.module.planned_minutes(),
        practice_questions: m
            .module
            .questions
            .iter()
            .filter(|q| q.bank == Bank::Practice)
            .count(),
        handout: href(PageKind::Module(i)),
        check: href(PageKind::Check(i)),
    }
}

pub(in crate::render) fn render(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let plan = r.plan;
    let root = page.root();
    let href = |kind| plan.href(kind, &root);
    let modules = plan
        .curriculum
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| ModuleLinks {
            public: learner_links(i, m, &href),
            id: m.id.clone(),
            activities: m
                .module
                .activities
                .iter()
                .enumerate()
                .map(|(a, activity)| {
                    (
                        activity.id.to_string(),
                        activity.title.clone(),
                        href(PageKind::Activity(i, a)),
                    )
                })
                .collect(),
            evaluations: (0..m.module.activities.len())
                .filter_map(|a| {
                    let kind = PageKind::Evaluation(i, a);
                    plan.page(kind).map(|_| {
                        let title = &m.module.activities[a].title;
                        (
                            format!("{} {title}", plan.catalog.text("evaluation")),
                            href(kind),
                        )
                    })
                })
                .collect(),
            key: href(PageKind::CheckKey(i)),
        })
        .collect();
    let context = IndexPage {
        base: r.base(page),
        modules,
        handbook: (
            href(PageKind::Handbook),
            plan.relative_href(page, PageKind::Handbook, true),
        ),
        handouts: handout_links(r, page),
        forms: plan
            .forms
            .iter()
            .enumerate()
            .map(|(f, form)| {
                (
                    form.letter,
                    href(PageKind::Form(f)),
                    href(PageKind::FormKey(f)),
                    href(PageKind::FormManifest(f)),
                )
            })
            .collect(),
        blueprint: href(PageKind::Blueprint),
        outline: href(PageKind::Outline),
        lms: LmsFormat::ALL
            .iter()
            .map(|&format| href(PageKind::Lms(format)))
            .collect(),
    };
    r.both(page, "index", &context)
}

/// The learner site's landing page: the handbook and each module's handout and check, and no
/// link to anything a learner may not see.
#[derive(Serialize)]
struct LearnerIndexPage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    modules: Vec<LearnerLinks>,
    handbook: (String, String),
    handouts: Vec<HandoutLink>,
}

/// A handout's line on either index.
#[derive(Serialize)]
struct HandoutLink {
    title: String,
    summary: Option<String>,
    html: String,
    md: String,
}

fn handout_links(r: &Renderer<'_>, page: &Page) -> Vec<HandoutLink> {
    let plan = r.plan;
    let root = page.root();
    plan.curriculum
        .handouts
        .iter()
        .enumerate()
        .map(|(i, h)| HandoutLink {
            title: h.handout.title.to_string(),
            summary: h.handout.summary.clone(),
            html: plan.href(PageKind::Handout(i), &root),
            md: plan.relative_href(page, PageKind::Handout(i), true),
        })
        .collect()
}

#[derive(Serialize)]
struct LearnerLinks {
    number: usize,
    title: String,
    minutes: u64,
    practice_questions: usize,
    handout: String,
    check: String,
}

pub(in crate::render) fn render_learner(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let plan = r.plan;
    let root = page.root();
    let href = |kind| plan.href(kind, &root);
    let modules = plan
        .curriculum
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| learner_links(i, m, &href))
        .collect();
    let context = LearnerIndexPage {
        base: r.base(page),
        modules,
        handbook: (
            href(PageKind::Handbook),
            plan.relative_href(page, PageKind::Handbook, true),
        ),
        handouts: handout_links(r, page),
    };
    r.both(page, "learner-index", &context)
}
