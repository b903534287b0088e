//! `[variables]` and `${name}` placeholders: one curriculum, many agencies.
//!
//! Substitution happens once, on the parsed TOML of each file and before it is deserialized, so
//! every later step (the checker's rules, every page, every LMS export) sees the values and
//! none of them needs to know placeholders exist. Because the file's text is still at hand, an
//! undefined placeholder is reported at the line and column of its `${`, escapes and multi-line
//! strings included.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::{FileId, SourceFile};

/// Keys whose string values are ids, names of kinds or references, never prose: placeholders
/// are not looked for there (an id must not change with the agency).
const NOT_TEXT: &[&str] = &[
    "id",
    "type",
    "bank",
    "kind",
    "method",
    "objectives",
    "sources",
    "modules",
    "handouts",
    "translations",
    "language",
    "version",
    "translates",
    "lints",
    "variables",
];

/// The variables of one build: the course's `[variables]` and `--var` overrides.
#[derive(Debug, Default)]
pub struct Variables {
    entries: BTreeMap<String, Variable>,
}

#[derive(Debug)]
struct Variable {
    value: String,
    /// Where `[variables]` defines it; `None` for a `--var` the course does not define.
    defined: Option<(FileId, Range<usize>)>,
    /// Set from the threads that parse modules in parallel.
    used: AtomicBool,
}

/// Whether `name` may name a variable: `[a-z][a-z0-9_]*`.
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl Variables {
    /// Variables given on the command line (`--var name=value`), which win over the course's.
    pub fn new(overrides: &[(String, String)]) -> Self {
        let entries = overrides
            .iter()
            .map(|(name, value)| {
                let variable = Variable {
                    value: value.clone(),
                    defined: None,
                    used: AtomicBool::new(false),
                };
                (name.clone(), variable)
            })
            .collect();
        Variables { entries }
    }

    /// Reads `[variables]` from course.toml's parsed table; values of the wrong type, and names
    /// that are not `[a-z][a-z0-9_]*`, are reported here and left out.
    pub(super) fn define(&mut self, table: &DeTable<'_>, file: FileId, out: &mut Vec<Diagnostic>) {
        let Some(value) = table.get("variables") else {
            return;
        };
        let DeValue::Table(variables) = value.get_ref() else {
            // The deserializer reports the wrong type.
            return;
        };
        for (key, value) in variables {
            let name = key.get_ref();
            if !is_variable_name(name) {
                out.push(
                    Diagnostic::error(
                        Code::VariableName,
                        format!("\"{name}\" is not a variable name"),
                    )
                    .at(file, key.span())
                    .label("not a variable name")
                    .help("variable names are lower-case letters, digits and `_`, starting with a letter, e.g. `crisis_line`"),
                );
                continue;
            }
            let DeValue::String(text) = value.get_ref() else {
                continue;
            };
            let entry = self
                .entries
                .entry(name.to_string())
                .or_insert_with(|| Variable {
                    value: text.to_string(),
                    defined: None,
                    used: AtomicBool::new(false),
                });
            entry.defined = Some((file, key.span()));
        }
    }

    /// Replaces every placeholder in the text values of `table` and reports those that name no
    /// variable or are not written as one.
    pub(super) fn substitute(
        &self,
        table: &mut DeTable<'_>,
        file: FileId,
        source: &SourceFile,
        out: &mut Vec<Diagnostic>,
    ) {
        self.substitute_noting(table, file, source, out, &mut Vec::new());
    }

    /// [`Variables::substitute`], adding to `used` the name of every variable it fills in.
    pub(super) fn substitute_noting(
        &self,
        table: &mut DeTable<'_>,
        file: FileId,
        source: &SourceFile,
        out: &mut Vec<Diagnostic>,
        used: &mut Vec<String>,
    ) {
        for (key, value) in table.iter_mut() {
            if NOT_TEXT.contains(&key.get_ref().as_ref()) {
                continue;
            }
            let span = value.span();
            self.walk(value.get_mut(), span, file, source, out, used);
        }
    }

    /// Marks `names` used, as filling them in would: a module the memo kept used them.
    pub(super) fn mark_used(&self, names: &[String]) {
        for name in names {
            if let Some(variable) = self.entries.get(name) {
                variable.used.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Every variable's name and value, for keys that must change when any value does.
    pub(super) fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|(name, variable)| (name.as_str(), variable.value.as_str()))
    }

    fn walk(
        &self,
        value: &mut DeValue<'_>,
        span: Range<usize>,
        file: FileId,
        source: &SourceFile,
        out: &mut Vec<Diagnostic>,
        used: &mut Vec<String>,
    ) {
        match value {
            DeValue::String(text) if text.contains('$') => {
                let (replaced, problems) = self.expand(text, used);
                if !problems.is_empty() {
                    let raw = source.text.get(span.clone()).unwrap_or("");
                    let map = raw_offsets(raw);
                    for problem in problems {
                        let at = |i: usize| span.start + map.get(i).copied().unwrap_or(0);
                        let range = at(problem.at)..at(problem.end.saturating_sub(1)) + 1;
                        out.push(self.diagnose(&problem, file, range));
                    }
                }
                *text = Cow::Owned(replaced);
            }
            DeValue::Array(items) => {
                for item in items.iter_mut() {
                    let span = item.span();
                    self.walk(item.get_mut(), span, file, source, out, used);
                }
            }
            DeValue::Table(inner) => self.substitute_noting(inner, file, source, out, used),
            _ => {}
        }
    }

    /// `text` with its placeholders replaced, and what could not be.
    fn expand(&self, text: &str, used: &mut Vec<String>) -> (String, Vec<Problem>) {
        let mut result = String::with_capacity(text.len());
        let mut problems = Vec::new();
        let mut rest = 0;
        while let Some(found) = text[rest..].find('$') {
            let at = rest + found;
            result.push_str(&text[rest..at]);
            let after = &text[at..];
            if after.starts_with("$${") {
                result.push_str("${");
                rest = at + 3;
            } else if let Some(inner) = after.strip_prefix("${") {
                let close = inner.find('}');
                let name = close.map(|c| &inner[..c]);
                match name.filter(|n| is_variable_name(n)) {
                    Some(name) => {
                        let end = at + 2 + name.len() + 1;
                        match self.entries.get(name) {
                            Some(variable) => {
                                variable.used.store(true, Ordering::Relaxed);
                                if !used.iter().any(|u| u == name) {
                                    used.push(name.to_owned());
                                }
                                result.push_str(&variable.value);
                            }
                            None => {
                                problems.push(Problem {
                                    at,
                                    end,
                                    name: Some(name.to_owned()),
                                });
                                result.push_str(&text[at..end]);
                            }
                        }
                        rest = end;
                    }
                    None => {
                        let end = close.map_or(at + 2, |c| at + 2 + c + 1);
                        let end = if text[at..end].contains('\n') {
                            at + 2
                        } else {
                            end
                        };
                        problems.push(Problem {
                            at,
                            end,
                            name: None,
                        });
                        result.push_str("${");
                        rest = at + 2;
                    }
                }
            } else {
                result.push('$');
                rest = at + 1;
            }
        }
        result.push_str(&text[rest..]);
        (result, problems)
    }

    fn diagnose(&self, problem: &Problem, file: FileId, range: Range<usize>) -> Diagnostic {
        match &problem.name {
            Some(name) => {
                let known = self.entries.keys().map(String::as_str);
                let help = match did_you_mean(name, known) {
                    Some(other) => format!("did you mean `${{{other}}}`?"),
                    None => format!(
                        "define it in course.toml under [variables] (`{name} = \"...\"`) or pass `--var {name}=...`"
                    ),
                };
                Diagnostic::error(
                    Code::UndefinedVariable,
                    format!("placeholder `${{{name}}}` names no variable"),
                )
                .at(file, range)
                .label("undefined variable")
                .help(help)
            }
            None => Diagnostic::error(
                Code::MalformedPlaceholder,
                "`${` does not start a placeholder",
            )
            .at(file, range)
            .label("expected `${name}`")
            .help("write a placeholder as `${name}` (lower-case letters, digits, `_`), or `$${` for a literal `${`"),
        }
    }

    /// W092 for every variable `[variables]` defines that no text uses.
    pub(super) fn report_unused(&self, out: &mut Vec<Diagnostic>) {
        for (name, variable) in &self.entries {
            let used = variable.used.load(Ordering::Relaxed);
            if let (Some((file, span)), false) = (&variable.defined, used) {
                out.push(
                    Diagnostic::warning(
                        Code::UnusedVariable,
                        format!("variable `{name}` is never used"),
                    )
                    .at(*file, span.clone())
                    .label("defined here")
                    .help(format!(
                        "write `${{{name}}}` where it belongs, or remove it from [variables]"
                    )),
                );
            }
        }
    }

    /// Whether any variable is defined or given.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A placeholder that could not be replaced: byte offsets into the value.
#[derive(Debug)]
struct Problem {
    at: usize,
    end: usize,
    /// The variable it names; `None` when it is not written as a placeholder.
    name: Option<String>,
}

/// For each byte of the value of the TOML string written as `raw` (quotes included), its offset
/// in `raw`: the inverse of TOML's escapes, line-ending backslashes and the newline that may
/// follow an opening `"""` or `'''`. One extra entry maps the end of the value.
fn raw_offsets(raw: &str) -> Vec<usize> {
    // A bare key used as a value cannot happen; map everything to the start.
    let Some((delimiter, literal, mut i)) = super::strings::opening(raw) else {
        return Vec::new();
    };
    let bytes = raw.as_bytes();
    let end = raw.len().saturating_sub(delimiter);
    let mut map = Vec::with_capacity(raw.len());
    while i < end {
        if literal || bytes[i] != b'\\' {
            map.push(i);
            i += 1;
            continue;
        }
        let escape_start = i;
        match bytes.get(i + 1) {
            Some(b'u') | Some(b'U') => {
                let digits = if bytes[i + 1] == b'u' { 4 } else { 8 };
                let hex = raw.get(i + 2..i + 2 + digits).unwrap_or("");
                let len = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(1, char::len_utf8);
                map.extend(std::iter::repeat_n(escape_start, len));
                i += 2 + digits;
            }
            Some(b'x') => {
                // TOML 1.1: `\xHH` is a code point up to U+00FF, two bytes in UTF-8 past 0x7F.
                let hex = raw.get(i + 2..i + 4).unwrap_or("");
                let len = u32::from_str_radix(hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .map_or(1, char::len_utf8);
                map.extend(std::iter::repeat_n(escape_start, len));
                i += 4;
            }
            Some(c) if c.is_ascii_whitespace() => {
                // A line-ending backslash: it and the whitespace after it vanish.
                i += 1;
                while i < end && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
            Some(_) => {
                map.push(escape_start);
                i += 2;
            }
            None => i += 1,
        }
    }
    map.push(end);
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn run(toml: &str, overrides: &[(&str, &str)]) -> (String, Vec<(Code, String, usize, usize)>) {
        let mut sources = Sources::default();
        let file = sources.add("course.toml".into(), toml.to_owned());
        let source = sources.get(file);
        let mut table = DeTable::parse(&source.text).unwrap().into_inner();
        let overrides: Vec<(String, String)> = overrides
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        let mut vars = Variables::new(&overrides);
        let mut out = Vec::new();
        vars.define(&table, file, &mut out);
        vars.substitute(&mut table, file, source, &mut out);
        vars.report_unused(&mut out);
        let title = match table.get("title").map(|v| v.get_ref()) {
            Some(DeValue::String(s)) => s.to_string(),
            _ => String::new(),
        };
        let found = out
            .iter()
            .map(|d| match &d.location {
                Some(crate::diagnostic::Location::Span(_, span)) => {
                    let (line, col) = source.line_col(span.start);
                    (d.code, source.text[span.clone()].to_owned(), line, col)
                }
                _ => (d.code, String::new(), 0, 0),
            })
            .collect();
        (title, found)
    }

    #[test]
    fn placeholders_take_the_values_and_overrides_win() {
        let toml = "title = \"${agency} and ${state}\"\n[variables]\nagency = \"Metro PD\"\nstate = \"Ohio\"\n";
        assert_eq!(run(toml, &[]).0, "Metro PD and Ohio");
        let (title, found) = run(toml, &[("agency", "Lakeside Police")]);
        assert_eq!(title, "Lakeside Police and Ohio");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_doubled_dollar_is_a_literal_placeholder() {
        let (title, found) = run("title = \"$${agency} costs $5\"", &[]);
        assert_eq!(title, "${agency} costs $5");
        assert!(found.is_empty());
    }

    #[test]
    fn undefined_placeholders_are_found_where_they_are_written() {
        let (_, found) = run(
            "title = \"Call ${agenc}\"\n[variables]\nagency = \"X\"\n",
            &[],
        );
        assert_eq!(found[0].0, Code::UndefinedVariable);
        assert_eq!(
            (found[0].1.as_str(), found[0].2, found[0].3),
            ("${agenc}", 1, 15)
        );
        // Escapes before it and a multi-line string with a line-ending backslash.
        let toml = "title = \"\"\"\n\\u00e9 \\t one \\\n    two ${missing}\"\"\"";
        let (_, found) = run(toml, &[]);
        assert_eq!(
            (found[0].1.as_str(), found[0].2, found[0].3),
            ("${missing}", 3, 9)
        );
        let (_, found) = run("title = \"\\xe9\\U0001F600 ${gone}\"", &[]);
        assert_eq!(
            (found[0].1.as_str(), found[0].2, found[0].3),
            ("${gone}", 1, 25)
        );
        let (_, found) = run("title = '''\nx\n  ${nope}'''", &[]);
        assert_eq!(
            (found[0].1.as_str(), found[0].2, found[0].3),
            ("${nope}", 3, 3)
        );
    }

    #[test]
    fn malformed_placeholders_and_unused_variables_are_reported() {
        let (_, found) = run(
            "title = \"a ${Agency} b\"\n[variables]\nspare = \"x\"\n",
            &[],
        );
        let codes: Vec<Code> = found.iter().map(|f| f.0).collect();
        assert_eq!(codes, [Code::MalformedPlaceholder, Code::UnusedVariable]);
        assert_eq!(found[0].1, "${Agency}");
        assert_eq!(found[1].1, "spare");
        let (_, found) = run("title = \"x\"\n[variables]\nBad-Name = \"x\"\n", &[]);
        assert_eq!(found[0].0, Code::VariableName);
    }

    #[test]
    fn ids_are_not_text() {
        let (_, found) = run("id = \"${x}\"\ntitle = \"t\"", &[]);
        assert!(found.is_empty());
    }
}
