//! End-to-end tests: the real `versus` binary on real database files, each
//! test in its own temporary folder with its own database.

mod bad_input;
mod capabilities;
mod ci;
mod datasette;
mod docs;
mod export;
mod faults;
mod identity;
mod import;
mod integrity;
mod limits;
mod output;
mod peers;
mod plans;
mod queries;
mod realistic;
mod repair;
mod resolve;
mod scripts;
mod search;
mod setup;
mod shell;
mod split;
mod sql;
mod support;
mod terminal;
mod verdicts;
