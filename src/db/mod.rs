//! The database: where it is ([`Location`]) and how long to wait for its
//! lock, held together as a [`Database`] that owns every way of opening it
//! (`open.rs`); the file checks made first (`file.rs`), the explanation of
//! SQLite's errors (`explain.rs`), the migrations and their history
//! (`history.rs`), the SQL functions of write connections (`functions.rs`)
//! and the schema the migrations define (`schema.rs`).
//!
//! Nothing here creates a file by accident: every open is made without
//! `SQLITE_OPEN_CREATE`, except [`Database::create_new`], which builds a new
//! database in a temporary file and moves it into place only once it is
//! complete. A path is always a file name, never a SQLite URI (see
//! [`sqlite_name`]).

mod explain;
mod file;
mod functions;
mod history;
mod open;
mod schema;

use std::path::PathBuf;
use std::time::Duration;

// The rooms share their private items with each other through these.
#[allow(unused_imports)]
use {explain::*, file::*, functions::*, history::*, open::*};
// Re-exported for `store.rs`, which another change is dividing; new code
// names `sql_text` itself.
pub use crate::sql_text::{describe_value, lossy_text};

pub use explain::{explain_file_error, explain_write, refuse_read_only};
pub use file::{Presence, is_wal, presence, sqlite_name, why_not_writable};
#[cfg(test)]
pub(crate) use open::migrated_in_memory;
pub use open::{Created, EmptyFile, new_in_memory};
pub use schema::{Defined, Schema, defined_schema, table_columns};

/// The database file used when neither `--db` nor `VERSUS_DB` is given, in
/// the current folder.
pub const DEFAULT_DB: &str = "versus.db";

/// How long a write waits for another connection's lock by default.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The newest schema version this versus knows: the highest `V<n>__` in
/// `migrations/`. Kept as a constant (a test checks it) because asking
/// refinery costs a regex compilation on every read.
pub const SCHEMA_VERSION: i64 = 10;

/// Turns off SQLite's memory statistics for the rest of the process, for a
/// bulk write: every allocation SQLite makes otherwise takes a global mutex
/// to count it, which perf showed as 5% of an import (4% faster without).
/// The statistics are what `PRAGMA hard_heap_limit` needs, so only commands
/// that set no heap limit (the import) call this, before SQLite starts; after
/// that it is a no-op.
pub fn without_memory_statistics() {
    // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int. Before sqlite3_initialize
    // it changes a setting; after it, SQLite refuses it with SQLITE_MISUSE
    // and changes nothing, which is fine.
    unsafe {
        rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
    }
}

/// The newest schema version this versus knows.
/// The lines that say which migrations a command applied, one each
/// (`applied migration V10__fewer_index_merges`).
pub fn applied_lines(applied: &[String]) -> Vec<String> {
    applied
        .iter()
        .map(|migration| format!("applied migration {migration}"))
        .collect()
}

pub fn latest_version() -> i64 {
    SCHEMA_VERSION
}

/// Which database a command works on, and whether the user named it.
#[derive(Debug, Clone)]
pub struct Location {
    pub path: PathBuf,
    /// False when neither `--db` nor `VERSUS_DB` was given and `path` is the
    /// default `versus.db`.
    pub explicit: bool,
}

impl Location {
    pub fn display(&self) -> String {
        self.path.display().to_string()
    }
}

/// Which database, and how long to wait for another connection's lock on
/// it: what every open needs, so that the two travel together.
#[derive(Debug, Clone)]
pub struct Database {
    pub location: Location,
    /// `--busy-timeout`: how long to wait for another connection's lock.
    pub busy_timeout: Duration,
}
