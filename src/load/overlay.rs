//! A translation file laid over its original: which fields are text, how entries are matched
//! (by `id` or by position), and every way a translation can disagree with the original's
//! structure.
//!
//! The overlay works on the parsed TOML of both files, so the translated module is the original
//! with its text replaced and is then deserialized like any module: everything that is not
//! text (minutes, ids, types, objectives, banks, points) comes from the original and cannot
//! drift.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::FileId;

/// How a translation's entries of one array of tables find their original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Match {
    /// By their `id` value.
    Id,
    /// By their place in the array.
    Position,
}

/// The translatable fields of one kind of table.
#[derive(Debug)]
pub(crate) struct Spec {
    /// As the file writes it, for messages.
    pub(crate) header: &'static str,
    /// String fields.
    pub(crate) text: &'static [&'static str],
    /// Arrays of strings, of any length.
    pub(crate) lists: &'static [&'static str],
    /// Tables of strings whose keys must be the original's (criteria anchors).
    pub(crate) maps: &'static [&'static str],
    /// Nested arrays of tables.
    pub(crate) children: &'static [(&'static str, Match, &'static Spec)],
    /// Questions: `answer`, `distractors` and `pairs` too.
    pub(crate) question: bool,
    /// Whether an entry the translation leaves out is an error rather than a warning.
    pub(crate) required: bool,
    /// Whether leaving the entries out is normal (sources keep their citations).
    pub(crate) optional: bool,
}

const fn spec(header: &'static str, text: &'static [&'static str]) -> Spec {
    Spec {
        header,
        text,
        lists: &[],
        maps: &[],
        children: &[],
        question: false,
        required: false,
        optional: false,
    }
}

pub(crate) static COURSE: Spec = Spec {
    lists: &["prerequisites"],
    children: &[
        ("revisions", Match::Position, &REVISION),
        ("standards", Match::Id, &STANDARD),
    ],
    ..spec(
        "course.toml",
        &["title", "organization", "audience", "purpose"],
    )
};
static REVISION: Spec = spec("[[revisions]]", &["summary", "author", "approved_by"]);
static STANDARD: Spec = spec("[[standards]]", &["title", "body"]);

pub(crate) static HANDOUT: Spec = spec("the handout", &["title", "body", "summary"]);

pub(crate) static MODULE: Spec = Spec {
    lists: &["materials"],
    children: &[
        ("objectives", Match::Id, &OBJECTIVE),
        ("sections", Match::Position, &SECTION),
        ("terms", Match::Position, &TERM),
        ("activities", Match::Id, &ACTIVITY),
        ("questions", Match::Id, &QUESTION),
        ("sources", Match::Id, &SOURCE),
    ],
    ..spec("the module", &["title", "goal"])
};
static OBJECTIVE: Spec = Spec {
    required: true,
    ..spec("[[objectives]]", &["text", "condition", "standard"])
};
static SECTION: Spec = Spec {
    lists: &["key_points"],
    ..spec("[[sections]]", &["title", "body", "instructor_notes"])
};
static TERM: Spec = spec("[[terms]]", &["term", "definition"]);
static ACTIVITY: Spec = Spec {
    lists: &["debrief", "checklist"],
    children: &[
        ("roles", Match::Position, &ROLE),
        ("criteria", Match::Position, &CRITERION),
    ],
    ..spec(
        "[[activities]]",
        &[
            "title",
            "setup",
            "safety",
            "instructor_notes",
            "remediation",
        ],
    )
};
static ROLE: Spec = spec("[[activities.roles]]", &["name", "brief", "private"]);
static CRITERION: Spec = Spec {
    maps: &["anchors"],
    ..spec("[[activities.criteria]]", &["text"])
};
static QUESTION: Spec = Spec {
    question: true,
    required: true,
    ..spec("[[questions]]", &["prompt", "explanation", "rubric"])
};
static SOURCE: Spec = Spec {
    optional: true,
    ..spec("[[sources]]", &["citation"])
};

/// The two files an overlay reads and what it reports.
pub(crate) struct Overlay<'r> {
    pub(crate) original: FileId,
    pub(crate) translation: FileId,
    /// How the translation file is named in messages (`modules/x.es.toml`).
    pub(crate) shown: String,
    pub(crate) out: &'r mut Vec<Diagnostic>,
}

impl Overlay<'_> {
    fn mismatch(&mut self, span: Range<usize>, message: String, help: String) {
        self.out.push(
            Diagnostic::error(Code::TranslationMismatch, message)
                .at(self.translation, span)
                .label("does not match the original")
                .help(help),
        );
    }

    /// Lays `translation` over `original` (a table of kind `spec`), entry by entry.
    pub(crate) fn table<'a>(
        &mut self,
        original: &mut DeTable<'a>,
        translation: &DeTable<'a>,
        spec: &Spec,
        entry: &str,
        entry_span: Range<usize>,
    ) {
        if let Some(stamp) = translation.get("translates") {
            let hash = entry_hash(original, spec);
            match stamp.get_ref() {
                DeValue::String(s) if **s == hash => {}
                DeValue::String(_) => self.out.push(
                    Diagnostic::warning(
                        Code::TranslationStale,
                        format!("the translation of {entry} is stale: the original changed since"),
                    )
                    .at(self.translation, stamp.span())
                    .label(format!("the original's text now hashes to \"{hash}\""))
                    .help("update the translation to the original's new text, then run `coursepack translate DIR --lang <lang> --stamp`"),
                ),
                _ => self.mismatch(
                    stamp.span(),
                    "`translates` must be a string of 8 hex digits".into(),
                    "let `coursepack translate DIR --lang <lang> --stamp` write it".into(),
                ),
            }
        }
        let mut untranslated: Vec<&str> = Vec::new();
        let fields = spec.text.iter().chain(spec.lists).chain(spec.maps);
        let special: &[&str] = if spec.question {
            &["answer", "distractors", "pairs"]
        } else {
            &[]
        };
        for name in fields.chain(special) {
            let translatable = match original.get(*name).map(Spanned::get_ref) {
                Some(DeValue::Boolean(_)) | None => false,
                Some(_) => true,
            };
            if translatable && !translation.contains_key(*name) {
                untranslated.push(name);
            }
        }
        for (key, value) in translation {
            let name = key.get_ref().as_ref();
            if name == "translates" || (name == "id" && entry != spec.header) {
                continue;
            }
            if spec.text.contains(&name) {
                self.text(original, name, value, entry);
            } else if spec.lists.contains(&name) {
                self.list(original, name, value, entry, None);
            } else if spec.maps.contains(&name) {
                self.map(original, name, value, entry);
            } else if spec.question && matches!(name, "answer" | "distractors" | "pairs") {
                self.choice(original, name, value, entry);
            } else if let Some((_, how, child)) = spec.children.iter().find(|c| c.0 == name) {
                self.children(original, name, value, *how, child);
            } else {
                let allowed: Vec<&str> = spec
                    .text
                    .iter()
                    .chain(spec.lists)
                    .chain(spec.maps)
                    .chain(special)
                    .chain(spec.children.iter().map(|c| &c.0))
                    .copied()
                    .collect();
                let help = match did_you_mean(name, allowed.iter().copied()) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => format!(
                        "a translation of {} gives only its text: {}; everything else comes from the original",
                        spec.header,
                        allowed.join(", ")
                    ),
                };
                self.mismatch(
                    key.span(),
                    format!("\"{name}\" is not a translatable field of {}", spec.header),
                    help,
                );
            }
        }
        if spec.question {
            self.answer_is_not_a_distractor(original, entry, entry_span.clone());
        }
        for (name, how, child) in spec.children {
            if translation.contains_key(*name) || child.optional {
                continue;
            }
            if let Some(DeValue::Array(entries)) = original.get(*name).map(Spanned::get_ref) {
                for (i, e) in entries.iter().enumerate() {
                    let label = match (how, e.get_ref()) {
                        (Match::Id, DeValue::Table(t)) => {
                            id_of(t).map_or(String::new(), |(id, _)| format!("\"{id}\""))
                        }
                        _ => format!("number {}", i + 1),
                    };
                    let span = match e.get_ref() {
                        DeValue::Table(t) => id_of(t).map_or(e.span(), |(_, s)| s),
                        _ => e.span(),
                    };
                    self.absent(child, &label, span);
                }
            }
        }
        if !untranslated.is_empty() {
            self.out.push(
                Diagnostic::warning(
                    Code::Untranslated,
                    format!(
                        "{entry} is not fully translated: {}",
                        untranslated.join(", ")
                    ),
                )
                .at(self.translation, entry_span)
                .label("the original's text is used for the rest")
                .help(format!("translate {} here", untranslated.join(", "))),
            );
        }
    }

    /// The original's value of `name`, which the translation's `value` replaces; a mismatch when
    /// the original has none.
    fn slot<'o, 'a>(
        &mut self,
        original: &'o mut DeTable<'a>,
        name: &str,
        value: &Spanned<DeValue<'a>>,
        entry: &str,
    ) -> Option<&'o mut Spanned<DeValue<'a>>> {
        let target = original.get_mut(name);
        if target.is_none() {
            self.mismatch(
                value.span(),
                format!("{entry} has no \"{name}\" in the original"),
                format!("add \"{name}\" to the original first, or remove it here"),
            );
        }
        target
    }

    fn text<'a>(
        &mut self,
        original: &mut DeTable<'a>,
        name: &str,
        value: &Spanned<DeValue<'a>>,
        entry: &str,
    ) {
        let Some(target) = self.slot(original, name, value, entry) else {
            return;
        };
        if !matches!(value.get_ref(), DeValue::String(_)) {
            self.mismatch(
                value.span(),
                format!("\"{name}\" of {entry} must be text"),
                "write the translated text in quotes".into(),
            );
            return;
        }
        *target = value.clone();
    }

    /// An array of strings; `count` is the length it must have, when it must have one.
    fn list<'a>(
        &mut self,
        original: &mut DeTable<'a>,
        name: &str,
        value: &Spanned<DeValue<'a>>,
        entry: &str,
        count: Option<usize>,
    ) {
        let Some(target) = self.slot(original, name, value, entry) else {
            return;
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.mismatch(
                value.span(),
                format!("\"{name}\" of {entry} must be an array of text"),
                "write a list in brackets, as the original does".into(),
            );
            return;
        };
        if !items
            .iter()
            .all(|i| matches!(i.get_ref(), DeValue::String(_)))
        {
            self.mismatch(
                value.span(),
                format!("\"{name}\" of {entry} must hold only text"),
                "write each item in quotes".into(),
            );
            return;
        }
        if let Some(count) = count.filter(|c| *c != items.len()) {
            self.mismatch(
                value.span(),
                format!(
                    "\"{name}\" of {entry} has {} items; the original has {count}",
                    items.len()
                ),
                format!("translate each of the original's {count} items, in the same order"),
            );
            return;
        }
        *target = value.clone();
    }

    fn map<'a>(
        &mut self,
        original: &mut DeTable<'a>,
        name: &str,
        value: &Spanned<DeValue<'a>>,
        entry: &str,
    ) {
        let (Some(target), DeValue::Table(given)) = (original.get_mut(name), value.get_ref())
        else {
            self.mismatch(
                value.span(),
                format!("\"{name}\" of {entry} does not match the original's table"),
                "give the same keys as the original, each with its translated text".into(),
            );
            return;
        };
        let DeValue::Table(target) = target.get_mut() else {
            return;
        };
        for (key, text) in given {
            match target.get_mut(key.get_ref().as_ref()) {
                Some(slot) if matches!(text.get_ref(), DeValue::String(_)) => *slot = text.clone(),
                _ => {
                    let message = format!(
                        "\"{}\" in \"{name}\" of {entry} is not one of the original's keys",
                        key.get_ref()
                    );
                    let out = &mut *self;
                    out.mismatch(
                        key.span(),
                        message,
                        "keep the original's keys (rating names) and translate only the text"
                            .into(),
                    );
                }
            }
        }
    }

    /// A question's `answer`, `distractors` or `pairs`.
    fn choice<'a>(
        &mut self,
        original: &mut DeTable<'a>,
        name: &str,
        value: &Spanned<DeValue<'a>>,
        entry: &str,
    ) {
        let kind = match original.get("type").map(Spanned::get_ref) {
            Some(DeValue::String(t)) => t.to_string(),
            _ => String::new(),
        };
        let Some(current) = original.get(name).map(Spanned::get_ref) else {
            self.mismatch(
                value.span(),
                format!("{entry} has no \"{name}\" in the original"),
                format!("remove \"{name}\" here"),
            );
            return;
        };
        match (name, current) {
            ("answer", DeValue::Boolean(key)) => {
                if !matches!(value.get_ref(), DeValue::Boolean(b) if b == key) {
                    self.mismatch(
                        value.span(),
                        format!("the answer of {entry} is not the original's `{key}`"),
                        format!("a true-false key does not change in translation: write `answer = {key}` or leave it out"),
                    );
                }
            }
            ("answer", DeValue::String(_)) => self.text(original, name, value, entry),
            ("answer", DeValue::Array(_)) if kind == "short-answer" => {
                let empty = matches!(value.get_ref(), DeValue::Array(a) if a.is_empty());
                if empty {
                    self.mismatch(
                        value.span(),
                        format!("the answer of {entry} accepts nothing"),
                        "give at least one accepted answer in the translation's language".into(),
                    );
                } else {
                    self.list(original, name, value, entry, None);
                }
            }
            ("answer" | "distractors", DeValue::Array(items)) => {
                let count = items.len();
                self.list(original, name, value, entry, Some(count));
            }
            ("pairs", DeValue::Array(pairs)) => {
                let count = pairs.len();
                let well_formed = match value.get_ref() {
                    DeValue::Array(given) => given.iter().all(|pair| {
                        matches!(pair.get_ref(), DeValue::Array(p) if p.len() == 2
                            && p.iter().all(|s| matches!(s.get_ref(), DeValue::String(_))))
                    }),
                    _ => false,
                };
                if !well_formed {
                    self.mismatch(
                        value.span(),
                        format!("the pairs of {entry} must be [\"left\", \"right\"] pairs of text"),
                        "translate each pair of the original, in the same order".into(),
                    );
                    return;
                }
                let given = match value.get_ref() {
                    DeValue::Array(given) => given.len(),
                    _ => 0,
                };
                if given != count {
                    self.mismatch(
                        value.span(),
                        format!("{entry} has {given} pairs; the original has {count}"),
                        format!(
                            "translate each of the original's {count} pairs, in the same order"
                        ),
                    );
                    return;
                }
                if let Some(target) = original.get_mut(name) {
                    *target = value.clone();
                }
            }
            _ => self.mismatch(
                value.span(),
                format!("\"{name}\" of {entry} does not have the original's type"),
                "write it as the original does, with the translated text".into(),
            ),
        }
    }

    /// A translated answer that is also a translated distractor would make the question
    /// unanswerable (or the key wrong) in the translation only.
    fn answer_is_not_a_distractor(
        &mut self,
        merged: &DeTable<'_>,
        entry: &str,
        span: Range<usize>,
    ) {
        let strings = |key: &str| -> Vec<String> {
            match merged.get(key).map(Spanned::get_ref) {
                Some(DeValue::String(s)) => vec![s.trim().to_lowercase()],
                Some(DeValue::Array(items)) => items
                    .iter()
                    .filter_map(|i| match i.get_ref() {
                        DeValue::String(s) => Some(s.trim().to_lowercase()),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        let distractors = strings("distractors");
        let answers = strings("answer");
        let shown = match merged.get("answer").map(Spanned::get_ref) {
            Some(DeValue::String(s)) => vec![s.trim().to_owned()],
            Some(DeValue::Array(items)) => items
                .iter()
                .filter_map(|i| match i.get_ref() {
                    DeValue::String(s) => Some(s.trim().to_owned()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        if let Some(both) = answers
            .iter()
            .position(|a| distractors.contains(a))
            .and_then(|i| shown.get(i))
        {
            self.mismatch(
                span,
                format!("in the translation of {entry}, \"{both}\" is both an answer and a distractor"),
                "the answer has moved: keep each translated answer in `answer` and each translated distractor in `distractors`, in the original's places".into(),
            );
        }
    }

    fn children<'a>(
        &mut self,
        original: &mut DeTable<'a>,
        name: &str,
        value: &Spanned<DeValue<'a>>,
        how: Match,
        spec: &Spec,
    ) {
        let (Some(target), DeValue::Array(given)) = (original.get_mut(name), value.get_ref())
        else {
            self.mismatch(
                value.span(),
                format!("the original has no {}", spec.header),
                format!("remove the {} here", spec.header),
            );
            return;
        };
        let DeValue::Array(entries) = target.get_mut() else {
            return;
        };
        match how {
            Match::Position => {
                if given.len() > entries.len() {
                    let extra = given.get(entries.len()).map_or(value.span(), Spanned::span);
                    self.mismatch(
                        extra,
                        format!(
                            "{} {} here; the original has {}",
                            given.len(),
                            spec.header,
                            entries.len()
                        ),
                        format!("{} are matched by position: translate each of the original's, in order", spec.header),
                    );
                }
                for (i, (entry, tr)) in entries.iter_mut().zip(given.iter()).enumerate() {
                    let label = format!("{} number {}", spec.header, i + 1);
                    if let (DeValue::Table(o), DeValue::Table(t)) = (entry.get_mut(), tr.get_ref())
                    {
                        self.table(o, t, spec, &label, tr.span());
                    }
                }
                for (i, entry) in entries.iter().enumerate().skip(given.len()) {
                    let label = format!("number {}", i + 1);
                    self.absent(spec, &label, entry.span());
                }
            }
            Match::Id => self.by_id(entries, given, spec),
        }
    }

    fn by_id<'a>(&mut self, entries: &mut DeArray<'a>, given: &DeArray<'a>, spec: &Spec) {
        let mut seen: Vec<String> = Vec::new();
        for tr in given {
            let DeValue::Table(t) = tr.get_ref() else {
                continue;
            };
            let Some((id, id_span)) = id_of(t) else {
                self.mismatch(
                    tr.span(),
                    format!("a translated entry of {} has no `id`", spec.header),
                    format!(
                        "{} are matched by `id`: give the original's id",
                        spec.header
                    ),
                );
                continue;
            };
            if seen.contains(&id) {
                self.mismatch(
                    id_span,
                    format!("\"{id}\" is translated twice"),
                    "remove one of the two entries".into(),
                );
                continue;
            }
            seen.push(id.clone());
            let found = entries.iter_mut().find(|e| match e.get_ref() {
                DeValue::Table(o) => id_of(o).is_some_and(|(o, _)| o == id),
                _ => false,
            });
            match found.map(|e| e.get_mut()) {
                Some(DeValue::Table(o)) => {
                    let label = format!("\"{id}\"");
                    self.table(o, t, spec, &label, id_span);
                }
                _ => {
                    let known: Vec<String> = entries
                        .iter()
                        .filter_map(|e| match e.get_ref() {
                            DeValue::Table(o) => id_of(o).map(|(id, _)| id),
                            _ => None,
                        })
                        .collect();
                    let help = match did_you_mean(&id, known.iter().map(String::as_str)) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!("the original's {} are: {}", spec.header, known.join(", ")),
                    };
                    self.mismatch(
                        id_span,
                        format!("the original has no {} with id \"{id}\"", spec.header),
                        help,
                    );
                }
            }
        }
        for entry in entries.iter() {
            if let DeValue::Table(o) = entry.get_ref()
                && let Some((id, span)) = id_of(o)
                && !seen.contains(&id)
            {
                self.absent(spec, &format!("\"{id}\""), span);
            }
        }
    }

    /// An entry of the original that the translation leaves out, at the original's entry.
    fn absent(&mut self, spec: &Spec, entry: &str, span: Range<usize>) {
        let shown = &self.shown;
        let diagnostic = if spec.required {
            Diagnostic::error(
                Code::TranslationMismatch,
                format!("{shown} does not translate {} {entry}", spec.header),
            )
            .label(format!("missing from {shown}"))
            .help(format!(
                "every objective and question must be translated: add it to {shown} by its id"
            ))
        } else {
            Diagnostic::warning(
                Code::Untranslated,
                format!("{shown} does not translate {} {entry}", spec.header),
            )
            .label("built in the original language")
            .help(format!("add its translation to {shown}"))
        };
        self.out.push(diagnostic.at(self.original, span));
    }
}

fn id_of(table: &DeTable<'_>) -> Option<(String, Range<usize>)> {
    let id = table.get("id")?;
    match id.get_ref() {
        DeValue::String(s) => Some((s.to_string(), id.span())),
        _ => None,
    }
}

/// The short hash of an entry's own text fields (not its children's): 32-bit FNV-1a over each
/// field's name and value, written as 8 hex digits. What `translates` records.
pub(crate) fn entry_hash(table: &DeTable<'_>, spec: &Spec) -> String {
    let special: &[&str] = if spec.question {
        &["answer", "distractors", "pairs"]
    } else {
        &[]
    };
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u32::from(*b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    for name in spec
        .text
        .iter()
        .chain(spec.lists)
        .chain(spec.maps)
        .chain(special)
    {
        if let Some(value) = table.get(*name) {
            feed(name.as_bytes());
            feed(&[0]);
            feed_value(value.get_ref(), &mut feed);
            feed(&[0]);
        }
    }
    format!("{hash:08x}")
}

fn feed_value(value: &DeValue<'_>, feed: &mut dyn FnMut(&[u8])) {
    match value {
        DeValue::String(s) => feed(s.as_bytes()),
        DeValue::Boolean(b) => feed(if *b { b"true" } else { b"false" }),
        DeValue::Array(items) => {
            for item in items {
                feed_value(item.get_ref(), feed);
                feed(&[0x1f]);
            }
        }
        DeValue::Table(inner) => {
            for (key, item) in inner {
                feed(key.get_ref().as_bytes());
                feed(&[0x1e]);
                feed_value(item.get_ref(), feed);
                feed(&[0x1f]);
            }
        }
        _ => {}
    }
}
