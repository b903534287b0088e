//! The draws: which questions go on each knowledge check and exam form, in which order, with
//! which choice order.
//!
//! All randomness comes from ChaCha8 (a fixed, specified stream cipher, pinned through
//! `Cargo.lock`) seeded from the course's seed and a label naming what is being shuffled, so the
//! same source and seed always give the same forms, and changing one module's questions does not
//! reshuffle another module's.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use crate::model::{Bank, ExamSettings, ModuleFile, Question, QuestionKind};

/// Where a displayed choice comes from in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChoiceSource {
    /// The answer (single-choice: always 0) or the i-th of the answers (multiple-choice).
    Answer(usize),
    /// The i-th distractor.
    Distractor(usize),
    /// For true-false: the literal value.
    Bool(bool),
}

impl ChoiceSource {
    /// The source text of the choice.
    pub fn text(self, question: &Question) -> &str {
        match (&question.kind, self) {
            (QuestionKind::SingleChoice { answer, .. }, ChoiceSource::Answer(_)) => {
                answer.get_ref()
            }
            (QuestionKind::MultipleChoice { answers, .. }, ChoiceSource::Answer(i)) => {
                answers[i].get_ref()
            }
            (
                QuestionKind::SingleChoice { distractors, .. }
                | QuestionKind::MultipleChoice { distractors, .. },
                ChoiceSource::Distractor(i),
            ) => distractors[i].get_ref(),
            (_, ChoiceSource::Bool(true)) => "True",
            (_, ChoiceSource::Bool(false)) => "False",
            _ => "",
        }
    }

    /// Whether choosing it is right.
    pub fn is_correct(self, question: &Question) -> bool {
        match (self, &question.kind) {
            (ChoiceSource::Answer(_), _) => true,
            (ChoiceSource::Bool(value), QuestionKind::TrueFalse { answer }) => value == *answer,
            _ => false,
        }
    }
}

/// A question placed in a check or form: its number, the lettered choices in their shuffled
/// order, and for matching questions the shuffled right-hand column.
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    /// Its number in the check or form, from 1.
    pub number: usize,
    /// The module it comes from.
    pub module: &'a ModuleFile,
    /// The question.
    pub question: &'a Question,
    /// Choice and true-false questions; in display order, lettered A, B, C, …
    pub choices: Vec<ChoiceSource>,
    /// Matching questions: indexes of `pairs`, in the order the right-hand items are shown.
    pub right_order: Vec<usize>,
}

impl Placed<'_> {
    /// Letters of the correct choices, in display order.
    pub fn correct_letters(&self) -> Vec<String> {
        self.choices
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_correct(self.question))
            .map(|(i, _)| label(i))
            .collect()
    }

    /// For matching: for each left item (in source order), the letter of its right item.
    pub fn matching_key(&self) -> Vec<String> {
        let n = self.right_order.len();
        (0..n)
            .map(|pair| {
                label(
                    self.right_order
                        .iter()
                        .position(|&r| r == pair)
                        .unwrap_or(0),
                )
            })
            .collect()
    }
}

/// `0` → `A`, for exam forms (at most 26, see E027).
pub fn letter(index: usize) -> char {
    char::from(b'A' + (index % 26) as u8)
}

/// The label of the choice at `index`: `A` … `Z`, then `AA`, `AB` … as spreadsheet columns
/// go, so no two choices of a question share a label however many there are.
pub fn label(index: usize) -> String {
    let mut n = index;
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// One exam form.
#[derive(Debug, Clone)]
pub struct ExamForm<'a> {
    /// `A`, `B`, …
    pub letter: char,
    /// In the order they are printed.
    pub items: Vec<Placed<'a>>,
}

/// A module's practice bank, in source order, with choices shuffled by the course seed.
pub(super) fn knowledge_check(module: &ModuleFile, seed: u64) -> Vec<Placed<'_>> {
    module
        .module
        .questions
        .iter()
        .filter(|q| q.bank == Bank::Practice)
        .enumerate()
        .map(|(i, q)| place(i + 1, module, q, seed, "check"))
        .collect()
}

/// A module's exam bank, in source order, with choices shuffled by the exam seed: the pool an
/// LMS import draws its own quizzes from.
pub(super) fn exam_bank(module: &ModuleFile, seed: u64) -> Vec<Placed<'_>> {
    module
        .module
        .questions
        .iter()
        .filter(|q| q.bank == Bank::Exam)
        .enumerate()
        .map(|(i, q)| place(i + 1, module, q, seed, "bank"))
        .collect()
}

/// The forms `[exam]` asks for, drawn from the modules' exam banks with `seed`.
pub(super) fn exam_forms<'a>(
    modules: &'a [ModuleFile],
    settings: &ExamSettings,
    seed: u64,
) -> Vec<ExamForm<'a>> {
    let forms = *settings.forms as usize;
    (0..forms)
        .map(|form| {
            let form_letter = letter(form);
            let mut drawn: Vec<(&ModuleFile, &Question)> = Vec::new();
            for module in modules {
                let mut bank: Vec<&Question> = module
                    .module
                    .questions
                    .iter()
                    .filter(|q| q.bank == Bank::Exam)
                    .collect();
                let per_module = settings
                    .questions_per_module
                    .as_ref()
                    .map_or(bank.len(), |n| **n as usize);
                shuffle(
                    &mut bank,
                    &mut rng(seed, &format!("draw/{form_letter}/{}", module.id)),
                );
                drawn.extend(bank.into_iter().take(per_module).map(|q| (module, q)));
            }
            shuffle(&mut drawn, &mut rng(seed, &format!("order/{form_letter}")));
            let items = drawn
                .into_iter()
                .enumerate()
                .map(|(i, (module, q))| {
                    place(i + 1, module, q, seed, &format!("form/{form_letter}"))
                })
                .collect();
            ExamForm {
                letter: form_letter,
                items,
            }
        })
        .collect()
}

fn place<'a>(
    number: usize,
    module: &'a ModuleFile,
    question: &'a Question,
    seed: u64,
    purpose: &str,
) -> Placed<'a> {
    let mut rng = rng(seed, &format!("{purpose}/{}", question.id.get_ref()));
    let mut choices = Vec::new();
    let mut right_order = Vec::new();
    match &question.kind {
        QuestionKind::SingleChoice { distractors, .. } => {
            choices.push(ChoiceSource::Answer(0));
            choices.extend((0..distractors.len()).map(ChoiceSource::Distractor));
            shuffle(&mut choices, &mut rng);
        }
        QuestionKind::MultipleChoice {
            answers,
            distractors,
        } => {
            choices.extend((0..answers.len()).map(ChoiceSource::Answer));
            choices.extend((0..distractors.len()).map(ChoiceSource::Distractor));
            shuffle(&mut choices, &mut rng);
        }
        // True before false, always: shuffling them only confuses.
        QuestionKind::TrueFalse { .. } => {
            choices = vec![ChoiceSource::Bool(true), ChoiceSource::Bool(false)]
        }
        QuestionKind::Matching { pairs } => {
            right_order = (0..pairs.len()).collect();
            shuffle(&mut right_order, &mut rng);
        }
        QuestionKind::ShortAnswer { .. } | QuestionKind::Essay { .. } => {}
    }
    Placed {
        number,
        module,
        question,
        choices,
        right_order,
    }
}

/// A generator for one purpose: the seed and a label name it completely.
fn rng(seed: u64, label: &str) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&fnv1a(label.as_bytes()).to_le_bytes());
    ChaCha8Rng::from_seed(key)
}

/// Fisher–Yates, written out so the order depends only on the generator's output.
fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..items.len()).rev() {
        let j = (rng.next_u64() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffles_are_pinned() {
        // If this changes, every published exam form changes: that needs a CHANGELOG entry.
        let mut items: Vec<u32> = (0..8).collect();
        shuffle(&mut items, &mut rng(20261121, "pin"));
        let again = {
            let mut v: Vec<u32> = (0..8).collect();
            shuffle(&mut v, &mut rng(20261121, "pin"));
            v
        };
        assert_eq!(items, again);
        let mut other: Vec<u32> = (0..8).collect();
        shuffle(&mut other, &mut rng(20261122, "pin"));
        assert_ne!(items, other);
        let mut sorted = items.clone();
        sorted.sort();
        assert_eq!(sorted, (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), 'A');
        assert_eq!(letter(25), 'Z');
        let labels: Vec<String> = (0..=703).map(label).collect();
        assert_eq!(labels[..3], ["A", "B", "C"]);
        assert_eq!(labels[25..29], ["Z", "AA", "AB", "AC"]);
        assert_eq!(labels[51..53], ["AZ", "BA"]);
        assert_eq!(labels[701..], ["ZZ", "AAA", "AAB"]);
        let unique: std::collections::BTreeSet<&String> = labels.iter().collect();
        assert_eq!(unique.len(), labels.len());
    }
}
