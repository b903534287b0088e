//! `handouts = [...]` in course.toml and the files in `handouts/`: listed and present, like
//! modules.

use std::path::{Path, PathBuf};

use super::{Loader, is_valid_id, keys};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{Handout, HandoutFile};
use crate::source::{EntryKind, FileId};

impl Loader<'_> {
    /// Loads every handout course.toml lists and reports listed files that are missing and
    /// files that are not listed.
    pub(super) fn handouts(
        &mut self,
        course_file: FileId,
        listed: &[crate::model::Spanned<String>],
    ) {
        let on_disk = self.toml_stems(Path::new("handouts"));
        let mut loaded: Vec<&str> = Vec::new();
        for entry in listed {
            let id = entry.get_ref().as_str();
            if !is_valid_id(id) {
                self.push(
                    Diagnostic::error(Code::InvalidId, format!("handout id \"{id}\" is not a plain file name"))
                        .at(course_file, entry.span())
                        .label("not a valid handout id")
                        .help("handout ids start with a letter or digit and use only letters, digits, `-`, `_` and `.`; the handout lives in handouts/<id>.toml"),
                );
                continue;
            }
            if loaded.contains(&id) {
                self.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("handout \"{id}\" is listed twice"),
                    )
                    .at(course_file, entry.span())
                    .label("listed again here")
                    .help("remove this entry"),
                );
                continue;
            }
            loaded.push(id);
            let path = handout_path(id);
            if !matches!(self.provider.kind(&path), Ok(Some(EntryKind::File))) {
                let shown = self.provider.display(&path);
                let help = match did_you_mean(id, on_disk.iter().map(String::as_str)) {
                    Some(stem) => format!("did you mean \"{stem}\"? (handouts/{stem}.toml exists)"),
                    None => format!("create handouts/{id}.toml or remove \"{id}\" from `handouts`"),
                };
                self.push(
                    Diagnostic::error(
                        Code::HandoutMissing,
                        format!("handout \"{id}\" has no file"),
                    )
                    .at(course_file, entry.span())
                    .label(format!("expected {}", shown.display()))
                    .help(help),
                );
                continue;
            }
            if let Some((file, handout)) = self.load_file::<Handout>(&path, &keys::HANDOUT) {
                self.loaded.handouts.push(HandoutFile {
                    id: id.to_owned(),
                    file,
                    handout,
                });
            }
        }
        for stem in &on_disk {
            if loaded.contains(&stem.as_str()) || self.is_translation(stem, &loaded) {
                continue;
            }
            self.push(
                Diagnostic::error(
                    Code::HandoutNotListed,
                    format!("handout file `{stem}.toml` is not listed in course.toml"),
                )
                .at_path(self.provider.display(&handout_path(stem)))
                .help(format!(
                    "add \"{stem}\" to `handouts` in course.toml, or move the file out of handouts/"
                )),
            );
        }
    }

    /// Stems of the `*.toml` files in `dir`, sorted; none when it is absent.
    pub(super) fn toml_stems(&mut self, dir: &Path) -> Vec<String> {
        let entries = match self.provider.kind(dir) {
            Ok(Some(EntryKind::Dir)) => match self.provider.list(dir) {
                Ok(entries) => entries,
                Err(err) => {
                    self.io_error(dir, &err);
                    return Vec::new();
                }
            },
            _ => return Vec::new(),
        };
        entries
            .into_iter()
            .filter(|(_, kind)| *kind == EntryKind::File)
            .filter_map(|(name, _)| name.strip_suffix(".toml").map(str::to_owned))
            .filter(|stem| !stem.is_empty())
            .collect()
    }

    /// Whether `stem` is `<id>.<lang>` for a listed id and one of the course's translations.
    pub(super) fn is_translation(&self, stem: &str, listed: &[&str]) -> bool {
        stem.rsplit_once('.').is_some_and(|(id, lang)| {
            listed.contains(&id) && self.translations.iter().any(|t| t == lang)
        })
    }
}

/// `handouts/<id>.toml`, for an id that [`is_valid_id`] accepted.
pub(super) fn handout_path(id: &str) -> PathBuf {
    Path::new("handouts").join(format!("{id}.toml"))
}
