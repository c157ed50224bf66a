//! Faults versus must survive: killed mid-import and mid-migration, locked
//! databases, databases from a newer versus or another program, broken
//! files, a full disk, read-only storage, runaway values, and output under
//! pressure.

use std::process::Command as StdCommand;
use std::time::Duration;

use crate::support::*;

/// `PRAGMA integrity_check` as the sqlite3 shell reports it (falls back to
/// the test's own SQLite when the shell is missing outside CI).
fn integrity(env: &Env, db: &std::path::Path) -> String {
    match sqlite3(db, &["PRAGMA integrity_check;"]) {
        Some(out) => String::from_utf8_lossy(&out.stdout).trim().to_string(),
        None => env.rows(db, "PRAGMA integrity_check").join("\n"),
    }
}

/// The documents as versus reports them (versus also rolls back what a
/// killed process left unfinished).
fn slugs(env: &Env) -> Vec<String> {
    let out = stdout_of(&mut env.versus(&["query", "documents", "--format", "csv"]));
    out.lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect()
}

fn marx_fixed() -> String {
    MARX.replace(
        "Born5 May 181828 November 1820",
        "Born\t5 May 1818\t28 November 1820",
    )
}

/// N copies of the seed, each with its own figures and so its own slug.
fn corpus(env: &Env, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let suffix: String = format!("{i:04}")
                .chars()
                .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
                .collect();
            let text = SEED.replace("Joseph Stalin", &format!("Joseph Stalin{suffix}"));
            env.write(&format!("doc{i}.txt"), &text)
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

#[test]
fn killed_mid_import_leaves_all_documents_or_none() {
    // The hook counts rows of rowid tables: about 24 for these two documents.
    for after in [1, 5, 12, 20] {
        let env = Env::seeded();
        let lenin = env.write("lenin.txt", LENIN);
        let marx = env.write("marx.txt", &marx_fixed());
        let out = env
            .versus(&["import", lenin.to_str().unwrap(), marx.to_str().unwrap()])
            .env("VERSUS_FAULT_KILL_AFTER_WRITES", after.to_string())
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            None,
            "killed by a signal after {after} rows"
        );
        // The kill landed inside the import's transaction: its rollback
        // journal, which exists only from the first write to the commit,
        // is still there for the next open to roll back.
        assert!(
            env.path("versus.db-journal").exists(),
            "after {after} rows, the kill left the import's journal: {:?}",
            env.files()
        );
        assert_eq!(
            slugs(&env),
            ["stalin-vs-trotsky"],
            "none of the two, after {after} rows"
        );
        assert_eq!(integrity(&env, &env.db()), "ok");
        env.versus(&["import", lenin.to_str().unwrap(), marx.to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(
            slugs(&env),
            ["stalin-vs-trotsky", "lenin-vs-trotsky", "marx-vs-engels"]
        );
        assert_eq!(integrity(&env, &env.db()), "ok");
    }
}

#[test]
fn sigkill_at_any_moment_of_a_large_import_leaves_all_or_none() {
    let journal_of = |env: &Env| env.path("versus.db-journal");
    for delay in [0, 50, 150] {
        let env = Env::seeded();
        let files = corpus(&env, 600);
        let mut child = env
            .process()
            .arg("import")
            .args(&files)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // The transaction has written when its rollback journal appears
        // (the database keeps the default rollback journal): kill from then.
        let started = std::time::Instant::now();
        while !journal_of(&env).exists() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the import ended before its journal was seen"
            );
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no journal appeared"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), None, "{delay} ms in: killed, not finished");
        assert!(
            journal_of(&env).exists(),
            "{delay} ms into the transaction the kill left its journal (it landed inside it)"
        );
        assert_eq!(
            slugs(&env).len(),
            1,
            "{delay} ms in: rolled back, none of the 600"
        );
        assert_eq!(integrity(&env, &env.db()), "ok");
        env.versus(&["import"]).args(&files).assert().success();
        assert_eq!(slugs(&env).len(), 601);
        assert!(
            !journal_of(&env).exists(),
            "the next write's commit ends the journal"
        );
    }
}

#[test]
fn killed_mid_migration_applies_no_migration_without_its_history_row() {
    let env = Env::new();
    let db = env.write("new.db", "");
    let out = env
        .versus(&["--db", "new.db", "migrate"])
        .env("VERSUS_FAULT_KILL_AFTER_WRITES", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        None,
        "killed after the first history row"
    );
    env.versus(&["--db", "new.db", "status"])
        .assert()
        .code(4)
        .stderr("versus: new.db has an empty versus schema history (its first migration was interrupted); run `versus migrate --db new.db`\n");
    assert_eq!(integrity(&env, &db), "ok");
    assert_eq!(
        env.rows(
            &db,
            "SELECT count(*) FROM sqlite_master WHERE name IN ('documents', 'figures')"
        ),
        ["0"],
        "the schema went with its history row"
    );
    env.versus(&["--db", "new.db", "migrate"])
        .assert()
        .success()
        .stdout("applied migration V1__initial_schema\napplied migration V2__full_text_search\napplied migration V3__title_identity\napplied migration V4__whole_and_visible\napplied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    env.versus(&["--db", "new.db", "init"]).assert().success();
    assert_eq!(env.count(&db, "documents"), 1);
}

#[test]
fn a_locked_database_makes_import_wait_then_fail_with_exit_code_5() {
    let env = Env::seeded();
    let lenin = env.write("lenin.txt", LENIN);
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder
        .execute_batch("BEGIN IMMEDIATE; UPDATE figures SET surname = surname;")
        .unwrap();
    let started = std::time::Instant::now();
    env.versus(&["import", lenin.to_str().unwrap(), "--busy-timeout", "0.5"])
        .assert()
        .code(5)
        .stderr("versus: versus.db is locked by another connection and stayed locked; wait for it to finish or raise --busy-timeout\n");
    assert!(
        started.elapsed() >= Duration::from_millis(450),
        "it waited for the lock"
    );
    // Readers keep working while the write is under way.
    env.versus(&["query", "summary", "--format", "csv"])
        .assert()
        .success();
    holder.execute_batch("ROLLBACK").unwrap();
    assert_eq!(slugs(&env), ["stalin-vs-trotsky"], "nothing was written");
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(slugs(&env), ["stalin-vs-trotsky", "lenin-vs-trotsky"]);
}

#[test]
fn a_lock_held_by_the_sqlite3_shell_is_waited_for() {
    let env = Env::seeded();
    let Some(shell) = system_tool("sqlite3") else {
        return;
    };
    let lenin = env.write("lenin.txt", LENIN);
    let mut child = StdCommand::new(shell)
        .arg(env.db())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(b"BEGIN IMMEDIATE;\nUPDATE figures SET surname = surname;\n")
        .unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    env.versus(&["import", lenin.to_str().unwrap(), "--busy-timeout", "0.3"])
        .assert()
        .code(5)
        .stderr("versus: versus.db is locked by another connection and stayed locked; wait for it to finish or raise --busy-timeout\n");
    // Released while an import waits for it: that import goes through.
    let mut waiting = env.process();
    waiting.args(["import", "lenin.txt", "--busy-timeout", "20"]);
    let importer = std::thread::spawn(move || waiting.output());
    std::thread::sleep(Duration::from_millis(500));
    stdin.write_all(b"COMMIT;\n.quit\n").unwrap();
    drop(stdin);
    child.wait().unwrap();
    let out = importer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(slugs(&env), ["stalin-vs-trotsky", "lenin-vs-trotsky"]);
}

#[test]
fn two_imports_at_once_both_finish_and_nothing_is_duplicated() {
    let env = Env::seeded();
    let lenin = env.write("lenin.txt", LENIN);
    let marx = env.write("marx.txt", &marx_fixed());
    let spawn = |file: &std::path::Path| {
        env.process()
            .args(["import", file.to_str().unwrap(), lenin.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn(&marx));
        let b = s.spawn(|| spawn(&marx));
        (a.join().unwrap(), b.join().unwrap())
    });
    for out in [&a, &b] {
        assert!(
            out.status.code() == Some(0) || out.status.code() == Some(5),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(a.status.success() || b.status.success());
    assert_eq!(
        slugs(&env),
        ["stalin-vs-trotsky", "marx-vs-engels", "lenin-vs-trotsky"]
    );
    assert_eq!(env.count(&env.db(), "figures"), 5);
    assert_eq!(integrity(&env, &env.db()), "ok");
}

#[test]
fn a_database_from_a_newer_versus_can_be_read_but_not_written() {
    let env = Env::seeded();
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("INSERT INTO refinery_schema_history VALUES (99, 'from_the_future', '2030-01-01T00:00:00Z', '42')")
        .unwrap();
    let before = bytes(&env.db());
    env.versus(&["query", "summary", "--format", "csv"])
        .assert()
        .success();
    let lenin = env.write("lenin.txt", LENIN);
    for args in [
        &["import", lenin.to_str().unwrap()][..],
        &["migrate"],
        &["init"],
        &["sql", "--write", "DELETE FROM paragraphs"],
    ] {
        env.versus(args)
            .assert()
            .code(4)
            .stderr("versus: versus.db was created by a newer versus (schema version 99, this versus knows up to 10); upgrade versus to write to it\n");
    }
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn a_changed_or_hand_edited_history_is_refused_cleanly() {
    let cases = [
        (
            "UPDATE refinery_schema_history SET checksum = '12345' WHERE version = 1",
            "differs from this versus's V1__initial_schema (divergent migration)",
        ),
        (
            "UPDATE refinery_schema_history SET applied_on = 'last tuesday' WHERE version = 1",
            "the schema history of versus.db is damaged: migration 1 has the date \"last tuesday\"",
        ),
        (
            "UPDATE refinery_schema_history SET checksum = 'not a number' WHERE version = 1",
            "the schema history of versus.db is damaged: migration 1 has the checksum \"not a number\"",
        ),
        (
            "UPDATE refinery_schema_history SET checksum = NULL WHERE version = 1",
            "the schema history of versus.db is damaged: migration 1 has NULL as its checksum, where text belongs; restore the database from a copy",
        ),
        (
            "UPDATE refinery_schema_history SET checksum = x'ff' WHERE version = 2",
            "the schema history of versus.db is damaged: migration 2 has a BLOB of 1 byte (x'ff') as its checksum, where text belongs; restore the database from a copy",
        ),
        (
            "UPDATE refinery_schema_history SET version = 'one' WHERE version = 1",
            "the schema history of versus.db is damaged: it records a migration whose version is the text \"one\", not a migration version (a whole number from 1 to 2147483647); restore the database from a copy",
        ),
        (
            "UPDATE refinery_schema_history SET version = 4294967296 WHERE version = 3",
            "the schema history of versus.db is damaged: it records a migration whose version is the number 4294967296, not a migration version (a whole number from 1 to 2147483647); restore the database from a copy",
        ),
        (
            "INSERT INTO refinery_schema_history VALUES (-1, 'before_time', '2024-01-01T00:00:00Z', '1')",
            "the schema history of versus.db is damaged: it records a migration whose version is the number -1, not a migration version (a whole number from 1 to 2147483647); restore the database from a copy",
        ),
    ];
    for (edit, message) in cases {
        let env = Env::seeded();
        rusqlite::Connection::open(env.db())
            .unwrap()
            .execute_batch(edit)
            .unwrap();
        let before = bytes(&env.db());
        let out = env.versus(&["migrate"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{edit}: {stderr}");
        assert!(stderr.contains(message), "{edit}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{edit}: {stderr}");
        // Rust's names for SQLite values, or a version no versus has, mean
        // nothing to a user.
        for internal in [
            "Blob(",
            "Integer(",
            "Text(",
            "Null",
            "schema version -1",
            "panicked",
        ] {
            assert!(!stderr.contains(internal), "{edit}: {stderr}");
        }
        assert_eq!(bytes(&env.db()), before, "{edit}");
    }
}

#[test]
fn read_commands_never_give_another_programs_database_a_versus_table() {
    let env = Env::new();
    let db = env.path("other.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    let before = bytes(&db);
    for args in [
        &["--db", "other.db", "query", "summary"][..],
        &["--db", "other.db", "sql", "SELECT * FROM notes"],
        &["--db", "other.db", "status"],
        &["--db", "other.db", "queries"],
    ] {
        env.versus(args)
            .assert()
            .code(4)
            .stderr("versus: other.db is not a versus database (it has no versus schema); give a versus database with --db, or create one with `versus init --db <new file>`\n");
    }
    assert_eq!(bytes(&db), before);
    assert_eq!(env.rows(&db, "SELECT name FROM sqlite_master"), ["notes"]);
}

#[test]
fn broken_database_files_get_a_clear_error_and_stay_unchanged() {
    let env = Env::seeded();
    let whole = bytes(&env.db());
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "truncated.db",
            whole[..4096].to_vec(),
            "truncated.db is damaged",
        ),
        ("empty.db", Vec::new(), "empty.db is not a versus database"),
        (
            "text.db",
            b"SQLite format 3? no, a shopping list\n".to_vec(),
            "text.db is not a SQLite database",
        ),
    ];
    for (name, content, message) in cases {
        std::fs::write(env.path(name), &content).unwrap();
        let lenin = env.write("lenin.txt", LENIN);
        for args in [
            &["--db", name, "query", "summary"][..],
            &["--db", name, "sql", "SELECT 1"],
            &["--db", name, "status"],
            &["--db", name, "import", lenin.to_str().unwrap()],
        ] {
            let out = env.versus(args).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
            assert!(
                stderr.starts_with(&format!("versus: {message}")),
                "{args:?}: {stderr}"
            );
            assert_eq!(stderr.lines().count(), 1);
        }
        assert_eq!(bytes(&env.path(name)), content, "{name} is unchanged");
    }
}

#[test]
fn a_full_disk_rolls_the_import_back_and_says_so() {
    let env = Env::seeded();
    let pages: i64 = env.rows(&env.db(), "PRAGMA page_count")[0].parse().unwrap();
    let before = bytes(&env.db());
    let files = corpus(&env, 20);
    let out = env
        .versus(&["import"])
        .args(&files)
        .env("VERSUS_FAULT_MAX_PAGES", (pages + 3).to_string())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("versus: nothing was imported into versus.db: the disk is full (or the database reached its size limit) while writing versus.db; free some space and run the command again:"),
        "{stderr}"
    );
    assert!(stderr.contains("database or disk is full"), "{stderr}");
    assert_eq!(bytes(&env.db()), before);
    assert_eq!(integrity(&env, &env.db()), "ok");
}

/// Runs versus as the unprivileged user `nobody` when the tests run as
/// root (file permissions do not stop root); as themselves otherwise.
fn as_unprivileged(env: &Env, args: &[&str]) -> Option<std::process::Output> {
    let root = StdCommand::new("id")
        .arg("-u")
        .output()
        .ok()
        .is_some_and(|o| o.stdout == b"0\n");
    let mut cmd = if root {
        let setpriv = system_tool("setpriv")?;
        let mut cmd = env.script(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(versus_binary());
        cmd
    } else {
        env.process()
    };
    Some(cmd.args(args).output().unwrap())
}

#[test]
fn read_only_storage_still_answers_queries_and_refuses_writes_clearly() {
    use std::os::unix::fs::PermissionsExt;
    let set = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    for (folder_mode, file_mode) in [(0o777, 0o444), (0o755, 0o666)] {
        let env = Env::seeded();
        let lenin = env.write("lenin.txt", LENIN);
        set(&lenin, 0o644);
        set(env.dir.path(), folder_mode);
        set(&env.db(), file_mode);
        let before = bytes(&env.db());
        let Some(query) = as_unprivileged(&env, &["query", "summary", "--format", "csv"]) else {
            return;
        };
        assert!(
            query.status.success(),
            "{}",
            String::from_utf8_lossy(&query.stderr)
        );
        let import = as_unprivileged(&env, &["import", "lenin.txt"]).unwrap();
        let stderr = String::from_utf8_lossy(&import.stderr);
        assert_eq!(import.status.code(), Some(4), "{stderr}");
        // The permission that stops it is named.
        let why = if file_mode == 0o444 {
            "versus.db is read-only"
        } else {
            "its folder . is read-only"
        };
        assert!(
            stderr.starts_with(&format!(
                "versus: nothing was imported into versus.db: cannot write to versus.db: {why}"
            )),
            "{stderr}"
        );
        assert_eq!(bytes(&env.db()), before);
        set(env.dir.path(), 0o755);
    }
}

/// `check --repair` and `reindex` on a database they may not write say
/// which permission stops them and the command that lifts it (they said
/// only "attempt to write a readonly database"), and change nothing.
///
/// Root may write a file of mode 0444, so under root the commands run as
/// the user `nobody` (setpriv), who is given the file and its folder first:
/// what a user meets with a file of their own made read-only. The
/// permissions are those the kernel checks, not a stand-in.
#[test]
fn check_repair_and_reindex_on_a_read_only_file_name_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let set = |path: &std::path::Path, mode: u32| {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap()
    };
    let env = Env::seeded();
    // Something to repair: a trigger another tool dropped.
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("DROP TRIGGER sections_cascade")
        .unwrap();
    let root = StdCommand::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout == b"0\n");
    if root {
        for path in [env.dir.path(), env.db().as_path()] {
            std::os::unix::fs::chown(path, Some(65534), Some(65534)).unwrap();
        }
    }
    set(&env.db(), 0o444);
    let before = bytes(&env.db());
    for (args, what) in [
        (&["check", "--repair"][..], "repair"),
        (&["reindex"], "rebuild the search index of"),
    ] {
        let Some(out) = as_unprivileged(&env, args) else {
            return;
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
        assert_eq!(
            stderr,
            format!(
                "versus: cannot {what} versus.db: versus.db is read-only (mode 0444): make it writable with `chmod u+w versus.db`; nothing was changed\n"
            ),
            "{args:?}"
        );
        assert_eq!(bytes(&env.db()), before, "{args:?}");
    }
    // A writable file in a read-only folder: SQLite cannot make its
    // journal there.
    set(&env.db(), 0o644);
    set(env.dir.path(), 0o555);
    for args in [&["check", "--repair"][..], &["reindex"]] {
        let out = as_unprivileged(&env, args).unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to versus.db: its folder . is read-only (mode 0555), and SQLite writes a -journal file there while it writes: make it writable with `chmod u+w .`"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_eq!(bytes(&env.db()), before, "{args:?}");
    }
    // The advice works: once the folder is writable, the repair is made.
    set(env.dir.path(), 0o755);
    let out = as_unprivileged(&env, &["check", "--repair"]).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).ends_with("versus.db is whole\n"));
}

#[test]
fn runaway_values_end_with_a_limit_error_not_an_out_of_memory_kill() {
    let env = Env::seeded();
    for sql in [
        "SELECT length(zeroblob(2e9))",
        "WITH RECURSIVE r(i, b) AS (SELECT 1, randomblob(20000000) UNION ALL SELECT i + 1, b || randomblob(20000000) FROM r) SELECT max(length(b)) FROM r",
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r LIMIT 200) SELECT group_concat(randomblob(1000000)) FROM r",
    ] {
        env.versus(&["sql", sql])
            .timeout(Duration::from_secs(120))
            .assert()
            .code(1)
            .stderr("versus: a value grew past the 100 MB that versus allows one value (SQLite: string or blob too big); narrow the query\n");
    }
}

#[test]
fn writefile_and_attach_create_no_file() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    // As docs/GUIDE.md says: writefile is not compiled in (exit code 1), the
    // others are refused as writes (exit code 6).
    for (sql, code, message) in [
        (
            "SELECT writefile('out.txt', 'x')",
            1,
            "no such function: writefile",
        ),
        ("ATTACH 'new.db' AS n", 6, "rerun with --write"),
        ("VACUUM INTO 'copy.db'", 6, "rerun with --write"),
    ] {
        let out = env.versus(&["sql", sql]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{sql}: {stderr}");
        assert!(
            stderr.starts_with("versus: ") && stderr.contains(message),
            "{sql}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{sql}: {stderr}");
    }
    assert_eq!(env.files(), ["versus.db"]);
    assert_eq!(bytes(&env.db()), before);
}

/// Peak resident memory of one run of versus, in KiB: the last `VmHWM` of
/// /proc/PID/status before it exits. (wait4's ru_maxrss would count the test
/// process's own memory, which the child shares until it execs.)
fn peak_rss_kib(env: &Env, args: &[&str]) -> i64 {
    let mut child = env
        .process()
        .args(args)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            peak = peak.max(
                line.split_whitespace()
                    .nth(1)
                    .unwrap()
                    .parse::<i64>()
                    .unwrap(),
            );
        }
        if let Some(exit) = child.try_wait().unwrap() {
            assert!(exit.success(), "versus failed");
            return peak;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn five_million_rows_stream_in_constant_memory() {
    let env = Env::seeded();
    let sql = |rows: u32| {
        format!(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT {rows}) SELECT x, 'row number ' || x AS label, x * 0.5 AS half FROM c"
        )
    };
    for format in ["csv", "jsonl"] {
        let small = peak_rss_kib(&env, &["sql", &sql(50_000), "--format", format]);
        let large = peak_rss_kib(&env, &["sql", &sql(5_000_000), "--format", format]);
        let _ = writeln_note(&format!(
            "peak RSS, --format {format}: {small} KiB for 50,000 rows, {large} KiB for 5,000,000 rows"
        ));
        assert!(
            large <= small + small / 10 + 1024,
            "{format}: {small} KiB for 50k rows, {large} KiB for 5M rows"
        );
    }
}

fn writeln_note(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    writeln!(std::io::stderr(), "note: {text}")
}

#[test]
fn busy_timeout_is_honoured_against_an_exclusive_lock() {
    let env = Env::seeded();
    let lenin = env.write("lenin.txt", LENIN);
    let holder = rusqlite::Connection::open(env.db()).unwrap();
    holder
        .execute_batch("BEGIN EXCLUSIVE; UPDATE figures SET surname = surname;")
        .unwrap();
    let started = std::time::Instant::now();
    env.versus(&["import", lenin.to_str().unwrap(), "--busy-timeout", "1"])
        .assert()
        .code(5)
        .stderr("versus: versus.db is locked by another connection and stayed locked; wait for it to finish or raise --busy-timeout\n");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "waited {waited:?}"
    );
    holder.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn an_emptied_history_beside_tables_is_refused_with_a_short_message() {
    let env = Env::seeded();
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute_batch("DELETE FROM refinery_schema_history")
        .unwrap();
    let before = bytes(&env.db());
    env.versus(&["migrate"])
        .assert()
        .code(4)
        .stderr("versus: the schema history of versus.db is damaged: it records no migration, yet the file has tables; restore the database from a copy\n");
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn another_programs_refinery_history_is_not_a_versus_database() {
    // A program that also keeps its migrations with refinery: versus must
    // not send the user to `versus migrate`, nor call the history divergent.
    let env = Env::new();
    let db = env.path("other.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "CREATE TABLE refinery_schema_history (version INT4 PRIMARY KEY, name VARCHAR(255), applied_on VARCHAR(255), checksum VARCHAR(255));
             INSERT INTO refinery_schema_history VALUES (1, 'create_users', '2024-01-01T00:00:00Z', '123'),
                                                        (2, 'add_email', '2024-02-01T00:00:00Z', '456');
             CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);",
        )
        .unwrap();
    let before = bytes(&db);
    let lenin = env.write("lenin.txt", LENIN);
    for args in [
        &["--db", "other.db", "status"][..],
        &["--db", "other.db", "query", "summary"],
        &["--db", "other.db", "migrate"],
        &["--db", "other.db", "init"],
        &["--db", "other.db", "reindex"],
        &["--db", "other.db", "import", lenin.to_str().unwrap()],
        &[
            "--db",
            "other.db",
            "import",
            "--dry-run",
            lenin.to_str().unwrap(),
        ],
    ] {
        env.versus(args)
            .assert()
            .code(4)
            .stderr("versus: other.db is not a versus database (its refinery_schema_history holds another program's migrations, not versus's V1__initial_schema); give a versus database with --db, or create one with `versus init --db <new file>`\n");
    }
    assert_eq!(bytes(&db), before);
}

/// A versus database that the sqlite3 shell (or any tool) switched to WAL
/// mode, with every connection closed since: the header says WAL, and no
/// `-wal` or `-shm` file is left.
fn switch_to_wal(env: &Env) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(conn);
    assert_eq!(env.files(), ["versus.db"]);
}

#[test]
fn a_wal_database_is_read_in_a_read_only_folder_and_nothing_is_created() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::seeded();
    switch_to_wal(&env);
    let before = bytes(&env.db());
    std::fs::set_permissions(env.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    // As root, permissions stop nothing: `as_unprivileged` runs versus as
    // `nobody` then, so the folder really is read-only to it.
    let runs = [
        as_unprivileged(&env, &["query", "summary", "--format", "csv"]),
        as_unprivileged(&env, &["status", "--format", "csv"]),
        as_unprivileged(&env, &["export", "stalin-vs-trotsky"]),
    ];
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let [Some(query), Some(status), Some(export)] = runs else {
        return;
    };
    for out in [&query, &status, &export] {
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let query = String::from_utf8(query.stdout).unwrap();
    assert!(
        query.starts_with(
            "document,title,summary\r\nstalin-vs-trotsky,Joseph Stalin vs. Leon Trotsky,"
        ),
        "{query}"
    );
    let status = String::from_utf8(status.stdout).unwrap();
    assert!(
        status.contains("\nversus.db,10,wal,1,stalin-vs-trotsky,"),
        "status says the journal mode is wal: {status}"
    );
    assert_eq!(String::from_utf8(export.stdout).unwrap(), SEED);
    assert_eq!(env.files(), ["versus.db"], "no -wal or -shm file");
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn reading_a_wal_database_leaves_the_files_sqlite_keeps_for_it_until_the_next_write() {
    // What docs/GUIDE.md says a read of a WAL database does where versus may
    // write: SQLite makes the -wal and -shm files, as for any reader of a
    // WAL database, and the next command that writes removes them.
    let env = Env::seeded();
    switch_to_wal(&env);
    let before = bytes(&env.db());
    env.versus(&["query", "summary", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "document,title,summary\r\nstalin-vs-trotsky,",
        ));
    assert_eq!(env.files(), ["versus.db", "versus.db-shm", "versus.db-wal"]);
    assert_eq!(bytes(&env.db()), before, "the database file is unchanged");
    assert_eq!(
        std::fs::metadata(env.path("versus.db-wal")).unwrap().len(),
        0
    );
    let lenin = env.write("lenin.txt", LENIN);
    env.versus(&["import", "lenin.txt"]).assert().success();
    std::fs::remove_file(lenin).unwrap();
    assert_eq!(env.files(), ["versus.db"]);
    assert_eq!(slugs(&env), ["stalin-vs-trotsky", "lenin-vs-trotsky"]);
    // versus writes a WAL database as it is: it stays in WAL mode (the
    // README tells people to switch it on themselves to read while an
    // import writes).
    let mode: String = rusqlite::Connection::open(env.db())
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}
