//! tearsheet's Markdown handling leaves standard Markdown intact: every
//! example of the CommonMark spec 0.31.2 (tests/fixtures/commonmark-spec.json,
//! CC-BY-SA 4.0, from commonmark/commonmark-spec) renders through
//! `render::markdown` exactly as pulldown-cmark renders it with the same
//! extensions, except for the `id`s tearsheet adds to headings; and every
//! example whose Markdown uses none of those extensions renders as the
//! spec says.

use pulldown_cmark::{html, Options, Parser};
use tearsheet::testing::markdown::{self, Expand};
use tearsheet::testing::shortcode::Call;

struct NoFunctions;
impl Expand for NoFunctions {
    fn metric(&self, _: &Call) -> Result<String, String> {
        Err("no metrics here".into())
    }
    fn chart(&self, _: &Call) -> Result<String, String> {
        Err("no charts here".into())
    }
}

fn strip_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        let before = &rest[..i];
        let is_heading = before.rfind('<').is_some_and(|lt| {
            let tag = &before[lt + 1..];
            tag.len() == 2 && tag.starts_with('h') && tag[1..].chars().all(|c| c.is_ascii_digit())
        });
        out.push_str(before);
        let after = &rest[i + 5..];
        let end = after.find('"').map(|e| e + 1).unwrap_or(0);
        if is_heading {
            rest = &after[end..];
        } else {
            out.push_str(" id=\"");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Differences that are not differences in HTML: pulldown-cmark leaves
/// `"` unescaped in text, and may put a newline between two tags.
fn normalize(html: &str) -> String {
    html.replace("&quot;", "\"").replace(">\n<", "><")
}

fn pulldown(md: &str, opts: Options) -> String {
    let mut out = String::new();
    html::push_html(&mut out, Parser::new_ext(md, opts));
    out
}

#[test]
fn all_655_spec_examples_render_as_pulldown_cmark_and_the_spec_say() {
    let spec: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("fixtures/commonmark-spec.json")).expect("spec json");
    assert_eq!(spec.len(), 655);
    let mut same_as_pulldown = 0;
    let mut same_as_spec = 0;
    let mut extension_examples = 0;
    for ex in &spec {
        let md = ex["markdown"].as_str().expect("markdown");
        let expected = ex["html"].as_str().expect("html");
        let n = ex["example"].as_u64().expect("number");
        let (ours, _) =
            markdown::render(md, &NoFunctions).unwrap_or_else(|e| panic!("example {n}: {e:?}"));
        let ours = strip_heading_ids(&ours);
        let reference = pulldown(md, markdown::options());
        assert_eq!(
            ours, reference,
            "example {n} differs from pulldown-cmark:\n{md}"
        );
        same_as_pulldown += 1;
        // Our extensions (tables, footnotes, strikethrough, task lists)
        // change some examples by design; all others must match the spec.
        if pulldown(md, Options::empty()) != reference {
            extension_examples += 1;
            continue;
        }
        assert_eq!(
            normalize(&ours),
            normalize(expected),
            "example {n} differs from the spec:\n{md}"
        );
        same_as_spec += 1;
    }
    assert_eq!(same_as_pulldown, 655);
    assert_eq!(same_as_spec + extension_examples, 655);
    assert!(
        extension_examples < 20,
        "{extension_examples} examples changed by extensions"
    );
}
