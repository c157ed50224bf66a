//! The search tables (`search_items`, `search_index`, `search_cjk`) and
//! their triggers: set aside and caught up set by set for an import,
//! compared with the documents for `check`, rebuilt from scratch for
//! `reindex` and `check --repair`.

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};

use super::drop_object;
use super::titles::TITLE_TRIGGERS;

/// The triggers that keep `search_items` and `search_index` in step with
/// the document tables, one row at a time.
pub const SEARCH_TRIGGERS: &[&str] = &[
    "search_items_insert",
    "search_items_delete",
    "search_items_update",
    "documents_search_insert",
    "documents_search_update",
    "sections_search_insert",
    "sections_search_update",
    "sections_search_delete",
    "paragraphs_search_insert",
    "paragraphs_search_update",
    "paragraphs_search_delete",
    "attributes_search_insert",
    "attributes_search_update",
    "attributes_search_delete",
    "search_items_cjk_insert",
    "search_items_cjk_delete",
    "search_items_cjk_update",
];

/// The full-text tables, in the order the migrations make them:
/// `search_index` (every text, by words) and `search_cjk` (the texts with a
/// character of a script written without spaces, by runs of three
/// characters; migration 9).
pub const SEARCH_INDEXES: &[&str] = &["search_index", "search_cjk"];

/// Whether a text goes into `search_cjk`, as SQL on versus's own write
/// connections (`text` is the column): it has a character of a script
/// written without spaces ([`crate::document::SPACELESS`]; the triggers of
/// migration 9 spell the same class as a GLOB, which is ten times slower).
pub fn spaceless_sql(text: &str) -> String {
    format!("versus_spaceless({text})")
}

/// The trigger that removes a figure no document compares any more, one
/// deleted `document_figures` row at a time.
const FIGURE_TRIGGER: &str = "document_figures_cascade";

/// What a failed write of the search tables says: another tool must have
/// dropped or changed one.
const SEARCH_BROKEN: &str = "could not write the documents' texts into the search tables (`versus check` says what is wrong with them; `versus check --repair` rebuilds it)";

/// The columns of `search_items` that [`SEARCH_ROWS`] gives, in its order.
pub const SEARCH_COLUMNS: &str =
    "kind, document_id, section_id, paragraph_id, attribute_position, figure_id, label, text";

/// The search rows of the documents whose ids are in `temp.versus_touched`
/// (see `search_rows.sql`): one SELECT of [`SEARCH_COLUMNS`].
pub const SEARCH_ROWS: &str = include_str!("../search_rows.sql");

/// The search rows of the documents whose ids are in
/// `temp.versus_replaced`, as FTS5 `'delete'` commands. CROSS JOIN keeps
/// the replaced documents the outer loop: left to choose, SQLite scanned
/// all of search_items (see `search_rows.sql`). In rowid order: FTS5
/// writes out its pending entries whenever a rowid is lower than the one
/// before, and a document's texts are far apart (summaries, headings,
/// paragraphs and values each come together), so in document order it
/// wrote a segment per document (0.6 s more for 2,000 replaced documents).
const REPLACED_SEARCH_ROWS: &str = "SELECT 'delete', s.id, s.text
     FROM temp.versus_replaced AS r CROSS JOIN search_items AS s ON s.document_id = r.id
     ORDER BY s.id";

/// Creates `temp.versus_touched` (the documents [`SEARCH_ROWS`] is about)
/// if it is missing; a read-only connection may make it too.
pub fn create_touched(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS versus_touched (id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS versus_replaced (id INTEGER PRIMARY KEY);",
    )?;
    Ok(())
}

/// What one import's transaction must finish before it commits: the search
/// tables, and the figures a replaced document may have left unused.
///
/// It keeps the search tables in step set by set instead of row by row:
/// row-by-row triggers made an import of 20,000 documents four times
/// slower. Inside the import's transaction the search triggers (and the one
/// that removes figures no document compares, and the ones that note titles
/// written, see [`TITLE_TRIGGERS`]) are dropped, documents are
/// written, then their search rows are added with one `INSERT ... SELECT`
/// ([`SEARCH_ROWS`]) and indexed with one FTS5 insert, unused figures are
/// removed, and the triggers are created again from their own SQL. Nobody
/// else ever sees the database without them: the transaction commits all of
/// it or none. (The triggers that do what the foreign keys' cascades do
/// stay: the import's connection has foreign keys off (see
/// [`prepare_for_bulk`]), and they delete a replaced document's
/// paragraphs and a removed figure's name parts.)
///
/// It starts only when a document is actually written, so an import that
/// changes nothing leaves the file untouched.
#[derive(Default)]
pub struct Batch {
    /// The dropped triggers' SQL, once started.
    triggers: Option<Vec<String>>,
    /// Figures of replaced documents, deleted at the end if no document
    /// compares them any more.
    replaced_figures: Vec<i64>,
}

impl Batch {
    pub(super) fn start(&mut self, conn: &Connection) -> Result<()> {
        if self.triggers.is_some() {
            return Ok(());
        }
        let mut saved = Vec::new();
        for name in SEARCH_TRIGGERS
            .iter()
            .chain(&[FIGURE_TRIGGER])
            .chain(TITLE_TRIGGERS)
        {
            let sql: Option<String> = conn
                .query_row(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                conn.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
                saved.push(sql);
            }
        }
        create_touched(conn)?;
        self.triggers = Some(saved);
        Ok(())
    }

    /// Removes a document's search rows and their index entries, before it
    /// is rewritten.
    pub(super) fn forget(&mut self, conn: &Connection, document_id: i64) -> Result<()> {
        let figures: Vec<i64> = conn
            .prepare_cached("SELECT figure_id FROM document_figures WHERE document_id = ?1")?
            .query_map([document_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        self.replaced_figures.extend(figures);
        // Its search rows go in `finish`, all in one statement: a statement
        // on the FTS5 table here would make FTS5 write out its pending
        // entries at every later statement of the import (its savepoint
        // method flushes and merges), which perf showed as a quarter of
        // an import that replaced one document in ten.
        conn.prepare_cached("INSERT OR IGNORE INTO temp.versus_replaced (id) VALUES (?1)")?
            .execute([document_id])?;
        Ok(())
    }

    pub(super) fn touched(&mut self, conn: &Connection, document_id: i64) -> Result<()> {
        conn.prepare_cached("INSERT OR IGNORE INTO temp.versus_touched (id) VALUES (?1)")?
            .execute([document_id])?;
        Ok(())
    }

    /// Adds the search rows of every document written, indexes them, puts
    /// the triggers back, and deletes figures no document compares any more.
    /// Call it before the commit.
    pub fn finish(self, conn: &Connection) -> Result<()> {
        let Some(triggers) = self.triggers else {
            return Ok(());
        };
        let mut orphan = conn.prepare_cached(
            "DELETE FROM figures WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM document_figures WHERE figure_id = ?1)",
        )?;
        for figure in &self.replaced_figures {
            orphan
                .execute([figure])
                .context("could not remove a figure no document compares")?;
        }
        // The replaced documents' old search rows, out of the index and the
        // table (the triggers that would do it row by row are set aside).
        conn.execute_batch(&format!(
            "INSERT INTO search_index (search_index, rowid, text) {REPLACED_SEARCH_ROWS};
             INSERT INTO search_cjk (search_cjk, rowid, text) SELECT * FROM ({REPLACED_SEARCH_ROWS}) WHERE {};
             DELETE FROM search_items WHERE document_id IN (SELECT id FROM temp.versus_replaced);",
            spaceless_sql("text")
        ))
        .context(SEARCH_BROKEN)?;
        let last: i64 = conn
            .query_row("SELECT coalesce(max(id), 0) FROM search_items", [], |r| {
                r.get(0)
            })
            .context(SEARCH_BROKEN)?;
        conn.execute_batch(&format!(
            "INSERT INTO search_items ({SEARCH_COLUMNS})\n{SEARCH_ROWS}"
        ))
        .and_then(|_| {
            conn.execute(
                "INSERT INTO search_index (rowid, text) SELECT id, text FROM search_items WHERE id > ?1",
                [last],
            )
        })
        .and_then(|_| {
            conn.execute(
                &format!(
                    "INSERT INTO search_cjk (rowid, text) SELECT id, text FROM search_items WHERE id > ?1 AND {}",
                    spaceless_sql("text")
                ),
                [last],
            )
        })
        .context(SEARCH_BROKEN)?;
        conn.execute_batch("DROP TABLE temp.versus_touched; DROP TABLE temp.versus_replaced")?;
        for sql in triggers {
            conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// The search objects of the schema: `search_items` and its index, the
/// FTS5 table `search_index`, and the [`SEARCH_TRIGGERS`], as the
/// migrations define them (see [`crate::db::defined_schema`]).
pub fn search_objects(schema: &crate::db::Schema) -> Vec<&crate::db::Defined> {
    schema
        .objects
        .iter()
        .filter(|o| {
            SEARCH_INDEXES.contains(&o.name.as_str())
                || o.table == "search_items"
                || SEARCH_TRIGGERS.contains(&o.name.as_str())
        })
        .collect()
}

/// Rebuilds the full-text search from the document tables, whatever state
/// it is in: drops `search_index`, `search_items` and the search triggers
/// (a tool may have dropped one, changed one, or made it again with another
/// tokenizer), makes them again as the migrations define them (the FTS5
/// settings included), and adds every document as an import would. Returns
/// how many texts are searchable. Runs inside the caller's transaction.
pub fn rebuild_search(conn: &Connection, schema: &crate::db::Schema) -> Result<usize> {
    let objects = search_objects(schema);
    for name in SEARCH_INDEXES
        .iter()
        .copied()
        .chain(["search_items"])
        .chain(SEARCH_TRIGGERS.iter().copied())
    {
        drop_object(conn, name)?;
    }
    let (triggers, tables): (Vec<_>, Vec<_>) =
        objects.into_iter().partition(|o| o.kind == "trigger");
    for object in &tables {
        conn.execute_batch(&object.sql)
            .with_context(|| format!("could not make the {} {} again", object.kind, object.name))?;
    }
    for (key, value) in &schema.search_config {
        conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES (?1, ?2)",
            rusqlite::params![key, value],
        )
        .with_context(|| format!("could not set {key} of the search index"))?;
    }
    create_touched(conn)?;
    conn.execute_batch(&format!(
        "DELETE FROM temp.versus_touched;
         INSERT INTO temp.versus_touched (id) SELECT id FROM documents;
         INSERT INTO search_items ({SEARCH_COLUMNS})\n{SEARCH_ROWS};
         INSERT INTO search_index (rowid, text) SELECT id, text FROM search_items;
         INSERT INTO search_cjk (rowid, text) SELECT id, text FROM search_items WHERE {};
         DROP TABLE temp.versus_touched;",
        spaceless_sql("text")
    ))
    .context("could not add the documents to the search index")?;
    for trigger in &triggers {
        conn.execute_batch(&trigger.sql)
            .with_context(|| format!("could not make the trigger {} again", trigger.name))?;
    }
    Ok(
        conn.query_row("SELECT count(*) FROM search_items", [], |r| {
            r.get::<_, i64>(0)
        })? as usize,
    )
}

/// How `search_items` stands against the rows [`SEARCH_ROWS`] makes from
/// every document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowCounts {
    /// Rows that are no text of the documents.
    pub stale: i64,
    /// Texts of the documents that have no row.
    pub missing: i64,
    /// The rows of `search_items`.
    pub items: i64,
    /// The texts of the documents.
    pub expected: i64,
}

/// Compares `search_items` with what [`SEARCH_ROWS`] makes from every
/// document, for `versus check`; reads only (the list of documents is a
/// temporary table).
pub fn compare_rows(conn: &Connection) -> Result<RowCounts> {
    create_touched(conn)?;
    conn.execute_batch(
        "DELETE FROM temp.versus_touched;
         INSERT INTO temp.versus_touched (id) SELECT id FROM documents;",
    )?;
    let items = format!("SELECT {SEARCH_COLUMNS} FROM search_items");
    let expected = format!("SELECT * FROM (\n{SEARCH_ROWS}\n)");
    let counted = |sql: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM ({sql})"), [], |r| r.get(0))?)
    };
    let stale = counted(&format!("{items} EXCEPT {expected}"));
    let missing = counted(&format!("{expected} EXCEPT {items}"));
    let totals = counted(&items).and_then(|a| Ok((a, counted(&expected)?)));
    conn.execute_batch("DROP TABLE temp.versus_touched")?;
    let (stale, missing, (items, expected)) = (stale?, missing?, totals?);
    Ok(RowCounts {
        stale,
        missing,
        items,
        expected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::store::{Batch, store_document};

    #[test]
    fn the_search_objects_are_the_tables_the_index_and_every_search_trigger() {
        let schema = crate::db::defined_schema().unwrap();
        let objects = super::search_objects(&schema);
        let names: Vec<&str> = objects.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names[..3], ["search_items", "search_index", "search_cjk"]);
        assert!(names.contains(&"search_items_by_document"), "{names:?}");
        for trigger in super::SEARCH_TRIGGERS {
            assert!(names.contains(trigger), "{trigger} in {names:?}");
        }
        assert_eq!(names.len(), super::SEARCH_TRIGGERS.len() + 4);
        // The form Datasette and sqlite-utils detect (see migration 4); the
        // trigram index is written so that they do not take it for the
        // full-text table of search_items (migration 9).
        assert!(objects[1].sql.contains("content=\"search_items\""));
        assert!(objects[2].sql.contains("content = 'search_items'"));
        assert!(!objects[2].sql.contains("content=\""));
        // Its triggers spell the class of names.rs, written once.
        let class = crate::document::glob_class_sql(crate::document::SPACELESS);
        for trigger in [
            "search_items_cjk_insert",
            "search_items_cjk_delete",
            "search_items_cjk_update",
        ] {
            let sql = &schema.get(trigger).unwrap().sql;
            assert!(
                sql.contains(&format!("GLOB ('*' || {class} || '*')")),
                "{sql}"
            );
        }
        assert!(include_str!("../queries/search.sql").contains(&class));
        assert!(schema.get(super::FIGURE_TRIGGER).is_some());
        assert_eq!(
            schema.search_config,
            [
                ("automerge".to_string(), rusqlite::types::Value::Integer(16)),
                (
                    "hashsize".to_string(),
                    rusqlite::types::Value::Integer(3145728)
                )
            ]
        );
    }

    /// The replaced documents' texts leave the FTS5 index in rowid order,
    /// though a document's texts are far apart (each kind of text of an
    /// import comes together): out of order, FTS5 writes out its pending
    /// entries at every step back.
    #[test]
    fn replaced_texts_leave_the_index_in_rowid_order() {
        let conn = crate::db::migrated_in_memory();
        let seed = crate::seeds::documents().remove(0);
        let mut batch = Batch::default();
        for title in ["One vs. Two", "Three vs. Four", "Five vs. Six"] {
            let doc = Document {
                title: title.to_string(),
                ..seed.clone()
            };
            store_document(&conn, &mut batch, &doc, "test").unwrap();
        }
        batch.finish(&conn).unwrap();
        create_touched(&conn).unwrap();
        conn.execute_batch("INSERT INTO temp.versus_replaced (id) SELECT id FROM documents")
            .unwrap();
        let ids: Vec<i64> = conn
            .prepare(REPLACED_SEARCH_ROWS)
            .unwrap()
            .query_map([], |r| r.get(1))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        let count: i64 = conn
            .query_row("SELECT count(*) FROM search_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ids.len() as i64, count);
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    }

    /// The search rows of the documents an import wrote or replaced are
    /// found from those documents: every table scanned is one of the two
    /// lists of ids, every other one is searched through an index. (A scan
    /// of sections, paragraphs, attributes or search_items would make
    /// each import cost as much as the whole database.)
    #[test]
    fn the_search_rows_are_found_from_the_documents_written() {
        let conn = crate::db::migrated_in_memory();
        create_touched(&conn).unwrap();
        for sql in [SEARCH_ROWS, REPLACED_SEARCH_ROWS] {
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let steps: Vec<String> = stmt
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(|r| r.unwrap())
                .filter(|step| step.starts_with("SCAN") || step.starts_with("SEARCH"))
                .collect();
            assert!(steps.len() >= 2, "{steps:?}");
            for step in &steps {
                assert!(
                    step == "SCAN t" || step == "SCAN r" || step.contains(" USING "),
                    "{step} in {steps:?}"
                );
            }
        }
    }
}
