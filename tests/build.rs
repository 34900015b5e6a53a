//! `tearsheet build`, `init` and `new` end to end on fixture sites: the
//! files written, their exact content where it matters, and the
//! guarantees about the output folder.

mod common;

use std::fs;
use std::path::Path;

use common::{copy_fixture, fixture, tearsheet, tree};

fn build(root: &Path, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().expect("utf-8"),
        "--output",
        out.to_str().expect("utf-8"),
    ];
    args.extend_from_slice(extra);
    tearsheet(&args, None)
}

/// `style.3f2a9c1e.css` → `style.HASH.css`.
fn hashless(name: &str) -> String {
    let parts: Vec<&str> = name.split('.').collect();
    if parts.len() == 3 && parts[1].len() == 8 && parts[1].chars().all(|c| c.is_ascii_hexdigit()) {
        format!("{}.HASH.{}", parts[0], parts[2])
    } else {
        name.to_string()
    }
}

/// The hashed name an asset got in an output folder.
fn asset(out: &Path, stem: &str) -> String {
    fs::read_dir(out)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with(&format!("{stem}.")) && hashless(n) != *n)
        .unwrap_or_else(|| panic!("no hashed {stem}"))
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// A copy of the fixture `name` with `chart_files: true`: each chart also
/// a standalone `.svg` beside its page.
fn with_chart_files(name: &str) -> tempfile::TempDir {
    let site = copy_fixture(name);
    let yaml = site.path().join("site.yaml");
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, format!("{text}chart_files: true\n")).unwrap();
    site
}

/// The `<main>` element of a page: what the brief shows, without the
/// site chrome.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("has <main>");
    let end = html.find("</main>").expect("has </main>") + "</main>".len();
    &html[start..end]
}

#[test]
fn minimal_site_pages_are_exact() {
    let out = tempfile::tempdir().unwrap();
    let run = build(&fixture("minimal"), out.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let files: Vec<String> = tree(out.path())
        .into_iter()
        .map(|(p, _)| hashless(&p))
        .collect();
    assert_eq!(
        files,
        [
            ".tearsheet-output",
            "404.html",
            "about/index.html",
            "atom.xml",
            "briefs/2025q2-test-en/index.html",
            "briefs/2025q2-test/index.html",
            "charts.HASH.js",
            "companies/index.html",
            "companies/test.hk/index.html",
            "favicon.svg",
            "index.html",
            "robots.txt",
            "search-index.js",
            "search-index.json",
            "search.HASH.js",
            "search/b/0.json",
            "search/filters.json",
            "search/index.json",
            "search/t/0.bin",
            "sitemap.xml",
            "style.HASH.css",
            "tags/ai/index.html",
            "tags/index.html",
        ]
    );
    insta::assert_snapshot!(
        "minimal_zh_brief",
        main_of(&read(&out.path().join("briefs/2025q2-test/index.html")))
    );
    insta::assert_snapshot!(
        "minimal_en_brief",
        main_of(&read(&out.path().join("briefs/2025q2-test-en/index.html")))
    );
    insta::assert_snapshot!(
        "minimal_home",
        main_of(&read(&out.path().join("index.html")))
    );
}

#[test]
fn pages_carry_their_language_and_relative_links() {
    let out = tempfile::tempdir().unwrap();
    let minimal = with_chart_files("minimal");
    assert_eq!(build(minimal.path(), out.path(), &[]).code, 0);
    let zh = read(&out.path().join("briefs/2025q2-test/index.html"));
    let en = read(&out.path().join("briefs/2025q2-test-en/index.html"));
    assert!(zh.contains("<html lang=\"zh\">"));
    assert!(en.contains("<html lang=\"en\">"));
    assert!(zh.contains(&format!("href=\"../../{}\"", asset(out.path(), "style"))));
    assert!(zh
        .contains("<link rel=\"canonical\" href=\"https://example.org/sub/briefs/2025q2-test/\">"));
    // One convention per site: rises are red on every page of this zh
    // site, its en brief too (site.yaml's up_color would say otherwise).
    assert!(zh.contains("class=\"up-red\""));
    assert!(en.contains("class=\"up-red\""));
    assert!(!en.contains("up-green"));
    // site.yaml's up_color reaches the chart files too: falls are red
    // where rises are green (the zh default draws them green).
    let falls_green = ".fd{fill:#137333}";
    let falls_red = ".fd{fill:#c4281c}";
    let chart = read(&out.path().join("briefs/2025q2-test/growth.svg"));
    assert!(chart.contains(falls_green) && !chart.contains(falls_red));
    let site = with_chart_files("minimal");
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}up_color: green\n"),
    )
    .unwrap();
    let green = site.path().join("public");
    assert_eq!(build(site.path(), &green, &[]).code, 0);
    let zh = read(&green.join("briefs/2025q2-test/index.html"));
    assert!(zh.contains("class=\"up-green\""));
    let chart = read(&green.join("briefs/2025q2-test/growth.svg"));
    assert!(chart.contains(falls_red) && !chart.contains(falls_green));
}

#[test]
fn a_page_without_front_matter_takes_its_first_heading() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(&fixture("minimal"), out.path(), &[]).code, 0);
    let about = read(&out.path().join("about/index.html"));
    assert!(
        about.contains("<title>关于我们 · 测试站</title>"),
        "{about}"
    );
}

#[test]
fn bom_and_crlf_are_read() {
    let out = tempfile::tempdir().unwrap();
    let run = build(&fixture("bom_crlf"), out.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(&out.path().join("briefs/x/index.html"));
    assert!(page.contains("BOM 与 CRLF"));
    assert!(page.contains("营收 <span class=\"fig\">350亿元</span>。"));
    assert!(!page.contains('\r'));
}

#[test]
fn drafts_build_only_with_the_flag() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(&fixture("drafts"), out.path(), &[]).code, 0);
    assert!(out.path().join("briefs/done/index.html").exists());
    assert!(!out.path().join("briefs/wip/index.html").exists());
    assert!(!read(&out.path().join("index.html")).contains("草稿"));
    assert_eq!(build(&fixture("drafts"), out.path(), &["--drafts"]).code, 0);
    assert!(out.path().join("briefs/wip/index.html").exists());
    assert!(read(&out.path().join("index.html")).contains("草稿"));
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        build(&fixture("template_override"), out.path(), &[]).code,
        0
    );
    assert_eq!(
        read(&out.path().join("about/index.html")),
        "<!doctype html><title>About</title><p class=\"custom\"><p>Hello.</p>\n</p>\n"
    );
}

#[test]
fn refuses_to_write_over_the_site_or_a_foreign_folder() {
    let site = copy_fixture("minimal");
    let root = site.path();
    let cases: [(&Path, &str); 4] = [
        (root, "it is the site root"),
        (
            &root.join("content"),
            "it is inside the site's content/ folder",
        ),
        (root.parent().expect("parent"), "it contains the site"),
        (
            &root.join("content/briefs"),
            "it is inside the site's content/ folder",
        ),
    ];
    for (out, why) in cases {
        let run = build(root, out, &[]);
        assert_eq!(run.code, 1, "{}", out.display());
        assert!(
            run.stderr.contains(why),
            "{}: {}",
            out.display(),
            run.stderr
        );
    }
    let foreign = root.join("mine");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("notes.txt"), "keep me").unwrap();
    let run = build(root, &foreign, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("it is not empty and was not made by tearsheet"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&foreign.join("notes.txt")), "keep me");
    assert!(root.join("content/briefs/2025q2-test.md").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = copy_fixture("minimal");
    let out = site.path().join("public");
    assert_eq!(build(site.path(), &out, &[]).code, 0);
    let before = tree(&out);
    fs::write(
        site.path().join("content/briefs/2025q2-test.md"),
        "---\ntitle: x\ndate: 2025-08-21\ncompany: x\nperiod: 2025Q2\nmetrics:\n  a: { label: A, value: bad }\n---\n",
    )
    .unwrap();
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 1);
    assert!(run
        .stderr
        .contains("The build failed; the previous output was left as it was."));
    assert_eq!(tree(&out), before);
    let leftovers: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.contains("tearsheet-staging") || name.contains("tearsheet-old")
        })
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folders left behind: {leftovers:?}"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(build(&fixture("minimal"), a.path(), &[]).code, 0);
    assert_eq!(build(&fixture("minimal"), b.path(), &[]).code, 0);
    assert_eq!(tree(a.path()), tree(b.path()));
}

/// A site's own `static/style.css` replaces the built-in one whole: one
/// without the inline charts' rules, or without the arrows of rises and
/// falls, is warned about (the build still succeeds), one with them is
/// not.
#[test]
fn an_own_style_sheet_without_chart_or_arrow_rules_is_warned_about() {
    let site = copy_fixture("minimal");
    fs::create_dir_all(site.path().join("static")).unwrap();
    let css = site.path().join("static/style.css");
    fs::write(&css, "body { color: #222; }\n").unwrap();
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning[TS0403]: static/style.css: this style sheet replaces the built-in one and has no `svg.ts-chart` rules: inline charts will lose their colours"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("help: copy the `svg.ts-chart` rules of the built-in style sheet into it"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("warning[TS0404]: static/style.css: this style sheet replaces the built-in one and draws no arrows: rises and falls will show only their sign and colour"),
        "{}",
        run.stderr
    );
    fs::write(
        &css,
        "body { color: #222; }\nsvg.ts-chart .f1 { fill: var(--ts-s1); }\n",
    )
    .unwrap();
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("TS0403"), "{}", run.stderr);
    assert!(run.stderr.contains("TS0404"), "{}", run.stderr);
    // The arrows' rules as the built-in sheet writes them, or with the
    // characters themselves.
    for arrows in [
        ".chg.up > i::before { content: \"\\25b2\"; }",
        ".chg.up > i::before { content: \"▲\"; }",
    ] {
        fs::write(
            &css,
            format!("svg.ts-chart .f1 {{ fill: var(--ts-s1); }}\n{arrows}\n"),
        )
        .unwrap();
        let run = build(site.path(), &out, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(!run.stderr.contains("TS040"), "{arrows}: {}", run.stderr);
    }
}

#[test]
fn the_example_site_builds_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let run = build(root, out.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let zh = read(&out.path().join("briefs/2025q2-kuaishou/index.html"));
    for figure in [
        "350亿元",
        "56亿元",
        "3589亿元",
        "1.34亿人",
        "超过2.5亿元",
        "超过32%",
        "89港元",
        "同比 +13.1%",
    ] {
        assert!(zh.contains(figure), "zh brief lacks {figure}");
    }
    let en = read(&out.path().join("briefs/2025q2-kuaishou-en/index.html"));
    for figure in [
        "RMB 35.0bn",
        "RMB 5.6bn",
        "RMB 358.9bn",
        "134m users",
        "&gt;RMB 250m",
        "HK$89",
        "+13.1% YoY",
    ] {
        assert!(en.contains(figure), "en brief lacks {figure}");
    }
}

#[test]
fn init_makes_a_site_that_builds_and_new_adds_a_brief_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let run = tearsheet(&["init", site.to_str().unwrap()], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = tearsheet(
        &["new", "content/briefs/2025q3-acme.md", "--lang", "en"],
        Some(&site),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = tearsheet(&["new", "content/briefs/2025q3-acme.md"], Some(&site));
    assert_eq!(run.code, 1, "new never overwrites");
    let run = tearsheet(&["build"], Some(&site));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.join("public/briefs/example/index.html").exists());
    assert!(site.join("public/briefs/2025q3-acme/index.html").exists());
    let run = tearsheet(&["init", site.to_str().unwrap()], None);
    assert_eq!(run.code, 1, "init refuses a non-empty folder");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tearsheet(&["build", "--no-such-flag"], None).code, 2);
    assert_eq!(tearsheet(&[], None).code, 2);
}

/// The drawing of an inline chart, from after its `<desc>` to its end.
fn inline_body(svg: &str) -> &str {
    let body = &svg[svg.find("</desc>\n").expect("a <desc>") + 8..];
    body.strip_suffix("</svg>").expect("ends the drawing")
}

#[test]
fn a_chart_file_holds_the_drawing_its_page_inlines() {
    let out = tempfile::tempdir().unwrap();
    let minimal = with_chart_files("minimal");
    assert_eq!(build(minimal.path(), out.path(), &[]).code, 0);
    let page = read(&out.path().join("briefs/2025q2-test/index.html"));
    let start = page
        .find("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=")
        .expect("the chart inline");
    let end = start + page[start..].find("</svg>").unwrap() + "</svg>".len();
    let inline = &page[start..end];
    let file = read(&out.path().join("briefs/2025q2-test/growth.svg"));
    // The file: the same title and description, its caption, then the
    // page's drawing (its colours are classes both style), moved under the
    // caption.
    let head = |s: &str| {
        s[..s.find("</desc>").unwrap()]
            .split_once('>')
            .unwrap()
            .1
            .to_string()
    };
    assert_eq!(head(inline), head(&file));
    let group = file
        .find("<g transform=\"translate(0 ")
        .expect("a moved drawing");
    let drawing = &file[file[group..].find(">\n").unwrap() + group + 2..];
    let drawing = drawing
        .strip_suffix("</g>\n</svg>\n")
        .expect("ends the file");
    assert!(drawing.contains("<rect "), "{drawing}");
    assert_eq!(drawing, inline_body(inline));
    // The file styles the classes itself, light and dark.
    assert!(file.contains("<style>svg{font-size:12px;fill:#1a1d23}polyline{fill:none}"));
    assert!(file.contains(".f1{fill:#2c6bb0}") && file.contains(".f1{fill:#6fa8ff}"));
}

/// By default a chart is only inline: no file beside its page, and its
/// download link (hidden until charts.js shows it and makes the file
/// from the inline drawing) points at the chart, never at a missing file.
/// With `chart_files: true` the file is there and the link leads to it.
#[test]
fn charts_are_files_only_when_chart_files_is_set() {
    let out = tempfile::tempdir().unwrap();
    assert_eq!(build(&fixture("minimal"), out.path(), &[]).code, 0);
    let page = read(&out.path().join("briefs/2025q2-test/index.html"));
    assert!(!out.path().join("briefs/2025q2-test/growth.svg").exists());
    assert!(page.contains(
        "<p class=\"chart-download\" hidden><a href=\"#chart-growth\" download=\"growth.svg\" data-svg>下载 SVG</a></p>"
    ));
    let script = asset(out.path(), "charts");
    assert!(page.contains(&format!("<script src=\"../../{script}\" defer></script>")));
    let js = read(&out.path().join(&script));
    assert!(js.contains("a[data-svg]") && js.contains("new Blob("));
    // Pages without charts load no script.
    assert!(!read(&out.path().join("about/index.html")).contains("charts."));

    let minimal = with_chart_files("minimal");
    let files = tempfile::tempdir().unwrap();
    assert_eq!(build(minimal.path(), files.path(), &[]).code, 0);
    let page = read(&files.path().join("briefs/2025q2-test/index.html"));
    assert!(files.path().join("briefs/2025q2-test/growth.svg").exists());
    assert!(page.contains("<p class=\"chart-download\"><a href=\"growth.svg\" download>"));
    assert!(!page.contains("data-svg") && !page.contains("<script src=\"../../charts."));
}

#[test]
fn the_summary_counts_briefs_charts_and_pages_and_quiet_silences_it() {
    let out = tempfile::tempdir().unwrap();
    let run = build(&fixture("minimal"), out.path(), &[]);
    assert!(
        run.stdout
            .starts_with("Built 2 briefs, 1 chart, 9 pages into "),
        "{}",
        run.stdout
    );
    let run = build(&fixture("minimal"), out.path(), &["--quiet"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn init_writes_hosting_recipes_and_static_dotfiles_pass_through() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    assert_eq!(
        tearsheet(&["init", site.to_str().unwrap(), "--lang", "en"], None).code,
        0
    );
    let workflow = read(&site.join(".github/workflows/pages.yml"));
    assert!(workflow.contains("actions/deploy-pages"));
    assert!(workflow.contains("tearsheet build --base-url"));
    assert!(read(&site.join("netlify.toml")).contains("publish = \"public\""));
    fs::write(site.join("static/CNAME"), "research.example.org\n").unwrap();
    fs::write(site.join("static/notes.css~"), "editor backup").unwrap();
    assert_eq!(tearsheet(&["build"], Some(&site)).code, 0);
    assert!(site.join("public/.nojekyll").exists());
    assert_eq!(read(&site.join("public/CNAME")), "research.example.org\n");
    assert!(!site.join("public/notes.css~").exists());
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_and_are_reported() {
    let site = copy_fixture("minimal");
    let outside = tempfile::tempdir().unwrap();
    fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: secret\n---\nsecret\n",
    )
    .unwrap();
    fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        site.path().join("content/secret.md"),
    )
    .unwrap();
    fs::create_dir_all(site.path().join("static")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/secret.txt"),
    )
    .unwrap();
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("warning[TS0109]: content/secret.md: this is a symbolic link; tearsheet does not follow links"), "{}", run.stderr);
    assert!(run.stderr.contains("static/secret.txt"), "{}", run.stderr);
    assert!(!out.join("secret").exists());
    assert!(!out.join("secret.txt").exists());
}

#[test]
fn site_yaml_replaces_ui_strings_per_language() {
    let site = copy_fixture("minimal");
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(site.path().join("site.yaml"), format!("{yaml}strings:\n  zh: {{ key_figures: 核心数字 }}\n  en: {{ key_figures: Headline numbers }}\n")).unwrap();
    let out = site.path().join("public");
    assert_eq!(build(site.path(), &out, &[]).code, 0);
    assert!(read(&out.join("briefs/2025q2-test/index.html")).contains("核心数字"));
    assert!(read(&out.join("briefs/2025q2-test-en/index.html")).contains("Headline numbers"));
}

/// The `<nav class="site-nav">` element of a page.
fn nav_of(html: &str) -> &str {
    let start = html
        .find("<nav class=\"site-nav\"")
        .expect("has the site nav");
    let end = start + html[start..].find("</nav>").expect("nav closes");
    &html[start..end]
}

#[test]
fn site_yaml_strings_reach_the_navigation_title_and_headings() {
    let site = copy_fixture("minimal");
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}strings: {{zh: {{companies: 发行人, yoy: 较上年, briefs_count: \"{{n}} 份报告\", chart_data: 图表资料, search_empty: 查无此简报}}}}\n"),
    )
    .unwrap();
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let companies = read(&out.join("companies/index.html"));
    assert!(
        companies.contains("<title>发行人 · 测试站</title>"),
        "{companies}"
    );
    assert!(companies.contains("<h1 class=\"page-title\">发行人</h1>"));
    assert!(
        companies.contains(">2 份报告</p>"),
        "listing text: {companies}"
    );
    for page in [
        "companies/index.html",
        "briefs/2025q2-test/index.html",
        "index.html",
    ] {
        let nav = read(&out.join(page));
        let nav = nav_of(&nav);
        assert!(nav.contains(">发行人</a>"), "{page}: {nav}");
        assert!(!nav.contains(">公司</a>"), "{page}: {nav}");
    }
    let company = read(&out.join("companies/test.hk/index.html"));
    assert!(
        company.contains(">发行人</a></p>"),
        "the company page's kicker"
    );
    let brief = read(&out.join("briefs/2025q2-test/index.html"));
    assert!(brief.contains("<span class=\"chg-label\">较上年</span>"));
    // What the build writes itself: a chart's caption of its table, and
    // the label of `metric(show="yoy")` in the body.
    assert!(
        brief.contains("<summary>图表资料</summary>"),
        "chart caption: {brief}"
    );
    assert!(!brief.contains("图表数据"));
    assert!(brief.contains("<span class=\"chg up\">较上年 +13.1%</span>"));
    // The search box's own texts, handed to search.js.
    let home = read(&out.join("index.html"));
    assert!(home.contains("data-empty=\"查无此简报\""), "{home}");
    assert!(home.contains("data-loading=\"正在载入搜索索引…\""));
    // The English pages keep theirs.
    let en = read(&out.join("briefs/2025q2-test-en/index.html"));
    assert!(en.contains("<span class=\"chg-label\">YoY</span>"));
    assert!(en.contains("+13.1% YoY</span>"));
}

#[test]
fn a_listing_shows_each_brief_in_its_own_language() {
    let site = copy_fixture("minimal");
    let out = site.path().join("public");
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A zh site: the page is Chinese, the en brief's card English (and
    // marked so), the zh brief's card Chinese.
    let home = read(&out.join("index.html"));
    let cards: Vec<&str> = home.split("<li class=\"brief-card\"").skip(1).collect();
    assert_eq!(cards.len(), 2, "{home}");
    let (en, zh) = (cards[0], cards[1]);
    assert!(home.contains("<h1 class=\"page-title\">最新简报</h1>"));
    assert!(en.starts_with(" lang=\"en\">"), "{en}");
    assert!(en.contains(">22 Aug 2025</time>"), "{en}");
    assert!(en.contains("RMB 35.0bn"));
    assert!(zh.starts_with('>'), "{zh}");
    assert!(zh.contains(">2025年8月21日</time>"), "{zh}");
    assert!(zh.contains("扭亏"));
    // The feed marks its entries the same way.
    let feed = read(&out.join("atom.xml"));
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh\">"));
    assert_eq!(feed.matches("<entry xml:lang=\"en\">").count(), 1, "{feed}");
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    // A card's change label, as a template may show it: the brief's
    // language, with site.yaml's `strings:` applied.
    fs::create_dir_all(site.path().join("templates")).unwrap();
    fs::write(
        site.path().join("templates/brief_list.html"),
        "{% for b in briefs %}<li lang=\"{{ b.lang }}\">{{ b.date }}\
         {% for f in b.figures %}{% if f.change %}|{{ f.change.label }} {{ f.change.text }}\
         {% endif %}{% endfor %}</li>\n{% endfor %}",
    )
    .unwrap();
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}strings: {{en: {{yoy: y/y}}}}\n"),
    )
    .unwrap();
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["index.html", "companies/test.hk/index.html"] {
        let html = read(&out.join(page));
        assert!(
            html.contains("<li lang=\"en\">22 Aug 2025|y/y +13.1%</li>"),
            "{page}: {html}"
        );
        assert!(
            html.contains("<li lang=\"zh\">2025年8月21日|同比 +13.1%|同比 扭亏</li>"),
            "{page}: {html}"
        );
    }
}

#[test]
fn asset_names_change_when_and_only_when_their_content_does() {
    let site = copy_fixture("minimal");
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    assert_eq!(build(site.path(), &a, &[]).code, 0);
    assert_eq!(build(site.path(), &b, &[]).code, 0);
    assert_eq!(asset(&a, "style"), asset(&b, "style"));
    assert_eq!(asset(&a, "search"), asset(&b, "search"));
    let page = read(&a.join("briefs/2025q2-test/index.html"));
    assert!(page.contains(&format!("href=\"../../{}\"", asset(&a, "style"))));
    // A site's own stylesheet replaces the theme's, under its own hash.
    fs::create_dir_all(site.path().join("static")).unwrap();
    fs::write(
        site.path().join("static/style.css"),
        "body { color: red }\n",
    )
    .unwrap();
    let c = site.path().join("c");
    assert_eq!(build(site.path(), &c, &[]).code, 0);
    assert_ne!(asset(&a, "style"), asset(&c, "style"));
    assert_eq!(asset(&a, "search"), asset(&c, "search"));
    assert_eq!(read(&c.join(asset(&c, "style"))), "body { color: red }\n");
}

/// The allocator commits memory as it is used from the process's start:
/// the option is set by a constructor, before the first arena is made
/// (mimalloc prints its options at start-up when asked to).
#[cfg(target_os = "linux")]
#[test]
fn memory_is_committed_as_used_from_the_start() {
    let out = assert_cmd::Command::cargo_bin("tearsheet")
        .unwrap()
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("option 'arena_eager_commit': 0"),
        "{stderr}"
    );
}

#[test]
fn a_brief_shows_the_site_disclaimer_of_its_own_language() {
    let site = copy_fixture("minimal");
    let yaml = fs::read_to_string(site.path().join("site.yaml")).unwrap();
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.starts_with("disclaimer:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let out = site.path().join("public");
    let disclaimer = |page: &str| {
        let html = read(&out.join(page));
        html.split("<aside class=\"disclaimer\"")
            .nth(1)
            .map(|a| a.split("</aside>").next().unwrap_or("").to_string())
    };
    // One per language: each brief shows its own.
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}disclaimer:\n  zh: 仅供参考。\n  en: For information only.\n"),
    )
    .unwrap();
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let en = disclaimer("briefs/2025q2-test-en/index.html").expect("en disclaimer");
    assert!(en.contains("<p>For information only.</p>"), "{en}");
    let zh = disclaimer("briefs/2025q2-test/index.html").expect("zh disclaimer");
    assert!(zh.contains("<p>仅供参考。</p>"), "{zh}");
    // Only zh: the English brief shows none, never the Chinese one.
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}disclaimer: {{ zh: 仅供参考。 }}\n"),
    )
    .unwrap();
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(disclaimer("briefs/2025q2-test-en/index.html"), None);
    assert!(disclaimer("briefs/2025q2-test/index.html").is_some());
    // A plain string still goes to every brief.
    fs::write(
        site.path().join("site.yaml"),
        format!("{yaml}disclaimer: 仅供参考。\n"),
    )
    .unwrap();
    let run = build(site.path(), &out, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let en = disclaimer("briefs/2025q2-test-en/index.html").expect("en disclaimer");
    assert!(en.contains("<p>仅供参考。</p>"), "{en}");
}

#[test]
fn cards_are_the_first_eight_metrics_unless_a_brief_chooses() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::create_dir_all(site.join("content/briefs")).unwrap();
    let metrics: String = (1..=10)
        .map(|i| format!("  m{i}: {{ label: M{i}, value: {i}.0bn }}\n"))
        .collect();
    let brief = |cards: &str, extra: &str| {
        format!("---\ntitle: T\ndate: 2025-08-01\ncompany: {{ name: A, ticker: A }}\nperiod: 2025Q2\nlang: en\ncurrency: USD\n{cards}metrics:\n{}---\nBody.\n", metrics.replace("  m9: { label: M9, value: 9.0bn }", &format!("  m9: {{ label: M9, value: 9.0bn{extra} }}")))
    };
    std::fs::write(site.join("content/briefs/a.md"), brief("", "")).unwrap();
    std::fs::write(
        site.join("content/briefs/b.md"),
        brief("cards: [m10, m2]\n", ""),
    )
    .unwrap();
    std::fs::write(site.join("content/briefs/c.md"), brief("", ", card: true")).unwrap();
    let out = site.join("public");
    let run = tearsheet(
        &[
            "build",
            "--root",
            site.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let labels = |name: &str| -> Vec<String> {
        let html = read(&out.join(format!("briefs/{name}/index.html")));
        html.split("<p class=\"card-label\">")
            .skip(1)
            .map(|s| s[..s.find('<').unwrap()].to_string())
            .collect()
    };
    assert_eq!(
        labels("a"),
        ["M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8"]
    );
    assert_eq!(labels("b"), ["M10", "M2"]);
    assert_eq!(labels("c").len(), 9);
    assert_eq!(labels("c").last().map(String::as_str), Some("M9"));
}

/// The built-in templates are laid out with indentation to be read, the
/// pages they write carry none (issue #20: bytes a host stores): no line
/// of a page starts with a space or a tab and no empty lines follow one
/// another, outside a code block, whose own indentation the body keeps.
/// Arrows are the short `<i aria-hidden="true">` mark.
#[test]
fn built_pages_carry_no_template_indentation_and_code_keeps_its_own() {
    let site = copy_fixture("minimal");
    let brief = site.path().join("content/briefs/2025q2-test-en.md");
    let text = read(&brief);
    fs::write(
        &brief,
        format!("{text}\n```\nfn main() {{\n    let x = 1;\n\n\n    x\n}}\n```\n"),
    )
    .unwrap();
    let mut pages = Vec::new();
    for (name, root) in [
        ("minimal+code", site.path().to_path_buf()),
        ("houses", fixture("houses")),
        ("company", fixture("company")),
        ("results", fixture("results")),
        ("paged", fixture("paged")),
    ] {
        let out = tempfile::tempdir().unwrap();
        let run = build(&root, out.path(), &[]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        for (path, bytes) in tree(out.path()) {
            if path.ends_with(".html") {
                pages.push((format!("{name}/{path}"), String::from_utf8(bytes).unwrap()));
            }
        }
    }
    let mut arrows = 0;
    for (path, html) in &pages {
        // Code blocks out: their lines are the author's.
        let mut rest = html.as_str();
        let mut outside = String::new();
        while let Some(i) = rest.find("<pre") {
            outside.push_str(&rest[..i]);
            outside.push_str("<pre/>");
            let end = rest[i..].find("</pre>").map_or(rest.len(), |e| i + e + 6);
            rest = &rest[end..];
        }
        outside.push_str(rest);
        for (n, line) in outside.lines().enumerate() {
            assert!(
                !line.starts_with([' ', '\t']),
                "{path}: line {} is indented: {line:?}",
                n + 1
            );
        }
        assert!(!outside.contains("\n\n\n"), "{path}: empty lines in a row");
        assert!(!html.contains("class=\"arrow\""), "{path}");
        // Arrows are drawn by the style sheet from their `.chg` element's
        // class: the mark is an empty `<i>`, and always in one.
        assert!(!html.contains('▲') && !html.contains('▼'), "{path}");
        for (at, _) in html.match_indices("<i></i>") {
            let parent = parent_tag(&html[..at]);
            let class = parent
                .split_once("class=\"")
                .and_then(|(_, c)| c.split_once('"'))
                .map_or("", |(c, _)| c);
            let words: Vec<&str> = class.split(' ').collect();
            assert!(
                words.contains(&"chg") && (words.contains(&"up") || words.contains(&"down")),
                "{path}: an arrow in {parent}"
            );
            arrows += 1;
        }
    }
    assert!(arrows > 0, "no arrow in any page");
    let code = pages
        .iter()
        .find(|(p, _)| p.starts_with("minimal+code/briefs/"))
        .map(|(_, h)| h)
        .expect("the brief with code");
    assert!(
        code.contains("<code>fn main() {\n    let x = 1;\n\n\n    x\n}\n</code>"),
        "{code}"
    );
}

/// The start tag of the element open at the end of `before`: its last
/// start tag that no end tag closes (void elements aside).
fn parent_tag(before: &str) -> &str {
    let mut depth = 0;
    let mut rest = before;
    while let Some(open) = rest.rfind('<') {
        let tag = &before[open..open + before[open..].find('>').map_or(0, |e| e + 1)];
        rest = &before[..open];
        if tag.starts_with("</") {
            depth += 1;
        } else if tag.ends_with("/>")
            || ["<br", "<img", "<meta", "<link", "<input"]
                .iter()
                .any(|v| tag.starts_with(v))
        {
            continue;
        } else if depth == 0 {
            return tag;
        } else {
            depth -= 1;
        }
    }
    ""
}
