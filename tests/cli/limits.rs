//! Limits that must hold whatever SQLite is doing: `--timeout` and Ctrl-C
//! stop a statement stuck inside one function call, a write stopped that way
//! is rolled back from its journal by the next open, and an import whose
//! report cannot be printed says that its documents were stored.

use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// One call of `instr` that takes about a minute: SQLite's progress handler,
/// which runs between steps, is never called while it runs.
const STUCK: &str =
    "SELECT instr(hex(zeroblob(2000000)) || 'X', hex(zeroblob(200000)) || 'X') AS n";

#[test]
fn timeout_stops_a_statement_stuck_inside_one_function_call() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let began = Instant::now();
    env.versus(&["sql", STUCK, "--timeout", "1"])
        .timeout(Duration::from_secs(20))
        .assert()
        .code(7)
        .stdout("")
        .stderr("versus: the query ran longer than --timeout 1s and was stopped; narrow the query or raise --timeout\n");
    let took = began.elapsed();
    assert!(
        took < Duration::from_secs(3),
        "--timeout 1 stopped after {took:?}"
    );
    assert_eq!(bytes(&env.db()), before);
    assert_eq!(env.files(), ["versus.db"]);
}

#[test]
fn ctrl_c_stops_a_statement_stuck_inside_one_function_call() {
    let env = Env::seeded();
    let child = env
        .process()
        .args(["sql", STUCK])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let pressed = Instant::now();
    interrupt(child.id());
    let out = wait_at_most(child, Duration::from_secs(20));
    let took = pressed.elapsed();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "versus: interrupted by Ctrl-C; the query was stopped\n"
    );
    assert!(
        took < Duration::from_secs(3),
        "Ctrl-C took {took:?} to stop it"
    );
}

/// A `--write` stopped inside one step ends with the process: the pages it
/// already wrote to the file are put back from the journal by the next open
/// (as SQLite does after any crash), and the database is whole and usable.
#[test]
fn a_write_stopped_mid_statement_is_rolled_back_by_the_next_open() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let figures = env.rows(&env.db(), "SELECT id, name, surname FROM figures");
    let paragraphs = env.rows(&env.db(), "SELECT id, text FROM paragraphs");
    // A small page cache makes SQLite write the changed pages into the file
    // before the commit, with their old contents in the journal.
    let script = format!(
        "PRAGMA cache_size = 10; \
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000) \
         INSERT INTO figures (name, surname) SELECT 'n' || x, hex(randomblob(500)) FROM c; \
         UPDATE paragraphs SET text = 'gone'; \
         {STUCK}"
    );
    let began = Instant::now();
    env.versus(&["sql", "--write", &script, "--timeout", "1"])
        .timeout(Duration::from_secs(20))
        .assert()
        .code(7)
        .stdout("")
        .stderr("versus: nothing was changed: the unfinished transaction is rolled back from its journal when the database is next opened: the query ran longer than --timeout 1s and was stopped; narrow the query or raise --timeout\n");
    assert!(
        began.elapsed() < Duration::from_secs(5),
        "{:?}",
        began.elapsed()
    );
    // The process was ended inside the transaction, with changed pages
    // already in the file and their old contents in the journal.
    assert_eq!(env.files(), ["versus.db", "versus.db-journal"]);
    assert_ne!(bytes(&env.db()), before, "no page reached the file");
    // The next open, even a read, rolls it back.
    env.versus(&[
        "sql",
        "SELECT count(*) AS n FROM figures",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("n\r\n2\r\n");
    assert_eq!(env.files(), ["versus.db"]);
    assert_eq!(bytes(&env.db()), before, "the rollback restores every byte");
    assert_eq!(
        env.rows(&env.db(), "SELECT id, name, surname FROM figures"),
        figures
    );
    assert_eq!(
        env.rows(&env.db(), "SELECT id, text FROM paragraphs"),
        paragraphs
    );
    assert_eq!(env.rows(&env.db(), "PRAGMA integrity_check"), ["ok"]);
    env.versus(&[
        "sql",
        "--write",
        "UPDATE figures SET surname = upper(surname)",
    ])
    .assert()
    .success()
    .stderr("versus: committed 1 statement, 2 rows changed\n");
    assert_eq!(
        env.rows(&env.db(), "SELECT surname FROM figures ORDER BY id"),
        ["STALIN", "TROTSKY"]
    );
}

/// Once an import has committed, a failure to print its report (a full
/// disk on stdout) must not read as a failed import.
#[cfg(target_os = "linux")]
#[test]
fn an_import_whose_report_cannot_be_written_says_the_documents_were_stored() {
    assert!(
        std::path::Path::new("/dev/full").exists(),
        "this test needs /dev/full, which every Linux system has"
    );
    let env = Env::seeded();
    let lenin = env.write("lenin.txt", LENIN);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = env
        .process()
        .arg("import")
        .arg(&lenin)
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "versus: the documents were stored in versus.db (the import is committed), but its report could not be written: cannot write to standard output (check the disk or the file it goes to): No space left on device (os error 28)\n"
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        env.rows(&env.db(), "SELECT slug FROM documents ORDER BY id"),
        ["stalin-vs-trotsky", "lenin-vs-trotsky"]
    );
}

fn interrupt(pid: u32) {
    let sent = StdCommand::new("kill")
        .args(["-INT", &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Waits for the child; kills it and fails the test if it runs too long.
fn wait_at_most(mut child: std::process::Child, limit: Duration) -> std::process::Output {
    let began = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if began.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("versus still ran {limit:?} after Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_value_no_query_could_read_back_is_refused_at_import() {
    let env = Env::seeded();
    let huge = SEED.replacen(
        "Stalin's legacy is",
        &format!("Stalin's legacy is {} is", "x".repeat(100_000_001)),
        1,
    );
    let file = env.write("huge.txt", &huge);
    let before = bytes(&env.db());
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "a paragraph of \"Joseph Stalin vs. Leon Trotsky\" is 100000326 bytes, more than the 100000000 bytes one value may be when a query reads it",
        ));
    assert_eq!(bytes(&env.db()), before, "nothing was imported");
}
