//! What each command takes, found three ways that must agree: what
//! `versus COMMAND --help` lists, what the bash completion script offers,
//! and what the command accepts when it is run. Every command (each form of
//! `import` and `check` too) is run with every global option and with
//! every format.
//!
//! The cases come from the table (`versus::cli::capabilities`) and, apart
//! from it, from the help texts as a user reads them: a command, option or
//! format that one of them knows and the other does not is a failure too.

use std::collections::BTreeSet;

use clap::ValueEnum;
use versus::cli::FormatFlag;
use versus::cli::capabilities::{self, CommandKind, GlobalOption};
use versus::error::Kind;

use crate::support::Env;

/// A command line for each form that succeeds on the seeded database.
/// (No wildcard arm: a new command fails to compile here until it has one.)
fn invocation(kind: CommandKind) -> &'static [&'static str] {
    match kind {
        CommandKind::Init => &["init"],
        CommandKind::Migrate => &["migrate"],
        CommandKind::Import { dry_run: false } => &["import", "seed.txt"],
        CommandKind::Import { dry_run: true } => &["import", "--dry-run", "seed.txt"],
        // Settles the row `prepare` keeps as written.
        CommandKind::Resolve => &[
            "resolve",
            "stalin-vs-trotsky",
            "--line",
            "40",
            "--cells",
            "Symphonies | 9 | 41",
        ],
        CommandKind::Status => &["status"],
        CommandKind::Query => &["query", "documents"],
        CommandKind::Queries => &["queries"],
        CommandKind::Search => &["search", "trotsky"],
        CommandKind::Reindex => &["reindex"],
        CommandKind::Check { repair: false } => &["check"],
        CommandKind::Check { repair: true } => &["check", "--repair"],
        CommandKind::Completions => &["completions", "bash"],
        CommandKind::Man => &["man"],
        CommandKind::Export => &["export", "stalin-vs-trotsky"],
        CommandKind::Show => &["show", "stalin-vs-trotsky"],
        CommandKind::Shell => &["shell"],
        CommandKind::Sql => &["sql", "SELECT 1"],
    }
}

/// Makes `invocation(kind)` succeed once more: `resolve` needs a row kept
/// as written.
fn prepare(env: &Env, kind: CommandKind) {
    if kind == CommandKind::Resolve {
        env.versus(&[
            "sql",
            "--write",
            "DELETE FROM unresolved_rows;
             INSERT INTO unresolved_rows (document_id, position, line, text, readings)
             SELECT id, 99, 40, 'Symphonies941', 'Symphonies | 9 | 41' || char(10) || 'Symphonies | 94 | 1'
             FROM documents WHERE slug = 'stalin-vs-trotsky'",
        ])
        .assert()
        .success();
    }
}

/// A value for a global option that takes one, valid wherever the option
/// applies (`mine.sql` is written by `seeded`).
fn value_of(flag: &str, placeholder: Option<&str>) -> Option<&'static str> {
    match flag {
        "--db" => Some("versus.db"),
        "--busy-timeout" => Some("3"),
        "--queries" => Some("mine.sql"),
        "--color" => Some("never"),
        _ => placeholder.map(|_| "x"),
    }
}

fn seeded() -> Env {
    let env = Env::new();
    env.init();
    env.write("seed.txt", crate::support::SEED);
    env.write(
        "mine.sql",
        "-- name: titles\n-- title: Titles\n-- description: Every title.\nSELECT title FROM documents ORDER BY id;\n",
    );
    env
}

/// A global option as the help lists it: its long flag, and the name of
/// its value if it takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    flag: String,
    value: Option<String>,
}

/// One help section's options (the lines after `heading`, to the end or
/// the next heading), and the values `--format` lists there, in order.
fn listed_options(help: &str, heading: &str) -> (Vec<Listed>, Vec<String>) {
    let Some(at) = help.find(heading) else {
        return (Vec::new(), Vec::new());
    };
    let mut entries: Vec<String> = Vec::new();
    for line in help[at..].lines().skip(1) {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with("  -") {
            entries.push(line.trim().to_string());
        } else if let Some(entry) = entries.last_mut() {
            entry.push(' ');
            entry.push_str(line.trim());
        }
    }
    let mut options = Vec::new();
    let mut formats = Vec::new();
    for entry in entries {
        let column = entry.split("  ").next().unwrap_or_default();
        let words: Vec<&str> = column.split([',', ' ']).filter(|w| !w.is_empty()).collect();
        let flag = words
            .iter()
            .find(|w| w.starts_with("--"))
            .unwrap_or_else(|| panic!("no long flag in {entry:?}"))
            .to_string();
        let value = words
            .iter()
            .find(|w| w.starts_with('<'))
            .map(|w| w.to_string());
        if flag == "--format" {
            let values = entry
                .split("[possible values: ")
                .nth(1)
                .and_then(|rest| rest.split(']').next())
                .unwrap_or_else(|| panic!("--format lists no values: {entry:?}"));
            formats = values.split(',').map(|v| v.trim().to_string()).collect();
        }
        options.push(Listed { flag, value });
    }
    (options, formats)
}

/// The commands `versus --help` lists (but `help`).
fn listed_commands(help: &str) -> Vec<String> {
    let at = help.find("Commands:\n").expect("a list of commands");
    help[at..]
        .lines()
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect()
}

/// What the bash completion script offers after `versus NAME`: its global
/// options, and the values of `--format`, in order.
fn offered(script: &str, name: &str) -> (BTreeSet<String>, Vec<String>) {
    let start = format!("        versus__subcmd__{name})\n");
    let at = script
        .find(&start)
        .unwrap_or_else(|| panic!("no completion for {name}"));
    let block = &script[at + start.len()..];
    let block = &block[..block.find("\n        versus").unwrap_or(block.len())];
    let opts = block
        .lines()
        .find_map(|l| l.trim().strip_prefix("opts=\""))
        .expect("opts")
        .trim_end_matches('"');
    let flags = opts
        .split_whitespace()
        .filter(|w| w.starts_with("--") && *w != "--help")
        .filter(|w| !own_option(name, w))
        .map(String::from)
        .collect();
    let formats = block
        .split("--format)\n")
        .nth(1)
        .and_then(|rest| rest.split("compgen -W \"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .map(|words| words.split_whitespace().map(String::from).collect())
        .unwrap_or_default();
    (flags, formats)
}

/// Whether `flag` is one of the command's own options, not a global one
/// (`versus NAME --help` lists those under "Options").
fn own_option(name: &str, flag: &str) -> bool {
    use clap::CommandFactory;
    versus::cli::Cli::command()
        .find_subcommand(name)
        .is_some_and(|c| {
            c.get_arguments().any(|a| {
                !a.is_global_set()
                    && a.get_long().map(|l| format!("--{l}")) == Some(flag.to_string())
            })
        })
}

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Accepted,
    /// Refused as a usage error, with one line on stderr.
    Refused,
    /// Anything else: a failure of the test's own command line, or a
    /// refusal that is not one line.
    Other(String),
}

fn run(env: &Env, kind: CommandKind, extra: &[&str]) -> Outcome {
    prepare(env, kind);
    let mut args: Vec<&str> = invocation(kind).to_vec();
    args.extend_from_slice(extra);
    let out = env
        .versus(&args)
        .write_stdin("")
        .output()
        .expect("run versus");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let one_line = stderr.starts_with("versus: ")
        && stderr.ends_with('\n')
        && stderr.matches('\n').count() == 1;
    match out.status.code() {
        Some(0) => Outcome::Accepted,
        Some(code) if code == i32::from(Kind::Usage.code()) => {
            if one_line && out.stdout.is_empty() {
                Outcome::Refused
            } else {
                Outcome::Other(format!("exit code {code}, stderr {stderr:?}"))
            }
        }
        code => Outcome::Other(format!("exit code {code:?}, stderr {stderr:?}")),
    }
}

/// What the help texts and the completion script say of every command.
struct Listings {
    /// The commands `versus --help` lists.
    commands: Vec<String>,
    /// The global options `versus --help` lists.
    options: Vec<Listed>,
    /// The formats `versus --help` lists for `--format`.
    formats: Vec<String>,
    /// Per command: the global options its help lists, and its formats.
    help: Vec<(String, BTreeSet<String>, Vec<String>)>,
    /// Per command: the global options its completion offers, and its formats.
    completion: Vec<(String, BTreeSet<String>, Vec<String>)>,
}

impl Listings {
    fn read(env: &Env) -> Listings {
        let top = crate::support::stdout_of(&mut env.versus(&["--help"]));
        let commands = listed_commands(&top);
        let (options, formats) = listed_options(
            &top,
            "Global options (before or after the command; `versus COMMAND --help` lists those it takes):",
        );
        let script = crate::support::stdout_of(&mut env.versus(&["completions", "bash"]));
        let mut names: Vec<String> = commands.clone();
        for kind in CommandKind::ALL {
            if !names.iter().any(|n| n == kind.name()) {
                names.push(kind.name().to_string());
            }
        }
        let help = names
            .iter()
            .map(|name| {
                let text = crate::support::stdout_of(&mut env.versus(&[name, "--help"]));
                let (options, formats) =
                    listed_options(&text, "Global options (also before the command):");
                let flags = options.into_iter().map(|o| o.flag).collect();
                (name.clone(), flags, formats)
            })
            .collect();
        let completion = names
            .iter()
            .map(|name| {
                let (flags, formats) = offered(&script, name);
                (name.clone(), flags, formats)
            })
            .collect();
        Listings {
            commands,
            options,
            formats,
            help,
            completion,
        }
    }

    fn help_of(&self, name: &str) -> (&BTreeSet<String>, &Vec<String>) {
        let (_, flags, formats) = self.help.iter().find(|(n, _, _)| n == name).unwrap();
        (flags, formats)
    }

    fn completion_of(&self, name: &str) -> (&BTreeSet<String>, &Vec<String>) {
        let (_, flags, formats) = self.completion.iter().find(|(n, _, _)| n == name).unwrap();
        (flags, formats)
    }
}

/// The commands, global options and formats the table knows are those
/// `versus --help` lists.
#[test]
fn the_table_and_the_help_know_the_same_commands_options_and_formats() {
    let env = Env::new();
    let listings = Listings::read(&env);
    let table: BTreeSet<&str> = CommandKind::ALL.iter().map(|k| k.name()).collect();
    let help: BTreeSet<&str> = listings.commands.iter().map(String::as_str).collect();
    assert_eq!(help, table, "the commands");
    let table: Vec<String> = GlobalOption::ALL.iter().map(|o| o.flag()).collect();
    let help: Vec<String> = listings.options.iter().map(|o| o.flag.clone()).collect();
    assert_eq!(help, table, "the global options");
    let table: Vec<&str> = FormatFlag::value_variants()
        .iter()
        .map(|f| f.name())
        .collect();
    assert_eq!(listings.formats, table, "the formats of --format");
}

/// Every command with every global option but `--format` (run with every
/// format below): the help lists it, the completion offers it and the
/// command accepts it exactly where the table says it takes it.
#[test]
fn every_command_with_every_global_option() {
    let env = seeded();
    let listings = Listings::read(&env);
    // The options, from the table and from the help.
    let mut options: Vec<Listed> = listings.options.clone();
    for option in GlobalOption::ALL {
        if !options.iter().any(|o| o.flag == option.flag()) {
            options.push(Listed {
                flag: option.flag(),
                value: None,
            });
        }
    }
    options.retain(|o| o.flag != "--format");
    let mut wrong: Vec<String> = Vec::new();
    let mut accepted: Vec<(&str, String)> = Vec::new();
    for kind in CommandKind::ALL {
        for option in &options {
            let mut extra = vec![option.flag.as_str()];
            extra.extend(value_of(&option.flag, option.value.as_deref()));
            let outcome = run(&env, kind, &extra);
            let table = GlobalOption::ALL
                .into_iter()
                .find(|o| o.flag() == option.flag)
                .is_some_and(|o| kind.takes(o));
            match outcome {
                Outcome::Accepted => accepted.push((kind.name(), option.flag.clone())),
                Outcome::Refused => {}
                Outcome::Other(what) => {
                    wrong.push(format!(
                        "`versus {} {}`: {what}",
                        kind.label(),
                        extra.join(" ")
                    ));
                    continue;
                }
            }
            if (outcome == Outcome::Accepted) != table {
                wrong.push(format!(
                    "`versus {} {}` is {outcome:?}, but the table says it {} {}",
                    kind.label(),
                    extra.join(" "),
                    if table { "takes" } else { "does not take" },
                    option.flag
                ));
            }
        }
    }
    // Per command: accepted by some form, listed by its help, offered by
    // its completion, taken by the table: the same options.
    for kind in CommandKind::ALL {
        let name = kind.name();
        let accepted: BTreeSet<String> = accepted
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, flag)| flag.clone())
            .collect();
        let table: BTreeSet<String> = GlobalOption::ALL
            .into_iter()
            .filter(|o| *o != GlobalOption::Format && capabilities::takes_named(name, *o))
            .map(|o| o.flag())
            .collect();
        let without_format = |flags: &BTreeSet<String>| -> BTreeSet<String> {
            flags.iter().filter(|f| *f != "--format").cloned().collect()
        };
        let (help, _) = listings.help_of(name);
        let (completion, _) = listings.completion_of(name);
        for (what, flags) in [
            ("accepts", accepted),
            ("--help lists", without_format(help)),
            ("the completion offers", without_format(completion)),
        ] {
            if flags != table {
                wrong.push(format!(
                    "`versus {name}` {what} {flags:?}, the table says {table:?}"
                ));
            }
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every command with every format: the help lists it, the completion
/// offers it and the command accepts it exactly where the table says it
/// writes it (in the table's order, the default first).
#[test]
fn every_command_with_every_format() {
    let env = seeded();
    let listings = Listings::read(&env);
    let mut formats: Vec<String> = listings.formats.clone();
    for format in FormatFlag::value_variants() {
        if !formats.iter().any(|f| f == format.name()) {
            formats.push(format.name().to_string());
        }
    }
    let mut wrong: Vec<String> = Vec::new();
    let mut accepted: Vec<(&str, String)> = Vec::new();
    for kind in CommandKind::ALL {
        for format in &formats {
            let outcome = run(&env, kind, &["--format", format]);
            let table = kind.takes(GlobalOption::Format)
                && kind.formats().iter().any(|f| f.name() == format);
            match &outcome {
                Outcome::Accepted => accepted.push((kind.name(), format.clone())),
                Outcome::Refused => {}
                Outcome::Other(what) => {
                    wrong.push(format!(
                        "`versus {} --format {format}`: {what}",
                        kind.label()
                    ));
                    continue;
                }
            }
            if (outcome == Outcome::Accepted) != table {
                wrong.push(format!(
                    "`versus {} --format {format}` is {outcome:?}, but the table says it {} it",
                    kind.label(),
                    if table { "writes" } else { "does not write" },
                ));
            }
        }
    }
    for kind in CommandKind::ALL {
        let name = kind.name();
        let table: Vec<String> = capabilities::formats_named(name)
            .iter()
            .map(|f| f.name().to_string())
            .collect();
        let accepted: Vec<String> = formats
            .iter()
            .filter(|f| accepted.iter().any(|(n, a)| *n == name && a == *f))
            .cloned()
            .collect();
        let in_order = |mut listed: Vec<String>| {
            listed.sort_by_key(|f| formats.iter().position(|g| g == f));
            listed
        };
        let (help_flags, help) = listings.help_of(name);
        let (completion_flags, completion) = listings.completion_of(name);
        let takes_format = !table.is_empty();
        if help_flags.contains("--format") != takes_format
            || completion_flags.contains("--format") != takes_format
        {
            wrong.push(format!(
                "`versus {name}`: --help lists --format: {}, the completion offers it: {}, the table has formats {table:?}",
                help_flags.contains("--format"),
                completion_flags.contains("--format")
            ));
        }
        for (what, listed) in [
            ("--help lists", help.clone()),
            ("the completion offers", completion.clone()),
        ] {
            if listed != table {
                wrong.push(format!(
                    "`versus {name} --format`: {what} {listed:?}, the table says {table:?}"
                ));
            }
        }
        if accepted != in_order(table.clone()) {
            wrong.push(format!(
                "`versus {name} --format` accepts {accepted:?}, the table says {table:?}"
            ));
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// VERSUS_FORMAT is read exactly by the commands that write results: a
/// value it cannot be is refused by them, and never even read by the
/// others.
#[test]
fn versus_format_is_read_by_the_commands_that_write_results() {
    let env = seeded();
    for kind in CommandKind::ALL {
        prepare(&env, kind);
        let out = env
            .versus(invocation(kind))
            .env("VERSUS_FORMAT", "no-such-format")
            .write_stdin("")
            .output()
            .expect("run versus");
        let stderr = String::from_utf8_lossy(&out.stderr);
        if kind.writes_results() {
            assert_eq!(
                out.status.code(),
                Some(i32::from(Kind::Usage.code())),
                "{}: {stderr}",
                kind.label()
            );
            assert!(
                stderr.contains("VERSUS_FORMAT"),
                "{}: {stderr}",
                kind.label()
            );
        } else {
            assert_eq!(out.status.code(), Some(0), "{}: {stderr}", kind.label());
        }
    }
}

/// The disagreement that started the table: `show --help` lists json and
/// not jsonl, and `show` takes `--json` and `--format json` and refuses
/// `--nl` and `--format jsonl` alike.
#[test]
fn show_takes_what_its_help_lists() {
    let env = seeded();
    let help = crate::support::stdout_of(&mut env.versus(&["show", "--help"]));
    assert!(help.contains("--json"), "{help}");
    assert!(!help.contains("--nl"), "{help}");
    assert!(
        help.contains("[possible values: table, markdown, json]"),
        "{help}"
    );
    for args in [&["--json"][..], &["--format", "json"]] {
        let mut all = vec!["show", "stalin-vs-trotsky"];
        all.extend_from_slice(args);
        let json: serde_json::Value =
            serde_json::from_str(&crate::support::stdout_of(&mut env.versus(&all))).unwrap();
        assert_eq!(json["slug"], "stalin-vs-trotsky");
    }
    env.versus(&["show", "stalin-vs-trotsky", "--nl"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("versus: --nl does not apply to `versus show`: it does not write that format; leave it out (`versus show --help` lists the options it takes)\n");
    env.versus(&["show", "stalin-vs-trotsky", "--format", "jsonl"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("versus: show draws a document with --format table or markdown (or json); `versus export --format jsonl` writes a document as one line\n");
}
