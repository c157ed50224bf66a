//! The points of a reading: its candidate places, the seams a reader
//! sees, the words its cuts make and the kind of each place.

use super::*;

impl Weigh<'_> {
    /// The places worth weighing, strongest on their own first.
    pub(super) fn candidates(&self) -> Vec<usize> {
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
    pub(super) fn seams(&self) -> Vec<(usize, f32)> {
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
                } else if b.is_ascii_digit() && unit_before(chars, start, i) {
                    // A measurement ends and a number begins (`°C|90`,
                    // `kg|80`).
                    3.0
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
    pub(super) fn evidence(&self, cuts: &[usize]) -> f32 {
        let cells = cut(self.chars, cuts);
        let seams: f32 = self.attested(&cells)
            + self
                .seams
                .iter()
                .filter(|(at, _)| cuts.contains(at))
                .map(|(_, cost)| cost)
                .sum::<f32>();
        self.words(cuts) + seams + shape(&cells[1..]) + listed(&cells)
    }

    /// The points of one place on its own: its kind and its word cut.
    pub(super) fn local(&self, at: usize) -> f32 {
        self.words(&[at])
    }

    /// The points of the reading that cuts the row at `cuts` (sorted).
    pub(super) fn score(&self, cuts: &[usize]) -> f32 {
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
        points + prose + shape(&cells[1..]) + listed(&cells)
    }

    /// The points of the value `cells` whose number the prose gives beside
    /// the attribute's words (`nine symphonies`), 3 each.
    pub(super) fn attested(&self, cells: &[String]) -> f32 {
        cells[1..]
            .iter()
            .filter(|cell| self.vocabulary.attested(cell, &cells[0]))
            .map(|_| 3.0)
            .sum()
    }

    /// What the seams a reading leaves inside its cells cost.
    pub(super) fn uncut_seams(&self, cuts: &[usize]) -> f32 {
        self.seams
            .iter()
            .filter(|(at, _)| !cuts.contains(at))
            .map(|(_, cost)| cost)
            .sum()
    }

    /// The points of the places of a reading and of the words they cut.
    pub(super) fn words(&self, cuts: &[usize]) -> f32 {
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
    pub(super) fn prior(&self, at: usize) -> f32 {
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
    pub(super) fn piece(
        &self,
        piece: &str,
        fragment: bool,
        after_number: bool,
        ends_word: bool,
    ) -> f32 {
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
}

/// Whether the letters right before `at` (from `start`, the word's start)
/// are a unit after a number: `100 °C` or `72 kg` before `at`, the unit a
/// word of its own after the number or glued to it (`72kg`).
fn unit_before(chars: &[char], start: usize, at: usize) -> bool {
    let mut from = at;
    while from > start && (chars[from - 1].is_alphabetic() || chars[from - 1] == '°') {
        from -= 1;
    }
    let unit: String = chars[from..at].iter().collect::<String>().to_lowercase();
    if from == at || !UNITS.contains(&unit.as_str()) {
        return false;
    }
    // The number: glued before the unit, or the word before this one.
    let before = if from > start {
        Some(chars[from - 1])
    } else {
        (start >= 2 && chars[start - 1] == ' ').then(|| chars[start - 2])
    };
    before.is_some_and(|c| c.is_ascii_digit())
}

/// The points of the values a row writes twice, whole and as an item of
/// another value's list (`Leo X` and `Julius II, Leo X, Clement VII`), 2
/// each: see [`super::support::listed_elsewhere`].
fn listed(cells: &[String]) -> f32 {
    (1..cells.len())
        .filter(|&n| super::support::listed_elsewhere(cells, n))
        .map(|_| 2.0)
        .sum()
}
