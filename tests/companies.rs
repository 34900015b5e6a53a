//! Companies as first-class (FORMAT.md part 2): company files joined by
//! ticker, fiscal periods shown with their calendar months and ordered by
//! calendar end, briefs checked against the company's history.csv.

mod common;

use common::{fixture, read, tearsheet};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    common::built("company")
}

#[test]
fn a_brief_that_agrees_with_its_history_has_no_warning() {
    let root = fixture("company");
    let run = tearsheet(&["check", "--root", root.to_str().expect("utf-8")], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn briefs_join_their_company_by_any_ticker_in_their_own_language() {
    let (_out, public) = built();
    let en = read(&public.join("briefs/fy2026q2-helix/index.html"));
    assert!(en.contains("Helix Semiconductors"), "no English name");
    let zh = read(&public.join("briefs/fy2026q1-helix/index.html"));
    assert!(zh.contains("螺旋半导体"), "no Chinese name on the zh brief");
    // Both briefs, one by each ticker, are on the page of the first.
    let company = read(&public.join("companies/hlx.demo/index.html"));
    assert!(company.contains("fy2026q2-helix") && company.contains("fy2026q1-helix"));
}

#[test]
fn a_brief_that_contradicts_its_history_is_warned_naming_both_files() {
    let root = fixture("company_disagrees");
    let run = tearsheet(&["check", "--root", root.to_str().expect("utf-8")], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn init_shows_a_company_file_and_new_writes_one_with_its_history_header() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    let run = tearsheet(
        &["init", site.to_str().expect("utf-8"), "--lang", "en"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let company = read(&site.join("content/companies/example.md"));
    assert!(company.contains("tickers: [TICK]"), "{company}");
    assert!(company.contains("fiscal_year_end:"), "{company}");
    // The example brief joins it; the site checks clean.
    assert_eq!(tearsheet(&["check"], Some(&site)).code, 0);
    // A second company file for the same briefs: its history header holds
    // their metric keys.
    std::fs::remove_file(site.join("content/companies/example.md")).expect("rm");
    let run = tearsheet(
        &[
            "new",
            "content/companies/tick.md",
            "--ticker",
            "TICK",
            "--lang",
            "en",
        ],
        Some(&site),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = read(&site.join("content/companies/tick/history.csv"));
    assert!(header.starts_with("period,"), "{header}");
    assert!(header.contains("revenue"), "{header}");
    let run = tearsheet(&["check"], Some(&site));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_fiscal_period_shows_its_calendar_months_on_its_page_and_card() {
    let (_out, public) = built();
    let page = read(&public.join("briefs/fy2026q2-helix/index.html"));
    assert!(
        page.contains("Q2 FY2026 (May–Jul 2025)"),
        "no fiscal label on the page"
    );
    let home = read(&public.join("index.html"));
    assert!(
        home.contains("Q2 FY2026 (May–Jul 2025)"),
        "no fiscal label on the card"
    );
    // The zh brief's card is in Chinese.
    assert!(
        home.contains("2026财年第一季度（2025年2–4月）"),
        "no zh label"
    );
}

#[test]
fn the_company_page_shows_its_file_and_a_trend_for_each_history_metric() {
    let (_out, public) = built();
    let page = read(&public.join("companies/hlx.demo/index.html"));
    assert!(page.contains("<h1 class=\"company-title\">Helix Semiconductors</h1>"));
    assert!(page.contains("HLX.DEMO · 0777.DEMO"), "no dual listing");
    assert!(
        page.contains("Fiscal year ends in January"),
        "no fiscal year"
    );
    assert!(
        page.contains("1 ADS (0777.DEMO) = 4 ordinary shares"),
        "no ADS ratio"
    );
    assert!(
        page.contains("a fictional chip designer"),
        "no introduction"
    );
    for key in ["revenue", "gross-margin", "data-center"] {
        assert!(
            page.contains(&format!("id=\"chart-trend-{key}\"")),
            "no trend of {key}"
        );
    }
    // The history's label for a key no brief defines; the label of the
    // one brief that states a key (never the bare key); estimates drawn
    // as such in the history's trends.
    assert!(page.contains("Data center revenue"));
    assert!(
        page.contains("<figcaption>Gross margin"),
        "gross margin's label"
    );
    assert!(!page.contains(">gross_margin"), "a bare key shown");
    let revenue = &page[page
        .find("id=\"chart-trend-revenue\"")
        .expect("revenue trend")..];
    assert!(
        revenue[..revenue.find("</figure>").expect("end")].contains("FY2026Q3E is an estimate.")
    );
}

#[test]
fn a_chart_drawn_from_the_history_shows_its_values() {
    let (_out, public) = built();
    let page = read(&public.join("briefs/fy2026q2-helix/index.html"));
    let chart = &page[page.find("id=\"chart-from-history\"").expect("the chart")..];
    let chart = &chart[..chart.find("</figure>").expect("its end")];
    for shown in ["$30.0bn", "$46.7bn", "$54.0bn", "FY2026Q3E"] {
        assert!(chart.contains(shown), "{shown} not in the chart:\n{chart}");
    }
    // The estimated quarter is drawn, tabled and described as one.
    assert_eq!(chart.matches("<sup>E</sup>").count(), 1, "{chart}");
    assert!(chart.contains("FY2026Q3E is an estimate."), "{chart}");
    // Growth a year back, the same fiscal quarter, to the precision the
    // figures support: 44.1 / 26.0 − 1 is +69.1% to +70.1%, 46.7 / 30.0 − 1
    // +55.2% to +56.1%: to 1%, never the false +69.6% and +55.7%.
    let growth = &page[page.find("id=\"chart-growth\"").expect("the growth chart")..];
    let growth = &growth[..growth.find("</figure>").expect("its end")];
    assert!(
        growth.contains("<td>70%</td>") && growth.contains("<td>56%</td>"),
        "{growth}"
    );
    assert!(
        !growth.contains("69.6%") && !growth.contains("55.7%"),
        "{growth}"
    );
}

#[test]
fn a_period_without_its_year_ago_value_is_a_gap_in_a_growth_chart() {
    let (_out, public) = built();
    let page = read(&public.join("briefs/fy2026q2-helix/index.html"));
    let growth = &page[page.find("id=\"chart-growth\"").expect("the growth chart")..];
    let growth = &growth[..growth.find("</figure>").expect("its end")];
    // The history starts at FY2025Q1: FY2025Q2 has no year-ago quarter.
    // It is a gap, not a zero: no bar, n.m. in the table, named as missing.
    assert!(
        growth.contains("<th scope=\"row\">FY2025Q2</th><td>n.m.</td>"),
        "{growth}"
    );
    assert!(growth.contains("No figure for FY2025Q2."), "{growth}");
    assert!(
        !growth.contains("FY2025Q2 · YoY"),
        "a bar for the gap:\n{growth}"
    );
    // Two bars in each drawing: the wide one's with their tooltips, the
    // narrow column's (a phone's, which nothing hovers) without.
    let narrow = growth.find("ts-narrow").expect("the narrow drawing");
    assert_eq!(growth[..narrow].matches(" · YoY: ").count(), 2, "{growth}");
    assert_eq!(
        growth[narrow..].matches("class=\"f1\"/>").count(),
        2,
        "{growth}"
    );
    assert!(!growth[narrow..].contains("<title>"), "{growth}");
    assert!(!growth.contains("0.0%"), "{growth}");
}

#[test]
fn a_ratios_growth_in_percent_is_not_held_against_the_history_as_a_relative_change() {
    let site = common::copy_fixture("company");
    let brief = site.path().join("content/briefs/fy2026q2-helix.md");
    let text = read(&brief).replace(
        "gross_margin: { label: Gross margin, value: 72.4% }",
        "gross_margin: { label: Gross margin, value: 72.4%, yoy: -2.7% }",
    );
    std::fs::write(&brief, text).expect("write the brief");
    let run = tearsheet(
        &["check", "--root", site.path().to_str().expect("utf-8")],
        None,
    );
    // Told once that it is in the wrong unit; never compared with the
    // history's 72.4% / 75.1% − 1 = −3.6% (a relative change of a ratio).
    assert_eq!(run.stderr.matches("TS0312").count(), 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("TS0330").count(), 0, "{}", run.stderr);
}
