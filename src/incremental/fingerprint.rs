//! Fingerprints: for every job of the render plan, a hash of every input
//! its files are made from (the site-wide inputs — settings, templates,
//! assets, navigation, tearsheet's build — and what it shows of each
//! page). The build cache compares them with the last build's to skip
//! jobs whose inputs did not change. A job sees pages only through the
//! per-page fingerprints, so a change to a brief reaches exactly the jobs
//! that show it.

use xxhash_rust::xxh3::xxh3_64;

use crate::hash::Hash;
use crate::incremental::kept::{Side, Tables};
use crate::incremental::whole;
use crate::model::page::Page;
use crate::model::site_index::SiteIndex;
use crate::render::plan::{Job, Plan};

/// The hash of everything the job's files are made from.
pub(crate) fn job(job: &Job, f: &Fingerprints, index: &SiteIndex) -> u64 {
    let mut h = Hash::new(f.global);
    let all = |h: &mut Hash, briefs: &[usize]| {
        for &i in briefs {
            h.u64(f.pages[i]);
        }
    };
    match job {
        Job::Page(i) => {
            h.str("page");
            h.u64(f.pages[*i]);
        }
        Job::Home { n, total, briefs } => {
            h.str("home");
            h.u64(*n as u64);
            h.u64(*total as u64);
            all(&mut h, briefs);
        }
        Job::Company {
            company: c,
            n,
            total,
            briefs,
        } => {
            h.str("company");
            h.str(&c.slug);
            h.u64(*n as u64);
            h.u64(*total as u64);
            // Its own company file: an edit to another's leaves it be.
            h.u64(c.briefs.first().map_or(0, |&i| f.company_files[i]));
            if *n == 1 {
                // Trends, history, houses: drawn over every brief.
                all(&mut h, &c.briefs);
            } else {
                // The name its briefs give the company, and this page's.
                h.u64(f.company_names.get(&c.slug).copied().unwrap_or(0));
                h.u64(c.briefs.len() as u64);
                all(&mut h, briefs);
            }
        }
        Job::Companies => {
            h.str("companies");
            h.u64(f.companies);
            for c in index.companies.values() {
                h.str(&c.slug);
                all(&mut h, &c.briefs);
            }
        }
        Job::Tag {
            tag,
            n,
            total,
            briefs,
        } => {
            h.str("tag");
            h.str(&tag.slug);
            h.str(&tag.name);
            h.u64(*n as u64);
            h.u64(*total as u64);
            h.u64(tag.briefs.len() as u64);
            all(&mut h, briefs);
        }
        Job::Tags => {
            h.str("tags");
            for t in index.tags.values() {
                h.str(&t.slug);
                h.str(&t.name);
                h.u64(t.briefs.len() as u64);
            }
        }
        Job::NotFound => h.str("404"),
        Job::Robots => h.str("robots"),
        Job::Feed => {
            h.str("feed");
            all(
                &mut h,
                &index.briefs[..index.briefs.len().min(crate::render::feed::FEED_ENTRIES)],
            );
        }
        Job::Sitemap => {
            h.str("sitemap");
            h.u64(f.sitemap);
        }
        Job::Search => {
            h.str("search");
            h.u64(f.search);
        }
        Job::SearchFallback => {
            h.str("fallback");
            h.u64(f.fallback);
        }
    }
    h.finish()
}

/// The fingerprints a plan's jobs are made of.
pub(crate) struct Fingerprints {
    /// Inputs every page sees: settings, templates, assets, navigation,
    /// tearsheet's version.
    global: u64,
    /// Per page: its source (path and text) and what checks across pages
    /// added to it (sparkline history, restatements).
    pages: Vec<u64>,
    /// What the sitemap shows: every page's URL and date, and the
    /// listing pages.
    sitemap: u64,
    /// What the search index holds of every brief.
    search: u64,
    /// What the title-and-summary index holds of every brief.
    fallback: u64,
    /// Every company file with its history (what the companies index
    /// shows).
    companies: u64,
    /// By page, the hash of the company file its brief joins (0: none).
    company_files: Vec<u64>,
    /// By company slug, how its briefs name it (language, name, ticker,
    /// sector, in listing order): what a company's later pages show of
    /// briefs they do not list.
    company_names: std::collections::HashMap<String, u64>,
}

impl Fingerprints {
    /// `global` is the hash of the site-wide inputs (see [`Hash`]),
    /// `placed` the hash of where pages sit ([`placed`]), `tables` the
    /// pages with their search entries and what is kept beside them
    /// (sparkline histories, the company file each joins), and
    /// `companies` the hash of every company file.
    pub(crate) fn new(
        global: u64,
        placed: u64,
        index: &SiteIndex,
        tables: &Tables,
        companies: u64,
    ) -> Fingerprints {
        use rayon::prelude::*;
        let pages = &tables.pages;
        let extra = tables.extras();
        let mut sitemap = Hash::new(global);
        sitemap.u64(placed);
        let pages: Vec<u64> = pages
            .par_iter()
            .zip(&extra)
            .map(|(p, &extra)| page_fingerprint(p, extra))
            .collect();
        // What the search index holds of each brief: its entry in the
        // title-and-summary index, and its full text (the page's source,
        // where it sits, and its company file).
        let entries: Vec<(u64, u64)> = index
            .briefs
            .par_iter()
            .map(|&i| {
                let p = &tables.pages[i];
                let mut h = Hash::new(0);
                h.u64(crate::render::search::fallback::entry_hash(p).unwrap_or(0));
                h.str(&p.url);
                let entry = h.finish();
                let mut h = Hash::new(pages[i]);
                h.u64(entry);
                (h.finish(), entry)
            })
            .collect();
        let (mut search, mut fallback) = (Hash::new(global), Hash::new(global));
        for (text, entry) in entries {
            search.u64(text);
            fallback.u64(entry);
        }
        Fingerprints {
            global,
            pages,
            sitemap: sitemap.finish(),
            search: search.finish(),
            fallback: fallback.finish(),
            companies,
            company_files: tables.company_files(),
            company_names: index
                .companies
                .values()
                .map(|c| (c.slug.clone(), company_names(&tables.pages, &c.briefs)))
                .collect(),
        }
    }
}

/// How the briefs `briefs` name their company, in order.
fn company_names(pages: &[Page], briefs: &[usize]) -> u64 {
    let mut h = Hash::new(0);
    for &i in briefs {
        let Some(b) = &pages[i].brief else { continue };
        h.str(pages[i].lang.code());
        h.str(&b.company.name);
        h.str(b.company.ticker.as_deref().unwrap_or("\0"));
        h.str(b.company.sector.as_deref().unwrap_or("\0"));
    }
    h.finish()
}

/// What the sitemap shows: every page's URL and date, and the listing
/// pages of `plan` (it depends only on where pages sit: `whole` keeps it).
pub(crate) fn placed(pages: &[Page], plan: &Plan) -> u64 {
    let mut sitemap = Hash::new(0);
    for p in pages {
        sitemap.str(&p.url);
        match p.date {
            Some(d) => {
                sitemap.u64(1);
                sitemap.u64(d.year as u64);
                sitemap.u64(u64::from(d.month) << 8 | u64::from(d.day));
            }
            None => sitemap.u64(0),
        }
    }
    for url in plan.listing_urls() {
        sitemap.str(url);
    }
    sitemap.finish()
}

/// A page's source (path and text) and what else it shows: its sparkline
/// histories and company file (`history`, hashed together) and its
/// restatements.
fn page_fingerprint(p: &Page, history: u64) -> u64 {
    if p.restated.is_empty() {
        // Most pages: no need to gather.
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&p.origin.hash.to_le_bytes());
        bytes[8..].copy_from_slice(&history.to_le_bytes());
        return xxh3_64(&bytes);
    }
    let mut h = Hash::new(p.origin.hash);
    h.u64(history);
    for (key, from) in &p.restated {
        h.str(key);
        h.str(from);
    }
    h.finish()
}

/// The hash of a brief's sparkline histories (see `Figures::history`),
/// kept beside the page so that fingerprints need not read its figures.
pub(crate) fn history(history: &[(String, Vec<f64>)]) -> u64 {
    let mut h = Hash::new(0);
    for (key, values) in history {
        h.str(key);
        for v in values {
            h.u64(v.to_bits());
        }
    }
    h.finish()
}

/// A company's briefs as the rules across them see them: which files
/// (their shapes, kept in `side`), as they read now.
pub(crate) fn company(pages: &[Page], side: &[Side], briefs: &[usize]) -> u64 {
    let mut h = Hash::new(0);
    for &i in briefs {
        // The shape names the file.
        h.u64(*side[i].shape.get_or_init(|| whole::page_shape(&pages[i])));
        h.u64(pages[i].origin.hash);
    }
    h.finish()
}

/// The hash of the inputs every page sees: the tearsheet that renders
/// them (`tool`), the settings (`config`, as debug text), the theme's
/// templates (`theme`), the assets, the shared page context (navigation,
/// strings) and serve's injected script.
pub(crate) fn global(
    tool: u64,
    config: &str,
    theme: u64,
    assets: &[(String, Vec<u8>)],
    shared: &str,
    inject: &str,
) -> u64 {
    let mut h = Hash::new(tool);
    h.str(config);
    h.u64(theme);
    for (name, bytes) in assets {
        h.str(name);
        h.bytes(bytes);
    }
    h.str(shared);
    h.str(inject);
    h.finish()
}
