//! The plan of a build: every page and file it writes (path, audience, title), and the seeds
//! and draws of every knowledge check and exam form. Built once from the checked model and the
//! build's options; render, the index page and `lms/` read it, and nothing else decides a path
//! or a seed.

pub mod blueprint;
mod draw;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

pub use draw::{ChoiceSource, ExamForm, Placed, label, letter};

use crate::model::Curriculum;
use crate::source::Sources;

/// Per module id, the exam items the forms `settings` asks for share when drawn with its own
/// seed: what the checker reports as `forms-share-items`.
pub fn shared_exam_items<'a>(
    modules: &'a [crate::model::ModuleFile],
    settings: &crate::model::ExamSettings,
) -> BTreeMap<&'a str, Vec<&'a str>> {
    let forms = draw::exam_forms(modules, settings, settings.seed);
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for form in &forms {
        for item in &form.items {
            *seen.entry(item.question.id.as_str()).or_default() += 1;
        }
    }
    let mut shared: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for module in modules {
        let ids: Vec<&str> = module
            .module
            .questions
            .iter()
            .map(|q| q.id.as_str())
            .filter(|id| seen.get(id).is_some_and(|&n| n > 1))
            .collect();
        if !ids.is_empty() {
            shared.insert(module.id.as_str(), ids);
        }
    }
    shared
}

/// What a build is asked for beyond the source.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces `[exam].seed` and the course seed.
    pub seed: Option<u64>,
    /// The build date, from `SOURCE_DATE_EPOCH` only.
    pub built: Option<String>,
    /// `build` reuses the pages of an earlier build whose inputs did not change (see
    /// [`crate::cache`]); off for `--no-cache` and for builds in memory.
    pub cache: bool,
    /// `build --audience learner`: only the learner pages, with their own index
    /// ([`PageKind::LearnerIndex`]) and nothing that links to instructor, exam or LMS files:
    /// a folder safe to publish as a site.
    pub learner_only: bool,
    /// Replaces the course's `class_size`.
    pub class_size: Option<u32>,
    /// `--var name=value`: replaces or adds to the course's `[variables]`.
    pub variables: Vec<(String, String)>,
}

/// Who may see a page; the folder it goes in is the security boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    /// `index.html`: the trainer's landing page, which links everything.
    Index,
    /// `learner/`: safe to publish.
    Learner,
    /// `instructor/`: trainer only.
    Instructor,
    /// `exam/`: secure.
    Exam,
    /// `lms/`: secure, holds answers.
    Lms,
}

/// The LMS import formats, in the order `build` writes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LmsFormat {
    /// Moodle GIFT.
    Gift,
    /// Moodle XML.
    MoodleXml,
    /// A Canvas-compatible QTI 1.2 zip.
    Qti,
}

impl LmsFormat {
    /// Every format.
    pub const ALL: [LmsFormat; 3] = [LmsFormat::Gift, LmsFormat::MoodleXml, LmsFormat::Qti];

    /// What follows the course id in the file name.
    pub fn extension(self) -> &'static str {
        match self {
            LmsFormat::Gift => "gift.txt",
            LmsFormat::MoodleXml => "moodle.xml",
            LmsFormat::Qti => "qti.zip",
        }
    }

    /// Text formats may go to a terminal; the QTI package is a zip.
    pub fn is_text(self) -> bool {
        self != LmsFormat::Qti
    }

    /// The name diagnostics use.
    pub fn label(self) -> &'static str {
        match self {
            LmsFormat::Gift => "GIFT",
            LmsFormat::MoodleXml => "Moodle XML",
            LmsFormat::Qti => "QTI",
        }
    }
}

/// What one page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageKind {
    /// The landing page.
    Index,
    /// The landing page of a learner-only build: links learner pages only.
    LearnerIndex,
    /// The whole course as one learner handout.
    Handbook,
    /// One module's learner handout, by module index.
    Module(usize),
    /// One of the course's `handouts`, by index.
    Handout(usize),
    /// One module's knowledge check, by module index.
    Check(usize),
    /// Its answer key.
    CheckKey(usize),
    /// The instructor guide.
    Guide,
    /// One role-play packet: module index, activity index.
    Activity(usize, usize),
    /// One exam form, by form index.
    Form(usize),
    /// Its answer key.
    FormKey(usize),
    /// Its manifest, `exam/form-<x>.json`: what grading reads.
    FormManifest(usize),
    /// Objectives by form.
    Blueprint,
    /// One scored activity's evaluation forms and class roster: module index, activity index.
    Evaluation(usize, usize),
    /// The expanded course outline and accreditation record.
    Outline,
    /// One LMS import file.
    Lms(LmsFormat),
}

/// One page (written as `.md` and `.html`, or only `.html` for the index) or one LMS file.
#[derive(Debug, Clone)]
pub struct Page {
    /// What it shows.
    pub kind: PageKind,
    /// Who may see it.
    pub audience: Audience,
    /// Its title, as the index lists it.
    pub title: String,
    /// Path under the output folder without the extension (`learner/modules/listening`), or
    /// the whole file name for LMS files and form manifests.
    stem: String,
}

impl Page {
    /// The Markdown file, for pages that have one.
    pub fn md_path(&self) -> Option<String> {
        self.has_markdown().then(|| format!("{}.md", self.stem))
    }

    /// The HTML page, or the LMS file.
    pub fn path(&self) -> String {
        match self.kind {
            PageKind::Lms(_) | PageKind::FormManifest(_) => self.stem.clone(),
            _ => format!("{}.html", self.stem),
        }
    }

    /// Every file the page is written to: its Markdown copy, if any, then its HTML (or the LMS
    /// file).
    pub fn files(&self) -> Vec<String> {
        self.md_path()
            .into_iter()
            .chain(std::iter::once(self.path()))
            .collect()
    }

    /// Whether the page is also written as Markdown.
    pub fn has_markdown(&self) -> bool {
        !matches!(
            self.kind,
            PageKind::Index | PageKind::LearnerIndex | PageKind::Lms(_) | PageKind::FormManifest(_)
        )
    }

    /// `../` once per folder between the page and the output root.
    pub fn root(&self) -> String {
        "../".repeat(self.stem.matches('/').count())
    }
}

/// Every page of one build and the draws they show.
#[derive(Debug)]
pub struct Plan<'a> {
    /// What is built.
    pub curriculum: &'a Curriculum,
    /// The build date, from `SOURCE_DATE_EPOCH` only.
    pub built: Option<String>,
    /// Shuffles knowledge checks and the practice bank: `--seed`, else the course's `seed`.
    pub check_seed: u64,
    /// Draws exam forms and shuffles the exam bank: `--seed`, else `[exam].seed`, else the
    /// course's `seed`.
    pub exam_seed: u64,
    /// Per module, in course order: its knowledge check (the practice bank, choices shuffled).
    pub checks: Vec<Vec<Placed<'a>>>,
    /// Per module: its exam bank, in source order with choices shuffled, for LMS imports.
    pub banks: Vec<Vec<Placed<'a>>>,
    /// The exam forms; empty without `[exam]`.
    pub forms: Vec<ExamForm<'a>>,
    /// Learners in the class: `--class-size`, else the course's `class_size`.
    pub class_size: Option<u32>,
    /// Every page and file, in the order they are listed.
    pub pages: Vec<Page>,
    /// The language of a translation's plan, whose pages are all under `<lang>/`; `None` for
    /// the course's own language, whose pages are where they always were.
    pub lang: Option<String>,
    /// The words the pages and exports write themselves, in the plan's language.
    pub catalog: std::sync::Arc<crate::locale::Catalog>,
    /// Every language the build writes, the course's own first; empty for a course without
    /// translations (its pages then carry no language links).
    pub languages: Vec<String>,
    /// Where each kind of page is in `pages`.
    by_kind: BTreeMap<PageKind, usize>,
}

impl<'a> Plan<'a> {
    /// Decides every page and draw of a build of `curriculum`.
    pub fn new(curriculum: &'a Curriculum, options: &Options) -> Self {
        let course = &curriculum.course;
        let check_seed = options.seed.unwrap_or(course.seed);
        let exam_seed = options
            .seed
            .unwrap_or_else(|| course.exam.as_ref().map_or(course.seed, |e| e.seed));
        let modules = &curriculum.modules;
        let forms = course
            .exam
            .as_ref()
            .map_or_else(Vec::new, |exam| draw::exam_forms(modules, exam, exam_seed));
        let mut plan = Plan {
            curriculum,
            built: options.built.clone(),
            check_seed,
            exam_seed,
            checks: modules
                .iter()
                .map(|m| draw::knowledge_check(m, check_seed))
                .collect(),
            banks: modules
                .iter()
                .map(|m| draw::exam_bank(m, exam_seed))
                .collect(),
            forms,
            class_size: options
                .class_size
                .or_else(|| course.class_size.as_deref().copied()),
            pages: Vec::new(),
            lang: None,
            catalog: crate::locale::Catalog::builtin(&course.language),
            languages: if course.translations.is_empty() {
                Vec::new()
            } else {
                std::iter::once(course.language.clone())
                    .chain(course.translations.iter().map(|t| t.to_string()))
                    .collect()
            },
            by_kind: BTreeMap::new(),
        };
        plan.pages = if options.learner_only {
            plan.learner_pages()
        } else {
            plan.decide_pages()
        };
        plan.by_kind = plan
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.kind, i))
            .collect();
        plan
    }

    fn decide_pages(&self) -> Vec<Page> {
        let mut pages = vec![
            page(PageKind::Index, Audience::Index, "index", "Course pack"),
            page(
                PageKind::Handbook,
                Audience::Learner,
                "learner/handbook",
                "Handbook",
            ),
        ];
        pages.extend(self.handout_pages());
        let modules = &self.curriculum.modules;
        for (i, m) in modules.iter().enumerate() {
            let (id, title) = (&m.id, m.module.title.as_str());
            pages.extend([
                page(
                    PageKind::Module(i),
                    Audience::Learner,
                    format!("learner/modules/{id}"),
                    title,
                ),
                page(
                    PageKind::Check(i),
                    Audience::Learner,
                    format!("learner/checks/{id}"),
                    format!("{title} knowledge check"),
                ),
                page(
                    PageKind::CheckKey(i),
                    Audience::Instructor,
                    format!("instructor/checks/{id}-key"),
                    format!("Answer key: {title} knowledge check"),
                ),
            ]);
        }
        pages.push(page(
            PageKind::Guide,
            Audience::Instructor,
            "instructor/guide",
            "Instructor guide",
        ));
        pages.push(page(
            PageKind::Outline,
            Audience::Instructor,
            "instructor/outline",
            "Course outline and accreditation record",
        ));
        for (i, m) in modules.iter().enumerate() {
            for (a, activity) in m.module.activities.iter().enumerate() {
                pages.push(page(
                    PageKind::Activity(i, a),
                    Audience::Instructor,
                    format!("instructor/activities/{}", *activity.id),
                    activity.title.as_str(),
                ));
            }
        }
        for (i, m) in modules.iter().enumerate() {
            for (a, activity) in m.module.activities.iter().enumerate() {
                if !activity.criteria.is_empty() {
                    pages.push(page(
                        PageKind::Evaluation(i, a),
                        Audience::Instructor,
                        format!("instructor/evaluations/{}", *activity.id),
                        format!("Evaluation: {}", activity.title),
                    ));
                }
            }
        }
        pages.extend(self.exam_pages());
        pages.extend(LmsFormat::ALL.map(|format| {
            page(
                PageKind::Lms(format),
                Audience::Lms,
                format!("lms/{}", self.lms_file_name(format)),
                format!("{} import", format.label()),
            )
        }));
        pages
    }

    /// A learner-only build: its own index, the handbook, each module's handout and check.
    fn learner_pages(&self) -> Vec<Page> {
        let mut pages = vec![
            page(
                PageKind::LearnerIndex,
                Audience::Learner,
                "index",
                self.curriculum.course.title.as_str(),
            ),
            page(
                PageKind::Handbook,
                Audience::Learner,
                "learner/handbook",
                "Handbook",
            ),
        ];
        pages.extend(self.handout_pages());
        for (i, m) in self.curriculum.modules.iter().enumerate() {
            let (id, title) = (&m.id, m.module.title.as_str());
            pages.push(page(
                PageKind::Module(i),
                Audience::Learner,
                format!("learner/modules/{id}"),
                title,
            ));
            pages.push(page(
                PageKind::Check(i),
                Audience::Learner,
                format!("learner/checks/{id}"),
                format!("{title} knowledge check"),
            ));
        }
        pages
    }

    /// The plan with `catalog` (the course's own catalog of its language) for the words it
    /// writes itself.
    pub fn with_catalog(
        mut self,
        catalog: Option<&std::sync::Arc<crate::locale::Catalog>>,
    ) -> Self {
        if let Some(catalog) = catalog {
            self.catalog = catalog.clone();
        }
        self
    }

    /// The plan of a translation: every page under `<lang>/`, `languages` the original's.
    pub fn in_language(mut self, lang: &str, languages: Vec<String>) -> Self {
        for page in &mut self.pages {
            page.stem = format!("{lang}/{}", page.stem);
        }
        self.lang = Some(lang.to_owned());
        self.languages = languages;
        self
    }

    /// The path of `page` as the course's own language writes it (without `<lang>/`).
    pub fn unprefixed_path(&self, page: &Page) -> String {
        let path = page.path();
        match &self.lang {
            Some(lang) => path
                .strip_prefix(&format!("{lang}/"))
                .map_or(path.clone(), str::to_owned),
            None => path,
        }
    }

    /// One learner page per handout.
    fn handout_pages(&self) -> Vec<Page> {
        self.curriculum
            .handouts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                page(
                    PageKind::Handout(i),
                    Audience::Learner,
                    format!("learner/handouts/{}", h.id),
                    h.handout.title.as_str(),
                )
            })
            .collect()
    }

    /// The landing page every page's navigation links back to.
    pub fn home(&self) -> PageKind {
        if self.page(PageKind::Index).is_some() {
            PageKind::Index
        } else {
            PageKind::LearnerIndex
        }
    }

    /// Each form and its key, then the blueprint.
    fn exam_pages(&self) -> Vec<Page> {
        let mut pages = Vec::new();
        for (f, form) in self.forms.iter().enumerate() {
            let (x, letter) = (form.letter.to_ascii_lowercase(), form.letter);
            pages.push(page(
                PageKind::Form(f),
                Audience::Exam,
                format!("exam/form-{x}"),
                format!("Exam form {letter}"),
            ));
            pages.push(page(
                PageKind::FormKey(f),
                Audience::Exam,
                format!("exam/form-{x}-key"),
                format!("Form {letter} answer key"),
            ));
            pages.push(page(
                PageKind::FormManifest(f),
                Audience::Exam,
                format!("exam/form-{x}.json"),
                format!("Form {letter} manifest"),
            ));
        }
        if !self.forms.is_empty() {
            pages.push(page(
                PageKind::Blueprint,
                Audience::Exam,
                "exam/blueprint",
                "Exam blueprint",
            ));
        }
        pages
    }

    /// The page of `kind`. Every kind a curriculum can have is planned.
    pub fn page(&self, kind: PageKind) -> Option<&Page> {
        self.by_kind.get(&kind).map(|&i| &self.pages[i])
    }

    /// The link to the page of `kind` from a page `root` (`../` per folder) below the output.
    pub fn href(&self, kind: PageKind, root: &str) -> String {
        self.page(kind)
            .map(|p| format!("{root}{}", p.path()))
            .unwrap_or_default()
    }

    /// The link from `from` to the Markdown copy (`md`) or HTML page of `kind`, relative to
    /// `from`'s folder: `activities/x.html` from the guide.
    pub fn relative_href(&self, from: &Page, kind: PageKind, md: bool) -> String {
        let Some(to) = self.page(kind) else {
            return String::new();
        };
        let target = if md {
            to.md_path().unwrap_or_else(|| to.path())
        } else {
            to.path()
        };
        let from_dirs: Vec<&str> = from.stem.split('/').collect();
        let from_dirs = &from_dirs[..from_dirs.len() - 1];
        let to_parts: Vec<&str> = target.split('/').collect();
        let common = from_dirs
            .iter()
            .zip(&to_parts)
            .take_while(|(a, b)| a == b)
            .count();
        let mut href = "../".repeat(from_dirs.len() - common);
        href.push_str(&to_parts[common..].join("/"));
        href
    }

    /// The file name of an LMS import, for `coursepack export` without `-o`.
    pub fn lms_file_name(&self, format: LmsFormat) -> String {
        format!(
            "{}.{}",
            self.curriculum.course.id.as_str(),
            format.extension()
        )
    }
}

/// The hash of `curriculum`'s source that a manifest records: 64-bit FNV-1a over `course.toml`
/// and then each module file in course order, each as its path under the course
/// (`modules/<id>.toml`), a NUL byte, its bytes and a NUL byte; written `fnv1a64:` and 16 hex
/// digits.
pub fn source_hash(curriculum: &Curriculum, sources: &Sources) -> String {
    let files = std::iter::once(("course.toml".to_owned(), curriculum.course_file)).chain(
        curriculum
            .modules
            .iter()
            .map(|m| (format!("modules/{}.toml", m.id), m.file)),
    );
    let hash = files.fold(draw::FNV_OFFSET, |hash, (path, file)| {
        let hash = draw::fnv1a_from(hash, path.as_bytes());
        let hash = draw::fnv1a_from(hash, &[0]);
        let hash = draw::fnv1a_from(hash, sources.get(file).text.as_bytes());
        draw::fnv1a_from(hash, &[0])
    });
    format!("fnv1a64:{hash:016x}")
}

fn page(
    kind: PageKind,
    audience: Audience,
    stem: impl Into<String>,
    title: impl Into<String>,
) -> Page {
    Page {
        kind,
        audience,
        title: title.into(),
        stem: stem.into(),
    }
}
