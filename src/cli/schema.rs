//! `coursepack schema`: JSON Schema for editors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{write_stderr, write_stdout};
use coursepack::schema::{Kind, schema, write};

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Print the schema of one kind of file to stdout [default: course].
    #[arg(long, value_enum, conflicts_with = "out")]
    pub(crate) kind: Option<KindArg>,
    /// Write course.schema.json and module.schema.json into this folder.
    #[arg(short, long, value_name = "DIR")]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// course.toml.
    Course,
    /// modules/<id>.toml.
    Module,
}

pub(crate) fn run(args: SchemaArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let Some(out) = &args.out else {
        let kind = match args.kind.unwrap_or(KindArg::Course) {
            KindArg::Course => Kind::Course,
            KindArg::Module => Kind::Module,
        };
        write_stdout(&schema(kind))?;
        return Ok(ExitCode::SUCCESS);
    };
    let written = write(out)?;
    if !quiet {
        for path in written {
            write_stderr(&format!("wrote {}\n", path.display()));
        }
        write_stderr(
            "point your editor at them with a first line such as `#:schema ./schema/course.schema.json`\n",
        );
    }
    Ok(ExitCode::SUCCESS)
}
