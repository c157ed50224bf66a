//! The terminal table: column widths that fit the terminal, and a record
//! per block when the columns cannot fit side by side.

use tabled::builder::Builder;
use tabled::settings::Style;

/// A column this wide or narrower keeps its width when the table must shrink.
const SHORT: usize = 24;
/// A wrapped column gets at least this many characters; when the long
/// columns cannot all have that much, rows are drawn one block each instead.
const MIN_WRAPPED: usize = 24;

/// Draws a table. With a terminal `width`, long columns are wrapped at word
/// boundaries to fit: short columns keep their width and the long ones share
/// the rest in proportion to their natural widths; if that would leave a
/// long column too narrow to read, each row is drawn as its own block of
/// `column │ value` lines (like psql's expanded display). Without a width
/// (stdout is not a terminal) the table is drawn at full width.
pub fn draw(
    columns: &[String],
    rows: Vec<Vec<String>>,
    width: Option<usize>,
    count_rows: bool,
) -> String {
    let count = rows.len();
    let mut text = match width {
        Some(width) => match fit(columns, &rows, width) {
            Some(widths) => grid(columns, wrap_rows(rows, &widths), &widths),
            None => blocks(columns, rows, width),
        },
        None => grid(columns, rows, &[]),
    };
    if count_rows {
        text.push_str(&format!(
            "({count} row{})\n",
            if count == 1 { "" } else { "s" }
        ));
    }
    text
}

fn display_width(text: &str) -> usize {
    text.lines()
        .map(textwrap::core::display_width)
        .max()
        .unwrap_or(0)
}

/// Column widths for `width` terminal columns, or `None` when the long
/// columns would be too narrow.
fn fit(columns: &[String], rows: &[Vec<String>], width: usize) -> Option<Vec<usize>> {
    let natural: Vec<usize> = (0..columns.len())
        .map(|i| {
            std::iter::once(&columns[i])
                .chain(rows.iter().filter_map(|r| r.get(i)))
                .map(|c| display_width(c))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect();
    // Each column costs its width plus a border and two padding spaces.
    let overhead = 3 * columns.len() + 1;
    if natural.iter().sum::<usize>() + overhead <= width {
        return Some(natural);
    }
    let short: usize = natural.iter().filter(|&&w| w <= SHORT).sum();
    let long: Vec<usize> = (0..natural.len()).filter(|&i| natural[i] > SHORT).collect();
    let available = width.checked_sub(overhead + short)?;
    if long.is_empty() || available < MIN_WRAPPED * long.len() {
        return None;
    }
    let total: usize = long.iter().map(|&i| natural[i]).sum();
    let mut widths = natural.clone();
    let mut left = available;
    for (n, &i) in long.iter().enumerate() {
        let share = if n + 1 == long.len() {
            left
        } else {
            (available * natural[i] / total).max(MIN_WRAPPED)
        };
        widths[i] = share.min(natural[i]).min(left);
        left -= widths[i];
    }
    Some(widths)
}

fn wrap_rows(rows: Vec<Vec<String>>, widths: &[usize]) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|row| {
            row.into_iter()
                .zip(widths)
                .map(|(cell, &w)| {
                    if display_width(&cell) > w {
                        textwrap::fill(&cell, w)
                    } else {
                        cell
                    }
                })
                .collect()
        })
        .collect()
}

fn grid(header: &[String], rows: Vec<Vec<String>>, widths: &[usize]) -> String {
    let empty = rows.is_empty();
    let header: Vec<String> = if widths.is_empty() {
        header.to_vec()
    } else {
        header
            .iter()
            .zip(widths)
            .map(|(h, &w)| {
                if display_width(h) > w {
                    textwrap::fill(h, w)
                } else {
                    h.clone()
                }
            })
            .collect()
    };
    let mut builder = Builder::with_capacity(rows.len() + 1, header.len());
    builder.push_record(header);
    for row in rows {
        builder.push_record(row);
    }
    let mut table = builder.build();
    if empty {
        // The rule under the header would take the place of the bottom border.
        table.with(Style::rounded().remove_horizontals());
    } else {
        table.with(Style::rounded());
    }
    let mut text = table.to_string();
    text.push('\n');
    text
}

/// One block per row: column names on the left, values wrapped on the right.
fn blocks(columns: &[String], rows: Vec<Vec<String>>, width: usize) -> String {
    let name_width = columns.iter().map(|c| display_width(c)).max().unwrap_or(1);
    let value_width = width.saturating_sub(name_width + 7).max(MIN_WRAPPED);
    let mut text = String::new();
    for (n, row) in rows.into_iter().enumerate() {
        let mut builder = Builder::with_capacity(columns.len(), 2);
        for (name, value) in columns.iter().zip(row) {
            let value = if display_width(&value) > value_width {
                textwrap::fill(&value, value_width)
            } else {
                value
            };
            builder.push_record([name.clone(), value]);
        }
        let mut table = builder.build();
        table.with(Style::rounded().remove_horizontals());
        text.push_str(&format!("row {}\n", n + 1));
        text.push_str(&table.to_string());
        text.push('\n');
    }
    if text.is_empty() {
        return grid(columns, Vec::new(), &[]);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<String>, Vec<Vec<String>>) {
        let columns = ["document", "figure", "value", "paragraphs"]
            .map(String::from)
            .to_vec();
        let paragraph = "Stalin's foreign policy was characterized by a focus on national security and the expansion of Soviet influence. ".repeat(3);
        let rows = vec![
            [
                "stalin-vs-trotsky",
                "Joseph Stalin",
                "Focused on expanding Soviet influence",
                paragraph.trim(),
            ]
            .map(String::from)
            .to_vec(),
        ];
        (columns, rows)
    }

    fn widest_line(text: &str) -> usize {
        text.lines()
            .map(textwrap::core::display_width)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn without_a_terminal_nothing_is_wrapped() {
        let (columns, rows) = sample();
        let text = draw(&columns, rows, None, true);
        assert!(widest_line(&text) > 300, "{text}");
        assert!(text.ends_with("(1 row)\n"));
    }

    #[test]
    fn a_wide_terminal_wraps_the_long_columns_and_keeps_the_short_ones() {
        let (columns, rows) = sample();
        let text = draw(&columns, rows, Some(120), true);
        assert!(widest_line(&text) <= 120, "{text}");
        assert!(
            text.contains("│ stalin-vs-trotsky │ Joseph Stalin │"),
            "short columns keep their width:\n{text}"
        );
        assert!(text.lines().count() > 6, "the paragraph wraps:\n{text}");
    }

    #[test]
    fn a_narrow_terminal_draws_one_block_per_row() {
        let (columns, rows) = sample();
        let text = draw(&columns, rows, Some(70), true);
        assert!(widest_line(&text) <= 70, "{text}");
        assert!(text.starts_with("row 1\n"), "{text}");
        assert!(text.contains("│ document   │ stalin-vs-trotsky"), "{text}");
    }

    #[test]
    fn an_empty_result_has_a_closed_box() {
        let text = draw(&["a".to_string()], Vec::new(), Some(80), true);
        assert_eq!(text, "╭───╮\n│ a │\n╰───╯\n(0 rows)\n");
    }
}
