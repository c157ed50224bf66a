//! The `versus` binary: parse the command line, run it, and turn an error into
//! one line on stderr and a documented exit code (see `versus::error::Kind`).

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

fn main() -> ExitCode {
    let cli = match versus::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    match versus::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if versus::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let kind = versus::error::kind_of(&err);
            // stderr may be closed too; there is nowhere left to report that.
            let _ = versus::output::error_line(&versus::error::one_line(&err));
            ExitCode::from(kind.code())
        }
    }
}

/// Help and version go to stdout as clap writes them; a usage error becomes
/// one line, `versus: <what>; <tip>; see --help`, and exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(versus::error::Kind::Usage.code())
        }
        _ => {
            let _ = versus::output::error_line(&one_line_usage(&e));
            ExitCode::from(versus::error::Kind::Usage.code())
        }
    }
}

/// Flags whose value may come from the environment instead.
const FROM_ENVIRONMENT: &[(&str, &str)] = &[
    ("--db", "VERSUS_DB"),
    ("--format", "VERSUS_FORMAT"),
    ("--busy-timeout", "VERSUS_BUSY_TIMEOUT"),
    ("--queries", "VERSUS_QUERIES"),
];

/// clap's error as one line: what is wrong, its tips, and where to look.
fn one_line_usage(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let args: Vec<String> = std::env::args().collect();
    let runs_sql = args.iter().any(|a| a == "query" || a == "sql");
    // The error line, any indented lines it introduces (the missing
    // arguments), and clap's tips; not the usage block.
    let mut parts: Vec<String> = Vec::new();
    for line in text.lines() {
        if let Some(what) = line.strip_prefix("error: ") {
            parts.push(what.trim_end_matches(':').to_string());
        } else if let Some(tip) = line.trim_start().strip_prefix("tip: ") {
            // `--document x` after a query means a parameter, not a value.
            if runs_sql && tip.starts_with("to pass '--") {
                continue;
            }
            parts.push(tip.to_string());
        } else if line.starts_with("  ") && parts.len() == 1 && !line.trim().is_empty() {
            parts[0].push(' ');
            parts[0].push_str(line.trim());
        } else if line.starts_with("Usage:") {
            break;
        }
    }
    if runs_sql && e.kind() == ErrorKind::UnknownArgument {
        parts.push("parameters are given as --param NAME=VALUE".to_string());
    }
    for (flag, variable) in FROM_ENVIRONMENT {
        let named = text.contains(&format!("'{flag} ")) || text.contains(&format!("'{flag}'"));
        let on_command_line = args
            .iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")));
        if named && !on_command_line && std::env::var_os(variable).is_some() {
            parts.push(format!(
                "the value comes from the environment variable {variable}"
            ));
        }
    }
    parts.push("see `versus --help`".to_string());
    parts.join("; ")
}
