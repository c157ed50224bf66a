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
        } else {
            cut(line, width, &mut out);
        }
    }
    out
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
}
