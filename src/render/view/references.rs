//! Numbered references for a learner document: a learner reads `[1]`, `[2]` … where a section
//! cites its sources, and one "References" list with the full citations, not source ids.

use serde::Serialize;

use super::module::LearnerModule;

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

/// Each module's sections' citations, in course order: what [`number_cited`] fills in.
pub type Cites = Vec<Vec<Vec<CiteView>>>;

/// What one module cites: its sources (id, citation, URL) and each section's source ids, from a
/// view or straight from the curriculum, which give the same strings.
#[derive(Debug)]
pub struct Cited<'a> {
    /// `[[sources]]`: id, citation, URL.
    pub sources: Vec<(&'a str, &'a str, Option<&'a str>)>,
    /// Each section's `sources`, in order.
    pub sections: Vec<Vec<&'a str>>,
}

impl<'a> Cited<'a> {
    /// What `module`'s view cites.
    pub fn of_view(module: &LearnerModule<'a>) -> Self {
        Cited {
            sources: module
                .core
                .sources
                .iter()
                .map(|s| (s.id.as_str(), s.citation.as_str(), s.url.as_deref()))
                .collect(),
            sections: module
                .sections
                .iter()
                .map(|s| s.section.sources.iter().map(String::as_str).collect())
                .collect(),
        }
    }

    /// What `file` cites, read from the curriculum without building its view.
    pub fn of_file(file: &'a crate::model::ModuleFile) -> Self {
        let m = &file.module;
        Cited {
            sources: m
                .sources
                .iter()
                .map(|s| (s.id.as_str(), s.citation.as_str(), s.url.as_deref()))
                .collect(),
            sections: m
                .sections
                .iter()
                .map(|s| s.sources.iter().map(|id| id.as_str()).collect())
                .collect(),
        }
    }
}

/// Numbers the sources `modules` cite, as one document: in order of first citation (sections in
/// course order, each section's sources as listed), a source cited twice keeping its number and
/// sources with the same citation and URL (the same work in two modules) sharing one. Sources no
/// section cites follow, in module order. Fills each section's `cites` (in number order) and returns the list.
pub fn number<'a>(modules: &mut [LearnerModule<'a>]) -> Vec<ReferenceView<'a>> {
    let cited: Vec<Cited<'a>> = modules.iter().map(Cited::of_view).collect();
    let (list, cites) = number_cited(&cited);
    for (module, cites) in modules.iter_mut().zip(cites) {
        for (section, cites) in module.sections.iter_mut().zip(cites) {
            section.cites = cites;
        }
    }
    list
}

/// [`number`] of what `modules` cite: the list, and each module's sections' `cites`.
pub fn number_cited<'a>(modules: &[Cited<'a>]) -> (Vec<ReferenceView<'a>>, Cites) {
    let mut list: Vec<ReferenceView<'a>> = Vec::new();
    // By citation and URL: a lookup per citation, not a scan of the list.
    let mut known: std::collections::HashMap<(&'a str, Option<&'a str>), usize> =
        std::collections::HashMap::new();
    let mut place = |citation: &'a str, url: Option<&'a str>| -> usize {
        *known.entry((citation, url)).or_insert_with(|| {
            let number = list.len() + 1;
            list.push(ReferenceView {
                number,
                anchor: format!("ref-{number}"),
                citation,
                url,
            });
            number
        })
    };
    let mut all = Vec::with_capacity(modules.len());
    for module in modules {
        let mut sections = Vec::with_capacity(module.sections.len());
        for ids in &module.sections {
            let mut cites: Vec<CiteView> = Vec::new();
            for id in ids {
                let Some(&(_, citation, url)) = module.sources.iter().find(|s| s.0 == *id) else {
                    continue;
                };
                let number = place(citation, url);
                if !cites.iter().any(|c| c.number == number) {
                    cites.push(CiteView {
                        number,
                        anchor: format!("ref-{number}"),
                    });
                }
            }
            cites.sort_by_key(|c| c.number);
            sections.push(cites);
        }
        all.push(sections);
    }
    for module in modules {
        for &(_, citation, url) in &module.sources {
            place(citation, url);
        }
    }
    (list, all)
}
