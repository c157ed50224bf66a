//! What `versus check --repair` gives back, from the documents' own text,
//! when another tool deleted it: a figure's row and a figure's place in a
//! document. Nothing here prints or decides to write; `integrity` reports
//! what [`plan`] found and writes it with [`restore`].
//!
//! A figure's name is written in the titles of the documents that compare
//! it, at its place (`Joseph Stalin vs. Leon Trotsky`: place 2 is Leon
//! Trotsky). So when its row in `figures` is gone, its cells and paragraphs
//! still name its id, and the title gives the name back. Only titles versus
//! keyed itself are read (`title_key` as versus makes it from the title): a
//! title another tool changed may no longer hold the names. When the titles
//! disagree, or none gives the name, or a cell names a figure whose place
//! cannot be found, the repair refuses rather than guess: it never deletes
//! a cell or paragraph that still belongs to a document.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use rusqlite::Connection;

use crate::document::{surname, title_key};
use crate::store::text;

/// What the documents give back.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Figures to make again, as (id, name): their rows are gone, their
    /// documents' titles agree on the name, and no other figure has it.
    pub figures: Vec<(i64, String)>,
    /// Figure ids whose row is gone while another figure row has the name
    /// the titles give (made again by another import): (gone, kept, name).
    /// Their places, cells and paragraphs move to the kept one.
    pub merged: Vec<(i64, i64, String)>,
    /// Places in a document to make again: (document, figure, position).
    pub links: Vec<(i64, i64, i64)>,
    /// What cannot be derived, one sentence each (where and why).
    pub underivable: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
            && self.merged.is_empty()
            && self.links.is_empty()
            && self.underivable.is_empty()
    }
}

/// A stored whole number, or `None` for anything else.
fn int(value: rusqlite::types::ValueRef<'_>) -> Option<i64> {
    match value {
        rusqlite::types::ValueRef::Integer(n) => Some(n),
        _ => None,
    }
}

/// Finds what is missing and what the titles give back.
pub fn plan(conn: &Connection) -> Result<Plan> {
    // The names each document's title gives, by place, when versus keyed
    // the title itself.
    let mut names: HashMap<i64, Option<Vec<String>>> = HashMap::new();
    let mut slugs: HashMap<i64, String> = HashMap::new();
    {
        let mut stmt = conn.prepare("SELECT id, slug, title, title_key FROM documents")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let slug = text(row.get_ref(1)?);
            let title = text(row.get_ref(2)?);
            let key = text(row.get_ref(3)?);
            let trusted = match (title, key) {
                (Some(title), Some(key)) if title_key(&title) == key => {
                    Some(title.split(" vs. ").map(|n| n.trim().to_string()).collect())
                }
                _ => None,
            };
            names.insert(id, trusted);
            slugs.insert(id, slug.unwrap_or_else(|| format!("with id {id}")));
        }
    }
    // A figure whose name is not text is there all the same: its row is
    // not gone (`check` names the value).
    let figures: HashMap<i64, String> = conn
        .prepare("SELECT id, name FROM figures")?
        .query_map([], |r| {
            Ok((r.get(0)?, text(r.get_ref(1)?).unwrap_or_default()))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let by_name: HashMap<&str, i64> = figures.iter().map(|(id, n)| (n.as_str(), *id)).collect();
    // Places held, by document: position -> figure (`None` when the row
    // holds something else than an id there: the place is taken all the
    // same, and `check` names the value).
    let mut places: BTreeMap<i64, BTreeMap<i64, Option<i64>>> = BTreeMap::new();
    for row in conn
        .prepare("SELECT document_id, figure_id, position FROM document_figures WHERE document_id IN (SELECT id FROM documents)")?
        .query_map([], |r| Ok((int(r.get_ref(0)?), int(r.get_ref(1)?), int(r.get_ref(2)?))))?
    {
        if let (Some(document), figure, Some(position)) = row? {
            places.entry(document).or_default().insert(position, figure);
        }
    }
    // Figures the cells of each document name, whose place there is gone.
    let mut unplaced: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    for row in conn
        .prepare(
            "SELECT DISTINCT a.document_id, a.figure_id FROM attributes AS a
             WHERE a.document_id IN (SELECT id FROM documents)
               AND NOT EXISTS (SELECT 1 FROM document_figures AS df
                               WHERE df.document_id = a.document_id AND df.figure_id = a.figure_id)",
        )?
        .query_map([], |r| Ok((int(r.get_ref(0)?), int(r.get_ref(1)?))))?
    {
        if let (Some(document), Some(figure)) = row? {
            unplaced.entry(document).or_default().insert(figure);
        }
    }

    let mut plan = Plan::default();
    // The name each gone figure is given, by every place that says.
    let mut said: BTreeMap<i64, Vec<(i64, Option<String>)>> = BTreeMap::new();
    let name_at = |document: i64, position: i64| -> Option<String> {
        names
            .get(&document)
            .and_then(|n| n.as_ref())
            .and_then(|n| n.get(usize::try_from(position - 1).ok()?).cloned())
    };
    for (document, held) in &places {
        for (position, figure) in held {
            if let Some(figure) = figure.filter(|f| !figures.contains_key(f)) {
                said.entry(figure)
                    .or_default()
                    .push((*document, name_at(*document, *position)));
            }
        }
    }
    for (document, cells) in &unplaced {
        let held = places.get(document).cloned().unwrap_or_default();
        let count = names
            .get(document)
            .and_then(|n| n.as_ref())
            .map_or(0, Vec::len) as i64;
        let free: Vec<i64> = (1..=count).filter(|p| !held.contains_key(p)).collect();
        for figure in cells {
            let position = match figures.get(figure) {
                // A figure whose row is there: its place is where the
                // title names it.
                Some(name) => {
                    (1..=count).find(|p| name_at(*document, *p).as_deref() == Some(name.as_str()))
                }
                // A gone figure: the one free place, if only one is free
                // and only one such figure needs a place.
                None if free.len() == 1
                    && cells.iter().filter(|f| !figures.contains_key(f)).count() == 1 =>
                {
                    Some(free[0])
                }
                None => None,
            };
            match position {
                Some(p) if !held.contains_key(&p) => {
                    plan.links.push((*document, *figure, p));
                    if !figures.contains_key(figure) {
                        said.entry(*figure)
                            .or_default()
                            .push((*document, name_at(*document, p)));
                    }
                }
                _ => plan.underivable.push(format!(
                    "the cells of document {} name figure id {figure}, whose place in that document is gone, and its title does not say for sure which place is its",
                    slugs[document]
                )),
            }
        }
    }
    for (figure, sayings) in said {
        let given: BTreeSet<&str> = sayings.iter().filter_map(|(_, n)| n.as_deref()).collect();
        let documents: Vec<&str> = sayings.iter().map(|(d, _)| slugs[d].as_str()).collect();
        match given.iter().collect::<Vec<_>>().as_slice() {
            [name] if sayings.iter().all(|(_, n)| n.is_some()) => match by_name.get(**name) {
                Some(kept) => plan.merged.push((figure, *kept, name.to_string())),
                None => plan.figures.push((figure, name.to_string())),
            },
            [] | [_] => plan.underivable.push(format!(
                "figure id {figure}, which document {} compares, is gone, and no title versus keyed gives its name (another tool changed the title since)",
                documents.join(" and ")
            )),
            many => plan.underivable.push(format!(
                "figure id {figure} is gone, and the titles of documents {} give it different names ({})",
                documents.join(" and "),
                many.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    Ok(plan)
}

/// Writes what [`plan`] found (its `underivable` must be empty), inside the
/// caller's transaction with foreign keys off. Returns a line for each
/// thing done.
pub fn restore(conn: &Connection, plan: &Plan) -> Result<Vec<String>> {
    let mut lines = Vec::new();
    for (id, name) in &plan.figures {
        conn.execute(
            "INSERT INTO figures (id, name, surname) VALUES (?1, ?2, ?3)",
            (id, name, surname(name)),
        )?;
        lines.push(format!(
            "made the figure {name} (id {id}) again from its documents' titles"
        ));
    }
    for (document, figure, position) in &plan.links {
        conn.execute(
            "INSERT INTO document_figures (document_id, figure_id, position) VALUES (?1, ?2, ?3)",
            (document, figure, position),
        )?;
    }
    if !plan.links.is_empty() {
        lines.push(format!(
            "made {} of a figure in a document again from the titles",
            match plan.links.len() {
                1 => "1 place".to_string(),
                n => format!("{n} places"),
            }
        ));
    }
    for (gone, kept, name) in &plan.merged {
        for sql in [
            "UPDATE document_figures SET figure_id = ?2 WHERE figure_id = ?1",
            "UPDATE attributes SET figure_id = ?2 WHERE figure_id = ?1",
            "UPDATE paragraphs SET figure_id = ?2 WHERE figure_id = ?1",
        ] {
            conn.execute(sql, (gone, kept))?;
        }
        lines.push(format!(
            "gave the places, cells and paragraphs of the gone figure id {gone} to {name} (id {kept}), the figure of that name"
        ));
    }
    Ok(lines)
}
