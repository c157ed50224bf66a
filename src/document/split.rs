//! Splitting a table row into its cells: by tabs or `" | "` as written, or,
//! for a glued row, at the places where one cell can end and the next begin.

use super::{ParseError, Separator, error, excerpt, name_parts};

/// Why a table row could not be split into its cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// Separated by tabs or `" | "`, but into the wrong number of cells.
    WrongCount {
        separator: Separator,
        found: usize,
        wanted: usize,
    },
    /// Glued, with fewer places where a cell can end than cells to separate.
    TooFewPlaces { places: Vec<usize>, wanted: usize },
    /// Glued, with more places than needed: more than one way to split it.
    Ambiguous { places: Vec<usize>, wanted: usize },
}

impl SplitError {
    pub(super) fn at(&self, line: usize, row: &str) -> ParseError {
        let fix = "separate its cells with a tab or \" | \" (for example `Attribute | value | value`) and import again";
        let problem = match self {
            SplitError::WrongCount {
                separator,
                found,
                wanted,
            } => {
                let name = if *separator == Separator::Tab {
                    "tabs"
                } else {
                    "\" | \""
                };
                return error(
                    line,
                    format!(
                        "the table row {} has {found} cells separated by {name}, but the table has {wanted} columns",
                        excerpt(row)
                    ),
                    format!(
                        "give it exactly {wanted} cells: the attribute, then one value per figure"
                    ),
                );
            }
            SplitError::TooFewPlaces { places, wanted } => format!(
                "cannot split the table row {} into {wanted} cells: {}",
                excerpt(row),
                match places.len() {
                    0 => "no place where one cell can end and the next begin".to_string(),
                    n => format!(
                        "only {n} place{} where one cell can end and the next begin ({})",
                        if n == 1 { "" } else { "s" },
                        show_places(row, places)
                    ),
                }
            ),
            SplitError::Ambiguous { places, wanted } => format!(
                "the table row {} can be split into {wanted} cells in {} ways, at any {} of {}",
                excerpt(row),
                ways(places.len(), wanted - 1),
                wanted - 1,
                show_places(row, places)
            ),
        };
        error(line, problem, fix)
    }
}

fn ways(n: usize, k: usize) -> u128 {
    (0..k).fold(1u128, |acc, i| {
        acc.saturating_mul((n - i) as u128) / (i as u128 + 1)
    })
}

/// Shows each candidate split as `end|Start`: the text from the previous
/// space or split place to the next one, at most 15 characters each side.
fn show_places(row: &str, places: &[usize]) -> String {
    let chars: Vec<char> = row.chars().collect();
    let places: Vec<usize> = places
        .iter()
        .copied()
        .filter(|&p| p <= chars.len())
        .collect();
    let shown: Vec<String> = places
        .iter()
        .enumerate()
        .take(6)
        .map(|(n, &p)| {
            let previous = if n > 0 { places[n - 1] } else { 0 };
            let next = places.get(n + 1).copied().unwrap_or(chars.len());
            let from = chars[previous..p]
                .iter()
                .rposition(|c| c.is_whitespace())
                .map_or(previous, |i| previous + i + 1)
                .max(p.saturating_sub(15));
            let to = chars[p..next]
                .iter()
                .position(|c| c.is_whitespace())
                .map_or(next, |i| p + i)
                .min(p + 15);
            let left: String = chars[from..p].iter().collect();
            let right: String = chars[p..to].iter().collect();
            format!("{left}|{right}")
        })
        .collect();
    shown.join(", ") + if places.len() > 6 { ", ..." } else { "" }
}

/// Splits a table row into `cells` cells.
///
/// A row containing a tab is split on tabs, a row containing `" | "` on that;
/// either must give exactly `cells` cells. Otherwise the cells are glued, and
/// the row is split at the places where one cell can end and the next begin
/// (see [`split_places`]); there must be exactly `cells - 1` such places.
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
    let wanted = cells - 1;
    if places.len() < wanted {
        return Err(SplitError::TooFewPlaces {
            places,
            wanted: cells,
        });
    }
    if places.len() > wanted {
        return Err(SplitError::Ambiguous {
            places,
            wanted: cells,
        });
    }
    let chars: Vec<char> = row.chars().collect();
    let mut parts = Vec::with_capacity(cells);
    let mut from = 0;
    for &p in places.iter().chain(std::iter::once(&chars.len())) {
        parts.push(chars[from..p].iter().collect());
        from = p;
    }
    Ok((parts, Separator::Glued))
}

/// The character positions in a glued row where one cell can end and the
/// next begin:
///
/// - the cell before must end in a letter, a digit or closing punctuation
///   (`. ! ? ) ] " ” ’ ' %`), not in a space, a hyphen (`Five-Year`,
///   `Brest-Litovsk`) or an initial or elided letter (`D.`, `U.S.`, `O’`);
/// - the next cell must begin with a capitalised word (`Focused`), the
///   one-letter words `A` and `I`, an acronym (`USSR`), a digit after a
///   letter (`Born5 May`), or an opening quote or bracket before one of those;
///   a digit never starts a cell after a digit, since `181828` could be split
///   anywhere;
/// - the place is not inside brackets or quotes, nor inside a figure's name
///   or surname (`McCarthy`).
pub fn split_places(row: &str, names: &[String]) -> Vec<usize> {
    let chars: Vec<char> = row.chars().collect();
    let protected = protected_positions(&chars, names);
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
            places.push(i);
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

/// Marks every position strictly inside an occurrence of a figure's name or
/// name part, where no cell boundary may fall.
fn protected_positions(chars: &[char], names: &[String]) -> Vec<bool> {
    let mut protected = vec![false; chars.len() + 1];
    for name in names {
        for part in std::iter::once(name.as_str()).chain(name_parts(name)) {
            let needle: Vec<char> = part.chars().collect();
            if needle.len() < 2 || needle.len() > chars.len() {
                continue;
            }
            for start in 0..=chars.len() - needle.len() {
                if chars[start..start + needle.len()] == needle[..] {
                    for p in &mut protected[start + 1..start + needle.len()] {
                        *p = true;
                    }
                }
            }
        }
    }
    protected
}

fn is_single_letter_word(chars: &[char], j: usize) -> bool {
    chars[j].is_alphabetic() && (j == 0 || !chars[j - 1].is_alphanumeric())
}

fn can_end(chars: &[char], j: usize) -> bool {
    let c = chars[j];
    if c.is_alphanumeric() {
        return true;
    }
    match c {
        '.' => !(j > 0 && is_single_letter_word(chars, j - 1)),
        // `workers’` can end a cell; `O’Brien` and `d’Estaing` cannot.
        '\'' | '’' => {
            j > 0 && chars[j - 1].is_lowercase() && !is_single_letter_word(chars, j - 1)
        }
        '!' | '?' | ')' | ']' | '"' | '”' | '%' => true,
        _ => false,
    }
}

fn can_start(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = chars[i - 1];
    if c.is_ascii_digit() {
        return prev.is_alphabetic();
    }
    if matches!(c, '"' | '“' | '(') {
        return chars
            .get(i + 1)
            .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit())
            && (i + 1 == chars.len() || starts_word(chars, i + 1, false));
    }
    c.is_uppercase() && starts_word(chars, i, prev.is_uppercase())
}

/// Whether an uppercase letter at `i` begins a capitalised word, a one-letter
/// word (`A`, `I`) or an acronym (only where the letter before is not itself
/// uppercase, so `USSR` is not split inside).
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
            end == chars.len() || !chars[end].is_alphabetic()
        }
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
            split("RivalThe U.S.A. and NATOThe USSR").unwrap(),
            ["Rival", "The U.S.A. and NATO", "The USSR"]
        );
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
        let message = err.at(11, "Born5 May 181828 November 1820").to_string();
        assert!(
            message.starts_with(
                "line 11: cannot split the table row \"Born5 May 181828 November 1820\""
            ),
            "{message}"
        );
        assert!(message.contains("Born|5"), "{message}");
        assert!(message.contains("tab or \" | \""), "{message}");
    }

    #[test]
    fn a_row_with_extra_places_is_ambiguous() {
        let err = split("StyleBold AndStrong and QuietCalm").unwrap_err();
        assert!(matches!(err, SplitError::Ambiguous { .. }), "{err:?}");
        let message = err.at(3, "StyleBold AndStrong and QuietCalm").to_string();
        assert!(
            message.contains("in 3 ways, at any 2 of Style|Bold, And|Strong, Quiet|Calm"),
            "{message}"
        );
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
