//! Listing pages: the home page and its numbered pages, the company index
//! and one page per company (briefs, metric trends across periods, rating
//! and target-price history, restatements), the tag index and tag pages,
//! and the 404 page. All read `model::site_index`, built once per build.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::model::figure::Decimal;
use crate::model::format;
use crate::model::metric::{Growth, Kind};
use crate::model::page::{Brief, FigureTable, Page};
use crate::model::site_index::{metric_series, Company, SiteIndex, Tag};
use crate::model::strings::{Key, Strings};
use crate::model::urls::{self, link, root_of};
use crate::render::chart::step::{self, TargetHistory, TargetPoint};
use crate::render::company::{trend, Trend, TrendPoint};
use crate::render::context;
use crate::render::listed::ListedBrief;
use crate::render::{figures, Output, Renderer};

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: String,
    next: String,
}

impl Pagination {
    /// Page `n` of `total` of a listing whose page `k` is at `url(k)`.
    fn of(n: usize, total: usize, url: impl Fn(usize) -> String) -> Pagination {
        let here = url(n);
        Pagination {
            current: n,
            total,
            prev: if n > 1 {
                link(&here, &url(n - 1))
            } else {
                String::new()
            },
            next: if n < total {
                link(&here, &url(n + 1))
            } else {
                String::new()
            },
        }
    }
}

#[derive(Serialize)]
struct CompanyItem {
    name: String,
    ticker: String,
    sector: String,
    url: String,
    latest: serde_json::Value,
    count: usize,
}

#[derive(Serialize)]
struct HistoryRow {
    date: String,
    url: String,
    title: String,
    rating: String,
    by: String,
    target: String,
    change: String,
    change_direction: &'static str,
}

#[derive(Serialize)]
struct RestatementRow {
    url: String,
    title: String,
    label: String,
    period: String,
    from: String,
    to: String,
}

#[derive(Serialize)]
struct TagItem {
    name: String,
    url: String,
    count: usize,
}

impl Renderer<'_> {
    fn listed_from<'p>(
        &self,
        pages: &'p [Page],
        indices: &[usize],
        from: &str,
    ) -> Result<Vec<ListedBrief<'p>>, Vec<Diagnostic>> {
        let root = root_of(from);
        let mut listed = Vec::with_capacity(indices.len());
        for &i in indices {
            if let Some(b) = &pages[i].brief {
                listed.push(self.listed.listed(
                    (i, &pages[i], b),
                    || self.figures_of(pages, i),
                    &root,
                    &self.shared.strings,
                )?);
            }
        }
        Ok(listed)
    }

    fn listing_context(&self, url: &str, title: &str) -> tera::Context {
        self.shared
            .page_context(url, title, self.site.lang, self.site.up_color().as_str())
    }

    /// The home page `n` of `total` (`/`, `/page/2/`, ...), listing
    /// `briefs` (indices into `pages`, newest first).
    pub(crate) fn home_page(
        &self,
        pages: &[Page],
        briefs: &[usize],
        n: usize,
        total: usize,
    ) -> Result<Output, Vec<Diagnostic>> {
        let url = urls::home(n);
        let title = if n == 1 {
            self.site.title.clone()
        } else {
            format!("{} ({n}/{total})", self.site.title)
        };
        let mut ctx = self.listing_context(&url, &title);
        ctx.insert("briefs", &self.listed_from(pages, briefs, &url)?);
        ctx.insert("search", &(n == 1));
        ctx.insert("pagination", &Pagination::of(n, total, urls::home));
        let html = self.theme.render("index.html", &ctx)?;
        Ok(Output {
            path: urls::index_file(&url),
            bytes: html,
        })
    }

    /// The company as its newest brief in the site's language names it,
    /// else as its newest brief does.
    fn named<'p>(&self, pages: &'p [Page], company: &Company) -> Option<&'p Brief> {
        let briefs = || company.briefs.iter().map(|&i| &pages[i]);
        briefs()
            .find(|p| p.lang == self.site.lang && p.brief.is_some())
            .or_else(|| briefs().find(|p| p.brief.is_some()))
            .and_then(|p| p.brief.as_deref())
    }

    /// `/companies/<slug>/` (and `page/2/`, ...): page `n` of `total` of
    /// a company's pages, listing `briefs`; page 1 also shows its facts,
    /// metric trends, rating and target history, houses and restatements.
    pub(crate) fn company_page(
        &self,
        pages: &[Page],
        company: &Company,
        briefs: &[usize],
        (n, total): (usize, usize),
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        let lang = self.site.lang;
        let url = urls::company_page(&company.slug, n);
        let named = self.named(pages, company).map(|b| &b.company);
        let file = named.and_then(|c| self.companies.named(c.ticker.as_deref(), &c.name));
        let name = named.map_or(company.slug.as_str(), |c| c.name.as_str());
        let name = file.map_or(name, |f| f.name_in(lang));
        let title = match n {
            1 => name.to_string(),
            _ => format!("{name} ({n}/{total})"),
        };
        let mut ctx = self.listing_context(&url, &title);
        ctx.insert(
            "pagination",
            &Pagination::of(n, total, |k| urls::company_page(&company.slug, k)),
        );
        let mut view = serde_json::json!({
            "name": name,
            "ticker": named.and_then(|c| c.ticker.clone()).unwrap_or_default(),
            "sector": named.and_then(|c| c.sector.clone()).unwrap_or_default(),
            "count": company.briefs.len(),
            "briefs": self.listed_from(pages, briefs, &url)?,
            "file": null,
            "trends": [],
            "history": [],
            "history_note": "",
            "target_chart": "",
            "restatements": [],
            "houses": null,
        });
        let mut out = Vec::new();
        if n == 1 {
            out.extend(self.company_overview(pages, company, file, &url, &mut view)?);
        }
        ctx.insert("company", &view);
        let html = self.theme.render("company.html", &ctx)?;
        out.insert(
            0,
            Output {
                path: urls::index_file(&url),
                bytes: html,
            },
        );
        Ok(out)
    }

    /// What page 1 of a company's pages shows beside its newest briefs,
    /// put into `view`: the company file's facts, the trends, the rating
    /// and target history with its step chart (returned as a file too
    /// with chart files on), houses' views and restatements.
    fn company_overview(
        &self,
        pages: &[Page],
        company: &Company,
        file: Option<&crate::model::company::CompanyFile>,
        url: &str,
        view: &mut serde_json::Value,
    ) -> Result<Option<Output>, Vec<Diagnostic>> {
        let lang = self.site.lang;
        let figures = self.figures;
        let one = |d: Diagnostic| vec![d];
        let briefs = &company.briefs;
        let strings = &self.shared.strings;
        let target_history =
            target_history(pages, figures, briefs, &company.slug, lang, strings).map_err(one)?;
        let mut target_file = None;
        let target_chart = match target_history {
            Some(h) if self.site.chart_files => {
                let pair = step::svg_pair(&h, self.look(lang));
                let drawings = pair.inline + &step::svg_narrow(&h, self.look(lang));
                let html = step::block(&h, &drawings, self.look(lang));
                target_file = Some(Output {
                    path: urls::beside(url, &format!("{}.svg", h.id)),
                    bytes: pair.standalone.into_bytes(),
                });
                html
            }
            Some(h) => {
                let look = self.look(lang);
                step::block(
                    &h,
                    &step::svg(&h, look, crate::render::chart::Style::Inline),
                    look,
                )
            }
            None => String::new(),
        };
        let (briefs_trends, labels) =
            trends(pages, figures, briefs, self.look(lang)).map_err(one)?;
        let (history, history_total) = history(pages, figures, briefs, url, lang).map_err(one)?;
        view["file"] =
            serde_json::json!(file.map(|f| crate::render::company::facts(f, self.look(lang))));
        view["trends"] = serde_json::json!(self.all_trends(file, briefs_trends, &labels, lang));
        view["history_note"] = serde_json::json!(crate::render::company::latest_note(
            history.len(),
            history_total,
            self.look(lang)
        ));
        view["history"] = serde_json::json!(history);
        view["target_chart"] = serde_json::json!(target_chart);
        view["restatements"] =
            serde_json::json!(restatements(pages, figures, briefs, url, lang).map_err(one)?);
        view["houses"] = serde_json::json!(crate::render::houses::company(
            pages, figures, briefs, url, lang, strings
        )
        .map_err(one)?);
        Ok(target_file)
    }

    /// The trends of a company page: one per metric of its history (when
    /// it has a company file with one), then those of its briefs' metrics
    /// the history does not have.
    fn all_trends(
        &self,
        file: Option<&crate::model::company::CompanyFile>,
        briefs: Vec<Trend>,
        labels: &[(String, String)],
        lang: crate::model::lang::Lang,
    ) -> Vec<Trend> {
        let Some(file) = file else {
            return briefs;
        };
        let label = |key: &str| {
            labels
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, l)| l.clone())
        };
        let mut all = crate::render::company::history_trends(
            file,
            &self.site.currency,
            label,
            self.look(lang),
        );
        let from_history: Vec<String> = all.iter().map(|t| t.key.clone()).collect();
        all.extend(
            briefs
                .into_iter()
                .filter(|t| !from_history.contains(&t.key)),
        );
        all
    }

    /// `/companies/`: every company with its newest brief.
    pub(crate) fn company_index(
        &self,
        pages: &[Page],
        index: &SiteIndex,
    ) -> Result<Output, Vec<Diagnostic>> {
        let lang = self.site.lang;
        let mut items = Vec::new();
        for company in index.companies.values() {
            let url = urls::company(&company.slug);
            let newest = &pages[company.briefs[0]];
            let Some(b) = self.named(pages, company) else {
                continue;
            };
            items.push(CompanyItem {
                name: b.company.name.clone(),
                ticker: b.company.ticker.clone().unwrap_or_default(),
                sector: b.company.sector.clone().unwrap_or_default(),
                url: link(urls::COMPANIES_INDEX, &url),
                latest: serde_json::json!({
                    "title": newest.title,
                    "url": link(urls::COMPANIES_INDEX, &newest.url),
                    "period": newest.brief.as_ref().map(|b| b.period_label(lang)).unwrap_or_default(),
                    "date": newest.date.map(|d| context::date_text(d, lang)).unwrap_or_default(),
                }),
                count: company.briefs.len(),
            });
        }
        items.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.url.cmp(&b.url)));
        let mut ctx = self.listing_context(
            urls::COMPANIES_INDEX,
            self.shared.text(lang, Key::Companies),
        );
        ctx.insert("companies", &items);
        let html = self.theme.render("companies.html", &ctx)?;
        Ok(Output {
            path: urls::index_file(urls::COMPANIES_INDEX),
            bytes: html,
        })
    }

    /// `/tags/<tag>/` (and `page/2/`, ...): page `n` of `total` of a
    /// tag's briefs, listing `briefs`.
    pub(crate) fn tag_page(
        &self,
        pages: &[Page],
        tag: &Tag,
        briefs: &[usize],
        n: usize,
        total: usize,
    ) -> Result<Output, Vec<Diagnostic>> {
        let url = urls::tag_page(&tag.slug, n);
        let mut ctx = self.listing_context(&url, &tag.name);
        ctx.insert(
            "tag",
            &serde_json::json!({"name": tag.name, "count": tag.briefs.len()}),
        );
        ctx.insert("briefs", &self.listed_from(pages, briefs, &url)?);
        ctx.insert(
            "pagination",
            &Pagination::of(n, total, |k| urls::tag_page(&tag.slug, k)),
        );
        let html = self.theme.render("tag.html", &ctx)?;
        Ok(Output {
            path: urls::index_file(&url),
            bytes: html,
        })
    }

    /// `/tags/`: every tag with its count.
    pub(crate) fn tag_index(&self, index: &SiteIndex) -> Result<Output, Vec<Diagnostic>> {
        let lang = self.site.lang;
        let mut items: Vec<TagItem> = index
            .tags
            .values()
            .map(|tag| TagItem {
                name: tag.name.clone(),
                url: link(urls::TAGS_INDEX, &urls::tag(&tag.slug)),
                count: tag.briefs.len(),
            })
            .collect();
        items.sort_by(|a, b| a.name.cmp(&b.name));
        let mut ctx = self.listing_context(urls::TAGS_INDEX, self.shared.text(lang, Key::Tags));
        ctx.insert("tags", &items);
        let html = self.theme.render("tags.html", &ctx)?;
        Ok(Output {
            path: urls::index_file(urls::TAGS_INDEX),
            bytes: html,
        })
    }

    /// `/404.html`: links from the site's absolute path, so it works at
    /// any depth a server shows it.
    pub(crate) fn not_found(&self) -> Result<Output, Vec<Diagnostic>> {
        let lang = self.site.lang;
        let mut ctx = self.listing_context("", self.shared.text(lang, Key::NotFound));
        let root = urls::site_path(&self.site.base_url);
        ctx.insert("links", &context::Links::from_root(&root));
        ctx.insert("root", &root);
        // A reader of the other language is told too.
        ctx.insert_value("t_other", self.shared.table(lang.other()));
        let nav: Vec<serde_json::Value> = Vec::new();
        ctx.insert("nav", &nav);
        let html = self.theme.render("404.html", &ctx)?;
        Ok(Output {
            path: urls::NOT_FOUND.into(),
            bytes: html,
        })
    }
}

/// Labels of metric keys, as a company's briefs give them.
type Labels = Vec<(String, String)>;

/// Metric keys stated in two or more periods of a company's briefs, over
/// those periods in period order, each with its trend chart (bars for
/// amounts, a line for ratios); and the label of every key they state.
fn trends(
    pages: &[Page],
    figures: &FigureTable,
    briefs: &[usize],
    look: crate::render::chart::Look<'_>,
) -> Result<(Vec<Trend>, Labels), Diagnostic> {
    let series = metric_series(pages, figures, briefs, look.lang)?;
    // Every key's label, a key stated once included: a history key that
    // the company file leaves unlabelled takes it (a brief in the page's
    // language first), not its bare key.
    let labels = series
        .iter()
        .map(|s| (s.key.clone(), s.label.clone()))
        .collect();
    let trends = series
        .into_iter()
        .filter(|s| s.points.len() >= 2)
        .map(|s| {
            let points: Vec<TrendPoint> = s
                .points
                .iter()
                .map(|(p, f)| TrendPoint {
                    period: p.to_string(),
                    figure: f.clone(),
                    estimate: p.is_estimate(),
                })
                .collect();
            trend(&s.key, &s.label, &s.kind, &points, look)
        })
        .collect();
    Ok((trends, labels))
}

/// The target price over the company's briefs (oldest first), in the
/// first target's currency, with each brief's rating (see
/// `chart::step`); `None` with fewer than two targets.
fn target_history(
    pages: &[Page],
    figures: &FigureTable,
    briefs: &[usize],
    slug: &str,
    lang: crate::model::lang::Lang,
    strings: &Strings,
) -> Result<Option<TargetHistory>, Diagnostic> {
    let mut points = Vec::new();
    let mut currency: Option<String> = None;
    let mut periods = std::collections::HashSet::new();
    // Oldest first; one point per period (a zh and an en brief of the same
    // quarter are one report), briefs in the site's language preferred.
    let mut order: Vec<usize> = briefs.iter().rev().copied().collect();
    order.sort_by_key(|&i| {
        (
            pages[i].brief.as_ref().map(|b| b.calendar_key()),
            pages[i].lang != lang,
        )
    });
    for i in order {
        let page = &pages[i];
        let Some(b) = &page.brief else { continue };
        let f = figures.of(pages, i)?;
        let Some(t) = &f.target_price else {
            continue;
        };
        if !periods.insert(b.period) {
            continue;
        }
        if currency.get_or_insert_with(|| t.currency.clone()) != &t.currency || !t.value.is_exact()
        {
            continue;
        }
        points.push(TargetPoint {
            period: b.period_label(lang),
            date: page
                .date
                .map(|d| context::date_text(d, lang))
                .unwrap_or_default(),
            target: t.value.clone(),
            rating: f.rating.as_ref().map(|r| r.value.clone()),
            previous_rating: f.rating.as_ref().and_then(|r| r.previous.clone()),
        });
    }
    let Some(currency) = currency.filter(|_| points.len() >= 2) else {
        return Ok(None);
    };
    // The latest periods, as the trends (`company::TREND_PERIODS`).
    points.drain(
        ..points
            .len()
            .saturating_sub(crate::render::company::TREND_PERIODS),
    );
    Ok(Some(TargetHistory {
        id: format!("target-{}", slug.replace(['.', '_'], "-")),
        title: strings.get(lang, Key::TargetPrice).to_string(),
        currency,
        points,
    }))
}

/// Rating and target price per brief, oldest first: the latest
/// [`HISTORY_ROWS`](crate::render::company::HISTORY_ROWS), with how many
/// there are in all.
fn history(
    pages: &[Page],
    figures: &FigureTable,
    briefs: &[usize],
    from: &str,
    lang: crate::model::lang::Lang,
) -> Result<(Vec<HistoryRow>, usize), Diagnostic> {
    let mut rows = Vec::new();
    let mut previous: Option<(f64, String)> = None;
    for &i in briefs.iter().rev() {
        let page = &pages[i];
        if page.brief.is_none() {
            continue;
        }
        let f = figures.of(pages, i)?;
        if f.rating.is_none() && f.target_price.is_none() {
            continue;
        }
        let (target, change, dir) = match &f.target_price {
            Some(t) => {
                let stated_prev = t.previous.as_ref().map(|p| (p.value(), t.currency.clone()));
                let base = stated_prev
                    .or(previous.clone())
                    .filter(|(_, c)| *c == t.currency);
                let (change, dir) = match base {
                    Some((p, _)) if p > 0.0 => {
                        match Decimal::from_f64(t.value.value() / p - 1.0, -3) {
                            Some(d) => {
                                let g = Growth::Computed(d);
                                (format::growth(&g, lang), g.direction().as_str())
                            }
                            None => (String::new(), "none"),
                        }
                    }
                    _ => (String::new(), "none"),
                };
                previous = Some((t.value.value(), t.currency.clone()));
                (
                    format::figure(
                        &t.value,
                        &Kind::Money {
                            currency: t.currency.clone(),
                        },
                        lang,
                        None,
                    ),
                    change,
                    dir,
                )
            }
            None => (String::new(), String::new(), "none"),
        };
        rows.push(HistoryRow {
            date: page
                .date
                .map(|d| context::date_text(d, lang))
                .unwrap_or_default(),
            url: link(from, &page.url),
            title: page.title.clone(),
            rating: f
                .rating
                .as_ref()
                .map(|r| r.value.clone())
                .unwrap_or_default(),
            by: f
                .rating
                .as_ref()
                .and_then(|r| r.by.clone())
                .or_else(|| f.target_price.as_ref().and_then(|t| t.by.clone()))
                .unwrap_or_default(),
            target,
            change,
            change_direction: dir,
        });
    }
    let total = rows.len();
    rows.drain(..total.saturating_sub(crate::render::company::HISTORY_ROWS));
    Ok((rows, total))
}

fn restatements(
    pages: &[Page],
    figures: &FigureTable,
    briefs: &[usize],
    from: &str,
    lang: crate::model::lang::Lang,
) -> Result<Vec<RestatementRow>, Diagnostic> {
    let mut rows = Vec::new();
    for &i in briefs {
        let page = &pages[i];
        let Some(b) = &page.brief else { continue };
        if page.restated.is_empty() {
            continue;
        }
        let f = figures.of(pages, i)?;
        for (key, was) in &page.restated {
            let Some(m) = f.metric(key) else { continue };
            rows.push(RestatementRow {
                url: link(from, &page.url),
                title: page.title.clone(),
                label: m.label.clone(),
                period: b.period.year_earlier().to_string(),
                from: was.clone(),
                to: figures::prior(m, lang).unwrap_or_default(),
            });
        }
    }
    Ok(rows)
}
