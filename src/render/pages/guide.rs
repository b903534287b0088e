//! `instructor/guide`: the agenda with a running clock, every lesson plan, the objective map.

use std::collections::BTreeMap;

use serde::Serialize;

use super::super::{Artefact, PageBase, Renderer};
use crate::diagnostic::Diagnostic;
use crate::plan::{Page, PageKind};
use crate::render::view::{InstructorModule, clock_time};

#[derive(Serialize)]
struct GuidePage<'a> {
    #[serde(flatten)]
    base: PageBase<'a>,
    agenda: Vec<AgendaRow<'a>>,
    modules: &'a [InstructorModule],
    /// By activity id: its packet, as `md` and `html` links from the guide.
    packets: BTreeMap<&'a str, Links>,
    /// By scored activity id: its evaluation forms, as `md` and `html` links.
    evaluations: BTreeMap<&'a str, Links>,
    /// Learners in the class: `--class-size`, else `class_size`.
    class_size: Option<u32>,
    /// By activity id, with a class size and `performers` and `run_minutes`: how every learner
    /// gets to perform.
    runs: BTreeMap<&'a str, Runs>,
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

/// One row of the course agenda, with the running clock at its end.
#[derive(Serialize)]
struct AgendaRow<'a> {
    /// `3. Title` on a module's first row, empty on the rest.
    module: String,
    what: &'a str,
    method: &'a str,
    minutes: u32,
    end: String,
}

pub(in crate::render) fn render(
    r: &Renderer<'_>,
    page: &Page,
) -> Result<Vec<Artefact>, Diagnostic> {
    let mut clock = 0;
    let mut agenda = Vec::new();
    for module in r.instructor {
        for (i, row) in module.core.timeline.iter().enumerate() {
            clock += row.minutes;
            agenda.push(AgendaRow {
                module: if i == 0 {
                    format!("{}. {}", module.core.number, module.core.title)
                } else {
                    String::new()
                },
                what: &row.what,
                method: row.method,
                minutes: row.minutes,
                end: clock_time(clock),
            });
        }
    }
    let mut packets = BTreeMap::new();
    let mut evaluations = BTreeMap::new();
    let mut runs = BTreeMap::new();
    let course = &r.plan.curriculum.course;
    let links = |kind| Links {
        md: r.plan.relative_href(page, kind, true),
        html: r.plan.relative_href(page, kind, false),
    };
    for (m, module) in r.instructor.iter().enumerate() {
        for (a, activity) in module.activities.iter().enumerate() {
            let id = activity.core.id.as_str();
            packets.insert(id, links(PageKind::Activity(m, a)));
            if r.plan.page(PageKind::Evaluation(m, a)).is_some() {
                evaluations.insert(id, links(PageKind::Evaluation(m, a)));
            }
            let source = &r.plan.curriculum.modules[m].module.activities[a];
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
    let context = GuidePage {
        base: r.base(page),
        agenda,
        modules: r.instructor,
        packets,
        evaluations,
        class_size: r.plan.class_size,
        runs,
    };
    r.both(page, "guide", &context)
}
