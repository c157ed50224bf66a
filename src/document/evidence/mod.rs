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

mod grammar;
mod places;
mod spaceless;
mod support;
#[cfg(test)]
mod tests;
mod vocabulary;
mod weigh;

use grammar::*;
pub use places::is_spaceless;
use places::*;
pub use vocabulary::Vocabulary;

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
    /// The table's glued rows, as written: a Japanese row's words may be
    /// written whole in another ([`spaceless`]).
    rows: Vec<&'a str>,
    vocabulary: std::cell::OnceCell<Vocabulary>,
}

impl<'a> Evidence<'a> {
    pub fn new(prose: Vec<&'a str>, words: Vec<&'a str>, names: &'a [String]) -> Evidence<'a> {
        Evidence {
            prose,
            words,
            names,
            rows: Vec::new(),
            vocabulary: std::cell::OnceCell::new(),
        }
    }

    /// The same evidence, with the table's glued `rows` as written.
    pub fn with_rows(mut self, rows: Vec<&'a str>) -> Evidence<'a> {
        self.rows = rows;
        self
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
/// document; the figures' names are never split inside. A Japanese row is
/// weighed by its own evidence ([`spaceless`]).
pub fn decide(row: &str, cells: usize, evidence: &Evidence) -> Decision {
    let chars: Vec<char> = row.chars().collect();
    if !spaceless::applies(&chars) {
        return weigh(row, cells, evidence);
    }
    // A Japanese row is decided by its words alone; the places of
    // alphabets only suggest readings for a row those leave open.
    spaceless::decide(row, &chars, cells.saturating_sub(1), evidence).unwrap_or_else(
        || match weigh(row, cells, evidence) {
            Decision::Split(cells) => Decision::Unresolved(vec![cells]),
            unresolved => unresolved,
        },
    )
}

/// [`decide`], by the places and words of alphabets.
fn weigh(row: &str, cells: usize, evidence: &Evidence) -> Decision {
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
