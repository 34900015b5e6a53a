//! Across briefs: restatements and currencies.
//!
//! A later brief's prior (stated, or derived from value and yoy) for a
//! period P restates a figure when an earlier brief of the same company
//! stated a value for P under the same metric key and the two cannot be
//! the same number within their precisions. Such a prior is reported and
//! flagged on the later brief ("restated from 310.1亿元").

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::check::interval::Interval;
use crate::diagnostic::{display_path, Diagnostic, Severity};
use crate::model::date::Period;
use crate::model::format;
use crate::model::metric::{Growth, Prior};
use crate::model::page::{FigureTable, Page};

/// A flag to show on a later brief's metric: the earlier figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restated {
    pub page: usize,
    pub key: String,
    /// The earlier figure, as the later brief's language shows it.
    pub from: String,
}

/// The company a brief is about: its ticker, else its name.
pub(crate) fn company_key(page: &Page) -> Option<String> {
    let b = page.brief.as_ref()?;
    Some(
        b.company
            .ticker
            .clone()
            .unwrap_or_else(|| b.company.name.clone()),
    )
}

/// Each company's briefs (indices into `pages`), with their indices by
/// period, so a rule comparing briefs of one period looks only at those.
pub(crate) struct CompanyBriefs {
    by_period: HashMap<Period, Vec<usize>>,
    /// Every brief of the company, in page order.
    pub all: Vec<usize>,
}

/// What the rules across one company's briefs find: restatement and
/// sequential-growth warnings, and the restatement flags to show.
pub(crate) struct Findings {
    pub warnings: Vec<Diagnostic>,
    pub flags: Vec<Restated>,
}

/// The site's companies (by [`company_key`]) with their briefs, in key
/// order.
pub(crate) fn companies(pages: &[Page]) -> Vec<(String, CompanyBriefs)> {
    let mut companies: BTreeMap<String, CompanyBriefs> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let (Some(k), Some(b)) = (company_key(p), &p.brief) else {
            continue;
        };
        let c = companies.entry(k).or_insert_with(|| CompanyBriefs {
            by_period: HashMap::new(),
            all: Vec::new(),
        });
        c.all.push(i);
        c.by_period.entry(b.period).or_default().push(i);
    }
    companies.into_iter().collect()
}

/// Every rule across one company's briefs.
pub(crate) fn company_findings(
    pages: &[Page],
    figures: &FigureTable,
    company: &CompanyBriefs,
) -> Result<Findings, Diagnostic> {
    let (mut warnings, flags) = company_restatements(pages, figures, company)?;
    warnings.extend(company_sequential_growth(pages, figures, company)?);
    Ok(Findings { warnings, flags })
}

fn company_restatements(
    pages: &[Page],
    figures: &FigureTable,
    company: &CompanyBriefs,
) -> Result<(Vec<Diagnostic>, Vec<Restated>), Diagnostic> {
    let mut warnings = Vec::new();
    let mut flags = Vec::new();
    for &later in &company.all {
        let page = &pages[later];
        let Some(brief) = &page.brief else { continue };
        let target = brief.period.year_earlier();
        for m in &figures.of(pages, later)?.metrics {
            let Some(prior) = &m.prior else { continue };
            let prior_interval = match (prior, &m.value, &m.yoy) {
                (Prior::Stated(p), _, _) => Interval::of(p),
                (Prior::Derived(_), Some(v), Some(Growth::Rate(g))) => {
                    Interval::of(v).over(Interval::of(g).plus(Interval::point(1.0)))
                }
                _ => continue,
            };
            let same_period = company
                .by_period
                .get(&target)
                .map_or(&[][..], Vec::as_slice);
            for &earlier in same_period {
                let e = &pages[earlier];
                let Some(eb) = &e.brief else { continue };
                if earlier == later || eb.period != target || e.date > page.date {
                    continue;
                }
                let found = figures.of(pages, earlier)?.metric(&m.key);
                let Some(ev) = found.and_then(|em| em.value.as_ref()) else {
                    continue;
                };
                if !ev.is_exact() || prior_interval.overlaps(Interval::of(ev)) {
                    continue;
                }
                let lang = page.lang;
                let from = format::figure(ev, &m.kind, lang, m.decimals);
                let here = format::figure(prior.figure(), &m.kind, lang, m.decimals);
                let (path, how) = match prior {
                    Prior::Stated(_) => (format!("metrics.{}.prior", m.key), ""),
                    Prior::Derived(_) => (
                        format!("metrics.{}.yoy", m.key),
                        " (derived from value and yoy)",
                    ),
                };
                let mut d = page.origin.error_at(
                    "TS0320",
                    &path,
                    false,
                    format!(
                        "{} for {target} is {here}{how} here, but {} stated {from}",
                        m.key,
                        display_path(&e.origin.path)
                    ),
                );
                d.severity = Severity::Warning;
                warnings.push(d.help("if the company restated the figure, this flag is right and stays on the page; otherwise correct the prior or yoy"));
                flags.push(Restated {
                    page: later,
                    key: m.key.clone(),
                    from,
                });
            }
        }
    }
    Ok((warnings, flags))
}

/// A brief's `qoq` against the value an earlier brief of the same
/// company stated for the period just before (TS0321): warned when no
/// values within the precisions make them agree.
fn company_sequential_growth(
    pages: &[Page],
    figures: &FigureTable,
    company: &CompanyBriefs,
) -> Result<Vec<Diagnostic>, Diagnostic> {
    let mut out = Vec::new();
    for &i in &company.all {
        let page = &pages[i];
        let Some(brief) = &page.brief else { continue };
        let before = brief.period.previous();
        for m in &figures.of(pages, i)?.metrics {
            let (Some(Growth::Rate(rate)), Some(value)) = (&m.qoq, &m.value) else {
                continue;
            };
            if matches!(
                rate.notation,
                crate::model::figure::Notation::PercentPoints
                    | crate::model::figure::Notation::BasisPoints
            ) {
                continue;
            }
            let same_period = company
                .by_period
                .get(&before)
                .map_or(&[][..], Vec::as_slice);
            let mut earlier = Vec::new();
            for &j in same_period {
                let e = &pages[j];
                let Some(eb) = &e.brief else { continue };
                if eb.period != before || e.date > page.date {
                    continue;
                }
                if let Some(v) = figures
                    .of(pages, j)?
                    .metric(&m.key)
                    .and_then(|em| em.value.as_ref())
                {
                    earlier.push((e, v));
                }
            }
            for (e, ev) in earlier {
                if !ev.is_exact() || ev.amount.signum() <= 0 {
                    continue;
                }
                let computed = Interval::of(value)
                    .over(Interval::of(ev))
                    .minus(Interval::point(1.0));
                if computed.overlaps(Interval::of(rate)) {
                    continue;
                }
                let lang = page.lang;
                let shown = |v: f64| {
                    crate::model::figure::Decimal::from_f64(v, -3)
                        .map(|d| format::growth(&Growth::Computed(d), lang))
                        .unwrap_or_default()
                };
                let mut d = page.origin.error_at("TS0321", &format!("metrics.{}.qoq", m.key), false, format!(
                    "{} qoq is stated as {}, but {} stated {} for {before}: {} / {} − 1 = {} ({} to {} given the stated precision)",
                    m.key,
                    format::growth(&Growth::Rate(rate.clone()), lang),
                    display_path(&e.origin.path),
                    format::figure(ev, &m.kind, lang, None),
                    format::figure(value, &m.kind, lang, None),
                    format::figure(ev, &m.kind, lang, None),
                    shown(value.value() / ev.value() - 1.0),
                    shown(computed.lo),
                    shown(computed.hi)
                ));
                d.severity = Severity::Warning;
                out.push(d);
            }
        }
    }
    Ok(out)
}

/// A brief that leaves its currency to the site default, in a site whose
/// briefs name several currencies.
pub(crate) fn currencies(pages: &[Page]) -> Vec<Diagnostic> {
    let named: BTreeSet<&str> = pages
        .iter()
        .filter_map(|p| p.brief.as_ref().and(p.currency_named.as_deref()))
        .collect();
    if named.len() < 2 {
        return Vec::new();
    }
    let list = named.iter().copied().collect::<Vec<_>>().join(", ");
    pages
        .iter()
        .filter(|p| p.brief.is_some() && p.currency_named.is_none() && p.default_currency_money)
        .map(|p| {
            let mut d = p.origin.error_at_start("TS0313", format!("this brief's money takes the site's default currency, while briefs of this site use {list}"));
            d.severity = Severity::Warning;
            d.help("name the currency: `currency: CNY`")
        })
        .collect()
}
