//! The forecast table (盈利预测): periods as columns (reported and
//! estimated, `FY2026E`), rows of figures by key, validated here from
//! `forecasts:` into a [`Forecasts`]; and the growth shown under each
//! amount row, worked out between adjacent consecutive periods to the
//! precision the stated figures support.
//!
//! A row `<key>.yoy` states the growth of row `<key>` (checked by
//! `check::forecast`); without it the growth is computed. A ratio row's
//! change is in points, never a relative %; a multiple has no growth row.

use crate::diagnostic::Diagnostic;
use crate::model::date::Period;
use crate::model::figure::{Figure, Notation};
use crate::model::front_matter::ForecastRowYaml;
use crate::model::metric::{Growth, Kind, Metric};
use crate::model::source::Source as Document;

/// The suffix of a row key that states another row's growth.
pub const GROWTH_SUFFIX: &str = ".yoy";

/// A brief's forecast table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Forecasts {
    pub periods: Vec<Period>,
    /// The amount rows, in the author's order (growth rows ride on them).
    pub rows: Vec<ForecastRow>,
}

/// One row: a figure or a gap per period.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ForecastRow {
    pub key: String,
    pub label: String,
    pub kind: Kind,
    pub values: Vec<Option<Figure>>,
    /// The stated growth row (`<key>.yoy`), one rate or gap per period.
    pub growth: Option<Vec<Option<Figure>>>,
    /// The label of the stated growth row, if it gave one.
    pub growth_label: Option<String>,
}

impl Forecasts {
    pub fn row(&self, key: &str) -> Option<&ForecastRow> {
        self.rows.iter().find(|r| r.key == key)
    }
}

/// Whether `later` directly follows `earlier` (`FY2025` → `FY2026E`).
pub fn consecutive(earlier: Period, later: Period) -> bool {
    later.previous() == earlier.reported()
}

impl ForecastRow {
    /// Whether it gets a growth row: amounts and ratios do, multiples not.
    pub fn has_growth(&self) -> bool {
        !matches!(self.kind, Kind::Multiple)
    }

    /// The growth shown under the row, one cell per period: as stated, or
    /// computed between adjacent consecutive periods (a ratio's change in
    /// points); `None` where there is none.
    pub fn growth_cells(&self, periods: &[Period]) -> Vec<Option<Growth>> {
        if let Some(stated) = &self.growth {
            return stated.iter().map(|f| f.clone().map(Growth::Rate)).collect();
        }
        (0..self.values.len())
            .map(|j| {
                let (Some(prev), Some(cur)) = (j.checked_sub(1), periods.get(j)) else {
                    return None;
                };
                if !consecutive(*periods.get(prev)?, *cur) {
                    return None;
                }
                let (p, v) = (
                    self.values.get(prev)?.as_ref()?,
                    self.values.get(j)?.as_ref()?,
                );
                computed_growth(v, p, &self.kind)
            })
            .collect()
    }
}

/// The growth from `prior` to `value`, shown to the precision the two
/// stated figures support: an amount's rate (never finer than 0.1%, or a
/// turn to profit or loss), a ratio's change in points. `None` for a
/// multiple, or for a figure with a qualifier (`>`, `~`).
pub fn computed_growth(value: &Figure, prior: &Figure, kind: &Kind) -> Option<Growth> {
    match kind {
        Kind::Multiple => None,
        Kind::Ratio => Growth::of_ratios(value, prior),
        Kind::Money { .. } | Kind::Count { .. } => Growth::of_amounts(value, prior),
    }
}

/// The brief's forecast table, each problem a located error: a row of
/// another length than `periods` (TS0252), a row without a label and no
/// metric to take one from, or a growth row without its row (TS0253), a
/// figure of the wrong kind (TS0205).
pub(crate) fn validate(
    doc: &impl Document,
    metrics: &[Metric],
    currency: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<Forecasts> {
    let f = doc.front_matter().forecasts.as_ref()?;
    let before = errors.len();
    let n = f.periods.len();
    if n == 0 {
        errors.push(
            doc.error_at(
                "TS0252",
                "forecasts",
                true,
                "the forecast table has no `periods`",
            )
            .help("name its columns: `periods: [FY2025, FY2026E, FY2027E]` (E marks an estimate)"),
        );
    }
    for (i, p) in f.periods.iter().enumerate() {
        if f.periods[..i].contains(p) {
            errors.push(
                doc.error_at(
                    "TS0252",
                    &format!("forecasts.periods[{i}]"),
                    false,
                    format!("period {p} is given twice"),
                )
                .help("each column of the forecast table is one period"),
            );
        }
    }
    let mut rows: Vec<ForecastRow> = Vec::new();
    for (key, r) in &f.rows.0 {
        check_length(doc, key, r, n, errors);
        if key.ends_with(GROWTH_SUFFIX) {
            continue;
        }
        if let Some(row) = amount_row(doc, key, r, metrics, currency, errors) {
            rows.push(row);
        }
    }
    for (key, r) in &f.rows.0 {
        if let Some(base) = key.strip_suffix(GROWTH_SUFFIX) {
            growth_row(doc, key, base, r, &mut rows, errors);
        }
    }
    (errors.len() == before).then(|| Forecasts {
        periods: f.periods.clone(),
        rows,
    })
}

/// A row with more or fewer values than there are periods (TS0252).
fn check_length(
    doc: &impl Document,
    key: &str,
    r: &ForecastRowYaml,
    periods: usize,
    errors: &mut Vec<Diagnostic>,
) {
    if r.values.len() == periods || periods == 0 {
        return;
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    errors.push(
        doc.error_at(
            "TS0252",
            &format!("forecasts.rows.{key}.values"),
            false,
            format!(
                "forecast row `{key}` has {} value{}, but `periods` has {periods} period{}",
                r.values.len(),
                s(r.values.len()),
                s(periods)
            ),
        )
        .help(format!(
            "give one figure per period, in the order of `periods`; write n.m. or null where there is none ({periods} in all)"
        )),
    );
}

/// An amount (or ratio, or multiple) row: its label from the row, else
/// from the metric of its key (TS0253); its kind from `unit`, else the
/// metric's, else its first figure.
fn amount_row(
    doc: &impl Document,
    key: &str,
    r: &ForecastRowYaml,
    metrics: &[Metric],
    currency: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<ForecastRow> {
    let at = format!("forecasts.rows.{key}");
    let metric = metrics.iter().find(|m| m.key == key);
    let label = r
        .label
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| metric.map(|m| m.label.clone()));
    let values: Vec<Option<Figure>> = r.values.iter().map(|v| v.0.clone()).collect();
    let first = values.iter().flatten().next();
    let kind = match (&r.unit, metric) {
        (None, Some(m)) => m.kind.clone(),
        (unit, _) => Kind::resolve(unit.as_deref(), first, currency),
    };
    for (j, f) in values.iter().enumerate() {
        let Some(f) = f.as_ref().filter(|f| !kind.accepts(f.notation)) else {
            continue;
        };
        errors.push(
            doc.error_at(
                "TS0205",
                &format!("{at}.values[{j}]"),
                false,
                format!("`{}` cannot be in row `{key}`, which is {}", f.text, kind.axis_unit()),
            )
            .help("write every figure of a row in the row's unit; give the row a `unit` when its first figure does not say it"),
        );
    }
    let Some(label) = label else {
        errors.push(
            doc.error_at("TS0253", &at, true, format!("forecast row `{key}` has no label"))
                .help(format!(
                    "give it one (`{key}: {{ label: Net income, values: [...] }}`), or name it after a metric of the brief, whose label it takes"
                )),
        );
        return None;
    };
    Some(ForecastRow {
        key: key.to_string(),
        label,
        kind,
        values,
        growth: None,
        growth_label: None,
    })
}

/// A stated growth row `<base>.yoy`, put on its row: rates (a ratio's in
/// pp or bp) or gaps.
fn growth_row(
    doc: &impl Document,
    key: &str,
    base: &str,
    r: &ForecastRowYaml,
    rows: &mut [ForecastRow],
    errors: &mut Vec<Diagnostic>,
) {
    let at = format!("forecasts.rows.{key}");
    let Some(row) = rows.iter_mut().find(|row| row.key == base) else {
        if !doc
            .front_matter()
            .forecasts
            .as_ref()
            .is_some_and(|f| f.rows.0.iter().any(|(k, _)| k == base))
        {
            errors.push(
                doc.error_at(
                    "TS0253",
                    &at,
                    true,
                    format!("growth row `{key}` has no row `{base}` to follow"),
                )
                .help(format!(
                    "add the row `{base}` with its amounts, or rename this row"
                )),
            );
        }
        return;
    };
    if !row.has_growth() {
        errors.push(
            doc.error_at(
                "TS0253",
                &at,
                true,
                format!("row `{base}` is a multiple, which has no growth row"),
            )
            .help(format!("remove `{key}`")),
        );
        return;
    }
    let ratio = row.kind == Kind::Ratio;
    for (j, v) in r.values.iter().enumerate() {
        let Some(f) = &v.0 else { continue };
        let ok = match f.notation {
            Notation::PercentPoints | Notation::BasisPoints => ratio,
            Notation::Percent | Notation::Plain => !ratio,
            _ => false,
        };
        if !ok {
            let help = if ratio {
                format!("`{base}` is a ratio: its change is in points, e.g. 1.2pp")
            } else {
                "write a growth rate: 13.1%, or 0.131".to_string()
            };
            errors.push(
                doc.error_at(
                    "TS0205",
                    &format!("{at}.values[{j}]"),
                    false,
                    format!("`{}` cannot be a change of row `{base}`", f.text),
                )
                .help(help),
            );
        }
    }
    row.growth = Some(r.values.iter().map(|v| v.0.clone()).collect());
    row.growth_label = r.label.clone().filter(|l| !l.trim().is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::figure::Decimal;

    fn fig(s: &str) -> Figure {
        Figure::parse(s).unwrap()
    }
    fn per(s: &str) -> Period {
        Period::parse(s).unwrap()
    }
    fn usd() -> Kind {
        Kind::Money {
            currency: "USD".into(),
        }
    }

    #[test]
    fn growth_carries_only_the_digits_its_figures_support() {
        // 130.5bn → 206.0bn: +57.75% to +57.95%, so to 0.1%.
        assert_eq!(
            computed_growth(&fig("206.0bn"), &fig("130.5bn"), &usd()),
            Some(Growth::Computed(Decimal::new(579, -3)))
        );
        // 2.99 → 4.50: +50.1% to +50.9%, so to 1%.
        assert_eq!(
            computed_growth(&fig("4.50"), &fig("2.99"), &usd()),
            Some(Growth::Computed(Decimal::new(51, -2)))
        );
        // A ratio's change is in points.
        assert_eq!(
            computed_growth(&fig("46.5%"), &fig("46.3%"), &Kind::Ratio),
            Some(Growth::Rate(Figure::derived(
                Decimal::new(2, -3),
                Notation::PercentPoints
            )))
        );
        assert_eq!(
            computed_growth(&fig("30x"), &fig("40x"), &Kind::Multiple),
            None
        );
        assert_eq!(
            computed_growth(&fig("2bn"), &fig("-1bn"), &usd()),
            Some(Growth::TurnedProfitable)
        );
        assert_eq!(computed_growth(&fig("~2bn"), &fig("1bn"), &usd()), None);
    }

    #[test]
    fn growth_only_between_consecutive_periods() {
        let row = ForecastRow {
            key: "revenue".into(),
            label: "Revenue".into(),
            kind: usd(),
            values: vec![
                Some(fig("100.00")),
                Some(fig("110.00")),
                None,
                Some(fig("150.00")),
            ],
            growth: None,
            growth_label: None,
        };
        let periods = [
            per("FY2024"),
            per("FY2025E"),
            per("FY2026E"),
            per("FY2028E"),
        ];
        let cells = row.growth_cells(&periods);
        assert_eq!(cells[0], None);
        assert_eq!(cells[1], Some(Growth::Computed(Decimal::new(100, -3))));
        assert_eq!(cells[2], None, "a gap");
        assert_eq!(cells[3], None, "FY2026E → FY2028E skips a year");
        assert!(consecutive(per("2025Q4"), per("2026Q1E")));
    }
}
