//! Labels of periods in a page's language. A fiscal period of a company
//! whose fiscal year is not the calendar year shows its own name and the
//! calendar months it covers (en `Q2 FY2026 (May–Jul 2025)`, zh
//! `2026财年第二季度（2025年5–7月）`); every other period shows as written.

use super::{Basis, FiscalYearEnd, Half, Period, Quarter, Span};
use crate::model::lang::Lang;

impl Period {
    /// The period's label on a page in `lang`, for a company whose fiscal
    /// year ends in `fye`. See [`label`].
    pub fn label(self, fye: FiscalYearEnd, lang: Lang) -> String {
        label(self, fye, lang)
    }
}

/// The label of `period` on a page in `lang`, for a company whose fiscal
/// year ends in `fye`.
///
/// A calendar period (`2025Q2`, `2025H1`, `2025-06`), or any period when
/// the fiscal year ends in December, is shown exactly as written
/// (`FY2026Q2`, `2025Q3E`): the same text as `to_string()`. A fiscal
/// period of another fiscal year shows the company's name for it and the
/// calendar months it covers, with an en dash:
///
/// | | en | zh |
/// | --- | --- | --- |
/// | quarter | `Q2 FY2026 (May–Jul 2025)` | `2026财年第二季度（2025年5–7月）` |
/// | across a year end | `Q4 FY2026 (Nov 2025–Jan 2026)` | `2026财年第四季度（2025年11月–2026年1月）` |
/// | half | `H1 FY2026 (Feb–Jul 2025)` | `2026财年上半年（2025年2–7月）` |
/// | year | `FY2026 (Feb 2025–Jan 2026)` | `2026财年（2025年2月–2026年1月）` |
///
/// An estimate keeps the `E` analysts write after the fiscal year in
/// English (`Q3 FY2026E (Aug–Oct 2025)`, `FY2027E (Feb 2026–Jan 2027)`);
/// in Chinese, where `E` after a name reads as a stray letter, the
/// brackets say 预测 before the months (`2026财年第三季度（预测，2025年8–10月）`).
pub(crate) fn label(period: Period, fye: FiscalYearEnd, lang: Lang) -> String {
    let Some(months) = calendar_months_text(period, fye, lang) else {
        return period.to_string();
    };
    match lang {
        Lang::En => format!("{} ({months})", en_name(period)),
        Lang::Zh => {
            let estimate = if period.is_estimate() {
                "预测，"
            } else {
                ""
            };
            format!("{}（{estimate}{months}）", zh_name(period))
        }
    }
}

/// The calendar months a fiscal period covers, in `lang` (en `May–Jul
/// 2025`, `Nov 2025–Jan 2026`; zh `2025年5–7月`, `2025年11月–2026年1月`),
/// or `None` when they are what its name says: a calendar period, or a
/// fiscal year ending in December.
pub(crate) fn calendar_months_text(
    period: Period,
    fye: FiscalYearEnd,
    lang: Lang,
) -> Option<String> {
    if !period.is_fiscal() || fye.is_calendar() {
        return None;
    }
    let ((y1, m1), (y2, m2)) = period.calendar_months(fye);
    let en = |m: u8| crate::model::date::EN_MONTHS[usize::from(m - 1) % 12];
    Some(match lang {
        Lang::En if y1 == y2 && m1 == m2 => format!("{} {y1}", en(m1)),
        Lang::En if y1 == y2 => format!("{}–{} {y1}", en(m1), en(m2)),
        Lang::En => format!("{} {y1}–{} {y2}", en(m1), en(m2)),
        Lang::Zh if y1 == y2 && m1 == m2 => format!("{y1}年{m1}月"),
        Lang::Zh if y1 == y2 => format!("{y1}年{m1}–{m2}月"),
        Lang::Zh => format!("{y1}年{m1}月–{y2}年{m2}月"),
    })
}

/// A fiscal period's parts, which its names are made of.
enum Fiscal {
    Quarter(i32, Quarter),
    Half(i32, Half),
    Year(i32),
}

impl Fiscal {
    /// The parts of `period` if it is fiscal; `None` for a calendar one.
    fn of(period: Period) -> Option<Fiscal> {
        match period.span {
            Span::Quarter {
                basis: Basis::Fiscal,
                year,
                quarter,
            } => Some(Fiscal::Quarter(year, quarter)),
            Span::Half {
                basis: Basis::Fiscal,
                year,
                half,
            } => Some(Fiscal::Half(year, half)),
            Span::Year { year } => Some(Fiscal::Year(year)),
            Span::Month { .. }
            | Span::Quarter {
                basis: Basis::Calendar,
                ..
            }
            | Span::Half {
                basis: Basis::Calendar,
                ..
            } => None,
        }
    }
}

/// `Q2 FY2026`, `H1 FY2026E`, `FY2026`: the English name of a fiscal
/// period (a calendar one as written).
fn en_name(period: Period) -> String {
    let e = if period.is_estimate() { "E" } else { "" };
    match Fiscal::of(period) {
        Some(Fiscal::Quarter(year, q)) => format!("Q{} FY{year:04}{e}", q.number()),
        Some(Fiscal::Half(year, h)) => format!("H{} FY{year:04}{e}", h.number()),
        Some(Fiscal::Year(year)) => format!("FY{year:04}{e}"),
        None => period.to_string(),
    }
}

/// `2026财年第二季度`, `2026财年上半年`, `2026财年`: the Chinese name of a
/// fiscal period without its estimate mark (a calendar one as written).
fn zh_name(period: Period) -> String {
    match Fiscal::of(period) {
        Some(Fiscal::Quarter(year, q)) => {
            let n = match q {
                Quarter::Q1 => "一",
                Quarter::Q2 => "二",
                Quarter::Q3 => "三",
                Quarter::Q4 => "四",
            };
            format!("{year:04}财年第{n}季度")
        }
        Some(Fiscal::Half(year, h)) => {
            let n = match h {
                Half::H1 => "上",
                Half::H2 => "下",
            };
            format!("{year:04}财年{n}半年")
        }
        Some(Fiscal::Year(year)) => format!("{year:04}财年"),
        None => period.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(s: &str, fye: i64, lang: Lang) -> String {
        let p = Period::parse(s).expect("a period");
        label(p, FiscalYearEnd::new(fye).expect("a month"), lang)
    }

    #[test]
    fn nvidia_labels_in_both_languages() {
        assert_eq!(l("FY2026Q2", 1, Lang::En), "Q2 FY2026 (May–Jul 2025)");
        assert_eq!(
            l("FY2026Q2", 1, Lang::Zh),
            "2026财年第二季度（2025年5–7月）"
        );
        assert_eq!(l("FY2026", 1, Lang::En), "FY2026 (Feb 2025–Jan 2026)");
        assert_eq!(l("FY2026", 1, Lang::Zh), "2026财年（2025年2月–2026年1月）");
        assert_eq!(l("FY2026H1", 1, Lang::En), "H1 FY2026 (Feb–Jul 2025)");
        assert_eq!(l("FY2026H1", 1, Lang::Zh), "2026财年上半年（2025年2–7月）");
        assert_eq!(
            l("FY2026H2", 1, Lang::Zh),
            "2026财年下半年（2025年8月–2026年1月）"
        );
        assert_eq!(l("FY2026Q4", 1, Lang::En), "Q4 FY2026 (Nov 2025–Jan 2026)");
        assert_eq!(
            l("FY2026Q4", 1, Lang::Zh),
            "2026财年第四季度（2025年11月–2026年1月）"
        );
        assert_eq!(
            l("FY2026Q1", 1, Lang::Zh),
            "2026财年第一季度（2025年2–4月）"
        );
    }

    #[test]
    fn estimates_are_marked() {
        assert_eq!(l("FY2026Q3E", 1, Lang::En), "Q3 FY2026E (Aug–Oct 2025)");
        assert_eq!(
            l("FY2026Q3E", 1, Lang::Zh),
            "2026财年第三季度（预测，2025年8–10月）"
        );
        assert_eq!(l("FY2027E", 1, Lang::En), "FY2027E (Feb 2026–Jan 2027)");
        assert_eq!(
            l("FY2027E", 1, Lang::Zh),
            "2027财年（预测，2026年2月–2027年1月）"
        );
        assert_eq!(l("FY2026H2E", 9, Lang::En), "H2 FY2026E (Apr–Sep 2026)");
    }

    #[test]
    fn calendar_periods_and_december_show_as_written() {
        for s in ["2025Q2", "2025H1", "2025-06", "2025Q3E", "2025-06E"] {
            for fye in [1, 6, 12] {
                for lang in [Lang::En, Lang::Zh] {
                    assert_eq!(l(s, fye, lang), s, "{s} {fye}");
                }
            }
        }
        for s in ["FY2026Q2", "FY2026H1", "FY2024", "FY2026Q3E", "FY2027E"] {
            for lang in [Lang::En, Lang::Zh] {
                assert_eq!(l(s, 12, lang), s);
            }
        }
    }

    #[test]
    fn months_text() {
        let fye = FiscalYearEnd::new(9).expect("a month");
        let p = Period::parse("FY2025Q1").expect("a period");
        assert_eq!(
            calendar_months_text(p, fye, Lang::En).as_deref(),
            Some("Oct–Dec 2024")
        );
        assert_eq!(
            calendar_months_text(p, FiscalYearEnd::DECEMBER, Lang::En),
            None
        );
        let c = Period::parse("2025Q1").expect("a period");
        assert_eq!(calendar_months_text(c, fye, Lang::Zh), None);
    }
}
