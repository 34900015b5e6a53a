//! How a metric reads on a page: its value, prior and growth as text, for
//! cards, tables, body functions and chart tables alike (all through
//! `model::format`).

use crate::model::format;
use crate::model::lang::Lang;
use crate::model::metric::{Direction, Growth, Kind, Metric};
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

/// Growth text and direction: (`+13.1%`, Up).
pub(crate) fn growth(g: &Growth, lang: Lang) -> (String, Direction) {
    (format::growth(g, lang), g.direction())
}

/// Growth with its label (`key`: yoy or qoq, as `strings` names it), as
/// prose reads it: zh `同比 +13.1%`, en `+13.1% YoY`.
pub(crate) fn labelled_growth(g: &Growth, key: Key, lang: Lang, strings: &Strings) -> String {
    let label = strings.get(lang, key);
    let text = format::growth(g, lang);
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
