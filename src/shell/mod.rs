//! `versus shell`, the interactive front end. It stands beside `cli`,
//! above the commands: a loop over the commands' own `execute` functions
//! (`runner.rs`), on one connection. Here: how a line is told apart
//! (dot-command, SQL or named query), where an SQL statement ends, the words
//! of a named-query line, where the history is kept, the session
//! (`session.rs`) and Tab completion (`complete.rs`).
//!
//! A line is read this way, and `.help` says so:
//! - it starts with `.`: a dot-command;
//! - its first word (after any comments) is one that starts an SQL
//!   statement ([`SQL_STARTS`]), or it starts with a comment: SQL, which
//!   goes on over the next lines until SQLite calls it complete (a `;` that
//!   ends a statement: not one inside a string, a comment or a trigger's
//!   body);
//! - anything else: a named query, its name and then `KEY=VALUE` parameters.

pub mod complete;
mod runner;
pub mod session;

pub use runner::run;

use std::ffi::CString;
use std::path::PathBuf;

use anyhow::Result;

use crate::error::{Kind, fail};

/// The words an SQL statement can start with (SQLite's grammar), upper case.
pub const SQL_STARTS: &[&str] = &[
    "ALTER",
    "ANALYZE",
    "ATTACH",
    "BEGIN",
    "COMMIT",
    "CREATE",
    "DELETE",
    "DETACH",
    "DROP",
    "END",
    "EXPLAIN",
    "INSERT",
    "PRAGMA",
    "REINDEX",
    "RELEASE",
    "REPLACE",
    "ROLLBACK",
    "SAVEPOINT",
    "SELECT",
    "UPDATE",
    "VACUUM",
    "VALUES",
    "WITH",
];

/// What a line typed (or read from a script) is.
#[derive(Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Nothing to run: white space, or only a comment.
    Blank,
    /// A dot-command: its name (with the dot) and the rest of the line.
    Dot,
    /// The start of SQL.
    Sql,
    /// A named query with its parameters.
    Query,
}

/// Tells a line apart (see the module docs). `continuing` is true when
/// earlier lines hold SQL that is not complete yet: then every line is SQL.
pub fn classify(line: &str, continuing: bool) -> LineKind {
    if continuing {
        return LineKind::Sql;
    }
    let trimmed = line.trim_start();
    if trimmed.is_empty() {
        return LineKind::Blank;
    }
    if trimmed.starts_with('.') {
        return LineKind::Dot;
    }
    if trimmed.starts_with("--") || trimmed.starts_with("/*") {
        // A comment alone on its line (`-- step 2`) is nothing to run; a
        // comment before SQL, or a block comment not closed yet, is SQL.
        return if has_statement(trimmed) || !is_complete_comment(trimmed) {
            LineKind::Sql
        } else {
            LineKind::Blank
        };
    }
    if starts_sql(trimmed) {
        LineKind::Sql
    } else {
        LineKind::Query
    }
}

/// Whether the first word of `text` starts an SQL statement.
pub fn starts_sql(text: &str) -> bool {
    let word = crate::exec::first_word(text);
    SQL_STARTS.iter().any(|k| k.eq_ignore_ascii_case(word))
}

/// Whether `text`, which starts with a comment, is only comments that are
/// closed (a `/*` without its `*/` goes on to the next line).
fn is_complete_comment(text: &str) -> bool {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("--") {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else if let Some(comment) = rest.strip_prefix("/*") {
            match comment.split_once("*/") {
                Some((_, after)) => rest = after,
                None => return false,
            }
        } else {
            return rest.is_empty();
        }
    }
}

/// Whether `sql` holds anything but white space, semicolons and comments.
pub fn has_statement(sql: &str) -> bool {
    !crate::exec::skip_to_statement(sql).is_empty()
}

/// Whether SQLite calls `sql` complete: it ends with a `;` that ends a
/// statement (`sqlite3_complete`, which knows strings, comments and trigger
/// bodies). Text that holds a NUL byte counts as complete, so that it is run
/// and refused rather than waited on.
pub fn is_complete(sql: &str) -> bool {
    let Ok(text) = CString::new(sql) else {
        return true;
    };
    // SAFETY: a valid NUL-terminated string; sqlite3_complete only reads it.
    unsafe { rusqlite::ffi::sqlite3_complete(text.as_ptr()) != 0 }
}

/// The statements of `sql`, each with its `;`, in order; pieces that hold
/// only comments and white space are left out. The last one may lack its
/// `;` (at the end of a script).
pub fn statements(sql: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut start = 0;
    for (at, _) in sql.match_indices(';') {
        let piece = &sql[start..=at];
        if is_complete(piece) {
            if has_statement(piece) {
                found.push(piece.trim());
            }
            start = at + 1;
        }
    }
    let rest = &sql[start..];
    if has_statement(rest) {
        found.push(rest.trim());
    }
    found
}

/// One word of a named-query line: its text with quotes taken off, and
/// where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Where the word starts in the line, and where it ends (byte offsets).
    pub start: usize,
    pub end: usize,
}

/// Splits a named-query line into words at white space. A word, or the
/// value after `KEY=`, may be quoted: in `"..."` a backslash makes the next
/// `"` or `\` plain; `'...'` holds everything up to the next `'`. A quote
/// anywhere else is a plain character, so `figure=O'Neill` needs none. A
/// quote that is not closed is an error; with `lenient` (for completion, as
/// the line is being typed) it runs to the end of the line.
pub fn words(line: &str, lenient: bool) -> Result<Vec<Word>> {
    let mut words = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut text = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            let opens = text.is_empty()
                || (text.ends_with('=')
                    && text.matches('=').count() == 1
                    && parameter(&text).is_some());
            match c {
                '"' | '\'' if opens => {
                    let mut closed = false;
                    while let Some((_, inner)) = chars.next() {
                        if inner == c {
                            closed = true;
                            break;
                        }
                        if c == '"'
                            && inner == '\\'
                            && let Some(&(_, next)) = chars.peek()
                            && (next == '"' || next == '\\')
                        {
                            chars.next();
                            text.push(next);
                            continue;
                        }
                        text.push(inner);
                    }
                    if !closed && !lenient {
                        return Err(fail(
                            Kind::Usage,
                            format!(
                                "the quote {c} that starts at character {} is not closed; close it, or write a value without quotes",
                                line[..start].chars().count() + 1
                            ),
                        ));
                    }
                }
                other => text.push(other),
            }
        }
        let end = chars.peek().map_or(line.len(), |&(at, _)| at);
        words.push(Word { text, start, end });
    }
    Ok(words)
}

/// Writes a value so that [`words`] reads it back as one word after
/// `KEY=`: as it is when that is plain, else in double quotes.
pub fn quote(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(['"', '\''])
        && !value.chars().any(char::is_whitespace);
    if plain {
        value.to_string()
    } else {
        format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A named-query line taken apart: the name, and `KEY=VALUE` parameters.
#[derive(Debug, PartialEq, Eq)]
pub struct QueryLine {
    pub name: String,
    pub params: Vec<(String, String)>,
}

/// Whether a word is a parameter: `KEY=...` with a key of letters, digits
/// and underscores.
pub fn parameter(word: &str) -> Option<(&str, &str)> {
    let (key, value) = word.split_once('=')?;
    let plain = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    plain.then_some((key, value))
}

/// Reads a named-query line: the words up to the first `KEY=VALUE` are the
/// name, the rest must all be parameters.
pub fn query_line(line: &str) -> Result<QueryLine> {
    let words = words(line, false)?;
    let mut name = Vec::new();
    let mut params = Vec::new();
    for word in &words {
        match parameter(&word.text) {
            Some((key, value)) => params.push((key.to_string(), value.to_string())),
            None if params.is_empty() => name.push(word.text.as_str()),
            None => {
                return Err(fail(
                    Kind::Usage,
                    format!(
                        "{:?} comes after the parameters; write the query's name first, then its parameters as KEY=VALUE (a value in double quotes when it holds spaces)",
                        word.text
                    ),
                ));
            }
        }
    }
    if name.is_empty() {
        return Err(fail(
            Kind::Usage,
            "the line gives parameters but no query name; write the name first (`mentions figure=Trotsky`); .queries lists the named queries",
        ));
    }
    Ok(QueryLine {
        name: name.join(" "),
        params,
    })
}

/// Where the history is kept: `$XDG_DATA_HOME/versus/history`, or
/// `~/.local/share/versus/history` when XDG_DATA_HOME is unset, empty or
/// not an absolute path (as the XDG Base Directory spec says to treat it).
/// `None` when neither it nor HOME gives a place.
pub fn history_path() -> Option<PathBuf> {
    let absolute = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let data = absolute("XDG_DATA_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".local").join("share")))?;
    Some(data.join("versus").join("history"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_told_apart() {
        assert_eq!(classify("  ", false), LineKind::Blank);
        assert_eq!(classify("-- a note", false), LineKind::Blank);
        assert_eq!(classify("/* a note */", false), LineKind::Blank);
        assert_eq!(classify("/* a long", false), LineKind::Sql);
        assert_eq!(classify("-- a note\nSELECT 1;", false), LineKind::Sql);
        assert_eq!(classify(".tables", false), LineKind::Dot);
        assert_eq!(classify("select 1", false), LineKind::Sql);
        assert_eq!(
            classify("With x AS (SELECT 1) SELECT * FROM x;", false),
            LineKind::Sql
        );
        assert_eq!(
            classify("foreign policy differences", false),
            LineKind::Query
        );
        assert_eq!(classify("selection", false), LineKind::Query);
        assert_eq!(classify("foreign policy differences", true), LineKind::Sql);
    }

    #[test]
    fn statements_end_where_sqlite_says() {
        assert_eq!(
            statements("SELECT 1; SELECT 2;"),
            ["SELECT 1;", "SELECT 2;"]
        );
        assert_eq!(statements("SELECT ';'; -- x;\n"), ["SELECT ';';"]);
        assert_eq!(statements("SELECT 1"), ["SELECT 1"]);
        assert_eq!(statements(" ; ;"), Vec::<&str>::new());
        let trigger = "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END;";
        assert_eq!(statements(trigger), [trigger]);
        assert!(!is_complete("SELECT 'a;"));
        assert!(is_complete("SELECT 'a;';"));
        assert!(!is_complete("SELECT 1 -- ;"));
    }

    #[test]
    fn words_take_quotes_off() {
        let texts = |line: &str| -> Vec<String> {
            words(line, false)
                .unwrap()
                .into_iter()
                .map(|w| w.text)
                .collect()
        };
        assert_eq!(
            texts(r#"differences topic="role in the \"Russian\" revolution" x='it s'"#),
            [
                "differences",
                r#"topic=role in the "Russian" revolution"#,
                "x=it s"
            ]
        );
        assert_eq!(
            texts(r#"mentions figure=O'Neill "two words" k="a"'b'"#),
            ["mentions", "figure=O'Neill", "two words", "k=a'b'"]
        );
        assert!(words("mentions figure=\"Leon", false).is_err());
        assert_eq!(words("mentions figure=\"Leon", true).unwrap().len(), 2);
        for value in [
            "plain",
            "two words",
            "it's",
            "O'Neill",
            "'x'",
            r#"a "b" \c"#,
            r#"Thomas "Tip" O'Neill"#,
            "é ü",
            "",
        ] {
            let line = format!("q k={}", quote(value));
            assert_eq!(texts(&line)[1], format!("k={value}"), "{line}");
        }
    }

    #[test]
    fn a_query_line_is_a_name_then_parameters() {
        let line = query_line("differences topic=\"foreign policy\" document=x").unwrap();
        assert_eq!(line.name, "differences");
        assert_eq!(
            line.params,
            [
                ("topic".to_string(), "foreign policy".to_string()),
                ("document".to_string(), "x".to_string())
            ]
        );
        assert_eq!(
            query_line("foreign policy differences").unwrap().name,
            "foreign policy differences"
        );
        assert!(query_line("mentions figure=x stray").is_err());
        assert!(query_line("figure=x").is_err());
    }
}
