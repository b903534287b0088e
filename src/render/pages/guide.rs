//! `instructor/guide`: the agenda with a running clock, every lesson plan, the objective map.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::{PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::model::{ItemKind, Method, format_clock, parse_clock};
use crate::plan::{Page, PageKind};
use crate::render::view::{
    InstructorModule, InstructorObjective, TimelineRow, clock_time, format_hours, objectives,
    timeline,
};
use crate::render::walk::{self, Frame};

#[derive(Serialize)]
struct GuidePage<'a, M> {
    #[serde(flatten)]
    base: PageBase<'a>,
    agenda: Vec<AgendaRow>,
    /// With `[schedule]`: the training days with clock times; absent without one.
    days: Option<Vec<DayView>>,
    /// With `[schedule]`: minutes by kind of time.
    totals: Option<Totals>,
    modules: Vec<M>,
    #[serde(flatten)]
    maps: Maps<'a>,
    /// Learners in the class: `--class-size`, else `class_size`.
    class_size: Option<u32>,
}

/// What a lesson plan looks up by activity id.
#[derive(Serialize)]
pub(in crate::render) struct Maps<'a> {
    /// By activity id: its packet, as `md` and `html` links from the guide.
    packets: BTreeMap<&'a str, Links>,
    /// By scored activity id: its evaluation forms, as `md` and `html` links.
    evaluations: BTreeMap<&'a str, Links>,
    /// By activity id, with a class size and `performers` and `run_minutes`: how every learner
    /// gets to perform.
    runs: BTreeMap<&'a str, Runs>,
}

/// One lesson plan's context, when the guide is rendered a module at a time: what the guide's
/// loop gives `html/guide-module.html` and `md/guide-module.md`.
#[derive(Serialize)]
struct Part<'a> {
    module: &'a InstructorModule,
    /// The guide's maps, only the entries of this module's activities.
    packets: BTreeMap<&'a str, &'a Links>,
    evaluations: BTreeMap<&'a str, &'a Links>,
    runs: BTreeMap<&'a str, &'a Runs>,
    class_size: Option<u32>,
}

/// A module as the guide's frame shows it around its lesson plan (see [`crate::render::walk`]):
/// the frame prints only its objectives' rows of the matrix and the mark of its lesson plan.
#[derive(Serialize)]
struct FrameModule {
    objectives: Vec<InstructorObjective>,
    /// The mark its lesson plan is written at.
    fragment: String,
}

/// How a class gets every learner through an activity's scored role.
#[derive(Serialize)]
struct Runs {
    performers: u32,
    run_minutes: u32,
    /// Runs so every learner performs once.
    runs: u32,
    /// Runs one group fits in the activity's minutes.
    runs_per_group: u32,
    /// Parallel groups needed; absent when one run is longer than the activity.
    groups_needed: Option<u32>,
    /// Groups the activity may run side by side.
    groups: u32,
    fits: bool,
}

#[derive(Serialize)]
struct Links {
    md: String,
    html: String,
}

/// One training day of `[schedule]`.
#[derive(Serialize)]
struct DayView {
    title: String,
    date: Option<String>,
    start: String,
    end: Option<String>,
    /// When its last item ends.
    finish: String,
    /// Whether it runs past `end`.
    overrun: bool,
    rows: Vec<DayRow>,
}

/// One row of a training day, with its clock times.
#[derive(Serialize)]
struct DayRow {
    start: String,
    end: String,
    /// `3. Title` on a module's first row, empty on the rest.
    module: String,
    what: String,
    method: String,
    minutes: u32,
    /// `instruction`, `practice`, `assessment`, `break` or `other`.
    category: &'static str,
}

/// Minutes of the schedule by kind of time, each also as hours (`2 h 30 min`).
#[derive(Serialize, Default)]
struct Totals {
    instruction: u64,
    practice: u64,
    assessment: u64,
    breaks: u64,
    other: u64,
    all: u64,
    hours: BTreeMap<&'static str, String>,
}

/// One row of the course agenda, with the running clock at its end.
#[derive(Serialize)]
struct AgendaRow {
    /// `3. Title` on a module's first row, empty on the rest.
    module: String,
    what: String,
    method: String,
    minutes: u32,
    end: String,
}

pub(in crate::render) fn render(r: &Renderer<'_>, page: &Page) -> Result<(), Diagnostic> {
    let views = r.views.all_instructor();
    let modules: Vec<&InstructorModule> = views.iter().map(AsRef::as_ref).collect();
    let context = page_context(r, page, modules);
    r.both(page, "guide", &context)
}

/// The guide's frame: its context with every lesson plan a mark, and what each lesson plan's
/// context needs (see [`crate::render::walk`]).
pub(in crate::render) fn frame<'a>(
    r: &'a Renderer<'_>,
    page: &Page,
) -> Result<(Frame, Maps<'a>), Diagnostic> {
    let curriculum = r.plan.curriculum;
    let modules = curriculum
        .modules
        .iter()
        .enumerate()
        .map(|(i, file)| FrameModule {
            objectives: objectives(file),
            fragment: walk::fragment_mark(i),
        })
        .collect();
    let context = page_context(r, page, modules);
    let parts = ("module", r.plan.curriculum.modules.len());
    let frame = r.frame(page, "guide", parts, &context)?;
    Ok((frame, context.maps))
}

/// Lesson plan `i`'s context, given the guide's `maps`.
pub(in crate::render) fn part<'a>(
    r: &Renderer<'_>,
    module: &'a InstructorModule,
    maps: &'a Maps<'_>,
) -> impl Serialize + 'a {
    let ids: Vec<&str> = module
        .activities
        .iter()
        .map(|a| a.core.id.as_str())
        .collect();
    Part {
        module,
        packets: only(&ids, &maps.packets),
        evaluations: only(&ids, &maps.evaluations),
        runs: only(&ids, &maps.runs),
        class_size: r.plan.class_size,
    }
}

/// The entries of `map` under `ids`.
fn only<'a, V>(ids: &[&str], map: &'a BTreeMap<&'a str, V>) -> BTreeMap<&'a str, &'a V> {
    ids.iter()
        .filter_map(|id| map.get_key_value(*id).map(|(k, v)| (*k, v)))
        .collect()
}

fn page_context<'a, M>(r: &'a Renderer<'_>, page: &Page, modules: Vec<M>) -> GuidePage<'a, M> {
    let curriculum = r.plan.curriculum;
    let timelines: Vec<Vec<TimelineRow>> = curriculum
        .modules
        .iter()
        .map(|file| timeline(file, &r.plan.catalog))
        .collect();
    let mut clock = 0u64;
    let mut agenda = Vec::new();
    for (m, (file, rows)) in curriculum.modules.iter().zip(&timelines).enumerate() {
        for (i, row) in rows.iter().enumerate() {
            clock = clock.saturating_add(u64::from(row.minutes));
            agenda.push(AgendaRow {
                module: if i == 0 {
                    format!("{}. {}", m + 1, file.module.title)
                } else {
                    String::new()
                },
                what: row.what.clone(),
                method: row.method.clone(),
                minutes: row.minutes,
                end: clock_time(clock),
            });
        }
    }
    let (days, totals) = schedule(r, &timelines).unzip();
    let mut packets = BTreeMap::new();
    let mut evaluations = BTreeMap::new();
    let mut runs = BTreeMap::new();
    let course = &curriculum.course;
    let links = |kind| Links {
        md: r.plan.relative_href(page, kind, true),
        html: r.plan.relative_href(page, kind, false),
    };
    for (m, file) in curriculum.modules.iter().enumerate() {
        for (a, source) in file.module.activities.iter().enumerate() {
            let id = source.id.as_str();
            packets.insert(id, links(PageKind::Activity(m, a)));
            if r.plan.page(PageKind::Evaluation(m, a)).is_some() {
                evaluations.insert(id, links(PageKind::Evaluation(m, a)));
            }
            let plan = r
                .plan
                .class_size
                .and_then(|n| source.run_plan(n, course.instructors.as_ref()));
            if let Some(plan) = plan {
                runs.insert(
                    id,
                    Runs {
                        performers: plan.performers,
                        run_minutes: plan.run_minutes,
                        runs: plan.runs,
                        runs_per_group: plan.runs_per_group,
                        groups_needed: plan.groups_needed,
                        groups: plan.groups,
                        fits: plan.fits(),
                    },
                );
            }
        }
    }
    GuidePage {
        base: r.base(page),
        agenda,
        days,
        totals,
        modules,
        maps: Maps {
            packets,
            evaluations,
            runs,
        },
        class_size: r.plan.class_size,
    }
}

/// The training days of `[schedule]` with clock times, and the totals by kind of time.
fn schedule(r: &Renderer<'_>, timelines: &[Vec<TimelineRow>]) -> Option<(Vec<DayView>, Totals)> {
    let catalog = &r.plan.catalog;
    let curriculum = r.plan.curriculum;
    let schedule = curriculum.course.schedule.as_ref()?;
    let exam_minutes = curriculum.course.exam.as_ref().and_then(|e| e.minutes);
    let mut totals = Totals::default();
    let mut days = Vec::new();
    for (d, day) in schedule.days.iter().enumerate() {
        let start = parse_clock(&day.start).unwrap_or(0);
        let mut clock = start;
        let mut rows = Vec::new();
        let mut push = |rows: &mut Vec<DayRow>,
                        module: String,
                        what: String,
                        method: &str,
                        minutes: u32,
                        category: &'static str| {
            let from = clock;
            clock += minutes;
            rows.push(DayRow {
                start: format_clock(from),
                end: format_clock(clock),
                module,
                what,
                method: method.to_owned(),
                minutes,
                category,
            });
        };
        for item in &day.items {
            let kind = item.kinds().first().copied();
            let minutes = u32::try_from(item.length(|_| None, exam_minutes)).unwrap_or(0);
            match kind {
                Some(ItemKind::Module) => {
                    let id = item
                        .module
                        .as_deref()
                        .map(String::as_str)
                        .unwrap_or_default();
                    let Some(m) = curriculum.modules.iter().position(|m| m.id == id) else {
                        continue;
                    };
                    let source = &curriculum.modules[m].module;
                    let categories = source
                        .sections
                        .iter()
                        .map(|s| category(s.method))
                        .chain(source.activities.iter().map(|_| "practice"));
                    for (i, (row, category)) in timelines[m].iter().zip(categories).enumerate() {
                        let module = if i == 0 {
                            format!("{}. {}", m + 1, source.title)
                        } else {
                            String::new()
                        };
                        push(
                            &mut rows,
                            module,
                            row.what.clone(),
                            &row.method,
                            row.minutes,
                            category,
                        );
                    }
                }
                Some(ItemKind::Check) => {
                    let id = item
                        .check
                        .as_deref()
                        .map(String::as_str)
                        .unwrap_or_default();
                    let title = curriculum
                        .modules
                        .iter()
                        .find(|m| m.id == id)
                        .map_or(id, |m| m.module.title.as_str());
                    let what = item.title.clone().unwrap_or_else(|| {
                        catalog.text_with("schedule-check", "title", title.to_owned())
                    });
                    push(
                        &mut rows,
                        String::new(),
                        what,
                        &catalog.text("knowledge-check-2"),
                        minutes,
                        "assessment",
                    );
                }
                Some(ItemKind::Exam) => {
                    let what = item
                        .title
                        .clone()
                        .unwrap_or_else(|| catalog.text("final-exam"));
                    push(
                        &mut rows,
                        String::new(),
                        what,
                        &catalog.text("exam"),
                        minutes,
                        "assessment",
                    );
                }
                Some(ItemKind::Break) => {
                    let label = catalog.text("break");
                    let what = item.title.clone().unwrap_or_else(|| label.clone());
                    push(&mut rows, String::new(), what, &label, minutes, "break");
                }
                Some(ItemKind::Meal) => {
                    let label = catalog.text("meal");
                    let what = item.title.clone().unwrap_or_else(|| label.clone());
                    push(&mut rows, String::new(), what, &label, minutes, "break");
                }
                Some(ItemKind::Other) => {
                    let what = item
                        .title
                        .clone()
                        .or_else(|| item.other.as_deref().cloned())
                        .unwrap_or_default();
                    push(
                        &mut rows,
                        String::new(),
                        what,
                        &catalog.text("other"),
                        minutes,
                        "other",
                    );
                }
                None => {}
            }
        }
        for row in &rows {
            let minutes = u64::from(row.minutes);
            totals.all += minutes;
            match row.category {
                "instruction" => totals.instruction += minutes,
                "practice" => totals.practice += minutes,
                "assessment" => totals.assessment += minutes,
                "break" => totals.breaks += minutes,
                _ => totals.other += minutes,
            }
        }
        let end = day.end.as_deref().and_then(|e| parse_clock(e));
        days.push(DayView {
            title: day
                .title
                .clone()
                .unwrap_or_else(|| catalog.text_with("schedule-day", "number", d + 1)),
            date: day.date.as_ref().map(|d| d.to_string()),
            start: format_clock(start),
            end: end.map(format_clock),
            finish: format_clock(clock),
            overrun: end.is_some_and(|e| clock > e),
            rows,
        });
    }
    for (name, minutes) in [
        ("instruction", totals.instruction),
        ("practice", totals.practice),
        ("assessment", totals.assessment),
        ("breaks", totals.breaks),
        ("other", totals.other),
        ("all", totals.all),
    ] {
        totals.hours.insert(name, format_hours(minutes));
    }
    Some((days, totals))
}

/// The kind of time a section of this method is.
fn category(method: Method) -> &'static str {
    match method {
        Method::RolePlay | Method::Scenario | Method::Tabletop => "practice",
        _ => "instruction",
    }
}
