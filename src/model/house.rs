//! The market around a brief: the dated share price upsides are measured
//! from (`price`), several houses' views (`ratings`), and the exchange
//! rates a brief states (`fx`). Validated here from the front matter into
//! typed values, each problem a located error with help; `check` and
//! `render` trust what is built here.
//!
//! One price per brief: the top-level `price` (with its date). The older
//! `target_price.price` still works as an undated price when there is no
//! `price`; giving both is an error (TS0255).

use crate::diagnostic::Diagnostic;
use crate::model::date::Date;
use crate::model::figure::{Figure, Notation};
use crate::model::metric::{is_currency_code, Growth};
use crate::model::source::Source as Document;

/// The share price upsides are measured from.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Price {
    pub value: Figure,
    pub currency: String,
    /// When it was taken; `None` only for the older, undated
    /// `target_price.price`.
    pub date: Option<Date>,
}

/// One house's view of the company.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct House {
    pub by: String,
    /// The rating as the house words it (`Overweight`, `跑赢行业`).
    pub rating: Option<String>,
    pub target: Option<Figure>,
    pub currency: String,
    /// The date of the view (the brief's date when it gives none).
    pub date: Option<Date>,
    pub previous_target: Option<Figure>,
}

/// `USD/CNY: 7.15`: one `base` is `rate` of `quote`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FxRate {
    pub base: String,
    pub quote: String,
    pub rate: Figure,
}

/// How to turn an amount in one currency into another with a stated
/// rate: multiply by it, or divide (the pair was written the other way).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Conversion<'a> {
    Same,
    Times(&'a Figure),
    Over(&'a Figure),
}

/// The way from `from` to `to` through the brief's rates, if there is
/// one (same currency, or a pair naming both).
pub fn conversion<'a>(fx: &'a [FxRate], from: &str, to: &str) -> Option<Conversion<'a>> {
    if from == to {
        return Some(Conversion::Same);
    }
    fx.iter().find_map(|r| {
        if r.base == from && r.quote == to {
            Some(Conversion::Times(&r.rate))
        } else if r.base == to && r.quote == from {
            Some(Conversion::Over(&r.rate))
        } else {
            None
        }
    })
}

/// The upside of `target` (in `currency`) from `price`, to 0.1%: targets
/// and prices are exact quotes, not rounded measurements. `None` when the
/// currencies differ or the price is not positive.
pub fn upside(target: &Figure, currency: &str, price: &Price) -> Option<Growth> {
    if currency != price.currency || price.value.amount.signum() <= 0 {
        return None;
    }
    match Growth::between(target.amount, price.value.amount) {
        g @ Growth::Computed(_) => Some(g),
        _ => None,
    }
}

/// A target's change from the house's previous target, to 0.1%.
pub fn target_change(house: &House) -> Option<Growth> {
    let (t, p) = (house.target.as_ref()?, house.previous_target.as_ref()?);
    match Growth::between(t.amount, p.amount) {
        g @ Growth::Computed(_) => Some(g),
        _ => None,
    }
}

/// The brief's price: `price` (its date required, TS0250), else the
/// older `target_price.price` (undated); both is TS0255. `currency` is
/// the brief's.
pub(crate) fn price(
    doc: &impl Document,
    currency: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<Price> {
    let fm = doc.front_matter();
    let legacy = fm
        .target_price
        .as_ref()
        .and_then(|t| Some((t.price.as_ref()?, t.currency.as_deref())));
    let Some(p) = &fm.price else {
        let (value, ccy) = legacy?;
        return Some(Price {
            value: value.clone(),
            currency: ccy.unwrap_or(currency).to_string(),
            date: None,
        });
    };
    if legacy.is_some() {
        errors.push(
            doc.error_at(
                "TS0255",
                "target_price.price",
                false,
                "the share price is given twice: in `price` and in `target_price.price`",
            )
            .help("remove `target_price.price`: the brief's dated `price` is the one every upside is measured from"),
        );
    }
    let currency = p.currency.clone().unwrap_or_else(|| currency.to_string());
    if !is_currency_code(&currency) {
        errors.push(
            doc.error_at(
                "TS0206",
                "price.currency",
                false,
                format!("`{currency}` is not a currency code"),
            )
            .help("write a three-letter code such as USD or HKD"),
        );
    }
    if !money_notation(p.value.notation) {
        errors.push(
            doc.error_at(
                "TS0205",
                "price.value",
                false,
                format!("`{}` cannot be a share price", p.value.text),
            )
            .help("write the price in the currency's units: `value: 180.45`"),
        );
    }
    if p.date.is_none() {
        errors.push(
            doc.error_at("TS0250", "price", true, "the share price has no date")
                .help(format!(
                    "a price is shown with the day it was taken: `price: {{ value: {}, date: 2025-08-27 }}`",
                    p.value.text
                )),
        );
    }
    Some(Price {
        value: p.value.clone(),
        currency,
        date: p.date,
    })
}

/// The houses' views of `ratings:`; a target's currency is the entry's,
/// else `currency` (the price's, else the brief's). Each entry needs `by`
/// and a rating or a target (TS0251).
pub(crate) fn houses(
    doc: &impl Document,
    currency: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<House> {
    let fm = doc.front_matter();
    let mut out = Vec::with_capacity(fm.ratings.len());
    for (i, h) in fm.ratings.iter().enumerate() {
        let at = format!("ratings[{i}]");
        let by = h.by.as_deref().map(str::trim).unwrap_or("");
        if by.is_empty() {
            errors.push(
                doc.error_at("TS0251", &at, false, format!("`ratings` entry {} does not say whose view it is", i + 1))
                    .help("add the house: `{ by: Morgan Stanley, value: Overweight, target: 206, date: 2025-08-28 }`"),
            );
            continue;
        }
        if h.value.is_none() && h.target.is_none() {
            errors.push(
                doc.error_at("TS0251", &at, false, format!("the view of {by} has neither a rating nor a target"))
                    .help("give its rating (`value: Overweight`), its target price (`target: 206`), or both"),
            );
            continue;
        }
        let ccy = h.currency.clone().unwrap_or_else(|| currency.to_string());
        if !is_currency_code(&ccy) {
            errors.push(
                doc.error_at(
                    "TS0206",
                    &format!("{at}.currency"),
                    false,
                    format!("`{ccy}` is not a currency code"),
                )
                .help("write a three-letter code such as USD or HKD"),
            );
        }
        for (field, f) in [
            ("target", &h.target),
            ("previous_target", &h.previous_target),
        ] {
            if let Some(f) = f.as_ref().filter(|f| !money_notation(f.notation)) {
                errors.push(
                    doc.error_at(
                        "TS0205",
                        &format!("{at}.{field}"),
                        false,
                        format!("`{}` cannot be a target price", f.text),
                    )
                    .help("write the price in the currency's units: `target: 206`"),
                );
            }
        }
        out.push(House {
            by: by.to_string(),
            rating: h.value.clone(),
            target: h.target.clone(),
            currency: ccy,
            date: h.date.or(fm.date),
            previous_target: h.previous_target.clone(),
        });
    }
    out
}

/// Whether a figure written so can be an amount of money.
fn money_notation(n: Notation) -> bool {
    !matches!(
        n,
        Notation::Percent | Notation::BasisPoints | Notation::PercentPoints | Notation::Multiple
    )
}

/// The brief's exchange rates (`fx: { USD/CNY: 7.15 }`): each pair two
/// currency codes `BASE/QUOTE`, each rate a positive plain number
/// (TS0254).
pub(crate) fn fx(doc: &impl Document, errors: &mut Vec<Diagnostic>) -> Vec<FxRate> {
    let Some(pairs) = &doc.front_matter().fx else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(pairs.0.len());
    for (pair, rate) in &pairs.0 {
        let at = format!("fx.{pair}");
        let parts = pair.split_once('/').filter(|(b, q)| {
            is_currency_code(b.trim()) && is_currency_code(q.trim()) && b.trim() != q.trim()
        });
        let Some((base, quote)) = parts else {
            errors.push(
                doc.error_at("TS0254", &at, true, format!("`{pair}` is not a currency pair"))
                    .help("write two different three-letter codes with a slash, BASE/QUOTE, meaning 1 BASE = rate QUOTE: `USD/CNY: 7.15`"),
            );
            continue;
        };
        if rate.notation != Notation::Plain || rate.amount.signum() <= 0 || !rate.is_exact() {
            errors.push(
                doc.error_at(
                    "TS0254",
                    &at,
                    false,
                    format!("`{}` is not an exchange rate", rate.text),
                )
                .help(format!(
                    "write how many {} one {} buys, a positive number: `{pair}: 7.15`",
                    quote.trim(),
                    base.trim()
                )),
            );
            continue;
        }
        out.push(FxRate {
            base: base.trim().to_string(),
            quote: quote.trim().to_string(),
            rate: rate.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(s: &str) -> Figure {
        Figure::parse(s).unwrap()
    }

    fn usd(v: &str) -> Price {
        Price {
            value: fig(v),
            currency: "USD".into(),
            date: Date::parse("2025-08-27").ok(),
        }
    }

    #[test]
    fn upside_is_to_a_tenth_of_a_percent_and_only_in_one_currency() {
        let p = usd("180.45");
        assert_eq!(
            upside(&fig("206"), "USD", &p),
            Some(Growth::Computed(crate::model::figure::Decimal::new(
                142, -3
            )))
        );
        assert_eq!(upside(&fig("206"), "HKD", &p), None);
        assert_eq!(upside(&fig("206"), "USD", &usd("0")), None);
    }

    #[test]
    fn a_pair_converts_both_ways() {
        let fx = vec![FxRate {
            base: "USD".into(),
            quote: "CNY".into(),
            rate: fig("7.15"),
        }];
        assert!(matches!(
            conversion(&fx, "USD", "CNY"),
            Some(Conversion::Times(_))
        ));
        assert!(matches!(
            conversion(&fx, "CNY", "USD"),
            Some(Conversion::Over(_))
        ));
        assert_eq!(conversion(&fx, "HKD", "HKD"), Some(Conversion::Same));
        assert_eq!(conversion(&fx, "HKD", "USD"), None);
    }
}
