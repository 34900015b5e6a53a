//! Every class of author error has a fixture site under
//! tests/fixtures/errors/NAME and a test here asserting `tearsheet check`
//! exits 1 with the exact, located message (insta snapshots in
//! tests/snapshots/). A test is named for its fixture.

mod common;

use common::{fixture, tearsheet};

fn check(name: &str) -> String {
    let root = fixture(&format!("errors/{name}"));
    let run = tearsheet(
        &["check", "--root", root.to_str().expect("utf-8 path")],
        None,
    );
    assert_eq!(
        run.code, 1,
        "check should fail on {name}; stderr:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    build_keeps_previous_output(&root);
    run.stderr
}

/// `build` on a broken site exits 1 and leaves a previous output exactly
/// as it was (here: a build of the minimal fixture), with no staging
/// folder left behind.
fn build_keeps_previous_output(root: &std::path::Path) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let out_s = out.to_str().expect("utf-8");
    let minimal = fixture("minimal");
    let good = tearsheet(
        &[
            "build",
            "--root",
            minimal.to_str().expect("utf-8"),
            "--output",
            out_s,
        ],
        None,
    );
    assert_eq!(good.code, 0, "{}", good.stderr);
    let before = common::tree(&out);
    let bad = tearsheet(
        &[
            "build",
            "--root",
            root.to_str().expect("utf-8"),
            "--output",
            out_s,
        ],
        None,
    );
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(!bad.stderr.contains("panicked"), "{}", bad.stderr);
    assert_eq!(common::tree(&out), before, "the previous output changed");
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "left behind: {left:?}");
}

macro_rules! error_fixture {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(check(stringify!($name)));
        }
    )*};
}

error_fixture!(
    consensus_without_value,
    guidance_before_period,
    surprise_in_percent_on_ratio,
    range_one_end,
    range_units,
    range_reversed,
    spread_missing,
    spread_ambiguous,
    company_without_name,
    company_without_tickers,
    company_bad_fiscal_year_end,
    company_ticker_claimed_twice,
    company_contradicted,
    company_history_bad_cell,
    company_history_unit,
    chart_from_unknown_key,
    cards_unknown_metric,
    history_without_company,
    bad_figure,
    unquoted_gt,
    unknown_key,
    unknown_metric_key,
    missing_title,
    missing_date,
    missing_period,
    impossible_date,
    bad_period,
    unclosed_front_matter,
    bad_slug,
    duplicate_url,
    metric_without_value,
    money_with_percent,
    check_syntax,
    check_unknown_metric,
    chart_unknown_metric,
    chart_duplicate_id,
    chart_bad_type,
    chart_bad_id,
    chart_series_length,
    chart_mixed_units,
    chart_mixed_series,
    donut_negative,
    donut_gap,
    all_gap_series,
    compare_without_prior,
    body_unknown_metric,
    body_unknown_chart,
    body_bad_show,
    nan_figure,
    duplicate_metric,
    wrong_type,
    not_utf8,
    template_syntax,
    template_runtime,
    site_yaml_unknown_key,
    site_yaml_unknown_string,
    site_yaml_disclaimer_language,
    many_errors,
    too_many_metrics,
    inf_figure,
    empty_series,
    zero_donut,
    alias_bomb,
    tag_collision,
);

#[test]
fn check_json_lists_every_diagnostic() {
    let root = fixture("errors/many_errors");
    let run = tearsheet(
        &[
            "check",
            "--format",
            "json",
            "--root",
            root.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let diags = v["diagnostics"].as_array().expect("array");
    assert_eq!(diags.len(), 3, "{}", run.stdout);
    assert_eq!(diags[0]["file"], "content/briefs/a.md");
    assert_eq!(diags[0]["severity"], "error");
    assert!(diags[0]["line"].as_u64().is_some());
}

// Several houses, the price, the forecast table.
error_fixture!(
    ratings_without_by,
    forecast_row_length,
    forecast_row_without_label,
    price_without_date,
    price_given_twice,
    fx_bad_pair,
    houses_unknown_field,
    forecast_unknown_field,
);
