//! Words: splitting text into content words, crude stemming, and finding a word in the source.

use std::ops::Range;

/// Specific determiners that give a true-false statement away (Haladyna et al. 2002, 31e).
pub(super) const ABSOLUTE: &[&str] = &[
    "always",
    "never",
    "automatically",
    "whatever",
    "whenever",
    "absolutely",
    "completely",
    "entirely",
    "totally",
    "invariably",
    "guarantees",
    "guaranteed",
    "all",
    "none",
    "every",
    "everyone",
    "nobody",
    "nothing",
];

/// Words too common to be a clue.
const STOP: &[&str] = &[
    "about",
    "after",
    "also",
    "because",
    "been",
    "before",
    "being",
    "best",
    "both",
    "does",
    "each",
    "following",
    "from",
    "have",
    "into",
    "just",
    "more",
    "most",
    "must",
    "only",
    "other",
    "should",
    "some",
    "such",
    "than",
    "that",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "under",
    "very",
    "what",
    "when",
    "where",
    "which",
    "while",
    "will",
    "with",
    "would",
    "could",
    "your",
    "statement",
    "true",
    "false",
];

/// Lowercase letters and digits, words separated by one space: for comparing options.
pub(super) fn normalized(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The words of four letters or more that are not function words, lowercased, in order.
pub(super) fn content_words(text: &str) -> Vec<String> {
    normalized(text)
        .split(' ')
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(w) && !w.chars().all(char::is_numeric))
        .map(str::to_owned)
        .collect()
}

/// A crude stem, so "listening" and "listen" meet: a few English suffixes off.
pub(super) fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "s", "ly"] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= 4
        {
            return base.to_owned();
        }
    }
    word.to_owned()
}

/// The byte range, within `span` of `text`, of the first whole-word, case-insensitive
/// occurrence of `word` that `accept` accepts.
pub(super) fn find_word(
    text: &str,
    span: Range<usize>,
    word: &str,
    accept: impl Fn(&Range<usize>) -> bool,
) -> Option<Range<usize>> {
    let end = span.end.min(text.len());
    let start = span.start.min(end);
    let haystack = text.get(start..end)?;
    let lower = haystack.to_ascii_lowercase();
    let is_word = |c: char| c.is_alphanumeric() || c == '\'';
    let mut from = 0;
    while let Some(at) = lower[from..].find(word) {
        let at = from + at;
        let after = at + word.len();
        let before_ok = !lower[..at].chars().next_back().is_some_and(is_word);
        let after_ok = !lower[after..].chars().next().is_some_and(is_word);
        let range = start + at..start + after;
        if before_ok && after_ok && accept(&range) {
            return Some(range);
        }
        from = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_whole_words_only() {
        let text = "prompt = \"Nothing is not knotted\"";
        assert_eq!(
            find_word(text, 0..text.len(), "not", |_| true),
            Some(21..24)
        );
        assert_eq!(
            find_word(text, 0..text.len(), "nothing", |_| true),
            Some(10..17)
        );
        assert_eq!(stem("listening"), "listen");
        assert_eq!(
            content_words("Which of the following de-escalates?"),
            ["escalates"]
        );
    }
}
