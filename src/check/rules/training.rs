//! Rules on scored evaluations: rating scales, pass standards, anchors, the class size every
//! learner must perform in, outside standards and instructor ratios.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Activity, Course, EvaluationSettings, ModuleFile, Spanned};
use crate::source::FileId;

/// `class_size`, `[evaluation]`, `[instructors]` and `[[standards]]` of `course.toml`.
pub(super) fn course_rules(
    file: FileId,
    course: &Course,
    modules: &[ModuleFile],
    out: &mut Vec<Diagnostic>,
) {
    if let Some(evaluation) = &course.evaluation {
        if let Some(scale) = &evaluation.scale {
            scale_rules(file, scale, out);
        }
        let scale = evaluation
            .scale
            .as_ref()
            .map(|s| s.iter().map(|r| r.to_string()).collect::<Vec<_>>());
        let scale =
            scale.unwrap_or_else(|| crate::model::DEFAULT_SCALE.map(str::to_owned).to_vec());
        pass_rules(
            file,
            evaluation.pass_rating.as_ref(),
            evaluation.pass_percent.as_ref(),
            &scale,
            out,
        );
    }
    let zero = [
        (course.class_size.as_ref(), "class_size"),
        (
            course
                .instructors
                .as_ref()
                .and_then(|i| i.evaluators.as_ref()),
            "evaluators",
        ),
        (
            course
                .instructors
                .as_ref()
                .and_then(|i| i.learners_per_instructor.as_ref()),
            "learners_per_instructor",
        ),
    ];
    for (value, key) in zero {
        if let Some(value) = value.filter(|v| ***v == 0) {
            out.push(setting(
                file,
                value.span(),
                format!("`{key}` is 0"),
                "a count of people is at least 1",
            ));
        }
    }
    let objectives: BTreeSet<&str> = modules
        .iter()
        .flat_map(|m| &m.module.objectives)
        .map(|o| o.id.as_str())
        .collect();
    for standard in &course.standards {
        for reference in &standard.objectives {
            if !objectives.contains(reference.as_str()) {
                out.push(
                    Diagnostic::error(
                        Code::UnknownObjective,
                        format!(
                            "standard {} names unknown objective \"{}\"",
                            *standard.id,
                            reference.as_str()
                        ),
                    )
                    .at(file, reference.span())
                    .label("no module has an objective with this id")
                    .help("name the id of an [[objectives]] entry of one of the course's modules"),
                );
            }
        }
    }
}

/// The scored evaluation of each activity of `module`, and whether a class fits its minutes.
pub(super) fn activity_rules(
    module: &ModuleFile,
    course: Option<&Course>,
    out: &mut Vec<Diagnostic>,
) {
    let file = module.file;
    let defaults = course.and_then(|c| c.evaluation.as_ref());
    for activity in &module.module.activities {
        criteria_rules(file, activity, defaults, out);
        counts_rules(file, activity, out);
        let class_size = course.and_then(|c| c.class_size.as_deref()).copied();
        if let Some(class_size) = class_size.filter(|&n| n > 0) {
            let instructors = course.and_then(|c| c.instructors.as_ref());
            out.extend(class_fit(file, activity, class_size, instructors));
        }
    }
}

fn criteria_rules(
    file: FileId,
    activity: &Activity,
    defaults: Option<&EvaluationSettings>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(scale) = &activity.scale {
        scale_rules(file, scale, out);
    }
    let scale = activity.rating_scale(defaults);
    pass_rules(
        file,
        activity.pass_rating.as_ref(),
        activity.pass_percent.as_ref(),
        &scale,
        out,
    );
    for criterion in &activity.criteria {
        if criterion.text.trim().is_empty() {
            out.push(
                Diagnostic::error(Code::EmptyValue, format!("a criterion of {} has no text", *activity.id))
                    .at(file, criterion.text.span())
                    .help("say what the evaluator rates, e.g. `text = \"Gave a warning before going hands-on\"`"),
            );
        }
        for rating in criterion.anchors.keys() {
            if !scale.iter().any(|r| r == rating.as_str()) {
                out.push(setting(
                    file,
                    rating.span(),
                    format!(
                        "anchor \"{}\" is not a rating of {}'s scale",
                        rating.as_str(),
                        *activity.id
                    ),
                    &format!(
                        "anchors are keyed by the ratings of the scale: {}",
                        quoted(&scale)
                    ),
                ));
            }
        }
    }
}

fn counts_rules(file: FileId, activity: &Activity, out: &mut Vec<Diagnostic>) {
    for (value, key) in [
        (activity.performers.as_ref(), "performers"),
        (activity.run_minutes.as_ref(), "run_minutes"),
        (activity.groups.as_ref(), "groups"),
    ] {
        if let Some(value) = value.filter(|v| ***v == 0) {
            out.push(setting(
                file,
                value.span(),
                format!("`{key}` of {} is 0", *activity.id),
                "write a whole number of at least 1",
            ));
        }
    }
    match (&activity.performers, &activity.run_minutes) {
        (Some(p), None) => out.push(setting(
            file,
            p.span(),
            format!(
                "{} says who performs but not how long a run takes",
                *activity.id
            ),
            "add `run_minutes = ...`: how long one run of the scored role takes",
        )),
        (None, Some(r)) => out.push(setting(
            file,
            r.span(),
            format!(
                "{} says how long a run takes but not how many perform in one",
                *activity.id
            ),
            "add `performers = ...`: how many learners one run puts in the scored role",
        )),
        _ => {}
    }
}

/// W081 when a class of `class_size` cannot all perform in `activity`'s minutes.
pub(crate) fn class_fit(
    file: FileId,
    activity: &Activity,
    class_size: u32,
    instructors: Option<&crate::model::Instructors>,
) -> Option<Diagnostic> {
    if activity.performers.as_deref() == Some(&0) || activity.run_minutes.as_deref() == Some(&0) {
        return None;
    }
    let plan = activity.run_plan(class_size, instructors)?;
    if plan.fits() {
        return None;
    }
    let id = activity.id.as_str();
    let minutes = *activity.minutes;
    let (message, help) = match plan.groups_needed {
        None => (
            format!(
                "one run of {id} takes {} minutes, but the activity has {minutes}",
                plan.run_minutes
            ),
            format!(
                "give {id} at least `minutes = {}`, or shorten `run_minutes`",
                plan.run_minutes
            ),
        ),
        Some(needed) => (
            format!(
                "a class of {class_size} cannot all perform in {id}: {} runs of {} min need {needed} parallel groups in {minutes} minutes, and {} may run",
                plan.runs, plan.run_minutes, plan.groups
            ),
            format!(
                "set `groups = {needed}` (with an evaluator each), give {id} `minutes = {}`, or shorten `run_minutes`",
                plan.runs.div_ceil(plan.groups) * plan.run_minutes
            ),
        ),
    };
    Some(
        Diagnostic::warning(Code::ClassCannotPerform, message)
            .at(file, activity.minutes.span())
            .label("not enough time for every learner to perform")
            .help(help),
    )
}

fn scale_rules(file: FileId, scale: &Spanned<Vec<Spanned<String>>>, out: &mut Vec<Diagnostic>) {
    if scale.len() < 2 {
        out.push(setting(
            file,
            scale.span(),
            "a rating scale needs at least two ratings",
            "e.g. `scale = [\"Not met\", \"Met\"]`, lowest first",
        ));
    }
    let mut seen = BTreeSet::new();
    for rating in scale.iter() {
        if rating.trim().is_empty() {
            out.push(setting(
                file,
                rating.span(),
                "a rating is empty",
                "name each rating, e.g. \"Met\"",
            ));
        } else if !seen.insert(rating.as_str()) {
            out.push(setting(
                file,
                rating.span(),
                format!("rating \"{}\" is listed twice", rating.as_str()),
                "each rating of a scale is named once",
            ));
        }
    }
}

fn pass_rules(
    file: FileId,
    pass_rating: Option<&Spanned<String>>,
    pass_percent: Option<&Spanned<u32>>,
    scale: &[String],
    out: &mut Vec<Diagnostic>,
) {
    if let Some(rating) = pass_rating
        && !scale.iter().any(|r| r == rating.as_str())
    {
        out.push(setting(
            file,
            rating.span(),
            format!("pass rating \"{}\" is not on the scale", rating.as_str()),
            &format!("use one of: {}", quoted(scale)),
        ));
    }
    if let Some(percent) = pass_percent.filter(|p| ***p > 100) {
        out.push(setting(
            file,
            percent.span(),
            format!("`pass_percent` is {}", **percent),
            "a percent of the other criteria is between 0 and 100",
        ));
    }
}

fn setting(file: FileId, span: Range<usize>, message: impl Into<String>, help: &str) -> Diagnostic {
    Diagnostic::error(Code::EvaluationSetting, message)
        .at(file, span)
        .help(help.to_owned())
}

fn quoted(scale: &[String]) -> String {
    scale
        .iter()
        .map(|r| format!("\"{r}\""))
        .collect::<Vec<_>>()
        .join(", ")
}
