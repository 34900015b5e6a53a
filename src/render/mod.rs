//! Render: pages to HTML. Bodies go through `markdown` (with the body
//! functions of `shortcode`), figures through `figures` (which displays
//! them with `model::format`), charts through `chart` and `sparkline`,
//! and everything through the `theme`'s templates with contexts from
//! `context`; `houses` shows the price and houses' views, `forecast` the
//! forecast table; `listing` makes the home, company and tag pages, `feed`
//! the files for machines, `search` the search index, and `plan` lists
//! every output as a job. Rendering
//! reads the model and returns bytes or diagnostics; it writes nothing
//! (that is `write`'s job, run by `site`).

pub mod chart;
pub(crate) mod company;
pub(crate) mod context;
pub(crate) mod expectation;
pub(crate) mod feed;
pub(crate) mod figures;
pub(crate) mod forecast;
pub(crate) mod houses;
pub(crate) mod html;
pub(crate) mod listed;
pub(crate) mod listing;
pub mod markdown;
pub(crate) mod plan;
pub(crate) mod search;
pub mod shortcode;
pub(crate) mod sitemap;
pub(crate) mod sparkline;
pub(crate) mod theme;

use crate::diagnostic::Diagnostic;
use crate::load::front_matter::{body_pos, read_again};
use crate::load::site_config::SiteConfig;
use crate::model::lang::Lang;
use crate::model::metric::Metric;
use crate::model::page::{FigureTable, Figures, Page};
use crate::model::strings::Key;
use crate::render::context::{ChartView, Shared};
use crate::render::markdown::Expand;
use crate::render::shortcode::Call;
use crate::render::theme::Theme;

/// Everything a page render needs: what is the same for all pages, and
/// the figures of the briefs the job at hand shows (a copy of the
/// renderer per job, with its own table).
#[derive(Clone, Copy)]
pub(crate) struct Renderer<'a> {
    /// The site root: pages read their bodies again from it (see
    /// `Document::shed_body`).
    pub root: &'a std::path::Path,
    pub site: &'a SiteConfig,
    pub theme: &'a Theme,
    pub shared: &'a Shared,
    /// How listing pages show each brief, made once per brief.
    pub listed: &'a listed::ListedEntries,
    /// The briefs' figures, by page index (those the job rendered shows).
    pub figures: &'a FigureTable,
    /// What the search index holds of each brief, by page index.
    pub search: &'a search::SearchEntries,
    /// The site's company files.
    pub companies: &'a crate::model::company::Companies,
}

/// A rendered file: its path in the output and its bytes.
pub(crate) struct Output {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl<'a> Renderer<'a> {
    /// How charts read on a page in `lang`: the build's strings and the
    /// site's colour of rises.
    pub(crate) fn look(&self, lang: Lang) -> chart::Look<'_> {
        chart::Look::new(lang, self.site.up_color(), &self.shared.strings)
            .with_files(self.site.chart_files)
    }

    /// The figures of brief `i` of `pages`.
    pub(crate) fn figures_of(
        &self,
        pages: &[Page],
        i: usize,
    ) -> Result<&'a Figures, Vec<Diagnostic>> {
        self.figures.of(pages, i).map_err(|d| vec![d])
    }

    /// Renders content page `i` of `pages` (and, for a brief, its chart
    /// files).
    pub(crate) fn page(&self, pages: &[Page], i: usize) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let page = &pages[i];
        let figures = match page.brief {
            Some(_) => Some(self.figures_of(pages, i)?),
            None => None,
        };
        let lang = page.lang;
        let up = self.site.up_color().as_str();
        let mut ctx = self.shared.page_context(&page.url, &page.title, lang, up);
        let look = self.look(lang);
        let expander = BodyFunctions {
            figures,
            look,
            band: self.site.inline_band,
            fye: page
                .brief
                .as_ref()
                .map(|b| b.fiscal_year_end())
                .unwrap_or_default(),
            standalone: Default::default(),
        };
        let (text, body_start) = read_again(self.root, &page.origin).map_err(|d| vec![d])?;
        let (body, placed) = markdown::render(&text[body_start..], &expander).map_err(|errs| {
            errs.into_iter()
                .map(|e| {
                    let len = e.range.end - e.range.start;
                    Diagnostic::error("TS0220", page.origin.path.clone(), e.message)
                        .at(&text, body_pos(&text, body_start, e.range.start, len))
                })
                .collect::<Vec<_>>()
        })?;
        drop(text);
        let mut outputs = Vec::new();
        let html = match (&page.brief, figures) {
            (Some(brief), Some(figures)) => {
                // With chart files, every chart as a file next to the
                // page, placed or not; the ones the body does not place
                // also inline after the body, both forms from one drawing
                // (and the narrow column's form beside the wide one).
                let mut charts = Vec::new();
                for c in &figures.charts {
                    let drawn = expander.standalone.borrow_mut().remove(&c.id);
                    let standalone = if placed.contains(&c.id) {
                        drawn.or_else(|| {
                            look.files
                                .then(|| chart::svg(c, look, chart::Style::Standalone))
                        })
                    } else {
                        let drawn = chart::drawings(c, look);
                        charts.push(ChartView {
                            id: c.id.clone(),
                            title: c.title.clone(),
                            html: chart::block(c, &drawn.inline, look),
                        });
                        drawn.standalone
                    };
                    outputs.extend(standalone.map(|s| Output {
                        path: format!("{}{}.svg", page.url, c.id),
                        bytes: s.into_bytes(),
                    }));
                }
                ctx.insert(
                    "brief",
                    &context::brief_view(
                        page,
                        brief,
                        figures,
                        body,
                        charts,
                        &self.shared.strings,
                        self.site.inline_band,
                    ),
                );
                self.theme.render("brief.html", &ctx)?
            }
            _ => {
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
    /// The brief's figures; none for a plain page.
    figures: Option<&'a Figures>,
    /// The page's language, the build's strings, the site's colours.
    look: chart::Look<'a>,
    /// site.yaml's `inline_band`, for verdicts against consensus.
    band: crate::model::expectation::InlineBand,
    /// The brief's fiscal year end, for the periods guidance names.
    fye: crate::model::period::FiscalYearEnd,
    /// The file form of each chart the body placed, drawn together with
    /// its inline form (by chart id).
    standalone: std::cell::RefCell<std::collections::HashMap<String, String>>,
}

impl BodyFunctions<'_> {
    /// `metric(show=...)` for a metric's own figures: its value, prior,
    /// label or growth, as text with its CSS class.
    fn growth_or_value(&self, m: &Metric, show: &str) -> Result<(String, String), String> {
        let lang = self.look.lang;
        let missing = |what: &str| format!("metric `{}` has no {what} to show", m.key);
        Ok(match show {
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
                let (g, key) = if show == "yoy" {
                    (m.shown_yoy(), Key::Yoy)
                } else {
                    (m.qoq.clone(), Key::Qoq)
                };
                let g = g.ok_or_else(|| missing(show))?;
                (
                    figures::labelled_growth(&g, key, lang, self.look.strings),
                    format!("chg {}", g.direction().as_str()),
                )
            }
            other => {
                return Err(format!(
                    "show=\"{other}\" is not one of value, yoy, qoq, prior, label, consensus, surprise, verdict, guided, guidance"
                ))
            }
        })
    }
}

impl Expand for BodyFunctions<'_> {
    fn metric(&self, call: &Call) -> Result<String, String> {
        check_args(call, &["id", "show"])?;
        let brief = self
            .figures
            .ok_or("metric() works only in briefs (pages with `company`)")?;
        let id = call
            .arg("id")
            .ok_or("metric() needs an id: metric(id=\"revenue\")")?;
        let m = brief.metric(id).ok_or_else(|| {
            not_in_brief("metric", id, brief.metrics.iter().map(|m| m.key.as_str()))
        })?;
        let lang = self.look.lang;
        let missing = |what: &str| format!("metric `{id}` has no {what} to show");
        let show = call.arg("show").unwrap_or("value");
        let reading = expectation::Reading {
            lang,
            strings: self.look.strings,
            band: self.band,
            fye: self.fye,
        };
        let (text, class) = match reading.show(m, show) {
            Some(found) => found.ok_or_else(|| missing(show))?,
            None => self.growth_or_value(m, show)?,
        };
        Ok(format!(
            "<span class=\"{class}\">{}</span>",
            html::escape(&text)
        ))
    }

    fn chart(&self, call: &Call) -> Result<String, String> {
        check_args(call, &["id"])?;
        let brief = self
            .figures
            .ok_or("chart() works only in briefs (pages with `company`)")?;
        let id = call
            .arg("id")
            .ok_or("chart() needs an id: chart(id=\"trend\")")?;
        let c =
            brief.charts.iter().find(|c| c.id == id).ok_or_else(|| {
                not_in_brief("chart", id, brief.charts.iter().map(|c| c.id.as_str()))
            })?;
        let drawn = chart::drawings(c, self.look);
        if let Some(file) = drawn.standalone {
            self.standalone.borrow_mut().insert(c.id.clone(), file);
        }
        Ok(chart::block(c, &drawn.inline, self.look))
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
