//! What every command that touches the database is given: which database
//! and how long to wait for its lock (a [`Database`]), and the user's named
//! queries; and the one way a command opens it ([`Context::open_for_reading`],
//! [`Context::open_for_writing`], [`Context::open_described`]) and loads its
//! catalogue. Built once from the global options by `cli::settings`, and
//! passed to each command's `run` as `&Context`, beside `&mut Output` (where
//! results go) and the command's own arguments. A new global option that
//! commands read is one more field here, filled in `cli::settings`.
//!
//! The `Output` is not a field: a command reads the context while writing
//! to its output, and `versus shell` makes a fresh `Output` for every line
//! while keeping one context for the session.

use std::path::PathBuf;

use anyhow::Result;
use rusqlite::Connection;

use crate::db::{self, Database, EmptyFile, Location};
use crate::queries::{Catalogue, TopicsFrom};

/// The global options every command that opens the database reads.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--db` or `VERSUS_DB` (else `versus.db` in the current folder) and
    /// `--busy-timeout`.
    pub database: Database,
    /// `--queries` or `VERSUS_QUERIES`: the user's named queries, a file or
    /// a folder, read beside the built-in ones.
    pub queries: Option<PathBuf>,
}

impl Context {
    /// Where the database is, and whether the user named it.
    pub fn location(&self) -> &Location {
        &self.database.location
    }

    /// The built-in named queries and the user's.
    pub fn catalogue(&self) -> Result<Catalogue> {
        Catalogue::load(self.queries.as_deref())
    }

    /// Opens the database for a read command. The default database
    /// (`versus.db`, chosen by neither `--db` nor `VERSUS_DB`) is created
    /// from the bundled seeds the first time a query needs it, with a note on
    /// stderr; a database the user named must exist.
    pub fn open_for_reading(&self) -> Result<Connection> {
        self.open_for_reading_checked(|_| Ok(()))
    }

    /// As [`Context::open_for_reading`], with a check of the command's input
    /// that needs a database (a document name, say). When the default
    /// database is yet to be made, `check` runs first on the database it
    /// would be (the bundled seeds, in memory), so that a command that fails
    /// creates no file. Several runs started together on a missing default
    /// database all succeed: one makes it, the others use it (see
    /// [`db::Created::ByAnother`]).
    pub fn open_for_reading_checked(
        &self,
        check: impl FnOnce(&mut Connection) -> Result<()>,
    ) -> Result<Connection> {
        let location = self.location();
        if !location.explicit && db::presence(&location.path)? == db::Presence::Missing {
            let mut would_be = crate::seeds::in_memory()?;
            check(&mut would_be)?;
            drop(would_be);
            if let db::Created::New(_, seeded) = crate::seeds::create(&self.database)? {
                let slugs: Vec<&str> = seeded.iter().map(|s| s.slug.as_str()).collect();
                crate::output::notice(&format!(
                    "created {} with the bundled seed document ({}); use --db or VERSUS_DB to choose another database",
                    location.display(),
                    slugs.join(", ")
                ));
            }
        }
        self.database.open_read_only()
    }

    /// Opens the database to write, applying pending migrations; `empty`
    /// says whether a file with no tables may be given the schema. Returns
    /// the connection and the migrations applied.
    pub fn open_for_writing(&self, empty: EmptyFile) -> Result<(Connection, Vec<String>)> {
        self.database.open_read_write(empty)
    }

    /// Opens the database to describe it without creating anything (`versus
    /// queries`, `--format datasette`): the file read-only when it is there;
    /// when no file is there, what `versus init` or the first query would
    /// make, built in memory from the bundled seeds. A link that leads
    /// nowhere is refused as every other command refuses it.
    pub fn open_described(&self) -> Result<(Connection, TopicsFrom)> {
        match db::presence(&self.location().path)? {
            db::Presence::Missing => Ok((crate::seeds::in_memory()?, TopicsFrom::Seed)),
            db::Presence::Present => Ok((self.database.open_read_only()?, TopicsFrom::Database)),
        }
    }
}
