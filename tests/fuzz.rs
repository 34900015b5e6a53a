//! Robustness: random and mutated input never panics or hangs — front
//! matter splitting, figure parsing, check expressions, body functions,
//! and whole briefs through validation, consistency checks and Markdown.
//! A few thousand cases run in `cargo test`; set TEARSHEET_FUZZ_CASES for
//! a long run (e.g. 1000000).

use proptest::prelude::*;
use tearsheet::testing::consistency;
use tearsheet::testing::markdown::{self, Expand};
use tearsheet::testing::model::expr::Expr;
use tearsheet::testing::model::figure::Figure;
use tearsheet::testing::model::page::{Figures, Page};
use tearsheet::testing::shortcode::{self, Call};
use tearsheet::testing::Document;
use tearsheet::testing::SiteConfig;

fn cases(default: u32) -> u32 {
    std::env::var("TEARSHEET_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

const SEED: &str = r#"---
title: 快手 2025 年二季度
date: 2025-08-21
company: { name: 快手, ticker: 1024.HK }
period: 2025Q2
target_price: { value: 89, currency: HKD, price: 75, upside: 18.7% }
metrics:
  revenue: { label: 营收, value: 350亿, yoy: 13.1% }
  profit: { label: 利润, value: 56亿, prior: -1亿 }
  margin: { label: 利润率, value: 16.0%, check: profit / revenue }
  kling: { label: 可灵, value: ">2.5亿" }
charts:
  - { id: g, type: bar, title: 增速, metrics: [revenue.yoy] }
  - id: t
    type: combo
    title: 趋势
    x: [2025Q1, 2025Q2]
    series:
      - { name: 营收, values: [326亿, 350亿] }
      - { name: 同比, values: [10.9%, 13.1%], as: line }
---

营收 {{ metric(id="revenue") }}，{{ metric(id="revenue", show="yoy") }}。

{{ chart(id="t") }}
"#;

struct Body<'a>(Option<&'a Figures>);
impl Expand for Body<'_> {
    fn metric(&self, call: &Call) -> Result<String, String> {
        let b = self.0.ok_or("no brief")?;
        b.metric(call.arg("id").unwrap_or(""))
            .map(|m| m.label.clone())
            .ok_or_else(|| "unknown".into())
    }
    fn chart(&self, call: &Call) -> Result<String, String> {
        Ok(call.arg("id").unwrap_or("").to_string())
    }
}

/// Runs a whole brief through every stage that reads it.
fn pipeline(text: &[u8]) {
    let site = SiteConfig::load(std::path::Path::new("/nonexistent"), None).unwrap();
    let Ok(doc) = Document::parse("content/x.md".into(), "x.md".into(), text.to_vec()) else {
        return;
    };
    let Ok(v) = Page::from_document(&doc, &site.defaults(), &Default::default()) else {
        return;
    };
    if let Some(f) = &v.figures {
        let _ = consistency::brief(&doc, v.page.lang, f);
    }
    let _ = markdown::render(doc.body(), &Body(v.figures.as_ref()));
}

/// The seed brief with one edit: a byte range replaced by random text.
fn mutated() -> impl Strategy<Value = Vec<u8>> {
    let len = SEED.len();
    (
        0..len,
        0..40usize,
        prop::collection::vec(
            prop::sample::select(b"{}[]:,-\"'>~% \n.0123456789abcxyz\xe4\xba\xbf#&*!|".to_vec()),
            0..12,
        ),
    )
        .prop_map(move |(at, cut, insert)| {
            let mut bytes = SEED.as_bytes().to_vec();
            let end = (at + cut).min(bytes.len());
            bytes.splice(at..end, insert);
            bytes
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(1500)))]

    #[test]
    fn mutated_briefs_never_panic(bytes in mutated()) {
        pipeline(&bytes);
    }

    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}") {
        pipeline(text.as_bytes());
        pipeline(format!("---\n{text}\n---\n{text}").as_bytes());
    }

    #[test]
    fn expressions_and_shortcodes_never_panic(s in "[a-z_.()+*/ 0-9%-]{0,40}", t in "\\PC{0,60}") {
        let _ = Expr::parse(&s);
        let _ = Figure::parse(&t);
        let _ = shortcode::scan(&format!("{{{{ metric({t}) }}}} {{{{ chart(id=\"{s}\") }}}} {{{{ {t}"));
    }
}
