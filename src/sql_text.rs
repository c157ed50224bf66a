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
