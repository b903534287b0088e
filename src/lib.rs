//! coursepack turns police training curricula kept as TOML in git into everything a trainer
//! prints or uploads.
//!
//! Data flows one way: [`load`] (files to [`model`], with spans) → [`check`] (model to
//! [`diagnostic`]s) → plan → render → export → write.

pub mod build;
pub mod check;
pub mod diagnostic;
pub mod export;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod source;
