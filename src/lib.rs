//! coursepack turns police training curricula kept as TOML in git into everything a trainer
//! prints or uploads.
//!
//! Data flows one way: [`source`] (a folder, memory or a git revision) → [`load`] (files to
//! [`model`], with spans) → [`check`] (rules, templates; a [`model::Curriculum`] or a
//! [`diagnostic::Report`]) → [`plan`] (every page, path and draw) → [`render`] (pages) and
//! [`export`] (LMS files) → [`output`] (atomic writes, manifest). [`build`] runs them all.

// No unsafe code: the fuzz targets run without AddressSanitizer (docs/fuzzing.md).
#![forbid(unsafe_code)]

pub mod build;
pub mod cache;
pub mod check;
pub mod diagnostic;
pub mod diff;
pub mod export;
mod flag;
pub mod limits;
pub mod load;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod outline;
pub mod output;
pub mod plan;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod source;
