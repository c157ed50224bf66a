//! What storing a document will do, decided before anything is written:
//! its slug, whether it is new, replaces one or is unchanged, and what it
//! derives from its text.

use std::collections::{HashMap, HashSet};

use anyhow::{Context, Result};
use rusqlite::{Connection, OptionalExtension};

use super::Outcome;
use super::read::{Unreadable, load_document_by_id};
use super::titles::{
    KEYS_BROKEN, StoredTitle, TitleScope, find_by_key, same_titles, stored_titles,
};
use crate::document::{
    Document, TableRow, attribution_names, first_named, full_slug_for, title_key, topic_key,
};

/// `doc` with the rows a person resolved before (`versus resolve`, kept in
/// `row_resolutions`) split as they said; `None` when nothing changes. A
/// resolution whose cells no longer make the row, or make another number of
/// cells, is not used ([`TableRow::resolved`]).
pub fn apply_resolutions(conn: &Connection, doc: &Document) -> Result<Option<Document>> {
    if doc.table.iter().all(|r| r.unresolved.is_none()) {
        return Ok(None);
    }
    let mut resolved = doc.clone();
    let mut changed = false;
    let mut stmt = conn.prepare_cached("SELECT cells FROM row_resolutions WHERE text = ?1")?;
    for row in resolved.table.iter_mut().filter(|r| r.unresolved.is_some()) {
        let cells: Option<String> = stmt
            .query_row([&row.attribute], |r| r.get::<_, String>(0))
            .optional()?;
        let Some(cells) = cells else { continue };
        let cells: Vec<String> = cells.split(" | ").map(String::from).collect();
        if let Some(split) = TableRow::resolved(&row.attribute, &cells, doc.figures.len()) {
            *row = split;
            changed = true;
        }
    }
    Ok(changed.then_some(resolved))
}

/// What importing a document will do, decided before anything is written:
/// `versus import --dry-run` shows it, `store_document` carries it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub outcome: Outcome,
    /// The slug the document has (when stored) or will get.
    pub slug: String,
    /// The stored document with this title.
    pub existing: Option<i64>,
    /// See [`Stored::short_slug_taken`].
    pub short_slug_taken: Option<String>,
}

/// One document of a dry run: where it comes from, what it is, and what
/// importing it would do.
pub struct PlannedDocument<'a> {
    pub source: &'a str,
    pub doc: &'a Document,
    pub plan: Plan,
}

/// Decides what storing each of a run of documents will do, before
/// anything is written.
#[derive(Default)]
pub struct Planner {
    /// Slugs given to documents planned but not written (a dry run writes
    /// none), so that two new documents never get the same one.
    reserved: HashSet<String>,
    /// Stored documents whose key is missing or not the exact one (another
    /// tool inserted or retitled them; only an import puts the key right),
    /// by their exact key.
    unkeyed: HashMap<String, (i64, Option<String>)>,
}

impl Planner {
    /// A planner for a connection that cannot put the title keys right (a
    /// dry run): it reads the titles [`sync_title_keys`] would read and
    /// remembers the rows whose stored key is not the exact one, so that it
    /// finds what the import, which syncs the keys first, would find; and it
    /// fails as the import would on two documents with one title.
    pub fn read_only(conn: &Connection) -> Result<Planner> {
        let scope = TitleScope::of(conn).context(KEYS_BROKEN)?;
        let titles = stored_titles(conn, scope)?;
        if let Some(same) = same_titles(conn, scope, &titles)?.first() {
            return Err(same.error());
        }
        let unkeyed = titles
            .into_iter()
            .filter(StoredTitle::is_stale)
            .map(|t| (t.key, (t.id, t.slug)))
            .collect();
        Ok(Planner {
            reserved: HashSet::new(),
            unkeyed,
        })
    }

    /// What storing `doc`, whose title key is `key`, will do.
    pub fn plan(&mut self, conn: &Connection, doc: &Document, key: &str) -> Result<Plan> {
        let found = match self.unkeyed.get(key) {
            Some(row) => Some(row.clone()),
            None => find_by_key(conn, key)?,
        };
        let plan = match found {
            Some((id, slug)) => {
                // The same document again writes nothing, so that importing
                // an export (or a file twice) leaves the database as it was,
                // byte for byte. A stored document versus cannot read
                // (another tool wrote a BLOB into it, say) differs from any
                // given one: replacing it repairs it.
                let stored = match load_document_by_id(conn, id) {
                    Err(e) if e.downcast_ref::<Unreadable>().is_some() => None,
                    other => other?,
                };
                // A slug that is not text is no name at all: the document
                // gets the one a new document would get.
                let (slug, stored) = match slug {
                    Some(slug) => (slug, stored),
                    None => (self.new_slug(conn, doc)?.0, None),
                };
                let outcome = if stored.as_ref() == Some(doc) {
                    Outcome::Unchanged
                } else {
                    Outcome::Replaced
                };
                Plan {
                    outcome,
                    slug,
                    existing: Some(id),
                    short_slug_taken: None,
                }
            }
            None => {
                let (slug, short_slug_taken) = self.new_slug(conn, doc)?;
                Plan {
                    outcome: Outcome::Added,
                    slug,
                    existing: None,
                    short_slug_taken,
                }
            }
        };
        self.reserved.insert(plan.slug.clone());
        Ok(plan)
    }

    fn slug_taken(&self, conn: &Connection, slug: &str) -> Result<bool> {
        Ok(self.reserved.contains(slug)
            || conn
                .prepare_cached("SELECT 1 FROM documents WHERE slug = ?1")?
                .query_row([slug], |_| Ok(()))
                .optional()?
                .is_some())
    }

    /// The slug a new document gets, and the short slug when another title
    /// holds it.
    fn new_slug(&self, conn: &Connection, doc: &Document) -> Result<(String, Option<String>)> {
        let short = doc.slug();
        if !self.slug_taken(conn, &short)? {
            return Ok((short, None));
        }
        let full = full_slug_for(&doc.figures);
        let mut slug = full.clone();
        let mut n = 2;
        while self.slug_taken(conn, &slug)? {
            slug = format!("{full}-{n}");
            n += 1;
        }
        Ok((slug, Some(short)))
    }
}

/// What storing a document computes from its text alone: the topic keys of
/// its attributes and headings, and which figure each paragraph is about
/// (in document order). An import works it out on its parsing thread, so
/// that the storing thread only writes.
pub struct Derived {
    /// The title as versus compares it ([`title_key`]): what identifies the
    /// document, worked out once for the import's checks, plan and row.
    pub title_key: String,
    pub(super) attribute_topics: Vec<String>,
    pub(super) section_topics: Vec<String>,
    pub(super) paragraph_figures: Vec<Option<usize>>,
    /// For each figure, whether the prose names it in any letter case
    /// (`document_figures.any_case`).
    pub(super) any_case: Vec<bool>,
}

impl Derived {
    pub fn of(doc: &Document) -> Derived {
        let any_case = doc.in_any_case();
        let names = attribution_names(&doc.figures, &any_case);
        Derived {
            title_key: title_key(&doc.title),
            attribute_topics: doc.table.iter().map(|r| topic_key(&r.attribute)).collect(),
            section_topics: doc.sections.iter().map(|s| topic_key(&s.heading)).collect(),
            paragraph_figures: doc
                .sections
                .iter()
                .flat_map(|s| &s.paragraphs)
                .map(|text| first_named(&names, text))
                .collect(),
            any_case,
        }
    }
}
