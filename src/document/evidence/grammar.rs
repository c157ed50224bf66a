//! The grammar of values: numbers, years, dates, measurements, roman
//! numerals, and the kind of a value cell for the row's shape.

use super::*;

/// What the grammar of values says of a piece: `None` when it is not a
/// number, a measurement, a roman numeral or an abbreviation.
pub(super) fn value_grammar(piece: &str, word: &str, after_number: bool) -> Option<f32> {
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
    // `c.` or `ca.` (circa) before a date: `c. 428 BC`.
    if matches!(trimmed, "c." | "ca.") {
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
pub(super) fn number(text: &str) -> Option<(u64, bool)> {
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

pub(super) fn is_roman(word: &str) -> bool {
    const NUMERALS: &[&str] = &[
        "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "XIII", "XIV", "XV", "XVI",
        "XVII", "XVIII", "XIX", "XX", "XXI",
    ];
    NUMERALS.contains(&word)
}

/// The kind of a value cell, for the row's shape.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub(super) enum Kind {
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
    pub(super) fn is_number(self) -> bool {
        matches!(self, Kind::Year | Kind::Number(_) | Kind::Range)
    }
}

/// Prefixes written with a hyphen (`non-retractable`): no weakness of the
/// word they begin.
pub(super) const PREFIXES: &[&str] = &[
    "non", "anti", "pre", "post", "semi", "self", "co", "ex", "sub", "multi", "pro", "inter",
    "mid", "half", "re",
];

/// The answers a value cell can be whole.
pub(super) const ANSWERS: &[&str] = &[
    "yes", "no", "none", "n/a", "unknown", "partial", "both", "neither",
];

pub(super) fn kind(cell: &str) -> Kind {
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

pub(super) const MONTHS: &[&str] = &[
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
pub(super) fn shape(values: &[String]) -> f32 {
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
