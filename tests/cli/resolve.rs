//! Table rows kept as written, and `versus resolve`: the named query
//! `unresolved`, `check`'s listing, the mark in `show`, settling a row in a
//! script (`--line`/`--row` and `--cells`) and on a terminal (a walk in a
//! pseudo-terminal, as a person answers it), and a resolution kept for the
//! next import.

use std::time::Duration;

use expectrl::Expect;
use expectrl::session::OsSession;

use crate::support::*;

/// A document whose table has two rows no reader can split without
/// knowing the composers: `Symphonies941` on line 13 (9 | 41 or 94 | 1)
/// and `rows` on line 14.
fn composers(second: &str) -> String {
    format!(
        "vs.

Ludwig van Beethoven vs. Wolfgang Amadeus Mozart

What's the Difference?

Ludwig van Beethoven and Wolfgang Amadeus Mozart wrote symphonies, concertos and operas in Vienna.

Comparison

AttributeLudwig van BeethovenWolfgang Amadeus Mozart
BornBonnSalzburg
Symphonies941
{second}

Further Detail

Works

Beethoven wrote one opera, Fidelio, and revised it twice.

Mozart wrote more than twenty operas for Vienna and Prague.
"
    )
}

const CONCERTOS: &str = "Piano concertos527";

fn imported(env: &Env, text: &str) -> std::path::PathBuf {
    env.init();
    let path = env.write("beethoven-vs-mozart.txt", text);
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success();
    path
}

const SLUG: &str = "beethoven-vs-mozart";

/// What `versus ARGS --csv` writes, with its CRLF line ends as `\n`.
fn csv(env: &Env, args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.push("--csv");
    stdout_of(&mut env.versus(&args)).replace("\r\n", "\n")
}

#[test]
fn the_named_query_unresolved_lists_each_row_with_its_line_and_readings() {
    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    assert_eq!(
        csv(&env, &["query", "unresolved"]),
        "document,line,row,text,reading_1,reading_2,reading_3\n\
             beethoven-vs-mozart,13,2,Symphonies941,Symphonies | 9 | 41,Symphonies | 94 | 1,Symphonies9 | 4 | 1\n\
             beethoven-vs-mozart,14,3,Piano concertos527,Piano concertos | 5 | 27,Piano concertos | 52 | 7,Piano concerto | s | 527\n",
    );
    // The named query `comparison table` shows such a row as its text
    // with no values, in its place.
    assert_eq!(
        csv(
            &env,
            &[
                "query",
                "comparison table",
                "-p",
                "document=beethoven-vs-mozart"
            ]
        ),
        "document,attribute,Ludwig van Beethoven,Wolfgang Amadeus Mozart\n\
         beethoven-vs-mozart,Born,Bonn,Salzburg\n\
         beethoven-vs-mozart,Symphonies941,,\n\
         beethoven-vs-mozart,Piano concertos527,,\n"
    );
    // By title too, and nothing for a document with none.
    env.versus(&[
        "query",
        "unresolved",
        "-p",
        "document=Ludwig van Beethoven vs. Wolfgang Amadeus Mozart",
        "--csv",
    ])
    .assert()
    .success()
    .stdout(predicates::str::contains("Piano concertos527"));
    assert_eq!(
        csv(
            &env,
            &["query", "unresolved", "-p", "document=stalin-vs-trotsky"]
        ),
        "document,line,row,text,reading_1,reading_2,reading_3\n"
    );
}

#[test]
fn check_lists_rows_that_need_a_decision_as_no_damage_and_show_marks_them() {
    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    let out = env
        .versus(&["check"])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("versus.db is whole: "), "{stdout}");
    assert_eq!(
        &lines[1..],
        [
            "2 table rows need a decision (not damage): `versus resolve` walks them",
            "document beethoven-vs-mozart, line 13: the table row \"Symphonies941\" is kept as written, unresolved: it needs a decision, which is not damage; `versus resolve beethoven-vs-mozart --line 13` shows its readings to pick from, or takes the cells with --cells \"Attribute | value | value\"",
            "document beethoven-vs-mozart, line 14: the table row \"Piano concertos527\" is kept as written, unresolved: it needs a decision, which is not damage; `versus resolve beethoven-vs-mozart --line 14` shows its readings to pick from, or takes the cells with --cells \"Attribute | value | value\"",
        ]
    );
    assert_eq!(out.stderr, b"");

    let markdown = stdout_of(&mut env.versus(&["show", SLUG, "--markdown"]));
    assert!(
        markdown.contains(
            "| Born | Bonn | Salzburg |\n\
             | Symphonies941 | ? | ? |\n\
             | Piano concertos527 | ? | ? |\n\
             \n\
             *? 2 rows are kept as written, unresolved: versus could not tell for sure where its cells begin; `versus resolve` settles them*\n"
        ),
        "{markdown}"
    );
}

#[test]
fn a_row_settled_in_a_script_is_split_kept_byte_exact_and_not_asked_about_again() {
    let env = Env::new();
    let text = composers(CONCERTOS);
    let path = imported(&env, &text);
    let before = bytes(&env.db());

    // Cells that change the text, the wrong number of cells, a line with
    // no such row, a document that has none: exit 2, nothing changes.
    for (args, message) in [
        (
            vec!["--line", "13", "--cells", "Symphonies | 9 | 4"],
            "versus: the cells do not settle the row at beethoven-vs-mozart, line 13: the cells join into \"Symphonies94\", not the row's text \"Symphonies941\": a resolution places the boundaries and never changes the text; nothing was changed\n",
        ),
        (
            vec!["--line", "13", "--cells", "Symphonies | 941"],
            "versus: the cells do not settle the row at beethoven-vs-mozart, line 13: 2 cells are given; the row needs 3: the attribute, then one value for each of Ludwig van Beethoven and Wolfgang Amadeus Mozart (separate them with \" | \"); nothing was changed\n",
        ),
        (
            vec!["--line", "13", "--cells", "Symphonies9 | 41"],
            "versus: the cells do not settle the row at beethoven-vs-mozart, line 13: 2 cells are given; the row needs 3: the attribute, then one value for each of Ludwig van Beethoven and Wolfgang Amadeus Mozart (separate them with \" | \"); nothing was changed\n",
        ),
        (
            vec!["--line", "12", "--cells", "Born | Bonn | Salzburg"],
            "versus: beethoven-vs-mozart has no table row that needs a decision at line 12; those that do are at line 13, line 14 (`versus query unresolved --param document=beethoven-vs-mozart` lists them)\n",
        ),
    ] {
        let mut all = vec!["resolve", SLUG];
        all.extend(args);
        env.versus(&all).assert().code(2).stdout("").stderr(message);
        assert_eq!(bytes(&env.db()), before, "{all:?} changed nothing");
    }
    env.versus(&[
        "resolve",
        "stalin-vs-trotsky",
        "--line",
        "13",
        "--cells",
        "a | b | c",
    ])
    .assert()
    .code(2)
    .stderr("versus: stalin-vs-trotsky has no table row that needs a decision\n");

    env.versus(&[
        "resolve",
        SLUG,
        "--line",
        "13",
        "--cells",
        "Symphonies | 9 | 41",
    ])
    .assert()
    .success()
    .stdout("settled beethoven-vs-mozart, line 13: Symphonies | 9 | 41\n")
    .stderr("");
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT attribute, figure, value FROM comparison_table WHERE document = 'beethoven-vs-mozart'"
        ),
        [
            "Born|Ludwig van Beethoven|Bonn",
            "Born|Wolfgang Amadeus Mozart|Salzburg",
            "Symphonies|Ludwig van Beethoven|9",
            "Symphonies|Wolfgang Amadeus Mozart|41",
            "Piano concertos527|NULL|NULL",
        ]
    );
    env.versus(&["export", SLUG])
        .assert()
        .success()
        .stdout(text.clone());
    env.versus(&["query", "unresolved", "--csv", "--no-headers"])
        .assert()
        .stdout(predicates::str::starts_with("beethoven-vs-mozart,14,3,"));

    // The same text again: unchanged, and only the other row is named.
    let shown = path.display().to_string();
    env.versus(&["import", &shown])
        .assert()
        .success()
        .stdout("unchanged beethoven-vs-mozart (Ludwig van Beethoven vs. Wolfgang Amadeus Mozart): 3 attributes (1 unresolved), 1 section, 2 paragraphs\n")
        .stderr(format!(
            "versus: {shown}:14: the table row \"Piano concertos527\" is kept as written, unresolved: no reading of it is clearly the best\n    1. Piano concertos | 5 | 27\n    2. Piano concertos | 52 | 7\n    3. Piano concerto | s | 527\nversus: 1 row in 1 document needs a decision: `versus resolve`\n"
        ));

    // A second document with the same row is split as the person said; a
    // row whose text changed is asked about again.
    let other = env.write(
        "other.txt",
        &composers(CONCERTOS)
            .replace("Ludwig van Beethoven", "Joseph Haydn")
            .replace("Beethoven", "Haydn")
            .replace("Symphonies941", "Symphonies1041")
            .replace(CONCERTOS, "Symphonies941"),
    );
    let out = env
        .versus(&["import", other.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("\"Symphonies1041\" is kept as written"),
        "{stderr}"
    );
    assert!(!stderr.contains("\"Symphonies941\""), "{stderr}");
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT value FROM comparison_table WHERE document = 'haydn-vs-mozart' AND attribute = 'Symphonies'"
        ),
        ["9", "41"]
    );
}

#[test]
fn settling_a_row_splits_it_in_every_document_that_holds_it() {
    let env = Env::seeded();
    let a = env.write("a.txt", &composers(CONCERTOS));
    let b = env.write(
        "b.txt",
        &composers("Operas122").replace("Ludwig van Beethoven", "Joseph Haydn"),
    );
    env.versus(&["import", a.to_str().unwrap(), b.to_str().unwrap()])
        .assert()
        .success();
    env.versus(&[
        "resolve",
        SLUG,
        "--line",
        "13",
        "--cells",
        "Symphonies | 9 | 41",
    ])
    .assert()
    .success()
    .stdout("settled beethoven-vs-mozart, line 13: Symphonies | 9 | 41 (split in haydn-vs-mozart too)\n");
    assert_eq!(
        csv(&env, &["query", "unresolved", "--no-headers"]),
        "beethoven-vs-mozart,14,3,Piano concertos527,Piano concertos | 5 | 27,Piano concertos | 52 | 7,Piano concerto | s | 527\n\
         haydn-vs-mozart,14,3,Operas122,Operas | 1 | 22,Operas | 12 | 2,Opera | s | 122\n"
    );
}

#[test]
fn a_document_imported_as_json_is_settled_by_its_row() {
    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    let json = stdout_of(&mut env.versus(&["export", SLUG, "--format", "json"]));
    let other = Env::new();
    other.init();
    let path = other.write("doc.json", &json);
    other
        .versus(&["import", path.to_str().unwrap()])
        .assert()
        .success();
    other
        .versus(&["query", "unresolved", "--csv", "--no-headers"])
        .assert()
        .stdout(predicates::str::starts_with(
            "beethoven-vs-mozart,,2,Symphonies941,",
        ));
    other
        .versus(&[
            "resolve",
            SLUG,
            "--row",
            "3",
            "--cells",
            "Piano concertos | 5 | 27",
        ])
        .assert()
        .success()
        .stdout("settled beethoven-vs-mozart, row 3: Piano concertos | 5 | 27\n");
    assert_eq!(
        other.rows(
            &other.db(),
            "SELECT value FROM comparison_table WHERE attribute = 'Piano concertos'"
        ),
        ["5", "27"]
    );
    // A row with no line is named by its place, in check's advice too.
    let listed = stdout_of(&mut other.versus(&["check"]));
    assert!(
        listed.contains("document beethoven-vs-mozart, row 2: the table row \"Symphonies941\"")
            && listed.contains("`versus resolve beethoven-vs-mozart --row 2`"),
        "{listed}"
    );
}

#[test]
fn without_a_terminal_resolve_asks_for_the_cells() {
    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    let before = bytes(&env.db());
    env.versus(&["resolve"])
        .write_stdin("1\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr("versus: versus resolve asks on a terminal, and standard input is not one; in a script give the cells: `versus resolve DOCUMENT --line N --cells \"Attribute | value | value\"` (`versus query unresolved` lists the rows, their lines and readings)\n");
    env.versus(&["resolve", "--cells", "a | b | c"])
        .assert()
        .code(2);
    assert_eq!(bytes(&env.db()), before);
}

/// `--cells` says what the row is, not which: without `--line` or `--row` it
/// is refused, whether rows are pending (the first one is not taken for it)
/// or none is.
#[test]
fn cells_without_a_line_or_a_row_is_a_usage_error() {
    let message = "versus: --cells needs --line N or --row N: which row to settle (`versus query unresolved` lists the rows, their lines and readings); nothing was changed\n";
    let env = Env::seeded();
    let before = bytes(&env.db());
    env.versus(&["resolve", "stalin-vs-trotsky", "--cells", "a | b | c"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(message);
    assert_eq!(bytes(&env.db()), before);

    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    let before = bytes(&env.db());
    env.versus(&["resolve", SLUG, "--cells", "Symphonies | 9 | 41"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(message);
    assert_eq!(bytes(&env.db()), before, "no row was settled");
}

/// `versus resolve ARGS` in a pseudo-terminal, in the test's folder.
struct Walk {
    session: OsSession,
    seen: String,
}

impl Walk {
    fn start(env: &Env, args: &[&str]) -> Walk {
        let mut cmd = env.terminal(versus_binary());
        cmd.arg("resolve")
            .args(args)
            .env("VERSUS_PAGER", "")
            .env("TERM", "xterm-256color");
        let mut session = OsSession::spawn(cmd).expect("a pseudo-terminal");
        session
            .get_process_mut()
            .set_echo(true, None)
            .expect("echo on");
        session.set_expect_timeout(Some(Duration::from_secs(30)));
        Walk {
            session,
            seen: String::new(),
        }
    }

    fn expect(&mut self, text: &str) {
        match self.session.expect(text) {
            Ok(found) => self
                .seen
                .push_str(&String::from_utf8_lossy(found.as_bytes())),
            Err(e) => panic!(
                "the terminal did not show {text:?} ({e}); it showed:\n{}",
                self.seen
            ),
        }
    }

    fn line(&mut self, text: &str) {
        self.session.send(format!("{text}\r")).expect("type");
    }

    fn exit_code(mut self) -> i32 {
        if let Err(e) = self.session.expect(expectrl::Eof) {
            panic!("resolve did not end ({e}):\n{}", self.seen);
        }
        match self.session.get_process().wait().expect("exit status") {
            expectrl::process::unix::WaitStatus::Exited(_, code) => code,
            other => panic!("versus did not exit: {other:?}"),
        }
    }
}

#[test]
fn on_a_terminal_resolve_walks_the_rows_picks_types_skips_and_stops() {
    let env = Env::new();
    let text = composers(CONCERTOS);
    imported(&env, &text);

    let mut walk = Walk::start(&env, &[]);
    walk.expect("row 1 of 2: beethoven-vs-mozart, line 13\r\n  Symphonies941\r\n  1. Symphonies | 9 | 41\r\n  2. Symphonies | 94 | 1\r\n  3. Symphonies9 | 4 | 1\r\n");
    walk.expect("1-3 picks a reading, or type the cells separated by \" | \" (attribute | Ludwig van Beethoven | Wolfgang Amadeus Mozart); s skips, q stops\r\n> ");
    walk.line("7");
    walk.expect("there is no reading 7\r\n> ");
    walk.line("yes");
    walk.expect(
        "type a reading's number, the cells separated by \" | \", s to skip or q to stop\r\n> ",
    );
    walk.line("1");
    walk.expect("settled beethoven-vs-mozart, line 13: Symphonies | 9 | 41");
    walk.expect("row 2 of 2: beethoven-vs-mozart, line 14");
    walk.expect("> ");
    walk.line("s");
    walk.expect("settled 1 row, skipped 1; 1 row still needs a decision");
    assert_eq!(walk.exit_code(), 0);

    // Typed cells; a typing error is said and asked again.
    let mut walk = Walk::start(&env, &[SLUG]);
    walk.expect("row 1 of 1: beethoven-vs-mozart, line 14");
    walk.expect("> ");
    walk.line("Piano concertos | 5 | 28");
    walk.expect("the cells join into \"Piano concertos528\", not the row's text \"Piano concertos527\": a resolution places the boundaries and never changes the text\r\n> ");
    walk.line("Piano concertos | 5 | 27");
    walk.expect("settled beethoven-vs-mozart, line 14: Piano concertos | 5 | 27");
    walk.expect("settled 1 row, skipped 0");
    assert_eq!(walk.exit_code(), 0);

    env.versus(&["export", SLUG])
        .assert()
        .success()
        .stdout(text);
    let mut walk = Walk::start(&env, &[]);
    walk.expect("no table row needs a decision");
    assert_eq!(walk.exit_code(), 0);
    env.versus(&["check"]).assert().success().stdout(
        predicates::prelude::PredicateBooleanExt::not(predicates::str::contains("need a decision")),
    );
}

#[test]
fn q_stops_the_walk_and_keeps_what_was_settled() {
    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    let mut walk = Walk::start(&env, &[]);
    walk.expect("> ");
    walk.line("2");
    walk.expect("settled beethoven-vs-mozart, line 13: Symphonies | 94 | 1");
    walk.expect("> ");
    walk.line("q");
    walk.expect("settled 1 row, skipped 0, stopped; 1 row still needs a decision");
    assert_eq!(walk.exit_code(), 0);
    assert_eq!(
        env.rows(&env.db(), "SELECT text, cells FROM row_resolutions"),
        ["Symphonies941|Symphonies | 94 | 1"]
    );
}

#[test]
fn a_document_another_tool_deleted_without_triggers_leaves_rows_check_repair_deletes() {
    let env = Env::new();
    imported(&env, &composers(CONCERTOS));
    // As a tool that sets versus's trigger aside, deletes with foreign keys
    // off and puts the trigger back.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let trigger: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'documents_cascade'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(&format!(
        "PRAGMA foreign_keys = OFF;
         DROP TRIGGER documents_cascade;
         DELETE FROM documents WHERE slug = 'beethoven-vs-mozart';
         {trigger};"
    ))
    .unwrap();
    drop(conn);
    let out = env.versus(&["check"]).assert().code(8).get_output().clone();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(
            "table unresolved_rows: 2 rows belong to a row of documents that does not exist"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("need a decision"), "{stdout}");
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout(predicates::str::contains("2 of unresolved_rows"));
    env.versus(&["check"]).assert().success();
    assert_eq!(env.count(&env.db(), "unresolved_rows"), 0);
}
