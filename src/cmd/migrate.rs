//! `versus migrate`: apply pending migrations to an existing database.

use anyhow::Result;

use crate::context::Context;
use crate::db;
use crate::output::Output;

pub fn run(ctx: &Context, out: &mut Output) -> Result<()> {
    let (_conn, applied) = ctx.open_for_writing(db::EmptyFile::Migrate)?;
    let mut lines = db::applied_lines(&applied);
    if lines.is_empty() {
        lines.push(format!(
            "{} is up to date (schema version {})",
            ctx.location().display(),
            db::latest_version()
        ));
    }
    out.lines(&lines)
}
