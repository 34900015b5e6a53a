//! A company's history: its figures by metric key and period, reported and
//! estimated, as read from `content/companies/<id>/history.csv`.
//!
//! [`History`] is plain data with pure look-ups: the keys in the order
//! written, the periods in calendar order, a figure per key and period,
//! and year-on-year growth derived from them. Every key, period and figure
//! remembers the cell it was written in ([`At`]), so a later check can
//! point at it. `load::history` reads and validates the file; nothing here
//! knows about CSV.

use crate::diagnostic::Pos;
use crate::model::date::Period;
use crate::model::figure::{Figure, Notation};
use crate::model::metric::Growth;

/// Where a cell was written: its row and column as a spreadsheet counts
/// them (1-based, the header row is row 1, the first column is column 1),
/// and where that is in the file's text (for diagnostics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct At {
    pub row: usize,
    pub col: usize,
    pub pos: Pos,
}

impl At {
    /// The cell's name as a spreadsheet shows it: `A1`, `C3`, `AA10`.
    pub fn cell(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row)
    }
}

/// A spreadsheet's column letters: 1 → `A`, 26 → `Z`, 27 → `AA`.
pub fn column_letters(col: usize) -> String {
    let mut n = col.max(1);
    let mut letters = Vec::new();
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(char::from(b'A' + d as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// A metric key of the history (`revenue`), with the cell naming it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryKey {
    pub key: String,
    pub at: At,
}

/// A period of the history (`2025Q3`, or `2025Q3E` for an estimate), with
/// the cell naming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryPeriod {
    pub period: Period,
    /// Written with a trailing `E`: a forecast, not a reported figure.
    pub estimate: bool,
    pub at: At,
}

impl HistoryPeriod {
    /// The period as written: `2025Q3`, `2025Q3E`.
    pub fn label(&self) -> String {
        if self.estimate {
            format!("{}E", self.period)
        } else {
            self.period.to_string()
        }
    }
}

/// Reads a period cell: a trailing `E` marks an estimate, the rest is a
/// [`Period`]. The error is `Period::parse`'s, about the text as written.
pub fn parse_period(text: &str) -> Result<(Period, bool), String> {
    let t = text.trim();
    match t.strip_suffix('E') {
        Some(rest) if !rest.is_empty() => match Period::parse(rest) {
            Ok(p) => Ok((p, true)),
            Err(_) => Period::parse(t).map(|p| (p, false)),
        },
        _ => Period::parse(t).map(|p| (p, false)),
    }
}

/// One figure of the history, with the cell it was written in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryValue {
    pub figure: Figure,
    pub at: At,
}

/// A company's figures by metric key and period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct History {
    /// In the order written.
    keys: Vec<HistoryKey>,
    /// In calendar order ([`Period::sort_key`]).
    periods: Vec<HistoryPeriod>,
    /// `cells[k][p]`: the figure of `keys[k]` in `periods[p]`, if any.
    cells: Vec<Vec<Option<HistoryValue>>>,
}

impl History {
    /// A history of `keys` and `periods` (in any order, each once) with
    /// `values` given as (index into `keys`, index into `periods`, value);
    /// values whose indices are out of range are dropped.
    pub fn new(
        keys: Vec<HistoryKey>,
        periods: Vec<HistoryPeriod>,
        values: Vec<(usize, usize, HistoryValue)>,
    ) -> History {
        let mut order: Vec<usize> = (0..periods.len()).collect();
        order.sort_by_key(|&i| periods[i].period.sort_key());
        let mut place = vec![0; periods.len()];
        for (new, &old) in order.iter().enumerate() {
            place[old] = new;
        }
        let sorted: Vec<HistoryPeriod> = order.iter().map(|&i| periods[i]).collect();
        let mut cells = vec![vec![None; sorted.len()]; keys.len()];
        for (k, p, v) in values {
            if let Some(slot) = cells.get_mut(k).and_then(|row| row.get_mut(place[p])) {
                *slot = Some(v);
            }
        }
        History {
            keys,
            periods: sorted,
            cells,
        }
    }

    /// The metric keys, in the order written.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|k| k.key.as_str())
    }

    /// The metric keys with the cells naming them.
    pub fn key_cells(&self) -> &[HistoryKey] {
        &self.keys
    }

    /// The periods, in calendar order.
    pub fn periods(&self) -> &[HistoryPeriod] {
        &self.periods
    }

    /// The period `p` as the history has it (estimate or not).
    pub fn period(&self, p: Period) -> Option<&HistoryPeriod> {
        self.periods.iter().find(|hp| hp.period == p)
    }

    /// No key or no period.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() || self.periods.is_empty()
    }

    /// The figure of `key` in `period`, with the cell it was written in.
    pub fn value(&self, key: &str, period: Period) -> Option<&HistoryValue> {
        let k = self.keys.iter().position(|k| k.key == key)?;
        let p = self.periods.iter().position(|hp| hp.period == period)?;
        self.cells[k][p].as_ref()
    }

    /// Every period of `key` in calendar order, with its figure if any.
    pub fn series<'a>(
        &'a self,
        key: &str,
    ) -> impl Iterator<Item = (&'a HistoryPeriod, Option<&'a HistoryValue>)> + 'a {
        let row = self.keys.iter().position(|k| k.key == key);
        self.periods
            .iter()
            .enumerate()
            .map(move |(p, hp)| (hp, row.and_then(|k| self.cells[k][p].as_ref())))
    }

    /// Growth of `key` in `period` against the same period a year earlier.
    /// A gap (`None`) when either figure is missing, qualified (`>2.5亿`,
    /// `~120%`) or the two are not of one kind (a `%` and an amount). A
    /// ratio's change is in points (`+2.0pp`); from a zero or negative
    /// base it is no rate ([`Growth::between`]).
    pub fn yoy(&self, key: &str, period: Period) -> Option<Growth> {
        let now = &self.value(key, period)?.figure;
        let then = &self.value(key, period.year_earlier())?.figure;
        growth(now, then)
    }
}

/// Growth from `then` to `now`, as [`History::yoy`] describes it: to the
/// precision the two figures support, as the forecast table's growth
/// (3.02bn against 2.32bn is `+30%`, not `+30.2%`: the two allow +29.7%
/// to +30.7%).
pub fn growth(now: &Figure, then: &Figure) -> Option<Growth> {
    let is_ratio = |f: &Figure| f.notation == Notation::Percent;
    match (is_ratio(now), is_ratio(then)) {
        (true, true) => Growth::of_ratios(now, then),
        (false, false) => Growth::of_amounts(now, then),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::figure::Decimal;

    fn at(row: usize, col: usize) -> At {
        At {
            row,
            col,
            pos: Pos::new(row, col, 1),
        }
    }

    fn period(text: &str, row: usize) -> HistoryPeriod {
        let (period, estimate) = parse_period(text).expect("a period");
        HistoryPeriod {
            period,
            estimate,
            at: at(row, 1),
        }
    }

    fn value(text: &str) -> HistoryValue {
        HistoryValue {
            figure: Figure::parse(text).expect("a figure"),
            at: at(1, 1),
        }
    }

    /// revenue and margin over 2025Q1E, 2024Q1, 2024Q2 (written out of order).
    fn sample() -> History {
        let keys = ["revenue", "margin"]
            .iter()
            .enumerate()
            .map(|(i, k)| HistoryKey {
                key: k.to_string(),
                at: at(1, i + 2),
            })
            .collect();
        let periods = vec![
            period("2025Q1E", 2),
            period("2024Q1", 3),
            period("2024Q2", 4),
        ];
        let values = vec![
            (0, 0, value("330亿")),
            (0, 1, value("300亿")),
            (1, 0, value("46.0%")),
            (1, 1, value("44.0%")),
            (1, 2, value("45.5%")),
        ];
        History::new(keys, periods, values)
    }

    #[test]
    fn periods_come_in_calendar_order_and_know_estimates() {
        let h = sample();
        let labels: Vec<String> = h.periods().iter().map(HistoryPeriod::label).collect();
        assert_eq!(labels, ["2024Q1", "2024Q2", "2025Q1E"]);
        assert!(h.periods()[2].estimate);
        assert_eq!(h.keys().collect::<Vec<_>>(), ["revenue", "margin"]);
    }

    #[test]
    fn values_keep_their_cell() {
        let h = sample();
        let p = Period::parse("2025Q1").expect("period");
        assert_eq!(
            h.value("revenue", p).map(|v| v.figure.text.as_str()),
            Some("330亿")
        );
        let q2 = Period::parse("2024Q2").expect("period");
        assert!(h.value("revenue", q2).is_none());
        assert!(h.value("profit", p).is_none());
        let series: Vec<bool> = h.series("revenue").map(|(_, v)| v.is_some()).collect();
        assert_eq!(series, [true, false, true]);
    }

    #[test]
    fn yoy_is_a_rate_for_amounts_and_points_for_ratios() {
        let h = sample();
        let p = Period::parse("2025Q1").expect("period");
        // 330亿 against 300亿 allows +9.65% to +10.35%: to 1%.
        assert_eq!(
            h.yoy("revenue", p),
            Some(Growth::Computed(Decimal::new(10, -2)))
        );
        let Some(Growth::Rate(pp)) = h.yoy("margin", p) else {
            panic!("a ratio changes in points")
        };
        assert_eq!(
            (pp.amount, pp.notation),
            (Decimal::new(20, -3), Notation::PercentPoints)
        );
    }

    #[test]
    fn yoy_has_gaps_where_a_year_ago_is_missing() {
        let h = sample();
        let q2 = Period::parse("2024Q2").expect("period");
        assert_eq!(h.yoy("margin", q2), None);
        assert_eq!(h.yoy("revenue", q2), None);
        assert_eq!(h.yoy("nothing", q2), None);
    }

    #[test]
    fn yoy_from_a_zero_or_negative_base_is_no_rate() {
        let f = |s: &str| Figure::parse(s).expect("figure");
        assert_eq!(
            growth(&f("3亿"), &f("-1亿")),
            Some(Growth::TurnedProfitable)
        );
        assert_eq!(growth(&f("-3亿"), &f("-1亿")), Some(Growth::NotMeaningful));
        assert_eq!(growth(&f("3亿"), &f("0")), Some(Growth::TurnedProfitable));
        assert_eq!(growth(&f(">3亿"), &f("1亿")), None);
        assert_eq!(growth(&f("3%"), &f("1亿")), None);
    }

    #[test]
    fn periods_parse_with_an_estimate_mark() {
        assert_eq!(
            parse_period("2025Q1E").map(|(p, e)| (p.to_string(), e)),
            Ok(("2025Q1".into(), true))
        );
        assert_eq!(
            parse_period(" FY2024 ").map(|(p, e)| (p.to_string(), e)),
            Ok(("FY2024".into(), false))
        );
        assert!(parse_period("E").is_err());
        assert!(parse_period("2025Q5E").is_err());
    }

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        let names: Vec<String> = [1, 3, 26, 27, 52, 53, 703]
            .iter()
            .map(|&c| column_letters(c))
            .collect();
        assert_eq!(names, ["A", "C", "Z", "AA", "AZ", "BA", "AAA"]);
        assert_eq!(at(3, 2).cell(), "B3");
    }
}
