//! Reading a company's `history.csv` into a [`History`], with every
//! problem located at its cell.
//!
//! The file is plain CSV (UTF-8, optional BOM, CRLF or LF), read with the
//! `csv` crate. Its first cell says the orientation: `period` for one row
//! per period and one column per metric key, `metric` for one row per key
//! and one column per period (a spreadsheet model's layout). Cells are
//! figures as in front matter; an empty cell is no figure; a period ending
//! in `E` is an estimate. Every problem of a file is reported (TS06xx,
//! see docs/diagnostics.md), each naming its cell as a spreadsheet does
//! (`C3`) and pointing at it in the file's text.

use std::ops::Range;
use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic, Pos};
use crate::model::figure::{Figure, FIGURE_FORMS};
use crate::model::history::{parse_period, At, History, HistoryKey, HistoryPeriod, HistoryValue};

/// Reads `rel` (relative to the site root `root`, and named so in
/// diagnostics) into a [`History`], or every problem found in it.
pub fn read(root: &Path, rel: &Path) -> Result<History, Vec<Diagnostic>> {
    read_hashed(root, rel).map(|(history, _)| history)
}

/// [`read`], with a hash of the file's bytes (what a brief joining the
/// company depends on), from one read.
pub(crate) fn read_hashed(root: &Path, rel: &Path) -> Result<(History, u64), Vec<Diagnostic>> {
    let bytes = super::read(root, rel).map_err(|d| vec![d])?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let text = decode(rel, bytes).map_err(|d| vec![d])?;
    parse(rel, &text).map(|history| (history, hash))
}

/// Reads the text of a history file (already decoded, see [`read`]).
pub(crate) fn parse(rel: &Path, text: &str) -> Result<History, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = cells(rel, text).map_err(|d| vec![d])?;
    let Some((header, first)) = rows.first().and_then(|h| Some((h, h.first()?))) else {
        return Err(vec![empty(rel)]);
    };
    let layout = layout(rel, text, first).map_err(|d| vec![d])?;
    let mut sheet = Sheet {
        rel,
        text,
        layout,
        errors: Vec::new(),
    };
    let body: Vec<&[Cell]> = rows[1..]
        .iter()
        .map(Vec::as_slice)
        .filter(|r| r.iter().any(|c| !c.text.is_empty()))
        .collect();
    sheet.check_widths(header, &body);
    let row_labels: Vec<Option<&Cell>> = body.iter().map(|r| Some(&r[0])).collect();
    // A column with neither a heading nor a figure (a trailing comma) is
    // no column.
    let col_labels: Vec<Option<&Cell>> = header[1..]
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let blank = h.text.is_empty()
                && body
                    .iter()
                    .all(|r| r.get(i + 1).is_none_or(|c| c.text.is_empty()));
            (!blank).then_some(h)
        })
        .collect();
    let (period_cells, key_cells) = match layout {
        Layout::PeriodRows => (&row_labels, &col_labels),
        Layout::MetricRows => (&col_labels, &row_labels),
    };
    let periods = sheet.periods(period_cells);
    let keys = sheet.keys(key_cells);
    let values = sheet.values(header, &body);
    if !sheet.errors.is_empty() {
        crate::diagnostic::sort(&mut sheet.errors);
        return Err(sheet.errors);
    }
    let (keys, key_place) = compact(keys);
    let (periods, period_place) = compact(periods);
    let values = values
        .into_iter()
        .filter_map(|(k, p, v)| {
            Some((
                key_place.get(k).copied()??,
                period_place.get(p).copied()??,
                v,
            ))
        })
        .collect();
    Ok(History::new(keys, periods, values))
}

/// A history file's bytes as text (see `front_matter::decode`).
fn decode(rel: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    crate::load::front_matter::decode(
        rel,
        bytes,
        "keep one company's figures by period in its history.csv",
        "save the file as UTF-8 (in Excel: Save As, then CSV UTF-8)",
    )
}

/// One cell as read: its text (unquoted, trimmed) and where it was.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    at: At,
}

/// The rows of the file, blank lines skipped, each cell located.
fn cells(rel: &Path, text: &str) -> Result<Vec<Vec<Cell>>, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let lines = LineStarts::new(text);
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    // Lines taken by cells that span several lines (quoted newlines): a
    // spreadsheet shows such a record as one row.
    let mut extra_lines = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(Diagnostic::error(
                    "TS0606",
                    rel.to_path_buf(),
                    format!("cannot be read as CSV: {e}"),
                ))
            }
        }
        // The reader's position is where the previous record ended: the
        // record starts after the line ends and blank lines.
        let after = record.position().map_or(0, |p| p.byte() as usize);
        let start = text
            .get(after..)
            .and_then(|rest| rest.find(|c| c != '\r' && c != '\n'))
            .map_or(text.len(), |i| after + i);
        let row = lines.line(start).saturating_sub(extra_lines).max(1);
        let (spans, end) = field_spans(text, start);
        extra_lines += text.get(start..end).map_or(0, |t| t.matches('\n').count());
        let row_cells = record
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let span = spans.get(i).cloned().unwrap_or(end..end);
                Cell {
                    text: field.trim().to_string(),
                    at: At {
                        row,
                        col: i + 1,
                        pos: lines.pos(text, span),
                    },
                }
            })
            .collect();
        rows.push(row_cells);
    }
    Ok(rows)
}

/// The byte ranges of the fields of the record that starts at `start`, as
/// written (quotes included), and where the record ends. Only for
/// locating cells: their text comes from the `csv` reader.
fn field_spans(text: &str, start: usize) -> (Vec<Range<usize>>, usize) {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = start;
    loop {
        let s = i;
        if b.get(i) == Some(&b'"') {
            i += 1;
            while i < b.len() {
                if b[i] == b'"' && b.get(i + 1) == Some(&b'"') {
                    i += 2;
                } else if b[i] == b'"' {
                    i += 1;
                    break;
                } else {
                    i += 1;
                }
            }
        }
        while i < b.len() && !matches!(b[i], b',' | b'\n' | b'\r') {
            i += 1;
        }
        spans.push(s..i);
        if b.get(i) != Some(&b',') {
            return (spans, i);
        }
        i += 1;
    }
}

/// Byte offsets where each line starts, to turn offsets into positions.
struct LineStarts(Vec<usize>);

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts(starts)
    }

    /// The 1-based line and character column of `span.start`, and the
    /// span's length in characters up to the end of its line.
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset).max(1)
    }

    fn pos(&self, text: &str, span: Range<usize>) -> Pos {
        let line = self.line(span.start);
        let line_start = self.0[line - 1];
        let col = text
            .get(line_start..span.start)
            .map_or(1, |t| t.chars().count() + 1);
        let cell = text.get(span).unwrap_or("");
        let len = cell.split('\n').next().unwrap_or("").chars().count();
        Pos::new(line, col, len)
    }
}

/// Which way the sheet runs, from its first cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// `period`: one row per period, one column per metric key.
    PeriodRows,
    /// `metric`: one row per metric key, one column per period.
    MetricRows,
}

fn layout(rel: &Path, text: &str, first: &Cell) -> Result<Layout, Diagnostic> {
    let word = first.text.to_lowercase();
    match word.as_str() {
        "period" => return Ok(Layout::PeriodRows),
        "metric" => return Ok(Layout::MetricRows),
        _ => {}
    }
    let both = "`period` for one row per period and one column per metric key, \
                or `metric` for one row per metric key and one column per period";
    let help = match did_you_mean(&word, ["period", "metric"]) {
        Some(w) => format!("did you mean `{w}`? The first cell is {both}"),
        None => format!("write {both}"),
    };
    let shown = if first.text.is_empty() {
        "empty".to_string()
    } else {
        format!("`{}`", first.text)
    };
    Err(Diagnostic::error(
        "TS0605",
        rel.to_path_buf(),
        format!("cell A1: the first cell must be `period` or `metric`, but it is {shown}"),
    )
    .at(text, first.at.pos)
    .label("says which way the sheet runs")
    .help(help))
}

fn empty(rel: &Path) -> Diagnostic {
    Diagnostic::error("TS0606", rel.to_path_buf(), "the history file is empty").help(
        "start with a header row: `period,revenue,net_income` (one row per period) \
         or `metric,2024Q4,2025Q1` (one row per metric key)",
    )
}

/// The sheet being read: where to report, and what was found wrong.
struct Sheet<'a> {
    rel: &'a Path,
    text: &'a str,
    layout: Layout,
    errors: Vec<Diagnostic>,
}

impl Sheet<'_> {
    fn push(&mut self, code: &'static str, at: &At, message: String, label: &str, help: &str) {
        let mut d = Diagnostic::error(code, self.rel.to_path_buf(), message).at(self.text, at.pos);
        if !label.is_empty() {
            d = d.label(label);
        }
        if !help.is_empty() {
            d = d.help(help);
        }
        self.errors.push(d);
    }

    /// A row or a column, whichever holds one period's figures.
    fn period_line(&self) -> &'static str {
        match self.layout {
            Layout::PeriodRows => "row",
            Layout::MetricRows => "column",
        }
    }

    /// A row or a column, whichever holds one metric key's figures.
    fn key_line(&self) -> &'static str {
        match self.layout {
            Layout::PeriodRows => "column",
            Layout::MetricRows => "row",
        }
    }

    /// Every row has as many cells as the header row.
    fn check_widths(&mut self, header: &[Cell], body: &[&[Cell]]) {
        let width = header.len();
        for row in body {
            let (at, label) = match (row.get(width), row.last()) {
                _ if row.len() == width => continue,
                (Some(extra), _) => (extra.at, format!("beyond the header row's {width} columns")),
                (None, Some(last)) => {
                    let mut at = last.at;
                    at.pos.col += last.at.pos.len;
                    at.pos.len = 0;
                    (at, "a cell is missing here".to_string())
                }
                (None, None) => continue,
            };
            let message = format!(
                "row {}: has {} cells, but the header row has {width}",
                at.row,
                row.len()
            );
            self.push(
                "TS0602",
                &at,
                message,
                &label,
                "give every row one cell per column of the header row; \
                 leave a cell empty (`2024Q3,,72.4%`) for no figure",
            );
        }
    }

    /// The periods named by `cells` (`None` where a cell is blank or wrong).
    fn periods(&mut self, cells: &[Option<&Cell>]) -> Vec<Option<HistoryPeriod>> {
        let mut found: Vec<Option<HistoryPeriod>> = Vec::new();
        for cell in cells {
            let Some(cell) = cell else {
                found.push(None);
                continue;
            };
            let period = self.period(cell, &found);
            found.push(period);
        }
        found
    }

    fn period(&mut self, cell: &Cell, found: &[Option<HistoryPeriod>]) -> Option<HistoryPeriod> {
        let name = cell.at.cell();
        if cell.text.is_empty() {
            let message = format!("cell {name}: the period is missing");
            let help = format!(
                "write the period of this {}'s figures, e.g. 2025Q2, or 2025Q3E for an estimate",
                self.period_line()
            );
            self.push("TS0604", &cell.at, message, "no period", &help);
            return None;
        }
        let (period, estimate) = match parse_period(&cell.text) {
            Ok(p) => p,
            Err(e) => {
                let message = format!("cell {name}: {e}");
                let help = "a period may end in E for an estimate: 2025Q3E";
                self.push("TS0604", &cell.at, message, "not a period", help);
                return None;
            }
        };
        let here = HistoryPeriod {
            period,
            estimate,
            at: cell.at,
        };
        if let Some(first) = found.iter().flatten().find(|p| p.period == period) {
            let mut message = format!(
                "cell {name}: period {} is already in cell {}",
                here.label(),
                first.at.cell()
            );
            if first.estimate != estimate {
                message.push_str(&format!(" (as {})", first.label()));
            }
            let help = format!(
                "keep one {} per period: a period has one figure per metric key, \
                 reported or estimated",
                self.period_line()
            );
            self.push("TS0603", &cell.at, message, "again here", &help);
            return None;
        }
        Some(here)
    }

    /// The metric keys named by `cells` (`None` where a cell is blank or wrong).
    fn keys(&mut self, cells: &[Option<&Cell>]) -> Vec<Option<HistoryKey>> {
        let mut found: Vec<Option<HistoryKey>> = Vec::new();
        for cell in cells {
            let key = cell.and_then(|c| self.key(c, &found));
            found.push(key);
        }
        found
    }

    fn key(&mut self, cell: &Cell, found: &[Option<HistoryKey>]) -> Option<HistoryKey> {
        let name = cell.at.cell();
        let text = &cell.text;
        if text.is_empty() {
            let message = format!("cell {name}: the metric key is missing");
            let help = format!(
                "name the metric of this {}'s figures, e.g. revenue",
                self.key_line()
            );
            self.push("TS0607", &cell.at, message, "no metric key", &help);
            return None;
        }
        if text.contains('.') {
            let message = format!("cell {name}: metric key `{text}` contains `.`");
            let help = "`.` separates a key from its field (`revenue.yoy`): name the key \
                        without it; growth is derived from the history, so no `.yoy` \
                        row or column is needed";
            self.push("TS0607", &cell.at, message, "not a metric key", help);
            return None;
        }
        if let Some(first) = found.iter().flatten().find(|k| &k.key == text) {
            let message = format!(
                "cell {name}: metric key `{text}` is already in cell {}",
                first.at.cell()
            );
            let help = format!("keep one {} per metric key", self.key_line());
            self.push("TS0603", &cell.at, message, "again here", &help);
            return None;
        }
        Some(HistoryKey {
            key: text.clone(),
            at: cell.at,
        })
    }

    /// Every figure of the body, as (key index, period index, value).
    fn values(&mut self, header: &[Cell], body: &[&[Cell]]) -> Vec<(usize, usize, HistoryValue)> {
        let mut values = Vec::new();
        for (r, row) in body.iter().enumerate() {
            for (c, cell) in row.iter().enumerate().take(header.len()).skip(1) {
                if cell.text.is_empty() {
                    continue;
                }
                let (k, p) = match self.layout {
                    Layout::PeriodRows => ((&header[c], c - 1), (&row[0], r)),
                    Layout::MetricRows => ((&row[0], r), (&header[c], c - 1)),
                };
                match Figure::parse(&cell.text) {
                    Ok(figure) => values.push((
                        k.1,
                        p.1,
                        HistoryValue {
                            figure,
                            at: cell.at,
                        },
                    )),
                    Err(e) => {
                        let message = format!(
                            "cell {}: cannot read figure \"{}\" for `{}` in {}: {e}",
                            cell.at.cell(),
                            cell.text,
                            k.0.text,
                            p.0.text,
                        );
                        let help = format!("{FIGURE_FORMS}; leave the cell empty for no figure");
                        self.push("TS0601", &cell.at, message, "not a figure", &help);
                    }
                }
            }
        }
        values
    }
}

/// Keeps the found items, and says where each index went.
fn compact<T>(items: Vec<Option<T>>) -> (Vec<T>, Vec<Option<usize>>) {
    let mut kept = Vec::new();
    let mut place = Vec::new();
    for item in items {
        match item {
            Some(t) => {
                place.push(Some(kept.len()));
                kept.push(t);
            }
            None => place.push(None),
        }
    }
    (kept, place)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Period;
    use crate::model::metric::Growth;

    const FILE: &str = "content/companies/acme/history.csv";

    fn read_text(text: &str) -> Result<History, Vec<Diagnostic>> {
        parse(Path::new(FILE), text)
    }

    fn ok(text: &str) -> History {
        read_text(text).unwrap_or_else(|e| panic!("{}", e[0].render()))
    }

    /// One error's message and its line and column in the file.
    fn errors(text: &str) -> Vec<(String, usize, usize)> {
        match read_text(text) {
            Ok(_) => panic!("{text:?} should not read"),
            Err(e) => e
                .iter()
                .map(|d| {
                    let p = d.pos.unwrap_or(Pos::new(0, 0, 0));
                    (format!("{}: {}", d.code, d.message), p.line, p.col)
                })
                .collect(),
        }
    }

    fn period(s: &str) -> Period {
        Period::parse(s).expect("period")
    }

    /// What a history says, without where it was written.
    fn figures(h: &History) -> Vec<(String, String, Option<String>)> {
        let mut out = Vec::new();
        for key in h.keys() {
            for (p, v) in h.series(key) {
                out.push((key.to_string(), p.label(), v.map(|v| v.figure.text.clone())));
            }
        }
        out
    }

    const BY_PERIOD: &str =
        "period,revenue,margin\n2024Q3,310.1亿,72.4%\n2024Q4,353.8亿,\n2025Q3E,330亿,74%\n";
    const BY_METRIC: &str =
        "metric,2024Q3,2024Q4,2025Q3E\nrevenue,310.1亿,353.8亿,330亿\nmargin,72.4%,,74%\n";

    #[test]
    fn both_layouts_read_the_same() {
        let a = ok(BY_PERIOD);
        let b = ok(BY_METRIC);
        assert_eq!(figures(&a), figures(&b));
        assert_eq!(
            figures(&a)[..3],
            [
                ("revenue".into(), "2024Q3".into(), Some("310.1亿".into())),
                ("revenue".into(), "2024Q4".into(), Some("353.8亿".into())),
                ("revenue".into(), "2025Q3E".into(), Some("330亿".into())),
            ]
        );
        let v = b.value("margin", period("2025Q3")).expect("a figure");
        assert_eq!((v.at.row, v.at.col, v.at.cell()), (3, 4, "D3".into()));
        let v = a.value("margin", period("2025Q3")).expect("a figure");
        assert_eq!(
            (v.at.row, v.at.col, v.at.pos.line, v.at.pos.col),
            (4, 3, 4, 14)
        );
    }

    #[test]
    fn empty_cells_are_no_figure_and_estimates_are_marked() {
        let h = ok(BY_PERIOD);
        assert!(h.value("margin", period("2024Q4")).is_none());
        let estimates: Vec<bool> = h.periods().iter().map(|p| p.estimate).collect();
        assert_eq!(estimates, [false, false, true]);
        // 330亿 against 310.1亿 allows +6.24% to +6.60%: to 1%.
        assert_eq!(
            h.yoy("revenue", period("2025Q3")),
            Some(Growth::Computed(crate::model::figure::Decimal::new(6, -2)))
        );
        assert_eq!(h.yoy("revenue", period("2024Q4")), None);
    }

    #[test]
    fn bom_crlf_quotes_and_blank_lines() {
        let text = "\u{feff}Period,revenue,\"net income\"\r\n\r\n2024Q3,\"3,101亿\",12亿\r\n,,\r\n2025Q3E, 330亿 ,\r\n";
        let h = ok(text);
        assert_eq!(h.keys().collect::<Vec<_>>(), ["revenue", "net income"]);
        let v = h.value("revenue", period("2024Q3")).expect("a figure");
        assert_eq!(v.figure.text, "3,101亿");
        assert_eq!(
            (v.at.row, v.at.pos.line, v.at.pos.col, v.at.pos.len),
            (3, 3, 8, 8)
        );
        let v = h.value("revenue", period("2025Q3")).expect("a figure");
        assert_eq!((v.at.row, v.at.col), (5, 2));
        assert_eq!(figures(&h).len(), 4);
        assert_eq!(
            figures(&ok(text)),
            figures(&ok(&text.replace("\r\n", "\n")))
        );
    }

    #[test]
    fn a_header_alone_and_trailing_blank_columns_are_fine() {
        assert!(ok("period,revenue\n").is_empty());
        let h = ok("metric,2024Q3,\nrevenue,1亿,\n");
        assert_eq!(h.periods().len(), 1);
    }

    #[test]
    fn a_malformed_cell_names_its_cell_metric_and_period() {
        assert_eq!(
            errors("period,revenue,margin\n2024Q3,12 apples,72.4%\n2024Q4,1亿,x\n"),
            [
                ("TS0601: cell B2: cannot read figure \"12 apples\" for `revenue` in 2024Q3: unknown unit or scale `apples`".into(), 2, 8),
                ("TS0601: cell C3: cannot read figure \"x\" for `margin` in 2024Q4: not a number".into(), 3, 11),
            ]
        );
        assert_eq!(
            errors("metric,2024Q3\nrevenue,twelve\n"),
            [("TS0601: cell B2: cannot read figure \"twelve\" for `revenue` in 2024Q3: not a number".into(), 2, 9)]
        );
    }

    #[test]
    fn rows_of_unequal_length() {
        assert_eq!(
            errors("period,a,b\n2024Q3,1,2,3\n2024Q4,1\n"),
            [
                (
                    "TS0602: row 2: has 4 cells, but the header row has 3".into(),
                    2,
                    12
                ),
                (
                    "TS0602: row 3: has 2 cells, but the header row has 3".into(),
                    3,
                    9
                ),
            ]
        );
    }

    #[test]
    fn duplicates_name_the_first() {
        assert_eq!(
            errors("period,revenue,revenue\n2024Q3,1,2\n2024Q3E,1,2\n"),
            [
                (
                    "TS0603: cell C1: metric key `revenue` is already in cell B1".into(),
                    1,
                    16
                ),
                (
                    "TS0603: cell A3: period 2024Q3E is already in cell A2 (as 2024Q3)".into(),
                    3,
                    1
                ),
            ]
        );
        assert_eq!(
            errors("metric,2024Q3,2024Q3\nrevenue,1,2\n"),
            [(
                "TS0603: cell C1: period 2024Q3 is already in cell B1".into(),
                1,
                15
            )]
        );
    }

    #[test]
    fn periods_and_keys_must_be_there_and_readable() {
        assert_eq!(
            errors("period,revenue,a.yoy,\n2024Q5,1,2,3\n,1,2,3\n"),
            [
                ("TS0607: cell C1: metric key `a.yoy` contains `.`".into(), 1, 16),
                ("TS0607: cell D1: the metric key is missing".into(), 1, 22),
                ("TS0604: cell A2: `2024Q5` is not a period: write 2025Q2, 2025H1, FY2024, 2025-06, FY2026Q2, or any of them with E for an estimate".into(), 2, 1),
                ("TS0604: cell A3: the period is missing".into(), 3, 1),
            ]
        );
    }

    #[test]
    fn the_first_cell_says_the_layout() {
        assert_eq!(
            errors("date,revenue\n2024Q3,1\n"),
            [(
                "TS0605: cell A1: the first cell must be `period` or `metric`, but it is `date`"
                    .into(),
                1,
                1
            )]
        );
        let e = read_text("periods,revenue\n").expect_err("not a layout");
        assert!(e[0]
            .help
            .as_deref()
            .is_some_and(|h| h.starts_with("did you mean `period`?")));
    }

    #[test]
    fn an_empty_file() {
        for text in ["", "\u{feff}", "\n\n", "\r\n"] {
            let e = read_text(text).expect_err("empty");
            assert_eq!(
                (e[0].code, e[0].message.as_str()),
                ("TS0606", "the history file is empty")
            );
        }
    }

    #[test]
    fn bytes_that_are_not_utf8() {
        let e = decode(Path::new(FILE), b"period,revenue\n2024Q3,\xff\n".to_vec())
            .expect_err("not utf-8");
        assert_eq!(
            (e.code, e.pos.map(|p| (p.line, p.col))),
            ("TS0101", Some((2, 8)))
        );
    }

    #[test]
    fn a_missing_file_cannot_be_read() {
        let e =
            read(Path::new("/nonexistent-tearsheet-root"), Path::new(FILE)).expect_err("missing");
        assert_eq!(e[0].code, "TS0108");
    }

    #[test]
    fn a_cell_over_two_lines_is_one_row() {
        let e = errors("period,\"net\nincome\"\n2024Q3,x\n");
        assert_eq!(
            e,
            [("TS0601: cell B2: cannot read figure \"x\" for `net\nincome` in 2024Q3: not a number".into(), 3, 8)]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_read_or_fail_without_panic(bytes in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(b",\"\r\n E%.-19QHFYperiodmtc".to_vec()),
                proptest::prelude::any::<u8>(),
            ],
            0..200,
        )) {
            if let Ok(text) = decode(Path::new(FILE), bytes) {
                if let Err(errors) = read_text(&text) {
                    for d in errors {
                        let _ = d.render();
                    }
                }
            }
        }

        #[test]
        fn sheets_of_any_shape_read_or_fail_without_panic(
            layout in proptest::sample::select(vec!["period", "metric", "x", ""]),
            rows in proptest::collection::vec(proptest::collection::vec(
                proptest::sample::select(vec!["", "2024Q3", "2025Q1E", "FY2024", "1亿", "x", "a.b", "\"q,\"\"\"", "72.4%", "E"]),
                0..5,
            ), 0..6),
            crlf in proptest::prelude::any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("{layout},");
            for row in rows {
                text.push_str(&row.join(","));
                text.push_str(end);
            }
            match read_text(&text) {
                Ok(h) => {
                    for key in h.keys() {
                        for p in h.periods() {
                            let _ = h.yoy(key, p.period);
                        }
                    }
                }
                Err(errors) => {
                    for d in errors {
                        let _ = d.render();
                    }
                }
            }
        }
    }
}
