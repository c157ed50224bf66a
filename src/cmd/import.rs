//! `versus import`: read documents from files, folders or standard input,
//! parse them all, then store them all in one `BEGIN IMMEDIATE` transaction
//! (the engine is `importing`). Any error, in any file, leaves the database
//! exactly as it was; an error after the commit (printing the report) says
//! that the documents are stored.

use std::path::PathBuf;

use anyhow::{Context as _, Result};

use crate::context::Context;
use crate::db;
use crate::importing;
use crate::inputs::Inputs;
use crate::output::Output;

/// `strict`: a row that cannot be split for sure stops the import (exit 3,
/// nothing written) instead of being kept as written, unresolved.
pub fn run(
    ctx: &Context,
    paths: &[PathBuf],
    dry_run: bool,
    strict: bool,
    out: &mut Output,
) -> Result<()> {
    let inputs = Inputs::expand(paths)?;
    db::without_memory_statistics();
    if dry_run {
        return importing::plan(&ctx.database, &inputs, strict, |plans| {
            out.planned_import(plans)
        });
    }
    let (lines, unresolved) = importing::import(&ctx.database, &inputs, strict)?;
    // The documents are committed: a failure to print the report must not
    // read as a failed import.
    out.lines(&lines).with_context(|| {
        format!(
            "the documents were stored in {} (the import is committed), but its report could not be written",
            ctx.location().display()
        )
    })?;
    crate::output::unresolved_rows(&unresolved, false);
    Ok(())
}
