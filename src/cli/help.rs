//! The help texts: the global options, hidden where clap would list them
//! with every command, and listed instead after each command's own options,
//! only those that apply to it, with its formats for `--format`.

use clap::Arg;

/// The global options (their clap ids and definitions).
pub(super) fn global_options(command: &clap::Command) -> Vec<(String, Arg)> {
    command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| (a.get_id().to_string(), a.clone()))
        .collect()
}

/// Whether help may be shown for this command line: only then are the help
/// texts written, which (textwrap) cost about a millisecond, a third of a
/// named query's run.
pub(super) fn may_be_asked(args: &[std::ffi::OsString]) -> bool {
    args.len() <= 1
        || args
            .iter()
            .skip(1)
            .any(|a| a == "-h" || a == "--help" || a == "help")
}

/// The command with its help texts: the global options hidden where clap
/// would list them with every command, and listed instead after each
/// command's own options: only those that apply to it, with its formats for
/// `--format`.
pub(super) fn with_global_option_help(mut command: clap::Command) -> clap::Command {
    let globals = global_options(&command);
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for (id, _) in &globals {
        command = command.mut_arg(id.as_str(), |a| a.hide(true));
    }
    let all: Vec<String> = globals
        .iter()
        .map(|(_, arg)| describe_option(arg, None))
        .collect();
    command = command.after_help(format!(
        "Global options (before or after the command; `versus COMMAND --help` lists those it takes):\n{}",
        all.join("\n")
    ));
    for name in &names {
        let applying: Vec<String> = globals
            .iter()
            .filter(|(id, _)| super::not_applying(id, name).is_none())
            .map(|(id, arg)| {
                let formats = (id == "format").then(|| super::formats_of(name));
                describe_option(arg, formats)
            })
            .collect();
        if !applying.is_empty() {
            let text = format!(
                "Global options (also before the command):\n{}",
                applying.join("\n")
            );
            command = command.mut_subcommand(name.as_str(), |c| c.after_help(text));
        }
    }
    command
}

/// One global option for a help text, indented and wrapped as clap writes
/// options: its flag, the first sentence of its help, and its values
/// (`formats` for `--format`: the ones the command takes).
fn describe_option(arg: &Arg, formats: Option<&[&str]>) -> String {
    let mut name = String::new();
    if let Some(short) = arg.get_short() {
        name.push_str(&format!("-{short}, "));
    }
    if let Some(long) = arg.get_long() {
        name.push_str(&format!("--{long}"));
    }
    let takes_values = arg.get_action().takes_values();
    if takes_values {
        for value in arg.get_value_names().unwrap_or_default() {
            name.push_str(&format!(" <{value}>"));
        }
    }
    let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    let mut text = help
        .split(". ")
        .next()
        .unwrap_or_default()
        .trim_end_matches('.')
        .to_string();
    let values: Vec<String> = match formats {
        Some(formats) => formats.iter().map(|f| f.to_string()).collect(),
        None if takes_values => arg
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect(),
        None => Vec::new(),
    };
    if arg.get_id() == "format" {
        // Its help is a list per command; this command's list is below.
        text = "Output format".to_string();
    }
    if !values.is_empty() {
        text.push_str(&format!(" [possible values: {}]", values.join(", ")));
    }
    let indent = " ".repeat(28);
    let options = textwrap::Options::new(100).subsequent_indent(&indent);
    textwrap::fill(&format!("  {name:<24}  {text}"), options)
}
