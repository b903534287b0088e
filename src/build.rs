//! `build` end to end: check, render, export to the LMS formats, write. The CLI calls [`build`] and prints its outcome.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::check::check;
use crate::export::export_all;
use crate::load::Loaded;
use crate::output::{self, WriteReport};
use crate::render::{self, Artefact, Options, Templates};

/// What [`build`] did.
#[derive(Debug)]
pub enum Outcome {
    /// The curriculum has errors; nothing was written.
    Invalid(Loaded),
    Built(Built),
}

#[derive(Debug)]
pub struct Built {
    pub out: PathBuf,
    pub files: usize,
    pub report: WriteReport,
    /// Warnings from the checker, still worth printing.
    pub loaded: Loaded,
    pub overridden_templates: Vec<String>,
    /// What the LMS formats could not carry, each naming the questions.
    pub lms_warnings: Vec<String>,
    pub modules: usize,
    pub forms: usize,
}

/// Checks the curriculum in `dir` and, when it has no errors, writes every artefact to `out`.
pub fn build(dir: &Path, out: &Path, options: &Options) -> Result<Outcome> {
    output::check_output_dir(dir, out)?;
    let loaded = check(dir);
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        return Ok(Outcome::Invalid(loaded));
    }
    let templates = Templates::load(dir)?;
    let mut artefacts = render::render(&loaded.curriculum, &templates, options)?;
    let mut lms_warnings = Vec::new();
    for export in export_all(&loaded.curriculum, options.seed) {
        lms_warnings.extend(export.warnings);
        artefacts.push(Artefact {
            path: format!("lms/{}", export.file_name),
            bytes: export.bytes,
        });
    }
    artefacts.sort_by(|a, b| a.path.cmp(&b.path));
    let report = output::write(out, &artefacts)?;
    let forms = loaded
        .curriculum
        .course
        .as_ref()
        .and_then(|c| c.course.exam.as_ref())
        .map_or(0, |exam| *exam.get_ref().forms.get_ref() as usize);
    Ok(Outcome::Built(Built {
        out: out.to_owned(),
        files: artefacts.len(),
        report,
        modules: loaded.curriculum.modules.len(),
        loaded,
        overridden_templates: templates.overridden,
        lms_warnings,
        forms,
    }))
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
