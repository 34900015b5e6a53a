//! The site's indexes, built once per build from the validated pages:
//! briefs newest first, companies and tags with their briefs. Listing,
//! company and tag pages, the feed, sitemap and search index all read
//! these instead of scanning pages again.
//!
//! Also the URL rules for companies and tags: a ticker makes the company
//! slug (`1024.HK` → `1024.hk`); tags keep their characters (CJK included)
//! and are percent-encoded only in links.

use std::collections::BTreeMap;

use crate::diagnostic::{display_path, Diagnostic};
use crate::model::page::{FigureTable, Page};

#[derive(Debug, Default)]
pub(crate) struct SiteIndex {
    /// Indices into the pages of every brief, newest first (ties by URL).
    pub briefs: Vec<usize>,
    /// By slug.
    pub companies: BTreeMap<String, Company>,
    /// By slug.
    pub tags: BTreeMap<String, Tag>,
}

#[derive(Debug)]
pub(crate) struct Company {
    pub slug: String,
    /// Briefs, newest first.
    pub briefs: Vec<usize>,
}

#[derive(Debug)]
pub(crate) struct Tag {
    pub name: String,
    pub slug: String,
    pub briefs: Vec<usize>,
    /// Where the tag was first seen, for collision messages.
    first: usize,
}

impl SiteIndex {
    pub(crate) fn build(pages: &[Page]) -> (SiteIndex, Vec<Diagnostic>) {
        let mut errors = Vec::new();
        let mut briefs: Vec<usize> = (0..pages.len())
            .filter(|&i| pages[i].brief.is_some())
            .collect();
        briefs.sort_by(|&a, &b| {
            pages[b]
                .date
                .cmp(&pages[a].date)
                .then_with(|| pages[a].url.cmp(&pages[b].url))
        });
        let mut companies: BTreeMap<String, Company> = BTreeMap::new();
        let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
        for &i in &briefs {
            let page = &pages[i];
            let Some(brief) = &page.brief else { continue };
            let slug = company_slug(brief.company.ticker.as_deref(), &brief.company.name);
            companies
                .entry(slug.clone())
                .or_insert_with(|| Company {
                    slug,
                    briefs: Vec::new(),
                })
                .briefs
                .push(i);
            for (t_i, name) in brief.tags.iter().enumerate() {
                let slug = tag_slug(name);
                if slug.is_empty() {
                    errors.push(page.origin.error_at(
                        "TS0230",
                        &format!("tags[{t_i}]"),
                        false,
                        format!("tag `{name}` has no letters or digits to make a URL from"),
                    ));
                    continue;
                }
                let tag = tags.entry(slug.clone()).or_insert_with(|| Tag {
                    name: name.clone(),
                    slug,
                    briefs: Vec::new(),
                    first: i,
                });
                if tag.name != *name {
                    errors.push(
                        page.origin
                            .error_at(
                                "TS0230",
                                &format!("tags[{t_i}]"),
                                false,
                                format!(
                                    "tag `{name}` and tag `{}` (in {}) both become /tags/{}/",
                                    tag.name,
                                    display_path(&pages[tag.first].origin.path),
                                    tag.slug
                                ),
                            )
                            .help("write the tag the same way in every brief"),
                    );
                    continue;
                }
                if tag.briefs.last() != Some(&i) {
                    tag.briefs.push(i);
                }
            }
        }
        (
            SiteIndex {
                briefs,
                companies,
                tags,
            },
            errors,
        )
    }
}

/// `1024.HK` → `1024.hk`; without a ticker, the name as a tag slug.
pub(crate) fn company_slug(ticker: Option<&str>, name: &str) -> String {
    let from_ticker = ticker.map(|t| {
        t.trim()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .trim_matches(['-', '.'])
            .to_string()
    });
    match from_ticker {
        Some(s) if !s.is_empty() => s,
        _ => tag_slug(name),
    }
}

/// A tag's URL segment: letters and digits of any script kept (ASCII
/// lowercased), runs of anything else become `-`.
pub(crate) fn tag_slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out.chars().take(80).collect()
}

/// Percent-encodes a relative URL path for an `href` (UTF-8 bytes of
/// anything but unreserved characters and `/`).
pub(crate) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(company_slug(Some("1024.HK"), "快手"), "1024.hk");
        assert_eq!(
            company_slug(None, "Northwind Robotics"),
            "northwind-robotics"
        );
        assert_eq!(company_slug(Some("../.."), "快手"), "快手");
        assert_eq!(tag_slug("短视频"), "短视频");
        assert_eq!(tag_slug("E-commerce"), "e-commerce");
        assert_eq!(tag_slug("AI / ML"), "ai-ml");
        assert_eq!(tag_slug("../.."), "");
        assert_eq!(encode_path("tags/电商/"), "tags/%E7%94%B5%E5%95%86/");
    }
}

/// One metric of one company across its briefs, in period order.
#[derive(Debug, Clone)]
pub(crate) struct MetricSeries {
    /// The month the company's fiscal year ends (its periods' calendar).
    pub fiscal_year_end: crate::model::period::FiscalYearEnd,
    pub key: String,
    pub label: String,
    pub kind: crate::model::metric::Kind,
    pub points: Vec<(crate::model::date::Period, crate::model::figure::Figure)>,
}

/// A period's place in period order (`Period::sort_key`).
type SortKey = (i32, u8, u8);

/// The most periods a key-figure card's sparkline shows (three years of
/// quarters): the latest ones up to the brief's own period.
pub(crate) const SPARKLINE_POINTS: usize = 12;

/// For each brief of a company and each of its metric keys stated in two
/// or more of the company's periods up to the brief's own: (brief, key,
/// values oldest first, at most [`SPARKLINE_POINTS`]), for the sparklines
/// on key-figure cards; briefs newest first, keys as the brief lists them.
pub(crate) fn company_histories(
    pages: &[Page],
    figures: &FigureTable,
    company: &Company,
    lang: crate::model::lang::Lang,
) -> Result<Vec<(usize, String, Vec<f64>)>, Diagnostic> {
    let series = metric_series(pages, figures, &company.briefs, lang)?;
    // Each series' periods and values, converted once.
    let by_key: std::collections::HashMap<&str, (Vec<SortKey>, Vec<f64>)> = series
        .iter()
        .map(|s| {
            let fye = s.fiscal_year_end;
            let keys = s.points.iter().map(|(p, _)| p.sort_key_in(fye)).collect();
            let values = s.points.iter().map(|(_, f)| f.value()).collect();
            (s.key.as_str(), (keys, values))
        })
        .collect();
    let mut out = Vec::new();
    for &i in &company.briefs {
        let Some(b) = &pages[i].brief else { continue };
        let until = b.calendar_key();
        for m in &figures.of(pages, i)?.metrics {
            let Some((keys, values)) = by_key.get(m.key.as_str()) else {
                continue;
            };
            let n = keys.partition_point(|k| *k <= until);
            if n >= 2 {
                let from = n.saturating_sub(SPARKLINE_POINTS);
                out.push((i, m.key.clone(), values[from..n].to_vec()));
            }
        }
    }
    Ok(out)
}

/// Every metric key of a company's briefs with its stated values by
/// period (one per period: a brief in `prefer` language, then the newest,
/// wins; values of another kind than the first seen are left out), in
/// the order keys first appear.
pub(crate) fn metric_series(
    pages: &[Page],
    figures: &FigureTable,
    briefs: &[usize],
    prefer: crate::model::lang::Lang,
) -> Result<Vec<MetricSeries>, Diagnostic> {
    let mut order: Vec<usize> = briefs.to_vec();
    order.sort_by_key(|&i| (pages[i].lang != prefer, std::cmp::Reverse(pages[i].date)));
    let mut out: Vec<MetricSeries> = Vec::new();
    // Per series, the periods it has a value for.
    let mut seen: Vec<std::collections::HashSet<crate::model::date::Period>> = Vec::new();
    for &i in &order {
        let Some(b) = &pages[i].brief else { continue };
        for m in &figures.of(pages, i)?.metrics {
            let Some(v) = m.value.as_ref().filter(|v| v.is_exact()) else {
                continue;
            };
            let at = match out.iter().position(|s| s.key == m.key) {
                Some(p) => p,
                None => {
                    out.push(MetricSeries {
                        fiscal_year_end: b.fiscal_year_end(),
                        key: m.key.clone(),
                        label: m.label.clone(),
                        kind: m.kind.clone(),
                        points: Vec::new(),
                    });
                    seen.push(Default::default());
                    out.len() - 1
                }
            };
            if out[at].kind == m.kind && seen[at].insert(b.period) {
                out[at].points.push((b.period, v.clone()));
            }
        }
    }
    for s in &mut out {
        let fye = s.fiscal_year_end;
        s.points.sort_by_key(|(p, _)| p.sort_key_in(fye));
    }
    Ok(out)
}
