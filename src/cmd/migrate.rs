//! `versus migrate`: apply pending migrations to an existing database.

use std::time::Duration;

use anyhow::Result;

use crate::db::{self, Location};
use crate::output::Output;

pub fn run(location: &Location, busy_timeout: Duration, out: &mut Output) -> Result<()> {
    let (_conn, applied) = db::open_read_write(location, busy_timeout, db::EmptyFile::Migrate)?;
    let mut lines: Vec<String> = applied
        .iter()
        .map(|m| format!("applied migration {m}"))
        .collect();
    if lines.is_empty() {
        lines.push(format!(
            "{} is up to date (schema version {})",
            location.display(),
            db::latest_version()
        ));
    }
    out.lines(&lines)
}
