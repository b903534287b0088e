//! One file per kind of page: its typed context and how it is filled.

pub(super) mod activity;
pub(super) mod blueprint;
pub(super) mod check;
pub(super) mod evaluation;
pub(super) mod form;
pub(super) mod guide;
pub(super) mod handbook;
pub(super) mod handout;
pub(super) mod index;
pub(super) mod manifest;
pub(super) mod module;
pub(super) mod outline;
