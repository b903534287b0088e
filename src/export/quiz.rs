//! What every format writes from: the selected questions, grouped one group per module and
//! bank (or one group for an exam form), each Markdown body rendered to HTML once.

use std::sync::{Arc, OnceLock};

use crate::cache::Fingerprint;

use crate::markdown::{Placement, escape_html, to_html, to_inline_html};
use crate::model::{Bank, Course, ModuleFile, Question, QuestionKind, QuestionType};
use crate::plan::{Placed, Plan};
use crate::source::FileId;

use super::{BankSelection, ExportError, Selection};

/// The selected questions, grouped: what every format writes from. Nothing is rendered yet:
/// each [`Part`] renders its [`Group`] when a writer comes to it, so an export never holds the
/// course's questions rendered at once.
#[derive(Debug)]
pub(crate) struct Quiz<'a> {
    pub(crate) course: &'a Course,
    /// The exam form, when one was selected.
    pub(crate) form: Option<char>,
    /// One per group, in the order the formats write them.
    pub(crate) parts: Vec<Part<'a>>,
    /// The labels of a true-false question's two choices, in the plan's language, for the
    /// formats that print them (QTI).
    pub(crate) true_false: [String; 2],
}

/// What one group is made from: a module's bank, or an exam form.
#[derive(Debug)]
pub(crate) struct Part<'a> {
    pub(crate) bank: Bank,
    /// Below the course: `practice/communication`, `exam/form-a`.
    pub(crate) path: String,
    /// Human title: `Communication: knowledge check`.
    pub(crate) title: String,
    origin: Origin<'a>,
}

#[derive(Debug, Clone)]
enum Origin<'a> {
    /// A module's bank: the module's goal is the description.
    Module(&'a ModuleFile, &'a [Placed<'a>]),
    /// An exam form: its letter, how wide its numbers are, its instructions.
    Form {
        letter: char,
        width: usize,
        description: String,
        items: &'a [Placed<'a>],
    },
}

/// One module's bank, or one exam form: a Moodle category and a Canvas quiz. Its questions are
/// rendered when a writer first asks for them, so a group every writer copies from the last
/// build (see [`super::Keep`]) is never rendered.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    pub(crate) bank: Bank,
    /// Below the course: `practice/communication`, `exam/form-a`.
    pub(crate) path: String,
    /// Human title: `Communication: knowledge check`.
    pub(crate) title: String,
    /// A digest of everything the group is made from: what it renders from and what it is.
    pub(crate) source: u128,
    origin: Origin<'a>,
    rendered: OnceLock<Rendered<'a>>,
}

/// A group's description and questions, rendered.
#[derive(Debug)]
pub(crate) struct Rendered<'a> {
    /// HTML: the module goal, or the form's instructions.
    pub(crate) description: String,
    pub(crate) items: Vec<Item<'a>>,
}

/// One question, rendered.
#[derive(Debug)]
pub(crate) struct Item<'a> {
    /// What the formats write of the question besides its rendered texts.
    pub(crate) question: Facts<'a>,
    /// The module file the question is in, for diagnostics.
    pub(crate) file: FileId,
    /// The question id, or `A07 COM-Q9` in a form (so a bank sorted by name keeps form order).
    pub(crate) name: String,
    /// HTML.
    pub(crate) prompt: String,
    /// HTML of the explanation.
    pub(crate) feedback: Option<String>,
    pub(crate) answer: Answer<'a>,
}

/// What the formats write of a question besides its texts: only these.
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    pub(crate) id: &'a str,
    pub(crate) bank: Bank,
    pub(crate) objectives: Vec<&'a str>,
    pub(crate) points: u32,
    pub(crate) kind: QuestionType,
    /// Where the question is, for what a format cannot carry of it.
    pub(crate) span: std::ops::Range<usize>,
}

impl<'a> Facts<'a> {
    fn of(question: &'a Question) -> Self {
        Facts {
            id: question.id.get_ref(),
            bank: question.bank,
            objectives: question
                .objectives
                .iter()
                .map(|o| o.get_ref().as_str())
                .collect(),
            points: question.points,
            kind: question.question_type(),
            span: question.span.clone(),
        }
    }
}

#[derive(Debug)]
pub(crate) enum Answer<'a> {
    /// Single- and multiple-choice, choices in display order.
    Choice {
        multiple: bool,
        choices: Vec<Choice>,
    },
    TrueFalse(bool),
    /// Accepted answers, as typed (plain text).
    Short(&'a [String]),
    /// Pairs in source order, and the order the right-hand items are shown in.
    Matching {
        pairs: Vec<Pair<'a>>,
        right_order: Vec<usize>,
    },
    Essay {
        /// HTML.
        rubric: String,
        /// HTML.
        model_answer: Option<String>,
    },
}

#[derive(Debug)]
pub(crate) struct Choice {
    /// Inline HTML.
    pub(crate) html: String,
    pub(crate) correct: bool,
}

#[derive(Debug)]
pub(crate) struct Pair<'a> {
    /// Inline HTML, for Moodle.
    pub(crate) left_html: String,
    /// The same as plain text, for Canvas, which shows it as text.
    pub(crate) left_text: String,
    /// Plain text: Moodle and Canvas show right-hand items in a drop-down.
    pub(crate) right: &'a str,
}

impl<'a> Quiz<'a> {
    pub(crate) fn new(plan: &'a Plan<'a>, selection: &Selection) -> Result<Self, ExportError> {
        let parts = match selection.form {
            Some(letter) => vec![form_part(plan, selection, letter)?],
            None => bank_parts(plan, selection),
        };
        Ok(Quiz {
            course: &plan.curriculum.course,
            form: selection.form.map(|c| c.to_ascii_uppercase()),
            parts,
            true_false: [plan.catalog.text("true"), plan.catalog.text("false")],
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.parts.iter().map(Part::len).sum()
    }

    /// Every group, each rendered as it is asked for, for a writer that needs it once.
    pub(crate) fn groups(&self) -> impl Iterator<Item = Arc<Group<'a>>> + '_ {
        self.parts.iter().map(|part| Arc::new(part.group()))
    }
}

impl<'a> Part<'a> {
    fn len(&self) -> usize {
        match &self.origin {
            Origin::Module(_, placed) => placed.len(),
            Origin::Form { items, .. } => items.len(),
        }
    }

    /// The group, its questions not yet rendered.
    pub(crate) fn group(&self) -> Group<'a> {
        Group {
            bank: self.bank,
            path: self.path.clone(),
            title: self.title.clone(),
            source: self.source(),
            origin: self.origin.clone(),
            rendered: OnceLock::new(),
        }
    }

    /// A digest of everything [`Group::rendered`] and the writers read of the part: its bank,
    /// path and title, the module's goal and title or the form's letter, width and
    /// instructions, and each placed question whole, with its number, its choices' order and
    /// its module's file.
    fn source(&self) -> u128 {
        let mut print = Fingerprint::default();
        print.add(self.bank).add(&self.path).add(&self.title);
        let placed = match &self.origin {
            Origin::Module(module, placed) => {
                print
                    .add(0u8)
                    .add(module.file)
                    .add(&module.module.goal)
                    .add(&module.module.title);
                placed
            }
            Origin::Form {
                letter,
                width,
                description,
                items,
            } => {
                print.add(1u8).add(letter).add(width).add(description);
                items
            }
        };
        for p in placed.iter() {
            print
                .add(p.number)
                .add(p.question)
                .add(&p.choices)
                .add(&p.right_order)
                .add(p.module.file);
        }
        print.digest()
    }
}

impl<'a> Group<'a> {
    /// The group's description and questions, rendered the first time they are asked for.
    pub(crate) fn rendered(&self) -> &Rendered<'a> {
        self.rendered.get_or_init(|| match &self.origin {
            Origin::Module(module, placed) => Rendered {
                description: module_description(module),
                items: placed.iter().map(|p| Item::new(p, None)).collect(),
            },
            Origin::Form {
                letter,
                width,
                description,
                items,
            } => Rendered {
                description: description.clone(),
                items: items
                    .iter()
                    .map(|p| Item::new(p, Some(format!("{letter}{:0width$}", p.number))))
                    .collect(),
            },
        })
    }

    /// Where the question `id` of the group is written, without rendering it.
    pub(crate) fn locate(&self, id: &str) -> Option<(FileId, std::ops::Range<usize>)> {
        let placed = match &self.origin {
            Origin::Module(_, placed) => placed,
            Origin::Form { items, .. } => items,
        };
        placed
            .iter()
            .find(|p| p.question.id.get_ref() == id)
            .map(|p| (p.module.file, p.question.span.clone()))
    }
}

/// One group per module and bank, shuffled as the plan shuffled the printed checks (practice)
/// and the exam bank.
fn bank_parts<'a>(plan: &'a Plan<'a>, selection: &Selection) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    for bank in [Bank::Practice, Bank::Exam] {
        if !selection.bank.includes(bank) {
            continue;
        }
        let (placed_by_module, kind) = match bank {
            Bank::Practice => (&plan.checks, plan.catalog.text("lms-knowledge-check")),
            Bank::Exam => (&plan.banks, plan.catalog.text("lms-exam-bank")),
        };
        for (module, placed) in plan.curriculum.modules.iter().zip(placed_by_module) {
            if placed.is_empty() {
                continue;
            }
            parts.push(Part {
                bank,
                path: format!("{}/{}", bank.as_str(), module.id),
                title: format!("{}: {kind}", *module.module.title),
                origin: Origin::Module(module, placed),
            });
        }
    }
    parts
}

fn form_part<'a>(
    plan: &'a Plan<'a>,
    selection: &Selection,
    letter: char,
) -> Result<Part<'a>, ExportError> {
    if selection.bank == BankSelection::Practice {
        return Err(ExportError::FormNeedsExamBank);
    }
    let letter = letter.to_ascii_uppercase();
    if plan.forms.is_empty() {
        return Err(ExportError::NoExam);
    }
    let form = plan
        .forms
        .iter()
        .find(|f| f.letter == letter)
        .ok_or(ExportError::NoSuchForm {
            letter,
            forms: plan.forms.len(),
        })?;
    Ok(Part {
        bank: Bank::Exam,
        path: format!(
            "{}/form-{}",
            Bank::Exam.as_str(),
            letter.to_ascii_lowercase()
        ),
        title: plan
            .catalog
            .text_with("lms-exam-form", "letter", letter.to_string()),
        origin: Origin::Form {
            letter,
            width: form.items.len().to_string().len().max(2),
            description: format!(
                "<p>{}</p>",
                escape_html(&plan.catalog.text_with(
                    "lms-exam-form-description",
                    "letter",
                    letter.to_string()
                ))
            ),
            items: &form.items,
        },
    })
}

fn module_description(module: &ModuleFile) -> String {
    match &module.module.goal {
        Some(goal) => block(goal),
        None => format!("<p>{}</p>", escape_html(module.module.title.get_ref())),
    }
}

impl<'a> Item<'a> {
    fn new(placed: &Placed<'a>, position: Option<String>) -> Self {
        let question = placed.question;
        let id = question.id.get_ref();
        let answer = match &question.kind {
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } => {
                Answer::Choice {
                    multiple: matches!(question.kind, QuestionKind::MultipleChoice { .. }),
                    choices: placed
                        .choices
                        .iter()
                        .map(|&source| Choice {
                            html: to_inline_html(source.text(question)),
                            correct: source.is_correct(question),
                        })
                        .collect(),
                }
            }
            QuestionKind::TrueFalse { answer } => Answer::TrueFalse(*answer),
            QuestionKind::ShortAnswer { accepted } => Answer::Short(accepted),
            QuestionKind::Matching { pairs } => Answer::Matching {
                pairs: pairs
                    .iter()
                    .map(|pair| {
                        let [left, right] = pair.get_ref();
                        let left_html = to_inline_html(left);
                        Pair {
                            left_text: html_to_text(&left_html),
                            left_html,
                            right,
                        }
                    })
                    .collect(),
                right_order: placed.right_order.clone(),
            },
            QuestionKind::Essay {
                rubric,
                model_answer,
            } => Answer::Essay {
                rubric: block(rubric),
                model_answer: model_answer.as_deref().map(block),
            },
        };
        Item {
            question: Facts::of(question),
            file: placed.module.file,
            name: match position {
                Some(position) => format!("{position} {id}"),
                None => id.clone(),
            },
            prompt: block(question.prompt.get_ref()),
            feedback: question.explanation.as_deref().map(block),
            answer,
        }
    }

    pub(crate) fn id(&self) -> &str {
        self.question.id
    }
}

/// A Markdown body as an HTML fragment, without the trailing newline.
fn block(markdown: &str) -> String {
    let mut html = to_html(markdown, Placement::default());
    html.truncate(html.trim_end().len());
    html
}

/// The text of an HTML fragment: tags dropped, the entities pulldown-cmark writes decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The grades Moodle's importer accepts, as fractions of full marks: `question_bank::
/// fraction_options_full()` in Moodle's `lib/questionlib.php`, which `qformat_default::
/// importprocess()` (`question/format.php`) matches every imported answer against with
/// `match_grade_options(…, 'error')`; their negatives and 0 are accepted too (docs/lms.md).
/// The tests hold every credit [`choice_credit`] writes against it.
#[cfg(test)]
pub(crate) const MOODLE_GRADES: [f64; 20] = [
    1.0,
    0.9,
    0.833_333_3,
    0.8,
    0.75,
    0.7,
    0.666_666_7,
    0.6,
    0.5,
    0.4,
    0.333_333_3,
    0.3,
    0.25,
    0.2,
    0.166_666_7,
    0.142_857_1,
    0.125,
    0.111_111_1,
    0.1,
    0.05,
];

/// Whether Moodle's importer accepts `percent` as an answer's grade: within 0.00001 of a grade
/// in its list (as a fraction), as `match_grade_options` tests.
#[cfg(test)]
pub(crate) fn moodle_accepts(percent: &str) -> bool {
    let Ok(value) = percent.parse::<f64>() else {
        return false;
    };
    let fraction = value / 100.0;
    fraction.abs() < 0.000_01
        || MOODLE_GRADES
            .iter()
            .any(|g| (fraction.abs() - g).abs() < 0.000_01)
}

/// The most correct choices a multiple-choice question can have in Moodle: 20 of its smallest
/// grade, 5%, make 100%.
pub(crate) const MOODLE_MOST_CORRECT: usize = 20;

/// Moodle's credit for each choice, in percent, as Moodle writes it (`33.33333`); every value is
/// a grade Moodle's importer accepts (see the module docs for the rule), or `None` when no such
/// set of grades exists (more than [`MOODLE_MOST_CORRECT`] correct choices).
pub(crate) fn choice_credit(multiple: bool, choices: &[Choice]) -> Option<Vec<String>> {
    let correct = choices.iter().filter(|c| c.correct).count();
    let wrong = choices.len() - correct;
    if multiple && correct > MOODLE_MOST_CORRECT {
        return None;
    }
    // Up to 10 correct choices share 100% evenly (100/n is on Moodle's list); 11 to 20 take
    // 10% and 5% in the proportions that sum to 100% (20 - n at 10%, 2n - 20 at 5%).
    let mut tens = if correct > 10 { 20 - correct } else { 0 };
    // Each wrong choice costs the smallest grade of at least 1/wrong, so ticking every box
    // still scores nothing (Moodle never goes below 0).
    let penalty = if wrong <= 10 {
        percent(wrong)
    } else if wrong < 20 {
        "10".to_owned()
    } else {
        "5".to_owned()
    };
    Some(
        choices
            .iter()
            .map(|choice| match (multiple, choice.correct) {
                (false, true) => "100".to_owned(),
                (false, false) => "0".to_owned(),
                (true, true) if correct <= 10 => percent(correct),
                (true, true) if tens > 0 => {
                    tens -= 1;
                    "10".to_owned()
                }
                (true, true) => "5".to_owned(),
                (true, false) => format!("-{penalty}"),
            })
            .collect(),
    )
}

/// `100 / n` with at most five decimals and no trailing zeros.
pub(crate) fn percent(n: usize) -> String {
    let text = format!("{:.5}", 100.0 / n.max(1) as f64);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
