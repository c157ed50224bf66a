//! Bad input: each gets one line on stderr, a documented exit code, no panic,
//! no change to the database and no file the user did not ask for.

use crate::support::*;

/// Runs `versus import FILE` on the given text and checks the error.
fn import_fails(text: &[u8], expected: &str) {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let path = env.path("doc.txt");
    std::fs::write(&path, text).unwrap();
    let out = env.versus(&["import", "doc.txt"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("versus: "), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected {expected:?} in {stderr}"
    );
    assert!(!stderr.contains("panicked"));
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn an_empty_file() {
    import_fails(
        b"",
        "cannot import doc.txt: line 1: the document is empty; give a comparison document",
    );
}

#[test]
fn a_binary_file() {
    import_fails(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
        "doc.txt is not UTF-8 text (invalid byte on line 1, at byte offset 0)",
    );
    // Latin-1 on the title's line: the line is what a user looks for.
    import_fails(
        b"vs.\n\n\xc9mile Zola vs. Rosa O'Neill\n",
        "doc.txt is not UTF-8 text (invalid byte on line 3, at byte offset 5)",
    );
    import_fails(
        b"vs.\n\nA vs. B\n\x00\x01",
        "line 4: the text contains a NUL byte",
    );
}

#[test]
fn a_document_cut_off_in_its_summary() {
    let cut: String = SEED.lines().take(7).collect::<Vec<_>>().join("\n");
    import_fails(
        cut.as_bytes(),
        "line 7: the document ends in its summary, before the comparison table",
    );
}

#[test]
fn a_document_cut_off_in_its_table() {
    let cut = &SEED[..SEED.find("Foreign policyFocused on exp").unwrap() + 27];
    import_fails(
        cut.as_bytes(),
        "line 15: the document ends in its comparison table",
    );
}

#[test]
fn a_header_row_that_does_not_match_the_title() {
    import_fails(
        SEED.replace(
            "AttributeJoseph StalinLeon Trotsky",
            "AttributeJoseph StalinLev Bronstein",
        )
        .as_bytes(),
        "line 11: the table's header row \"AttributeJoseph StalinLev Bronstein\" does not match the title's names; write it as \"AttributeJoseph StalinLeon Trotsky\"",
    );
}

#[test]
fn a_missing_document_file() {
    let env = Env::seeded();
    env.versus(&["import", "nope.txt"])
        .assert()
        .code(3)
        .stderr("versus: cannot read nope.txt: no such file; check the path\n");
}

#[test]
fn a_directory_instead_of_a_document() {
    let env = Env::seeded();
    std::fs::create_dir(env.path("docs")).unwrap();
    env.versus(&["import", "docs"])
        .assert()
        .code(3)
        .stderr("versus: the folder docs has no .txt or .json documents; give document files, or a folder that holds some\n");
}

#[test]
fn an_explicit_database_that_does_not_exist_is_not_created() {
    let env = Env::new();
    let lenin = env.write("lenin.txt", LENIN);
    for args in [
        &["--db", "missing.db", "status"][..],
        &["--db", "missing.db", "migrate"],
        &["--db", "missing.db", "import", lenin.to_str().unwrap()],
    ] {
        env.versus(args)
            .assert()
            .code(4)
            .stderr("versus: no database at missing.db; create it with `versus init --db missing.db` or give an existing file with --db\n");
    }
    env.versus(&["import", lenin.to_str().unwrap()])
        .env("VERSUS_DB", "env.db")
        .assert()
        .code(4)
        .stderr("versus: no database at env.db; create it with `versus init --db env.db` or give an existing file with --db\n");
    assert_eq!(env.files(), ["lenin.txt"], "no file was created");
}

#[test]
fn a_database_path_in_a_missing_folder() {
    let env = Env::new();
    env.versus(&["--db", "no/such/folder/v.db", "init"])
        .assert()
        .code(4)
        .stderr("versus: cannot create no/such/folder/v.db: the folder no/such/folder does not exist; create it first or choose another --db path\n");
    assert!(env.files().is_empty());
}

#[test]
fn a_file_that_is_not_a_sqlite_database() {
    let env = Env::new();
    let text = env.write("notes.db", "these are my notes, not a database\n");
    for args in [
        &["--db", "notes.db", "status"][..],
        &["--db", "notes.db", "init"],
        &["--db", "notes.db", "migrate"],
    ] {
        env.versus(args)
            .assert()
            .code(4)
            .stderr("versus: notes.db is not a SQLite database (or is encrypted); give a versus database with --db\n");
    }
    assert_eq!(bytes(&text), b"these are my notes, not a database\n");
    assert_eq!(env.files(), ["notes.db"]);
}

#[test]
fn another_programs_sqlite_database_is_not_stamped_with_a_versus_schema() {
    let env = Env::new();
    let db = env.path("other.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        .unwrap();
    let before = bytes(&db);
    for args in [
        &["--db", "other.db", "status"][..],
        &["--db", "other.db", "init"],
        &["--db", "other.db", "migrate"],
    ] {
        env.versus(args)
            .assert()
            .code(4)
            .stderr(predicates::str::starts_with(
                "versus: other.db is not a versus database (it has no versus schema)",
            ));
    }
    assert_eq!(bytes(&db), before);
}

#[test]
fn a_directory_as_the_database() {
    let env = Env::new();
    std::fs::create_dir(env.path("dir.db")).unwrap();
    env.versus(&["--db", "dir.db", "status"])
        .assert()
        .code(4)
        .stderr("versus: dir.db is a directory, not a database file; give the path of a database file with --db\n");
}

#[test]
fn usage_errors_are_one_line_with_exit_code_2() {
    let env = Env::new();
    env.versus(&["inti"])
        .assert()
        .code(2)
        .stderr("versus: unrecognized subcommand 'inti'; a similar subcommand exists: 'init'; see `versus --help`\n");
    env.versus(&["import"])
        .assert()
        .code(2)
        .stderr("versus: the following required arguments were not provided <FILE>...; see `versus import --help`\n");
    env.versus(&["--busy-timeout", "soon", "status"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "versus: invalid value 'soon' for '--busy-timeout <SECONDS>'",
        ));
    assert!(env.files().is_empty());
}

#[test]
fn a_database_path_that_looks_like_a_uri_is_a_file_name() {
    let env = Env::new();
    // `file:new.db` is the file of that name, for every command.
    env.versus(&["--db", "file:new.db", "init"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("created file:new.db\n"));
    assert_eq!(env.files(), ["file:new.db"]);
    env.versus(&["--db", "file:new.db", "status", "--format", "csv"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "\nfile:new.db,10,delete,1,stalin-vs-trotsky,",
        ));
    env.versus(&[
        "--db",
        "file:new.db",
        "sql",
        "--write",
        "DELETE FROM paragraphs WHERE id = 1",
    ])
    .assert()
    .success();
    assert_eq!(env.count(&env.path("file:new.db"), "paragraphs"), 8);
    // With URI parameters, SQLite would open x.db, immutable; versus looks
    // for the file named `file:x.db?immutable=1`, which does not exist.
    std::fs::copy(env.path("file:new.db"), env.path("x.db")).unwrap();
    let before = bytes(&env.path("x.db"));
    env.versus(&["--db", "file:x.db?immutable=1", "query", "summary"])
        .assert()
        .code(4)
        .stderr("versus: no database at file:x.db?immutable=1; create it with `versus init --db file:x.db?immutable=1` or give an existing file with --db\n");
    env.versus(&["--db", "file:x.db?immutable=1", "init"])
        .assert()
        .success();
    assert_eq!(
        env.files(),
        ["file:new.db", "file:x.db?immutable=1", "x.db"]
    );
    assert_eq!(bytes(&env.path("x.db")), before, "x.db was not touched");
}

#[test]
fn a_symbolic_link_loop_as_the_database_is_exit_code_4() {
    let env = Env::new();
    std::os::unix::fs::symlink("loop2.db", env.path("loop1.db")).unwrap();
    std::os::unix::fs::symlink("loop1.db", env.path("loop2.db")).unwrap();
    let message = "versus: loop1.db is a symbolic link that leads back to itself (a loop); point --db at the database file, or fix the link\n";
    for args in [
        &["--db", "loop1.db", "status"][..],
        &["--db", "loop1.db", "query", "summary"],
        &["--db", "loop1.db", "init"],
        &["--db", "loop1.db", "import", "-"],
    ] {
        env.versus(args)
            .write_stdin(LENIN)
            .assert()
            .code(4)
            .stderr(message);
    }
    // The default database too, which read commands would otherwise create.
    std::os::unix::fs::symlink("loop1.db", env.path("versus.db")).unwrap();
    env.versus(&["query", "summary"])
        .assert()
        .code(4)
        .stderr("versus: versus.db is a symbolic link that leads back to itself (a loop); point --db at the database file, or fix the link\n");
    assert_eq!(env.files(), ["loop1.db", "loop2.db", "versus.db"]);
}

#[test]
fn init_on_a_dangling_symbolic_link_says_where_it_points() {
    let env = Env::new();
    std::os::unix::fs::symlink("elsewhere.db", env.path("link.db")).unwrap();
    let message = "versus: link.db is a symbolic link to elsewhere.db, which does not exist; point --db at the database file, or remove the link\n";
    env.versus(&["--db", "link.db", "init"])
        .assert()
        .code(4)
        .stderr(message);
    env.versus(&["--db", "link.db", "status"])
        .assert()
        .code(4)
        .stderr(message);
    std::os::unix::fs::symlink("elsewhere.db", env.path("versus.db")).unwrap();
    env.versus(&["query", "summary"])
        .assert()
        .code(4)
        .stderr("versus: versus.db is a symbolic link to elsewhere.db, which does not exist; point --db at the database file, or remove the link\n");
    env.versus(&["init"]).assert().code(4);
    assert_eq!(env.files(), ["link.db", "versus.db"], "no file was created");
}

/// `versus queries` describes a missing database without creating it, but a
/// link that leads nowhere is no missing database: it is refused as `status`
/// refuses it, with the same exit code and line, however it is named.
#[test]
fn queries_on_a_dangling_symbolic_link_exits_as_status_does() {
    let env = Env::new();
    std::os::unix::fs::symlink("elsewhere.db", env.path("link.db")).unwrap();
    let message = "versus: link.db is a symbolic link to elsewhere.db, which does not exist; point --db at the database file, or remove the link\n";
    for args in [
        &["--db", "link.db", "status"][..],
        &["--db", "link.db", "queries"],
        &["--db", "link.db", "queries", "--format", "datasette"],
    ] {
        env.versus(args).assert().code(4).stdout("").stderr(message);
    }
    std::os::unix::fs::symlink("elsewhere.db", env.path("versus.db")).unwrap();
    env.versus(&["queries"])
        .assert()
        .code(4)
        .stderr("versus: versus.db is a symbolic link to elsewhere.db, which does not exist; point --db at the database file, or remove the link\n");
    assert_eq!(env.files(), ["link.db", "versus.db"], "no file was created");
}

#[test]
fn a_command_that_fails_on_its_input_creates_no_default_database() {
    let env = Env::new();
    for (args, code, message) in [
        (
            &["export", "--all", "--format", "text"][..],
            2,
            "versus: the text format holds one document; export --all with --format json or jsonl\n",
        ),
        (
            &["show", "stalin-vs-trotsky", "--format", "csv"],
            2,
            "versus: show draws a document with --format table or markdown (or json); for rows, use `versus query comparison table`\n",
        ),
        (
            &["export", "stalin-vs-trotsky", "--format", "csv"],
            2,
            "versus: export writes --format text, json or jsonl; `versus show` draws a document for people\n",
        ),
    ] {
        env.versus(args).assert().code(code).stderr(message);
        assert!(env.files().is_empty(), "{args:?} created {:?}", env.files());
    }
    // A document name that the new database would not have either.
    for args in [
        &["show", "lenin-vs-trotsky"][..],
        &["export", "lenin-vs-trotsky"],
    ] {
        env.versus(args)
            .assert()
            .code(2)
            .stderr(predicates::str::starts_with("versus: "));
        assert!(env.files().is_empty(), "{args:?} created {:?}", env.files());
    }
    // The same commands on good input create it, once.
    env.versus(&["export", "stalin-vs-trotsky"])
        .assert()
        .success()
        .stdout(SEED)
        .stderr(predicates::str::starts_with(
            "versus: created versus.db with the bundled seed document (stalin-vs-trotsky)",
        ));
    assert_eq!(env.files(), ["versus.db"]);
}

/// A link in a folder whose file is gone: the error says where it points.
#[cfg(unix)]
#[test]
fn a_link_to_a_missing_file_in_a_folder_says_where_it_points() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let folder = env.path("docs");
    std::fs::create_dir(&folder).unwrap();
    std::os::unix::fs::symlink("gone.txt", folder.join("lenin.txt")).unwrap();
    env.versus(&["import", "docs"])
        .assert()
        .code(3)
        .stdout("")
        .stderr("versus: cannot read docs/lenin.txt: it is a link to gone.txt, which does not exist; fix or remove the link\n");
    assert_eq!(bytes(&env.db()), before);
}

/// A document on standard input that cannot be imported is named as
/// standard input, as everywhere else.
#[test]
fn a_bad_document_on_standard_input_is_named_so() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    env.versus(&["import", "-"])
        .write_stdin("")
        .assert()
        .code(3)
        .stdout("")
        .stderr("versus: cannot import standard input (-): line 1: the document is empty; give a comparison document that starts with its title line `A vs. B`\n");
    assert_eq!(bytes(&env.db()), before);
}
