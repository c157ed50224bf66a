//! The word lists: whether a lowercase word is an English word, and the
//! Japanese words ([`japanese`]) a run of text without spaces is made of,
//! as evidence for splitting glued rows ([`super::evidence`]).
//!
//! The English list is Wordnik's (about 198,000 English words, no proper
//! nouns), shipped inside the `wordnik_list` crate (MIT; the list itself
//! under Wordnik's licence, see docs/FORMAT.md). The Japanese list is
//! wordfreq's (see [`japanese`]), and so are the Russian and Greek ones
//! (`ru.txt`, `el.txt`: wordfreq 3.1.1's small lists, the words written
//! only in Cyrillic or Greek letters, CC BY-SA 4.0). Nothing is downloaded
//! at build or run time. Proper nouns come from the document's own words
//! instead.

pub mod japanese;

use std::collections::HashSet;
use std::sync::OnceLock;

/// Whether `lower` (lowercase) is a word of the list of its alphabet:
/// English for Latin letters, Russian for Cyrillic, Greek for Greek.
pub fn is_word(lower: &str) -> bool {
    if lower.chars().any(super::names::is_cyrillic) {
        static RU: OnceLock<HashSet<&'static str>> = OnceLock::new();
        return RU
            .get_or_init(|| include_str!("ru.txt").lines().collect())
            .contains(lower);
    }
    if lower.chars().any(super::names::is_greek) {
        static EL: OnceLock<HashSet<&'static str>> = OnceLock::new();
        return EL
            .get_or_init(|| include_str!("el.txt").lines().collect())
            .contains(lower);
    }
    wordnik_list::word_exists(lower)
}
