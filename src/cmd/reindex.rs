//! `versus reindex`: rebuild the full-text search tables from the documents,
//! as they are defined (the search part of `versus check --repair`).

use anyhow::{Context as _, Result};
use rusqlite::TransactionBehavior;

use crate::context::Context;
use crate::db;
use crate::output::Output;
use crate::store;

pub fn run(ctx: &Context, out: &mut Output) -> Result<()> {
    let (mut conn, applied) = ctx.open_for_writing(db::EmptyFile::Refuse)?;
    let mut lines = db::applied_lines(&applied);
    db::refuse_read_only(&conn, ctx.location(), "rebuild the search index of")?;
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| db::explain_file_error(e, &ctx.location().path))?;
    let items = store::search_index::rebuild_search(&tx, &db::defined_schema()?)
        .map_err(|e| db::explain_write(e, &ctx.location().path))?;
    tx.commit()
        .map_err(|e| db::explain_write(e.into(), &ctx.location().path))
        .context("could not commit the rebuilt index")?;
    lines.push(format!(
        "rebuilt the search index of {}: {items} texts",
        ctx.location().display()
    ));
    out.lines(&lines)
}
