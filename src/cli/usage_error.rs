//! A usage error (what clap refuses) as one line, `versus: <what>; <tip>;
//! see --help`, built from clap's structured error rather than its
//! rendered text, with the tips versus knows: a flag that looks like a
//! query parameter, a value that came from the environment.

use clap::error::ErrorKind;

/// The name in an unknown flag that looks like a query parameter: `--NAME
/// VALUE` or `--NAME=VALUE` (`--document x` after a query name), from
/// clap's structured error.
fn parameter_like(e: &clap::Error, args: &[String]) -> Option<String> {
    use clap::error::{ContextKind, ContextValue};
    let Some(ContextValue::String(flag)) = e.get(ContextKind::InvalidArg) else {
        return None;
    };
    let name = flag.strip_prefix("--")?;
    if let Some((name, _)) = name.split_once('=') {
        return Some(name.to_string());
    }
    if args.iter().any(|a| a.starts_with(&format!("{flag}="))) {
        return Some(name.to_string());
    }
    let at = args.iter().position(|a| a == flag)?;
    let value = args.get(at + 1)?;
    (!value.starts_with('-')).then(|| name.to_string())
}

/// The subcommand named on the command line, if any: the help to point to.
fn subcommand(args: &[String]) -> Option<String> {
    use clap::CommandFactory;
    let command = super::Cli::command();
    args.iter().skip(1).find_map(|arg| {
        command
            .get_subcommands()
            .find(|s| s.get_name() == arg)
            .map(|s| s.get_name().to_string())
    })
}

/// Flags whose value may come from the environment instead.
const FROM_ENVIRONMENT: &[(&str, &str)] = &[
    ("--db", "VERSUS_DB"),
    ("--format", "VERSUS_FORMAT"),
    ("--busy-timeout", "VERSUS_BUSY_TIMEOUT"),
    ("--queries", "VERSUS_QUERIES"),
];

/// clap's error as one line: what is wrong, its tips, and where to look,
/// built from the error's structured context (kind, the argument, the
/// value, clap's suggestions), not from its rendered text. An error kind
/// with no context versus knows falls back to clap's own first line.
pub fn one_line(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue};
    let args: Vec<String> = std::env::args().collect();
    let one = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let all = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let arg = one(ContextKind::InvalidArg).unwrap_or_default();
    let value = one(ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::UnknownArgument => Some(format!("unexpected argument '{arg}' found")),
        ErrorKind::InvalidSubcommand => one(ContextKind::InvalidSubcommand)
            .map(|name| format!("unrecognized subcommand '{name}'")),
        ErrorKind::InvalidValue if value.is_empty() => Some(format!(
            "a value is required for '{arg}' but none was supplied"
        )),
        ErrorKind::InvalidValue => Some(format!("invalid value '{value}' for '{arg}'")),
        ErrorKind::ValueValidation => Some(match std::error::Error::source(e) {
            Some(why) => format!("invalid value '{value}' for '{arg}': {why}"),
            None => format!("invalid value '{value}' for '{arg}'"),
        }),
        ErrorKind::MissingRequiredArgument => Some(format!(
            "the following required arguments were not provided {}",
            all(ContextKind::InvalidArg).join(" ")
        )),
        ErrorKind::ArgumentConflict => one(ContextKind::PriorArg)
            .map(|prior| format!("the argument '{arg}' cannot be used with '{prior}'")),
        _ => None,
    };
    let mut parts: Vec<String> = vec![what.unwrap_or_else(|| {
        e.render()
            .to_string()
            .lines()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or("the command line is not valid")
            .trim_end_matches(':')
            .to_string()
    })];
    if let Some(similar) = one(ContextKind::SuggestedSubcommand) {
        parts.push(format!("a similar subcommand exists: '{similar}'"));
    }
    if let Some(similar) = one(ContextKind::SuggestedArg) {
        parts.push(format!("a similar argument exists: '{similar}'"));
    }
    if let Some(similar) = one(ContextKind::SuggestedValue) {
        parts.push(format!("a similar value exists: '{similar}'"));
    }
    let valid = all(ContextKind::ValidValue);
    if !valid.is_empty() && e.kind() == ErrorKind::InvalidValue {
        parts.push(format!("possible values: {}", valid.join(", ")));
    }
    let runs_sql = args.iter().any(|a| a == "query" || a == "sql");
    // A flag clap finds a near match for is a typo, not a parameter.
    let suggested = one(ContextKind::SuggestedArg).is_some();
    if runs_sql
        && !suggested
        && e.kind() == ErrorKind::UnknownArgument
        && let Some(name) = parameter_like(e, &args)
    {
        parts.push(format!(
            "a parameter is given as --param {name}=VALUE (or -p {name}=VALUE)"
        ));
    }
    for (flag, variable) in FROM_ENVIRONMENT {
        let named = arg == *flag || arg.starts_with(&format!("{flag} "));
        let on_command_line = args
            .iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")));
        if named && !on_command_line && std::env::var_os(variable).is_some() {
            parts.push(format!(
                "the value comes from the environment variable {variable}"
            ));
        }
    }
    parts.push(match subcommand(&args) {
        Some(name) => format!("see `versus {name} --help`"),
        None => "see `versus --help`".to_string(),
    });
    parts.join("; ")
}
