//! `coursepack translate`: which translated entries are current, stale or not yet stamped, and
//! `--stamp` to record the original's hash in each.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{Color, refuse, write_stderr, write_stdout};
use coursepack::diagnostic::Report;
use coursepack::load::{State, translation_status};
use coursepack::source::Disk;

#[derive(Debug, Args)]
pub(crate) struct TranslateArgs {
    /// The curriculum directory (the one holding course.toml).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The language whose files to look at (`es` reads course.es.toml, modules/<id>.es.toml,
    /// handouts/<id>.es.toml).
    #[arg(long, value_name = "LANG")]
    pub(crate) lang: String,
    /// Write (or refresh) each entry's `translates` hash, marking it current: run it once the
    /// translation matches the original's text.
    #[arg(long)]
    pub(crate) stamp: bool,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
}

pub(crate) fn run(args: TranslateArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let provider = Disk::new(&args.dir);
    let states = match translation_status(&args.dir, &provider, &args.lang, args.stamp) {
        Ok(states) => states,
        Err(problem) => {
            let mut report = Report::default();
            report.push(problem);
            return Ok(refuse(&report, args.color.enabled(), "translate"));
        }
    };
    let mut text = String::new();
    for s in &states {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            s.state.as_str(),
            s.file.display(),
            s.entry
        ));
    }
    write_stdout(&text)?;
    let count = |state| states.iter().filter(|s| s.state == state).count();
    let (stale, unstamped) = (count(State::Stale), count(State::Unstamped));
    if !quiet {
        let verb = if args.stamp { "stamped" } else { "to stamp" };
        write_stderr(&format!(
            "{} entries: {} current, {stale} stale, {unstamped} unstamped ({} {verb})\n",
            states.len(),
            count(State::Current),
            stale + unstamped
        ));
    }
    Ok(if stale > 0 && !args.stamp {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
