//! What every format writes from: the selected questions, grouped one group per module and
//! bank (or one group for an exam form), each Markdown body rendered to HTML once.

use crate::markdown::{Placement, escape_html, to_html, to_inline_html};
use crate::model::{Bank, Course, ModuleFile, Question, QuestionKind};
use crate::plan::{Placed, Plan};
use crate::source::FileId;

use super::{BankSelection, ExportError, Selection};

/// The selected questions, grouped and rendered: what every format writes from.
#[derive(Debug)]
pub(crate) struct Quiz<'a> {
    pub(crate) course: &'a Course,
    /// The exam form, when one was selected.
    pub(crate) form: Option<char>,
    pub(crate) groups: Vec<Group<'a>>,
}

/// One module's bank, or one exam form: a Moodle category and a Canvas quiz.
#[derive(Debug)]
pub(crate) struct Group<'a> {
    pub(crate) bank: Bank,
    /// Below the course: `practice/communication`, `exam/form-a`.
    pub(crate) path: String,
    /// Human title: `Communication: knowledge check`.
    pub(crate) title: String,
    /// HTML: the module goal, or the form's instructions.
    pub(crate) description: String,
    pub(crate) items: Vec<Item<'a>>,
}

/// One question, rendered.
#[derive(Debug)]
pub(crate) struct Item<'a> {
    pub(crate) question: &'a Question,
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
        let groups = match selection.form {
            Some(letter) => vec![form_group(plan, selection, letter)?],
            None => bank_groups(plan, selection),
        };
        Ok(Quiz {
            course: &plan.curriculum.course,
            form: selection.form.map(|c| c.to_ascii_uppercase()),
            groups,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.groups.iter().map(|g| g.items.len()).sum()
    }
}

/// One group per module and bank, shuffled as the plan shuffled the printed checks (practice)
/// and the exam bank.
fn bank_groups<'a>(plan: &'a Plan<'a>, selection: &Selection) -> Vec<Group<'a>> {
    let mut groups = Vec::new();
    for bank in [Bank::Practice, Bank::Exam] {
        if !selection.bank.includes(bank) {
            continue;
        }
        let (placed_by_module, kind) = match bank {
            Bank::Practice => (&plan.checks, "knowledge check"),
            Bank::Exam => (&plan.banks, "exam bank"),
        };
        for (module, placed) in plan.curriculum.modules.iter().zip(placed_by_module) {
            if placed.is_empty() {
                continue;
            }
            groups.push(Group {
                bank,
                path: format!("{}/{}", bank.as_str(), module.id),
                title: format!("{}: {kind}", *module.module.title),
                description: module_description(module),
                items: placed.iter().map(|p| Item::new(p, None)).collect(),
            });
        }
    }
    groups
}

fn form_group<'a>(
    plan: &'a Plan<'a>,
    selection: &Selection,
    letter: char,
) -> Result<Group<'a>, ExportError> {
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
    let width = form.items.len().to_string().len().max(2);
    let items = form
        .items
        .iter()
        .map(|p| Item::new(p, Some(format!("{letter}{:0width$}", p.number))))
        .collect();
    Ok(Group {
        bank: Bank::Exam,
        path: format!(
            "{}/form-{}",
            Bank::Exam.as_str(),
            letter.to_ascii_lowercase()
        ),
        title: format!("Exam form {letter}"),
        description: format!(
            "<p>Exam form {letter}: questions and choices in the order of the printed form.</p>"
        ),
        items,
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
            question,
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
        self.question.id.get_ref()
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

/// Moodle's credit for each choice, in percent, as Moodle writes it (`33.33333`). See the
/// module docs for the rule.
pub(crate) fn choice_credit(multiple: bool, choices: &[Choice]) -> Vec<String> {
    let correct = choices.iter().filter(|c| c.correct).count();
    let wrong = choices.len() - correct;
    choices
        .iter()
        .map(|choice| match (multiple, choice.correct) {
            (false, true) => "100".to_owned(),
            (false, false) => "0".to_owned(),
            (true, true) => percent(correct),
            (true, false) => format!("-{}", percent(wrong)),
        })
        .collect()
}

/// Moodle's grade menu holds 100/n for n up to 10; other values import but are rounded the
/// next time someone edits the question.
pub(crate) fn credit_is_exact(multiple: bool, choices: &[Choice]) -> bool {
    let correct = choices.iter().filter(|c| c.correct).count();
    !multiple || (correct <= 10 && choices.len() - correct <= 10)
}

/// `100 / n` with at most five decimals and no trailing zeros.
pub(crate) fn percent(n: usize) -> String {
    let text = format!("{:.5}", 100.0 / n.max(1) as f64);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
