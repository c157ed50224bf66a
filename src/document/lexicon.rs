//! The word list: whether a lowercase word is an English word, as evidence
//! for splitting glued rows ([`super::evidence`]).
//!
//! The list is Wordnik's (about 198,000 English words, no proper nouns),
//! shipped inside the `wordnik_list` crate (MIT; the list itself under
//! Wordnik's licence, see docs/FORMAT.md): nothing is downloaded at build or run
//! time. Proper nouns come from the document's own words instead.

/// Whether `lower` (lowercase) is a word of the list.
pub fn is_word(lower: &str) -> bool {
    wordnik_list::word_exists(lower)
}
