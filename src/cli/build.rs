//! `coursepack build`: check, then write every artefact.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

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
    /// Which pages to build: everything, or only the learner pages with their own index, a
    /// folder safe to publish.
    #[arg(long, value_enum, default_value_t = AudienceArg::All)]
    pub(crate) audience: AudienceArg,
    /// Fail (exit 1) on warnings too; the files are still written, as with `check`.
    #[arg(long)]
    pub(crate) deny_warnings: bool,
    /// Shuffle exam forms and knowledge checks with this seed instead of the course's.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Render every page again, ignoring what earlier builds into OUT were made from.
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// Plan scored activities for a class of this many learners instead of the course's
    /// `class_size`.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) class_size: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum AudienceArg {
    /// Learner, instructor, exam and LMS files, with the trainer's index.
    All,
    /// Only learner pages: no instructor, exam or LMS files, and no link to them.
    Learner,
}

pub(crate) fn run(args: BuildArgs, quiet: bool) -> anyhow::Result<ExitCode> {
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
        cache: !args.no_cache,
        learner_only: args.audience == AudienceArg::Learner,
        class_size: args.class_size,
        variables: args.course.vars.clone(),
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
    let denied = args.deny_warnings && built.report.summary().warnings > 0;
    if denied {
        write_stderr(&format!(
            "{}\nbuild failed: warnings are denied (--deny-warnings)\n",
            built.report.summary()
        ));
    }
    if quiet {
        return Ok(if denied {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
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
    if built.reused > 0 {
        write_stderr(&format!(
            "{} unchanged pages kept from the last build (--no-cache renders them again)\n",
            built.reused
        ));
    }
    if built.parts_kept > 0 {
        write_stderr(&format!(
            "{} unchanged parts of whole-course pages and LMS files copied from the last build\n",
            built.parts_kept
        ));
    }
    if built.frames_kept > 0 {
        write_stderr(&format!(
            "{} whole-course files kept their frame (contents, agenda) from the last build\n",
            built.frames_kept
        ));
    }
    write_stderr(&format!(
        "open {}\n",
        built.out.join("index.html").display()
    ));
    Ok(if denied {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
