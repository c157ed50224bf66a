//! versus on a terminal: tables that fit its width, the pager, colour. Each
//! test runs the real binary in a pseudo-terminal (expectrl) whose size is
//! set with `stty` before versus starts, and reads everything it shows.

use std::time::Duration;

use expectrl::Expect;

use crate::support::{Env, LENIN, assert_golden, versus_binary, without_times};

/// What a run in a terminal showed, with the terminal's `\r\n` as `\n`.
struct Screen {
    text: String,
    code: i32,
}

impl Screen {
    fn widest(&self) -> usize {
        self.text
            .lines()
            .map(textwrap::core::display_width)
            .max()
            .unwrap_or(0)
    }

    fn height(&self) -> usize {
        self.text.lines().count()
    }
}

/// Runs `versus ARGS` in a `cols` x `rows` terminal, in the test's folder,
/// with a clean environment but for `vars`.
fn in_terminal(
    env: &Env,
    (cols, rows): (u16, u16),
    vars: &[(&str, &str)],
    args: &[&str],
) -> Screen {
    let mut cmd = env.terminal("sh");
    cmd.arg("-c")
        // Waits for a line first: the size is set once the pseudo-terminal
        // is wholly made, so nothing can set it again under versus.
        .arg(format!(
            "read -r _; stty cols {cols} rows {rows}; exec \"$0\" \"$@\""
        ))
        .arg(versus_binary())
        .args(args)
        .env("TERM", "xterm-256color");
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let mut session = expectrl::Session::spawn(cmd).expect("a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    session.send_line("").expect("start versus");
    let found = session.expect(expectrl::Eof).expect("versus ends");
    let text = String::from_utf8_lossy(found.as_bytes()).replace("\r\n", "\n");
    let code = match session.get_process().wait().expect("exit status") {
        expectrl::process::unix::WaitStatus::Exited(_, code) => code,
        other => panic!("versus did not exit: {other:?}"),
    };
    Screen { text, code }
}

/// A pager that marks every line it shows, to tell paged output apart.
const MARKING_PAGER: &str = "sed 's/^/PAGED|/'";

#[test]
fn the_comparison_table_fits_80_columns_with_the_figures_side_by_side() {
    let env = Env::seeded();
    let screen = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", MARKING_PAGER)],
        &["query", "comparison table"],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(screen.widest() <= 80, "{}", screen.text);
    assert!(screen.height() < 40, "{}", screen.text);
    let header = screen.text.lines().nth(1).unwrap_or_default();
    assert!(
        header.contains("Joseph Stalin") && header.contains("Leon Trotsky"),
        "the figures are columns:\n{}",
        screen.text
    );
    assert!(
        !screen.text.contains("PAGED|"),
        "it fits, so no pager:\n{}",
        screen.text
    );
    assert!(
        !screen.text.contains("row 1"),
        "no boxes per row:\n{}",
        screen.text
    );
}

/// The seed and the Lenin fixture: two documents that share a figure.
fn seeded_with_lenin() -> Env {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    env
}

/// No word is cut: every word shown (numbers aside) is a word of the seed
/// and the Lenin fixture, or one versus writes around them.
fn assert_no_word_cut(screen: &Screen) {
    let words = words_of_the_documents();
    for word in screen.text.split(|c: char| !c.is_alphanumeric()) {
        assert!(
            word.is_empty()
                || word.chars().all(|c| c.is_ascii_digit())
                || words.contains(&word.to_lowercase()),
            "{word:?} is no word of the documents:\n{}",
            screen.text
        );
    }
}

/// The words a reader can find in the seed and the Lenin fixture, and the
/// words versus writes around them: a word cut in half is not among them.
fn words_of_the_documents() -> std::collections::HashSet<String> {
    let seed = include_str!("../../seeds/stalin-vs-trotsky.txt");
    // Table rows are glued (`Foreign policyNegotiated`): a capital after a
    // lowercase letter begins a word.
    let apart = |text: &str| {
        let mut out = String::new();
        let mut before = ' ';
        for c in text.chars() {
            if before.is_lowercase() && c.is_uppercase() {
                out.push(' ');
            }
            out.push(c);
            before = c;
        }
        out
    };
    [seed, LENIN, "heading value summary hits hit score vs rows"]
        .iter()
        .map(|text| apart(text))
        .collect::<Vec<_>>()
        .iter()
        .flat_map(|text| {
            text.split(|c: char| !c.is_alphanumeric())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

#[test]
fn the_main_job_reads_as_a_comparison_at_80_columns() {
    let env = seeded_with_lenin();
    let screen = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", "")],
        &["--color", "never", "query", "foreign policy differences"],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(screen.widest() <= 80, "{}", screen.text);
    assert!(screen.text.ends_with("(4 rows)\n"), "{}", screen.text);
    assert!(
        screen.height() <= 4 * 8,
        "{} lines:\n{}",
        screen.height(),
        screen.text
    );
    // Each document and topic once, each figure with its value on a line.
    for line in [
        "stalin-vs-trotsky · Foreign policy",
        "Joseph Stalin: Focused on expanding Soviet influence",
        "Leon Trotsky: Advocated for worldwide revolution",
        "lenin-vs-trotsky · Foreign policy",
        "Vladimir Lenin: Signed the Treaty of Brest-Litovsk",
    ] {
        assert_eq!(
            screen.text.lines().filter(|l| *l == line).count(),
            1,
            "{line}:\n{}",
            screen.text
        );
    }
    // No word or slug is cut.
    assert_no_word_cut(&screen);
    // The grid with --format table.
    let table = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", "")],
        &["--format", "table", "query", "foreign policy differences"],
    );
    assert!(table.text.contains("╭"), "{}", table.text);
}

#[test]
fn search_hits_read_like_ripgreps_in_three_lines_each_at_80_columns() {
    let env = seeded_with_lenin();
    let screen = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", "")],
        &["--color", "never", "search", "revolution"],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(screen.widest() <= 80, "{}", screen.text);
    let hits = screen
        .text
        .lines()
        .rev()
        .find_map(|l| {
            l.strip_prefix('(')?
                .strip_suffix(" hits)")?
                .parse::<usize>()
                .ok()
        })
        .expect("a hit count");
    assert!(hits >= 10, "{}", screen.text);
    assert!(
        screen.height() <= hits * 3,
        "{} lines for {hits} hits:\n{}",
        screen.height(),
        screen.text
    );
    // The hits of one document follow its name, which comes once.
    for slug in ["stalin-vs-trotsky", "lenin-vs-trotsky"] {
        assert_eq!(
            screen.text.lines().filter(|l| *l == slug).count(),
            1,
            "{}",
            screen.text
        );
    }
    assert_no_word_cut(&screen);
    assert!(!screen.text.contains("score"), "{}", screen.text);
    // Scores with --verbose; the grid with --format table.
    let verbose = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", "")],
        &["search", "revolution", "--verbose"],
    );
    assert!(verbose.text.contains(" · score "), "{}", verbose.text);
    let table = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", "")],
        &["--format", "table", "search", "revolution"],
    );
    assert!(
        table.text.contains("╭") && table.text.contains(" rows)"),
        "{}",
        table.text
    );
    // A format chosen in the environment is chosen too.
    let from_environment = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", ""), ("VERSUS_FORMAT", "table")],
        &["search", "revolution"],
    );
    assert!(
        from_environment.text.contains("╭") && from_environment.text.contains(" rows)"),
        "{}",
        from_environment.text
    );
}

#[test]
fn a_show_table_fits_between_the_prose() {
    let env = Env::seeded();
    let screen = in_terminal(
        &env,
        (80, 40),
        &[("VERSUS_PAGER", "")],
        &["show", "stalin-vs-trotsky"],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(screen.widest() <= 80, "{}", screen.text);
    assert!(screen.text.contains("│ Attribute"), "{}", screen.text);
}

#[test]
fn output_taller_than_the_terminal_goes_through_the_pager() {
    let env = Env::seeded();
    let paged = in_terminal(
        &env,
        (80, 10),
        &[("VERSUS_PAGER", MARKING_PAGER)],
        &["query", "comparison table"],
    );
    assert_eq!(paged.code, 0, "{}", paged.text);
    assert!(
        paged.text.lines().all(|l| l.starts_with("PAGED|")),
        "{}",
        paged.text
    );
    assert!(paged.text.contains("Leon Trotsky"), "{}", paged.text);

    // $PAGER when VERSUS_PAGER is not set.
    let paged = in_terminal(
        &env,
        (80, 10),
        &[("PAGER", MARKING_PAGER)],
        &["query", "comparison table"],
    );
    assert!(
        paged.text.lines().all(|l| l.starts_with("PAGED|")),
        "{}",
        paged.text
    );

    // --no-pager, and an empty VERSUS_PAGER over $PAGER, turn it off.
    for (vars, args) in [
        (
            vec![("VERSUS_PAGER", MARKING_PAGER)],
            vec!["--no-pager", "query", "comparison table"],
        ),
        (
            vec![("VERSUS_PAGER", ""), ("PAGER", MARKING_PAGER)],
            vec!["query", "comparison table"],
        ),
    ] {
        let plain = in_terminal(&env, (80, 10), &vars, &args);
        assert_eq!(plain.code, 0, "{}", plain.text);
        assert!(!plain.text.contains("PAGED|"), "{args:?}:\n{}", plain.text);
        assert!(plain.text.contains("Leon Trotsky"), "{}", plain.text);
    }
}

#[test]
fn a_pager_that_quits_early_is_not_an_error() {
    let env = Env::seeded();
    let screen = in_terminal(
        &env,
        (80, 10),
        &[("VERSUS_PAGER", "head -n 2")],
        &[
            "sql",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200000) SELECT i FROM n",
        ],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(!screen.text.contains("versus:"), "{}", screen.text);
    assert_eq!(screen.height(), 2, "{}", screen.text);
}

#[test]
fn a_pager_that_cannot_start_is_reported_and_the_output_shown() {
    let env = Env::seeded();
    let screen = in_terminal(
        &env,
        (80, 10),
        &[("VERSUS_PAGER", "/nonexistent/pager")],
        &["query", "comparison table"],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(screen.text.contains("Leon Trotsky"), "{}", screen.text);
    assert!(
        screen.text.contains(
            "versus: the pager `/nonexistent/pager` is not installed (or not a program that may run); writing to the terminal"
        ),
        "{}",
        screen.text
    );
}

#[test]
fn no_pager_when_output_is_not_a_terminal() {
    let env = Env::seeded();
    let out = env
        .versus(&["query", "comparison table"])
        .env("VERSUS_PAGER", MARKING_PAGER)
        .env("LINES", "5")
        .output()
        .expect("versus runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(!text.contains("PAGED|"), "{text}");
    assert!(text.contains("Leon Trotsky"), "{text}");
}

/// The bold that marks a match in a search snippet.
const BOLD: &str = "\u{1b}[1m";

#[test]
fn colour_only_on_a_terminal_and_never_with_no_color_or_a_dumb_terminal() {
    let env = Env::seeded();
    let search = ["search", "Trotsky", "--limit", "3"];
    let coloured = in_terminal(&env, (100, 40), &[("VERSUS_PAGER", "")], &search);
    assert!(coloured.text.contains(BOLD), "{}", coloured.text);

    for vars in [
        vec![("VERSUS_PAGER", ""), ("NO_COLOR", "1")],
        vec![("VERSUS_PAGER", ""), ("NO_COLOR", "")],
        vec![("VERSUS_PAGER", ""), ("TERM", "dumb")],
    ] {
        let plain = in_terminal(&env, (100, 40), &vars, &search);
        assert_eq!(plain.code, 0, "{}", plain.text);
        assert!(!plain.text.contains('\u{1b}'), "{vars:?}:\n{}", plain.text);
        assert!(
            plain.text.contains("[Trotsky]"),
            "{vars:?}:\n{}",
            plain.text
        );
    }
    let never = in_terminal(
        &env,
        (100, 40),
        &[("VERSUS_PAGER", "")],
        &["--color", "never", "search", "Trotsky", "--limit", "3"],
    );
    assert!(!never.text.contains('\u{1b}'), "{}", never.text);

    // Into a pipe: plain, unless asked for.
    let piped = env.versus(&search).output().expect("versus runs");
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\u{1b}'));
    let always = env
        .versus(&["--color", "always", "search", "Trotsky", "--limit", "3"])
        .output()
        .expect("versus runs");
    assert!(String::from_utf8_lossy(&always.stdout).contains(BOLD));
}

#[test]
fn a_wide_table_is_drawn_as_blocks_only_when_columns_cannot_be_readable() {
    let env = Env::seeded();
    let sql = "SELECT 'aaaaaaaaaaaaaaaaaaaa' AS a, 'bbbbbbbbbbbbbbbbbbbb' AS b, 'cccccccccccccccccccc' AS c, 'dddddddddddddddddddd' AS d, 'eeeeeeeeeeeeeeeeeeee' AS e, 'ffffffffffffffffffff' AS f";
    let narrow = in_terminal(&env, (40, 40), &[("VERSUS_PAGER", "")], &["sql", sql]);
    assert!(narrow.text.starts_with("row 1\n"), "{}", narrow.text);
    assert!(narrow.widest() <= 40, "{}", narrow.text);
    let wide = in_terminal(&env, (100, 40), &[("VERSUS_PAGER", "")], &["sql", sql]);
    assert!(!wide.text.contains("row 1"), "{}", wide.text);
    assert!(wide.widest() <= 100, "{}", wide.text);
}

/// Bash, in a terminal, completes versus's commands and flag values from
/// the script `versus completions bash` prints.
#[test]
fn bash_completes_commands_and_flag_values() {
    let Some(bash) = crate::support::system_tool("bash") else {
        return;
    };
    let env = Env::new();
    let versus = versus_binary();
    let script = env.path("versus.bash");
    let out = env
        .versus(&["completions", "bash"])
        .output()
        .expect("versus runs");
    assert!(out.status.success());
    std::fs::write(&script, &out.stdout).expect("write the script");
    let path = format!(
        "{}:{}",
        versus.parent().expect("a folder").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // A bash that never echoes what is typed (seen about once in thirty
    // loaded runs, and once even with ten tries) is started again: up to
    // three sessions.
    let mut ready = None;
    let mut last_seen = String::new();
    for _session in 0..3 {
        let mut cmd = env.terminal(bash.clone());
        cmd.args(["--norc", "--noprofile", "-i"])
            .env("PATH", &path)
            .env("TERM", "dumb")
            .env("PS1", "$ ");
        let mut session = expectrl::Session::spawn(cmd).expect("a pseudo-terminal");
        // A terminal as a person has it: what is typed is echoed.
        session
            .get_process_mut()
            .set_echo(true, None)
            .expect("echo on");
        session.set_expect_timeout(Some(Duration::from_secs(20)));
        // Each line is typed at a prompt, once bash reads with its line editor.
        session.expect("$ ").expect("a prompt");
        session
            .send_line(format!("source {}; echo sourced", script.display()))
            .expect("type");
        session.expect("sourced\r\n$ ").expect("the script is read");
        // One candidate completes in place; several are listed on a second
        // Tab. The word first, then Tab once it is echoed: sent in one piece
        // with the word, the Tab went unanswered now and then. Bash prints
        // its prompt before its line editor takes the terminal, and what is
        // typed in between may be flushed: a person waits for the cursor.
        // So it is typed again (after Ctrl-U, which clears the line) when it
        // is not echoed within a few seconds, each try a little later.
        session.set_expect_timeout(Some(Duration::from_secs(4)));
        let mut echoed = false;
        for attempt in 0..6 {
            std::thread::sleep(Duration::from_millis(300 + 200 * attempt));
            session.send("\u{15}versus migr").expect("type");
            if session.expect("versus migr").is_ok() {
                echoed = true;
                break;
            }
        }
        if echoed {
            ready = Some(session);
            break;
        }
        let mut rest = vec![0u8; 4096];
        let n = session.try_read(&mut rest).unwrap_or(0);
        last_seen = String::from_utf8_lossy(&rest[..n]).into_owned();
    }
    let Some(mut session) = ready else {
        panic!("the word is never echoed, in three sessions: {last_seen:?}");
    };
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session.send("\t").expect("type");
    // Readline writes what it adds to the word.
    session.expect("ate ").expect("migr completes to migrate");
    session.send("\u{15}versus --color \t\t").expect("type");
    session
        .expect("always")
        .expect("the values of --color are listed");
    session
        .expect("never")
        .expect("the values of --color are listed");
    session.send("\u{15}versus completions \t\t").expect("type");
    session.expect("powershell").expect("the shells are listed");
    session.send("\u{15}exit\n").expect("type");
}

/// What bash's completion function of `versus completions bash` offers for
/// the line `words` (the last word is the one being completed; "" after a
/// space), as the words it would offer.
fn bash_offers(bash: &std::path::Path, script: &std::path::Path, words: &[&str]) -> Vec<String> {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; _versus versus \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        script.display(),
        quoted.join(" "),
        words.len() - 1
    );
    let out = std::process::Command::new(bash)
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("run bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// The completion scripts offer each command only the global options it
/// takes, and `--format` only its formats: `init --format` and `query
/// --format text` were offered, and then refused.
#[test]
fn completions_offer_only_what_each_command_takes() {
    let Some(bash) = crate::support::system_tool("bash") else {
        return;
    };
    let env = Env::new();
    let script = env.path("versus.bash");
    let out = env.versus(&["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    std::fs::write(&script, &out.stdout).unwrap();
    let offers = |words: &[&str]| bash_offers(&bash, &script, words);
    assert_eq!(
        offers(&["versus", "init", "--"]),
        ["--db", "--busy-timeout", "--help"]
    );
    let query = offers(&["versus", "query", "x", "--"]);
    for flag in ["--param", "--format", "--csv", "--no-headers", "--queries"] {
        assert!(query.iter().any(|f| f == flag), "{flag}: {query:?}");
    }
    assert_eq!(
        offers(&["versus", "query", "x", "--format", ""]),
        ["table", "csv", "tsv", "json", "jsonl", "markdown"]
    );
    assert_eq!(
        offers(&["versus", "export", "x", "--format", ""]),
        ["text", "json", "jsonl"]
    );
    assert_eq!(
        offers(&["versus", "show", "x", "--format", ""]),
        ["table", "markdown", "json"]
    );
    let show = offers(&["versus", "show", "x", "--"]);
    assert!(
        !show.iter().any(|f| f == "--csv" || f == "--queries"),
        "{show:?}"
    );
    // Each offer is taken: a flag and a format the command accepts.
    env.init();
    for format in offers(&["versus", "query", "x", "--format", ""]) {
        env.versus(&["query", "documents", "--format", &format])
            .assert()
            .success();
    }
    // Fish and zsh are made from the same definition.
    let fish = String::from_utf8(
        env.versus(&["completions", "fish"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        !fish.contains("__fish_versus_using_subcommand init\" -l format"),
        "{fish}"
    );
    let query_format = fish
        .lines()
        .find(|l| l.contains("__fish_versus_using_subcommand query\" -l format"))
        .expect("query's --format");
    assert!(
        query_format.contains("jsonl") && !query_format.contains("text\\t"),
        "{query_format}"
    );
    let zsh =
        String::from_utf8(env.versus(&["completions", "zsh"]).output().unwrap().stdout).unwrap();
    let init = zsh
        .split("(init)")
        .nth(1)
        .and_then(|rest| rest.split(";;").next())
        .expect("init's arguments");
    assert!(
        init.contains("--busy-timeout") && !init.contains("--format"),
        "{init}"
    );
}

#[test]
fn the_man_page_names_every_command() {
    let env = Env::new();
    let out = env.versus(&["man"]).output().expect("versus runs");
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(page.contains(".TH versus 1"), "{page}");
    for command in [
        "import",
        "resolve",
        "query",
        "queries",
        "search",
        "sql",
        "check",
        "completions",
    ] {
        assert!(
            // Each command is named as it is typed, with where its
            // options are.
            page.contains(&format!(
                "\\fBversus {command}\\fR (\\fBversus {command} \\-\\-help\\fR for its options)"
            )),
            "{command}"
        );
    }
    // No page it points to is missing: it is the only page.
    assert!(!page.contains("(1)"), "{page}");
    assert!(!env.db().exists(), "man creates no database");
}

#[test]
fn a_pager_that_fails_is_never_silent_and_a_shell_pager_command_is_run() {
    let env = Env::seeded();
    // A pager that ends at once, failing: said, with a non-zero exit.
    let screen = in_terminal(
        &env,
        (80, 10),
        &[("VERSUS_PAGER", "false")],
        &["query", "comparison table"],
    );
    assert_eq!(screen.code, 1, "{}", screen.text);
    assert!(
        screen
            .text
            .contains("versus: the pager `false` ended with exit status 1, so the output may not have been shown; run again with --no-pager"),
        "{}",
        screen.text
    );
    // One that may not run: said, and the output shown.
    let pager = env.write("pager.sh", "#!/bin/sh\ncat\n");
    let screen = in_terminal(
        &env,
        (80, 10),
        &[("VERSUS_PAGER", pager.to_str().unwrap())],
        &["query", "comparison table"],
    );
    assert_eq!(screen.code, 0, "{}", screen.text);
    assert!(
        screen.text.contains("not a program that may run"),
        "{}",
        screen.text
    );
    assert!(screen.text.contains("Leon Trotsky"), "{}", screen.text);
    // Commands sh runs: a variable set for the pager, a path from ~.
    std::fs::create_dir(env.path("bin")).unwrap();
    let marking = env.write("bin/p", "#!/bin/sh\nsed 's/^/PAGED|/'\n");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&marking, std::fs::Permissions::from_mode(0o755)).unwrap();
    for command in ["LESS=R ~/bin/p", "~/bin/p"] {
        let screen = in_terminal(
            &env,
            (80, 10),
            &[("VERSUS_PAGER", command)],
            &["query", "comparison table"],
        );
        assert_eq!(screen.code, 0, "{command}: {}", screen.text);
        assert!(screen.text.contains("PAGED|"), "{command}: {}", screen.text);
    }
}

/// What a person sees at 40, 80 and 200 columns, as golden files
/// (`tests/expected/terminal/`): search, show, the main job and status,
/// on the seed and the Lenin fixture, in a pseudo-terminal.
#[test]
fn what_a_person_sees_at_40_80_and_200_columns() {
    let env = seeded_with_lenin();
    let views: [(&str, &[&str]); 4] = [
        ("search", &["search", "revolution"]),
        ("show", &["show", "stalin-vs-trotsky"]),
        ("differences", &["query", "foreign policy differences"]),
        ("status", &["status"]),
    ];
    for width in [40u16, 80, 200] {
        for (name, args) in views {
            let mut full = vec!["--color", "never"];
            full.extend_from_slice(args);
            let screen = in_terminal(&env, (width, 500), &[("VERSUS_PAGER", "")], &full);
            assert_eq!(screen.code, 0, "{name} at {width}: {}", screen.text);
            assert!(
                screen.widest() <= usize::from(width),
                "{name} at {width}:\n{}",
                screen.text
            );
            assert_golden(
                &format!("terminal/{name}-{width}.txt"),
                &without_times(&screen.text),
            );
        }
    }
}
