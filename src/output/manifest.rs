//! `.coursepack-manifest`: which course's build an output folder holds, and its files.

use std::collections::BTreeSet;
use std::path::{Component, Path};

use super::{MANIFEST, io_error, write_atomic};
use crate::diagnostic::{Code, Diagnostic};

/// The manifest's first line, naming the course whose build the folder holds.
const COURSE_LINE: &str = "# course ";

/// What the manifest of an output folder says.
#[derive(Debug, Default)]
pub(super) struct Manifest {
    /// Whether there was one.
    pub(super) found: bool,
    /// The course it records (manifests before 0.2 record none).
    pub(super) course: Option<String>,
    /// The files it lists.
    pub(super) files: BTreeSet<String>,
}

pub(super) fn read(out: &Path) -> Result<Manifest, Diagnostic> {
    let path = out.join(MANIFEST);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Manifest {
            found: true,
            course: text
                .lines()
                .find_map(|l| l.strip_prefix(COURSE_LINE))
                .map(|c| c.trim().to_owned()),
            files: text
                .lines()
                .map(str::trim)
                // A hand-edited manifest must not point outside the output directory.
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with('#')
                        && Path::new(l)
                            .components()
                            .all(|c| matches!(c, Component::Normal(_)))
                })
                .map(str::to_owned)
                .collect(),
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(err) => Err(io_error(&path, "cannot read", &err)),
    }
}

/// Records that `out` holds the build of `course`, made of `files`.
pub(super) fn write(out: &Path, course: &str, files: &BTreeSet<String>) -> Result<(), Diagnostic> {
    let mut text = format!("{COURSE_LINE}{course}\n");
    text.extend(files.iter().map(|p| format!("{p}\n")));
    let path = out.join(MANIFEST);
    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
        write_atomic(&path, text.as_bytes())?;
    }
    Ok(())
}

/// The refusal for files in the way: all of them at once, and what probably happened.
pub(super) fn not_ours(out: &Path, manifest_found: bool, files: &[&str]) -> Diagnostic {
    const SHOWN: usize = 8;
    let mut list: String = files
        .iter()
        .take(SHOWN)
        .map(|f| format!("\n  {}", out.join(f).display()))
        .collect();
    if files.len() > SHOWN {
        list.push_str(&format!("\n  … and {} more", files.len() - SHOWN));
    }
    let layout = files.iter().all(|f| super::clean::is_layout_path(f));
    if !manifest_found && layout {
        return Diagnostic::error(
            Code::OutputManifestLost,
            format!(
                "`{}` holds {} files of a coursepack build, but its manifest `{MANIFEST}` is missing, so coursepack cannot tell them from yours:{list}",
                out.display(),
                files.len()
            ),
        )
        .at_path(out)
        .help(format!(
            "if they are an earlier build, `coursepack clean {}` removes them (only files a build writes), then build again; or build into another folder with -o",
            out.display()
        ));
    }
    let message = match files {
        [one] => format!(
            "`{}` exists and was not written by coursepack; it will not be overwritten",
            out.join(one).display()
        ),
        _ => format!(
            "{} files in `{}` were not written by coursepack and will not be overwritten:{list}",
            files.len(),
            out.display()
        ),
    };
    Diagnostic::error(Code::OutputNotOurs, message)
        .at_path(out.join(files[0]))
        .help("move them away, or build into an empty directory with -o")
}
