//! `coursepack templates`: copy the built-in templates out for editing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::{write_stderr, write_stdout};
use coursepack::render::{BUILTIN, copy_builtins};

#[derive(Debug, Args)]
pub(crate) struct TemplatesArgs {
    /// The curriculum directory; templates are written to its templates/ folder.
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// List the built-in template names instead of copying them.
    #[arg(long)]
    pub(crate) list: bool,
}

pub(crate) fn run(args: TemplatesArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    if args.list {
        let names: String = BUILTIN
            .iter()
            .map(|(name, _)| format!("{name}\n"))
            .collect();
        write_stdout(&names)?;
        return Ok(ExitCode::SUCCESS);
    }
    let target = args.dir.join("templates");
    let written = copy_builtins(&target)?;
    if quiet {
        return Ok(ExitCode::SUCCESS);
    }
    write_stderr(&format!(
        "copied {} built-in templates into {}; edit them there and `coursepack build` uses yours\n",
        written.len(),
        target.display()
    ));
    Ok(ExitCode::SUCCESS)
}
