//! The terminal table: column widths that fit the terminal, and a record
//! per block when the columns cannot fit side by side.
//!
//! A table is drawn as its rows arrive, so memory does not grow with the
//! result: the layout (column widths, or blocks) is chosen from the header
//! and the first rows ([`SAMPLE_ROWS`], or fewer when they hold more than
//! [`SAMPLE_BYTES`] of text), and every later row is drawn with it, a cell
//! wider than its column wrapped to the column's width. A result that fits
//! in the sample is drawn exactly as if every row had been measured.

/// How many rows are measured before the layout is fixed.
pub const SAMPLE_ROWS: usize = 1000;
/// Text in the measured rows beyond which the layout is fixed early, so
/// that a few huge values cannot make the sample large.
pub const SAMPLE_BYTES: usize = 4 << 20;

/// A column this wide or narrower keeps its width when the table must shrink.
const SHORT: usize = 24;
/// A wrapped column gets at least this many characters; when the long
/// columns cannot all have that much, rows are drawn one block each instead.
const MIN_WRAPPED: usize = 24;

/// Draws a whole table held in memory (see [`Table`] for the layout).
pub fn draw(
    columns: &[String],
    rows: Vec<Vec<String>>,
    width: Option<usize>,
    count_rows: bool,
) -> String {
    let mut table = Table::plan(columns.to_vec(), &rows, width);
    let mut text = String::new();
    for row in rows {
        table.row(row, &mut text);
    }
    table.end(count_rows, &mut text);
    text
}

/// How rows are drawn.
enum Layout {
    /// Side by side, each column as wide as given (cells wrapped to it).
    Grid { widths: Vec<usize> },
    /// One block of `column │ value` lines per row, values wrapped to
    /// `value_width`.
    Blocks { value_width: usize },
}

/// A table being drawn row by row.
pub struct Table {
    columns: Vec<String>,
    layout: Layout,
    drawn: u64,
}

impl Table {
    /// Chooses the layout from the column names and the first rows. With a
    /// terminal `width`, long columns are wrapped at word boundaries to fit:
    /// short columns keep their width and the long ones share the rest in
    /// proportion to their natural widths; if that would leave a long column
    /// too narrow to read, each row is drawn as its own block of
    /// `column │ value` lines (like psql's expanded display). Without a
    /// width (stdout is not a terminal) each column is as wide as its widest
    /// value among these rows.
    pub fn plan(columns: Vec<String>, sample: &[Vec<String>], width: Option<usize>) -> Table {
        let natural = natural_widths(&columns, sample);
        let layout = match width {
            None => Layout::Grid { widths: natural },
            Some(width) => match fit(&natural, width) {
                Some(widths) => Layout::Grid { widths },
                None => {
                    let name_width = columns.iter().map(|c| display_width(c)).max();
                    Layout::Blocks {
                        value_width: width
                            .saturating_sub(name_width.unwrap_or(1) + 7)
                            .max(MIN_WRAPPED),
                    }
                }
            },
        };
        Table {
            columns,
            layout,
            drawn: 0,
        }
    }

    /// Appends one row to `out`: after the top border and the header when
    /// it is the first.
    pub fn row(&mut self, row: Vec<String>, out: &mut String) {
        match &self.layout {
            Layout::Grid { widths } => {
                if self.drawn == 0 {
                    border(out, widths, ['╭', '┬', '╮']);
                    header(out, &self.columns, widths);
                    border(out, widths, ['├', '┼', '┤']);
                }
                let cells: Vec<String> = row
                    .into_iter()
                    .zip(widths)
                    .map(|(cell, &w)| wrapped(cell, w))
                    .collect();
                line(out, &cells, widths);
            }
            Layout::Blocks { value_width } => {
                let values: Vec<String> = row
                    .into_iter()
                    .map(|value| wrapped(value, *value_width))
                    .collect();
                let widths = [
                    self.columns
                        .iter()
                        .map(|c| display_width(c))
                        .max()
                        .unwrap_or(0),
                    values.iter().map(|v| display_width(v)).max().unwrap_or(0),
                ];
                out.push_str(&format!("row {}\n", self.drawn + 1));
                border(out, &widths, ['╭', '┬', '╮']);
                for (name, value) in self.columns.iter().zip(values) {
                    line(out, &[name.clone(), value], &widths);
                }
                border(out, &widths, ['╰', '┴', '╯']);
            }
        }
        self.drawn += 1;
    }

    /// Appends the end of the table: the bottom border (or, with no rows,
    /// a closed box around the header) and the `(N rows)` line.
    pub fn end(&self, count_rows: bool, out: &mut String) {
        if self.drawn == 0 {
            let widths = match &self.layout {
                Layout::Grid { widths } => widths.clone(),
                Layout::Blocks { .. } => natural_widths(&self.columns, &[]),
            };
            // The rule under the header would take the place of the bottom border.
            border(out, &widths, ['╭', '┬', '╮']);
            header(out, &self.columns, &widths);
            border(out, &widths, ['╰', '┴', '╯']);
        } else if let Layout::Grid { widths } = &self.layout {
            border(out, widths, ['╰', '┴', '╯']);
        }
        if count_rows {
            let count = self.drawn;
            out.push_str(&format!(
                "({count} row{})\n",
                if count == 1 { "" } else { "s" }
            ));
        }
    }
}

fn display_width(text: &str) -> usize {
    text.split('\n').map(line_width).max().unwrap_or(0)
}

/// The columns one line takes on a terminal (ANSI escapes take none).
fn line_width(line: &str) -> usize {
    // Printable ASCII, most values, is one column a byte.
    if line.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        line.len()
    } else {
        textwrap::core::display_width(line)
    }
}

/// The widest of each column's name and values.
fn natural_widths(columns: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    (0..columns.len())
        .map(|i| {
            std::iter::once(&columns[i])
                .chain(rows.iter().filter_map(|r| r.get(i)))
                .map(|c| display_width(c))
                .max()
                .unwrap_or(0)
                .max(1)
        })
        .collect()
}

/// Column widths for `width` terminal columns, or `None` when the long
/// columns would be too narrow.
fn fit(natural: &[usize], width: usize) -> Option<Vec<usize>> {
    // Each column costs its width plus a border and two padding spaces.
    let overhead = 3 * natural.len() + 1;
    if natural.iter().sum::<usize>() + overhead <= width {
        return Some(natural.to_vec());
    }
    let short: usize = natural.iter().filter(|&&w| w <= SHORT).sum();
    let long: Vec<usize> = (0..natural.len()).filter(|&i| natural[i] > SHORT).collect();
    let available = width.checked_sub(overhead + short)?;
    if long.is_empty() || available < MIN_WRAPPED * long.len() {
        return None;
    }
    let total: usize = long.iter().map(|&i| natural[i]).sum();
    let mut widths = natural.to_vec();
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

/// The cell wrapped at word boundaries (long words broken) to `width`.
fn wrapped(cell: String, width: usize) -> String {
    if display_width(&cell) > width {
        textwrap::fill(&cell, width.max(1))
    } else {
        cell
    }
}

fn header(out: &mut String, columns: &[String], widths: &[usize]) {
    let cells: Vec<String> = columns
        .iter()
        .zip(widths)
        .map(|(c, &w)| wrapped(c.clone(), w))
        .collect();
    line(out, &cells, widths);
}

/// A border line: `corners` are its left end, the joints and its right end.
fn border(out: &mut String, widths: &[usize], [left, joint, right]: [char; 3]) {
    if widths.is_empty() {
        return;
    }
    out.push(left);
    for (i, &w) in widths.iter().enumerate() {
        if i > 0 {
            out.push(joint);
        }
        for _ in 0..w + 2 {
            out.push('─');
        }
    }
    out.push(right);
    out.push('\n');
}

fn pad(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let step = n.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        n -= step;
    }
}

/// One row of cells, as many text lines as its tallest cell, each cell
/// padded to its column's width.
fn line(out: &mut String, cells: &[String], widths: &[usize]) {
    if widths.is_empty() {
        return;
    }
    let height = cells
        .iter()
        .map(|c| c.split('\n').count())
        .max()
        .unwrap_or(1);
    let mut parts: Vec<std::str::Split<'_, char>> = cells.iter().map(|c| c.split('\n')).collect();
    for _ in 0..height {
        out.push('│');
        for (i, &w) in widths.iter().enumerate() {
            let text = parts.get_mut(i).and_then(|p| p.next()).unwrap_or("");
            out.push(' ');
            out.push_str(text);
            pad(out, w.saturating_sub(line_width(text)));
            out.push_str(" │");
        }
        out.push('\n');
    }
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

    #[test]
    fn rows_after_the_sample_are_wrapped_to_its_widths() {
        let columns = vec!["n".to_string(), "text".to_string()];
        let sample = vec![vec!["1".to_string(), "short".to_string()]];
        let mut table = Table::plan(columns, &sample, None);
        let mut text = String::new();
        table.row(sample[0].clone(), &mut text);
        table.row(
            vec!["2".to_string(), "longer words here".to_string()],
            &mut text,
        );
        table.end(true, &mut text);
        assert_eq!(
            text,
            "╭───┬───────╮\n│ n │ text  │\n├───┼───────┤\n│ 1 │ short │\n│ 2 │ longe │\n│   │ r     │\n│   │ words │\n│   │ here  │\n╰───┴───────╯\n(2 rows)\n"
        );
    }

    /// The grid is drawn as tabled's rounded style draws it, which it was
    /// before tables were streamed.
    #[test]
    fn the_grid_matches_tableds_rounded_style() {
        use tabled::builder::Builder;
        use tabled::settings::Style;
        let cases: Vec<(Vec<&str>, Vec<Vec<&str>>)> = vec![
            (vec!["a"], vec![]),
            (vec!["a", "bb"], vec![vec!["x", ""], vec!["", "yyyy"]]),
            (vec!["n", "c"], vec![vec!["NULL", "tab\\tnl\n"]]),
            (
                vec!["wide", "multi"],
                vec![vec!["日本語テキスト", "one\ntwo\nthree"], vec!["é", "x"]],
            ),
            (vec!["ansi"], vec![vec!["a \u{1b}[1mbold\u{1b}[22m word"]]),
        ];
        for (columns, rows) in cases {
            let columns: Vec<String> = columns.into_iter().map(String::from).collect();
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .map(|r| r.into_iter().map(String::from).collect())
                .collect();
            let mut builder = Builder::default();
            builder.push_record(columns.clone());
            for row in &rows {
                builder.push_record(row.clone());
            }
            let mut expected = builder.build();
            if rows.is_empty() {
                expected.with(Style::rounded().remove_horizontals());
            } else {
                expected.with(Style::rounded());
            }
            let expected = format!("{expected}\n");
            assert_eq!(draw(&columns, rows, None, false), expected);
        }
        // Except that a column is never narrower than one character, so that
        // a value after the sample has somewhere to go.
        let blank = draw(&[String::new()], vec![vec![String::new()]], None, false);
        assert_eq!(blank, "╭───╮\n│   │\n├───┤\n│   │\n╰───╯\n");
    }
}
