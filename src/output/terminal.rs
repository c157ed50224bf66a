//! What versus writes to the terminal around the answer: error lines and
//! notices on stderr, the questions of `versus resolve`, the unresolved
//! rows of an import, the progress bar, and the terminal's size.

use std::io::{self, IsTerminal, Write};

use anyhow::{Context, Result};

use super::{WRITE_FAILED, visible};

/// Writes one error line to stderr: `versus: <message>`.
pub fn error_line(message: &str) -> io::Result<()> {
    let mut err = io::stderr().lock();
    writeln!(err, "versus: {}", visible(message))
}

/// Writes a note for the user to stderr (things that are not the answer,
/// such as "created versus.db"), so stdout stays clean for pipes.
pub fn notice(message: &str) {
    let _ = writeln!(io::stderr().lock(), "versus: {}", visible(message));
}

/// Writes `text` to standard output at once, never through the pager: a
/// question that waits for its answer (`versus resolve`).
pub fn ask(text: &str) -> Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes()).context(WRITE_FAILED)?;
    stdout.flush().context(WRITE_FAILED)
}

/// `versus resolve`'s question about one row: where it is, the row, its
/// readings numbered best first, and what may be answered.
pub fn question(row: &crate::resolutions::Pending, n: usize, total: usize) -> String {
    let mut text = format!(
        "row {n} of {total}: {}
  {}
",
        row.place(),
        row.text
    );
    for (k, reading) in row.readings.iter().enumerate() {
        text.push_str(&format!("  {}. {}\n", k + 1, reading.join(" | ")));
    }
    let pick = match row.readings.len() {
        0 => String::new(),
        1 => "1 picks the reading, ".to_string(),
        n => format!("1-{n} picks a reading, "),
    };
    text.push_str(&format!(
        "{pick}or type the cells separated by \" | \" ({}); s skips, q stops\n> ",
        std::iter::once("attribute")
            .chain(row.figures.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    text
}

/// An answer `versus resolve` cannot use, and the prompt again.
pub fn again(why: &str) -> String {
    format!("{why}\n> ")
}

/// What settling a row did: its cells, and where it was split.
pub fn settled(row: &crate::resolutions::Pending, cells: &[String], split: &[String]) -> String {
    let mut line = format!("settled {}: {}", row.place(), cells.join(" | "));
    let others: Vec<&str> = split
        .iter()
        .map(String::as_str)
        .filter(|slug| *slug != row.document)
        .collect();
    if !others.is_empty() {
        line.push_str(&format!(" (split in {} too)", others.join(", ")));
    }
    line
}

/// Tells on stderr each table row an import kept as written, with the file,
/// the line and its best readings numbered, then one closing line. `strict`
/// says the rows stopped the import rather than being kept.
pub fn unresolved_rows(unresolved: &crate::store::UnresolvedRows, strict: bool) {
    let (rows, documents) = (&unresolved.rows, unresolved.documents);
    if rows.is_empty() {
        return;
    }
    let mut err = io::stderr().lock();
    for (source, row) in rows {
        let at = if row.line > 0 {
            format!("{source}:{}", row.line)
        } else {
            source.clone()
        };
        let what = if strict {
            "cannot be split for sure"
        } else {
            "is kept as written, unresolved"
        };
        let why = match row.readings.len() {
            _ if crate::document::is_separated(&row.text) => {
                "its cells are separated by a tab or \" | \", but not into the attribute and one value per figure".to_string()
            }
            0 => "no reading of it is supported".to_string(),
            1 => "its one reading is not supported by the document's words".to_string(),
            _ => "no reading of it is clearly the best".to_string(),
        };
        let _ = writeln!(
            err,
            "versus: {at}: the table row {} {what}: {why}",
            crate::document::excerpt(&row.text)
        );
        for (n, reading) in row.readings.iter().enumerate() {
            let _ = writeln!(err, "    {}. {}", n + 1, reading.join(" | "));
        }
    }
    if !strict {
        let _ = writeln!(
            err,
            "versus: {} row{} in {documents} document{} need{} a decision: `versus resolve`",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            if documents == 1 { "" } else { "s" },
            if rows.len() == 1 { "s" } else { "" },
        );
    }
}

/// A progress bar on stderr for long imports: shown only when stderr is a
/// terminal and the work has taken longer than half a second, so short runs
/// and pipes see nothing.
pub struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: bool,
    terminal: bool,
}

impl Progress {
    pub fn new(what: &'static str, total: usize) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix} {bar:30} {pos}/{len} documents, {per_sec}, {eta} left",
        ) {
            bar.set_style(style);
        }
        bar.set_prefix(what);
        Progress {
            bar,
            started: std::time::Instant::now(),
            shown: false,
            terminal: io::stderr().is_terminal(),
        }
    }

    pub fn advance(&mut self) {
        self.bar.inc(1);
        if !self.shown
            && self.terminal
            && self.started.elapsed() > std::time::Duration::from_millis(500)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    pub fn finish(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// The terminal's width when stdout is a terminal (`COLUMNS` wins when set).
pub(super) fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    terminal_size().0.map(|w| w.max(20))
}

/// The terminal's width and height: `COLUMNS` and `LINES` when set, else
/// what the terminal says. A terminal that reports no size (0 x 0, as a new
/// pseudo-terminal may) has none. The one reading of the size, for the
/// table's width and the pager's height.
pub(super) fn terminal_size() -> (Option<usize>, Option<usize>) {
    let from_env = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0)
    };
    let measured = terminal_size::terminal_size()
        .map(|(w, h)| (usize::from(w.0), usize::from(h.0)))
        .filter(|&(w, h)| w > 0 && h > 1);
    (
        from_env("COLUMNS").or(measured.map(|m| m.0)),
        from_env("LINES").or(measured.map(|m| m.1)),
    )
}
