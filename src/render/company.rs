//! What a company page shows of its company file: the facts (names,
//! tickers, sector, fiscal year, ADS ratio), the introduction, and a
//! trend chart for each metric of its history — reported and estimated
//! periods told apart — beside the trends drawn from its briefs.

use serde::Serialize;

use crate::model::chart::{Chart, Point, Series};
use crate::model::company::CompanyFile;
use crate::model::figure::{Figure, Notation};
use crate::model::format;
use crate::model::front_matter::{ChartType, SeriesStyle};
use crate::model::lang::Lang;
use crate::model::metric::Kind;
use crate::model::strings::Key;
use crate::render::chart::Look;
use crate::render::markdown::{self, Expand};
use crate::render::shortcode::Call;

/// How many periods a company page draws a trend (and the target-price
/// chart) over: the latest 48, twelve years of quarters. A company with
/// a brief a quarter for decades (the 100k bench corpus has 1,250
/// periods per company) would otherwise get charts and tables as wide
/// as its archive: 6 MB company pages, most of the render time they
/// took (docs/performance.md).
pub(crate) const TREND_PERIODS: usize = 48;

/// How many rows of the rating and target-price history a company page
/// shows: the latest 50.
pub(crate) const HISTORY_ROWS: usize = 50;

/// "Latest 48 of 1,250" in `lang`, when `shown` is fewer than `total`;
/// empty otherwise.
pub(crate) fn latest_note(shown: usize, total: usize, look: Look<'_>) -> String {
    if shown >= total {
        return String::new();
    }
    look.text(Key::LatestOf)
        .replace("{n}", &grouped(shown))
        .replace("{total}", &grouped(total))
}

/// `n` with a comma between groups of three digits: 1250 → `1,250`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One metric over periods, with its chart and its data as a table.
#[derive(Serialize)]
pub(crate) struct Trend {
    pub(crate) key: String,
    pub(crate) label: String,
    pub(crate) periods: Vec<String>,
    pub(crate) cells: Vec<String>,
    pub(crate) chart: String,
    /// "Latest 48 of 1,250" when older periods are left out, else empty.
    pub(crate) note: String,
}

/// One point of a trend: its period as the axis shows it, its figure,
/// and whether it is an estimate.
pub(crate) struct TrendPoint {
    pub(crate) period: String,
    pub(crate) figure: Figure,
    pub(crate) estimate: bool,
}

/// The trend of metric `key` (`label`, of `kind`) over `points` (oldest
/// first; the latest [`TREND_PERIODS`] of them): bars for amounts, a
/// line for ratios.
pub(crate) fn trend(
    key: &str,
    label: &str,
    kind: &Kind,
    points: &[TrendPoint],
    look: Look<'_>,
) -> Trend {
    let note = latest_note(TREND_PERIODS, points.len(), look);
    let points = &points[points.len().saturating_sub(TREND_PERIODS)..];
    // A line for ratios, bars for amounts.
    let (chart_type, style) = if *kind == Kind::Ratio {
        (ChartType::Line, SeriesStyle::Line)
    } else {
        (ChartType::Bar, SeriesStyle::Bar)
    };
    let chart = Chart {
        id: format!("trend-{}", key.replace('_', "-")),
        kind: chart_type,
        title: label.to_string(),
        note: None,
        source: None,
        x: points.iter().map(|p| p.period.clone()).collect(),
        series: vec![Series {
            name: label.to_string(),
            style,
            unit: kind.clone(),
            points: points
                .iter()
                .map(|p| Point {
                    figure: Some(p.figure.clone()),
                    derived: false,
                    estimate: p.estimate,
                })
                .collect(),
        }],
        total: None,
    };
    let svg = crate::render::chart::drawings(&chart, look.with_files(false)).inline;
    let caption = crate::render::chart::caption_text(label, std::slice::from_ref(kind), look);
    Trend {
        periods: chart.x.clone(),
        cells: points
            .iter()
            .map(|p| format::figure(&p.figure, kind, look.lang, None))
            .collect(),
        chart: format!(
            "<figure class=\"chart trend\" id=\"chart-{}\">\n<figcaption>{caption}</figcaption>\n{svg}</figure>\n",
            chart.id
        ),
        label: label.to_string(),
        key: key.to_string(),
        note,
    }
}

/// A trend for each metric of `file`'s history with two or more figures,
/// in the order the history lists them; `label` names a key (the
/// company file's label, else a brief's).
pub(crate) fn history_trends(
    file: &CompanyFile,
    default_currency: &str,
    label: impl Fn(&str) -> Option<String>,
    look: Look<'_>,
) -> Vec<Trend> {
    let Some(history) = &file.history else {
        return Vec::new();
    };
    let currency = file.currency.as_deref().unwrap_or(default_currency);
    let mut out = Vec::new();
    for key in history.keys() {
        let points: Vec<TrendPoint> = history
            .series(key)
            .filter_map(|(p, v)| {
                Some(TrendPoint {
                    period: p.label(),
                    figure: v?.figure.clone(),
                    estimate: p.estimate,
                })
            })
            .collect();
        if points.len() < 2 {
            continue;
        }
        let kind = match points[0].figure.notation {
            Notation::Percent => Kind::Ratio,
            _ => Kind::Money {
                currency: currency.to_string(),
            },
        };
        let label = file
            .metric_label(key, look.lang)
            .map(str::to_string)
            .or_else(|| label(key))
            .unwrap_or_else(|| key.to_string());
        out.push(trend(key, &label, &kind, &points, look));
    }
    out
}

/// The facts of a company file as its page shows them in `look`'s
/// language, and its introduction as HTML.
pub(crate) fn facts(file: &CompanyFile, look: Look<'_>) -> serde_json::Value {
    let lang = look.lang;
    let month = file.fiscal_year_end.month().get();
    let fiscal = look.text(Key::FiscalYearEnd).replace(
        "{month}",
        &match lang {
            Lang::Zh => month.to_string(),
            Lang::En => month_en(month).to_string(),
        },
    );
    let ads = file.ads.as_ref().map(|a| {
        let key = if a.shares == 1 { Key::AdsOne } else { Key::Ads };
        look.text(key)
            .replace("{ticker}", &a.ticker)
            .replace("{n}", &a.shares.to_string())
    });
    let intro = markdown::render(&file.intro, &NoFunctions)
        .map(|(html, _)| html)
        .unwrap_or_default();
    serde_json::json!({
        "name": file.name_in(lang),
        "tickers": file.tickers,
        "sector": file.sector.as_ref().map(|s| s.get(lang)).unwrap_or_default(),
        "fiscal_year": if file.fiscal_year_end.is_calendar() { String::new() } else { fiscal },
        "ads": ads.unwrap_or_default(),
        "intro": intro,
    })
}

fn month_en(m: u8) -> &'static str {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS[usize::from(m.clamp(1, 12)) - 1]
}

/// A company's introduction has no figures or charts to place.
struct NoFunctions;

impl Expand for NoFunctions {
    fn metric(&self, _: &Call) -> Result<String, String> {
        Err("metric() works only in briefs".into())
    }
    fn chart(&self, _: &Call) -> Result<String, String> {
        Err("chart() works only in briefs".into())
    }
}
