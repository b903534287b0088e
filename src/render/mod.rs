//! Model to pages: every printed artefact as Markdown and HTML, from Tera templates.
//!
//! Each artefact is an independent job over shared, read-only views, so jobs run in parallel
//! (rayon) and the output does not depend on their order.

mod filters;
mod templates;
mod text;
mod tidy;
pub mod view;

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

pub use templates::{BUILTIN, Templates, copy_builtins};
use view::{ActivityView, Audience, CourseView, ModuleView, QuestionView};

use crate::load::Curriculum;
use crate::plan::{self, ExamForm};

/// One file of the output, by its path relative to the output directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artefact {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Settings of one build.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Replaces `[exam].seed` and the course seed.
    pub seed: Option<u64>,
    /// The build date, from `SOURCE_DATE_EPOCH` only.
    pub built: Option<String>,
}

/// What one job renders.
#[derive(Debug, Clone, Copy)]
enum Job {
    Index,
    Handbook,
    Module(usize),
    Check(usize),
    CheckKey(usize),
    Guide,
    Activity(usize, usize),
    Form(usize),
    FormKey(usize),
    Blueprint,
}

/// Renders every artefact of a curriculum that checked without errors.
pub fn render(
    curriculum: &Curriculum,
    templates: &Templates,
    options: &Options,
) -> Result<Vec<Artefact>> {
    let course = &curriculum
        .course
        .as_ref()
        .context("the course did not load")?
        .course;
    let forms = plan::exam_forms(curriculum, options.seed);
    let check_seed = options.seed.unwrap_or(course.seed);
    let course_view = CourseView::new(curriculum, course, options.built.clone(), &forms);
    let modules: Vec<ModuleView> = curriculum
        .modules
        .par_iter()
        .enumerate()
        .map(|(i, m)| ModuleView::new(i + 1, m))
        .collect();
    let learner_modules: Vec<ModuleView> = modules.iter().map(ModuleView::for_learners).collect();
    let mut base = Context::new();
    base.insert("course", &course_view);
    let shared = Shared {
        curriculum,
        templates,
        base,
        course: &course_view,
        modules: &modules,
        learner_modules: &learner_modules,
        forms: &forms,
        check_seed,
    };

    let mut jobs = vec![Job::Index, Job::Handbook, Job::Guide];
    for (i, module) in modules.iter().enumerate() {
        jobs.push(Job::Module(i));
        jobs.push(Job::Check(i));
        jobs.push(Job::CheckKey(i));
        jobs.extend((0..module.activities.len()).map(|a| Job::Activity(i, a)));
    }
    for f in 0..forms.len() {
        jobs.push(Job::Form(f));
        jobs.push(Job::FormKey(f));
    }
    if !forms.is_empty() {
        jobs.push(Job::Blueprint);
    }
    let rendered: Vec<Vec<Artefact>> = jobs
        .par_iter()
        .map(|job| shared.render(*job))
        .collect::<Result<_>>()?;
    let mut artefacts: Vec<Artefact> = rendered.into_iter().flatten().collect();
    artefacts.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(artefacts)
}

struct Shared<'a> {
    curriculum: &'a Curriculum,
    templates: &'a Templates,
    /// The context every page starts from, serialized once.
    base: Context,
    course: &'a CourseView,
    modules: &'a [ModuleView],
    learner_modules: &'a [ModuleView],
    forms: &'a [ExamForm<'a>],
    check_seed: u64,
}

#[derive(Serialize)]
struct FormView<'a> {
    letter: char,
    name: String,
    questions: Vec<QuestionView>,
    total_points: u32,
    pass_points: Option<u32>,
    #[serde(flatten)]
    exam: Option<&'a view::ExamView>,
}

/// One row of the course agenda, with the running clock at its end.
#[derive(Serialize)]
struct AgendaRow<'a> {
    module: String,
    what: &'a str,
    method: &'a str,
    minutes: u32,
    end: String,
}

#[derive(Serialize)]
struct BlueprintRow {
    module: String,
    objective: String,
    text: String,
    /// Items per form, in form order.
    counts: Vec<usize>,
}

impl Shared<'_> {
    fn render(&self, job: Job) -> Result<Vec<Artefact>> {
        let mut ctx = self.base.clone();
        match job {
            Job::Index => {
                ctx.insert("root", "");
                ctx.insert("modules", &view::module_summaries(self.curriculum));
                Ok(vec![self.page("html/index.html", "index.html", &ctx)?])
            }
            Job::Handbook => {
                ctx.insert("modules", self.learner_modules);
                self.both("handbook", "learner/handbook", 1, &mut ctx)
            }
            Job::Module(i) => {
                ctx.insert("module", &self.learner_modules[i]);
                self.both(
                    "module",
                    &format!("learner/modules/{}", self.modules[i].id),
                    2,
                    &mut ctx,
                )
            }
            Job::Check(i) | Job::CheckKey(i) => {
                let key = matches!(job, Job::CheckKey(_));
                let audience = if key {
                    Audience::Instructor
                } else {
                    Audience::Learner
                };
                let placed = plan::knowledge_check(&self.curriculum.modules[i], self.check_seed);
                let questions: Vec<QuestionView> = placed
                    .iter()
                    .map(|p| QuestionView::new(p, audience))
                    .collect();
                ctx.insert("module", &self.learner_modules[i]);
                ctx.insert("questions", &questions);
                ctx.insert("key", &key);
                let id = &self.modules[i].id;
                let path = if key {
                    format!("instructor/checks/{id}-key")
                } else {
                    format!("learner/checks/{id}")
                };
                self.both("check", &path, 2, &mut ctx)
            }
            Job::Guide => {
                let mut clock = 0;
                let mut agenda = Vec::new();
                for module in self.modules {
                    for (i, row) in module.timeline.iter().enumerate() {
                        clock += row.minutes;
                        agenda.push(AgendaRow {
                            module: if i == 0 {
                                format!("{}. {}", module.number, module.title)
                            } else {
                                String::new()
                            },
                            what: &row.what,
                            method: row.method,
                            minutes: row.minutes,
                            end: view::clock_time(clock),
                        });
                    }
                }
                ctx.insert("agenda", &agenda);
                ctx.insert("modules", self.modules);
                self.both("guide", "instructor/guide", 1, &mut ctx)
            }
            Job::Activity(m, a) => {
                let activity: &ActivityView = &self.modules[m].activities[a];
                ctx.insert("module", &self.modules[m]);
                ctx.insert("activity", activity);
                self.both(
                    "activity",
                    &format!("instructor/activities/{}", activity.id),
                    2,
                    &mut ctx,
                )
            }
            Job::Form(f) | Job::FormKey(f) => {
                let key = matches!(job, Job::FormKey(_));
                let form = &self.forms[f];
                let audience = if key {
                    Audience::Instructor
                } else {
                    Audience::Learner
                };
                let questions: Vec<QuestionView> = form
                    .items
                    .iter()
                    .map(|p| QuestionView::new(p, audience))
                    .collect();
                let total_points: u32 = questions.iter().map(|q| q.points).sum();
                let pass_percent = self.course.exam.as_ref().and_then(|e| e.pass_percent);
                let view = FormView {
                    letter: form.letter,
                    name: format!("Form {}", form.letter),
                    pass_points: pass_percent.map(|p| (total_points * p).div_ceil(100)),
                    total_points,
                    questions,
                    exam: self.course.exam.as_ref(),
                };
                ctx.insert("form", &view);
                ctx.insert("key", &key);
                let letter = form.letter.to_ascii_lowercase();
                if key {
                    self.both("form-key", &format!("exam/form-{letter}-key"), 1, &mut ctx)
                } else {
                    self.both("form", &format!("exam/form-{letter}"), 1, &mut ctx)
                }
            }
            Job::Blueprint => {
                let mut rows = Vec::new();
                for (module, view) in self.curriculum.modules.iter().zip(self.modules) {
                    for objective in &view.objectives {
                        let counts = self
                            .forms
                            .iter()
                            .map(|f| {
                                f.items
                                    .iter()
                                    .filter(|p| {
                                        p.module.id == module.id
                                            && p.question
                                                .objectives
                                                .iter()
                                                .any(|o| *o.get_ref() == objective.id)
                                    })
                                    .count()
                            })
                            .collect();
                        rows.push(BlueprintRow {
                            module: view.title.clone(),
                            objective: objective.id.clone(),
                            text: objective.text.clone(),
                            counts,
                        });
                    }
                }
                let mut per_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
                for (f, form) in self.forms.iter().enumerate() {
                    for item in &form.items {
                        per_type
                            .entry(item.question.question_type().as_str())
                            .or_insert_with(|| vec![0; self.forms.len()])[f] += 1;
                    }
                }
                let totals: Vec<usize> = self.forms.iter().map(|f| f.items.len()).collect();
                ctx.insert("rows", &rows);
                ctx.insert("per_type", &per_type);
                ctx.insert("totals", &totals);
                ctx.insert(
                    "forms",
                    &self.forms.iter().map(|f| f.letter).collect::<Vec<_>>(),
                );
                self.both("blueprint", "exam/blueprint", 1, &mut ctx)
            }
        }
    }

    /// Renders `md/<name>.md` and `html/<name>.html` to `<path>.md` and `<path>.html`.
    fn both(
        &self,
        name: &str,
        path: &str,
        depth: usize,
        ctx: &mut Context,
    ) -> Result<Vec<Artefact>> {
        ctx.insert("root", &"../".repeat(depth));
        ctx.insert(
            "md_path",
            &format!("{}.md", path.rsplit('/').next().unwrap_or(path)),
        );
        Ok(vec![
            self.page(&format!("md/{name}.md"), &format!("{path}.md"), ctx)?,
            self.page(&format!("html/{name}.html"), &format!("{path}.html"), ctx)?,
        ])
    }

    fn page(&self, template: &str, path: &str, ctx: &Context) -> Result<Artefact> {
        let text = self.templates.render(template, ctx)?;
        Ok(Artefact {
            path: path.to_owned(),
            bytes: tidy::tidy(&text).into_bytes(),
        })
    }
}
