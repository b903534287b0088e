//! Diagnostics as text (rustc-style, via annotate-snippets) or as JSON.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::diagnostic::{Location, Report, Severity};

/// Every diagnostic, rustc-style, each followed by a blank line.
pub fn render_text(report: &Report, color: bool) -> String {
    let sources = &report.sources;
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for diagnostic in report.diagnostics() {
        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = level
            .primary_title(&diagnostic.message)
            .id(diagnostic.code.as_str());
        let mut group: Group<'_> = match &diagnostic.location {
            Some(Location::Span(file, span)) => {
                let source = sources.get(*file);
                let path = source.path.to_string_lossy();
                // Only the lines the span touches, numbered as in the file: the renderer scans
                // what it is given, and a big file with many diagnostics must stay linear.
                let (line, lines) = source.lines_of(span.clone());
                let excerpt = source.text.get(lines.clone()).unwrap_or("");
                let relative = span.start.saturating_sub(lines.start).min(excerpt.len())
                    ..span.end.saturating_sub(lines.start).min(excerpt.len());
                let mut annotation = AnnotationKind::Primary.span(relative);
                if let Some(label) = &diagnostic.label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(excerpt)
                        .line_start(line)
                        .path(path)
                        .fold(true)
                        .annotation(annotation),
                )
            }
            Some(Location::Path(path)) => {
                title.element(Level::NOTE.message(format!("file: {}", path.display())))
            }
            None => Group::with_title(title),
        };
        if let Some(help) = &diagnostic.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    severity: &'static str,
    code: &'static str,
    name: &'static str,
    message: &'a str,
    help: Option<&'a str>,
}

/// A JSON array of diagnostics, one object each, with 1-based line and column.
pub fn render_json(report: &Report) -> String {
    let sources = &report.sources;
    let items: Vec<JsonDiagnostic<'_>> = report
        .diagnostics()
        .iter()
        .map(|d| {
            let (file, start, end) = match &d.location {
                Some(Location::Span(file, span)) => {
                    let source = sources.get(*file);
                    (
                        Some(source.path.display().to_string()),
                        Some(source.line_col(span.start)),
                        Some(source.line_col(span.end)),
                    )
                }
                Some(Location::Path(path)) => (Some(path.display().to_string()), None, None),
                None => (None, None, None),
            };
            JsonDiagnostic {
                file,
                line: start.map(|p| p.0),
                column: start.map(|p| p.1),
                end_line: end.map(|p| p.0),
                end_column: end.map(|p| p.1),
                severity: d.severity.as_str(),
                code: d.code.as_str(),
                name: d.code.name(),
                message: &d.message,
                help: d.help.as_deref(),
            }
        })
        .collect();
    let mut json = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".to_owned());
    json.push('\n');
    json
}
