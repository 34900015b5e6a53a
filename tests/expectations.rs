//! Results notes (FORMAT.md part 2, "New metric fields" and "Ranges"):
//! consensus with a signed surprise and its verdict, the guide an actual
//! is held to, guidance for a later period shown as a guide (never as a
//! reported figure), and planted mistakes each reported once.

mod common;

use common::{fixture, read, tearsheet};

fn built() -> (tempfile::TempDir, std::path::PathBuf) {
    common::built("results")
}

/// The text of the element with `id="{id}"` up to its closing `</li>`
/// or `</tr>`.
fn element<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let len = html[start..].find(end).expect("closed");
    &html[start..start + len]
}

#[test]
fn a_results_brief_checks_clean_with_no_false_alarm() {
    let root = fixture("results");
    let run = tearsheet(&["check", "--root", root.to_str().expect("utf-8")], None);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
}

#[test]
fn cards_show_consensus_with_a_signed_surprise_and_the_verdict() {
    let (_out, public) = built();
    let page = read(&public.join("briefs/fy2026q2-orbit/index.html"));
    let revenue = element(&page, "fig-revenue", "</li>");
    for want in [
        "$46.05bn",
        "+1.5%</span> <strong class=\"verdict beat\">beat</strong>",
        "$45.0bn ± 2%</span> <strong class=\"verdict above_guidance\">above guidance</strong>",
        "Guidance · Q3 FY2026 (Aug–Oct 2025)</span><br>",
        "<span class=\"num guide\">$54.0bn ± 2%</span>",
    ] {
        assert!(
            revenue.contains(want),
            "revenue card lacks {want:?}:\n{revenue}"
        );
    }
    // A ratio: the surprise and the change are in points, never in %.
    let margin = element(&page, "fig-gross_margin", "</li>");
    for want in [
        "+0.3pp</span> <strong class=\"verdict beat\">beat</strong>",
        "71.5%–72.5%</span> <strong class=\"verdict above_guidance\">",
        "-2.4pp",
        "73.5% ± 50bp",
    ] {
        assert!(
            margin.contains(want),
            "margin card lacks {want:?}:\n{margin}"
        );
    }
    assert!(!margin.contains("-3.2%"), "a relative change of a ratio");
    // −0.5% against consensus is within the 1% band.
    let dc = element(&page, "fig-data_center", "</li>");
    assert!(
        dc.contains("-0.5%") && dc.contains("verdict in_line\">in line"),
        "{dc}"
    );
    let eps = element(&page, "fig-eps", "</li>");
    assert!(eps.contains("+4.0%") && eps.contains("beat"), "{eps}");
}

#[test]
fn the_metric_table_and_the_body_say_the_same() {
    let (_out, public) = built();
    let page = read(&public.join("briefs/fy2026q2-orbit/index.html"));
    let row = element(&page, "metric-revenue", "</tr>");
    assert!(row.contains("$46.05bn<br>"), "{row}");
    assert!(row.contains("verdict beat\">beat"), "{row}");
    assert!(
        row.contains("verdict above_guidance\">above guidance"),
        "{row}"
    );
    assert!(
        row.contains("<span class=\"guide\">$54.0bn ± 2%</span><br><span class=\"expect-label\">Q3 FY2026 (Aug–Oct 2025)</span>"),
        "{row}"
    );
    for want in [
        "<span class=\"chg up\">+1.5% (beat)</span>",
        "<span class=\"fig\">$46.05bn</span>",
        "<span class=\"verdict above_guidance\">$45.0bn ± 2% (above guidance)</span>",
        "<span class=\"fig guide\">$54.0bn ± 2%</span>",
    ] {
        assert!(page.contains(want), "body lacks {want:?}");
    }
    // The guidance block names each guide's period.
    let block = &page[page.find("class=\"guidance\"").expect("a guidance block")..];
    let block = &block[..block.find("</section>").expect("closed")];
    assert!(block.contains("Q3 FY2026 (Aug–Oct 2025)") && block.contains("73.5% ± 50bp"));
}

#[test]
fn a_chinese_brief_says_its_verdicts_in_chinese() {
    let (_out, public) = built();
    let page = read(&public.join("briefs/fy2026q2-orbit-zh/index.html"));
    let revenue = element(&page, "fig-revenue", "</li>");
    assert!(
        revenue.contains("4,605亿美元") || revenue.contains("460.5亿美元"),
        "{revenue}"
    );
    assert!(
        revenue.contains(">超预期<") && revenue.contains(">高于指引<"),
        "{revenue}"
    );
    assert!(revenue.contains("540亿美元 ± 2%"), "{revenue}");
    let margin = element(&page, "fig-gross_margin", "</li>");
    assert!(
        margin.contains("-0.1pp") && margin.contains(">符合预期<"),
        "{margin}"
    );
    assert!(page.contains("<span class=\"chg up\">+1.5%（超预期）</span>"));
}

#[test]
fn planted_mistakes_are_each_reported_once_with_both_numbers_and_the_line() {
    let root = fixture("results_planted");
    let run = tearsheet(&["check", "--root", root.to_str().expect("utf-8")], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr.matches("TS0307").count(), 1, "{}", run.stderr);
    // A ratio's yoy in %, once with a stated prior: told once that it is
    // in the wrong unit, never checked as a relative change of the ratio
    // (40.0% / 38.0% − 1 = +5.3%, TS0301).
    assert_eq!(run.stderr.matches("TS0312").count(), 2, "{}", run.stderr);
    assert_eq!(run.stderr.matches("TS0301").count(), 0, "{}", run.stderr);
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn the_inline_band_is_the_sites_to_set() {
    let site = common::copy_fixture("results");
    std::fs::write(
        site.path().join("site.yaml"),
        "inline_band: { amount: 2%, ratio: 0.5pp }\n",
    )
    .expect("write site.yaml");
    let out = site.path().join("public");
    let run = tearsheet(
        &[
            "build",
            "--root",
            site.path().to_str().expect("utf-8"),
            "--output",
            out.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(&out.join("briefs/fy2026q2-orbit/index.html"));
    // +1.5% and +0.3pp are now within the band.
    let revenue = element(&page, "fig-revenue", "</li>");
    assert!(
        revenue.contains("+1.5%</span> <strong class=\"verdict in_line\">in line"),
        "{revenue}"
    );
    let margin = element(&page, "fig-gross_margin", "</li>");
    assert!(
        margin.contains("+0.3pp</span> <strong class=\"verdict in_line\">"),
        "{margin}"
    );
    // A band that is not one is refused, located, with the defaults in its help.
    std::fs::write(
        site.path().join("site.yaml"),
        "inline_band: { ratio: 2% }\n",
    )
    .expect("write");
    let run = tearsheet(
        &["check", "--root", site.path().to_str().expect("utf-8")],
        None,
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stderr);
}
