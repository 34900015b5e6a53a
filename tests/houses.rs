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
    let root = fixture("houses");
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let run = tearsheet(
        &[
            "build",
            "--deny-warnings",
            "--root",
            root.to_str().expect("utf-8"),
            "--output",
            out.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(
        (run.code, run.stderr.contains("warning")),
        (0, false),
        "{}",
        run.stderr
    );
    (tmp, out)
}

#[test]
fn a_brief_shows_the_dated_price_the_houses_and_the_forecast_table() {
    let (_tmp, out) = built();
    let page = std::fs::read_to_string(out.join("briefs/2025q2-acme/index.html")).expect("page");
    // The header's upside is worked out from the dated price, and says so.
    assert!(
        page.contains("<span class=\"arrow\" aria-hidden=\"true\">▲</span>+19.1%</span> <span class=\"upside-from\">from $180.45 (27 Aug 2025)</span>"),
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
