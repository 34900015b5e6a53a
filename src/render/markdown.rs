//! Markdown bodies to HTML with pulldown-cmark (tables, footnotes,
//! strikethrough, task lists), heading anchors, and tearsheet's two body
//! functions: `{{ metric(id="revenue", show="yoy") }}` and
//! `{{ chart(id="trend") }}`.
//!
//! The functions are expanded on the event stream, in text events only,
//! so code spans and code blocks keep them literally. Standard Markdown is
//! left exactly as pulldown-cmark renders it (proven against the
//! CommonMark spec examples in `tests/commonmark.rs`); only headings gain
//! `id`s. The caller supplies how a metric and a chart are displayed.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::render::shortcode::{self, Call};

/// Markdown extensions tearsheet turns on.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// What a body function expands to; implemented by the page renderer.
pub trait Expand {
    /// Inline HTML for a `metric()` call, or an error message.
    fn metric(&self, call: &Call) -> Result<String, String>;
    /// Block HTML for a `chart()` call, or an error message.
    fn chart(&self, call: &Call) -> Result<String, String>;
}

/// A body function that failed: the message and its byte range in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    pub range: Range<usize>,
    pub message: String,
}

/// Renders a Markdown body. Returns the HTML and the ids of the charts the
/// body placed, or every body-function error found.
pub fn render(body: &str, expand: &dyn Expand) -> Result<(String, Vec<String>), Vec<BodyError>> {
    let mut x = Expansion {
        body,
        expand,
        events: Vec::new(),
        errors: Vec::new(),
        placed: Vec::new(),
        in_paragraph: 0,
    };
    // Adjacent text events are merged before expansion, so a call split by
    // the parser is still seen whole: (text, its offset in the body).
    let mut pending: Option<(String, usize)> = None;
    let mut in_code_block = false;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Text(t) if in_code_block => x.events.push(Event::Text(t)),
            Event::Text(t) => match &mut pending {
                Some((acc, _)) => acc.push_str(&t),
                None => pending = Some((t.into_string(), range.start)),
            },
            other => {
                if let Some((text, start)) = pending.take() {
                    x.expand_text(&text, start);
                }
                match &other {
                    Event::Start(Tag::Paragraph) => x.in_paragraph += 1,
                    Event::End(TagEnd::Paragraph) => {
                        x.in_paragraph = x.in_paragraph.saturating_sub(1)
                    }
                    Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
                    Event::End(TagEnd::CodeBlock) => in_code_block = false,
                    _ => {}
                }
                x.events.push(other);
            }
        }
    }
    if let Some((text, start)) = pending.take() {
        x.expand_text(&text, start);
    }
    if !x.errors.is_empty() {
        return Err(x.errors);
    }
    let events = drop_empty_paragraphs(add_heading_ids(x.events));
    // Room for the markup around the text, and for the HTML the body
    // functions put in (charts are kilobytes each): grown once, not
    // doubled from the text's size.
    let inserted: usize = events
        .iter()
        .map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => h.len(),
            _ => 0,
        })
        .sum();
    let mut html = String::with_capacity(body.len() * 3 / 2 + inserted);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok((html, x.placed))
}

/// The state of one body's expansion: the events produced so far, the
/// errors found, the charts placed.
struct Expansion<'a> {
    body: &'a str,
    expand: &'a dyn Expand,
    events: Vec<Event<'a>>,
    errors: Vec<BodyError>,
    placed: Vec<String>,
    in_paragraph: usize,
}

impl Expansion<'_> {
    /// Expands the body functions in one run of text starting at byte
    /// `start` of the body.
    fn expand_text(&mut self, text: &str, start: usize) {
        let mut rest = 0;
        for found in shortcode::scan(text) {
            let raw = &text[found.range.clone()];
            // Where the call is in the body, for messages.
            let at = self
                .body
                .get(start..)
                .and_then(|b| b.find(raw))
                .map(|i| start + i)
                .unwrap_or(start);
            let src_range = at..at + raw.len();
            let call = match found.call {
                Ok(call) => call,
                Err(message) => {
                    self.errors.push(BodyError {
                        range: src_range,
                        message,
                    });
                    continue;
                }
            };
            if found.range.start > rest {
                self.events.push(Event::Text(CowStr::from(
                    text[rest..found.range.start].to_string(),
                )));
            }
            rest = found.range.end;
            let result = match call.name.as_str() {
                "metric" => self
                    .expand
                    .metric(&call)
                    .map(|h| Event::InlineHtml(h.into())),
                _ => self.expand.chart(&call).map(|h| {
                    if let Some(id) = call.arg("id") {
                        self.placed.push(id.to_string());
                    }
                    Event::Html(h.into())
                }),
            };
            match result {
                Ok(Event::Html(h)) if self.in_paragraph > 0 => {
                    // A figure cannot sit inside <p>: close it around the chart.
                    self.events.push(Event::End(TagEnd::Paragraph));
                    self.events.push(Event::Html(h));
                    self.events.push(Event::Start(Tag::Paragraph));
                }
                Ok(e) => self.events.push(e),
                Err(message) => self.errors.push(BodyError {
                    range: src_range,
                    message,
                }),
            }
        }
        if rest < text.len() {
            self.events
                .push(Event::Text(text[rest..].to_string().into()));
        }
    }
}

/// Gives every heading an `id` from its text (CJK kept), unique per page.
fn add_heading_ids(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    let mut used = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading {
            level,
            id: None,
            classes,
            attrs,
        }) = &events[i]
        {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = unique(anchor(&text), &mut used);
            out.push(Event::Start(Tag::Heading {
                level: *level,
                id: Some(id.into()),
                classes: classes.clone(),
                attrs: attrs.clone(),
            }));
        } else {
            out.push(events[i].clone());
        }
        i += 1;
    }
    out
}

/// Removes `<p></p>` left where a chart closed a paragraph at its edge.
fn drop_empty_paragraphs(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    for e in events {
        let empty_text = matches!(&e, Event::End(TagEnd::Paragraph))
            && matches!(out.last(), Some(Event::Text(t)) if t.trim().is_empty())
            && matches!(
                out.get(out.len().wrapping_sub(2)),
                Some(Event::Start(Tag::Paragraph))
            );
        if empty_text {
            out.pop();
        }
        if matches!(e, Event::End(TagEnd::Paragraph))
            && matches!(out.last(), Some(Event::Start(Tag::Paragraph)))
        {
            out.pop();
            continue;
        }
        out.push(e);
    }
    out
}

/// A heading's anchor: lowercase, letters and digits of any script kept,
/// other runs become `-`.
pub fn anchor(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

fn unique(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;
    impl Expand for Fake {
        fn metric(&self, call: &Call) -> Result<String, String> {
            match call.arg("id") {
                Some("revenue") => Ok("<span>350亿元</span>".into()),
                Some(other) => Err(format!("unknown metric `{other}`")),
                None => Err("no id".into()),
            }
        }
        fn chart(&self, call: &Call) -> Result<String, String> {
            Ok(format!(
                "<figure id=\"chart-{}\"></figure>\n",
                call.arg("id").unwrap_or("")
            ))
        }
    }

    fn html(md: &str) -> String {
        render(md, &Fake).unwrap().0
    }

    #[test]
    fn expands_in_text_not_in_code() {
        assert_eq!(
            html("营收 {{ metric(id=\"revenue\") }}。\n"),
            "<p>营收 <span>350亿元</span>。</p>\n"
        );
        assert_eq!(
            html("`{{ metric(id=\"revenue\") }}`\n"),
            "<p><code>{{ metric(id=\"revenue\") }}</code></p>\n"
        );
        assert_eq!(
            html("```\n{{ metric(id=\"nope\") }}\n```\n"),
            "<pre><code>{{ metric(id=\"nope\") }}\n</code></pre>\n"
        );
    }

    #[test]
    fn a_chart_alone_replaces_its_paragraph() {
        let (h, placed) = render("A\n\n{{ chart(id=\"trend\") }}\n\nB\n", &Fake).unwrap();
        assert_eq!(
            h,
            "<p>A</p>\n<figure id=\"chart-trend\"></figure>\n<p>B</p>\n"
        );
        assert_eq!(placed, ["trend"]);
    }

    #[test]
    fn errors_carry_the_body_range() {
        let body = "x\n\n营收 {{ metric(id=\"nope\") }}\n";
        let e = render(body, &Fake).unwrap_err();
        assert_eq!(e[0].message, "unknown metric `nope`");
        assert_eq!(&body[e[0].range.clone()], "{{ metric(id=\"nope\") }}");
    }

    #[test]
    fn headings_get_unique_anchors() {
        assert_eq!(
            html("## 核心结论\n\n## 核心结论\n"),
            "<h2 id=\"核心结论\">核心结论</h2>\n<h2 id=\"核心结论-1\">核心结论</h2>\n"
        );
        assert_eq!(anchor("Kling AI: revenue!"), "kling-ai-revenue");
    }
}
