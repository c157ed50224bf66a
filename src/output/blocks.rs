//! What search hits (`hits.rs`) and comparisons (`comparison.rs`) share
//! when they write results as blocks of lines rather than a grid: reading a
//! field by column, styling a line, and the closing count.

use super::values::table_text;
use rusqlite::types::ValueRef;

/// ANSI escapes for a document's line (magenta and bold, as ripgrep's file
/// paths), with colour on.
pub const DOCUMENT: (&str, &str) = ("\u{1b}[35m\u{1b}[1m", "\u{1b}[0m");

/// The field at column `at` as a table shows it; `None` for NULL or a
/// column the result does not have.
pub fn field(values: &[ValueRef<'_>], at: Option<usize>) -> Option<String> {
    let value = *values.get(at?)?;
    (!matches!(value, ValueRef::Null)).then(|| table_text(value))
}

/// Appends `text`, each of its lines between the style's escapes when
/// `color` is on.
pub fn styled(out: &mut String, color: bool, (on, off): (&str, &str), text: &str) {
    if !color {
        out.push_str(text);
        return;
    }
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        out.push_str(on);
        out.push_str(line);
        out.push_str(off);
    }
}

/// Appends the closing count (`(4 rows)`, `(1 hit)`), after a blank line
/// when anything came before it.
pub fn count(out: &mut String, n: u64, one: &str) {
    if n > 0 {
        out.push('\n');
    }
    out.push_str(&format!("({n} {one}{})\n", if n == 1 { "" } else { "s" }));
}
