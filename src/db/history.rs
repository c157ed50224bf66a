//! The embedded migrations and refinery's history of them: reading and
//! validating the history a file holds, and applying what is pending.

use std::path::Path;
use std::time::Duration;

use anyhow::Result;
use rusqlite::Connection;

use super::*;
use crate::error::{Kind, fail};

pub(super) mod embedded {
    refinery::embed_migrations!("migrations");
}

/// The table refinery keeps its history in.
pub(super) const HISTORY_TABLE: &str = "refinery_schema_history";

/// The name of versus's first migration, which every versus history starts
/// with: another program's refinery history does not have it.
pub(super) const FIRST_MIGRATION: &str = "initial_schema";

/// One row of refinery's history table, as found in the file.
#[derive(Debug)]
pub(super) struct Applied {
    version: i64,
    name: String,
    checksum: String,
}

/// What a file holds before versus writes to it.
pub(super) enum Contents {
    /// No tables at all (a new or 0-byte file).
    Empty,
    /// Tables, but no versus history: another program's database.
    Foreign,
    /// A refinery history of another program's migrations.
    ForeignHistory,
    /// A versus database with this history.
    Versus(Vec<Applied>),
}

/// Reads the schema history on a read-only connection and validates every
/// row, so that refinery (which unwraps bad dates and checksums) only ever
/// sees a history it can read.
pub(super) fn inspect(path: &Path, busy_timeout: Duration) -> Result<Contents> {
    let conn = open_ro(path, busy_timeout)?;
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| explain_file_error(e, path))?;
    let has_history: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [HISTORY_TABLE],
            |r| r.get(0),
        )
        .map_err(|e| explain_file_error(e, path))?;
    if !has_history {
        return Ok(if tables == 0 {
            Contents::Empty
        } else {
            Contents::Foreign
        });
    }
    let damaged = |what: String| damaged_history(path, &what);
    let mut stmt = conn
        .prepare(&format!(
            "SELECT version, name, applied_on, checksum FROM {HISTORY_TABLE} ORDER BY version"
        ))
        .map_err(|e| damaged(e.to_string()))?;
    let mut rows = stmt.query([]).map_err(|e| damaged(e.to_string()))?;
    let mut applied = Vec::new();
    while let Some(row) = rows.next().map_err(|e| damaged(e.to_string()))? {
        use rusqlite::types::ValueRef;
        // refinery keeps versions as i32; versus's start at 1.
        let version = match row.get_ref(0)? {
            ValueRef::Integer(v) if (1..=i64::from(i32::MAX)).contains(&v) => v,
            other => {
                return Err(damaged(format!(
                    "it records a migration whose version is {}, not a migration version (a whole number from 1 to 2147483647)",
                    describe_value(other)
                )));
            }
        };
        let text = |i: usize, what: &str| -> Result<String> {
            match row.get_ref(i)? {
                ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).into_owned()),
                other => Err(damaged(format!(
                    "migration {version} has {} as its {what}, where text belongs",
                    describe_value(other)
                ))),
            }
        };
        let name = text(1, "name")?;
        let applied_on = text(2, "date")?;
        let checksum = text(3, "checksum")?;
        if time::OffsetDateTime::parse(&applied_on, &time::format_description::well_known::Rfc3339)
            .is_err()
        {
            return Err(damaged(format!(
                "migration {version} has the date {applied_on:?}"
            )));
        }
        if checksum.parse::<u64>().is_err() {
            return Err(damaged(format!(
                "migration {version} has the checksum {checksum:?}"
            )));
        }
        applied.push(Applied {
            version,
            name,
            checksum,
        });
    }
    // Tables beside an empty history: someone emptied it, or another
    // program made them. Migrating would fail on the existing tables.
    if applied.is_empty() && tables > 1 {
        return Err(damaged(
            "it records no migration, yet the file has tables".to_string(),
        ));
    }
    // Another program that uses refinery too: its history is not versus's,
    // and calling it "divergent" would send the user looking for a versus
    // that never made it.
    if !applied.is_empty() {
        let documents: bool = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'documents'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| explain_file_error(e, path))?;
        if !documents || !applied.iter().any(|a| a.name == FIRST_MIGRATION) {
            return Ok(Contents::ForeignHistory);
        }
    }
    Ok(Contents::Versus(applied))
}

/// Refuses a history this versus cannot continue: versions it does not know
/// (a newer versus made them) or versions whose content differs from its own.
pub(super) fn check_history(applied: &[Applied], path: &Path) -> Result<()> {
    let runner = embedded::migrations::runner();
    let known = runner.get_migrations();
    for a in applied {
        match known.iter().find(|m| i64::from(m.version()) == a.version) {
            None => {
                return Err(fail(
                    Kind::Database,
                    format!(
                        "{} was created by a newer versus (schema version {}, this versus knows up to {}); upgrade versus to write to it",
                        path.display(),
                        a.version,
                        latest_version()
                    ),
                ));
            }
            Some(m) if m.checksum().to_string() != a.checksum || m.name() != a.name => {
                return Err(fail(
                    Kind::Database,
                    format!(
                        "{}: migration V{}__{} in the database differs from this versus's V{}__{} (divergent migration); restore the database from a copy or use the versus that made it",
                        path.display(),
                        a.version,
                        a.name,
                        m.version(),
                        m.name()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Applies pending migrations to an open read-write connection, all in one
/// transaction together with their history rows. Returns the names of the
/// migrations applied (`V1__initial_schema`).
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<Vec<String>> {
    register_functions(conn).map_err(|e| explain_file_error(e, path))?;
    let report = embedded::migrations::runner()
        .set_grouped(true)
        .run(conn)
        .map_err(|e| migration_error(&e, path))?;
    Ok(report
        .applied_migrations()
        .iter()
        .map(|m| format!("V{}__{}", m.version(), m.name()))
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_version_is_the_newest_migration() {
        let newest = super::embedded::migrations::runner()
            .get_migrations()
            .iter()
            .map(|m| i64::from(m.version()))
            .max();
        assert_eq!(newest, Some(super::SCHEMA_VERSION));
    }
}
