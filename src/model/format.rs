//! The one number formatter: pages, tables, cards, shortcodes and chart
//! axes all display figures through here.
//!
//! It keeps the author's precision (the place of the last stated digit,
//! see `model::figure::Decimal`) and writes figures the way an analyst of
//! the page's language would: zh `350亿元`, `1.34亿人`, `+13.1%`,
//! `超过2.5亿元`; en `RMB 35.0bn`, `134m`, `>RMB 250m`. All arithmetic is
//! on exact decimals, so no float noise reaches a page.

use std::borrow::Cow;

use crate::model::figure::{Decimal, Figure, Notation, Qualifier, Range};
use crate::model::lang::Lang;
use crate::model::metric::{Growth, Kind};
use crate::model::strings::Key;

/// Displays a figure of the given kind in `lang`. `decimals` overrides the
/// number of decimals shown in the chosen scale.
pub fn figure(fig: &Figure, kind: &Kind, lang: Lang, decimals: Option<u8>) -> String {
    if let Some(&range) = fig.range.as_deref() {
        return range_text(fig, range, kind, lang, decimals);
    }
    let q = qualifier(fig.qualifier, lang);
    match kind {
        Kind::Money { currency } => {
            let (num, scale) = magnitude(fig, lang, decimals);
            let negative = num.starts_with('-');
            let num = num.trim_start_matches('-');
            let sign = if negative { "-" } else { "" };
            match lang {
                Lang::Zh => concat(&[q, sign, num, scale, &currency_zh(currency)]),
                Lang::En => concat(&[q, sign, &currency_en(currency), num, scale]),
            }
        }
        Kind::Count { unit } => {
            let (num, scale) = magnitude(fig, lang, decimals);
            match lang {
                Lang::Zh if unit.is_ascii() && !unit.is_empty() => {
                    concat(&[q, &num, scale, " ", unit])
                }
                Lang::Zh => concat(&[q, &num, scale, unit]),
                Lang::En if unit.is_empty() || has_cjk(unit) => concat(&[q, &num, scale]),
                Lang::En => concat(&[q, &num, scale, " ", unit]),
            }
        }
        Kind::Ratio => concat(&[
            q,
            &ratio_text(fig.amount, fig.notation, lang, decimals, false),
        ]),
        Kind::Multiple => {
            let d = decimals.map(i32::from).unwrap_or((-fig.amount.exp).max(0));
            concat(&[q, &number(fig.amount, 0, d, lang), "x"])
        }
    }
}

/// A range as written, in the page's language: each end in full
/// (en `$53.0bn–$55.0bn`, zh `530亿美元–550亿美元`), or the centre with
/// its spread (en `$54.0bn ± 2%`, zh `540亿美元 ± 2%`, `73.5% ± 50bp`).
fn range_text(fig: &Figure, range: Range, kind: &Kind, lang: Lang, decimals: Option<u8>) -> String {
    let single =
        |amount, notation| figure(&Figure::derived(amount, notation), kind, lang, decimals);
    match range {
        Range::Between { low, high } => {
            concat(&[&single(low, fig.notation), "–", &single(high, fig.notation)])
        }
        Range::Relative { spread } => concat(&[
            &single(fig.amount, fig.notation),
            " ± ",
            &ratio_text(spread, Notation::Percent, lang, None, false),
        ]),
        Range::Absolute { spread, notation } => {
            let spread = match notation {
                Notation::BasisPoints | Notation::PercentPoints => {
                    ratio_text(spread, notation, lang, None, false)
                }
                _ => single(spread, notation),
            };
            concat(&[&single(fig.amount, fig.notation), " ± ", &spread])
        }
    }
}

/// A growth rate written as a range, each end signed: `+10%–+12%`.
fn growth_range(f: &Figure, lang: Lang) -> Option<String> {
    let (low, high) = f.ends()?;
    Some(concat(&[
        &ratio_text(low.amount, f.notation, lang, None, true),
        "–",
        &ratio_text(high.amount, f.notation, lang, None, true),
    ]))
}

/// Displays growth: `+13.1%`, `-2.5%`, `+1.2pp`, `n.m.` / `不适用`,
/// `turned profitable` / `扭亏`.
pub fn growth(g: &Growth, lang: Lang) -> String {
    match g {
        Growth::Rate(f) if f.range.is_some() => {
            growth_range(f, lang).unwrap_or_else(|| f.text.clone())
        }
        Growth::Rate(f) => concat(&[
            qualifier(f.qualifier, lang),
            &ratio_text(f.amount, f.notation, lang, None, true),
        ]),
        Growth::Computed(d) => ratio_text(*d, Notation::Percent, lang, None, true),
        // The built-in words; a page shows the site's (`strings:`),
        // through `render::figures::growth_text`.
        Growth::NotMeaningful => Key::NotMeaningful.default_text(lang).into(),
        Growth::TurnedProfitable => Key::TurnedProfitable.default_text(lang).into(),
        Growth::TurnedLoss => Key::TurnedLoss.default_text(lang).into(),
    }
}

/// A ratio (or a change of one) in %, bp or pp. `signed` puts a `+` on
/// rises.
fn ratio_text(
    amount: Decimal,
    notation: Notation,
    lang: Lang,
    decimals: Option<u8>,
    signed: bool,
) -> String {
    let (scale, suffix) = match notation {
        Notation::BasisPoints => (-4, "bp"),
        Notation::PercentPoints => (-2, "pp"),
        _ => (-2, "%"),
    };
    let d = decimals
        .map(i32::from)
        .unwrap_or((scale - amount.exp).max(0));
    let num = number(amount, scale, d, lang);
    let plus = if signed
        && amount.mantissa > 0
        && !num.starts_with('-')
        && !num.trim_start_matches(['0', '.']).is_empty()
    {
        "+"
    } else {
        ""
    };
    concat(&[plus, &num, suffix])
}

/// The parts, one after the other, in a string of their length (what
/// `format!` would give, without its machinery: figures are formatted for
/// every card, row, label and cell).
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        out.push_str(p);
    }
    out
}

/// The number and scale word of an amount: (`350`, `亿`), (`35.0`, `bn`).
/// A magnitude written in the page's own language family is kept as
/// written; otherwise the scale follows the size of the number.
fn magnitude(fig: &Figure, lang: Lang, decimals: Option<u8>) -> (String, &'static str) {
    let a = fig.amount;
    let (scale, word) = match lang {
        Lang::Zh if fig.notation.is_chinese_magnitude() => zh_scale_of(fig.notation),
        Lang::En if fig.notation.is_english_magnitude() => en_scale_of(fig.notation),
        Lang::Zh => zh_scale_for(a.to_f64().abs()),
        // Under a million English writes amounts in full (700,000),
        // unless that would claim digits the author did not state: 70.0万
        // is known to the thousand, so 700k.
        Lang::En => match en_scale_for(a.to_f64().abs()) {
            (0, _) if a.exp >= 3 || ends_in_four_zeros(a) => (3, "k"),
            s => s,
        },
    };
    let d = decimals.map(i32::from).unwrap_or((scale - a.exp).max(0));
    // A plain number stated to the unit reads better unscaled than as
    // 1.234567m: 1,234,567.
    if fig.notation == Notation::Plain && decimals.is_none() && d > 3 {
        let d0 = (-a.exp).max(0);
        return (number(a, 0, d0, lang), "");
    }
    (number(a, scale, d, lang), word)
}

/// Whether an amount stated to the unit or finer, written in full, ends
/// in 0000 — which a reader (and tearsheet) takes as rounded: 70,000.
fn ends_in_four_zeros(a: Decimal) -> bool {
    (0..3).contains(&a.exp)
        && a.mantissa != 0
        && (a.mantissa * 10i128.pow(a.exp as u32)) % 10_000 == 0
}

fn zh_scale_of(n: Notation) -> (i32, &'static str) {
    match n {
        Notation::Wan => (4, "万"),
        Notation::WanYi => (12, "万亿"),
        _ => (8, "亿"),
    }
}

fn en_scale_of(n: Notation) -> (i32, &'static str) {
    match n {
        Notation::Thousand => (3, "k"),
        Notation::Million => (6, "m"),
        Notation::Trillion => (12, "tn"),
        _ => (9, "bn"),
    }
}

/// The scale for an amount in Chinese, used for plain numbers, English
/// notations on a zh page, and chart axes.
pub fn zh_scale_for(v: f64) -> (i32, &'static str) {
    if v >= 1e12 {
        (12, "万亿")
    } else if v >= 1e8 {
        (8, "亿")
    } else if v >= 1e4 {
        (4, "万")
    } else {
        (0, "")
    }
}

/// The scale for an amount in English.
pub fn en_scale_for(v: f64) -> (i32, &'static str) {
    if v >= 1e12 {
        (12, "tn")
    } else if v >= 1e9 {
        (9, "bn")
    } else if v >= 1e6 {
        (6, "m")
    } else {
        (0, "")
    }
}

/// Writes `amount / 10^scale` with `d` decimals (rounded half away from
/// zero), grouping thousands with commas in English.
pub fn number(amount: Decimal, scale: i32, d: i32, lang: Lang) -> String {
    let r = amount.rounded_to(scale - d);
    // The digits of |mantissa|, written once into a buffer on the stack
    // (a number is formatted for every card, row, label and cell).
    let mut buf = [0u8; 40];
    let digits = digits(r.mantissa.unsigned_abs(), &mut buf);
    let d = d.max(0) as usize;
    let (int, frac) = if digits.len() > d {
        digits.split_at(digits.len() - d)
    } else {
        (&[][..], digits)
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + d + 3);
    if r.mantissa < 0 {
        out.push('-');
    }
    if int.is_empty() {
        out.push('0');
    }
    for (i, &c) in int.iter().enumerate() {
        if lang == Lang::En && i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(c));
    }
    if d > 0 {
        out.push('.');
        out.extend(std::iter::repeat_n('0', d - frac.len()));
        out.extend(frac.iter().map(|&c| char::from(c)));
    }
    out
}

/// Writes the integer `v` (chart coordinates, sparkline points).
pub fn push_int(out: &mut String, v: i64) {
    if (0..1000).contains(&v) {
        // Most coordinates.
        let v = v as u32;
        if v >= 100 {
            out.push(char::from(b'0' + (v / 100) as u8));
        }
        if v >= 10 {
            out.push(char::from(b'0' + (v / 10 % 10) as u8));
        }
        out.push(char::from(b'0' + (v % 10) as u8));
        return;
    }
    if v < 0 {
        out.push('-');
    }
    let mut buf = [0u8; 40];
    let digits = digits(u128::from(v.unsigned_abs()), &mut buf);
    out.extend(digits.iter().map(|&c| char::from(c)));
}

/// The decimal digits of `n`, written into the end of `buf` (ASCII).
pub fn digits(mut n: u128, buf: &mut [u8; 40]) -> &[u8] {
    let mut start = buf.len();
    loop {
        start -= 1;
        buf[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[start..]
}

fn qualifier(q: Qualifier, lang: Lang) -> &'static str {
    match (q, lang) {
        (Qualifier::Exact, _) => "",
        (Qualifier::Above, Lang::Zh) => "超过",
        (Qualifier::AtLeast, Lang::Zh) => "不低于",
        (Qualifier::Below, Lang::Zh) => "低于",
        (Qualifier::AtMost, Lang::Zh) => "不超过",
        (Qualifier::About, Lang::Zh) => "约",
        (Qualifier::Above, Lang::En) => ">",
        (Qualifier::AtLeast, Lang::En) => "≥",
        (Qualifier::Below, Lang::En) => "<",
        (Qualifier::AtMost, Lang::En) => "≤",
        (Qualifier::About, Lang::En) => "~",
    }
}

/// The currency after a Chinese amount: 350亿元, 89港元.
pub fn currency_zh(code: &str) -> Cow<'static, str> {
    match code {
        "CNY" | "RMB" => "元".into(),
        "HKD" => "港元".into(),
        "USD" => "美元".into(),
        "EUR" => "欧元".into(),
        "JPY" => "日元".into(),
        "GBP" => "英镑".into(),
        "SGD" => "新加坡元".into(),
        "TWD" => "新台币".into(),
        other => format!(" {other}").into(),
    }
}

/// The currency before an English amount: RMB 35.0bn, $46.7bn, HK$89.
pub fn currency_en(code: &str) -> Cow<'static, str> {
    match code {
        "CNY" | "RMB" => "RMB ".into(),
        "HKD" => "HK$".into(),
        "USD" => "$".into(),
        "EUR" => "€".into(),
        "GBP" => "£".into(),
        "SGD" => "S$".into(),
        "TWD" => "NT$".into(),
        other => format!("{other} ").into(),
    }
}

fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_show_as_written_in_the_pages_language() {
        let usd = Kind::Money {
            currency: "USD".into(),
        };
        let f = |s: &str, k: &Kind, lang| figure(&Figure::parse(s).unwrap(), k, lang, None);
        assert_eq!(f("54.0bn ± 2%", &usd, Lang::En), "$54.0bn ± 2%");
        assert_eq!(f("54.0bn ± 2%", &usd, Lang::Zh), "540亿美元 ± 2%");
        assert_eq!(f("53.0bn–55.0bn", &usd, Lang::En), "$53.0bn–$55.0bn");
        assert_eq!(f("53.0bn-55.0bn", &usd, Lang::Zh), "530亿美元–550亿美元");
        assert_eq!(f("46%–47%", &Kind::Ratio, Lang::En), "46%–47%");
        assert_eq!(f("46-47%", &Kind::Ratio, Lang::Zh), "46%–47%");
        assert_eq!(f("73.5% ± 50bp", &Kind::Ratio, Lang::En), "73.5% ± 50bp");
        assert_eq!(f("73.5% ± 0.5pp", &Kind::Ratio, Lang::En), "73.5% ± 0.5pp");
        let g = Growth::Rate(Figure::parse("10%–12%").unwrap());
        assert_eq!(growth(&g, Lang::En), "+10%–+12%");
    }

    /// `number` as first written (a String per step): the oracle for the
    /// one that writes once.
    fn number_as_written(amount: Decimal, scale: i32, d: i32, lang: Lang) -> String {
        let r = amount.rounded_to(scale - d);
        let digits = r.mantissa.unsigned_abs().to_string();
        let d = d.max(0) as usize;
        let (int, frac) = if digits.len() > d {
            digits.split_at(digits.len() - d)
        } else {
            ("", digits.as_str())
        };
        let int = if int.is_empty() {
            "0".to_string()
        } else {
            int.to_string()
        };
        let int = match lang {
            Lang::En => {
                let mut out = String::new();
                for (i, c) in int.chars().enumerate() {
                    if i > 0 && (int.len() - i).is_multiple_of(3) {
                        out.push(',');
                    }
                    out.push(c);
                }
                out
            }
            Lang::Zh => int,
        };
        let sign = if r.mantissa < 0 { "-" } else { "" };
        if d == 0 {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac:0>d$}")
        }
    }

    proptest::proptest! {
        #[test]
        fn number_writes_what_it_always_wrote(
            mantissa in -10_000_000_000_000i128..10_000_000_000_000i128,
            exp in -12i32..6,
            scale in -12i32..12,
            d in -2i32..6,
            en in proptest::bool::ANY,
        ) {
            let lang = if en { Lang::En } else { Lang::Zh };
            let amount = Decimal::new(mantissa, exp);
            proptest::prop_assert_eq!(
                number(amount, scale, d, lang),
                number_as_written(amount, scale, d, lang)
            );
        }
    }

    #[test]
    fn number_edges() {
        for (m, e, scale, d) in [
            (0, 0, 0, 0),
            (0, 0, 0, 2),
            (5, -3, 0, 2),
            (-5, -3, 0, 1),
            (i64::MAX as i128, 0, 0, 3),
            (-1234567, 0, 0, 0),
            (999, -1, 0, 0),
        ] {
            for lang in [Lang::En, Lang::Zh] {
                let a = Decimal::new(m, e);
                assert_eq!(
                    number(a, scale, d, lang),
                    number_as_written(a, scale, d, lang),
                    "{m}e{e} {scale} {d}"
                );
            }
        }
    }

    fn money(s: &str, ccy: &str, lang: Lang) -> String {
        let f = Figure::parse(s).unwrap();
        figure(
            &f,
            &Kind::Money {
                currency: ccy.into(),
            },
            lang,
            None,
        )
    }
    fn count(s: &str, unit: &str, lang: Lang) -> String {
        let f = Figure::parse(s).unwrap();
        figure(&f, &Kind::Count { unit: unit.into() }, lang, None)
    }
    fn ratio(s: &str, lang: Lang) -> String {
        figure(&Figure::parse(s).unwrap(), &Kind::Ratio, lang, None)
    }
    fn rate(s: &str, lang: Lang) -> String {
        growth(&Growth::Rate(Figure::parse(s).unwrap()), lang)
    }

    #[test]
    fn money_in_chinese() {
        assert_eq!(money("350亿", "CNY", Lang::Zh), "350亿元");
        assert_eq!(money("3,589亿", "CNY", Lang::Zh), "3589亿元");
        assert_eq!(money("2.5万亿", "CNY", Lang::Zh), "2.5万亿元");
        assert_eq!(money(">2.5亿", "CNY", Lang::Zh), "超过2.5亿元");
        assert_eq!(money("35.0bn", "CNY", Lang::Zh), "350亿元");
        assert_eq!(money("250m", "CNY", Lang::Zh), "2.50亿元");
        assert_eq!(money("89", "HKD", Lang::Zh), "89港元");
        assert_eq!(money("46.7bn", "USD", Lang::Zh), "467亿美元");
        assert_eq!(money("-2.5亿", "CNY", Lang::Zh), "-2.5亿元");
        assert_eq!(money("5000万", "CNY", Lang::Zh), "5000万元");
        assert_eq!(money("3.5e10", "CNY", Lang::Zh), "350亿元");
    }

    #[test]
    fn money_in_english() {
        assert_eq!(money("350亿", "CNY", Lang::En), "RMB 35.0bn");
        assert_eq!(money("3,589亿", "CNY", Lang::En), "RMB 358.9bn");
        assert_eq!(money("46.7bn", "USD", Lang::En), "$46.7bn");
        assert_eq!(money(">2.5亿", "CNY", Lang::En), ">RMB 250m");
        assert_eq!(money("89", "HKD", Lang::En), "HK$89");
        assert_eq!(money("1.2B", "USD", Lang::En), "$1.2bn");
        assert_eq!(money("-250m", "CNY", Lang::En), "-RMB 250m");
        assert_eq!(money("2.5万亿", "CNY", Lang::En), "RMB 2.5tn");
        assert_eq!(money("1234567", "EUR", Lang::En), "€1,234,567");
        assert_eq!(money("12k", "USD", Lang::En), "$12k");
    }

    #[test]
    fn counts_ratios_multiples() {
        assert_eq!(count("1.34亿", "人", Lang::Zh), "1.34亿人");
        assert_eq!(count("1.34亿", "人", Lang::En), "134m");
        assert_eq!(count("134m", "users", Lang::En), "134m users");
        assert_eq!(count("134m", "users", Lang::Zh), "1.34亿 users");
        // Written in full only when that claims no digit the author did
        // not state (a reader takes 700,000 as rounded to 100,000).
        assert_eq!(count("70.0万", "", Lang::En), "700k");
        assert_eq!(count("7.00万", "", Lang::En), "70.0k");
        assert_eq!(count("7.001万", "", Lang::En), "70,010");
        assert_eq!(count("350500", "", Lang::En), "350,500");
        assert_eq!(count("350000", "", Lang::En), "350k");
        assert_eq!(ratio("16.0%", Lang::Zh), "16.0%");
        assert_eq!(ratio(">32%", Lang::Zh), "超过32%");
        assert_eq!(ratio(">32%", Lang::En), ">32%");
        let pe = Figure::parse("7.6x").unwrap();
        assert_eq!(figure(&pe, &Kind::Multiple, Lang::En, None), "7.6x");
    }

    #[test]
    fn growth_is_signed_and_keeps_precision() {
        assert_eq!(rate("13.1%", Lang::Zh), "+13.1%");
        assert_eq!(rate("0.131", Lang::En), "+13.1%");
        assert_eq!(rate("-2.5%", Lang::En), "-2.5%");
        assert_eq!(rate("0.0%", Lang::En), "0.0%");
        assert_eq!(rate("~120%", Lang::Zh), "约+120%");
        assert_eq!(rate("~120%", Lang::En), "~+120%");
        assert_eq!(rate("1.2pp", Lang::En), "+1.2pp");
        assert_eq!(rate("-35bp", Lang::En), "-35bp");
        assert_eq!(growth(&Growth::NotMeaningful, Lang::Zh), "不适用");
        assert_eq!(
            growth(&Growth::TurnedProfitable, Lang::En),
            "turned profitable"
        );
        assert_eq!(growth(&Growth::TurnedLoss, Lang::Zh), "转亏");
    }

    #[test]
    fn decimals_override_rounds() {
        let f = Figure::parse("350.46亿").unwrap();
        let k = Kind::Money {
            currency: "CNY".into(),
        };
        assert_eq!(figure(&f, &k, Lang::Zh, Some(1)), "350.5亿元");
        assert_eq!(figure(&f, &k, Lang::Zh, Some(0)), "350亿元");
    }
}
