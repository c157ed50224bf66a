//! `versus shell`: the prompt in a pseudo-terminal (expectrl), as a person
//! types at it: completion, Ctrl-C, errors, the write guard and the history
//! between sessions; and standard input from a pipe, read as a script.

use std::path::Path;
use std::time::{Duration, Instant};

use expectrl::Expect;
use expectrl::session::OsSession;

use crate::support::{Env, GREENSPAN, ONEILL, versus_binary};

/// The seed, `ONEILL` and `GREENSPAN` (two documents whose figures share a
/// surname, with quotes, an apostrophe and letters beyond A-Z), and a table
/// whose name needs quotes in SQL.
fn hostile_database(env: &Env) {
    env.init();
    let files = [
        env.write("oneill.txt", ONEILL),
        env.write("greenspan.txt", GREENSPAN),
    ];
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.versus(&args).assert().success();
    env.versus(&[
        "sql",
        "--write",
        "CREATE TABLE \"notes ünï\"(body TEXT); INSERT INTO \"notes ünï\" VALUES ('it''s « ünï »')",
    ])
    .assert()
    .success();
}

/// `versus shell ARGS` at a prompt in a 100x50 terminal, in the test's
/// folder, with HOME at `home` and no pager; everything it shows is kept,
/// to show when an expectation fails.
struct Prompt {
    session: OsSession,
    seen: String,
}

impl Prompt {
    fn start(env: &Env, home: &Path, vars: &[(&str, &str)], args: &[&str]) -> Prompt {
        let mut cmd = env.terminal("sh");
        cmd.arg("-c")
            .arg("stty cols 100 rows 50; exec \"$0\" shell \"$@\"")
            .arg(versus_binary())
            .args(args)
            .env("HOME", home)
            .env("TERM", "xterm-256color")
            .env("VERSUS_PAGER", "");
        for (name, value) in vars {
            cmd.env(name, value);
        }
        let mut session = OsSession::spawn(cmd).expect("a pseudo-terminal");
        // The size is set from this side too: the pseudo-terminal's own
        // 80x24, set as it is made, sometimes came after `stty` and the
        // tables were drawn 80 columns wide.
        session
            .get_process_mut()
            .set_window_size(100, 50)
            .expect("a size");
        // A terminal as a person has it: what is typed is echoed.
        session
            .get_process_mut()
            .set_echo(true, None)
            .expect("echo on");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        let mut prompt = Prompt {
            session,
            seen: String::new(),
        };
        prompt.expect("versus> ");
        prompt
    }

    /// Waits until the terminal shows `text`; what came before it is kept.
    fn expect(&mut self, text: &str) {
        match self.session.expect(text) {
            Ok(found) => self
                .seen
                .push_str(&String::from_utf8_lossy(found.as_bytes())),
            Err(e) => {
                let mut rest = vec![0u8; 65536];
                let n = self.session.try_read(&mut rest).unwrap_or(0);
                panic!(
                    "the terminal did not show {text:?} ({e}); it showed:\n{}{}",
                    self.seen,
                    String::from_utf8_lossy(&rest[..n])
                );
            }
        }
    }

    fn send(&mut self, keys: &str) {
        self.session.send(keys).expect("type");
    }

    /// Types a line and Enter.
    fn line(&mut self, text: &str) {
        self.send(&format!("{text}\r"));
    }

    /// Ctrl-D on an empty line at the next prompt: the shell ends; its exit
    /// code.
    fn leave(mut self) -> i32 {
        // Typed before the line editor reads, Ctrl-D would be the
        // terminal's end of a line instead.
        self.expect("versus> ");
        self.send("\u{4}");
        if let Err(e) = self.session.expect(expectrl::Eof) {
            panic!("the shell did not end on Ctrl-D ({e}):\n{}", self.seen);
        }
        match self.session.get_process().wait().expect("exit status") {
            expectrl::process::unix::WaitStatus::Exited(_, code) => code,
            other => panic!("versus did not exit: {other:?}"),
        }
    }
}

#[test]
fn tab_completes_query_names_parameters_values_and_table_names() {
    let env = Env::new();
    hostile_database(&env);
    let mut shell = Prompt::start(&env, env.dir.path(), &[], &[]);

    // A query's name of several words, then a parameter and its value.
    shell.send("foreign po\t");
    shell.expect("foreign policy differences ");
    shell.send("docu\t");
    shell.expect("document=");
    shell.send("o-neill-vs-g\t");
    shell.expect("document=o-neill-vs-greenspan ");
    shell.send("\r");
    shell.expect("Toured Africa with Bono");
    shell.expect("(2 rows)");

    // A figure's value is quoted, its quotes escaped, so that it reads back.
    shell.send("mentions figure=tho\t");
    shell.expect(r#"figure="Thomas \"Tip\" O'Neill" "#);
    shell.send("\r");
    shell.expect("O'Neill's leadership rested on");
    shell.expect("O'Neill defended the programmes of the");
    shell.expect("(2 rows)");

    // A table name, and one that SQL needs in quotes.
    shell.send("SELECT count(*) AS n FROM document_fi\t");
    shell.expect("FROM document_figures");
    shell.send(";\r");
    shell.expect("│ 6 │");
    shell.send("SELECT body FROM notes\t");
    shell.expect("SELECT body FROM \"notes ünï\"");
    shell.send(";\r");
    shell.expect("it's « ünï »");

    // Dot-commands and their arguments.
    shell.send(".sch\t");
    shell.expect(".schema ");
    shell.send("section_p\t");
    shell.expect(".schema section_paragraphs ");
    shell.send("\r");
    shell.expect("CREATE VIEW section_paragraphs");
    assert_eq!(shell.leave(), 0);
}

#[test]
fn ctrl_c_stops_a_long_statement_and_the_shell_goes_on() {
    let env = Env::seeded();
    let mut shell = Prompt::start(&env, env.dir.path(), &[], &[]);
    shell.line(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c;",
    );
    // Long enough for the statement to be running, not the line editor.
    std::thread::sleep(Duration::from_millis(1500));
    let pressed = Instant::now();
    shell.send("\u{3}");
    shell.expect("interrupted by Ctrl-C; the query was stopped");
    assert!(
        pressed.elapsed() < Duration::from_secs(10),
        "stopped only after {:?}",
        pressed.elapsed()
    );
    shell.expect("versus> ");
    shell.line("SELECT 41 + 1 AS answer;");
    shell.expect("│ 42     │");

    // On a line being typed, Ctrl-C drops it, and SQL begun on the lines
    // before it, and the shell goes on.
    shell.send("SELECT 'dropped'\r");
    shell.expect("...> ");
    shell.send("half typed\u{3}");
    shell.expect("versus> ");
    shell.line("SELECT 'kept' AS word;");
    shell.expect("│ kept │");
    assert!(!shell.seen.contains("│ dropped"), "{}", shell.seen);
    assert_eq!(shell.leave(), 0);
}

#[test]
fn an_error_is_one_line_and_the_next_line_works() {
    let env = Env::seeded();
    let mut shell = Prompt::start(&env, env.dir.path(), &[], &[]);
    shell.line("SELECT nope FROM documents;");
    shell.expect("versus: no such column: nope");
    shell.expect("versus> ");
    shell.line("foriegn policy diferences");
    shell.expect("did you mean \"foreign policy differences\"");
    shell.expect("versus> ");
    shell.line("mentions figure=\"Leon");
    shell.expect("is not closed");
    shell.line(".tabels");
    shell.expect("no dot-command .tabels; did you mean .tables?");
    shell.line("summary");
    shell.expect("│ stalin-vs-trotsky │");
    shell.expect("(1 row)");
    // SQL over several lines, with a ; inside a string and a comment.
    shell.send("SELECT ';' AS semi, -- not the end;\r");
    shell.expect("...> ");
    shell.send("  'two' AS lines;\r");
    shell.expect("│ ;    │ two   │");
    // Lines pasted at once run one by one, as if typed.
    shell.expect("versus> ");
    shell.send(
        "\u{1b}[200~SELECT 'pasted' AS p;\nsections document=stalin-vs-trotsky\n\u{1b}[201~\r",
    );
    shell.expect("│ pasted │");
    shell.expect("│ Legacy ");
    assert_eq!(shell.leave(), 0);
}

#[test]
fn results_are_paged_as_the_commands_page_them_and_dot_format_changes_them() {
    let env = Env::seeded();
    let mut shell = Prompt::start(
        &env,
        env.dir.path(),
        &[("VERSUS_PAGER", "sed 's/^/PAGED|/'")],
        &[],
    );
    shell.line(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 80) SELECT i FROM n;",
    );
    shell.expect("PAGED|(80 rows)");
    shell.line(".format csv");
    shell.line("SELECT 'a,b' AS x, NULL AS y;");
    // NULL is an empty field (CSV's \r\n is \r\r\n on the terminal).
    shell.expect("\"a,b\",\r");
    shell.line(".format");
    shell.expect("format: csv");
    shell.line(".format text");
    shell.expect("no format \"text\" for results");
    assert_eq!(shell.leave(), 0);
}

#[test]
fn a_write_is_refused_without_write_and_allowed_with_it() {
    let env = Env::seeded();
    let before = crate::support::bytes(&env.db());
    let mut shell = Prompt::start(&env, env.dir.path(), &[], &[]);
    shell.line("CREATE TABLE notes(body TEXT);");
    shell.expect("refused CREATE TABLE notes");
    shell.expect("start it with `versus shell --write`");
    shell.line("UPDATE documents SET title = 'x';");
    shell.expect("refused UPDATE of documents");
    shell.line("SELECT count(*) AS n FROM documents;");
    shell.expect("│ 1 │");
    assert_eq!(shell.leave(), 0);
    assert_eq!(crate::support::bytes(&env.db()), before, "nothing written");

    let mut shell = Prompt::start(&env, env.dir.path(), &[], &["--write"]);
    shell.line(
        "CREATE TABLE notes(body TEXT); INSERT INTO notes VALUES ('Zola''s « J''accuse…! »'), ('ünï');",
    );
    shell.expect("committed 2 statements, 2 rows changed");
    // Each line is its own transaction: one that fails changes nothing.
    shell.line("INSERT INTO notes VALUES ('lost'); INSERT INTO nowhere VALUES (1);");
    shell.expect("no such table: nowhere");
    shell.line("BEGIN;");
    shell.expect("the --write script holds BEGIN");
    shell.line("SELECT body FROM notes ORDER BY rowid;");
    shell.expect("Zola's « J'accuse…! »");
    shell.expect("(2 rows)");
    assert_eq!(shell.leave(), 0);
    assert_eq!(
        env.rows(&env.db(), "SELECT body FROM notes ORDER BY rowid"),
        ["Zola's « J'accuse…! »", "ünï"]
    );
}

#[test]
fn history_is_kept_between_sessions_and_found_with_ctrl_r_and_up() {
    let env = Env::seeded();
    let home = env.path("home");
    std::fs::create_dir(&home).expect("a home folder");
    let mut shell = Prompt::start(&env, &home, &[], &[]);
    shell.line("SELECT 'remembered ünï' AS marker;");
    shell.expect("│ remembered ünï │");
    shell.send("SELECT 'two'\r");
    shell.expect("...> ");
    shell.send("  AS lines;\r");
    shell.expect("│ two   │");
    assert_eq!(shell.leave(), 0);
    let file = home.join(".local/share/versus/history");
    let text = std::fs::read_to_string(&file).expect("the history file");
    assert!(
        text.contains("SELECT 'remembered ünï' AS marker;"),
        "{text}"
    );

    // The next session finds both: Ctrl-R by a word, Up for the last one.
    let mut shell = Prompt::start(&env, &home, &[], &[]);
    shell.send("\u{12}rememb");
    shell.expect("SELECT 'remembered ünï' AS marker;");
    shell.send("\r");
    shell.expect("│ remembered ünï │");
    shell.send("\u{1b}[A\u{1b}[A");
    shell.expect("  AS lines;");
    shell.send("\r");
    shell.expect("│ two   │");
    assert_eq!(shell.leave(), 0);

    // XDG_DATA_HOME comes first.
    let data = env.path("data");
    let mut shell = Prompt::start(
        &env,
        &home,
        &[("XDG_DATA_HOME", data.to_str().expect("a UTF-8 path"))],
        &[],
    );
    shell.line("SELECT 'elsewhere' AS marker;");
    shell.expect("│ elsewhere │");
    assert_eq!(shell.leave(), 0);
    let text = std::fs::read_to_string(data.join("versus/history")).expect("the history file");
    assert!(text.contains("'elsewhere'"), "{text}");
}

#[test]
fn a_history_that_cannot_be_written_is_one_warning_and_the_shell_works() {
    let env = Env::seeded();
    // The history's folder would be under a file; the history file is a
    // folder.
    let blocker = env.write("not-a-folder", "");
    let occupied = env.path("occupied");
    std::fs::create_dir_all(occupied.join("versus/history")).expect("a folder");
    for data in [blocker, occupied] {
        let mut shell = Prompt::start(
            &env,
            env.dir.path(),
            &[("XDG_DATA_HOME", data.to_str().expect("a UTF-8 path"))],
            &[],
        );
        shell.line("SELECT 'still works' AS w;");
        shell.expect("│ still works │");
        shell.line("SELECT 'twice' AS w;");
        shell.expect("│ twice │");
        let seen = shell.seen.clone();
        assert_eq!(shell.leave(), 0);
        let warnings = seen
            .lines()
            .filter(|l| l.contains("versus: ") && l.contains("history"))
            .count();
        assert_eq!(warnings, 1, "{}:\n{seen}", data.display());
    }
}

#[test]
fn a_script_of_queries_sql_and_dot_commands_prints_results_only() {
    let env = Env::new();
    hostile_database(&env);
    let script = r#"-- a comment alone is nothing to run
figures document="Thomas \"Tip\" O'Neill vs. Sam Rayburn"
SELECT name,
       length(name) AS chars  -- a ; in a comment does not end it
  FROM figures
 WHERE name LIKE '%O''Neill%'
 ORDER BY name;

.format tsv
section heading="économie politique" document=o-neill-vs-rayburn
SELECT 'a;b' AS semi; SELECT NULL AS nul, '' AS empty;
.quit
SELECT 'never run';
"#;
    let out = env
        .versus(&["shell", "--format", "csv"])
        .write_stdin(script)
        .output()
        .expect("versus runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_eq!(
        String::from_utf8(out.stdout).expect("UTF-8"),
        "figure,documents,compared_in\r\n\
         Sam Rayburn,1,o-neill-vs-rayburn\r\n\
         \"Thomas \"\"Tip\"\" O'Neill\",1,o-neill-vs-rayburn\r\n\
         name,chars\r\n\
         Paul O'Neill,12\r\n\
         \"Thomas \"\"Tip\"\" O'Neill\",20\r\n\
         document\tsection\tparagraph_no\tfigure\ttext\n\
         o-neill-vs-rayburn\tÉconomie Politique\t1\tThomas \"Tip\" O'Neill\tO'Neill defended the programmes of the New Deal against the Reagan budgets.\n\
         o-neill-vs-rayburn\tÉconomie Politique\t2\tSam Rayburn\tRayburn steered New Deal laws through the House under Roosevelt.\n\
         semi\n\
         a;b\n\
         nul\tempty\n\
         \t\n"
    );
}

#[test]
fn a_script_stops_at_the_first_error_with_its_exit_code() {
    let env = Env::seeded();
    for (bad, code, says) in [
        (
            "INSERT INTO documents(slug) VALUES ('x');",
            6,
            "line 2 of the script: refused INSERT into documents",
        ),
        (
            "SELECT nope\n  FROM documents;",
            1,
            "line 2 of the script: no such column: nope",
        ),
        (
            "foriegn policy diferences",
            2,
            "line 2 of the script: no query named",
        ),
        (".tabels", 2, "line 2 of the script: no dot-command .tabels"),
    ] {
        let script = format!("SELECT 1 AS one;\n{bad}\nSELECT 2 AS two;\n");
        let out = env
            .versus(&["shell", "--format", "csv"])
            .write_stdin(script)
            .output()
            .expect("versus runs");
        assert_eq!(out.status.code(), Some(code), "{bad}");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            "one\r\n1\r\n",
            "{bad}"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!("versus: {says}")),
            "{bad}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // SQL left without its ; at the end of the script runs, as in sqlite3.
    let out = env
        .versus(&["shell", "--format", "csv"])
        .write_stdin("SELECT 'last' AS w")
        .output()
        .expect("versus runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "w\r\nlast\r\n");
}

#[test]
fn the_shell_creates_the_default_database_as_the_other_read_commands_do_and_says_so() {
    let env = Env::new();
    env.versus(&["shell"])
        .write_stdin(".tables\n")
        .assert()
        .success()
        .stderr("versus: created versus.db with the bundled seed document (stalin-vs-trotsky); use --db or VERSUS_DB to choose another database\n");
    assert_eq!(env.files(), ["versus.db"]);
}

#[test]
fn shell_write_answers_what_sql_write_answers() {
    let env = Env::seeded();
    for statement in [
        "PRAGMA foreign_keys = OFF;",
        "ATTACH 'other.db' AS other;",
        "SELECT load_extension('x');",
    ] {
        let sql = env.versus(&["sql", "--write", statement]).output().unwrap();
        let shell = env
            .versus(&["shell", "--write"])
            .write_stdin(format!("{statement}\n"))
            .output()
            .unwrap();
        assert_eq!(shell.status.code(), sql.status.code(), "{statement}");
        let said = |out: &std::process::Output| {
            String::from_utf8_lossy(&out.stderr)
                .replace("line 1 of the script: ", "")
                .to_string()
        };
        assert_eq!(said(&shell), said(&sql), "{statement}");
        assert!(!said(&shell).contains("start it with"), "{statement}");
    }
    assert!(!env.files().contains(&"other.db".to_string()));
}

#[test]
fn a_script_that_starts_with_a_byte_order_mark_reads_as_without_it() {
    let env = Env::seeded();
    let plain = env
        .versus(&["shell", "--csv"])
        .write_stdin("summary\n")
        .output()
        .unwrap();
    let marked = env
        .versus(&["shell", "--csv"])
        .write_stdin("\u{feff}summary\n")
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert_eq!(
        marked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&marked.stderr)
    );
    assert_eq!(marked.stdout, plain.stdout);
}
