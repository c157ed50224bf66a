//! Wrapping text to a width in terminal columns: between words or after a
//! hyphen, a word longer than the width cut and marked. Tables, search
//! hits, comparisons and `show`'s prose wrap with it.

use crate::document::is_spaceless;

pub(super) fn display_width(text: &str) -> usize {
    text.split('\n').map(line_width).max().unwrap_or(0)
}

/// The columns one line takes on a terminal (ANSI escapes take none).
pub(super) fn line_width(line: &str) -> usize {
    // Printable ASCII, most values, is one column a byte.
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        line.len()
    } else {
        textwrap::core::display_width(line)
    }
}

/// The mark at the end of each piece of a word cut because it is longer
/// than its column.
pub const CUT_MARK: char = '-';

/// The cell wrapped to `width` columns between words or after a hyphen,
/// never inside a word: a word longer than the column is cut, each piece
/// but its last ending in [`CUT_MARK`] (except between two letters of a
/// script written without spaces, which breaks anywhere).
pub fn wrapped(cell: String, width: usize) -> String {
    if display_width(&cell) <= width {
        return cell;
    }
    let width = width.max(1);
    let options = textwrap::Options::new(width).break_words(false);
    let mut out = String::with_capacity(cell.len() + 16);
    for (n, line) in textwrap::wrap(&cell, options).iter().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if line_width(line) <= width {
            out.push_str(line);
        } else if line.trim().contains(' ') {
            // textwrap can leave words together past the width after a
            // word it could not break (seen with wide characters): they
            // are laid out again, a word at a time.
            refill(line, width, &mut out);
        } else {
            cut(line, width, &mut out);
        }
    }
    out
}

/// Words laid out a line at a time, as many as fit; a word longer than
/// the width alone on its lines, cut.
fn refill(line: &str, width: usize, out: &mut String) {
    let mut used = 0;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        let w = line_width(word);
        if used > 0 && used + 1 + w > width {
            out.push('\n');
            used = 0;
        } else if used > 0 {
            out.push(' ');
            used += 1;
        }
        if w > width {
            if used > 0 {
                out.push('\n');
            }
            let mut piece = String::new();
            cut(word, width, &mut piece);
            used = piece.rsplit('\n').next().map_or(0, line_width);
            out.push_str(&piece);
        } else {
            out.push_str(word);
            used += w;
        }
    }
}

/// A line wider than `width` (a word longer than its column) cut into
/// pieces that fit, each marked where it was cut.
fn cut(line: &str, width: usize, out: &mut String) {
    let chars: Vec<(char, usize)> = line
        .chars()
        .map(|c| (c, textwrap::core::display_width(c.encode_utf8(&mut [0; 4]))))
        .collect();
    let mut rest: usize = chars.iter().map(|&(_, w)| w).sum();
    let mut used = 0;
    for (k, &(c, w)) in chars.iter().enumerate() {
        // Room for the mark, unless what is left fits whole.
        let mark = width >= 2 && !spaceless_pair(&chars, k);
        let room = if mark { width - 1 } else { width };
        if used > 0 && used + rest > width && used + w > room {
            if mark && used < width {
                out.push(CUT_MARK);
            }
            out.push('\n');
            used = 0;
        }
        out.push(c);
        used += w;
        rest -= w;
    }
}

/// Whether the characters before and at `k` are both of a script written
/// without spaces, where a line may break anywhere unmarked.
fn spaceless_pair(chars: &[(char, usize)], k: usize) -> bool {
    k > 0 && is_spaceless(chars[k - 1].0) && is_spaceless(chars[k].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// textwrap can break a long word one column too wide next to a
    /// double-width character (found by the property below).
    #[test]
    fn a_long_word_with_wide_characters_is_cut_to_the_width() {
        let word = "aAAaAaAaA日本語AAAaaa日本語aaAAAaAaAaaaAAAaaAaAAAaAaAaaAA日本語";
        for width in 2..40 {
            let cell = wrapped(word.to_string(), width);
            for line in cell.lines() {
                assert!(line_width(line) <= width, "{width}: {cell}");
            }
            let joined = cell.replace(&format!("{CUT_MARK}\n"), "").replace('\n', "");
            assert_eq!(joined, word);
        }
    }

    /// A cell wraps between words or after a hyphen; only a word longer
    /// than its column is cut, and the cut is marked.
    #[test]
    fn cells_wrap_between_words_and_mark_a_cut_word() {
        assert_eq!(
            wrapped("the Organization of a well-known party".to_string(), 14),
            "the\nOrganization\nof a well-\nknown party"
        );
        assert_eq!(
            wrapped("Organizational".to_string(), 8),
            "Organiz-\national"
        );
        // A script without spaces breaks anywhere, unmarked.
        assert_eq!(
            wrapped("織田信長と豊臣秀吉".to_string(), 8),
            "織田信長\nと豊臣秀\n吉"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever the words (long ones, hyphenated ones, wide characters,
        /// accents), every line fits, a word that fits its column is never
        /// cut, and a word cut because it is longer is marked where it was.
        #[test]
        fn no_word_is_cut_unless_longer_than_its_column(
            words in proptest::collection::vec("[a-zA-Z]{1,14}(-[a-z]{1,8})?|日本語|e\u{301}t[a-z]{0,5}|[0-9]{1,6}", 1..30),
            width in 2usize..60,
        ) {
            let text = words.join(" ");
            let out = wrapped(text.clone(), width);
            for line in out.lines() {
                proptest::prop_assert!(line_width(line) <= width, "{:?} is wider than {}", line, width);
            }
            for word in &words {
                // A hyphen may end a line (`well-` / `known`).
                // (A script written without spaces breaks between any two
                // of its letters, as its typography does.)
                for piece in word.split_inclusive('-') {
                    if line_width(piece) <= width && !piece.chars().any(is_spaceless) {
                        proptest::prop_assert!(
                            out.lines().any(|l| l.split(' ').any(|t| t.contains(piece))),
                            "{:?} was cut at {}:\n{}", piece, width, out
                        );
                    }
                }
            }
            // Nothing is lost: the letters come back (the marks are
            // hyphens, which the words hold too).
            let letters = |t: &str| t.chars().filter(|c| !c.is_whitespace() && *c != CUT_MARK).collect::<String>();
            proptest::prop_assert_eq!(letters(&out), letters(&text));
        }
    }
}
