//! Chart specs resolved against a brief's metrics: every reference looked
//! up, every series checked for length, unit and sign, so that the chart
//! renderer receives only drawable data. FORMAT.md "Charts" is the
//! contract; each rule here has an error code and a fixture.

use crate::diagnostic::Diagnostic;
use crate::model::figure::Figure;
use crate::model::front_matter::{ChartType, ChartYaml, SeriesStyle};
use crate::model::metric::{Field, Growth, Kind, Metric, MetricRef};
use crate::model::source::Source as Document;

/// A validated chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Chart {
    pub id: String,
    pub kind: ChartType,
    pub title: String,
    pub note: Option<String>,
    pub source: Option<String>,
    /// Category labels (periods, or metric labels for metric charts).
    pub x: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Series {
    pub name: String,
    pub style: SeriesStyle,
    pub unit: Kind,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Point {
    pub figure: Figure,
    /// A derived prior (drawn lighter, with a note).
    pub derived: bool,
}

/// Most categories (points per series) in one chart.
pub const MAX_POINTS: usize = 500;

/// Chart ids are `[a-z0-9-]+`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Resolves chart `i` of a brief. `metrics` are the brief's validated
/// metrics; `currency` its default currency.
pub fn resolve(
    spec: &ChartYaml,
    i: usize,
    metrics: &[Metric],
    currency: &str,
    doc: &impl Document,
) -> Result<Chart, Vec<Diagnostic>> {
    let at = |path: &str, code: &'static str, msg: String| {
        doc.error_at(code, &format!("charts[{i}]{path}"), false, msg)
    };
    let mut errors = Vec::new();
    if !valid_id(&spec.id) {
        errors.push(
            at(
                ".id",
                "TS0212",
                format!("chart id `{}` is not valid", spec.id),
            )
            .help("use lowercase letters, digits and dashes, e.g. revenue-trend"),
        );
    }
    let (x, series) = match (&spec.metrics, &spec.series) {
        (Some(_), Some(_)) => {
            errors.push(
                at(
                    "",
                    "TS0216",
                    format!("chart `{}` has both `metrics` and `series`", spec.id),
                )
                .help("a chart draws either metrics of this brief or series over `x`, not both"),
            );
            return Err(errors);
        }
        (Some(refs), None) if refs.is_empty() => {
            errors.push(
                at(
                    ".metrics",
                    "TS0216",
                    format!("chart `{}` names no metrics", spec.id),
                )
                .help("name the metrics to draw: metrics: [revenue, adj_net_profit]"),
            );
            return Err(errors);
        }
        (Some(refs), None) => match from_metrics(spec, i, refs, metrics, doc) {
            Ok(r) => r,
            Err(mut e) => {
                errors.append(&mut e);
                return Err(errors);
            }
        },
        (None, Some(series)) => {
            let Some(x) = &spec.x else {
                errors.push(
                    at(
                        "",
                        "TS0216",
                        format!("chart `{}` has `series` but no `x`", spec.id),
                    )
                    .help("add the categories: x: [2024Q2, 2024Q3, ...]"),
                );
                return Err(errors);
            };
            let mut out = Vec::new();
            if x.is_empty() {
                errors.push(
                    at(
                        ".x",
                        "TS0216",
                        format!("chart `{}` has no categories: `x` is empty", spec.id),
                    )
                    .help("give the categories the series are drawn over: x: [2025Q1, 2025Q2]"),
                );
                return Err(errors);
            }
            if x.len() > MAX_POINTS {
                errors.push(at(
                    ".x",
                    "TS0240",
                    format!(
                        "chart `{}` has {} categories; a chart draws at most {MAX_POINTS}",
                        spec.id,
                        x.len()
                    ),
                ));
                return Err(errors);
            }
            for (s_i, s) in series.iter().enumerate() {
                if s.values.len() != x.len() {
                    errors.push(
                        at(
                            &format!(".series[{s_i}].values"),
                            "TS0213",
                            format!(
                                "series `{}` has {} values but `x` has {} categories",
                                s.name,
                                s.values.len(),
                                x.len()
                            ),
                        )
                        .help("give one value per category of `x`"),
                    );
                }
                let unit = match &s.unit {
                    Some(u) => Kind::resolve(Some(u), None, currency),
                    None => Kind::resolve(None, s.values.first(), currency),
                };
                for (v_i, v) in s.values.iter().enumerate() {
                    if !unit.accepts(v.notation) {
                        errors.push(at(
                            &format!(".series[{s_i}].values[{v_i}]"),
                            "TS0214",
                            format!(
                                "`{}` is not {} like the other values of series `{}`",
                                v.text,
                                unit.axis_unit(),
                                s.name
                            ),
                        ));
                    }
                }
                out.push(Series {
                    name: s.name.clone(),
                    style: s.style.unwrap_or(SeriesStyle::Bar),
                    unit,
                    points: s
                        .values
                        .iter()
                        .map(|f| Point {
                            figure: f.clone(),
                            derived: false,
                        })
                        .collect(),
                });
            }
            (x.iter().map(|l| l.0.clone()).collect(), out)
        }
        (None, None) => {
            errors.push(
                at(
                    "",
                    "TS0216",
                    format!("chart `{}` has neither `metrics` nor `series`", spec.id),
                )
                .help("name metrics (metrics: [revenue, adj_net_profit]) or give series over x"),
            );
            return Err(errors);
        }
    };
    check_shape(spec, i, &series, doc, &mut errors);
    if errors.is_empty() {
        Ok(Chart {
            id: spec.id.clone(),
            kind: spec.kind,
            title: spec.title.clone(),
            note: spec.note.clone(),
            source: spec.source.clone(),
            x,
            series,
        })
    } else {
        Err(errors)
    }
}

/// Builds categories and series from `metrics: [a, b.yoy]`.
fn from_metrics(
    spec: &ChartYaml,
    i: usize,
    refs: &[String],
    metrics: &[Metric],
    doc: &impl Document,
) -> Result<(Vec<String>, Vec<Series>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut labels = Vec::new();
    let mut current = Vec::new();
    let mut prior = Vec::new();
    let mut unit: Option<Kind> = None;
    for (r_i, text) in refs.iter().enumerate() {
        let path = format!("charts[{i}].metrics[{r_i}]");
        let r = match MetricRef::parse(text) {
            Ok(r) => r,
            Err(msg) => {
                errors.push(doc.error_at("TS0210", &path, false, msg));
                continue;
            }
        };
        let Some(m) = metrics.iter().find(|m| m.key == r.key) else {
            let mut d = doc.error_at(
                "TS0210",
                &path,
                false,
                format!(
                    "chart `{}` names metric `{}`, which this brief does not have",
                    spec.id, r.key
                ),
            );
            if let Some(s) =
                crate::diagnostic::did_you_mean(&r.key, metrics.iter().map(|m| m.key.as_str()))
            {
                d = d.help(format!("did you mean `{s}`?"));
            }
            errors.push(d);
            continue;
        };
        let (figure, kind) = match r.field {
            Field::Value => (m.value.clone(), m.kind.clone()),
            Field::Prior => (m.prior.as_ref().map(|p| p.figure().clone()), m.kind.clone()),
            Field::Yoy | Field::Qoq => {
                let g = if r.field == Field::Yoy {
                    m.shown_yoy()
                } else {
                    m.qoq.clone()
                };
                match g {
                    Some(Growth::Rate(f)) => (Some(f), Kind::Ratio),
                    Some(Growth::Computed(d)) => (
                        Some(Figure::derived(d, crate::model::figure::Notation::Percent)),
                        Kind::Ratio,
                    ),
                    _ => (None, Kind::Ratio),
                }
            }
        };
        let Some(figure) = figure else {
            errors.push(doc.error_at(
                "TS0210",
                &path,
                false,
                format!("metric `{}` has no {} to chart", r.key, r.field.name()),
            ));
            continue;
        };
        match &unit {
            None => unit = Some(kind.clone()),
            Some(u) if *u != kind => {
                errors.push(
                    doc.error_at("TS0214", &path, false, format!(
                        "chart `{}` mixes {} and {} on one axis",
                        spec.id,
                        u.axis_unit(),
                        kind.axis_unit()
                    ))
                    .help("one axis carries one kind of unit: put growth rates and amounts in separate charts"),
                );
                continue;
            }
            _ => {}
        }
        if spec.kind == ChartType::Compare {
            match &m.prior {
                Some(p) => prior.push(Point {
                    figure: p.figure().clone(),
                    derived: p.is_derived(),
                }),
                None => {
                    errors.push(
                        doc.error_at(
                            "TS0217",
                            &path,
                            false,
                            format!(
                                "chart `{}` compares `{}` with a year earlier, but it has no prior",
                                spec.id, r.key
                            ),
                        )
                        .help("give the metric a `prior`, or a `yoy` to derive it from"),
                    );
                    continue;
                }
            }
        }
        labels.push(m.label.clone());
        current.push(Point {
            figure,
            derived: false,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let unit = unit.unwrap_or(Kind::Ratio);
    let mut series = Vec::new();
    if spec.kind == ChartType::Compare {
        series.push(Series {
            name: "prior".into(),
            style: SeriesStyle::Bar,
            unit: unit.clone(),
            points: prior,
        });
    }
    series.push(Series {
        name: spec.title.clone(),
        style: SeriesStyle::Bar,
        unit,
        points: current,
    });
    Ok((labels, series))
}

/// The rules that depend on the chart type.
fn check_shape(
    spec: &ChartYaml,
    i: usize,
    series: &[Series],
    doc: &impl Document,
    errors: &mut Vec<Diagnostic>,
) {
    let at = |path: &str, code: &'static str, msg: String| {
        doc.error_at(code, &format!("charts[{i}]{path}"), false, msg)
    };
    let name = spec.kind.name();
    let lines = series
        .iter()
        .filter(|s| s.style == SeriesStyle::Line)
        .count();
    match spec.kind {
        ChartType::Bar | ChartType::Donut if spec.series.is_some() && series.len() != 1 => {
            errors.push(
                at(
                    ".series",
                    "TS0216",
                    format!(
                        "a {name} chart draws one series, and `{}` has {}",
                        spec.id,
                        series.len()
                    ),
                )
                .help("use `stacked` for several series over the same categories"),
            );
        }
        ChartType::Compare if spec.metrics.is_none() => {
            errors.push(at(
                "",
                "TS0216",
                format!(
                    "a compare chart names `metrics`, and `{}` has none",
                    spec.id
                ),
            ));
        }
        ChartType::Combo if lines == 0 || lines == series.len() => {
            errors.push(at(".series", "TS0216", format!("a combo chart draws bars and a line, and `{}` has {} line series out of {}", spec.id, lines, series.len())).help("mark the % series with `as: line`"));
        }
        _ => {}
    }
    // One axis carries one kind of unit: bars share one, lines (in a combo)
    // the other.
    let axes: Vec<Vec<&Series>> = if spec.kind == ChartType::Combo {
        vec![
            series
                .iter()
                .filter(|s| s.style != SeriesStyle::Line)
                .collect(),
            series
                .iter()
                .filter(|s| s.style == SeriesStyle::Line)
                .collect(),
        ]
    } else {
        vec![series.iter().collect()]
    };
    for axis in axes {
        if let Some(first) = axis.first() {
            if let Some(other) = axis.iter().find(|s| s.unit != first.unit) {
                let idx = series
                    .iter()
                    .position(|s| std::ptr::eq(s, *other))
                    .unwrap_or(0);
                errors.push(
                    at(&format!(".series[{idx}]"), "TS0214", format!(
                        "chart `{}` mixes {} (`{}`) and {} (`{}`) on one axis",
                        spec.id,
                        first.unit.axis_unit(),
                        first.name,
                        other.unit.axis_unit(),
                        other.name
                    ))
                    .help("one axis carries one kind of unit; in a combo chart put the % series on the line axis with `as: line`"),
                );
            }
        }
    }
    if spec.kind == ChartType::Donut {
        for (s_i, s) in series.iter().enumerate() {
            for (p_i, p) in s.points.iter().enumerate() {
                if p.figure.amount.mantissa < 0 {
                    let path = if spec.metrics.is_some() {
                        format!(".metrics[{p_i}]")
                    } else {
                        format!(".series[{s_i}].values[{p_i}]")
                    };
                    errors.push(
                        at(
                            &path,
                            "TS0215",
                            format!("donut `{}` has a negative part: {}", spec.id, p.figure.text),
                        )
                        .help("a donut shows parts of a whole; parts must be zero or more"),
                    );
                }
            }
            if s.points.iter().all(|p| p.figure.amount.mantissa == 0) {
                errors.push(at(
                    "",
                    "TS0215",
                    format!("donut `{}` has no part above zero", spec.id),
                ));
            }
        }
    }
}
