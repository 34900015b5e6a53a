//! Charts as SVG: a snapshot of every chart type in zh and en, well-formed
//! XML with the accessibility wiring, the theme's colours, determinism,
//! nothing outside the drawing, no overlapping labels, and guards that
//! turn extreme input into a drawing instead of a panic or a hang.
//!
//! XML is checked with `roxmltree` (already a dev-dependency for the feed
//! and sitemap tests): a real parser catches what a hand-written checker
//! would miss (entities, attribute quoting, nesting, duplicate attributes).

use std::sync::mpsc;
use std::time::Duration;

use tearsheet::testing::chart::step::{self, TargetHistory, TargetPoint};
use tearsheet::testing::chart::{block, label_width, svg, svg_pair, Look, Style};
use tearsheet::testing::model::chart::{Chart, Point, Series};
use tearsheet::testing::model::figure::{Decimal, Figure, Notation};
use tearsheet::testing::model::front_matter::{ChartType, SeriesStyle};
use tearsheet::testing::model::lang::Lang;
use tearsheet::testing::model::metric::Kind;

fn money() -> Kind {
    Kind::Money {
        currency: "CNY".into(),
    }
}

fn series(name: &str, unit: Kind, values: &[&str]) -> Series {
    Series {
        name: name.into(),
        style: SeriesStyle::Bar,
        unit,
        points: values
            .iter()
            .map(|v| Point {
                figure: Some(Figure::parse(v).unwrap()),
                derived: false,
                estimate: false,
            })
            .collect(),
    }
}

fn chart(id: &str, kind: ChartType, title: &str, x: &[&str], series: Vec<Series>) -> Chart {
    Chart {
        id: id.into(),
        kind,
        title: title.into(),
        note: None,
        source: None,
        x: x.iter().map(|s| s.to_string()).collect(),
        series,
        total: None,
    }
}

const QUARTERS: [&str; 5] = ["2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2"];

/// The page language's words: `t(zh, en)`.
#[derive(Clone, Copy)]
struct Words {
    zh: bool,
}

impl Words {
    fn t<T>(self, zh: T, en: T) -> T {
        if self.zh {
            zh
        } else {
            en
        }
    }
}

/// Every chart type, each drawn by the gallery and the extreme-input
/// test; the match stops compiling when a type is added, until it is
/// added here too.
fn every_type() -> [ChartType; 6] {
    match ChartType::Bar {
        ChartType::Bar
        | ChartType::Compare
        | ChartType::Line
        | ChartType::Stacked
        | ChartType::Combo
        | ChartType::Donut => {}
    }
    [
        ChartType::Bar,
        ChartType::Compare,
        ChartType::Line,
        ChartType::Stacked,
        ChartType::Combo,
        ChartType::Donut,
    ]
}

/// One chart of every type, in the page language's words.
fn gallery(lang: Lang) -> Vec<Chart> {
    let w = Words {
        zh: lang == Lang::Zh,
    };
    let metrics = [
        w.t("营收", "Revenue"),
        w.t("经调整净利润", "Adjusted net profit"),
        w.t("线上营销服务收入", "Online marketing services revenue"),
        w.t("海外收入", "Overseas revenue"),
    ];
    let charts = vec![
        chart(
            "growth",
            ChartType::Bar,
            w.t("同比增速", "YoY growth"),
            &metrics,
            vec![series(
                w.t("同比增速", "YoY growth"),
                Kind::Ratio,
                &["13.1%", "20.1%", "12.8%", "-5.2%"],
            )],
        ),
        vs_last_year(w, &metrics),
        margins(w),
        mix_trend(w),
        trend(w),
        mix(w),
    ];
    assert_eq!(charts.len(), every_type().len());
    charts
}

/// `compare`: four metrics against a year earlier, two priors derived.
fn vs_last_year(w: Words, metrics: &[&str]) -> Chart {
    let mut prior = series(
        "prior",
        money(),
        w.t(
            &["309.4亿", "46.6亿", "175.5亿", "10.8亿"],
            &["30.94bn", "4.66bn", "17.55bn", "1.08bn"],
        ),
    );
    prior.points[0].derived = true;
    prior.points[3].derived = true;
    chart(
        "vs-last-year",
        ChartType::Compare,
        w.t("与上年同期对比", "Against a year earlier"),
        metrics,
        vec![
            prior,
            series(
                w.t("与上年同期对比", "Against a year earlier"),
                money(),
                w.t(
                    &["350亿", "56亿", "198亿", "13亿"],
                    &["35.0bn", "5.6bn", "19.8bn", "1.3bn"],
                ),
            ),
        ],
    )
}

/// `line`: two margins over five quarters, one below zero.
fn margins(w: Words) -> Chart {
    chart(
        "margins",
        ChartType::Line,
        w.t("利润率", "Margins"),
        &QUARTERS,
        vec![
            series(
                w.t("毛利率", "Gross margin"),
                Kind::Ratio,
                &["51.2%", "53.0%", "54.1%", "54.9%", "55.7%"],
            ),
            series(
                w.t("经调整净利润率", "Adjusted net margin"),
                Kind::Ratio,
                &["-1.2%", "3.5%", "9.8%", "14.2%", "16.0%"],
            ),
        ],
    )
}

/// `stacked`: three businesses over five quarters.
fn mix_trend(w: Words) -> Chart {
    chart(
        "mix-trend",
        ChartType::Stacked,
        w.t("分业务收入", "Revenue by business"),
        &QUARTERS,
        vec![
            series(
                w.t("线上营销", "Online marketing"),
                money(),
                w.t(
                    &["175.5亿", "176.0亿", "206.1亿", "180.0亿", "198.0亿"],
                    &["17.55bn", "17.60bn", "20.61bn", "18.00bn", "19.80bn"],
                ),
            ),
            series(
                w.t("直播", "Live streaming"),
                money(),
                w.t(
                    &["93.5亿", "92.5亿", "99.5亿", "98.8亿", "100.4亿"],
                    &["9.35bn", "9.25bn", "9.95bn", "9.88bn", "10.04bn"],
                ),
            ),
            series(
                w.t("其他服务", "Other services"),
                money(),
                w.t(
                    &["40.4亿", "42.6亿", "47.2亿", "47.4亿", "51.6亿"],
                    &["4.04bn", "4.26bn", "4.72bn", "4.74bn", "5.16bn"],
                ),
            ),
        ],
    )
}

/// `combo`: revenue as bars, its growth as a line.
fn trend(w: Words) -> Chart {
    let mut line = series(
        w.t("同比增速", "YoY growth"),
        Kind::Ratio,
        &["9.5%", "12.1%", "15.8%", "16.9%", "18.2%"],
    );
    line.style = SeriesStyle::Line;
    chart(
        "trend",
        ChartType::Combo,
        w.t("季度营收与同比增速", "Quarterly revenue and YoY growth"),
        &QUARTERS,
        vec![
            series(
                w.t("营收", "Revenue"),
                money(),
                w.t(
                    &["309.4亿", "311.3亿", "352.9亿", "326.1亿", "350.0亿"],
                    &["30.94bn", "31.13bn", "35.29bn", "32.61bn", "35.00bn"],
                ),
            ),
            line,
        ],
    )
}

/// `donut`: three parts of revenue.
fn mix(w: Words) -> Chart {
    chart(
        "mix",
        ChartType::Donut,
        w.t("收入构成", "Revenue mix"),
        &[
            w.t("线上营销服务", "Online marketing services"),
            w.t("直播", "Live streaming"),
            w.t("其他服务（含电商）", "Other services (incl. e-commerce)"),
        ],
        vec![series(
            w.t("收入构成", "Revenue mix"),
            money(),
            w.t(&["198亿", "100亿", "52亿"], &["19.8bn", "10.0bn", "5.2bn"]),
        )],
    )
}

fn langs() -> [(Lang, &'static str); 2] {
    [(Lang::Zh, "zh"), (Lang::En, "en")]
}

#[test]
fn snapshots_of_every_type_in_zh_and_en() {
    for (lang, code) in langs() {
        for c in gallery(lang) {
            let name = format!("{}_{code}", c.kind.name());
            insta::assert_snapshot!(name, svg(&c, Look::builtin(lang), Style::Inline));
        }
    }
    // Standalone files: hex colours, a background, a dark block, caption.
    let mut c = gallery(Lang::Zh).remove(1);
    c.note = Some("上年同期部分为推算值".into());
    c.source = Some("公司公告".into());
    insta::assert_snapshot!(
        "compare_zh_standalone",
        svg(&c, Look::builtin(Lang::Zh), Style::Standalone)
    );
    let c = gallery(Lang::En).remove(5);
    insta::assert_snapshot!(
        "donut_en_standalone",
        svg(&c, Look::builtin(Lang::En), Style::Standalone)
    );
}

/// The classes a drawing's elements may carry (`static/style.css` styles
/// them for a page).
const CLASSES: [&str; 23] = [
    "m", "e", "f1", "f2", "f3", "f4", "f5", "f6", "fg", "fa", "fd", "fb", "s1", "s2", "s3", "s4",
    "s5", "s6", "sg", "sa", "st", "sd", "sb",
];

/// A drawing with what the page's style sheet gives its elements written
/// on them as attributes (colours as the theme's variables with their
/// light fallbacks, text 12 high in `currentColor` anchored at its start,
/// lines unfilled and 1 wide), for the checks that read them.
fn styled(doc: &str) -> String {
    let colour = |c: &str| match c {
        "1" => "var(--ts-s1, #2c6bb0)",
        "2" => "var(--ts-s2, #d4650f)",
        "3" => "var(--ts-s3, #2a8a5a)",
        "4" => "var(--ts-s4, #8a4fb8)",
        "5" => "var(--ts-s5, #b8406a)",
        "6" => "var(--ts-s6, #5c6b7a)",
        "g" => "var(--ts-grid, #e3e6ea)",
        "a" => "var(--ts-axis, #5a6270)",
        "t" => "currentColor",
        "d" => "var(--down)",
        "b" => "var(--bg, #ffffff)",
        other => panic!("colour class {other}"),
    };
    let mut out = String::with_capacity(doc.len() * 2);
    let mut rest = doc;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let name = tag[1..].split([' ', '/']).next().unwrap_or("");
        let body = tag.strip_suffix('/').unwrap_or(tag);
        out.push_str(body);
        if ["rect", "circle", "polyline", "polygon", "path", "text"].contains(&name) {
            let mut attrs: Vec<(&str, String)> = Vec::new();
            let class = tag
                .split(" class=\"")
                .nth(1)
                .and_then(|c| c.split('"').next());
            for c in class.unwrap_or("").split_whitespace() {
                match c {
                    "m" => attrs.push(("text-anchor", "middle".into())),
                    "e" => attrs.push(("text-anchor", "end".into())),
                    _ if c.starts_with('f') => attrs.push(("fill", colour(&c[1..]).into())),
                    _ => attrs.push(("stroke", colour(&c[1..]).into())),
                }
            }
            let defaults: &[(&str, &str)] = match name {
                "text" => &[
                    ("text-anchor", "start"),
                    ("font-size", "12"),
                    ("fill", "currentColor"),
                ],
                "polyline" => &[("fill", "none"), ("stroke-width", "1")],
                _ => &[],
            };
            for (a, v) in defaults {
                attrs.push((a, (*v).into()));
            }
            let mut seen: Vec<&str> = Vec::new();
            for (a, v) in attrs {
                if !seen.contains(&a) && !tag.contains(&format!(" {a}=\"")) {
                    out.push_str(&format!(" {a}=\"{v}\""));
                }
                seen.push(a);
            }
        }
        out.push_str(&tag[body.len()..]);
        out.push('>');
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Parses and checks the wiring every chart must have; returns the
/// document's text for further checks.
fn check_document(doc: &str, id: &str, style: Style) {
    let xml = roxmltree::Document::parse(doc)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{doc}"));
    let root = xml.root_element();
    assert!(root.has_tag_name("svg"));
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    let vb = root.attribute("viewBox").expect("viewBox");
    assert!(vb.starts_with("0 0 "), "{vb}");
    assert!(root.attribute("width").is_none(), "no fixed width");
    assert!(root.attribute("height").is_none(), "no fixed height");
    assert_eq!(root.attribute("role"), Some("img"));
    // A file carries its CJK-friendly font stack; inline, the page's
    // stylesheet gives it (`svg.ts-chart`).
    match style {
        Style::Standalone => {
            let font = root.attribute("font-family").expect("font stack");
            assert!(font.contains("PingFang SC") && font.contains("Noto Sans CJK SC"));
        }
        Style::Inline => assert_eq!(root.attribute("font-family"), None),
    }
    let labelled = root.attribute("aria-labelledby").expect("aria-labelledby");
    assert_eq!(labelled, format!("ts-{id}-title ts-{id}-desc"));
    for (want, tag) in labelled.split(' ').zip(["title", "desc"]) {
        let el = root
            .children()
            .find(|n| n.attribute("id") == Some(want))
            .unwrap_or_else(|| panic!("no element #{want}"));
        assert!(el.has_tag_name(tag), "#{want} is a <{tag}>");
        assert!(
            !el.text().unwrap_or("").trim().is_empty(),
            "#{want} is empty"
        );
    }
    for n in xml.descendants().filter(|n| n.is_element()) {
        // Colours are classes (styled by the page's or the file's own
        // style sheet), hatches patterns of the drawing's own.
        for attr in ["fill", "stroke"] {
            let Some(v) = n.attribute(attr) else { continue };
            let ok = v == "none" || v.starts_with("url(#ts-");
            assert!(ok, "{attr}=\"{v}\" in a {style:?} chart");
        }
        if n.has_tag_name("svg") {
            continue;
        }
        for class in n.attribute("class").unwrap_or("").split_whitespace() {
            assert!(
                CLASSES.contains(&class),
                "class {class} in a {style:?} chart"
            );
            if style == Style::Standalone {
                assert!(doc.contains(&format!(".{class}{{")), "no rule for .{class}");
            }
        }
        if let Some(size) = n.attribute("font-size") {
            // plotters' size/1.24 compensated and rounded.
            let s: f64 = size.parse().unwrap();
            assert!((8.0..=24.0).contains(&s), "font-size {size}");
            assert!(size.len() <= 5, "font-size {size} not rounded");
        }
    }
    assert!(!doc.contains("var(--"), "no colour is written out inline");
    match style {
        Style::Inline => assert!(!doc.contains("<style")),
        Style::Standalone => {
            assert!(doc.contains("@media (prefers-color-scheme: dark)"));
        }
    }
}

#[test]
fn every_chart_is_well_formed_and_wired_for_readers() {
    for (lang, _) in langs() {
        for c in gallery(lang) {
            for style in [Style::Inline, Style::Standalone] {
                check_document(&svg(&c, Look::builtin(lang), style), &c.id, style);
            }
        }
    }
}

#[test]
fn inline_colours_follow_the_theme() {
    let css =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/style.css")).unwrap();
    for (lang, _) in langs() {
        for c in gallery(lang) {
            let doc = svg(&c, Look::builtin(lang), Style::Inline);
            let mut rest = doc.as_str();
            while let Some(i) = rest.find("var(--") {
                let name: String = rest[i + 4..]
                    .chars()
                    .take_while(|ch| *ch != ',' && *ch != ')')
                    .collect();
                assert!(
                    css.contains(&format!("{name}:")),
                    "{name} is not defined by the theme"
                );
                rest = &rest[i + 4..];
            }
        }
    }
}

#[test]
fn same_input_same_bytes() {
    for (lang, _) in langs() {
        for c in gallery(lang) {
            for style in [Style::Inline, Style::Standalone] {
                let a = svg(&c, Look::builtin(lang), style);
                let b = svg(&c.clone(), Look::builtin(lang), style);
                assert_eq!(a, b, "{} differs between runs", c.id);
            }
        }
    }
    // And across threads (no global state).
    let c = gallery(Lang::Zh).remove(4);
    let here = svg(&c, Look::builtin(Lang::Zh), Style::Inline);
    let there = std::thread::spawn(move || svg(&c, Look::builtin(Lang::Zh), Style::Inline))
        .join()
        .unwrap();
    assert_eq!(here, there);
}

#[test]
fn the_pair_is_both_renders_byte_for_byte() {
    let mut cases = Vec::new();
    for (lang, _) in langs() {
        for c in gallery(lang) {
            // With a caption under the standalone file, and without.
            let mut captioned = c.clone();
            captioned.note = Some("Note <b> & 注".into());
            captioned.source = Some("公司公告".into());
            cases.push((lang, captioned));
            cases.push((lang, c));
        }
    }
    let kinds: std::collections::BTreeSet<&str> =
        cases.iter().map(|(_, c)| c.kind.name()).collect();
    assert_eq!(kinds.len(), 6, "every chart type: {kinds:?}");
    // And a chart that says "no data".
    let mut empty = gallery(Lang::En).remove(5);
    for p in &mut empty.series[0].points {
        p.figure = Some(Figure::derived(Decimal::new(0, 0), Notation::Plain));
    }
    cases.push((Lang::En, empty));
    for (lang, c) in cases {
        let pair = svg_pair(&c, Look::builtin(lang));
        assert_eq!(
            pair.inline,
            svg(&c, Look::builtin(lang), Style::Inline),
            "{} inline",
            c.id
        );
        assert_eq!(
            pair.standalone,
            svg(&c, Look::builtin(lang), Style::Standalone),
            "{} standalone",
            c.id
        );
        assert_ne!(pair.inline, pair.standalone);
    }
}

/// A text's box: (x0, y0, x1, y1, text).
type TextBox = (f64, f64, f64, f64, String);

/// The sum of the `translate(x y)` of an element's ancestors (a standalone
/// file moves the chart under its title that way).
fn translation(n: roxmltree::Node) -> (f64, f64) {
    let mut t = (0.0, 0.0);
    for a in n.ancestors().filter(|a| a.has_tag_name("g")) {
        if let Some(v) = a.attribute("transform") {
            let inner = v
                .strip_prefix("translate(")
                .and_then(|v| v.strip_suffix(')'))
                .unwrap_or_else(|| panic!("unexpected transform {v}"));
            let xy: Vec<f64> = inner.split(' ').map(|p| p.parse().unwrap()).collect();
            t.0 += xy[0];
            t.1 += xy[1];
        }
    }
    t
}

/// The drawing's width and height, and the boxes of its texts.
fn text_boxes(doc: &str) -> (f64, f64, Vec<TextBox>) {
    let styled_doc = styled(doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    let root = xml.root_element();
    let vb: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    let mut boxes = Vec::new();
    for n in xml.descendants().filter(|n| n.has_tag_name("text")) {
        let text: String = n
            .children()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect();
        let num = |a: &str| n.attribute(a).unwrap().parse::<f64>().unwrap();
        let (dx, dy_group) = translation(n);
        let (x, y, size) = (num("x") + dx, num("y") + dy_group, num("font-size"));
        // The layout's own width table (DejaVu Sans, the widest common
        // sans font; CJK 1 em): came within ±4% of Chromium's widths.
        let w = label_width(&text, size);
        let anchor = n.attribute("text-anchor").unwrap();
        let dy = n.attribute("dy").unwrap();
        if n.attribute("transform").is_some() {
            // Turned 90° anticlockwise: ending at the anchor it hangs
            // below it, starting there it rises above it.
            if anchor == "start" {
                boxes.push((x - size / 2.0, y - w, x + size / 2.0, y, text));
            } else {
                boxes.push((x - size / 2.0, y, x + size / 2.0, y + w, text));
            }
            continue;
        }
        let (x0, x1) = match anchor {
            "start" => (x, x + w),
            "end" => (x - w, x),
            _ => (x - w / 2.0, x + w / 2.0),
        };
        let (y0, y1) = match dy {
            ".76em" => (y, y + size),
            ".5ex" => (y - size / 2.0, y + size / 2.0),
            "-.5ex" => (y - size, y),
            other => panic!("dy {other}"),
        };
        boxes.push((x0, y0, x1, y1, text));
    }
    (vb[2], vb[3], boxes)
}

#[test]
fn nothing_is_drawn_outside_or_on_top_of_other_text() {
    let mut hard = gallery(Lang::En);
    // Crowded: 16 periods turn their labels.
    let x: Vec<String> = (0..16)
        .map(|i| format!("{}Q{}", 2022 + i / 4, i % 4 + 1))
        .collect();
    let xs: Vec<&str> = x.iter().map(String::as_str).collect();
    let vals: Vec<String> = (0..16).map(|i| format!("{}.0%", 10 + i)).collect();
    let vs: Vec<&str> = vals.iter().map(String::as_str).collect();
    hard.push(chart(
        "crowded",
        ChartType::Line,
        "Crowded",
        &xs,
        vec![series(
            "A very long series name that must be shortened",
            Kind::Ratio,
            &vs,
        )],
    ));
    // Long CJK labels wrap.
    hard.push(chart(
        "regions",
        ChartType::Bar,
        "按客户区域",
        &[
            "华东及华南地区政企客户",
            "华北地区政企客户",
            "海外市场（东南亚与中东）",
            "中小企业与开发者",
            "其他",
        ],
        vec![series(
            "收入",
            money(),
            &["52.4亿", "31.8亿", "19.6亿", "17.3亿", "7.5亿"],
        )],
    ));
    for (lang, _) in langs() {
        let charts = if lang == Lang::En {
            hard.clone()
        } else {
            gallery(Lang::Zh)
        };
        for c in charts {
            for style in [Style::Inline, Style::Standalone] {
                assert_texts_fit(&svg(&c, Look::builtin(lang), style), &c.id);
            }
        }
        // The target-price step chart, and one with long ratings that
        // change at every brief.
        let mut crowded = history(lang);
        for (i, p) in crowded.points.iter_mut().enumerate() {
            p.rating = Some(format!("Sector outperform grade {i}"));
        }
        for h in [history(lang), crowded] {
            for style in [Style::Inline, Style::Standalone] {
                assert_texts_fit(&step::svg(&h, Look::builtin(lang), style), &h.id);
            }
        }
    }
}

/// Every text inside the drawing, none on top of another.
fn assert_texts_fit(doc: &str, id: &str) {
    let (w, h, boxes) = text_boxes(doc);
    for (x0, y0, x1, y1, t) in &boxes {
        assert!(
            *x0 >= -1.0 && *x1 <= w + 1.0 && *y0 >= -1.0 && *y1 <= h + 1.0,
            "{id}: `{t}` at {x0:.0}..{x1:.0} × {y0:.0}..{y1:.0} leaves the {w}×{h} drawing"
        );
    }
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let overlap_x = a.2.min(b.2) - a.0.max(b.0);
            let overlap_y = a.3.min(b.3) - a.1.max(b.1);
            assert!(
                overlap_x <= 1.0 || overlap_y <= 1.0,
                "{id}: `{}` and `{}` overlap",
                a.4,
                b.4
            );
        }
    }
}

#[test]
fn shortened_labels_keep_their_full_text() {
    let name = "Government and enterprise customers in East and South China";
    let c = chart(
        "long",
        ChartType::Bar,
        "Long",
        &[name, "b", "c", "d", "e", "f"],
        vec![series("x", money(), &["1", "2", "3", "4", "5", "6"])],
    );
    let doc = svg(&c, Look::builtin(Lang::En), Style::Inline);
    assert!(doc.contains(&format!("<title>{name}</title>")), "{doc}");
}

#[test]
fn hostile_labels_are_cleaned_and_escaped() {
    let mut c = gallery(Lang::En).remove(0);
    c.title = "Growth <script>&\u{7}\u{0}\"'".into();
    c.x[0] = "R&D <b>\u{1b}[31m".into();
    c.series[0].name = "a\u{8}b".into();
    for style in [Style::Inline, Style::Standalone] {
        let doc = svg(&c, Look::builtin(Lang::En), style);
        check_document(&doc, &c.id, style);
        assert!(!doc.chars().any(|ch| ch.is_control() && ch != '\n'));
        assert!(!doc.contains("<script") && !doc.contains("<b>"));
        assert!(doc.contains("R&amp;D &lt;b&gt;[31m"));
    }
}

/// Runs `f` on another thread and fails if it takes longer than 10 s.
fn within_10s<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("{what}: hung or panicked"))
}

fn raw(mantissa: i128, exp: i32, notation: Notation) -> Point {
    Point {
        figure: Some(Figure::derived(Decimal::new(mantissa, exp), notation)),
        derived: false,
        estimate: false,
    }
}

/// A chart of `kind` drawing `pts` (as the prior too, for `compare`, and
/// as the line too, for `combo`) over as many periods.
fn extreme_chart(kind: ChartType, name: &'static str, pts: Vec<Point>, unit: Kind) -> Chart {
    let n = pts.len();
    let mut s = vec![Series {
        name: name.into(),
        style: SeriesStyle::Bar,
        unit: unit.clone(),
        points: pts.clone(),
    }];
    if kind == ChartType::Compare {
        s.insert(
            0,
            Series {
                name: "prior".into(),
                style: SeriesStyle::Bar,
                unit: unit.clone(),
                points: pts.clone(),
            },
        );
    }
    if kind == ChartType::Combo {
        s.push(Series {
            name: "line".into(),
            style: SeriesStyle::Line,
            unit: Kind::Ratio,
            points: pts.clone(),
        });
    }
    Chart {
        id: format!("{}-{name}", kind.name()),
        kind,
        title: name.into(),
        note: None,
        source: None,
        x: (0..n).map(|i| format!("P{i}")).collect(),
        series: s,
        total: None,
    }
}

/// Every chart type with values huge, tiny, zero, single, none, infinite,
/// far apart, many and negative; and a chart whose lengths disagree.
fn extreme_cases() -> Vec<(&'static str, Chart)> {
    let mut cases: Vec<(&str, Chart)> = Vec::new();
    for kind in every_type() {
        let mk = |name: &'static str, pts: Vec<Point>, unit: Kind| {
            (name, extreme_chart(kind, name, pts, unit))
        };
        let p = Notation::Plain;
        cases.push(mk(
            "huge",
            vec![raw(1, 15, p), raw(2, 15, p), raw(-1, 15, p)],
            money(),
        ));
        cases.push(mk(
            "tiny",
            vec![raw(1, -12, p), raw(3, -12, p)],
            Kind::Ratio,
        ));
        cases.push(mk(
            "zeros",
            vec![raw(0, 0, p), raw(0, 0, p), raw(0, 0, p)],
            money(),
        ));
        cases.push(mk("one", vec![raw(42, 0, p)], money()));
        cases.push(mk("empty", vec![], money()));
        cases.push(mk("infinite", vec![raw(1, 400, p), raw(1, 0, p)], money()));
        cases.push(mk("span", vec![raw(1, 30, p), raw(1, -30, p)], money()));
        cases.push(mk(
            "many",
            (0..300).map(|i| raw(i, 6, p)).collect(),
            Kind::Count {
                unit: "users".into(),
            },
        ));
        cases.push(mk("negative", vec![raw(-5, 8, p), raw(-7, 8, p)], money()));
    }
    // Lengths that disagree (validated away in the model; still drawn safely).
    let mut bad = gallery(Lang::Zh).remove(2);
    bad.series[0].points.pop();
    cases.push(("mismatch", bad));
    cases
}

#[test]
fn extreme_input_never_panics_or_hangs() {
    for (what, c) in extreme_cases() {
        for lang in [Lang::Zh, Lang::En] {
            let c2 = c.clone();
            let doc = within_10s(what, move || svg(&c2, Look::builtin(lang), Style::Inline));
            check_document(&doc, &c.id, Style::Inline);
            let c2 = c.clone();
            let doc = within_10s(what, move || {
                svg(&c2, Look::builtin(lang), Style::Standalone)
            });
            check_document(&doc, &c.id, Style::Standalone);
        }
    }
}

#[test]
fn unusable_data_says_so() {
    let mut c = gallery(Lang::En).remove(5);
    for p in &mut c.series[0].points {
        p.figure = Some(Figure::derived(Decimal::new(0, 0), Notation::Plain));
    }
    let doc = svg(&c, Look::builtin(Lang::En), Style::Inline);
    assert!(doc.contains("No data"), "{doc}");
    let doc = svg(&c, Look::builtin(Lang::Zh), Style::Inline);
    assert!(doc.contains("暂无数据"), "{doc}");
}

#[test]
fn descriptions_give_range_latest_and_direction() {
    let c = gallery(Lang::En).remove(4);
    let doc = svg(&c, Look::builtin(Lang::En), Style::Inline);
    let styled_doc = styled(&doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    let desc = xml
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap()
        .to_string();
    assert!(desc.contains("2024Q2 to 2025Q2"), "{desc}");
    assert!(desc.contains("latest RMB 35.00bn (2025Q2)"), "{desc}");
    assert!(desc.contains("up since 2024Q2"), "{desc}");
    let c = gallery(Lang::Zh).remove(5);
    let doc = svg(&c, Look::builtin(Lang::Zh), Style::Inline);
    assert!(doc.contains("合计350亿元"), "{doc}");
}

#[test]
fn the_block_links_the_standalone_file() {
    let c = gallery(Lang::Zh).remove(0);
    let html = block(
        &c,
        &svg(&c, Look::builtin(Lang::Zh), Style::Inline),
        Look::builtin(Lang::Zh),
    );
    assert!(html.contains("<a href=\"growth.svg\" download>"));
    assert!(html.contains("<table>"));
    // Not drawn: a placeholder and no link.
    let html = block(&c, "", Look::builtin(Lang::Zh));
    assert!(html.contains("chart-placeholder") && !html.contains("download"));
}

fn target(period: &str, date: &str, value: &str, rating: Option<&str>) -> TargetPoint {
    TargetPoint {
        period: period.into(),
        date: date.into(),
        target: Figure::parse(value).unwrap(),
        rating: rating.map(Into::into),
        previous_rating: None,
    }
}

/// A company's target prices: raised, raised with an upgrade, held, cut.
fn history(lang: Lang) -> TargetHistory {
    let zh = lang == Lang::Zh;
    let (a, b) = if zh {
        ("增持", "买入")
    } else {
        ("Outperform", "Buy")
    };
    let d = |zh_date: &'static str, en_date: &'static str| if zh { zh_date } else { en_date };
    TargetHistory {
        id: "target-nwrb-demo".into(),
        title: if zh { "目标价" } else { "Target price" }.into(),
        currency: "USD".into(),
        points: vec![
            target("2024Q2", d("2024年8月8日", "8 Aug 2024"), "58.00", Some(a)),
            target("2024Q3", d("2024年11月7日", "7 Nov 2024"), "62.00", Some(a)),
            target(
                "2024Q4",
                d("2025年2月13日", "13 Feb 2025"),
                "75.00",
                Some(b),
            ),
            target("2025Q1", d("2025年5月8日", "8 May 2025"), "75.00", Some(b)),
            target("2025Q2", d("2025年8月7日", "7 Aug 2025"), "70.00", None),
        ],
    }
}

#[test]
fn target_step_chart_snapshots() {
    for (lang, code) in langs() {
        let h = history(lang);
        insta::assert_snapshot!(
            format!("target_step_{code}"),
            step::svg(&h, Look::builtin(lang), Style::Inline)
        );
    }
    let h = history(Lang::En);
    let file = step::svg(&h, Look::builtin(Lang::En), Style::Standalone);
    insta::assert_snapshot!("target_step_en_standalone", file);
    // docs/charts.md shows this very file.
    let doc = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/charts/target.svg");
    assert!(
        std::fs::read_to_string(doc).unwrap().trim_end() == file.trim_end(),
        "docs/charts/target.svg is out of date: copy the target_step_en_standalone snapshot (without its header) there"
    );
    insta::assert_snapshot!(
        "target_step_en_block",
        step::block(&h, "<svg/>\n", Look::builtin(Lang::En))
    );
}

/// The numbers of a `points` attribute.
fn points_of(v: &str) -> Vec<(i32, i32)> {
    v.split(' ')
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap();
            (x.parse().unwrap(), y.parse().unwrap())
        })
        .collect()
}

#[test]
fn the_target_holds_until_the_next_brief_changes_it() {
    for (lang, _) in langs() {
        let h = history(lang);
        let doc = step::svg(&h, Look::builtin(lang), Style::Inline);
        check_document(&doc, &h.id, Style::Inline);
        let styled_doc = styled(&doc);
        let xml = roxmltree::Document::parse(&styled_doc).unwrap();
        // The longest line in the series colour (the legend has a short one).
        let path = xml
            .descendants()
            .filter(|n| {
                n.has_tag_name("polyline") && n.attribute("stroke") == Some("var(--ts-s1, #2c6bb0)")
            })
            .map(|n| points_of(n.attribute("points").unwrap()))
            .max_by_key(Vec::len)
            .expect("the step line");
        let dots: Vec<(i32, i32)> = xml
            .descendants()
            .filter(|n| n.has_tag_name("circle") && n.attribute("r") == Some("4"))
            .map(|n| {
                let num = |a| n.attribute(a).unwrap().parse().unwrap();
                (num("cx"), num("cy"))
            })
            .collect();
        assert_eq!(dots.len(), 5);
        // Level from each brief to the next, then straight up or down to
        // the next target, and level again after the last one.
        let mut want = vec![dots[0]];
        for w in dots.windows(2) {
            if w[1].1 != w[0].1 {
                want.push((w[1].0, w[0].1));
            }
            want.push(w[1]);
        }
        assert_eq!(&path[..path.len() - 1], &want[..], "{doc}");
        let (end_x, end_y) = path[path.len() - 1];
        assert!(end_x > dots[4].0 && end_y == dots[4].1, "{path:?}");
        // Raised: higher on the drawing; held: level; cut: lower.
        assert!(dots[1].1 < dots[0].1 && dots[2].1 < dots[1].1);
        assert_eq!(dots[3].1, dots[2].1);
        assert!(dots[4].1 > dots[3].1);
    }
}

#[test]
fn rating_changes_are_marked_and_written() {
    let h = history(Lang::En);
    let doc = step::svg(&h, Look::builtin(Lang::En), Style::Inline);
    let styled_doc = styled(&doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    // One ring, around the brief that upgraded (the third point).
    let rings: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("fill") == Some("none"))
        .collect();
    // The legend's ring and the point's.
    assert_eq!(rings.len(), 2, "{doc}");
    let upgrade = xml
        .descendants()
        .find(|n| {
            n.has_tag_name("circle")
                && n.attribute("r") == Some("4")
                && n.children()
                    .any(|c| c.text().is_some_and(|t| t.contains("2024Q4")))
        })
        .unwrap();
    assert_eq!(rings[1].attribute("cx"), upgrade.attribute("cx"));
    assert_eq!(rings[1].attribute("cy"), upgrade.attribute("cy"));
    // Written in words under its period (wrapped to fit), bold, and in
    // the description; the first rating is written plain.
    let texts: Vec<(String, Option<&str>)> = xml
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            (
                n.text().unwrap_or("").to_string(),
                n.attribute("font-weight"),
            )
        })
        .collect();
    let at = texts.iter().position(|(t, _)| t == "2024Q4").unwrap();
    let change: String = texts[at + 1..]
        .iter()
        .take_while(|(t, w)| *w == Some("bold") && !t.starts_with("2025"))
        .map(|(t, _)| t.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(change, "Outperform → Buy");
    assert!(texts.contains(&("Outperform".to_string(), None)));
    assert_eq!(texts.iter().filter(|(t, _)| t == "Buy").count(), 0);
    let desc = xml
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap();
    for part in [
        "From $58.00 in 2024Q2 (8 Aug 2024), rated Outperform; ",
        "raised to $75.00 in 2024Q4 (13 Feb 2025), rating changed from Outperform to Buy; ",
        "kept at $75.00 in 2025Q1 (8 May 2025); ",
        "cut to $70.00 in 2025Q2 (7 Aug 2025). Latest target $70.00.",
    ] {
        assert!(desc.contains(part), "{desc}");
    }
    let zh = step::svg(&history(Lang::Zh), Look::builtin(Lang::Zh), Style::Inline);
    assert!(zh.contains("评级由增持调整为买入"), "{zh}");
}

#[test]
fn the_target_chart_comes_with_its_numbers_and_file() {
    let h = history(Lang::En);
    let pair = step::svg_pair(&h, Look::builtin(Lang::En));
    assert_eq!(
        pair.inline,
        step::svg(&h, Look::builtin(Lang::En), Style::Inline)
    );
    assert_eq!(
        pair.standalone,
        step::svg(&h, Look::builtin(Lang::En), Style::Standalone)
    );
    check_document(&pair.standalone, &h.id, Style::Standalone);
    let html = step::block(&h, &pair.inline, Look::builtin(Lang::En));
    assert!(html.contains("<a href=\"target-nwrb-demo.svg\" download>"));
    assert!(html.contains(
        "<tr><th scope=\"row\">2024Q4</th><td>13 Feb 2025</td><td>$75.00</td><td>Outperform → Buy</td></tr>"
    ));
    assert_eq!(html.matches("<tr><th scope=\"row\">").count(), 5);
    // Nothing to draw: a "no data" drawing, still wired for readers.
    let mut bad = h.clone();
    bad.points.clear();
    let doc = step::svg(&bad, Look::builtin(Lang::En), Style::Inline);
    check_document(&doc, &bad.id, Style::Inline);
    assert!(doc.contains("No data"));
}

#[test]
fn odd_target_histories_still_draw() {
    let one = |v: &str| target("2025Q1", "", v, None);
    let cases = [
        vec![one("1"), one("1")],
        vec![one("0"), one("0"), one("0")],
        vec![one("1e15"), one("1e-12")],
        vec![one("-5"), one("3")],
        vec![one("42")],
        (0..60).map(|i| one(&format!("{}", 10 + i % 7))).collect(),
    ];
    for points in cases {
        let h = TargetHistory {
            id: "target-x".into(),
            title: "Target".into(),
            currency: "HKD".into(),
            points,
        };
        for style in [Style::Inline, Style::Standalone] {
            let h2 = h.clone();
            let doc = within_10s("target", move || {
                step::svg(&h2, Look::builtin(Lang::En), style)
            });
            check_document(&doc, "target-x", style);
        }
    }
}

/// The periods of [`guide`]: four reported quarters and two estimates.
const GUIDE_X: [&str; 6] = [
    "FY2025Q3",
    "FY2025Q4",
    "FY2026Q1",
    "FY2026Q2",
    "FY2026Q3E",
    "FY2026Q4E",
];

/// `s` with its last `n` points estimates.
fn estimated(mut s: Series, n: usize) -> Series {
    let from = s.points.len() - n;
    for p in &mut s.points[from..] {
        p.estimate = true;
    }
    s
}

/// `combo` over four reported quarters and two estimated ones: revenue
/// as bars, its growth as a line, both with the last two points
/// estimates.
fn guide(w: Words) -> Chart {
    let mut line = series(
        w.t("同比增速", "YoY growth"),
        Kind::Ratio,
        &["9.5%", "12.1%", "15.8%", "16.9%", "14.0%", "12.5%"],
    );
    line.style = SeriesStyle::Line;
    let bars = series(
        w.t("营收", "Revenue"),
        money(),
        w.t(
            &[
                "309.4亿", "311.3亿", "352.9亿", "326.1亿", "340.0亿", "380.0亿",
            ],
            &[
                "30.94bn", "31.13bn", "35.29bn", "32.61bn", "34.00bn", "38.00bn",
            ],
        ),
    );
    chart(
        "guide",
        ChartType::Combo,
        w.t(
            "营收与同比增速（含预测）",
            "Revenue and YoY growth with estimates",
        ),
        &GUIDE_X,
        vec![estimated(bars, 2), estimated(line, 2)],
    )
}

/// The elements of `doc` with a tooltip: (category, tag, fill, stroke).
fn marks(doc: &str) -> Vec<(String, String, String, String)> {
    let styled_doc = styled(doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    xml.descendants()
        .filter(|n| n.is_element() && !n.has_tag_name("text") && !n.has_tag_name("svg"))
        .filter_map(|n| {
            let tip = n.children().find(|c| c.has_tag_name("title"))?.text()?;
            let x = tip.split(" · ").next()?.to_string();
            let attr = |a: &str| n.attribute(a).unwrap_or("").to_string();
            Some((
                x,
                n.tag_name().name().to_string(),
                attr("fill"),
                attr("stroke"),
            ))
        })
        .collect()
}

/// How many outlined swatches `doc`'s legend has: outlined paths with
/// no tooltip.
fn marks_in_legend(doc: &str) -> usize {
    let styled_doc = styled(doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    xml.descendants()
        .filter(|n| n.has_tag_name("path"))
        .filter(|n| n.attribute("fill").is_some_and(|f| f.contains("-est-")))
        .filter(|n| !n.children().any(|t| t.has_tag_name("title")))
        .count()
}

/// The dashed lines of `doc`, as their points.
fn dashed(doc: &str) -> Vec<Vec<(i32, i32)>> {
    let styled_doc = styled(doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    xml.descendants()
        .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-dasharray").is_some())
        .map(|n| points_of(n.attribute("points").unwrap()))
        .collect()
}

/// The `<desc>` of `doc`.
fn desc_of(doc: &str) -> String {
    let styled_doc = styled(doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    xml.descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .unwrap()
        .to_string()
}

#[test]
fn estimates_are_drawn_outlined_dashed_and_named() {
    let estimate = |x: &str| x.ends_with('E');
    for (lang, code) in langs() {
        let w = Words {
            zh: lang == Lang::Zh,
        };
        let c = guide(w);
        let doc = svg(&c, Look::builtin(lang), Style::Inline);
        check_document(&doc, &c.id, Style::Inline);
        assert_texts_fit(&doc, &c.id);
        // Bars: an outlined path over the estimate hatch for exactly the
        // estimates, a filled rect otherwise; the line's markers hollow
        // (the background inside a ring) for them, dots otherwise.
        let marks = marks(&doc);
        assert_eq!(marks.len(), 12, "{marks:?}");
        for (x, tag, fill, stroke) in &marks {
            let bar = fill.contains("--ts-s1") || fill.contains("-est-0") || fill.contains("-s1");
            match (estimate(x), bar) {
                (true, true) => {
                    assert_eq!(
                        (tag.as_str(), fill.as_str()),
                        ("path", "url(#ts-guide-est-0)")
                    );
                    assert!(stroke.starts_with("var(--ts-s1"), "{x}: {stroke}");
                }
                (true, false) => {
                    assert_eq!(tag, "path", "{x}");
                    assert!(fill.starts_with("var(--bg") && stroke.starts_with("var(--ts-s2"));
                }
                (false, true) => assert_eq!(tag, "rect", "{x}"),
                (false, false) => {
                    assert_eq!(tag, "circle", "{x}");
                    assert!(fill.starts_with("var(--ts-s2"), "{x}: {fill}");
                }
            }
        }
        // The line: solid through the reported quarters, dashed from the
        // last of them into the estimates (the legend's dash aside).
        let markers: Vec<(i32, i32)> = {
            let styled_doc = styled(&doc);
            let xml = roxmltree::Document::parse(&styled_doc).unwrap();
            xml.descendants()
                .filter(|n| n.has_tag_name("circle") || n.has_tag_name("path"))
                .filter(|n| n.children().any(|t| t.has_tag_name("title")))
                .filter(|n| n.attribute("fill").is_some_and(|f| !f.contains("-est-")))
                .filter_map(|n| {
                    let cx = n.attribute("cx").map(|v| v.parse().unwrap());
                    let cy = n.attribute("cy").map(|v| v.parse().unwrap());
                    cx.zip(cy)
                })
                .collect()
        };
        assert_eq!(markers.len(), 4, "the reported points are dots");
        let dashes = dashed(&doc);
        let plot: Vec<&Vec<(i32, i32)>> = dashes.iter().filter(|d| d.len() == 3).collect();
        assert_eq!(plot.len(), 1, "{dashes:?}");
        assert_eq!(plot[0][0], markers[3], "the dash starts at FY2026Q2");
        // The legend shows the bars' outline (the line's dash is the
        // legend of a line chart).
        assert_eq!(dashes.len(), 1, "{dashes:?}");
        assert_eq!(marks_in_legend(&doc), 1);
        assert!(doc.contains(&format!(">{}</text>", w.t("预测", "Estimate"))));
        // The words: the description names the estimates, the table
        // marks them and says what the mark means.
        let desc = desc_of(&doc);
        let named = w.t(
            "FY2026Q3E、FY2026Q4E为预测值。",
            "FY2026Q3E and FY2026Q4E are estimates.",
        );
        assert!(desc.ends_with(named), "{code}: {desc}");
        let html = block(&c, &doc, Look::builtin(lang));
        assert_eq!(html.matches("<td class=\"estimate\">").count(), 4, "{html}");
        assert_eq!(html.matches("<sup>E</sup></td>").count(), 4, "{html}");
        for x in GUIDE_X {
            let row = html
                .split("<tr>")
                .find(|r| r.starts_with(&format!("<th scope=\"row\">{x}</th>")))
                .unwrap();
            assert_eq!(row.contains("estimate"), estimate(x), "{row}");
        }
        assert!(html.contains(w.t(
            "<p class=\"chart-note\">E = 预测</p>",
            "<p class=\"chart-note\">E = estimate</p>"
        )));
        insta::assert_snapshot!(format!("guide_{code}"), doc);
        insta::assert_snapshot!(format!("guide_{code}_block"), html);
    }
    let c = guide(Words { zh: false });
    let file = svg(&c, Look::builtin(Lang::En), Style::Standalone);
    check_document(&file, &c.id, Style::Standalone);
    assert!(file.contains("<pattern id=\"ts-guide-est-0\""), "{file}");
    assert!(file.contains("E = estimate</text>"), "{file}");
    insta::assert_snapshot!("guide_en_standalone", file);
}

/// Each chart type over categories draws its estimates its own way, and
/// a chart without one draws none of those marks.
#[test]
fn every_type_marks_estimates_and_only_estimates() {
    let w = Words { zh: false };
    let c = guide(w);
    let (bars, line) = (c.series[0].clone(), c.series[1].clone());
    let of = |kind: ChartType, series: Vec<Series>| {
        let c = chart("g", kind, "G", &GUIDE_X, series);
        svg(&c, Look::builtin(Lang::En), Style::Inline)
    };
    // Bars, stacked layers: two outlined bars per estimating series and
    // the legend's swatch.
    let bar = of(ChartType::Bar, vec![bars.clone()]);
    assert_eq!(bar.matches("fill=\"url(#ts-g-est-0)\"").count(), 3, "{bar}");
    let stacked = of(ChartType::Stacked, vec![bars.clone(), bars.clone()]);
    assert_eq!(
        stacked.matches("fill=\"url(#ts-g-est-").count(),
        5,
        "{stacked}"
    );
    // A line: the way into the estimates dashed, their markers hollow.
    let mut l = line.clone();
    l.style = SeriesStyle::Bar;
    let lines = of(ChartType::Line, vec![l]);
    assert_eq!(dashed(&lines).iter().filter(|d| d.len() == 3).count(), 1);
    assert_eq!(lines.matches("<circle").count(), 4, "{lines}");
    // A donut: the estimated parts outlined, and said so in its legend.
    let parts = estimated(series("Mix", money(), &["19.8bn", "10.0bn", "5.2bn"]), 1);
    let donut = chart("g", ChartType::Donut, "G", &["A", "B", "CE"], vec![parts]);
    let donut = svg(&donut, Look::builtin(Lang::En), Style::Inline);
    assert_eq!(
        donut.matches("fill=\"url(#ts-g-est-2)\"").count(),
        2,
        "{donut}"
    );
    assert!(desc_of(&donut).ends_with("CE is an estimate."), "{donut}");
    // Nothing of it without estimates.
    let plain = |s: &Series| Series {
        points: s
            .points
            .iter()
            .map(|p| Point {
                estimate: false,
                ..p.clone()
            })
            .collect(),
        ..s.clone()
    };
    for doc in [
        of(ChartType::Combo, vec![plain(&bars), plain(&line)]),
        of(ChartType::Bar, vec![plain(&bars)]),
    ] {
        assert!(
            !doc.contains("-est-") && !doc.contains("dasharray"),
            "{doc}"
        );
        assert!(!desc_of(&doc).contains("estimate"), "{doc}");
    }
}

/// `series` with a gap wherever a value is empty.
fn gappy(name: &str, unit: Kind, values: &[&str]) -> Series {
    let mut s = series(
        name,
        unit,
        &values
            .iter()
            .map(|v| if v.is_empty() { "0" } else { v })
            .collect::<Vec<_>>(),
    );
    for (p, v) in s.points.iter_mut().zip(values) {
        if v.is_empty() {
            p.figure = None;
        }
    }
    s
}

/// A bar and a line chart with a gap in the middle (2024Q4).
fn gap_charts(w: Words) -> [Chart; 2] {
    let bars = gappy(
        w.t("营收", "Revenue"),
        money(),
        &["310.1亿", "311.3亿", "", "326.1亿", "350亿"],
    );
    let line = gappy(
        w.t("毛利率", "Gross margin"),
        Kind::Ratio,
        &["54.1%", "54.9%", "", "55.2%", "55.7%"],
    );
    [
        chart(
            "gap-bar",
            ChartType::Bar,
            w.t("季度营收", "Quarterly revenue"),
            &QUARTERS,
            vec![bars],
        ),
        chart(
            "gap-line",
            ChartType::Line,
            w.t("毛利率", "Gross margin"),
            &QUARTERS,
            vec![line],
        ),
    ]
}

#[test]
fn a_gap_is_no_bar_a_broken_line_n_m_in_the_table_and_named_in_the_desc() {
    for (lang, suffix) in langs() {
        let w = Words {
            zh: lang == Lang::Zh,
        };
        let look = Look::builtin(lang);
        let [bar, line] = gap_charts(w);
        let (gap_word, named) = w.t(
            ("不适用", "2024Q4 无数据。"),
            ("n.m.", "No figure for 2024Q4."),
        );
        for c in [&bar, &line] {
            let doc = svg(c, look, Style::Inline);
            check_document(&doc, &c.id, Style::Inline);
            assert_texts_fit(&doc, &c.id);
            insta::assert_snapshot!(format!("gap_{}_{suffix}", &c.id[4..]), doc);
            // Nothing drawn at the gap: no tooltip names it.
            assert!(!doc.contains("2024Q4 · "), "{doc}");
            assert_eq!(doc.matches("<title>20").count(), 4, "{doc}");
            let desc = desc_of(&doc);
            assert!(desc.contains(named), "{desc}");
            let html = block(c, &doc, look);
            let cell = format!("<th scope=\"row\">2024Q4</th><td>{gap_word}</td>");
            assert!(html.contains(&cell), "{html}");
        }
        let doc = svg(&bar, look, Style::Inline);
        // Four bars, four value labels: none at the gap.
        let styled_doc = styled(&doc);
        let xml = roxmltree::Document::parse(&styled_doc).unwrap();
        let bars = xml
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.children().any(|t| t.has_tag_name("title")))
            .count();
        assert_eq!(bars, 4, "{doc}");
        assert!(!doc.contains(">0亿") && !doc.contains(">0.00"), "{doc}");
        // The line: two polylines (before and after the gap), no segment
        // across it, four markers.
        let doc = svg(&line, look, Style::Inline);
        let styled_doc = styled(&doc);
        let xml = roxmltree::Document::parse(&styled_doc).unwrap();
        let runs: Vec<Vec<(i32, i32)>> = xml
            .descendants()
            .filter(|n| n.has_tag_name("polyline") && n.attribute("stroke-width") == Some("2"))
            .map(|n| points_of(n.attribute("points").unwrap()))
            .collect();
        assert_eq!(runs.len(), 2, "{doc}");
        assert_eq!((runs[0].len(), runs[1].len()), (2, 2), "{doc}");
        assert!(runs[0][1].0 < runs[1][0].0, "{doc}");
        let markers = xml
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count();
        assert_eq!(markers, 4, "{doc}");
        // The desc's range is over the figures that are there.
        let desc = desc_of(&doc);
        assert!(
            desc.contains(w.t("最新55.7%（2025Q2）", "latest 55.7% (2025Q2)")),
            "{desc}"
        );
    }
}

#[test]
fn gaps_are_drawn_in_every_type_without_panicking() {
    for kind in every_type() {
        let mut a = gappy("A", money(), &["1.0bn", "", "3.0bn"]);
        let b = gappy("B", Kind::Ratio, &["", "5.0%", "6.0%"]);
        if kind == ChartType::Combo {
            a.style = SeriesStyle::Bar;
        }
        let mut b = b;
        b.style = SeriesStyle::Line;
        let series = match kind {
            ChartType::Combo => vec![a, b],
            ChartType::Stacked => vec![a.clone(), a],
            ChartType::Bar | ChartType::Compare | ChartType::Line | ChartType::Donut => vec![a],
        };
        let c = chart("gaps", kind, "Gaps", &["FY1", "FY2", "FY3"], series);
        for (lang, _) in langs() {
            let doc = svg(&c, Look::builtin(lang), Style::Standalone);
            check_document(&doc, "gaps", Style::Standalone);
            let desc = desc_of(&doc);
            match kind {
                // A donut's parts cannot be missing: validation refuses it,
                // and the renderer says it has no data.
                ChartType::Donut => assert!(
                    desc.contains(if lang == Lang::Zh {
                        "暂无数据"
                    } else {
                        "No data"
                    }),
                    "{desc}"
                ),
                ChartType::Bar
                | ChartType::Compare
                | ChartType::Line
                | ChartType::Stacked
                | ChartType::Combo => assert!(desc.contains("FY2"), "{desc}"),
            }
        }
    }
}

#[test]
fn values_read_null_n_m_not_applicable_and_empty_as_gaps() {
    let text = "---\ntitle: t\ncharts:\n  - id: g\n    type: bar\n    title: G\n    x: [a, b, c, d, e, f]\n    series:\n      - { name: S, values: [1.0bn, null, n.m., 不适用, \"\", 2.0bn] }\n---\nbody\n";
    let doc = tearsheet::testing::Document::parse(
        "content/briefs/g.md".into(),
        "briefs/g.md".into(),
        text.as_bytes().to_vec(),
    )
    .unwrap();
    let series = doc.front_matter.charts[0].series.as_ref().unwrap();
    let values: Vec<Option<String>> = series[0]
        .values
        .iter()
        .map(|v| v.0.as_ref().map(|f| f.text.clone()))
        .collect();
    assert_eq!(
        values,
        [
            Some("1.0bn".to_string()),
            None,
            None,
            None,
            None,
            Some("2.0bn".to_string())
        ]
    );
    // Anything else is still read as a figure, and refused when it is not one.
    let bad = text.replace("n.m.,", "n/a,");
    let err = tearsheet::testing::Document::parse(
        "content/briefs/g.md".into(),
        "briefs/g.md".into(),
        bad.into_bytes(),
    )
    .unwrap_err();
    assert!(format!("{err:?}").contains("cannot read figure"), "{err:?}");
}

// ---------- Layout: labels that cannot collide, any size ----------

use proptest::prelude::*;
use tearsheet::testing::chart::svg_narrow;

/// A category label: a period, a long English name, or a long CJK one.
fn arb_label() -> impl Strategy<Value = String> {
    prop_oneof![
        "(19|20)[0-9]{2}Q[1-4]E?",
        "[A-Z][a-z]{1,11}( [a-z]{1,12}){0,7}",
        "[\u{4e00}-\u{4fff}]{1,18}",
        "[A-Za-z]{3,30}",
    ]
}

/// A random chart of `kind` over `n` categories: amounts in billions
/// (close together when `close`) or ratios, negative ones where the type
/// takes them.
fn random_chart(
    kind: ChartType,
    labels: &[String],
    raw: &[i64],
    close: bool,
    ratio: bool,
) -> Chart {
    let n = labels.len();
    let value = |j: usize, i: usize, non_negative: bool| {
        let r = raw[(j * 41 + i) % raw.len()];
        let r = if close { 24_000 + r % 500 } else { r };
        let r = if non_negative { r.abs() + 1 } else { r };
        if ratio {
            format!("{:.1}%", r as f64 / 100.0)
        } else {
            format!("{:.2}bn", r as f64 / 100.0)
        }
    };
    let unit = if ratio { Kind::Ratio } else { money() };
    let make = |name: &str, j: usize, non_negative: bool, unit: Kind| {
        let vals: Vec<String> = (0..n).map(|i| value(j, i, non_negative)).collect();
        let vs: Vec<&str> = vals.iter().map(String::as_str).collect();
        series(name, unit, &vs)
    };
    let names = [
        "Professional services and maintenance",
        "云服务收入",
        "Other",
    ];
    let s = match kind {
        ChartType::Compare => vec![
            make("prior", 0, false, unit.clone()),
            make("x", 1, false, unit),
        ],
        ChartType::Donut => vec![make(names[0], 0, true, unit)],
        ChartType::Combo => {
            let mut line = make("YoY growth of the whole company", 1, false, Kind::Ratio);
            for p in &mut line.points {
                let f = p.figure.as_ref().unwrap().amount.to_f64();
                p.figure =
                    Some(Figure::parse(&format!("{:.1}%", f.rem_euclid(0.3) * 100.0)).unwrap());
            }
            line.style = SeriesStyle::Line;
            vec![make(names[0], 0, false, money()), line]
        }
        ChartType::Bar | ChartType::Line | ChartType::Stacked => (0..3)
            .map(|j| make(names[j], j, kind == ChartType::Stacked, unit.clone()))
            .take(if kind == ChartType::Bar { 1 } else { 3 })
            .collect(),
    };
    let x: Vec<&str> = labels.iter().map(String::as_str).collect();
    chart("random", kind, "A random chart", &x[..n], s)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("TEARSHEET_LAYOUT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
    ))]

    /// Random values (close or far apart, negative too), long English and
    /// CJK labels, 1 to 40 categories, every type, both languages, the
    /// wide drawing and the narrow one: no text leaves the drawing or
    /// overlaps another under the width model.
    #[test]
    fn no_two_texts_overlap_in_any_chart(
        kind in 0..6usize,
        labels in proptest::collection::vec(arb_label(), 1..=40),
        raw in proptest::collection::vec(-30_000i64..300_000, 1..=120),
        close in any::<bool>(),
        ratio in any::<bool>(),
        zh in any::<bool>(),
    ) {
        let kind = every_type()[kind];
        let c = random_chart(kind, &labels, &raw, close, ratio && kind != ChartType::Combo);
        let lang = if zh { Lang::Zh } else { Lang::En };
        let look = Look::builtin(lang);
        for doc in [svg(&c, look, Style::Inline), svg(&c, look, Style::Standalone)] {
            assert_texts_fit(&doc, &c.id);
        }
        let narrow = svg_narrow(&c, look);
        assert!(narrow.contains("viewBox=\"0 0 320 "), "{narrow}");
        assert_texts_fit(&narrow, &format!("{}-n", c.id));
        // Nothing under 12 in the narrow drawing.
        let (_, _, boxes) = text_boxes(&narrow);
        prop_assert!(!boxes.is_empty());
        let styled_doc = styled(&narrow);
        for n in roxmltree::Document::parse(&styled_doc).unwrap().descendants() {
            if let Some(size) = n.attribute("font-size") {
                prop_assert!(size.parse::<f64>().unwrap() >= 12.0, "{size} in {narrow}");
            }
        }
    }
}

/// The texts of a drawing with their anchors: (text, text-anchor).
fn texts(doc: &str) -> Vec<(String, String)> {
    let styled_doc = styled(doc);
    let xml = roxmltree::Document::parse(&styled_doc).unwrap();
    xml.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let t: String = n.children().filter_map(|c| c.text()).collect();
            (t, n.attribute("text-anchor").unwrap_or("").to_string())
        })
        .collect()
}

/// A margin from 55.7% to 56.9%: a zoomed axis in round half-point
/// steps with one decimal (as the data), at least three ticks, a break
/// mark at the foot of the axis and a note of where it starts.
#[test]
fn a_narrow_margin_gets_round_ticks_and_a_zero_break_mark() {
    let vals = [
        "55.7%", "55.9%", "56.2%", "55.8%", "56.1%", "56.4%", "56.6%", "56.9%",
    ];
    let x = [
        "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2",
    ];
    let c = chart(
        "margin",
        ChartType::Line,
        "Gross margin",
        &x,
        vec![series("Gross margin", Kind::Ratio, &vals)],
    );
    for doc in [
        svg(&c, Look::builtin(Lang::En), Style::Inline),
        svg_narrow(&c, Look::builtin(Lang::En)),
    ] {
        let ticks: Vec<String> = texts(&doc)
            .into_iter()
            .filter(|(t, a)| a == "end" && t.ends_with('%'))
            .map(|(t, _)| t)
            .collect();
        assert_eq!(ticks, ["55.5%", "56.0%", "56.5%", "57.0%"], "{doc}");
        assert!(doc.contains(">axis from 55.5%</text>"), "{doc}");
        // The break: two short slanted strokes over a gap in the axis.
        let styled_doc = styled(&doc);
        let xml = roxmltree::Document::parse(&styled_doc).unwrap();
        let strokes: Vec<Vec<(i32, i32)>> = xml
            .descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .map(|n| points_of(n.attribute("points").unwrap()))
            .filter(|p| p.len() == 2 && (p[1].0 - p[0].0, p[1].1 - p[0].1) == (6, -7))
            .collect();
        assert_eq!(strokes.len(), 2, "{doc}");
    }
    let zh = svg(&c, Look::builtin(Lang::Zh), Style::Inline);
    assert!(zh.contains(">纵轴自 55.5% 起</text>"), "{zh}");
    // From zero: no mark, no note.
    let mut from_zero = c.clone();
    from_zero.series[0].points[0].figure = Some(Figure::parse("1.0%").unwrap());
    let doc = svg(&from_zero, Look::builtin(Lang::En), Style::Inline);
    assert!(!doc.contains("axis from"), "{doc}");
}

/// Every money label of a chart carries its currency mark the same way:
/// all `RMB 26.27bn` or all `26.27bn`, never a mix (stacked layers and
/// totals, grouped bars, combos; wide and narrow).
#[test]
fn money_labels_of_a_chart_all_carry_the_currency_or_none_does() {
    let mut charts = gallery(Lang::En);
    charts.push(chart(
        "close",
        ChartType::Stacked,
        "Close",
        &["2024Q2", "2025Q2"],
        vec![
            series("Services", money(), &["184.22bn", "186.78bn"]),
            series("Subscriptions", money(), &["26.27bn", "33.40bn"]),
            series("Licences", money(), &["3.76bn", "3.81bn"]),
        ],
    ));
    charts.push(chart(
        "two",
        ChartType::Bar,
        "Two",
        &["Revenue", "Subscriptions"],
        vec![series("x", money(), &["247.65bn", "26.55bn"])],
    ));
    let look = Look::builtin(Lang::En);
    let mut seen = 0;
    for c in &charts {
        for doc in [svg(c, look, Style::Inline), svg_narrow(c, look)] {
            let values: Vec<String> = texts(&doc)
                .into_iter()
                .filter(|(t, a)| a != "end" && t.contains('.') && t.ends_with("bn"))
                .map(|(t, _)| t)
                .collect();
            let marked = values.iter().filter(|t| t.contains("RMB")).count();
            assert!(
                marked == 0 || marked == values.len(),
                "{}: {values:?}",
                c.id
            );
            seen += values.len();
        }
    }
    assert!(seen > 20, "{seen}");
}

/// A chart's `total` is the reported figure: at a donut's centre and on
/// the last stack, even where the parts' sum rounds otherwise.
#[test]
fn the_reported_total_is_shown_not_the_sum_of_parts() {
    let mut donut = gallery(Lang::En).remove(5);
    donut.total = Some(Figure::parse("35.01bn").unwrap());
    let doc = svg(&donut, Look::builtin(Lang::En), Style::Inline);
    assert!(doc.contains(">RMB 35.01bn</text>"), "{doc}");
    assert!(doc.contains("Total RMB 35.01bn"), "the description: {doc}");
    let mut stack = gallery(Lang::En).remove(3);
    assert_eq!(stack.kind, ChartType::Stacked);
    stack.total = Some(Figure::parse("35.01bn").unwrap());
    let doc = svg(&stack, Look::builtin(Lang::En), Style::Inline);
    assert!(doc.contains(">35.01bn</text>"), "{doc}");
    assert!(!doc.contains(">35.00bn</text>"), "{doc}");
}

/// A range drawn as a bar is its midpoint with a whisker from its low to
/// its high end (three strokes: the span and two caps), and the axis
/// reaches the whisker's top; a single figure has none.
#[test]
fn a_range_is_a_bar_at_its_midpoint_with_a_whisker() {
    let usd = Kind::Money {
        currency: "USD".into(),
    };
    let x = ["2025Q2", "2025Q3E"];
    let with = |v: &str| {
        let mut s = series("Revenue", usd.clone(), &["46.7bn", v]);
        s.points[1].estimate = true;
        let c = chart(
            "guide",
            ChartType::Bar,
            "Revenue and the guide",
            &x,
            vec![s],
        );
        svg(&c, Look::builtin(Lang::En), Style::Standalone)
    };
    let strokes = |doc: &str| doc.matches("<polyline").count();
    let ranged = with("53.0bn–59.0bn");
    let point = with("56.0bn");
    assert_eq!(strokes(&ranged), strokes(&point) + 3, "{ranged}");
    assert!(ranged.contains("$53.0bn–$59.0bn"), "{ranged}");
    // The whisker's top, 59.0bn, is on the axis: it runs to 60bn.
    assert!(ranged.contains(">60bn</text>"), "{ranged}");
}

/// Inline charts carry no font stack of their own: the theme's
/// stylesheet gives them the page's, CJK fonts included.
#[test]
fn the_theme_gives_inline_charts_their_font_stack() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/style.css"))
        .expect("the theme's stylesheet");
    assert!(css.contains("svg.ts-chart {\n  font-family: var(--font-sans);\n"));
    let sans = &css[css.find("--font-sans:").expect("the font stack")..];
    let sans = &sans[..sans.find(';').expect("ends")];
    assert!(
        sans.contains("\"PingFang SC\"") && sans.contains("\"Noto Sans CJK SC\""),
        "{sans}"
    );
}

/// A chart's second drawing, for a phone's column, is named by the first
/// one's title and description (on the same page; no copy of its own)
/// and carries no tooltips (nothing hovers on a phone; the full texts
/// are in the data table), while the first keeps them: brief charts of
/// every type and the target-price step chart, in both languages.
#[test]
fn the_narrow_drawing_is_named_by_the_wide_one_and_has_no_tooltips() {
    for (lang, _) in langs() {
        let look = Look::builtin(lang);
        let mut drawings: Vec<(String, String, String)> = gallery(lang)
            .iter()
            .map(|c| {
                (
                    c.id.clone(),
                    svg(c, look, Style::Inline),
                    svg_narrow(c, look),
                )
            })
            .collect();
        let h = history(lang);
        drawings.push((
            h.id.clone(),
            step::svg(&h, look, Style::Inline),
            step::svg_narrow(&h, look),
        ));
        for (id, wide, narrow) in drawings {
            let names = format!("aria-labelledby=\"ts-{id}-title ts-{id}-desc\"");
            assert!(wide.contains(&names), "{id}: {wide}");
            assert!(
                wide.contains(&format!("<title id=\"ts-{id}-title\">")),
                "{wide}"
            );
            assert!(
                wide.contains(&format!("<desc id=\"ts-{id}-desc\">")),
                "{wide}"
            );
            let root = &narrow[..narrow.find('>').expect("a root element")];
            assert!(root.contains(&names), "{id}: {root}");
            assert!(root.contains("class=\"ts-chart ts-narrow\""), "{root}");
            assert!(
                !narrow.contains("<title") && !narrow.contains("<desc"),
                "{narrow}"
            );
            // The bars, points and slices of the wide drawing have theirs.
            assert!(wide.contains("\"><title>"), "{id}: {wide}");
        }
    }
}
