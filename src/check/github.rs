//! Diagnostics as GitHub Actions workflow commands, so problems show on the lines of a pull
//! request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=E006 unknown-key::message`.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Location, Report, Severity};

/// Where the files of a report are relative to the repository root.
#[derive(Debug, Clone, Default)]
pub struct RepoPaths {
    /// The repository's top level, to make absolute paths relative to it.
    pub top: Option<PathBuf>,
    /// The current directory relative to the top level (`git rev-parse --show-prefix`), which
    /// the report's relative paths start from; empty outside a repository.
    pub prefix: PathBuf,
}

impl RepoPaths {
    /// `path` (as a report shows it) relative to the repository root, `/`-separated.
    pub fn relative(&self, path: &Path) -> String {
        let joined = if path.is_absolute() {
            match self
                .top
                .as_deref()
                .and_then(|top| path.strip_prefix(top).ok())
            {
                Some(inside) => inside.to_owned(),
                None => path.to_owned(),
            }
        } else {
            self.prefix.join(path)
        };
        // Lexically: `a/../b` is `b`, `./x` is `x` (the files may not exist, e.g. a missing
        // module).
        let mut parts: Vec<String> = Vec::new();
        let mut absolute = false;
        for component in joined.components() {
            match component {
                Component::CurDir => {}
                Component::ParentDir => {
                    if parts.last().is_some_and(|p| p != "..") {
                        parts.pop();
                    } else {
                        parts.push("..".to_owned());
                    }
                }
                Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
                Component::RootDir | Component::Prefix(_) => absolute = true,
            }
        }
        let relative = parts.join("/");
        if absolute {
            format!("/{relative}")
        } else {
            relative
        }
    }
}

/// One workflow command per diagnostic, each on its own line. Line and column are 1-based,
/// columns count characters; the help line follows the message on a second line.
pub fn render_github(report: &Report, paths: &RepoPaths) -> String {
    let sources = &report.sources;
    let mut out = String::new();
    for d in report.diagnostics() {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut properties = Vec::new();
        match &d.location {
            Some(Location::Span(file, span)) => {
                let source = sources.get(*file);
                let (line, col) = source.line_col(span.start);
                let (end_line, end_col) = source.line_col(span.end);
                properties.push(format!("file={}", property(&paths.relative(&source.path))));
                properties.push(format!("line={line}"));
                properties.push(format!("col={col}"));
                properties.push(format!("endLine={end_line}"));
                properties.push(format!("endColumn={end_col}"));
            }
            Some(Location::Path(path)) => {
                properties.push(format!("file={}", property(&paths.relative(path))));
            }
            None => {}
        }
        properties.push(format!(
            "title={}",
            property(&format!("{} {}", d.code.as_str(), d.code.name()))
        ));
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            data(&message)
        ));
    }
    out
}

/// Escapes a command's message, as the Actions runner reads it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: also `:` and `,`, which separate properties.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_reads() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%"), "a%3Ab%2Cc%25");
    }

    #[test]
    fn paths_are_relative_to_the_repository_root() {
        let paths = RepoPaths {
            top: Some(PathBuf::from("/repo")),
            prefix: PathBuf::from("curricula/"),
        };
        assert_eq!(
            paths.relative(Path::new("x/course.toml")),
            "curricula/x/course.toml"
        );
        assert_eq!(
            paths.relative(Path::new("../other/course.toml")),
            "other/course.toml"
        );
        assert_eq!(
            paths.relative(Path::new("/repo/a/course.toml")),
            "a/course.toml"
        );
        assert_eq!(
            RepoPaths::default().relative(Path::new("./c.toml")),
            "c.toml"
        );
    }
}
