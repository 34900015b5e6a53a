//! Several houses, the price and the forecast table: a brief with a dated
//! price, three houses and a three-year forecast table builds clean and
//! shows them (tests/fixtures/houses); planted contradictions — a P/E that
//! price / EPS contradicts (also through `fx`), a stated growth the
//! amounts contradict — are each reported once, with both numbers and the
//! line (tests/fixtures/houses_planted).

mod common;

use common::{fixture, tearsheet};

/// The `<section class="NAME"` … `</section>` of `html`.
fn section<'a>(html: &'a str, class: &str) -> &'a str {
    let start = html
        .find(&format!("<section class=\"{class}\""))
        .unwrap_or_else(|| panic!("no section {class}"));
    let end = html[start..].find("</section>").expect("section end") + start;
    &html[start..end + "</section>".len()]
}

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    common::built("houses")
}

#[test]
fn a_brief_shows_the_dated_price_the_houses_and_the_forecast_table() {
    let (_tmp, out) = built();
    let page = std::fs::read_to_string(out.join("briefs/2025q2-acme/index.html")).expect("page");
    // The header's upside is worked out from the dated price, and says so.
    assert!(
        page.contains("<span class=\"chg up\">Upside <i></i>+19.1%</span> <span class=\"upside-from\">from $180.45 (27 Aug 2025)</span>"),
        "header upside"
    );
    insta::assert_snapshot!("houses_brief_table", section(&page, "houses"));
    insta::assert_snapshot!("houses_forecast_table", section(&page, "forecasts"));
}

#[test]
fn the_company_page_shows_each_houses_latest_view_and_the_mean_target() {
    let (_tmp, out) = built();
    let page = std::fs::read_to_string(out.join("companies/acme/index.html")).expect("page");
    insta::assert_snapshot!("houses_company", section(&page, "company-houses houses"));
}

#[test]
fn planted_contradictions_are_reported_once_with_both_numbers_and_the_line() {
    let root = fixture("houses_planted");
    let root = root.to_str().expect("utf-8");
    let run = tearsheet(&["check", "--root", root], None);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("houses_planted_text", run.stderr);
    let json = tearsheet(&["check", "--format", "json", "--root", root], None);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    let diags = v["diagnostics"].as_array().expect("array");
    let pe: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["code"] == "TS0341" && d["file"] == "content/briefs/2025q2-acme.md")
        .collect();
    assert_eq!(pe.len(), 1, "{}", json.stdout);
    assert_eq!(
        (pe[0]["line"].as_u64(), pe[0]["column"].as_u64()),
        (Some(16), Some(53))
    );
    let message = pe[0]["message"].as_str().expect("message");
    assert!(
        message.contains("50.1x") && message.contains("40.10x"),
        "{message}"
    );
    assert_eq!(pe[0]["severity"], "warning");
    // Through the brief's fx: HKD price, CNY EPS.
    assert!(diags.iter().any(|d| d["code"] == "TS0341"
        && d["file"] == "content/briefs/2025q2-beta.md"
        && d["message"].as_str().is_some_and(|m| m.contains("× 0.92"))));
    assert_eq!(diags.len(), 5, "{}", json.stdout);
}

mod rounding {
    use proptest::prelude::*;

    use crate::common::{fixed, warning_codes};

    /// The warning codes `check` gives a brief in USD with this front
    /// matter after its first lines.
    fn codes(extra: &str) -> Vec<&'static str> {
        warning_codes(&format!("currency: USD\n{extra}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Growth, margins, EPS and P/E computed from exact numbers and
        /// rounded to any precision are never flagged.
        #[test]
        fn rounded_forecasts_are_never_flagged(
            a0 in 1.0f64..5000.0, g1 in -0.9f64..3.0, g2 in -0.9f64..3.0, da in 0usize..3, dg in 0usize..3,
            m0 in 0.01f64..0.9, m1 in 0.01f64..0.9, dm in 0usize..3,
            price in 1.0f64..500.0, e0 in 0.05f64..50.0, e1 in 0.05f64..50.0, de in 1usize..4, dp in 0usize..3,
            rate in 0.1f64..10.0, fx in prop::bool::ANY,
        ) {
            let (a1, a2) = (a0 * (1.0 + g1), a0 * (1.0 + g1) * (1.0 + g2));
            // Rounded amounts, and the growth of the rounded amounts
            // rounded again (what an author computes from the table).
            let r = |x: f64, d: usize| -> f64 { fixed(x, d).parse().expect("number") };
            let (s0, s1, s2) = (r(a0, da), r(a1, da), r(a2, da));
            prop_assume!(s0 > 0.0 && s1 > 0.0 && s2 > 0.0);
            let growth = |v: f64, p: f64| fixed((v / p - 1.0) * 100.0, dg);
            let (eps_ccy, price_in) = if fx { ("CNY", price * r(rate, 2)) } else { ("USD", price) };
            let pe = |e: f64| fixed(price_in / r(e, de), dp);
            let extra = format!(
                "price: {{ value: {}, date: 2025-08-20 }}\nfx: {{ USD/CNY: {} }}\nforecasts:\n  periods: [FY2024, FY2025E, FY2026E]\n  rows:\n    revenue: {{ label: R, values: [{}bn, {}bn, {}bn] }}\n    revenue.yoy: {{ values: [n.m., \"{}%\", \"{}%\"] }}\n    margin: {{ label: M, values: [\"{}%\", \"{}%\", null] }}\n    margin.yoy: {{ values: [null, {}pp, n.m.] }}\n    eps: {{ label: E, values: [{}, {}, null], unit: {eps_ccy} }}\n    pe: {{ label: P/E, values: [{}x, {}x, n.m.] }}\n",
                fixed(price, 2), fixed(rate, 2),
                fixed(a0, da), fixed(a1, da), fixed(a2, da),
                growth(s1, s0), growth(s2, s1),
                fixed(m0 * 100.0, dm), fixed(m1 * 100.0, dm),
                fixed(r(m1 * 100.0, dm) - r(m0 * 100.0, dm), dm),
                fixed(e0, de), fixed(e1, de), pe(e0), pe(e1),
            );
            let found = codes(&extra);
            prop_assert!(found.is_empty(), "{:?}\n{}", found, extra);
        }

        /// A P/E beyond what price / EPS allows is always flagged, once.
        #[test]
        fn a_pe_beyond_its_interval_is_always_flagged(
            price in 1.0f64..500.0, eps in 0.05f64..50.0, de in 1usize..4, dp in 0usize..3, up in prop::bool::ANY,
        ) {
            let p = fixed(price, 2);
            let e = fixed(eps, de);
            let (pf, ef): (f64, f64) = (p.parse().expect("price"), e.parse().expect("eps"));
            let (hp, he) = (0.005, 0.5 * 10f64.powi(-(de as i32)));
            prop_assume!(ef - he > 0.0);
            let (lo, hi) = ((pf - hp) / (ef + he), (pf + hp) / (ef - he));
            let step = 10f64.powi(-(dp as i32));
            let wrong = if up { hi + 1.5 * step } else { lo - 1.5 * step };
            prop_assume!(wrong > 0.0);
            let extra = format!(
                "price: {{ value: {p}, date: 2025-08-20 }}\nforecasts:\n  periods: [FY2025E]\n  rows:\n    eps: {{ label: E, values: [{e}], unit: USD }}\n    pe: {{ label: P/E, values: [{}x] }}\n",
                fixed(wrong, dp)
            );
            prop_assert_eq!(codes(&extra), vec!["TS0341"], "{}", extra);
        }
    }
}
