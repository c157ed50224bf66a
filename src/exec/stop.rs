//! Stopping a statement: on Ctrl-C or when `--timeout` runs out, through
//! SQLite's progress handler, and through the watchdog when a statement is
//! stuck inside one step; and saying why a stopped statement failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use rusqlite::Connection;

use super::guard::refused_while_stepping;
use super::watchdog;
use super::{MAX_HEAP_BYTES, MAX_VALUE_BYTES};
use crate::error::{Kind, fail};

/// How long after the deadline (or after Ctrl-C) the watchdog waits for the
/// progress handler to stop the statement cleanly before it ends the process.
pub(super) const WATCHDOG_GRACE: Duration = Duration::from_millis(500);

/// Stops running statements on Ctrl-C, or when the deadline passes: first
/// through SQLite's progress handler, and if the statement is stuck inside
/// one step, through the watchdog (see the module docs). Dropping it, or
/// [`Stopper::disarm`], stands the watchdog down.
pub struct Stopper {
    timed_out: Arc<AtomicBool>,
    timeout: Option<Duration>,
}

impl Stopper {
    /// For a read: catches Ctrl-C (SIGINT) in a flag, installs a progress
    /// handler that stops the running statement when the flag is set or the
    /// timeout has run out, and arms the watchdog. No thread is started: the
    /// cold query path stays short.
    pub fn install(conn: &mut Connection, timeout: Option<Duration>) -> Result<Stopper> {
        Stopper::start(conn, timeout, "")
    }

    /// For a `--write` script: as [`Stopper::install`], but what the
    /// watchdog says is true of a write it ends.
    pub fn install_for_write(conn: &mut Connection, timeout: Option<Duration>) -> Result<Stopper> {
        Stopper::start(
            conn,
            timeout,
            "nothing was changed: the unfinished transaction is rolled back from its journal when the database is next opened: ",
        )
    }

    fn start(conn: &mut Connection, timeout: Option<Duration>, written: &str) -> Result<Stopper> {
        let timeout = timeout.filter(|t| !t.is_zero());
        let timed_out = Arc::new(AtomicBool::new(false));
        let deadline = timeout.map(|limit| Instant::now() + limit);
        let late = timed_out.clone();
        conn.progress_handler(
            1000,
            Some(move || {
                if watchdog::INTERRUPTED.load(Ordering::Relaxed) {
                    return true;
                }
                let over = deadline.is_some_and(|d| Instant::now() >= d);
                if over {
                    late.store(true, Ordering::Relaxed);
                }
                over
            }),
        )?;
        watchdog::arm(
            timeout.map(|t| t + WATCHDOG_GRACE),
            format!("versus: {written}{}\n", timed_out_message(timeout)),
            format!("versus: {written}{INTERRUPTED_MESSAGE}\n"),
        )
        .context("cannot catch Ctrl-C")?;
        Ok(Stopper { timed_out, timeout })
    }

    /// Stands the watchdog down, before a commit: a commit is not a runaway
    /// statement, and ending the process in the middle of one would make the
    /// message untrue.
    pub fn disarm(&self) {
        watchdog::disarm();
    }

    /// Says why a running statement failed when versus stopped it: Ctrl-C,
    /// the timeout, one of the resource limits, or a refusal of the
    /// read-only guard while the statement ran.
    pub fn explain(&self, err: anyhow::Error) -> anyhow::Error {
        match crate::error::sqlite_code(&err) {
            Some(rusqlite::ErrorCode::TooBig) => {
                return fail(
                    Kind::Failure,
                    format!(
                        "a value grew past the {} MB that versus allows one value (SQLite: string or blob too big); narrow the query",
                        MAX_VALUE_BYTES / 1_000_000
                    ),
                );
            }
            Some(rusqlite::ErrorCode::OutOfMemory) => {
                return fail(
                    Kind::Failure,
                    format!(
                        "the query needed more than the {} GiB of memory that versus allows (SQLite: out of memory); narrow the query",
                        MAX_HEAP_BYTES >> 30
                    ),
                );
            }
            Some(rusqlite::ErrorCode::AuthorizationForStatementDenied) => {
                return refused_while_stepping().unwrap_or(err);
            }
            Some(rusqlite::ErrorCode::OperationInterrupted) => {}
            _ => return err,
        }
        if self.timed_out.load(Ordering::SeqCst) {
            fail(Kind::TimedOut, timed_out_message(self.timeout))
        } else if watchdog::INTERRUPTED.load(Ordering::SeqCst) {
            fail(Kind::Interrupted, INTERRUPTED_MESSAGE)
        } else {
            err
        }
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        watchdog::disarm();
    }
}

/// For `versus shell`: catches Ctrl-C from now on, so that one pressed
/// between statements (in the pager, say) sets the flag the next statement
/// reads instead of ending the process.
pub fn catch_interrupts() -> Result<()> {
    watchdog::register().context("cannot catch Ctrl-C")
}

/// Whether Ctrl-C was pressed since the last call, and forgets it: the
/// shell goes on after a statement Ctrl-C stopped, and the next one must
/// not be stopped by the same key press.
pub fn take_interrupt() -> bool {
    watchdog::INTERRUPTED.swap(false, Ordering::SeqCst)
}

const INTERRUPTED_MESSAGE: &str = "interrupted by Ctrl-C; the query was stopped";

fn timed_out_message(timeout: Option<Duration>) -> String {
    let seconds = timeout.map_or(0.0, |t| t.as_secs_f64());
    format!(
        "the query ran longer than --timeout {seconds}s and was stopped; narrow the query or raise --timeout"
    )
}
