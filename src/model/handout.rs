//! `handouts/<id>.toml`: a learner handout that is not a module, such as an "I speak" card.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Spanned;
use crate::source::FileId;

/// One handout: learner-safe by definition, built into `learner/handouts/<id>`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Handout {
    /// The handout's title.
    pub title: Spanned<String>,
    /// Markdown: what the handout says.
    pub body: Spanned<String>,
    /// One line the index pages show under the link.
    pub summary: Option<String>,
}

/// One handout and the file it came from.
#[derive(Debug, Clone)]
pub struct HandoutFile {
    /// The file stem, as listed in `course.toml`.
    pub id: String,
    /// Where the handout was read from.
    pub file: FileId,
    /// Its content.
    pub handout: Handout,
}
