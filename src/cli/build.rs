//! `coursepack build`: check, then write every artefact.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{CourseArgs, refuse, warn, write_stderr};
use coursepack::build::{build, source_date};
use coursepack::plan::Options;
use coursepack::source::Disk;

#[derive(Debug, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) course: CourseArgs,
    /// Output directory [default: DIR/build].
    #[arg(short, long, value_name = "OUT")]
    pub(crate) out: Option<PathBuf>,
    /// Shuffle exam forms and knowledge checks with this seed instead of the course's.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
}

pub(crate) fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
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
    let built = match build(&Disk::new(dir), &out, &options) {
        Ok(built) => built,
        Err(report) => return Ok(refuse(&report, color, "build")),
    };
    warn(&built.report, color);
    if let Some(note) = &built.written.recovered {
        write_stderr(&format!("note: {note}\n"));
    }
    for name in &built.overridden_templates {
        write_stderr(&format!("using the course's templates/{name}\n"));
    }
    let w = &built.written;
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
        w.written,
        w.unchanged,
        w.removed,
    ));
    write_stderr(&format!(
        "open {}\n",
        built.out.join("index.html").display()
    ));
    Ok(ExitCode::SUCCESS)
}
