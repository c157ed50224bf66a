//! Stored values as text, and text as SQL: how a value another tool may
//! have stored (a number, a BLOB, text that is not UTF-8) reads as text, as a
//! sentence names it, and how a string is quoted as an SQL literal or
//! identifier. One place, so that every command shows a value the same way.

/// A stored value as a sentence can name it: `the number 4294967296`, `a
/// BLOB of 2 bytes (x'ff00')`, `the text "one"`, `NULL`; never Rust's
/// `Blob([255])`.
pub fn describe_value(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => "NULL".to_string(),
        ValueRef::Integer(i) => format!("the number {i}"),
        ValueRef::Real(r) => format!("the number {r}"),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(text) if text.chars().count() <= 40 => format!("the text {text:?}"),
            Ok(text) => format!(
                "the text {:?}...",
                text.chars().take(40).collect::<String>()
            ),
            Err(_) => format!("{} bytes of text that is not UTF-8", t.len()),
        },
        ValueRef::Blob(b) => {
            let hex: String = b.iter().take(16).map(|x| format!("{x:02x}")).collect();
            format!(
                "a BLOB of {} byte{} (x'{hex}'{})",
                b.len(),
                if b.len() == 1 { "" } else { "s" },
                if b.len() > 16 { "..." } else { "" }
            )
        }
    }
}

/// A value as text, the way SQLite's `CAST(x AS TEXT)` reads it (bad UTF-8
/// bytes become U+FFFD; NULL is empty).
pub fn lossy_text(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
    }
}

/// A stored name, slug or heading as text, whatever another tool put there:
/// text that is not UTF-8 with U+FFFD for each bad byte, a number as SQLite
/// prints it, a BLOB as `x'<hex>'` (as the output formats show them), so
/// that a suggestion or a column name never fails on rusqlite's "Invalid
/// column type".
pub fn stored_text(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<String> {
    use rusqlite::types::ValueRef;
    Ok(match row.get_ref(index)? {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("x'{hex}'")
        }
    })
}

/// SQL text for a string literal: `'it''s'`.
pub fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// SQL text for an identifier: `"Leon Trotsky"`.
pub fn sql_identifier(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// A piece of SQL text, as far as finding parameters and comments needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    Code,
    /// A string literal, a quoted identifier or a comment.
    Quoted,
    Comment,
    /// `:name`, `@name` or `$name`.
    Parameter,
}

/// Splits SQL into pieces (byte ranges), as SQLite's tokenizer sees them.
pub fn pieces(sql: &str) -> Vec<(Piece, std::ops::Range<usize>)> {
    let bytes = sql.as_bytes();
    let id_char = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut out: Vec<(Piece, std::ops::Range<usize>)> = Vec::new();
    let mut push = |piece: Piece, range: std::ops::Range<usize>| match out.last_mut() {
        Some((Piece::Code, last)) if piece == Piece::Code && last.end == range.start => {
            last.end = range.end;
        }
        _ => out.push((piece, range)),
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let closing = |open: u8, close: u8, from: usize| -> usize {
            // The end of a quoted run: past its closing quote (a doubled
            // quote inside it is the quote itself), or the end of the SQL.
            let mut j = from + 1;
            while j < bytes.len() {
                if bytes[j] == close {
                    if open == close && bytes.get(j + 1) == Some(&close) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j += 1;
            }
            bytes.len()
        };
        let end = match b {
            b'\'' | b'"' | b'`' => {
                let end = closing(b, b, i);
                push(Piece::Quoted, i..end);
                end
            }
            b'[' => {
                let end = closing(b'[', b']', i);
                push(Piece::Quoted, i..end);
                end
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                push(Piece::Comment, i..end);
                end
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(&bytes[i + 2..], b"*/")
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                push(Piece::Comment, i..end);
                end
            }
            b':' | b'@' | b'$'
                if bytes.get(i + 1).is_some_and(|&n| id_char(n) && n != b'$')
                    && !(b == b'$' && i > 0 && id_char(bytes[i - 1])) =>
            {
                let mut j = i + 1;
                while j < bytes.len() && id_char(bytes[j]) {
                    j += 1;
                }
                push(Piece::Parameter, i..j);
                j
            }
            _ => {
                push(Piece::Code, i..i + 1);
                i + 1
            }
        };
        i = end;
    }
    out
}
