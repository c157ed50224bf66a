//! Figures' names: the parts prose names a figure by, surnames, slugs,
//! topic keys, and which figure a paragraph is about.

use super::Document;

/// The words a figure may be named by on their own: every word of the full
/// name except initials (`D.`), suffixes (`Jr.`, `III`) and lowercase
/// particles (`de`, `von`). For "Mao Zedong" that is `Mao` and `Zedong`.
/// A word in a script without letter case (`織田 信長`, `Πλάτων` has case)
/// counts as a capital; words may be separated by spaces or the Japanese
/// middle dot (`レオナルド・ダ・ヴィンチ`). A name of four Han characters
/// written as one word (`徳川家康`) is a family name and a given name of
/// two characters each, the way Japanese and most such names are written,
/// so its parts are `徳川` and `家康`.
pub fn name_parts(name: &str) -> std::vec::IntoIter<&str> {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '\u{30FB}')
        .filter(|w| !w.is_empty())
        .collect();
    if let [word] = words[..] {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() == 4 && chars.iter().all(|&(_, c)| is_han(c)) {
            let middle = chars[2].0;
            return vec![&word[..middle], &word[middle..]].into_iter();
        }
    }
    words
        .into_iter()
        .map(|w| w.trim_end_matches([',', '.']))
        .filter(|w| {
            w.chars().count() >= 2
                && w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase()))
                && !matches!(*w, "Jr" | "Sr" | "II" | "III" | "IV" | "V")
        })
        .collect::<Vec<_>>()
        .into_iter()
}

/// Whether `c` is a Han ideograph.
pub(super) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Whether `c` is a Greek letter (Greek and Coptic, Greek Extended).
pub(super) fn is_greek(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x03FF | 0x1F00..=0x1FFF)
}

/// Whether `c` is a Cyrillic letter (Cyrillic and its Supplement).
pub(super) fn is_cyrillic(c: char) -> bool {
    matches!(c as u32, 0x0400..=0x052F)
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

// How prose names a figure: one rule, here, for attribution and for the
// named query `mentions`, whose SQL (src/queries/mentions.sql) spells the
// same two character classes as GLOB classes; a test checks that it spells
// exactly these. SQLite without extensions has no Unicode character
// classes, so the rule is written as ranges both can read.

/// Characters that end a word: ASCII and Latin-1 punctuation, spaces and
/// controls, the apostrophe letter `ʼ`, the punctuation of Greek, Armenian,
/// Hebrew, Arabic, Devanagari and Thai, the General Punctuation block and
/// the symbol blocks after it, CJK and full-width punctuation, emoji.
/// Every other character (any letter, digit or combining mark of any
/// script) is part of a word.
pub const WORD_ENDS: &[(u32, u32)] = &[
    (0x01, 0x2F),
    (0x3A, 0x40),
    (0x5B, 0x60),
    (0x7B, 0xBF),
    (0xD7, 0xD7),
    (0xF7, 0xF7),
    (0x2BC, 0x2BC),
    (0x37E, 0x37E),
    (0x387, 0x387),
    (0x55A, 0x55F),
    (0x589, 0x58A),
    (0x5BE, 0x5BE),
    (0x5C0, 0x5C0),
    (0x5C3, 0x5C3),
    (0x5F3, 0x5F4),
    (0x60C, 0x60D),
    (0x61B, 0x61B),
    (0x61F, 0x61F),
    (0x66A, 0x66D),
    (0x6D4, 0x6D4),
    (0x964, 0x965),
    (0xE5A, 0xE5B),
    (0x2000, 0x2BFF),
    (0x2E00, 0x2E7F),
    (0x3000, 0x303F),
    (0x30FB, 0x30FB),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),
    (0xFEFF, 0xFEFF),
    (0xFF00, 0xFF0F),
    (0xFF1A, 0xFF20),
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
    (0x1F000, 0x1FAFF),
];

/// Scripts written without spaces between words (Thai, Lao, Myanmar,
/// Khmer, Hangul, kana, Han). A name with a character of these is found
/// anywhere in a run of text (`織田信長は` names `信長`); its characters
/// also end a word of another script (`Python的` names `Python`).
pub const SPACELESS: &[(u32, u32)] = &[
    (0x0E00, 0x0EFF),
    (0x1000, 0x109F),
    (0x1100, 0x11FF),
    (0x1780, 0x17FF),
    (0x3040, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
];

/// Whether `text` has a character of a script written without spaces.
pub fn has_spaceless(text: &str) -> bool {
    text.chars().any(is_spaceless_char)
}

/// Whether `c` is of a script written without spaces ([`SPACELESS`]).
pub fn is_spaceless_char(c: char) -> bool {
    within(SPACELESS, c)
}

fn within(ranges: &[(u32, u32)], c: char) -> bool {
    ranges
        .iter()
        .any(|&(low, high)| (low..=high).contains(&(c as u32)))
}

/// Whether `c` may stand either side of a name (see [`WORD_ENDS`] and
/// [`SPACELESS`]).
fn ends_name(c: char) -> bool {
    within(WORD_ENDS, c) || within(SPACELESS, c)
}

/// Whether a name is written in a script without spaces (see [`SPACELESS`]).
pub fn in_spaceless_script(name: &str) -> bool {
    name.chars().any(|c| within(SPACELESS, c))
}

/// Where `word` names something in `text`, from `from` on: anywhere for a
/// word of a script without spaces, else where the characters either side
/// end a word ([`WORD_ENDS`], or a character of such a script), so
/// `Stalin` matches in `Stalin's`, `Stalin’s` and `(Stalin)` but not in
/// `Stalinism`, and `Ленин` not in `Ленинизм`.
fn find_word(text: &str, word: &str) -> Option<usize> {
    if word.is_empty() {
        return None;
    }
    let spaceless = in_spaceless_script(word);
    let mut from = 0;
    // memmem (SIMD) rather than str::find: this runs for every name of
    // every figure on every paragraph an import stores.
    while let Some(found) = memchr::memmem::find(&text.as_bytes()[from..], word.as_bytes()) {
        let start = from + found;
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if spaceless || (before.is_none_or(ends_name) && after.is_none_or(ends_name)) {
            return Some(start);
        }
        from = start + word.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Every place `word` names something in `text` (see [`find_word`]).
fn word_places<'a>(text: &'a str, word: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let found = from + find_word(text.get(from..)?, word)?;
        from = found + word.len().max(1);
        Some(found)
    })
}

/// Whether prose names the figure `name` in any letter case, as a thing
/// rather than a person (`Cats`, `Tea`): a name of one word with an ASCII
/// capital that `prose` writes in lowercase at least once (`cats`) and
/// with its capital only where a sentence starts. A name the prose
/// capitalises inside a sentence is a proper name (`Rust and Go`, `while
/// Rose argued`) and keeps its case, so `go` and `rose` never name it; a
/// name of several words (`Bill Clinton`) always keeps its case. Letters
/// are folded as SQLite's `lower()` folds them, A-Z only.
pub fn named_in_any_case<'a>(name: &str, prose: impl IntoIterator<Item = &'a str>) -> bool {
    if name.contains(char::is_whitespace) || in_spaceless_script(name) {
        return false;
    }
    let lower = name.to_ascii_lowercase();
    if lower == name {
        return false;
    }
    let mut lowercase = false;
    for text in prose {
        if word_places(text, name).any(|at| !starts_sentence(text, at)) {
            return false;
        }
        lowercase = lowercase || find_word(text, &lower).is_some();
    }
    lowercase
}

/// Whether a sentence starts at byte `at` of `text`: nothing but spaces,
/// opening quotes and brackets between it and the start of the text or
/// the end of a sentence.
fn starts_sentence(text: &str, at: usize) -> bool {
    for c in text[..at].chars().rev() {
        if c.is_whitespace() || "\"'“‘«(¡¿「『".contains(c) {
            continue;
        }
        return ".!?:;…。！？".contains(c);
    }
    true
}

/// A rule's character ranges as an SQL expression for a GLOB class
/// (`'[' || char(1) || '-/:-@[-`{-' || char(191) || ...`): printable ASCII
/// as itself, every other character with `char()`, so the SQL reads the
/// same in any editor. `mentions.sql` holds exactly these.
pub fn glob_class_sql(ranges: &[(u32, u32)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut literal = String::from("[");
    let mut push = |c: u32, literal: &mut String| {
        if (0x21..0x7F).contains(&c) && c != 0x27 {
            literal.push(char::from_u32(c).expect("ASCII"));
        } else {
            if !literal.is_empty() {
                parts.push(format!("'{literal}'"));
                literal.clear();
            }
            parts.push(format!("char({c})"));
        }
    };
    for &(low, high) in ranges {
        push(low, &mut literal);
        if high != low {
            literal.push('-');
            push(high, &mut literal);
        }
    }
    literal.push(']');
    parts.push(format!("'{literal}'"));
    parts.join(" || ")
}

/// The characters either side of a name in SQL: [`WORD_ENDS`] and
/// [`SPACELESS`] in one class.
pub fn name_ends_sql() -> String {
    let mut all: Vec<(u32, u32)> = WORD_ENDS.iter().chain(SPACELESS).copied().collect();
    all.sort();
    glob_class_sql(&all)
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

/// Which of `figures` a paragraph is about (see [`Document::figure_named_first`]),
/// every name kept in its case.
pub fn figure_named_first(figures: &[String], text: &str) -> Option<usize> {
    first_named(&attribution_names(figures, &[]), text)
}

/// A name that attributes a paragraph to a figure.
pub struct Name<'a> {
    /// The name as the rule looks for it: ASCII lowercase when `any_case`.
    word: std::borrow::Cow<'a, str>,
    /// The figure's index in the document.
    figure: usize,
    /// Looked for in the text with A-Z folded to a-z.
    any_case: bool,
}

/// The names that attribute a paragraph to one of `figures`, with that
/// figure's index: each full name, and each part of a name that no other
/// figure has. A figure whose `any_case` is true (see
/// [`named_in_any_case`]; missing means false) is named in any letter case.
/// Made once per document, used for each of its paragraphs.
pub fn attribution_names<'a>(figures: &'a [String], any_case: &[bool]) -> Vec<Name<'a>> {
    let mut names = Vec::new();
    for (index, name) in figures.iter().enumerate() {
        let fold = any_case.get(index).copied().unwrap_or(false);
        for word in std::iter::once(name.as_str()).chain(own_name_parts(figures, index)) {
            let spaceless = in_spaceless_script(word);
            names.push(Name {
                word: if fold && !spaceless {
                    word.to_ascii_lowercase().into()
                } else {
                    word.into()
                },
                figure: index,
                any_case: fold && !spaceless,
            });
        }
    }
    names
}

/// The figure of the name from `names` that `text` names first, the longer
/// name winning where two start at the same place.
pub fn first_named(names: &[Name], text: &str) -> Option<usize> {
    let folded = names
        .iter()
        .any(|n| n.any_case)
        .then(|| text.to_ascii_lowercase());
    let mut best: Option<(usize, usize, usize)> = None; // (position, length, figure)
    for name in names {
        let within = match (&folded, name.any_case) {
            (Some(lower), true) => lower.as_str(),
            _ => text,
        };
        if let Some(pos) = find_word(within, &name.word) {
            let better = match best {
                None => true,
                Some((p, len, _)) => pos < p || (pos == p && name.word.len() > len),
            };
            if better {
                best = Some((pos, name.word.len(), name.figure));
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
        first_named(&attribution_names(&self.figures, &self.in_any_case()), text)
    }

    /// For each figure, whether the document names it in any letter case
    /// (see [`named_in_any_case`]), judged by its summary and paragraphs.
    pub fn in_any_case(&self) -> Vec<bool> {
        self.figures
            .iter()
            .map(|name| {
                let paragraphs = self.sections.iter().flat_map(|s| &s.paragraphs);
                named_in_any_case(
                    name,
                    std::iter::once(self.summary.as_str()).chain(paragraphs.map(String::as_str)),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL of `mentions` spells the rule's classes exactly: the rule is
    /// written once, here, and a change to it must change the query too.
    #[test]
    fn mentions_sql_spells_the_rule() {
        let sql = include_str!("../queries/mentions.sql");
        assert!(sql.contains(&name_ends_sql()), "ends class differs");
        assert!(
            sql.contains(&glob_class_sql(SPACELESS)),
            "spaceless class differs"
        );
    }

    #[test]
    fn names_in_every_script() {
        let names = |figures: &[&str], text: &str| {
            let figures: Vec<String> = figures.iter().map(|f| f.to_string()).collect();
            figure_named_first(&figures, text)
        };
        assert_eq!(
            names(&["織田 信長", "豊臣 秀吉"], "一方、秀吉は信長に"),
            Some(1)
        );
        assert_eq!(
            names(&["徳川家康", "武田信玄"], "家康自身は信玄の"),
            Some(0)
        );
        assert_eq!(name_parts("徳川家康").collect::<Vec<_>>(), ["徳川", "家康"]);
        assert_eq!(
            names(&["Владимир Ленин", "Лев Троцкий"], "Ленинизм и Троцкий"),
            Some(1)
        );
        assert_eq!(names(&["Python", "Go"], "Python的"), Some(0));
        assert_eq!(names(&["Émile Zola", "Hugo"], "«Zola» écrit"), Some(0));
        assert_eq!(names(&["Émile Zola", "Hugo"], "Zolaesque"), None);
    }

    #[test]
    fn things_are_named_in_any_case() {
        let prose = ["Cats sleep. Unlike dogs, cats hunt alone.", "Dogs bark."];
        assert!(named_in_any_case("Cats", prose));
        assert!(named_in_any_case("Dogs", prose));
        // Capitalised inside a sentence: a proper name.
        assert!(!named_in_any_case(
            "Go",
            ["Rust and Go differ. Programs go fast."]
        ));
        assert!(!named_in_any_case(
            "Rose",
            ["Prices rose while Rose argued."]
        ));
        assert!(!named_in_any_case("Bill Clinton", ["a bill. Bill Clinton"]));
    }
}
