//! Values of the wrong kind in the document tables: a BLOB, text that is
//! not UTF-8 or a NULL where versus keeps text, text where it keeps a
//! number. Other tools write them (SQLite's columns take any value, and
//! `PRAGMA ignore_check_constraints` lets one past a CHECK); versus cannot
//! read the document back, and a position that is not a number would
//! order its rows wrongly without a word. `versus check` lists each with
//! its table, row and column; nothing here prints.

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wanted {
    /// UTF-8 text.
    Text,
    /// UTF-8 text or NULL.
    OptionalText,
    /// A whole number.
    Number,
    /// A whole number or NULL.
    OptionalNumber,
}

impl Wanted {
    fn accepts(self, value: ValueRef<'_>) -> bool {
        match (self, value) {
            (Wanted::Text | Wanted::OptionalText, ValueRef::Text(t)) => {
                std::str::from_utf8(t).is_ok()
            }
            (Wanted::OptionalText | Wanted::OptionalNumber, ValueRef::Null) => true,
            (Wanted::Number | Wanted::OptionalNumber, ValueRef::Integer(_)) => true,
            _ => false,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Wanted::Text | Wanted::OptionalText => "UTF-8 text",
            Wanted::Number | Wanted::OptionalNumber => "a whole number",
        }
    }
}

/// A table: its name, the columns that name a row (its key), and what each
/// column that versus reads back holds.
type Table = (
    &'static str,
    &'static [&'static str],
    &'static [(&'static str, Wanted)],
);

/// The document tables.
const TABLES: &[Table] = &[
    (
        "documents",
        &["id"],
        &[
            ("slug", Wanted::Text),
            ("title", Wanted::Text),
            ("summary", Wanted::Text),
            ("disclaimer", Wanted::OptionalText),
            ("source", Wanted::Text),
            ("header_separator", Wanted::Text),
            ("site_header", Wanted::Number),
            ("final_newline", Wanted::Number),
        ],
    ),
    (
        "figures",
        &["id"],
        &[("name", Wanted::Text), ("surname", Wanted::Text)],
    ),
    (
        "document_figures",
        &["document_id", "figure_id"],
        &[
            ("document_id", Wanted::Number),
            ("figure_id", Wanted::Number),
            ("position", Wanted::Number),
        ],
    ),
    (
        "attributes",
        &["document_id", "position", "figure_id"],
        &[
            ("document_id", Wanted::Number),
            ("position", Wanted::Number),
            ("figure_id", Wanted::Number),
            ("name", Wanted::Text),
            ("value", Wanted::Text),
            ("cell_separator", Wanted::Text),
        ],
    ),
    (
        "sections",
        &["id"],
        &[
            ("document_id", Wanted::Number),
            ("position", Wanted::Number),
            ("heading", Wanted::Text),
        ],
    ),
    (
        "paragraphs",
        &["id"],
        &[
            ("section_id", Wanted::Number),
            ("position", Wanted::Number),
            ("figure_id", Wanted::OptionalNumber),
            ("text", Wanted::Text),
        ],
    ),
    (
        "unresolved_rows",
        &["document_id", "position"],
        &[
            ("document_id", Wanted::Number),
            ("position", Wanted::Number),
            ("line", Wanted::OptionalNumber),
            ("text", Wanted::Text),
            ("readings", Wanted::Text),
        ],
    ),
];

/// One column of one table holding values of the wrong kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrongKind {
    pub table: &'static str,
    pub column: &'static str,
    /// How many rows.
    pub rows: usize,
    /// The first such row, named by its key (`id = 2`), and what it holds.
    pub first_row: String,
    pub first_value: String,
    /// What versus keeps there.
    pub wanted: &'static str,
}

/// Every column of the document tables that holds a value versus cannot
/// read back, one entry per table and column. Tables that are missing (or
/// lack a column) are skipped: the schema check names them.
pub fn wrong_kinds(conn: &Connection) -> Result<Vec<WrongKind>> {
    let mut found = Vec::new();
    for (table, key, columns) in TABLES {
        let names: Vec<&str> = key
            .iter()
            .copied()
            .chain(columns.iter().map(|(c, _)| *c))
            .collect();
        let sql = format!("SELECT {} FROM {table}", names.join(", "));
        let Ok(mut stmt) = conn.prepare(&sql) else {
            continue;
        };
        let mut wrong: Vec<Option<WrongKind>> = vec![None; columns.len()];
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            for (i, (column, wanted)) in columns.iter().enumerate() {
                let value = row.get_ref(key.len() + i)?;
                if wanted.accepts(value) {
                    continue;
                }
                match &mut wrong[i] {
                    Some(w) => w.rows += 1,
                    slot => {
                        let first_row = key
                            .iter()
                            .enumerate()
                            .map(|(k, name)| {
                                format!("{name} = {}", crate::store::describe_key(row.get_ref(k)))
                            })
                            .collect::<Vec<_>>()
                            .join(" AND ");
                        *slot = Some(WrongKind {
                            table,
                            column,
                            rows: 1,
                            first_row,
                            first_value: crate::sql_text::describe_value(value),
                            wanted: wanted.describe(),
                        });
                    }
                }
            }
        }
        found.extend(wrong.into_iter().flatten());
    }
    Ok(found)
}
