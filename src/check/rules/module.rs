//! Rules within one module: its title, references to objectives and sources, whether every
//! objective is taught and assessed, and whether its minutes add up.

use std::collections::BTreeSet;

use super::choices::choices;
use super::invalid_id;
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::load::{RejectedQuestion, is_valid_id};
use crate::model::{ModuleFile, Spanned};
use crate::source::FileId;

/// What the rules of one module need to see.
pub(super) struct ModuleRules<'a> {
    pub(super) module: &'a ModuleFile,
    pub(super) all: &'a [ModuleFile],
    pub(super) rejected: &'a [RejectedQuestion],
}

impl ModuleRules<'_> {
    /// Every rule of one module.
    pub(super) fn run(&self, out: &mut Vec<Diagnostic>) {
        let file = self.module.file;
        let module = &self.module.module;
        if module.title.trim().is_empty() {
            out.push(
                Diagnostic::error(
                    Code::EmptyValue,
                    format!("module \"{}\" has an empty title", self.module.id),
                )
                .at(file, module.title.span())
                .help("give the module a title"),
            );
        }
        let source_ids = self.sources(out);
        self.references(&source_ids, out);
        for question in &module.questions {
            if question.prompt.trim().is_empty() {
                out.push(
                    Diagnostic::error(
                        Code::EmptyValue,
                        format!("question {} has an empty prompt", *question.id),
                    )
                    .at(file, question.prompt.span())
                    .help("write the question in `prompt`"),
                );
            }
            choices(question, file, out);
        }
        self.coverage(out);
        self.minutes(out);
    }

    fn file(&self) -> FileId {
        self.module.file
    }

    /// The module's source ids, each valid and listed once.
    fn sources(&self, out: &mut Vec<Diagnostic>) -> BTreeSet<&str> {
        let mut source_ids = BTreeSet::new();
        for source in &self.module.module.sources {
            let id = source.id.as_str();
            if !is_valid_id(id) {
                out.push(invalid_id("source id", id, self.file(), source.id.span()));
            } else if !source_ids.insert(id) {
                out.push(
                    Diagnostic::error(Code::DuplicateId, format!("duplicate source id \"{id}\""))
                        .at(self.file(), source.id.span())
                        .help("each [[sources]] entry of a module needs its own id"),
                );
            }
        }
        source_ids
    }

    fn objective_ids(&self) -> BTreeSet<&str> {
        self.module
            .module
            .objectives
            .iter()
            .map(|o| o.id.as_str())
            .collect()
    }

    /// Every objective and source a section, activity or question names exists.
    fn references(&self, source_ids: &BTreeSet<&str>, out: &mut Vec<Diagnostic>) {
        let module = &self.module.module;
        for section in &module.sections {
            for reference in &section.objectives {
                self.objective_reference(reference, out);
            }
            for reference in &section.sources {
                self.source_reference(reference, source_ids, out);
            }
        }
        let others = module
            .activities
            .iter()
            .flat_map(|a| &a.objectives)
            .chain(module.questions.iter().flat_map(|q| &q.objectives))
            .chain(self.rejected.iter().flat_map(|q| &q.objectives));
        for reference in others {
            self.objective_reference(reference, out);
        }
    }

    fn objective_reference(&self, reference: &Spanned<String>, out: &mut Vec<Diagnostic>) {
        let objectives = self.objective_ids();
        let id = reference.as_str();
        if objectives.contains(id) {
            return;
        }
        let diagnostic = Diagnostic::error(
            Code::UnknownObjective,
            format!("unknown objective \"{id}\""),
        )
        .at(self.file(), reference.span())
        .label("no [[objectives]] entry of this module has this id");
        let elsewhere = self
            .all
            .iter()
            .find(|m| m.module.objectives.iter().any(|o| *o.id == id));
        out.push(
            match (elsewhere, did_you_mean(id, objectives.iter().copied())) {
                (Some(other), _) if other.id != self.module.id => diagnostic.help(format!(
                    "\"{id}\" belongs to module \"{}\"; reference an objective of this module",
                    other.id
                )),
                (_, Some(suggestion)) => diagnostic.help(format!("did you mean \"{suggestion}\"?")),
                _ => diagnostic.help(format!(
                    "this module's objectives are: {}",
                    if objectives.is_empty() {
                        "(none)".to_owned()
                    } else {
                        objectives.iter().copied().collect::<Vec<_>>().join(", ")
                    }
                )),
            },
        );
    }

    fn source_reference(
        &self,
        reference: &Spanned<String>,
        source_ids: &BTreeSet<&str>,
        out: &mut Vec<Diagnostic>,
    ) {
        let id = reference.as_str();
        if source_ids.contains(id) {
            return;
        }
        let diagnostic = Diagnostic::error(Code::UnknownSource, format!("unknown source \"{id}\""))
            .at(self.file(), reference.span())
            .label("no [[sources]] entry of this module has this id");
        out.push(match did_you_mean(id, source_ids.iter().copied()) {
            Some(s) => diagnostic.help(format!("did you mean \"{s}\"?")),
            None => diagnostic.help(format!(
                "add a [[sources]] entry with `id = \"{id}\"` and a `citation`"
            )),
        });
    }

    /// Warnings for objectives no section teaches or no question assesses.
    fn coverage(&self, out: &mut Vec<Diagnostic>) {
        let module = &self.module.module;
        let taught: BTreeSet<&str> = module
            .sections
            .iter()
            .flat_map(|s| &s.objectives)
            .map(|o| o.as_str())
            .collect();
        let assessed: BTreeSet<&str> = module
            .questions
            .iter()
            .flat_map(|q| &q.objectives)
            .chain(self.rejected.iter().flat_map(|q| &q.objectives))
            .map(|o| o.as_str())
            .collect();
        for objective in &module.objectives {
            let id = objective.id.as_str();
            if !taught.contains(id) {
                out.push(
                    Diagnostic::warning(
                        Code::ObjectiveNotTaught,
                        format!("objective \"{id}\" is taught by no section"),
                    )
                    .at(self.file(), objective.id.span())
                    .help(format!(
                        "add \"{id}\" to the `objectives` of the section that teaches it"
                    )),
                );
            }
            if !assessed.contains(id) {
                out.push(
                    Diagnostic::warning(
                        Code::ObjectiveNotAssessed,
                        format!("objective \"{id}\" is assessed by no question"),
                    )
                    .at(self.file(), objective.id.span())
                    .help(format!(
                        "add a [[questions]] entry with `objectives = [\"{id}\"]`"
                    )),
                );
            }
        }
    }

    /// A module's `minutes`, when given, equals its sections and activities.
    fn minutes(&self, out: &mut Vec<Diagnostic>) {
        let module = &self.module.module;
        let Some(minutes) = &module.minutes else {
            return;
        };
        let planned = module.planned_minutes();
        if u64::from(**minutes) != planned {
            out.push(
                Diagnostic::error(Code::MinutesMismatch, format!("module \"{}\" is given {} minutes, but its sections and activities add up to {planned}", self.module.id, **minutes))
                    .at(self.file(), minutes.span())
                    .label(format!("sections and activities add up to {planned}"))
                    .help(format!("set `minutes = {planned}`, or change the section and activity timings")),
            );
        }
    }
}
