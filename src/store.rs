//! Writing parsed documents into the schema, inside a transaction the caller
//! owns. A document whose slug is already there is replaced in place: same
//! `documents.id`, its rows rewritten, figures shared with other documents.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params};

use crate::document::{Document, Section, Separator, TableRow, surname, topic_key};

/// Whether a document was new, replaced one with its slug, or was already
/// there exactly as given (then nothing is written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Added,
    Replaced,
    Unchanged,
}

/// What storing one document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub slug: String,
    pub title: String,
    pub outcome: Outcome,
    pub attributes: usize,
    pub sections: usize,
    pub paragraphs: usize,
}

/// Stores one document. `source` says where it came from (a path, `-`, or
/// `seed:<file>`).
pub fn store_document(conn: &Connection, doc: &Document, source: &str) -> Result<Stored> {
    let slug = doc.slug();
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM documents WHERE slug = ?1")?
        .query_row([&slug], |r| r.get(0))
        .optional()?;
    // The same document again writes nothing, so that importing an export
    // (or a file twice) leaves the database as it was, byte for byte.
    if existing.is_some() && load_document(conn, &slug)?.as_ref() == Some(doc) {
        return Ok(Stored {
            slug,
            title: doc.title.clone(),
            outcome: Outcome::Unchanged,
            attributes: doc.table.len(),
            sections: doc.sections.len(),
            paragraphs: doc.sections.iter().map(|s| s.paragraphs.len()).sum(),
        });
    }
    let header_separator = doc.header_separator.as_str();
    let document_id = match existing {
        Some(id) => {
            conn.prepare_cached(
                "UPDATE documents SET title = ?2, summary = ?3, disclaimer = ?4, source = ?5, header_separator = ?6,
                 site_header = ?7, final_newline = ?8, imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                doc.title,
                doc.summary,
                doc.disclaimer,
                source,
                header_separator,
                doc.site_header,
                doc.final_newline
            ])?;
            // Children go, the document row stays: its id is what other tools may hold on to.
            conn.prepare_cached("DELETE FROM sections WHERE document_id = ?1")?
                .execute([id])?;
            conn.prepare_cached("DELETE FROM attributes WHERE document_id = ?1")?
                .execute([id])?;
            conn.prepare_cached("DELETE FROM document_figures WHERE document_id = ?1")?
                .execute([id])?;
            id
        }
        None => {
            conn.prepare_cached(
                "INSERT INTO documents (slug, title, summary, disclaimer, source, header_separator, site_header, final_newline)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![
                slug,
                doc.title,
                doc.summary,
                doc.disclaimer,
                source,
                header_separator,
                doc.site_header,
                doc.final_newline
            ])?;
            conn.last_insert_rowid()
        }
    };

    let mut figure_ids = Vec::with_capacity(doc.figures.len());
    for (index, name) in doc.figures.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO figures (name, surname) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        )?
        .execute(params![name, surname(name)])?;
        let id: i64 = conn
            .prepare_cached("SELECT id FROM figures WHERE name = ?1")?
            .query_row([name], |r| r.get(0))?;
        conn.prepare_cached(
            "INSERT INTO document_figures (document_id, figure_id, position) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![document_id, id, index as i64 + 1])?;
        figure_ids.push(id);
    }

    let mut insert_attribute = conn.prepare_cached(
        "INSERT INTO attributes (document_id, position, name, topic, figure_id, value, cell_separator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (row_index, row) in doc.table.iter().enumerate() {
        let topic = topic_key(&row.attribute);
        for (figure_id, value) in figure_ids.iter().zip(&row.values) {
            insert_attribute.execute(params![
                document_id,
                row_index as i64 + 1,
                row.attribute,
                topic,
                figure_id,
                value,
                row.separator.as_str()
            ])?;
        }
    }

    let mut insert_section = conn.prepare_cached(
        "INSERT INTO sections (document_id, position, heading, topic) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut insert_paragraph = conn.prepare_cached(
        "INSERT INTO paragraphs (section_id, position, figure_id, text) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut paragraphs = 0;
    for (section_index, section) in doc.sections.iter().enumerate() {
        insert_section.execute(params![
            document_id,
            section_index as i64 + 1,
            section.heading,
            topic_key(&section.heading)
        ])?;
        let section_id = conn.last_insert_rowid();
        for (paragraph_index, text) in section.paragraphs.iter().enumerate() {
            let figure = doc.figure_named_first(text).map(|i| figure_ids[i]);
            insert_paragraph.execute(params![
                section_id,
                paragraph_index as i64 + 1,
                figure,
                text
            ])?;
            paragraphs += 1;
        }
    }

    Ok(Stored {
        slug,
        title: doc.title.clone(),
        outcome: if existing.is_some() {
            Outcome::Replaced
        } else {
            Outcome::Added
        },
        attributes: doc.table.len(),
        sections: doc.sections.len(),
        paragraphs,
    })
}

/// Settings for a large write: a bigger page cache, so that the indexes of
/// a large import stay in memory until the commit. Lasts for the connection.
pub fn prepare_for_bulk(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(())
}

/// Deletes figures no document compares any more (after a replacement
/// changed a title). Returns how many went.
pub fn remove_orphan_figures(conn: &Connection) -> Result<usize> {
    conn.execute(
        "DELETE FROM figures WHERE id NOT IN (SELECT figure_id FROM document_figures)
         AND id NOT IN (SELECT figure_id FROM paragraphs WHERE figure_id IS NOT NULL)",
        [],
    )
    .context("could not remove figures no document compares")
}

/// Whether a document with this slug is stored.
pub fn has_document(conn: &Connection, slug: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM documents WHERE slug = ?1")?
        .query_row([slug], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Reads a stored document back into the model, exactly as it was stored
/// (the table's separators and the text's layout included).
pub fn load_document(conn: &Connection, slug: &str) -> Result<Option<Document>> {
    // The document row, with the parts read below left empty.
    let found: Option<(i64, Document)> = conn
        .prepare_cached(
            "SELECT id, title, summary, disclaimer, header_separator, site_header, final_newline
             FROM documents WHERE slug = ?1",
        )?
        .query_row([slug], |r| {
            let separator: String = r.get(4)?;
            Ok((
                r.get(0)?,
                Document {
                    title: r.get(1)?,
                    figures: Vec::new(),
                    summary: r.get(2)?,
                    header_separator: Separator::from_stored(&separator).unwrap_or_default(),
                    table: Vec::new(),
                    sections: Vec::new(),
                    disclaimer: r.get(3)?,
                    site_header: r.get(5)?,
                    final_newline: r.get(6)?,
                },
            ))
        })
        .optional()?;
    let Some((id, mut doc)) = found else {
        return Ok(None);
    };
    let figures: Vec<(i64, String)> = conn
        .prepare_cached(
            "SELECT f.id, f.name FROM document_figures AS df JOIN figures AS f ON f.id = df.figure_id
             WHERE df.document_id = ?1 ORDER BY df.position",
        )?
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut table: Vec<TableRow> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT a.position, a.name, a.figure_id, a.value, a.cell_separator
         FROM attributes AS a JOIN document_figures AS df ON df.document_id = a.document_id AND df.figure_id = a.figure_id
         WHERE a.document_id = ?1 ORDER BY a.position, df.position",
    )?;
    let mut rows = stmt.query([id])?;
    let mut last_position = None;
    while let Some(row) = rows.next()? {
        let position: i64 = row.get(0)?;
        let separator: String = row.get(4)?;
        if last_position != Some(position) {
            table.push(TableRow {
                attribute: row.get(1)?,
                values: Vec::with_capacity(figures.len()),
                separator: Separator::from_stored(&separator).unwrap_or_default(),
            });
            last_position = Some(position);
        }
        if let Some(current) = table.last_mut() {
            current.values.push(row.get(3)?);
        }
    }
    let mut sections: Vec<Section> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.heading, p.text FROM sections AS s LEFT JOIN paragraphs AS p ON p.section_id = s.id
         WHERE s.document_id = ?1 ORDER BY s.position, p.position",
    )?;
    let mut rows = stmt.query([id])?;
    let mut last_section = None;
    while let Some(row) = rows.next()? {
        let section_id: i64 = row.get(0)?;
        if last_section != Some(section_id) {
            sections.push(Section {
                heading: row.get(1)?,
                paragraphs: Vec::new(),
            });
            last_section = Some(section_id);
        }
        if let (Some(current), Some(text)) = (sections.last_mut(), row.get::<_, Option<String>>(2)?)
        {
            current.paragraphs.push(text);
        }
    }
    doc.figures = figures.into_iter().map(|(_, name)| name).collect();
    doc.table = table;
    doc.sections = sections;
    Ok(Some(doc))
}

/// The slugs of every stored document, in import order.
pub fn document_slugs(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT slug FROM documents ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Rebuilds the full-text search tables from the document tables.
pub fn reindex(conn: &Connection) -> Result<usize> {
    conn.execute_batch(include_str!("reindex.sql"))
        .context("could not rebuild the search index")?;
    Ok(
        conn.query_row("SELECT count(*) FROM search_items", [], |r| {
            r.get::<_, i64>(0)
        })? as usize,
    )
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::interchange::{JsonDocument, parse_json_documents};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Stored, loaded, exported and imported again: the same document,
        /// and storing it again changes nothing.
        #[test]
        fn documents_round_trip_through_the_database_and_json(doc in crate::document::properties::document()) {
            let conn = crate::db::migrated_in_memory();
            store_document(&conn, &doc, "test").unwrap();
            let back = load_document(&conn, &doc.slug()).unwrap().unwrap();
            prop_assert_eq!(&back, &doc);
            let json = serde_json::to_string(&JsonDocument::from_document(&back)).unwrap();
            let from_json = parse_json_documents(&json).unwrap();
            prop_assert_eq!(&from_json, &vec![doc.clone()]);
            let again = store_document(&conn, &from_json[0], "again").unwrap();
            prop_assert_eq!(again.outcome, Outcome::Unchanged);
            prop_assert_eq!(crate::document::parse_document(&back.to_text()).unwrap(), doc);
        }
    }
}
