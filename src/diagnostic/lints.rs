//! `[lints]` in `course.toml`: the level of each warning, by name or code, as Cargo's `[lints]`.
//!
//! ```toml
//! [lints]
//! lms-cannot-carry = "allow"   # our essays are graded on paper; GIFT need not carry rubrics
//! W020 = "deny"                # every objective must be assessed
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{Code, Diagnostic, Severity, did_you_mean};
use crate::model::Spanned;
use crate::source::FileId;

/// What a course asks of one warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LintLevel {
    /// Not reported at all.
    Allow,
    /// Reported as a warning (the default).
    Warn,
    /// Reported as an error: the command fails.
    Deny,
}

/// The levels a course set, by code.
#[derive(Debug, Clone, Default)]
pub struct Lints {
    levels: BTreeMap<Code, LintLevel>,
}

impl Lints {
    /// Reads `[lints]` of `course.toml`; a name that is no warning's is reported.
    pub fn new(
        table: &BTreeMap<Spanned<String>, Spanned<LintLevel>>,
        file: FileId,
    ) -> (Lints, Vec<Diagnostic>) {
        let mut lints = Lints::default();
        let mut problems = Vec::new();
        for (name, level) in table {
            match Code::find(name) {
                Some(code) if code.is_lint() => {
                    lints.levels.insert(code, **level);
                }
                Some(code) => problems.push(
                    Diagnostic::error(
                        Code::LintSetting,
                        format!(
                            "{} ({}) is an error, not a warning; its level cannot be changed",
                            code.as_str(),
                            code.name()
                        ),
                    )
                    .at(file, name.span())
                    .help("only warnings (codes starting with W) can be set in [lints]"),
                ),
                None => {
                    let names = Code::ALL.iter().filter(|c| c.is_lint()).map(|c| c.name());
                    let help = match did_you_mean(name, names.clone()) {
                        Some(suggestion) => format!("did you mean \"{suggestion}\"?"),
                        None => format!(
                            "[lints] takes a warning's name or code: {}",
                            names.collect::<Vec<_>>().join(", ")
                        ),
                    };
                    problems.push(
                        Diagnostic::error(
                            Code::LintSetting,
                            format!("no warning is called \"{name}\""),
                        )
                        .at(file, name.span())
                        .label("unknown lint")
                        .help(help),
                    );
                }
            }
        }
        (lints, problems)
    }

    /// The diagnostic at the level the course set for it; `None` when it is allowed.
    pub fn apply(&self, mut diagnostic: Diagnostic) -> Option<Diagnostic> {
        match self.levels.get(&diagnostic.code) {
            Some(LintLevel::Allow) => None,
            Some(LintLevel::Deny) => {
                diagnostic.severity = Severity::Error;
                Some(diagnostic)
            }
            Some(LintLevel::Warn) | None => Some(diagnostic),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(entries: &[(&str, LintLevel)]) -> BTreeMap<Spanned<String>, Spanned<LintLevel>> {
        entries
            .iter()
            .map(|(name, level)| {
                (
                    Spanned::new(0..0, (*name).to_owned()),
                    Spanned::new(0..0, *level),
                )
            })
            .collect()
    }

    #[test]
    fn levels_by_name_or_code() {
        let mut sources = crate::source::Sources::default();
        let file = sources.add("course.toml".into(), String::new());
        let (lints, problems) = Lints::new(
            &table(&[
                ("objective-not-taught", LintLevel::Allow),
                ("W020", LintLevel::Deny),
            ]),
            file,
        );
        assert!(problems.is_empty());
        let taught = Diagnostic::warning(Code::ObjectiveNotTaught, "x");
        assert!(lints.apply(taught).is_none());
        let assessed = lints
            .apply(Diagnostic::warning(Code::ObjectiveNotAssessed, "x"))
            .unwrap();
        assert_eq!(assessed.severity, Severity::Error);
        let other = lints
            .apply(Diagnostic::warning(Code::LmsCannotCarry, "x"))
            .unwrap();
        assert_eq!(other.severity, Severity::Warning);
    }

    #[test]
    fn unknown_names_and_errors_are_refused() {
        let mut sources = crate::source::Sources::default();
        let file = sources.add("course.toml".into(), String::new());
        let (_, problems) = Lints::new(
            &table(&[
                ("objective-not-tought", LintLevel::Allow),
                ("E006", LintLevel::Allow),
            ]),
            file,
        );
        assert_eq!(problems.len(), 2);
        assert!(problems.iter().all(|p| p.code == Code::LintSetting));
        assert!(
            problems
                .iter()
                .any(|p| p.help.as_deref() == Some("did you mean \"objective-not-taught\"?"))
        );
    }
}
