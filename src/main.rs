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
            let text = e.render().to_string();
            // The error line, any indented lines it introduces (the missing
            // arguments), and clap's tips; not the usage block.
            let mut parts: Vec<String> = Vec::new();
            for line in text.lines() {
                if let Some(what) = line.strip_prefix("error: ") {
                    parts.push(what.trim_end_matches(':').to_string());
                } else if let Some(tip) = line.trim_start().strip_prefix("tip: ") {
                    parts.push(tip.to_string());
                } else if line.starts_with("  ") && parts.len() == 1 && !line.trim().is_empty() {
                    parts[0].push(' ');
                    parts[0].push_str(line.trim());
                } else if line.starts_with("Usage:") {
                    break;
                }
            }
            parts.push("see `versus --help`".to_string());
            let _ = versus::output::error_line(&parts.join("; "));
            ExitCode::from(versus::error::Kind::Usage.code())
        }
    }
}
