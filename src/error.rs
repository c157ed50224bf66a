//! The exit-code contract and the few errors a caller must tell apart.
//!
//! Everything else is an `anyhow::Error` with context; [`exit_code`] walks its
//! chain to find what kind of failure it was.

use std::fmt;
use std::io;

/// What went wrong, as far as the exit status is concerned. The numbers are
/// documented in docs/REFERENCE.md and never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// 1: a runtime failure: SQL error, I/O error, anything not below.
    Failure,
    /// 2: the command line is wrong: unknown command, query, parameter or value.
    Usage,
    /// 3: an input document cannot be read or parsed; nothing was imported.
    BadDocument,
    /// 4: the database cannot be used: missing, not SQLite, not a versus
    /// database, damaged, or made by a newer versus.
    Database,
    /// 5: the database is locked by another connection and stayed locked.
    Busy,
    /// 6: a read-only command was asked to write; rerun with `--write`.
    WriteRefused,
    /// 7: a statement ran longer than `--timeout` and was stopped.
    TimedOut,
    /// 8: the database is not whole: `versus check` found problems, or
    /// `versus check --repair` found some it cannot fix and changed nothing.
    Unhealthy,
    /// 130: interrupted by Ctrl-C; nothing was changed.
    Interrupted,
}

impl Kind {
    pub fn code(self) -> u8 {
        match self {
            Kind::Failure => 1,
            Kind::Usage => 2,
            Kind::BadDocument => 3,
            Kind::Database => 4,
            Kind::Busy => 5,
            Kind::WriteRefused => 6,
            Kind::TimedOut => 7,
            Kind::Unhealthy => 8,
            Kind::Interrupted => 130,
        }
    }
}

/// An error that carries its exit kind. Its message is the whole story; the
/// context added above it says where.
#[derive(Debug)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Builds an `anyhow::Error` of the given kind.
pub fn fail(kind: Kind, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Error {
        kind,
        message: message.into(),
    })
}

/// Whether the error is a closed pipe on output, which ends quietly with status 0.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// SQLite's result code, if a rusqlite error is somewhere in the chain.
pub fn sqlite_code(err: &anyhow::Error) -> Option<rusqlite::ErrorCode> {
    crate::sqlite_error::code(err)
}

/// The exit kind of an error: the first typed cause in its chain, or what
/// SQLite's result code says.
pub fn kind_of(err: &anyhow::Error) -> Kind {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return e.kind;
        }
        if cause
            .downcast_ref::<crate::document::ParseError>()
            .is_some()
        {
            return Kind::BadDocument;
        }
        if let Some(kind) = cause
            .downcast_ref::<rusqlite::Error>()
            .and_then(crate::sqlite_error::code_of)
            .and_then(crate::sqlite_error::kind_of_code)
        {
            return kind;
        }
    }
    Kind::Failure
}

/// The one-line message `main` prints after `versus: `: the chain of causes,
/// outermost first, joined by `: `. A cause that only repeats the one before
/// it (rusqlite's error and the SQLite error code behind it) is left out.
pub fn one_line(err: &anyhow::Error) -> String {
    // A pager that failed is the whole story: the write to standard output
    // around it did nothing wrong (see `output::pager`).
    if let Some(pager) = err
        .chain()
        .map(|c| c.to_string())
        .find(|m| m.starts_with("the pager `"))
    {
        return pager;
    }
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        if cause.downcast_ref::<rusqlite::ffi::Error>().is_some() {
            continue;
        }
        let text = cause.to_string();
        if parts.last().is_some_and(|last| last.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts
        .join(": ")
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
