//! Problems found in a curriculum: what, where, and how to fix it. Every problem the tool
//! meets, from a TOML typo to a broken template override, an output folder it will not write
//! into or a question an LMS format cannot carry, is a [`Diagnostic`] with a stable [`Code`],
//! collected in one [`Report`] whose `[lints]` levels apply to every warning.

mod lints;
mod report;

pub use lints::{LintLevel, Lints};
pub use report::{Report, Summary};

use std::ops::Range;
use std::path::PathBuf;

use crate::source::FileId;

/// How serious a problem is: errors stop a build, warnings do not (unless denied).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// The curriculum cannot be built as it is.
    Error,
    /// Worth fixing; the build goes on.
    Warning,
}

impl Severity {
    /// `error` or `warning`, as printed.
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
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[allow(missing_docs, reason = "docs/diagnostics.md explains each code; the names say what they are")]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in order.
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
    TemplateSyntax = "E029", "template-syntax";
    UnknownTemplate = "E030", "unknown-template";
    TemplateRender = "E031", "template-render";
    OutputRefused = "E032", "output-refused";
    OutputNotOurs = "E033", "output-not-ours";
    LmsCannotCarry = "W034", "lms-cannot-carry";
    LintSetting = "E035", "lint-setting";
    ExamBlueprintUnmet = "E040", "exam-blueprint-unmet";
    FormsShareItems = "W041", "forms-share-items";
    LongestCorrect = "W042", "longest-correct";
    TrueFalseBalance = "W043", "true-false-balance";
    AbsoluteWords = "W044", "absolute-words";
    AllNoneOfTheAbove = "W045", "all-none-of-the-above";
    StemClue = "W046", "stem-clue";
    SimilarOptions = "W047", "similar-options";
    NegativeStem = "W048", "negative-stem";
    ExamBankUnused = "W049", "exam-bank-unused";
    VersionNotBumped = "E050", "version-not-bumped";
    RevisionNotRecorded = "E051", "revision-not-recorded";
    KeyChangeNeedsMinor = "E052", "key-change-needs-minor";
    VersionWentBack = "E053", "version-went-back";
    SinceNotComparable = "W054", "since-not-comparable";
    OutputOtherCourse = "E060", "output-other-course";
    OutputManifestLost = "E061", "output-manifest-lost";
    EvaluationSetting = "E080", "evaluation-setting";
    ClassCannotPerform = "W081", "class-cannot-perform";
    ScheduleSetting = "E082", "schedule-setting";
    ScheduleOverrun = "W083", "schedule-overrun";
    UnsafeLink = "E070", "unsafe-link";
    OverLimit = "E071", "over-limit";
    TemplateRecursion = "E072", "template-recursion";
    OutputBusy = "E074", "output-busy";
    UndefinedVariable = "E090", "undefined-variable";
    MalformedPlaceholder = "E091", "malformed-placeholder";
    UnusedVariable = "W092", "unused-variable";
    VariableName = "E093", "variable-name";
    HandoutMissing = "E094", "handout-missing";
    HandoutNotListed = "E095", "handout-not-listed";
    TranslationMismatch = "E096", "translation-mismatch";
    Untranslated = "W097", "untranslated";
    TranslationStale = "W098", "translation-stale";
    TranslationLanguage = "E099", "translation-language";
    LocaleSyntax = "E100", "locale-syntax";
    UnknownMessage = "W101", "unknown-message";
    CatalogIncomplete = "E102", "catalog-incomplete";
}

impl Code {
    /// Warnings are lints: `[lints]` in course.toml may allow them, keep them, or deny them.
    pub fn is_lint(self) -> bool {
        self.as_str().starts_with('W')
    }

    /// The code named by `name`, either its code (`W019`) or its name (`objective-not-taught`).
    pub fn find(name: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(name) || c.name() == name)
    }
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A byte range in a file whose text was read.
    Span(FileId, Range<usize>),
    /// A file or directory with no text to quote, as shown to the user.
    Path(PathBuf),
}

/// One problem: what it is, where, and how to fix it.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning; `[lints]` may change a warning's.
    pub severity: Severity,
    /// The stable code, e.g. `E006`.
    pub code: Code,
    /// One line saying what is wrong.
    pub message: String,
    /// Where it is, when it is anywhere.
    pub location: Option<Location>,
    /// Printed under the caret.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, message)
    }

    /// A new warning.
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

    /// Places the problem at a byte range of a file that was read.
    pub fn at(mut self, file: FileId, span: Range<usize>) -> Self {
        self.location = Some(Location::Span(file, span));
        self
    }

    /// Places the problem at a path with no text to quote.
    pub fn at_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.location = Some(Location::Path(path.into()));
        self
    }

    /// What to print under the caret.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// How to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this stops the command.
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
