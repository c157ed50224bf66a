//! Table rows kept as written (`unresolved_rows`) and how a person settles
//! them (`versus resolve`). Nothing here prints: `cmd::resolve` asks and
//! tells, `cmd::check` lists.
//!
//! A resolution is the row's exact text and its cells (`row_resolutions`).
//! Storing one splits the row at once in every document that holds it
//! (each rewritten as an import would rewrite it), and every later import of
//! the same text splits it so; a row whose text changed is asked about
//! again. The cells must join back into exactly the text
//! ([`TableRow::resolved`]): a resolution places boundaries, never edits.

use anyhow::{Context as _, Result};
use rusqlite::Connection;

use crate::document::TableRow;
use crate::store;

/// One row that needs a decision.
#[derive(Debug, Clone)]
pub struct Pending {
    pub document_id: i64,
    /// The document's slug.
    pub document: String,
    /// Its place in the table, from 1.
    pub position: i64,
    /// Its line in the text it was imported from; `None` for JSON.
    pub line: Option<i64>,
    pub text: String,
    /// The best readings versus found, best first (may be none).
    pub readings: Vec<Vec<String>>,
    /// The document's figures, in column order.
    pub figures: Vec<String>,
}

impl Pending {
    /// `slug, line 14` (or `row 3` for a row that came as JSON).
    pub fn place(&self) -> String {
        match self.line {
            Some(line) => format!("{}, line {line}", self.document),
            None => format!("{}, row {}", self.document, self.position),
        }
    }

    /// Why `cells` cannot settle this row, or `None` when they can.
    pub fn refusal(&self, cells: &[String]) -> Option<String> {
        let wanted = self.figures.len() + 1;
        if cells.len() != wanted {
            return Some(format!(
                "{} cell{} given; the row needs {wanted}: the attribute, then one value for each of {} (separate them with \" | \")",
                cells.len(),
                if cells.len() == 1 { " is" } else { "s are" },
                self.figures.join(" and ")
            ));
        }
        if let Some(n) = cells.iter().position(String::is_empty) {
            return Some(format!(
                "cell {} is empty; every cell holds some of the row's text",
                n + 1
            ));
        }
        if TableRow::resolved(&self.text, cells, self.figures.len()).is_none() {
            return Some(format!(
                "the cells join into {:?}, not the row's text {:?}: a resolution places the boundaries and never changes the text",
                cells.concat(),
                self.text
            ));
        }
        None
    }
}

/// The cells a person typed: separated by `" | "`, as the readings are
/// written.
pub fn parse_cells(typed: &str) -> Vec<String> {
    typed.split(" | ").map(String::from).collect()
}

/// The rows that need a decision, in document and table order; only those
/// of `document` (an id) when given.
pub fn pending(conn: &Connection, document: Option<i64>) -> Result<Vec<Pending>> {
    let mut stmt = conn.prepare(
        "SELECT d.id, d.slug, u.position, u.line, u.text, u.readings
         FROM unresolved_rows AS u JOIN documents AS d ON d.id = u.document_id
         WHERE ?1 IS NULL OR d.id = ?1
         ORDER BY d.id, u.position",
    )?;
    let rows = stmt.query_map([document], |r| {
        let readings: String = r.get(5)?;
        Ok(Pending {
            document_id: r.get(0)?,
            document: r.get(1)?,
            position: r.get(2)?,
            line: r.get(3)?,
            text: r.get(4)?,
            readings: readings
                .lines()
                .filter(|l| !l.is_empty())
                .map(parse_cells)
                .collect(),
            figures: Vec::new(),
        })
    })?;
    let mut rows: Vec<Pending> = rows
        .collect::<rusqlite::Result<_>>()
        .context("could not read the table rows that need a decision (unresolved_rows)")?;
    let mut figures = conn.prepare(
        "SELECT f.name FROM document_figures AS df JOIN figures AS f ON f.id = df.figure_id
         WHERE df.document_id = ?1 ORDER BY df.position",
    )?;
    // Once per document, not per row.
    let mut by_document: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for row in &mut rows {
        if let std::collections::hash_map::Entry::Vacant(entry) = by_document.entry(row.document_id)
        {
            entry.insert(
                figures
                    .query_map([row.document_id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?,
            );
        }
        row.figures = by_document[&row.document_id].clone();
    }
    Ok(rows)
}

/// Keeps the resolution of `row` (cells the caller checked with
/// [`Pending::refusal`]) and splits the row in every document that holds
/// it, in the caller's transaction. Returns the slugs of those documents.
pub fn resolve(conn: &Connection, row: &Pending, cells: &[String]) -> Result<Vec<String>> {
    conn.execute(
        "INSERT INTO row_resolutions (text, cells) VALUES (?1, ?2)
         ON CONFLICT (text) DO UPDATE SET cells = excluded.cells,
             resolved_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
        (&row.text, cells.join(" | ")),
    )
    .context("could not keep the resolution (row_resolutions)")?;
    let holders: Vec<(i64, String)> = conn
        .prepare(
            "SELECT DISTINCT d.id, d.source FROM unresolved_rows AS u JOIN documents AS d ON d.id = u.document_id
             WHERE u.text = ?1 ORDER BY d.id",
        )?
        .query_map([&row.text], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    store::sync_title_keys(conn)?;
    let mut batch = store::Batch::default();
    let mut split = Vec::new();
    for (id, source) in holders {
        let Some(doc) = store::load_document_by_id(conn, id)? else {
            continue;
        };
        // Storing applies the resolutions kept (this one too), as an
        // import of the same text would.
        let stored = store::store_document(conn, &mut batch, &doc, &source)?;
        if stored.unresolved.len() < doc.table.iter().filter(|r| r.unresolved.is_some()).count() {
            split.push(stored.slug);
        }
    }
    batch.finish(conn)?;
    Ok(split)
}
