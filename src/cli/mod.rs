//! The command line: clap types and one file per subcommand. Only this module and `main.rs`
//! print or decide exit codes.

mod build;
mod check;
mod clean;
mod diff;
mod export;
mod new;
mod outline;
mod schema;
mod serve;
mod shell;
mod templates;
mod translate;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use coursepack::check::render_text;
use coursepack::diagnostic::Report;

/// Turn police training curricula kept as TOML into handouts, guides, exams and LMS imports.
#[derive(Debug, Parser)]
#[command(name = "coursepack", version, about, propagate_version = true)]
pub(crate) struct Cli {
    /// Print only errors and warnings, no progress.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check a curriculum and report every problem with its file, line and column.
    Check(check::CheckArgs),
    /// Export the question banks (or one exam form) as a Moodle or Canvas import file.
    Export(export::ExportArgs),
    /// Build every handout, guide, packet, check and exam form as Markdown and HTML.
    Build(build::BuildArgs),
    /// Report what changed between two versions (directories or git revisions) of a
    /// curriculum, and which printed keys and exam forms must be reprinted.
    Diff(diff::DiffArgs),
    /// Copy the built-in templates into DIR/templates for editing.
    Templates(templates::TemplatesArgs),
    /// Start a new curriculum in DIR: a course, an example module, .gitignore and CI.
    New(new::NewArgs),
    /// Outline the course: minutes, sections, activities, questions and objective coverage.
    Outline(outline::OutlineArgs),
    /// Print (or write with --out) the JSON Schema of course.toml and module files, for editors.
    Schema(schema::SchemaArgs),
    /// Print the completion script for a shell (bash, zsh, fish, elvish, powershell).
    Completions(shell::CompletionsArgs),
    /// Print the man page (or write every command's with --out).
    Man(shell::ManArgs),
    /// Remove a build from OUT: only files its manifest or the output layout names.
    Clean(clean::CleanArgs),
    /// Preview the course in a browser: build, serve on 127.0.0.1, rebuild and reload on save.
    Serve(serve::ServeArgs),
    /// Report which translated entries are current, stale or unstamped; --stamp records the
    /// original's hash in each.
    Translate(translate::TranslateArgs),
}

/// Options every command that reads a curriculum shares.
#[derive(Debug, Args)]
pub(crate) struct CourseArgs {
    /// The curriculum directory (the one holding course.toml).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub(crate) color: Color,
    /// Give the `${NAME}` placeholders this value, over the course's `[variables]`
    /// (repeatable), so one curriculum serves many agencies.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub(crate) vars: Vec<(String, String)>,
}

fn parse_var(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))?;
    if !coursepack::load::is_variable_name(name) {
        return Err(format!(
            "`{name}` is not a variable name: lower-case letters, digits and `_`, starting with a letter"
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        }
    }
}

/// Runs the parsed command.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Diff(args) => diff::run(args),
        Command::Check(args) => check::run(args, cli.quiet),
        Command::Export(args) => export::run(args, cli.quiet),
        Command::Build(args) => build::run(args, cli.quiet),
        Command::Templates(args) => templates::run(args, cli.quiet),
        Command::New(args) => new::run(args, cli.quiet),
        Command::Outline(args) => outline::run(args),
        Command::Schema(args) => schema::run(args, cli.quiet),
        Command::Completions(args) => shell::completions(args),
        Command::Man(args) => shell::man(args, cli.quiet),
        Command::Clean(args) => clean::run(args, cli.quiet),
        Command::Serve(args) => serve::run(args, cli.quiet),
        Command::Translate(args) => translate::run(args, cli.quiet),
    }
}

/// Writes data to stdout; a closed pipe (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

/// Prints the diagnostics of a curriculum (or output folder) with errors and says that `verb`
/// will not run.
fn refuse(report: &Report, color: bool, verb: &str) -> ExitCode {
    write_stderr(&render_text(report, color));
    write_stderr(&format!(
        "{}\n{verb} refused: fix the errors above, then {verb} again\n",
        report.summary()
    ));
    ExitCode::FAILURE
}

/// Prints the warnings of a command that goes ahead.
fn warn(report: &Report, color: bool) {
    if !report.diagnostics().is_empty() {
        write_stderr(&render_text(report, color));
    }
}

/// Writes diagnostics and progress to stderr.
fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
