//! `versus search`: full-text search, by running the named query `search`
//! with the flags as its parameters. The words, and on a first run the
//! whole search, are checked before the default database is created.

use anyhow::Result;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::context::Context;
use crate::error::{Kind, fail};
use crate::exec::{self, ReadOnly};
use crate::output::Output;
use crate::queries::{Catalogue, search_words};
use crate::sqlite_error;

/// What `versus search` was asked.
pub struct Search {
    pub words: String,
    pub document: Option<String>,
    pub figure: Option<String>,
    pub limit: u32,
    pub raw: bool,
    /// Scores shown on a terminal too.
    pub verbose: bool,
}

pub fn run(ctx: &Context, search: &Search, out: &mut Output) -> Result<()> {
    // The words are checked before anything is opened or created.
    check_words(search)?;
    let catalogue = ctx.catalogue()?;
    let resolved = catalogue.resolve("search")?;
    let (given, exact) = parameters(search, out);
    // Against the database a first read would create, in memory: an unknown
    // document or figure, or a query FTS5 rejects, creates nothing.
    let mut conn = ctx.open_for_reading_checked(|scratch| {
        let prepared = resolved.prepare_with(&given, &exact, scratch)?;
        let refusals = exec::forbid_writes(scratch)?;
        let mut stmt = exec::prepare_read_only(
            scratch,
            &refusals,
            &prepared.sql,
            exec::Source::Named("search"),
        )?;
        exec::bind(&mut stmt, &prepared.values)?;
        stmt.raw_query().next().map_err(|e| {
            let e = anyhow::Error::new(e);
            fts_error(&e, search).unwrap_or(e)
        })?;
        Ok(())
    })?;
    execute(&mut conn, &catalogue, search, out)
}

/// Searches on an open connection with the catalogue's `search` query
/// (what [`run`] does once the database is open; `versus shell`'s
/// `.search`).
pub fn execute(
    conn: &mut Connection,
    catalogue: &Catalogue,
    search: &Search,
    out: &mut Output,
) -> Result<()> {
    check_words(search)?;
    let resolved = catalogue.resolve("search")?;
    let (given, exact) = parameters(search, out);
    let prepared = resolved.prepare_with(&given, &exact, conn)?;
    let statement = ReadOnly {
        sql: &prepared.sql,
        values: &prepared.values,
        source: exec::Source::Named("search"),
        timeout: None,
    };
    out.search_hits(search.verbose);
    exec::run_read_only(conn, &statement, |_| Ok(()), |e| fts_error(e, search), out)?;
    Ok(())
}

/// Refuses words that hold nothing to search for.
fn check_words(search: &Search) -> Result<()> {
    if search.words.trim().is_empty() {
        return Err(fail(Kind::Usage, "give at least one word to search for"));
    }
    if !search.raw && search_words(&search.words).is_none() {
        return Err(fail(
            Kind::Usage,
            format!(
                "{:?} holds no word to search for (punctuation and a lone * are not words); give a word, or the start of one with * after it (trotsk*)",
                search.words
            ),
        ));
    }
    Ok(())
}

/// The parameters of the `search` query: those given as text, and the raw
/// FTS5 query, bound exactly as given.
type Parameters = (Vec<(String, String)>, Vec<(&'static str, Value)>);

fn parameters(search: &Search, out: &Output) -> Parameters {
    let mut given = vec![("limit".to_string(), search.limit.to_string())];
    if let Some(document) = &search.document {
        given.push(("document".to_string(), document.clone()));
    }
    if let Some(figure) = &search.figure {
        given.push(("figure".to_string(), figure.clone()));
    }
    let (before, after) = out.emphasis();
    given.push(("before".to_string(), before.to_string()));
    given.push(("after".to_string(), after.to_string()));
    let mut exact = Vec::new();
    if search.raw {
        exact.push(("q", Value::Text(search.words.clone())));
    } else {
        given.push(("q".to_string(), search.words.clone()));
    }
    (given, exact)
}

/// FTS5 reports a bad query when the statement runs; with --raw, any
/// SQLite error there is the query's (a column filter naming no column, a
/// NEAR distance that is not a number, a lone `*`). `None` for an error that
/// is not the query's.
fn fts_error(e: &anyhow::Error, search: &Search) -> Option<anyhow::Error> {
    let code = crate::error::sqlite_code(e);
    // A damaged index is no fault of the query: FTS5 says "corruption".
    if let Some(damage) = sqlite_error::fts_damage(e) {
        return Some(fail(
            Kind::Database,
            format!(
                "the full-text index is damaged ({damage}); `versus reindex` rebuilds it from the documents (`versus check` says what else is wrong)"
            ),
        ));
    }
    let raw_error =
        search.raw && code.is_some() && code != Some(rusqlite::ErrorCode::OperationInterrupted);
    let fts = if raw_error {
        e.chain().next().map(|c| c.to_string())
    } else {
        sqlite_error::fts_syntax(e)
    };
    fts.map(|message| {
        fail(
            Kind::Usage,
            format!(
                "the search {:?} is not valid FTS5 query syntax ({message}); fix it, or leave out --raw to search for the plain words",
                search.words
            ),
        )
    })
}
