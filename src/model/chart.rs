//! Chart specs resolved against a brief's metrics: every reference looked
//! up, every series checked for length, unit and sign, so that the chart
//! renderer receives only drawable data. docs/format.md "Charts" is the
//! contract; each rule here has an error code and a fixture.

use crate::diagnostic::Diagnostic;
use crate::model::figure::Figure;
use crate::model::front_matter::{ChartType, ChartYaml, Label, SeriesStyle, SeriesYaml};
use crate::model::history::History;
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
    /// The reported whole of a donut or of a stack's last category (the
    /// figure of the metric `total:` names, when it has a value): shown
    /// instead of the sum of the parts, which rounding may move.
    pub total: Option<Figure>,
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
    /// `None`: a gap, a category with no figure (`null`, `n.m.`, a period
    /// the history lacks): no bar, a broken line, `n.m.` in the table.
    pub figure: Option<Figure>,
    /// A derived prior (drawn lighter, with a note).
    pub derived: bool,
    /// The point's category is an estimate or guidance (`FY2026Q3E`):
    /// drawn outlined, never as a reported value. Set by whoever builds
    /// the chart.
    pub estimate: bool,
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

/// Where the errors of chart `i` of a brief point: `charts[i]…`.
struct At<'a, D: Document> {
    doc: &'a D,
    i: usize,
    /// The company's history, for series `from:` it.
    history: Option<&'a History>,
}

impl<D: Document> At<'_, D> {
    /// An error at `charts[i]` followed by `path`.
    fn error(&self, path: &str, code: &'static str, msg: String) -> Diagnostic {
        let i = self.i;
        self.doc
            .error_at(code, &format!("charts[{i}]{path}"), false, msg)
    }
}

/// Resolves chart `i` of a brief. `metrics` are the brief's validated
/// metrics; `currency` its default currency.
pub fn resolve(
    spec: &ChartYaml,
    i: usize,
    metrics: &[Metric],
    currency: &str,
    history: Option<&History>,
    doc: &impl Document,
) -> Result<Chart, Vec<Diagnostic>> {
    let at = At { doc, i, history };
    let mut errors = Vec::new();
    if !valid_id(&spec.id) {
        errors.push(
            at.error(
                ".id",
                "TS0212",
                format!("chart id `{}` is not valid", spec.id),
            )
            .help("use lowercase letters, digits and dashes, e.g. revenue-trend"),
        );
    }
    let Some((x, series)) = data(spec, &at, metrics, currency, &mut errors) else {
        return Err(errors);
    };
    check_shape(spec, &at, &series, &mut errors);
    if errors.is_empty() {
        Ok(Chart {
            id: spec.id.clone(),
            kind: spec.kind,
            title: spec.title.clone(),
            note: spec.note.clone(),
            source: spec.source.clone(),
            x,
            series,
            total: reported_total(spec, metrics),
        })
    } else {
        Err(errors)
    }
}

/// The value of the metric a stacked or donut chart's `total:` names.
fn reported_total(spec: &ChartYaml, metrics: &[Metric]) -> Option<Figure> {
    match spec.kind {
        ChartType::Donut | ChartType::Stacked => {}
        ChartType::Bar | ChartType::Compare | ChartType::Line | ChartType::Combo => return None,
    }
    let key = spec.total.as_deref()?;
    metrics.iter().find(|m| m.key == key)?.value.clone()
}

/// The categories and series a chart draws, from either `metrics` or
/// `series` over `x`. `None` when there are none to check further (the
/// reasons are in `errors`); errors that leave the series checkable are
/// added to `errors` too.
fn data(
    spec: &ChartYaml,
    at: &At<impl Document>,
    metrics: &[Metric],
    currency: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<(Vec<String>, Vec<Series>)> {
    match (&spec.metrics, &spec.series) {
        (Some(_), Some(_)) => {
            errors.push(
                at.error(
                    "",
                    "TS0216",
                    format!("chart `{}` has both `metrics` and `series`", spec.id),
                )
                .help("a chart draws either metrics of this brief or series over `x`, not both"),
            );
            None
        }
        (Some(refs), None) if refs.is_empty() => {
            errors.push(
                at.error(
                    ".metrics",
                    "TS0216",
                    format!("chart `{}` names no metrics", spec.id),
                )
                .help("name the metrics to draw: metrics: [revenue, adj_net_profit]"),
            );
            None
        }
        (Some(refs), None) => match from_metrics(spec, at, refs, metrics) {
            Ok(r) => Some(r),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        (None, Some(series)) => {
            let x = categories(spec, at, errors)?;
            // Which categories are estimate periods, found once per chart.
            let estimates: Vec<bool> = x
                .iter()
                .map(|l| crate::model::history::parse_period(&l.0).is_ok_and(|(_, e)| e))
                .collect();
            let out = series
                .iter()
                .enumerate()
                .map(|(s_i, s)| match &s.from {
                    Some(from) => from_history(s, s_i, from, x, currency, at, errors),
                    None => estimates_marked(
                        from_values(s, s_i, x.len(), currency, at, errors),
                        &estimates,
                    ),
                })
                .collect();
            Some((x.iter().map(|l| l.0.clone()).collect(), out))
        }
        (None, None) => {
            errors.push(
                at.error(
                    "",
                    "TS0216",
                    format!("chart `{}` has neither `metrics` nor `series`", spec.id),
                )
                .help("name metrics (metrics: [revenue, adj_net_profit]) or give series over x"),
            );
            None
        }
    }
}

/// The `x` of a chart with `series`: present, not empty and not longer
/// than [`MAX_POINTS`]; `None` (with the error in `errors`) otherwise.
fn categories<'s>(
    spec: &'s ChartYaml,
    at: &At<impl Document>,
    errors: &mut Vec<Diagnostic>,
) -> Option<&'s [Label]> {
    let Some(x) = &spec.x else {
        errors.push(
            at.error(
                "",
                "TS0216",
                format!("chart `{}` has `series` but no `x`", spec.id),
            )
            .help("add the categories: x: [2024Q2, 2024Q3, ...]"),
        );
        return None;
    };
    if x.is_empty() {
        errors.push(
            at.error(
                ".x",
                "TS0216",
                format!("chart `{}` has no categories: `x` is empty", spec.id),
            )
            .help("give the categories the series are drawn over: x: [2025Q1, 2025Q2]"),
        );
        return None;
    }
    if x.len() > MAX_POINTS {
        errors.push(at.error(
            ".x",
            "TS0240",
            format!(
                "chart `{}` has {} categories; a chart draws at most {MAX_POINTS}",
                spec.id,
                x.len()
            ),
        ));
        return None;
    }
    Some(x)
}

/// Series `s_i` of a chart over `n` categories, its unit resolved (from
/// `unit:`, else its first value); a wrong count of values, or a value in
/// another unit, is an error in `errors`.
fn from_values(
    s: &SeriesYaml,
    s_i: usize,
    n: usize,
    currency: &str,
    at: &At<impl Document>,
    errors: &mut Vec<Diagnostic>,
) -> Series {
    if s.values.len() != n {
        errors.push(
            at.error(
                &format!(".series[{s_i}].values"),
                "TS0213",
                format!(
                    "series `{}` has {} values but `x` has {} categories",
                    s.name,
                    s.values.len(),
                    n
                ),
            )
            .help("give one value per category of `x`"),
        );
    }
    let unit = match &s.unit {
        Some(u) => Kind::resolve(Some(u), None, currency),
        None => Kind::resolve(None, s.values.iter().find_map(|v| v.0.as_ref()), currency),
    };
    let figures = s.values.iter().enumerate();
    for (v_i, v) in figures.filter_map(|(i, v)| Some((i, v.0.as_ref()?))) {
        if !unit.accepts(v.notation) {
            errors.push(at.error(
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
    Series {
        name: s.name.clone(),
        style: s.style.unwrap_or(SeriesStyle::Bar),
        unit,
        points: s
            .values
            .iter()
            .map(|v| Point {
                figure: v.0.clone(),
                derived: false,
                estimate: false,
            })
            .collect(),
    }
}

/// `series` with the points of estimated categories (`estimates`, by
/// category: a period ending in `E`, `FY2026Q3E`) marked, so that they are
/// drawn as estimates.
fn estimates_marked(mut series: Series, estimates: &[bool]) -> Series {
    for (p, &estimate) in series.points.iter_mut().zip(estimates) {
        p.estimate = estimate;
    }
    series
}

/// Series `s_i`, `from: key` or `from: key.yoy`: the company history's
/// figures of `key` (or their growth a year back, the same fiscal period)
/// over the categories `x`, each a period (`FY2026Q3E`). A category the
/// history has no figure for (or, for growth, none a year earlier, or
/// growth that is not meaningful) is a gap.
fn from_history(
    s: &SeriesYaml,
    s_i: usize,
    from: &str,
    x: &[Label],
    currency: &str,
    at: &At<impl Document>,
    errors: &mut Vec<Diagnostic>,
) -> Series {
    let path = format!(".series[{s_i}].from");
    let (key, yoy) = match from.strip_suffix(".yoy") {
        Some(key) => (key, true),
        None => (from, false),
    };
    let mut series = Series {
        name: s.name.clone(),
        style: s.style.unwrap_or(SeriesStyle::Bar),
        unit: Kind::Ratio,
        points: Vec::new(),
    };
    let Some(history) = at.history else {
        errors.push(at.error(&path, "TS0218", format!("series `{}` is `from: {from}`, but this brief's company has no history.csv", s.name))
            .help("add content/companies/<id>/history.csv beside the company file this brief joins, or give the series `values`"));
        return series;
    };
    if !history.keys().any(|k| k == key) {
        let mut d = at.error(
            &path,
            "TS0218",
            format!("the company's history has no metric `{key}`"),
        );
        if let Some(near) = crate::diagnostic::did_you_mean(key, history.keys()) {
            d = d.help(format!("did you mean `{near}`?"));
        }
        errors.push(d);
        return series;
    }
    for (c_i, label) in x.iter().enumerate() {
        match history_point(history, key, yoy, &label.0) {
            Ok(p) => series.points.push(p),
            Err(why) => errors.push(
                at.error(&format!(".x[{c_i}]"), "TS0218", format!("series `{}` (`from: {from}`): {why}", s.name))
                    .help("every category of `x` of a series `from:` the history is a period, like FY2025Q3 or FY2026Q1E"),
            ),
        }
    }
    if !yoy {
        let first = series.points.iter().find_map(|p| p.figure.as_ref());
        series.unit = match first.map(|f| f.notation) {
            Some(crate::model::figure::Notation::Percent) => Kind::Ratio,
            _ => Kind::Money {
                currency: currency.to_string(),
            },
        };
    }
    series
}

/// The point of category `label` (a period) of `key` in `history`: a
/// gap when the history has no figure for it (for growth: none for it or
/// a year earlier, or growth from a zero or negative base); an error when
/// `label` is not a period.
fn history_point(history: &History, key: &str, yoy: bool, label: &str) -> Result<Point, String> {
    let (period, estimate) = crate::model::history::parse_period(label)?;
    let figure = if yoy {
        match history.yoy(key, period) {
            Some(Growth::Rate(f)) => Some(f),
            Some(Growth::Computed(d)) => {
                Some(Figure::derived(d, crate::model::figure::Notation::Percent))
            }
            Some(Growth::NotMeaningful | Growth::TurnedProfitable | Growth::TurnedLoss) | None => {
                None
            }
        }
    } else {
        history.value(key, period).map(|v| v.figure.clone())
    };
    Ok(Point {
        figure,
        derived: false,
        estimate,
    })
}

/// Whether a chart of `kind` drawn from metrics draws each one's prior
/// beside it (as the first series).
fn draws_prior(kind: ChartType) -> bool {
    match kind {
        ChartType::Compare => true,
        ChartType::Bar
        | ChartType::Line
        | ChartType::Stacked
        | ChartType::Combo
        | ChartType::Donut => false,
    }
}

/// Builds categories and series from `metrics: [a, b.yoy]`.
fn from_metrics(
    spec: &ChartYaml,
    at: &At<impl Document>,
    refs: &[String],
    metrics: &[Metric],
) -> Result<(Vec<String>, Vec<Series>), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut columns = Columns::default();
    for (r_i, text) in refs.iter().enumerate() {
        let path = format!("charts[{}].metrics[{r_i}]", at.i);
        if let Err(d) = columns.add(spec, text, metrics, at.doc, &path) {
            errors.push(d);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(columns.into_series(spec))
}

/// What `metrics: [...]` builds, one reference at a time: a label and a
/// point per metric (and its prior, for `compare`), on one unit.
#[derive(Default)]
struct Columns {
    labels: Vec<String>,
    current: Vec<Point>,
    prior: Vec<Point>,
    unit: Option<Kind>,
}

impl Columns {
    /// Adds the metric named by `text` (at `path`); an error leaves it out.
    fn add(
        &mut self,
        spec: &ChartYaml,
        text: &str,
        metrics: &[Metric],
        doc: &impl Document,
        path: &str,
    ) -> Result<(), Diagnostic> {
        let (r, m) = lookup(spec, text, metrics, doc, path)?;
        let (figure, kind) = field_value(m, r.field);
        let Some(figure) = figure else {
            return Err(doc.error_at(
                "TS0210",
                path,
                false,
                format!("metric `{}` has no {} to chart", r.key, r.field.name()),
            ));
        };
        self.same_unit(spec, kind, doc, path)?;
        if draws_prior(spec.kind) {
            self.prior.push(prior_point(spec, m, &r.key, doc, path)?);
        }
        self.labels.push(m.label.clone());
        self.current.push(Point {
            figure: Some(figure),
            derived: false,
            estimate: false,
        });
        Ok(())
    }

    /// Takes `kind` as the chart's unit, or checks it is the one taken.
    fn same_unit(
        &mut self,
        spec: &ChartYaml,
        kind: Kind,
        doc: &impl Document,
        path: &str,
    ) -> Result<(), Diagnostic> {
        match &self.unit {
            None => self.unit = Some(kind),
            Some(u) if *u != kind => {
                return Err(
                    doc.error_at("TS0214", path, false, format!(
                        "chart `{}` mixes {} and {} on one axis",
                        spec.id,
                        u.axis_unit(),
                        kind.axis_unit()
                    ))
                    .help("one axis carries one kind of unit: put growth rates and amounts in separate charts"),
                );
            }
            _ => {}
        }
        Ok(())
    }

    /// The categories and the series: the priors first (for `compare`),
    /// then the metrics under the chart's title.
    fn into_series(self, spec: &ChartYaml) -> (Vec<String>, Vec<Series>) {
        let unit = self.unit.unwrap_or(Kind::Ratio);
        let mut series = Vec::new();
        if draws_prior(spec.kind) {
            series.push(Series {
                name: "prior".into(),
                style: SeriesStyle::Bar,
                unit: unit.clone(),
                points: self.prior,
            });
        }
        series.push(Series {
            name: spec.title.clone(),
            style: SeriesStyle::Bar,
            unit,
            points: self.current,
        });
        (self.labels, series)
    }
}

/// The metric a reference (`revenue`, `revenue.yoy`) names, parsed and
/// looked up among the brief's metrics.
fn lookup<'m>(
    spec: &ChartYaml,
    text: &str,
    metrics: &'m [Metric],
    doc: &impl Document,
    path: &str,
) -> Result<(MetricRef, &'m Metric), Diagnostic> {
    let r = MetricRef::parse(text).map_err(|msg| doc.error_at("TS0210", path, false, msg))?;
    let Some(m) = metrics.iter().find(|m| m.key == r.key) else {
        let mut d = doc.error_at(
            "TS0210",
            path,
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
        return Err(d);
    };
    Ok((r, m))
}

/// The figure a reference's field gives (`None`: the metric has none) and
/// its unit: the metric's for value and prior, a ratio for growth.
fn field_value(m: &Metric, field: Field) -> (Option<Figure>, Kind) {
    match field {
        Field::Value => (m.value.clone(), m.kind.clone()),
        Field::Prior => (m.prior.as_ref().map(|p| p.figure().clone()), m.kind.clone()),
        Field::Yoy | Field::Qoq => {
            let g = if field == Field::Yoy {
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
    }
}

/// The prior of metric `m` (named `key`) for a compare chart; an error
/// when it has none.
fn prior_point(
    spec: &ChartYaml,
    m: &Metric,
    key: &str,
    doc: &impl Document,
    path: &str,
) -> Result<Point, Diagnostic> {
    match &m.prior {
        Some(p) => Ok(Point {
            figure: Some(p.figure().clone()),
            derived: p.is_derived(),
            estimate: false,
        }),
        None => Err(doc
            .error_at(
                "TS0217",
                path,
                false,
                format!(
                    "chart `{}` compares `{}` with a year earlier, but it has no prior",
                    spec.id, key
                ),
            )
            .help("give the metric a `prior`, or a `yoy` to derive it from")),
    }
}

/// The rules that depend on the chart type.
fn check_shape(
    spec: &ChartYaml,
    at: &At<impl Document>,
    series: &[Series],
    errors: &mut Vec<Diagnostic>,
) {
    series_count(spec, at, series, errors);
    not_all_gaps(spec, at, series, errors);
    one_unit_per_axis(spec, at, series, errors);
    match spec.kind {
        ChartType::Donut => donut_parts(spec, at, series, errors),
        ChartType::Bar
        | ChartType::Compare
        | ChartType::Line
        | ChartType::Stacked
        | ChartType::Combo => {}
    }
}

/// How many series (and of which style) each chart type draws.
fn series_count(
    spec: &ChartYaml,
    at: &At<impl Document>,
    series: &[Series],
    errors: &mut Vec<Diagnostic>,
) {
    let name = spec.kind.name();
    match spec.kind {
        ChartType::Bar | ChartType::Donut => {
            if spec.series.is_some() && series.len() != 1 {
                errors.push(
                    at.error(
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
        }
        ChartType::Compare => {
            if spec.metrics.is_none() {
                errors.push(at.error(
                    "",
                    "TS0216",
                    format!(
                        "a compare chart names `metrics`, and `{}` has none",
                        spec.id
                    ),
                ));
            }
        }
        ChartType::Combo => {
            let lines = series
                .iter()
                .filter(|s| s.style == SeriesStyle::Line)
                .count();
            if lines == 0 || lines == series.len() {
                errors.push(at.error(".series", "TS0216", format!("a combo chart draws bars and a line, and `{}` has {} line series out of {}", spec.id, lines, series.len())).help("mark the % series with `as: line`"));
            }
        }
        ChartType::Line | ChartType::Stacked => {}
    }
}

/// A series with points has a figure for at least one of them: a series
/// of gaps only has nothing to draw.
fn not_all_gaps(
    spec: &ChartYaml,
    at: &At<impl Document>,
    series: &[Series],
    errors: &mut Vec<Diagnostic>,
) {
    for (s_i, s) in series.iter().enumerate() {
        if !s.points.is_empty() && s.points.iter().all(|p| p.figure.is_none()) {
            errors.push(
                at.error(
                    &format!(".series[{s_i}]"),
                    "TS0221",
                    format!(
                        "series `{}` of chart `{}` has no figure for any category of `x`: nothing to draw",
                        s.name, spec.id
                    ),
                )
                .help("give at least one figure, or remove the series"),
            );
        }
    }
}

/// The series that share an axis: bars one, lines (in a combo) the other.
fn axes(kind: ChartType, series: &[Series]) -> Vec<Vec<&Series>> {
    match kind {
        ChartType::Combo => vec![
            series
                .iter()
                .filter(|s| s.style != SeriesStyle::Line)
                .collect(),
            series
                .iter()
                .filter(|s| s.style == SeriesStyle::Line)
                .collect(),
        ],
        ChartType::Bar
        | ChartType::Compare
        | ChartType::Line
        | ChartType::Stacked
        | ChartType::Donut => vec![series.iter().collect()],
    }
}

/// One axis carries one kind of unit.
fn one_unit_per_axis(
    spec: &ChartYaml,
    at: &At<impl Document>,
    series: &[Series],
    errors: &mut Vec<Diagnostic>,
) {
    for axis in axes(spec.kind, series) {
        if let Some(first) = axis.first() {
            if let Some(other) = axis.iter().find(|s| s.unit != first.unit) {
                let idx = series
                    .iter()
                    .position(|s| std::ptr::eq(s, *other))
                    .unwrap_or(0);
                errors.push(
                    at.error(&format!(".series[{idx}]"), "TS0214", format!(
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
}

/// A donut's parts are zero or more, and not all zero.
fn donut_parts(
    spec: &ChartYaml,
    at: &At<impl Document>,
    series: &[Series],
    errors: &mut Vec<Diagnostic>,
) {
    for (s_i, s) in series.iter().enumerate() {
        for (p_i, p) in s.points.iter().enumerate() {
            let path = if spec.metrics.is_some() {
                format!(".metrics[{p_i}]")
            } else {
                format!(".series[{s_i}].values[{p_i}]")
            };
            match &p.figure {
                Some(f) if f.amount.mantissa < 0 => errors.push(
                    at.error(
                        &path,
                        "TS0215",
                        format!("donut `{}` has a negative part: {}", spec.id, f.text),
                    )
                    .help("a donut shows parts of a whole; parts must be zero or more"),
                ),
                Some(_) => {}
                None => errors.push(
                    at.error(
                        &path,
                        "TS0215",
                        format!("donut `{}` has a part with no figure", spec.id),
                    )
                    .help("a donut shows parts of a whole, and none can be missing: give the part's figure, or leave the part out of `x`"),
                ),
            }
        }
        let zero = |p: &Point| p.figure.as_ref().is_none_or(|f| f.amount.mantissa == 0);
        if s.points.iter().all(zero) {
            errors.push(at.error(
                "",
                "TS0215",
                format!("donut `{}` has no part above zero", spec.id),
            ));
        }
    }
}
