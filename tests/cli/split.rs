//! Glued table rows whose cells cannot be told apart for sure: a cell that
//! begins in lowercase (`de Gaulle's France`, `iPod 2`) next to a capital
//! inside a word (`MacArthur`, `iPod`). Such a row is kept as written and
//! marked unresolved, named on stderr with its line and best readings, and
//! the rest of the document imports (exit 0); `--strict` refuses it with
//! exit 3 and writes nothing; written with `" | "` it imports as written.

use crate::support::*;

/// A minimal document (the shape of `tests/fixtures/lenin-vs-trotsky.txt`)
/// whose comparison table has `row` on line 13.
fn document(row: &str) -> String {
    format!(
        "vs.

Harry S. Truman vs. Clement Attlee

What's the Difference?

Harry S. Truman and Clement Attlee led the United States and the United Kingdom at the end of the Second World War.

Comparison

AttributeHarry S. TrumanClement Attlee
Role in 1945President of the United StatesPrime Minister of the United Kingdom
{row}

Further Detail

Background

Truman was a senator from Missouri before he became vice president in 1945.

Attlee led the Labour Party to a landslide victory in the general election of 1945.

Comparisons may contain inaccurate information about people, places, or facts. Please report any issues.
"
    )
}

/// Imports the document with the glued `row`: `--strict` refuses it with
/// exit code 3, names it, and leaves the file byte for byte; a plain import
/// keeps it as written (exit 0), names it with its readings and a closing
/// line, shows it in `comparison_table` with no figure and no value, and
/// exports the text byte for byte. Then the document with the row written
/// `separated` imports it split; returns the row's values in figure order.
fn kept_then_imported(glued: &str, readings: &str, separated: &str) -> Vec<String> {
    let env = Env::seeded();
    let before = bytes(&env.db());
    let text = document(glued);
    let path = env.write("truman-vs-attlee.txt", &text);
    let shown = path.display().to_string();
    let named = format!(
        "versus: {shown}:13: the table row {glued:?} cannot be split for sure: no reading of it is clearly the best\n{readings}"
    );
    env.versus(&["import", "--strict", path.to_str().unwrap()])
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "{named}versus: 1 table row in 1 document cannot be split for sure, and --strict refuses to keep it as written; nothing was imported; separate the cells with a tab or \" | \", or import without --strict and settle them with `versus resolve`\n"
        ));
    assert_eq!(
        bytes(&env.db()),
        before,
        "--strict leaves the file as it was"
    );

    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr(format!(
            "{}versus: 1 row in 1 document needs a decision: `versus resolve`\n",
            named.replace("cannot be split for sure", "is kept as written, unresolved")
        ));
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT attribute, figure, value FROM comparison_table WHERE figure IS NULL"
        ),
        [format!("{glued}|NULL|NULL")]
    );
    env.versus(&["export", "truman-vs-attlee"])
        .assert()
        .success()
        .stdout(text.clone());

    let path = env.write("truman-vs-attlee.txt", &document(separated));
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr("");
    let attribute = separated.split(" | ").next().unwrap();
    let out = stdout_of(&mut env.versus(&[
        "sql",
        "SELECT a.value FROM attributes AS a \
         JOIN documents AS d ON d.id = a.document_id \
         JOIN document_figures AS df USING (document_id, figure_id) \
         WHERE d.slug = 'truman-vs-attlee' AND a.name = :name ORDER BY df.position",
        "-p",
        &format!("name={attribute}"),
        "--format",
        "csv",
    ]));
    assert!(
        env.rows(&env.db(), "SELECT * FROM unresolved_rows")
            .is_empty(),
        "the separated row replaced the unresolved one"
    );
    out.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn a_row_with_macarthur_and_a_lowercase_cell_is_kept_until_separated() {
    let values = kept_then_imported(
        "OpponentMacArthur's armyde Gaulle's France",
        "    1. Opponent | MacArthur's army | de Gaulle's France\n    2. Opponent | MacArth | ur's armyde Gaulle's France\n    3. Opponent | MacArthur's armyde Gaulle's F | rance\n",
        "Opponent | MacArthur's army | de Gaulle's France",
    );
    assert_eq!(values, ["MacArthur's army", "de Gaulle's France"]);
}

#[test]
fn a_row_with_an_ipod_is_kept_until_separated() {
    let values = kept_then_imported(
        "DevicesiPod 2Android",
        "    1. Devicesi | Pod 2 | Android\n    2. Device | siPod 2 | Android\n    3. Devices | iPod 2 | Android\n",
        "Devices | iPod 2 | Android",
    );
    assert_eq!(values, ["iPod 2", "Android"]);
}

#[test]
fn a_glued_row_with_macarthur_among_certain_places_imports_as_written() {
    let env = Env::seeded();
    let path = env.write(
        "truman-vs-attlee.txt",
        &document("Main rivalDouglas MacArthurWinston Churchill"),
    );
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT figure, value FROM comparison_table WHERE attribute = 'Main rival'"
        ),
        [
            "Harry S. Truman|Douglas MacArthur",
            "Clement Attlee|Winston Churchill"
        ]
    );
}

/// A document whose table has the rows `rows`, for Truman vs. Attlee.
fn document_with_rows(rows: &[&str]) -> String {
    document(&rows.join("\n"))
}

#[test]
fn the_import_and_its_dry_run_name_every_unresolved_row_of_every_document_at_once() {
    let env = Env::seeded();
    let one = env.write(
        "one.txt",
        &document_with_rows(&["DevicesiPod 2Android", "Rowxyzqwv plkjh"]),
    );
    let two = env.write(
        "two.txt",
        &document("OpponentMacArthur's armyde Gaulle's France")
            .replace("Harry S. Truman", "Harry Truman"),
    );
    let before = bytes(&env.db());
    let dry = env
        .versus(&[
            "import",
            "--dry-run",
            one.to_str().unwrap(),
            two.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(dry.status.code(), Some(0));
    let stderr = String::from_utf8(dry.stderr).unwrap();
    for named in [
        format!(
            "versus: {}:13: the table row \"DevicesiPod 2Android\"",
            one.display()
        ),
        format!(
            "versus: {}:14: the table row \"Rowxyzqwv plkjh\"",
            one.display()
        ),
        format!(
            "versus: {}:13: the table row \"OpponentMacArthur's armyde Gaulle's France\"",
            two.display()
        ),
    ] {
        assert!(stderr.contains(&named), "{named} in\n{stderr}");
    }
    assert!(
        stderr.ends_with("versus: 3 rows in 2 documents need a decision: `versus resolve`\n"),
        "{stderr}"
    );
    assert_eq!(bytes(&env.db()), before, "the dry run wrote nothing");
    // The import names the same rows, and says how many rows are kept.
    let import = env
        .versus(&["import", one.to_str().unwrap(), two.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(import.status.code(), Some(0));
    assert_eq!(String::from_utf8(import.stderr).unwrap(), stderr);
    let stdout = String::from_utf8(import.stdout).unwrap();
    assert!(
        stdout.contains(
            "(Harry S. Truman vs. Clement Attlee): 3 attributes (2 unresolved), 1 section"
        ),
        "{stdout}"
    );
}

#[test]
fn a_row_separated_into_the_wrong_number_of_cells_is_kept_and_named() {
    let env = Env::seeded();
    let path = env.write("truman-vs-attlee.txt", &document("Born | 1884"));
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr(format!(
            "versus: {}:13: the table row \"Born | 1884\" is kept as written, unresolved: its cells are separated by a tab or \" | \", but not into the attribute and one value per figure\nversus: 1 row in 1 document needs a decision: `versus resolve`\n",
            path.display()
        ));
    assert_eq!(
        env.rows(&env.db(), "SELECT text, line FROM unresolved_rows"),
        ["Born | 1884|13"]
    );
}

#[test]
fn an_unresolved_row_goes_through_the_json_export_and_back_as_written() {
    let env = Env::seeded();
    let text = document("DevicesiPod 2Android");
    let path = env.write("truman-vs-attlee.txt", &text);
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success();
    let json = stdout_of(&mut env.versus(&["export", "truman-vs-attlee", "--format", "json"]));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        value["table"][1],
        serde_json::json!({"attribute": "DevicesiPod 2Android", "values": {}, "unresolved": true})
    );
    // Into a new database: the same document, the same text.
    let backup = env.write("backup.json", &json);
    env.versus(&["--db", "other.db", "init"]).assert().success();
    env.versus(&["--db", "other.db", "import", backup.to_str().unwrap()])
        .assert()
        .success()
        .stderr(format!(
            "versus: {}: the table row \"DevicesiPod 2Android\" is kept as written, unresolved: no reading of it is supported\nversus: 1 row in 1 document needs a decision: `versus resolve`\n",
            backup.display()
        ));
    env.versus(&["--db", "other.db", "export", "truman-vs-attlee"])
        .assert()
        .success()
        .stdout(text);
    // An unresolved row has no values to give.
    let bad = env.write(
        "bad.json",
        &json.replace("\"values\": {}", "\"values\": {\"Harry S. Truman\": \"x\"}"),
    );
    env.versus(&["--db", "other.db", "import", bad.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "table row 2 (\"DevicesiPod 2Android\") is unresolved, so it has no values or separator",
        ));
}

#[test]
fn a_resolution_another_tool_stored_splits_the_row_on_the_next_import() {
    let env = Env::seeded();
    let text = document("DevicesiPod 2Android");
    let path = env.write("truman-vs-attlee.txt", &text);
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "INSERT INTO row_resolutions (text, cells) VALUES ('DevicesiPod 2Android', 'Devices | iPod 2 | Android')",
        [],
    )
    .unwrap();
    // A resolution whose cells are not the row's text is not used.
    conn.execute(
        "INSERT INTO row_resolutions (text, cells) VALUES ('Role in 1945x', 'Role | in | 1945')",
        [],
    )
    .unwrap();
    drop(conn);
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        env.rows(
            &env.db(),
            "SELECT figure, value FROM comparison_table WHERE attribute = 'Devices'"
        ),
        ["Harry S. Truman|iPod 2", "Clement Attlee|Android"]
    );
    assert!(
        env.rows(&env.db(), "SELECT * FROM unresolved_rows")
            .is_empty()
    );
    // Written back byte for byte: the resolution placed boundaries only.
    env.versus(&["export", "truman-vs-attlee"])
        .assert()
        .success()
        .stdout(text);
}
