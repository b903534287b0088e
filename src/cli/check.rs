//! `coursepack check`: report every problem in a curriculum.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{CourseArgs, write_stderr, write_stdout};
use coursepack::check::{check, render_json, render_text};
use coursepack::source::Disk;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) course: CourseArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// How to print diagnostics: text on stderr, or JSON on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: CheckArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let report = match check(&Disk::new(&args.course.dir)) {
        Ok(checked) => checked.report,
        Err(report) => report,
    };
    let summary = report.summary();
    match args.format {
        Format::Text => write_stderr(&render_text(&report, args.course.color.enabled())),
        Format::Json => write_stdout(&render_json(&report))?,
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
