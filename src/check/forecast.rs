//! Consistency of a brief's forecast table: a stated growth row
//! (`<key>.yoy`) against the adjacent amounts of its row (TS0340), and a
//! `pe` row against the brief's `price` over its `eps` row (TS0341) when
//! the two share a currency or the brief's `fx` converts one into the
//! other. Judged with `check::interval`: rounding never raises an alarm;
//! a warning names both numbers and points at the cell.

use crate::check::consistency::{bounds_text, change_text, warn};
use crate::check::interval::Interval;
use crate::diagnostic::Diagnostic;
use crate::model::figure::{Decimal, Figure, Notation};
use crate::model::forecast::{consecutive, ForecastRow, Forecasts, GROWTH_SUFFIX};
use crate::model::format;
use crate::model::house::{conversion, Conversion};
use crate::model::lang::Lang;
use crate::model::metric::{Growth, Kind};
use crate::model::page::Figures;
use crate::model::source::Source as Document;

/// Every warning about `brief`'s forecast table, added to `out`.
pub(crate) fn brief(doc: &impl Document, lang: Lang, brief: &Figures, out: &mut Vec<Diagnostic>) {
    let Some(f) = &brief.forecasts else { return };
    for row in &f.rows {
        stated_growth(doc, lang, f, row, out);
    }
    pe(doc, lang, brief, f, out);
}

/// Each stated growth of `row` against its amounts in the column before
/// and its own (adjacent, consecutive periods).
fn stated_growth(
    doc: &impl Document,
    lang: Lang,
    f: &Forecasts,
    row: &ForecastRow,
    out: &mut Vec<Diagnostic>,
) {
    let Some(stated) = &row.growth else { return };
    for j in 1..f.periods.len() {
        let (Some(Some(rate)), Some(Some(prior)), Some(Some(value))) =
            (stated.get(j), row.values.get(j - 1), row.values.get(j))
        else {
            continue;
        };
        if !consecutive(f.periods[j - 1], f.periods[j]) {
            continue;
        }
        let ratio = row.kind == Kind::Ratio;
        let (v, p) = (Interval::of(value), Interval::of(prior));
        let computed = if ratio {
            v.minus(p)
        } else if p.lo > 0.0 {
            v.over(p).minus(Interval::point(1.0))
        } else {
            // Growth from a base that may be zero or negative is no rate.
            continue;
        };
        if !computed.is_bounded() || computed.overlaps(Interval::of(rate)) {
            continue;
        }
        let show = |x: f64| growth_text(x, ratio, rate, lang);
        let amount = |fig: &Figure| format::figure(fig, &row.kind, lang, None);
        let how = if ratio {
            format!("{} − {}", amount(value), amount(prior))
        } else {
            format!("{} / {} − 1", amount(value), amount(prior))
        };
        out.push(warn(
            doc,
            "TS0340",
            &format!(
                "forecasts.rows.{}{GROWTH_SUFFIX}.values[{j}]",
                row.key
            ),
            format!(
                "{}{GROWTH_SUFFIX} for {} is stated as {}, but {how} = {} ({} given the stated precision)",
                row.key,
                f.periods[j],
                format::growth(&Growth::Rate(rate.clone()), lang),
                show(computed.mid()),
                bounds_text(computed, show)
            ),
        ).help("correct the growth or the amounts: a growth row is checked against the row it follows, column by column"));
    }
}

/// A computed growth as the stated one is written, one digit finer: a
/// rate in %, a ratio's change in pp.
fn growth_text(x: f64, ratio: bool, like: &Figure, lang: Lang) -> String {
    let points = ratio.then_some(match like.notation {
        Notation::BasisPoints => Notation::BasisPoints,
        _ => Notation::PercentPoints,
    });
    change_text(x, like.amount.exp.min(-3) - 1, points, lang)
}

/// Each `pe` cell against price / `eps` of its column.
fn pe(doc: &impl Document, lang: Lang, brief: &Figures, f: &Forecasts, out: &mut Vec<Diagnostic>) {
    let (Some(price), Some(pe), Some(eps)) = (&brief.price, f.row("pe"), f.row("eps")) else {
        return;
    };
    let Kind::Money { currency } = &eps.kind else {
        return;
    };
    // Without a shared currency or a rate between the two, no check.
    let Some(conv) = conversion(&brief.fx, &price.currency, currency) else {
        return;
    };
    let price_in = match conv {
        Conversion::Same => Interval::of(&price.value),
        Conversion::Times(r) => Interval::of(&price.value).times(Interval::of(r)),
        Conversion::Over(r) => Interval::of(&price.value).over(Interval::of(r)),
    };
    let money = |fig: &Figure, ccy: &str| {
        format::figure(
            fig,
            &Kind::Money {
                currency: ccy.to_string(),
            },
            lang,
            None,
        )
    };
    for (j, period) in f.periods.iter().enumerate() {
        let (Some(Some(stated)), Some(Some(e))) = (pe.values.get(j), eps.values.get(j)) else {
            continue;
        };
        let computed = price_in.over(Interval::of(e));
        if !computed.is_bounded() || computed.overlaps(Interval::of(stated)) {
            continue;
        }
        let show = |x: f64| match Decimal::from_f64(x, stated.amount.exp.min(-1) - 1) {
            Some(d) => format::figure(
                &Figure::derived(d, Notation::Multiple),
                &Kind::Multiple,
                lang,
                None,
            ),
            None => format!("{x}"),
        };
        let fx = match conv {
            Conversion::Same => String::new(),
            Conversion::Times(r) => format!(" × {}", r.text),
            Conversion::Over(r) => format!(" ÷ {}", r.text),
        };
        out.push(warn(
            doc,
            "TS0341",
            &format!("forecasts.rows.pe.values[{j}]"),
            format!(
                "P/E for {period} is stated as {}, but price {}{fx} / EPS {} = {} ({} given the stated precision)",
                format::figure(stated, &Kind::Multiple, lang, None),
                money(&price.value, &price.currency),
                money(e, currency),
                show(computed.mid()),
                bounds_text(computed, show)
            ),
        ).help("correct the P/E or the EPS: a P/E is measured at the brief's `price`, over the EPS of its column"));
    }
}
