//! `tearsheet export`: the example briefs as single self-contained HTML
//! files — nothing they load or link points at another file except
//! absolute links on `base_url`, no script, and every figure shown.

mod common;

use std::path::Path;

use common::tearsheet;

fn export(brief: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("report.html");
    let run = tearsheet(
        &[
            "export",
            brief,
            "-o",
            file.to_str().unwrap(),
            "--root",
            root.to_str().unwrap(),
        ],
        Some(root),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::fs::read_to_string(file).unwrap()
}

fn assert_self_contained(html: &str) {
    for attr in [" src=\"", " href=\""] {
        for (i, _) in html.match_indices(attr) {
            let v = &html[i + attr.len()..];
            let v = &v[..v.find('"').unwrap()];
            let ok = v.starts_with("https://example.org/tearsheet/")
                || v.starts_with("data:")
                || v.starts_with('#')
                || (v.starts_with("https://") && !v.contains("example.org"));
            assert!(ok, "{attr}{v}\" points at another file");
        }
    }
    assert!(!html.contains("<script"), "no script");
    assert!(
        !html.contains("rel=\"stylesheet\""),
        "the stylesheet is inlined"
    );
    assert!(html.contains("<style>"));
}

#[test]
fn the_zh_brief_exports_whole() {
    let html = export("content/briefs/2025q2-kuaishou.md");
    assert_self_contained(&html);
    for figure in [
        "350亿元",
        "同比 +13.1%",
        "56亿元",
        "3589亿元",
        "1.34亿人",
        "超过2.5亿元",
        "89港元",
    ] {
        assert!(html.contains(figure), "lacks {figure}");
    }
}

#[test]
fn the_en_brief_exports_whole() {
    let html = export("content/briefs/2025q2-kuaishou-en.md");
    assert_self_contained(&html);
    for figure in [
        "RMB 35.0bn",
        "+13.1% YoY",
        "RMB 5.6bn",
        "RMB 358.9bn",
        "134m users",
        "&gt;RMB 250m",
        "HK$89",
    ] {
        assert!(html.contains(figure), "lacks {figure}");
    }
}

#[test]
fn export_needs_a_brief_or_all() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(
        tearsheet(&["export", "--root", root.to_str().unwrap()], Some(root)).code,
        2
    );
    let run = tearsheet(
        &[
            "export",
            "content/briefs/nope.md",
            "--root",
            root.to_str().unwrap(),
        ],
        Some(root),
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("is not a page of the site"),
        "{}",
        run.stderr
    );
}

/// A brief's front matter for the sites below.
fn brief(title: &str, slug: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2025-08-21\ncompany: {{ name: Test Co, ticker: TEST }}\nperiod: 2025Q2\n{slug}---\n\nBody of {title}.\n")
}

/// `export` takes a brief from where `build` put it: `briefs/index.md` is
/// its folder's page (`briefs/`), and a nested brief is at its slug, quoted
/// or not.
#[test]
fn export_and_build_agree_on_page_urls() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    let files = [
        (
            "content/briefs/index.md",
            brief("Index brief", ""),
            "briefs/",
        ),
        (
            "content/research/2025/deep.md",
            brief("Nested brief", "slug: 'deep-dive'\n"),
            "research/2025/deep-dive/",
        ),
        (
            "content/research/2025/plain.md",
            brief("Plain slug", ""),
            "research/2025/plain/",
        ),
    ];
    std::fs::write(
        root.join("site.yaml"),
        "title: T\nbase_url: https://example.org/r/\nlang: en\n",
    )
    .unwrap();
    for (file, text, _) in &files {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let root_s = root.to_str().unwrap();
    let run = tearsheet(
        &[
            "build",
            "--root",
            root_s,
            "--output",
            public.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (file, _, url) in &files {
        let built = std::fs::read_to_string(public.join(url).join("index.html"))
            .unwrap_or_else(|e| panic!("build put no page at {url}: {e}"));
        let canonical = format!("<link rel=\"canonical\" href=\"https://example.org/r/{url}\">");
        assert!(built.contains(&canonical), "{url}");
        let report = out.path().join("report.html");
        let run = tearsheet(
            &[
                "export",
                file,
                "-o",
                report.to_str().unwrap(),
                "--root",
                root_s,
            ],
            Some(root),
        );
        assert_eq!(run.code, 0, "{file}: {}", run.stderr);
        let html = std::fs::read_to_string(&report).unwrap();
        assert!(html.contains(&canonical), "{file} exported another page");
        assert_eq!(h1_of(&html), h1_of(&built), "{file}");
    }
    // --all exports the same three briefs, named by their URLs.
    let all = out.path().join("all");
    let run = tearsheet(
        &["export", "--all", all.to_str().unwrap(), "--root", root_s],
        Some(root),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(&all)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["briefs.html", "deep-dive.html", "plain.html"]);
}

/// The `<h1>` of a page: what the brief shows of itself, unchanged by
/// export (which rewrites links and assets, not text).
fn h1_of(html: &str) -> &str {
    let start = html.find("<h1").expect("has <h1>");
    let end = start + html[start..].find("</h1>").expect("h1 closes");
    &html[start..end]
}
