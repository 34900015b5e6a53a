//! Render: pages to HTML. Bodies go through `markdown` (with the body
//! functions of `shortcode`), figures through `format`/`figures`, charts
//! through `chart`, and everything through the `theme`'s templates with
//! contexts from `context`. Rendering reads the model and returns strings
//! or diagnostics; it writes nothing (that is `write`'s job).

pub mod chart;
pub mod context;
pub mod feed;
pub mod figures;
pub mod html;
pub mod i18n;
pub mod listing;
pub mod markdown;
pub mod plan;
pub mod shortcode;
pub mod sparkline;
pub mod theme;

use crate::diagnostic::Diagnostic;
use crate::load::site_config::SiteConfig;
use crate::model::lang::Lang;
use crate::model::page::{Brief, Page};
use crate::render::context::{ChartView, Shared};
use crate::render::markdown::Expand;
use crate::render::shortcode::Call;
use crate::render::theme::Theme;

/// Everything a page render needs that is the same for all pages.
pub struct Renderer<'a> {
    /// The site root: pages read their bodies again from it (see
    /// `Document::shed_body`).
    pub root: &'a std::path::Path,
    pub site: &'a SiteConfig,
    pub theme: &'a Theme,
    pub shared: Shared,
    /// How listing pages show each brief, made once per brief.
    pub listed: context::ListedEntries,
}

/// A rendered file: its path in the output and its bytes.
pub struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Renderer<'_> {
    /// Renders one content page (and, for a brief, its chart files).
    pub fn page(&self, page: &Page) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let lang = page.lang;
        let up = self.site.up_color_for(lang).as_str();
        let mut ctx = self.shared.page_context(&page.url, &page.title, lang, up);
        let expander = BodyFunctions {
            brief: page.brief.as_deref(),
            lang,
            standalone: Default::default(),
        };
        let text = page.doc.full_text(self.root).map_err(|d| vec![d])?;
        let (body, placed) =
            markdown::render(page.doc.body_of(&text), &expander).map_err(|errs| {
                errs.into_iter()
                    .map(|e| {
                        Diagnostic::error("TS0220", page.doc.path.clone(), e.message).at(
                            &text,
                            page.doc
                                .body_pos(&text, e.range.start, e.range.end - e.range.start),
                        )
                    })
                    .collect::<Vec<_>>()
            })?;
        drop(text);
        let mut outputs = Vec::new();
        let html = match &page.brief {
            Some(brief) => {
                // Every chart as a file next to the page, placed or not;
                // the ones the body does not place also inline after the
                // key figures, both forms from one drawing.
                let mut charts = Vec::new();
                for c in &brief.figures().charts {
                    let drawn = expander.standalone.borrow_mut().remove(&c.id);
                    let standalone = if placed.contains(&c.id) {
                        drawn.unwrap_or_else(|| chart::svg(c, lang, chart::Style::Standalone))
                    } else {
                        let pair = chart::svg_pair(c, lang);
                        charts.push(ChartView {
                            id: c.id.clone(),
                            title: c.title.clone(),
                            html: chart::block(c, &pair.inline, lang),
                        });
                        pair.standalone
                    };
                    outputs.push(Output {
                        path: format!("{}{}.svg", page.url, c.id),
                        bytes: standalone.into_bytes(),
                    });
                }
                ctx.insert("brief", &context::brief_view(page, brief, body, charts));
                self.theme.render("brief.html", &ctx)?
            }
            None => {
                ctx.insert(
                    "page",
                    &serde_json::json!({"title": page.title, "body": body}),
                );
                self.theme.render("page.html", &ctx)?
            }
        };
        outputs.insert(
            0,
            Output {
                path: format!("{}index.html", page.url),
                bytes: html,
            },
        );
        Ok(outputs)
    }
}

/// The body functions of a page: `metric()` and `chart()`.
struct BodyFunctions<'a> {
    brief: Option<&'a Brief>,
    lang: Lang,
    /// The file form of each chart the body placed, drawn together with
    /// its inline form (by chart id).
    standalone: std::cell::RefCell<std::collections::HashMap<String, String>>,
}

impl Expand for BodyFunctions<'_> {
    fn metric(&self, call: &Call) -> Result<String, String> {
        check_args(call, &["id", "show"])?;
        let brief = self
            .brief
            .ok_or("metric() works only in briefs (pages with `company`)")?;
        let id = call
            .arg("id")
            .ok_or("metric() needs an id: metric(id=\"revenue\")")?;
        let m = brief.metric(id).ok_or_else(|| {
            not_in_brief(
                "metric",
                id,
                brief.figures().metrics.iter().map(|m| m.key.as_str()),
            )
        })?;
        let lang = self.lang;
        let missing = |what: &str| format!("metric `{id}` has no {what} to show");
        let (text, class) = match call.arg("show").unwrap_or("value") {
            "value" => (
                figures::value(m, lang).ok_or_else(|| missing("value"))?,
                "fig".to_string(),
            ),
            "prior" => (
                figures::prior(m, lang).ok_or_else(|| missing("prior"))?,
                "fig".to_string(),
            ),
            "label" => (m.label.clone(), "label".to_string()),
            show @ ("yoy" | "qoq") => {
                let g = if show == "yoy" {
                    m.shown_yoy()
                } else {
                    m.qoq.clone()
                };
                let g = g.ok_or_else(|| missing(show))?;
                (
                    figures::labelled_growth(&g, show, lang),
                    format!("chg {}", g.direction().as_str()),
                )
            }
            other => {
                return Err(format!(
                    "show=\"{other}\" is not one of value, yoy, qoq, prior, label"
                ))
            }
        };
        Ok(format!(
            "<span class=\"{class}\">{}</span>",
            html::escape(&text)
        ))
    }

    fn chart(&self, call: &Call) -> Result<String, String> {
        check_args(call, &["id"])?;
        let brief = self
            .brief
            .ok_or("chart() works only in briefs (pages with `company`)")?;
        let id = call
            .arg("id")
            .ok_or("chart() needs an id: chart(id=\"trend\")")?;
        let c = brief
            .figures()
            .charts
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| {
                not_in_brief(
                    "chart",
                    id,
                    brief.figures().charts.iter().map(|c| c.id.as_str()),
                )
            })?;
        let pair = chart::svg_pair(c, self.lang);
        self.standalone
            .borrow_mut()
            .insert(c.id.clone(), pair.standalone);
        Ok(chart::block(c, &pair.inline, self.lang))
    }
}

fn check_args(call: &Call, allowed: &[&str]) -> Result<(), String> {
    match call
        .args
        .iter()
        .find(|(k, _)| !allowed.contains(&k.as_str()))
    {
        Some((k, _)) => Err(format!(
            "{}() has no argument `{k}`; it takes {}",
            call.name,
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

/// "no metric `x` in this brief", with the nearest of `names` offered.
fn not_in_brief<'a>(what: &str, id: &str, names: impl Iterator<Item = &'a str>) -> String {
    let mut msg = format!("no {what} `{id}` in this brief");
    if let Some(s) = crate::diagnostic::did_you_mean(id, names) {
        msg.push_str(&format!("; did you mean `{s}`?"));
    }
    msg
}
