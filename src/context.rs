//! What every command that touches the database is given: which database,
//! how long to wait for a lock on it, and the user's named queries. Built
//! once from the global options by `cli::settings`, and passed to each
//! command's `run` as `&Context`, beside `&mut Output` (where results go)
//! and the command's own arguments. A new global option that commands read
//! is one more field here, filled in `cli::settings`.
//!
//! The `Output` is not a field: a command reads the context while writing
//! to its output, and `versus shell` makes a fresh `Output` for every line
//! while keeping one context for the session.

use std::path::PathBuf;
use std::time::Duration;

use crate::db::Location;

/// The global options every command that opens the database reads.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--db` or `VERSUS_DB`, else `versus.db` in the current folder.
    pub location: Location,
    /// `--busy-timeout`: how long to wait for another connection's lock.
    pub busy_timeout: Duration,
    /// `--queries` or `VERSUS_QUERIES`: the user's named queries, a file or
    /// a folder, read beside the built-in ones.
    pub queries: Option<PathBuf>,
}
