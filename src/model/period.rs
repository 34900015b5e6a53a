//! Reporting periods as authors write them: calendar (`2025Q2`, `2025H1`,
//! `2025-06`), fiscal (`FY2026Q2`, `FY2026H1`, `FY2026`), each optionally
//! an estimate (`2025Q3E`, `FY2027E`); and the company's fiscal year end
//! ([`FiscalYearEnd`]) that places a fiscal period on the calendar.
//!
//! A period is kept as written: `Display` gives back the author's text.
//! Where it sits in time depends on the fiscal year end: with
//! `fiscal_year_end: 1` FY2026 runs Feb 2025 – Jan 2026 and FY2026Q2 is
//! May–Jul 2025. Without a known fiscal year end a fiscal period is read
//! with December (fiscal = calendar), which is what the methods without a
//! `fye` argument do. Labels for pages are in [`label`].

use std::fmt;

pub(crate) mod label;

/// A month of the year, 1–12.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Month(u8);

impl Month {
    pub const JANUARY: Month = Month(1);
    pub const DECEMBER: Month = Month(12);

    /// `None` unless `m` is 1–12.
    pub fn new(m: u8) -> Option<Month> {
        (1..=12).contains(&m).then_some(Month(m))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Month {
    type Error = String;
    fn try_from(m: u8) -> Result<Month, String> {
        Month::new(m).ok_or_else(|| format!("there is no month {m}: months are 1–12"))
    }
}

impl From<Month> for u8 {
    fn from(m: Month) -> u8 {
        m.0
    }
}

/// A quarter of a calendar or fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Quarter {
    Q1,
    Q2,
    Q3,
    Q4,
}

impl Quarter {
    /// `None` unless `q` is 1–4.
    pub fn new(q: u8) -> Option<Quarter> {
        match q {
            1 => Some(Quarter::Q1),
            2 => Some(Quarter::Q2),
            3 => Some(Quarter::Q3),
            4 => Some(Quarter::Q4),
            _ => None,
        }
    }

    /// 1–4.
    pub fn number(self) -> u8 {
        match self {
            Quarter::Q1 => 1,
            Quarter::Q2 => 2,
            Quarter::Q3 => 3,
            Quarter::Q4 => 4,
        }
    }
}

/// A half of a calendar or fiscal year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Half {
    H1,
    H2,
}

impl Half {
    /// `None` unless `h` is 1 or 2.
    pub fn new(h: u8) -> Option<Half> {
        match h {
            1 => Some(Half::H1),
            2 => Some(Half::H2),
            _ => None,
        }
    }

    /// 1 or 2.
    pub fn number(self) -> u8 {
        match self {
            Half::H1 => 1,
            Half::H2 => 2,
        }
    }
}

/// Whether a quarter or half counts in calendar years (`2025Q2`) or in
/// the company's fiscal years (`FY2026Q2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Basis {
    Calendar,
    Fiscal,
}

/// The stretch of time a period names, without the estimate mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Span {
    /// `2025-06`: a calendar month.
    Month { year: i32, month: Month },
    /// `2025Q2` (calendar) or `FY2026Q2` (fiscal).
    Quarter {
        basis: Basis,
        year: i32,
        quarter: Quarter,
    },
    /// `2025H1` (calendar) or `FY2026H1` (fiscal).
    Half { basis: Basis, year: i32, half: Half },
    /// `FY2026`: the company's fiscal year, named by the calendar year it
    /// ends in; the calendar year when the fiscal year ends in December
    /// (part 1's `FY2024`).
    Year { year: i32 },
}

/// A reporting period as written: its span and whether it is an estimate
/// (`E` suffix, allowed on every form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(remote = "Self")]
pub struct Period {
    pub span: Span,
    pub estimate: bool,
}

/// The month a company's fiscal year ends in (`fiscal_year_end:` 1–12);
/// December by default, when fiscal years are calendar years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct FiscalYearEnd(Month);

impl FiscalYearEnd {
    /// Fiscal years are calendar years.
    pub const DECEMBER: FiscalYearEnd = FiscalYearEnd(Month::DECEMBER);

    /// The fiscal year end for a month number; an error saying months
    /// are 1–12 for any other number.
    pub fn new(month: i64) -> Result<FiscalYearEnd, String> {
        u8::try_from(month)
            .ok()
            .and_then(Month::new)
            .map(FiscalYearEnd)
            .ok_or_else(|| {
                format!(
                    "`{month}` is not a month: a fiscal year ends in a month 1–12 \
                     (1 = January, 12 = December)"
                )
            })
    }

    pub fn month(self) -> Month {
        self.0
    }

    /// Whether fiscal years are calendar years (December).
    pub fn is_calendar(self) -> bool {
        self.0 == Month::DECEMBER
    }
}

impl Default for FiscalYearEnd {
    fn default() -> FiscalYearEnd {
        FiscalYearEnd::DECEMBER
    }
}

impl TryFrom<i64> for FiscalYearEnd {
    type Error = String;
    fn try_from(m: i64) -> Result<FiscalYearEnd, String> {
        FiscalYearEnd::new(m)
    }
}

impl From<FiscalYearEnd> for i64 {
    fn from(f: FiscalYearEnd) -> i64 {
        i64::from(f.0.get())
    }
}

/// The forms a period takes, for messages.
pub(crate) const PERIOD_FORMS: &str =
    "write 2025Q2, 2025H1, FY2024, 2025-06, FY2026Q2, or any of them with E for an estimate";

/// Months counted from year 0 (January 0000 = 0), so spans are ranges.
fn month_index(year: i32, month: u8) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// The (year, month) of a month index.
fn from_index(i: i64) -> (i32, u8) {
    (i.div_euclid(12) as i32, (i.rem_euclid(12) + 1) as u8)
}

impl Period {
    /// A reported (not estimated) period of `span`.
    pub fn new(span: Span) -> Period {
        Period {
            span,
            estimate: false,
        }
    }

    /// Reads every form of the contract, with or without a trailing `E`;
    /// anything else is an error listing the forms.
    pub fn parse(s: &str) -> Result<Period, String> {
        let t = s.trim();
        let (body, estimate) = match t.strip_suffix('E') {
            Some(b) => (b, true),
            None => (t, false),
        };
        parse_span(body)
            .map(|span| Period { span, estimate })
            .ok_or_else(|| format!("`{s}` is not a period: {PERIOD_FORMS}"))
    }

    /// Whether it is an estimate (`2025Q3E`).
    pub fn is_estimate(self) -> bool {
        self.estimate
    }

    /// Whether it counts in the company's fiscal years (`FY2026Q2`,
    /// `FY2026H1`, `FY2026`), so that its calendar months depend on the
    /// fiscal year end.
    pub fn is_fiscal(self) -> bool {
        match self.span {
            Span::Month { .. } => false,
            Span::Quarter { basis, .. } | Span::Half { basis, .. } => basis == Basis::Fiscal,
            Span::Year { .. } => true,
        }
    }

    /// The same period without the estimate mark (`2025Q3E` → `2025Q3`).
    pub fn reported(self) -> Period {
        Period::new(self.span)
    }

    /// The calendar year the period's name carries (`FY2026Q2` → 2026).
    pub fn year(self) -> i32 {
        match self.span {
            Span::Month { year, .. }
            | Span::Quarter { year, .. }
            | Span::Half { year, .. }
            | Span::Year { year } => year,
        }
    }

    /// The first and last calendar months the period covers, as
    /// (year, month 1–12), for a company whose fiscal year ends in `fye`.
    /// Calendar forms ignore `fye`.
    pub fn calendar_months(self, fye: FiscalYearEnd) -> ((i32, u8), (i32, u8)) {
        let fiscal_start = |year: i32| month_index(year, fye.month().get()) - 11;
        let (start, len) = match self.span {
            Span::Month { year, month } => (month_index(year, month.get()), 1),
            Span::Quarter {
                basis,
                year,
                quarter,
            } => {
                let first = match basis {
                    Basis::Calendar => month_index(year, 1),
                    Basis::Fiscal => fiscal_start(year),
                };
                (first + 3 * i64::from(quarter.number() - 1), 3)
            }
            Span::Half { basis, year, half } => {
                let first = match basis {
                    Basis::Calendar => month_index(year, 1),
                    Basis::Fiscal => fiscal_start(year),
                };
                (first + 6 * i64::from(half.number() - 1), 6)
            }
            Span::Year { year } => (fiscal_start(year), 12),
        };
        (from_index(start), from_index(start + len - 1))
    }

    /// The last calendar month the period covers, as (year, month).
    pub fn calendar_end(self, fye: FiscalYearEnd) -> (i32, u8) {
        self.calendar_months(fye).1
    }

    /// Orders periods on a time line by their calendar end, shorter
    /// periods first when two end together (2025Q4 < 2025H2 < FY2025);
    /// an estimate sits with the period it estimates.
    pub fn sort_key_in(self, fye: FiscalYearEnd) -> (i32, u8, u8) {
        let (year, month) = self.calendar_end(fye);
        let rank = match self.span {
            Span::Month { .. } => 0,
            Span::Quarter { .. } => 1,
            Span::Half { .. } => 2,
            Span::Year { .. } => 3,
        };
        (year, month, rank)
    }

    /// [`Period::sort_key_in`] with fiscal years read as calendar years
    /// (December), as when the company's fiscal year end is not known.
    pub fn sort_key(self) -> (i32, u8, u8) {
        self.sort_key_in(FiscalYearEnd::DECEMBER)
    }

    /// The period just before, of the same form: the previous quarter,
    /// half, year or month, fiscal when this one is (`FY2026Q1` →
    /// `FY2025Q4`). It names a stretch of time, so it carries no estimate
    /// mark: compare with [`Period::reported`] to find it among estimates.
    pub fn previous(self) -> Period {
        self.shifted(-1)
    }

    /// The period just after, of the same form (`FY2026Q2` →
    /// `FY2026Q3`, `2025Q4` → `2026Q1`): what a guidance without a period
    /// is for. Like [`Period::previous`] it carries no estimate mark.
    pub fn next(self) -> Period {
        self.shifted(1)
    }

    /// The period `by` periods of its own form later (earlier when
    /// negative), without an estimate mark.
    fn shifted(self, by: i64) -> Period {
        // Count in the period's own unit from year 0, shift, count back.
        let count = |year: i32, per_year: i64, nth: u8| {
            let i = i64::from(year) * per_year + i64::from(nth) - 1 + by;
            (
                i.div_euclid(per_year) as i32,
                (i.rem_euclid(per_year) + 1) as u8,
            )
        };
        let span = match self.span {
            Span::Month { year, month } => {
                let (year, m) = count(year, 12, month.get());
                Span::Month {
                    year,
                    month: Month(m),
                }
            }
            Span::Quarter {
                basis,
                year,
                quarter,
            } => {
                let (year, q) = count(year, 4, quarter.number());
                Span::Quarter {
                    basis,
                    year,
                    quarter: Quarter::new(q).unwrap_or(quarter),
                }
            }
            Span::Half { basis, year, half } => {
                let (year, h) = count(year, 2, half.number());
                Span::Half {
                    basis,
                    year,
                    half: Half::new(h).unwrap_or(half),
                }
            }
            Span::Year { year } => Span::Year {
                year: year + by as i32,
            },
        };
        Period::new(span)
    }

    /// The same period a year earlier: the same calendar or fiscal
    /// quarter, half, month or year (`FY2026Q2` → `FY2025Q2`), what `yoy`
    /// compares with. Like [`Period::previous`] it carries no estimate
    /// mark (`FY2027E` → `FY2026`).
    pub fn year_earlier(self) -> Period {
        let span = match self.span {
            Span::Month { year, month } => Span::Month {
                year: year - 1,
                month,
            },
            Span::Quarter {
                basis,
                year,
                quarter,
            } => Span::Quarter {
                basis,
                year: year - 1,
                quarter,
            },
            Span::Half { basis, year, half } => Span::Half {
                basis,
                year: year - 1,
                half,
            },
            Span::Year { year } => Span::Year { year: year - 1 },
        };
        Period::new(span)
    }
}

/// A period without its `E`, or `None`.
fn parse_span(t: &str) -> Option<Span> {
    let year_of = |y: &str| -> Option<i32> {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse().ok())
            .flatten()
    };
    let (basis, t) = match t.strip_prefix("FY") {
        Some(rest) if rest.len() == 4 => {
            return year_of(rest).map(|year| Span::Year { year });
        }
        Some(rest) => (Basis::Fiscal, rest),
        None => (Basis::Calendar, t),
    };
    if t.len() == 6 {
        let year = year_of(t.get(..4)?)?;
        return match &t.as_bytes()[4..] {
            [b'Q', q] => Quarter::new(q.wrapping_sub(b'0')).map(|quarter| Span::Quarter {
                basis,
                year,
                quarter,
            }),
            [b'H', h] => {
                Half::new(h.wrapping_sub(b'0')).map(|half| Span::Half { basis, year, half })
            }
            _ => None,
        };
    }
    if basis == Basis::Calendar && t.len() == 7 && t.as_bytes()[4] == b'-' {
        let year = year_of(&t[..4])?;
        let digits = &t[5..];
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            let month = Month::new(digits.parse().ok()?)?;
            return Some(Span::Month { year, month });
        }
    }
    None
}

impl fmt::Display for Period {
    /// The period as written: `2025Q2`, `FY2026Q2`, `2025-06`, `FY2027E`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fy = |basis: Basis| match basis {
            Basis::Calendar => "",
            Basis::Fiscal => "FY",
        };
        match self.span {
            Span::Month { year, month } => write!(f, "{year:04}-{:02}", month.get())?,
            Span::Quarter {
                basis,
                year,
                quarter,
            } => write!(f, "{}{year:04}Q{}", fy(basis), quarter.number())?,
            Span::Half { basis, year, half } => {
                write!(f, "{}{year:04}H{}", fy(basis), half.number())?
            }
            Span::Year { year } => write!(f, "FY{year:04}")?,
        }
        if self.estimate {
            f.write_str("E")?;
        }
        Ok(())
    }
}

crate::model::date::deserialize_from_str!(
    Period,
    "a period such as 2025Q2, 2025H1, FY2024, 2025-06, FY2026Q2 or FY2027E"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse(s).expect("a period")
    }

    fn fye(m: i64) -> FiscalYearEnd {
        FiscalYearEnd::new(m).expect("a month")
    }

    #[test]
    fn every_form_parses_and_shows_as_written() {
        let cases = [
            ("2025Q2", false),
            ("2025H1", false),
            ("2025-06", false),
            ("FY2024", true),
            ("FY2026Q2", true),
            ("FY2026H1", true),
            ("FY2026", true),
        ];
        for (s, fiscal) in cases {
            for e in ["", "E"] {
                let text = format!("{s}{e}");
                let period = p(&text);
                assert_eq!(period.to_string(), text);
                assert_eq!(period.is_estimate(), e == "E", "{text}");
                assert_eq!(period.is_fiscal(), fiscal, "{text}");
                assert_eq!(period.reported().to_string(), s);
            }
        }
        assert_eq!(
            p("FY2026Q2").span,
            Span::Quarter {
                basis: Basis::Fiscal,
                year: 2026,
                quarter: Quarter::Q2
            }
        );
        assert_eq!(p(" 2025Q3E ").to_string(), "2025Q3E");
        assert_ne!(p("2025Q3"), p("2025Q3E"));
        assert_ne!(p("2025Q3"), p("FY2025Q3"));
    }

    #[test]
    fn rejects_with_the_forms() {
        for bad in [
            "FY2026Q5",
            "2025Q2EE",
            "FYE",
            "2025-13",
            "2025Q5",
            "25Q1",
            "Q1 2025",
            "FY25",
            "2025",
            "2025E",
            "E",
            "",
            "FY2026-06",
            "2025-6",
            "2025-00",
            "FY2026H3",
            "fy2026",
            "2025q2",
            "2025Q2e",
            "FY 2026",
            "202é5Q",
            "2025-+1",
            "FYFY2026",
        ] {
            let err = Period::parse(bad).expect_err(bad);
            assert_eq!(
                err,
                format!(
                    "`{bad}` is not a period: write 2025Q2, 2025H1, FY2024, 2025-06, \
                     FY2026Q2, or any of them with E for an estimate"
                )
            );
        }
    }

    #[test]
    fn fiscal_year_end_is_a_month() {
        assert_eq!(FiscalYearEnd::default(), FiscalYearEnd::DECEMBER);
        assert!(FiscalYearEnd::DECEMBER.is_calendar());
        assert_eq!(fye(1).month().get(), 1);
        for bad in [0, 13, -1, 300] {
            let err = FiscalYearEnd::new(bad).expect_err("not a month");
            assert!(err.contains("1–12"), "{err}");
        }
        assert_eq!(
            FiscalYearEnd::new(13).expect_err("not a month"),
            "`13` is not a month: a fiscal year ends in a month 1–12 (1 = January, 12 = December)"
        );
    }

    #[test]
    fn nvidia_calendar() {
        let nvda = fye(1);
        assert_eq!(p("FY2026").calendar_months(nvda), ((2025, 2), (2026, 1)));
        assert_eq!(p("FY2026Q1").calendar_months(nvda), ((2025, 2), (2025, 4)));
        assert_eq!(p("FY2026Q2").calendar_months(nvda), ((2025, 5), (2025, 7)));
        assert_eq!(p("FY2026Q4").calendar_months(nvda), ((2025, 11), (2026, 1)));
        assert_eq!(p("FY2026Q4E").calendar_end(nvda), (2026, 1));
        assert_eq!(p("FY2026H1").calendar_months(nvda), ((2025, 2), (2025, 7)));
        assert_eq!(p("FY2026H2").calendar_months(nvda), ((2025, 8), (2026, 1)));
        // Calendar forms ignore the fiscal year end.
        assert_eq!(p("2025Q2").calendar_months(nvda), ((2025, 4), (2025, 6)));
        assert_eq!(p("2025H2").calendar_months(nvda), ((2025, 7), (2025, 12)));
        assert_eq!(p("2025-06").calendar_months(nvda), ((2025, 6), (2025, 6)));
    }

    #[test]
    fn apple_and_december_calendars() {
        let apple = fye(9);
        assert_eq!(
            p("FY2025Q1").calendar_months(apple),
            ((2024, 10), (2024, 12))
        );
        assert_eq!(p("FY2025").calendar_months(apple), ((2024, 10), (2025, 9)));
        assert_eq!(p("FY2025Q4").calendar_end(apple), (2025, 9));
        let dec = FiscalYearEnd::DECEMBER;
        assert_eq!(p("FY2025Q1").calendar_months(dec), ((2025, 1), (2025, 3)));
        assert_eq!(p("FY2024").calendar_months(dec), ((2024, 1), (2024, 12)));
        assert_eq!(p("FY2025H2").calendar_months(dec), ((2025, 7), (2025, 12)));
    }

    #[test]
    fn calendar_periods_order_as_before() {
        assert!(p("2024Q4").sort_key() < p("2025Q1").sort_key());
        assert!(p("2025Q1").sort_key() < p("2025Q2").sort_key());
        assert!(p("2025Q2").sort_key() < p("2025H1").sort_key());
        assert!(p("2025H2").sort_key() < p("FY2025").sort_key());
        assert!(p("2025-06").sort_key() < p("2025Q2").sort_key());
        assert_eq!(p("2025Q2").sort_key(), (2025, 6, 1));
        assert_eq!(p("2025H1").sort_key(), (2025, 6, 2));
        assert_eq!(p("FY2024").sort_key(), (2024, 12, 3));
        assert_eq!(p("2025-06").sort_key(), (2025, 6, 0));
        assert_eq!(p("2025Q3E").sort_key(), p("2025Q3").sort_key());
    }

    #[test]
    fn order_follows_the_calendar_end() {
        let nvda = fye(1);
        let mut ps: Vec<Period> = [
            "FY2026",
            "2025Q3",
            "FY2026Q3E",
            "2025-08",
            "FY2026Q2",
            "FY2026Q4",
            "2026Q1",
            "2025H2",
            "FY2026H1",
        ]
        .into_iter()
        .map(p)
        .collect();
        ps.sort_by_key(|x| x.sort_key_in(nvda));
        let got: Vec<String> = ps.iter().map(|x| x.to_string()).collect();
        assert_eq!(
            got,
            [
                "FY2026Q2",
                "FY2026H1",
                "2025-08",
                "2025Q3",
                "FY2026Q3E",
                "2025H2",
                "FY2026Q4",
                "FY2026",
                "2026Q1"
            ]
        );
        // Without a fiscal year end, fiscal is calendar.
        assert_eq!(p("FY2026Q2").sort_key(), p("2026Q2").sort_key());
        assert!(p("FY2026Q4").sort_key_in(nvda) < p("2026Q1").sort_key_in(nvda));
        assert!(p("FY2026Q4").sort_key() > p("2026Q1").sort_key());
    }

    #[test]
    fn next_undoes_previous() {
        let s = |x: Period| x.to_string();
        assert_eq!(s(p("2025Q4").next()), "2026Q1");
        assert_eq!(s(p("FY2026Q2").next()), "FY2026Q3");
        assert_eq!(s(p("2025H2").next()), "2026H1");
        assert_eq!(s(p("2025-12").next()), "2026-01");
        assert_eq!(s(p("FY2026").next()), "FY2027");
        assert_eq!(s(p("2025Q3E").next()), "2025Q4");
        for x in ["2025Q1", "FY2026H1", "2025-01", "FY2024", "FY2026Q4"] {
            assert_eq!(p(x).previous().next(), p(x));
        }
    }

    #[test]
    fn previous_and_year_earlier() {
        let s = |x: Period| x.to_string();
        assert_eq!(s(p("2025Q2").year_earlier()), "2024Q2");
        assert_eq!(s(p("2025Q2").previous()), "2025Q1");
        assert_eq!(s(p("2025Q1").previous()), "2024Q4");
        assert_eq!(s(p("2025H1").previous()), "2024H2");
        assert_eq!(s(p("2025H2").previous()), "2025H1");
        assert_eq!(s(p("2025H2").year_earlier()), "2024H2");
        assert_eq!(s(p("FY2025").previous()), "FY2024");
        assert_eq!(s(p("2025-01").previous()), "2024-12");
        assert_eq!(s(p("2025-06").previous()), "2025-05");
        assert_eq!(s(p("2025-06").year_earlier()), "2024-06");
        assert_eq!(s(p("FY2026Q1").previous()), "FY2025Q4");
        assert_eq!(s(p("FY2026Q3").previous()), "FY2026Q2");
        assert_eq!(s(p("FY2026Q1").year_earlier()), "FY2025Q1");
        assert_eq!(s(p("FY2026H1").previous()), "FY2025H2");
        assert_eq!(s(p("FY2026H1").year_earlier()), "FY2025H1");
        // Estimates: the span before, unmarked.
        assert_eq!(s(p("FY2026Q3E").year_earlier()), "FY2025Q3");
        assert_eq!(s(p("FY2027E").year_earlier()), "FY2026");
        assert_eq!(s(p("2025Q1E").previous()), "2024Q4");
        // NVIDIA: FY2026Q1 (Feb–Apr 2025) follows FY2025Q4 (Nov 2024–Jan 2025).
        let nvda = fye(1);
        assert_eq!(
            p("FY2026Q1").previous().calendar_months(nvda),
            ((2024, 11), (2025, 1))
        );
        assert_eq!(
            p("FY2026Q4").year_earlier().calendar_months(nvda),
            ((2024, 11), (2025, 1))
        );
    }

    fn span() -> impl proptest::strategy::Strategy<Value = Span> {
        use proptest::prelude::*;
        let basis = prop_oneof![Just(Basis::Calendar), Just(Basis::Fiscal)];
        let year = 0..=9999i32;
        prop_oneof![
            (year.clone(), 1..=12u8).prop_map(|(year, m)| Span::Month {
                year,
                month: Month(m)
            }),
            (basis.clone(), year.clone(), 1..=4u8).prop_map(|(basis, year, q)| {
                Span::Quarter {
                    basis,
                    year,
                    quarter: Quarter::new(q).unwrap_or(Quarter::Q1),
                }
            }),
            (basis, year.clone(), 1..=2u8).prop_map(|(basis, year, h)| Span::Half {
                basis,
                year,
                half: Half::new(h).unwrap_or(Half::H1),
            }),
            year.prop_map(|year| Span::Year { year }),
        ]
    }

    proptest::proptest! {
        #[test]
        fn parse_reads_back_display(span in span(), estimate in proptest::bool::ANY) {
            let period = Period { span, estimate };
            proptest::prop_assert_eq!(Period::parse(&period.to_string()), Ok(period));
        }

        #[test]
        fn months_are_whole_and_in_order(span in span(), m in 1..=12i64) {
            let period = Period::new(span);
            let fye = FiscalYearEnd::new(m).map_err(proptest::test_runner::TestCaseError::fail)?;
            let ((y1, m1), (y2, m2)) = period.calendar_months(fye);
            let len = month_index(y2, m2) - month_index(y1, m1) + 1;
            let want = match span {
                Span::Month { .. } => 1,
                Span::Quarter { .. } => 3,
                Span::Half { .. } => 6,
                Span::Year { .. } => 12,
            };
            proptest::prop_assert_eq!(len, want);
            let before = period.previous().calendar_end(fye);
            proptest::prop_assert_eq!(month_index(before.0, before.1) + 1, month_index(y1, m1));
            let earlier = period.year_earlier().calendar_end(fye);
            proptest::prop_assert_eq!(month_index(earlier.0, earlier.1) + 12, month_index(y2, m2));
        }
    }
}
