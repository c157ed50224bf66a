//! One verdict for one input: the dry run says what the import does (the
//! same error, the same exit code), the text format and the JSON form
//! refuse the same documents, and names that differ only in letter case
//! are one figure in a title and the exact one in a question.

use serde_json::json;

use crate::support::*;

/// An exit code and what was said on stderr.
type Verdict = (Option<i32>, String);

/// `import --dry-run FILE` and then `import FILE`, each on its own copy of
/// a database holding the seed: their exit codes and stderr, and whether
/// the dry run left its copy as it was.
fn both(env: &Env, file: &std::path::Path) -> (Verdict, Verdict, bool) {
    let dry = env.path("dry.db");
    let real = env.path("real.db");
    std::fs::copy(env.db(), &dry).unwrap();
    std::fs::copy(env.db(), &real).unwrap();
    let before = bytes(&dry);
    let run = |db: &std::path::Path, dry_run: bool| {
        let mut args = vec!["--db", db.to_str().unwrap(), "import"];
        if dry_run {
            args.push("--dry-run");
        }
        args.push(file.to_str().unwrap());
        let out = env.versus(&args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let d = run(&dry, true);
    let r = run(&real, false);
    (d, r, bytes(&dry) == before)
}

#[test]
fn a_json_document_naming_one_figure_twice_is_refused_by_the_dry_run_and_the_import_alike() {
    let env = Env::seeded();
    for figures in [
        ["Joseph Stalin", "Joseph Stalin"],
        ["Joseph Stalin", "joseph  STALIN"],
    ] {
        let doc = json!({
            "title": figures.join(" vs. "),
            "figures": figures,
            "summary": "Two names of one man.",
            "table": [],
            "sections": [],
        });
        let file = env.write("twice.json", &doc.to_string());
        let ((dry_code, dry_err), (code, err), untouched) = both(&env, &file);
        assert_eq!(code, Some(3), "{err}");
        assert_eq!(dry_code, code, "the dry run: {dry_err}");
        assert_eq!(dry_err, err);
        assert!(err.contains("names"), "{err}");
        assert!(err.contains("twice"), "{err}");
        assert!(untouched);
    }
}

#[test]
fn a_title_naming_one_figure_twice_in_other_letter_case_is_refused() {
    let env = Env::seeded();
    let text = SEED.replace(
        "Joseph Stalin vs. Leon Trotsky",
        "Joseph Stalin vs. joseph stalin",
    );
    let file = env.write("twice.txt", &text);
    let before = bytes(&env.db());
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "the title names joseph stalin twice",
        ));
    assert_eq!(bytes(&env.db()), before);
}

#[test]
fn the_exact_full_name_wins_over_one_that_differs_in_letter_case() {
    let env = Env::seeded();
    let text = SEED
        .replace(
            "Joseph Stalin vs. Leon Trotsky",
            "JOSEPH STALIN vs. Mao Zedong",
        )
        .replace(
            "AttributeJoseph StalinLeon Trotsky",
            "AttributeJOSEPH STALINMao Zedong",
        );
    let file = env.write("mao.txt", &text);
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .success();
    // Each exact name is answered (before, both were refused as
    // ambiguous); the paragraphs write "Stalin", so only the seed's
    // figure has mentions.
    for (given, document) in [
        ("Joseph Stalin", Some("stalin-vs-trotsky")),
        ("JOSEPH STALIN", None),
    ] {
        let out = stdout_of(&mut env.versus(&[
            "query",
            "mentions",
            "-p",
            &format!("figure={given}"),
            "--format",
            "csv",
        ]));
        assert!(out.starts_with("document,section"), "{given}: {out}");
        if let Some(document) = document {
            assert!(
                out.lines().skip(1).any(|l| l.starts_with(document)),
                "{given}: {out}"
            );
        }
        env.versus(&["search", "policy", "--figure", given, "--format", "csv"])
            .assert()
            .success();
    }
    // A name that is neither exactly is still ambiguous.
    env.versus(&["query", "mentions", "-p", "figure=joseph stalin"])
        .assert()
        .code(2);
}

/// The parts a generated JSON document is made of: names that differ only
/// in case or spacing, blank names, values for figures that are not there,
/// unresolved rows with values.
fn figure_name() -> impl proptest::strategy::Strategy<Value = String> {
    proptest::prop_oneof![
        proptest::strategy::Just("Joseph Stalin".to_string()),
        proptest::strategy::Just("joseph stalin".to_string()),
        proptest::strategy::Just("Leon  Trotsky".to_string()),
        proptest::strategy::Just("Leon Trotsky".to_string()),
        proptest::strategy::Just(" ".to_string()),
        proptest::strategy::Just("Mao Zedong".to_string()),
        proptest::strategy::Just("毛泽东".to_string()),
    ]
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: proptest_cases(24),
        failure_persistence: None,
        ..Default::default()
    })]

    /// For any JSON document, the dry run gives the import's verdict: the
    /// same exit code and the same error, and it writes nothing.
    #[test]
    fn the_dry_run_gives_the_imports_verdict(
        figures in proptest::collection::vec(figure_name(), 0..4),
        retitled in proptest::bool::ANY,
        rows in proptest::collection::vec((0usize..3, proptest::bool::ANY, "[A-Za-z ]{0,6}"), 0..3),
        summary in proptest::option::of("[a-z .]{0,10}"),
    ) {
        let env = Env::seeded();
        let title = if retitled { format!("{} (draft)", figures.join(" vs. ")) } else { figures.join(" vs. ") };
        let table: Vec<serde_json::Value> = rows
            .iter()
            .map(|(values, unresolved, attribute)| {
                let values: serde_json::Map<String, serde_json::Value> = figures
                    .iter()
                    .take(*values)
                    .map(|f| (f.clone(), json!("v")))
                    .collect();
                json!({"attribute": attribute, "values": values, "unresolved": unresolved})
            })
            .collect();
        let doc = json!({
            "title": title,
            "figures": figures,
            "summary": summary,
            "table": table,
            "sections": [],
        });
        let file = env.write("doc.json", &doc.to_string());
        let ((dry_code, dry_err), (code, err), untouched) = both(&env, &file);
        proptest::prop_assert!(untouched, "the dry run wrote");
        proptest::prop_assert_eq!(dry_code, code, "dry run: {} / import: {}", dry_err, err);
        if code != Some(0) {
            proptest::prop_assert_eq!(dry_err, err);
        }
    }
}

/// Edits another tool may make to stored documents, as SQL.
const EDITS: &[&str] = &[
    "UPDATE documents SET title = title || ' (draft)' WHERE id = (SELECT max(id) FROM documents)",
    "UPDATE documents SET title = upper(title)",
    "UPDATE documents SET summary = summary || char(10) || char(10) || '織田信長 «ünï» ' || char(9) || 'end  '",
    "UPDATE sections SET heading = heading || '?' WHERE id = (SELECT min(id) FROM sections)",
    "DELETE FROM sections WHERE id = (SELECT max(id) FROM sections)",
    "UPDATE attributes SET value = '' WHERE position = 1",
    "UPDATE attributes SET name = 'Glued' || name WHERE position = 2",
    "UPDATE paragraphs SET text = text || '   ' WHERE id = (SELECT min(id) FROM paragraphs)",
    "INSERT INTO unresolved_rows (document_id, position, line, text, readings) SELECT id, 99, NULL, 'Born18791880', 'Born | 1879 | 1880' FROM documents WHERE id = 1",
    "UPDATE documents SET disclaimer = NULL",
    "UPDATE figures SET name = name || ' Jr.' WHERE id = (SELECT max(id) FROM figures)",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: proptest_cases(16),
        failure_persistence: None,
        ..Default::default()
    })]

    /// After any edits by another tool, `export --all` is a backup: imported
    /// into a new database it gives back the same documents, or the export
    /// itself stops and names the document that cannot be written.
    #[test]
    fn export_all_then_import_gives_back_the_same_documents(
        edits in proptest::collection::vec(0..EDITS.len(), 0..4),
    ) {
        let env = Env::seeded();
        env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
            .assert()
            .success();
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        for edit in &edits {
            // What the schema refuses (an empty value) is no edit.
            let _ = conn.execute_batch(EDITS[*edit]);
        }
        drop(conn);
        let out = env.versus(&["export", "--all"]).output().unwrap();
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            proptest::prop_assert!(said.contains("lenin-vs-trotsky") || said.contains("stalin-vs-trotsky"), "{}", said);
            return Ok(());
        }
        let backup = String::from_utf8(out.stdout).unwrap();
        let other = Env::new();
        other.init();
        // The seed of the new database is replaced by the backup's.
        let file = other.write("backup.json", &backup);
        let imported = other.versus(&["import", file.to_str().unwrap()]).output().unwrap();
        proptest::prop_assert!(imported.status.success(), "{:?}: {}", edits, String::from_utf8_lossy(&imported.stderr));
        let again = stdout_of(&mut other.versus(&["export", "--all"]));
        proptest::prop_assert_eq!(without_times(&again), without_times(&backup), "{:?}", edits);
    }
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let env = Env::seeded();
    // Refused in a title, with its line, in the text format and as JSON.
    let text = SEED.replace(
        "Joseph Stalin vs. Leon Trotsky",
        "Joseph Stalin\u{1b}]0;pwned\u{7} vs. Leon Trotsky\u{8}\u{8}",
    );
    let file = env.write("escape.txt", &text);
    let before = bytes(&env.db());
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "line 3: the title holds the control character U+001B",
        ));
    let json = json!({
        "title": "A vs. B\u{1b}[2J",
        "figures": ["A", "B\u{1b}[2J"],
        "summary": "S.",
        "table": [],
        "sections": [],
    });
    let file = env.write("escape.json", &json.to_string());
    env.versus(&["import", file.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("control character U+001B"));
    assert_eq!(bytes(&env.db()), before);
    // What another tool stored is shown escaped.
    env.versus(&[
        "sql",
        "--write",
        "UPDATE paragraphs SET text = text || char(27) || '[2J' WHERE id = 1;
         UPDATE documents SET title = title || char(27) || ']0;x' || char(7)",
    ])
    .assert()
    .success();
    let shown = stdout_of(&mut env.versus(&["show", "stalin-vs-trotsky"]));
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(shown.contains("\\u{1b}[2J"), "{shown}");
    let markdown = stdout_of(&mut env.versus(&["show", "stalin-vs-trotsky", "--markdown"]));
    assert!(!markdown.contains('\u{1b}'), "{markdown:?}");
}
