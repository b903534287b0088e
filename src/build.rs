//! `build` end to end: guard the output, check, plan, render, export to the LMS formats, write.
//! The CLI calls [`build`] and prints its outcome.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::check::{Checked, check};
use crate::diagnostic::Report;
use crate::export::lms_files;
use crate::output::{self, Target, WriteReport};
use crate::plan::{Options, Plan};
use crate::render::{self, Artefact};
use crate::source::SourceProvider;

/// What [`build`] did.
#[derive(Debug)]
pub struct Built {
    /// The output folder.
    pub out: PathBuf,
    /// How many files the build holds.
    pub files: usize,
    /// What writing them did.
    pub written: WriteReport,
    /// Warnings met on the way (there are no errors), with the sources they quote.
    pub report: Report,
    /// The templates the course overrides.
    pub overridden_templates: Vec<String>,
    /// How many modules and exam forms were built.
    pub modules: usize,
    /// How many exam forms.
    pub forms: usize,
}

/// Checks the curriculum `provider` holds and, when it has no errors, writes every artefact to
/// `out`. `Err` holds every problem: the curriculum's, the templates', or the output folder's.
pub fn build(
    provider: &dyn SourceProvider,
    out: &Path,
    options: &Options,
) -> Result<Built, Report> {
    if let Some(dir) = provider.disk_root() {
        output::guard(dir, out, Target::Folder).map_err(refusal)?;
    }
    let mut checked = check(provider)?;
    let (artefacts, forms) = artefacts(&mut checked, options);
    if checked.report.has_errors() {
        return Err(checked.report);
    }
    let written = match output::write(out, &artefacts) {
        Ok(written) => written,
        Err(problem) => {
            checked.report.push(problem);
            return Err(checked.report);
        }
    };
    Ok(Built {
        out: out.to_owned(),
        files: artefacts.len(),
        written,
        modules: checked.curriculum.modules.len(),
        forms,
        overridden_templates: checked.templates.overridden().map(str::to_owned).collect(),
        report: checked.report,
    })
}

/// Every file of a build, in memory and sorted by path, and how many exam forms it drew; what
/// went wrong (a template that fails) and what the LMS formats cannot carry go to the report.
pub fn artefacts(checked: &mut Checked, options: &Options) -> (Vec<Artefact>, usize) {
    let plan = Plan::new(&checked.curriculum, options);
    checked.report.extend(class_fit(&plan));
    let (mut artefacts, problems) =
        render::render(&plan, &checked.templates, &checked.report.sources);
    checked.report.extend(problems);
    let (lms, problems) = lms_files(&plan);
    checked.report.extend(problems);
    artefacts.extend(lms);
    artefacts.sort_by(|a, b| a.path.cmp(&b.path));
    let forms = plan.forms.len();
    drop(plan);
    checked.report.sort();
    (artefacts, forms)
}

/// W081 for a `--class-size` other than the course's, which `check` has already judged.
fn class_fit(plan: &Plan<'_>) -> Vec<crate::diagnostic::Diagnostic> {
    let curriculum = plan.curriculum;
    let course = &curriculum.course;
    let Some(size) = plan.class_size else {
        return Vec::new();
    };
    if course.class_size.as_deref() == Some(&size) {
        return Vec::new();
    }
    curriculum
        .modules
        .iter()
        .flat_map(|m| {
            m.module.activities.iter().filter_map(move |a| {
                crate::check::class_fit(m.file, a, size, course.instructors.as_ref())
            })
        })
        .collect()
}

/// A report holding one refusal.
fn refusal(problem: crate::diagnostic::Diagnostic) -> Report {
    let mut report = Report::default();
    report.push(problem);
    report
}

/// `SOURCE_DATE_EPOCH` as a calendar date (UTC), the only clock a build reads.
pub fn source_date() -> Result<Option<String>> {
    let Some(raw) = std::env::var_os("SOURCE_DATE_EPOCH") else {
        return Ok(None);
    };
    let raw = raw.to_string_lossy();
    let seconds: i64 = raw.trim().parse().map_err(|_| {
        anyhow::anyhow!(
            "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {raw:?}"
        )
    })?;
    Ok(Some(civil_date(seconds.div_euclid(86_400))))
}

/// Days since 1970-01-01 to `YYYY-MM-DD` (Howard Hinnant's algorithm).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_413), "2025-11-21");
        assert_eq!(civil_date(-1), "1969-12-31");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
