//! Numbered references for a learner document: a learner reads `[1]`, `[2]` … where a section
//! cites its sources, and one "References" list with the full citations, not source ids.

use serde::Serialize;

use super::module::{LearnerModule, SourceView};

/// One entry of a document's reference list.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceView<'a> {
    /// Its number in the document, from 1, in order of first citation.
    pub number: usize,
    /// A page-unique id for links (`ref-1`).
    pub anchor: String,
    /// `citation`.
    pub citation: &'a str,
    /// `url`.
    pub url: Option<&'a str>,
}

/// A section's citation of one reference.
#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    /// The reference's number in the document.
    pub number: usize,
    /// The anchor of its entry in the reference list.
    pub anchor: String,
}

/// Numbers the sources `modules` cite, as one document: in order of first citation (sections in
/// course order, each section's sources as listed), a source cited twice keeping its number and
/// sources with the same citation and URL (the same work in two modules) sharing one. Sources no
/// section cites follow, in module order. Fills each section's `cites` (in number order) and returns the list.
pub fn number<'a>(modules: &mut [LearnerModule<'a>]) -> Vec<ReferenceView<'a>> {
    let mut list: Vec<ReferenceView<'a>> = Vec::new();
    let place = |source: &'a SourceView, list: &mut Vec<ReferenceView<'a>>| -> usize {
        let url = source.url.as_deref();
        if let Some(known) = list
            .iter()
            .find(|r| r.citation == source.citation && r.url == url)
        {
            return known.number;
        }
        let number = list.len() + 1;
        list.push(ReferenceView {
            number,
            anchor: format!("ref-{number}"),
            citation: &source.citation,
            url,
        });
        number
    };
    for module in modules.iter_mut() {
        let core = module.core;
        for section in &mut module.sections {
            let mut cites: Vec<CiteView> = Vec::new();
            for id in &section.section.sources {
                let Some(source) = core.sources.iter().find(|s| &s.id == id) else {
                    continue;
                };
                let number = place(source, &mut list);
                if !cites.iter().any(|c| c.number == number) {
                    cites.push(CiteView {
                        number,
                        anchor: format!("ref-{number}"),
                    });
                }
            }
            cites.sort_by_key(|c| c.number);
            section.cites = cites;
        }
    }
    for module in modules.iter() {
        for source in &module.core.sources {
            place(source, &mut list);
        }
    }
    list
}
