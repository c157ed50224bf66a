//! `versus init`: create the database if it is missing, migrate it, and load
//! the bundled seed documents that are not there yet (see `seeds`).

use anyhow::Result;

use crate::context::Context;
use crate::db;
use crate::importing::describe_stored;
use crate::output::Output;
use crate::seeds;

pub fn run(ctx: &Context, out: &mut Output) -> Result<()> {
    let mut lines = Vec::new();
    let made = match db::presence(&ctx.location().path)? {
        db::Presence::Missing => match seeds::create(&ctx.database)? {
            db::Created::New(applied, seeded) => {
                lines.push(format!("created {}", ctx.location().display()));
                Some((applied, seeded))
            }
            // Another `versus` made it meanwhile: go on as if it had been there.
            db::Created::ByAnother => None,
        },
        db::Presence::Present => None,
    };
    let (applied, seeded) = match made {
        Some(made) => made,
        None => {
            let (mut conn, applied) = ctx.open_for_writing(db::EmptyFile::Migrate)?;
            (applied, seeds::seed_missing(&mut conn)?)
        }
    };
    lines.extend(db::applied_lines(&applied));
    lines.extend(seeded.iter().map(describe_stored));
    if lines.is_empty() {
        lines.push(format!(
            "{} is up to date (schema version {}, seed documents present)",
            ctx.location().display(),
            db::latest_version()
        ));
    }
    out.lines(&lines)
}
