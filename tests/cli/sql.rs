//! Ad-hoc SQL: parameters, read-only by default, `--write` in one
//! transaction, timeouts and Ctrl-C.

use crate::support::*;

#[test]
fn named_and_numbered_parameters_are_bound() {
    let env = Env::seeded();
    env.versus(&[
        "sql",
        "SELECT :name AS name, ?2 AS n, typeof(?2) AS t, :zip AS zip, typeof(:zip) AS zt",
        "-p",
        "name=Leon",
        "-p",
        "2=42",
        "-p",
        ":zip=02139",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("name,n,t,zip,zt\r\nLeon,42,integer,02139,text\r\n");
}

#[test]
fn only_values_written_as_sqlite_prints_a_number_bind_as_numbers_and_a_value_is_given_once() {
    let env = Env::seeded();
    for (value, shown, kind) in [
        ("1.5", "1.5", "real"),
        ("1.50", "1.50", "text"),
        ("-0.25", "-0.25", "real"),
        ("01.5", "01.5", "text"),
        ("7", "7", "integer"),
        ("007", "007", "text"),
    ] {
        env.versus(&[
            "sql",
            "SELECT :v AS v, typeof(:v) AS t",
            "-p",
            &format!("v={value}"),
            "--format",
            "csv",
            "--no-headers",
        ])
        .assert()
        .success()
        .stdout(format!("{shown},{kind}\r\n"));
    }
    // A value given twice is refused, as `versus query` refuses it.
    env.versus(&["sql", "SELECT :a", "-p", "a=1", "-p", "a=2"])
        .assert()
        .code(2)
        .stdout("")
        .stderr("versus: --param a is given twice; give each parameter once\n");
    env.versus(&[
        "query",
        "mentions",
        "-p",
        "figure=Trotsky",
        "-p",
        "figure=Stalin",
    ])
    .assert()
    .code(2)
    .stderr("versus: --param figure is given twice; give each parameter once\n");
}

#[test]
fn an_injection_through_a_parameter_is_just_data() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let hostile = "x'); DROP TABLE figures; --";
    env.versus(&[
        "sql",
        "SELECT name FROM figures WHERE name = :n OR :n = :n ORDER BY id LIMIT 1",
        "-p",
        &format!("n={hostile}"),
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("name\r\nJoseph Stalin\r\n");
    env.versus(&[
        "sql",
        "SELECT :n AS n",
        "-p",
        &format!("n={hostile}"),
        "--format",
        "tsv",
    ])
    .assert()
    .success()
    .stdout(format!("n\n{hostile}\n"));
    assert_eq!(bytes(&env.db()), before);
    assert_eq!(env.count(&env.db(), "figures"), 2);
}

#[test]
fn missing_and_unused_parameters_are_usage_errors() {
    let env = Env::seeded();
    env.versus(&["sql", "SELECT :a"]).assert().code(2).stderr(
        "versus: the SQL uses the parameter :a, which has no value; give it with --param a=VALUE\n",
    );
    env.versus(&["sql", "SELECT :a", "-p", "a=1", "-p", "b=2"])
        .assert()
        .code(2)
        .stderr("versus: --param b is not used by the SQL (its parameters: :a); check its name\n");
}

#[test]
fn sql_can_come_from_standard_input() {
    let env = Env::seeded();
    env.versus(&["sql", "-", "--format", "csv"])
        .write_stdin("SELECT count(*) AS n FROM paragraphs")
        .assert()
        .success()
        .stdout("n\r\n9\r\n");
}

#[test]
fn sql_errors_carry_sqlites_message() {
    let env = Env::seeded();
    env.versus(&["sql", "SELECT nope FROM figures"])
        .assert()
        .code(1)
        .stderr("versus: no such column: nope in SELECT nope FROM figures at offset 7; `versus sql \"SELECT name FROM pragma_table_info('TABLE')\"` lists a table's columns\n");
    env.versus(&["sql", "SELEC 1"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(
            "versus: near \"SELEC\": syntax error",
        ));
}

/// Every way to write without --write, each refused with the file unchanged
/// and no file created beside it.
#[test]
fn every_write_form_is_refused_without_write() {
    let env = Env::seeded();
    let cases: &[(&str, i32, &str)] = &[
        ("DROP TABLE figures", 6, "refused DROP TABLE figures"),
        ("DELETE FROM figures", 6, "refused DELETE from figures"),
        (
            "INSERT INTO figures (name, surname) VALUES ('a', 'b')",
            6,
            "refused INSERT into figures",
        ),
        (
            "UPDATE figures SET name = 'x'",
            6,
            "refused UPDATE of figures",
        ),
        (
            "REPLACE INTO figures (id, name, surname) VALUES (1, 'a', 'b')",
            6,
            "refused INSERT into figures",
        ),
        ("CREATE TABLE t (x)", 6, "refused CREATE TABLE t"),
        ("CREATE TEMP TABLE t (x)", 6, "refused CREATE TEMP TABLE"),
        (
            "CREATE INDEX i ON figures (surname)",
            6,
            "refused CREATE INDEX i",
        ),
        (
            "ALTER TABLE figures ADD COLUMN x",
            6,
            "refused ALTER TABLE figures",
        ),
        (
            "ATTACH 'other.db' AS other",
            6,
            "refused ATTACH of \"other.db\"",
        ),
        ("DETACH main", 6, "refused DETACH of main"),
        (
            "PRAGMA writable_schema = 1",
            6,
            "refused PRAGMA writable_schema=1",
        ),
        ("PRAGMA query_only = 0", 6, "refused PRAGMA query_only=0"),
        (
            "PRAGMA journal_mode = WAL",
            6,
            "refused PRAGMA journal_mode=WAL",
        ),
        (
            "PRAGMA user_version = 7",
            6,
            "refused PRAGMA user_version=7",
        ),
        ("VACUUM", 6, "refused VACUUM"),
        ("VACUUM INTO 'copy.db'", 6, "refused VACUUM"),
        ("ANALYZE", 6, "refused ANALYZE"),
        ("REINDEX", 6, "refused REINDEX"),
        (
            "SELECT load_extension('/tmp/nothing')",
            6,
            "refused the function load_extension()",
        ),
        (
            "WITH x AS (SELECT 1) DELETE FROM figures",
            6,
            "refused DELETE from figures",
        ),
        (
            "WITH x AS (SELECT 1) INSERT INTO figures (name, surname) SELECT 'a', 'b' FROM x",
            6,
            "refused INSERT into figures",
        ),
        (
            "SELECT * FROM pragma_writable_schema",
            6,
            "refused PRAGMA writable_schema",
        ),
        // A second statement is a usage error, whatever it is: versus sql
        // runs one statement (exit code 2, not the write refusal).
        ("SELECT 1; DROP TABLE figures", 2, "more than one statement"),
        ("SELECT 1; SELECT 2", 2, "more than one statement"),
        (
            "SELECT 1; SELECT 2; DROP TABLE nothing",
            2,
            "more than one statement",
        ),
        ("SELECT 1; not sql at all", 2, "more than one statement"),
    ];
    let before = bytes(&env.db());
    for (sql, code, message) in cases {
        let out = env.versus(&["sql", sql]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(*code), "{sql}: {stderr}");
        assert!(stderr.contains(message), "{sql}: {stderr}");
        if *code == 6 {
            assert!(stderr.contains("rerun with --write"), "{sql}: {stderr}");
        }
        assert_eq!(stderr.lines().count(), 1, "{sql}: {stderr}");
        assert_eq!(bytes(&env.db()), before, "{sql} changed the file");
        assert_eq!(env.files(), ["versus.db"], "{sql} created a file");
    }
}

#[test]
fn reading_pragmas_and_the_schema_are_allowed() {
    let env = Env::seeded();
    env.versus(&["sql", "PRAGMA table_info(figures)", "--format", "csv"])
        .assert()
        .success()
        .stdout("cid,name,type,notnull,dflt_value,pk\r\n0,id,INTEGER,0,,1\r\n1,name,TEXT,1,,0\r\n2,surname,TEXT,1,,0\r\n");
    env.versus(&["sql", "PRAGMA journal_mode", "--format", "csv"])
        .assert()
        .success()
        .stdout("journal_mode\r\ndelete\r\n");
    // A comment before a reading pragma does not hide it.
    env.versus(&["sql", "-- the mode\nPRAGMA journal_mode", "--format", "csv"])
        .assert()
        .success()
        .stdout("journal_mode\r\ndelete\r\n");
    // SQL whose only statement is followed by comments is one statement.
    env.versus(&["sql", "SELECT 1 AS one; -- done\n;", "--format", "csv"])
        .assert()
        .success()
        .stdout("one\r\n1\r\n");
    env.versus(&[
        "sql",
        "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("name\r\ncomparison_table\r\nsection_paragraphs\r\n");
}

#[test]
fn write_runs_every_statement_in_one_transaction() {
    let env = Env::seeded();
    env.versus(&[
        "sql",
        "--write",
        "UPDATE figures SET surname = upper(surname); INSERT INTO figures (name, surname) VALUES (:n, 'X') RETURNING name, surname",
        "-p",
        "n=Karl Marx",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("name,surname\r\nKarl Marx,X\r\n")
    .stderr("versus: committed 2 statements, 3 rows changed\n");
    assert_eq!(
        env.rows(&env.db(), "SELECT surname FROM figures ORDER BY id"),
        ["STALIN", "TROTSKY", "X"]
    );
}

#[test]
fn a_failing_statement_rolls_the_whole_write_back() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    env.versus(&["sql", "--write", "DELETE FROM paragraphs; INSERT INTO figures (name) VALUES ('no surname')"])
        .assert()
        .code(1)
        .stderr("versus: nothing was changed: the transaction was rolled back: NOT NULL constraint failed: figures.surname\n");
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn timeout_stops_an_endless_query() {
    let env = Env::seeded();
    env.versus(&["sql", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", "--timeout", "0.3"])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(7)
        .stderr("versus: the query ran longer than --timeout 0.3s and was stopped; narrow the query or raise --timeout\n");
    env.versus(&["query", "sections", "--timeout", "5", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "document,section_no,section,paragraphs\r\nstalin-vs-trotsky,1,Background,1\r\n",
        ));
}

#[test]
fn ctrl_c_stops_a_running_query_cleanly() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let child = env
        .process()
        .args(["sql", "--write", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) INSERT INTO figures (name, surname) SELECT 'n' || x, 's' FROM c"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "versus: nothing was changed: the transaction was rolled back: interrupted by Ctrl-C; the query was stopped\n"
    );
    assert_eq!(bytes(&env.db()), before);
    assert_eq!(env.files(), ["versus.db"], "no journal is left behind");
}

#[test]
fn the_change_count_counts_only_rows_changed() {
    let env = Env::seeded();
    env.versus(&[
        "sql",
        "--write",
        "UPDATE figures SET surname = surname WHERE id = 1; SELECT 1 AS one; SELECT 2 AS two",
    ])
    .assert()
    .success()
    .stdout("╭─────╮\n│ two │\n├─────┤\n│ 2   │\n╰─────╯\n(1 row)\n")
    .stderr("versus: committed 3 statements, 1 row changed\n");
    // Rows the search triggers change behind a statement are not counted.
    env.versus(&[
        "sql",
        "--write",
        "UPDATE paragraphs SET text = text || ' More.' WHERE id <= 2; CREATE TABLE notes (x)",
    ])
    .assert()
    .success()
    .stderr("versus: committed 2 statements, 2 rows changed\n");
}

#[test]
fn sql_with_no_statement_or_a_leading_comment() {
    let env = Env::seeded();
    for args in [
        &["sql", "-- just a comment"][..],
        &["sql", "--write", "  /* nothing */  "],
    ] {
        env.versus(args).assert().code(2).stderr(
            "versus: the SQL holds no statement, only comments or white space; give a statement\n",
        );
    }
    env.versus(&[
        "sql",
        "-- the figures\nSELECT count(*) AS n FROM figures",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("n\r\n2\r\n");
}

#[test]
fn duplicate_column_names_get_distinct_json_keys() {
    let env = Env::seeded();
    env.versus(&["sql", "SELECT 1 AS a, 2 AS a, 3 AS a", "--format", "jsonl"])
        .assert()
        .success()
        .stdout("{\"a\":1,\"a_2\":2,\"a_3\":3}\n");
}

/// A `--write` script runs in versus's one transaction, all of it or none: a
/// script that ends or opens a transaction itself is refused, and nothing
/// it did before the refusal is kept. SQLite's parser finds these
/// statements, so the words in a comment or a string do not count.
#[test]
fn a_write_script_that_controls_the_transaction_is_refused_and_changes_nothing() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let refusal = "but versus already runs the whole script in one transaction (all of it or nothing); leave out BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT and RELEASE\n";
    let cases: &[(&str, &str)] = &[
        (
            "DELETE FROM documents WHERE slug = 'stalin-vs-trotsky'; COMMIT; SELECT nosuchfunc()",
            "versus: the --write script holds COMMIT (or END), ",
        ),
        (
            "COMMIT; DELETE FROM figures",
            "versus: the --write script holds COMMIT (or END), ",
        ),
        (
            "DELETE FROM paragraphs; ROLLBACK",
            "versus: the --write script holds ROLLBACK, ",
        ),
        (
            "BEGIN; DELETE FROM paragraphs",
            "versus: the --write script holds BEGIN, ",
        ),
        (
            "SAVEPOINT a; DELETE FROM paragraphs; RELEASE a",
            "versus: the --write script holds SAVEPOINT a, ",
        ),
        // The END cannot be looked at before the table exists, so it is
        // found while the script runs: what ran before it is rolled back.
        (
            "CREATE TABLE t (x); INSERT INTO t VALUES (1); DELETE FROM paragraphs; END",
            "versus: nothing was changed: the transaction was rolled back: the --write script holds COMMIT (or END), ",
        ),
        (
            "CREATE TABLE t (x); INSERT INTO t VALUES (1); ROLLBACK TO t",
            "versus: nothing was changed: the transaction was rolled back: the --write script holds ROLLBACK TO t, ",
        ),
    ];
    for (sql, start) in cases {
        env.versus(&["sql", "--write", sql])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("{start}{refusal}"));
        assert_eq!(bytes(&env.db()), before, "{sql} changed the database");
        assert_eq!(env.files(), ["versus.db"], "{sql} left a file");
    }
    env.versus(&[
        "sql",
        "--write",
        "SELECT 'COMMIT' AS word /* ROLLBACK; */ -- BEGIN",
        "--format",
        "csv",
    ])
    .assert()
    .success()
    .stdout("word\r\nCOMMIT\r\n")
    .stderr("versus: committed 1 statement, 0 rows changed\n");
}

/// SQLite stops reading SQL text at a NUL byte, so the rest would be
/// dropped without a word: such SQL is refused.
#[test]
fn sql_from_standard_input_with_a_nul_byte_is_refused() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    for write in [false, true] {
        let mut args = vec!["sql", "-"];
        if write {
            args.push("--write");
        }
        env.versus(&args)
            .write_stdin(&b"SELECT 1;\0 DELETE FROM figures"[..])
            .assert()
            .code(2)
            .stdout("")
            .stderr("versus: the SQL from standard input holds a NUL byte (at byte 9), where SQLite would stop reading it; remove it (char(0) or x'00' writes one in a value)\n");
    }
    assert_eq!(bytes(&env.db()), before);
}

/// The first read in an empty folder creates the default database from the
/// seed, but only once its SQL has passed every check: SQL that fails
/// creates nothing.
#[test]
fn sql_that_fails_creates_no_default_database() {
    let env = Env::new();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["sql", "DROP TABLE figures"],
            6,
            "versus: refused DROP TABLE figures (a change to the schema): versus sql is read-only; rerun with --write to change the database\n",
        ),
        (
            &["sql", "SELECT nope FROM figures"],
            1,
            "versus: no such column: nope in SELECT nope FROM figures at offset 7; `versus sql \"SELECT name FROM pragma_table_info('TABLE')\"` lists a table's columns\n",
        ),
        (
            &["sql", "SELECT :a"],
            2,
            "versus: the SQL uses the parameter :a, which has no value; give it with --param a=VALUE\n",
        ),
        (
            &["sql", "SELECT 1", "-p", "b=2"],
            2,
            "versus: --param b is not used by the SQL (it has no parameters); check its name\n",
        ),
        (
            &["sql", "SELECT 1; SELECT 2"],
            2,
            "versus: the SQL holds more than one statement, and versus sql runs one at a time; run them one by one, or all in one transaction with --write\n",
        ),
    ];
    for (args, code, stderr) in cases {
        env.versus(args)
            .assert()
            .code(*code)
            .stdout("")
            .stderr(*stderr);
        assert!(env.files().is_empty(), "{args:?} created {:?}", env.files());
    }
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
}

#[test]
fn a_refused_create_names_the_table_even_with_no_space_before_its_columns() {
    let env = Env::seeded();
    env.versus(&["sql", "CREATE TABLE notes(body TEXT)"])
        .assert()
        .code(6)
        .stderr("versus: refused CREATE TABLE notes (a change to the schema): versus sql is read-only; rerun with --write to change the database\n");
}

#[test]
fn vacuum_runs_with_write_and_alone() {
    let env = Env::seeded();
    env.versus(&["sql", "VACUUM"])
        .assert()
        .code(6)
        .stderr("versus: refused VACUUM (a statement that writes): versus sql is read-only; rerun with --write to change the database\n");
    env.versus(&["sql", "--write", "VACUUM"])
        .assert()
        .success()
        .stderr("versus: vacuumed the database\n");
    let before = bytes(&env.db());
    env.versus(&["sql", "--write", "VACUUM; DELETE FROM documents"])
        .assert()
        .code(2)
        .stderr("versus: VACUUM cannot run inside a transaction, so it must be the only statement; run it alone with `versus sql --write \"VACUUM\"`\n");
    assert_eq!(bytes(&env.db()), before);
    // VACUUM INTO makes the copy the user names.
    env.versus(&["sql", "--write", "VACUUM INTO 'copy.db'"])
        .assert()
        .success()
        .stderr("versus: wrote a vacuumed copy of the database\n");
    assert_eq!(env.count(&env.path("copy.db"), "documents"), 1);
}

#[test]
fn each_kind_of_bad_sql_gets_the_hint_that_fits_it() {
    let env = Env::seeded();
    for (sql, hint) in [
        (
            "SELEC 1",
            "check the SQL at that point; SQLite's syntax is at https://sqlite.org/lang.html",
        ),
        (
            ".tables",
            "dot-commands such as .tables belong to the sqlite3 shell",
        ),
        (
            "SELECT readfile('x')",
            "readfile is not one of SQLite's functions (readfile, writefile and edit belong to the sqlite3 shell)",
        ),
        ("SELECT * FROM nope", "lists the tables and views"),
        ("SELECT nope FROM documents", "lists a table's columns"),
    ] {
        let out = env.versus(&["sql", sql]).output().expect("versus runs");
        assert_eq!(out.status.code(), Some(1), "{sql}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(hint), "{sql}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    env.versus(&["query", "search", "-p", "q=x", "-p", "limit=abc"])
        .assert()
        .code(2)
        .stderr("versus: --param limit=\"abc\": expected a whole number; give digits, for example --param limit=10\n");
}

#[test]
fn a_numbered_parameter_is_asked_for_by_its_own_number() {
    let env = Env::seeded();
    env.versus(&["sql", "SELECT ?3 AS v", "-p", "3=z", "--format", "csv"])
        .assert()
        .success()
        .stdout("v\r\nz\r\n");
    env.versus(&["sql", "SELECT ?3 AS v, ?1 AS w", "-p", "3=z"])
        .assert()
        .code(2)
        .stderr("versus: the SQL uses the parameter ?1, which has no value; give it with --param 1=VALUE\n");
}
