//! Glued rows written in Japanese: kanji and kana, with numbers and
//! brackets, where no capital or space shows a boundary. A careful reader
//! of Japanese still sees one, and versus uses what that reader uses:
//!
//! - **words**: a cell boundary falls between words, and the words of a
//!   run are its most likely split by a real word list
//!   ([`crate::document::lexicon::japanese`]); two words the list or the
//!   document writes as one (`太政大臣`, `駿府城`) are not cut apart;
//! - **particles and kana**: a cell does not end on a particle (`の`,
//!   `を`, `な`...), does not begin in hiragana unless a bracket closes
//!   before it (`（1603年）なし`), nor with `ヶ`, `々` or `ー`; an opening
//!   bracket belongs to the word before it (`駿府城（甲府）`), and a
//!   figure's family name goes on into the given name (`織田信忠`);
//! - **the attribute**: a label of one or two known words (`主な居城`,
//!   `最高の官職`), with no list, bracket or number;
//! - **the values**: items the prose or the word list knows, lists of
//!   items that end alike (`岐阜城、安土城`), dates of one shape, cells of
//!   comparable length.
//!
//! The reading is taken only when it leads every other by [`MARGIN`]
//! points and its attribute is a label; otherwise the row stays unresolved
//! with these readings, best first.

use super::*;
use crate::document::lexicon::japanese;

/// How many points the best reading must lead every other by.
pub const MARGIN: f32 = 2.0;

/// How many readings of one row are weighed at most.
const MOST_READINGS: u64 = 5_000;

/// How many ways there are to choose `k` of `n` places.
fn readings_of(n: usize, k: usize) -> u64 {
    (0..k as u64).fold(1u64, |ways, i| {
        ways.saturating_mul(n as u64 - i.min(n as u64)) / (i + 1)
    })
}

/// Particles a cell does not end with: each ties its word to the next.
const PARTICLES: &[char] = &['の', 'を', 'に', 'が', 'は', 'と', 'で', 'へ', 'な', 'も'];

/// Whether `chars` is a row this weighing is for: kanji or kana, and no
/// letters of an alphabet.
pub(super) fn applies(chars: &[char]) -> bool {
    chars
        .iter()
        .any(|&c| ideograph(c) || matches!(kind_of_letter(c), 1 | 2))
        && !chars.iter().any(|c| c.is_alphabetic() && !is_spaceless(*c))
}

fn hiragana(c: char) -> bool {
    kind_of_letter(c) == 1
}

fn opening(c: char) -> bool {
    matches!(c, '（' | '(' | '「' | '『' | '[')
}

/// What the row is weighed against: the prose, the separated cells and
/// the other glued rows.
struct Context<'a> {
    evidence: &'a Evidence<'a>,
    row: &'a str,
    names: Vec<&'a str>,
}

impl Context<'_> {
    /// Whether the document writes `text` elsewhere than in this row.
    fn elsewhere(&self, text: &str) -> bool {
        self.evidence.prose_has(text)
            || self
                .evidence
                .words
                .iter()
                .chain(&self.evidence.rows)
                .any(|other| *other != self.row && other.contains(text))
    }

    fn in_prose(&self, text: &str) -> bool {
        self.evidence.prose_has(text)
    }

    /// Whether the prose writes `item` as a word of its own: with
    /// punctuation, a bracket, another script or a particle on either side
    /// (`の桶狭間の戦いで`). Letters of another kind do not bound it: kana
    /// and kanji meet inside words (`ラーメン店`).
    fn bounded_in_prose(&self, item: &str) -> bool {
        if item.chars().count() < 2 {
            return false;
        }
        let bound = |c: Option<char>| c.is_none_or(|c| !is_spaceless(c) || PARTICLES.contains(&c));
        self.evidence.prose.iter().any(|text| {
            text.match_indices(item).any(|(at, _)| {
                bound(text[..at].chars().next_back())
                    && bound(text[at + item.len()..].chars().next())
            })
        })
    }
}

/// Decides the Japanese row `chars` (see [`applies`]) into `wanted` + 1
/// cells, or `None` when no reading is left to weigh.
pub(super) fn decide(
    row: &str,
    chars: &[char],
    wanted: usize,
    evidence: &Evidence,
) -> Option<Decision> {
    if wanted == 0 || chars.len() > MAX_WEIGHED {
        return None;
    }
    let context = Context {
        evidence,
        row,
        names: evidence
            .names
            .iter()
            .flat_map(|name| std::iter::once(name.as_str()).chain(super::super::name_parts(name)))
            .collect(),
    };
    // Two numbers of two digits after a label (`享年|75|53`), as an
    // English row of ages reads, unless the prose writes the four digits
    // as one number.
    let digits = chars
        .iter()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let label = &chars[..chars.len() - digits];
    if wanted == 2
        && digits == 4
        && label.len() >= 2
        && label.iter().all(|&c| is_spaceless(c))
        && chars[label.len()] != '0'
        && chars[label.len() + 2] != '0'
    {
        let number: String = chars[label.len()..].iter().collect();
        if !evidence.prose_has(&number) {
            return Some(Decision::Split(cut(chars, &[label.len(), label.len() + 2])));
        }
    }
    let places = candidates(row, chars, &context);
    // Each reading costs the segmentation of its cells: a row with more
    // readings than a real table row has is kept as written, unweighed
    // (98 places and three figures would be 152,096 readings).
    if readings_of(places.len(), wanted) > MOST_READINGS {
        return Some(Decision::Unresolved(Vec::new()));
    }
    let mut readings: Vec<(f32, Vec<usize>)> = Vec::new();
    combinations(&places, wanted, &mut Vec::new(), 0, &mut |cuts| {
        readings.push((score(&cut(chars, cuts), &context), cuts.to_vec()));
    });
    if readings.is_empty() {
        return None;
    }
    readings.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let best = &readings[0];
    let cells = cut(chars, &best.1);
    let clear = readings
        .get(1)
        .is_none_or(|second| best.0 - second.0 >= MARGIN);
    if clear
        && attribute(&cells[0], &context) > 0.0
        && best.0 >= 1.0
        && best
            .1
            .iter()
            .enumerate()
            .all(|(n, &at)| shown(chars, at, &cells[n], &cells[n + 1], &context))
    {
        return Some(Decision::Split(cells));
    }
    Some(Decision::Unresolved(
        readings
            .iter()
            .take(KEPT)
            .map(|(_, cuts)| cut(chars, cuts))
            .collect(),
    ))
}

/// The places where a cell may end: between two words, outside brackets,
/// and not where the row's words hold together (see the module's doc).
fn candidates(row: &str, chars: &[char], context: &Context) -> Vec<usize> {
    let mut words = japanese::boundaries(chars);
    // A number's unit ends a word, whatever the list makes of what follows
    // (`1年|甲斐`, not `1|年甲斐`).
    for at in 2..chars.len() {
        if SPACELESS_UNITS.contains(&chars[at - 1]) && chars[at - 2].is_ascii_digit() {
            words.push(at);
        }
    }
    words.sort_unstable();
    words.dedup();
    let protected = inside_occurrences(row, chars, context.names.iter().copied());
    let after_name = after_name_parts(row, chars, context.evidence.names);
    let mut depth = vec![0u32; chars.len() + 1];
    for (i, &c) in chars.iter().enumerate() {
        depth[i + 1] = if opening(c) {
            depth[i] + 1
        } else if matches!(c, '）' | ')' | '」' | '』' | ']') {
            depth[i].saturating_sub(1)
        } else {
            depth[i]
        };
    }
    let mut places = Vec::new();
    for (k, &at) in words.iter().enumerate() {
        let (a, b) = (chars[at - 1], chars[at]);
        let digit_goes_on =
            a.is_ascii_digit() && (b.is_ascii_digit() || SPACELESS_UNITS.contains(&b));
        // A date goes on from its year to its month and from its month to
        // its day (`1582年|6月` is no boundary).
        let digits_then = |unit: char| {
            let digits = chars[at..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            digits > 0 && chars.get(at + digits) == Some(&unit)
        };
        let after_number = at >= 2 && chars[at - 2].is_ascii_digit();
        let inside_date =
            after_number && (a == '年' && digits_then('月') || a == '月' && digits_then('日'));
        if depth[at] > 0
            || !can_end(chars, at - 1)
            || !can_start(chars, at)
            || is_closing(b)
            || matches!(a, '、' | '・' | '～' | 'ヶ')
            || matches!(b, 'ヶ' | '々' | 'ー')
            || opening(a)
            || digit_goes_on
            || inside_date
            || hiragana(a) && PARTICLES.contains(&a)
            || hiragana(b) && !is_closing(a)
            || opening(b) && (is_spaceless(a) || a.is_ascii_digit())
            || protected[at]
            || after_name[at]
        {
            continue;
        }
        if is_spaceless(a) && is_spaceless(b) {
            // The words on either side, written as one by the list or the
            // document (`太政大臣`, `駿府城`), hold together.
            let from = if k == 0 { 0 } else { words[k - 1] };
            let to = words.get(k + 1).copied().unwrap_or(chars.len());
            let joined: String = chars[from..to].iter().collect();
            if japanese::knows(&joined) || context.elsewhere(&joined) {
                continue;
            }
        }
        places.push(at);
    }
    places
}

/// Whether something shows a boundary at `at`, between the cells `before`
/// and `after`: the word list alone does not, since every place between
/// two words is one. A bracket closes before it; a number with its unit
/// begins after it, or ends before it; both cells are lists whose items
/// all end alike (`岐阜城、安土城|大坂城、伏見城`); a figure's name begins
/// after it; or the prose writes the word before it at the end of a run of
/// its letters and the word after it at the start of one (`嫡男|尾張`), or
/// writes the item after it as a word between punctuation or particles
/// (`|桶狭間の戦い`).
fn shown(chars: &[char], at: usize, before: &str, after: &str, context: &Context) -> bool {
    let (a, b) = (chars[at - 1], chars[at]);
    let lists = [items(before), items(after)];
    let last = |item: &str| item.chars().next_back();
    // (Items of two characters or more: `国、国` is no list of names.)
    let alike = lists.iter().all(|items| items.len() > 1)
        && lists.iter().flatten().all(|item| item.chars().count() >= 2)
        && lists
            .iter()
            .flatten()
            .all(|item| last(item) == last(lists[0][0]));
    let item_after = lists[1].first().copied().unwrap_or_default();
    matches!(a, '）' | ')' | '」' | '』')
        || b.is_ascii_digit() && !a.is_ascii_digit() && spaceless_number_starts(chars, at, before)
        || SPACELESS_UNITS.contains(&a) && at >= 2 && chars[at - 2].is_ascii_digit()
        || alike
        || context
            .names
            .iter()
            .any(|name| name.chars().any(is_spaceless) && after.starts_with(name))
        || context.bounded_in_prose(item_after)
}

/// The points of `cell` as an attribute: two to six characters, and a word
/// the list or the prose has whole (`後継者`), or a label of one or two
/// known words (particles aside) ending in a word of two characters or
/// more (`最高の官職`; `異名`, not `異名第`), +2; anything else -2; a list, a bracket
/// or a number -4. The prose writing it adds 1.
fn attribute(cell: &str, context: &Context) -> f32 {
    if cell.is_empty()
        || cell
            .chars()
            .any(|c| c.is_ascii_digit() || matches!(c, '、' | '（' | '）' | '(' | ')'))
    {
        return -4.0;
    }
    let words = japanese::words(cell);
    let content = words
        .iter()
        .filter(|w| !(w.chars().count() == 1 && w.chars().all(|c| PARTICLES.contains(&c))))
        .count();
    let length = cell.chars().count();
    let whole = japanese::knows(cell) || context.evidence.vocabulary().spaceless_in_prose(cell);
    let mut points = if (2..=6).contains(&length)
        && (whole
            || words.iter().all(|w| japanese::knows(w))
                && content <= 2
                && words.last().is_some_and(|w| w.chars().count() >= 2))
    {
        2.0
    } else {
        -2.0
    };
    if context.in_prose(cell) {
        points += 1.0;
    }
    points
}

/// The items of a value: its `、` list, each without a closing bracketed
/// note (`朝鮮出兵（文禄・慶長の役）` is `朝鮮出兵`).
fn items(cell: &str) -> Vec<&str> {
    cell.split('、')
        .map(|item| {
            if item.ends_with('）') {
                item.rfind('（').map_or(item, |open| &item[..open])
            } else {
                item
            }
        })
        .collect()
}

/// The points of one value cell: +1 for each item the prose or the word
/// list knows, -2 for each character the list does not know standing
/// alone, -1 for a cell of one character, +1 for one that begins with a
/// figure's name.
fn value(cell: &str, context: &Context) -> f32 {
    let mut points = 0.0;
    for item in items(cell) {
        if item.chars().count() >= 2 && (context.in_prose(item) || japanese::knows(item)) {
            points += 1.0;
        }
    }
    let unknown = japanese::words(cell)
        .iter()
        .filter(|w| {
            let mut letters = w.chars();
            letters.next().is_some_and(is_spaceless)
                && letters.next().is_none()
                && !japanese::knows(w)
        })
        .count();
    points -= 2.0 * unknown as f32;
    if cell.chars().count() == 1 {
        points -= 1.0;
    }
    if context.names.iter().any(|name| cell.starts_with(name)) {
        points += 1.0;
    }
    points
}

/// The numbers and units of `cell` (`1543年1月31日` is `9年9月9日`).
fn date_shape(cell: &str) -> String {
    let mut shape = String::new();
    for c in cell.chars() {
        if c.is_ascii_digit() {
            if !shape.ends_with('9') {
                shape.push('9');
            }
        } else if SPACELESS_UNITS.contains(&c) {
            shape.push(c);
        }
    }
    shape
}

/// The points of a reading: its attribute, its values, and the row's
/// shape (lists on both sides, items that end alike, dates of one shape,
/// values of comparable length).
fn score(cells: &[String], context: &Context) -> f32 {
    let values = &cells[1..];
    let mut points =
        attribute(&cells[0], context) + values.iter().map(|v| value(v, context)).sum::<f32>();
    let lists: Vec<Vec<&str>> = values.iter().map(|v| items(v)).collect();
    let all_lists = lists.iter().all(|items| items.len() > 1);
    if all_lists {
        points += 2.0;
    }
    let last = |item: &str| item.chars().next_back();
    for items in &lists {
        if items.len() > 1 && items.iter().all(|i| last(i) == last(items[0])) {
            points += 1.0;
        }
    }
    if all_lists && lists.iter().flatten().all(|i| last(i) == last(lists[0][0])) {
        points += 1.0;
    }
    let shape = date_shape(&values[0]);
    if !shape.is_empty() && values.iter().all(|v| date_shape(v) == shape) {
        points += 2.0;
    }
    let lengths: Vec<f32> = values.iter().map(|v| v.chars().count() as f32).collect();
    let (shortest, longest) = lengths
        .iter()
        .fold((f32::MAX, 0.0f32), |(lo, hi), &l| (lo.min(l), hi.max(l)));
    if shortest > 0.0 {
        points -= (longest / shortest).ln();
    }
    points
}
