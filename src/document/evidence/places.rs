//! What a place in a glued row is, on its own: where a cell may end and
//! begin, the words and numbers around it, and the tokens of the row.

use super::*;

/// The start of the word a capital after a lowercase letter at `at` would
/// be inside if it were one word: the capitalised run before, the capital
/// and the letter after it (`TypeSc` around `Type|Script`). A prose that
/// writes it has a word with a capital inside there. (The word is not taken
/// to its end: the next cell may begin in lowercase, as in `TypeScripta`.)
pub(super) fn camel_around(chars: &[char], at: usize) -> Option<String> {
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
pub(super) fn name_ending_in_i(word: &[char], at: usize) -> bool {
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
pub(super) fn hides_a_start(cell: &[char]) -> bool {
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
pub(super) fn inside_a_word(chars: &[char], at: usize) -> bool {
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
pub(super) fn dates_meet(before: &str, after: &str) -> bool {
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
pub(super) fn suffix_after(chars: &[char], at: usize) -> bool {
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
pub(super) fn roman_letters_before(chars: &[char], at: usize) -> bool {
    chars[at - 1].is_uppercase()
        && chars[..at]
            .iter()
            .rev()
            .take_while(|c| c.is_uppercase())
            .all(|c| "IVXLCDM".contains(*c))
}

/// Whether the capitals from `at` on are roman numeral letters, to the end
/// of the word or a capitalised word (`II` in `IICharles`).
pub(super) fn roman_letters_after(chars: &[char], at: usize) -> bool {
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
pub(super) fn year_run(chars: &[char], at: usize) -> bool {
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
pub(super) fn same_digit_runs(chars: &[char], at: usize) -> bool {
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
pub(super) fn combinations(
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
pub(super) fn tokens(chars: &[char]) -> Vec<(usize, usize)> {
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

pub(super) fn token_at(tokens: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    tokens.iter().copied().find(|&(s, e)| s < at && at < e)
}

/// Whether a word the document writes whole with a capital inside
/// (`TypeScript`) spans the place `at`.
pub(super) fn inside_camel(
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
pub(super) fn core(token: &str) -> &str {
    token
        .trim_start_matches(['(', '[', '"', '“', '‘', '\'', '¿', '¡', '«', '„'])
        .trim_end_matches([
            '.', ',', ';', ':', '!', '?', ')', ']', '"', '”', '’', '\'', '%', '»', '、', '。', '，',
        ])
}

pub(super) fn is_camel(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars
        .windows(2)
        .any(|w| w[0].is_lowercase() && w[1].is_uppercase())
}

/// Scripts written without spaces between words (Chinese, Japanese, Thai,
/// and the like): a boundary between two of their letters shows nothing.
/// One definition for splitting, names and search ([`super::SPACELESS`]).
pub fn is_spaceless(c: char) -> bool {
    super::super::names::is_spaceless_char(c)
}

/// Units a number is measured in, as the grammar of values knows them.
pub(super) const UNITS: &[&str] = &[
    "%", "°", "°c", "°f", "k", "mm", "cm", "m", "km", "in", "ft", "yd", "mi", "mg", "g", "kg", "t",
    "lb", "lbs", "oz", "st", "ml", "l", "cl", "gal", "s", "ms", "min", "h", "hr", "hrs", "mph",
    "km/h", "kph", "kn", "w", "kw", "mw", "gw", "kwh", "mwh", "v", "kv", "a", "mah", "hz", "khz",
    "mhz", "ghz", "kb", "mb", "gb", "tb", "pb", "px", "pt", "cal", "kcal", "j", "kj", "pa", "kpa",
    "bar", "psi", "db", "rpm", "bc", "bce", "ad", "ce", "am", "pm", "years", "year", "yrs", "days",
    "months", "mp", "fps", "ppi", "dpi", "nm",
];

/// Characters after a number that make a measurement in spaceless scripts.
pub(super) const SPACELESS_UNITS: &[char] = &[
    '年', '月', '日', '歳', '才', '人', '円', '元', '代', '世', '回', '位', '号', '万', '億',
];

/// Whether a cell of a spaceless script begins at `at` with a number and
/// its unit: the character before is of such a script or closes a bracket,
/// `before` (the cell that ends there) is all such text with its brackets
/// closed, and the digits at `at` are followed by a unit of those scripts
/// (`年`, `歳`, `月`...).
pub(super) fn spaceless_number_starts(chars: &[char], at: usize, before: &str) -> bool {
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
pub(super) fn closes_itself(cell: &str) -> bool {
    let Some(last) = cell.chars().next_back() else {
        return false;
    };
    balanced_with(cell, last) && cell.chars().count() >= 3
}

/// Whether `cell` begins with an opening bracket or quotation mark that it
/// closes itself (`"military-industrial complex"`): its start shows.
pub(super) fn opens_itself(cell: &str) -> bool {
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
pub(super) fn balanced_with(cell: &str, close: char) -> bool {
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
pub(super) fn number_words(n: u64) -> Option<String> {
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
pub(super) fn spaceless_value(word: &str) -> bool {
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
pub(super) fn kind_of_letter(c: char) -> u8 {
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
pub(super) fn ideograph(c: char) -> bool {
    super::super::names::is_han(c) || matches!(c, '々' | 'ヶ')
}

/// Whether `cell` is one word of a script without spaces, two characters
/// or more (`享年`): such an attribute ends where a number begins.
pub(super) fn spaceless_word(cell: &str) -> bool {
    cell.chars().count() >= 2 && cell.chars().all(is_spaceless)
}

/// Whether `word` has the shape of a name: a capital, then at least two
/// lowercase letters (or apostrophes) and nothing else (`Ottawa`, `Dunkin'`).
pub(super) fn name_shaped(word: &str) -> bool {
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
pub(super) fn script(c: char) -> u8 {
    match c {
        '\u{0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => 0,
        c if super::super::names::is_greek(c) => 1,
        c if super::super::names::is_cyrillic(c) => 2,
        _ => 3,
    }
}

/// Whether value cell `k` of `cells` (the attribute is 0) is written the
/// same as another value cell: the repetition shows where it begins and ends.
pub(super) fn repeated(cells: &[String], k: usize) -> bool {
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
pub(super) fn marked_value(cell: &str) -> bool {
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
pub(super) fn first_short_word(piece: &str, cell: &str) -> bool {
    cell.strip_prefix(piece)
        .is_some_and(|rest| rest.starts_with(' '))
        && matches!(piece, "a" | "an" | "the" | "yes" | "no")
}

/// Whether the capitals from `from` to `to` are a roman numeral after a
/// capitalised word and a space, as in a regnal name (`Leo X`).
pub(super) fn regnal_before(chars: &[char], from: usize, to: usize) -> bool {
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
pub(super) fn is_closing(c: char) -> bool {
    matches!(
        c,
        '）' | '」' | '』' | '、' | '。' | ')' | ']' | ',' | '.' | '，' | '・' | '～'
    )
}

/// A cell may end in a letter or digit, or closing punctuation.
pub(super) fn can_end(chars: &[char], j: usize) -> bool {
    let c = chars[j];
    // Not in a foot mark (`5'` in `5'7"`).
    if matches!(c, '\'' | '’' | '′') && j > 0 && chars[j - 1].is_ascii_digit() {
        return false;
    }
    // Nor in a word before a number that belongs to it: `約` (about), `第`
    // (the ordinal), `計` (in all), as in `約|6,400人` or `第|6`.
    if matches!(c, '約' | '第' | '計') && chars.get(j + 1).is_some_and(char::is_ascii_digit) {
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
pub(super) fn can_start(chars: &[char], i: usize) -> bool {
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
