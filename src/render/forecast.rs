//! The forecast table as a brief shows it: one column per period, the
//! estimated ones told apart (a class, the `E` of their name, and the word
//! "estimate" / 预测 under it, so never by colour alone), each amount row
//! followed by its growth (a ratio's change in points; none for
//! multiples).

use serde::Serialize;

use crate::model::date::Period;
use crate::model::forecast::{ForecastRow, Forecasts};
use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::Kind;
use crate::model::period::FiscalYearEnd;
use crate::model::strings::{Key, Strings};
use crate::render::figures;

/// A column head.
#[derive(Serialize)]
pub(crate) struct Head {
    /// The period as written (`FY2026E`).
    pub label: String,
    /// The calendar months of a fiscal period of a company whose year is
    /// not the calendar year (`Feb 2025–Jan 2026`), else empty.
    pub months: String,
    /// `actual` or `estimate` in the page's language.
    pub status: String,
    pub estimate: bool,
}

/// A cell.
#[derive(Serialize)]
pub(crate) struct Cell {
    pub text: String,
    pub estimate: bool,
    pub direction: &'static str,
}

/// A row: an amount row, or the growth row under one.
#[derive(Serialize)]
pub(crate) struct Row {
    pub id: String,
    pub label: String,
    /// The label of the row a growth row follows (for screen readers).
    pub of: String,
    pub growth: bool,
    pub cells: Vec<Cell>,
}

#[derive(Serialize)]
pub(crate) struct ForecastView {
    pub heads: Vec<Head>,
    pub rows: Vec<Row>,
    pub has_estimates: bool,
}

/// The view of `f` on a page in `lang`, for a company whose fiscal year
/// ends in `fye`.
pub(crate) fn view(
    f: &Forecasts,
    fye: FiscalYearEnd,
    lang: Lang,
    strings: &Strings,
) -> ForecastView {
    let heads = f
        .periods
        .iter()
        .map(|p| Head {
            label: p.to_string(),
            months: crate::model::period::label::calendar_months_text(*p, fye, lang)
                .unwrap_or_default(),
            status: strings
                .get(
                    lang,
                    if p.is_estimate() {
                        Key::ForecastEstimate
                    } else {
                        Key::Actual
                    },
                )
                .to_string(),
            estimate: p.is_estimate(),
        })
        .collect();
    let years = f
        .periods
        .iter()
        .all(|p| matches!(p.span, crate::model::period::Span::Year { .. }));
    let mut rows = Vec::with_capacity(f.rows.len() * 2);
    for r in &f.rows {
        rows.push(amount_row(r, &f.periods, lang, strings));
        if r.has_growth() {
            rows.push(growth_row(r, &f.periods, years, lang, strings));
        }
    }
    ForecastView {
        heads,
        rows,
        has_estimates: f.periods.iter().any(|p| p.is_estimate()),
    }
}

/// A row of amounts; a cell without a figure shows `n.m.`.
fn amount_row(r: &ForecastRow, periods: &[Period], lang: Lang, strings: &Strings) -> Row {
    Row {
        id: r.key.clone(),
        label: r.label.clone(),
        of: String::new(),
        growth: false,
        cells: r
            .values
            .iter()
            .zip(periods)
            .map(|(v, p)| Cell {
                text: match v {
                    Some(f) => format::figure(f, &r.kind, lang, None),
                    None => strings.get(lang, Key::NotMeaningful).to_string(),
                },
                estimate: p.is_estimate(),
                direction: "none",
            })
            .collect(),
    }
}

fn growth_row(
    r: &ForecastRow,
    periods: &[Period],
    years: bool,
    lang: Lang,
    strings: &Strings,
) -> Row {
    let key = match (&r.kind, years) {
        (Kind::Ratio, _) => Key::ChangePp,
        (_, true) => Key::Yoy,
        (_, false) => Key::Growth,
    };
    let label = r
        .growth_label
        .clone()
        .unwrap_or_else(|| strings.get(lang, key).to_string());
    Row {
        id: format!("{}-growth", r.key),
        label,
        of: r.label.clone(),
        growth: true,
        cells: r
            .growth_cells(periods)
            .into_iter()
            .zip(periods)
            .map(|(g, p)| {
                let (text, direction) = figures::growth_cell(g.as_ref(), lang, strings);
                Cell {
                    text,
                    estimate: p.is_estimate(),
                    direction,
                }
            })
            .collect(),
    }
}
