//! The other tools the tests open a versus database in, beside the sqlite3
//! shell: Datasette and sqlite-utils from the virtual environment that
//! `.ci/peers` makes at `target/peers`, and Debian's headless Chromium.
//! Missing, a check is skipped with a visible note; under CI it fails (see
//! `support::skip_unless_ci`), and `.ci/run` installs them first.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::skip_unless_ci;

/// A program of the `target/peers` virtual environment, or `None` (after a
/// skip note) when `.ci/peers` has not been run.
fn from_venv(name: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/peers/bin")
        .join(name);
    if path.is_file() {
        Some(path)
    } else {
        skip_unless_ci(&format!(
            "it needs {name} in target/peers, which `bash .ci/peers` installs"
        ));
        None
    }
}

/// The `sqlite-utils` command.
pub fn sqlite_utils() -> Option<PathBuf> {
    from_venv("sqlite-utils")
}

/// The `datasette` command.
pub fn datasette() -> Option<PathBuf> {
    from_venv("datasette")
}

/// Debian's headless Chromium (`chromium-headless-shell`).
pub fn browser() -> Option<PathBuf> {
    for candidate in [
        "/usr/bin/chromium-headless-shell",
        "/usr/lib/chromium/chromium-headless-shell",
    ] {
        if Path::new(candidate).is_file() {
            return Some(PathBuf::from(candidate));
        }
    }
    skip_unless_ci("it needs chromium-headless-shell, which `bash .ci/peers` installs");
    None
}

/// Runs a peer program and returns what it did; panics only if it cannot
/// be started at all.
pub fn run(program: &Path, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()))
}
