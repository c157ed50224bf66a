//! Japanese words and their frequencies, and the segmentation of a run of
//! Japanese text into its most likely words.
//!
//! `japanese.tsv` is wordfreq 3.1.1's large Japanese list (Robyn Speer;
//! data under CC BY-SA 4.0, <https://github.com/rspeer/wordfreq>), kept to
//! the words written only in kanji and kana: 169,646 words, each with its
//! cost, `-ln(frequency)` in tenths. docs/DEVELOPMENT.md gives the command
//! that wrote it. It is read once, the first time a row needs it.
//!
//! Segmentation is the usual unigram model: the split of a run whose words'
//! costs add up to the least, a character nobody knows costing more than
//! any word. A reader of Japanese does the same without thinking: `大膳大夫`
//! is `大膳` and `大夫`, never `大` and `膳大夫`.

use std::collections::HashMap;
use std::sync::OnceLock;

static LIST: &str = include_str!("japanese.tsv");

/// The longest word of the list looked for, in characters.
const LONGEST: usize = 8;

/// What a character the list does not know costs, in tenths: more than the
/// rarest word (184), so that a known word is always preferred.
const UNKNOWN: u32 = 257;

/// What a character of another script (a digit, a bracket) costs: each is
/// a word of its own.
const OTHER: u32 = 207;

fn list() -> &'static HashMap<&'static str, u32> {
    static WORDS: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    WORDS.get_or_init(|| {
        LIST.lines()
            .filter_map(|line| {
                let (word, cost) = line.split_once('\t')?;
                Some((word, cost.parse().ok()?))
            })
            .collect()
    })
}

/// Whether the list knows `word`.
pub fn knows(word: &str) -> bool {
    list().contains_key(word)
}

/// The places (character offsets, 0 and the end left out) where the most
/// likely words of `text` meet.
pub fn boundaries(text: &[char]) -> Vec<usize> {
    let words = list();
    let n = text.len();
    let mut best = vec![u32::MAX; n + 1];
    let mut back = vec![0; n + 1];
    best[0] = 0;
    let mut word = String::new();
    for end in 1..=n {
        for start in end.saturating_sub(LONGEST)..end {
            if best[start] == u32::MAX {
                continue;
            }
            word.clear();
            word.extend(&text[start..end]);
            let cost = match words.get(word.as_str()) {
                Some(&cost) => cost,
                None if end - start == 1
                    && crate::document::names::is_spaceless_char(text[start]) =>
                {
                    UNKNOWN
                }
                None if end - start == 1 => OTHER,
                None => continue,
            };
            if best[start] + cost < best[end] {
                best[end] = best[start] + cost;
                back[end] = start;
            }
        }
    }
    let mut places = Vec::new();
    let mut at = n;
    while at > 0 {
        at = back[at];
        if at > 0 {
            places.push(at);
        }
    }
    places.reverse();
    places
}

/// The most likely words of `text`, in order (`最高の官職` is `最高`, `の`,
/// `官職`); none for an empty text.
pub fn words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.is_empty() {
        return Vec::new();
    }
    let mut from = 0;
    boundaries(&chars)
        .into_iter()
        .chain([chars.len()])
        .map(|at| {
            let word = chars[from..at].iter().collect();
            from = at;
            word
        })
        .collect()
}

/// Every word of the list, in the list's order: for tests that build rows
/// of real words.
#[cfg(test)]
pub fn all() -> &'static [&'static str] {
    static ALL: OnceLock<Vec<&'static str>> = OnceLock::new();
    ALL.get_or_init(|| {
        LIST.lines()
            .filter_map(|line| line.split_once('\t').map(|(word, _)| word))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_split_into_its_likely_words() {
        assert_eq!(words("最高の官職"), ["最高", "の", "官職"]);
        assert_eq!(
            words("大膳大夫、信濃守"),
            ["大膳", "大夫", "、", "信濃", "守"]
        );
        assert_eq!(words("享年49歳"), ["享年", "4", "9", "歳"]);
        assert!(boundaries(&[]).is_empty());
        assert!(words("").is_empty());
    }

    #[test]
    fn the_list_knows_words_and_not_fragments() {
        assert!(knows("太政大臣"));
        assert!(knows("戦い"));
        assert!(!knows("政大"));
    }
}
