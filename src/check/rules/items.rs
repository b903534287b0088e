//! Item-writing checks: the cues that let a test-wise learner answer without knowing the
//! content, from Haladyna, Downing & Rodriguez (2002), "A Review of Multiple-Choice
//! Item-Writing Guidelines for Classroom Assessment", Applied Measurement in Education 15(3).
//! Each is a warning (a lint `[lints]` can allow or deny) placed at the words that cue.

mod words;

use std::ops::Range;

use rayon::prelude::*;

use crate::diagnostic::{Code, Diagnostic, Location, Severity};
use crate::load::memo::Memo;
use crate::model::{ModuleFile, Question, QuestionKind, Spanned};
use crate::source::{FileId, Sources};
use words::{ABSOLUTE, content_words, find_word, normalized, stem};

/// A correct option at least this many times the mean distractor length is "markedly longer".
const LONGER: f64 = 1.5;
/// True-false keys outside this share of True are unbalanced.
const TRUE_SHARE: (f64, f64) = (0.35, 0.65);
/// Fewer true-false items than this cannot be balanced, so are not judged.
const TRUE_FALSE_MIN: usize = 4;
/// Options at least this similar (normalized Levenshtein, 0–1) are near-duplicates.
const SIMILAR: f64 = 0.9;
/// Options shorter than this (in letters and digits) are not compared.
const SIMILAR_MIN: usize = 5;

/// Every item-writing check over every question of the course. Each module's checks run in
/// parallel; the course-wide counts are then taken in course order, so the findings are the
/// same, in the same order, as one pass over the course gives.
pub(super) fn item_rules(
    modules: &[ModuleFile],
    sources: &Sources,
    memo: &Memo,
    out: &mut Vec<Diagnostic>,
) {
    let per_module: Vec<ModuleItems<'_>> = modules
        .par_iter()
        .map(|module| module_items(module, sources, memo))
        .collect();
    let mut longest = Longest::default();
    let mut course_tf: Vec<(FileId, &Question, bool)> = Vec::new();
    for module in per_module {
        out.extend(module.found);
        for item in module.longest {
            longest.record(item);
        }
        course_tf.extend(module.true_false);
    }
    if modules.len() > 1 {
        true_false_balance(&course_tf, "the course", out);
    }
    longest.finish(out);
}

/// What one module's questions give the course-wide checks, beside its own findings.
struct ModuleItems<'a> {
    found: Vec<Diagnostic>,
    /// Each single-choice item with distractors, for [`Longest::record`].
    longest: Vec<Choices>,
    true_false: Vec<(FileId, &'a Question, bool)>,
}

/// What one module's questions are found to say alone, as the memo keeps it beside the module
/// (see `load::memo`): the findings and the single-choice items [`Longest`] counts, placed in the
/// module's own file. A module read back with these is not checked item by item again; what
/// they say depends on nothing but the module's text, which the memo's key holds.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct ItemFindings {
    found: Vec<Finding>,
    /// Each [`Choices`] but its file: the answer's span, whether it is longest, the options.
    longest: Vec<(Range<usize>, bool, usize)>,
}

/// A [`Diagnostic`] at a span of the module's own file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Finding {
    severity: Severity,
    code: Code,
    message: String,
    span: Range<usize>,
    label: Option<String>,
    help: Option<String>,
}

impl ItemFindings {
    /// What the memo keeps of `found` and `longest`, all placed in `file`; `None` when any is
    /// not (the module is then checked on every build).
    fn of(found: &[Diagnostic], longest: &[Choices], file: FileId) -> Option<Self> {
        let found = found
            .iter()
            .map(|d| match &d.location {
                Some(Location::Span(at, span)) if *at == file => Some(Finding {
                    severity: d.severity,
                    code: d.code,
                    message: d.message.clone(),
                    span: span.clone(),
                    label: d.label.clone(),
                    help: d.help.clone(),
                }),
                _ => None,
            })
            .collect::<Option<Vec<Finding>>>()?;
        let longest = longest
            .iter()
            .map(|c| (c.file == file).then(|| (c.answer.clone(), c.answer_longest, c.options)))
            .collect::<Option<Vec<_>>>()?;
        Some(ItemFindings { found, longest })
    }

    /// The findings and items again, placed in `file`.
    fn placed(self, file: FileId) -> (Vec<Diagnostic>, Vec<Choices>) {
        let found = self
            .found
            .into_iter()
            .map(|f| Diagnostic {
                severity: f.severity,
                code: f.code,
                message: f.message,
                location: Some(Location::Span(file, f.span)),
                label: f.label,
                help: f.help,
            })
            .collect();
        let longest = self
            .longest
            .into_iter()
            .map(|(answer, answer_longest, options)| Choices {
                file,
                answer,
                answer_longest,
                options,
            })
            .collect();
        (found, longest)
    }
}

fn module_items<'a>(module: &'a ModuleFile, sources: &Sources, memo: &Memo) -> ModuleItems<'a> {
    let true_false = module
        .module
        .questions
        .iter()
        .filter_map(|question| match question.kind {
            QuestionKind::TrueFalse { answer } => Some((module.file, question, answer)),
            _ => None,
        })
        .collect();
    let (found, longest) = match memo.items(&module.id) {
        Some(kept) => kept.placed(module.file),
        None => {
            let (found, longest) = module_findings(module, sources);
            if let Some(kept) = ItemFindings::of(&found, &longest, module.file) {
                memo.found_items(&module.id, kept);
            }
            (found, longest)
        }
    };
    ModuleItems {
        found,
        longest,
        true_false,
    }
}

/// What one module's questions say alone: its findings and its single-choice items.
fn module_findings(module: &ModuleFile, sources: &Sources) -> (Vec<Diagnostic>, Vec<Choices>) {
    let file = module.file;
    let text = &sources.get(file).text;
    let mut found = Vec::new();
    let mut longest = Vec::new();
    let mut true_false = Vec::new();
    for question in &module.module.questions {
        let cx = Item {
            question,
            file,
            text,
        };
        match &question.kind {
            QuestionKind::SingleChoice {
                answer,
                distractors,
            } => {
                cx.longer_answer(answer, distractors, &mut longest, &mut found);
                cx.stem_clue(answer, distractors, &mut found);
                cx.choice_cues(std::slice::from_ref(answer), distractors, &mut found);
            }
            QuestionKind::MultipleChoice {
                answers,
                distractors,
            } => cx.choice_cues(answers, distractors, &mut found),
            QuestionKind::TrueFalse { answer } => {
                cx.absolute_words(&mut found);
                true_false.push((file, question, *answer));
            }
            _ => {}
        }
    }
    true_false_balance(
        &true_false,
        &format!("module \"{}\"", module.id),
        &mut found,
    );
    (found, longest)
}

/// One question and the text of its file, to place diagnostics on words.
struct Item<'a> {
    question: &'a Question,
    file: FileId,
    text: &'a str,
}

impl Item<'_> {
    fn id(&self) -> &str {
        self.question.id.as_str()
    }

    /// Guideline 24: keep the length of choices about equal.
    fn longer_answer(
        &self,
        answer: &Spanned<String>,
        distractors: &[Spanned<String>],
        longest: &mut Vec<Choices>,
        out: &mut Vec<Diagnostic>,
    ) {
        if distractors.is_empty() {
            return;
        }
        let len = |s: &str| s.trim().chars().count();
        let answer_len = len(answer);
        let longest_distractor = distractors.iter().map(|d| len(d)).max().unwrap_or(0);
        let mean =
            distractors.iter().map(|d| len(d)).sum::<usize>() as f64 / distractors.len() as f64;
        longest.push(Choices {
            file: self.file,
            answer: answer.span(),
            answer_longest: answer_len > longest_distractor,
            options: distractors.len() + 1,
        });
        if answer_len > longest_distractor && answer_len as f64 >= LONGER * mean && mean > 0.0 {
            out.push(
                Diagnostic::warning(
                    Code::LongestCorrect,
                    format!(
                        "the answer of {} is {answer_len} characters, {:.1} times its distractors' {mean:.0} on average",
                        self.id(),
                        answer_len as f64 / mean
                    ),
                )
                .at(self.file, answer.span())
                .label("markedly longer than every distractor")
                .help("keep choices about equal in length (Haladyna et al. 2002, guideline 24): trim the answer or give the distractors the same detail"),
            );
        }
    }

    /// Guideline 28b: avoid clang associations, a stem word echoed only in the answer.
    fn stem_clue(
        &self,
        answer: &Spanned<String>,
        distractors: &[Spanned<String>],
        out: &mut Vec<Diagnostic>,
    ) {
        let in_distractors: Vec<String> = distractors
            .iter()
            .flat_map(|d| content_words(d))
            .map(|w| stem(&w))
            .collect();
        let answer_words: Vec<String> = content_words(answer).iter().map(|w| stem(w)).collect();
        let echoed = content_words(&self.question.prompt).into_iter().find(|w| {
            let s = stem(w);
            answer_words.contains(&s) && !in_distractors.contains(&s)
        });
        if let Some(word) = echoed {
            let span =
                find_word(self.text, answer.span(), &word, |_| true).unwrap_or(answer.span());
            out.push(
                Diagnostic::warning(
                    Code::StemClue,
                    format!(
                        "\"{word}\" in the stem of {} is repeated in the answer and in no distractor",
                        self.id()
                    ),
                )
                .at(self.file, span)
                .label("echoes the stem")
                .help("avoid clang associations (Haladyna et al. 2002, guideline 28b): reword the answer, or use the word in a distractor too"),
            );
        }
    }

    /// Guidelines 25 and 26: no "all/none of the above"; 22: no near-duplicate options; 17: a
    /// negative stem emphasized.
    fn choice_cues(
        &self,
        answers: &[Spanned<String>],
        distractors: &[Spanned<String>],
        out: &mut Vec<Diagnostic>,
    ) {
        let options: Vec<&Spanned<String>> = answers.iter().chain(distractors).collect();
        // Each option's normalized text, its length in characters, and its trimmed lower case:
        // made once, not once per pair.
        let forms: Vec<(String, usize, String)> = options
            .iter()
            .map(|option| {
                let text = normalized(option);
                let chars = text.chars().count();
                (text, chars, option.trim().to_lowercase())
            })
            .collect();
        for (option, (text, ..)) in options.iter().zip(&forms) {
            if [
                "all of the above",
                "none of the above",
                "all of these",
                "none of these",
                "both of the above",
                "neither of the above",
            ]
            .iter()
            .any(|phrase| text.contains(phrase))
            {
                out.push(
                    Diagnostic::warning(
                        Code::AllNoneOfTheAbove,
                        format!("{} offers \"{}\"", self.id(), option.trim()),
                    )
                    .at(self.file, option.span())
                    .label("\"of the above\" option")
                    .help("write a plausible distractor instead (Haladyna et al. 2002, guidelines 25 and 26: avoid \"all of the above\", use \"none of the above\" with care)"),
                );
            }
        }
        for (i, later) in options.iter().enumerate() {
            let (b, b_chars, b_lower) = &forms[i];
            let similar = options[..i]
                .iter()
                .zip(&forms)
                .find(|(_, (a, a_chars, a_lower))| {
                    // The same text (case and spaces aside) is already an error (E016, E026); a
                    // few letters or symbols alone are too short to judge.
                    a_lower != b_lower
                        && (*a_chars).min(*b_chars) >= SIMILAR_MIN
                        && strsim::normalized_levenshtein(a, b) >= SIMILAR
                });
            let similar = similar.map(|(earlier, _)| earlier);
            if let Some(earlier) = similar {
                out.push(
                    Diagnostic::warning(
                        Code::SimilarOptions,
                        format!(
                            "two options of {} are nearly the same: \"{}\" and \"{}\"",
                            self.id(),
                            earlier.trim(),
                            later.trim()
                        ),
                    )
                    .at(self.file, later.span())
                    .label("near-duplicate of an earlier option")
                    .help("make every option distinct and plausible (Haladyna et al. 2002, guidelines 22 and 29)"),
                );
            }
        }
        let prompt = &self.question.prompt;
        let plain = |range: &Range<usize>| {
            let word = &self.text[range.clone()];
            let emphasized = self.text[..range.start].ends_with('*')
                || self.text[..range.start].ends_with('_')
                || self.text[..range.start].ends_with("<strong>")
                || self.text[..range.start].ends_with("<em>");
            !emphasized && word.chars().any(char::is_lowercase)
        };
        let negative = ["not", "except"]
            .iter()
            .find_map(|w| find_word(self.text, prompt.span(), w, plain));
        if let Some(span) = negative {
            out.push(
                Diagnostic::warning(
                    Code::NegativeStem,
                    format!(
                        "the stem of {} is negative, and \"{}\" is not emphasized",
                        self.id(),
                        &self.text[span.clone()]
                    ),
                )
                .at(self.file, span)
                .label("easy to miss")
                .help("word the stem positively, or write the negative in capitals and bold, `**NOT**` (Haladyna et al. 2002, guideline 17)"),
            );
        }
    }

    /// Specific determiners ("always", "never") give a true-false statement away.
    fn absolute_words(&self, out: &mut Vec<Diagnostic>) {
        let prompt = &self.question.prompt;
        let found = ABSOLUTE
            .iter()
            .find_map(|w| find_word(self.text, prompt.span(), w, |_| true));
        if let Some(span) = found {
            out.push(
                Diagnostic::warning(
                    Code::AbsoluteWords,
                    format!(
                        "the true-false statement {} says \"{}\"",
                        self.id(),
                        &self.text[span.clone()]
                    ),
                )
                .at(self.file, span)
                .label("an absolute word: test-wise learners answer False")
                .help("avoid specific determiners such as always, never, all, none (Haladyna et al. 2002, guideline 28a): qualify the statement or test the idea another way"),
            );
        }
    }
}

/// Guideline 20 (vary the location of the right answer), for true-false: about half True.
fn true_false_balance(items: &[(FileId, &Question, bool)], what: &str, out: &mut Vec<Diagnostic>) {
    if items.len() < TRUE_FALSE_MIN {
        return;
    }
    let trues = items.iter().filter(|(_, _, a)| *a).count();
    let share = trues as f64 / items.len() as f64;
    if share < TRUE_SHARE.0 || share > TRUE_SHARE.1 {
        let (file, first, _) = items[0];
        out.push(
            Diagnostic::warning(
                Code::TrueFalseBalance,
                format!(
                    "{trues} of the {} true-false items in {what} are keyed True ({:.0}%)",
                    items.len(),
                    share * 100.0
                ),
            )
            .at(file, first.span.clone())
            .label("the first of them")
            .help("key between 35% and 65% of true-false items True (Haladyna et al. 2002, guideline 20, the key's position varied, applied to true-false)"),
        );
    }
}

/// One single-choice item as [`Longest`] counts it.
struct Choices {
    file: FileId,
    /// Where its answer is written.
    answer: Range<usize>,
    /// Whether the answer is longer than every distractor.
    answer_longest: bool,
    options: usize,
}

/// How often the answer is the longest option, course-wide, against what chance gives.
#[derive(Default)]
struct Longest {
    items: usize,
    longest: usize,
    expected: f64,
    variance: f64,
    first: Option<(FileId, Range<usize>)>,
}

impl Longest {
    fn record(&mut self, item: Choices) {
        let Choices {
            file,
            answer: span,
            answer_longest: is_longest,
            options,
        } = item;
        let p = 1.0 / options as f64;
        self.items += 1;
        self.expected += p;
        self.variance += p * (1.0 - p);
        if is_longest {
            self.longest += 1;
            self.first.get_or_insert((file, span));
        }
    }

    /// Warns when the count is more than two standard deviations above chance.
    fn finish(self, out: &mut Vec<Diagnostic>) {
        let limit = self.expected + 2.0 * self.variance.sqrt();
        let Some((file, span)) = self.first else {
            return;
        };
        if self.items >= 4 && self.longest as f64 > limit {
            out.push(
                Diagnostic::warning(
                    Code::LongestCorrect,
                    format!(
                        "the answer is the longest option in {} of {} single-choice items ({:.0}%; chance is {:.0}%)",
                        self.longest,
                        self.items,
                        100.0 * self.longest as f64 / self.items as f64,
                        100.0 * self.expected / self.items as f64
                    ),
                )
                .at(file, span)
                .label("the first such answer")
                .help("test-wise learners pick the longest option; vary which option is longest (Haladyna et al. 2002, guidelines 24 and 28d)"),
            );
        }
    }
}
