//! `coursepack serve`: a live preview in the browser.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{CourseArgs, render_text, write_stderr};
use coursepack::build::source_date;
use coursepack::plan::Options;
use coursepack::serve::{Event, serve};

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) course: CourseArgs,
    /// The port on 127.0.0.1 (0: any free port).
    #[arg(short, long, default_value_t = 8000)]
    pub(crate) port: u16,
    /// Build into OUT instead of a temporary folder (the same rules as `build -o`).
    #[arg(short, long, value_name = "OUT")]
    pub(crate) out: Option<PathBuf>,
}

pub(crate) fn run(args: ServeArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    // The cache keeps every page a save did not touch: a rebuild renders only what changed.
    let options = Options {
        built: source_date()?,
        cache: true,
        variables: args.course.vars.clone(),
        ..Options::default()
    };
    let color = args.course.color.enabled();
    serve(
        &args.course.dir,
        args.port,
        args.out.as_deref(),
        &options,
        &mut |event| match event {
            Event::Listening(addr, out) => write_stderr(&format!(
                "serving {} at http://{addr}/ (built in {}); edit and save, the page reloads; Ctrl-C stops\n",
                args.course.dir.display(),
                out.display()
            )),
            Event::Built(built) => {
                if !built.report.diagnostics().is_empty() {
                    write_stderr(&render_text(&built.report, color));
                }
                if !quiet {
                    write_stderr(&format!(
                        "built {} modules: {} written, {} unchanged\n",
                        built.modules, built.written.written, built.written.unchanged
                    ));
                }
            }
            Event::Failed(report) => write_stderr(&format!(
                "{}{}\nthe preview shows these errors until the next good build\n",
                render_text(report, color),
                report.summary()
            )),
        },
    )?;
    Ok(ExitCode::SUCCESS)
}
