//! The terminal table: column widths that fit the terminal, and a record
//! per block when the columns cannot fit side by side. This module makes
//! the layout decision and wraps the cells; tabled draws the grid.
//!
//! A table is drawn as its rows arrive, so memory does not grow with the
//! result: the layout (column widths, or blocks) is chosen from the header
//! and the first rows ([`SAMPLE_ROWS`], or fewer when they hold more than
//! [`SAMPLE_BYTES`] of text), and every later row is drawn with it, a cell
//! wider than its column wrapped to the column's width. A result that fits
//! in the sample is drawn exactly as if every row had been measured.

use super::wrap::{display_width, line_width, wrapped};
use tabled::builder::Builder;
use tabled::settings::{Style, Width};

/// How many rows are measured before the layout is fixed.
pub const SAMPLE_ROWS: usize = 1000;
/// Text in the measured rows beyond which the layout is fixed early, so
/// that a few huge values cannot make the sample large.
pub const SAMPLE_BYTES: usize = 4 << 20;

/// A column this wide or narrower keeps its width when the table must
/// shrink, if the wider columns can still be readable.
const SHORT: usize = 20;
/// A wrapped column gets at least this many characters; when the columns
/// cannot all have that much (or their own width, when narrower), rows are
/// drawn one block each instead.
const READABLE: usize = 10;

/// Draws a whole table held in memory (see [`Table`] for the layout).
pub fn draw(
    columns: &[String],
    rows: Vec<Vec<String>>,
    width: Option<usize>,
    count_rows: bool,
) -> String {
    let mut table = Table::plan(columns.to_vec(), &rows, width, true);
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
    /// One block of `column │ value` lines per row, names wrapped to
    /// `name_width` and values to `value_width`.
    Blocks {
        name_width: usize,
        value_width: usize,
    },
}

/// Rows of a grid held back before tabled draws them as one block: enough
/// that a block costs little per row, few enough that memory stays flat.
const BLOCK_ROWS: usize = 64;

/// A table being drawn row by row.
pub struct Table {
    columns: Vec<String>,
    layout: Layout,
    drawn: u64,
    /// Whether the grid has its header (not with `--no-headers`).
    headers: bool,
    /// Rows of the grid wrapped to their columns and not drawn yet: the
    /// last row is always held back, so that the block it ends can get
    /// the bottom border.
    pending: Vec<Vec<String>>,
    /// Whether the grid's top border (and header) is drawn.
    opened: bool,
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
    pub fn plan(
        columns: Vec<String>,
        sample: &[Vec<String>],
        width: Option<usize>,
        headers: bool,
    ) -> Table {
        let natural = if headers {
            natural_widths(&columns, sample)
        } else {
            let blank = vec![String::new(); columns.len()];
            natural_widths(&blank, sample)
        };
        let layout = match width {
            None => Layout::Grid { widths: natural },
            Some(width) => match fit(&natural, &needs(&columns, sample), width) {
                Some(widths) => Layout::Grid { widths },
                None => {
                    // A block line costs 7 columns of borders and padding;
                    // names give way to a readable value, down to 4.
                    let longest = columns.iter().map(|c| display_width(c)).max();
                    let name_width = longest
                        .unwrap_or(1)
                        .min(width.saturating_sub(7 + READABLE))
                        .max(4);
                    Layout::Blocks {
                        name_width,
                        value_width: width.saturating_sub(name_width + 7).max(1),
                    }
                }
            },
        };
        Table {
            columns,
            layout,
            drawn: 0,
            headers,
            pending: Vec::new(),
            opened: false,
        }
    }

    /// Takes one row: a grid draws its rows in blocks (the top border and
    /// the header with the first), a row per block is drawn at once.
    pub fn row(&mut self, row: Vec<String>, out: &mut String) {
        match &self.layout {
            Layout::Grid { widths } => {
                let cells: Vec<String> = row
                    .into_iter()
                    .zip(widths)
                    .map(|(cell, &w)| wrapped(cell, w))
                    .collect();
                self.pending.push(cells);
                if self.pending.len() > BLOCK_ROWS {
                    let last = self.pending.pop();
                    self.draw_block(out, false);
                    self.pending.extend(last);
                }
            }
            Layout::Blocks {
                name_width,
                value_width,
            } => {
                let records = self.columns.iter().zip(row).map(|(name, value)| {
                    [
                        wrapped(name.clone(), *name_width),
                        wrapped(value, *value_width),
                    ]
                });
                out.push_str(&format!("row {}\n", self.drawn + 1));
                let mut table = Builder::from_iter(records).build();
                table.with(Style::rounded().remove_horizontals());
                push_table(out, &table);
            }
        }
        self.drawn += 1;
    }

    /// Draws the grid's pending rows as one block: the top border and the
    /// header when it is the first, the bottom border when it is the last.
    fn draw_block(&mut self, out: &mut String, last: bool) {
        let Layout::Grid { widths } = &self.layout else {
            return;
        };
        let first = !self.opened;
        let header = first && self.headers;
        let mut builder = Builder::default();
        if header {
            builder.push_record(
                self.columns
                    .iter()
                    .zip(widths)
                    .map(|(c, &w)| wrapped(c.clone(), w)),
            );
        }
        for row in self.pending.drain(..) {
            builder.push_record(row);
        }
        let mut table = builder.build();
        table.with(Width::list(widths.iter().map(|w| w + 2)));
        let style = Style::rounded();
        match (header, first, last) {
            (true, _, true) => table.with(style),
            (true, _, false) => table.with(style.remove_bottom()),
            (false, true, true) => table.with(style.remove_horizontals()),
            (false, true, false) => table.with(style.remove_horizontals().remove_bottom()),
            (false, false, true) => table.with(style.remove_horizontals().remove_top()),
            (false, false, false) => {
                table.with(style.remove_horizontals().remove_top().remove_bottom())
            }
        };
        push_table(out, &table);
        self.opened = true;
    }

    /// Appends the end of the table: the last rows and the bottom border
    /// (or, with no rows, a closed box around the header) and the `(N
    /// rows)` line.
    pub fn end(mut self, count_rows: bool, out: &mut String) {
        if self.drawn == 0 && !self.headers {
            // Nothing to draw: no header, no rows.
        } else if self.drawn == 0 {
            let names: Vec<String> = match &self.layout {
                Layout::Grid { widths } => self
                    .columns
                    .iter()
                    .zip(widths)
                    .map(|(c, &w)| wrapped(c.clone(), w))
                    .collect(),
                // Too many columns to stand side by side: their names, one
                // a line.
                Layout::Blocks {
                    name_width,
                    value_width,
                } => self
                    .columns
                    .iter()
                    .map(|c| wrapped(c.clone(), name_width + value_width + 3))
                    .collect(),
            };
            let mut table = match &self.layout {
                Layout::Grid { widths } => {
                    let mut table = Builder::from_iter([names]).build();
                    table.with(Width::list(widths.iter().map(|w| w + 2)));
                    table
                }
                Layout::Blocks { .. } => Builder::from_iter(names.into_iter().map(|n| [n])).build(),
            };
            // The rule under the header would take the place of the bottom
            // border.
            table.with(Style::rounded().remove_horizontals());
            push_table(out, &table);
        } else if !self.pending.is_empty() {
            self.draw_block(out, true);
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

/// Appends a table tabled drew, and the end of its last line.
fn push_table(out: &mut String, table: &tabled::Table) {
    use std::fmt::Write;
    let _ = write!(out, "{table}");
    out.push('\n');
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

/// How much text each column holds in an average row of the sample (its
/// name when there are no rows): what wrapping a column costs in lines.
fn needs(columns: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    (0..columns.len())
        .map(|i| {
            let total: usize = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.split('\n').map(line_width).sum::<usize>())
                .sum();
            if rows.is_empty() {
                display_width(&columns[i]).max(1)
            } else {
                (total / rows.len()).max(1)
            }
        })
        .collect()
}

/// Column widths for `width` terminal columns, or `None` when the columns
/// cannot all have a readable width ([`READABLE`], or their own width when
/// narrower).
///
/// Width goes to the columns that need it: when the natural widths do not
/// fit, short columns ([`SHORT`] or narrower) keep theirs if the others can
/// still be readable, and the wider columns share what is left in proportion
/// to the text they hold (`need`, so a column of paragraphs gets more than
/// a column of names and rows stay short), none below [`READABLE`] and none
/// above its natural width. Failing that, every column shares in that way.
fn fit(natural: &[usize], need: &[usize], width: usize) -> Option<Vec<usize>> {
    // Each column costs its width plus a border and two padding spaces.
    let overhead = 3 * natural.len() + 1;
    let available = width.checked_sub(overhead)?;
    if natural.iter().sum::<usize>() <= available {
        return Some(natural.to_vec());
    }
    let floor = |w: usize| w.min(READABLE);
    if natural.iter().map(|&w| floor(w)).sum::<usize>() > available {
        return None;
    }
    let short: Vec<usize> = (0..natural.len())
        .filter(|&i| natural[i] <= SHORT)
        .collect();
    let short_total: usize = short.iter().map(|&i| natural[i]).sum();
    let long: Vec<usize> = (0..natural.len()).filter(|&i| natural[i] > SHORT).collect();
    let long_floor: usize = long.iter().map(|&i| floor(natural[i])).sum();
    let mut widths = natural.to_vec();
    if !long.is_empty() && short_total + long_floor <= available {
        share(natural, need, &long, available - short_total, &mut widths);
    } else {
        let all: Vec<usize> = (0..natural.len()).collect();
        share(natural, need, &all, available, &mut widths);
    }
    Some(widths)
}

/// Shares `available` columns among the columns `among` in proportion to
/// their `need`, each between its floor (`READABLE`, or its natural width
/// when narrower) and its natural width, and sets their `widths`. The
/// caller has checked that the floors fit.
fn share(
    natural: &[usize],
    need: &[usize],
    among: &[usize],
    available: usize,
    widths: &mut [usize],
) {
    // Columns pinned to a bound leave the rest to be shared again, until
    // every share is within its bounds.
    let mut open: Vec<usize> = among.to_vec();
    let mut left = available;
    loop {
        let total: usize = open.iter().map(|&i| need[i]).sum();
        if open.is_empty() || total == 0 {
            return;
        }
        // Those below their floor first: pinning them leaves less for the
        // rest, which may then fall below theirs too (the floors fit, so
        // this ends); only then those above their natural width.
        let share = |i: usize| left * need[i] / total;
        let mut pinned: Vec<(usize, usize)> = open
            .iter()
            .filter(|&&i| share(i) < natural[i].min(READABLE))
            .map(|&i| (i, natural[i].min(READABLE)))
            .collect();
        if pinned.is_empty() {
            pinned = open
                .iter()
                .filter(|&&i| share(i) > natural[i])
                .map(|&i| (i, natural[i]))
                .collect();
        }
        if pinned.is_empty() {
            let mut rest = left;
            for (n, &i) in open.iter().enumerate() {
                let w = if n + 1 == open.len() {
                    rest.min(natural[i])
                } else {
                    share(i)
                };
                widths[i] = w;
                rest -= w;
            }
            return;
        }
        for (i, w) in pinned {
            widths[i] = w;
            left -= w;
            open.retain(|&o| o != i);
        }
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
        let text = draw(&columns, rows, Some(48), true);
        assert!(widest_line(&text) <= 48, "{text}");
        assert!(text.starts_with("row 1\n"), "{text}");
        assert!(text.contains("│ document   │ stalin-vs-trotsky"), "{text}");
    }

    /// The seed's comparison table at 80 columns: the figures side by side,
    /// the short column whole, everything within 80 columns.
    #[test]
    fn the_seeds_comparison_table_fits_80_columns_side_by_side() {
        let columns = ["document", "attribute", "Joseph Stalin", "Leon Trotsky"]
            .map(String::from)
            .to_vec();
        let rows: Vec<Vec<String>> = [
            [
                "Role in Russian Revolution",
                "Key figure in Bolshevik Revolution",
                "Also played a significant role in the revolution",
            ],
            [
                "Political ideology",
                "Communism, Stalinism",
                "Trotskyism, Marxism",
            ],
            [
                "Leadership style",
                "Authoritarian, centralized control",
                "More democratic, decentralized control",
            ],
            [
                "Foreign policy",
                "Focused on expanding Soviet influence",
                "Advocated for worldwide revolution",
            ],
            [
                "Economic policies",
                "Implemented Five-Year Plans, collectivization",
                "Advocated for rapid industrialization",
            ],
        ]
        .iter()
        .map(|r| {
            std::iter::once("stalin-vs-trotsky")
                .chain(r.iter().copied())
                .map(String::from)
                .collect()
        })
        .collect();
        let text = draw(&columns, rows, Some(80), true);
        assert!(widest_line(&text) <= 80, "{text}");
        assert!(text.lines().count() < 40, "{text}");
        assert!(
            text.contains("│ Joseph Stalin ") && text.contains("│ Leon Trotsky "),
            "{text}"
        );
        assert!(text.contains("│ stalin-vs-trotsky │"), "{text}");
    }

    /// Wide characters count two columns, combining marks none.
    #[test]
    fn columns_are_measured_by_display_width() {
        let columns = vec!["名前".to_string(), "text".to_string()];
        let rows = vec![vec!["日本語".to_string(), "e\u{301}te\u{301} ".repeat(30)]];
        let text = draw(&columns, rows, Some(40), false);
        assert!(widest_line(&text) <= 40, "{text}");
        for line in text.lines() {
            assert_eq!(
                textwrap::core::display_width(line),
                widest_line(&text),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            // Counterexamples are kept as the tests above, not in a file.
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever the values (long words, wide characters, new lines,
        /// empty cells), every line fits the terminal and every line of a
        /// grid is as wide as the others.
        #[test]
        fn every_line_fits_the_terminal(
            columns in proptest::collection::vec("[a-z_]{1,10}", 1..8),
            cells in proptest::collection::vec("([a-zA-Z]{0,30} ?|日本語|e\u{301}|\n){0,12}", 0..60),
            width in 20usize..200,
        ) {
            let n = columns.len();
            let rows: Vec<Vec<String>> = cells.chunks(n).filter(|c| c.len() == n).map(|c| c.to_vec()).collect();
            let text = draw(&columns, rows, Some(width), false);
            let widest = widest_line(&text);
            proptest::prop_assert!(widest <= width, "{} > {}:\n{}", widest, width, text);
            if !text.starts_with("row ") {
                for line in text.lines() {
                    proptest::prop_assert_eq!(textwrap::core::display_width(line), widest, "{:?}", line);
                }
            }
        }
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
        let mut table = Table::plan(columns, &sample, None, true);
        let mut text = String::new();
        table.row(sample[0].clone(), &mut text);
        table.row(
            vec!["2".to_string(), "longer words here".to_string()],
            &mut text,
        );
        table.end(true, &mut text);
        assert_eq!(
            text,
            "╭───┬───────╮\n│ n │ text  │\n├───┼───────┤\n│ 1 │ short │\n│ 2 │ long- │\n│   │ er    │\n│   │ words │\n│   │ here  │\n╰───┴───────╯\n(2 rows)\n"
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
