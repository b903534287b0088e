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
    let mut clock = 0u64;
    let mut agenda = Vec::new();
    for module in r.instructor {
        for (i, row) in module.core.timeline.iter().enumerate() {
            clock = clock.saturating_add(u64::from(row.minutes));
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
    for (m, module) in r.instructor.iter().enumerate() {
        for (a, activity) in module.activities.iter().enumerate() {
            let kind = PageKind::Activity(m, a);
            packets.insert(
                activity.core.id.as_str(),
                Links {
                    md: r.plan.relative_href(page, kind, true),
                    html: r.plan.relative_href(page, kind, false),
                },
            );
        }
    }
    let context = GuidePage {
        base: r.base(page),
        agenda,
        modules: r.instructor,
        packets,
    };
    r.both(page, "guide", &context)
}
