//! What each command takes: the global options, the formats, and whether
//! it writes results. This is the one place that decides it; the help
//! texts, the man page and the definition the completion scripts are made
//! from (`help`), the refusal of an option or a format that does not apply
//! (`settings`) all read it, and the shell's `.format` takes the formats of
//! results it lists (`Format::RESULTS`).
//!
//! A new command does not compile until its row is written: every `match`
//! on [`CommandKind`] here names each command, with no wildcard arm.

use super::{Command, FormatFlag};
use crate::format::Format;

/// A command, as far as what it takes goes. `import` and `check` each have
/// a flag that changes what they write, so each form is a command here:
/// `import` writes what it did as plain lines, `import --dry-run` writes
/// results; `check` writes the problems it finds as results, `check
/// --repair` what it did as lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandKind {
    Init,
    Migrate,
    Import { dry_run: bool },
    Resolve,
    Status,
    Query,
    Queries,
    Search,
    Reindex,
    Check { repair: bool },
    Completions,
    Man,
    Export,
    Show,
    Shell,
    Sql,
}

/// A global option: one that may be typed before or after the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlobalOption {
    Db,
    BusyTimeout,
    Format,
    Queries,
    Csv,
    Tsv,
    Json,
    Nl,
    Table,
    Markdown,
    NoHeaders,
    Color,
    NoPager,
}

/// One row of the table: what a command takes.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// `--db` and `--busy-timeout`: it opens the database.
    database: bool,
    /// `--queries`: it reads the named queries.
    named_queries: bool,
    /// What `--format` takes, the default first; the shorthands of these
    /// formats (`--csv`, `--nl`, ...) are taken too. None: it refuses
    /// `--format`, writing plain lines or a text of its own.
    formats: &'static [FormatFlag],
    /// `--no-headers`: it writes tables of results.
    headers: bool,
    /// `--color`: it writes something styled.
    color: bool,
    /// `--no-pager`: it may write more than a screen.
    pager: bool,
    /// It writes results (rows), whose default format VERSUS_FORMAT sets;
    /// the other commands never read VERSUS_FORMAT, so a value meant for
    /// results never stops them.
    results: bool,
}

/// The formats of results (`Format::RESULTS`, as `--format` names them).
const RESULT_FORMATS: &[FormatFlag] = &[
    FormatFlag::Output(Format::Table),
    FormatFlag::Output(Format::Csv),
    FormatFlag::Output(Format::Tsv),
    FormatFlag::Output(Format::Json),
    FormatFlag::Output(Format::Jsonl),
    FormatFlag::Output(Format::Markdown),
];

/// What a command that writes results takes.
const WRITES_RESULTS: Row = Row {
    database: true,
    named_queries: false,
    formats: RESULT_FORMATS,
    headers: true,
    color: true,
    pager: true,
    results: true,
};

/// What a command that writes what it did as plain lines takes.
const WRITES_LINES: Row = Row {
    database: true,
    named_queries: false,
    formats: &[],
    headers: false,
    color: false,
    pager: false,
    results: false,
};

impl CommandKind {
    /// Every command, each form of `import` and `check` too.
    pub const ALL: [CommandKind; 18] = [
        CommandKind::Init,
        CommandKind::Migrate,
        CommandKind::Import { dry_run: false },
        CommandKind::Import { dry_run: true },
        CommandKind::Resolve,
        CommandKind::Status,
        CommandKind::Query,
        CommandKind::Queries,
        CommandKind::Search,
        CommandKind::Reindex,
        CommandKind::Check { repair: false },
        CommandKind::Check { repair: true },
        CommandKind::Completions,
        CommandKind::Man,
        CommandKind::Export,
        CommandKind::Show,
        CommandKind::Shell,
        CommandKind::Sql,
    ];

    /// The table.
    ///
    /// `show` takes `table` (the document drawn for a terminal), `markdown`
    /// and `json` (the document's JSON form, as `export --format json`
    /// writes it): a document for reading, in the forms its help and the
    /// guide (docs/GUIDE.md) name. It refuses `csv` and `tsv` (a document is no rows:
    /// `versus query comparison table` gives them), `text` (the text format
    /// is `export`'s; `show` would only draw its table under that name) and
    /// `jsonl`, and so `--nl` (one document on one line is what `export
    /// --format jsonl` writes).
    ///
    /// `import --dry-run` takes what it can draw (a table, Markdown, JSON,
    /// JSON Lines), not `text`, which would be its table under another name.
    ///
    /// `check --repair` writes what it did as lines, yet takes the options
    /// of `check`'s results, as it always has; only VERSUS_FORMAT, the
    /// default for results, is not read.
    fn row(self) -> Row {
        match self {
            CommandKind::Init
            | CommandKind::Migrate
            | CommandKind::Reindex
            | CommandKind::Resolve
            | CommandKind::Import { dry_run: false } => WRITES_LINES,
            CommandKind::Completions | CommandKind::Man => Row {
                database: false,
                ..WRITES_LINES
            },
            CommandKind::Status | CommandKind::Sql | CommandKind::Check { repair: false } => {
                WRITES_RESULTS
            }
            CommandKind::Check { repair: true } => Row {
                results: false,
                ..WRITES_RESULTS
            },
            CommandKind::Query | CommandKind::Search | CommandKind::Shell => Row {
                named_queries: true,
                ..WRITES_RESULTS
            },
            CommandKind::Queries => Row {
                named_queries: true,
                formats: &[
                    FormatFlag::Output(Format::Table),
                    FormatFlag::Output(Format::Csv),
                    FormatFlag::Output(Format::Tsv),
                    FormatFlag::Output(Format::Json),
                    FormatFlag::Output(Format::Jsonl),
                    FormatFlag::Output(Format::Markdown),
                    FormatFlag::Datasette,
                ],
                ..WRITES_RESULTS
            },
            CommandKind::Import { dry_run: true } => Row {
                formats: &[
                    FormatFlag::Output(Format::Table),
                    FormatFlag::Output(Format::Markdown),
                    FormatFlag::Output(Format::Json),
                    FormatFlag::Output(Format::Jsonl),
                ],
                ..WRITES_RESULTS
            },
            CommandKind::Export => Row {
                formats: &[
                    FormatFlag::Output(Format::Text),
                    FormatFlag::Output(Format::Json),
                    FormatFlag::Output(Format::Jsonl),
                ],
                headers: false,
                color: false,
                results: false,
                ..WRITES_RESULTS
            },
            CommandKind::Show => Row {
                formats: &[
                    FormatFlag::Output(Format::Table),
                    FormatFlag::Output(Format::Markdown),
                    FormatFlag::Output(Format::Json),
                ],
                headers: false,
                results: false,
                ..WRITES_RESULTS
            },
        }
    }

    /// The command of a parsed command line.
    pub fn of(command: &Command) -> CommandKind {
        match command {
            Command::Init => CommandKind::Init,
            Command::Migrate => CommandKind::Migrate,
            Command::Import { dry_run, .. } => CommandKind::Import { dry_run: *dry_run },
            Command::Resolve { .. } => CommandKind::Resolve,
            Command::Status => CommandKind::Status,
            Command::Query { .. } => CommandKind::Query,
            Command::Queries => CommandKind::Queries,
            Command::Search { .. } => CommandKind::Search,
            Command::Reindex => CommandKind::Reindex,
            Command::Check { repair } => CommandKind::Check { repair: *repair },
            Command::Completions { .. } => CommandKind::Completions,
            Command::Man => CommandKind::Man,
            Command::Export { .. } => CommandKind::Export,
            Command::Show { .. } => CommandKind::Show,
            Command::Shell { .. } => CommandKind::Shell,
            Command::Sql { .. } => CommandKind::Sql,
        }
    }

    /// The command's name, as typed.
    pub fn name(self) -> &'static str {
        match self {
            CommandKind::Init => "init",
            CommandKind::Migrate => "migrate",
            CommandKind::Import { .. } => "import",
            CommandKind::Resolve => "resolve",
            CommandKind::Status => "status",
            CommandKind::Query => "query",
            CommandKind::Queries => "queries",
            CommandKind::Search => "search",
            CommandKind::Reindex => "reindex",
            CommandKind::Check { .. } => "check",
            CommandKind::Completions => "completions",
            CommandKind::Man => "man",
            CommandKind::Export => "export",
            CommandKind::Show => "show",
            CommandKind::Shell => "shell",
            CommandKind::Sql => "sql",
        }
    }

    /// The flag that makes this form of the command, if it is one of two.
    pub fn form_flag(self) -> Option<&'static str> {
        match self {
            CommandKind::Import { dry_run: true } => Some("--dry-run"),
            CommandKind::Check { repair: true } => Some("--repair"),
            CommandKind::Import { dry_run: false }
            | CommandKind::Check { repair: false }
            | CommandKind::Init
            | CommandKind::Migrate
            | CommandKind::Resolve
            | CommandKind::Status
            | CommandKind::Query
            | CommandKind::Queries
            | CommandKind::Search
            | CommandKind::Reindex
            | CommandKind::Completions
            | CommandKind::Man
            | CommandKind::Export
            | CommandKind::Show
            | CommandKind::Shell
            | CommandKind::Sql => None,
        }
    }

    /// The command as a user types it, with the flag of its form
    /// (`import --dry-run`).
    pub fn label(self) -> String {
        match self.form_flag() {
            Some(flag) => format!("{} {flag}", self.name()),
            None => self.name().to_string(),
        }
    }

    /// The formats `--format` takes, the default first (`export --all`:
    /// json); none when it refuses `--format`.
    pub fn formats(self) -> &'static [FormatFlag] {
        self.row().formats
    }

    /// Whether the command takes the global option.
    pub fn takes(self, option: GlobalOption) -> bool {
        let row = self.row();
        match option {
            GlobalOption::Db | GlobalOption::BusyTimeout => row.database,
            GlobalOption::Queries => row.named_queries,
            GlobalOption::Format => !row.formats.is_empty(),
            GlobalOption::Csv
            | GlobalOption::Tsv
            | GlobalOption::Json
            | GlobalOption::Nl
            | GlobalOption::Table
            | GlobalOption::Markdown => option
                .shorthand_of()
                .is_some_and(|format| row.formats.contains(&FormatFlag::Output(format))),
            GlobalOption::NoHeaders => row.headers,
            GlobalOption::Color => row.color,
            GlobalOption::NoPager => row.pager,
        }
    }

    /// Whether the command writes results (rows), whose default format
    /// VERSUS_FORMAT sets; no other command reads VERSUS_FORMAT.
    pub fn writes_results(self) -> bool {
        self.row().results
    }

    /// The forms of the command named `name` (both of `import`), none for
    /// a name that is no command.
    pub fn named(name: &str) -> impl Iterator<Item = CommandKind> + '_ {
        CommandKind::ALL
            .into_iter()
            .filter(move |kind| kind.name() == name)
    }
}

/// Whether any form of the command named `name` takes the option: what its
/// help lists and its completion offers (`import` lists what `import
/// --dry-run` takes).
pub fn takes_named(name: &str, option: GlobalOption) -> bool {
    CommandKind::named(name).any(|kind| kind.takes(option))
}

/// The formats any form of the command named `name` takes, in the table's
/// order: what its help lists and its completion offers.
pub fn formats_named(name: &str) -> Vec<FormatFlag> {
    let mut formats: Vec<FormatFlag> = Vec::new();
    for kind in CommandKind::named(name) {
        for format in kind.formats() {
            if !formats.contains(format) {
                formats.push(*format);
            }
        }
    }
    formats
}

impl GlobalOption {
    /// Every global option, in the order the command line defines them.
    pub const ALL: [GlobalOption; 13] = [
        GlobalOption::Db,
        GlobalOption::BusyTimeout,
        GlobalOption::Format,
        GlobalOption::Queries,
        GlobalOption::Csv,
        GlobalOption::Tsv,
        GlobalOption::Json,
        GlobalOption::Nl,
        GlobalOption::Table,
        GlobalOption::Markdown,
        GlobalOption::NoHeaders,
        GlobalOption::Color,
        GlobalOption::NoPager,
    ];

    /// The option's id, as clap names it (the field of [`Cli`]).
    pub fn id(self) -> &'static str {
        match self {
            GlobalOption::Db => "db",
            GlobalOption::BusyTimeout => "busy_timeout",
            GlobalOption::Format => "format",
            GlobalOption::Queries => "queries",
            GlobalOption::Csv => "csv",
            GlobalOption::Tsv => "tsv",
            GlobalOption::Json => "json",
            GlobalOption::Nl => "nl",
            GlobalOption::Table => "table",
            GlobalOption::Markdown => "markdown",
            GlobalOption::NoHeaders => "no_headers",
            GlobalOption::Color => "color",
            GlobalOption::NoPager => "no_pager",
        }
    }

    /// The option with this clap id.
    pub fn from_id(id: &str) -> Option<GlobalOption> {
        GlobalOption::ALL
            .into_iter()
            .find(|option| option.id() == id)
    }

    /// The flag a user types (`--busy-timeout`).
    pub fn flag(self) -> String {
        format!("--{}", self.id().replace('_', "-"))
    }

    /// The format a shorthand flag stands for (`--nl`: jsonl).
    pub fn shorthand_of(self) -> Option<Format> {
        match self {
            GlobalOption::Csv => Some(Format::Csv),
            GlobalOption::Tsv => Some(Format::Tsv),
            GlobalOption::Json => Some(Format::Json),
            GlobalOption::Nl => Some(Format::Jsonl),
            GlobalOption::Table => Some(Format::Table),
            GlobalOption::Markdown => Some(Format::Markdown),
            GlobalOption::Db
            | GlobalOption::BusyTimeout
            | GlobalOption::Format
            | GlobalOption::Queries
            | GlobalOption::NoHeaders
            | GlobalOption::Color
            | GlobalOption::NoPager => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::CommandFactory;

    /// The options the table knows are the command line's global options,
    /// in its order: a new global option fails here until it is added.
    #[test]
    fn the_global_options_are_the_command_lines() {
        let ids: Vec<String> = Cli::command()
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string())
            .collect();
        let known: Vec<&str> = GlobalOption::ALL.iter().map(|o| o.id()).collect();
        assert_eq!(ids, known);
    }

    /// Every subcommand has a row, under its own name.
    #[test]
    fn every_command_has_a_row() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        for name in &names {
            assert!(
                CommandKind::named(name).next().is_some(),
                "no row for {name}"
            );
        }
        for kind in CommandKind::ALL {
            assert!(names.iter().any(|n| n == kind.name()), "{kind:?}");
        }
    }

    /// The formats of results are the shell's `.format`'s.
    #[test]
    fn the_result_formats_are_the_shells() {
        let formats: Vec<FormatFlag> = Format::RESULTS
            .iter()
            .map(|f| FormatFlag::Output(*f))
            .collect();
        assert_eq!(RESULT_FORMATS, formats.as_slice());
        assert_eq!(CommandKind::Shell.formats(), formats.as_slice());
    }

    /// A command that writes results takes every result format; one that
    /// takes a shorthand takes `--format`.
    #[test]
    fn the_rows_hold_together() {
        for kind in CommandKind::ALL {
            if kind.writes_results() {
                assert!(kind.takes(GlobalOption::Format), "{kind:?}");
                assert!(kind.takes(GlobalOption::Db), "{kind:?}");
            }
            for option in GlobalOption::ALL {
                if option.shorthand_of().is_some() && kind.takes(option) {
                    assert!(kind.takes(GlobalOption::Format), "{kind:?} {option:?}");
                }
            }
            let default = kind.formats().first();
            assert!(
                default.is_none()
                    || matches!(
                        default,
                        Some(FormatFlag::Output(Format::Table | Format::Text))
                    ),
                "{kind:?} defaults to {default:?}"
            );
        }
    }

    #[test]
    fn show_takes_what_its_help_says() {
        let show = CommandKind::Show;
        let names: Vec<&str> = show.formats().iter().map(|f| f.name()).collect();
        assert_eq!(names, ["table", "markdown", "json"]);
        assert!(show.takes(GlobalOption::Json));
        assert!(!show.takes(GlobalOption::Nl));
    }
}
