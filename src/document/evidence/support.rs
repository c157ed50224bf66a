//! Whether a reading is supported and possible: the evidence on both
//! sides of each boundary, and the readings no reader would consider.

use super::*;

impl Weigh<'_> {
    /// Whether the place `at` is a seam a careful reader sees (a capital
    /// after a lowercase word, a capitalised word after a number, an
    /// acronym or a closing bracket: [`Weigh::seams`]) and `right`, the
    /// piece after it, has the shape of a name: a capital, then lowercase
    /// letters to the end of the word (`Exile|Elba`, `Objective-C|Kotlin`,
    /// `Joseph II|Francis`). The word list has no proper nouns, so a name
    /// is supported by the seam before it; the piece before the seam must
    /// still be known on its own, and be a word whole, not a piece another
    /// cut made (`Roji|jean|Aaa`).
    pub(super) fn name_at_seam(&self, at: usize, right: &str) -> bool {
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
    pub(super) fn glued_names(&self, cuts: &[usize], at: usize, every_seam_cut: bool) -> bool {
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
    pub(super) fn dotted_values(&self, wanted: usize) -> Option<Vec<usize>> {
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
    pub(super) fn all_known(&self, cell: &str) -> bool {
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
    pub(super) fn numbers_known(&self, at: usize) -> bool {
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
    pub(super) fn number_written_whole(&self, at: usize) -> bool {
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
    pub(super) fn list_item_ends(&self) -> Vec<usize> {
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
    pub(super) fn number_before(&self, start: usize) -> bool {
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
    pub(super) fn impossible(&self, cuts: &[usize]) -> bool {
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
            // A month's name cut inside (`Sept|ember 2023`): a date's word.
            if let Some((start, end)) = token_at(self.tokens, at) {
                let word: String = self.chars[start..end].iter().collect();
                if start < at && at < end && MONTHS.contains(&core(&word).to_lowercase().as_str()) {
                    return true;
                }
            }
        }
        false
    }

    /// Whether every boundary of a reading has known pieces on both sides,
    /// or cells the prose writes on both sides. A certain place needs that
    /// too here: it is weighed because the certain places did not settle
    /// the row.
    pub(super) fn supported(&self, cuts: &[usize]) -> bool {
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
                || listed_elsewhere(&cells, n)
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

/// Whether the value `cells[n]` is, whole, an item of another value's list
/// (`Leo X` beside `Julius II, Leo X, Clement VII`): the row writes it
/// twice, which shows where it ends.
pub(super) fn listed_elsewhere(cells: &[String], n: usize) -> bool {
    n >= 1
        && cells[n].chars().count() >= 3
        && cells[1..].iter().enumerate().any(|(k, other)| {
            k + 1 != n && other.contains(", ") && other.split(", ").any(|item| item == cells[n])
        })
}
