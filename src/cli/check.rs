//! `coursepack check`: report every problem in a curriculum.

use std::path::Path;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{CourseArgs, write_stderr, write_stdout};
use coursepack::check::{RepoPaths, check, check_with, render_github, render_json, render_text};
use coursepack::diff::gate;
use coursepack::source::{Disk, GitRevision, repository_of};

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) course: CourseArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// How to print diagnostics: text on stderr, JSON on stdout, or GitHub Actions workflow
    /// commands on stdout (annotations on the lines of a pull request).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// The revision gate: fail when the content changed since REV (a git revision of DIR's
    /// repository, e.g. `origin/main`) but `version` and the top [[revisions]] entry did not,
    /// or when an answer key changed with less than a minor version bump.
    #[arg(long, value_name = "REV")]
    pub(crate) since: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
    Github,
}

pub(crate) fn run(args: CheckArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let dir = &args.course.dir;
    // A revision that cannot be read is a usage error, whatever the working tree holds.
    let since = match &args.since {
        Some(rev) => match GitRevision::open(dir, rev) {
            Ok(provider) => Some((rev.as_str(), provider)),
            // A course that is new since REV has no earlier version to move on from.
            Err(err) if err.kind() == std::io::ErrorKind::NotADirectory => {
                write_stderr(&format!(
                    "note: the revision gate has nothing to compare: {err}, so the course is new\n"
                ));
                None
            }
            Err(err) => {
                write_stderr(&format!("error: --since {rev}: {err}\n"));
                return Ok(ExitCode::from(2));
            }
        },
        None => None,
    };
    let report = match check_with(&Disk::new(dir), &args.course.vars) {
        Ok(mut checked) => {
            if let Some((rev, provider)) = &since {
                let old = check(provider);
                let old = old
                    .as_ref()
                    .map(|c| &c.curriculum)
                    .map_err(|report| report.summary().errors);
                checked.report.extend(gate(&checked.curriculum, old, rev));
                checked.report.sort();
            }
            checked.report
        }
        Err(report) => report,
    };
    let summary = report.summary();
    match args.format {
        Format::Text => write_stderr(&render_text(&report, args.course.color.enabled())),
        Format::Json => write_stdout(&render_json(&report))?,
        Format::Github => {
            let paths = repository_of(Path::new("."))
                .map(|(top, prefix)| RepoPaths {
                    top: Some(top),
                    prefix: prefix.into(),
                })
                .unwrap_or_default();
            write_stdout(&render_github(&report, &paths))?;
        }
    }
    if !quiet || summary.errors > 0 || summary.warnings > 0 {
        write_stderr(&format!("{summary}\n"));
    }
    let failed = summary.errors > 0 || (args.deny_warnings && summary.warnings > 0);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
