//! A scored activity's evaluation as templates see it: the scale, the criteria with their
//! anchors, the pass standard and remediation. [`EvaluationView`] is for evaluators;
//! [`LearnerCriterion`] is all a learner page may list, and only for criteria not marked
//! `evaluator_only`.

use crate::locale::Catalog;
use serde::Serialize;

use super::Text;
use crate::model::{Activity, DEFAULT_SCALE, DEFAULT_SCALE_MESSAGES, EvaluationSettings};

/// The evaluation of one scored activity, for evaluators.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationView {
    /// The ratings, lowest first.
    pub scale: Vec<String>,
    /// The lowest rating that meets a criterion.
    pub pass_rating: String,
    /// Percent of the non-critical criteria that must be met.
    pub pass_percent: u32,
    /// How many non-critical criteria must be met.
    pub others_needed: usize,
    /// How many criteria are critical, and how many are not.
    pub critical_count: usize,
    /// Non-critical criteria.
    pub other_count: usize,
    /// The pass standard in one sentence.
    pub pass_standard: String,
    /// `remediation` (the activity's, else `[evaluation]`'s), rendered.
    pub remediation: Option<Text>,
    /// `[[activities.criteria]]`, numbered.
    pub criteria: Vec<CriterionView>,
    /// Learners in the scored role per run, when given.
    pub performers: Option<u32>,
    /// Minutes of one run, when given.
    pub run_minutes: Option<u32>,
}

/// One criterion on the form.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionView {
    /// Its number on the form, from 1.
    pub number: usize,
    /// `text`.
    pub text: String,
    /// `critical`.
    pub critical: bool,
    /// `evaluator_only`.
    pub evaluator_only: bool,
    /// `anchors`, in scale order: `(rating, what it looks like)`.
    pub anchors: Vec<(String, String)>,
}

/// A criterion as a learner page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct LearnerCriterion {
    /// `text`.
    pub text: String,
    /// `critical`.
    pub critical: bool,
}

impl EvaluationView {
    /// The evaluation of `activity`, when it has criteria, with the course's defaults.
    pub fn new(
        activity: &Activity,
        defaults: Option<&EvaluationSettings>,
        prefix: &str,
        catalog: &Catalog,
    ) -> Option<Self> {
        if activity.criteria.is_empty() {
            return None;
        }
        // The built-in default scale is the tool's own words, so it is shown in the page's
        // language; a scale the course sets is shown as written. Anchors are keyed by the
        // ratings as the source names them.
        let named = activity.scale.is_some() || defaults.is_some_and(|d| d.scale.is_some());
        let shown = |rating: &str| -> String {
            let message = DEFAULT_SCALE
                .iter()
                .position(|r| *r == rating)
                .filter(|_| !named)
                .map(|i| DEFAULT_SCALE_MESSAGES[i]);
            message.map_or_else(|| rating.to_owned(), |id| catalog.text(id))
        };
        let scale = activity.rating_scale(defaults);
        let pass_percent = activity.pass_percent(defaults);
        let critical_count = activity.criteria.iter().filter(|c| c.critical).count();
        let other_count = activity.criteria.len() - critical_count;
        let others_needed = (other_count * pass_percent as usize).div_ceil(100);
        let pass_rating = shown(&activity.pass_rating(defaults));
        let pass_standard = pass_standard(
            catalog,
            &pass_rating,
            critical_count,
            other_count,
            others_needed,
            pass_percent,
        );
        let remediation = activity
            .remediation
            .as_deref()
            .or_else(|| defaults.and_then(|d| d.remediation.as_deref()))
            .map(|r| Text::block(r, 4, &format!("{prefix}-rem")));
        let criteria = activity
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| CriterionView {
                number: i + 1,
                text: c.text.to_string(),
                critical: c.critical,
                evaluator_only: c.evaluator_only,
                anchors: scale
                    .iter()
                    .filter_map(|r| {
                        c.anchors
                            .iter()
                            .find(|(k, _)| k.as_str() == r)
                            .map(|(_, v)| (shown(r), v.clone()))
                    })
                    .collect(),
            })
            .collect();
        Some(EvaluationView {
            scale: scale.iter().map(|r| shown(r)).collect(),
            pass_rating,
            pass_percent,
            others_needed,
            critical_count,
            other_count,
            pass_standard,
            remediation,
            criteria,
            performers: activity.performers.as_deref().copied(),
            run_minutes: activity.run_minutes.as_deref().copied(),
        })
    }

    /// What a learner page may list: the criteria not marked `evaluator_only`.
    pub fn learner_criteria(&self) -> Vec<LearnerCriterion> {
        self.criteria
            .iter()
            .filter(|c| !c.evaluator_only)
            .map(|c| LearnerCriterion {
                text: c.text.clone(),
                critical: c.critical,
            })
            .collect()
    }
}

fn pass_standard(
    catalog: &Catalog,
    rating: &str,
    critical: usize,
    others: usize,
    needed: usize,
    percent: u32,
) -> String {
    let critical = match critical {
        0 => String::new(),
        1 => catalog.text("pass-critical-one"),
        2 => catalog.text("pass-critical-both"),
        n => catalog.text_with("pass-critical-all", "count", n),
    };
    let others = match (others, needed) {
        (0, _) => String::new(),
        (1, 1) => catalog.text("pass-others-one"),
        (2, 2) => catalog.text("pass-others-both"),
        (n, m) if m == n => catalog.text_with("pass-others-all", "count", n),
        (n, m) => catalog.text_args(
            "pass-others-some",
            &[
                ("needed", m.into()),
                ("count", n.into()),
                ("percent", percent.into()),
            ],
        ),
    };
    let what = match (critical.is_empty(), others.is_empty()) {
        (false, false) => catalog.text_args(
            "pass-both-kinds",
            &[("critical", critical.into()), ("others", others.into())],
        ),
        (false, true) => critical,
        _ => others,
    };
    catalog.text_args(
        "pass-standard",
        &[("what", what.into()), ("rating", rating.to_owned().into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pass_standard_reads_as_a_sentence() {
        assert_eq!(
            pass_standard(&Catalog::english(), "Met", 2, 5, 4, 80),
            "Pass: both critical criteria and at least 4 of the 5 other criteria (80%) rated \"Met\" or better."
        );
        assert_eq!(
            pass_standard(&Catalog::english(), "Met", 1, 0, 0, 100),
            "Pass: the critical criterion rated \"Met\" or better."
        );
        assert_eq!(
            pass_standard(&Catalog::english(), "Yes", 0, 3, 3, 100),
            "Pass: all 3 other criteria rated \"Yes\" or better."
        );
    }
}
