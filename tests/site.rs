//! The whole site as a reader and a crawler meet it: every internal link
//! and fragment resolves, the feed and sitemap parse and point at real
//! files, listings paginate, tags and companies get their pages, and the
//! search index holds every brief.

mod common;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_has_all, assert_has_none, fixture, tearsheet};

fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let run = tearsheet(
        &[
            "build",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.path().join("site").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Resolves a relative link from the page at `page` (a file) to a file.
fn resolve(site: &Path, page: &Path, href: &str) -> PathBuf {
    let mut p = page.parent().unwrap().to_path_buf();
    for part in percent_decode(href).split('/') {
        match part {
            "" | "." => {}
            ".." => {
                p.pop();
            }
            other => p.push(other),
        }
    }
    assert!(
        p.starts_with(site),
        "{href} from {} leaves the site",
        page.display()
    );
    if p.is_dir() {
        p.join("index.html")
    } else {
        p
    }
}

#[test]
fn every_internal_link_and_fragment_resolves() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = out.path().join("site");
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    for p in &pages {
        let html = fs::read_to_string(p).unwrap();
        ids.insert(
            p.clone(),
            attr_values(&html, "id")
                .into_iter()
                .map(str::to_string)
                .collect(),
        );
    }
    let mut checked = 0;
    for page in &pages {
        if page.ends_with("404.html") {
            continue; // its links are absolute on the site's path
        }
        let html = fs::read_to_string(page).unwrap();
        for href in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if href.starts_with("http://")
                || href.starts_with("https://")
                || href.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !href.starts_with('/'),
                "{}: root-absolute link {href} breaks under a sub-path",
                page.display()
            );
            let (path, fragment) = href.split_once('#').unwrap_or((href, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                resolve(&site, page, path)
            };
            assert!(
                target.exists(),
                "{}: {href} -> {} does not exist",
                page.display(),
                target.display()
            );
            if !fragment.is_empty() {
                let known = ids
                    .get(&target)
                    .map(|s| s.contains(&percent_decode(fragment)))
                    .unwrap_or(false);
                assert!(
                    known,
                    "{}: {href}: no element with id {fragment}",
                    page.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 200, "only {checked} links checked");
}

#[test]
fn feed_and_sitemap_parse_and_point_at_pages() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = out.path().join("site");
    let feed = fs::read_to_string(site.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).expect("atom.xml is XML");
    let root = doc.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), 18); // 15 example briefs and the three chart galleries
    for e in &entries {
        for child in ["title", "id", "updated", "summary", "link"] {
            assert!(
                e.children().any(|n| n.has_tag_name(child)),
                "entry lacks {child}"
            );
        }
    }
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is XML");
    let base = "https://example.org/tearsheet/";
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert!(locs.len() > 25, "{}", locs.len());
    for loc in &locs {
        let rel = loc
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{loc} not under base_url"));
        let file = site.join(percent_decode(rel)).join("index.html");
        assert!(file.exists(), "{loc} -> {} missing", file.display());
    }
    let robots = fs::read_to_string(site.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/tearsheet/sitemap.xml"));
}

#[test]
fn listings_paginate_newest_first() {
    let out = build(&fixture("paged"));
    let site = out.path().join("site");
    let first = fs::read_to_string(site.join("index.html")).unwrap();
    let second = fs::read_to_string(site.join("page/2/index.html")).unwrap();
    let third = fs::read_to_string(site.join("page/3/index.html")).unwrap();
    assert!(!site.join("page/4").exists());
    assert!(first.find("Brief 5").unwrap() < first.find("Brief 4").unwrap());
    assert!(!first.contains("Brief 3"));
    assert!(second.contains("Brief 3") && second.contains("Brief 2"));
    assert!(third.contains("Brief 1"));
    assert!(
        second.contains("href=\"../../\""),
        "page 2 links back to the first"
    );
    assert!(second.contains("href=\"../../page/3/\""));
    assert!(second.contains("<title>Paged (2/3)</title>"));
}

#[test]
fn companies_and_tags_have_pages() {
    let out = build(&fixture("paged"));
    let site = out.path().join("site");
    for p in [
        "companies/index.html",
        "companies/c1/index.html",
        "tags/index.html",
        "tags/t0/index.html",
        "tags/t1/index.html",
    ] {
        assert!(site.join(p).exists(), "{p}");
    }
    // t1 has briefs 5, 3 and 1; per_page is 2: tag pages are paged like
    // the home page.
    let t1 = fs::read_to_string(site.join("tags/t1/index.html")).unwrap();
    assert!(t1.contains("Brief 5") && t1.contains("Brief 3") && !t1.contains("Brief 1"));
    assert!(!t1.contains("Brief 2"));
    assert!(t1.contains(r#"<a href="../../tags/t1/page/2/" rel="next">"#));
    assert!(t1.contains("Page 1 of 2"));
    let t1p2 = fs::read_to_string(site.join("tags/t1/page/2/index.html")).unwrap();
    assert!(t1p2.contains("Brief 1") && !t1p2.contains("Brief 3"));
    assert!(t1p2.contains(r#"<a href="../../../../tags/t1/" rel="prev">"#));
    assert!(t1p2.contains("3 briefs"));
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/tags/t1/page/2/"));
}

#[test]
fn cjk_tags_keep_their_characters_and_links_are_encoded() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = out.path().join("site");
    assert!(site.join("tags/电商/index.html").exists());
    let brief = fs::read_to_string(site.join("briefs/2025q2-kuaishou/index.html")).unwrap();
    assert!(brief.contains("href=\"../../tags/%E7%94%B5%E5%95%86/\""));
    assert!(brief.contains("href=\"../../companies/1024.hk/\""));
}

#[test]
fn search_index_lists_every_brief() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = out.path().join("site");
    let index: Vec<serde_json::Value> =
        serde_json::from_str(&fs::read_to_string(site.join("search-index.json")).unwrap()).unwrap();
    assert_eq!(index.len(), 18); // 15 example briefs and the three chart galleries
    let ks = index
        .iter()
        .find(|e| e["url"] == "briefs/2025q2-kuaishou/")
        .expect("kuaishou");
    assert_eq!(ks["company"], "快手");
    assert_eq!(ks["ticker"], "1024.HK");
    assert_eq!(ks["period"], "2025Q2");
    assert_eq!(ks["lang"], "zh");
    let js = fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(js.starts_with("window.tearsheetIndex = ["));
}

#[test]
fn company_pages_draw_the_target_history_as_a_step_chart() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = out.path().join("site");
    let page = fs::read_to_string(site.join("companies/nwrb.demo/index.html")).unwrap();
    assert!(page.contains("<figure class=\"chart trend target\" id=\"chart-target-nwrb-demo\">"));
    assert!(page.contains("<a href=\"target-nwrb-demo.svg\" download>"));
    // Five briefs, one upgrade: ringed, and written under its quarter,
    // in the wide drawing and in the narrow column's.
    assert_eq!(page.matches("r=\"4\" class=\"f1\"").count(), 10);
    assert_eq!(page.matches("r=\"7\" fill=\"none\"").count(), 2);
    assert!(page.contains("font-weight=\"bold\" class=\"m\">Outperform</text>"));
    assert!(page.contains("font-weight=\"bold\" class=\"m\">→ Buy</text>"));
    assert!(page.contains("<td>Outperform → Buy</td>"));
    // The file beside it: the same chart, standalone.
    let file = fs::read_to_string(site.join("companies/nwrb.demo/target-nwrb-demo.svg")).unwrap();
    roxmltree::Document::parse(&file).unwrap();
    assert!(file.contains("@media (prefers-color-scheme: dark)"));
    // One target only (Kuaishou): no chart, no file.
    let one = fs::read_to_string(site.join("companies/1024.hk/index.html")).unwrap();
    assert!(!one.contains("chart-target"));
    assert!(!site.join("companies/1024.hk/target-1024-hk.svg").exists());
}

#[test]
fn the_pictures_in_docs_charts_are_what_the_code_draws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = build(root);
    let site = out.path().join("site");
    let gallery = [
        "growth",
        "margins",
        "mix-trend",
        "mix",
        "profit",
        "regions",
        "trend",
        "vs-last-year",
    ];
    let mut pictures: Vec<(String, String)> = gallery
        .iter()
        .map(|n| (format!("{n}.svg"), format!("briefs/gallery-en/{n}.svg")))
        .collect();
    for n in ["trend", "mix"] {
        pictures.push((format!("{n}-zh.svg"), format!("briefs/gallery-zh/{n}.svg")));
    }
    pictures.push((
        "gross-margin.svg".into(),
        "briefs/gallery-crowded/gross-margin.svg".into(),
    ));
    pictures.push((
        "target-zh.svg".into(),
        "companies/xhyj.demo/target-xhyj-demo.svg".into(),
    ));
    for (doc, built) in pictures {
        let want = fs::read_to_string(site.join(&built)).unwrap();
        let have = fs::read_to_string(root.join("docs/charts").join(&doc)).unwrap();
        assert!(
            have == want,
            "docs/charts/{doc} is out of date: after `cargo run -- build`, cp public/{built} docs/charts/{doc}"
        );
    }
}

/// Fourteen quarters of one company: each card's sparkline shows the
/// metric up to its brief's period, the latest twelve at most.
#[test]
fn sparklines_show_the_company_up_to_the_brief_at_most_twelve_periods() {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("site.yaml"),
        "title: S\nbase_url: https://example.org/\nlang: en\n",
    )
    .unwrap();
    let briefs = site.path().join("content/briefs");
    fs::create_dir_all(&briefs).unwrap();
    for i in 0..14 {
        let (year, q) = (2022 + i / 4, i % 4 + 1);
        fs::write(
            briefs.join(format!("{year}q{q}.md")),
            format!(
                "---\ntitle: Q{q} {year}\ndate: {year}-{:02}-15\ncompany: {{ name: Acme, ticker: ACME }}\nperiod: {year}Q{q}\nmetrics:\n  revenue: {{ label: Revenue, value: {}m }}\n---\n",
                q * 3,
                100 + i
            ),
        )
        .unwrap();
    }
    let out = build(site.path());
    let points = |slug: &str| -> Option<usize> {
        let html = fs::read_to_string(out.path().join("site/briefs").join(slug).join("index.html"))
            .unwrap();
        let at = html.find("class=\"spark\"")?;
        let poly = &html[at..];
        let start = poly.find("points=\"").unwrap() + 8;
        let end = start + poly[start..].find('"').unwrap();
        Some(poly[start..end].split(' ').count())
    };
    assert_eq!(points("2022q1"), None);
    assert_eq!(points("2022q2"), Some(2));
    assert_eq!(points("2024q4"), Some(12));
    assert_eq!(points("2025q2"), Some(12));
}

/// Every `<figure class="chart ...">` of the example site, on every page:
/// its caption comes before its drawing (and carries the unit), and
/// there is a drawing for a phone's column beside the wide one.
#[test]
fn every_chart_is_titled_above_its_drawing() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = out.path().join("site");
    let mut figures = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = fs::read_to_string(entry.path()).unwrap();
        for (at, _) in html.match_indices("<figure class=\"chart") {
            let fig = &html[at..];
            let fig = &fig[..fig.find("</figure>").unwrap()];
            if fig.contains("chart-placeholder") {
                continue;
            }
            figures += 1;
            let page = entry.path().display();
            let caption = fig
                .find("<figcaption>")
                .unwrap_or_else(|| panic!("{page}: no caption in {fig}"));
            let drawing = fig
                .find("<svg")
                .unwrap_or_else(|| panic!("{page}: no drawing in {fig}"));
            assert!(
                caption < drawing,
                "{page}: the caption follows the drawing in {fig}"
            );
            let text = &fig[caption..fig.find("</figcaption>").unwrap()];
            assert!(
                text.contains("class=\"chart-unit\""),
                "{page}: no unit in {text}"
            );
            assert_eq!(
                fig.matches("class=\"ts-chart ts-narrow\"").count(),
                1,
                "{page}: {fig}"
            );
        }
    }
    // Briefs' charts, company trends and target step charts.
    assert!(figures > 60, "{figures}");
}

/// Charts the body does not place come after it, before the metric
/// table; placed ones stay where the body put them.
#[test]
fn unplaced_charts_follow_the_body() {
    let out = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let html =
        fs::read_to_string(out.path().join("site/briefs/gallery-crowded/index.html")).unwrap();
    let pos = |s: &str| html.find(s).unwrap_or_else(|| panic!("no {s}"));
    let body = pos("<article class=\"brief-body prose\">");
    let body_end = body + html[body..].find("</article>").unwrap();
    let table = pos("<section class=\"all-metrics\"");
    for placed in ["id=\"chart-headline\"", "id=\"chart-gross-margin\""] {
        assert!(body < pos(placed) && pos(placed) < body_end, "{placed}");
    }
    for unplaced in [
        "id=\"chart-countries\"",
        "id=\"chart-mix\"",
        "id=\"chart-share\"",
    ] {
        assert!(
            body_end < pos(unplaced) && pos(unplaced) < table,
            "{unplaced}"
        );
    }
    assert!(pos("<section class=\"key-figures\"") < body);
}

/// site.yaml's `strings:` reach the words charts write: legends, the
/// download link, a donut's "Total", the unit, the note of a zoomed axis.
#[test]
fn strings_overrides_reach_chart_words() {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("site.yaml"),
        "title: S\nbase_url: https://example.org/\nlang: en\nchart_files: true\nstrings:\n  en: { download_svg: Get the drawing, chart_current: Latest quarter, total: All lines, unit: \"In {u}\", axis_from: \"scale starts at {v}\", estimate: Forecast }\n",
    )
    .unwrap();
    let briefs = site.path().join("content/briefs");
    fs::create_dir_all(&briefs).unwrap();
    fs::write(
        briefs.join("b.md"),
        "---\ntitle: B\ndate: 2025-08-01\ncompany: { name: Acme, ticker: ACME }\nperiod: 2025Q2\nmetrics:\n  revenue: { label: Revenue, value: 12.1bn, prior: 10.0bn }\n  cloud: { label: Cloud, value: 7.0bn }\n  devices: { label: Devices, value: 5.0bn }\ncharts:\n  - { id: vs, type: compare, title: Against a year earlier, metrics: [revenue] }\n  - { id: mix, type: donut, title: Mix, metrics: [cloud, devices], total: revenue }\n  - { id: margin, type: line, title: Margin, x: [2025Q1, 2025Q2, 2025Q3E], series: [{ name: Margin, values: [55.7%, 56.9%, 56.5%] }] }\n---\nText.\n",
    )
    .unwrap();
    let out = build(site.path());
    let html = fs::read_to_string(out.path().join("site/briefs/b/index.html")).unwrap();
    for want in [
        ">Get the drawing</a>",
        ">Latest quarter</text>",
        ">All lines</text>",
        "(In RMB)",
        ">scale starts at 55.5%</text>",
    ] {
        assert!(html.contains(want), "no {want}");
    }
    // The donut's centre is the reported total, not the sum of its parts.
    assert!(
        html.contains("font-weight=\"bold\" class=\"m\">RMB 12.1bn</text>"),
        "{html}"
    );
    assert!(!html.contains(">RMB 12.0bn</text>"));
    let file = fs::read_to_string(out.path().join("site/briefs/b/vs.svg")).unwrap();
    assert!(file.contains(">Latest quarter</text>"));
}

/// A site whose one company has `n` briefs (`Brief 001` the oldest, a
/// quarter apart from 2001Q1, each with a revenue figure and a rating
/// with a target price), `per_page` 20, under a sub-path.
fn one_company_site(n: usize) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    fs::write(
        root.path().join("site.yaml"),
        "title: Co\nbase_url: https://example.org/sub/\nlang: en\nper_page: 20\n",
    )
    .unwrap();
    let briefs = root.path().join("content/briefs");
    fs::create_dir_all(&briefs).unwrap();
    for i in 1..=n {
        let (year, q) = (2001 + (i - 1) / 4, (i - 1) % 4 + 1);
        let month = [2, 5, 8, 11][q - 1];
        fs::write(
            briefs.join(format!("b{i:03}.md")),
            format!(
                "---\ntitle: Brief {i:03}\ndate: {year}-{month:02}-15\n\
                 company: {{ name: Big Co, ticker: BIG }}\nperiod: {year}Q{q}\nlang: en\n\
                 currency: USD\nrating: {{ value: Buy, by: House }}\n\
                 target_price: {{ value: {}, currency: USD }}\n\
                 metrics:\n  revenue: {{ label: Revenue, value: {}.0bn }}\n---\nBody {i}.\n",
                100 + i,
                10 + i
            ),
        )
        .unwrap();
    }
    root
}

/// The list of briefs of a company page (its first section).
fn company_briefs(html: &str) -> &str {
    let start = html.find("id=\"company-briefs\"").expect("briefs section");
    let end = start + html[start..].find("</section>").expect("section end");
    &html[start..end]
}

#[test]
fn company_pages_paginate_and_page_1_bounds_what_it_draws() {
    let root = one_company_site(60);
    let out = build(root.path());
    let site = out.path().join("site");
    let first = fs::read_to_string(site.join("companies/big/index.html")).unwrap();
    let second = fs::read_to_string(site.join("companies/big/page/2/index.html")).unwrap();
    let third = fs::read_to_string(site.join("companies/big/page/3/index.html")).unwrap();
    assert!(!site.join("companies/big/page/4").exists());
    // Newest first, 20 a page.
    let listed = |html: &str| -> Vec<String> {
        (1..=60)
            .filter(|i| company_briefs(html).contains(&format!("Brief {i:03}")))
            .map(|i| format!("{i:03}"))
            .collect()
    };
    let range = |a: usize, b: usize| (a..=b).map(|i| format!("{i:03}")).collect::<Vec<_>>();
    assert_eq!(listed(&first), range(41, 60));
    assert_eq!(listed(&second), range(21, 40));
    assert_eq!(listed(&third), range(1, 20));
    // Pagination links are relative: they work under /sub/ and from disk.
    assert!(first.contains(r#"<a href="../../companies/big/page/2/" rel="next">"#));
    assert!(first.contains("Page 1 of 3"));
    assert!(second.contains(r#"<a href="../../../../companies/big/" rel="prev">"#));
    assert!(second.contains(r#"<a href="../../../../companies/big/page/3/" rel="next">"#));
    assert!(second.contains(r#"<link rel="prev" href="../../../../companies/big/">"#));
    assert!(second.contains("Big Co (2/3)"));
    assert!(third.contains(r#"<a href="../../../../companies/big/page/2/" rel="prev">"#));
    assert!(!third.contains("rel=\"next\""));
    // Every page counts all the company's briefs; only page 1 has the
    // trends and the history.
    for page in [&first, &second, &third] {
        assert!(page.contains(r#"<span class="section-count">60</span>"#));
    }
    for later in [&second, &third] {
        assert!(!later.contains("company-trends") && !later.contains("company-history"));
    }
    // Page 1 draws the latest 48 periods and lists the latest 50 targets.
    assert!(first.contains("Latest 48 of 60"), "trend note");
    assert!(first.contains("Latest 50 of 60"), "history note");
    let history = &first[first.find("class=\"history-table\"").unwrap()..];
    let history = &history[..history.find("</table>").unwrap()];
    assert_eq!(history.matches("<tr>").count(), 51); // the head and 50 rows
    assert!(history.contains("Brief 011") && !history.contains("Brief 010"));
    let trend = &first[first.find("class=\"trend-table\"").unwrap()..];
    let trend = &trend[..trend.find("</table>").unwrap()];
    assert!(
        trend.contains("2004Q1") && !trend.contains("2003Q4"),
        "periods 13..60"
    );
    // The sitemap lists every page.
    let sitemap = fs::read_to_string(site.join("sitemap.xml")).unwrap();
    for n in [2, 3] {
        let loc = format!("<loc>https://example.org/sub/companies/big/page/{n}/</loc>");
        assert!(sitemap.contains(&loc), "{loc}");
    }
}

/// site.yaml's `strings:` reach the words of the company page (its
/// briefs heading, the notes of what it shows of long histories, the
/// facts of its company file, the target-price chart's legend and table),
/// of the 404 page in both languages, and growth from a zero or negative
/// base on cards, tables and the forecast table.
#[test]
fn strings_overrides_reach_company_pages_the_404_page_and_growth_words() {
    let root = one_company_site(51);
    fs::write(
        root.path().join("site.yaml"),
        "title: Co\nbase_url: https://example.org/sub/\nlang: en\nstrings:\n  \
         en: { briefs: Notes, latest_of: \"Newest {n} / {total}\", fiscal_year_end: \"FY closes in {month}\", \
         ads: \"{ticker} is {n} ordinaries\", target_steps: Target line, rating_change: Rating moved, \
         period: Term, target_price: Aim, not_found_help: Try elsewhere., back_home: Home again, \
         turned_profitable: Into profit, turned_loss: Into loss, not_meaningful: NM }\n  \
         zh: { not_found: 没有此页, not_found_help: 请换个地址, back_home: 回首页 }\n",
    )
    .unwrap();
    let companies = root.path().join("content/companies");
    fs::create_dir_all(&companies).unwrap();
    fs::write(
        companies.join("big.md"),
        "---\nname: Big Co\ntickers: [BIG]\ncurrency: USD\nfiscal_year_end: 1\n\
         ads: { ticker: BIGY, shares: 4 }\n---\nA fictional company.\n",
    )
    .unwrap();
    fs::write(
        root.path().join("content/briefs/b051.md"),
        "---\ntitle: Brief 051\ndate: 2013-08-15\ncompany: BIG\nperiod: FY2014Q3\nlang: en\n\
         rating: { value: Hold, by: House }\ntarget_price: { value: 140, currency: USD }\n\
         metrics:\n  revenue: { label: Revenue, value: 61.0bn }\n  \
         profit: { label: Profit, value: 2.0bn, prior: -1.0bn }\n  \
         loss: { label: Result, value: -1.0bn, prior: 1.0bn }\n  \
         fees: { label: Fees, value: 1.0bn, prior: 0 }\n\
         forecasts:\n  periods: [FY2014, FY2015E]\n  rows:\n    \
         revenue: { values: [240.0bn, null] }\n---\nBody.\n",
    )
    .unwrap();
    let out = build(root.path());
    let site = out.path().join("site");
    let company = fs::read_to_string(site.join("companies/big/index.html")).unwrap();
    assert_has_all(
        &company,
        "company page",
        &[
            ">Notes <span class=\"section-count\">51</span></h2>",
            "Newest 48 / 51",
            "Newest 50 / 51",
            "FY closes in January",
            "BIGY is 4 ordinaries",
            ">Target line</text>",
            ">Rating moved</text>",
            "<th scope=\"col\">Term</th><th scope=\"col\">Date</th><th scope=\"col\">Aim</th>",
        ],
    );
    assert_has_none(
        &company,
        "company page",
        &[
            "Briefs",
            "Latest 4",
            "Fiscal year ends",
            "ordinary shares",
            "holds until",
        ],
    );
    let brief = fs::read_to_string(site.join("briefs/b051/index.html")).unwrap();
    assert_has_all(&brief, "brief", &["Into profit", "Into loss", ">NM</td>"]);
    assert_has_none(
        &brief,
        "brief",
        &["turned profitable", "turned to a loss", "n.m."],
    );
    let missing = fs::read_to_string(site.join("404.html")).unwrap();
    assert_has_all(
        &missing,
        "404",
        &[
            "<p>Try elsewhere.</p>",
            ">Home again</a>",
            "<strong>没有此页</strong>",
            "请换个地址 <a href=\"/sub/\">回首页</a>",
        ],
    );
}

/// site.yaml's `strings:` reach every word the search box shows: its
/// messages, the note that full-text search needs the site served, and
/// the filters (search.js reads them from the form).
#[test]
fn strings_overrides_reach_the_search_box() {
    let site = tempfile::tempdir().unwrap();
    fs::write(
        site.path().join("site.yaml"),
        "title: S\nbase_url: https://example.org/\nlang: en\nstrings:\n  en: { search_served: Serve me, search_filters: Narrow, search_all: Any, search_tag: Label, search_lang: Tongue, sector: Industry }\n",
    )
    .unwrap();
    let briefs = site.path().join("content/briefs");
    fs::create_dir_all(&briefs).unwrap();
    fs::write(
        briefs.join("b.md"),
        "---\ntitle: B\ndate: 2025-08-01\ncompany: { name: Acme, ticker: ACME }\nperiod: 2025Q2\n---\nText.\n",
    )
    .unwrap();
    let out = build(site.path());
    let html = fs::read_to_string(out.path().join("site/index.html")).unwrap();
    for want in [
        "data-served=\"Serve me\"",
        "data-filters=\"Narrow\"",
        "data-all=\"Any\"",
        "data-company=\"Company\"",
        "data-sector=\"Industry\"",
        "data-tag=\"Label\"",
        "data-lang=\"Tongue\"",
    ] {
        assert!(html.contains(want), "no {want}");
    }
    // search.js takes each of them from the form before its own words.
    let js = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/search.js")).unwrap();
    for key in [
        "served:", "filters:", "all:", "company:", "sector:", "tag:", "lang:",
    ] {
        assert!(js.contains(key), "search.js has no default for {key}");
    }
    assert!(js.contains("out[k] = d[k] || base[k];"));
}
