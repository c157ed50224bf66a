//! The SQL of a named query rewritten for Datasette's form: `:name`
//! parameters as Datasette names them, `-- if` lines made conditions on an
//! empty field, and the parameter types versus checks (topics, documents,
//! figures, search words) worked out in SQL, since Datasette binds a form
//! field as it was typed.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::{ParamType, search_words, sql_literal};
use crate::document::{SMALL_WORDS, topic_key};

use super::*;
use crate::sql_text::{Piece, pieces, sql_identifier};

/// Replaces each use of a declared parameter (`:name`, `@name`, `$name`)
/// with its value from `versus_params`.
pub(super) fn rewrite_parameters(sql: &str, declared: &HashSet<&str>) -> String {
    let mut out = String::with_capacity(sql.len() * 2);
    for (piece, range) in pieces(sql) {
        let text = &sql[range];
        match piece {
            Piece::Parameter if declared.contains(&text[1..]) => {
                let _ = write!(
                    out,
                    "(SELECT {} FROM versus_params)",
                    sql_identifier(&text[1..])
                );
            }
            _ => out.push_str(text),
        }
    }
    out
}

/// `-- if :name` lines as SQL conditions: the line applies when the field
/// is filled in, as versus keeps it when the parameter is given.
pub(super) fn conditional_lines(sql: &str, plans: &[Plan<'_>], notes: &mut Vec<String>) -> String {
    let mut out = Vec::new();
    for line in sql.lines() {
        // Exactly the lines versus's `expand` treats as conditional.
        let Some((code, condition)) = line.rsplit_once("-- if :") else {
            out.push(line.to_string());
            continue;
        };
        let name = condition.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            out.push(line.to_string());
            continue;
        }
        let code = without_comment(code).trim_end();
        let Some(plan) = plans.iter().find(|p| p.param.name == name) else {
            // A parameter the query does not declare is never given.
            continue;
        };
        if plan.always_given() {
            out.push(code.to_string());
            continue;
        }
        let Some(field) = &plan.field else {
            out.push(code.to_string());
            continue;
        };
        let indent = &code[..code.len() - code.trim_start().len()];
        let body = code.trim_start();
        let keyword: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect::<String>()
            .to_ascii_uppercase();
        let rest = body[keyword.len()..].trim();
        let empty = format!("coalesce(:{field}, '') = ''");
        match keyword.as_str() {
            "AND" | "WHERE" | "HAVING" | "ON" if !rest.is_empty() => {
                out.push(format!("{indent}{keyword} ({empty} OR ({rest}))"));
            }
            "OR" if !rest.is_empty() => {
                out.push(format!("{indent}OR (NOT {empty} AND ({rest}))"));
            }
            _ => {
                notes.push(format!(
                    "give {field}: the line `{}` of this query always applies here, while versus leaves it out when {name} is not given.",
                    body
                ));
                out.push(code.to_string());
            }
        }
    }
    out.join("\n")
}

/// A line of SQL up to any comment in it.
pub(super) fn without_comment(line: &str) -> &str {
    match pieces(line).iter().find(|(p, _)| *p == Piece::Comment) {
        Some((_, range)) => &line[..range.start],
        None => line,
    }
}

/// Puts the CTEs that compute the parameters' values in front of the query
/// (into its own `WITH` list, if it has one).
pub(super) fn with_parameters(sql: &str, plans: &[Plan<'_>]) -> String {
    let raw_columns: Vec<String> = plans
        .iter()
        .map(|p| sql_identifier(&p.param.name))
        .collect();
    let raw_values: Vec<String> = plans.iter().map(raw_value).collect();
    let mut ctes = vec![format!(
        "versus_raw ({}) AS (SELECT {})",
        raw_columns.join(", "),
        raw_values.join(", ")
    )];
    // versus_text is needed to trim, split or lowercase what was typed.
    let needs_text = plans.iter().any(|p| match p.param.kind {
        ParamType::Text => false,
        ParamType::Document | ParamType::Figure => true,
        ParamType::Integer | ParamType::Real | ParamType::Topic | ParamType::Search => {
            p.fixed.is_none()
        }
    });
    if needs_text {
        ctes.push(text_table());
    }
    let mut values = Vec::new();
    for (n, plan) in plans.iter().enumerate() {
        let column = format!("r.{}", sql_identifier(&plan.param.name));
        let trimmed = format!("trim({column}, t.spaces)");
        let value = match (plan.param.kind, plan.fixed) {
            (ParamType::Text, _) => column,
            (ParamType::Topic, Some(fixed)) => nullable_literal(&topic_key(fixed)),
            (ParamType::Search, Some(fixed)) => {
                sql_literal(&search_words(fixed).unwrap_or_else(|| "\"\"".to_string()))
            }
            (ParamType::Integer, Some(fixed)) => fixed
                .trim()
                .parse::<i64>()
                .map_or("NULL".to_string(), |i| i.to_string()),
            (ParamType::Real, Some(fixed)) => fixed
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .map_or("NULL".to_string(), |f| format!("{f:?}")),
            (ParamType::Integer, None) => {
                let digits = format!(
                    "(CASE WHEN substr({trimmed}, 1, 1) IN ('+', '-') THEN substr({trimmed}, 2) ELSE {trimmed} END)"
                );
                format!(
                    "CASE WHEN {digits} <> '' AND {digits} NOT GLOB '*[^0-9]*' THEN CAST({trimmed} AS INTEGER) END"
                )
            }
            (ParamType::Real, None) => format!(
                "CASE WHEN {trimmed} GLOB '*[0-9]*' AND {trimmed} NOT GLOB '*[^0-9.eE+-]*' THEN CAST({trimmed} AS REAL) END"
            ),
            (ParamType::Topic, None) => {
                let cte = format!("versus_topic_{}", n + 1);
                ctes.push(topic_cte(&cte, &column));
                format!("(SELECT nullif(substr(key, 2), '') FROM {cte} ORDER BY i DESC LIMIT 1)")
            }
            (ParamType::Search, None) => {
                let cte = format!("versus_words_{}", n + 1);
                ctes.push(words_cte(&cte, &column));
                format!(
                    "CASE WHEN {column} IS NOT NULL THEN (SELECT CASE WHEN words = '' THEN '\"\"' ELSE replace(escape_fts(words), char(1) || '\"', '\"*') END FROM {cte} ORDER BY i DESC LIMIT 1) END"
                )
            }
            (ParamType::Document, _) => format!(
                "(SELECT slug FROM documents WHERE slug = lower({trimmed}) UNION ALL SELECT slug FROM documents WHERE title = {trimmed} COLLATE NOCASE LIMIT 1)"
            ),
            (ParamType::Figure, _) => format!(
                "(SELECT CASE WHEN count(*) = 1 THEN max(name) END FROM (SELECT name FROM figures WHERE name = {trimmed} COLLATE NOCASE UNION SELECT name FROM figures WHERE surname = {trimmed} COLLATE NOCASE))"
            ),
        };
        // A negative limit is NULL, which LIMIT refuses ("datatype
        // mismatch"), as versus refuses it.
        let value = if plan.limit {
            format!("CASE WHEN CAST(({value}) AS REAL) < 0 THEN NULL ELSE ({value}) END")
        } else {
            value
        };
        values.push(value);
    }
    let from = if needs_text {
        " FROM versus_raw AS r, versus_text AS t"
    } else {
        " FROM versus_raw AS r"
    };
    ctes.push(format!(
        "versus_params ({}) AS (SELECT {}{from})",
        raw_columns.join(", "),
        values.join(",\n    ")
    ));
    let ours = ctes.join(",\n");
    // The query's own WITH list, if it starts with one, takes ours first.
    let code: Vec<(Piece, std::ops::Range<usize>)> = pieces(sql)
        .into_iter()
        .filter(|(p, _)| *p != Piece::Comment)
        .collect();
    let words = leading_words(sql, &code, 2);
    match words.as_slice() {
        [(with, _), (recursive, end), ..]
            if with.eq_ignore_ascii_case("with") && recursive.eq_ignore_ascii_case("recursive") =>
        {
            format!("{}\n{ours},\n{}", &sql[..*end], sql[*end..].trim_start())
        }
        [(with, end), ..] if with.eq_ignore_ascii_case("with") => {
            let start = end - with.len();
            format!(
                "{}WITH RECURSIVE\n{ours},\n{}",
                &sql[..start],
                sql[*end..].trim_start()
            )
        }
        _ => format!("WITH RECURSIVE\n{ours}\n{sql}"),
    }
}

/// The first `n` words of the SQL outside comments, each with the byte
/// offset where it ends.
pub(super) fn leading_words<'a>(
    sql: &'a str,
    code: &[(Piece, std::ops::Range<usize>)],
    n: usize,
) -> Vec<(&'a str, usize)> {
    let mut words = Vec::new();
    for (piece, range) in code {
        if *piece != Piece::Code {
            break;
        }
        let text = &sql[range.clone()];
        let mut offset = range.start;
        for part in text.split_inclusive(|c: char| !c.is_ascii_alphanumeric()) {
            let word = part.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
            if !word.is_empty() {
                words.push((word, offset + word.len()));
                if words.len() == n {
                    return words;
                }
            }
            if word.len() < part.len() && !part[word.len()..].trim().is_empty() {
                // Something other than a word or space: no more leading words.
                return words;
            }
            offset += part.len();
        }
    }
    words
}

/// What the user typed for a parameter, as SQL: an empty field is NULL
/// (as a parameter versus was not given), or the default.
pub(super) fn raw_value(plan: &Plan<'_>) -> String {
    if let Some(fixed) = plan.fixed {
        return sql_literal(fixed);
    }
    let field = plan.field.as_deref().unwrap_or(&plan.param.name);
    match (&plan.param.default, plan.param.required) {
        (Some(default), _) => format!("coalesce(nullif(:{field}, ''), {})", sql_literal(default)),
        (None, true) => format!(":{field}"),
        (None, false) => format!("nullif(:{field}, '')"),
    }
}

pub(super) fn nullable_literal(text: &str) -> String {
    if text.is_empty() {
        "NULL".to_string()
    } else {
        sql_literal(text)
    }
}

/// A topic key computed one character at a time: a character that is a
/// separator ends the word, which is kept unless it is a small word; any
/// other is lowercased and added to the word. `key` starts with a space.
pub(super) fn topic_cte(name: &str, column: &str) -> String {
    let c = format!("substr({column}, i, 1)");
    let separator = format!("(i > length({column}) OR instr(t.separators, {c}) > 0)");
    let small: Vec<String> = std::iter::once("")
        .chain(SMALL_WORDS.iter().copied())
        .map(sql_literal)
        .collect();
    format!(
        "{name} (i, word, key) AS (
    SELECT 1, '', ''
    UNION ALL
    SELECT i + 1,
           CASE WHEN {separator} THEN ''
                ELSE word || coalesce(substr(t.lower, nullif(instr(t.upper, {c}), 0), 1), lower({c})) END,
           CASE WHEN {separator} AND word NOT IN ({small}) THEN key || ' ' || word ELSE key END
    FROM {name}, versus_raw AS r, versus_text AS t
    WHERE i <= length({column}) + 1)",
        small = small.join(", ")
    )
}

/// Plain words split as `search_words` splits them: white space ends a word,
/// other punctuation ends a piece of it; `words` gets each word's pieces
/// separated by spaces, and char(1) after a word that ends in `*`.
pub(super) fn words_cte(name: &str, column: &str) -> String {
    let c = format!("substr({column}, i, 1)");
    let space = format!("(i > length({column}) OR instr(t.spaces, {c}) > 0)");
    let separator = format!("({space} OR instr(t.separators, {c}) > 0)");
    format!(
        "{name} (i, piece, word, last, words) AS (
    SELECT 1, '', '', '', ''
    UNION ALL
    SELECT i + 1,
           CASE WHEN {separator} THEN '' ELSE piece || {c} END,
           CASE WHEN {space} THEN '' WHEN piece <> '' AND {separator} THEN word || ' ' || piece ELSE word END,
           {c},
           CASE WHEN {space}
                THEN words || word || CASE WHEN piece <> '' THEN ' ' || piece ELSE '' END
                     || CASE WHEN last = '*' AND (word <> '' OR piece <> '') THEN char(1) ELSE '' END
                ELSE words END
    FROM {name}, versus_raw AS r, versus_text AS t
    WHERE i <= length({column}) + 1)"
    )
}

/// `versus_text`: the characters SQL needs to know (white space, the
/// separators of words, capitals and their lowercase letters).
pub(super) fn text_table() -> String {
    let spaces: Vec<u32> = (1..=0x3000u32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .map(|c| c as u32)
        .collect();
    let (mut hidden, mut shown) = (Vec::new(), String::new());
    for c in separators() {
        if shown_in_sql(c) {
            shown.push(c);
        } else {
            hidden.push((c as u32).to_string());
        }
    }
    let (upper, lower) = capitals();
    format!(
        "versus_text (spaces, separators, upper, lower) AS (SELECT\n    char({}),\n    char({}) || {},\n    {},\n    {})",
        spaces
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        hidden.join(", "),
        sql_literal(&shown),
        sql_literal(&upper),
        sql_literal(&lower)
    )
}

/// The characters SQL treats as separators: every one that is not a letter
/// or digit (as Rust's `char::is_alphanumeric`, which versus splits on) in
/// ASCII, Latin-1, General Punctuation, currency and letterlike symbols,
/// CJK symbols and punctuation and the full-width ASCII forms.
pub(super) fn separators() -> impl Iterator<Item = char> {
    let ranges = [
        1..=0xBF,
        0xD7..=0xD7,
        0xF7..=0xF7,
        0x2000..=0x206F,
        0x20A0..=0x20C0,
        0x2100..=0x214F,
        0x3000..=0x303F,
        0xFF01..=0xFF0F,
        0xFF1A..=0xFF20,
        0xFF3B..=0xFF40,
        0xFF5B..=0xFF65,
    ];
    ranges
        .into_iter()
        .flatten()
        .filter_map(char::from_u32)
        .filter(|c| !c.is_alphanumeric())
}

/// Whether a separator is written as itself in a string literal (printable,
/// and not `-` or `/` next to each other: Datasette finds comments with
/// `--` and `/*` even inside strings), rather than as `char(N)`.
pub(super) fn shown_in_sql(c: char) -> bool {
    let n = c as u32;
    if c.is_control() || c.is_whitespace() || n == 0xAD {
        return false;
    }
    c.is_ascii_graphic()
        || (0xA1..=0xFF).contains(&n)
        || (0x2010..=0x2027).contains(&n)
        || (0x2030..=0x205E).contains(&n)
        || (0x20A0..=0x20C0).contains(&n)
        || (0x2100..=0x214F).contains(&n)
        || (0x3001..=0x303F).contains(&n)
        || (0xFF01..=0xFF65).contains(&n)
}

/// The capitals SQLite's `lower()` leaves alone and the one letter each
/// lowercases to (Latin, Greek, Cyrillic, Armenian, Georgian, full-width
/// Latin), as two strings of the same length.
pub(super) fn capitals() -> (String, String) {
    let ranges = [
        0xC0..=0x24F,
        0x370..=0x3FF,
        0x400..=0x52F,
        0x531..=0x556,
        0x10A0..=0x10C5,
        0x1E00..=0x1EFF,
        // Greek Extended: the capitals with breathings and accents (`Ἀρχή`).
        0x1F00..=0x1FFF,
        0xFF21..=0xFF3A,
    ];
    let (mut upper, mut lower) = (String::new(), String::new());
    for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
        let mut folded = c.to_lowercase();
        if let (Some(l), None) = (folded.next(), folded.next())
            && l != c
        {
            upper.push(c);
            lower.push(l);
        }
    }
    (upper, lower)
}
