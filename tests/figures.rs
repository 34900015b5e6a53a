//! Property tests of the figure reader and formatter: whatever an author
//! writes in any accepted form, displaying it in zh or en and reading the
//! display back gives the same value and never a coarser precision (the
//! same precision when the page's language is the author's notation).

use proptest::prelude::*;
use tearsheet::testing::model::figure::{Decimal, Figure, Notation};
use tearsheet::testing::model::format;
use tearsheet::testing::model::lang::Lang;
use tearsheet::testing::model::metric::{Growth, Kind};

/// Exact comparison of two decimals.
fn same_value(a: Decimal, b: Decimal) -> bool {
    let e = a.exp.min(b.exp);
    let scale = |d: Decimal| d.mantissa * 10i128.pow((d.exp - e) as u32);
    scale(a) == scale(b)
}

fn author_text() -> impl Strategy<Value = String> {
    let suffix = prop::sample::select(vec!["亿", "万", "万亿", "bn", "B", "m", "k", "", "亿元"]);
    (1u64..100_000, 0usize..4, suffix, any::<bool>()).prop_map(|(n, decimals, suffix, negative)| {
        let digits = n.to_string();
        let text = if decimals == 0 {
            digits
        } else if digits.len() > decimals {
            format!(
                "{}.{}",
                &digits[..digits.len() - decimals],
                &digits[digits.len() - decimals..]
            )
        } else {
            format!("0.{digits:0>decimals$}")
        };
        format!("{}{text}{suffix}", if negative { "-" } else { "" })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn amounts_survive_display_in_both_languages(text in author_text()) {
        let f = Figure::parse(&text).unwrap();
        for lang in [Lang::Zh, Lang::En] {
            let shown = format::figure(&f, &Kind::Count { unit: String::new() }, lang, None);
            let back = Figure::parse(&shown).unwrap_or_else(|e| panic!("{text} shown as {shown}: {e}"));
            prop_assert!(same_value(f.amount, back.amount), "{} -> {} -> {:?}", text, shown, back.amount);
            prop_assert!(back.amount.exp <= f.amount.exp, "{} -> {} lost precision", text, shown);
            // Written in the page's own notation, it reads back exactly.
            let native = (lang == Lang::Zh && f.notation.is_chinese_magnitude()) || (lang == Lang::En && f.notation.is_english_magnitude());
            if native {
                prop_assert_eq!(back.amount.exp, f.amount.exp, "{} -> {}", text, shown);
            }
        }
    }

    #[test]
    fn percentages_survive_display(n in 0u64..100_000, decimals in 0usize..3, signed in prop::sample::select(vec!["", "+", "-"])) {
        let digits = n.to_string();
        let number = if decimals == 0 || digits.len() <= decimals { digits } else { format!("{}.{}", &digits[..digits.len() - decimals], &digits[digits.len() - decimals..]) };
        let text = format!("{signed}{number}%");
        let f = Figure::parse(&text).unwrap();
        prop_assert_eq!(f.notation, Notation::Percent);
        for lang in [Lang::Zh, Lang::En] {
            let shown = format::growth(&Growth::Rate(f.clone()), lang);
            let back = Figure::parse(&shown).unwrap();
            prop_assert!(same_value(f.amount, back.amount), "{} -> {}", text, shown);
            prop_assert_eq!(back.amount.exp, f.amount.exp, "{} -> {}", text, shown);
            if f.amount.mantissa > 0 { prop_assert!(shown.starts_with('+'), "{} -> {}", text, shown); }
        }
    }

    #[test]
    fn parsing_never_panics(s in "\\PC{0,24}") {
        let _ = Figure::parse(&s);
    }
}
