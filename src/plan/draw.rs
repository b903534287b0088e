//! The draws: which questions go on each knowledge check and exam form, in which order, with
//! which choice order.
//!
//! All randomness comes from ChaCha8 (a fixed, specified stream cipher, pinned through
//! `Cargo.lock`) seeded from the course's seed and a label naming what is being shuffled, so the
//! same source and seed always give the same forms, and changing one module's questions does not
//! reshuffle another module's.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use super::blueprint::{self, ModuleDemand};
use crate::model::{Bank, ExamSettings, ModuleFile, Question, QuestionKind};

/// Where a displayed choice comes from in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    /// The text a page prints for the choice: a true-false value in the page's language.
    pub fn display_text<'q>(
        self,
        question: &'q Question,
        catalog: &crate::locale::Catalog,
    ) -> std::borrow::Cow<'q, str> {
        match self {
            ChoiceSource::Bool(true) => catalog.text("true").into(),
            ChoiceSource::Bool(false) => catalog.text("false").into(),
            _ => self.text(question).into(),
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

/// The forms `[exam]` asks for, assembled module by module to the blueprint (see
/// [`super::blueprint`]) with `seed`: every form covers what the blueprint asks, takes the same
/// number of items from each module, and shares an item with another form only when the bank
/// is too small to do otherwise. Then each form is shuffled, its single-choice keys spread
/// evenly over the letters, and no matching key pattern repeats on it.
pub(super) fn exam_forms<'a>(
    modules: &'a [ModuleFile],
    settings: &ExamSettings,
    seed: u64,
) -> Vec<ExamForm<'a>> {
    let forms = (*settings.forms as usize).max(1);
    let mut drawn: Vec<Vec<(&ModuleFile, &Question)>> = vec![Vec::new(); forms];
    for demand in blueprint::demands(modules, settings) {
        let picks = draw_module(&demand, forms, seed);
        for (form, picks) in drawn.iter_mut().zip(picks) {
            form.extend(picks.into_iter().map(|i| (demand.module, demand.bank[i])));
        }
    }
    drawn
        .into_iter()
        .enumerate()
        .map(|(form, mut drawn)| {
            let form_letter = letter(form);
            shuffle(&mut drawn, &mut rng(seed, &format!("order/{form_letter}")));
            let purpose = format!("form/{form_letter}");
            let keys = balanced_keys(&drawn, &mut rng(seed, &format!("keys/{form_letter}")));
            let mut patterns: Vec<Vec<usize>> = Vec::new();
            let items = drawn
                .into_iter()
                .zip(keys)
                .enumerate()
                .map(|(i, ((module, q), key))| {
                    let mut placed = place(i + 1, module, q, seed, &purpose);
                    if let Some(key) = key {
                        put_answer_at(&mut placed, key);
                    }
                    if !placed.right_order.is_empty() {
                        unrepeated_pattern(&mut placed, &mut patterns, seed, &purpose);
                    }
                    placed
                })
                .collect();
            ExamForm {
                letter: form_letter,
                items,
            }
        })
        .collect()
}

/// Indexes into `demand.bank` for each form: first a cover of the blueprint's needs (preferring
/// items no other form holds), then items up to the module's count, preferring unused items
/// and then ones that keep the forms parallel in type and objectives.
fn draw_module(demand: &ModuleDemand<'_>, forms: usize, seed: u64) -> Vec<Vec<usize>> {
    let bank = &demand.bank;
    let mut order: Vec<usize> = (0..bank.len()).collect();
    shuffle(
        &mut order,
        &mut rng(seed, &format!("draw/{}", demand.module.id)),
    );
    let count = demand.count.min(bank.len());
    let mut uses = vec![0u32; bank.len()];
    let mut picks: Vec<Vec<usize>> = Vec::with_capacity(forms);
    let source_order: Vec<usize> = (0..bank.len()).collect();
    for _ in 0..forms {
        let penalty = |i: usize| uses[i];
        let cover = [true, false]
            .into_iter()
            .filter_map(|first| {
                blueprint::greedy_cover(bank, &demand.needs, &penalty, first, &order)
            })
            .chain(blueprint::greedy_cover(
                bank,
                &demand.needs,
                &|_| 0,
                false,
                &source_order,
            ))
            .find(|c| c.len() <= count)
            .unwrap_or_default();
        let mut form = cover;
        while form.len() < count {
            let reference = picks.first();
            let parallel = |i: usize| -> u32 {
                let Some(reference) = reference else { return 0 };
                let q = bank[i];
                let kind = q.question_type();
                let on = |set: &[usize], f: &dyn Fn(&Question) -> bool| {
                    set.iter().filter(|&&j| f(bank[j])).count()
                };
                let same_type = |o: &Question| o.question_type() == kind;
                let type_gap = on(reference, &same_type) > on(&form, &same_type);
                let objective_gap = q.objectives.iter().any(|o| {
                    let has = |x: &Question| blueprint::assesses(x, o);
                    on(reference, &has) > on(&form, &has)
                });
                2 * u32::from(!type_gap) + u32::from(!objective_gap)
            };
            // The last pick evens the module's points with the first form's when it can: the
            // same total points matters more than one item fewer in common.
            let points = |set: &[usize]| set.iter().map(|&j| bank[j].points).sum::<u32>();
            let gap = reference
                .filter(|_| form.len() + 1 == count)
                .map(|r| points(r).checked_sub(points(&form)));
            let evens = |i: usize| match gap {
                Some(gap) => gap != Some(bank[i].points),
                None => false,
            };
            let Some(next) = order
                .iter()
                .enumerate()
                .filter(|&(_, &i)| !form.contains(&i))
                .min_by_key(|&(rank, &i)| (evens(i), uses[i], parallel(i), rank))
                .map(|(_, &i)| i)
            else {
                break;
            };
            form.push(next);
        }
        if let Some(reference) = picks.first() {
            even_points(demand, reference, &mut form, &uses, &order);
        }
        for &i in &form {
            uses[i] += 1;
        }
        picks.push(form);
    }
    picks
}

/// When `form` and `reference` differ in points, swaps one item of `form` for one it lacks (the
/// least used, then the first in `order`) so both total the same and every need is still met.
fn even_points(
    demand: &ModuleDemand<'_>,
    reference: &[usize],
    form: &mut [usize],
    uses: &[u32],
    order: &[usize],
) {
    let bank = &demand.bank;
    let points = |set: &[usize]| set.iter().map(|&j| i64::from(bank[j].points)).sum::<i64>();
    let gap = points(reference) - points(form);
    if gap == 0 {
        return;
    }
    let meets = |set: &[usize]| {
        demand.needs.iter().all(|n| {
            set.iter()
                .filter(|&&j| blueprint::assesses(bank[j], n.objective))
                .count()
                >= n.per_form
        })
    };
    let mut best: Option<(u32, usize, usize, usize)> = None;
    for slot in 0..form.len() {
        for (rank, &y) in order.iter().enumerate() {
            if form.contains(&y)
                || i64::from(bank[y].points) - i64::from(bank[form[slot]].points) != gap
            {
                continue;
            }
            let mut trial = form.to_vec();
            trial[slot] = y;
            if meets(&trial) && best.is_none_or(|(u, r, _, _)| (uses[y], rank) < (u, r)) {
                best = Some((uses[y], rank, slot, y));
            }
        }
    }
    if let Some((_, _, slot, y)) = best {
        form[slot] = y;
    }
}

/// For each drawn item, the position of its correct choice when it is a single-choice item:
/// the items offering fewest choices first, each takes the least-used position it offers (ties
/// broken by `rng`), so every letter is within one of an even share.
fn balanced_keys(drawn: &[(&ModuleFile, &Question)], rng: &mut ChaCha8Rng) -> Vec<Option<usize>> {
    let mut keys = vec![None; drawn.len()];
    let mut single: Vec<(usize, usize)> = drawn
        .iter()
        .enumerate()
        .filter_map(|(i, (_, q))| match &q.kind {
            QuestionKind::SingleChoice { distractors, .. } => Some((distractors.len() + 1, i)),
            _ => None,
        })
        .collect();
    single.sort();
    let mut used: Vec<usize> = Vec::new();
    for (choices, i) in single {
        if used.len() < choices {
            used.resize(choices, 0);
        }
        let least = used[..choices].iter().copied().min().unwrap_or(0);
        let mut open: Vec<usize> = (0..choices).filter(|&p| used[p] == least).collect();
        shuffle(&mut open, rng);
        let position = open[0];
        used[position] += 1;
        keys[i] = Some(position);
    }
    keys
}

/// Moves a single-choice item's answer to `position`, keeping the distractors' shuffled order.
fn put_answer_at(placed: &mut Placed<'_>, position: usize) {
    placed
        .choices
        .retain(|c| !matches!(c, ChoiceSource::Answer(_)));
    let position = position.min(placed.choices.len());
    placed.choices.insert(position, ChoiceSource::Answer(0));
}

/// Reshuffles a matching item's right column until its key is not one an earlier matching item
/// on the form has (while another order exists), and records it.
fn unrepeated_pattern(
    placed: &mut Placed<'_>,
    patterns: &mut Vec<Vec<usize>>,
    seed: u64,
    purpose: &str,
) {
    let mut rng = rng(
        seed,
        &format!("{purpose}/{}/pattern", placed.question.id.as_str()),
    );
    let possible: usize = (1..=placed.right_order.len()).product::<usize>().min(64);
    let mut tries = 0;
    while patterns.contains(&placed.right_order) && tries < 8 * possible {
        shuffle(&mut placed.right_order, &mut rng);
        tries += 1;
    }
    patterns.push(placed.right_order.clone());
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
    fnv1a_from(FNV_OFFSET, bytes)
}

/// FNV-1a's starting value.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a, continued from `hash` over `bytes`.
pub(crate) fn fnv1a_from(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &b| {
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
