//! Problems found in a curriculum: what, where, and how to fix it.

use std::ops::Range;
use std::path::PathBuf;

use crate::source::FileId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $name:literal;)*) => {
        /// A stable identifier for each kind of problem; `docs/diagnostics.md` explains each one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code printed in brackets, e.g. `E006`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A short kebab-case name, e.g. `unknown-key`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }
        }
    };
}

codes! {
    Io = "E001", "io";
    MissingCourse = "E002", "missing-course";
    EmptyFile = "E003", "empty-file";
    NotUtf8 = "E004", "not-utf8";
    Syntax = "E005", "toml-syntax";
    UnknownKey = "E006", "unknown-key";
    MissingKey = "E007", "missing-key";
    WrongType = "E008", "wrong-type";
    InvalidId = "E009", "invalid-id";
    ModuleMissing = "E010", "module-missing";
    ModuleNotFile = "E011", "module-not-a-file";
    ModuleNotListed = "E012", "module-not-listed";
    DuplicateId = "E013", "duplicate-id";
    UnknownObjective = "E014", "unknown-objective";
    UnknownSource = "E015", "unknown-source";
    AnswerIsDistractor = "E016", "answer-is-distractor";
    TooFewChoices = "E017", "too-few-choices";
    MinutesMismatch = "E018", "minutes-mismatch";
    ObjectiveNotTaught = "W019", "objective-not-taught";
    ObjectiveNotAssessed = "W020", "objective-not-assessed";
    ExamBankTooSmall = "E021", "exam-bank-too-small";
    RevisionMismatch = "E022", "revision-mismatch";
    RevisionOrder = "E023", "revision-order";
    QuestionShape = "E024", "question-shape";
    DuplicateModule = "E025", "duplicate-module";
    DuplicateChoice = "E026", "duplicate-choice";
    ExamSetting = "E027", "exam-setting";
    EmptyValue = "E028", "empty-value";
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A byte range in a file whose text was read.
    Span(FileId, Range<usize>),
    /// A file or directory with no text to quote.
    Path(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    /// Printed under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, message)
    }

    fn new(severity: Severity, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            location: None,
            label: None,
            help: None,
        }
    }

    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.location = Some(Location::Span(file, span));
        self
    }

    pub fn at_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.location = Some(Location::Path(path.into()));
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The closest of `candidates` to a misspelt `word`, if any is close enough to suggest.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{} used twice", code.as_str());
            assert!(seen.insert(code.name()), "{} used twice", code.name());
        }
    }

    #[test]
    fn suggests_close_names_only() {
        let keys = ["objectives", "sections", "title"];
        assert_eq!(did_you_mean("objectivs", keys), Some("objectives"));
        assert_eq!(did_you_mean("tilte", keys), Some("title"));
        assert_eq!(did_you_mean("zebra", keys), None);
    }
}
