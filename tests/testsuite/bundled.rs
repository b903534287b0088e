//! The curricula that ship with coursepack: they check clean and meet the content counts.

use crate::harness::{coursepack, repo};

#[test]
fn the_bundled_curricula_check_clean_with_deny_warnings() {
    for course in ["police-community-relations", "roll-call-de-escalation"] {
        let dir = repo().join("curricula").join(course);
        let run = coursepack(&dir, &["check", "--deny-warnings"]);
        assert_eq!(run.code, 0, "{course}:\n{}", run.stderr);
        assert!(
            run.stderr.starts_with("0 errors, 0 warnings in "),
            "{}",
            run.stderr
        );
    }
}

/// The counts issue #4 asks of every module of the main course, read from the source itself.
#[test]
fn every_module_of_the_main_course_meets_the_content_counts() {
    let dir = repo().join("curricula/police-community-relations");
    let course: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("course.toml")).unwrap()).unwrap();
    let modules = course["modules"].as_array().unwrap();
    assert_eq!(modules.len(), 8);
    let mut total_minutes = 0;
    for id in modules {
        let id = id.as_str().unwrap();
        let module: toml::Table = toml::from_str(
            &std::fs::read_to_string(dir.join(format!("modules/{id}.toml"))).unwrap(),
        )
        .unwrap();
        let list = |key: &str| {
            module
                .get(key)
                .and_then(|v| v.as_array())
                .cloned()
                .unwrap_or_default()
        };
        let objectives = list("objectives");
        assert!(
            (3..=5).contains(&objectives.len()),
            "{id}: {} objectives",
            objectives.len()
        );
        let sections = list("sections");
        assert!(
            (4..=6).contains(&sections.len()),
            "{id}: {} sections",
            sections.len()
        );
        let words: usize = sections
            .iter()
            .map(|s| s["body"].as_str().unwrap().split_whitespace().count())
            .sum();
        assert!(words >= 1200, "{id}: {words} words of learner text");
        assert!(list("terms").len() >= 5, "{id}: terms");
        let activities = list("activities");
        assert!(!activities.is_empty(), "{id}: no activity");
        for activity in &activities {
            let roles = activity["roles"].as_array().unwrap();
            assert!(
                roles.len() >= 2,
                "{id}: an activity with fewer than two roles"
            );
            assert!(
                roles.iter().any(|r| r.get("private").is_some()),
                "{id}: no private brief"
            );
            assert!(
                !activity["checklist"].as_array().unwrap().is_empty(),
                "{id}: no checklist"
            );
            assert!(
                !activity["debrief"].as_array().unwrap().is_empty(),
                "{id}: no debrief"
            );
        }
        let questions = list("questions");
        let bank = |b: &str| {
            questions
                .iter()
                .filter(|q| q.get("bank").and_then(|v| v.as_str()).unwrap_or("practice") == b)
                .count()
        };
        assert!(
            questions.len() >= 12 && bank("practice") >= 6 && bank("exam") >= 6,
            "{id}: question counts"
        );
        let types: std::collections::BTreeSet<&str> = questions
            .iter()
            .map(|q| q["type"].as_str().unwrap())
            .collect();
        assert!(types.len() >= 4, "{id}: types {types:?}");
        for q in &questions {
            assert!(
                q.get("explanation").is_some(),
                "{id}: {} has no explanation",
                q["id"]
            );
        }
        for objective in &objectives {
            let oid = objective["id"].as_str().unwrap();
            let assessed = questions
                .iter()
                .filter(|q| {
                    q["objectives"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|o| o.as_str() == Some(oid))
                })
                .count();
            assert!(
                assessed >= 2,
                "{id}: objective {oid} assessed by {assessed} question(s)"
            );
        }
        assert!(list("sources").len() >= 3, "{id}: sources");
        total_minutes += module["minutes"].as_integer().unwrap();
    }
    assert!(
        (12 * 60..=18 * 60).contains(&total_minutes),
        "course runs {total_minutes} minutes"
    );
}

/// Issue 11: each form of the main course covers every objective that has exam items, the
/// forms carry the same points, and they share only items the bank is too small to double
/// (what `forms-share-items` names, once the course's `[lints]` stops allowing it).
#[test]
fn the_main_course_forms_cover_every_objective_and_share_only_what_the_bank_forces() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("pcr");
    crate::harness::copy_dir(&repo().join("curricula/police-community-relations"), &dir);
    let run = coursepack(&dir, &["build", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let form = |x: &str| -> serde_json::Value {
        serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("out/exam/form-{x}.json"))).unwrap(),
        )
        .unwrap()
    };
    let (a, b) = (form("a"), form("b"));
    let mut banked = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir.join("modules")).unwrap() {
        let module: toml::Table =
            toml::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for q in module["questions"].as_array().unwrap() {
            if q.get("bank").and_then(|b| b.as_str()) == Some("exam") {
                for o in q["objectives"].as_array().unwrap() {
                    banked.insert(o.as_str().unwrap().to_owned());
                }
            }
        }
    }
    assert_eq!(banked.len(), 37);
    let items = |f: &serde_json::Value| f["items"].as_array().unwrap().clone();
    for f in [&a, &b] {
        let tested: std::collections::BTreeSet<String> = items(f)
            .iter()
            .flat_map(|i| i["objectives"].as_array().unwrap().clone())
            .map(|o| o.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(tested, banked, "form {}", f["form"]);
    }
    assert_eq!(a["total_points"], b["total_points"]);
    assert_eq!(a["source_hash"], b["source_hash"]);
    let on_b: std::collections::BTreeSet<String> = items(&b)
        .iter()
        .map(|i| i["question"].as_str().unwrap().to_owned())
        .collect();
    let shared_modules: std::collections::BTreeSet<String> = items(&a)
        .iter()
        .filter(|i| on_b.contains(i["question"].as_str().unwrap()))
        .map(|i| i["module"].as_str().unwrap().to_owned())
        .collect();
    let course = dir.join("course.toml");
    let text = std::fs::read_to_string(&course).unwrap();
    std::fs::write(&course, text.replace("forms-share-items = \"allow\"\n", "")).unwrap();
    let check = coursepack(&dir, &["check"]);
    for module in &shared_modules {
        assert!(
            check
                .stderr
                .contains(&format!("warning[W041]: module \"{module}\"")),
            "{module} shares items the bank could keep apart:\n{}",
            check.stderr
        );
    }
}

/// Issue #12: every role-play and scenario of the main course is scored (criteria with critical
/// items, a pass standard, remediation), the course has a schedule, and each objective its
/// scored activities certify states a condition and a standard.
#[test]
fn the_main_course_scores_every_role_play_and_scenario() {
    let dir = repo().join("curricula/police-community-relations");
    let read = |path: &str| -> toml::Table {
        toml::from_str(&std::fs::read_to_string(dir.join(path)).unwrap()).unwrap()
    };
    let course = read("course.toml");
    let evaluation = course["evaluation"].as_table().unwrap();
    assert!(evaluation["pass_percent"].as_integer().unwrap() > 0);
    assert!(evaluation.contains_key("remediation"));
    assert_eq!(course["schedule"]["days"].as_array().unwrap().len(), 3);
    let mut scored = 0;
    for id in course["modules"].as_array().unwrap() {
        let module = read(&format!("modules/{}.toml", id.as_str().unwrap()));
        for activity in module["activities"].as_array().unwrap() {
            let kind = activity["kind"].as_str().unwrap();
            if kind != "role-play" && kind != "scenario" {
                continue;
            }
            scored += 1;
            let name = activity["id"].as_str().unwrap();
            let criteria = activity["criteria"].as_array().expect(name);
            assert!(criteria.len() >= 6, "{name}: {} criteria", criteria.len());
            let critical = criteria
                .iter()
                .filter(|c| c.get("critical").and_then(|v| v.as_bool()) == Some(true))
                .count();
            assert!(critical >= 2, "{name}: {critical} critical criteria");
            for objective in module["objectives"].as_array().unwrap() {
                let text = objective["text"].as_str().unwrap();
                if text.starts_with("Demonstrate") {
                    assert!(
                        objective.get("condition").is_some() && objective.get("standard").is_some(),
                        "{}: a performance objective without condition and standard",
                        objective["id"]
                    );
                }
            }
        }
    }
    assert_eq!(scored, 8);
    let out = tempfile::tempdir().unwrap();
    let run = crate::harness::coursepack(&dir, &["build", "-o", out.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for activity in [
        "COM-A1", "AL-A1", "CA-A1", "DE-A1", "CR-A1", "PJ-A1", "TA-A1", "TA-A2",
    ] {
        let html = std::fs::read_to_string(
            out.path()
                .join(format!("instructor/evaluations/{activity}.html")),
        )
        .unwrap();
        assert_eq!(
            html.matches("<section class=\"eval-form\"").count(),
            24,
            "{activity}"
        );
    }
}

/// Issue 17: the main course's exam is drawn as the build draws it, and holds what the course
/// claims: each form assesses every objective that has exam items, no item is on two forms and
/// both carry the same points, with the course's seed and with the seeds `build --seed` may be
/// given for a reprint (`check` judges only the course's); and the items' cues stay within the
/// limits of the item-writing checks (W042 course-wide: the
/// answer is the longest option in no more single-choice items than chance plus two standard
/// deviations; W043: 35–65% of true-false keys True, course-wide and in each module with four or
/// more). The limits are those of `src/check/rules/items.rs` and docs/diagnostics.md.
#[test]
fn the_main_course_exam_covers_every_objective_on_every_form_with_no_item_shared() {
    use coursepack::model::{Bank, QuestionKind};
    use std::collections::{BTreeMap, BTreeSet};

    let checked = coursepack::check::check(&coursepack::source::Disk::new(
        repo().join("curricula/police-community-relations"),
    ))
    .expect("the main course checks");
    let curriculum = &checked.curriculum;

    let mut banked: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for module in &curriculum.modules {
        for q in &module.module.questions {
            if q.bank == Bank::Exam {
                for o in &q.objectives {
                    banked
                        .entry(module.id.as_str())
                        .or_default()
                        .insert(o.as_str());
                }
            }
        }
    }
    assert_eq!(banked.len(), 8, "every module has exam items");
    for seed in std::iter::once(None).chain((1..=25).map(Some)) {
        let options = coursepack::plan::Options {
            seed,
            ..Default::default()
        };
        let plan = coursepack::plan::Plan::new(curriculum, &options);
        assert_eq!(plan.forms.len(), 2, "the course asks for two forms");
        let mut on_a_form: BTreeMap<&str, char> = BTreeMap::new();
        let mut points: BTreeMap<&str, [u32; 2]> = BTreeMap::new();
        for (n, form) in plan.forms.iter().enumerate() {
            let mut tested: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for item in &form.items {
                let id = item.question.id.as_str();
                if let Some(other) = on_a_form.insert(id, form.letter) {
                    panic!(
                        "seed {seed:?}: {id} is on form {other} and form {}",
                        form.letter
                    );
                }
                points.entry(item.module.id.as_str()).or_default()[n] += item.question.points;
                for o in &item.question.objectives {
                    tested
                        .entry(item.module.id.as_str())
                        .or_default()
                        .insert(o.as_str());
                }
            }
            assert_eq!(
                tested, banked,
                "seed {seed:?}: form {} leaves objectives with exam items untested",
                form.letter
            );
        }
        for (module, [a, b]) in &points {
            assert_eq!(
                a, b,
                "seed {seed:?}: {module} carries {a} points on form A, {b} on B"
            );
        }
    }

    let (mut single, mut longest, mut expected, mut variance) = (0usize, 0usize, 0f64, 0f64);
    let (mut course_true, mut course_tf) = (0usize, 0usize);
    for module in &curriculum.modules {
        let (mut trues, mut tf) = (0usize, 0usize);
        for q in &module.module.questions {
            match &q.kind {
                QuestionKind::SingleChoice {
                    answer,
                    distractors,
                } => {
                    let len = |s: &str| s.trim().chars().count();
                    let p = 1.0 / (distractors.len() + 1) as f64;
                    single += 1;
                    expected += p;
                    variance += p * (1.0 - p);
                    if distractors.iter().all(|d| len(answer) > len(d)) {
                        longest += 1;
                    }
                }
                QuestionKind::TrueFalse { answer } => {
                    tf += 1;
                    trues += usize::from(*answer);
                }
                _ => {}
            }
        }
        if tf >= 4 {
            let share = trues as f64 / tf as f64;
            assert!(
                (0.35..=0.65).contains(&share),
                "{}: {trues} of {tf} true-false items keyed True",
                module.id
            );
        }
        course_true += trues;
        course_tf += tf;
    }
    let limit = expected + 2.0 * variance.sqrt();
    assert!(
        longest as f64 <= limit,
        "the answer is the longest option in {longest} of {single} single-choice items (limit {limit:.1})"
    );
    let share = course_true as f64 / course_tf as f64;
    assert!(
        (0.35..=0.65).contains(&share),
        "{course_true} of {course_tf} true-false items keyed True"
    );
}
