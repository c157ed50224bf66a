//! The command line as it describes itself, written from
//! [`super::capabilities`]: the help texts (the global options, hidden where
//! clap would list them with every command, and listed instead after each
//! command's own options, only those that apply to it, with its formats for
//! `--format`), the help of `--format` itself, the global options of each
//! command in the man page, and the completion scripts and the man page
//! themselves (`versus completions`, `versus man`), so they never fall
//! behind the definition.

use anyhow::{Context, Result};
use clap::{Arg, ValueEnum};

use super::capabilities::{self, CommandKind, GlobalOption};
use super::{Cli, FormatFlag};

/// The global options with their definitions.
fn global_options(command: &clap::Command) -> Vec<(GlobalOption, Arg)> {
    command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .filter_map(|a| Some((GlobalOption::from_id(a.get_id().as_str())?, a.clone())))
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
    for (option, _) in &globals {
        command = command.mut_arg(option.id(), |a| a.hide(true));
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
            .filter(|(option, _)| capabilities::takes_named(name, *option))
            .map(|(option, arg)| {
                let formats =
                    (*option == GlobalOption::Format).then(|| capabilities::formats_named(name));
                describe_option(arg, formats.as_deref())
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
fn describe_option(arg: &Arg, formats: Option<&[FormatFlag]>) -> String {
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
        Some(formats) => formats.iter().map(|f| f.name().to_string()).collect(),
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

/// The help of `--format` (in the man page): the formats of each command,
/// from the table, commands that take the same ones together.
pub fn format_help() -> String {
    let mut groups: Vec<(Vec<String>, &[FormatFlag])> = Vec::new();
    for kind in CommandKind::ALL {
        let formats = kind.formats();
        if formats.is_empty() {
            continue;
        }
        // A command whose forms take the same formats is named once.
        let label = if CommandKind::named(kind.name()).all(|form| form.formats() == formats) {
            kind.name().to_string()
        } else {
            kind.label()
        };
        match groups.iter_mut().find(|(_, f)| *f == formats) {
            Some((labels, _)) if labels.contains(&label) => {}
            Some((labels, _)) => labels.push(label),
            None => groups.push((vec![label], formats)),
        }
    }
    // The formats of results first, which most commands share.
    groups.sort_by_key(|(labels, _)| std::cmp::Reverse(labels.len()));
    let lists: Vec<String> = groups
        .iter()
        .map(|(labels, formats)| {
            let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
            format!("`{}`: {}", labels.join("`, `"), names.join(", "))
        })
        .collect();
    format!(
        "Output format. Each command takes its own, the default first (`export --all`: json): {}. VERSUS_FORMAT sets the default of the commands that write results, and is not read by the others",
        lists.join("; ")
    )
}

/// The global options the command named `name` takes, for the man page:
/// `--db, --busy-timeout, --format (table, markdown, json), ...`, those of
/// one form after it (`with --dry-run also ...`), or `none`.
pub fn global_options_taken(name: &str) -> String {
    let describe = |option: GlobalOption, formats: &[FormatFlag]| match option {
        GlobalOption::Format => {
            let names: Vec<&str> = formats.iter().map(|f| f.name()).collect();
            format!("{} ({})", option.flag(), names.join(", "))
        }
        _ => option.flag(),
    };
    let forms: Vec<CommandKind> = CommandKind::named(name).collect();
    let by_all: Vec<String> = GlobalOption::ALL
        .into_iter()
        .filter(|option| forms.iter().all(|form| form.takes(*option)))
        .map(|option| describe(option, &capabilities::formats_named(name)))
        .collect();
    let mut text = if by_all.is_empty() {
        "none".to_string()
    } else {
        by_all.join(", ")
    };
    for form in &forms {
        let only: Vec<String> = GlobalOption::ALL
            .into_iter()
            .filter(|option| form.takes(*option) && !forms.iter().all(|f| f.takes(*option)))
            .map(|option| describe(option, form.formats()))
            .collect();
        if let (Some(flag), false) = (form.form_flag(), only.is_empty()) {
            text.push_str(&format!("; with {flag} also {}", only.join(", ")));
        }
    }
    text
}

/// The command line as each command takes it: every global option is an
/// option of the commands that take it and of no other, and `--format`
/// offers only the command's formats. The completion scripts are made from
/// it, so they offer nothing the command then refuses (`init --format`,
/// `query --format text`). Before the command name the global options stay,
/// as typed there they may be meant for any command. (The parser keeps the
/// options global, so that one given where it does not apply is refused
/// with the reason, not as unknown.)
pub fn command_as_each_takes_it() -> clap::Command {
    let mut command = super::command();
    let globals: Vec<(GlobalOption, clap::Arg)> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .filter_map(|a| Some((GlobalOption::from_id(a.get_id().as_str())?, a.clone())))
        .collect();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for (_, arg) in &globals {
        command = command.mut_arg(arg.get_id().clone(), |a| a.global(false));
    }
    let definition = <Cli as clap::CommandFactory>::command();
    let every: Vec<clap::builder::PossibleValue> = FormatFlag::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value)
        .collect();
    for name in &names {
        let applying: Vec<&(GlobalOption, clap::Arg)> = globals
            .iter()
            .filter(|(option, _)| capabilities::takes_named(name, *option))
            .collect();
        let ids: Vec<&str> = applying.iter().map(|(option, _)| option.id()).collect();
        let mut options = Vec::new();
        for (option, arg) in &applying {
            // Conflicts only with the options this command has.
            let mut taken = arg
                .clone()
                .global(false)
                .conflicts_with(clap::builder::Resettable::Reset);
            for other in definition.get_arg_conflicts_with(arg) {
                if ids.contains(&other.get_id().as_str()) {
                    taken = taken.conflicts_with(other.get_id().clone());
                }
            }
            if *option == GlobalOption::Format {
                let formats = capabilities::formats_named(name);
                let values: Vec<clap::builder::PossibleValue> = formats
                    .iter()
                    .filter_map(|f| every.iter().find(|v| v.get_name() == f.name()).cloned())
                    .collect();
                taken = taken
                    .help(format!(
                        "Output format: {}",
                        formats
                            .iter()
                            .map(|f| f.name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .value_parser(clap::builder::PossibleValuesParser::new(values));
            }
            options.push(taken);
        }
        command = command.mut_subcommand(name.as_str(), |c| c.args(options));
    }
    command
}

/// The completion script for `shell` (clap_complete): commands, flags and
/// their fixed values (formats, shells, `--color`), each command with only
/// the global options and formats it takes
/// ([`command_as_each_takes_it`]). Named-query names and
/// parameter values come from the database, which a static script cannot
/// read; `versus queries` lists them.
pub fn completion_script(shell: clap_complete::Shell) -> Result<String> {
    let mut command = command_as_each_takes_it();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "versus", &mut script);
    String::from_utf8(script).context("the completion script is not UTF-8")
}

/// The man page (clap_mangen), in roff. It is one page: clap_mangen names
/// each command as a page of its own (`versus-init(1)`), which versus does
/// not install, so each is named as it is typed, with the global options it
/// takes, and `--help` for the rest.
pub fn man_page() -> Result<String> {
    let mut command = super::command();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for name in &names {
        let taken = global_options_taken(name);
        command = command.mut_subcommand(name, |sub| {
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            sub.about(format!("{about}. Global options: {taken}"))
        });
    }
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .context("could not write the man page")?;
    let mut page = String::from_utf8(page).context("the man page is not UTF-8")?;
    let names = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .chain(["help".to_string()]);
    for name in names {
        let name = name.replace('-', "\\-");
        page = page.replace(
            &format!(".TP\nversus\\-{name}(1)\n"),
            &format!(
                ".TP\n\\fBversus {name}\\fR (\\fBversus {name} \\-\\-help\\fR for its options)\n"
            ),
        );
    }
    Ok(page)
}
