//! Deciding a glued row on evidence, as a careful reader does, when its
//! certain places ([`split_places`]) do not settle it.
//!
//! Every reading is considered: every way to place the cell boundaries at
//! the places where one cell may end and the next begin, including places
//! where a cell begins in lowercase, with a digit after a digit, or in a
//! script without capitals. Each reading gets a score, in points, from:
//!
//! - **the document's own words**: a piece of a glued word that the
//!   summary, the headings, the paragraphs, the figures' names or a
//!   separated cell also use (`Mississippi`) is supported (+3); a candidate
//!   cell written word for word in the prose is supported (+1.5);
//! - **a word list** ([`super::lexicon`], English words from a maintained
//!   frequency list): a piece that is a word is supported (+2);
//! - **the grammar of values**: numbers without a leading zero, years,
//!   year ranges, measurements with a unit (`72 kg`, `100 °C`), roman
//!   numerals (`XIV`), abbreviations (`D.C.`);
//! - **the row's shape**: value cells of one kind (two years, two numbers of
//!   as many digits, two measurements in one unit, two answers such as
//!   `yes`/`no`, two comma lists of as many items, one value twice)
//!   support each other;
//! - **seams**: a place inside a word where two cells show glued
//!   (`Denali|Mount`, `(CFA)|about`, `FastAPI|React`, `Mississippi|26`)
//!   costs the readings that leave it inside a cell, and counts as
//!   evidence for a boundary there;
//! - **the kind of place**: a capital after a lowercase letter is the usual
//!   boundary; a lowercase letter after a lowercase letter needs words on
//!   both sides; a place [`split_places`] doubts (`MacArthur`, `iPod`) costs
//!   points, and one inside a word the document writes whole (`TypeScript`)
//!   costs more.
//!
//! - **a number the prose gives beside the attribute** (`nine symphonies`
//!   for `Symphonies941`), and numbers of one size (`26`/`28`);
//! - **a name after a seam** (`Exile|Elba`): the word list has no proper
//!   nouns, so the seam and the known word before it support it;
//! - **against**: an attribute that is a list, ends in digits glued to a
//!   letter, or holds a seam (counted twice); and when the row shows more
//!   seams than boundaries, the best reading must lead without them too.
//!
//! A piece nobody knows (`Mississipp`, `Verd`) costs points. A row is split
//! by the best reading only when that reading is *supported* (every piece
//! on either side of each boundary is known, or the boundary is one of the
//! certain places) and every other reading scores at least [`MARGIN`]
//! points less, and the reading itself scores at least [`MINIMUM`]. Otherwise the row is kept as written and marked unresolved,
//! with its best readings: precision comes first.

use std::collections::HashSet;

use super::lexicon;
use super::split::{Doubt, MIXED_CASE_WORDS, cut, inside_occurrences, split_places};

/// How many points the best reading must lead every other by.
pub const MARGIN: f32 = 3.0;

/// How many points the best reading needs at least: the evidence for its
/// boundaries must outweigh the evidence against them.
pub const MINIMUM: f32 = 1.0;

/// The longest row, in characters, whose readings are weighed.
const MAX_WEIGHED: usize = 600;

/// How many readings an unresolved row keeps, best first.
const KEPT: usize = 3;

/// How many candidate places are weighed together at most; the rest, the
/// weakest on their own, are left out.
const CANDIDATES: usize = 24;

/// The words of one document, for weighing its glued rows.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    /// Every word, lowercase, without surrounding punctuation; hyphenated
    /// words also by their parts.
    lower: HashSet<String>,
    /// Words with a capital after a lowercase letter (`TypeScript`), as
    /// written: a boundary inside one is doubted.
    camel: Vec<String>,
    /// The prose (summary, headings, paragraphs), lowercase, to find
    /// candidate cells written word for word.
    prose: String,
    /// The prose's sentences as their words, made once when a number is
    /// first checked against them ([`Vocabulary::attested`]).
    sentences: std::cell::OnceCell<Vec<Vec<String>>>,
}

impl Vocabulary {
    /// The vocabulary of the prose `texts`, the figures' `names` and the
    /// `words` of separated cells and of the glued rows' spaced words.
    pub fn new<'a>(
        prose: impl IntoIterator<Item = &'a str>,
        words: impl IntoIterator<Item = &'a str>,
        names: &'a [String],
    ) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for text in prose {
            vocabulary.prose.push_str(&text.to_lowercase());
            vocabulary.prose.push('\n');
            vocabulary.add_words(text);
        }
        for text in words.into_iter().chain(names.iter().map(String::as_str)) {
            vocabulary.add_words(text);
        }
        vocabulary
    }

    fn add_words(&mut self, text: &str) {
        for token in text.split_whitespace() {
            let core = core(token);
            if core.is_empty() {
                continue;
            }
            if is_camel(core) && !self.camel.iter().any(|c| c == core) {
                self.camel.push(core.to_string());
            }
            let lower = core.to_lowercase();
            if lower.contains(['-', '–', '/']) {
                for part in lower.split(['-', '–', '/']).filter(|p| !p.is_empty()) {
                    self.lower.insert(part.to_string());
                }
            }
            // `Stalin's` is also `Stalin`.
            for suffix in ["'s", "’s", "'", "’"] {
                if let Some(stem) = lower.strip_suffix(suffix) {
                    self.lower.insert(stem.to_string());
                }
            }
            self.lower.insert(lower);
        }
    }

    fn knows(&self, lower: &str) -> bool {
        self.lower.contains(lower)
    }

    /// Whether the prose gives the number `cell` (in digits, or in English
    /// words up to ninety-nine) within four words of a word of the row's
    /// `attribute`, in one sentence (`nine symphonies`, `his 27 piano
    /// concertos`), as a reader checks a glued number against the text. A
    /// word of the attribute is four letters or more and is matched by its
    /// first six (`symphon` for `Symphonies` and `symphony`).
    pub(super) fn attested(&self, cell: &str, attribute: &str) -> bool {
        let Some((n, false)) = number(cell) else {
            return false;
        };
        if cell.contains([',', '.']) {
            return false;
        }
        let stems: Vec<String> = attribute
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 4)
            .map(|w| w.to_lowercase().chars().take(6).collect())
            .collect();
        if stems.is_empty() {
            return false;
        }
        // Beside an attribute that holds numbers itself (`iPhone 5`), the
        // prose's numbers may be the attribute's.
        if attribute.chars().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let written = number_words(n);
        let sentences = self.sentences.get_or_init(|| {
            self.prose
                .split(['.', '!', '?', ';', '\n'])
                .map(|sentence| {
                    sentence
                        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .collect()
        });
        sentences.iter().any(|words| {
            words.iter().enumerate().any(|(i, word)| {
                (word == cell || written.as_deref() == Some(word.as_str()))
                    && words[i.saturating_sub(4)..(i + 5).min(words.len())]
                        .iter()
                        .any(|w| stems.iter().any(|stem| w.starts_with(stem.as_str())))
            })
        })
    }

    /// Whether the prose writes `piece`, of a script without spaces, as a
    /// word of its own: two characters or more, and not inside a run of
    /// letters of one kind (`林火山` is inside `風林火山`; `桶狭間の戦い`
    /// before `で` is a word). Such scripts show no spaces, but a run of
    /// ideographs ends where kana, punctuation or brackets begin.
    fn spaceless_in_prose(&self, piece: &str) -> bool {
        if piece.chars().count() < 2 {
            return false;
        }
        let (Some(first), Some(last)) = (piece.chars().next(), piece.chars().next_back()) else {
            return false;
        };
        // A piece of kana alone (`ぁぁ` in `ぁぁぁ`) must be bounded on both
        // sides too; one with ideographs may end in kana that particles
        // follow (`桶狭間の戦い|で`).
        let kana_may_follow = piece.chars().any(ideograph) && kind_of_letter(last) == 1;
        self.prose.match_indices(piece).any(|(at, _)| {
            let before = self.prose[..at].chars().next_back();
            let after = self.prose[at + piece.len()..].chars().next();
            !before.is_some_and(|b| {
                kind_of_letter(b) == kind_of_letter(first) && kind_of_letter(b) < 4
            }) && !after.is_some_and(|a| {
                kind_of_letter(a) == kind_of_letter(last)
                    && kind_of_letter(a) < 4
                    && !kana_may_follow
            })
        })
    }

    /// Whether the prose writes `cell` word for word, as whole words.
    fn in_prose(&self, cell: &str) -> bool {
        let needle = cell.to_lowercase();
        let spaceless = needle.chars().any(is_spaceless);
        // Two characters of a spaceless script are a word (`武田菱`).
        if cell.chars().count() < if spaceless { 2 } else { 4 } {
            return false;
        }
        if spaceless {
            return self.spaceless_in_prose(&needle);
        }
        self.prose.match_indices(&needle).any(|(at, _)| {
            !self.prose[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !self.prose[at + needle.len()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
        })
    }
}

/// What the evidence says about a glued row.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// One reading is supported and clearly the best: these cells.
    Split(Vec<String>),
    /// No reading is clearly the best: the best few, best first (maybe none).
    Unresolved(Vec<Vec<String>>),
}

/// What a document offers as evidence for its glued rows: its prose, the
/// words of its separated cells and its figures' names. The vocabulary is
/// made only when a row needs it: most rows are settled by their certain
/// places, and an import of many documents must not pay for it.
pub struct Evidence<'a> {
    prose: Vec<&'a str>,
    words: Vec<&'a str>,
    names: &'a [String],
    vocabulary: std::cell::OnceCell<Vocabulary>,
}

impl<'a> Evidence<'a> {
    pub fn new(prose: Vec<&'a str>, words: Vec<&'a str>, names: &'a [String]) -> Evidence<'a> {
        Evidence {
            prose,
            words,
            names,
            vocabulary: std::cell::OnceCell::new(),
        }
    }

    fn vocabulary(&self) -> &Vocabulary {
        self.vocabulary.get_or_init(|| {
            Vocabulary::new(
                self.prose.iter().copied(),
                self.words.iter().copied(),
                self.names,
            )
        })
    }

    /// Whether the prose writes `word` (`PyTorch`) somewhere.
    fn prose_has(&self, word: &str) -> bool {
        self.prose
            .iter()
            .any(|text| memchr::memmem::find(text.as_bytes(), word.as_bytes()).is_some())
    }
}

/// Decides a glued `row` of `cells` cells on the `evidence` of its
/// document; the figures' names are never split inside.
pub fn decide(row: &str, cells: usize, evidence: &Evidence) -> Decision {
    let names = evidence.names;
    let chars: Vec<char> = row.chars().collect();
    let wanted = cells.saturating_sub(1);
    if wanted == 0 || chars.is_empty() {
        return Decision::Unresolved(Vec::new());
    }
    let places = split_places(row, names);
    let certain: Vec<usize> = places
        .iter()
        .filter(|p| p.doubt.is_none())
        .map(|p| p.at)
        .collect();
    // The certain places settle it, unless one falls inside a word the
    // prose writes whole (`Py|Torch` where the prose says PyTorch).
    if certain.len() == wanted
        && !certain
            .iter()
            .any(|&at| camel_around(&chars, at).is_some_and(|word| evidence.prose_has(&word)))
        && !hides_a_start(&chars[..certain[0]])
    {
        return Decision::Split(cut(&chars, &certain));
    }
    // Weighing every place costs time with the row's length squared: a row
    // longer than any real table row is kept as written, unweighed.
    if chars.len() > MAX_WEIGHED {
        return Decision::Unresolved(Vec::new());
    }
    let vocabulary = evidence.vocabulary();
    let tokens = tokens(&chars);
    let doubts: Vec<(usize, Doubt)> = places
        .iter()
        .filter_map(|p| p.doubt.map(|d| (p.at, d)))
        .collect();
    let mut weigh = Weigh {
        chars: &chars,
        tokens: &tokens,
        vocabulary,
        certain: &certain,
        doubts: &doubts,
        // Never inside a figure's name, nor inside a known word with a
        // capital inside (`Java|Script`, `JavaS|cript`).
        protected: inside_occurrences(
            row,
            &chars,
            names
                .iter()
                .flat_map(|name| std::iter::once(name.as_str()).chain(super::name_parts(name)))
                .chain(MIXED_CASE_WORDS.iter().copied()),
        ),
        seams: Vec::new(),
        after_name: after_name_parts(row, &chars, names),
    };
    weigh.seams = weigh.seams();
    if let Some(cuts) = weigh.dotted_values(wanted) {
        return Decision::Split(cut(&chars, &cuts));
    }
    let candidates = weigh.candidates();
    if candidates.len() < wanted {
        return Decision::Unresolved(Vec::new());
    }
    let mut readings: Vec<(f32, Vec<usize>)> = Vec::new();
    combinations(&candidates, wanted, &mut Vec::new(), 0, &mut |cuts| {
        if !weigh.impossible(cuts) {
            readings.push((weigh.score(cuts), cuts.to_vec()));
        }
    });
    if readings.is_empty() {
        return Decision::Unresolved(Vec::new());
    }
    readings.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let best = &readings[0];
    let clear = readings
        .get(1)
        .is_none_or(|second| best.0 - second.0 >= MARGIN);
    // More seams than boundaries: one seam at least is inside a cell
    // (`SpiderMonkey`, `JavaScriptCore`), and seams cannot tell which. Then
    // the best reading must stay the best by the margin without them.
    let seams = weigh.seams.iter().filter(|(_, cost)| *cost >= 2.0).count();
    let clear_without_seams = seams <= wanted || {
        let unseamed = |cuts: &[usize]| weigh.score(cuts) + weigh.uncut_seams(cuts);
        let best_unseamed = unseamed(&best.1);
        readings[1..]
            .iter()
            .all(|(_, cuts)| best_unseamed - unseamed(cuts) >= MARGIN)
    };
    if clear && clear_without_seams && best.0 >= MINIMUM && weigh.supported(&best.1) {
        return Decision::Split(cut(&chars, &best.1));
    }
    // The readings a person may pick from: those the evidence supports
    // first, then the best of the rest.
    let (supported, rest): (Vec<_>, Vec<_>) = readings
        .iter()
        .take(KEPT * 4)
        .partition(|(_, cuts)| weigh.supported(cuts));
    Decision::Unresolved(
        supported
            .into_iter()
            .chain(rest)
            .take(KEPT)
            .map(|(_, cuts)| cut(&chars, cuts))
            .collect(),
    )
}

/// The start of the word a capital after a lowercase letter at `at` would
/// be inside if it were one word: the capitalised run before, the capital
/// and the letter after it (`TypeSc` around `Type|Script`). A prose that
/// writes it has a word with a capital inside there. (The word is not taken
/// to its end: the next cell may begin in lowercase, as in `TypeScripta`.)
fn camel_around(chars: &[char], at: usize) -> Option<String> {
    if !(chars[at - 1].is_lowercase() && chars[at].is_uppercase()) {
        return None;
    }
    let mut start = at - 1;
    while start > 0 && chars[start - 1].is_lowercase() {
        start -= 1;
    }
    // Only a capitalised run (`Py`, `Type`): a word written whole with a
    // capital inside begins with one (`policy|Focused` needs no look-up).
    if start == 0 || !chars[start - 1].is_uppercase() {
        return None;
    }
    start -= 1;
    let end = (at + 2).min(chars.len());
    Some(chars[start..end].iter().collect())
}

/// Whether the place `at` of the word `word` is after a name ending in `i`
/// and before a capitalised word (`Denali|Mount`, `Bellini|Giuseppe`): a
/// capital, lowercase letters, the `i`, then a capital and lowercase
/// letters. An `i` there may begin a word (`iPod`), so the name without its
/// `i` must be no word of the list (`Devices|iWatch` stays in doubt).
fn name_ending_in_i(word: &[char], at: usize) -> bool {
    if at < 4 || word[at - 1] != 'i' {
        return false;
    }
    let mut from = at - 1;
    while from > 0 && word[from - 1].is_lowercase() {
        from -= 1;
    }
    let stem: String = word[from..at - 1].iter().collect();
    from > 0
        && word[from - 1].is_uppercase()
        && at - from >= 3
        && word.get(at).is_some_and(|c| c.is_uppercase())
        && word.get(at + 1).is_some_and(|c| c.is_lowercase())
        && stem.is_ascii()
        && !lexicon::is_word(&format!("{}{}", word[from - 1].to_lowercase(), stem))
}

/// Whether the attribute `cell` ends in a long word that is not a word but
/// two (`Numbersarbitrary`): a value that begins in lowercase is glued to
/// it, so the certain places cannot be the boundaries.
fn hides_a_start(cell: &[char]) -> bool {
    cell.split(|c| !c.is_alphabetic()).any(|run| {
        if run.len() < 9 || run[1..].iter().any(|c| !c.is_lowercase()) {
            return false;
        }
        let word: String = run.iter().collect::<String>().to_lowercase();
        if !word.is_ascii() || lexicon::is_word(&word) {
            return false;
        }
        (3..word.len() - 2).any(|p| lexicon::is_word(&word[..p]) && lexicon::is_word(&word[p..]))
    })
}

/// Whether a lowercase-to-lowercase place at `at` falls inside a word of
/// the word list that begins where the letters before it begin
/// (`sweet|nessnoyes` is inside `sweetness`).
fn inside_a_word(chars: &[char], at: usize) -> bool {
    let mut start = at;
    while start > 0 && chars[start - 1].is_alphabetic() {
        start -= 1;
    }
    let mut end = at;
    while end < chars.len() && chars[end].is_lowercase() {
        end += 1;
    }
    let left: String = chars[start..at].iter().collect::<String>().to_lowercase();
    if !left.is_ascii() {
        return false;
    }
    let mut word = left;
    for (k, c) in chars[at..end].iter().enumerate() {
        word.push(*c);
        if k >= 1 && lexicon::is_word(&word) {
            return true;
        }
    }
    false
}

/// Whether `before` ends in a year of four digits and `after` begins with a
/// day and a month (`1 April 1976|4 September 1998`), or both are lists of
/// years and year ranges (`1940–1945, 1951–1955|1944–1946`): then the
/// digits glued together are two values.
fn dates_meet(before: &str, after: &str) -> bool {
    let ends_in_year = before
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .is_some_and(|run| run.len() == 4 && number(run).is_some_and(|(_, year)| year));
    if !ends_in_year {
        return false;
    }
    let years = |cell: &str| {
        cell.split(", ").all(|part| {
            part.split(['–', '-'])
                .all(|y| y.len() == 4 && number(y).is_some_and(|(_, year)| year))
        })
    };
    kind(after) == Kind::Date && after.starts_with(|c: char| c.is_ascii_digit())
        || years(before) && years(after)
}

/// Whether the letters from `at` are an ordinal suffix or a unit, which a
/// number before them keeps (`1st`, `20th`, `72kg`).
fn suffix_after(chars: &[char], at: usize) -> bool {
    // A unit of a script without spaces (`1582|年`, `49|歳`).
    if SPACELESS_UNITS.contains(&chars[at]) {
        return true;
    }
    let letters: String = chars[at..]
        .iter()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    !letters.is_empty()
        && (matches!(letters.as_str(), "st" | "nd" | "rd" | "th" | "s")
            || UNITS.contains(&letters.as_str()))
}

/// Whether the capitals right before `at` are roman numeral letters.
fn roman_letters_before(chars: &[char], at: usize) -> bool {
    chars[at - 1].is_uppercase()
        && chars[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_uppercase())
            .all(|c| "IVXLCDM".contains(*c))
}

/// Whether the capitals from `at` on are roman numeral letters, to the end
/// of the word or a capitalised word (`II` in `IICharles`).
fn roman_letters_after(chars: &[char], at: usize) -> bool {
    let run: Vec<char> = chars[at..]
        .iter()
        .take_while(|c| c.is_uppercase())
        .copied()
        .collect();
    if run.is_empty() {
        return false;
    }
    let next_lower = chars.get(at + run.len()).is_some_and(|c| c.is_lowercase());
    let numeral = if next_lower {
        &run[..run.len() - 1]
    } else {
        &run[..]
    };
    !numeral.is_empty() && numeral.iter().all(|c| "IVXLCDM".contains(*c))
}

/// Whether the run of digits around `at` reads as one year (`1010`).
fn year_run(chars: &[char], at: usize) -> bool {
    let start = at
        - chars[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
    let end = at
        + chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
    let run: String = chars[start..end].iter().collect();
    number(&run).is_some_and(|(_, year)| year)
}

/// Whether the digits either side of `at` read as two numbers for sure: two
/// digits each (`25|18`), or two years (`1962|1970`). `100|110` could as
/// well be `1001|10`.
fn same_digit_runs(chars: &[char], at: usize) -> bool {
    let before = chars[..at]
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let after = chars[at..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let year = |from: usize| {
        let run: String = chars[from..from + 4].iter().collect();
        number(&run).is_some_and(|(_, year)| year)
    };
    match (before, after) {
        (2, 2) => true,
        (4, 4) => year(at - 4) && year(at),
        _ => false,
    }
}

/// Calls `each` with every sorted choice of `k` of `items`.
fn combinations(
    items: &[usize],
    k: usize,
    chosen: &mut Vec<usize>,
    from: usize,
    each: &mut impl FnMut(&[usize]),
) {
    if chosen.len() == k {
        each(chosen);
        return;
    }
    for i in from..items.len() {
        if items.len() - i < k - chosen.len() {
            break;
        }
        chosen.push(items[i]);
        combinations(items, k, chosen, i + 1, each);
        chosen.pop();
    }
}

/// The spans of the row's words: runs of characters that are not white space.
fn tokens(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in chars.iter().enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, chars.len()));
    }
    out
}

fn token_at(tokens: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    tokens.iter().copied().find(|&(s, e)| s < at && at < e)
}

/// Whether a word the document writes whole with a capital inside
/// (`TypeScript`) spans the place `at`.
fn inside_camel(
    chars: &[char],
    tokens: &[(usize, usize)],
    at: usize,
    vocabulary: &Vocabulary,
) -> bool {
    let Some((start, end)) = token_at(tokens, at) else {
        return false;
    };
    let token: String = chars[start..end].iter().collect();
    vocabulary.camel.iter().any(|word| {
        token.match_indices(word.as_str()).any(|(byte, _)| {
            let from = start + token[..byte].chars().count();
            from < at && at < from + word.chars().count()
        })
    })
}

/// A word without the punctuation around it.
fn core(token: &str) -> &str {
    token
        .trim_start_matches(['(', '[', '"', '“', '‘', '\'', '¿', '¡', '«', '„'])
        .trim_end_matches([
            '.', ',', ';', ':', '!', '?', ')', ']', '"', '”', '’', '\'', '%', '»', '、', '。', '，',
        ])
}

fn is_camel(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0].is_lowercase() && w[1].is_uppercase())
}

/// Scripts written without spaces between words (Chinese, Japanese, Thai,
/// and the like): a boundary between two of their letters shows nothing.
/// One definition for splitting, names and search ([`super::SPACELESS`]).
pub fn is_spaceless(c: char) -> bool {
    super::names::is_spaceless_char(c)
}

/// Units a number is measured in, as the grammar of values knows them.
const UNITS: &[&str] = &[
    "%", "°", "°c", "°f", "k", "mm", "cm", "m", "km", "in", "ft", "yd", "mi", "mg", "g", "kg", "t",
    "lb", "lbs", "oz", "st", "ml", "l", "cl", "gal", "s", "ms", "min", "h", "hr", "hrs", "mph",
    "km/h", "kph", "kn", "w", "kw", "mw", "gw", "kwh", "mwh", "v", "kv", "a", "mah", "hz", "khz",
    "mhz", "ghz", "kb", "mb", "gb", "tb", "pb", "px", "pt", "cal", "kcal", "j", "kj", "pa", "kpa",
    "bar", "psi", "db", "rpm", "bc", "bce", "ad", "ce", "am", "pm", "years", "year", "yrs", "days",
    "months",
];

/// Characters after a number that make a measurement in spaceless scripts.
const SPACELESS_UNITS: &[char] = &[
    '年', '月', '日', '歳', '才', '人', '円', '元', '代', '世', '回', '位', '号', '万', '億',
];

struct Weigh<'a> {
    chars: &'a [char],
    tokens: &'a [(usize, usize)],
    vocabulary: &'a Vocabulary,
    certain: &'a [usize],
    doubts: &'a [(usize, Doubt)],
    protected: Vec<bool>,
    /// The places inside a word that show two cells glued (see
    /// [`Weigh::seams`]), with what leaving each uncut costs.
    seams: Vec<(usize, f32)>,
    /// The places right after a part of a figure's name written in a
    /// script without spaces and followed by an ideograph (`織田|信忠`):
    /// there a name goes on, a family's name before a person's.
    after_name: Vec<bool>,
}

/// The places of `row` (its `chars`) right after a part of one of the
/// `names` in a script without spaces when an ideograph follows.
fn after_name_parts(row: &str, chars: &[char], names: &[String]) -> Vec<bool> {
    let mut after = vec![false; chars.len() + 1];
    for part in names.iter().flat_map(|name| super::name_parts(name)) {
        if !part.chars().any(is_spaceless) {
            continue;
        }
        for (byte, _) in row.match_indices(part) {
            let end = row[..byte].chars().count() + part.chars().count();
            if chars.get(end).is_some_and(|&c| ideograph(c)) {
                after[end] = true;
            }
        }
    }
    after
}

impl Weigh<'_> {
    /// The places worth weighing, strongest on their own first.
    fn candidates(&self) -> Vec<usize> {
        let chars = self.chars;
        let mut depth = 0u32;
        let mut in_quote = false;
        let inch_mark = chars
            .windows(2)
            .any(|w| w[0].is_ascii_digit() && w[1] == '"');
        let mut scored: Vec<(f32, usize)> = Vec::new();
        for i in 0..chars.len() {
            if i > 0
                && depth == 0
                && !in_quote
                && !self.protected[i]
                // `°C`, `°F`: the degree sign keeps its letter.
                && !(chars[i - 1] == '°' && chars[i].is_alphabetic())
                // A `"` after a digit may be an inch mark (`5'7"`): then no
                // quotation mark can be told to open or close a cell.
                && !(inch_mark && (chars[i] == '"' || chars[i - 1] == '"'))
                && can_end(chars, i - 1)
                && can_start(chars, i)
            {
                // A place weak alone may be strong in a pair
                // (`Purring|yes|no`: `Purringyes|no` alone leaves a
                // fragment), so only the hopeless are left out here.
                let alone = self.local(i);
                if alone > -6.0 || self.certain.contains(&i) {
                    scored.push((alone, i));
                }
            }
            match chars[i] {
                '(' | '[' | '“' | '«' | '（' | '「' | '『' => depth += 1,
                ')' | ']' | '”' | '»' | '）' | '」' | '』' => depth = depth.saturating_sub(1),
                '"' => in_quote = !in_quote,
                _ => {}
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut kept: Vec<usize> = scored.iter().take(CANDIDATES).map(|&(_, i)| i).collect();
        for &i in self.certain {
            if !kept.contains(&i) && scored.iter().any(|&(_, j)| j == i) {
                kept.push(i);
            }
        }
        kept.sort_unstable();
        kept
    }

    /// The places inside a word where a careful reader sees two cells
    /// glued, with what leaving each inside a cell costs: a capital after
    /// a lowercase word (`Denali|Mount`), a letter or digit right after a
    /// closing bracket (`(CFA)|about`), a capitalised word right after a
    /// number (`1917|Leader`) or after an acronym or code (`FastAPI|React`,
    /// `Objective-C|Kotlin`), and a number right after a lowercase word
    /// (`Mississippi|26`). None inside a figure's name, a word the document
    /// writes whole with a capital inside (`TypeScript`), a known word
    /// (`YouTube`), after a name prefix or particle (`MacArthur`), after an
    /// `i` (`Devices|iPod` is not `Devicesi|Pod`) or after an apostrophe.
    fn seams(&self) -> Vec<(usize, f32)> {
        let chars = self.chars;
        let list_ends = self.list_item_ends();
        let mut seams = Vec::new();
        for &(start, end) in self.tokens {
            for i in start + 1..end {
                let (a, b) = (chars[i - 1], chars[i]);
                if !self.protected[i] && name_ending_in_i(&chars[start..end], i - start) {
                    seams.push((i, 2.0));
                    continue;
                }
                if self.protected[i]
                    || self.doubts.iter().any(|&(p, d)| {
                        p == i
                            && matches!(
                                d,
                                Doubt::NamePrefix
                                    | Doubt::Particle
                                    | Doubt::LetterPrefix
                                    | Doubt::KnownWord
                                    | Doubt::Apostrophe
                                    | Doubt::InchMark
                            )
                    })
                    || inside_camel(chars, self.tokens, i, self.vocabulary)
                {
                    continue;
                }
                let lower_before = chars[start..i]
                    .iter()
                    .rev()
                    .take_while(|c| c.is_lowercase())
                    .count();
                let upper_before = chars[start..i]
                    .iter()
                    .rev()
                    .take_while(|c| c.is_uppercase())
                    .count();
                let word_after =
                    b.is_uppercase() && chars.get(i + 1).is_some_and(|c| c.is_lowercase());
                // (A capital after a lowercase word that begins an acronym,
                // `Fast|API`, is more often one word, `FastAPI`; one capital
                // before a word, `CPython`, is not an acronym.)
                let capitals_after = chars[i..end]
                    .iter()
                    .take_while(|c| c.is_uppercase())
                    .count();
                let acronym_after = capitals_after >= 3
                    || capitals_after == 2 && chars.get(i + 2).is_none_or(|c| !c.is_lowercase());
                let cost = if (a.is_lowercase()
                    && b.is_uppercase()
                    && lower_before >= 2
                    && !acronym_after)
                    || (matches!(a, ')' | ']' | '”' | '»') && b.is_alphanumeric())
                    || (a.is_ascii_digit() && word_after)
                {
                    3.0
                } else if matches!(a, '）' | '」' | '』') && !is_closing(b)
                    || a.is_lowercase() && b.is_uppercase() && lower_before >= 2
                {
                    1.5
                } else if a.is_uppercase()
                    && word_after
                    && (upper_before >= 2
                        || i - upper_before > start
                        || regnal_before(chars, i - upper_before, i))
                    // Not inside a roman numeral (`III` before `σσσ`).
                    && !chars[i - upper_before..=i].iter().all(|c| "IVXLCDM".contains(*c))
                {
                    2.0
                } else if a == '.'
                    && word_after
                    && i >= 2
                    && chars[i - 2].is_uppercase()
                    && value_grammar(&chars[start..i].iter().collect::<String>(), "", false)
                        .is_some()
                {
                    // After an abbreviation (`D.C.|Ottawa`).
                    2.0
                } else if a.is_lowercase() && b.is_ascii_digit() && lower_before >= 3 {
                    1.5
                } else if list_ends.contains(&i) {
                    // The end of an item of a list whose items end alike
                    // (`安土城|大坂城`).
                    2.0
                } else {
                    continue;
                };
                seams.push((i, cost));
            }
        }
        seams
    }

    /// What a reading's places bring, for telling whether each adds
    /// evidence: its words, the seams it cuts and the shape of its cells
    /// (`no|yes` are two answers, `noyes` one unknown word).
    fn evidence(&self, cuts: &[usize]) -> f32 {
        let cells = cut(self.chars, cuts);
        let seams: f32 = self.attested(&cells)
            + self
                .seams
                .iter()
                .filter(|(at, _)| cuts.contains(at))
                .map(|(_, cost)| cost)
                .sum::<f32>();
        self.words(cuts) + seams + shape(&cells[1..])
    }

    /// The points of one place on its own: its kind and its word cut.
    fn local(&self, at: usize) -> f32 {
        self.words(&[at])
    }

    /// The points of the reading that cuts the row at `cuts` (sorted).
    fn score(&self, cuts: &[usize]) -> f32 {
        let cells = cut(self.chars, cuts);
        let mut points = self.words(cuts);
        // A word left whole that is two words glued (`Numbersarbitrary`)
        // hides a cell's start, unless the document writes it whole
        // (`Kingsland`), or it is a capitalised item of a list, a name
        // (`Tupelo, Mississippi26 February 1932, Kingsland`).
        for &(start, end) in self.tokens {
            let list_item =
                start >= 2 && self.chars[start - 2] == ',' && self.chars[start].is_uppercase();
            if !cuts.iter().any(|&c| start < c && c < end)
                && !list_item
                && hides_a_start(&self.chars[start..end])
                && !self
                    .vocabulary
                    .knows(&core(&self.chars[start..end].iter().collect::<String>()).to_lowercase())
            {
                points -= 4.0;
            }
        }
        // An attribute is a label, not a list (`Main implementationsCPython,
        // PyPyV8, Spider`).
        if cells[0].contains(", ") {
            points -= 3.0;
        }
        // An attribute that ends in digits glued to a letter (`享年75`,
        // `Symphonies9`) is no attribute a table has.
        let attribute: Vec<char> = cells[0].chars().collect();
        let digits = attribute
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits > 0
            && digits < attribute.len()
            && attribute[attribute.len() - digits - 1].is_alphabetic()
        {
            points -= 3.0;
        }
        // A seam left inside a cell (`DenaliMount`, `(CFA)about`) is
        // evidence against the reading.
        points -= self.uncut_seams(cuts);
        // And twice inside the attribute, a label seldom written with a
        // capital inside (`implementationsCPython`), where values hold
        // names that do (`SpiderMonkey`).
        points -= self
            .seams
            .iter()
            .filter(|(at, _)| cuts.first().is_some_and(|first| at < first))
            .map(|(_, cost)| cost)
            .sum::<f32>();
        // The row's shape and the prose: a cell the prose writes, and a
        // number the prose gives beside the attribute's words (`nine
        // symphonies` for `Symphonies941`).
        let prose: f32 = cells
            .iter()
            .filter(|cell| self.vocabulary.in_prose(cell))
            .map(|_| 1.5)
            .sum::<f32>()
            + self.attested(&cells);
        points + prose + shape(&cells[1..])
    }

    /// The points of the value `cells` whose number the prose gives beside
    /// the attribute's words (`nine symphonies`), 3 each.
    fn attested(&self, cells: &[String]) -> f32 {
        cells[1..]
            .iter()
            .filter(|cell| self.vocabulary.attested(cell, &cells[0]))
            .map(|_| 3.0)
            .sum()
    }

    /// What the seams a reading leaves inside its cells cost.
    fn uncut_seams(&self, cuts: &[usize]) -> f32 {
        self.seams
            .iter()
            .filter(|(at, _)| !cuts.contains(at))
            .map(|(_, cost)| cost)
            .sum()
    }

    /// The points of the places of a reading and of the words they cut.
    fn words(&self, cuts: &[usize]) -> f32 {
        let chars = self.chars;
        let mut points = 0.0;
        // Each word cut, against the word whole.
        let mut done: Vec<(usize, usize)> = Vec::new();
        for &at in cuts {
            points += self.prior(at);
            let Some((start, end)) = token_at(self.tokens, at) else {
                continue;
            };
            if done.contains(&(start, end)) {
                continue;
            }
            done.push((start, end));
            let inner: Vec<usize> = cuts
                .iter()
                .copied()
                .filter(|&c| start < c && c < end)
                .collect();
            let whole: String = chars[start..end].iter().collect();
            let whole_points = self.piece(&whole, false, self.number_before(start), true);
            // A word known whole (`March`, `Sophia`) is not two cells.
            if whole_points >= 2.0 {
                points -= 5.0;
            }
            let mut from = start;
            for &c in inner.iter().chain(std::iter::once(&end)) {
                let piece: String = chars[from..c].iter().collect();
                let after_number = if from == start {
                    self.number_before(start)
                } else {
                    chars[from - 1].is_ascii_digit()
                };
                let ends_word = c == end || !chars[c].is_lowercase();
                points += self.piece(&piece, true, after_number, ends_word);
                from = c;
            }
            points -= whole_points;
        }
        points
    }

    /// What the kind of place says, before any word is looked up.
    fn prior(&self, at: usize) -> f32 {
        let (a, b) = (self.chars[at - 1], self.chars[at]);
        let mut points = if let Some(&(_, doubt)) = self.doubts.iter().find(|(p, _)| *p == at) {
            match doubt {
                Doubt::NamePrefix => -8.0,
                Doubt::KnownWord => -6.0,
                _ => -2.5,
            }
        } else if self.certain.contains(&at) {
            1.5
        } else if is_spaceless(a) && is_spaceless(b) {
            -1.0
        } else if b.is_ascii_digit() && self.chars[..at].iter().all(|&c| is_spaceless(c)) {
            // An attribute of a script without spaces, then a number
            // (`享年|7553`): as plain a place as a capital after a word.
            2.0
        } else if a.is_lowercase() && b.is_lowercase() {
            // Inside a capitalised word (`Washing|ton`) a cell seldom ends.
            let mut k = at - 1;
            while k > 0 && self.chars[k - 1].is_lowercase() {
                k -= 1;
            }
            let inside = if inside_a_word(self.chars, at) {
                -4.0
            } else {
                0.0
            };
            inside
                + if k > 0
                    && self.chars[k - 1].is_uppercase()
                    && (k < 2
                        || !self.chars[k - 2].is_alphabetic()
                        // A capitalised word after a seam (`C|Kotl|in`).
                        || self.seams.iter().any(|&(p, _)| p == k - 1))
                {
                    -3.0
                } else {
                    -1.5
                }
        } else if a.is_uppercase() && b.is_lowercase() {
            -2.0
        } else if a.is_ascii_digit() && b.is_ascii_digit() {
            // `1|5th`: a number cut from its own suffix is no number.
            let suffixed = self.chars[at..]
                .iter()
                .take_while(|c| c.is_alphanumeric())
                .any(|c| c.is_alphabetic());
            if suffixed { -6.0 } else { -0.5 }
        } else {
            0.0
        };
        if inside_camel(self.chars, self.tokens, at, self.vocabulary) {
            points -= 6.0;
        }
        points
    }

    /// The points of a piece of a word: what is known of it, from the
    /// document, the word list and the grammar of values. A `fragment` is
    /// made by a cut; an unknown whole word (a name, say) costs less than
    /// an unknown fragment. `after_number`: the word before it is a number;
    /// `ends_word`: the piece ends where its word does, or before a capital
    /// or digit, so that a capitalised piece has the shape of a name.
    fn piece(&self, piece: &str, fragment: bool, after_number: bool, ends_word: bool) -> f32 {
        let word = core(piece);
        if word.is_empty() {
            return 0.0;
        }
        if word.chars().all(|c| c.is_ascii_digit()) && self.vocabulary.knows(word) {
            return 3.0;
        }
        if spaceless_value(word) {
            return 2.0;
        }
        if let Some(points) = value_grammar(
            piece,
            word,
            after_number && !(fragment && word.chars().count() < 2),
        ) {
            return points;
        }
        if word.contains('-') && !word.starts_with('-') && !word.ends_with('-') {
            // `arbitrary-precision`: as good as its weakest part; a code
            // letter (`Objective-C`) beside a word is no weakness.
            let parts: Vec<&str> = word.split('-').collect();
            let code = |part: &str| {
                part.chars().count() == 1 && part.chars().all(char::is_uppercase)
                    || PREFIXES.contains(&part.to_lowercase().as_str())
            };
            return parts
                .iter()
                .filter(|part| !code(part) || parts.iter().all(|p| code(p)))
                .map(|part| self.piece(part, fragment, false, true))
                .fold(f32::INFINITY, f32::min);
        }
        let lower = word.to_lowercase();
        let stem = lower
            .strip_suffix("'s")
            .or_else(|| lower.strip_suffix("’s"))
            .unwrap_or(&lower);
        let letters = word.chars().filter(|c| c.is_alphabetic()).count();
        if word.chars().any(is_spaceless) {
            // No word list for these scripts: the document's prose is the
            // evidence, and only for pieces of two characters or more.
            return if self.vocabulary.spaceless_in_prose(&lower) {
                2.0
            } else if fragment {
                -2.5
            } else {
                -0.5
            };
        }
        // Two capitals before a lowercase letter (`AYes`, `NYes`) are two
        // things glued, whatever word the letters spell (`ayes`), unless the
        // document writes the word (`CPython`).
        let mut letters_of = word.chars();
        let glued_capitals = letters_of.next().is_some_and(char::is_uppercase)
            && letters_of.next().is_some_and(char::is_uppercase)
            && letters_of.next().is_some_and(char::is_lowercase);
        if glued_capitals && !self.vocabulary.knows(&lower) {
            return if fragment { -3.0 } else { -1.0 };
        }
        if self.vocabulary.knows(&lower) || self.vocabulary.knows(stem) {
            return if letters >= 2 { 3.0 } else { 0.5 };
        }
        if letters >= 2 && (lexicon::is_word(stem) || lexicon::is_word(&lower)) {
            // Short words are everywhere: `po`, `int`, `ton` prove little.
            return if letters >= 4 { 2.0 } else { 0.5 };
        }
        // A name the word list does not have (`Ottawa` in `D.C.Ottawa`): a
        // capital, lowercase letters, and the end of the word.
        if fragment && ends_word && name_shaped(word) {
            return -0.5;
        }
        if word.chars().all(|c| c.is_uppercase()) && (2..=6).contains(&letters) {
            return 0.5;
        }
        if letters <= 2 {
            return if fragment { -3.5 } else { -1.0 };
        }
        if fragment { -3.0 } else { -1.0 }
    }

    /// Whether the place `at` is a seam a careful reader sees (a capital
    /// after a lowercase word, a capitalised word after a number, an
    /// acronym or a closing bracket: [`Weigh::seams`]) and `right`, the
    /// piece after it, has the shape of a name: a capital, then lowercase
    /// letters to the end of the word (`Exile|Elba`, `Objective-C|Kotlin`,
    /// `Joseph II|Francis`). The word list has no proper nouns, so a name
    /// is supported by the seam before it; the piece before the seam must
    /// still be known on its own, and be a word whole, not a piece another
    /// cut made (`Roji|jean|Aaa`).
    fn name_at_seam(&self, at: usize, right: &str) -> bool {
        self.seams.iter().any(|&(p, cost)| p == at && cost >= 2.0) && name_shaped(core(right))
    }

    /// Whether the place `at` of the reading `cuts` is between two names
    /// glued at the row's only seams (`MissouriMackenzie`, `DenaliMount
    /// Logan`): each piece a capital and lowercase letters, beginning at its
    /// word or at a seam, the place a seam or an `i` before a capital, and
    /// no seam left inside a cell (`every_seam_cut`), so that nothing
    /// competes with them. The word list has no proper nouns, so a name
    /// ending in `i` (`Denali`) is told from a word before an `i`-word
    /// (`Devices|iWatch`) by the word without its `i`.
    fn glued_names(&self, cuts: &[usize], at: usize, every_seam_cut: bool) -> bool {
        let Some((start, end)) = token_at(self.tokens, at) else {
            return false;
        };
        let from = cuts
            .iter()
            .copied()
            .filter(|&c| c > start && c < at)
            .max()
            .unwrap_or(start);
        let to = cuts
            .iter()
            .copied()
            .filter(|&c| c > at && c < end)
            .min()
            .unwrap_or(end);
        let left: String = self.chars[from..at].iter().collect();
        let right: String = self.chars[at..to].iter().collect();
        let seam = |p: usize| self.seams.iter().any(|&(q, cost)| q == p && cost >= 2.0);
        every_seam_cut
            && (from == start || seam(from))
            && name_shaped(core(&left))
            && name_shaped(core(&right))
            && seam(at)
    }

    /// The places of a row whose values are as many dotted codes as it
    /// has values, and nothing else (`File extension.py.js`, `Internet
    /// domain.us.ca`): a dot, a lowercase letter, then one to three more
    /// lowercase letters or digits, each (`.mp3`; not `.5`, which ends an
    /// abbreviation before a number, `No.5`). The attribute before them must be words of the list, so that
    /// a name glued to a domain (`Websitegoogle.com.au`) stays in doubt.
    fn dotted_values(&self, wanted: usize) -> Option<Vec<usize>> {
        let chars = self.chars;
        let dots: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] == '.').collect();
        if dots.len() != wanted || dots[0] == 0 {
            return None;
        }
        let code = |from: usize, to: usize| {
            (3..=5).contains(&(to - from))
                && chars[from + 1].is_ascii_lowercase()
                && chars[from + 1..to]
                    .iter()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        };
        let ends = dots
            .iter()
            .skip(1)
            .copied()
            .chain(std::iter::once(chars.len()));
        let attribute: String = chars[..dots[0]].iter().collect();
        (dots.iter().zip(ends).all(|(&from, to)| code(from, to))
            && chars[dots[0] - 1].is_alphabetic()
            && self.all_known(&attribute)
            && attribute
                .split_whitespace()
                .all(|word| self.piece(word, false, false, true) >= 2.0))
        .then_some(dots)
    }

    /// Whether every word of `cell` is known (to the document, the word
    /// list or the grammar of values).
    fn all_known(&self, cell: &str) -> bool {
        // And one of them a word (`Age`), not only numbers and codes
        // (`1 (AA)`).
        cell.split_whitespace()
            .all(|word| self.piece(word, false, false, true) > 0.25)
            && cell.split_whitespace().any(|word| {
                core(word).chars().filter(|c| c.is_alphabetic()).count() >= 3
                    && self.piece(word, false, false, true) >= 2.0
            })
    }

    /// Whether the prose writes both numbers either side of `at` (`211` and
    /// `10` in `21110`).
    fn numbers_known(&self, at: usize) -> bool {
        let before: String = self.chars[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_digit())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after: String = self.chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        // One digit is in any prose: only numbers of two digits or more.
        before.len() >= 2
            && after.len() >= 2
            && self.vocabulary.knows(&before)
            && self.vocabulary.knows(&after)
    }

    /// Whether the prose writes the whole run of digits around `at` as one
    /// number (`2110`): then it is not two.
    fn number_written_whole(&self, at: usize) -> bool {
        let start = at
            - self.chars[..at]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_digit())
                .count();
        let run: String = self.chars[start..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        self.vocabulary.knows(&run)
    }

    /// The places right after the ending the items of the row's
    /// `、` lists share (`城` in `岐阜城、安土城大坂城、伏見城`, `の戦い`),
    /// inside a stretch between two `、` that holds that ending twice: there
    /// one item ends and the next begins. The ending is the longest of one
    /// to three characters that every stretch but the first ends with, with
    /// three stretches at least.
    fn list_item_ends(&self) -> Vec<usize> {
        let chars = self.chars;
        // The stretches between `、` outside brackets, as (start, end).
        let mut stretches = Vec::new();
        let (mut depth, mut from) = (0u32, 0);
        for (i, &c) in chars.iter().enumerate() {
            match c {
                '（' | '(' | '「' => depth += 1,
                '）' | ')' | '」' => depth = depth.saturating_sub(1),
                '、' if depth == 0 => {
                    stretches.push((from, i));
                    from = i + 1;
                }
                _ => {}
            }
        }
        stretches.push((from, chars.len()));
        if stretches.len() < 3 {
            return Vec::new();
        }
        let ending = (1..=3).rev().find_map(|k| {
            let (s, e) = stretches[1];
            if e < s + k {
                return None;
            }
            let ending = &chars[e - k..e];
            stretches[1..]
                .iter()
                .all(|&(s, e)| e >= s + k && &chars[e - k..e] == ending)
                .then_some(ending)
        });
        let Some(ending) = ending else {
            return Vec::new();
        };
        let k = ending.len();
        stretches
            .iter()
            .flat_map(|&(s, e)| (s + k..e).map(move |at| (at, e)))
            .filter(|&(at, e)| {
                &chars[at - k..at] == ending && chars[at..e].ends_with(ending) && e - at > k
            })
            .map(|(at, _)| at)
            .collect()
    }

    /// Whether the word before the one starting at `start` ends in a digit.
    fn number_before(&self, start: usize) -> bool {
        self.chars[..start]
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| c.is_ascii_digit())
    }

    /// Whether a reading cuts where no reader would: a number from its
    /// suffix or unit (`1|st`, `72|kg`, `1582|年`), a date of a script
    /// without spaces between its parts (`1582年|6月`), a decimal number at
    /// its point (`3.|5`), a possessive from its `s` or a roman numeral
    /// inside (`VI|II`). Such a reading is no rival to the others: it is
    /// left out before they are compared.
    fn impossible(&self, cuts: &[usize]) -> bool {
        for &at in cuts {
            if self.chars[at - 1].is_ascii_digit() && suffix_after(self.chars, at) {
                return true;
            }
            // A date of a script without spaces between its parts
            // (`1582年|6月|21日`).
            let unit_before = |unit: char| {
                self.chars[at - 1] == unit && at >= 2 && self.chars[at - 2].is_ascii_digit()
            };
            let unit_after = |unit: char| {
                let digits = self.chars[at..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                digits > 0 && self.chars.get(at + digits) == Some(&unit)
            };
            if unit_before('年') && unit_after('月') || unit_before('月') && unit_after('日') {
                return true;
            }
            // A decimal number at its point (`3.|5`, `3|.5`).
            let digit = |k: usize| self.chars.get(k).is_some_and(char::is_ascii_digit);
            if (self.chars[at - 1] == '.' && at >= 2 && digit(at - 2) && digit(at))
                || (self.chars[at] == '.' && digit(at - 1) && digit(at + 1))
            {
                return true;
            }
            // A possessive from its `s` (`Leon’|syes` in `Leon’syes`).
            if matches!(self.chars[at - 1], '\'' | '’') && self.chars[at] == 's' {
                return true;
            }
            // A roman numeral from a roman numeral (`VI|II` in `VIII`).
            if roman_letters_before(self.chars, at) && roman_letters_after(self.chars, at) {
                return true;
            }
        }
        false
    }

    /// Whether every boundary of a reading has known pieces on both sides,
    /// or cells the prose writes on both sides. A certain place needs that
    /// too here: it is weighed because the certain places did not settle
    /// the row.
    fn supported(&self, cuts: &[usize]) -> bool {
        let cells = cut(self.chars, cuts);
        let words = self.evidence(cuts);
        // A number is cut from a number (`25|18`) only between two cells
        // that are numbers whole (a number, a year, a range), into two
        // numbers the prose writes, two years, or two of two digits after an
        // attribute of known words without numbers of its own (`Age at
        // coronation`, not `1代1500年1月1日`): `16|1|0` in
        // `1 January 1610` is no reading, nor `100|110 kg`. Nor is a number
        // cut from its suffix or unit (`1|st`, `72|kg`).
        for (n, &at) in cuts.iter().enumerate() {
            if self.chars[at - 1].is_ascii_digit()
                && self.chars[at].is_ascii_digit()
                && !dates_meet(&cells[n], &cells[n + 1])
                // `5/4|5/4`: one marked value twice.
                && !(n >= 1 && cells[n] == cells[n + 1] && marked_value(&cells[n]))
                && (!kind(&cells[n]).is_number()
                    || !kind(&cells[n + 1]).is_number()
                    || !(self.numbers_known(at)
                        || self.vocabulary.attested(&cells[n], &cells[0])
                        || self.vocabulary.attested(&cells[n + 1], &cells[0])
                        || same_digit_runs(self.chars, at)
                            && !year_run(self.chars, at)
                            && !self.number_written_whole(at)
                            && !cells[0].chars().any(|c| c.is_ascii_digit())
                            && (self.all_known(&cells[0]) || spaceless_word(&cells[0]))))
            {
                return false;
            }
        }
        if self.impossible(cuts) {
            return false;
        }
        let every_seam_cut = self
            .seams
            .iter()
            .filter(|(_, cost)| *cost >= 2.0)
            .all(|(p, _)| cuts.contains(p));
        cuts.iter().enumerate().all(|(n, &at)| {
            // Inside a word the prose writes whole (`Type|Script`), never;
            // nor where the place adds evidence against a boundary (`VI|II`
            // in `VIII`), whatever the other places bring.
            let glued_names = self.glued_names(cuts, at, every_seam_cut);
            let without: Vec<usize> = cuts.iter().copied().filter(|&c| c != at).collect();
            if inside_camel(self.chars, self.tokens, at, self.vocabulary)
                || words <= self.evidence(&without) && !glued_names
            {
                return false;
            }
            let (before, after) = (&cells[n], &cells[n + 1]);
            let both_in_prose = self.vocabulary.in_prose(before) && self.vocabulary.in_prose(after);
            if is_spaceless(self.chars[at - 1])
                && (is_spaceless(self.chars[at])
                    || matches!(self.chars[at], '（' | '(' | '「' | '『' | '、'))
            {
                // Nothing shows a boundary inside a run of these scripts (a
                // bracket there belongs to the word before it, `城（甲府）`):
                // the prose must write both cells, and not the two as one run.
                let tail: String = before
                    .chars()
                    .rev()
                    .take(2)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                let head: String = after.chars().take(2).collect();
                if self.vocabulary.prose.contains(&format!("{tail}{head}")) || self.after_name[at] {
                    return false;
                }
                // The list item on either side of the place (to the `、`
                // or the cell's end), written as a word in the prose, or the
                // end of an item of a list whose items end alike
                // (`岐阜城、安土城|大坂城、伏見城`).
                let item_before = before.rsplit('、').next().unwrap_or(before);
                let item_after = after.split('、').next().unwrap_or(after);
                return both_in_prose
                    || self.vocabulary.spaceless_in_prose(item_before)
                    || self.vocabulary.spaceless_in_prose(item_after)
                    // (The only seams between two letters of these scripts.)
                    || self.seams.iter().any(|&(p, _)| p == at);
            }
            if both_in_prose {
                return true;
            }
            // In a script without spaces, a value that begins with a number
            // and its unit (`49歳`, `1534年`, `6月`) after a cell that closes
            // what it opens (`享年|49歳`, `（伏見城）|1598年`) shows where
            // it starts, as a capital does in English.
            if spaceless_number_starts(self.chars, at, before) {
                return true;
            }
            let Some((start, end)) = token_at(self.tokens, at) else {
                return true;
            };
            let before = cuts
                .iter()
                .copied()
                .filter(|&c| c > start && c < at)
                .max()
                .unwrap_or(start);
            let after = cuts
                .iter()
                .copied()
                .filter(|&c| c > at && c < end)
                .min()
                .unwrap_or(end);
            let left: String = self.chars[before..at].iter().collect();
            let right: String = self.chars[at..after].iter().collect();
            let after_number = if before == start {
                self.number_before(start)
            } else {
                self.chars[before - 1].is_ascii_digit()
            };
            // A short word of the list is evidence only as a whole cell
            // (`yes`, `no`), not as a piece of one (`po`, `int`).
            let whole_cell = |piece: &str, cell: &str| {
                let lower = cell.to_lowercase();
                piece == cell
                    && (ANSWERS.contains(&lower.as_str())
                        || cell.chars().count() >= 4 && lexicon::is_word(&lower))
            };
            // (A seam alone does not support a piece with the shape of a
            // name: random words of the list beside it (`bere|etas|Aaa`)
            // would then split.)
            let (floor, left_floor) = (0.75, 0.75);
            // An attribute of a script without spaces ends where a number
            // begins (`享年|7553`).
            let spaceless_attribute =
                n == 0 && spaceless_word(&cells[0]) && self.chars[at].is_ascii_digit();
            let right_known =
                self.piece(&right, true, self.chars[at - 1].is_ascii_digit(), true) > floor;
            (self.piece(&left, true, after_number, true) > left_floor
                || spaceless_attribute
                || right_known && before > start && self.name_at_seam(at, &left)
                // Two names glued at the row's only seams
                // (`MissouriMackenzie`, `DenaliMount Logan`): with no seam
                // left inside a cell, nothing competes with them.
                || glued_names
                || whole_cell(&left, &cells[n])
                || closes_itself(&cells[n])
                || repeated(&cells, n))
                && (right_known
                    || glued_names
                    || before == start && self.name_at_seam(at, &right)
                    || whole_cell(&right, &cells[n + 1])
                    || opens_itself(&cells[n + 1])
                    || repeated(&cells, n + 1)
                    || first_short_word(&right, &cells[n + 1]))
        })
    }
}

/// Whether a cell of a spaceless script begins at `at` with a number and
/// its unit: the character before is of such a script or closes a bracket,
/// `before` (the cell that ends there) is all such text with its brackets
/// closed, and the digits at `at` are followed by a unit of those scripts
/// (`年`, `歳`, `月`...).
fn spaceless_number_starts(chars: &[char], at: usize, before: &str) -> bool {
    let previous = chars[at - 1];
    if !(is_spaceless(previous) || matches!(previous, '）' | ')' | '」' | '』')) {
        return false;
    }
    let digits = chars[at..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let unit = chars.get(at + digits).copied();
    if digits == 0 || !unit.is_some_and(|u| SPACELESS_UNITS.contains(&u)) {
        return false;
    }
    // The cell before is of the script (digits, its punctuation and
    // brackets aside), and opens no bracket it does not close.
    let opens = before
        .chars()
        .filter(|c| matches!(c, '（' | '(' | '「' | '『'))
        .count();
    let closes = before
        .chars()
        .filter(|c| matches!(c, '）' | ')' | '」' | '』'))
        .count();
    opens == closes
        && before.chars().any(is_spaceless)
        && before
            .chars()
            .all(|c| is_spaceless(c) || c.is_ascii_digit() || !c.is_alphanumeric())
}

/// Whether `cell` ends in a closing bracket or quotation mark that it
/// opens itself (`45 (CFA)`, `"I shall return"`): its end shows.
fn closes_itself(cell: &str) -> bool {
    let Some(last) = cell.chars().next_back() else {
        return false;
    };
    balanced_with(cell, last) && cell.chars().count() >= 3
}

/// Whether `cell` begins with an opening bracket or quotation mark that it
/// closes itself (`"military-industrial complex"`): its start shows.
fn opens_itself(cell: &str) -> bool {
    let Some(first) = cell.chars().next() else {
        return false;
    };
    let close = match first {
        '(' => ')',
        '[' => ']',
        '“' => '”',
        '（' => '）',
        '「' => '」',
        '『' => '』',
        '"' => '"',
        _ => return false,
    };
    cell.chars().skip(1).any(|c| c == close) && balanced_with(cell, close)
}

/// Whether the closing mark `close` pairs with an opening one in `cell`,
/// and every bracket of that kind in it is paired.
fn balanced_with(cell: &str, close: char) -> bool {
    let open = match close {
        ')' => '(',
        ']' => '[',
        '”' => '“',
        '）' => '（',
        '」' => '「',
        '』' => '『',
        '"' => {
            let quotes = cell.chars().filter(|&c| c == '"').count();
            return quotes >= 2 && quotes % 2 == 0;
        }
        _ => return false,
    };
    let mut depth = 0i32;
    for c in cell.chars() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth < 0 {
                return false;
            }
        }
    }
    depth == 0 && cell.contains(open)
}

/// A number under a hundred in English words, as prose writes it
/// (`nine`, `forty-one`).
fn number_words(n: u64) -> Option<String> {
    const ONES: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 10] = [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    let n = usize::try_from(n).ok()?;
    match n {
        0..=19 => Some(ONES[n].to_string()),
        20..=99 if n % 10 == 0 => Some(TENS[n / 10].to_string()),
        20..=99 => Some(format!("{}-{}", TENS[n / 10], ONES[n % 10])),
        _ => None,
    }
}

/// Whether `word` is a value of a script without spaces: numbers with
/// their units (`1582年6月21日`, `49歳`), then only text of that script
/// and its brackets (`（本能寺の変）`, `、尾張国`, `に完成`), as a date or
/// an age begins a cell in such a table.
fn spaceless_value(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let mut at = 0;
    let mut groups = 0;
    loop {
        let digits = chars[at..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0
            || !chars
                .get(at + digits)
                .is_some_and(|c| SPACELESS_UNITS.contains(c))
        {
            break;
        }
        groups += 1;
        at += digits + 1;
    }
    groups > 0
        && chars[at..].iter().all(|&c| {
            is_spaceless(c) || matches!(c, '（' | '）' | '、' | '・' | '～' | '「' | '」')
        })
}

/// The kind of letter `c` is among the scripts without spaces: 0 an
/// ideograph, 1 hiragana, 2 katakana, 3 another such script (Thai, Hangul),
/// 4 anything else. A run of one kind shows no boundary inside.
fn kind_of_letter(c: char) -> u8 {
    if ideograph(c) {
        0
    } else if ('\u{3041}'..='\u{309F}').contains(&c) {
        1
    } else if ('\u{30A0}'..='\u{30FF}').contains(&c) || ('\u{31F0}'..='\u{31FF}').contains(&c) {
        2
    } else if is_spaceless(c) {
        3
    } else {
        4
    }
}

/// Whether `c` is an ideograph (or the `々` and `ヶ` written inside runs
/// of them), whose runs have no visible boundary inside.
fn ideograph(c: char) -> bool {
    super::names::is_han(c) || matches!(c, '々' | 'ヶ')
}

/// Whether `cell` is one word of a script without spaces, two characters
/// or more (`享年`): such an attribute ends where a number begins.
fn spaceless_word(cell: &str) -> bool {
    cell.chars().count() >= 2 && cell.chars().all(is_spaceless)
}

/// Whether `word` has the shape of a name: a capital, then at least two
/// lowercase letters (or apostrophes) and nothing else (`Ottawa`, `Dunkin'`).
fn name_shaped(word: &str) -> bool {
    let mut shape = word.chars();
    let Some(first) = shape.next() else {
        return false;
    };
    first.is_uppercase()
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && shape.all(|c| c == '\'' || c == '’' || c.is_lowercase() && script(c) == script(first))
}

/// A letter's alphabet, roughly: Latin, Greek, Cyrillic or another. A
/// name is written in one (`Eσσα` is two pieces, not a name).
fn script(c: char) -> u8 {
    match c {
        '\u{0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => 0,
        c if super::names::is_greek(c) => 1,
        '\u{400}'..='\u{52F}' => 2,
        _ => 3,
    }
}

/// Whether value cell `k` of `cells` (the attribute is 0) is written the
/// same as another value cell: the repetition shows where it begins and ends.
fn repeated(cells: &[String], k: usize) -> bool {
    k >= 1
        && (cells[k].chars().filter(|c| c.is_alphabetic()).count() >= 4 || marked_value(&cells[k]))
        && cells[1..]
            .iter()
            .enumerate()
            .any(|(j, other)| j + 1 != k && *other == cells[k])
}

/// Whether `cell` is a short value whose sign or stroke shows where it
/// begins or ends (`+1`, `5/4`, `.us`): written twice in a row, it is no
/// chance repetition of digits.
fn marked_value(cell: &str) -> bool {
    let chars: Vec<char> = cell.chars().collect();
    // A sign or dot that begins it (`+1`, `.us`), or a fraction of one
    // digit over one digit (`5/4`: `2/33` twice could as well be `2/3` and
    // `32/33`).
    chars.len() >= 2
        && (matches!(chars[0], '+' | '.' | '−') && chars[1..].iter().all(|c| c.is_alphanumeric())
            || chars.len() == 3
                && chars[0].is_ascii_digit()
                && chars[1] == '/'
                && chars[2].is_ascii_digit())
}

/// Whether `piece` is the first word of `cell`, an article or an answer
/// followed by a space (`a clowder`, `the Gopher`, `yes (1942)`): a word
/// of its own there, not a piece of one. (Other short words are pieces of
/// longer ones too often: `Char|les`.)
fn first_short_word(piece: &str, cell: &str) -> bool {
    cell.strip_prefix(piece)
        .is_some_and(|rest| rest.starts_with(' '))
        && matches!(piece, "a" | "an" | "the" | "yes" | "no")
}

/// Whether the capitals from `from` to `to` are a roman numeral after a
/// capitalised word and a space, as in a regnal name (`Leo X`).
fn regnal_before(chars: &[char], from: usize, to: usize) -> bool {
    from >= 3
        && chars[from..to].iter().all(|c| "IVXLCDM".contains(*c))
        && chars[from - 1] == ' '
        && chars[from - 2].is_lowercase()
        && {
            let mut k = from - 2;
            while k > 0 && chars[k - 1].is_lowercase() {
                k -= 1;
            }
            chars[k].is_uppercase() || (k > 0 && chars[k - 1].is_uppercase())
        }
}

/// A closing mark or punctuation that ends what comes before it.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '）' | '」' | '』' | '、' | '。' | ')' | ']' | ',' | '.' | '，' | '・' | '～'
    )
}

/// A cell may end in a letter or digit, or closing punctuation.
fn can_end(chars: &[char], j: usize) -> bool {
    let c = chars[j];
    // Not in a foot mark (`5'` in `5'7"`).
    if matches!(c, '\'' | '’' | '′') && j > 0 && chars[j - 1].is_ascii_digit() {
        return false;
    }
    c.is_alphanumeric()
        || matches!(
            c,
            '.' | '!'
                | '?'
                | ')'
                | ']'
                | '"'
                | '”'
                | '’'
                | '\''
                | '%'
                | '°'
                | '）'
                | '」'
                | '』'
                | '»'
        )
}

/// A cell may begin with a letter or digit of any case, or an opening mark.
fn can_start(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    // `+1`, `.us`, `#1`: a sign or dot before a letter or digit.
    if matches!(c, '+' | '.' | '#') {
        return chars[i - 1] != c && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
    }
    c.is_alphanumeric()
        || matches!(
            c,
            '"' | '“'
                | '('
                | '['
                | '‘'
                | '¿'
                | '¡'
                | '«'
                | '$'
                | '€'
                | '£'
                | '¥'
                | '（'
                | '「'
                | '『'
        )
}

/// What the grammar of values says of a piece: `None` when it is not a
/// number, a measurement, a roman numeral or an abbreviation.
fn value_grammar(piece: &str, word: &str, after_number: bool) -> Option<f32> {
    // Abbreviations: `D.C.`, `U.S.`, `e.g.`, `π.Χ.` (the full stop is
    // trimmed from `word`, so look at the piece).
    let trimmed = piece.trim_end_matches([',', ';', ':', ')']);
    let mut letters = trimmed.split('.');
    if trimmed.ends_with('.')
        && trimmed.len() >= 3
        && trimmed.matches('.').count() >= 2
        && letters
            .all(|p| p.is_empty() || p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
    {
        return Some(2.0);
    }
    if is_roman(word) {
        return Some(2.0);
    }
    let digits = word.chars().filter(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        // A unit is a unit only after a number (`72 kg`, `lb)` in `(159 lb)`);
        // a one-letter one only as a word of its own (`5 A`), not glued.
        let lower = word.to_lowercase();
        return (after_number && UNITS.contains(&lower.as_str())).then_some(2.0);
    }
    // Year ranges and ranges: 1643–1715, 60–70.
    if let Some((a, b)) = word.split_once(['–', '-', '—'])
        && let (Some(x), Some(y)) = (number(a), number(b))
    {
        return Some(if x.1 && y.1 { 3.0 } else { 1.5 });
    }
    if let Some((_, year)) = number(word) {
        return Some(if year { 2.5 } else { 1.5 });
    }
    // A signed number (`+1`, `−5`), a ratio or fraction (`5/4`, `24/7`).
    if let Some(rest) = word.strip_prefix(['+', '−', '-'])
        && number(rest).is_some()
    {
        return Some(1.5);
    }
    if let Some((a, b)) = word.split_once('/')
        && number(a).is_some()
        && number(b).is_some()
    {
        return Some(1.5);
    }
    // A number and a unit glued (`72kg`, `1534年`, `20th`, `1990s`).
    let split = word.find(|c: char| !c.is_ascii_digit() && c != '.' && c != ',')?;
    let (n, unit) = word.split_at(split);
    number(n)?;
    let unit_lower = unit.to_lowercase();
    // A one-letter unit glued to a number (`1J`) is as likely a code.
    if (UNITS.contains(&unit_lower.as_str()) && unit.chars().count() >= 2)
        || matches!(unit_lower.as_str(), "st" | "nd" | "rd" | "th" | "s")
        || unit.chars().all(|c| SPACELESS_UNITS.contains(&c))
    {
        return Some(2.0);
    }
    Some(-2.0)
}

/// A number written as numbers are (no leading zero, at most 4 digits
/// unless grouped or decimal), with whether it reads as a year.
fn number(text: &str) -> Option<(u64, bool)> {
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let whole = text.split('.').next().unwrap_or("");
    if whole.len() > 1 && whole.starts_with('0') {
        return None;
    }
    let plain: String = whole.chars().filter(char::is_ascii_digit).collect();
    if whole.contains(',') {
        // Grouped by thousands: 1,000 or 12,500,000.
        let groups: Vec<&str> = whole.split(',').collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    } else if plain.len() > 4 {
        return None;
    }
    let n: u64 = plain.parse().ok()?;
    let year = !whole.contains(',') && plain.len() == 4 && (1000..=2100).contains(&n);
    Some((n, year))
}

fn is_roman(word: &str) -> bool {
    const NUMERALS: &[&str] = &[
        "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XVI",
        "XVII", "XVIII", "XIX", "XX", "XXI",
    ];
    NUMERALS.contains(&word)
}

/// The kind of a value cell, for the row's shape.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Kind {
    Year,
    Number(usize),
    Range,
    Measure,
    Date,
    /// `yes`, `no`, `none`, alone or before a bracket (`yes (1942)`).
    Answer,
    Text,
}

impl Kind {
    fn is_number(self) -> bool {
        matches!(self, Kind::Year | Kind::Number(_) | Kind::Range)
    }
}

/// Prefixes written with a hyphen (`non-retractable`): no weakness of the
/// word they begin.
const PREFIXES: &[&str] = &[
    "non", "anti", "pre", "post", "semi", "self", "co", "ex", "sub", "multi", "pro", "inter",
    "mid", "half", "re",
];

/// The answers a value cell can be whole.
const ANSWERS: &[&str] = &[
    "yes", "no", "none", "n/a", "unknown", "partial", "both", "neither",
];

fn kind(cell: &str) -> Kind {
    let cell = cell.trim();
    let (head, rest) = cell.split_once(' ').unwrap_or((cell, ""));
    if ANSWERS.contains(&head.to_lowercase().as_str()) && (rest.is_empty() || rest.starts_with('('))
    {
        return Kind::Answer;
    }
    let first = cell.split_whitespace().next().unwrap_or("");
    if let Some((_, year)) = number(cell) {
        return if year {
            Kind::Year
        } else {
            Kind::Number(cell.chars().filter(char::is_ascii_digit).count())
        };
    }
    if let Some((a, b)) = cell.split_once(['–', '-'])
        && number(a).is_some()
        && number(b).is_some()
    {
        return Kind::Range;
    }
    let words: Vec<&str> = cell.split_whitespace().collect();
    if number(first).is_some() && words.len() >= 2 {
        let second = core(words[1]).to_lowercase();
        if UNITS.contains(&second.as_str()) {
            return Kind::Measure;
        }
        // A day is 1 to 31, and a year after it has three digits or more.
        let day = number(first).is_some_and(|(d, _)| (1..=31).contains(&d));
        let year = words.get(2).is_none_or(|w| {
            !core(w).starts_with(|c: char| c.is_ascii_digit()) || core(w).len() >= 3
        });
        if MONTHS.contains(&second.as_str()) && day && year {
            return Kind::Date;
        }
    }
    if MONTHS.contains(&core(first).to_lowercase().as_str())
        && words.get(1).is_some_and(|w| number(core(w)).is_some())
    {
        return Kind::Date;
    }
    if first.chars().next().is_some_and(|c| c.is_ascii_digit())
        && first.chars().any(|c| SPACELESS_UNITS.contains(&c))
    {
        return Kind::Measure;
    }
    Kind::Text
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// What the value cells' kinds say: cells of one kind support each other.
fn shape(values: &[String]) -> f32 {
    // The same value for every figure (`paw pads only` twice, `+1+1`): the
    // repetition itself shows where it begins.
    if values.len() >= 2 && values.iter().all(|v| *v == values[0]) && values[0].chars().count() >= 2
    {
        return 6.0;
    }
    let kinds: Vec<Kind> = values.iter().map(|v| kind(v)).collect();
    let Some(first) = kinds.first() else {
        return 0.0;
    };
    if *first == Kind::Text || kinds.iter().any(|k| k != first) {
        // A number cell beside a text cell is no evidence either way, but
        // two numbers of different lengths are less likely than the same.
        let numbers = kinds
            .iter()
            .filter(|k| matches!(k, Kind::Number(_) | Kind::Year))
            .count();
        // Lists of as many items (`Django, Flask, FastAPI` and `React,
        // Angular, Express`) are one kind of cell.
        let items: Vec<usize> = values.iter().map(|v| v.split(", ").count()).collect();
        let lists = if items.len() >= 2 && items.iter().all(|&n| n >= 2 && n == items[0]) {
            2.0
        } else {
            0.0
        };
        return lists + if numbers >= 2 { 0.5 } else { 0.0 };
    }
    // Numbers of as many digits (`25` and `18` in `2518`) most of all, and
    // answers (`yes`, `no`).
    let per_pair = if matches!(first, Kind::Number(_) | Kind::Answer) {
        3.5
    } else {
        2.0
    };
    // Numbers of one size (`26` and `28`, not `262` and `8`).
    let sizes: Vec<u64> = values
        .iter()
        .filter_map(|v| number(v))
        .map(|(n, _)| n)
        .collect();
    let close = sizes.len() == values.len()
        && sizes.iter().all(|&n| n > 0)
        && sizes
            .iter()
            .max()
            .zip(sizes.iter().min())
            .is_some_and(|(max, min)| *max <= min * 2);
    per_pair * (kinds.len() - 1) as f32 + if close { 1.5 } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn decide_in(row: &str, prose: &str, figures: &[&str]) -> Decision {
        let figures = names(figures);
        let evidence = Evidence::new(vec![prose], Vec::new(), &figures);
        decide(row, figures.len() + 1, &evidence)
    }

    fn split(cells: &[&str]) -> Decision {
        Decision::Split(names(cells))
    }

    #[test]
    fn words_of_the_document_settle_a_capital_after_i() {
        assert_eq!(
            decide_in(
                "Home stateMississippiTennessee",
                "Elvis was born in Mississippi; Cash grew up in Tennessee.",
                &["Elvis Presley", "Johnny Cash"]
            ),
            split(&["Home state", "Mississippi", "Tennessee"])
        );
    }

    #[test]
    fn numbers_glued_to_numbers_split_by_their_shape() {
        let fig = &["Louis XIV", "Charles II"];
        assert_eq!(
            decide_in("Age at coronation2518", "", fig),
            split(&["Age at coronation", "25", "18"])
        );
        assert_eq!(
            decide_in("Years active19621970", "", fig),
            split(&["Years active", "1962", "1970"])
        );
        assert_eq!(
            decide_in("Boiling point100 °C78 °C", "", &["Water", "Ethanol"]),
            split(&["Boiling point", "100 °C", "78 °C"])
        );
        assert_eq!(
            decide_in(
                "Weight72 kg (159 lb)80 kg (176 lb)",
                "",
                &["Ann Lee", "Bob Ray"]
            ),
            split(&["Weight", "72 kg (159 lb)", "80 kg (176 lb)"])
        );
    }

    #[test]
    fn lowercase_starts_need_words_on_both_sides() {
        assert_eq!(
            decide_in(
                "Servingchilled in a glasswarm in a cup",
                "Iced tea is served chilled; coffee is served warm.",
                &["Tea", "Coffee"]
            ),
            split(&["Serving", "chilled in a glass", "warm in a cup"])
        );
    }

    #[test]
    fn a_word_the_document_writes_whole_is_never_cut() {
        match decide_in(
            "Frameworkstensorflow, kerasPyTorch",
            "Researchers moved from tensorflow to PyTorch.",
            &["Google", "Meta"],
        ) {
            Decision::Split(cells) => {
                assert_eq!(cells, ["Frameworks", "tensorflow, keras", "PyTorch"])
            }
            Decision::Unresolved(_) => {}
        }
    }

    #[test]
    fn glued_shapes_a_reader_sees_split() {
        let fig = &["Cats", "Dogs"];
        assert_eq!(
            decide_in(
                "Sweat glandspaw pads onlypaw pads only",
                "Both sweat through their paw pads.",
                fig
            ),
            split(&["Sweat glands", "paw pads only", "paw pads only"])
        );
        assert_eq!(
            decide_in("Recognized breeds45 (CFA)about 360 (FCI)", "", fig),
            split(&["Recognized breeds", "45 (CFA)", "about 360 (FCI)"])
        );
    }

    #[test]
    fn an_i_before_a_capital_is_no_seam() {
        // `Devicesi|Pod` was once split, the `i` taken for the end of a word.
        assert!(!matches!(
            decide_in(
                "DevicesiPod 2Android",
                "Truman and Attlee led the United States and the United Kingdom.",
                &["Harry S. Truman", "Clement Attlee"]
            ),
            Decision::Split(cells) if cells[0] != "Devices"
        ));
    }

    #[test]
    fn nonsense_is_kept_unresolved() {
        assert!(matches!(
            decide_in("Qzxvbnmqwrtzplk", "", &["Ann Lee", "Bob Ray"]),
            Decision::Unresolved(_)
        ));
        assert!(matches!(
            decide_in(
                "OpponentMacArthur's armyde Gaulle's France",
                "",
                &["Ann Lee", "Bob Ray"]
            ),
            Decision::Unresolved(_)
        ));
    }

    #[test]
    fn a_number_the_prose_gives_beside_the_attribute_settles_a_glued_number() {
        let fig = &["Ludwig van Beethoven", "Wolfgang Amadeus Mozart"];
        let prose = "Beethoven wrote nine symphonies, against Mozart's forty-one. \
                     Mozart's 27 piano concertos became the model.";
        assert_eq!(
            decide_in("Symphonies941", prose, fig),
            split(&["Symphonies", "9", "41"])
        );
        assert_eq!(
            decide_in("Piano concertos527", prose, fig),
            split(&["Piano concertos", "5", "27"])
        );
        // Without the prose, 9|41 and 94|1 are alike: kept.
        assert!(matches!(
            decide_in("Symphonies941", "", fig),
            Decision::Unresolved(_)
        ));
        // A number the attribute holds proves nothing (`iPhone 5` and 5).
        assert!(matches!(
            decide_in(
                "iPhone 51510",
                "The iPhone 5 sold 15 million.",
                &["Ann Lee", "Bob Ray"]
            ),
            Decision::Unresolved(_)
        ));
    }

    #[test]
    fn numbers_of_one_size_and_marked_values_twice_split() {
        let fig = &["Cats", "Dogs"];
        assert_eq!(
            decide_in("Number of teeth (young)2628", "", fig),
            split(&["Number of teeth (young)", "26", "28"])
        );
        assert_eq!(
            decide_in("享年7553", "", &["徳川 家康", "武田 信玄"]),
            split(&["享年", "75", "53"])
        );
        assert_eq!(
            decide_in("Toes (front/back)5/45/4", "", fig),
            split(&["Toes (front/back)", "5/4", "5/4"])
        );
        assert_eq!(
            decide_in("Calling code+1+1", "", &["United States", "Canada"]),
            split(&["Calling code", "+1", "+1"])
        );
        assert_eq!(
            decide_in("Purringyesno", "", fig),
            split(&["Purring", "yes", "no"])
        );
        // A date of a script without spaces is one cell.
        assert!(!matches!(
            decide_in("死去1582年6月21日", "", &["織田 信長", "豊臣 秀吉"]),
            Decision::Split(_)
        ));
        // Nor is a decimal cut at its point.
        assert!(!matches!(
            decide_in("Ratio3.57.2", "", fig),
            Decision::Split(cells) if cells.iter().any(|c| c.ends_with('.') || c.starts_with('.'))
        ));
    }

    #[test]
    fn a_name_after_a_seam_is_supported_by_the_word_before_it() {
        let fig = &["Napoleon", "Wellington"];
        assert_eq!(
            decide_in("ExileElba (1814), Saint Helena (1815–1821)none", "", fig),
            split(&["Exile", "Elba (1814), Saint Helena (1815–1821)", "none"])
        );
        assert_eq!(
            decide_in("MascotFerris the crabthe Gopher", "", &["Rust", "Go"]),
            split(&["Mascot", "Ferris the crab", "the Gopher"])
        );
        assert_eq!(
            decide_in(
                "Capital cityWashington, D.C.Ottawa",
                "",
                &["United States", "Canada"]
            ),
            split(&["Capital city", "Washington, D.C.", "Ottawa"])
        );
        // Two names side by side, neither known: kept.
        assert!(matches!(
            decide_in(
                "Best chainTeavanaDavidsTeaStarbucks",
                "",
                &["Tea", "Coffee"]
            ),
            Decision::Unresolved(_)
        ));
    }

    #[test]
    fn names_glued_at_the_only_seams_split_and_a_list_item_is_a_name() {
        let fig = &["United States", "Canada"];
        // One seam for one boundary, names on both sides, one ending in
        // `i` (not `iMount`): nothing competes with the seam.
        assert_eq!(
            decide_in("Longest riverMissouriMackenzie", "", fig),
            split(&["Longest river", "Missouri", "Mackenzie"])
        );
        assert_eq!(
            decide_in("Highest peakDenaliMount Logan", "", fig),
            split(&["Highest peak", "Denali", "Mount Logan"])
        );
        assert_eq!(
            decide_in(
                "ModelsGaetano Donizetti, Vincenzo BelliniGiuseppe Verdi, Richard Wagner",
                "Puccini studied Verdi and Wagner; Verdi grew up on Bellini.",
                &["Verdi", "Puccini"]
            ),
            split(&[
                "Models",
                "Gaetano Donizetti, Vincenzo Bellini",
                "Giuseppe Verdi, Richard Wagner"
            ])
        );
        // A word before an `i`-word is no name ending in `i`.
        assert_ne!(
            decide_in("Best productWidgetsiWatch", "", &["Acme", "Apple"]),
            split(&["Best product", "Widgetsi", "Watch"])
        );
        // A capitalised item of a list is a name, not two words glued
        // (`Kings|land`): the day after `Mississippi` begins the cell.
        assert_eq!(
            decide_in(
                "Born8 January 1935, Tupelo, Mississippi26 February 1932, Kingsland, Arkansas",
                "Presley grew up in Mississippi.",
                &["Elvis Presley", "Johnny Cash"]
            ),
            split(&[
                "Born",
                "8 January 1935, Tupelo, Mississippi",
                "26 February 1932, Kingsland, Arkansas"
            ])
        );
    }

    #[test]
    fn dotted_codes_after_an_attribute_of_words_split() {
        let fig = &["Python", "JavaScript"];
        assert_eq!(
            decide_in("File extension.py.js", "", fig),
            split(&["File extension", ".py", ".js"])
        );
        // A number after an abbreviation's dot is no code; a name glued to
        // a domain is no attribute of words.
        assert!(matches!(
            decide_in("Approx.5.js", "", fig),
            Decision::Unresolved(_)
        ));
        assert!(matches!(
            decide_in("Websitegoogle.com.au", "", fig),
            Decision::Unresolved(_)
        ));
    }

    #[test]
    fn names_with_capitals_inside_never_split_a_row_wrongly() {
        // Four seams for two boundaries: `SpiderMonkey` and `JavaScriptCore`
        // read like two words each. Kept, never split inside them.
        assert!(matches!(
            decide_in(
                "Main implementationsCPython, PyPyV8, SpiderMonkey, JavaScriptCore",
                "",
                &["Python", "JavaScript"]
            ),
            Decision::Unresolved(_)
        ));
        // Two capitals before a lowercase letter are one word when the
        // document writes it (`CPython`), two things glued when not (`AYes`).
        let document = crate::document::parse_document(include_str!(
            "../../tests/fixtures/realistic/python-vs-javascript.txt"
        ))
        .unwrap();
        let runs_in = document.table.iter().find(|row| row.attribute == "Runs in");
        assert_eq!(
            runs_in.map(|row| (row.values.clone(), row.unresolved.is_none())),
            Some((
                names(&["CPython interpreter", "browsers and Node.js"]),
                true
            ))
        );
        // An acronym after a word is more often part of it (`FastAPI`).
        assert!(!matches!(
            decide_in(
                "Popular frameworksDjango, Flask, FastAPIReact, Angular, Express",
                "",
                &["Python", "JavaScript"]
            ),
            Decision::Split(cells) if cells[1].ends_with("Fast")
        ));
    }

    #[test]
    fn scripts_without_spaces_split_on_list_items_and_words_of_the_prose() {
        let fig = &["織田 信長", "豊臣 秀吉"];
        // Items that end alike show where one ends and the next begins:
        // not enough alone to split, but the right reading comes first.
        assert!(matches!(
            decide_in("主な居城岐阜城、安土城大坂城、伏見城", "秀吉は伏見城で没した。", fig),
            Decision::Unresolved(readings) if readings[0] == ["主な居城", "岐阜城、安土城", "大坂城、伏見城"]
        ));
        // A date with its units and bracket is a value.
        assert_eq!(
            decide_in(
                "死去1582年6月21日（本能寺の変）1598年9月18日（伏見城）",
                "",
                fig
            ),
            split(&[
                "死去",
                "1582年6月21日（本能寺の変）",
                "1598年9月18日（伏見城）"
            ])
        );
        // A word of the prose ends a run of ideographs where kana follow;
        // a piece inside a run (`林火山`) is no word.
        assert_eq!(
            decide_in(
                "旗印厭離穢土欣求浄土風林火山",
                "信玄は旗印に「風林火山」を掲げた。旗印は軍の象徴であった。",
                &["徳川 家康", "武田 信玄"]
            ),
            split(&["旗印", "厭離穢土欣求浄土", "風林火山"])
        );
        // Never right after a family's name that a given name follows.
        assert!(!matches!(
            decide_in(
                "後継者織田信忠（本能寺の変で自害）豊臣秀頼",
                "織田 信長の後継者。織田家は続いた。",
                fig
            ),
            Decision::Split(cells) if cells[1] == "織田"
        ));
    }
}
