//! `coursepack export`: one LMS import file, after a clean check.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::{CourseArgs, refuse, write_stderr, write_stdout};
use coursepack::check::{check, render_text};
use coursepack::export::{BankSelection, Format, Selection, export};

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format: Moodle GIFT, Moodle XML, or a Canvas-compatible QTI 1.2 zip.
    #[arg(value_enum)]
    pub format: FormatArg,
    #[command(flatten)]
    pub course: CourseArgs,
    /// Write to FILE instead of stdout (the QTI zip needs it unless stdout is redirected).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Which bank to export.
    #[arg(long, value_enum, default_value_t = BankArg::All)]
    pub bank: BankArg,
    /// Export exactly one exam form (A, B, …), in the printed form's order.
    #[arg(long, value_name = "LETTER", value_parser = parse_form)]
    pub form: Option<char>,
    /// Shuffle choices (and draw --form) with this seed instead of the course's, as
    /// `build --seed` does.
    #[arg(long)]
    pub seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Gift,
    MoodleXml,
    Qti,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BankArg {
    Practice,
    Exam,
    All,
}

fn parse_form(text: &str) -> Result<char, String> {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase()),
        _ => Err(format!("`{text}` is not a form letter such as A or B")),
    }
}

pub fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        FormatArg::Gift => Format::Gift,
        FormatArg::MoodleXml => Format::MoodleXml,
        FormatArg::Qti => Format::Qti,
    };
    // Refuse before the (possibly long) check, and before anything is written.
    if let Some(output) = &args.output {
        if let Some(problem) = overwrites_source(&args.course.dir, output) {
            write_stderr(&format!("error: {problem}\n"));
            return Ok(ExitCode::from(2));
        }
    } else if !format.is_text() && std::io::stdout().is_terminal() {
        write_stderr(
            "error: the QTI package is a zip file; pass `-o FILE.qti.zip` (or redirect stdout)\n",
        );
        return Ok(ExitCode::from(2));
    }

    let loaded = check(&args.course.dir);
    let color = args.course.color.enabled();
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        return Ok(refuse(&loaded, color, "export"));
    }
    if !loaded.diagnostics.is_empty() {
        write_stderr(&render_text(&loaded.diagnostics, &loaded.sources, color));
    }

    let selection = Selection {
        bank: match args.bank {
            BankArg::Practice => BankSelection::Practice,
            BankArg::Exam => BankSelection::Exam,
            BankArg::All => BankSelection::All,
        },
        form: args.form,
        seed: args.seed,
    };
    let exported = match export(&loaded.curriculum, format, &selection) {
        Ok(exported) => exported,
        Err(err) => {
            write_stderr(&format!("error: {err}\n"));
            return Ok(ExitCode::FAILURE);
        }
    };
    for warning in &exported.warnings {
        write_stderr(&format!("warning: {warning}\n"));
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &exported.bytes)
                .with_context(|| format!("cannot write `{}`", path.display()))?;
            write_stderr(&format!(
                "wrote {} questions to {} ({} bytes)\n",
                exported.questions,
                path.display(),
                exported.bytes.len()
            ));
        }
        None if format.is_text() => write_stdout(&String::from_utf8_lossy(&exported.bytes))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(&exported.bytes)
                .and_then(|()| stdout.flush())
            {
                Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => return Err(err.into()),
                _ => {}
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Why writing to `output` would overwrite the curriculum itself, if it would: its
/// course.toml, anything under modules/ or templates/, or the directory.
fn overwrites_source(dir: &Path, output: &Path) -> Option<String> {
    if output.is_dir() {
        return Some(format!(
            "`{}` is a directory; pass a file name",
            output.display()
        ));
    }
    let root = dir.canonicalize().ok()?;
    let target = match output.canonicalize() {
        // An existing file (or a link to one): compare where it really is.
        Ok(target) => target,
        Err(_) => {
            let parent = match output.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            parent.canonicalize().ok()?.join(output.file_name()?)
        }
    };
    let source = target == root.join("course.toml")
        || target.starts_with(root.join("modules"))
        || target.starts_with(root.join("templates"));
    source.then(|| {
        format!(
            "`{}` is part of the curriculum's source; write the export somewhere else",
            output.display()
        )
    })
}
