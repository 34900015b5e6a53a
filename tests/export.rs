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
