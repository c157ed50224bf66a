//! Glued table rows whose cells cannot be told apart for sure: a cell that
//! begins in lowercase (`de Gaulle's France`, `iPod 2`) next to a capital
//! inside a word (`MacArthur`, `iPod`). Such a row is refused, naming the
//! line, the row and the fix, and nothing is stored; written with `" | "` it
//! imports exactly as written.

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

/// Imports the document with the glued `row` and checks it is refused with
/// exit code 3 and one line on stderr, the database file unchanged; then
/// imports it with the row written `separated` and returns the row's values
/// in figure order.
fn refused_then_imported(glued: &str, expected_problem: &str, separated: &str) -> Vec<String> {
    let env = Env::new();
    env.init();
    let before = bytes(&env.db());
    let path = env.write("truman-vs-attlee.txt", &document(glued));
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "versus: cannot import {}: line 13: {expected_problem}; separate its cells with a tab or \" | \" (for example `Attribute | value | value`) and import again\n",
            path.display()
        ));
    assert_eq!(
        bytes(&env.db()),
        before,
        "the database file is byte for byte unchanged"
    );

    let path = env.write("truman-vs-attlee.txt", &document(separated));
    env.versus(&["import", path.to_str().unwrap()])
        .assert()
        .success();
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
    out.lines().skip(1).map(str::to_string).collect()
}

#[test]
fn a_row_with_macarthur_and_a_lowercase_cell_is_refused_until_separated() {
    let values = refused_then_imported(
        "OpponentMacArthur's armyde Gaulle's France",
        "cannot split the table row \"OpponentMacArthur's armyde Gaulle's France\" into 3 cells for sure: it has only 1 certain place (Opponent|Mac), and 1 place that may be inside a word rather than between cells, Mac|Arthur's (Mc and Mac begin names such as MacArthur and never end a cell)",
        "Opponent | MacArthur's army | de Gaulle's France",
    );
    assert_eq!(values, ["MacArthur's army", "de Gaulle's France"]);
}

#[test]
fn a_row_with_an_ipod_is_refused_until_separated() {
    let values = refused_then_imported(
        "DevicesiPod 2Android",
        "cannot split the table row \"DevicesiPod 2Android\" into 3 cells for sure: it has only 1 certain place (2|Android), and 1 place that may be inside a word rather than between cells, Devicesi|Pod (a word can begin with a lowercase letter, as in iPod or kWh)",
        "Devices | iPod 2 | Android",
    );
    assert_eq!(values, ["iPod 2", "Android"]);
}

#[test]
fn a_glued_row_with_macarthur_among_certain_places_imports_as_written() {
    let env = Env::new();
    env.init();
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
