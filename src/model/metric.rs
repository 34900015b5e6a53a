//! Metrics: a labelled figure of a known kind, with its growth and prior.
//!
//! `model::page` builds [`Metric`]s from the front matter (validating the
//! combination of fields), derives priors, and hands them to `check`
//! (consistency) and `render` (display). Here live the types and the rules
//! that need no location: which kind a unit makes, how growth reads, when a
//! prior can be derived.

use std::fmt;

use crate::model::figure::{Decimal, Figure, Notation};

/// What a figure measures.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    /// An amount of money in a currency (ISO code).
    Money { currency: String },
    /// A count of something (`人`, `users`, `orders`).
    Count { unit: String },
    /// A ratio: a margin, a share (shown in %).
    Ratio,
    /// A multiple (P/E, P/B: `7.6x`).
    Multiple,
}

impl Kind {
    /// Resolves a metric's kind from its `unit` and the notation of its
    /// value, per docs/format.md: a currency code makes money, another
    /// word a count, no unit a ratio for `%` values and money in the
    /// brief's currency otherwise.
    pub fn resolve(unit: Option<&str>, value: Option<&Figure>, default_currency: &str) -> Kind {
        match unit {
            Some(u) if is_currency_code(u) => Kind::Money {
                currency: u.to_string(),
            },
            Some("%") => Kind::Ratio,
            Some("x") => Kind::Multiple,
            Some(u) => Kind::Count {
                unit: u.to_string(),
            },
            None => match value.map(|f| f.notation) {
                Some(Notation::Percent | Notation::BasisPoints | Notation::PercentPoints) => {
                    Kind::Ratio
                }
                Some(Notation::Multiple) => Kind::Multiple,
                _ => Kind::Money {
                    currency: default_currency.to_string(),
                },
            },
        }
    }

    /// Two figures can share a chart axis when this is equal.
    pub fn axis_unit(&self) -> String {
        match self {
            Kind::Money { currency } => format!("money in {currency}"),
            Kind::Count { unit } if unit.is_empty() => "a count".into(),
            Kind::Count { unit } => format!("a count of {unit}"),
            Kind::Ratio => "%".into(),
            Kind::Multiple => "a multiple".into(),
        }
    }

    /// Whether a value written in `notation` can be of this kind.
    pub fn accepts(&self, notation: Notation) -> bool {
        match self {
            Kind::Money { .. } | Kind::Count { .. } => !matches!(
                notation,
                Notation::Percent
                    | Notation::BasisPoints
                    | Notation::PercentPoints
                    | Notation::Multiple
            ),
            Kind::Ratio => matches!(
                notation,
                Notation::Percent | Notation::Plain | Notation::BasisPoints
            ),
            Kind::Multiple => matches!(notation, Notation::Multiple | Notation::Plain),
        }
    }
}

/// ISO 4217-style: three capital letters.
pub fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// Growth against an earlier period.
/// (Serialized variant by variant for the build's memo of pages; read
/// from the author's text in front matter, see the `Deserialize` impl.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(remote = "Self")]
pub enum Growth {
    /// A stated rate: `13.1%`, `0.131`, `~120%`, or `1.2pp` for a ratio.
    Rate(Figure),
    /// A rate computed from a stated value and prior, to 0.1%.
    Computed(Decimal),
    /// Growth from a zero or negative base (n.m. / 不适用).
    NotMeaningful,
    /// From a loss (or zero) to a profit (扭亏).
    TurnedProfitable,
    /// From a profit to a loss (转亏).
    TurnedLoss,
}

/// Which way a change goes; rises and falls are coloured by `up_color`
/// and always also marked by sign and arrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Flat,
    None,
}

impl Direction {
    pub fn of(x: i128) -> Direction {
        match x.signum() {
            1 => Direction::Up,
            -1 => Direction::Down,
            _ => Direction::Flat,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Flat => "flat",
            Direction::None => "none",
        }
    }
}

impl Growth {
    pub fn direction(&self) -> Direction {
        match self {
            Growth::Rate(f) => Direction::of(f.amount.mantissa),
            Growth::Computed(d) => Direction::of(d.mantissa),
            Growth::NotMeaningful => Direction::None,
            Growth::TurnedProfitable => Direction::Up,
            Growth::TurnedLoss => Direction::Down,
        }
    }

    /// The rate as a fraction, when it is one.
    pub fn rate(&self) -> Option<f64> {
        match self {
            Growth::Rate(f)
                if !matches!(f.notation, Notation::BasisPoints | Notation::PercentPoints) =>
            {
                Some(f.value())
            }
            Growth::Computed(d) => Some(d.to_f64()),
            _ => None,
        }
    }

    /// The growth of an amount from stated `prior` to stated `value`,
    /// shown to the precision the two support: a rate never finer than
    /// 0.1% (coarser when their interval is wider, see
    /// [`supported_rate_exp`]), or a turn to profit or loss. `None` for
    /// a figure with a qualifier (`>`, `~`).
    pub fn of_amounts(value: &Figure, prior: &Figure) -> Option<Growth> {
        if !value.is_exact() || !prior.is_exact() {
            return None;
        }
        match Growth::between(value.amount, prior.amount) {
            Growth::Computed(_) => {
                let rate = value.value() / prior.value() - 1.0;
                let d = Decimal::from_f64(rate, supported_rate_exp(value, prior))?;
                Some(Growth::Computed(d))
            }
            other => Some(other),
        }
    }

    /// The change of a ratio from stated `prior` to stated `value`, in
    /// points, at the coarser of their precisions (`63.4%` against `61%`
    /// is `+2pp`: the two allow +1.85pp to +2.95pp). `None` for a figure
    /// with a qualifier.
    pub fn of_ratios(value: &Figure, prior: &Figure) -> Option<Growth> {
        if !value.is_exact() || !prior.is_exact() {
            return None;
        }
        let exp = value.amount.exp.max(prior.amount.exp);
        let d = Decimal::from_f64(value.value() - prior.value(), exp)?;
        Some(Growth::Rate(Figure::derived(d, Notation::PercentPoints)))
    }

    /// Growth between two stated figures; from a zero or negative base it
    /// is no percentage.
    pub fn between(value: Decimal, prior: Decimal) -> Growth {
        match (prior.signum(), value.signum()) {
            (p, v) if p <= 0 && v > 0 => Growth::TurnedProfitable,
            (p, v) if p > 0 && v < 0 => Growth::TurnedLoss,
            (p, _) if p <= 0 => Growth::NotMeaningful,
            _ => match Decimal::from_f64(value.to_f64() / prior.to_f64() - 1.0, -3) {
                Some(d) => Growth::Computed(d),
                None => Growth::NotMeaningful,
            },
        }
    }
}

impl serde::Serialize for Growth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Growth::serialize(self, s)
    }
}

impl<'de> serde::Deserialize<'de> for Growth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Growth, D::Error> {
        if !d.is_human_readable() {
            return Growth::deserialize(d);
        }
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Growth;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a growth rate such as 13.1%, -2.5% or 0.131")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Growth, E> {
                match s.trim() {
                    "n.m." | "nm" | "n.m" | "不适用" => return Ok(Growth::NotMeaningful),
                    "扭亏" | "扭亏为盈" | "turned profitable" => {
                        return Ok(Growth::TurnedProfitable)
                    }
                    "转亏" | "由盈转亏" | "turned to a loss" => {
                        return Ok(Growth::TurnedLoss)
                    }
                    _ => {}
                }
                let f = Figure::parse(s)
                    .map_err(|e| E::custom(format_args!("cannot read growth {s:?}: {e}")))?;
                match f.notation {
                    Notation::Percent | Notation::Plain | Notation::BasisPoints | Notation::PercentPoints => {
                        Ok(Growth::Rate(f))
                    }
                    _ => Err(E::custom(format_args!(
                        "growth {s:?} must be a percentage (13.1%), a fraction (0.131) or, for a ratio, pp or bp"
                    ))),
                }
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Growth, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Growth, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Growth, E> {
                self.visit_str(&v.to_string())
            }
        }
        d.deserialize_str(V)
    }
}

/// The figure a year earlier: stated by the author or derived from value
/// and yoy (and then shown as derived).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Prior {
    Stated(Figure),
    Derived(Figure),
}

impl Prior {
    pub fn figure(&self) -> &Figure {
        match self {
            Prior::Stated(f) | Prior::Derived(f) => f,
        }
    }

    pub fn is_derived(&self) -> bool {
        matches!(self, Prior::Derived(_))
    }
}

/// A validated metric.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Metric {
    pub key: String,
    pub label: String,
    pub kind: Kind,
    pub value: Option<Figure>,
    pub yoy: Option<Growth>,
    pub qoq: Option<Growth>,
    pub prior: Option<Prior>,
    pub check: Option<crate::model::expr::Expr>,
    pub decimals: Option<u8>,
    pub note: Option<String>,
    /// Consensus, guided and guidance, when the author gave any.
    pub expect: Option<Box<crate::model::expectation::Expectations>>,
}

impl Metric {
    /// Derives the prior from value and yoy when the author gave none and
    /// the rate allows it (exact figures, a positive value, growth above
    /// −100%). A ratio's prior comes from a pp/bp change.
    pub fn derive_prior(value: &Figure, yoy: &Growth, kind: &Kind) -> Option<Figure> {
        let Growth::Rate(rate) = yoy else { return None };
        if !value.is_exact() || !rate.is_exact() {
            return None;
        }
        let v = value.value();
        let (prior, exp) = match (kind, rate.notation) {
            (Kind::Ratio, Notation::BasisPoints | Notation::PercentPoints) => {
                (v - rate.value(), value.amount.exp)
            }
            (Kind::Ratio, _) => return None,
            (_, Notation::BasisPoints | Notation::PercentPoints) => return None,
            _ => {
                let g = rate.value();
                if v <= 0.0 || g <= -1.0 {
                    return None;
                }
                (v / (1.0 + g), supported_exp(value, rate))
            }
        };
        let amount = Decimal::from_f64(prior, exp)?;
        Some(Figure::derived(amount, value.notation))
    }

    /// The year-on-year growth to show: as stated, or computed from a
    /// stated prior. From a zero or negative base it is never a rate.
    pub fn shown_yoy(&self) -> Option<Growth> {
        if let Some(change) = self.change_in_points() {
            return Some(change);
        }
        if let (Some(v), Some(Prior::Stated(p))) = (&self.value, &self.prior) {
            let between = Growth::between(v.amount, p.amount);
            if p.amount.signum() <= 0 || self.yoy.is_none() {
                return Some(between);
            }
        }
        self.yoy.clone()
    }
}

/// The finest digit a prior derived as `value / (1 + rate)` can honestly
/// show: the value's own precision, or coarser when the interval the two
/// stated precisions allow is wider than a step of it (43.12bn at +76%
/// allows 24.43bn to 24.57bn: `24.5bn`, not `24.50bn`).
fn supported_exp(value: &Figure, rate: &Figure) -> i32 {
    let half = |f: &Figure| 0.5 * 10f64.powi(f.amount.exp);
    let (v, g) = (value.value(), rate.value());
    let lo = (v - half(value)) / (1.0 + g + half(rate));
    let hi = (v + half(value)) / (1.0 + g - half(rate));
    let spread = (hi - lo) / 2.0;
    if !spread.is_finite() || spread <= 0.0 {
        return value.amount.exp;
    }
    (spread.log10().ceil() as i32).max(value.amount.exp)
}

impl Metric {
    /// A ratio's change against its stated prior, in points, when no
    /// growth is stated: 46.0% against 44.0% is +2.0pp, never the +4.5%
    /// a relative change would show. Precise to the finer of the two.
    fn change_in_points(&self) -> Option<Growth> {
        let (Kind::Ratio, Some(v), Some(Prior::Stated(p)), None) =
            (&self.kind, &self.value, &self.prior, &self.yoy)
        else {
            return None;
        };
        if v.notation != Notation::Percent || p.notation != Notation::Percent {
            return None;
        }
        let exp = v.amount.exp.min(p.amount.exp);
        let d = Decimal::from_f64(v.value() - p.value(), exp)?;
        Some(Growth::Rate(Figure::derived(d, Notation::PercentPoints)))
    }
}

/// Which number of a metric a reference means: `revenue`, `revenue.yoy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    Value,
    Yoy,
    Qoq,
    Prior,
}

impl Field {
    pub fn name(self) -> &'static str {
        match self {
            Field::Value => "value",
            Field::Yoy => "yoy",
            Field::Qoq => "qoq",
            Field::Prior => "prior",
        }
    }
}

/// A reference to a metric's number, as charts and `metric()` write it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct MetricRef {
    pub key: String,
    pub field: Field,
}

impl MetricRef {
    /// `revenue`, `revenue.yoy`, `revenue.qoq`, `revenue.prior`.
    pub fn parse(s: &str) -> Result<MetricRef, String> {
        let (key, field) = match s.split_once('.') {
            None => (s, Field::Value),
            Some((k, "yoy")) => (k, Field::Yoy),
            Some((k, "qoq")) => (k, Field::Qoq),
            Some((k, "prior")) => (k, Field::Prior),
            Some((k, "value")) => (k, Field::Value),
            Some((_, f)) => {
                return Err(format!(
                    "`{f}` is not a field of a metric: use value, yoy, qoq or prior"
                ))
            }
        };
        if key.is_empty() {
            return Err("a metric reference needs a metric key".into());
        }
        Ok(MetricRef {
            key: key.to_string(),
            field,
        })
    }
}

impl fmt::Display for MetricRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.field {
            Field::Value => f.write_str(&self.key),
            other => write!(f, "{}.{}", self.key, other.name()),
        }
    }
}

/// The finest digit of `value / prior − 1` the two precisions support:
/// 0.1% at best, coarser when half the interval they allow is wider than
/// a step (2.99 → 4.50 allows +50.1% to +50.9%: `+51%`).
fn supported_rate_exp(value: &Figure, prior: &Figure) -> i32 {
    let (v, p) = (value.value(), prior.value());
    let (hv, hp) = (value.amount.half_step(), prior.amount.half_step());
    if p - hp <= 0.0 {
        return -3;
    }
    let half = ((v + hv) / (p - hp) - (v - hv) / (p + hp)) / 2.0;
    if !half.is_finite() || half <= 0.0 {
        return -3;
    }
    ((half.log10() - 1e-9).ceil() as i32).max(-3)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(s: &str) -> Figure {
        Figure::parse(s).unwrap()
    }

    fn ratio(value: &str, prior: &str) -> Metric {
        Metric {
            key: "gross_margin".into(),
            label: "Gross margin".into(),
            kind: Kind::Ratio,
            value: Some(fig(value)),
            yoy: None,
            qoq: None,
            prior: Some(Prior::Stated(fig(prior))),
            check: None,
            decimals: None,
            note: None,
            expect: None,
        }
    }

    #[test]
    fn a_ratios_change_is_in_points_never_a_relative_percent() {
        let shown = |m: Metric| match m.shown_yoy() {
            Some(Growth::Rate(f)) if f.notation == Notation::PercentPoints => f.amount,
            other => panic!("not a change in points: {other:?}"),
        };
        // 46.0% against 44.0%: +2.0pp (a relative change would say +4.5%).
        assert_eq!(shown(ratio("46.0%", "44.0%")), Decimal::new(20, -3));
        // Apple's 46.5% against 46.3%: +0.2pp; NVIDIA's 72.4% against 75.1%: −2.7pp.
        assert_eq!(shown(ratio("46.5%", "46.3%")), Decimal::new(2, -3));
        assert_eq!(shown(ratio("72.4%", "75.1%")), Decimal::new(-27, -3));
        // Precise to the finer of the two.
        assert_eq!(shown(ratio("46.25%", "44.0%")), Decimal::new(225, -4));
    }

    #[test]
    fn a_derived_prior_shows_only_the_digits_its_interval_supports() {
        let money = Kind::Money {
            currency: "USD".into(),
        };
        // 43.12bn at +76%: 24.43bn to 24.57bn, so 24.5bn (not 24.50bn).
        let p = Metric::derive_prior(&fig("43.12bn"), &Growth::Rate(fig("76%")), &money).unwrap();
        assert_eq!(p.amount, Decimal::new(245, 8));
        // A precise rate keeps the value's precision.
        let p =
            Metric::derive_prior(&fig("43.12bn"), &Growth::Rate(fig("76.00%")), &money).unwrap();
        assert_eq!(p.amount, Decimal::new(2450, 7));
    }

    #[test]
    fn derives_prior_at_the_values_precision() {
        let money = Kind::Money {
            currency: "CNY".into(),
        };
        let p = Metric::derive_prior(&fig("350亿"), &Growth::Rate(fig("13.1%")), &money).unwrap();
        assert_eq!(p.amount, Decimal::new(309, 8));
        let p = Metric::derive_prior(&fig("56亿"), &Growth::Rate(fig("20.1%")), &money).unwrap();
        assert_eq!(p.amount, Decimal::new(47, 8));
        let p =
            Metric::derive_prior(&fig("16.0%"), &Growth::Rate(fig("1.2pp")), &Kind::Ratio).unwrap();
        assert_eq!(p.amount, Decimal::new(148, -3));
    }

    #[test]
    fn no_prior_from_qualified_or_negative_or_minus_100() {
        let money = Kind::Money {
            currency: "CNY".into(),
        };
        assert!(Metric::derive_prior(&fig(">2.5亿"), &Growth::Rate(fig("10%")), &money).is_none());
        assert!(Metric::derive_prior(&fig("-2.5亿"), &Growth::Rate(fig("10%")), &money).is_none());
        assert!(Metric::derive_prior(&fig("2.5亿"), &Growth::Rate(fig("-100%")), &money).is_none());
        assert!(Metric::derive_prior(&fig("2.5亿"), &Growth::NotMeaningful, &money).is_none());
    }

    #[test]
    fn growth_from_zero_or_negative_base_is_no_rate() {
        let d = |s: &str| fig(s).amount;
        assert_eq!(
            Growth::between(d("3亿"), d("-1亿")),
            Growth::TurnedProfitable
        );
        assert_eq!(Growth::between(d("-3亿"), d("1亿")), Growth::TurnedLoss);
        assert_eq!(Growth::between(d("-3亿"), d("-1亿")), Growth::NotMeaningful);
        assert_eq!(Growth::between(d("3亿"), d("0")), Growth::TurnedProfitable);
        assert_eq!(
            Growth::between(d("120"), d("100")),
            Growth::Computed(Decimal::new(200, -3))
        );
    }

    #[test]
    fn metric_refs() {
        assert_eq!(MetricRef::parse("revenue.yoy").unwrap().field, Field::Yoy);
        assert_eq!(MetricRef::parse("revenue").unwrap().to_string(), "revenue");
        assert!(MetricRef::parse("revenue.growth").is_err());
    }
}
