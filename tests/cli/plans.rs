//! Query plans: a named query about one document looks everything up by
//! index, so its time does not grow with the number of documents.

use crate::support::*;

/// The `--show-sql` output split into its `.parameter set` values and its SQL.
fn split_show_sql(text: &str) -> (Vec<(String, String)>, String) {
    let mut params = Vec::new();
    let mut sql = Vec::new();
    for line in text.lines() {
        match line.strip_prefix(".parameter set :") {
            Some(rest) => {
                let (name, value) = rest.split_once(' ').unwrap();
                // Only plain values are read back here: a number, or one
                // SQL string literal in the shell's double quotes.
                assert!(
                    value.parse::<f64>().is_ok()
                        || (value.starts_with("\"'")
                            && value.ends_with("'\"")
                            && !value.contains("||")
                            && !value.contains('\\')),
                    "not a plain value: {line}"
                );
                let value = value
                    .trim_start_matches("\"'")
                    .trim_end_matches("'\"")
                    .replace("''", "'");
                params.push((name.to_string(), value));
            }
            None => sql.push(line),
        }
    }
    (params, sql.join("\n"))
}

#[test]
fn one_document_queries_scan_no_table() {
    let env = Env::seeded();
    env.versus(&["import", env.write("lenin.txt", LENIN).to_str().unwrap()])
        .assert()
        .success();
    let queries: &[(&str, &[&str])] = &[
        ("foreign policy differences", &[]),
        ("differences", &["-p", "topic=legacy"]),
        ("comparison table", &[]),
        ("summary", &[]),
        ("sections", &[]),
        ("section", &["-p", "heading=legacy"]),
        ("figures", &[]),
        ("mentions", &["-p", "figure=Trotsky"]),
    ];
    for (name, params) in queries {
        let mut args = vec![
            "query",
            name,
            "-p",
            "document=lenin-vs-trotsky",
            "--show-sql",
        ];
        args.extend_from_slice(params);
        let (values, sql) = split_show_sql(&stdout_of(&mut env.versus(&args)));
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut args = vec![
            "sql".to_string(),
            explain,
            "--format".to_string(),
            "tsv".to_string(),
        ];
        for (key, value) in values {
            args.push("-p".to_string());
            args.push(format!("{key}={value}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let plan = stdout_of(&mut env.versus(&args));
        let details: Vec<&str> = plan
            .lines()
            .skip(1)
            .filter_map(|l| l.split('\t').nth(3))
            .collect();
        // A subquery run as a co-routine is read row by row as it makes
        // them: scanning it is no table scan (its own steps are checked).
        let coroutines: Vec<String> = details
            .iter()
            .filter_map(|d| d.strip_prefix("CO-ROUTINE "))
            .map(|name| format!("SCAN {name}"))
            .collect();
        let scans: Vec<&str> = details
            .iter()
            .copied()
            .filter(|detail| {
                detail.starts_with("SCAN ")
                    && !detail.starts_with("SCAN (subquery")
                    && !detail.starts_with("SCAN CONSTANT")
                    && !coroutines.iter().any(|c| c == detail)
            })
            .collect();
        assert!(scans.is_empty(), "{name} scans {scans:?}:\n{plan}");
        assert!(plan.contains("SEARCH"), "{name}: {plan}");
    }
}
