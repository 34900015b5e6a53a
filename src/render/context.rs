//! Template contexts: the views of pages that templates receive, as
//! documented in docs/templates.md. The part shared by every page (site,
//! UI strings per language) is built once per build in [`Shared`]; each
//! page adds only its own data.

use serde::Serialize;

use crate::model::expectation::Expectations;
use crate::render::expectation::{Expected, Reading};

use crate::load::site_config::SiteConfig;
use crate::model::lang::Lang;
use crate::model::metric::Metric;
use crate::model::page::{Brief, Figures, Page};
use crate::model::site_index::encode_path;
use crate::model::strings::{Key, Strings};
use crate::model::urls;
use crate::render::figures;

/// Built once per build.
pub(crate) struct Shared {
    site: tera::Value,
    t_zh: tera::Value,
    t_en: tera::Value,
    /// (title, url from the root) of pages in the navigation.
    nav: Vec<(String, String)>,
    pub base_url: String,
    assets: tera::Value,
    /// Every UI string of the build, the site's `strings:` applied.
    pub strings: Strings,
}

/// The site-wide links every page has, as templates see them (`links`):
/// each from the page, given the page's way to the root.
#[derive(Serialize)]
pub(crate) struct Links {
    companies: String,
    tags: String,
    feed: String,
}

impl Links {
    /// From a page whose way to the root is `root` (`../../`, `./`, or
    /// the site's absolute path on the 404 page).
    pub(crate) fn from_root(root: &str) -> Links {
        Links {
            companies: format!("{root}{}", encode_path(urls::COMPANIES_INDEX)),
            tags: format!("{root}{}", encode_path(urls::TAGS_INDEX)),
            feed: format!("{root}{}", encode_path(urls::FEED)),
        }
    }
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
}

impl Shared {
    /// What the shared context holds beyond the settings and assets (the
    /// navigation, made from pages), as text for the build's fingerprint.
    pub(crate) fn fingerprint_text(&self) -> String {
        format!("{:?}", self.nav)
    }

    /// `pages` are the plain pages the navigation links to after the
    /// company and tag indexes (title, URL).
    pub(crate) fn new(
        site: &SiteConfig,
        pages: Vec<(String, String)>,
        assets: &crate::render::theme::Assets,
    ) -> Shared {
        let site_value = serde_json::json!({
            "title": site.title,
            "base_url": site.base_url,
            "lang": site.lang.code(),
            "chart_files": site.chart_files,
        });
        let strings = Strings::new(&site.strings);
        Shared {
            site: tera::Value::from_serializable(&site_value),
            t_zh: tera::Value::from_serializable(&strings.table(Lang::Zh)),
            t_en: tera::Value::from_serializable(&strings.table(Lang::En)),
            nav: navigation(&strings, site.lang, pages),
            base_url: site.base_url.clone(),
            assets: tera::Value::from_serializable(&assets.names),
            strings,
        }
    }

    /// The text of `key` in `lang`, the site's `strings:` applied.
    pub(crate) fn text(&self, lang: Lang, key: Key) -> &str {
        self.strings.get(lang, key)
    }

    /// The UI strings in `lang`, as templates see them (`t`).
    pub(crate) fn table(&self, lang: Lang) -> tera::Value {
        match lang {
            Lang::Zh => self.t_zh.clone(),
            Lang::En => self.t_en.clone(),
        }
    }

    /// The context every page starts from.
    pub(crate) fn page_context(
        &self,
        url: &str,
        title: &str,
        lang: Lang,
        up_color: &str,
    ) -> tera::Context {
        let root = urls::root_of(url);
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("assets", self.assets.clone());
        ctx.insert_value("t", self.table(lang));
        ctx.insert("lang", lang.code());
        ctx.insert("root", &root);
        ctx.insert("links", &Links::from_root(&root));
        ctx.insert("up_color", up_color);
        ctx.insert("title", title);
        ctx.insert("canonical", &urls::iri(&self.base_url, url));
        let nav: Vec<NavItem> = self
            .nav
            .iter()
            .map(|(t, u)| NavItem {
                title: t.clone(),
                url: format!("{root}{u}"),
            })
            .collect();
        ctx.insert("nav", &nav);
        ctx
    }
}

/// The navigation: the company and tag indexes (named by `strings`, in
/// the site's language), then `pages` (title, URL).
pub(crate) fn navigation(
    strings: &Strings,
    lang: Lang,
    pages: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    let mut nav = vec![
        (
            strings.get(lang, Key::Companies).to_string(),
            urls::companies_index(),
        ),
        (strings.get(lang, Key::Tags).to_string(), urls::tags_index()),
    ];
    nav.extend(pages);
    nav
}

#[derive(Serialize)]
pub(crate) struct Change {
    /// The UI string naming the change (`yoy`, `qoq`): templates show
    /// `t[key]`, the site's `strings:` applied, in the page's language.
    pub key: &'static str,
    /// The text of `key` in the brief's own language, the site's
    /// `strings:` applied (a listing card names its brief's changes so).
    pub label: String,
    pub text: String,
    pub direction: &'static str,
}

#[derive(Serialize)]
pub(crate) struct Card {
    pub id: String,
    pub label: String,
    pub value: String,
    pub note: String,
    pub changes: Vec<Change>,
    /// Inline SVG of the metric across the company's briefs (may be empty).
    pub spark: String,
    /// Consensus, guided and guidance, when the metric has any.
    pub expected: Option<Expected>,
}

#[derive(Serialize)]
pub(crate) struct Row {
    pub id: String,
    pub label: String,
    pub value: String,
    pub prior: String,
    pub prior_derived: bool,
    pub yoy: String,
    pub yoy_direction: &'static str,
    pub qoq: String,
    pub qoq_direction: &'static str,
    pub note: String,
    /// The earlier brief's figure this prior restates, if any.
    pub restated: String,
    pub expected: Option<Expected>,
}

#[derive(Serialize)]
pub(crate) struct ChartView {
    pub id: String,
    pub title: String,
    pub html: String,
}

#[derive(Serialize)]
pub(crate) struct BriefView {
    pub title: String,
    pub summary: String,
    pub date: String,
    pub date_iso: String,
    pub period: String,
    pub company: serde_json::Value,
    pub authors: serde_json::Value,
    pub rating: serde_json::Value,
    pub target_price: serde_json::Value,
    pub tags: Vec<serde_json::Value>,
    pub cards: Vec<Card>,
    pub charts: Vec<ChartView>,
    pub body: String,
    pub table: Vec<Row>,
    /// Whether some metric has a consensus / a guide (the table then
    /// shows those columns).
    pub has_consensus: bool,
    pub has_guided: bool,
    /// Whether some metric has growth on the previous period / a note:
    /// a column no row fills is left out, not shown empty.
    pub has_qoq: bool,
    pub has_notes: bool,
    /// The metrics with guidance for a later period, in order.
    pub guidance: Vec<Row>,
    pub sources: serde_json::Value,
    pub disclaimer: Option<String>,
    /// The share price with its date.
    pub price: Option<crate::render::houses::PriceView>,
    /// The houses' views.
    pub houses: Option<crate::render::houses::HousesView>,
    /// The forecast table.
    pub forecasts: Option<crate::render::forecast::ForecastView>,
}

pub(crate) fn changes(m: &Metric, lang: Lang, strings: &Strings) -> Vec<Change> {
    let mut out = Vec::new();
    for (key, g) in [(Key::Yoy, m.shown_yoy()), (Key::Qoq, m.qoq.clone())] {
        if let Some(g) = g {
            out.push(Change {
                key: key.name(),
                label: strings.get(lang, key).to_string(),
                text: figures::growth_text(&g, lang, strings),
                direction: g.direction().as_str(),
            });
        }
    }
    out
}

pub(crate) fn card(m: &Metric, reading: &Reading<'_>, history: Option<&[f64]>) -> Card {
    let (lang, strings) = (reading.lang, reading.strings);
    let spark = history
        .map(|h| {
            let what = strings
                .get(lang, Key::Sparkline)
                .replace("{label}", &m.label)
                .replace("{n}", &h.len().to_string());
            crate::render::sparkline::svg(h, &what)
        })
        .unwrap_or_default();
    Card {
        spark,
        id: m.key.clone(),
        label: m.label.clone(),
        value: figures::value(m, lang).unwrap_or_default(),
        note: m.note.clone().unwrap_or_default(),
        changes: changes(m, lang, strings),
        expected: reading.of(m),
    }
}

pub(crate) fn row(m: &Metric, reading: &Reading<'_>, restated: Option<&str>) -> Row {
    let lang = reading.lang;
    let g = |g: Option<crate::model::metric::Growth>| {
        figures::growth_cell(g.as_ref(), lang, reading.strings)
    };
    let (yoy, yoy_direction) = g(m.shown_yoy());
    let (qoq, qoq_direction) = g(m.qoq.clone());
    Row {
        id: m.key.clone(),
        label: m.label.clone(),
        value: figures::value(m, lang).unwrap_or_default(),
        prior: figures::prior(m, lang).unwrap_or_default(),
        prior_derived: m.prior.as_ref().is_some_and(|p| p.is_derived()),
        yoy,
        yoy_direction,
        qoq,
        qoq_direction,
        note: m.note.clone().unwrap_or_default(),
        restated: restated.unwrap_or_default().to_string(),
        expected: reading.of(m),
    }
}

pub(crate) fn date_text(d: crate::model::date::Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => d.zh(),
        Lang::En => d.en(),
    }
}

/// The brief view, given its rendered body and unplaced chart blocks;
/// `strings` are the build's UI strings.
pub(crate) fn brief_view(
    page: &Page,
    brief: &Brief,
    figures: &Figures,
    body: String,
    charts: Vec<ChartView>,
    strings: &Strings,
    band: crate::model::expectation::InlineBand,
) -> BriefView {
    let lang = page.lang;
    let reading = Reading {
        lang,
        strings,
        band,
        fye: brief.fiscal_year_end(),
    };
    let root = urls::root_of(&page.url);
    let c = &brief.company;
    let target_price = target_price(figures, lang, strings);
    let table: Vec<Row> = figures
        .metrics
        .iter()
        .map(|m| {
            let restated = page.restated.iter().find(|(k, _)| *k == m.key);
            row(m, &reading, restated.map(|(_, from)| from.as_str()))
        })
        .collect();
    BriefView {
        title: page.title.clone(),
        summary: page.summary.clone().unwrap_or_default(),
        date: page.date.map(|d| date_text(d, lang)).unwrap_or_default(),
        date_iso: page.date.map(|d| d.iso()).unwrap_or_default(),
        period: brief.period_label(lang),
        company: serde_json::json!({
            "url": format!("{root}{}", encode_path(&urls::company_of(c.ticker.as_deref(), &c.name))),
            "name": c.name,
            "ticker": c.ticker.clone().unwrap_or_default(),
            "sector": c.sector.clone().unwrap_or_default(),
        }),
        authors: brief
            .authors
            .iter()
            .map(|a| serde_json::json!({"name": a.name, "license": a.license.clone().unwrap_or_default()}))
            .collect(),
        rating: match &figures.rating {
            None => serde_json::Value::Null,
            Some(r) => serde_json::json!({
                "value": r.value,
                "by": r.by.clone().unwrap_or_default(),
                "previous": r.previous.clone().unwrap_or_default(),
            }),
        },
        target_price,
        tags: brief
            .tags
            .iter()
            .map(|t| serde_json::json!({"name": t, "url": format!("{root}{}", encode_path(&urls::tag_of(t)))}))
            .collect(),
        cards: figures
            .cards
            .iter()
            .filter_map(|&i| figures.metrics.get(i))
            .map(|m| card(m, &reading, figures.history.iter().find(|(k, _)| *k == m.key).map(|(_, h)| h.as_slice())))
            .collect(),
        charts,
        body,
        has_qoq: table.iter().any(|r| !r.qoq.is_empty()),
        has_notes: table.iter().any(|r| !r.note.is_empty()),
        table,
        has_consensus: expects(figures, |e| e.consensus.is_some()),
        has_guided: expects(figures, |e| e.guided.is_some()),
        guidance: figures
            .metrics
            .iter()
            .filter(|m| m.expect.as_ref().is_some_and(|e| e.guidance.is_some()))
            .map(|m| row(m, &reading, None))
            .collect(),
        sources: figures
            .sources
            .iter()
            .map(|s| serde_json::json!({"title": s.title, "url": safe_url(s.url.as_deref())}))
            .collect(),
        disclaimer: figures.disclaimer.clone(),
        price: figures
            .price
            .as_ref()
            .map(|p| crate::render::houses::price_view(p, lang)),
        houses: crate::render::houses::brief(&figures.houses, figures.price.as_ref(), lang, strings),
        forecasts: figures.forecasts.as_ref().map(|f| {
            crate::render::forecast::view(f, brief.fiscal_year_end(), lang, strings)
        }),
    }
}

/// Whether some metric of `figures` has an expectation `has`.
fn expects(figures: &Figures, has: impl Fn(&Expectations) -> bool) -> bool {
    figures
        .metrics
        .iter()
        .any(|m| m.expect.as_deref().is_some_and(&has))
}

/// The brief's own target price: its upside as stated, else worked out
/// from the brief's price (in the same currency), with that price and
/// its date (`from $180.45 (27 Aug 2025)`).
fn target_price(figures: &Figures, lang: Lang, strings: &Strings) -> serde_json::Value {
    let Some(t) = &figures.target_price else {
        return serde_json::Value::Null;
    };
    let price = figures.price.as_ref().filter(|p| p.currency == t.currency);
    let upside = t
        .upside
        .clone()
        .or_else(|| crate::model::house::upside(&t.value, &t.currency, price?));
    let (upside, dir) = figures::growth_cell(upside.as_ref(), lang, strings);
    let from = match price {
        Some(p) if !upside.is_empty() => crate::render::houses::upside_from(p, lang, strings),
        _ => String::new(),
    };
    serde_json::json!({
        "value": figures::money(&t.value, &t.currency, lang),
        "upside": upside,
        "upside_direction": dir,
        "from": from,
        "by": t.by.clone().unwrap_or_default(),
        "previous": t.previous.as_ref().map(|p| figures::money(p, &t.currency, lang)).unwrap_or_default(),
    })
}

/// Only http(s), mailto and relative URLs become links; anything else
/// (`javascript:`) is dropped.
pub(crate) fn safe_url(url: Option<&str>) -> String {
    match url {
        Some(u) => {
            let lower = u.trim().to_ascii_lowercase();
            let scheme = lower.split_once(':').map(|(s, _)| s);
            match scheme {
                Some("http" | "https" | "mailto") => u.trim().to_string(),
                Some(s) if s.contains('/') || s.contains('?') || s.contains('#') => {
                    u.trim().to_string()
                }
                None => u.trim().to_string(),
                _ => String::new(),
            }
        }
        None => String::new(),
    }
}
