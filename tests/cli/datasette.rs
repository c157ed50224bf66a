//! `versus queries --format datasette` against a real Datasette (from the
//! `target/peers` virtual environment, run in-process by its own Python
//! through `Datasette(...).client`, and once as `datasette serve` read by a
//! headless Chromium): for every built-in query, on the seed plus documents
//! written to break naive SQL (two figures of one document sharing a
//! surname, a surname two documents share, a title with quotes, topics with
//! punctuation, small words and capitals beyond A-Z, three figures in one
//! title), Datasette's rows equal versus's rows for the same inputs, typed
//! as a user would type them.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::peers;
use crate::support::*;

/// Two figures of one document share a surname (Adams names neither).
const ADAMS: &str = "John Adams vs. Samuel Adams

What's the Difference?

John Adams and Samuel Adams were cousins from Massachusetts who both signed the Declaration of Independence.

Comparison

Attribute | John Adams | Samuel Adams
Leadership style | Lawyerly, cautious & principled | Agitator, organizer of the Sons of Liberty
Role in the Revolution | Diplomat in Europe | Organizer of the Boston Tea Party

Further Detail

Leadership Style

John argued cases in court and wrote the Massachusetts constitution.

Samuel organized crowds in Boston and wrote to the newspapers.

Adams was a name both of them carried into the Continental Congress.
";

/// Three figures, one of them (Trotsky) compared in the seed too.
const THREE: &str = "Vladimir Lenin vs. Leon Trotsky vs. Nikolai Bukharin

What's the Difference?

Lenin, Trotsky and Bukharin led the Bolsheviks in 1917 and argued about what came after.

Comparison

Attribute | Vladimir Lenin | Leon Trotsky | Nikolai Bukharin
Economic policies | The New Economic Policy | Planned industrialization | Peasant prosperity under the NEP
Leadership style | Decisive party leader | Brilliant, aloof orator | Genial theorist

Further Detail

Legacy

Lenin's body still lies in the mausoleum on Red Square.

Bukharin was rehabilitated by the Soviet state in 1988.
";

/// Asks an in-process Datasette for each path read from stdin (a JSON
/// list) and prints a JSON list of `{"status", "body"}`.
const RUNNER: &str = r#"
import asyncio, json, sys
from datasette.app import Datasette

async def main():
    db, meta = sys.argv[1], sys.argv[2]
    paths = json.load(sys.stdin)
    with open(meta, encoding="utf-8") as f:
        ds = Datasette([db], metadata=json.load(f))
    out = []
    for path in paths:
        response = await ds.client.get(path)
        try:
            body = response.json()
        except Exception:
            body = response.text
        out.append({"status": response.status_code, "body": body})
    json.dump(out, sys.stdout)

asyncio.run(main())
"#;

/// Every built-in query with inputs as a user types them, in Datasette and
/// in versus alike: absent optional parameters, topics in other case and
/// spacing, documents by slug or title, figures by surname or full name.
const CASES: &[(&str, &[(&str, &str)])] = &[
    ("comparison table", &[]),
    ("comparison table", &[("document", "adams-vs-adams")]),
    (
        "comparison table",
        &[("document", "THOMAS \"TIP\" O'NEILL VS. SAM RAYBURN")],
    ),
    ("differences", &[("topic", "Leadership Style")]),
    ("differences", &[("topic", "  leadership   STYLE ")]),
    (
        "differences",
        &[
            ("topic", "leadership style"),
            ("document", "Paul O'Neill vs. Alan Greenspan"),
        ],
    ),
    (
        "differences",
        &[("topic", "ROLE IN THE U.S. HOUSE (1953-1987)")],
    ),
    (
        "differences",
        &[("topic", "the speaker's legacy as seen by the public")],
    ),
    ("differences", &[("topic", "ÉCONOMIE POLITIQUE")]),
    (
        "differences",
        &[
            ("topic", "role in the revolution"),
            ("document", "adams-vs-adams"),
        ],
    ),
    ("documents", &[]),
    ("unresolved", &[]),
    ("unresolved", &[("document", "adams-vs-adams")]),
    ("figures", &[]),
    ("figures", &[("document", "Stalin-vs-Trotsky")]),
    ("mentions", &[("figure", "trotsky")]),
    ("mentions", &[("figure", "JOHN ADAMS")]),
    ("mentions", &[("figure", "Thomas \"Tip\" O'Neill")]),
    (
        "mentions",
        &[
            ("figure", "greenspan"),
            ("document", "o-neill-vs-greenspan"),
        ],
    ),
    ("search", &[("q", "five-year plans")]),
    ("search", &[("q", "trotsk*"), ("limit", "3")]),
    ("search", &[("q", "\"permanent revolution")]),
    ("search", &[("q", "ÉCONOMIE")]),
    (
        "search",
        &[
            ("q", "O'Neill"),
            ("document", "o-neill-vs-rayburn"),
            ("figure", "Thomas \"Tip\" O'Neill"),
        ],
    ),
    (
        "search",
        &[
            ("q", "boston"),
            ("figure", "samuel adams"),
            ("before", "<<"),
            ("after", ">>"),
        ],
    ),
    ("section", &[("heading", "legacy")]),
    (
        "section",
        &[
            ("heading", "Role in the U.S. House"),
            ("document", "o-neill-vs-rayburn"),
        ],
    ),
    ("sections", &[]),
    ("sections", &[("document", "john adams vs. samuel adams")]),
    ("summary", &[]),
    (
        "summary",
        &[("document", "paul o'neill vs. alan greenspan")],
    ),
];

/// Inputs versus refuses (exit code 2, with a message), for which
/// Datasette's SQL gives no rows.
const NO_ROWS: &[(&str, &[(&str, &str)])] = &[
    // Two figures of one document share it.
    ("mentions", &[("figure", "Adams")]),
    // Two documents' figures share it.
    ("mentions", &[("figure", "o'neill")]),
    ("summary", &[("document", "no-such-document")]),
    ("differences", &[("topic", "zzz")]),
    ("differences", &[("topic", "the of and")]),
    ("search", &[("q", "-- !")]),
    ("search", &[("q", "boston"), ("figure", "Adams")]),
];

/// The Python of the virtual environment Datasette is installed in, or
/// `None` after a skip note.
fn datasette_python() -> Option<PathBuf> {
    let datasette = peers::datasette()?;
    Some(datasette.with_file_name("python"))
}

/// The seed and the documents above (all but `THREE` unless `three`).
fn hostile_database(env: &Env, three: bool) {
    env.init();
    let mut files = vec![
        env.write("adams.txt", ADAMS),
        env.write("oneill.txt", ONEILL),
        env.write("greenspan.txt", GREENSPAN),
    ];
    if three {
        files.push(env.write("three.txt", THREE));
    }
    let mut args = vec!["import".to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.versus(&args).assert().success();
    // Two table rows kept as written, as another tool could write them:
    // readings with a quote, a non-ASCII cell, and none at all.
    env.versus(&[
        "sql",
        "--write",
        "INSERT INTO unresolved_rows (document_id, position, line, text, readings)
         SELECT id, 90, 41, 'Terms served1412', 'Terms served | 14 | 12' || char(10) || 'Terms served | 1 | 412' || char(10) || 'Terms served1 | 41 | 2'
         FROM documents WHERE slug = 'adams-vs-adams'
         UNION ALL
         SELECT id, 91, NULL, 'Épouse«Abigail»Élisabeth', ''
         FROM documents WHERE slug = 'adams-vs-adams'",
    ])
    .assert()
    .success();
}

/// Writes `versus queries --format datasette ARGS` to `meta.json`.
fn write_metadata(env: &Env, args: &[&str]) -> PathBuf {
    let mut all = vec!["queries", "--format", "datasette"];
    all.extend_from_slice(args);
    let json = stdout_of(&mut env.versus(&all));
    env.write("meta.json", &json)
}

/// `/versus/<query>.json?_shape=array&k=v...`, every value percent-encoded.
fn path(query: &str, params: &[(&str, &str)]) -> String {
    let mut path = format!("/versus/{}.json?_shape=array", encode(query));
    for (k, v) in params {
        path.push_str(&format!("&{}={}", encode(k), encode(v)));
    }
    path
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The key of a query in the metadata: its name with hyphens.
fn key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join("-")
}

/// Datasette's answer to each path: status and JSON body.
fn ask_datasette(python: &Path, db: &Path, meta: &Path, paths: &[String]) -> Vec<(u64, Value)> {
    let dir = meta.parent().unwrap();
    let runner = dir.join("runner.py");
    std::fs::write(&runner, RUNNER).unwrap();
    let mut child = Command::new(python)
        .arg(&runner)
        .arg(db)
        .arg(meta)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start Datasette's python");
    let input = serde_json::to_vec(paths).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "Datasette failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let answers: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    answers
        .into_iter()
        .map(|a| (a["status"].as_u64().unwrap(), a["body"].clone()))
        .collect()
}

/// versus's rows (`versus query NAME -p ... --format json`), or its exit
/// code and message.
fn versus_rows(
    env: &Env,
    name: &str,
    params: &[(&str, &str)],
    extra: &[&str],
) -> Result<Value, (i32, String)> {
    let mut args: Vec<String> = vec!["query".to_string(), name.to_string()];
    for (k, v) in params {
        args.push("--param".to_string());
        args.push(format!("{k}={v}"));
    }
    args.extend(["--format".to_string(), "json".to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.versus(&args).output().unwrap();
    if out.status.success() {
        Ok(serde_json::from_slice(&out.stdout).unwrap())
    } else {
        Err((
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ))
    }
}

/// Equal JSON, numbers compared as doubles (versus writes every digit,
/// Python the shortest form).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(1.0)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.keys().collect::<Vec<_>>() == y.keys().collect::<Vec<_>>()
                && x.iter().all(|(k, v)| same(v, &y[k]))
        }
        _ => a == b,
    }
}

/// A comparison-table row as (document, attribute, {(figure, value)}):
/// from versus's pivot, the figure columns that are not NULL; from
/// Datasette's, the figure_N / value_N pairs and the lines of more_figures.
type Cells = (String, String, BTreeSet<(String, String)>);

fn pivot_cells(row: &Value) -> Cells {
    let row = row.as_object().unwrap();
    let mut cells = BTreeSet::new();
    for (column, value) in row {
        if column != "document" && column != "attribute" && !value.is_null() {
            cells.insert((column.clone(), value.as_str().unwrap().to_string()));
        }
    }
    (
        row["document"].as_str().unwrap().to_string(),
        row["attribute"].as_str().unwrap().to_string(),
        cells,
    )
}

fn positional_cells(row: &Value) -> Cells {
    let object = row.as_object().unwrap();
    let mut cells = BTreeSet::new();
    for n in 1.. {
        let Some(figure) = object.get(&format!("figure_{n}")) else {
            break;
        };
        if let Some(figure) = figure.as_str() {
            let value = object[&format!("value_{n}")].as_str().unwrap();
            cells.insert((figure.to_string(), value.to_string()));
        }
    }
    if let Some(more) = object["more_figures"].as_str() {
        for line in more.lines() {
            let (figure, value) = line.split_once(": ").unwrap();
            cells.insert((figure.to_string(), value.to_string()));
        }
    }
    (
        object["document"].as_str().unwrap().to_string(),
        object["attribute"].as_str().unwrap().to_string(),
        cells,
    )
}

fn rows(value: &Value) -> &Vec<Value> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not rows: {value}"))
}

/// Checks that Datasette and versus give the same rows for each case, and
/// that there are rows.
fn assert_same_rows(
    env: &Env,
    python: &Path,
    meta: &Path,
    cases: &[(&str, &[(&str, &str)])],
    extra: &[&str],
) {
    let paths: Vec<String> = cases.iter().map(|(q, p)| path(&key(q), p)).collect();
    let answers = ask_datasette(python, &env.db(), meta, &paths);
    for ((name, params), (status, body)) in cases.iter().zip(&answers) {
        let theirs = versus_rows(env, name, params, extra)
            .unwrap_or_else(|e| panic!("versus query {name} {params:?} failed: {e:?}"));
        assert_eq!(*status, 200, "{name} {params:?}: {body}");
        assert!(!rows(&theirs).is_empty(), "{name} {params:?}: no rows");
        if key(name) == "comparison-table" {
            let ours: Vec<Cells> = rows(body).iter().map(positional_cells).collect();
            let expected: Vec<Cells> = rows(&theirs).iter().map(pivot_cells).collect();
            assert_eq!(ours, expected, "{name} {params:?}");
        } else {
            assert!(
                same(body, &theirs),
                "{name} {params:?}:\nDatasette: {body}\nversus:    {theirs}"
            );
        }
    }
}

#[test]
fn datasette_answers_every_built_in_query_as_versus_does() {
    let Some(python) = datasette_python() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, true);
    let meta = write_metadata(&env, &[]);
    // Every built-in query is asked at least once.
    let listed: Value = serde_json::from_str(&stdout_of(
        &mut env.versus(&["queries", "--format", "json"]),
    ))
    .unwrap();
    for query in rows(&listed) {
        let name = query["name"].as_str().unwrap();
        if query["source"] == "built-in" && name != "<topic> differences" {
            assert!(CASES.iter().any(|(q, _)| *q == name), "no case asks {name}");
        }
    }
    assert_same_rows(&env, &python, &meta, CASES, &[]);
}

#[test]
fn what_versus_refuses_gives_no_rows_in_datasette() {
    let Some(python) = datasette_python() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, false);
    let meta = write_metadata(&env, &[]);
    let mut paths: Vec<String> = NO_ROWS.iter().map(|(q, p)| path(&key(q), p)).collect();
    // A limit that is not a whole number is an error in both, and so is a
    // negative one (SQLite would read it as no limit at all).
    let bad_limits = ["many", "-1"];
    for limit in bad_limits {
        paths.push(path("search", &[("q", "boston"), ("limit", limit)]));
    }
    let answers = ask_datasette(&python, &env.db(), &meta, &paths);
    for ((name, params), (status, body)) in NO_ROWS.iter().zip(&answers) {
        let (code, message) = versus_rows(&env, name, params, &[])
            .expect_err(&format!("versus answers {name} {params:?}"));
        assert_eq!(code, 2, "{name} {params:?}: {message}");
        assert_eq!(*status, 200, "{name} {params:?}: {body}");
        assert_eq!(rows(body).len(), 0, "{name} {params:?}: {body}");
    }
    for (limit, (status, body)) in bad_limits
        .iter()
        .zip(&answers[answers.len() - bad_limits.len()..])
    {
        assert_eq!(*status, 400, "{limit}: {body}");
        assert_eq!(body["error"], "datatype mismatch", "{limit}: {body}");
        let (code, _) = versus_rows(&env, "search", &[("q", "boston"), ("limit", limit)], &[])
            .expect_err("versus refuses the limit");
        assert_eq!(code, 2, "{limit}");
    }
    // The ambiguity is explained where it is typed.
    let metadata: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let mentions = metadata["databases"]["versus"]["queries"]["mentions"]["description"]
        .as_str()
        .unwrap();
    assert!(
        mentions.contains("a surname two figures share, gives no rows"),
        "{mentions}"
    );
}

/// The user's own queries: an integer with a default and an optional
/// document, an alias, a pivot (whose figures are those of the day), a
/// query of its own WITH, and a parameter named as Datasette's magic ones.
const MINE: &[(&str, &str)] = &[
    (
        "longest.sql",
        "-- name: longest paragraphs
-- title: Longest paragraphs
-- description: The longest paragraphs, longest first.
-- param: limit (integer, default 3) How many
-- param: document (document, optional) Only this document, by slug or title
SELECT d.slug AS document, length(p.text) AS chars, p.text
FROM paragraphs AS p JOIN sections AS s ON s.id = p.section_id JOIN documents AS d ON d.id = s.document_id
WHERE 1
  AND d.slug = :document  -- if :document
ORDER BY chars DESC, p.id
LIMIT :limit;
",
    ),
    (
        "style.sql",
        "-- name: style differences
-- title: Leadership styles
-- description: How each figure led.
-- runs: differences topic=Leadership Style
",
    ),
    (
        "values.sql",
        "-- name: values by figure
-- title: Values by figure
-- description: One attribute, a column per figure.
-- param: topic (topic, required) The attribute
-- pivot: figures
SELECT d.slug AS document
       -- pivot column: max(CASE WHEN f.name = $figure THEN a.value END)
FROM documents AS d JOIN attributes AS a ON a.document_id = d.id JOIN figures AS f ON f.id = a.figure_id
WHERE a.topic = :topic
GROUP BY d.id
ORDER BY d.id;
",
    ),
    (
        "with.sql",
        "-- name: documents of a figure
-- title: Documents of a figure
-- description: The documents with at least so many figures, of one figure or of all.
-- param: figure (figure, optional) Only the documents of this figure
-- param: _least (integer, default 2) At least this many figures
WITH counted AS (SELECT document_id, count(*) AS n FROM document_figures GROUP BY document_id)
SELECT d.slug AS document, c.n AS figures
FROM documents AS d JOIN counted AS c ON c.document_id = d.id
WHERE c.n >= $_least
  AND d.id IN (SELECT df.document_id FROM document_figures AS df JOIN figures AS f ON f.id = df.figure_id WHERE f.name = @figure)  -- if :figure
ORDER BY d.id;
",
    ),
];

#[test]
fn your_own_queries_are_canned_queries_too() {
    let Some(python) = datasette_python() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, true);
    std::fs::create_dir(env.path("mine")).unwrap();
    for (file, text) in MINE {
        env.write(&format!("mine/{file}"), text);
    }
    let meta = write_metadata(&env, &["--queries", "mine"]);
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("longest paragraphs", &[]),
        (
            "longest paragraphs",
            &[("limit", "2"), ("document", "Adams-vs-Adams")],
        ),
        ("style differences", &[]),
        ("style differences", &[("document", "o-neill-vs-greenspan")]),
        ("values by figure", &[("topic", "LEADERSHIP STYLE")]),
        ("documents of a figure", &[]),
        ("documents of a figure", &[("figure", "trotsky")]),
    ];
    assert_same_rows(&env, &python, &meta, cases, &["--queries", "mine"]);
    // `_least` is a magic name in Datasette: its field is `p_least`.
    let answers = ask_datasette(
        &python,
        &env.db(),
        &meta,
        &[path("documents-of-a-figure", &[("p_least", "3")])],
    );
    let theirs = versus_rows(
        &env,
        "documents of a figure",
        &[("_least", "3")],
        &["--queries", "mine"],
    )
    .unwrap();
    assert_eq!(answers[0].1, theirs);
    assert_eq!(rows(&theirs).len(), 1, "{theirs}");
    let metadata: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let queries = &metadata["databases"]["versus"]["queries"];
    assert_eq!(
        queries["documents-of-a-figure"]["params"],
        serde_json::json!(["figure", "p_least"])
    );
    let pivot = queries["values-by-figure"]["description"].as_str().unwrap();
    assert!(
        pivot.contains("the figure columns are those of versus.db when this metadata was written"),
        "{pivot}"
    );
    let alias = queries["style-differences"]["description"]
        .as_str()
        .unwrap();
    assert!(
        alias.contains("(Runs \"differences\" with topic=Leadership Style.)"),
        "{alias}"
    );
}

#[test]
fn the_comparison_table_stays_right_after_an_import() {
    let Some(python) = datasette_python() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, false);
    // Written when no document has more than two figures...
    let meta = write_metadata(&env, &[]);
    // ...and asked after one with three and a new figure came in.
    env.versus(&["import", env.write("three.txt", THREE).to_str().unwrap()])
        .assert()
        .success();
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("comparison table", &[]),
        (
            "comparison table",
            &[("document", "lenin-vs-trotsky-vs-bukharin")],
        ),
    ];
    assert_same_rows(&env, &python, &meta, cases, &[]);
    let answers = ask_datasette(
        &python,
        &env.db(),
        &meta,
        &[path("comparison-table", cases[1].1)],
    );
    let first = &rows(&answers[0].1)[0];
    assert_eq!(first["figure_2"], "Leon Trotsky");
    assert_eq!(
        first["more_figures"],
        "Nikolai Bukharin: Peasant prosperity under the NEP"
    );
}

/// A document of 1,001 figures (as JSON: `Ada Kaaa`, `Ada Kbaa`, ...), two
/// rows, each value naming its figure's place.
fn widest_document(figures: usize) -> String {
    let names: Vec<String> = (0..figures)
        .map(|i| {
            let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
            format!("Ada K{}{}{}", letter(i), letter(i / 26), letter(i / 676))
        })
        .collect();
    let row = |attribute: &str, value: &dyn Fn(usize) -> String| {
        let values: serde_json::Map<String, Value> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), Value::String(value(i + 1))))
            .collect();
        serde_json::json!({"attribute": attribute, "values": values})
    };
    serde_json::json!({
        "title": names.join(" vs. "),
        "figures": names,
        "summary": "Many people at once.",
        "table": [
            row("Place", &|n| format!("place {n}")),
            row("Era", &|n| format!("e{n}")),
        ],
        "sections": [],
    })
    .to_string()
}

/// SQLite gives a result at most 2,000 columns: once a document had more
/// than 999 figures, the positional table (two columns per place) failed
/// with "too many columns in result set", for every document. The pairs
/// stop within the limit and the figures past them are in more_figures,
/// so every document still gives versus's rows.
#[test]
fn a_document_of_more_than_999_figures_keeps_the_comparison_table_within_sqlites_columns() {
    let Some(python) = datasette_python() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, true);
    let wide = env.write("wide.json", &widest_document(1001));
    env.versus(&["import", wide.to_str().unwrap()])
        .assert()
        .success();
    let slug = stdout_of(&mut env.versus(&[
        "sql",
        "SELECT slug FROM documents ORDER BY id DESC LIMIT 1",
        "--format",
        "csv",
        "--no-headers",
    ]));
    let slug = slug.trim();
    assert!(slug.starts_with("kaaa-vs-kbaa-vs-"), "{slug}");
    let meta = write_metadata(&env, &[]);
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("comparison table", &[]),
        ("comparison table", &[("document", "adams-vs-adams")]),
        ("comparison table", &[("document", slug)]),
    ];
    assert_same_rows(&env, &python, &meta, cases, &[]);
    let answers = ask_datasette(
        &python,
        &env.db(),
        &meta,
        &[path("comparison-table", cases[2].1)],
    );
    let first = &rows(&answers[0].1)[0];
    let columns = first.as_object().unwrap();
    assert!(columns.len() <= 2000, "{} columns", columns.len());
    assert_eq!(first["value_998"], "place 998");
    assert!(columns.get("value_999").is_none());
    assert_eq!(
        first["more_figures"],
        "Ada Kkmb: place 999\nAda Klmb: place 1000\nAda Kmmb: place 1001"
    );
    // The description says where the pairs stop, and why.
    let metadata: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let description = metadata["databases"]["versus"]["queries"]["comparison-table"]["description"]
        .as_str()
        .unwrap();
    assert!(
        description.contains("A document of versus.db has 1001 figures: the pairs stop at the 998th, as SQLite gives a result at most 2000 columns."),
        "{description}"
    );
}

#[test]
fn the_metadata_is_keyed_by_the_file_stem_and_configures_search() {
    let Some(python) = datasette_python() else {
        return;
    };
    let env = Env::new();
    // No database: the metadata is for the one `versus init` makes, and
    // nothing is created.
    let out = env
        .versus(&["queries", "--format", "datasette"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("there is no database at versus.db yet"),
        "{stderr}"
    );
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(metadata["databases"]["versus"]["queries"]["summary"].is_object());
    let out = env
        .versus(&["--db", "my.data.db", "queries", "--format", "datasette"])
        .output()
        .unwrap();
    let metadata: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        metadata["databases"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["my.data"]
    );
    assert!(env.files().is_empty(), "{:?}", env.files());

    // The search table, searched the way Datasette searches a table.
    env.init();
    let meta = write_metadata(&env, &[]);
    let metadata: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let search_items = &metadata["databases"]["versus"]["tables"]["search_items"];
    assert_eq!(search_items["fts_table"], "search_index", "{search_items}");
    assert_eq!(search_items["fts_pk"], "id", "{search_items}");
    assert_eq!(
        metadata["databases"]["versus"]["tables"]["titles_to_key"]["hidden"],
        serde_json::json!(true)
    );
    let answers = ask_datasette(
        &python,
        &env.db(),
        &meta,
        &[
            "/versus/search_items.json?_search=permanent+revolution&_shape=array".to_string(),
            "/versus.json".to_string(),
        ],
    );
    // versus's bookkeeping table is out of the list of tables.
    let tables = answers[1].1["tables"].as_array().unwrap();
    let hidden: Vec<&str> = tables
        .iter()
        .filter(|t| {
            let name = t["name"].as_str().unwrap();
            t["hidden"] == true
                && !name.starts_with("search_index")
                && !name.starts_with("search_cjk")
        })
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(hidden, ["titles_to_key"], "{}", answers[1].1);
    let hits = rows(&answers[0].1);
    assert!(!hits.is_empty(), "{}", answers[0].1);
    for hit in hits {
        let text = hit["text"].as_str().unwrap().to_lowercase();
        assert!(
            text.contains("permanent") && text.contains("revolution"),
            "{text}"
        );
    }
}

/// `datasette serve`, ended when dropped, whatever happened.
struct Server {
    child: Child,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The status line of `GET path`, if the server answers.
fn get_status(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.lines().next().map(str::to_string)
}

/// `datasette serve` on the database with the metadata `meta`, once it
/// answers, and its port.
fn serve(env: &Env, datasette: &Path, meta: &Path) -> (Server, u16) {
    let port = free_port();
    let log = env.path("datasette.log");
    let server = Server {
        child: Command::new(datasette)
            .arg("serve")
            .arg(env.db())
            .arg("-m")
            .arg(meta)
            .args(["--host", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .current_dir(env.dir.path())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start datasette serve"),
        log,
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if get_status(port, "/-/versions.json").is_some_and(|s| s.contains(" 200")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "datasette serve did not answer: {}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    (server, port)
}

/// The page at `url` as the headless browser holds it after loading
/// (`--dump-dom`): what a person sees, scripts run.
fn dump_dom(env: &Env, browser: &Path, url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let dom = env.path("dom.html");
    let mut chromium = Server {
        child: Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--dump-dom", url])
            .stdout(std::fs::File::create(&dom).unwrap())
            .stderr(std::fs::File::create(env.path("chromium.log")).unwrap())
            .spawn()
            .expect("start chromium-headless-shell"),
        log: env.path("chromium.log"),
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(status) = chromium.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the browser did not finish: {}",
            chromium.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(status.success(), "the browser failed: {}", chromium.log());
    std::fs::read_to_string(&dom).unwrap()
}

#[test]
fn a_browser_finds_both_figures_values_on_a_canned_query_page() {
    let Some(datasette) = peers::datasette() else {
        return;
    };
    let Some(browser) = peers::browser() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, false);
    let meta = write_metadata(&env, &[]);
    let (server, port) = serve(&env, &datasette, &meta);
    let url = format!(
        "http://127.0.0.1:{port}/versus/comparison-table?document={}",
        encode("Thomas \"Tip\" O'Neill vs. Sam Rayburn")
    );
    let page = dump_dom(&env, &browser, &url);
    // The values as the DOM holds them: the page's &#34; and &#39; read
    // back as quotes.
    for text in [
        "figure_1",
        "value_2",
        "Thomas \"Tip\" O'Neill",
        "Speaker from 1977 to 1987, \"All politics is local\"",
        "Sam Rayburn",
        "Speaker for seventeen years, the longest ever",
        "Larger than life in Boston",
        "Mr. Democrat of Texas",
    ] {
        assert!(
            page.contains(text),
            "{text:?} is not on the page {url}:\n{}",
            &page[..page.len().min(4000)]
        );
    }
    // Only that document's rows.
    assert!(!page.contains("Stalin"), "{page}");
    drop(server);
}

/// The page below Datasette's header: what a person reads, without the
/// `<head>` (whose `<title>` holds a canned query's SQL, as Datasette
/// writes it for every query page).
fn content(page: &str) -> &str {
    let start = page
        .find("<section class=\"content\">")
        .unwrap_or_else(|| panic!("no content section:\n{page}"));
    &page[start..]
}

/// Where `tag` first appears in `page`, which must hold it.
fn place(page: &str, tag: &str) -> usize {
    page.find(tag)
        .unwrap_or_else(|| panic!("{tag:?} is not on the page:\n{page}"))
}

/// The text of each cell of the column `column` in the page's table of
/// rows, tags left out (a label's link and its id in `<em>` read as
/// "Joseph Stalin 1").
fn cells(page: &str, column: &str) -> Vec<String> {
    let open = format!("<td class=\"col-{column}");
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find(&open) {
        let cell = &rest[at..];
        let cell = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
        let mut text = String::new();
        let mut in_tag = false;
        for c in cell.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        found.push(
            text.replace("&nbsp;", " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        );
        rest = &rest[at + open.len()..];
    }
    found
}

/// What Datasette shows above a canned query's form: its description.
fn description_on(page: &str) -> String {
    let start = place(page, "<div class=\"metadata-description\">");
    let text = &page[start..];
    let text = &text[text.find('>').unwrap() + 1..text.find("</div>").unwrap()];
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each canned query's page shows, in this order, a short description,
/// the form and the rows; the generated SQL (thousands of characters) is
/// hidden behind Datasette's "show" link. Search hits come best first,
/// and a table's foreign keys to figures, sections and documents show
/// their names.
#[test]
fn a_browser_sees_the_form_then_the_rows_with_the_sql_hidden() {
    let Some(datasette) = peers::datasette() else {
        return;
    };
    let Some(browser) = peers::browser() else {
        return;
    };
    let env = Env::new();
    hostile_database(&env, false);
    let meta = write_metadata(&env, &[]);
    let (server, port) = serve(&env, &datasette, &meta);
    let url = |path: &str| format!("http://127.0.0.1:{port}{path}");

    for (path, rows_hold) in [
        (
            "/versus/differences?topic=foreign+policy",
            &["Joseph Stalin", "Leon Trotsky"][..],
        ),
        ("/versus/search?q=revolution", &["[revolution]"][..]),
        (
            "/versus/mentions?figure=trotsky",
            &["stalin-vs-trotsky"][..],
        ),
    ] {
        let dom = dump_dom(&env, &browser, &url(path));
        let page = content(&dom);
        let description = description_on(page);
        assert!(
            description.len() <= 320 && description.contains("Type"),
            "{path}: {description}"
        );
        let (said, form, rows) = (
            place(page, "<div class=\"metadata-description\">"),
            place(page, "<form class=\"sql\""),
            place(page, "<table class=\"rows-and-columns\">"),
        );
        assert!(said < form && form < rows, "{path}: {said} {form} {rows}");
        assert!(
            place(page, "<label for=\"qp1\">") < rows,
            "{path}: the fields come before the rows"
        );
        for shown in [
            "<pre id=\"sql-query\"",
            "<textarea",
            "WITH RECURSIVE",
            "char(9, 10",
        ] {
            assert!(!page.contains(shown), "{path} shows {shown:?}:\n{page}");
        }
        assert!(
            page.contains("_show_sql=1"),
            "{path}: no link to show the SQL"
        );
        for text in rows_hold {
            let at = place(page, text);
            assert!(at > rows, "{path}: {text:?} is above the rows");
        }
    }

    // Search: best first.
    let dom = dump_dom(&env, &browser, &url("/versus/search?q=revolution"));
    let scores: Vec<f64> = cells(content(&dom), "score")
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert!(scores.len() > 2, "{scores:?}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    // A foreign key shows the name of the row it points to.
    let dom = dump_dom(&env, &browser, &url("/versus/paragraphs?_size=200"));
    let page = content(&dom);
    assert!(
        cells(page, "figure_id").contains(&"Joseph Stalin 1".to_string()),
        "{:?}",
        cells(page, "figure_id")
    );
    assert!(
        cells(page, "section_id").contains(&"Background 1".to_string()),
        "{:?}",
        cells(page, "section_id")
    );
    let dom = dump_dom(
        &env,
        &browser,
        &url("/versus/search_items?_search=revolution"),
    );
    let page = content(&dom);
    assert!(
        cells(page, "document_id").contains(&"Joseph Stalin vs. Leon Trotsky 1".to_string()),
        "{:?}",
        cells(page, "document_id")
    );
    // Its figure_id and section_id have no foreign key (migration 2): the
    // table's description sends a reader to the query that names them.
    assert!(
        description_on(page).contains("use the query Full-text search"),
        "{}",
        description_on(page)
    );
    drop(server);
}

/// `hide_sql` on every canned query, a description of what it answers and
/// what to type (the rules of typing are in docs/DATABASE.md), and the
/// label columns of the tables that foreign keys point to.
#[test]
fn every_canned_query_hides_its_sql_and_says_briefly_what_to_type() {
    let env = Env::seeded();
    let meta = write_metadata(&env, &[]);
    let metadata: Value = serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    let database = &metadata["databases"]["versus"];
    let queries = database["queries"].as_object().unwrap();
    assert!(queries.len() >= 10, "{queries:?}");
    for (name, query) in queries {
        assert_eq!(query["hide_sql"], true, "{name}");
        let description = query["description"].as_str().unwrap();
        assert!(description.len() <= 320, "{name}: {description}");
        if !query["params"].as_array().unwrap().is_empty() {
            assert!(description.contains("Type "), "{name}: {description}");
        }
    }
    for (table, label) in [
        ("documents", "title"),
        ("figures", "name"),
        ("sections", "heading"),
    ] {
        assert_eq!(database["tables"][table]["label_column"], label, "{table}");
        // The column is there to be shown.
        env.versus(&["sql", &format!("SELECT {label} FROM {table} LIMIT 1")])
            .assert()
            .success();
    }
    // A query of your own: its `-- brief:` is the page's text, or, without
    // one, its description and a line per field.
    env.write(
        "mine.sql",
        "-- name: titles\n-- title: Titles\n-- description: Every title, and why it is kept.\n-- brief: Every title. Type a document, or leave it empty.\n-- param: document (document, optional) Only this document\nSELECT title FROM documents WHERE 1\n  AND slug = :document  -- if :document\n;\n-- name: plain titles\n-- title: Plain titles\n-- description: Every title.\n-- param: document (document, optional) Only this document\nSELECT title FROM documents WHERE 1\n  AND slug = :document  -- if :document\n;\n",
    );
    let mine = write_metadata(&env, &["--queries", "mine.sql"]);
    let mine: Value = serde_json::from_str(&std::fs::read_to_string(&mine).unwrap()).unwrap();
    let mine = &mine["databases"]["versus"]["queries"];
    assert_eq!(
        mine["titles"]["description"],
        "Every title. Type a document, or leave it empty."
    );
    assert!(!mine["titles"]["sql"].as_str().unwrap().contains("brief"));
    assert_eq!(
        mine["plain-titles"]["description"],
        "Every title. In Datasette: document (optional): Only this document. An empty field is a parameter not given."
    );
    // The `-- brief:` of the query file, not its description of versus's
    // rules (those of typing in Datasette are in docs/DATABASE.md).
    let differences = queries["differences"]["description"].as_str().unwrap();
    assert!(
        differences.starts_with("How the figures differ on one topic")
            && !differences.contains("Topics match ignoring case"),
        "{differences}"
    );
}
