//! Rules on `[schedule]`: clock times, what each item names, every module scheduled once, and
//! days that run past their end.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{
    Course, ItemKind, ModuleFile, ScheduleItem, Spanned, format_clock, parse_clock,
};
use crate::source::FileId;

/// Every rule of `[schedule]`.
pub(super) fn schedule_rules(
    file: FileId,
    course: &Course,
    modules: &[ModuleFile],
    out: &mut Vec<Diagnostic>,
) {
    let Some(schedule) = &course.schedule else {
        return;
    };
    let listed: Vec<&str> = course.modules.iter().map(|m| m.as_str()).collect();
    let minutes_of = |id: &str| {
        modules
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.module.planned_minutes())
    };
    let exam_minutes = course.exam.as_ref().and_then(|e| e.minutes);
    let mut scheduled = BTreeSet::new();
    let mut exam_seen = false;
    if schedule.days.is_empty() {
        out.push(error(
            file,
            schedule.span(),
            "the schedule has no days",
            "add `[[schedule.days]]` with a `start` time and `items`",
        ));
    }
    for (d, day) in schedule.days.iter().enumerate() {
        let name = day
            .title
            .clone()
            .unwrap_or_else(|| format!("Day {}", d + 1));
        let start = clock(file, &day.start, out);
        let end = day.end.as_ref().and_then(|e| clock(file, e, out));
        if let (Some(start), Some(end), Some(at)) = (start, end, &day.end)
            && end <= start
        {
            out.push(error(
                file,
                at.span(),
                format!(
                    "{name} ends at {} but starts at {}",
                    at.as_str(),
                    day.start.as_str()
                ),
                "a day's `end` is later than its `start`",
            ));
        }
        let mut total = 0;
        for item in &day.items {
            item_rules(
                file,
                item,
                &listed,
                course.exam.is_some(),
                exam_minutes,
                out,
            );
            if let Some(module) = &item.module
                && listed.contains(&module.as_str())
                && !scheduled.insert(module.as_str())
            {
                out.push(error(
                    file,
                    module.span(),
                    format!("module \"{}\" is scheduled twice", module.as_str()),
                    "schedule each module once; split a long day with breaks between modules",
                ));
            }
            if item.exam.as_deref() == Some(&true) {
                if exam_seen {
                    out.push(error(
                        file,
                        item.span(),
                        "the exam is scheduled twice",
                        "schedule `exam = true` once",
                    ));
                }
                exam_seen = true;
            }
            total += item.length(minutes_of, exam_minutes);
        }
        if let (Some(start), Some(end), Some(at)) = (start, end, &day.end)
            && end > start
        {
            let finish = u64::from(start) + total;
            if finish > u64::from(end) {
                let finish = format_clock(u32::try_from(finish).unwrap_or(u32::MAX));
                out.push(
                    Diagnostic::warning(
                        Code::ScheduleOverrun,
                        format!("{name} runs to {finish}, past its end at {}", at.as_str()),
                    )
                    .at(file, at.span())
                    .label(format!("the day's items end at {finish}"))
                    .help(format!(
                        "move an item to another day, shorten a break, or set `end = \"{finish}\"`"
                    )),
                );
            }
        }
    }
    for id in course.modules.iter() {
        if !scheduled.contains(id.as_str())
            && listed.iter().filter(|l| **l == id.as_str()).count() == 1
        {
            out.push(error(
                file,
                id.span(),
                format!("module \"{}\" is in no day of the schedule", id.as_str()),
                &format!(
                    "add `{{ module = \"{}\" }}` to the items of a day",
                    id.as_str()
                ),
            ));
        }
    }
}

fn item_rules(
    file: FileId,
    item: &Spanned<ScheduleItem>,
    listed: &[&str],
    has_exam: bool,
    exam_minutes: Option<u32>,
    out: &mut Vec<Diagnostic>,
) {
    let kinds = item.kinds();
    let [kind] = kinds.as_slice() else {
        let what = if kinds.is_empty() {
            "names nothing"
        } else {
            "names more than one thing"
        };
        out.push(error(file, item.span(), format!("a schedule item {what}"), "give each item exactly one of `module`, `check`, `exam = true`, `break`, `meal` or `other`"));
        return;
    };
    let reference = match kind {
        ItemKind::Module => item.module.as_ref(),
        ItemKind::Check => item.check.as_ref(),
        _ => None,
    };
    if let Some(id) = reference
        && !listed.contains(&id.as_str())
    {
        let help = match did_you_mean(id, listed.iter().copied()) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("the course's modules are: {}", listed.join(", ")),
        };
        out.push(error(
            file,
            id.span(),
            format!("the schedule names unknown module \"{}\"", id.as_str()),
            &help,
        ));
    }
    let needs_minutes = match kind {
        ItemKind::Check | ItemKind::Other => true,
        ItemKind::Exam => exam_minutes.is_none(),
        _ => false,
    };
    if needs_minutes && item.minutes.is_none() {
        out.push(error(
            file,
            item.span(),
            "this schedule item needs `minutes`",
            "say how long it takes, e.g. `minutes = 15`",
        ));
    }
    if let Some(minutes) = &item.minutes
        && matches!(kind, ItemKind::Module | ItemKind::Break | ItemKind::Meal)
    {
        out.push(error(file, minutes.span(), "`minutes` is for a check, the exam or another item", "a module takes its sections' and activities' minutes; a break or meal says its minutes itself: `break = 15`"));
    }
    if *kind == ItemKind::Exam && !has_exam {
        out.push(error(
            file,
            item.span(),
            "the schedule places an exam, but the course has no [exam]",
            "add an [exam] table, or remove the item",
        ));
    }
}

/// A day's `"HH:MM"`, or E082.
fn clock(file: FileId, text: &Spanned<String>, out: &mut Vec<Diagnostic>) -> Option<u32> {
    let minutes = parse_clock(text);
    if minutes.is_none() {
        out.push(error(
            file,
            text.span(),
            format!("\"{}\" is not a clock time", text.as_str()),
            "write a 24-hour time in quotes, e.g. `start = \"08:00\"`",
        ));
    }
    minutes
}

fn error(file: FileId, span: Range<usize>, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::error(Code::ScheduleSetting, message)
        .at(file, span)
        .help(help.to_owned())
}
