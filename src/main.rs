//! The `versus` binary: parse the command line, run it, and turn an error into
//! one line on stderr and a documented exit code (see `versus::error::Kind`);
//! a panic or running out of memory too, never Rust's abort and backtrace.

use std::alloc::{GlobalAlloc, Layout, System};

use std::io::{self, Write};
use std::process::ExitCode;

use clap::error::ErrorKind;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(report_panic));
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    // A panic has been reported by the hook; it still ends with exit code 1.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| versus::run(cli)));
    match result {
        Err(_) => ExitCode::FAILURE,
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) if versus::error::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            let kind = versus::error::kind_of(&err);
            // stderr may be closed too; there is nowhere left to report that.
            let _ = versus::output::error_line(&versus::error::one_line(&err));
            ExitCode::from(kind.code())
        }
    }
}

/// The command line, with `--version` naming the SQLite inside versus too
/// (bundled, so it is the same on every machine).
fn parse() -> Result<versus::cli::Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    // Made once per run; clap keeps a `&'static str`.
    let version: &'static str = Box::leak(
        format!(
            "{} (SQLite {})",
            env!("CARGO_PKG_VERSION"),
            rusqlite::version()
        )
        .into_boxed_str(),
    );
    let mut command = versus::cli::Cli::command().version(version);
    // Each command's help lists the global options that apply to it, after
    // its own; the others it refuses (lib.rs), so they are not listed.
    let globals: Vec<(String, clap::Arg)> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| (a.get_id().to_string(), a.clone()))
        .collect();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    // Only when help may be shown: writing these texts (textwrap) cost
    // about a millisecond, a third of a named query's run.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let help_asked = args.len() <= 1
        || args
            .iter()
            .skip(1)
            .any(|a| a == "-h" || a == "--help" || a == "help");
    if help_asked {
        command = with_global_option_help(command, &globals, &names);
    }
    let ids: Vec<String> = globals.into_iter().map(|(id, _)| id).collect();
    let matches = command.try_get_matches()?;
    let mut cli = versus::cli::Cli::from_arg_matches(&matches)?;
    // The global options given on the command line (not from the
    // environment, not defaults), wherever they were typed.
    let sub = matches.subcommand().map(|(_, m)| m);
    cli.command_name = matches.subcommand_name().unwrap_or_default().to_string();
    cli.given = ids
        .into_iter()
        .filter(|id| {
            [Some(&matches), sub]
                .into_iter()
                .flatten()
                .any(|m| m.value_source(id) == Some(clap::parser::ValueSource::CommandLine))
        })
        .collect();
    Ok(cli)
}

/// The global options, hidden where clap would list them with every
/// command, and listed instead after each command's own options: only
/// those that apply to it, with its formats for `--format`.
fn with_global_option_help(
    mut command: clap::Command,
    globals: &[(String, clap::Arg)],
    names: &[String],
) -> clap::Command {
    for (id, _) in globals {
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
    for name in names {
        let applying: Vec<String> = globals
            .iter()
            .filter(|(id, _)| versus::cli::not_applying(id, name).is_none())
            .map(|(id, arg)| {
                let formats = (id == "format").then(|| versus::cli::formats_of(name));
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
fn describe_option(arg: &clap::Arg, formats: Option<&[&str]>) -> String {
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

/// A panic is a bug, but the user still gets one line, not Rust's
/// "thread 'main' panicked" and backtrace.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    let at = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let _ = versus::output::error_line(&format!(
        "internal error: {what}{at}; this is a bug in versus, please report it"
    ));
}

/// Help and version go to stdout as clap writes them (a failed write is
/// reported, exit code 1); a usage error becomes one line,
/// `versus: <what>; <tip>; see --help`, and exit code 2.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            match e.print().and_then(|()| io::stdout().flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(err) => {
                    let _ = versus::output::error_line(&format!(
                        "{}: {err}",
                        versus::output::WRITE_FAILED
                    ));
                    ExitCode::FAILURE
                }
            }
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
    let command = versus::cli::Cli::command();
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
fn one_line_usage(e: &clap::Error) -> String {
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

/// The system allocator, except that running out of memory ends versus with
/// one line on stderr and exit code 1, where Rust would abort with "memory
/// allocation of N bytes failed" (and a backtrace when RUST_BACKTRACE is set).
struct ReportingAllocator;

#[global_allocator]
static ALLOCATOR: ReportingAllocator = ReportingAllocator;

// SAFETY: every call is passed to `System` unchanged; only a null result is
// acted on, and then the process ends.
unsafe impl GlobalAlloc for ReportingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Reports the failed allocation and ends the process. Nothing here may
/// allocate: the line is built on the stack and written with one system
/// call. A write transaction left open is rolled back from its journal by
/// the next open, as after any crash.
fn out_of_memory(size: usize) -> ! {
    let mut line = [0u8; 320];
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        let n = bytes.len().min(line.len() - len);
        line[len..len + n].copy_from_slice(&bytes[..n]);
        len += n;
    };
    put(b"versus: out of memory: ");
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = size;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    put(&digits[at..]);
    put(b" more bytes were needed; ask for less (a LIMIT, fewer or shorter columns) or allow versus more memory\n");
    #[cfg(unix)]
    // SAFETY: writes bytes from a live buffer, then ends the process without
    // running anything that could allocate.
    unsafe {
        libc::write(2, line.as_ptr().cast(), len);
        libc::_exit(1);
    }
    #[cfg(not(unix))]
    {
        let _ = io::stderr().write_all(&line[..len]);
        std::process::exit(1);
    }
}
