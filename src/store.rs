//! Writing parsed documents into the schema, inside a transaction the caller
//! owns. A document whose slug is already there is replaced in place: same
//! `documents.id`, its rows rewritten, figures shared with other documents.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension, params};

use crate::document::{Document, surname, topic_key};

/// What storing one document did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub slug: String,
    pub title: String,
    /// True when a document with this slug was already there and was replaced.
    pub replaced: bool,
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
        replaced: existing.is_some(),
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
