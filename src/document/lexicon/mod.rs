//! The word lists: whether a lowercase word is an English word, and the
//! Japanese words ([`japanese`]) a run of text without spaces is made of,
//! as evidence for splitting glued rows ([`super::evidence`]).
//!
//! The English list is Wordnik's (about 198,000 English words, no proper
//! nouns), shipped inside the `wordnik_list` crate (MIT; the list itself
//! under Wordnik's licence, see docs/FORMAT.md). The Japanese list is
//! wordfreq's (see [`japanese`]). Nothing is downloaded at build or run
//! time. Proper nouns come from the document's own words instead.

pub mod japanese;

/// Whether `lower` (lowercase) is a word of the list.
pub fn is_word(lower: &str) -> bool {
    wordnik_list::word_exists(lower)
}
