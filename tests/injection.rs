//! Every string from front matter is escaped for where it lands: HTML text
//! and attributes, JSON (search index), XML (feed, sitemap), URLs
//! (`javascript:` sources are not linked). The fixture
//! tests/fixtures/hostile carries the classic payloads.

mod common;

use std::fs;

use common::{fixture, tearsheet};

#[test]
fn hostile_front_matter_is_escaped_everywhere() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let run = tearsheet(
        &[
            "build",
            "--root",
            fixture("hostile").to_str().unwrap(),
            "--output",
            site.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
    {
        let path = entry.path();
        let text = fs::read_to_string(path).unwrap_or_default();
        let name = path.display().to_string();
        if name.ends_with(".json") || name.ends_with(".js") || name.ends_with(".bin") {
            // Data: JSON-escaped strings and the search index's binary
            // shards (filter values as written, compared as strings),
            // shown by search.js with textContent (checked below), never
            // parsed as markup.
            if name.ends_with(".json") {
                let _: serde_json::Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            checked += 1;
            continue;
        }
        for payload in [
            "<script>alert",
            "<img src=x",
            "<b>Buy</b>",
            "onerror=\"alert",
            "onmouseover='alert",
            "<td onclick",
            "<evil/>",
            "<i>me</i>",
        ] {
            assert!(
                !text.contains(payload),
                "{name} contains the raw payload {payload}"
            );
        }
        assert!(
            !text.contains("href=\"javascript:"),
            "{name} links a javascript: URL"
        );
        assert!(
            !text.contains('\u{7}'),
            "{name} contains a control character"
        );
        if name.ends_with(".xml") {
            roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        checked += 1;
    }
    assert!(checked > 8);
    let page = fs::read_to_string(site.join("briefs/x/index.html")).unwrap();
    // The text is still there, escaped, and raw HTML from the body passes.
    assert!(
        page.contains("&lt;script&gt;alert(9)&lt;&#x2F;script&gt;")
            || page.contains("&lt;script&gt;alert(9)&lt;/script&gt;"),
        "label escaped"
    );
    assert!(page.contains("<em>ok</em>"));
    let js = fs::read_to_string(site.join("search-index.js")).unwrap();
    assert!(
        !js.contains("</script"),
        "the script-embedded index cannot close its script"
    );
    let search_js = fs::read_dir(&site)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name().is_some_and(|n| {
                n.to_string_lossy().starts_with("search.") && n.to_string_lossy().ends_with(".js")
            })
        })
        .expect("the search script");
    let search = fs::read_to_string(search_js).unwrap();
    assert!(
        !search.contains("innerHTML"),
        "search results are built with DOM calls, not markup"
    );
}
