//! `coursepack export`: one LMS import file, after a clean check.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{CourseArgs, refuse, warn, write_stderr, write_stdout};
use coursepack::check::check_with;
use coursepack::diagnostic::Report;
use coursepack::export::{BankSelection, Format, Selection, export};
use coursepack::output::{Target, guard, write_file};
use coursepack::plan::{Options, Plan};
use coursepack::source::Disk;

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The format: Moodle GIFT, Moodle XML, or a Canvas-compatible QTI 1.2 zip.
    #[arg(value_enum)]
    pub(crate) format: FormatArg,
    #[command(flatten)]
    pub(crate) course: CourseArgs,
    /// Write to FILE instead of stdout (the QTI zip needs it unless stdout is redirected).
    #[arg(short, long = "out", alias = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Which bank to export.
    #[arg(long, value_enum, default_value_t = BankArg::All)]
    pub(crate) bank: BankArg,
    /// Export exactly one exam form (A, B, …), in the printed form's order.
    #[arg(long, value_name = "LETTER", value_parser = parse_form)]
    pub(crate) form: Option<char>,
    /// Shuffle choices (and draw --form) with this seed instead of the course's, as
    /// `build --seed` does.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Gift,
    MoodleXml,
    Qti,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BankArg {
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

pub(crate) fn run(args: ExportArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        FormatArg::Gift => Format::Gift,
        FormatArg::MoodleXml => Format::MoodleXml,
        FormatArg::Qti => Format::Qti,
    };
    let color = args.course.color.enabled();
    // Refuse before the (possibly long) check, and before anything is written.
    if let Some(output) = &args.output {
        if let Err(problem) = guard(&args.course.dir, output, Target::File) {
            let mut report = Report::default();
            report.push(problem);
            return Ok(refuse(&report, color, "export"));
        }
    } else if !format.is_text() && std::io::stdout().is_terminal() {
        write_stderr(
            "error: the QTI package is a zip file; pass `-o FILE.qti.zip` (or redirect stdout)\n",
        );
        return Ok(ExitCode::from(2));
    }

    let mut checked = match check_with(&Disk::new(&args.course.dir), &args.course.vars) {
        Ok(checked) => checked,
        Err(report) => return Ok(refuse(&report, color, "export")),
    };
    let selection = Selection {
        bank: match args.bank {
            BankArg::Practice => BankSelection::Practice,
            BankArg::Exam => BankSelection::Exam,
            BankArg::All => BankSelection::All,
        },
        form: args.form,
    };
    let options = Options {
        seed: args.seed,
        ..Options::default()
    };
    let plan = Plan::new(&checked.curriculum, &options)
        .with_catalog(checked.catalogs.get(&checked.curriculum.course.language));
    let exported = match export(&plan, format, &selection) {
        Ok(exported) => exported,
        Err(err) => {
            write_stderr(&format!("error: {err}\n"));
            return Ok(ExitCode::FAILURE);
        }
    };
    drop(plan);
    checked.report.extend(exported.diagnostics);
    checked.report.sort();
    if checked.report.has_errors() {
        return Ok(refuse(&checked.report, color, "export"));
    }
    warn(&checked.report, color);
    match &args.output {
        Some(path) => {
            if let Err(problem) = write_file(path, &exported.bytes) {
                checked.report.push(problem);
                return Ok(refuse(&checked.report, color, "export"));
            }
            if quiet {
                return Ok(ExitCode::SUCCESS);
            }
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
