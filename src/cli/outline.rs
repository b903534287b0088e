//! `coursepack outline`: the course at a glance.

use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{CourseArgs, refuse, warn, write_stdout};
use coursepack::check::check_with;
use coursepack::outline::Outline;
use coursepack::source::Disk;

#[derive(Debug, Args)]
pub(crate) struct OutlineArgs {
    #[command(flatten)]
    pub(crate) course: CourseArgs,
    /// A table for reading, or JSON for scripts.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

/// How `outline` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: OutlineArgs) -> anyhow::Result<ExitCode> {
    let color = args.course.color.enabled();
    let checked = match check_with(&Disk::new(&args.course.dir), &args.course.vars) {
        Ok(checked) => checked,
        Err(report) => return Ok(refuse(&report, color, "outline")),
    };
    warn(&checked.report, color);
    let outline = Outline::new(&checked.curriculum);
    write_stdout(&match args.format {
        Format::Text => outline.to_text(),
        Format::Json => outline.to_json(),
    })?;
    Ok(ExitCode::SUCCESS)
}
