//! `coursepack clean`: remove a build, and only a build.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Color, refuse, write_stderr};
use coursepack::diagnostic::Report;
use coursepack::output::clean;

#[derive(Debug, Args)]
pub(crate) struct CleanArgs {
    /// The output folder: removes the files its manifest names and those a build writes
    /// (index.html, learner/, instructor/, exam/ pages, lms/ files), nothing else.
    pub(crate) out: PathBuf,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: CleanArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let cleaned = match clean(&args.out) {
        Ok(cleaned) => cleaned,
        Err(problem) => {
            let mut report = Report::default();
            report.push(problem);
            return Ok(refuse(&report, args.color.enabled(), "clean"));
        }
    };
    if !quiet {
        let mut text = format!(
            "removed {} files from {}\n",
            cleaned.removed.len(),
            args.out.display()
        );
        if !cleaned.kept.is_empty() {
            text.push_str(&format!(
                "kept {} files no build writes:\n",
                cleaned.kept.len()
            ));
            for file in &cleaned.kept {
                text.push_str(&format!("  {}\n", args.out.join(file).display()));
            }
        }
        write_stderr(&text);
    }
    Ok(ExitCode::SUCCESS)
}
