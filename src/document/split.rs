//! Splitting a table row into its cells: by tabs or `" | "` as written, or,
//! for a glued row, at the places where one cell can end and the next begin.
//!
//! A glued row hides its boundaries. `Foreign policyFocused on ...` shows one
//! by the capital after a letter, but a cell that begins in lowercase (`de
//! Gaulle's France`, `iPod 2`) shows none, and a capital inside a word
//! (`MacArthur`, `iPod`) looks like one. So each place is *certain* or
//! *uncertain* (see [`split_places`]), and a glued row is split only when its
//! certain places are exactly as many as it needs. Otherwise it is refused,
//! with the places found and why, and the author separates the cells with a
//! tab or `" | "`: a refused row costs one edit, a wrongly split row would be
//! stored wrong without a word, so every doubt refuses.

use super::{Separator, name_parts};

#[cfg(test)]
#[path = "split_cases.rs"]
mod cases;

/// Why a table row could not be split into its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// Separated by tabs or `" | "`, but into the wrong number of cells.
    WrongCount {
        separator: Separator,
        found: usize,
        wanted: usize,
    },
    /// Glued, with fewer places where a cell can end than cells to separate,
    /// even counting the uncertain ones.
    TooFewPlaces { places: Vec<usize>, wanted: usize },
    /// Glued, with more certain places than needed: more than one way to
    /// split it.
    Ambiguous { places: Vec<usize>, wanted: usize },
    /// Glued, with too few certain places, and enough only if some uncertain
    /// ones (a capital inside a word, as in `MacArthur` or `iPod`) were cell
    /// boundaries: splitting would be a guess.
    Uncertain {
        certain: Vec<usize>,
        uncertain: Vec<(usize, Doubt)>,
        wanted: usize,
    },
}

/// Splits a table row into `cells` cells.
///
/// A row containing a tab is split on tabs, a row containing `" | "` on that;
/// either must give exactly `cells` cells. Otherwise the cells are glued, and
/// the row is split at its certain places (see [`split_places`]) when there
/// are exactly `cells - 1` of them. With more it is [`SplitError::Ambiguous`];
/// with fewer it is [`SplitError::Uncertain`] when the uncertain places would
/// make up the number, [`SplitError::TooFewPlaces`] when even they would not.
/// `names` are the document's figures: no split falls inside one of them.
pub fn split_row(
    row: &str,
    cells: usize,
    names: &[String],
) -> Result<(Vec<String>, Separator), SplitError> {
    for separator in [Separator::Tab, Separator::Pipe] {
        if row.contains(separator.as_str()) {
            let parts: Vec<String> = row
                .split(separator.as_str())
                .map(|c| c.trim().to_string())
                .collect();
            if parts.len() != cells || parts[0].is_empty() {
                return Err(SplitError::WrongCount {
                    separator,
                    found: parts.len(),
                    wanted: cells,
                });
            }
            return Ok((parts, separator));
        }
    }
    let places = split_places(row, names);
    let certain: Vec<usize> = places
        .iter()
        .filter(|p| p.doubt.is_none())
        .map(|p| p.at)
        .collect();
    let wanted = cells.saturating_sub(1);
    if certain.len() > wanted {
        return Err(SplitError::Ambiguous {
            places: certain,
            wanted: cells,
        });
    }
    if certain.len() < wanted {
        if places.len() < wanted {
            return Err(SplitError::TooFewPlaces {
                places: places.iter().map(|p| p.at).collect(),
                wanted: cells,
            });
        }
        return Err(SplitError::Uncertain {
            certain,
            uncertain: places
                .iter()
                .filter_map(|p| p.doubt.map(|d| (p.at, d)))
                .collect(),
            wanted: cells,
        });
    }
    let chars: Vec<char> = row.chars().collect();
    Ok((cut(&chars, &certain), Separator::Glued))
}

/// The row `chars` cut at the sorted character positions `cuts`.
pub(super) fn cut(chars: &[char], cuts: &[usize]) -> Vec<String> {
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &at in cuts.iter().chain(std::iter::once(&chars.len())) {
        parts.push(chars[from..at].iter().collect());
        from = at;
    }
    parts
}

/// A place in a glued row where one cell can end and the next begin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The character position where the next cell would begin.
    pub at: usize,
    /// `None` when the place is certain; otherwise why it may be inside a
    /// word rather than between two cells.
    pub doubt: Option<Doubt>,
}

/// Why a place may be inside a word rather than between two cells. A row is
/// never split at such a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Doubt {
    /// A capital right after `Mc` or `Mac` (`McCarthy`, `MacArthur`): these
    /// begin names and never end a cell.
    NamePrefix,
    /// A capital right after a name particle (`DiCaprio`, `LaGuardia`,
    /// `FitzGerald`; see [`NAME_PARTICLES`]).
    Particle,
    /// A capital or digit right after a lowercase `i` (`iPod`, `iOS`, `i7`)
    /// or after a one-letter lowercase word (`500 kWh`, `a vCard`): a word
    /// can begin with that letter, and few cells end with it.
    LetterPrefix,
    /// Inside a known word with a capital inside (`YouTube`, `eBay`, `mRNA`;
    /// see [`MIXED_CASE_WORDS`]).
    KnownWord,
    /// Letters and digits that can make one code: a digit after a capital
    /// (`G7`, `F16`, `CO2`, `MiG21`), a digit after a letter after a digit
    /// (`4x4`), a capital that is not a capitalised word after a digit
    /// (`3DS`, `100BC`, `1A`).
    Code,
    /// A capital right after a capital: it may end an acronym whose cell is
    /// followed by one that begins in lowercase (`USSRde Gaulle`), or
    /// belong to an abbreviation (`NGOs`, `MWh`).
    Acronym,
    /// A plural `s` or a unit after a lowercase letter (`PhDs`, `kWh`), or
    /// a capital after a number and a lowercase letter other than `s`
    /// (`5kWh`, `10mAh`): part of an abbreviation, not a new cell.
    Abbreviation,
    /// At or right after a `"` in a row where a `"` follows a digit: that may
    /// be an inch mark (`5'7"`), so which marks open and close quotations is
    /// not sure.
    InchMark,
    /// Right after a straight apostrophe, or a curly one after anything but
    /// `s`, `x` or `z` (`d’Estaing`, `dell’Acqua`, `l'Ouverture`): an
    /// elision joins the next word, and a straight one may open a quotation.
    Apostrophe,
}

/// Name particles: a capital right after one of these, written with a
/// capital and glued to the next part (`DeVito`, `DiCaprio`, `LaGuardia`,
/// `VanBuren`, `FitzGerald`, `BenGurion`), may be inside a name. A cell that
/// really ends in one of these words (`Top Ten`, `Big Ben`) before a
/// capitalised cell is refused for the same reason.
pub const NAME_PARTICLES: &[&str] = &[
    "Ab", "Abd", "Abu", "Al", "Ap", "Ben", "Bin", "Bint", "Da", "Dal", "Dalla", "Das", "De",
    "Degli", "Dei", "Del", "Della", "Dello", "Den", "Der", "Des", "Di", "Do", "Dos", "Du", "El",
    "Fitz", "Ibn", "La", "Las", "Le", "Les", "Lo", "Los", "St", "Ste", "Ten", "Ter", "Van",
    "Vande", "Vanden", "Vander", "Ver", "Von", "Zu",
];

/// Words with a capital (or a lowercase letter before capitals) inside them,
/// common in real text and not told apart from a cell boundary by any rule
/// above: a place strictly inside one of them is uncertain. Not exhaustive:
/// see the limits on [`split_places`].
#[rustfmt::skip]
pub const MIXED_CASE_WORDS: &[&str] = &[
    // Trade names.
    "AstraZeneca", "BioNTech", "BlackBerry", "BlackRock", "ChatGPT", "DeepMind", "DreamWorks",
    "ExxonMobil", "FedEx", "GitHub", "GlaxoSmithKline", "HarperCollins", "JavaScript",
    "JPMorgan", "LinkedIn", "MasterCard", "MySQL", "OpenAI", "PayPal", "PlayStation",
    "PowerPoint", "QAnon", "SoftBank", "SQLite", "TikTok", "WeChat", "WhatsApp", "WikiLeaks",
    "YouTube",
    // A lowercase letter before a capital: `e` ends too many words to be
    // doubted everywhere (`styleAuthoritarian`), so only these.
    "eBay", "eBook", "eMail", "eReader",
    "eSports", "cDNA", "jQuery", "macOS", "mRNA", "tRNA", "watchOS",
];

/// Units that follow a lowercase prefix letter (`kWh`, `kHz`, `kPa`, `mAh`).
const UNITS: &[&str] = &["Ah", "Hz", "Pa", "Wh"];

/// The places in a glued row where one cell can end and the next begin,
/// each certain or uncertain.
///
/// A place is where
/// - the cell before ends in a letter, a digit or closing punctuation
///   (`. ! ? ) ] " ” ’ ' %`), not in a space, a hyphen (`Five-Year`,
///   `Brest-Litovsk`) or an initial or elided letter (`D.`, `U.S.`, `O’`);
/// - the next cell begins with a capitalised word (`Focused`), the
///   one-letter words `A` and `I`, an acronym (`USSR`, `NGOs`), a capital
///   before a digit or hyphen (`G7`, `F-16`), a digit after a letter
///   (`Born5 May`), or an opening quote or bracket before one of those; a
///   digit never starts a cell after a digit, since `181828` could be split
///   anywhere;
/// - it is not inside brackets or quotes, nor inside a figure's name or
///   name part (`McCarthy`).
///
/// It is uncertain, and never split at, when it may be inside a word (see
/// [`Doubt`]): after `Mc`/`Mac` or a name particle (`MacArthur`, `DiCaprio`),
/// after a lowercase `i` or a one-letter lowercase word (`iPod`, `500 kWh`),
/// inside a known mixed-case word (`YouTube`, `eBay`), in a code of letters
/// and digits (`G7`, `CO2`, `3DS`, `4x4`), right after a capital (`NATOThe`
/// is refused, since `USSRde Gaulle` is not `USS|Rde Gaulle`, and `NGOs` is
/// one word), in an abbreviation (`PhDs`, `5kWh`), after an apostrophe that
/// may be an elision or open a quotation (`d’Estaing`, `'Peace'`), or next
/// to a `"` when a `"` after a digit may be an inch mark (`5'7"`). Every
/// other place is certain.
///
/// Limits: a glued row is read safely as long as no place *inside* a cell
/// is certain; then a cell whose start is invisible (`de Gaulle's France`,
/// `expanded influence`, `1818` after `1917`) only makes the row refused.
/// These shapes put a certain place inside a cell, and can make a row with
/// such an invisible start split wrong; the tests leave them out, and such a
/// row must be written with a tab or `" | "`:
/// - a cell ending in a capital glued to a lowercase letter (`PhD`, `IoT`,
///   `SpaceX`) before a cell that begins with a letter or digit but not with
///   a capitalised word other than `As`, `Is` or `Us` (`PhDexpanded` reads
///   like `policyFocused`, `IoTUSSR` like `allyUSSR`, `IoT5G` like `hostG7`,
///   `IoTAs` like `allyNGOs`); in such a word and a plural `s` (`PhDs`)
///   before a cell that begins in lowercase; or in a capital glued to a
///   digit (`5G`, `F-16A`) before a cell that begins in lowercase
///   (`5Gexpanded` reads like `1917Leader`);
/// - unknown words with a capital inside (`ZorgBlat`, `NaCl`, `XMLHttp`),
///   unless they are part of a figure's name;
/// - an unknown lowercase letter glued to a capital (`xAI`, `vCard`) other
///   than `i` and the known words, where it begins a cell;
/// - a lowercase word glued to a number (`mp3`, `covid19`, `Windows10`,
///   `x86` where it begins a cell), read like `Born5`;
/// - a number glued to a capitalised word (`2Pac`, `3Com`), read like
///   `1917Leader`;
/// - a full stop with no space after it (`St.Petersburg`), and quotation
///   marks or brackets left unbalanced.
pub fn split_places(row: &str, names: &[String]) -> Vec<Place> {
    let chars: Vec<char> = row.chars().collect();
    let protected = inside_occurrences(
        row,
        &chars,
        names
            .iter()
            .flat_map(|name| std::iter::once(name.as_str()).chain(name_parts(name))),
    );
    // Searchers for the known words, built once per process.
    static KNOWN: std::sync::OnceLock<Vec<memchr::memmem::Finder<'static>>> =
        std::sync::OnceLock::new();
    let finders = KNOWN.get_or_init(|| {
        MIXED_CASE_WORDS
            .iter()
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect()
    });
    let present = MIXED_CASE_WORDS
        .iter()
        .zip(finders)
        .filter(|(_, finder)| finder.find(row.as_bytes()).is_some())
        .map(|(word, _)| *word);
    let known = inside_occurrences(row, &chars, present);
    // A `"` after a digit may be an inch mark (`5'7"`) rather than a
    // quotation mark; then the quotation marks cannot be paired for sure.
    let inch_mark = chars
        .windows(2)
        .any(|w| w[0].is_ascii_digit() && w[1] == '"');
    let mut places = Vec::new();
    let mut depth: u32 = 0;
    let mut in_quote = false;
    for i in 0..chars.len() {
        if i > 0
            && depth == 0
            && !in_quote
            && !protected[i]
            && can_end(&chars, i - 1)
            && can_start(&chars, i)
        {
            let doubt = if known[i] {
                Some(Doubt::KnownWord)
            } else if inch_mark && (chars[i] == '"' || chars[i - 1] == '"') {
                Some(Doubt::InchMark)
            } else {
                doubt(&chars, i)
            };
            places.push(Place { at: i, doubt });
        }
        match chars[i] {
            '(' | '[' | '“' => depth += 1,
            ')' | ']' | '”' => depth = depth.saturating_sub(1),
            '"' => in_quote = !in_quote,
            _ => {}
        }
    }
    places
}

/// Marks every position strictly inside an occurrence of one of `words`.
pub(super) fn inside_occurrences<'a>(
    row: &str,
    chars: &[char],
    words: impl Iterator<Item = &'a str>,
) -> Vec<bool> {
    let mut inside = vec![false; chars.len() + 1];
    for word in words {
        // Most words are not in the row: a SIMD search says so at once,
        // where the character-by-character scan below cost an import of
        // 20,000 documents a second on its parsing thread.
        if memchr::memmem::find(row.as_bytes(), word.as_bytes()).is_none() {
            continue;
        }
        let needle: Vec<char> = word.chars().collect();
        if needle.len() < 2 || needle.len() > chars.len() {
            continue;
        }
        for start in 0..=chars.len() - needle.len() {
            if chars[start..start + needle.len()] == needle[..] {
                for p in &mut inside[start + 1..start + needle.len()] {
                    *p = true;
                }
            }
        }
    }
    inside
}

/// Why the place at `i` (which `can_end` and `can_start` allow) may be inside
/// a word; `None` when it is certain.
fn doubt(chars: &[char], i: usize) -> Option<Doubt> {
    let c = chars[i];
    let prev = chars[i - 1];
    if !c.is_alphanumeric() {
        // An opening quote or bracket: nothing is glued to one.
        return None;
    }
    match prev {
        '\'' => return Some(Doubt::Apostrophe),
        // `workers’`, `Marx’`: a plural or name in s, x or z owning nothing
        // glued; `d’Estaing` and `dell’Acqua` are one word.
        '’' => {
            return (!(i >= 2 && matches!(chars[i - 2], 's' | 'x' | 'z')))
                .then_some(Doubt::Apostrophe);
        }
        _ => {}
    }
    if prev == 'i' || (prev.is_lowercase() && is_lone_letter(chars, i - 1)) {
        return Some(Doubt::LetterPrefix);
    }
    if c.is_ascii_digit() {
        // A digit starts a cell only after a letter (`can_start`): after a
        // lowercase word (`Born5`) it is certain, unless that letter follows
        // a digit itself (`4x4`).
        let code = prev.is_uppercase() || (i >= 2 && chars[i - 2].is_ascii_digit());
        return code.then_some(Doubt::Code);
    }
    // From here `c` is a capital.
    if let Some(chunk) = capitalised_chunk_before(chars, i) {
        if chunk == "Mc" || chunk == "Mac" {
            return Some(Doubt::NamePrefix);
        }
        if NAME_PARTICLES.contains(&chunk.as_str()) {
            return Some(Doubt::Particle);
        }
    }
    let lower = |k: usize| chars.get(k).is_some_and(|n| n.is_lowercase());
    if prev.is_ascii_digit() {
        // `1917Leader` is certain; `3DS`, `100BC`, `1A`, `7Up` may be codes.
        return (!(lower(i + 1) && lower(i + 2))).then_some(Doubt::Code);
    }
    if prev.is_uppercase() {
        // `NATOThe` may be `NATO|The`, but `USSRde Gaulle` is `USSR|de
        // Gaulle`, not `USS|Rde Gaulle`, and `NGOs` and `MWh` are one word:
        // nothing tells them apart.
        return Some(Doubt::Acronym);
    }
    // A unit after a number (`5kWh`, `10mAh`); `1990sThe` is certain.
    if prev.is_lowercase() && prev != 's' && i >= 2 && chars[i - 2].is_ascii_digit() {
        return Some(Doubt::Abbreviation);
    }
    // A capital and one lowercase letter, then no more lowercase (a capital
    // may begin the next cell: `PhDsThe`): `PhDs`, `MiGs` and `kWh` are one
    // word, but `As`, `Is` and `Us` are words of their own.
    if prev.is_lowercase() && lower(i + 1) && !lower(i + 2) {
        let word: String = chars[i..i + 2].iter().collect();
        let plural = chars[i + 1] == 's' && !matches!(c, 'A' | 'I' | 'U');
        if plural || UNITS.contains(&word.as_str()) {
            return Some(Doubt::Abbreviation);
        }
    }
    None
}

/// The capitalised chunk that ends at `i`: a capital followed only by
/// lowercase letters (`Mac` before `Arthur`, `De` before `Vito`).
fn capitalised_chunk_before(chars: &[char], i: usize) -> Option<String> {
    let mut start = i;
    while start > 0 && chars[start - 1].is_lowercase() {
        start -= 1;
    }
    if start == i || start == 0 || !chars[start - 1].is_uppercase() {
        return None;
    }
    Some(chars[start - 1..i].iter().collect())
}

/// A letter standing alone, as a prefix does (`k` in `500 kWh`), not the
/// `s` of a possessive (`McDonald's`).
fn is_lone_letter(chars: &[char], j: usize) -> bool {
    is_single_letter_word(chars, j) && !(j > 0 && matches!(chars[j - 1], '\'' | '’'))
}

fn is_single_letter_word(chars: &[char], j: usize) -> bool {
    chars[j].is_alphabetic() && (j == 0 || !chars[j - 1].is_alphanumeric())
}

fn can_end(chars: &[char], j: usize) -> bool {
    let c = chars[j];
    // `約` (about), `第` (the ordinal) and `計` (in all) belong to the
    // number after them (`約|6,400人` is no boundary).
    if matches!(c, '約' | '第' | '計') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
        return false;
    }
    if c.is_alphanumeric() {
        return true;
    }
    match c {
        // `D.` and `U.S.` are initials; `People’s.` is not.
        '.' => !(j > 0 && is_lone_letter(chars, j - 1)),
        // `workers’` can end a cell; `O’Brien` and `d’Estaing` cannot.
        '\'' | '’' => {
            j > 0 && chars[j - 1].is_lowercase() && !is_single_letter_word(chars, j - 1)
        }
        '!' | '?' | ')' | ']' | '"' | '”' | '»' | '%' => true,
        _ => false,
    }
}

fn can_start(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = chars[i - 1];
    if c.is_ascii_digit() {
        return prev.is_alphabetic();
    }
    if matches!(c, '"' | '“' | '(' | '[' | '«' | '„') {
        return chars
            .get(i + 1)
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit())
            && (i + 1 == chars.len() || starts_word(chars, i + 1, false));
    }
    c.is_uppercase() && starts_word(chars, i, prev.is_uppercase())
}

/// Whether an uppercase letter at `i` begins a capitalised word, a one-letter
/// word (`A`, `I`), an acronym (`USSR`, `NGOs`) or a code (`G7`, `F-16`); the
/// last three only where the letter before is not itself uppercase, so `USSR`
/// is not split inside.
fn starts_word(chars: &[char], i: usize, after_uppercase: bool) -> bool {
    let c = chars[i];
    if c.is_ascii_digit() {
        return true;
    }
    match chars.get(i + 1) {
        Some(n) if n.is_lowercase() => true,
        Some('\'' | '’') => chars.get(i + 2).is_some_and(|n| n.is_uppercase()),
        Some(n) if n.is_uppercase() => {
            if after_uppercase {
                return false;
            }
            let end = chars[i..]
                .iter()
                .position(|c| !c.is_uppercase())
                .map_or(chars.len(), |p| i + p);
            let letter = |k: usize| chars.get(k).is_some_and(|n| n.is_alphabetic());
            // `USSR`, `CO2`, and a plural `NGOs`, but not `USSRFoo`.
            !letter(end) || (chars[end] == 's' && !letter(end + 1))
        }
        // A code: `G7`, `F-16`, `T-34`.
        Some(n) if n.is_ascii_digit() || *n == '-' => !after_uppercase,
        _ => matches!(c, 'A' | 'I') && !after_uppercase,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn split(row: &str) -> Result<Vec<String>, SplitError> {
        split_row(row, 3, &names(&["Joseph Stalin", "Leon Trotsky"])).map(|(c, _)| c)
    }

    #[test]
    fn splits_the_seed_rows() {
        assert_eq!(
            split("Economic policiesImplemented Five-Year Plans, collectivizationAdvocated for rapid industrialization").unwrap(),
            ["Economic policies", "Implemented Five-Year Plans, collectivization", "Advocated for rapid industrialization"]
        );
        assert_eq!(
            split("Political ideologyCommunism, StalinismTrotskyism, Marxism").unwrap(),
            [
                "Political ideology",
                "Communism, Stalinism",
                "Trotskyism, Marxism"
            ]
        );
    }

    #[test]
    fn splits_after_a_year_and_keeps_hyphenated_names() {
        assert_eq!(
            split("Main role in 1917Leader of the Bolshevik PartyChairman of the Petrograd Soviet")
                .unwrap(),
            [
                "Main role in 1917",
                "Leader of the Bolshevik Party",
                "Chairman of the Petrograd Soviet"
            ]
        );
        assert_eq!(
            split("Foreign policySigned the Treaty of Brest-LitovskNegotiated at Brest-Litovsk, then backed world revolution").unwrap(),
            ["Foreign policy", "Signed the Treaty of Brest-Litovsk", "Negotiated at Brest-Litovsk, then backed world revolution"]
        );
    }

    #[test]
    fn initials_acronyms_and_apostrophes_are_not_boundaries() {
        assert_eq!(
            split("AllyFranklin D. RooseveltWinston Churchill’s Britain").unwrap(),
            [
                "Ally",
                "Franklin D. Roosevelt",
                "Winston Churchill’s Britain"
            ]
        );
        assert_eq!(
            split("RivalThe U.S.A. and NATO alliesThe USSR").unwrap(),
            ["Rival", "The U.S.A. and NATO allies", "The USSR"]
        );
        // After an acronym a capital may begin the next cell or end the
        // acronym (`USSRde Gaulle`): such a row is refused.
        assert!(matches!(
            split("RivalThe U.S.A. and NATOThe USSR"),
            Err(SplitError::Uncertain { .. })
        ));
        assert_eq!(
            split("FriendO’Brien and d’EstaingA small circle").unwrap(),
            ["Friend", "O’Brien and d’Estaing", "A small circle"]
        );
    }

    #[test]
    fn quotes_and_brackets_are_kept_whole() {
        assert_eq!(
            split("Slogan\"Socialism in One Country\"\"Permanent Revolution\"").unwrap(),
            [
                "Slogan",
                "\"Socialism in One Country\"",
                "\"Permanent Revolution\""
            ]
        );
        assert_eq!(
            split("Army(Red Army) Not a Commander(Founded It)").unwrap(),
            ["Army", "(Red Army) Not a Commander", "(Founded It)"]
        );
    }

    #[test]
    fn the_figures_own_names_are_never_split() {
        let figs = names(&["Joseph McCarthy", "Edward R. Murrow"]);
        let (cells, _) = split_row(
            "TargetMcCarthy’s critics and the ArmyMcCarthy himself",
            3,
            &figs,
        )
        .unwrap();
        assert_eq!(
            cells,
            [
                "Target",
                "McCarthy’s critics and the Army",
                "McCarthy himself"
            ]
        );
    }

    #[test]
    fn a_row_with_digits_glued_to_digits_is_refused() {
        let err = split_row(
            "Born5 May 181828 November 1820",
            3,
            &names(&["Karl Marx", "Friedrich Engels"]),
        )
        .unwrap_err();
        assert_eq!(
            err,
            SplitError::TooFewPlaces {
                places: vec![4],
                wanted: 3
            }
        );
    }

    #[test]
    fn a_row_with_extra_places_is_ambiguous() {
        let err = split("StyleBold AndStrong and QuietCalm").unwrap_err();
        assert!(matches!(err, SplitError::Ambiguous { .. }), "{err:?}");
    }

    #[test]
    fn tabs_and_pipes_are_read_as_written() {
        assert_eq!(
            split_row("Born\t5 May 1818\t28 November 1820", 3, &[]).unwrap(),
            (
                names(&["Born", "5 May 1818", "28 November 1820"]),
                Separator::Tab
            )
        );
        assert_eq!(
            split_row("Born | 5 May 1818 | 28 November 1820", 3, &[]).unwrap(),
            (
                names(&["Born", "5 May 1818", "28 November 1820"]),
                Separator::Pipe
            )
        );
        assert!(matches!(
            split_row("Born\t5 May 1818", 3, &[]),
            Err(SplitError::WrongCount { found: 2, .. })
        ));
    }
}
