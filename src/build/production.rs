//! Rendering one build in two steps, so a broken template is found before anything is written.

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Report};
use crate::export::write_lms_files;
use crate::plan::{Page, PageKind, Plan};
use crate::render::{Pages, Pending, Reuse, Sink, SourceFacts, Templates};
use crate::source::Sources;

/// The rendering of one build, in two steps so a broken template is found before anything is
/// written: [`Production::start`] runs the templates of the first page of every kind and keeps
/// what they wrote (with the built-in templates, skeletons without their texts; see
/// [`crate::render::Pending`]); [`Production::finish`] writes what it holds to the sink and
/// renders the rest, and the LMS files, straight into it. What the LMS formats cannot carry is
/// found as they are written: when `[lints]` makes that an error, the build abandons what it
/// staged, and the folder stays as the last build left it.
#[derive(Debug)]
pub(super) struct Production<'a> {
    plan: &'a Plan<'a>,
    pages: Pages<'a>,
    /// The first page of every kind, its templates run.
    pending: Vec<Pending>,
    /// Whether the LMS files are to be written.
    lms: bool,
    rest: Vec<&'a Page>,
    problems: Vec<Diagnostic>,
    reuse: Option<&'a Reuse<'a>>,
}

impl<'a> Production<'a> {
    /// Starts rendering `todo`, the pages of `plan` this build must render (all of them but
    /// the ones the cache still holds); the LMS files are rendered when one of them is to do.
    /// `facts` are what [`SourceFacts::of`] learnt of `sources` while they held every text;
    /// `reuse`, when the build has a cache, holds the last build's parts of whole-course pages.
    pub(super) fn start(
        plan: &'a Plan<'a>,
        todo: Vec<&'a Page>,
        templates: &'a Templates,
        sources: &'a Sources,
        facts: SourceFacts,
        reuse: Option<&'a Reuse<'a>>,
    ) -> Self {
        let mut pages = Pages::new(plan, templates, sources, facts);
        if let Some(reuse) = reuse {
            pages = pages.with_reuse(reuse);
        }
        let lms = todo.iter().any(|p| matches!(p.kind, PageKind::Lms(_)));
        let mut seen = Vec::new();
        let (first, rest): (Vec<&Page>, Vec<&Page>) = todo.into_iter().partition(|page| {
            if !pages.holds(page) {
                return false;
            }
            let kind = std::mem::discriminant(&page.kind);
            let new = !seen.contains(&kind);
            if new {
                seen.push(kind);
            }
            new
        });
        let (pending, problems) = pages.hold(&first);
        Production {
            plan,
            pages,
            pending,
            lms,
            rest,
            problems,
            reuse,
        }
    }

    /// Whether a first page already failed, at the levels `report`'s `[lints]` set: then
    /// nothing should be written.
    pub(super) fn failed(&self, report: &Report) -> bool {
        self.problems.iter().any(|p| report.would_fail(p))
    }

    /// What went wrong so far, when nothing is to be written after all.
    pub(super) fn problems(self) -> Vec<Diagnostic> {
        self.problems
    }

    /// Hands what `start` rendered to `sink` and renders the rest into it.
    pub(super) fn finish(self, sink: &dyn Sink) -> Vec<Diagnostic> {
        let mut problems = self.problems;
        let (lms, (pending, pages)) = rayon::join(
            || {
                if self.lms {
                    write_lms_files(self.plan, sink, self.reuse)
                } else {
                    Vec::new()
                }
            },
            || {
                rayon::join(
                    || {
                        self.pending
                            .into_par_iter()
                            .filter_map(|file| file.write(sink).err())
                            .collect::<Vec<_>>()
                    },
                    || self.pages.render(&self.rest, sink),
                )
            },
        );
        problems.extend(pending);
        problems.extend(lms);
        problems.extend(pages);
        problems
    }
}
