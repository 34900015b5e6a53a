//! Pages: documents turned into validated, typed pages. A page whose
//! front matter has `company` is a brief. Everything FORMAT.md requires of
//! a brief is checked here (required fields, slugs, metric kinds, check
//! expression syntax and names, charts); what is built here is trusted by
//! `check` (consistency) and `render`.

use std::path::Path;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::front_matter::Document;
use crate::load::site_config::SiteConfig;
use crate::model::chart::{self, Chart};
use crate::model::date::{Date, Period};
use crate::model::expr::Expr;
use crate::model::figure::Figure;
use crate::model::front_matter::{Author, Company, Disclaimer, MetricYaml, Rating, Source};
use crate::model::held::Held;
use crate::model::lang::Lang;
use crate::model::metric::{is_currency_code, Growth, Kind, Metric, Prior};

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Page {
    pub doc: Document,
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
    /// when it is validated (set by `site`).
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
    /// The currency the front matter names, and whether some metric is
    /// money in the default currency without a unit (for the currency
    /// rule across briefs, `check::restatement::currencies`).
    pub currency_named: Option<String>,
    pub default_currency_money: bool,
    /// Whether the page, or what the rules across its company's briefs
    /// found for it, changed in this build (it was read, or its company
    /// was checked again); pages reused unchanged from the last build's
    /// memo are not (see `site` and `memo`).
    #[serde(skip)]
    pub changed: bool,
    /// The page's entry in the search index, once written (serve keeps
    /// pages between rebuilds: an entry is written once per version of
    /// its page).
    #[serde(skip)]
    pub search_entry: std::sync::OnceLock<String>,
    /// The hash of where the page sits (see `whole::shape`), once found.
    #[serde(skip)]
    pub shape: std::sync::OnceLock<u64>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Brief {
    pub company: Company,
    pub period: Period,
    pub currency: String,
    pub tags: Vec<String>,
    pub authors: Vec<Author>,
    /// How many charts `figures` holds (for the build summary, without
    /// reading them).
    pub chart_count: usize,
    /// A hash of `figures.history` (for fingerprints, without reading
    /// them).
    pub history_hash: u64,
    /// What the brief's own page, its company page and the listings show
    /// beyond the above; left in the memo's store until a step needs it.
    pub figures: Held<Figures>,
}

/// A brief's figures and what goes with them.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub rating: Option<Rating>,
    pub target_price: Option<TargetPrice>,
    pub sources: Vec<Source>,
    pub metrics: Vec<Metric>,
    pub charts: Vec<Chart>,
    /// The disclaimer shown (the brief's own, else the site's; none when
    /// the brief sets `false`).
    pub disclaimer: Option<String>,
    /// Per metric key, its values in the company's briefs up to this
    /// brief's period, oldest first (set by `site` when there are two or
    /// more), for the sparklines on key-figure cards.
    pub history: Vec<(String, Vec<f64>)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TargetPrice {
    pub value: Figure,
    pub currency: String,
    pub upside: Option<Growth>,
    pub by: Option<String>,
    pub previous: Option<Figure>,
    pub price: Option<Figure>,
}

impl Brief {
    /// The figures (read by `site` before any step that uses them).
    pub fn figures(&self) -> &Figures {
        self.figures.get()
    }

    /// Sets the sparkline histories (see [`Figures::history`]); the
    /// figures must have been read.
    pub fn set_history(&mut self, history: Vec<(String, Vec<f64>)>) {
        let mut h = crate::render::plan::Hash::new(0);
        for (key, values) in &history {
            h.str(key);
            for v in values {
                h.u64(v.to_bits());
            }
        }
        self.history_hash = h.finish();
        self.figures.get_mut().history = history;
    }

    pub fn metric(&self, key: &str) -> Option<&Metric> {
        self.figures().metrics.iter().find(|m| m.key == key)
    }
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
    pub fn from_document(doc: Document, site: &SiteConfig) -> Result<Page, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let fm = &doc.front_matter;
        let stem = doc
            .content_path
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
                Diagnostic::error("TS0202", doc.path.clone(), format!("the file name `{stem}` is not a valid slug"))
                    .help("rename the file (lowercase letters, digits, `.`, `_`, `-`) or set `slug:` in the front matter"),
            );
        }
        let url = url_for(&doc.content_path, &slug, &stem);
        let title = match (&fm.title, doc.has_front_matter) {
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
        let brief = match &fm.company {
            Some(company) => match build_brief(&doc, company, site) {
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
            Ok(Page {
                title,
                url,
                lang,
                date: fm.date,
                draft: fm.draft,
                summary: fm.summary.clone(),
                brief: brief.map(Box::new),
                restated: Vec::new(),
                warnings: Vec::new(),
                changed: true,
                search_entry: Default::default(),
                shape: Default::default(),
                currency_named: fm.currency.clone(),
                default_currency_money: fm.metrics.0.iter().any(|(_, m)| {
                    m.unit.is_none()
                        && m.value.as_ref().is_some_and(|v| {
                            v.notation.is_magnitude()
                                || v.notation == crate::model::figure::Notation::Plain
                        })
                }),
                doc,
            })
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

fn build_brief(
    doc: &Document,
    company: &Company,
    site: &SiteConfig,
) -> Result<Brief, Vec<Diagnostic>> {
    let fm = &doc.front_matter;
    let mut errors = Vec::new();
    if company.name.trim().is_empty() {
        errors.push(doc.error_at("TS0201", "company", false, "the company has no name"));
    }
    if fm.date.is_none() {
        errors.push(
            doc.error_at_start("TS0201", "a brief needs a `date`")
                .help("add the publication date: `date: 2025-08-21`"),
        );
    }
    let period = match fm.period {
        Some(p) => Some(p),
        None => {
            errors.push(
                doc.error_at_start("TS0201", "a brief needs a `period`")
                    .help(
                        "add the period it covers: `period: 2025Q2` (or 2025H1, FY2024, 2025-06)",
                    ),
            );
            None
        }
    };
    let currency = fm.currency.clone().unwrap_or_else(|| site.currency.clone());
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
    let mut metrics = Vec::new();
    for (key, m) in &fm.metrics.0 {
        match build_metric(doc, key, m, &currency) {
            Ok(m) => metrics.push(m),
            Err(mut e) => errors.append(&mut e),
        }
    }
    // Check expressions may name any metric of the brief.
    for m in &metrics {
        if let Some(expr) = &m.check {
            for (r, at) in expr.refs() {
                if !metrics.iter().any(|o| o.key == r.key) {
                    let pos = expr_pos(doc, &m.key, at, r.key.chars().count());
                    let mut d = Diagnostic::error(
                        "TS0208",
                        doc.path.clone(),
                        format!(
                            "`check` of `{}` names metric `{}`, which this brief does not have",
                            m.key, r.key
                        ),
                    )
                    .at(&doc.text, pos);
                    if let Some(s) = did_you_mean(&r.key, metrics.iter().map(|m| m.key.as_str())) {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    errors.push(d);
                }
            }
        }
    }
    let mut charts: Vec<Chart> = Vec::new();
    for (i, spec) in fm.charts.iter().enumerate() {
        if let Some(first) = fm.charts[..i].iter().position(|c| c.id == spec.id) {
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
        match chart::resolve(spec, i, &metrics, &currency, doc) {
            Ok(c) => charts.push(c),
            Err(mut e) => errors.append(&mut e),
        }
    }
    let target_price = fm.target_price.as_ref().map(|t| TargetPrice {
        value: t.value.clone(),
        currency: t.currency.clone().unwrap_or_else(|| currency.clone()),
        upside: t.upside.clone(),
        by: t.by.clone(),
        previous: t.previous.clone(),
        price: t.price.clone(),
    });
    if let Some(t) = &target_price {
        if !is_currency_code(&t.currency) {
            errors.push(
                doc.error_at(
                    "TS0206",
                    "target_price.currency",
                    false,
                    format!("`{}` is not a currency code", t.currency),
                )
                .help("write a three-letter code such as HKD"),
            );
        }
    }
    let disclaimer = match &fm.disclaimer {
        Some(Disclaimer::Text(t)) => Some(t.clone()),
        Some(Disclaimer::Off) => None,
        None => site.disclaimer.clone(),
    };
    let Some(period) = period else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Brief {
        company: company.clone(),
        period,
        currency,
        tags: fm.tags.clone(),
        authors: fm.authors.0.clone(),
        chart_count: charts.len(),
        history_hash: 0,
        figures: Held::Here(Figures {
            rating: fm.rating.clone(),
            target_price,
            sources: fm.sources.clone(),
            // Kept for the whole build: no spare capacity (10,000 briefs).
            metrics: {
                let mut metrics = metrics;
                metrics.shrink_to_fit();
                metrics
            },
            charts,
            disclaimer,
            history: Vec::new(),
        }),
    })
}

fn build_metric(
    doc: &Document,
    key: &str,
    m: &MetricYaml,
    currency: &str,
) -> Result<Metric, Vec<Diagnostic>> {
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
                errors.push(Diagnostic::error("TS0207", doc.path.clone(), format!("cannot read the `check` of `{key}`: {}", e.message)).at(&doc.text, pos).help("a check is an expression over metric keys with + - * / and parentheses, e.g. adj_net_profit / revenue"));
                None
            }
        },
    };
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
    })
}

/// File position of character `offset` inside the `check` of metric
/// `key`, accounting for a quote before the expression.
fn expr_pos(doc: &Document, key: &str, offset: usize, len: usize) -> crate::diagnostic::Pos {
    let p = doc.locate(&format!("metrics.{key}.check"), false);
    let line = doc.text.lines().nth(p.line - 1).unwrap_or("");
    let quoted = line
        .chars()
        .nth(p.col - 1)
        .is_some_and(|c| c == '"' || c == '\'');
    crate::diagnostic::Pos::new(p.line, p.col + offset + usize::from(quoted), len.max(1))
}
