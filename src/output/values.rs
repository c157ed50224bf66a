//! How one stored value is written in each format: CSV fields, table and
//! Markdown cells, reals as SQLite prints them, BLOBs as hex, control
//! characters made visible, and JSON objects and keys.

use std::io::Write;

use anyhow::{Context, Result};
use rusqlite::types::ValueRef;

use super::{BOLD, NOT_BOLD, WRITE_FAILED};

/// RFC 4180 fields: quoted only where needed (by `csv_core`'s rules), except
/// that the empty string is always `""` so that it differs from NULL, which
/// is an empty field.
pub(super) struct CsvFields {
    rules: csv_core::Writer,
}

impl CsvFields {
    pub(super) fn new() -> CsvFields {
        CsvFields {
            rules: csv_core::WriterBuilder::new()
                .quote_style(csv_core::QuoteStyle::Necessary)
                .build(),
        }
    }

    /// Appends field number `index` (a comma before all but the first);
    /// `None` is NULL.
    pub(super) fn push(&self, line: &mut Vec<u8>, index: usize, field: Option<&[u8]>) {
        if index > 0 {
            line.push(b',');
        }
        match field {
            None => {}
            Some([]) => line.extend_from_slice(b"\"\""),
            Some(bytes) if self.rules.should_quote(bytes) => {
                line.push(b'"');
                let start = line.len();
                // Worst case every byte is a quote and doubles.
                line.resize(start + bytes.len() * 2, 0);
                let (_, _, written) = csv_core::quote(bytes, &mut line[start..], b'"', b'"', true);
                line.truncate(start + written);
                line.push(b'"');
            }
            Some(bytes) => line.extend_from_slice(bytes),
        }
    }
}

/// Text for CSV, TSV and Markdown: numbers as SQLite prints them, BLOBs as
/// `x'hex'`.
pub(super) fn plain_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => format_real(r),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("x'{}'", hex(b)),
    }
}

/// Text for a table cell: NULL shown as `NULL`, line breaks kept, other
/// control characters escaped.
pub(super) fn table_text(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(i) => i.to_string(),
        other => {
            let text = plain_text(other);
            // Most values need no escape: kept as they are, not copied.
            if text.chars().any(|c| c.is_control() && c != '\n') {
                table_cell(&text)
            } else {
                text
            }
        }
    }
}

pub(super) fn table_cell(text: &str) -> String {
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text.to_string()
    };
    if !text.contains('\u{1b}') {
        return escape_controls(&text, false);
    }
    // Bold from a search snippet stays bold; any other escape is shown.
    text.split(BOLD)
        .map(|part| {
            part.split(NOT_BOLD)
                .map(|p| escape_controls(p, false))
                .collect::<Vec<_>>()
                .join(NOT_BOLD)
        })
        .collect::<Vec<_>>()
        .join(BOLD)
}

/// A real as the sqlite3 shell shows it, SQLite's `printf('%!.15g')`: 15
/// significant digits, at least one after the point (`3.0`), the exponent
/// form below 1e-4 and from 1e15 (`2.5e+301`, `1.0e-05`); `Inf` and `-Inf`.
pub(super) fn format_real(r: f64) -> String {
    if r.is_nan() {
        // SQLite never stores a NaN (it becomes NULL); shown as it would be.
        return "NaN".to_string();
    }
    if r.is_infinite() {
        return if r > 0.0 { "Inf" } else { "-Inf" }.to_string();
    }
    if r == 0.0 {
        return "0.0".to_string();
    }
    let (mut digits, exponent) = fifteen_digits(r.abs());
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    let digits = String::from_utf8(digits).unwrap_or_default();
    let mut out = String::with_capacity(24);
    if r < 0.0 {
        out.push('-');
    }
    if !(-4..15).contains(&exponent) {
        out.push_str(&digits[..1]);
        out.push('.');
        out.push_str(if digits.len() > 1 { &digits[1..] } else { "0" });
        out.push_str(&format!(
            "e{}{:02}",
            if exponent < 0 { '-' } else { '+' },
            exponent.abs()
        ));
    } else if exponent >= 0 {
        let whole = exponent as usize + 1;
        if digits.len() > whole {
            out.push_str(&digits[..whole]);
            out.push('.');
            out.push_str(&digits[whole..]);
        } else {
            out.push_str(&digits);
            out.push_str(&"0".repeat(whole - digits.len()));
            out.push_str(".0");
        }
    } else {
        out.push_str("0.");
        out.push_str(&"0".repeat((-exponent - 1) as usize));
        out.push_str(&digits);
    }
    out
}

/// The first 15 significant digits of `r` (positive), rounded half away
/// from zero as SQLite rounds them, and the power of ten of the first.
fn fifteen_digits(r: f64) -> (Vec<u8>, i32) {
    let split = |text: &str| -> (Vec<u8>, i32) {
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).collect();
        (digits, exponent.parse().unwrap_or(0))
    };
    // The shortest digits that read back as a normal `r` are its 15-digit
    // rounding when there are at most 15 of them (`r` is nearer to them than
    // half a step of the 15th digit), and they are quick to find.
    if r.is_normal() {
        let (digits, exponent) = split(&format!("{r:e}"));
        if digits.len() <= 15 {
            return (digits, exponent);
        }
    }
    let (mut digits, mut exponent) = split(&format!("{r:.16e}"));
    let up = match (digits[15], digits[16]) {
        (d, _) if d > b'5' => true,
        (d, _) if d < b'5' => false,
        (_, d) if d != b'0' => true,
        // Exactly halfway, or just under and rounded up to 17 digits: the
        // long form tells (rarely needed, and slower).
        _ => split(&format!("{r:.39e}")).0[15] >= b'5',
    };
    digits.truncate(15);
    if up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                // 9.99...9 rounded up.
                digits.insert(0, b'1');
                digits.pop();
                exponent += 1;
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    (digits, exponent)
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `text` for a terminal: control characters other than line breaks and
/// tabs escaped (`\u{1b}`), so that no text a document holds (another tool
/// may have stored an escape sequence) moves the cursor, retitles the
/// window or clears the screen.
pub fn visible(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// Escapes control characters. For TSV (`tsv`), line breaks and the
/// backslash too, so that every escape reads back as one character: a tab is
/// `\t`, the text `\t` is `\\t`.
pub(super) fn escape_controls(text: &str, tsv: bool) -> String {
    if !text
        .chars()
        .any(|c| (c.is_control() && (tsv || c != '\n')) || (tsv && c == '\\'))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if !tsv => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\\' if tsv => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

pub(super) fn markdown_cell(text: &str) -> String {
    escape_controls(&text.replace("\r\n", "\n"), false)
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

/// Writes one JSON object, keys in column order. `keys` are the column
/// names already encoded as JSON strings (see [`json_keys`]).
pub(super) fn write_json_object(
    out: &mut impl Write,
    keys: &[String],
    values: &[ValueRef<'_>],
) -> Result<()> {
    let mut line = Vec::with_capacity(256);
    line.push(b'{');
    for (i, (key, value)) in keys.iter().zip(values).enumerate() {
        if i > 0 {
            line.push(b',');
        }
        line.extend_from_slice(key.as_bytes());
        line.push(b':');
        match *value {
            ValueRef::Null => line.extend_from_slice(b"null"),
            ValueRef::Integer(i) => line.extend_from_slice(i.to_string().as_bytes()),
            ValueRef::Real(r) if r.is_finite() => serde_json::to_writer(&mut line, &r)?,
            // JSON has no infinity: SQLite's own JSON (`json_quote(9e999)`)
            // writes a number too large for a double, which JavaScript and
            // Python read back as infinity.
            ValueRef::Real(r) if r == f64::INFINITY => line.extend_from_slice(b"9.0e+999"),
            ValueRef::Real(r) if r == f64::NEG_INFINITY => line.extend_from_slice(b"-9.0e+999"),
            // SQLite stores no NaN (it becomes NULL).
            ValueRef::Real(_) => line.extend_from_slice(b"null"),
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(text) => serde_json::to_writer(&mut line, text)?,
                Err(_) => serde_json::to_writer(&mut line, &String::from_utf8_lossy(t))?,
            },
            ValueRef::Blob(b) => {
                line.extend_from_slice(b"{\"blob\":\"");
                line.extend_from_slice(hex(b).as_bytes());
                line.extend_from_slice(b"\"}");
            }
        }
    }
    line.push(b'}');
    out.write_all(&line).context(WRITE_FAILED)
}

/// Column names encoded once as JSON strings, for every row's keys; a
/// repeated name gets `_2`, `_3`, ... so that every key is distinct.
pub(super) fn json_keys(columns: &[String]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::with_capacity(columns.len());
    for column in columns {
        let mut name = column.clone();
        let mut n = 1;
        while seen.contains(&name) {
            n += 1;
            name = format!("{column}_{n}");
        }
        seen.push(name);
    }
    seen.iter()
        .map(|c| serde_json::to_string(c).unwrap_or_else(|_| "\"?\"".to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reals are written as SQLite's `printf('%!.15g', r)` writes them.
    #[test]
    fn reals_read_as_sqlite_prints_them() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let mut stmt = conn.prepare("SELECT printf('%!.15g', ?1)").unwrap();
        let mut check = |r: f64| {
            let sqlite: String = stmt.query_row([r], |row| row.get(0)).unwrap();
            assert_eq!(format_real(r), sqlite, "{r:e}");
        };
        for r in [
            0.0,
            1.0,
            -1.0,
            2.5,
            0.1,
            0.1 + 0.2,
            1.0 / 3.0,
            2.5e301,
            1e-320,
            1e15,
            1e14,
            999999999999999.9,
            1e-4,
            1e-5,
            123456789012345678.0,
            1000000000000005.0,
            9.999999999999995,
            1000000000000015.0,
            1000000000000025.0,
            0.5,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            100.0,
            -0.00012345,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            check(r);
        }
        let mut rng = fastrand::Rng::with_seed(10);
        for _ in 0..20_000 {
            let bits = rng.u64(..);
            let r = f64::from_bits(bits);
            if r.is_finite() {
                check(r);
            }
            // Numbers people write: a few digits and a power of ten.
            let r = rng.i64(-99_999..99_999) as f64 * 10f64.powi(rng.i32(-12..20));
            check(r);
        }
    }

    #[test]
    fn tsv_escapes_the_backslash_so_every_escape_reads_back() {
        // A real tab and the text `\t` come out different.
        assert_eq!(escape_controls("a\tb", true), r"a\tb");
        assert_eq!(escape_controls(r"a\tb\c", true), r"a\\tb\\c");
        assert_eq!(escape_controls(r"a\b", false), r"a\b");
    }
}
