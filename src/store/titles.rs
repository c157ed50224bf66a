//! Title keys: a document is found by its title, compared ignoring case
//! and runs of white space (`documents.title_key`), and the keys other
//! tools left missing or stale are put right before an import.

use std::collections::HashMap;

use anyhow::{Context, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};

use crate::document::title_key;

/// The stored document whose title is `title` (ignoring case and runs of
/// white space), as `(id, slug)`; the slug is `None` when another tool stored
/// something that is not text in its place. Every row must have its exact
/// key: on a write connection run [`sync_title_keys`] first; a read-only
/// one plans through [`Planner::read_only`].
pub fn find_by_title(conn: &Connection, title: &str) -> Result<Option<(i64, Option<String>)>> {
    find_by_key(conn, &title_key(title))
}

/// As [`find_by_title`], by the title's key.
pub(super) fn find_by_key(conn: &Connection, key: &str) -> Result<Option<(i64, Option<String>)>> {
    Ok(conn
        .prepare_cached("SELECT id, slug FROM documents WHERE title_key = ?1")?
        .query_row([key], |r| Ok((r.get(0)?, text(r.get_ref(1)?))))
        .optional()?)
}

/// A stored value as text, or `None` when another tool stored something else.
/// A stored value as text, or `None` when it is not UTF-8 text (NULL, a
/// number, a BLOB, bytes another tool wrote).
pub(crate) fn text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Text(t) => std::str::from_utf8(t).ok().map(str::to_string),
        _ => None,
    }
}

/// Puts the exact title key on every document whose key is missing or stale
/// (a row inserted or retitled by another tool). Only the documents noted
/// in `titles_to_key` are read (migration 6: triggers note each title or key
/// written while versus was not writing), and the notes are cleared: a
/// database of 200,000 documents costs what one of ten does. When a trigger
/// that notes titles is missing, a title may have changed unnoted, so every
/// title is read, as before migration 6. Two documents that would get one
/// key are refused by name, with nothing changed. Needs a write connection
/// from `db`, which has the `versus_title_key` function.
pub fn sync_title_keys(conn: &Connection) -> Result<()> {
    let scope = TitleScope::of(conn).context(KEYS_BROKEN)?;
    if scope == TitleScope::Noted {
        // Nothing noted, nothing written: a DELETE of a whole table rewrites
        // its root page even when it is empty, and an import that changes
        // nothing must leave the file as it was, byte for byte.
        let noted: bool = conn
            .query_row("SELECT EXISTS (SELECT 1 FROM titles_to_key)", [], |r| {
                r.get(0)
            })
            .context(KEYS_BROKEN)?;
        if !noted {
            return Ok(());
        }
    }
    let titles = stored_titles(conn, scope)?;
    if let Some(same) = same_titles(conn, scope, &titles)?.first() {
        return Err(same.error());
    }
    let mut put = conn
        .prepare("UPDATE documents SET title_key = ?2 WHERE id = ?1")
        .context(KEYS_BROKEN)?;
    for title in titles.iter().filter(|t| t.is_stale()) {
        put.execute(params![title.id, title.key])
            .context(KEYS_BROKEN)?;
    }
    conn.execute("DELETE FROM titles_to_key", [])
        .context(KEYS_BROKEN)?;
    Ok(())
}

/// What a failure to read or write the title keys says.
pub(super) const KEYS_BROKEN: &str = "could not put the title keys right (`versus check` says what is wrong; `versus check --repair` puts it right)";

/// The table of documents noted for the next import to key (migration 6).
pub const NOTES_TABLE: &str = "titles_to_key";

/// The triggers that note a title or title key written (migration 6). The
/// import writes the exact key itself, so they are set aside with the
/// search triggers: with them, each document written would be noted, and
/// the next import would read its title again.
pub const TITLE_TRIGGERS: &[&str] = &["documents_title_inserted", "documents_title_changed"];

/// Which titles an import must key again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleScope {
    /// Those noted in `titles_to_key`.
    Noted,
    /// Every title: a trigger that notes titles is missing.
    All,
}

impl TitleScope {
    pub fn of(conn: &Connection) -> Result<TitleScope> {
        let triggers: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (?1, ?2)",
            [TITLE_TRIGGERS[0], TITLE_TRIGGERS[1]],
            |r| r.get(0),
        )?;
        Ok(if triggers == 2 {
            TitleScope::Noted
        } else {
            TitleScope::All
        })
    }
}

/// A stored document's title with the key versus gives it, read once for
/// the import (to key it), the dry run (to find it) and `versus check`.
pub struct StoredTitle {
    pub id: i64,
    /// `None` when another tool stored something that is not text.
    pub slug: Option<String>,
    /// As `versus_title_key` reads it (a BLOB or bad UTF-8 as the text it
    /// reads as), so that the keys here are the ones SQL would compute.
    pub title: String,
    pub key: String,
    /// The key stored now (`None` if it is not text).
    pub stored_key: Option<String>,
    /// Whether the document is in `titles_to_key`.
    pub noted: bool,
}

impl StoredTitle {
    /// Whether the stored key is not the title's.
    pub fn is_stale(&self) -> bool {
        self.stored_key.as_deref() != Some(self.key.as_str())
    }

    /// How messages name it: its slug, or `id 7`.
    fn name(&self) -> String {
        self.slug
            .clone()
            .unwrap_or_else(|| format!("id {}", self.id))
    }
}

/// The titles in `scope`, in id order.
pub fn stored_titles(conn: &Connection, scope: TitleScope) -> Result<Vec<StoredTitle>> {
    let only_noted = match scope {
        TitleScope::Noted => "WHERE id IN (SELECT document_id FROM titles_to_key)",
        TitleScope::All => "",
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT id, slug, title, title_key, id IN (SELECT document_id FROM titles_to_key)
             FROM documents {only_noted} ORDER BY id"
        ))
        .context(KEYS_BROKEN)?;
    let titles = stmt
        .query_map([], |row| {
            let title = crate::db::lossy_text(row.get_ref(2)?);
            Ok(StoredTitle {
                id: row.get(0)?,
                slug: text(row.get_ref(1)?),
                key: title_key(&title),
                title,
                stored_key: text(row.get_ref(3)?),
                noted: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(titles)
}

/// Two documents whose titles are the same to versus (ignoring case and
/// runs of white space): only another tool can have stored them, and no
/// import can put their keys right until one is deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SameTitle {
    /// The later document's title.
    pub title: String,
    /// The slugs of the earlier and the later one (`id 7` for a slug that
    /// is not text).
    pub slugs: (String, String),
}

impl SameTitle {
    pub fn error(&self) -> anyhow::Error {
        crate::error::fail(
            crate::error::Kind::Database,
            format!(
                "the documents {} and {} have the same title to versus (\"{}\", ignoring case and spacing), which another tool must have written; delete one, e.g. with `versus sql --write \"DELETE FROM documents WHERE slug = '{}'\"`",
                self.slugs.0,
                self.slugs.1,
                self.title,
                self.slugs.1.replace('\'', "''")
            ),
        )
    }
}

/// The documents whose titles would get one key once `titles` (those of
/// `scope`, from [`stored_titles`]) were keyed: each later document with
/// the first one that has its key, in id order.
pub fn same_titles(
    conn: &Connection,
    scope: TitleScope,
    titles: &[StoredTitle],
) -> Result<Vec<SameTitle>> {
    let mut first: HashMap<&str, &StoredTitle> = HashMap::new();
    let mut same = Vec::new();
    for title in titles {
        match first.get(title.key.as_str()) {
            Some(earlier) => same.push(SameTitle {
                title: title.title.clone(),
                slugs: (earlier.name(), title.name()),
            }),
            None => {
                first.insert(&title.key, title);
            }
        }
    }
    if scope == TitleScope::Noted {
        // A noted title may take the key an unnoted document holds.
        let mut holder = conn.prepare(
            "SELECT id, slug FROM documents WHERE title_key = ?1
             AND id NOT IN (SELECT document_id FROM titles_to_key)",
        )?;
        // In id order, each key once.
        let firsts = titles
            .iter()
            .filter(|t| first.get(t.key.as_str()).is_some_and(|f| f.id == t.id));
        for title in firsts {
            let earlier = holder
                .query_row([&title.key], |r| {
                    let id: i64 = r.get(0)?;
                    Ok(text(r.get_ref(1)?).unwrap_or_else(|| format!("id {id}")))
                })
                .optional()?;
            if let Some(earlier) = earlier {
                same.push(SameTitle {
                    title: title.title.clone(),
                    slugs: (earlier, title.name()),
                });
            }
        }
    }
    Ok(same)
}
