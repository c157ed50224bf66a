//! Figures' names: the parts prose names a figure by, surnames, slugs,
//! topic keys, and which figure a paragraph is about.

use super::Document;

/// The words a figure may be named by on their own: every word of the full
/// name except initials (`D.`), suffixes (`Jr.`, `III`) and lowercase
/// particles (`de`, `von`). For "Mao Zedong" that is `Mao` and `Zedong`.
pub fn name_parts(name: &str) -> impl Iterator<Item = &str> {
    name.split_whitespace()
        .map(|w| w.trim_end_matches([',', '.']))
        .filter(|w| {
            w.chars().count() >= 2
                && w.chars().next().is_some_and(char::is_uppercase)
                && !matches!(*w, "Jr" | "Sr" | "II" | "III" | "IV" | "V")
        })
}

/// The part of a name used to refer to a figure alone: the last name part
/// (`Trotsky` for "Leon Trotsky"), or the whole name when it has none.
pub fn surname(name: &str) -> &str {
    name_parts(name).last().unwrap_or(name)
}

/// A slug made of the figures' surnames: `stalin-vs-trotsky`.
pub fn slug_for(figures: &[String]) -> String {
    let words: Vec<String> = figures.iter().map(|f| slugify(surname(f))).collect();
    words.join("-vs-")
}

fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut out = String::new();
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "figure".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Finds `word` in `text` at a word boundary, from `from` on: the characters
/// either side are not letters or digits, so `Stalin` matches in `Stalin's`
/// and `Stalin’s` but not in `Stalinism`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(word) {
        let start = from + found;
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(start);
        }
        from = start + word.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Small words a topic ignores, so "Role in the Russian Revolution" and
/// "role in Russian revolution" are the same topic.
const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "s", "the", "to",
    "with",
];

/// A topic key: the lowercase words of `text`, without punctuation or small
/// words, joined by single spaces (`role russian revolution`). Attribute
/// names and section headings are stored with their key, and topics given to
/// named queries are matched on it.
pub fn topic_key(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !SMALL_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Document {
    /// The document's slug: its figures' surnames joined by `-vs-`.
    pub fn slug(&self) -> String {
        slug_for(&self.figures)
    }

    /// Which figure a paragraph is about: the one it names first, by full
    /// name or by a part of it (`Stalin`, `Stalin's`, `Mao’s`), preferring
    /// the longer name where two start at the same place. `None` if it names
    /// none of this document's figures.
    pub fn figure_named_first(&self, text: &str) -> Option<usize> {
        let mut best: Option<(usize, usize, usize)> = None; // (position, -length, figure)
        for (index, name) in self.figures.iter().enumerate() {
            for part in std::iter::once(name.as_str()).chain(name_parts(name)) {
                if let Some(pos) = find_word(text, part) {
                    let better = match best {
                        None => true,
                        Some((p, len, _)) => pos < p || (pos == p && part.len() > len),
                    };
                    if better {
                        best = Some((pos, part.len(), index));
                    }
                }
            }
        }
        best.map(|(_, _, figure)| figure)
    }
}
