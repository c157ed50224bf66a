//! Writing one document into the schema, inside a transaction the caller
//! owns, as its plan says.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

use super::plan::{Derived, Planner, apply_resolutions};
use super::search_index::Batch;
use super::{Outcome, Stored, UnresolvedRow};
use crate::document::{Document, name_parts, surname, topic_key};

/// Stores one document. `source` says where it came from (a path, `-`, or
/// `seed:<file>`). The caller has run [`sync_title_keys`] in this
/// transaction, so every stored title has its key.
pub fn store_document(
    conn: &Connection,
    batch: &mut Batch,
    doc: &Document,
    source: &str,
) -> Result<Stored> {
    store_derived(conn, batch, doc, &Derived::of(doc), source)
}

/// As [`store_document`], with what it derives from the text given.
pub fn store_derived(
    conn: &Connection,
    batch: &mut Batch,
    doc: &Document,
    derived: &Derived,
    source: &str,
) -> Result<Stored> {
    let key = derived.title_key.as_str();
    let read = doc;
    let resolved = apply_resolutions(conn, read)?;
    let doc = resolved.as_ref().unwrap_or(read);
    let plan = Planner::default().plan(conn, doc, key)?;
    let stored = |paragraphs: usize| Stored {
        slug: plan.slug.clone(),
        title: doc.title.clone(),
        outcome: plan.outcome,
        attributes: doc.table.len(),
        sections: doc.sections.len(),
        paragraphs,
        short_slug_taken: plan.short_slug_taken.clone(),
        unresolved: UnresolvedRow::of(doc),
    };
    if plan.outcome == Outcome::Unchanged {
        return Ok(stored(
            doc.sections.iter().map(|s| s.paragraphs.len()).sum(),
        ));
    }
    batch.start(conn)?;
    let header_separator = doc.header_separator.as_str();
    if let Some(id) = plan.existing {
        batch.forget(conn, id)?;
        // Children go, the document row stays: its id and slug are what
        // other tools and links may hold on to.
        conn.prepare_cached("DELETE FROM sections WHERE document_id = ?1")?
            .execute([id])?;
        conn.prepare_cached("DELETE FROM attributes WHERE document_id = ?1")?
            .execute([id])?;
        conn.prepare_cached("DELETE FROM unresolved_rows WHERE document_id = ?1")?
            .execute([id])?;
        conn.prepare_cached("DELETE FROM document_figures WHERE document_id = ?1")?
            .execute([id])?;
    }
    // A new row (id NULL), or the stored row with its id and the new values;
    // the slug is the stored one unless it was unreadable (see `plan`).
    let document_id: i64 = conn
        .prepare_cached(
            "INSERT INTO documents (id, slug, title, title_key, summary, disclaimer, source, header_separator, site_header, final_newline)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (id) DO UPDATE SET slug = excluded.slug, title = excluded.title,
                 title_key = excluded.title_key, summary = excluded.summary,
                 disclaimer = excluded.disclaimer, source = excluded.source,
                 header_separator = excluded.header_separator, site_header = excluded.site_header,
                 final_newline = excluded.final_newline,
                 imported_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
             RETURNING id",
        )?
        .query_row(
            params![
                plan.existing,
                plan.slug,
                doc.title,
                key,
                doc.summary,
                doc.disclaimer,
                source,
                header_separator,
                doc.site_header,
                doc.final_newline
            ],
            |r| r.get(0),
        )?;
    batch.touched(conn, document_id)?;
    let mut figure_ids = Vec::with_capacity(doc.figures.len());
    for (index, name) in doc.figures.iter().enumerate() {
        // Most figures of a large import are stored already: look first.
        let known: Option<i64> = conn
            .prepare_cached("SELECT id FROM figures WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?;
        let id = match known {
            Some(id) => id,
            None => conn
                .prepare_cached("INSERT INTO figures (name, surname) VALUES (?1, ?2) RETURNING id")?
                .query_row(params![name, surname(name)], |r| r.get(0))?,
        };
        if known.is_none() {
            let mut insert_part = conn.prepare_cached(
                "INSERT INTO figure_name_parts (figure_id, position, part) VALUES (?1, ?2, ?3)",
            )?;
            for (position, part) in name_parts(name).enumerate() {
                insert_part.execute(params![id, position as i64 + 1, part])?;
            }
        }
        conn.prepare_cached(
            "INSERT INTO document_figures (document_id, figure_id, position, any_case) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            document_id,
            id,
            index as i64 + 1,
            derived.any_case.get(index).copied().unwrap_or(false)
        ])?;
        figure_ids.push(id);
    }
    let mut insert_attribute = conn.prepare_cached(
        "INSERT INTO attributes (document_id, position, name, topic, figure_id, value, cell_separator)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (row_index, (row, topic)) in doc.table.iter().zip(&derived.attribute_topics).enumerate() {
        if let Some(unresolved) = &row.unresolved {
            conn.prepare_cached(
                "INSERT INTO unresolved_rows (document_id, position, line, text, readings) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![
                document_id,
                row_index as i64 + 1,
                (unresolved.line > 0).then_some(unresolved.line as i64),
                row.attribute,
                readings_text(&unresolved.readings)
            ])?;
            continue;
        }
        // A row resolved from `row_resolutions` has no topic worked out yet.
        let resolved_topic;
        let topic = if read.table[row_index].unresolved.is_some() {
            resolved_topic = topic_key(&row.attribute);
            &resolved_topic
        } else {
            topic
        };
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
    let mut about = derived.paragraph_figures.iter();
    for (section_index, (section, topic)) in
        doc.sections.iter().zip(&derived.section_topics).enumerate()
    {
        insert_section.execute(params![
            document_id,
            section_index as i64 + 1,
            section.heading,
            topic
        ])?;
        let section_id = conn.last_insert_rowid();
        for (paragraph_index, text) in section.paragraphs.iter().enumerate() {
            let figure = about.next().copied().flatten().map(|i| figure_ids[i]);
            insert_paragraph.execute(params![
                section_id,
                paragraph_index as i64 + 1,
                figure,
                text
            ])?;
            paragraphs += 1;
        }
    }

    Ok(stored(paragraphs))
}

/// How readings are stored in `unresolved_rows.readings`: one a line, cells
/// joined by `" | "`.
pub fn readings_text(readings: &[Vec<String>]) -> String {
    readings
        .iter()
        .map(|cells| cells.join(" | "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Settings for a large write, for the rest of the connection; call it
/// before the transaction begins.
///
/// A 16 MiB page cache. Measured on 20,000 documents: 4, 16, 64 and 256 MiB
/// import equally fast (the indexes grow in key order, so their hot pages
/// are few), and the import's peak memory follows the cache (60, 72, 127,
/// 268 MiB), so it is kept small and memory does not grow with the corpus.
///
/// Foreign keys off. With them on, SQLite looked up the parent of every row
/// written (a million lookups for 20,000 documents: 9% of the import, 0.25 s
/// of 2.7 s). The import writes only ids it has just read or written in the
/// same transaction, holding the write lock ([`store_derived`]); what the
/// cascades would delete when a document is replaced, it deletes itself
/// with the triggers of migration 4, which do what the cascades do exactly
/// so that a deletion is whole with foreign keys off. Tests import hostile
/// corpora (replacements, shared figures) and find `PRAGMA
/// foreign_key_check` empty; `versus check` runs it on any database.
pub fn prepare_for_bulk(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -16_384)?;
    conn.pragma_update(None, "foreign_keys", false)?;
    // An import uses about 25 statements per document (more when it
    // replaces one); with rusqlite's 16 cached, perf showed SQLite's parser
    // at 3% of a re-import, preparing them again and again.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}
