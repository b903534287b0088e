//! `coursepack new`: start a curriculum.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::write_stderr;
use coursepack::scaffold::{new, today};

#[derive(Debug, Args)]
pub(crate) struct NewArgs {
    /// The folder to create (it must be missing or empty); its name becomes the course id.
    pub(crate) dir: PathBuf,
    /// The course title [default: from the folder name].
    #[arg(long)]
    pub(crate) title: Option<String>,
}

pub(crate) fn run(args: NewArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let created = new(&args.dir, args.title.as_deref(), &today())?;
    if !quiet {
        let dir = args.dir.display();
        let files: String = created
            .files
            .iter()
            .map(|f| format!("  {}\n", f.display()))
            .collect();
        write_stderr(&format!(
            "created course `{}` in {dir}:\n{files}next: coursepack check {dir} && coursepack serve {dir}\n",
            created.id
        ));
    }
    Ok(ExitCode::SUCCESS)
}
