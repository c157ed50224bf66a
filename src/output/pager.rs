//! Standard output, through a pager when it would not fit the terminal, as
//! git does it.
//!
//! On a terminal, output is held back until it is taller than the terminal;
//! then a pager starts (`$VERSUS_PAGER`, else `$PAGER`, else `less -FRX`,
//! run by `sh -c`), gets what was held and everything after it. Output that
//! fits is written to the terminal as it would be without a pager. Never
//! when standard output is not a terminal; `--no-pager`, an empty
//! `VERSUS_PAGER` or a pager of `cat` turn it off. A pager that quits
//! before the end closes the pipe: versus stops writing and that is not an
//! error (as in `git log | head`). A pager that cannot start is reported
//! once on stderr and the output goes to the terminal.

use std::io::{self, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// Where output goes.
pub enum Sink {
    /// Straight to standard output.
    Stdout(io::StdoutLock<'static>),
    /// On a terminal, held until it is taller than the terminal.
    Holding(Held),
    /// Through a running pager (`pager` is its command).
    Pager {
        child: Child,
        stdin: ChildStdin,
        pager: String,
    },
}

/// The error to give when the pager's input closed: `None` when the pager
/// ended well (a person quit it), else what it said with its exit status,
/// so that output it never showed is not lost without a word.
fn failed(child: &mut Child, pager: &str) -> Option<io::Error> {
    let status = child.wait().ok()?;
    // Killed by a signal (Ctrl-C) or quit normally: the user's business.
    let code = status.code().filter(|&c| c != 0)?;
    Some(io::Error::other(format!(
        "the pager `{pager}` ended with exit status {code}, so the output may not have been shown; run again with --no-pager, or set VERSUS_PAGER to a pager that works"
    )))
}

pub struct Held {
    bytes: Vec<u8>,
    /// Terminal lines the held output takes (long lines count as several).
    lines: usize,
    /// Bytes since the last line break, to count a long line's wraps.
    column: usize,
    height: usize,
    width: usize,
    pager: String,
}

impl Sink {
    /// Standard output; held for a pager when `paging` is allowed, standard
    /// output is a terminal whose size is known and a pager is configured.
    pub fn new(paging: bool) -> Sink {
        let stdout = io::stdout().lock();
        if !paging || !stdout.is_terminal() {
            return Sink::Stdout(stdout);
        }
        let (Some(pager), (Some(width), Some(height))) = (pager_command(), super::terminal_size())
        else {
            return Sink::Stdout(stdout);
        };
        Sink::Holding(Held {
            bytes: Vec::new(),
            lines: 0,
            column: 0,
            height,
            width: width.max(1),
            pager,
        })
    }

    /// Writes what is held (the output fitted the terminal) and waits for
    /// the pager to finish. Called when the output ends.
    pub fn close(&mut self) -> io::Result<()> {
        match std::mem::replace(self, Sink::Stdout(io::stdout().lock())) {
            Sink::Stdout(mut out) => out.flush(),
            Sink::Holding(held) => {
                let mut out = io::stdout().lock();
                out.write_all(&held.bytes)?;
                out.flush()
            }
            Sink::Pager {
                mut child,
                stdin,
                pager,
            } => {
                drop(stdin);
                // less quits with 0, also when the user quits early; a pager
                // killed by the user is not our error; one that fails is.
                match failed(&mut child, &pager) {
                    Some(e) => Err(e),
                    None => Ok(()),
                }
            }
        }
    }

    /// Starts the pager with what was held.
    fn start_pager(&mut self) -> io::Result<()> {
        let Sink::Holding(held) = self else {
            return Ok(());
        };
        if !program_exists(&held.pager) {
            let pager = held.pager.clone();
            return self.write_to_terminal(&format!(
                "the pager `{pager}` is not installed (or not a program that may run)"
            ));
        }
        let mut command = Command::new("sh");
        command.arg("-c").arg(&held.pager).stdin(Stdio::piped());
        // As git does: less without its own settings quits when the text
        // fits, passes colours through and leaves the text on the screen.
        if std::env::var_os("LESS").is_none() {
            command.env("LESS", "FRX");
        }
        match command.spawn() {
            Ok(mut child) => {
                let Some(mut stdin) = child.stdin.take() else {
                    return Err(io::Error::other("the pager has no input"));
                };
                let bytes = std::mem::take(&mut held.bytes);
                let pager = held.pager.clone();
                let written = stdin.write_all(&bytes);
                *self = Sink::Pager {
                    child,
                    stdin,
                    pager,
                };
                written.map_err(|e| self.explain(e))
            }
            Err(e) => {
                let why = format!("cannot start the pager `{}` ({e})", held.pager);
                self.write_to_terminal(&why)
            }
        }
    }

    /// A write to the pager that failed: a closed pipe from a pager that
    /// failed is that failure, not a person quitting it.
    fn explain(&mut self, e: io::Error) -> io::Error {
        match self {
            Sink::Pager { child, pager, .. } if e.kind() == io::ErrorKind::BrokenPipe => {
                failed(child, pager).unwrap_or(e)
            }
            _ => e,
        }
    }

    /// Gives up on the pager: says why, once, and writes what was held.
    fn write_to_terminal(&mut self, why: &str) -> io::Result<()> {
        crate::output::notice(&format!(
            "{why}; writing to the terminal (set VERSUS_PAGER or PAGER to a pager, or use --no-pager)"
        ));
        let bytes = match self {
            Sink::Holding(held) => std::mem::take(&mut held.bytes),
            _ => Vec::new(),
        };
        let mut out = io::stdout().lock();
        let written = out.write_all(&bytes);
        *self = Sink::Stdout(out);
        written
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(out) => out.write(buf),
            Sink::Pager { stdin, .. } => match stdin.write(buf) {
                Ok(n) => Ok(n),
                Err(e) => Err(self.explain(e)),
            },
            Sink::Holding(held) => {
                held.bytes.extend_from_slice(buf);
                for &b in buf {
                    if b == b'\n' {
                        // A line exactly as wide as the terminal takes one row.
                        held.lines += 1 + held.column.saturating_sub(1) / held.width;
                        held.column = 0;
                    } else if b & 0xc0 != 0x80 {
                        // Counts characters, not bytes (a rough width).
                        held.column += 1;
                    }
                }
                // The last line of the terminal is the shell's prompt.
                if held.lines >= held.height.saturating_sub(1).max(1) {
                    self.start_pager()?;
                }
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(out) => out.flush(),
            Sink::Pager { stdin, .. } => stdin.flush(),
            // Held until it is known whether it fits.
            Sink::Holding(_) => Ok(()),
        }
    }
}

/// Whether the pager command's program (its first word) can be run: a path
/// to a file, or a name found on PATH. `sh -c` would start even when it
/// cannot, and the output would be lost.
fn program_exists(command: &str) -> bool {
    // `LESS=R mypager`: the program comes after the variables set for it.
    let Some(program) = command.split_whitespace().find(|word| {
        !word.split_once('=').is_some_and(|(name, _)| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    }) else {
        return false;
    };
    // `~/bin/p`, as sh expands it.
    let program = match (program.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::Path::new(&home).join(rest),
        _ => std::path::PathBuf::from(program),
    };
    let runnable = |path: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt;
        path.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if program.to_string_lossy().contains('/') {
        return runnable(&program);
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| runnable(&dir.join(&program))))
}

/// The pager to run, or `None` when paging is turned off.
fn pager_command() -> Option<String> {
    let chosen = match std::env::var("VERSUS_PAGER") {
        Ok(pager) => pager,
        Err(_) => std::env::var("PAGER").unwrap_or_else(|_| "less -FRX".to_string()),
    };
    let chosen = chosen.trim();
    if chosen.is_empty() || chosen == "cat" {
        None
    } else {
        Some(chosen.to_string())
    }
}
