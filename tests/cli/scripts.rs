//! Names in every script: which figure a paragraph is about (attribution,
//! computed by versus) and the named query `mentions` (SQL any tool runs)
//! read names by one rule, and agree on documents in Latin with
//! diacritics, Greek, Cyrillic, Chinese and Japanese, on names glued to
//! punctuation, possessives, longer words, and things named in lowercase.

use crate::support::*;

/// A document of `figures` whose paragraphs are `paragraphs`.
fn document(figures: &[&str], paragraphs: &[&str]) -> String {
    format!(
        "{title}\n\nWhat's the Difference?\n\nA summary.\n\nComparison\n\nAttribute | {header}\nRole | one | two\n\nFurther Detail\n\nBackground\n\n{paragraphs}\n",
        title = figures.join(" vs. "),
        header = figures.join(" | "),
        paragraphs = paragraphs.join("\n\n"),
    )
}

/// Each case: the figures, then each paragraph with the figure it is
/// about (index, or None) and every figure it names.
type Case = (
    &'static [&'static str],
    &'static [(&'static str, Option<usize>, &'static [usize])],
);

const CASES: &[Case] = &[
    (
        &["Émile Zola", "Victor Hugo"],
        &[
            ("Zola’s novels were read widely.", Some(0), &[0]),
            (
                "«Hugo» wrote, while Zola's friends waited.",
                Some(1),
                &[0, 1],
            ),
            ("The Zolaesque style and Hugolian prose.", None, &[]),
            ("Émile wrote (Victor answered).", Some(0), &[0, 1]),
            ("Hugo—unlike anyone—wrote Les Misérables.", Some(1), &[1]),
        ],
    ),
    (
        &["Σωκράτης", "Πλάτων"],
        &[
            ("Ο Πλάτων έγραψε διαλόγους.", Some(1), &[1]),
            ("Ο Σωκράτης· και ο Πλάτων μίλησαν.", Some(0), &[0, 1]),
            ("Η Πλάτωνική φιλοσοφία.", None, &[]),
        ],
    ),
    (
        &["Владимир Ленин", "Лев Троцкий"],
        &[
            ("Ленинизм и Троцкий.", Some(1), &[1]),
            ("«Ленин» сказал: Троцкий прав.", Some(0), &[0, 1]),
            ("Троцкизм возник позже.", None, &[]),
        ],
    ),
    (
        &["織田 信長", "豊臣 秀吉"],
        &[
            ("信長は1534年に生まれた。", Some(0), &[0]),
            ("一方、秀吉は信長に仕えた。", Some(1), &[0, 1]),
            ("織田信長と豊臣秀吉。", Some(0), &[0, 1]),
            ("本能寺の変。", None, &[]),
        ],
    ),
    (
        &["徳川家康", "武田信玄"],
        &[
            ("家康自身は信玄の戦い方から学んだ。", Some(0), &[0, 1]),
            ("武田信玄は甲斐国の守護。", Some(1), &[1]),
        ],
    ),
    (
        &["Cats", "Dogs"],
        &[
            ("Unlike dogs, cats hunt alone.", Some(1), &[0, 1]),
            ("Cats sleep most of the day.", Some(0), &[0]),
            ("Catsup and hotdogs are food.", None, &[]),
        ],
    ),
    (
        &["Rose", "Bill"],
        &[
            ("Prices rose while Bill paid the bill.", Some(1), &[1]),
            ("Later, Rose argued with Bill's friends.", Some(0), &[0, 1]),
            ("The rose garden and a bill.", None, &[]),
        ],
    ),
];

#[test]
fn attribution_and_mentions_agree_in_every_script() {
    let env = Env::seeded();
    let mut files = Vec::new();
    for (n, (figures, paragraphs)) in CASES.iter().enumerate() {
        let texts: Vec<&str> = paragraphs.iter().map(|p| p.0).collect();
        files.push(env.write(&format!("doc{n}.txt"), &document(figures, &texts)));
    }
    let mut args = vec!["import"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    env.versus(&args).assert().success();
    for (figures, paragraphs) in CASES {
        let title = figures.join(" vs. ");
        let slug = env.rows(
            &env.db(),
            &format!("SELECT slug FROM documents WHERE title = '{title}'"),
        );
        let slug = &slug[0];
        let attributed = env.rows(
            &env.db(),
            &format!(
                "SELECT coalesce(figure, 'NULL') FROM section_paragraphs WHERE document = '{slug}' ORDER BY paragraph_no"
            ),
        );
        let expected: Vec<String> = paragraphs
            .iter()
            .map(|p| p.1.map_or("NULL".to_string(), |i| figures[i].to_string()))
            .collect();
        assert_eq!(attributed, expected, "{title}");
        for (index, figure) in figures.iter().enumerate() {
            let out = stdout_of(&mut env.versus(&[
                "query",
                "mentions",
                "-p",
                &format!("figure={figure}"),
                "-p",
                &format!("document={slug}"),
                "--format",
                "json",
            ]));
            let rows: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
            let found: Vec<i64> = rows
                .iter()
                .map(|r| r["paragraph_no"].as_i64().unwrap())
                .collect();
            let want: Vec<i64> = paragraphs
                .iter()
                .enumerate()
                .filter(|(_, p)| p.2.contains(&index))
                .map(|(n, _)| n as i64 + 1)
                .collect();
            assert_eq!(found, want, "mentions of {figure} in {title}");
            // Every paragraph attributed to the figure is a mention of it.
            for (n, got) in attributed.iter().enumerate() {
                if got == figure {
                    assert!(found.contains(&(n as i64 + 1)), "{figure}: {n}");
                }
            }
            // The same SQL gives the same rows in the system's sqlite3.
            let sql = stdout_of(&mut env.versus(&[
                "query",
                "mentions",
                "-p",
                &format!("figure={figure}"),
                "-p",
                &format!("document={slug}"),
                "--show-sql",
            ]));
            let sql_file = env.write("mentions.sql", &sql);
            let Some(output) = sqlite3(&env.db(), &[&format!(".read {}", sql_file.display())])
            else {
                continue;
            };
            let lines = String::from_utf8_lossy(&output.stdout).lines().count();
            assert_eq!(
                lines,
                want.len(),
                "sqlite3: {figure} in {title}: {output:?}"
            );
        }
    }
}
