//! One module per subcommand. Each reads or writes the database and passes
//! its result to `Output`; none prints on its own.

pub mod check;
pub mod export;
pub mod import;
pub mod init;
pub mod migrate;
pub mod queries;
pub mod query;
pub mod reindex;
pub mod resolve;
pub mod search;
pub mod show;
pub mod sql;
pub mod status;
