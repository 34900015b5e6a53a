//! What was expected of a figure: the market's `consensus` (with an
//! optional stated `surprise`), what the company had `guided` for this
//! period, and the `guidance` it now gives for a later one.
//!
//! [`Expectations`] hang off a metric only when the author wrote one of
//! them (most metrics carry none). Here live the types, their validation
//! against the metric, and the surprise as a page shows it: signed, in %
//! for amounts and in points for ratios, with the verdict it reads as
//! (beat / in line / miss, within site.yaml's `inline_band`). Whether an
//! actual is above, within or below a guided range is judged over
//! intervals in `check::expectation`.

use crate::diagnostic::Diagnostic;
use crate::model::date::Period;
use crate::model::figure::{Decimal, Figure, Notation};
use crate::model::front_matter::MetricYaml;
use crate::model::metric::{Growth, Kind};
use crate::model::period::FiscalYearEnd;
use crate::model::source::Source as Document;

/// A metric's expectations, as stated.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Expectations {
    pub consensus: Option<Figure>,
    /// The surprise the author states (`+1.5%`, `+0.3pp`), checked
    /// against value and consensus.
    pub surprise: Option<Figure>,
    /// What the company had guided for this period.
    pub guided: Option<Figure>,
    /// What the company now guides for a later period.
    pub guidance: Option<Guidance>,
}

/// A guide for a later period.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Guidance {
    pub period: Period,
    pub value: Figure,
}

/// How an actual compares with consensus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Beat,
    InLine,
    Miss,
}

/// How an actual compares with what was guided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuideVerdict {
    Above,
    Within,
    Below,
}

/// How far from consensus an actual still reads as in line: a fraction
/// of consensus for amounts, points for ratios (site.yaml's
/// `inline_band`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InlineBand {
    /// 1% by default.
    pub amount: f64,
    /// 0.2pp by default.
    pub ratio: f64,
}

impl Default for InlineBand {
    fn default() -> InlineBand {
        InlineBand {
            amount: 0.01,
            ratio: 0.002,
        }
    }
}

/// The surprise of `value` against `consensus` as a page shows it:
/// `+1.5%` for amounts (to 0.1%; none from a zero or negative
/// consensus), `+0.3pp` for ratios (to the finer of the two figures).
pub fn surprise(value: &Figure, consensus: &Figure, kind: &Kind) -> Growth {
    match kind {
        Kind::Ratio => {
            let exp = value.amount.exp.min(consensus.amount.exp);
            match Decimal::from_f64(value.value() - consensus.value(), exp) {
                Some(d) => Growth::Rate(Figure::derived(d, Notation::PercentPoints)),
                None => Growth::NotMeaningful,
            }
        }
        Kind::Money { .. } | Kind::Count { .. } | Kind::Multiple => {
            match Growth::between(value.amount, consensus.amount) {
                g @ Growth::Computed(_) => g,
                _ => Growth::NotMeaningful,
            }
        }
    }
}

/// The verdict of a surprise: in line within `band`, judged on the
/// surprise as shown (so `+1.0%` with a 1% band reads in line); from a
/// consensus of zero or below, on the difference itself.
pub fn verdict(value: &Figure, consensus: &Figure, kind: &Kind, band: InlineBand) -> Verdict {
    let (off, band) = match (kind, surprise(value, consensus, kind)) {
        (Kind::Ratio, Growth::Rate(points)) => (points.value(), band.ratio),
        (Kind::Ratio, _) => (0.0, band.ratio),
        (_, Growth::Computed(d)) => (d.to_f64(), band.amount),
        _ => (
            value.value() - consensus.value(),
            band.amount * consensus.value().abs(),
        ),
    };
    // A margin of float noise: the shown surprise is a decimal.
    if off.abs() <= band * (1.0 + 1e-9) {
        Verdict::InLine
    } else if off > 0.0 {
        Verdict::Beat
    } else {
        Verdict::Miss
    }
}

/// The expectations of metric `key` as its front matter `m` states them,
/// validated against its `kind`; `period` is the brief's (a guidance
/// period must come after it).
pub(crate) fn validate(
    doc: &impl Document,
    key: &str,
    m: &MetricYaml,
    kind: &Kind,
    period: Option<Period>,
    fye: FiscalYearEnd,
) -> Result<Option<Box<Expectations>>, Vec<Diagnostic>> {
    if m.consensus.is_none() && m.surprise.is_none() && m.guided.is_none() && m.guidance.is_none() {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let path = |field: &str| format!("metrics.{key}.{field}");
    let needs_value = [
        ("consensus", m.consensus.is_some()),
        ("guided", m.guided.is_some()),
        ("surprise", m.surprise.is_some()),
    ];
    if m.value.is_none() {
        for (field, _) in needs_value.iter().filter(|(_, given)| *given) {
            errors.push(
                doc.error_at("TS0222", &path(field), true, format!("`{field}` of `{key}` is compared with its value, and `{key}` has no `value`"))
                    .help("give the reported `value` beside it (a guide for a later period is `guidance`)"),
            );
        }
    }
    if m.surprise.is_some() && m.consensus.is_none() {
        errors.push(
            doc.error_at(
                "TS0222",
                &path("surprise"),
                true,
                format!("`surprise` of `{key}` needs the `consensus` it is measured against"),
            )
            .help("add `consensus:` beside it, or remove `surprise`"),
        );
    }
    let figures = [
        ("consensus", m.consensus.as_ref()),
        ("guided", m.guided.as_ref()),
        ("guidance", m.guidance.as_ref().map(|g| &g.value)),
    ];
    for (field, f) in figures {
        if let Some(f) = f.filter(|f| !kind.accepts(f.notation)) {
            let at =
                if field == "guidance" && m.guidance.as_ref().is_some_and(|g| g.period.is_some()) {
                    path("guidance.value")
                } else {
                    path(field)
                };
            errors.push(
                doc.error_at(
                    "TS0205",
                    &at,
                    false,
                    format!(
                        "`{}` cannot be the {field} of `{key}`, which is {}",
                        f.text,
                        kind_words(kind)
                    ),
                )
                .help("write it in the unit of the metric's value"),
            );
        }
    }
    if let Some(s) = &m.surprise {
        surprise_unit(doc, key, s, kind, &mut errors);
    }
    let guidance = m.guidance.as_ref().and_then(|g| {
        let own = period?;
        let at = g.period.unwrap_or_else(|| own.next());
        if at.sort_key_in(fye) <= own.sort_key_in(fye) {
            errors.push(
                doc.error_at("TS0223", &path("guidance.period"), false, format!("`guidance` of `{key}` is for {at}, which is not after this brief's period {own}"))
                    .help(format!("guidance is for a later period (e.g. {}); what the company had guided for {own} is `guided`", own.next())),
            );
        }
        Some(Guidance {
            period: at,
            value: g.value.clone(),
        })
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(Box::new(Expectations {
        consensus: m.consensus.clone(),
        surprise: m.surprise.clone(),
        guided: m.guided.clone(),
        guidance,
    })))
}

/// What a metric of `kind` is, in an error message.
fn kind_words(kind: &Kind) -> String {
    match kind {
        Kind::Ratio => "a ratio (in %)".into(),
        Kind::Money { .. } | Kind::Count { .. } | Kind::Multiple => kind.axis_unit(),
    }
}

/// A stated surprise is a change: % (or a fraction) for amounts, points
/// for ratios.
fn surprise_unit(
    doc: &impl Document,
    key: &str,
    s: &Figure,
    kind: &Kind,
    errors: &mut Vec<Diagnostic>,
) {
    let points = matches!(s.notation, Notation::PercentPoints | Notation::BasisPoints);
    let percent = matches!(s.notation, Notation::Percent | Notation::Plain);
    let help = match kind {
        Kind::Ratio if !points => Some(format!(
            "{key} is a ratio: its surprise is in points, e.g. {}pp",
            s.text.trim_end_matches(['%', '％'])
        )),
        Kind::Ratio => None,
        _ if !percent => {
            Some("an amount's surprise is a percentage of consensus, e.g. +1.5%".to_string())
        }
        _ => None,
    };
    if let Some(help) = help {
        errors.push(
            doc.error_at(
                "TS0205",
                &format!("metrics.{key}.surprise"),
                false,
                format!(
                    "`{}` cannot be the surprise of `{key}`, which is {}",
                    s.text,
                    kind_words(kind)
                ),
            )
            .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(s: &str) -> Figure {
        Figure::parse(s).unwrap()
    }

    fn usd() -> Kind {
        Kind::Money {
            currency: "USD".into(),
        }
    }

    #[test]
    fn surprise_is_a_percent_for_amounts_and_points_for_ratios() {
        assert_eq!(
            surprise(&fig("46.74bn"), &fig("46.05bn"), &usd()),
            Growth::Computed(Decimal::new(15, -3))
        );
        assert_eq!(
            surprise(&fig("72.7%"), &fig("72.4%"), &Kind::Ratio),
            Growth::Rate(Figure::derived(
                Decimal::new(3, -3),
                Notation::PercentPoints
            ))
        );
        // No percentage from a loss expected.
        assert_eq!(
            surprise(&fig("0.05"), &fig("-0.10"), &usd()),
            Growth::NotMeaningful
        );
    }

    #[test]
    fn verdicts_read_the_surprise_as_shown_against_the_band() {
        let band = InlineBand::default();
        let v = |a: &str, c: &str, k: &Kind| verdict(&fig(a), &fig(c), k, band);
        assert_eq!(v("46.74bn", "46.05bn", &usd()), Verdict::Beat);
        assert_eq!(v("45.00bn", "46.05bn", &usd()), Verdict::Miss);
        // +1.0% as shown is within a 1% band.
        assert_eq!(v("101.0", "100.0", &usd()), Verdict::InLine);
        assert_eq!(v("72.5%", "72.4%", &Kind::Ratio), Verdict::InLine);
        assert_eq!(v("72.7%", "72.4%", &Kind::Ratio), Verdict::Beat);
        assert_eq!(v("72.1%", "72.4%", &Kind::Ratio), Verdict::Miss);
        // A smaller loss than expected beats.
        assert_eq!(v("-0.05", "-0.10", &usd()), Verdict::Beat);
    }
}
