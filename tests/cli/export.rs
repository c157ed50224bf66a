//! Documents back out: text byte for byte, JSON, round trips that leave the
//! database unchanged, and `show`.

use crate::support::*;

#[test]
fn the_seed_exports_byte_for_byte() {
    let env = Env::seeded();
    env.versus(&["export", "stalin-vs-trotsky"])
        .assert()
        .success()
        .stdout(SEED);
    env.versus(&[
        "export",
        "Joseph Stalin vs. Leon Trotsky",
        "--format",
        "text",
    ])
    .assert()
    .success()
    .stdout(SEED);
}

#[test]
fn imported_text_comes_back_as_it_went_in_with_its_separators() {
    let env = Env::seeded();
    let marx = MARX.replace(
        "Born5 May 181828 November 1820",
        "Born\t5 May 1818\t28 November 1820",
    );
    let piped = LENIN.replace(
        "Main role in 1917Leader of the Bolshevik PartyChairman",
        "Main role in 1917 | Leader of the Bolshevik Party | Chairman",
    );
    let files = [env.write("marx.txt", &marx), env.write("lenin.txt", &piped)];
    env.versus(&[
        "import",
        files[0].to_str().unwrap(),
        files[1].to_str().unwrap(),
    ])
    .assert()
    .success();
    env.versus(&["export", "marx-vs-engels"])
        .assert()
        .success()
        .stdout(marx);
    env.versus(&["export", "lenin-vs-trotsky"])
        .assert()
        .success()
        .stdout(piped);
}

#[test]
fn importing_an_export_leaves_the_database_unchanged() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let before = bytes(&env.db());
    for format in ["text", "json", "jsonl"] {
        let exported =
            stdout_of(&mut env.versus(&["export", "lenin-vs-trotsky", "--format", format]));
        let file = env.write(&format!("lenin.{format}"), &exported);
        env.versus(&["import", file.to_str().unwrap()])
            .assert()
            .success()
            .stdout("unchanged lenin-vs-trotsky (Vladimir Lenin vs. Leon Trotsky): 5 attributes, 4 sections, 8 paragraphs\n");
        assert_eq!(bytes(&env.db()), before, "{format}");
    }
    for format in ["json", "jsonl"] {
        let all = stdout_of(&mut env.versus(&["export", "--all", "--format", format]));
        let file = env.write(&format!("all.{format}"), &all);
        env.versus(&["import", file.to_str().unwrap()])
            .assert()
            .success();
        assert_eq!(bytes(&env.db()), before, "--all {format}");
    }
}

#[test]
fn export_all_writes_every_document() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        &mut env.versus(&["export", "--all", "--format", "json"]),
    ))
    .unwrap();
    let slugs: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["stalin-vs-trotsky", "lenin-vs-trotsky"]);
    let lines = stdout_of(&mut env.versus(&["export", "--all", "--format", "jsonl"]));
    assert_eq!(lines.lines().count(), 2);
    let first: serde_json::Value = serde_json::from_str(lines.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["table"][3]["values"]["Leon Trotsky"],
        "Advocated for worldwide revolution"
    );
    assert_eq!(first["layout"]["final_newline"], false);
}

#[test]
fn a_document_whose_table_cannot_be_split_imports_as_json() {
    let env = Env::seeded();
    let json = r#"{
  "title": "Karl Marx vs. Friedrich Engels",
  "figures": ["Karl Marx", "Friedrich Engels"],
  "summary": "Karl Marx and Friedrich Engels wrote The Communist Manifesto together.",
  "table": [
    {"attribute": "Born", "values": {"Karl Marx": "5 May 1818", "Friedrich Engels": "28 November 1820"}},
    {"attribute": "Profession", "values": {"Karl Marx": "Journalist and philosopher", "Friedrich Engels": "Businessman and writer"}}
  ],
  "sections": [{"heading": "Works", "paragraphs": ["Marx spent most of his later life on Das Kapital."]}]
}"#;
    env.versus(&["import", env.write("marx.json", json).to_str().unwrap()])
        .assert()
        .success()
        .stdout("loaded marx-vs-engels (Karl Marx vs. Friedrich Engels): 2 attributes, 1 section, 1 paragraph\n");
    let text = stdout_of(&mut env.versus(&["export", "marx-vs-engels"]));
    assert!(text.contains("\nBorn | 5 May 1818 | 28 November 1820\nProfessionJournalist and philosopherBusinessman and writer\n"), "{text}");
    // That text imports back to the same document.
    let before = bytes(&env.db());
    env.versus(&["import", env.write("marx.txt", &text).to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn bad_json_is_refused_with_what_is_wrong() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let cases = [
        (
            "{\"title\": \"A vs. B\"",
            "EOF while parsing an object at line 1 column 19",
        ),
        (
            "{\"title\": \"A vs. B\", \"figures\": [\"A\", \"B\"], \"summary\": \"S.\", \"table\": [], \"sections\": [], \"colour\": 1}",
            "unknown field `colour`",
        ),
        (
            "{\"title\": \" \", \"figures\": [\"A\", \"B\"], \"summary\": \"S.\", \"table\": [], \"sections\": []}",
            "document 1: \"title\" is blank; give the document a title",
        ),
        ("[]", "it holds no document"),
    ];
    for (json, message) in cases {
        let out = env
            .versus(&["import", env.write("bad.json", json).to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{json}: {stderr}");
        assert!(stderr.contains(message), "{json}: {stderr}");
        assert_eq!(stderr.lines().count(), 1);
    }
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn export_mistakes_are_usage_errors() {
    let env = Env::seeded();
    env.versus(&["export", "stalin-vs-trotzky"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "did you mean \"stalin-vs-trotsky\"",
        ));
    env.versus(&["export", "--all", "--format", "text"]).assert().code(2).stderr(
        "versus: the text format holds one document; export --all with --format json or jsonl\n",
    );
    // --all is JSON by default; VERSUS_FORMAT is for query results, not documents.
    let all: serde_json::Value = serde_json::from_str(&stdout_of(
        env.versus(&["export", "--all"]).env("VERSUS_FORMAT", "csv"),
    ))
    .unwrap();
    assert_eq!(all.as_array().unwrap().len(), 1);
    env.versus(&["export", "stalin-vs-trotsky"])
        .env("VERSUS_FORMAT", "json")
        .assert()
        .success()
        .stdout(SEED);
    env.versus(&["export", "stalin-vs-trotsky", "--format", "csv"])
        .assert()
        .code(2)
        .stderr("versus: export writes --format text, json or jsonl; `versus show` draws a document for people\n");
    env.versus(&["export"])
        .assert()
        .code(2)
        .stderr(predicates::str::starts_with(
            "versus: the following required arguments were not provided",
        ));
}

#[test]
fn show_draws_the_document_for_people() {
    let env = Env::seeded();
    assert_golden(
        "show.txt",
        &stdout_of(&mut env.versus(&["show", "stalin-vs-trotsky"])),
    );
    assert_golden(
        "show.md",
        &stdout_of(&mut env.versus(&["show", "stalin-vs-trotsky", "--format", "markdown"])),
    );
}

#[test]
fn a_document_edited_out_of_the_text_format_still_exports_as_json() {
    let env = Env::seeded();
    env.versus(&[
        "sql",
        "--write",
        "UPDATE sections SET heading = 'Legacy.' WHERE heading = 'Legacy'",
    ])
    .assert()
    .success();
    env.versus(&["export", "stalin-vs-trotsky"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("versus: stalin-vs-trotsky cannot be written in the text format as it is stored: section 5 has the heading \"Legacy.\", which the text format would read as a paragraph; fix it with `versus sql --write`, or export it with --format json\n");
    let json = stdout_of(&mut env.versus(&["export", "stalin-vs-trotsky", "--format", "json"]));
    let before = bytes(&env.db());
    env.versus(&["import", env.write("backup.json", &json).to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("unchanged stalin-vs-trotsky"));
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn a_document_imported_with_crlf_and_a_byte_order_mark_exports_with_plain_line_ends() {
    // CRLF line ends and a byte-order mark are read as the same document
    // (docs/FORMAT.md, "Identity and slugs"), so the text export writes
    // that document as versus writes every document: LF, no mark. The
    // "byte for byte" promise of docs/GUIDE.md is about the document, and
    // says so.
    let env = Env::seeded();
    let windows = format!("\u{feff}{}", LENIN.replace('\n', "\r\n"));
    env.write("lenin.txt", &windows);
    env.versus(&["import", "lenin.txt"]).assert().success();
    env.versus(&["export", "lenin-vs-trotsky"])
        .assert()
        .success()
        .stdout(LENIN);
    // And the Windows file imports again as the same, unchanged document.
    let before = bytes(&env.db());
    env.versus(&["import", "lenin.txt"])
        .assert()
        .success()
        .stdout("unchanged lenin-vs-trotsky (Vladimir Lenin vs. Leon Trotsky): 5 attributes, 4 sections, 8 paragraphs\n");
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn values_other_tools_wrote_get_a_clear_error_and_a_reimport_repairs_them() {
    let tail = "(another tool must have written it); import the document again to replace it, or fix the row with `versus sql --write`";
    let cases = [
        (
            "UPDATE attributes SET value = x'ff00' WHERE position = 1",
            "stalin-vs-trotsky cannot be read: the attributes row with document_id 1, position 1, figure_id 1 has a BLOB of 2 bytes (x'ff00') in its value column, where versus keeps text",
        ),
        (
            "UPDATE paragraphs SET text = CAST(x'41ff42' AS TEXT) WHERE id = 2",
            "stalin-vs-trotsky cannot be read: the paragraphs row with id 2 has 3 bytes of text that is not UTF-8 in its text column, where versus keeps UTF-8 text",
        ),
        (
            "UPDATE attributes SET position = 'second' WHERE position = 2",
            "stalin-vs-trotsky cannot be read: the attributes row with document_id 1, position 'second', figure_id 1 has the text \"second\" in its position column, where versus keeps a whole number",
        ),
        (
            "UPDATE figures SET name = x'ff' WHERE name = 'Joseph Stalin'",
            "stalin-vs-trotsky cannot be read: the figures row with id 1 has a BLOB of 1 byte (x'ff') in its name column, where versus keeps text",
        ),
        (
            "UPDATE documents SET disclaimer = x'00'",
            "stalin-vs-trotsky cannot be read: the documents row with id 1 has a BLOB of 1 byte (x'00') in its disclaimer column, where versus keeps text",
        ),
        (
            "UPDATE documents SET slug = x'ff'",
            "with id 1 cannot be read: the documents row with id 1 has a BLOB of 1 byte (x'ff') in its slug column, where versus keeps text",
        ),
        // Positions that are not numbers would reorder the document
        // without a word.
        (
            "UPDATE sections SET position = 'abc' WHERE id = 2",
            "stalin-vs-trotsky cannot be read: the sections row with id 2 has the text \"abc\" in its position column, where versus keeps a whole number",
        ),
        (
            "UPDATE paragraphs SET position = 'zz' WHERE id = 3",
            "stalin-vs-trotsky cannot be read: the paragraphs row with id 3 has the text \"zz\" in its position column, where versus keeps a whole number",
        ),
        (
            "UPDATE document_figures SET position = 'x' WHERE figure_id = 2",
            "stalin-vs-trotsky cannot be read: the document_figures row with document_id 1, figure_id 2 has the text \"x\" in its position column, where versus keeps a whole number",
        ),
    ];
    for (edit, message) in cases {
        let env = Env::seeded();
        env.write("original.txt", SEED);
        // Other tools need not honour the schema's CHECKs (the sqlite3 shell
        // built without them, or this pragma).
        rusqlite::Connection::open(env.db())
            .unwrap()
            .execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {edit}"))
            .unwrap();
        let mut reads = vec![
            &["export", "--all"][..],
            &["export", "--all", "--format", "jsonl"],
        ];
        if !edit.contains("slug") {
            reads.extend([
                &["export", "stalin-vs-trotsky"][..],
                &["show", "stalin-vs-trotsky"],
                &["show", "stalin-vs-trotsky", "--format", "json"],
            ]);
        }
        for args in reads {
            env.versus(args)
                .assert()
                .code(1)
                .stdout("")
                .stderr(format!("versus: the document {message} {tail}\n"));
        }
        env.versus(&["status", "--format", "json"])
            .assert()
            .success();
        // `check` names the table, the column and the row; the repair
        // cannot derive the value and changes nothing.
        let table = edit.split_whitespace().nth(1).unwrap();
        let column = edit.split_whitespace().nth(3).unwrap();
        let listed = String::from_utf8(env.versus(&["check"]).output().unwrap().stdout).unwrap();
        assert!(
            listed.contains(&format!("table {table}: "))
                && listed.contains(&format!("in the column {column} that versus cannot read")),
            "{edit}: {listed}"
        );
        env.versus(&["check"]).assert().code(8);
        let before = bytes(&env.db());
        env.versus(&["check", "--repair"]).assert().code(8);
        assert_eq!(
            bytes(&env.db()),
            before,
            "{edit}: the repair changed nothing"
        );
        // The import's comparison with what is stored cannot read it
        // either: it replaces it, which repairs it.
        env.versus(&["import", "original.txt"])
            .assert()
            .success()
            .stdout("replaced stalin-vs-trotsky (Joseph Stalin vs. Leon Trotsky): 5 attributes, 5 sections, 9 paragraphs\n");
        env.versus(&["export", "stalin-vs-trotsky"])
            .assert()
            .success()
            .stdout(SEED);
        env.versus(&["import", "original.txt"])
            .assert()
            .success()
            .stdout(predicates::str::starts_with("unchanged stalin-vs-trotsky"));
        assert_eq!(env.count(&env.db(), "documents"), 1, "{edit}");
        env.versus(&["check"]).assert().success();
    }
}

#[test]
fn spaces_at_the_ends_of_lines_are_the_one_other_normalisation() {
    // No reader sees them, and the format's lines are read without them:
    // a seed with spaces after every line is the seed, and exports as the
    // seed. (A tab is not trimmed: it separates table cells.) (CRLF and a byte-order mark are the others; see
    // `import::crlf_line_ends_and_a_byte_order_mark_import_as_the_same_document`.)
    let env = Env::seeded();
    let padded = SEED
        .split('\n')
        .map(|l| format!("{l}   "))
        .collect::<Vec<_>>()
        .join("\n");
    let file = env.write("padded.txt", &padded);
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("unchanged stalin-vs-trotsky"));
    env.versus(&["export", "stalin-vs-trotsky"])
        .assert()
        .success()
        .stdout(SEED);
}
