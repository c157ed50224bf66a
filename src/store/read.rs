//! Reading a stored document back into the model, checking every stored
//! value's kind: other tools write to the same file.

use anyhow::Result;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension};

use crate::document::{Document, Section, Separator, TableRow};

/// A stored document versus cannot read back: a value of the wrong kind
/// where the schema keeps text or a number (a BLOB, text that is not UTF-8,
/// a NULL), which another tool must have written. Its message names the
/// document, the table, the row and the column. The import treats such a
/// document as different from any it is given, so importing the original
/// again replaces it.
#[derive(Debug)]
pub struct Unreadable(pub String);

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unreadable {}

/// Reads the values of one stored document, checking each one's kind: every
/// read of stored values goes through here, so a bad value is reported as
/// [`Unreadable`] rather than as rusqlite's "Invalid column type Blob".
struct Cells<'a> {
    /// How to name the document: its slug, or its id when the slug itself
    /// is unreadable.
    document: &'a str,
}

impl Cells<'_> {
    fn bad(
        &self,
        value: ValueRef<'_>,
        table: &str,
        row: &str,
        column: &str,
        wanted: &str,
    ) -> anyhow::Error {
        anyhow::Error::new(Unreadable(format!(
            "the document {} cannot be read: the {table} row {row} has {} in its {column} column, where versus keeps {wanted} (another tool must have written it); import the document again to replace it, or fix the row with `versus sql --write`",
            self.document,
            crate::db::describe_value(value),
        )))
    }

    fn text(&self, value: ValueRef<'_>, table: &str, row: &str, column: &str) -> Result<String> {
        match value {
            ValueRef::Text(t) => match std::str::from_utf8(t) {
                Ok(text) => Ok(text.to_string()),
                Err(_) => Err(self.bad(value, table, row, column, "UTF-8 text")),
            },
            _ => Err(self.bad(value, table, row, column, "text")),
        }
    }

    fn optional_text(
        &self,
        value: ValueRef<'_>,
        table: &str,
        row: &str,
        column: &str,
    ) -> Result<Option<String>> {
        match value {
            ValueRef::Null => Ok(None),
            _ => self.text(value, table, row, column).map(Some),
        }
    }

    fn flag(&self, value: ValueRef<'_>, table: &str, row: &str, column: &str) -> Result<bool> {
        match value {
            ValueRef::Integer(0) => Ok(false),
            ValueRef::Integer(1) => Ok(true),
            _ => Err(self.bad(value, table, row, column, "0 or 1")),
        }
    }
}

/// Reads a stored document back into the model, exactly as it was stored
/// (the table's separators and the text's layout included).
pub fn load_document(conn: &Connection, slug: &str) -> Result<Option<Document>> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM documents WHERE slug = ?1")?
        .query_row([slug], |r| r.get(0))
        .optional()?;
    match id {
        Some(id) => load_document_by_id(conn, id),
        None => Ok(None),
    }
}

/// As [`load_document`], by `documents.id`. A value of the wrong kind is an
/// [`Unreadable`] error.
pub fn load_document_by_id(conn: &Connection, id: i64) -> Result<Option<Document>> {
    let mut stmt = conn.prepare_cached(
        "SELECT slug, title, summary, disclaimer, header_separator, site_header, final_newline
         FROM documents WHERE id = ?1",
    )?;
    let mut rows = stmt.query([id])?;
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let name = match row.get_ref(0)? {
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(slug) => slug.to_string(),
            Err(_) => format!("with id {id}"),
        },
        _ => format!("with id {id}"),
    };
    let cells = Cells { document: &name };
    let here = format!("with id {id}");
    let separator = cells.text(row.get_ref(4)?, "documents", &here, "header_separator")?;
    let mut doc = Document {
        title: cells.text(row.get_ref(1)?, "documents", &here, "title")?,
        figures: Vec::new(),
        summary: cells.text(row.get_ref(2)?, "documents", &here, "summary")?,
        header_separator: Separator::from_stored(&separator).unwrap_or_default(),
        table: Vec::new(),
        sections: Vec::new(),
        disclaimer: cells.optional_text(row.get_ref(3)?, "documents", &here, "disclaimer")?,
        site_header: cells.flag(row.get_ref(5)?, "documents", &here, "site_header")?,
        final_newline: cells.flag(row.get_ref(6)?, "documents", &here, "final_newline")?,
    };
    drop(rows);

    let mut stmt = conn.prepare_cached(
        "SELECT f.id, f.name, df.position FROM document_figures AS df JOIN figures AS f ON f.id = df.figure_id
         WHERE df.document_id = ?1 ORDER BY df.position",
    )?;
    let mut rows = stmt.query([id])?;
    while let Some(row) = rows.next()? {
        // A place that is not a number would put the figures in another
        // order without a word.
        let position = row.get_ref(2)?;
        if !matches!(position, ValueRef::Integer(_)) {
            let here = format!(
                "with document_id {id}, figure_id {}",
                describe_key(row.get_ref(0))
            );
            return Err(cells.bad(
                position,
                "document_figures",
                &here,
                "position",
                "a whole number",
            ));
        }
        let here = format!("with id {}", describe_key(row.get_ref(0)));
        doc.figures
            .push(cells.text(row.get_ref(1)?, "figures", &here, "name")?);
    }

    let mut stmt = conn.prepare_cached(
        "SELECT a.position, a.name, a.figure_id, a.value, a.cell_separator
         FROM attributes AS a JOIN document_figures AS df ON df.document_id = a.document_id AND df.figure_id = a.figure_id
         WHERE a.document_id = ?1 ORDER BY a.position, df.position",
    )?;
    let mut rows = stmt.query([id])?;
    let mut last_position = None;
    let mut split_positions: Vec<i64> = Vec::new();
    while let Some(row) = rows.next()? {
        // Named by its key, so that the fix is one UPDATE away.
        let here = || {
            format!(
                "with document_id {id}, position {}, figure_id {}",
                describe_key(row.get_ref(0)),
                describe_key(row.get_ref(2))
            )
        };
        let position = match row.get_ref(0)? {
            ValueRef::Integer(p) => p,
            other => {
                return Err(cells.bad(other, "attributes", &here(), "position", "a whole number"));
            }
        };
        if last_position != Some(position) {
            let separator = cells.text(row.get_ref(4)?, "attributes", &here(), "cell_separator")?;
            doc.table.push(TableRow::split(
                cells.text(row.get_ref(1)?, "attributes", &here(), "name")?,
                Vec::with_capacity(doc.figures.len()),
                Separator::from_stored(&separator).unwrap_or_default(),
            ));
            split_positions.push(position);
            last_position = Some(position);
        }
        let value = cells.text(row.get_ref(3)?, "attributes", &here(), "value")?;
        if let Some(current) = doc.table.last_mut() {
            current.values.push(value);
        }
    }

    // Unresolved rows take their places among the split ones.
    let mut stmt = conn.prepare_cached(
        "SELECT position, line, text, readings FROM unresolved_rows WHERE document_id = ?1 ORDER BY position",
    )?;
    let mut rows = stmt.query([id])?;
    let mut unresolved: Vec<(i64, TableRow)> = Vec::new();
    while let Some(row) = rows.next()? {
        let here = format!(
            "with document_id {id}, position {}",
            describe_key(row.get_ref(0))
        );
        let position = match row.get_ref(0)? {
            ValueRef::Integer(p) => p,
            other => {
                return Err(cells.bad(
                    other,
                    "unresolved_rows",
                    &here,
                    "position",
                    "a whole number",
                ));
            }
        };
        let line = match row.get_ref(1)? {
            ValueRef::Integer(l) if l > 0 => l as usize,
            _ => 0,
        };
        let text = cells.text(row.get_ref(2)?, "unresolved_rows", &here, "text")?;
        let readings = cells.text(row.get_ref(3)?, "unresolved_rows", &here, "readings")?;
        let readings = readings
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| l.split(" | ").map(String::from).collect())
            .collect();
        unresolved.push((position, TableRow::unresolved(text, line, readings)));
    }
    if !unresolved.is_empty() {
        let mut rows: Vec<(i64, TableRow)> = split_positions
            .into_iter()
            .zip(std::mem::take(&mut doc.table))
            .chain(unresolved)
            .collect();
        rows.sort_by_key(|(position, _)| *position);
        doc.table = rows.into_iter().map(|(_, row)| row).collect();
    }

    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.heading, p.id, p.text, s.position, p.position FROM sections AS s LEFT JOIN paragraphs AS p ON p.section_id = s.id
         WHERE s.document_id = ?1 ORDER BY s.position, p.position",
    )?;
    let mut rows = stmt.query([id])?;
    let mut last_section = None;
    while let Some(row) = rows.next()? {
        let section_id: i64 = row.get(0)?;
        if last_section != Some(section_id) {
            let here = format!("with id {section_id}");
            // Positions that are not numbers would reorder the text
            // without a word.
            let position = row.get_ref(4)?;
            if !matches!(position, ValueRef::Integer(_)) {
                return Err(cells.bad(position, "sections", &here, "position", "a whole number"));
            }
            doc.sections.push(Section {
                heading: cells.text(row.get_ref(1)?, "sections", &here, "heading")?,
                paragraphs: Vec::new(),
            });
            last_section = Some(section_id);
        }
        if let ValueRef::Integer(paragraph_id) = row.get_ref(2)? {
            let here = format!("with id {paragraph_id}");
            let position = row.get_ref(5)?;
            if !matches!(position, ValueRef::Integer(_)) {
                return Err(cells.bad(position, "paragraphs", &here, "position", "a whole number"));
            }
            let text = cells.text(row.get_ref(3)?, "paragraphs", &here, "text")?;
            if let Some(current) = doc.sections.last_mut() {
                current.paragraphs.push(text);
            }
        }
    }
    Ok(Some(doc))
}

/// A key column's value for a message, as SQL would write it (`3`, `'x'`,
/// `x'ff'`), so that the row can be named in a `WHERE`.
pub(crate) fn describe_key(value: rusqlite::Result<ValueRef<'_>>) -> String {
    match value {
        Ok(ValueRef::Null) => "NULL".to_string(),
        Ok(ValueRef::Integer(i)) => i.to_string(),
        Ok(ValueRef::Real(r)) => r.to_string(),
        Ok(ValueRef::Text(t)) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        Ok(ValueRef::Blob(b)) => {
            format!(
                "x'{}'",
                b.iter().map(|x| format!("{x:02x}")).collect::<String>()
            )
        }
        Err(e) => e.to_string(),
    }
}

/// The slugs of every stored document, in import order.
pub fn document_slugs(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id, slug FROM documents ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut slugs = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let name = format!("with id {id}");
        let cells = Cells { document: &name };
        slugs.push(cells.text(row.get_ref(1)?, "documents", &name, "slug")?);
    }
    Ok(slugs)
}
