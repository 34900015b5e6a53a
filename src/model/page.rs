//! Pages: content files (read through a `Source`) turned into validated,
//! typed pages. A page whose front matter has `company` is a brief.
//! Everything docs/format.md requires of a brief is checked here
//! (required fields, slugs, metric kinds, check expression syntax and
//! names, charts); what is built here is trusted by `check` (consistency)
//! and `render`. A page keeps an `Origin`, not its file's text; a brief's
//! figures are kept beside the pages, in a [`FigureTable`].

use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::model::chart::{self, Chart};
use crate::model::company::{Companies, CompanyFile};
use crate::model::date::{Date, Period};
use crate::model::expr::Expr;
use crate::model::figure::Figure;
use crate::model::front_matter::{Author, Company, Disclaimer, MetricYaml, Rating, Source};
use crate::model::lang::{ByLang, Lang};
use crate::model::metric::{is_currency_code, Growth, Kind, Metric, Prior};
use crate::model::source::{Origin, Source as Document};

/// A validated content page: what every step after validation reads of
/// it. A brief's figures are not here but beside it ([`Figures`], kept by
/// page index in a [`FigureTable`]), so a step that does not show them
/// need not hold them.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Page {
    /// The file it was made from.
    pub origin: Origin,
    pub title: String,
    /// The URL path relative to the site root, ending in `/`
    /// (`briefs/2025q2-kuaishou/`).
    pub url: String,
    pub lang: Lang,
    pub date: Option<Date>,
    pub draft: bool,
    pub summary: Option<String>,
    pub brief: Option<Box<Brief>>,
    /// Metric keys whose prior restates an earlier brief's figure, with
    /// that figure as shown (set by `check::restatement`).
    pub restated: Vec<(String, String)>,
    /// Warnings about this page alone (`check::consistency`), found once
    /// when it is validated.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// The currency the front matter names, and whether some metric is
    /// money in the default currency without a unit (for the currency
    /// rule across briefs, `check::restatement::currencies`).
    pub currency_named: Option<String>,
    pub default_currency_money: bool,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Brief {
    pub company: Company,
    pub period: Period,
    pub currency: String,
    pub tags: Vec<String>,
    pub authors: Vec<Author>,
    /// How many charts its figures hold.
    pub chart_count: usize,
}

impl Brief {
    /// The month its company's fiscal year ends (December when neither
    /// its company file nor its `company:` block says).
    pub fn fiscal_year_end(&self) -> crate::model::period::FiscalYearEnd {
        self.company.fiscal_year_end.unwrap_or_default()
    }

    /// Its period as a page in `lang` shows it: the company's own label,
    /// with the calendar months when its fiscal year is not the calendar
    /// year (`Q2 FY2026 (May–Jul 2025)`).
    pub fn period_label(&self, lang: Lang) -> String {
        self.period.label(self.fiscal_year_end(), lang)
    }

    /// Where its period falls in calendar order.
    pub fn calendar_key(&self) -> (i32, u8, u8) {
        self.period.sort_key_in(self.fiscal_year_end())
    }
}

/// A brief's figures and what goes with them.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub rating: Option<Rating>,
    pub target_price: Option<TargetPrice>,
    pub sources: Vec<Source>,
    pub metrics: Vec<Metric>,
    pub charts: Vec<Chart>,
    /// The disclaimer shown (the brief's own, else the site's in the
    /// brief's language; none when the brief sets `false`).
    pub disclaimer: Option<String>,
    /// Per metric key, its values in the company's briefs up to this
    /// brief's period, oldest first (found across the company's briefs
    /// when there are two or more), for the sparklines on key-figure
    /// cards.
    pub history: Vec<(String, Vec<f64>)>,
    /// The metrics shown as key-figure cards, by index into `metrics`, in
    /// order.
    pub cards: Vec<usize>,
    /// The share price upsides are measured from (`model::house`).
    pub price: Option<crate::model::house::Price>,
    /// Several houses' views (`ratings:`).
    pub houses: Vec<crate::model::house::House>,
    /// The brief's exchange rates (`fx:`).
    pub fx: Vec<crate::model::house::FxRate>,
    /// The forecast table (`model::forecast`).
    pub forecasts: Option<crate::model::forecast::Forecasts>,
}

impl Figures {
    pub fn metric(&self, key: &str) -> Option<&Metric> {
        self.metrics.iter().find(|m| m.key == key)
    }
}

/// The figures of some of a build's briefs, by page index: those a step
/// needs at the moment (a company's briefs while the rules across them
/// run, the briefs a page shows while it renders). The others stay where
/// they were stored until asked for, so the table is sparse.
#[derive(Debug, Default)]
pub struct FigureTable {
    held: std::collections::HashMap<usize, Figures>,
}

impl FigureTable {
    /// A table of `held` figures, by page index.
    pub fn new(held: impl IntoIterator<Item = (usize, Figures)>) -> FigureTable {
        FigureTable {
            held: held.into_iter().collect(),
        }
    }

    /// The figures of brief `i` of `pages`; an internal error naming its
    /// file when they were not read (a step asked for figures the build
    /// did not read for it: a bug in tearsheet, not in the brief).
    pub fn of(&self, pages: &[Page], i: usize) -> Result<&Figures, crate::diagnostic::Diagnostic> {
        self.held.get(&i).ok_or_else(|| {
            let path = pages.get(i).map(|p| p.origin.path.clone()).unwrap_or_default();
            crate::diagnostic::Diagnostic::error(
                "TS0901",
                path,
                "internal error: the figures of this brief were used before they were read",
            )
            .help("this is a bug in tearsheet; `tearsheet build --no-cache` builds without what the last build kept")
        })
    }

    /// The figures of page `i`, if they are held.
    pub fn get(&self, i: usize) -> Option<&Figures> {
        self.held.get(&i)
    }

    /// The figures of page `i`, to change them, if they are held.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Figures> {
        self.held.get_mut(&i)
    }

    /// Holds `figures` as those of page `i` (`None`: holds none for it).
    pub fn set(&mut self, i: usize, figures: Option<Figures>) {
        match figures {
            Some(f) => self.held.insert(i, f),
            None => self.held.remove(&i),
        };
    }

    /// Takes the figures of page `i` out of the table.
    pub fn take(&mut self, i: usize) -> Option<Figures> {
        self.held.remove(&i)
    }

    /// How many briefs' figures are held.
    pub fn len(&self) -> usize {
        self.held.len()
    }

    /// Whether no figures are held.
    pub fn is_empty(&self) -> bool {
        self.held.is_empty()
    }
}

/// What validation makes of a document: the page, and for a brief its
/// figures.
#[derive(Debug)]
pub struct Validated {
    pub page: Page,
    pub figures: Option<Figures>,
}

/// What validation takes from the site's settings.
#[derive(Debug, Clone)]
pub struct Defaults {
    pub lang: Lang,
    pub currency: String,
    /// The site's disclaimer per language: a brief shows the one of its
    /// own language (none when that language has none).
    pub disclaimer: ByLang,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TargetPrice {
    pub value: Figure,
    pub currency: String,
    pub upside: Option<Growth>,
    pub by: Option<String>,
    pub previous: Option<Figure>,
}

/// Most metrics in one brief.
pub const MAX_METRICS: usize = 200;
/// Most charts in one brief.
pub const MAX_CHARTS: usize = 50;

/// Slugs are `[a-z0-9][a-z0-9._-]*`.
pub fn valid_slug(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
        && s.len() <= 200
}

impl Page {
    /// Validates a document into a page, reporting every problem found.
    pub fn from_document(
        doc: &impl Document,
        site: &Defaults,
        companies: &Companies,
    ) -> Result<Validated, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let fm = doc.front_matter();
        let stem = doc
            .content_path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug = match &fm.slug {
            Some(s) if !valid_slug(s) => {
                errors.push(doc.error_at("TS0202", "slug", false, format!("slug `{s}` is not valid")).help("a slug is lowercase letters, digits, `.`, `_` and `-`, starting with a letter or digit"));
                stem.clone()
            }
            Some(s) => s.clone(),
            None => stem.clone(),
        };
        if fm.slug.is_none() && !valid_slug(&stem) && stem != "index" {
            errors.push(
                Diagnostic::error("TS0202", doc.path().to_path_buf(), format!("the file name `{stem}` is not a valid slug"))
                    .help("rename the file (lowercase letters, digits, `.`, `_`, `-`) or set `slug:` in the front matter"),
            );
        }
        let url = url_for(doc.content_path(), &slug, &stem);
        let title = match (&fm.title, doc.has_front_matter()) {
            (Some(t), _) if !t.trim().is_empty() => t.clone(),
            (_, true) => {
                errors.push(
                    doc.error_at_start("TS0201", "the front matter has no `title`")
                        .help("add a title: `title: 快手 2025 年二季度`"),
                );
                String::new()
            }
            (_, false) => first_heading(doc.body()).unwrap_or_else(|| stem.clone()),
        };
        let lang = fm.lang.unwrap_or(site.lang);
        // The company file a brief joins, found once.
        let file = fm
            .company
            .as_ref()
            .and_then(|c| companies.named(c.ticker.as_deref(), &c.name));
        let brief = match &fm.company {
            Some(company) => match build_brief(doc, company, site, file) {
                Ok(b) => Some(b),
                Err(mut e) => {
                    errors.append(&mut e);
                    None
                }
            },
            None => {
                if !fm.metrics.0.is_empty() || !fm.charts.is_empty() {
                    errors.push(doc.error_at("TS0201", if fm.metrics.0.is_empty() { "charts" } else { "metrics" }, true, "metrics and charts belong to briefs, and this page has no `company`").help("add `company: 快手` (or a map with name, ticker, sector) to make it a brief"));
                }
                None
            }
        };
        if errors.is_empty() {
            let (brief, figures) = match brief {
                Some((b, f)) => (Some(Box::new(b)), Some(f)),
                None => (None, None),
            };
            let page = Page {
                origin: doc.origin(),
                title,
                url,
                lang,
                date: fm.date,
                draft: fm.draft,
                summary: fm.summary.clone(),
                brief,
                restated: Vec::new(),
                warnings: Vec::new(),
                // The company file's reporting currency is named for it.
                currency_named: fm.currency.clone().or_else(|| file?.currency.clone()),
                default_currency_money: fm.metrics.0.iter().any(|(_, m)| {
                    m.unit.is_none()
                        && m.value.as_ref().is_some_and(|v| {
                            v.notation.is_magnitude()
                                || v.notation == crate::model::figure::Notation::Plain
                        })
                }),
            };
            Ok(Validated { page, figures })
        } else {
            Err(errors)
        }
    }

    pub fn is_brief(&self) -> bool {
        self.brief.is_some()
    }
}

/// `briefs/x.md` → `briefs/x/`; `briefs/index.md` → `briefs/`; a slug
/// replaces the file stem (see [`crate::model::urls::page`]).
fn url_for(content_path: &Path, slug: &str, stem: &str) -> String {
    crate::model::urls::page(content_path, slug, stem)
}

fn first_heading(body: &str) -> Option<String> {
    body.lines()
        .find_map(|l| l.strip_prefix("# ").map(|t| t.trim().to_string()))
        .filter(|t| !t.is_empty())
}

/// A brief's own fields and its figures, each checked; `file` is the
/// company file it joins, if any.
fn build_brief(
    doc: &impl Document,
    company: &Company,
    site: &Defaults,
    file: Option<&CompanyFile>,
) -> Result<(Brief, Figures), Vec<Diagnostic>> {
    let fm = doc.front_matter();
    let mut errors = Vec::new();
    let lang = fm.lang.unwrap_or(site.lang);
    let (company, reporting) = match file {
        Some(file) => {
            errors.extend(contradictions(doc, company, file));
            (joined(file, lang), file.currency.clone())
        }
        None => (company.clone(), None),
    };
    let company = &company;
    let period = required_fields(doc, company, &mut errors);
    let currency = fm
        .currency
        .clone()
        .or(reporting)
        .unwrap_or_else(|| site.currency.clone());
    if !is_currency_code(&currency) {
        errors.push(
            doc.error_at(
                "TS0206",
                "currency",
                false,
                format!("`{currency}` is not a currency code"),
            )
            .help("write a three-letter code such as CNY, HKD or USD"),
        );
    }
    limits(doc, &mut errors);
    let at = MetricContext {
        currency: &currency,
        period: fm.period,
        fye: company.fiscal_year_end.unwrap_or_default(),
    };
    let mut metrics = build_metrics(doc, &at, &mut errors);
    check_names(doc, &metrics, &mut errors);
    let history = file.and_then(|f| f.history.as_ref());
    let charts = build_charts(doc, &metrics, &currency, history, &mut errors);
    let price = crate::model::house::price(doc, &currency, &mut errors);
    // Targets are in the price's currency unless they name theirs.
    let quote = price.as_ref().map_or(currency.as_str(), |p| &p.currency);
    let target_price = target_price(doc, quote, &mut errors);
    let houses = crate::model::house::houses(doc, quote, &mut errors);
    let fx = crate::model::house::fx(doc, &mut errors);
    let forecasts = crate::model::forecast::validate(doc, &metrics, &currency, &mut errors);
    let disclaimer = match &fm.disclaimer {
        Some(Disclaimer::Text(t)) => Some(t.clone()),
        Some(Disclaimer::Off) => None,
        None => site
            .disclaimer
            .get(fm.lang.unwrap_or(site.lang))
            .map(str::to_string),
    };
    let Some(period) = period else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let brief = Brief {
        company: company.clone(),
        period,
        currency,
        tags: fm.tags.clone(),
        authors: fm.authors.0.clone(),
        chart_count: charts.len(),
    };
    let cards = cards(doc, &metrics, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    // Kept for the whole build: no spare capacity (10,000 briefs).
    metrics.shrink_to_fit();
    let figures = Figures {
        rating: fm.rating.clone(),
        target_price,
        sources: fm.sources.clone(),
        metrics,
        charts,
        disclaimer,
        history: Vec::new(),
        cards,
        price,
        houses,
        fx,
        forecasts,
    };
    Ok((brief, figures))
}

/// The company of a brief that joins company file `file`, as a brief in
/// `lang` names it: its name and sector in that language, its first
/// ticker, its fiscal year end.
fn joined(file: &CompanyFile, lang: Lang) -> Company {
    Company {
        name: file.name_in(lang).to_string(),
        ticker: file.tickers.first().cloned(),
        sector: file.sector.as_ref().map(|s| s.get(lang).to_string()),
        fiscal_year_end: Some(file.fiscal_year_end),
    }
}

/// What an inline `company:` block says that its company file does not
/// (TS0614): another name, sector or fiscal year end.
fn contradictions(doc: &impl Document, inline: &Company, file: &CompanyFile) -> Vec<Diagnostic> {
    let at = if doc
        .front_matter()
        .company
        .as_ref()
        .is_some_and(|c| c.ticker.is_some())
    {
        "company.name"
    } else {
        "company"
    };
    let mut out = Vec::new();
    let mut differs = |path: &str, what: &str, here: String, there: String| {
        out.push(
            doc.error_at(
                "TS0614",
                path,
                false,
                format!(
                    "the {what} here is `{here}`, but {} says `{there}`",
                    crate::diagnostic::display_path(&file.origin.path)
                ),
            )
            .help(format!(
                "write only the ticker (`company: {}`) and let the company file say the rest, or make them agree",
                file.tickers.first().map_or("", String::as_str)
            )),
        );
    };
    let name = inline.name.trim();
    if !name.is_empty() && !file.name.has(name) && !file.has_ticker(name) {
        let there = [&file.name.en, &file.name.zh]
            .into_iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join("` / `");
        differs(at, "company name", name.to_string(), there);
    }
    if let Some(sector) = inline.sector.as_deref() {
        if !file.sector.as_ref().is_some_and(|s| s.has(sector)) {
            let there = file
                .sector
                .as_ref()
                .map_or(String::new(), |s| s.get(Lang::En).to_string());
            differs("company.sector", "sector", sector.to_string(), there);
        }
    }
    if let Some(fye) = inline
        .fiscal_year_end
        .filter(|f| *f != file.fiscal_year_end)
    {
        let month = |f: crate::model::period::FiscalYearEnd| i64::from(f).to_string();
        differs(
            "company.fiscal_year_end",
            "fiscal year end",
            month(fye),
            month(file.fiscal_year_end),
        );
    }
    out
}

/// The company's name, the date and the period a brief needs; returns
/// the period.
fn required_fields(
    doc: &impl Document,
    company: &Company,
    errors: &mut Vec<Diagnostic>,
) -> Option<Period> {
    let fm = doc.front_matter();
    if company.name.trim().is_empty() {
        errors.push(doc.error_at("TS0201", "company", false, "the company has no name"));
    }
    if fm.date.is_none() {
        errors.push(
            doc.error_at_start("TS0201", "a brief needs a `date`")
                .help("add the publication date: `date: 2025-08-21`"),
        );
    }
    if fm.period.is_none() {
        errors.push(
            doc.error_at_start("TS0201", "a brief needs a `period`")
                .help("add the period it covers: `period: 2025Q2` (or 2025H1, FY2024, 2025-06)"),
        );
    }
    fm.period
}

/// How many metrics are key-figure cards when a brief does not say.
pub const DEFAULT_CARDS: usize = 8;

/// The key-figure cards, by index into `metrics`: the brief's `cards:`
/// list (each key a metric of the brief, TS0219), else the first
/// [`DEFAULT_CARDS`] metrics, less those with `card: false`, with those
/// with `card: true`.
fn cards(doc: &impl Document, metrics: &[Metric], errors: &mut Vec<Diagnostic>) -> Vec<usize> {
    let fm = doc.front_matter();
    if let Some(keys) = &fm.cards {
        let mut out = Vec::with_capacity(keys.len());
        for (i, key) in keys.iter().enumerate() {
            match metrics.iter().position(|m| m.key == *key) {
                Some(at) => out.push(at),
                None => {
                    let mut d = doc.error_at(
                        "TS0219",
                        &format!("cards[{i}]"),
                        false,
                        format!("`cards` names metric `{key}`, which this brief does not have"),
                    );
                    if let Some(s) = did_you_mean(key, metrics.iter().map(|m| m.key.as_str())) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    errors.push(d);
                }
            }
        }
        return out;
    }
    let card = |key: &str| {
        fm.metrics
            .0
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, m)| m.card)
    };
    (0..metrics.len())
        .filter(|&i| card(&metrics[i].key).unwrap_or(i < DEFAULT_CARDS))
        .collect()
}

/// At most [`MAX_METRICS`] metrics and [`MAX_CHARTS`] charts.
fn limits(doc: &impl Document, errors: &mut Vec<Diagnostic>) {
    let fm = doc.front_matter();
    if fm.metrics.0.len() > MAX_METRICS {
        errors.push(
            doc.error_at(
                "TS0240",
                "metrics",
                true,
                format!(
                    "{} metrics; a brief holds at most {MAX_METRICS}",
                    fm.metrics.0.len()
                ),
            )
            .help("split the brief, or keep the long tail in a table in the body"),
        );
    }
    if fm.charts.len() > MAX_CHARTS {
        errors.push(
            doc.error_at(
                "TS0240",
                "charts",
                true,
                format!(
                    "{} charts; a brief holds at most {MAX_CHARTS}",
                    fm.charts.len()
                ),
            )
            .help("split the brief"),
        );
    }
}

/// Check expressions may name any metric of the brief, and only those.
fn check_names(doc: &impl Document, metrics: &[Metric], errors: &mut Vec<Diagnostic>) {
    for m in metrics {
        let Some(expr) = &m.check else { continue };
        for (r, at) in expr.refs() {
            if metrics.iter().any(|o| o.key == r.key) {
                continue;
            }
            let pos = expr_pos(doc, &m.key, at, r.key.chars().count());
            let mut d = Diagnostic::error(
                "TS0208",
                doc.path().to_path_buf(),
                format!(
                    "`check` of `{}` names metric `{}`, which this brief does not have",
                    m.key, r.key
                ),
            )
            .at(doc.text(), pos);
            if let Some(s) = did_you_mean(&r.key, metrics.iter().map(|m| m.key.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            errors.push(d);
        }
    }
}

/// The brief's charts, each with a unique id, resolved against its
/// metrics.
fn build_charts(
    doc: &impl Document,
    metrics: &[Metric],
    currency: &str,
    history: Option<&crate::model::history::History>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Chart> {
    let specs = &doc.front_matter().charts;
    let mut charts: Vec<Chart> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        if let Some(first) = specs[..i].iter().position(|c| c.id == spec.id) {
            let line = doc.locate(&format!("charts[{first}].id"), false).line;
            errors.push(
                doc.error_at(
                    "TS0211",
                    &format!("charts[{i}].id"),
                    false,
                    format!("chart id `{}` is used twice", spec.id),
                )
                .help(format!(
                    "the first chart with this id is at line {line}; give each chart its own id"
                )),
            );
            continue;
        }
        match chart::resolve(spec, i, metrics, currency, history, doc) {
            Ok(c) => charts.push(c),
            Err(mut e) => errors.append(&mut e),
        }
    }
    charts
}

/// The target price, its currency `currency` (the price's, else the
/// brief's) unless it names one.
fn target_price(
    doc: &impl Document,
    currency: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<TargetPrice> {
    let t = doc.front_matter().target_price.as_ref()?;
    let target = TargetPrice {
        value: t.value.clone(),
        currency: t.currency.clone().unwrap_or_else(|| currency.to_string()),
        upside: t.upside.clone(),
        by: t.by.clone(),
        previous: t.previous.clone(),
    };
    if !is_currency_code(&target.currency) {
        errors.push(
            doc.error_at(
                "TS0206",
                "target_price.currency",
                false,
                format!("`{}` is not a currency code", target.currency),
            )
            .help("write a three-letter code such as HKD"),
        );
    }
    Some(target)
}

/// Every metric of the brief, in the author's order; the errors of
/// those that are not valid go to `errors`.
fn build_metrics(
    doc: &impl Document,
    at: &MetricContext<'_>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Metric> {
    let mut metrics = Vec::new();
    for (key, m) in &doc.front_matter().metrics.0 {
        match build_metric(doc, key, m, at) {
            Ok(m) => metrics.push(m),
            Err(mut e) => errors.append(&mut e),
        }
    }
    metrics
}

/// What a metric is read against: the brief's currency, period and
/// fiscal year end.
struct MetricContext<'a> {
    currency: &'a str,
    period: Option<Period>,
    fye: crate::model::period::FiscalYearEnd,
}

fn build_metric(
    doc: &impl Document,
    key: &str,
    m: &MetricYaml,
    at: &MetricContext<'_>,
) -> Result<Metric, Vec<Diagnostic>> {
    let currency = at.currency;
    let mut errors = Vec::new();
    let path = format!("metrics.{key}");
    if m.value.is_none() && m.yoy.is_none() && m.qoq.is_none() {
        errors.push(
            doc.error_at(
                "TS0204",
                &path,
                true,
                format!("metric `{key}` has no `value`"),
            )
            .help("give a `value`, or at least a `yoy` or `qoq` when only growth is known"),
        );
    }
    if m.label.trim().is_empty() {
        errors.push(doc.error_at(
            "TS0204",
            &format!("{path}.label"),
            false,
            format!("metric `{key}` has an empty label"),
        ));
    }
    let kind = Kind::resolve(m.unit.as_deref(), m.value.as_ref(), currency);
    for (field, fig) in [("value", &m.value), ("prior", &m.prior)] {
        if let Some(f) = fig {
            if !kind.accepts(f.notation) {
                let hint = match kind {
                    Kind::Money { .. } | Kind::Count { .. } => {
                        "a ratio is written without `unit` (value: 16.0%)"
                    }
                    _ => "write the figure in the metric's unit",
                };
                errors.push(
                    doc.error_at(
                        "TS0205",
                        &format!("{path}.{field}"),
                        false,
                        format!(
                            "`{}` cannot be the {field} of `{key}`, which is {}",
                            f.text,
                            kind.axis_unit()
                        ),
                    )
                    .help(hint),
                );
            }
        }
    }
    let check = match &m.check {
        None => None,
        Some(src) => match Expr::parse(src) {
            Ok(e) => Some(e),
            Err(e) => {
                let pos = expr_pos(doc, key, e.offset, e.len);
                errors.push(Diagnostic::error("TS0207", doc.path().to_path_buf(), format!("cannot read the `check` of `{key}`: {}", e.message)).at(doc.text(), pos).help("a check is an expression over metric keys with + - * / and parentheses, e.g. adj_net_profit / revenue"));
                None
            }
        },
    };
    let expect = crate::model::expectation::validate(doc, key, m, &kind, at.period, at.fye)
        .unwrap_or_else(|mut e| {
            errors.append(&mut e);
            None
        });
    if !errors.is_empty() {
        return Err(errors);
    }
    let prior = match (&m.prior, &m.value, &m.yoy) {
        (Some(p), _, _) => Some(Prior::Stated(p.clone())),
        (None, Some(v), Some(g)) => Metric::derive_prior(v, g, &kind).map(Prior::Derived),
        _ => None,
    };
    Ok(Metric {
        key: key.to_string(),
        label: m.label.clone(),
        kind,
        value: m.value.clone(),
        yoy: m.yoy.clone(),
        qoq: m.qoq.clone(),
        prior,
        check,
        decimals: m.decimals,
        note: m.note.clone(),
        expect,
    })
}

/// File position of character `offset` inside the `check` of metric
/// `key`, accounting for a quote before the expression.
fn expr_pos(doc: &impl Document, key: &str, offset: usize, len: usize) -> crate::diagnostic::Pos {
    let p = doc.locate(&format!("metrics.{key}.check"), false);
    let line = doc.text().lines().nth(p.line - 1).unwrap_or("");
    let quoted = line
        .chars()
        .nth(p.col - 1)
        .is_some_and(|c| c == '"' || c == '\'');
    crate::diagnostic::Pos::new(p.line, p.col + offset + usize::from(quoted), len.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(path: &str) -> Page {
        Page {
            origin: Origin {
                path: path.into(),
                content_path: path.trim_start_matches("content/").into(),
                hash: 0,
                slug: None,
            },
            title: "t".into(),
            url: "x/".into(),
            lang: Lang::En,
            date: None,
            draft: false,
            summary: None,
            brief: None,
            restated: Vec::new(),
            warnings: Vec::new(),
            currency_named: None,
            default_currency_money: false,
        }
    }

    #[test]
    fn figures_not_read_are_an_internal_error_naming_the_file_not_a_panic() {
        let pages = [plain("content/briefs/a.md")];
        let table = FigureTable::default();
        let e = table.of(&pages, 0).unwrap_err();
        assert_eq!(e.code, "TS0901");
        assert_eq!(e.location(), "content/briefs/a.md");
        assert!(e.message.starts_with("internal error"), "{}", e.message);
        // Out of range too, never a panic.
        assert_eq!(table.of(&pages, 7).unwrap_err().code, "TS0901");
    }
}
