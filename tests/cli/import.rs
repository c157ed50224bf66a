//! `versus import`: new documents, shared figures, replacement in place,
//! standard input, and all-or-nothing transactions.

use crate::support::*;

#[test]
fn importing_a_second_document_shares_the_figure_it_has_in_common() {
    let env = Env::seeded();
    let lenin = env.write("lenin-vs-trotsky.txt", LENIN);
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .success()
        .stdout("loaded lenin-vs-trotsky (Vladimir Lenin vs. Leon Trotsky): 5 attributes, 4 sections, 8 paragraphs\n");
    let db = env.db();
    assert_eq!(env.count(&db, "documents"), 2);
    assert_eq!(
        env.rows(&db, "SELECT name, surname FROM figures ORDER BY id"),
        [
            "Joseph Stalin|Stalin",
            "Leon Trotsky|Trotsky",
            "Vladimir Lenin|Lenin"
        ],
        "Leon Trotsky is stored once"
    );
    assert_eq!(
        env.rows(&db, "SELECT figure, value FROM comparison_table WHERE document = 'lenin-vs-trotsky' AND attribute = 'Main role in 1917'"),
        ["Vladimir Lenin|Leader of the Bolshevik Party", "Leon Trotsky|Chairman of the Petrograd Soviet"]
    );
}

#[test]
fn importing_the_same_document_again_replaces_it_in_place() {
    let env = Env::seeded();
    let lenin = env.write("lenin-vs-trotsky.txt", LENIN);
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .success();
    let db = env.db();
    let id_before = env.rows(
        &db,
        "SELECT id FROM documents WHERE slug = 'lenin-vs-trotsky'",
    );
    let edited = LENIN.replace(
        "Head of the Soviet government",
        "Chairman of the Council of People's Commissars",
    );
    let lenin = env.write("lenin-vs-trotsky.txt", &edited);
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .success()
        .stdout("replaced lenin-vs-trotsky (Vladimir Lenin vs. Leon Trotsky): 5 attributes, 4 sections, 8 paragraphs\n");
    assert_eq!(
        env.rows(
            &db,
            "SELECT id FROM documents WHERE slug = 'lenin-vs-trotsky'"
        ),
        id_before
    );
    assert_eq!(env.count(&db, "documents"), 2);
    assert_eq!(env.count(&db, "figures"), 3);
    assert_eq!(env.count(&db, "attributes"), 20);
    assert_eq!(env.count(&db, "paragraphs"), 17);
    assert_eq!(
        env.rows(&db, "SELECT value FROM comparison_table WHERE document = 'lenin-vs-trotsky' AND attribute = 'Role in the Civil War' AND figure = 'Vladimir Lenin'"),
        ["Chairman of the Council of People's Commissars"]
    );
}

#[test]
fn a_replacement_that_drops_a_figure_removes_the_orphan() {
    let env = Env::seeded();
    let lenin = env.write("a.txt", LENIN);
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .success();
    // The same title in capitals names a figure "VLADIMIR LENIN": the
    // document is replaced in place and the old figure, compared in
    // nothing now, goes.
    let renamed = env.write("b.txt", &LENIN.replace("Vladimir Lenin", "VLADIMIR LENIN"));
    env.versus(&["import", renamed.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        env.rows(&env.db(), "SELECT name FROM figures ORDER BY id"),
        ["Joseph Stalin", "Leon Trotsky", "VLADIMIR LENIN"]
    );
    assert_eq!(
        env.rows(&env.db(), "SELECT slug FROM documents ORDER BY id"),
        ["stalin-vs-trotsky", "lenin-vs-trotsky"]
    );
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT count(*) FROM figure_name_parts WHERE figure_id NOT IN (SELECT id FROM figures)"
        ),
        ["0"],
        "the orphan's name parts go with it"
    );
}

#[test]
fn a_document_can_come_from_standard_input() {
    let env = Env::seeded();
    env.versus(&["import", "-"])
        .write_stdin(LENIN)
        .assert()
        .success();
    assert_eq!(
        env.rows(&env.db(), "SELECT slug, source FROM documents ORDER BY id"),
        [
            "stalin-vs-trotsky|seed:stalin-vs-trotsky.txt",
            "lenin-vs-trotsky|-"
        ]
    );
}

#[test]
fn the_unsplittable_born_row_fails_strictly_by_line_and_changes_nothing() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let marx = env.write("marx-vs-engels.txt", MARX);
    env.versus(&["import", "--strict", marx.to_str().unwrap()])
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicates::str::starts_with(format!(
            "versus: {}:12: the table row \"Born5 May 181828 November 1820\" cannot be split for sure",
            marx.display()
        )));
    assert_eq!(
        bytes(&env.db()),
        before,
        "the database file is byte for byte unchanged"
    );
}

#[test]
fn the_born_row_imports_once_its_cells_are_separated_by_a_tab() {
    let env = Env::seeded();
    let fixed = MARX.replace(
        "Born5 May 181828 November 1820",
        "Born\t5 May 1818\t28 November 1820",
    );
    let marx = env.write("marx-vs-engels.txt", &fixed);
    env.versus(&["import", marx.to_str().unwrap()])
        .assert()
        .success()
        .stdout("loaded marx-vs-engels (Karl Marx vs. Friedrich Engels): 4 attributes, 2 sections, 4 paragraphs\n");
    assert_eq!(
        env.rows(&env.db(), "SELECT figure, value FROM comparison_table WHERE document = 'marx-vs-engels' AND attribute = 'Born'"),
        ["Karl Marx|5 May 1818", "Friedrich Engels|28 November 1820"]
    );
    assert_eq!(
        env.rows(&env.db(), "SELECT DISTINCT attribute, cell_separator = char(9) FROM attributes JOIN (SELECT name AS attribute, document_id, position FROM attributes) USING (document_id, position) WHERE document_id = 2 ORDER BY position LIMIT 2"),
        ["Born|1", "Best-known work|0"],
        "the separator is kept per row"
    );
}

#[test]
fn one_bad_file_in_a_call_imports_none_of_them() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let lenin = env.write("lenin.txt", LENIN);
    let marx = env.write("marx.txt", MARX);
    env.versus(&[
        "import",
        "--strict",
        lenin.to_str().unwrap(),
        marx.to_str().unwrap(),
    ])
    .assert()
    .code(3)
    .stdout("")
    .stderr(predicates::str::starts_with(format!(
        "versus: {}:12: the table row \"Born5 May 181828 November 1820\"",
        marx.display()
    )));
    assert_eq!(bytes(&env.db()), before);
    assert_eq!(env.count(&env.db(), "documents"), 1);
}

#[test]
fn a_failure_while_storing_rolls_back_every_document_of_the_call() {
    let env = Env::seeded();
    // A trigger another tool added makes the second document fail to store,
    // after the first one was written inside the same transaction.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no_marx BEFORE INSERT ON documents WHEN NEW.slug = 'marx-vs-engels'
         BEGIN SELECT RAISE(ABORT, 'marx is not welcome'); END;",
    )
    .unwrap();
    drop(conn);
    let before = bytes(&env.db());
    let lenin = env.write("lenin.txt", LENIN);
    let marx = env.write(
        "marx.txt",
        &MARX.replace("Born5 May 181828", "Born | 5 May 1818 | 28"),
    );
    env.versus(&["import", lenin.to_str().unwrap(), marx.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("marx is not welcome"));
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_import_as_the_same_document() {
    let env = Env::seeded();
    let windows = env.write(
        "lenin.txt",
        &format!("\u{feff}{}", LENIN.replace('\n', "\r\n")),
    );
    env.versus(&["import", windows.to_str().unwrap()])
        .assert()
        .success();
    let crlf = env.rows(
        &env.db(),
        "SELECT count(*) FROM section_paragraphs WHERE text LIKE '%' || char(13) || '%'",
    );
    assert_eq!(crlf, ["0"]);
    assert_eq!(env.count(&env.db(), "paragraphs"), 17);
}

#[test]
fn a_folder_imports_every_txt_document_under_it() {
    let env = Env::seeded();
    std::fs::create_dir_all(env.path("corpus/nested")).unwrap();
    std::fs::create_dir_all(env.path("corpus/.hidden")).unwrap();
    env.write("corpus/lenin.txt", LENIN);
    env.write(
        "corpus/nested/marx.TXT",
        &MARX.replace("Born5 May 181828", "Born | 5 May 1818 | 28"),
    );
    env.write("corpus/notes.md", "not a document");
    env.write("corpus/.hidden/broken.txt", "not a document");
    env.write("corpus/.draft.txt", "not a document");
    env.versus(&["import", "corpus"])
        .assert()
        .success()
        .stdout("loaded lenin-vs-trotsky (Vladimir Lenin vs. Leon Trotsky): 5 attributes, 4 sections, 8 paragraphs\nloaded marx-vs-engels (Karl Marx vs. Friedrich Engels): 4 attributes, 2 sections, 4 paragraphs\n");
    assert_eq!(env.count(&env.db(), "documents"), 3);
    // The folder's files are named by the path given, `.` included.
    std::fs::create_dir(env.path("more")).unwrap();
    env.write(
        "more/krupskaya.txt",
        &LENIN.replace("Vladimir Lenin", "Nadezhda Krupskaya"),
    );
    env.versus(&["--db", "../versus.db", "import", "."])
        .current_dir(env.path("more"))
        .assert()
        .success();
    assert_eq!(
        env.rows(&env.db(), "SELECT source FROM documents ORDER BY id"),
        [
            "seed:stalin-vs-trotsky.txt",
            "corpus/lenin.txt",
            "corpus/nested/marx.TXT",
            "./krupskaya.txt"
        ]
    );
}

#[test]
fn a_large_import_reports_one_line() {
    let env = Env::seeded();
    std::fs::create_dir(env.path("many")).unwrap();
    for i in 0..25 {
        let suffix: String = format!("{i:02}")
            .chars()
            .map(|d| (b'a' + d.to_digit(10).unwrap() as u8) as char)
            .collect();
        env.write(
            &format!("many/{i:02}.txt"),
            &LENIN.replace("Vladimir Lenin", &format!("Vladimir Lenin{suffix}")),
        );
    }
    env.versus(&["import", "many"])
        .assert()
        .success()
        .stdout("imported 25 documents into versus.db: 25 added, 0 replaced, 0 unchanged\n");
}
