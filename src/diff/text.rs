//! The report as plain text for a terminal. The Markdown report is the same outline with
//! Markdown marks, so both are written here by one [`Writer`] and differ only in [`Style`].

use super::{
    ActivityChange, Change, ChangeKind, Diff, Edit, FieldChange, ModuleDiff, ModuleSummary,
    QuestionChange, Reprint, SectionChange, shorten,
};

/// Plain text or Markdown marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Style {
    Text,
    Markdown,
}

/// The report for a terminal.
pub fn render_text(diff: &Diff) -> String {
    render(diff, Style::Text)
}

/// How long a quoted value may be on a report line.
const QUOTE: usize = 100;

pub(super) fn render(diff: &Diff, style: Style) -> String {
    let mut w = Writer {
        style,
        out: String::new(),
    };
    w.title(&format!(
        "Changes from {} ({}) to {} ({})",
        w.code(&diff.old.label),
        diff.old.version,
        w.code(&diff.new.label),
        diff.new.version
    ));
    if diff.is_empty() {
        w.line("No changes.");
        return w.out;
    }
    w.summary(diff);
    if !diff.course.is_empty() || !diff.revisions.is_empty() {
        w.heading("Course");
        for f in &diff.course {
            w.field(0, f);
        }
        for r in &diff.revisions {
            let what = format!(
                "revision {} ({}) recorded: {}",
                r.version.as_deref().unwrap_or("?"),
                r.date.as_deref().unwrap_or("no date"),
                shorten(r.summary.as_deref().unwrap_or(""), QUOTE)
            );
            w.bullet(0, &what);
        }
    }
    let list = &diff.modules;
    if !list.added.is_empty() || !list.removed.is_empty() || list.reordered.is_some() {
        w.heading("Modules");
        for m in &list.added {
            w.bullet(0, &format!("added {}", w.module_summary(m)));
        }
        for m in &list.removed {
            w.bullet(0, &format!("removed {}", w.module_summary(m)));
        }
        if let Some(order) = &list.reordered {
            w.bullet(
                0,
                &format!(
                    "reordered: {} → {}",
                    order.old.join(", "),
                    order.new.join(", ")
                ),
            );
        }
    }
    for m in &diff.changed {
        w.module(m);
    }
    if !diff.reprint.is_empty() {
        w.heading("To reprint");
        for r in &diff.reprint {
            w.reprint(r);
        }
    }
    w.out
}

struct Writer {
    style: Style,
    out: String,
}

impl Writer {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn title(&mut self, text: &str) {
        match self.style {
            Style::Text => self.line(text),
            Style::Markdown => self.line(&format!("## {text}")),
        }
        self.line("");
    }

    fn heading(&mut self, text: &str) {
        self.line("");
        match self.style {
            Style::Text => self.line(text),
            Style::Markdown => {
                self.line(&format!("### {text}"));
                self.line("");
            }
        }
    }

    fn bullet(&mut self, depth: usize, text: &str) {
        let indent = match self.style {
            Style::Text => "  ".repeat(depth + 1),
            Style::Markdown => "  ".repeat(depth),
        };
        self.line(&format!("{indent}- {text}"));
    }

    fn code(&self, text: &str) -> String {
        match self.style {
            Style::Text => text.to_owned(),
            Style::Markdown => format!("`{}`", text.replace('`', "'")),
        }
    }

    fn strong(&self, text: &str) -> String {
        match self.style {
            Style::Text => text.to_owned(),
            Style::Markdown => format!("**{text}**"),
        }
    }

    fn quote(&self, text: &str) -> String {
        format!("“{}”", shorten(text, QUOTE))
    }

    fn summary(&mut self, diff: &Diff) {
        let modules = diff.changed.len() + diff.modules.added.len() + diff.modules.removed.len();
        let keys = diff
            .reprint
            .iter()
            .filter(|r| r.answer_key && r.change != ChangeKind::Removed)
            .count();
        let mut parts = vec![format!(
            "{modules} module{} changed",
            if modules == 1 { "" } else { "s" }
        )];
        parts.push(format!(
            "course time {}",
            minutes_change(&diff.minutes).unwrap_or_else(|| format!("{} min", diff.minutes.new))
        ));
        if keys > 0 {
            parts.push(self.strong(&format!(
                "{keys} answer key{} changed",
                if keys == 1 { "" } else { "s" }
            )));
        }
        if !diff.reprint.is_empty() {
            parts.push(format!("{} printed page(s) to reprint", diff.reprint.len()));
        }
        self.line(&format!("{}.", parts.join("; ")));
    }

    fn field(&mut self, depth: usize, f: &FieldChange) {
        let text = match (&f.old, &f.new) {
            (Some(o), Some(n)) => format!("{}: {} → {}", f.field, self.quote(o), self.quote(n)),
            (None, Some(n)) => format!("{} set: {}", f.field, self.quote(n)),
            (Some(o), None) => format!("{} removed (was {})", f.field, self.quote(o)),
            (None, None) => f.field.clone(),
        };
        self.bullet(depth, &text);
    }

    fn module_summary(&self, m: &ModuleSummary) -> String {
        format!(
            "{} {} ({} min, {} objectives, {} sections, {} activities, {} questions)",
            self.code(&m.id),
            self.quote(&m.title),
            m.minutes,
            m.objectives,
            m.sections,
            m.activities,
            m.questions
        )
    }

    fn module(&mut self, m: &ModuleDiff) {
        let heading = format!("Module {} {}", self.code(&m.id), self.quote(&m.title));
        self.heading(&heading);
        if let Some(minutes) = &m.minutes {
            self.bullet(
                0,
                &format!("minutes {}", minutes_change(minutes).unwrap_or_default()),
            );
        }
        for f in &m.fields {
            self.field(0, f);
        }
        for o in &m.objectives {
            let text = match o.change {
                ChangeKind::Reworded => format!(
                    "objective {} reworded: {} → {}",
                    self.code(&o.id),
                    self.quote(o.old.as_deref().unwrap_or("")),
                    self.quote(o.new.as_deref().unwrap_or(""))
                ),
                change => format!(
                    "objective {} {}: {}",
                    self.code(&o.id),
                    change.as_str(),
                    self.quote(o.new.as_deref().or(o.old.as_deref()).unwrap_or(""))
                ),
            };
            self.bullet(0, &text);
        }
        for s in &m.sections {
            self.section(s);
        }
        for t in &m.terms {
            let text = format!(
                "term {} {}{}",
                self.quote(&t.term),
                if t.change == ChangeKind::Reworded {
                    "redefined"
                } else {
                    t.change.as_str()
                },
                t.new
                    .as_deref()
                    .map(|d| format!(": {}", self.quote(d)))
                    .unwrap_or_default()
            );
            self.bullet(0, &text);
        }
        for a in &m.activities {
            self.activity(a);
        }
        for q in &m.questions {
            self.question(q);
        }
        for s in &m.sources {
            let text = format!(
                "source {} {}: {}",
                self.code(&s.id),
                s.change.as_str(),
                self.quote(&s.citation)
            );
            self.bullet(0, &text);
            for f in &s.fields {
                self.field(1, f);
            }
        }
    }

    fn section(&mut self, s: &SectionChange) {
        let mut text = format!("section {} {}", self.quote(&s.title), s.change.as_str());
        if let Some(old) = &s.old_title {
            text.push_str(&format!(" (was {})", self.quote(old)));
        }
        let words = match s.change {
            ChangeKind::Changed if s.word_delta != 0 => Some(format!(
                "{:+} words ({} → {})",
                s.word_delta, s.words.old, s.words.new
            )),
            ChangeKind::Added => Some(format!("{} words", s.words.new)),
            ChangeKind::Removed => Some(format!("{} words", s.words.old)),
            _ => None,
        };
        let mut details: Vec<String> = words.into_iter().collect();
        if let Some(minutes) = &s.minutes {
            details.push(format!(
                "minutes {}",
                minutes_change(&Change {
                    old: u64::from(minutes.old),
                    new: u64::from(minutes.new)
                })
                .unwrap_or_default()
            ));
        }
        if !details.is_empty() {
            text.push_str(&format!(": {}", details.join(", ")));
        }
        self.bullet(0, &text);
        for f in &s.fields {
            self.field(1, f);
        }
        for e in &s.excerpt {
            let text = self.edit(e);
            self.bullet(1, &text);
        }
    }

    fn edit(&self, e: &Edit) -> String {
        let (removed, added) = match self.style {
            Style::Text => (
                (!e.removed.is_empty()).then(|| format!("[-{}-]", e.removed)),
                (!e.added.is_empty()).then(|| format!("{{+{}+}}", e.added)),
            ),
            Style::Markdown => (
                (!e.removed.is_empty()).then(|| format!("~~{}~~", e.removed)),
                (!e.added.is_empty()).then(|| format!("**{}**", e.added)),
            ),
        };
        let parts: Vec<String> = [
            (!e.before.is_empty()).then(|| format!("…{}", e.before)),
            removed,
            added,
            (!e.after.is_empty()).then(|| format!("{}…", e.after)),
        ]
        .into_iter()
        .flatten()
        .collect();
        parts.join(" ")
    }

    fn activity(&mut self, a: &ActivityChange) {
        let text = format!(
            "activity {} {} {}",
            self.code(&a.id),
            self.quote(&a.title),
            a.change.as_str()
        );
        self.bullet(0, &text);
        for f in &a.fields {
            self.field(1, f);
        }
        for r in &a.roles {
            let fields: Vec<&str> = r.fields.iter().map(|f| f.field.as_str()).collect();
            let text = format!(
                "role {} {}{}",
                self.quote(&r.name),
                r.change.as_str(),
                if fields.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", fields.join(", "))
                }
            );
            self.bullet(1, &text);
        }
    }

    fn question(&mut self, q: &QuestionChange) {
        let mut text = format!(
            "question {} ({}) {}",
            self.code(&q.id),
            q.bank,
            q.change.as_str()
        );
        if q.answer_key {
            text.push_str(&format!(": {}", self.strong("answer key changed")));
        }
        self.bullet(0, &text);
        for f in &q.fields {
            self.field(1, f);
        }
    }

    fn reprint(&mut self, r: &Reprint) {
        let what = match r.change {
            ChangeKind::Added => "new, print it",
            ChangeKind::Removed => "withdrawn",
            _ if r.answer_key => "answer key changed",
            _ if r.questions.is_empty() => "questions redrawn or reordered",
            _ => "questions changed",
        };
        let what = if r.answer_key && r.change == ChangeKind::Changed {
            self.strong(what)
        } else {
            what.to_owned()
        };
        let questions = if r.questions.is_empty() || r.change != ChangeKind::Changed {
            String::new()
        } else {
            let ids: Vec<String> = r.questions.iter().map(|q| self.code(q)).collect();
            format!(": {}", ids.join(", "))
        };
        let text = format!(
            "{} ({}): {what}{questions}",
            self.code(&r.artefact),
            r.title
        );
        self.bullet(0, &text);
    }
}

/// `50 → 55 min (+5)`, or `None` when the minutes did not change.
fn minutes_change(m: &Change<u64>) -> Option<String> {
    (m.old != m.new).then(|| {
        format!(
            "{} → {} min ({:+})",
            m.old,
            m.new,
            m.new as i64 - m.old as i64
        )
    })
}
