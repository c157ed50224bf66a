//! A document is its title: comparisons that share surnames never replace
//! each other, slugs stay short when they can and unique always, and a name
//! part two figures share attributes nothing. Also `import --dry-run`.

use crate::support::*;

/// A small comparison document for the figures, in the text format, whose
/// table row and paragraphs carry `marker` so versions can be told apart.
/// `paragraphs` are the paragraphs of its one section.
pub fn comparison(figures: &[&str], marker: &str, paragraphs: &[&str]) -> String {
    let values: Vec<String> = figures
        .iter()
        .enumerate()
        .map(|(i, _)| format!("Value {} {marker}", i + 1))
        .collect();
    format!(
        "{title}\n\nWhat's the Difference?\n\nA summary of {title} ({marker}).\n\nComparison\n\nAttribute | {header}\nRole | {values}\n\nFurther Detail\n\nBackground\n\n{paragraphs}\n",
        title = figures.join(" vs. "),
        header = figures.join(" | "),
        values = values.join(" | "),
        paragraphs = paragraphs.join("\n\n"),
    )
}

fn slugs(env: &Env) -> Vec<String> {
    env.rows(
        &env.db(),
        "SELECT slug || '|' || title FROM documents ORDER BY id",
    )
}

#[test]
fn comparisons_that_share_surnames_never_replace_each_other() {
    let env = Env::seeded();
    let first = env.write(
        "adams1.txt",
        &comparison(
            &["John Adams", "Samuel Adams"],
            "one",
            &["John Adams wrote it."],
        ),
    );
    let second = env.write(
        "adams2.txt",
        &comparison(
            &["John Quincy Adams", "John Adams"],
            "two",
            &["Quincy wrote it."],
        ),
    );
    env.versus(&["import", first.to_str().unwrap()])
        .assert()
        .success()
        .stdout("loaded adams-vs-adams (John Adams vs. Samuel Adams): 1 attribute, 1 section, 1 paragraph\n");
    env.versus(&["import", second.to_str().unwrap()])
        .assert()
        .success()
        .stdout("loaded john-quincy-adams-vs-john-adams (John Quincy Adams vs. John Adams): 1 attribute, 1 section, 1 paragraph (adams-vs-adams is another document's)\n");
    assert_eq!(
        slugs(&env),
        [
            "stalin-vs-trotsky|Joseph Stalin vs. Leon Trotsky",
            "adams-vs-adams|John Adams vs. Samuel Adams",
            "john-quincy-adams-vs-john-adams|John Quincy Adams vs. John Adams"
        ]
    );
    let id = env.rows(
        &env.db(),
        "SELECT id FROM documents WHERE slug = 'adams-vs-adams'",
    );

    // The first again, edited and with its title in other case and spacing:
    // it replaces itself in place, and the second is untouched.
    let edited = comparison(
        &["john  adams", "Samuel  ADAMS"],
        "three",
        &["John Adams wrote it."],
    );
    let edited = env.write("adams1.txt", &edited);
    env.versus(&["import", edited.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "replaced adams-vs-adams (john  adams vs. Samuel  ADAMS)",
        ));
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT id FROM documents WHERE slug = 'adams-vs-adams'"
        ),
        id,
        "replaced in place"
    );
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT document, value FROM comparison_table WHERE attribute = 'Role' ORDER BY 1, 2"
        ),
        [
            "adams-vs-adams|Value 1 three",
            "adams-vs-adams|Value 2 three",
            "john-quincy-adams-vs-john-adams|Value 1 two",
            "john-quincy-adams-vs-john-adams|Value 2 two"
        ]
    );
}

#[test]
fn comparisons_that_share_surnames_import_together_in_one_call() {
    let env = Env::seeded();
    std::fs::create_dir(env.path("folder")).unwrap();
    env.write(
        "folder/a.txt",
        &comparison(
            &["John Adams", "Samuel Adams"],
            "one",
            &["Samuel wrote it."],
        ),
    );
    env.write(
        "folder/b.txt",
        &comparison(
            &["John Quincy Adams", "John Adams"],
            "two",
            &["Quincy wrote it."],
        ),
    );
    env.versus(&["import", "folder"]).assert().success().stdout(
        "loaded adams-vs-adams (John Adams vs. Samuel Adams): 1 attribute, 1 section, 1 paragraph\n\
         loaded john-quincy-adams-vs-john-adams (John Quincy Adams vs. John Adams): 1 attribute, 1 section, 1 paragraph (adams-vs-adams is another document's)\n",
    );
    assert_eq!(env.count(&env.db(), "documents"), 3);
}

#[test]
fn a_number_tells_titles_apart_when_the_full_names_collide_too() {
    let env = Env::seeded();
    for (file, first) in [
        ("a.txt", "Émile Zola"),
        ("b.txt", "Emile Zola"),
        ("c.txt", "EMILE ZOLA!"),
    ] {
        let doc = env.write(
            file,
            &comparison(&[first, "Paul Adams"], file, &["Zola wrote it."]),
        );
        env.versus(&["import", doc.to_str().unwrap()])
            .assert()
            .success();
    }
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT slug FROM documents WHERE id > 1 ORDER BY id"
        ),
        [
            "zola-vs-adams",
            "emile-zola-vs-paul-adams",
            "emile-zola-vs-paul-adams-2"
        ]
    );
}

#[test]
fn the_same_title_twice_in_one_call_is_refused_and_nothing_is_written() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let a = env.write(
        "a.txt",
        &comparison(&["John Adams", "Samuel Adams"], "one", &["x."]),
    );
    let b = env.write(
        "b.txt",
        &comparison(&["JOHN ADAMS", "Samuel Adams"], "two", &["y."]),
    );
    env.versus(&["import", a.to_str().unwrap(), b.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(format!(
            "versus: {} and {} both hold the document \"JOHN ADAMS vs. Samuel Adams\"; import one of them\n",
            a.display(),
            b.display()
        ));
    env.versus(&["import", a.to_str().unwrap(), a.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(format!(
            "versus: {} is given twice; give each file once\n",
            a.display()
        ));
    // A file that does not exist, twice: missing is what to fix first.
    env.versus(&["import", "nope.txt", "nope.txt"])
        .assert()
        .code(3)
        .stderr("versus: cannot read nope.txt: no such file; check the path\n");
    // Another name for the same file: a hard link.
    let link = env.path("link.txt");
    std::fs::hard_link(&a, &link).unwrap();
    env.versus(&["import", a.to_str().unwrap(), link.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(format!(
            "versus: {} and {} are the same file (a link, or two paths to one file); give each file once (a folder given imports every file in it)\n",
            link.display(),
            a.display()
        ));
    assert_eq!(bytes(&env.db()), before);
}

/// Titles given twice are found by digest and named by their input: the
/// same JSON file twice over, and two files with another between them.
#[test]
fn a_title_twice_in_one_json_file_or_across_files_is_named_by_its_inputs() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let export = stdout_of(&mut env.versus(&["export", "stalin-vs-trotsky", "--format", "json"]));
    let twice = env.write("twice.json", &format!("[{export},{export}]"));
    env.versus(&["import", twice.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(format!(
            "versus: {} holds the document \"Joseph Stalin vs. Leon Trotsky\" twice; keep one of them\n",
            twice.display()
        ));
    let a = env.write("a.txt", &comparison(&["Ann Lee", "Bo Lee"], "one", &["x."]));
    let b = env.write("b.txt", &comparison(&["Cy Day", "Di Day"], "two", &["y."]));
    let c = env.write(
        "c.txt",
        &comparison(&["ann  lee", "Bo Lee"], "three", &["z."]),
    );
    env.versus(&[
        "import",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    ])
    .assert()
    .code(3)
    .stderr(format!(
        "versus: {} and {} both hold the document \"ann  lee vs. Bo Lee\"; import one of them\n",
        a.display(),
        c.display()
    ));
    assert_eq!(bytes(&env.db()), before);
    // Standard input cannot be read again to confirm the match: its
    // documents are held to their digests, and named `-`.
    env.versus(&["import", "-"])
        .write_stdin(format!("[{export},{export}]"))
        .assert()
        .code(3)
        .stderr(
            "versus: standard input (-) holds the document \"Joseph Stalin vs. Leon Trotsky\" twice; keep one of them\n",
        );
    env.versus(&["import", "-", a.to_str().unwrap(), "-"])
        .write_stdin(export)
        .assert()
        .code(2)
        .stderr("versus: standard input (-) is given twice; give each file once\n");
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn a_shared_name_part_attributes_a_paragraph_to_neither_figure() {
    let env = Env::seeded();
    let doc = env.write(
        "adams.txt",
        &comparison(
            &["John Adams", "Samuel Adams"],
            "one",
            &[
                "Adams signed the declaration.",
                "John argued for independence.",
                "Samuel Adams organised the protest.",
                "Nobody else was there.",
            ],
        ),
    );
    env.versus(&["import", doc.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT paragraph_no, coalesce(figure, 'NULL') FROM section_paragraphs WHERE document = 'adams-vs-adams'"
        ),
        ["1|NULL", "2|John Adams", "3|Samuel Adams", "4|NULL"]
    );
    // mentions: "Adams" alone counts for neither; "John" counts for John
    // Adams in his own document.
    let out = stdout_of(&mut env.versus(&[
        "query",
        "mentions",
        "-p",
        "figure=John Adams",
        "--format",
        "csv",
    ]));
    assert_eq!(
        out,
        "document,section,paragraph_no,text\r\nadams-vs-adams,Background,2,John argued for independence.\r\n"
    );
    let out = stdout_of(&mut env.versus(&[
        "query",
        "mentions",
        "-p",
        "figure=Samuel Adams",
        "--format",
        "csv",
    ]));
    assert_eq!(
        out,
        "document,section,paragraph_no,text\r\nadams-vs-adams,Background,3,Samuel Adams organised the protest.\r\n"
    );
    // The seed's figures are still found by surname.
    let out = stdout_of(&mut env.versus(&[
        "query",
        "mentions",
        "-p",
        "figure=Trotsky",
        "--format",
        "jsonl",
    ]));
    assert_eq!(out.lines().count(), 6, "{out}");
}

#[test]
fn three_thousand_comparisons_from_twenty_five_surnames_are_all_stored() {
    let env = Env::seeded();
    let surnames = [
        "Adams",
        "Roosevelt",
        "Bush",
        "Kennedy",
        "Gandhi",
        "Pitt",
        "Clinton",
        "Johnson",
        "Harrison",
        "Marx",
        "Smith",
        "Lee",
        "Nehru",
        "Castro",
        "Trudeau",
        "Aquino",
        "Bhutto",
        "Ford",
        "Taft",
        "Polk",
        "Grant",
        "Pierce",
        "Tyler",
        "Hayes",
        "Jackson",
    ];
    let firsts = [
        "John", "Samuel", "Theodore", "Franklin", "George", "Indira", "William",
    ];
    let mut rng = fastrand::Rng::with_seed(9);
    let mut documents = Vec::new();
    let mut titles = std::collections::HashSet::new();
    while documents.len() < 3000 {
        let a = format!(
            "{} {}",
            rng.choice(firsts).unwrap(),
            rng.choice(surnames).unwrap()
        );
        let b = format!(
            "{} {}",
            rng.choice(firsts).unwrap(),
            rng.choice(surnames).unwrap()
        );
        let mut figures = [a, b];
        if rng.bool() {
            // Middle names make more titles share their surnames.
            figures[0] = figures[0].replacen(' ', &format!(" {} ", rng.choice(firsts).unwrap()), 1);
        }
        if figures[0] == figures[1] || !titles.insert(figures.join(" vs. ").to_lowercase()) {
            continue;
        }
        let names: Vec<&str> = figures.iter().map(String::as_str).collect();
        documents.push(comparison(
            &names,
            &documents.len().to_string(),
            &["They met."],
        ));
    }
    std::fs::create_dir(env.path("corpus")).unwrap();
    for (n, text) in documents.iter().enumerate() {
        std::fs::write(env.path(&format!("corpus/{n:04}.txt")), text).unwrap();
    }
    env.versus(&["import", "corpus"])
        .assert()
        .success()
        .stdout("imported 3000 documents into versus.db: 3000 added, 0 replaced, 0 unchanged\n");
    assert_eq!(env.count(&env.db(), "documents"), 3001);
    // Every document is there with its own table.
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT count(DISTINCT value) FROM comparison_table WHERE attribute = 'Role'"
        ),
        ["6000"]
    );
    // Again, all unchanged: no title replaced another.
    env.versus(&["import", "corpus"])
        .assert()
        .success()
        .stdout("imported 3000 documents into versus.db: 0 added, 0 replaced, 3000 unchanged\n");
}

#[test]
fn a_dry_run_shows_what_an_import_would_do_and_writes_nothing() {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let a = env.write(
        "a.txt",
        &comparison(&["John Adams", "Samuel Adams"], "one", &["x."]),
    );
    let b = env.write(
        "b.txt",
        &comparison(&["John Quincy Adams", "John Adams"], "two", &["y."]),
    );
    let seed = env.write("seed.txt", SEED);
    let out = stdout_of(&mut env.versus(&[
        "import",
        "--dry-run",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        seed.to_str().unwrap(),
    ]));
    assert!(
        out.starts_with(&format!(
            "would add adams-vs-adams (John Adams vs. Samuel Adams) from {}\n",
            a.display()
        )),
        "{out}"
    );
    assert!(out.contains(&format!("would add john-quincy-adams-vs-john-adams (John Quincy Adams vs. John Adams) from {} (adams-vs-adams is another document's)\n", b.display())), "{out}");
    assert!(
        out.contains(&format!(
            "unchanged: stalin-vs-trotsky (Joseph Stalin vs. Leon Trotsky) from {}\n",
            seed.display()
        )),
        "{out}"
    );
    assert!(out.contains("Role"), "{out}");
    assert!(out.contains("Value 1 one"), "{out}");
    assert!(
        out.contains("Focused on expanding Soviet influence"),
        "{out}"
    );
    assert!(
        out.ends_with("nothing was written (dry run): 2 to add, 0 to replace, 1 unchanged\n"),
        "{out}"
    );
    assert_eq!(bytes(&env.db()), before, "a dry run writes nothing");
    assert_eq!(env.files(), ["a.txt", "b.txt", "seed.txt", "versus.db"]);

    // JSON: one object per document, each table row as its cells.
    let out = stdout_of(&mut env.versus(&[
        "import",
        "--dry-run",
        "--format",
        "json",
        a.to_str().unwrap(),
    ]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json[0]["outcome"], "add");
    assert_eq!(json[0]["slug"], "adams-vs-adams");
    assert_eq!(
        json[0]["table"][0],
        serde_json::json!(["Role", "Value 1 one", "Value 2 one"])
    );
}

#[test]
fn a_dry_run_fails_as_the_import_would_and_needs_no_database() {
    let env = Env::new();
    let bad = env.write(
        "bad.txt",
        &SEED.replace(
            "AttributeJoseph StalinLeon Trotsky",
            "AttributeJoseph StalinLev Bronstein",
        ),
    );
    let output = env
        .versus(&["import", "--dry-run", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("line 11"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        env.files().iter().all(|f| f != "versus.db"),
        "no database is created"
    );

    let good = env.write(
        "good.txt",
        &comparison(&["John Adams", "Samuel Adams"], "one", &["x."]),
    );
    env.versus(&["import", "--dry-run", good.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::contains("would add adams-vs-adams"))
        .stderr(predicates::str::contains(
            "there is no database at versus.db yet",
        ));
    assert_eq!(env.files(), ["bad.txt", "good.txt"]);
}

/// The default database as versus 2 left it, holding John Adams vs. Samuel
/// Adams: the slug of surnames, and "Adams" attributed to the first figure.
fn version_2_database(env: &Env) -> std::path::PathBuf {
    let db = env.db();
    {
        let conn = database_at_version(&db, 2);
        conn.execute_batch(
            "INSERT INTO documents (id, slug, title, summary, source) VALUES (7, 'adams-vs-adams', 'John Adams vs. Samuel Adams', 'A summary.', 'adams1.txt');
             INSERT INTO figures (id, name, surname) VALUES (1, 'John Adams', 'Adams'), (2, 'Samuel Adams', 'Adams');
             INSERT INTO document_figures VALUES (7, 1, 1), (7, 2, 2);
             INSERT INTO attributes (document_id, position, name, topic, figure_id, value, cell_separator)
                 VALUES (7, 1, 'Role', 'role', 1, 'Value 1 one', ' | '), (7, 1, 'Role', 'role', 2, 'Value 2 one', ' | ');
             INSERT INTO sections (id, document_id, position, heading, topic) VALUES (1, 7, 1, 'Background', 'background');
             INSERT INTO paragraphs (section_id, position, figure_id, text) VALUES
                 (1, 1, 1, 'Adams signed the declaration.'), (1, 2, 2, 'Samuel organised the protest.');",
        )
        .unwrap();
    }
    db
}

#[test]
fn a_database_from_schema_version_2_upgrades_keeping_its_slugs() {
    let env = Env::new();
    let db = version_2_database(&env);
    env.versus(&["migrate"])
        .assert()
        .success()
        .stdout("applied migration V3__title_identity\napplied migration V4__whole_and_visible\napplied migration V5__faster_import\napplied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n");
    assert_eq!(
        env.rows(&db, "SELECT id, slug, title_key FROM documents"),
        ["7|adams-vs-adams|john adams vs. samuel adams"]
    );
    assert_eq!(
        env.rows(
            &db,
            "SELECT figure_id, position, part FROM figure_name_parts ORDER BY 1, 2"
        ),
        ["1|1|John", "1|2|Adams", "2|1|Samuel", "2|2|Adams"]
    );
    assert_eq!(
        env.rows(
            &db,
            "SELECT paragraph_no, coalesce(figure, 'NULL') FROM section_paragraphs"
        ),
        ["1|NULL", "2|Samuel Adams"],
        "attributed again: the shared surname names neither"
    );
    // The stored title is found again, and another Adams title gets its own slug.
    let same = env.write(
        "adams1.txt",
        &comparison(
            &["John Adams", "Samuel Adams"],
            "new",
            &["Adams signed the declaration."],
        ),
    );
    env.versus(&["import", same.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("replaced adams-vs-adams"));
    let other = env.write(
        "adams2.txt",
        &comparison(
            &["John Quincy Adams", "John Adams"],
            "two",
            &["Quincy wrote it."],
        ),
    );
    env.versus(&["import", other.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "loaded john-quincy-adams-vs-john-adams",
        ));
    assert_eq!(
        env.rows(&db, "SELECT id, slug FROM documents ORDER BY id"),
        ["7|adams-vs-adams", "8|john-quincy-adams-vs-john-adams"]
    );
}

#[test]
fn a_document_another_tool_inserted_is_found_by_its_title() {
    let env = Env::seeded();
    let db = env.db();
    let Some(out) = sqlite3(
        &db,
        &[
            "INSERT INTO documents (slug, title, summary, source) VALUES ('by-hand', 'Ada  Lovelace vs. Charles Babbage', 'Typed in.', 'sqlite3')",
        ],
    ) else {
        return;
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = env.write(
        "ada.txt",
        &comparison(
            &["Ada Lovelace", "Charles Babbage"],
            "one",
            &["Ada wrote the notes."],
        ),
    );
    // The trigger gave the row SQLite's lower(trim(title)), which keeps the
    // double space: the dry run still finds it, as the import will.
    env.versus(&["import", "--dry-run", doc.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "would replace by-hand (Ada Lovelace vs. Charles Babbage)",
        ));
    env.versus(&["import", doc.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "replaced by-hand (Ada Lovelace vs. Charles Babbage)",
        ));
    assert_eq!(
        env.rows(&db, "SELECT slug, title_key FROM documents ORDER BY id"),
        [
            "stalin-vs-trotsky|joseph stalin vs. leon trotsky",
            "by-hand|ada lovelace vs. charles babbage"
        ]
    );
}

#[test]
fn json_export_names_the_stored_slug_and_imports_back_unchanged() {
    let env = Env::seeded();
    let a = env.write(
        "a.txt",
        &comparison(&["John Adams", "Samuel Adams"], "one", &["x."]),
    );
    let b = env.write(
        "b.txt",
        &comparison(&["John Quincy Adams", "John Adams"], "two", &["y."]),
    );
    env.versus(&["import", a.to_str().unwrap(), b.to_str().unwrap()])
        .assert()
        .success();
    let json = stdout_of(&mut env.versus(&[
        "export",
        "john-quincy-adams-vs-john-adams",
        "--format",
        "json",
    ]));
    assert!(
        json.contains("\"slug\": \"john-quincy-adams-vs-john-adams\""),
        "{json}"
    );
    let before = bytes(&env.db());
    let file = env.write("back.json", &json);
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(
            "unchanged john-quincy-adams-vs-john-adams",
        ));
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn a_dry_run_on_a_database_that_needs_a_migration_plans_in_memory_and_migrates_nothing() {
    let env = Env::new();
    let db = version_2_database(&env);
    let before = bytes(&db);
    let same = env.write(
        "adams1.txt",
        &comparison(&["John Adams", "Samuel Adams"], "new", &["x."]),
    );
    let other = env.write(
        "adams2.txt",
        &comparison(&["John Quincy Adams", "John Adams"], "two", &["y."]),
    );
    let out = stdout_of(&mut env.versus(&[
        "import",
        "--dry-run",
        same.to_str().unwrap(),
        other.to_str().unwrap(),
    ]));
    assert!(
        out.contains("would replace adams-vs-adams (John Adams vs. Samuel Adams)"),
        "{out}"
    );
    assert!(
        out.contains("would add john-quincy-adams-vs-john-adams"),
        "{out}"
    );
    assert_eq!(
        bytes(&db),
        before,
        "the file is neither migrated nor written"
    );
    assert_eq!(
        env.rows(&db, "SELECT max(version) FROM refinery_schema_history"),
        ["2"]
    );
}

#[test]
fn a_dry_run_has_no_csv_form() {
    let env = Env::seeded();
    let doc = env.write("seed.txt", SEED);
    env.versus(&["import", "--dry-run", "--format", "csv", doc.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr("versus: import --dry-run writes tables for people, Markdown, or JSON; use --format table, markdown, json or jsonl\n");
}

#[test]
fn a_surname_another_figure_of_a_document_has_is_no_mention_elsewhere() {
    let env = Env::seeded();
    let john = env.write(
        "john.txt",
        &comparison(
            &["John Adams", "Thomas Jefferson"],
            "one",
            &["Jefferson wrote it."],
        ),
    );
    let samuel = env.write(
        "samuel.txt",
        &comparison(
            &["Samuel Adams", "Paul Revere"],
            "two",
            &[
                "Adams organised the protest.",
                "John Adams defended the soldiers.",
            ],
        ),
    );
    env.versus(&["import", john.to_str().unwrap(), samuel.to_str().unwrap()])
        .assert()
        .success();
    // In Samuel Adams vs. Paul Revere, "Adams" is Samuel's: only the full
    // name mentions John Adams there.
    let out = stdout_of(&mut env.versus(&[
        "query",
        "mentions",
        "-p",
        "figure=John Adams",
        "--format",
        "jsonl",
    ]));
    assert_eq!(
        out,
        "{\"document\":\"adams-vs-revere\",\"section\":\"Background\",\"paragraph_no\":2,\"text\":\"John Adams defended the soldiers.\"}\n"
    );
}

/// Another program's connection to the database, as the sqlite3 shell or
/// Python would have it (foreign keys off, no versus functions).
fn other_tool(db: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).expect("open database")
}

fn noted(env: &Env, db: &std::path::Path) -> Vec<String> {
    env.rows(
        db,
        "SELECT d.slug FROM titles_to_key AS t JOIN documents AS d ON d.id = t.document_id ORDER BY d.id",
    )
}

/// Imports `file` into `db` (the test's database when `None`), a dry run
/// first: both must say it replaces the document `slug`, titled `title`
/// (one attribute, section and paragraph, as `comparison` writes them).
/// `first` is what the import prints before that (a migration applied).
fn assert_replaces(
    env: &Env,
    db: Option<&std::path::Path>,
    file: &std::path::Path,
    slug: &str,
    title: &str,
    first: &str,
) {
    let mut args: Vec<&str> = match db {
        Some(db) => vec!["--db", db.to_str().unwrap()],
        None => Vec::new(),
    };
    args.extend(["import", file.to_str().unwrap()]);
    let mut dry = args.clone();
    dry.push("--dry-run");
    env.versus(&dry)
        .assert()
        .success()
        .stdout(predicates::str::starts_with(format!(
            "would replace {slug} ({title})"
        )));
    env.versus(&args).assert().success().stdout(format!(
        "{first}replaced {slug} ({title}): 1 attribute, 1 section, 1 paragraph\n"
    ));
}

/// A title another tool changes is noted, and the next import finds the
/// document by it (and checks no other title); versus's own writes note
/// nothing.
#[test]
fn a_title_another_tool_changes_is_noted_and_the_next_import_finds_it() {
    let env = Env::seeded();
    let db = env.db();
    let ada = env.write(
        "ada.txt",
        &comparison(&["Ada Lovelace", "Charles Babbage"], "one", &["x."]),
    );
    let adams = env.write(
        "adams.txt",
        &comparison(&["John Adams", "Samuel Adams"], "one", &["y."]),
    );
    env.versus(&["import", ada.to_str().unwrap(), adams.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(noted(&env, &db), Vec::<String>::new());
    // Another tool renames Ada: her row keeps the old key.
    other_tool(&db)
        .execute(
            "UPDATE documents SET title = 'Ada Byron vs. Charles Babbage' WHERE slug = 'lovelace-vs-babbage'",
            [],
        )
        .unwrap();
    assert_eq!(noted(&env, &db), ["lovelace-vs-babbage"]);
    let byron = env.write(
        "byron.txt",
        &comparison(&["Ada Byron", "Charles Babbage"], "two", &["z."]),
    );
    assert_replaces(
        &env,
        None,
        &byron,
        "lovelace-vs-babbage",
        "Ada Byron vs. Charles Babbage",
        "",
    );
    assert_eq!(noted(&env, &db), Vec::<String>::new());
    assert_eq!(
        env.rows(&db, "SELECT slug, title_key FROM documents ORDER BY id"),
        [
            "stalin-vs-trotsky|joseph stalin vs. leon trotsky",
            "lovelace-vs-babbage|ada byron vs. charles babbage",
            "adams-vs-adams|john adams vs. samuel adams"
        ]
    );
}

/// A title changed while the trigger that notes it was missing (`sqlite-utils
/// transform` drops a table's triggers): `versus check` names the trigger
/// and the key out of date, the dry run and the import find the document by
/// its new title all the same (with a trigger missing, they read every
/// title), and `--repair` makes the trigger again and notes every title.
#[test]
fn a_title_changed_without_its_trigger_is_still_found() {
    let env = Env::seeded();
    let db = env.db();
    let adams = env.write(
        "adams.txt",
        &comparison(&["John Adams", "Samuel Adams"], "one", &["y."]),
    );
    env.versus(&["import", adams.to_str().unwrap()])
        .assert()
        .success();
    other_tool(&db)
        .execute_batch(
            "DROP TRIGGER documents_title_changed;
             UPDATE documents SET title = 'John Quincy Adams vs. Samuel Adams' WHERE slug = 'adams-vs-adams';",
        )
        .unwrap();
    assert_eq!(noted(&env, &db), Vec::<String>::new());
    let before = bytes(&db);
    env.versus(&["check"])
        .assert()
        .code(8)
        .stdout(predicates::str::contains(
            "trigger documents_title_changed (on documents): is missing: a title another tool writes to documents is not noted, so versus may not find that document by its title;",
        ))
        .stdout(predicates::str::contains(
            "table documents: 1 title key is out of date and not noted for the next import (a title changed while a trigger that notes titles was missing), so an import may not find that document by its title; `versus check --repair` notes every document, and the next import puts their keys right\n",
        ));
    let quincy = env.write(
        "quincy.txt",
        &comparison(&["John Quincy Adams", "Samuel Adams"], "two", &["z."]),
    );
    // The dry run and the import find it without a repair...
    let copy = env.path("copy.db");
    std::fs::copy(&db, &copy).unwrap();
    let quincy_title = "John Quincy Adams vs. Samuel Adams";
    assert_replaces(
        &env,
        Some(&copy),
        &quincy,
        "adams-vs-adams",
        quincy_title,
        "",
    );
    assert_eq!(env.count(&copy, "documents"), 2);
    assert_eq!(bytes(&db), before);
    // ...and after one, with every title noted.
    env.versus(&["check", "--repair"]).assert().success();
    assert_eq!(noted(&env, &db), ["stalin-vs-trotsky", "adams-vs-adams"]);
    env.versus(&["check"]).assert().success();
    assert_replaces(&env, None, &quincy, "adams-vs-adams", quincy_title, "");
    assert_eq!(noted(&env, &db), Vec::<String>::new());
    assert_eq!(env.count(&db, "documents"), 2);
}

/// Two titles that are one to versus, stored by another tool (its insert
/// trigger keys a title with SQLite's lower(trim()), which keeps a double
/// space): `versus check` names both documents, and the import, the dry
/// run and `init` refuse by name, changing nothing, until one is deleted.
#[test]
fn two_documents_with_one_title_are_named_by_check_import_and_dry_run() {
    let env = Env::seeded();
    let db = env.db();
    other_tool(&db)
        .execute(
            "INSERT INTO documents (slug, title, summary, source) VALUES ('dup', 'Joseph  Stalin vs. Leon Trotsky', 'Typed in.', 'sqlite3')",
            [],
        )
        .unwrap();
    let before = bytes(&db);
    let refusal = "versus: nothing was imported into versus.db: the documents stalin-vs-trotsky and dup have the same title to versus (\"Joseph  Stalin vs. Leon Trotsky\", ignoring case and spacing), which another tool must have written; delete one, e.g. with `versus sql --write \"DELETE FROM documents WHERE slug = 'dup'\"`\n";
    let lenin = env.write(
        "lenin.txt",
        &comparison(&["Vladimir Lenin", "Leon Trotsky"], "one", &["x."]),
    );
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .code(4)
        .stdout("")
        .stderr(refusal);
    env.versus(&["import", "--dry-run", lenin.to_str().unwrap()])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicates::str::contains(
            "the documents stalin-vs-trotsky and dup have the same title to versus",
        ));
    env.versus(&["check"])
        .assert()
        .code(8)
        .stdout(predicates::str::contains(
            "documents stalin-vs-trotsky and dup: have the same title to versus (\"Joseph  Stalin vs. Leon Trotsky\", ignoring case and spacing), which another tool must have written: no import and no `versus init` can run until one is deleted; delete one, e.g. with `versus sql --write \"DELETE FROM documents WHERE slug = 'dup'\"`\n",
        ));
    env.versus(&["check", "--repair"]).assert().code(8);
    env.versus(&["init"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicates::str::contains(
            "versus: the documents stalin-vs-trotsky and dup have the same title to versus",
        ));
    assert_eq!(bytes(&db), before);
    env.versus(&["sql", "--write", "DELETE FROM documents WHERE slug = 'dup'"])
        .assert()
        .success();
    env.versus(&["import", lenin.to_str().unwrap()])
        .assert()
        .success();
    env.versus(&["check"]).assert().success();
}

/// Migration 6 notes every document, so a title another tool changed
/// before it (when nothing noted titles) is found by the next import.
#[test]
fn migration_6_notes_every_title_for_the_next_import() {
    let env = Env::new();
    let db = env.db();
    let conn = database_at_version(&db, 5);
    // As a version 5 database holds a document another tool retitled: its
    // key is still the old title's.
    conn.execute(
        "INSERT INTO documents (slug, title, title_key, summary, source)
         VALUES ('lovelace-vs-babbage', 'Ada Byron vs. Charles Babbage', 'ada lovelace vs. charles babbage', 'Typed in.', 'sqlite3')",
        [],
    )
    .unwrap();
    drop(conn);
    let byron = env.write(
        "byron.txt",
        &comparison(&["Ada Byron", "Charles Babbage"], "two", &["z."]),
    );
    // The dry run migrates a copy in memory and finds it as the import will.
    assert_replaces(
        &env,
        None,
        &byron,
        "lovelace-vs-babbage",
        "Ada Byron vs. Charles Babbage",
        "applied migration V6__titles_to_key\napplied migration V7__unresolved_rows\napplied migration V8__every_script\napplied migration V9__search_inside_spaceless_runs\napplied migration V10__fewer_index_merges\n",
    );
    assert_eq!(
        env.rows(&db, "SELECT slug, title_key FROM documents"),
        ["lovelace-vs-babbage|ada byron vs. charles babbage"]
    );
    assert_eq!(noted(&env, &db), Vec::<String>::new());
}

/// The notes table dropped or made again by another tool: writes that fire
/// its triggers say how to fix it, and `--repair` makes it again, whatever
/// its shape, noting every document.
#[test]
fn a_notes_table_another_tool_dropped_or_changed_is_made_again_by_repair() {
    let env = Env::seeded();
    let db = env.db();
    other_tool(&db)
        .execute_batch("DROP TABLE titles_to_key")
        .unwrap();
    env.versus(&[
        "sql",
        "--write",
        "UPDATE documents SET title = 'Joseph Stalin vs. Lev Trotsky'",
    ])
    .assert()
    .code(1)
    .stderr("versus: nothing was changed: the transaction was rolled back: a trigger versus defines writes to a table that is missing (`versus check` says which; `versus check --repair` makes it again): no such table: main.titles_to_key\n");
    // A table of the user's own that is missing gets no such advice.
    env.versus(&["sql", "--write", "INSERT INTO main.notes VALUES (1)"])
        .assert()
        .code(1)
        .stderr("versus: nothing was changed: the transaction was rolled back: no such table: main.notes\n");
    env.versus(&["check"])
        .assert()
        .code(8)
        .stdout(predicates::str::contains(
            "table titles_to_key: is missing: every write to documents fails: the triggers that note titles write into it; `versus check --repair` makes it again as versus defines it\n",
        ));
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "made the missing table titles_to_key again\n",
        ))
        .stdout(predicates::str::contains(
            "noted 1 title for the next import to key again\n",
        ));
    assert_eq!(noted(&env, &db), ["stalin-vs-trotsky"]);
    // Made again with other columns: made again as versus defines it.
    other_tool(&db)
        .execute_batch(
            "DROP TABLE titles_to_key; CREATE TABLE titles_to_key (document_id TEXT, note TEXT);",
        )
        .unwrap();
    env.versus(&["check", "--repair"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "made the table titles_to_key again as versus defines it\n",
        ));
    assert_eq!(noted(&env, &db), ["stalin-vs-trotsky"]);
    env.versus(&["check"]).assert().success();
}
