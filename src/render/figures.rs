//! How a metric reads on a page: its value, prior and growth as text, for
//! cards, tables, body functions and chart tables alike (all through
//! `model::format`).

use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::{Growth, Kind, Metric};
use crate::model::strings::{Key, Strings};

pub(crate) fn value(m: &Metric, lang: Lang) -> Option<String> {
    m.value
        .as_ref()
        .map(|f| format::figure(f, &m.kind, lang, m.decimals))
}

pub(crate) fn prior(m: &Metric, lang: Lang) -> Option<String> {
    m.prior
        .as_ref()
        .map(|p| format::figure(p.figure(), &m.kind, lang, m.decimals))
}

/// A growth as text and the name of its direction, or empty and `none`
/// where there is none: what a table's cell shows.
pub(crate) fn growth_cell(
    g: Option<&Growth>,
    lang: Lang,
    strings: &Strings,
) -> (String, &'static str) {
    g.map_or((String::new(), "none"), |g| {
        (growth_text(g, lang, strings), g.direction().as_str())
    })
}

/// Growth as text: a rate as `model::format` writes it; no rate (from a
/// zero or negative base) in the words of `strings` (`n.m.`, `扭亏`).
pub(crate) fn growth_text(g: &Growth, lang: Lang, strings: &Strings) -> String {
    let words = match g {
        Growth::NotMeaningful => Key::NotMeaningful,
        Growth::TurnedProfitable => Key::TurnedProfitable,
        Growth::TurnedLoss => Key::TurnedLoss,
        Growth::Rate(_) | Growth::Computed(_) => return format::growth(g, lang),
    };
    strings.get(lang, words).to_string()
}

/// Growth with its label (`key`: yoy or qoq, as `strings` names it), as
/// prose reads it: zh `同比 +13.1%`, en `+13.1% YoY`.
pub(crate) fn labelled_growth(g: &Growth, key: Key, lang: Lang, strings: &Strings) -> String {
    let label = strings.get(lang, key);
    let text = growth_text(g, lang, strings);
    // 扭亏 / turned profitable read on their own.
    if matches!(g, Growth::TurnedProfitable | Growth::TurnedLoss) {
        return text;
    }
    match lang {
        Lang::Zh => format!("{label} {text}"),
        Lang::En => format!("{text} {label}"),
    }
}

/// A money figure in a given currency (target prices).
pub(crate) fn money(f: &crate::model::figure::Figure, currency: &str, lang: Lang) -> String {
    format::figure(
        f,
        &Kind::Money {
            currency: currency.to_string(),
        },
        lang,
        None,
    )
}
