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

/// The short slug of a comparison: the figures' surnames joined by `-vs-`
/// (`stalin-vs-trotsky`). Two comparisons can share it (John Adams vs.
/// Samuel Adams, John Quincy Adams vs. John Adams); the store then gives the
/// later one [`full_slug_for`].
pub fn slug_for(figures: &[String]) -> String {
    let words: Vec<String> = figures.iter().map(|f| slugify(surname(f))).collect();
    words.join("-vs-")
}

/// The long slug of a comparison: the figures' full names joined by `-vs-`
/// (`john-quincy-adams-vs-john-adams`).
pub fn full_slug_for(figures: &[String]) -> String {
    let words: Vec<String> = figures.iter().map(|f| slugify(f)).collect();
    words.join("-vs-")
}

/// What makes two titles the same comparison: the title compared ignoring
/// case and runs of white space (`Joseph  Stalin vs. leon trotsky` is
/// `joseph stalin vs. leon trotsky`). Stored as `documents.title_key`.
pub fn title_key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The first figure that `figures` names a second time, compared as titles
/// are (ignoring case and runs of white space: `Joseph Stalin vs. joseph
/// stalin` is one figure twice). The text format and the JSON form refuse
/// such a document by this one rule.
pub fn named_twice(figures: &[String]) -> Option<&str> {
    let keys: Vec<String> = figures.iter().map(|f| title_key(f)).collect();
    (1..figures.len())
        .find(|&i| keys[..i].contains(&keys[i]))
        .map(|i| figures[i].as_str())
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
    // memmem (SIMD) rather than str::find: this runs for every name of
    // every figure on every paragraph an import stores.
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[from..], word.as_bytes()) {
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
pub const SMALL_WORDS: &[&str] = &[
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

/// The parts of figure `index`'s name that name it alone among `figures`:
/// every name part that no other figure has. For John Adams vs. Samuel Adams
/// that is `John` and `Samuel`; `Adams` names neither.
pub fn own_name_parts(figures: &[String], index: usize) -> impl Iterator<Item = &str> {
    let shared = move |part: &str| {
        figures
            .iter()
            .enumerate()
            .any(|(other, name)| other != index && name_parts(name).any(|p| p == part))
    };
    name_parts(&figures[index]).filter(move |part| !shared(part))
}

/// Which of `figures` a paragraph is about (see [`Document::figure_named_first`]).
pub fn figure_named_first(figures: &[String], text: &str) -> Option<usize> {
    first_named(&attribution_names(figures), text)
}

/// The names that attribute a paragraph to one of `figures`, with that
/// figure's index: each full name, and each part of a name that no other
/// figure has. Made once per document, used for each of its paragraphs.
pub fn attribution_names(figures: &[String]) -> Vec<(&str, usize)> {
    let mut names = Vec::new();
    for (index, name) in figures.iter().enumerate() {
        names.push((name.as_str(), index));
        names.extend(own_name_parts(figures, index).map(|part| (part, index)));
    }
    names
}

/// The figure of the name from `names` that `text` names first, the longer
/// name winning where two start at the same place.
pub fn first_named(names: &[(&str, usize)], text: &str) -> Option<usize> {
    let mut best: Option<(usize, usize, usize)> = None; // (position, length, figure)
    for &(name, index) in names {
        if let Some(pos) = find_word(text, name) {
            let better = match best {
                None => true,
                Some((p, len, _)) => pos < p || (pos == p && name.len() > len),
            };
            if better {
                best = Some((pos, name.len(), index));
            }
        }
    }
    best.map(|(_, _, figure)| figure)
}

impl Document {
    /// The document's short slug: its figures' surnames joined by `-vs-`.
    /// The slug it is stored under may be longer (see [`full_slug_for`]).
    pub fn slug(&self) -> String {
        slug_for(&self.figures)
    }

    /// The parts of figure `index`'s name that name it alone in this
    /// document (see [`own_name_parts`]).
    pub fn own_name_parts(&self, index: usize) -> impl Iterator<Item = &str> {
        own_name_parts(&self.figures, index)
    }

    /// Which figure a paragraph is about: the one it names first, by full
    /// name or by a part of its name that no other figure of the document
    /// has (`Stalin`, `Stalin's`, `Mao’s`, or `John` for John Adams vs.
    /// Samuel Adams, never the shared `Adams`), preferring the longer name
    /// where two start at the same place. `None` if it names none of this
    /// document's figures that way: versus never guesses.
    pub fn figure_named_first(&self, text: &str) -> Option<usize> {
        figure_named_first(&self.figures, text)
    }
}
