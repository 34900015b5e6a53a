//! Expectations judged over intervals (see `check::interval`): where an
//! actual falls against what the company guided (above, within or below
//! the guided range, rounding always in the guide's favour), and a stated
//! surprise that value and consensus contradict (TS0307).

use crate::check::consistency::{bounds_text, change_text, rate_text, warn};
use crate::check::interval::Interval;
use crate::diagnostic::Diagnostic;
use crate::model::expectation::GuideVerdict;
use crate::model::figure::{Figure, Notation};
use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::{Growth, Kind, Metric};
use crate::model::source::Source as Document;

/// Where `value` falls against `guided`: within when it lies inside the
/// values the guide allows (its range, and the rounding of its digits).
pub(crate) fn guided_verdict(value: &Figure, guided: &Figure) -> GuideVerdict {
    let allowed = Interval::of(guided);
    let v = value.value();
    if v > allowed.hi {
        GuideVerdict::Above
    } else if v < allowed.lo {
        GuideVerdict::Below
    } else {
        GuideVerdict::Within
    }
}

/// TS0307: a stated `surprise` that no values within the stated
/// precisions of value and consensus can give.
pub(crate) fn stated_surprise(
    doc: &impl Document,
    m: &Metric,
    lang: Lang,
    out: &mut Vec<Diagnostic>,
) {
    let Some(e) = &m.expect else { return };
    let (Some(value), Some(consensus), Some(stated)) = (&m.value, &e.consensus, &e.surprise) else {
        return;
    };
    let (v, c) = (Interval::of(value), Interval::of(consensus));
    let ratio = m.kind == Kind::Ratio;
    let computed = if ratio {
        v.minus(c)
    } else {
        v.over(c).minus(Interval::point(1.0))
    };
    if computed.overlaps(Interval::of(stated)) {
        return;
    }
    // Bounds one digit finer than the stated surprise, so they differ.
    let points = ratio.then_some(Notation::PercentPoints);
    let show = |x: f64| change_text(x, stated.amount.exp - 1, points, lang);
    let (op, exact) = if ratio {
        ("−", value.value() - consensus.value())
    } else {
        ("/", value.value() / consensus.value() - 1.0)
    };
    let tail = if ratio { "" } else { " − 1" };
    out.push(warn(
        doc,
        "TS0307",
        &format!("metrics.{}.surprise", m.key),
        format!(
            "{} surprise is stated as {}, but {} {op} consensus {}{tail} = {} ({} given the stated precision)",
            m.key,
            format::growth(&Growth::Rate(stated.clone()), lang),
            format::figure(value, &m.kind, lang, m.decimals),
            format::figure(consensus, &m.kind, lang, m.decimals),
            if ratio { show(exact) } else { rate_text(exact, lang) },
            bounds_text(computed, show)
        ),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(s: &str) -> Figure {
        Figure::parse(s).unwrap()
    }

    #[test]
    fn an_actual_is_judged_against_the_whole_guided_range() {
        let v = |a: &str, g: &str| guided_verdict(&fig(a), &fig(g));
        assert_eq!(v("46.74bn", "44.1bn–45.9bn"), GuideVerdict::Above);
        assert_eq!(v("45.0bn", "45.0bn ± 2%"), GuideVerdict::Within);
        assert_eq!(v("44.0bn", "45.0bn ± 2%"), GuideVerdict::Below);
        // 72.7% against 71.5%–72.5%: above; 72.54% rounds into it.
        assert_eq!(v("72.7%", "72.0% ± 50bp"), GuideVerdict::Above);
        assert_eq!(v("72.54%", "71.5%–72.5%"), GuideVerdict::Within);
    }
}
