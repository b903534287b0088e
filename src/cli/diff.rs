//! `coursepack diff`: what changed between two versions of a curriculum.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{Color, write_stderr, write_stdout};
use coursepack::check::{check, render_text as render_diagnostics};
use coursepack::diff::{Sides, compare, render_html, render_json, render_markdown, render_text};

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The version compared from: a curriculum directory, a git revision of DIR's repository
    /// (`HEAD~1`, a tag, a branch), or both sides at once as `OLD..NEW` or `OLD...NEW` (from
    /// their common ancestor). An existing directory wins over a revision of the same name.
    pub(crate) old: String,
    /// The version compared to: a directory or a revision.
    pub(crate) new: Option<String>,
    /// The curriculum directory whose repository the revisions belong to [default: the side
    /// that is a directory, else the current directory].
    pub(crate) dir: Option<PathBuf>,
    /// How to print the report (on stdout).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
    /// When to colour diagnostics of a side that has errors.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown, for a pull-request comment.
    Markdown,
    /// One standalone HTML page.
    Html,
    /// The whole report as JSON.
    Json,
}

pub(crate) fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let usage = |message: String| {
        write_stderr(&format!("error: {message}\n"));
        Ok(ExitCode::from(2))
    };
    let sides = match Sides::parse(&args.old, args.new.as_deref(), args.dir.as_deref()) {
        Ok(sides) => sides,
        Err(message) => return usage(message),
    };
    let (old, new) = match sides.open() {
        Ok(pair) => pair,
        Err(message) => return usage(message),
    };
    let color = args.color.enabled();
    let (old_checked, new_checked) = (check(old.provider.as_ref()), check(new.provider.as_ref()));
    for (side, result) in [(&old, &old_checked), (&new, &new_checked)] {
        if let Err(report) = result {
            write_stderr(&render_diagnostics(report, color));
            write_stderr(&format!(
                "{}\ndiff refused: `{}` does not check; fix its errors (or compare another version)\n",
                report.summary(),
                side.label
            ));
        }
    }
    let (Ok(old_checked), Ok(new_checked)) = (old_checked, new_checked) else {
        return Ok(ExitCode::FAILURE);
    };
    let diff = compare(
        &old_checked.curriculum,
        &old.label,
        &new_checked.curriculum,
        &new.label,
    );
    let report = match args.format {
        Format::Text => render_text(&diff),
        Format::Markdown => render_markdown(&diff),
        Format::Html => render_html(&diff),
        Format::Json => render_json(&diff),
    };
    write_stdout(&report)?;
    Ok(ExitCode::SUCCESS)
}
