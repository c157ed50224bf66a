//! The documents bundled with versus, compiled into the binary so that an
//! installed versus can seed a database without the source tree: loading
//! them into a database, and making the default database from them.

use anyhow::{Context as _, Result};
use rusqlite::{Connection, TransactionBehavior};

use crate::db::{self, Database};
use crate::document::parse_document;
use crate::store::{self, Stored};

/// `(file name, text)` of each bundled document, byte for byte as in `seeds/`.
pub const SEEDS: &[(&str, &str)] = &[(
    "stalin-vs-trotsky.txt",
    include_str!("../seeds/stalin-vs-trotsky.txt"),
)];

/// The bundled documents, parsed. Each seed parses (`versus init` fails
/// saying which one does not, and its tests would too).
pub fn documents() -> Vec<crate::document::Document> {
    SEEDS
        .iter()
        .filter_map(|(_, text)| crate::document::parse_document(text).ok())
        .collect()
}

/// Creates a new database at the location with the schema and the seeds.
/// Nothing is left behind if any step fails.
pub fn create(database: &Database) -> Result<db::Created<Vec<Stored>>> {
    database.create_new(seed_missing)
}

/// What a database made by `versus init` holds, built in memory: for the
/// commands that describe the default database before it exists (`queries`,
/// `--format datasette`) and for checking a command's input against it
/// before creating it, with the same SQL that reads a file.
pub fn in_memory() -> Result<Connection> {
    let mut conn = db::new_in_memory()?;
    seed_missing(&mut conn)?;
    Ok(conn)
}

/// Loads each bundled seed whose title is not stored yet, in one transaction.
/// A seed already there is left alone, even if it was edited since.
pub fn seed_missing(conn: &mut Connection) -> Result<Vec<Stored>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut stored = Vec::new();
    store::sync_title_keys(&tx)?;
    let mut batch = store::Batch::default();
    for (file, text) in SEEDS {
        let doc = parse_document(text)
            .with_context(|| format!("the bundled seed {file} does not parse"))?;
        if store::find_by_title(&tx, &doc.title)?.is_none() {
            stored.push(store::store_document(
                &tx,
                &mut batch,
                &doc,
                &format!("seed:{file}"),
            )?);
        }
    }
    batch.finish(&tx)?;
    tx.commit().context("could not commit the seed documents")?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    /// None is dropped for not parsing.
    #[test]
    fn every_seed_parses() {
        assert_eq!(super::documents().len(), super::SEEDS.len());
    }
}
