//! Consistency checks: the deliberately inconsistent fixture site (every
//! relation and lint, snapshot of `check` text and JSON), and property
//! tests — figures computed from exact numbers and rounded to any
//! precision are never flagged; a figure moved beyond its interval always
//! is.

mod common;

use common::{fixed, fixture, tearsheet, warning_codes};
use proptest::prelude::*;
use tearsheet::testing::consistency;
use tearsheet::testing::model::page::Page;
use tearsheet::testing::Document;
use tearsheet::testing::SiteConfig;

#[test]
fn inconsistent_fixture_text() {
    let root = fixture("inconsistent");
    let run = tearsheet(&["check", "--root", root.to_str().unwrap()], None);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn inconsistent_fixture_json() {
    let root = fixture("inconsistent");
    let run = tearsheet(
        &[
            "check",
            "--format",
            "json",
            "--root",
            root.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn warnings_pass_check_with_allow_warnings_and_build_unless_denied() {
    let root = fixture("inconsistent");
    let root = root.to_str().unwrap();
    assert_eq!(
        tearsheet(&["check", "--allow-warnings", "--root", root], None).code,
        0
    );
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let run = tearsheet(
        &["build", "--root", root, "--output", out.to_str().unwrap()],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("14 warnings"), "{}", run.stderr);
    // The restated prior is flagged on the later brief.
    let page = std::fs::read_to_string(out.join("briefs/2025q2-acme/index.html")).unwrap();
    assert!(page.contains("⚠ 重述，原为 100亿元"), "no restatement flag");
    std::fs::remove_dir_all(&out).unwrap();
    let run = tearsheet(
        &[
            "build",
            "--deny-warnings",
            "--root",
            root,
            "--output",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 1);
    assert!(!out.exists());
}

#[test]
fn the_example_site_passes_check_with_no_warnings() {
    let run = tearsheet(&["check", "--root", env!("CARGO_MANIFEST_DIR")], None);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

fn site() -> SiteConfig {
    SiteConfig::load(std::path::Path::new("/nonexistent"), None).unwrap()
}

/// The warning codes `check` gives a brief with these metrics.
fn codes(metrics: &str, extra: &str) -> Vec<&'static str> {
    warning_codes(&format!("{extra}metrics:\n{metrics}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn rounded_exact_figures_are_never_flagged(
        prior in 1.0f64..5000.0, growth in -0.9f64..3.0, dv in 0usize..3, dp in 0usize..3, dg in 0usize..3,
        margin in 0.01f64..0.6, dm in 0usize..3, price in 1.0f64..500.0, upside in -0.5f64..1.0,
    ) {
        let value = prior * (1.0 + growth);
        let profit = value * margin;
        let metrics = format!(
            "  revenue: {{ label: R, value: {}亿, prior: {}亿, yoy: \"{}%\" }}\n  profit: {{ label: P, value: {}亿 }}\n  margin: {{ label: M, value: \"{}%\", check: profit / revenue }}\n",
            fixed(value, dv), fixed(prior, dp), fixed(growth * 100.0, dg), fixed(profit, dv + 1), fixed(margin * 100.0, dm),
        );
        let target = price * (1.0 + upside);
        let extra = format!("target_price: {{ value: {}, price: {}, upside: \"{}%\" }}\n", fixed(target, 2), fixed(price, 2), fixed(upside * 100.0, dg));
        let found = codes(&metrics, &extra);
        prop_assert!(found.is_empty(), "{:?}\n{}\n{}", found, metrics, extra);
    }

    #[test]
    fn a_growth_beyond_its_interval_is_always_flagged(
        prior in 1.0f64..5000.0, growth in -0.9f64..3.0, dv in 0usize..3, dg in 0usize..3, sign in prop::bool::ANY,
    ) {
        let value = prior * (1.0 + growth);
        let v = fixed(value, dv);
        let p = fixed(prior, dv);
        // The widest growth the rounded figures allow, then one step more.
        let (vf, pf): (f64, f64) = (v.parse().unwrap(), p.parse().unwrap());
        let h = 0.5 * 10f64.powi(-(dv as i32));
        let (lo, hi) = ((vf - h) / (pf + h) - 1.0, (vf + h) / (pf - h) - 1.0);
        let step = 10f64.powi(-(dg as i32)) / 100.0;
        let wrong = if sign { hi + 1.5 * step } else { lo - 1.5 * step };
        // Both intervals positive (a value that may be zero or negative
        // allows growths the bounds above do not describe).
        prop_assume!(pf - h > 0.0 && vf - h > 0.0);
        let metrics = format!("  revenue: {{ label: R, value: {v}亿, prior: {p}亿, yoy: \"{}%\" }}\n", fixed(wrong * 100.0, dg));
        let found = codes(&metrics, "");
        prop_assert_eq!(found, vec!["TS0301"], "{}", metrics);
    }
}

#[test]
fn a_gap_among_the_parts_of_a_total_is_not_added_up() {
    let metrics = "  revenue: { label: Revenue, value: 100亿 }\n";
    let chart = |last: &str| {
        format!("charts:\n  - id: mix\n    type: stacked\n    title: Mix\n    total: revenue\n    x: [2025Q1, 2025Q2]\n    series:\n      - {{ name: A, values: [50亿, 60亿] }}\n      - {{ name: B, values: [40亿, {last}] }}\n")
    };
    assert!(codes(metrics, &chart("40亿")).is_empty());
    assert_eq!(codes(metrics, &chart("10亿")), ["TS0305"]);
    // The last category's B is missing: its parts cannot be added up.
    assert!(codes(metrics, &chart("n.m.")).is_empty());
    assert!(codes(metrics, &chart("null")).is_empty());
}

#[test]
fn a_chart_total_naming_no_metric_suggests_the_closest() {
    let text = "---\ntitle: t\ndate: 2025-08-21\ncompany: c\nperiod: 2025Q2\nmetrics:\n  revenue: { label: r, value: 10亿 }\n  a: { label: a, value: 4亿 }\n  b: { label: b, value: 6亿 }\ncharts:\n  - { id: parts, type: donut, title: t, metrics: [a, b], total: revenu }\n---\n";
    let doc = Document::parse("content/b.md".into(), "b.md".into(), text.into()).unwrap();
    let v = Page::from_document(&doc, &site().defaults(), &Default::default())
        .unwrap_or_else(|e| panic!("{:?}", e[0].message));
    let found = consistency::brief(&doc, v.page.lang, v.figures.as_ref().unwrap());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "TS0305");
    assert_eq!(found[0].help.as_deref(), Some("did you mean `revenue`?"));
}
