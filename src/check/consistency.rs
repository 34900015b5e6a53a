//! Consistency of the figures inside one brief: growth against value and
//! prior, `check:` expressions, target price against price and upside,
//! chart parts against their total, and lints for likely slips (a growth
//! written as 13.1 instead of 13.1%, a margin above 100%, growth of a ratio
//! in % instead of pp, a check naming itself).
//!
//! Relations are judged with `check::interval`: a warning means no values
//! within the stated precisions can make the relation hold. Every warning
//! names both numbers and points at the figure in the front matter.

use crate::check::interval::Interval;
use crate::diagnostic::Diagnostic;
use crate::model::expr::{Expr, Op};
use crate::model::figure::{Decimal, Figure, Notation};
use crate::model::format;
use crate::model::front_matter::ChartType;
use crate::model::lang::Lang;
use crate::model::metric::{Field, Growth, Kind, Metric, Prior};
use crate::model::page::Figures as Brief;
use crate::model::source::Source as Document;

/// Every consistency warning of one brief (read from `doc`, in `lang`,
/// with `brief`'s figures).
pub fn brief(doc: &impl Document, lang: Lang, brief: &Brief) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in &brief.metrics {
        growth_relation(doc, m, "yoy", m.yoy.as_ref(), lang, &mut out);
        lints(doc, m, lang, &mut out);
        crate::check::expectation::stated_surprise(doc, m, lang, &mut out);
        if let Some(expr) = &m.check {
            check_expression(doc, brief, m, expr, lang, &mut out);
        }
    }
    target_price(doc, brief, lang, &mut out);
    chart_totals(doc, brief, lang, &mut out);
    crate::check::forecast::brief(doc, lang, brief, &mut out);
    out
}

pub(crate) fn warn(
    doc: &impl Document,
    code: &'static str,
    path: &str,
    message: String,
) -> Diagnostic {
    let mut d = doc.error_at(code, path, false, message);
    d.severity = crate::diagnostic::Severity::Warning;
    d
}

/// A growth rate as a page shows it: `+20.0%`.
pub(crate) fn rate_text(v: f64, lang: Lang) -> String {
    match Decimal::from_f64(v, -3) {
        Some(d) => format::growth(&Growth::Computed(d), lang),
        None => "n.m.".into(),
    }
}

/// A computed change written as a page writes a stated one, to `10^exp`:
/// a rate in % (`+1.52%`), or a ratio's change in the points `points`
/// names (`+0.25pp`, `+25bp`). Every check that shows a change it worked
/// out writes it here.
pub(crate) fn change_text(x: f64, exp: i32, points: Option<Notation>, lang: Lang) -> String {
    let Some(d) = Decimal::from_f64(x, exp) else {
        return format!("{x}");
    };
    match points {
        Some(notation) => format::growth(&Growth::Rate(Figure::derived(d, notation)), lang),
        None => format::growth(&Growth::Computed(d), lang),
    }
}

/// A computed amount of `kind`, at precision `exp`, written as the page
/// would (notation taken from the figure it is compared with).
fn amount_text(v: f64, exp: i32, like: &Figure, kind: &Kind, lang: Lang) -> String {
    match Decimal::from_f64(v, exp) {
        Some(d) => format::figure(&Figure::derived(d, like.notation), kind, lang, None),
        None => format!("{v}"),
    }
}

pub(crate) fn bounds_text(i: Interval, show: impl Fn(f64) -> String) -> String {
    if i.is_bounded() {
        format!("{} to {}", show(i.lo), show(i.hi))
    } else if i.lo.is_finite() {
        format!("at least {}", show(i.lo))
    } else {
        format!("at most {}", show(i.hi))
    }
}

/// `value`, `prior` and `yoy` of one metric.
fn growth_relation(
    doc: &impl Document,
    m: &Metric,
    field: &str,
    g: Option<&Growth>,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(Growth::Rate(rate)), Some(value), Some(Prior::Stated(prior))) =
        (g, &m.value, &m.prior)
    else {
        return;
    };
    let in_points = matches!(
        rate.notation,
        Notation::PercentPoints | Notation::BasisPoints
    );
    // A ratio's growth in % is in the wrong unit (TS0312 says so, once);
    // held against value / prior − 1 it would be checked as the relative
    // change of a ratio, which is what the rule forbids.
    if m.kind == Kind::Ratio && !in_points {
        return;
    }
    // The words of a warning, made only when there is one (most figures
    // agree).
    let path = || format!("metrics.{}.{field}", m.key);
    let texts = || {
        (
            format::growth(&Growth::Rate(rate.clone()), lang),
            format::figure(value, &m.kind, lang, m.decimals),
            format::figure(prior, &m.kind, lang, m.decimals),
        )
    };
    if in_points {
        let change = Interval::of(value).minus(Interval::of(prior));
        if !change.overlaps(Interval::of(rate)) {
            let pp = |v: f64| change_text(v, rate.amount.exp - 1, Some(rate.notation), lang);
            let (stated, v_txt, p_txt) = texts();
            out.push(warn(doc, "TS0301", &path(), format!(
                "{} {field} is stated as {stated}, but {v_txt} − {p_txt} = {} ({} given the stated precision)",
                m.key,
                pp(change.mid()),
                bounds_text(change, pp)
            )));
        }
        return;
    }
    if prior.amount.signum() <= 0 {
        let (stated, _, p_txt) = texts();
        out.push(
            warn(doc, "TS0303", &path(), format!(
                "{} {field} is stated as {stated}, but its prior {p_txt} is not positive: growth from a zero or negative base is no percentage",
                m.key
            ))
            .help("remove the growth rate: the page shows 扭亏 / 转亏 / 不适用 (turned profitable / turned to a loss / n.m.) from value and prior"),
        );
        return;
    }
    let computed = Interval::of(value)
        .over(Interval::of(prior))
        .minus(Interval::point(1.0));
    if !computed.overlaps(Interval::of(rate)) {
        let (stated, v_txt, p_txt) = texts();
        out.push(warn(doc, "TS0301", &path(), format!(
            "{} {field} is stated as {stated}, but {v_txt} / {p_txt} − 1 = {} ({} given the stated precision)",
            m.key,
            rate_text(value.value() / prior.value() - 1.0, lang),
            bounds_text(computed, |v| rate_text(v, lang))
        )));
    }
}

/// Likely slips that are not contradictions.
fn lints(doc: &impl Document, m: &Metric, lang: Lang, out: &mut Vec<Diagnostic>) {
    for (field, g) in [("yoy", &m.yoy), ("qoq", &m.qoq)] {
        let Some(Growth::Rate(r)) = g else { continue };
        let path = || format!("metrics.{}.{field}", m.key);
        if r.notation == Notation::Plain && r.value().abs() > 1.0 {
            out.push(
                warn(
                    doc,
                    "TS0310",
                    &path(),
                    format!(
                        "{} {field} is written {}, which reads as {}",
                        m.key,
                        r.text,
                        format::growth(g.as_ref().unwrap_or(&Growth::NotMeaningful), lang)
                    ),
                )
                .help(format!(
                    "a plain number is a fraction (0.131 is 13.1%); did you mean {}%?",
                    r.text
                )),
            );
        }
        if m.kind == Kind::Ratio && matches!(r.notation, Notation::Percent | Notation::Plain) {
            out.push(
                warn(
                    doc,
                    "TS0312",
                    &path(),
                    format!(
                        "{} is a ratio, and its {field} is given in % ({})",
                        m.key, r.text
                    ),
                )
                .help(format!(
                    "a ratio's change is in percentage points: write {}pp (or {}bp)",
                    in_units(r, -2),
                    in_units(r, -4)
                )),
            );
        }
    }
    if let (Kind::Ratio, Some(v)) = (&m.kind, &m.value) {
        let key = m.key.to_lowercase();
        let label = m.label.to_lowercase();
        let is_margin = key.contains("margin") || label.contains("margin") || label.contains("率");
        if is_margin && Interval::of(v).lo > 1.0 {
            out.push(
                warn(
                    doc,
                    "TS0311",
                    &format!("metrics.{}.value", m.key),
                    format!("{} is {}, above 100%", m.key, v.text),
                )
                .help("a margin or a share cannot exceed 100%; check the figure or its unit"),
            );
        }
    }
}

/// A change written in % (or as a fraction) in units of `10^scale`, as
/// many digits as written: `2.5%` is `2.5` points (scale −2) or `250` bp
/// (scale −4).
fn in_units(r: &Figure, scale: i32) -> String {
    format::number(r.amount, scale, (scale - r.amount.exp).max(0), Lang::En)
}

/// Evaluates a check expression over intervals; `None` when it names
/// something without a figure.
fn eval(brief: &Brief, e: &Expr) -> Option<Interval> {
    Some(match e {
        Expr::Number(v) => Interval::point(*v),
        Expr::Neg(a) => eval(brief, a)?.negated(),
        Expr::Bin(a, op, b) => {
            let (a, b) = (eval(brief, a)?, eval(brief, b)?);
            match op {
                Op::Add => a.plus(b),
                Op::Sub => a.minus(b),
                Op::Mul => a.times(b),
                Op::Div => a.over(b),
            }
        }
        Expr::Ref(r, _) => {
            let m = brief.metric(&r.key)?;
            match r.field {
                Field::Value => Interval::of(m.value.as_ref()?),
                Field::Yoy => match &m.yoy {
                    Some(Growth::Rate(f)) => Interval::of(f),
                    _ => return None,
                },
                Field::Qoq => match &m.qoq {
                    Some(Growth::Rate(f)) => Interval::of(f),
                    _ => return None,
                },
                Field::Prior => match (&m.prior, &m.value, &m.yoy) {
                    (Some(Prior::Stated(p)), _, _) => Interval::of(p),
                    (Some(Prior::Derived(_)), Some(v), Some(Growth::Rate(g))) => {
                        Interval::of(v).over(Interval::of(g).plus(Interval::point(1.0)))
                    }
                    _ => return None,
                },
            }
        }
    })
}

fn check_expression(
    doc: &impl Document,
    brief: &Brief,
    m: &Metric,
    expr: &Expr,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let path = || format!("metrics.{}.check", m.key);
    if expr
        .refs()
        .iter()
        .any(|(r, _)| r.key == m.key && r.field == Field::Value)
    {
        out.push(
            warn(
                doc,
                "TS0314",
                &path(),
                format!("the check of {} names {} itself", m.key, m.key),
            )
            .help("a check states how other metrics make this one: adj_net_profit / revenue"),
        );
        return;
    }
    let Some(value) = &m.value else { return };
    let Some(computed) = eval(brief, expr) else {
        out.push(warn(
            doc,
            "TS0306",
            &path(),
            format!(
                "the check of {} cannot be evaluated: a metric it names has no such figure",
                m.key
            ),
        ));
        return;
    };
    if !computed.overlaps(Interval::of(value)) {
        let src = doc
            .front_matter()
            .metrics
            .0
            .iter()
            .find(|(k, _)| *k == m.key)
            .and_then(|(_, y)| y.check.clone())
            .unwrap_or_default();
        let show = |v: f64| amount_text(v, value.amount.exp - 1, value, &m.kind, lang);
        out.push(warn(
            doc,
            "TS0302",
            &format!("metrics.{}.value", m.key),
            format!(
                "{} is stated as {}, but {} = {} ({} given the stated precision)",
                m.key,
                format::figure(value, &m.kind, lang, m.decimals),
                src.trim(),
                show(computed.mid()),
                bounds_text(computed, show)
            ),
        ));
    }
}

/// `target_price.value`, `price` and `upside`.
fn target_price(doc: &impl Document, brief: &Brief, lang: Lang, out: &mut Vec<Diagnostic>) {
    let Some(t) = &brief.target_price else {
        return;
    };
    if let Some(Growth::Rate(u)) = &t.upside {
        if u.notation == Notation::Plain && u.value().abs() > 1.0 {
            out.push(
                warn(
                    doc,
                    "TS0310",
                    "target_price.upside",
                    format!(
                        "upside is written {}, which reads as {}",
                        u.text,
                        rate_text(u.value(), lang)
                    ),
                )
                .help(format!(
                    "a plain number is a fraction (0.19 is 19%); did you mean {}%?",
                    u.text
                )),
            );
            return;
        }
        // The brief's one price (`price`, or the older
        // `target_price.price`), when it is in the target's currency.
        let Some(price) = brief.price.as_ref().filter(|p| p.currency == t.currency) else {
            return;
        };
        let price = &price.value;
        let computed = Interval::of(&t.value)
            .over(Interval::of(price))
            .minus(Interval::point(1.0));
        if !computed.overlaps(Interval::of(u)) {
            let money = |f: &Figure| {
                format::figure(
                    f,
                    &Kind::Money {
                        currency: t.currency.clone(),
                    },
                    lang,
                    None,
                )
            };
            out.push(warn(
                doc,
                "TS0304",
                "target_price.upside",
                format!(
                    "upside is stated as {}, but {} / {} − 1 = {} ({} given the stated precision)",
                    format::growth(&Growth::Rate(u.clone()), lang),
                    money(&t.value),
                    money(price),
                    rate_text(t.value.value() / price.value() - 1.0, lang),
                    bounds_text(computed, |v| rate_text(v, lang))
                ),
            ));
        }
    }
}

/// Parts of a stacked or donut chart against the metric named by `total`.
fn chart_totals(doc: &impl Document, brief: &Brief, lang: Lang, out: &mut Vec<Diagnostic>) {
    for (i, spec) in doc.front_matter().charts.iter().enumerate() {
        let Some(total_key) = &spec.total else {
            continue;
        };
        let path = format!("charts[{i}].total");
        let Some(total) = brief.metric(total_key) else {
            let mut d = warn(
                doc,
                "TS0305",
                &path,
                format!(
                    "chart `{}` adds up to `{total_key}`, which this brief does not have",
                    spec.id
                ),
            );
            let keys = brief.metrics.iter().map(|m| m.key.as_str());
            if let Some(near) = crate::diagnostic::did_you_mean(total_key, keys) {
                d = d.help(format!("did you mean `{near}`?"));
            }
            out.push(d);
            continue;
        };
        let Some(total_value) = &total.value else {
            continue;
        };
        // Only the parts of a whole add up to it.
        let donut = match spec.kind {
            ChartType::Donut => true,
            ChartType::Stacked => false,
            ChartType::Bar | ChartType::Compare | ChartType::Line | ChartType::Combo => continue,
        };
        let Some(chart) = brief.charts.iter().find(|c| c.id == spec.id) else {
            continue;
        };
        // A donut or a one-category stack: the parts of the first (only)
        // category; for a stack over x, the last category.
        let at = if donut {
            0
        } else {
            chart.x.len().saturating_sub(1)
        };
        let parts: Vec<Option<&Figure>> = if donut {
            chart
                .series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.figure.as_ref()))
                .collect()
        } else {
            chart
                .series
                .iter()
                .filter_map(|s| s.points.get(at))
                .map(|p| p.figure.as_ref())
                .collect()
        };
        // A part that is a gap cannot be added up: nothing to check.
        let Some(parts) = parts.into_iter().collect::<Option<Vec<&Figure>>>() else {
            continue;
        };
        let sum = parts
            .iter()
            .fold(Interval::point(0.0), |acc, f| acc.plus(Interval::of(f)));
        if !sum.overlaps(Interval::of(total_value)) {
            let show =
                |v: f64| amount_text(v, total_value.amount.exp, total_value, &total.kind, lang);
            out.push(warn(
                doc,
                "TS0305",
                &path,
                format!(
                    "the parts of chart `{}` add up to {} ({}), but {total_key} is {}",
                    spec.id,
                    show(sum.mid()),
                    bounds_text(sum, show),
                    format::figure(total_value, &total.kind, lang, None)
                ),
            ));
        }
    }
}
