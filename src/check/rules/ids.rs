//! Ids of objectives, activities and questions are valid and unique across the whole course.

use std::collections::BTreeMap;
use std::ops::Range;

use super::invalid_id;
use crate::diagnostic::{Code, Diagnostic};
use crate::load::{Loaded, is_valid_id};
use crate::source::FileId;

/// Objective, activity and question ids are unique across the whole course.
pub(super) fn unique_ids(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let sources = &loaded.sources;
    let no_rejected = Vec::new();
    let mut seen: BTreeMap<&str, (&str, FileId, Range<usize>)> = BTreeMap::new();
    for module in &loaded.modules {
        let m = &module.module;
        let rejected = loaded.rejected.get(&module.id).unwrap_or(&no_rejected);
        let ids = m
            .objectives
            .iter()
            .map(|o| ("objective", &o.id))
            .chain(m.activities.iter().map(|a| ("activity", &a.id)))
            .chain(m.questions.iter().map(|q| ("question", &q.id)))
            .chain(rejected.iter().map(|q| ("question", &q.id)));
        for (what, id) in ids {
            if !is_valid_id(id.get_ref()) {
                out.push(invalid_id(
                    &format!("{what} id"),
                    id.get_ref(),
                    module.file,
                    id.span(),
                ));
                continue;
            }
            match seen.get(id.get_ref().as_str()) {
                Some((first_what, first_file, first_span)) => {
                    let first = sources.get(*first_file);
                    let (line, _) = first.line_col(first_span.start);
                    out.push(
                        Diagnostic::error(Code::DuplicateId, format!("duplicate id \"{}\"", id.get_ref()))
                            .at(module.file, id.span())
                            .label(format!("already used by the {first_what} at {}:{line}", first.path.display()))
                            .help("ids of objectives, activities and questions must be unique across the course; rename one"),
                    );
                }
                None => {
                    seen.insert(id.get_ref(), (what, module.file, id.span()));
                }
            }
        }
    }
}
