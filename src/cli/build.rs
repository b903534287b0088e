//! `coursepack build`: check, then write every artefact.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{CourseArgs, refuse, write_stderr};
use coursepack::build::{Outcome, build, source_date};
use coursepack::check::render_text;
use coursepack::render::Options;

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub course: CourseArgs,
    /// Output directory [default: DIR/build].
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// Shuffle exam forms and knowledge checks with this seed instead of the course's.
    #[arg(long)]
    pub seed: Option<u64>,
}

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.course.dir;
    let out = args.out.clone().unwrap_or_else(|| {
        if dir.as_os_str() == "." {
            PathBuf::from("build")
        } else {
            dir.join("build")
        }
    });
    let options = Options {
        seed: args.seed,
        built: source_date()?,
    };
    let color = args.course.color.enabled();
    match build(dir, &out, &options)? {
        Outcome::Invalid(loaded) => Ok(refuse(&loaded, color, "build")),
        Outcome::Built(built) => {
            if !built.loaded.diagnostics.is_empty() {
                write_stderr(&render_text(
                    &built.loaded.diagnostics,
                    &built.loaded.sources,
                    color,
                ));
            }
            for warning in &built.lms_warnings {
                write_stderr(&format!("warning: {warning}\n"));
            }
            for name in &built.overridden_templates {
                write_stderr(&format!("using the course's templates/{name}\n"));
            }
            let r = &built.report;
            write_stderr(&format!(
                "built {} modules{} into {}: {} files ({} written, {} unchanged, {} removed)\n",
                built.modules,
                if built.forms > 0 {
                    format!(" and {} exam forms", built.forms)
                } else {
                    String::new()
                },
                built.out.display(),
                built.files,
                r.written,
                r.unchanged,
                r.removed,
            ));
            write_stderr(&format!(
                "open {}\n",
                built.out.join("index.html").display()
            ));
            Ok(ExitCode::SUCCESS)
        }
    }
}
