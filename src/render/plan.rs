//! The render plan: everything a build writes, as independent jobs — a
//! content page (with its chart files), a home page, a company or tag
//! page, the two indexes, the 404 page, the feed, the sitemap, robots.txt
//! and the search index. `site` runs the jobs in parallel and writes each
//! job's files as soon as it is done, so no step holds the whole site's
//! HTML.
//!
//! Each job also has a fingerprint: a hash of every input its files are
//! made from (the site-wide inputs — settings, templates, assets,
//! navigation, tearsheet's version — and the pages it shows). `cache`
//! compares it with the last build's to skip jobs whose inputs did not
//! change. A job reads pages only through the per-page fingerprints, so a
//! change to a brief reaches exactly the jobs that show it.

use xxhash_rust::xxh3::xxh3_64;

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::{Company, SiteIndex, Tag};
use crate::model::urls;
use crate::render::{Output, Renderer};

/// One unit of rendering.
pub enum Job<'a> {
    /// A content page by index into the pages: a brief or a plain page.
    Page(usize),
    /// Home page `n` of `total`, listing `briefs`.
    Home {
        n: usize,
        total: usize,
        briefs: &'a [usize],
    },
    Company(&'a Company),
    Companies,
    /// Page `n` of `total` of a tag's listing, showing `briefs`.
    Tag {
        tag: &'a Tag,
        n: usize,
        total: usize,
        briefs: &'a [usize],
    },
    Tags,
    NotFound,
    Feed,
    Sitemap,
    Robots,
    Search,
}

/// The jobs of a build, in a fixed order.
pub struct Plan<'a> {
    pub jobs: Vec<Job<'a>>,
    /// URLs of the listing pages (for the sitemap).
    listing_urls: Vec<String>,
}

impl<'a> Plan<'a> {
    pub fn new(pages: &[Page], index: &'a SiteIndex, per_page: usize) -> Plan<'a> {
        let mut jobs: Vec<Job> = (0..pages.len()).map(Job::Page).collect();
        let chunks = pages_of(&index.briefs, per_page);
        let total = chunks.len();
        let mut listing_urls: Vec<String> = (1..=total).map(urls::home).collect();
        jobs.extend(chunks.into_iter().enumerate().map(|(i, briefs)| Job::Home {
            n: i + 1,
            total,
            briefs,
        }));
        for company in index.companies.values() {
            listing_urls.push(urls::company(&company.slug));
            jobs.push(Job::Company(company));
        }
        listing_urls.push(urls::companies_index());
        jobs.push(Job::Companies);
        for tag in index.tags.values() {
            let chunks = pages_of(&tag.briefs, per_page);
            let total = chunks.len();
            for (i, briefs) in chunks.into_iter().enumerate() {
                listing_urls.push(urls::tag_page(&tag.slug, i + 1));
                jobs.push(Job::Tag {
                    tag,
                    n: i + 1,
                    total,
                    briefs,
                });
            }
        }
        listing_urls.push(urls::tags_index());
        jobs.push(Job::Tags);
        jobs.extend([
            Job::NotFound,
            Job::Feed,
            Job::Sitemap,
            Job::Robots,
            Job::Search,
        ]);
        Plan { jobs, listing_urls }
    }
}

/// A listing split into pages of `per_page` (one empty page when there is
/// nothing to list).
fn pages_of(briefs: &[usize], per_page: usize) -> Vec<&[usize]> {
    if briefs.is_empty() {
        vec![&[]]
    } else {
        briefs.chunks(per_page.max(1)).collect()
    }
}

impl Job<'_> {
    /// A stable name for the job across builds: the path of its first
    /// file.
    pub fn key(&self, pages: &[Page]) -> String {
        match self {
            Job::Page(i) => urls::index_file(&pages[*i].url),
            Job::Home { n, .. } => urls::index_file(&urls::home(*n)),
            Job::Company(c) => urls::index_file(&urls::company(&c.slug)),
            Job::Companies => urls::index_file(urls::COMPANIES_INDEX),
            Job::Tag { tag, n, .. } => urls::index_file(&urls::tag_page(&tag.slug, *n)),
            Job::Tags => urls::index_file(urls::TAGS_INDEX),
            Job::NotFound => urls::NOT_FOUND.into(),
            Job::Feed => urls::FEED.into(),
            Job::Sitemap => urls::SITEMAP.into(),
            Job::Robots => urls::ROBOTS.into(),
            Job::Search => urls::SEARCH_INDEX.into(),
        }
    }

    /// The pages whose figures the job shows (see `model::held`): the
    /// rest of what it shows of a page is always in memory.
    pub fn shows(&self) -> &[usize] {
        match self {
            Job::Page(i) => std::slice::from_ref(i),
            Job::Home { briefs, .. } | Job::Tag { briefs, .. } => briefs,
            Job::Company(c) => &c.briefs,
            Job::Companies
            | Job::Tags
            | Job::NotFound
            | Job::Feed
            | Job::Sitemap
            | Job::Robots
            | Job::Search => &[],
        }
    }

    /// Whether the job makes one of the site's HTML pages (counted in the
    /// build summary).
    pub fn is_listing(&self) -> bool {
        !matches!(
            self,
            Job::Page(_) | Job::Feed | Job::Sitemap | Job::Robots | Job::Search
        )
    }

    /// The hash of everything the job's files are made from.
    pub fn fingerprint(&self, f: &Fingerprints, index: &SiteIndex) -> u64 {
        let mut h = Hash::new(f.global);
        let all = |h: &mut Hash, briefs: &[usize]| {
            for &i in briefs {
                h.u64(f.pages[i]);
            }
        };
        match self {
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
            Job::Company(c) => {
                h.str("company");
                h.str(&c.slug);
                all(&mut h, &c.briefs);
            }
            Job::Companies => {
                h.str("companies");
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
        }
        h.finish()
    }
}

/// The fingerprints a plan's jobs are made of.
pub struct Fingerprints {
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
}

impl Fingerprints {
    /// `global` is the hash of the site-wide inputs (see [`Hash`]), and
    /// `placed` the hash of where pages sit ([`placed`]).
    pub fn new(global: u64, placed: u64, pages: &[Page], index: &SiteIndex) -> Fingerprints {
        use rayon::prelude::*;
        let mut sitemap = Hash::new(global);
        sitemap.u64(placed);
        // What the search index shows of each brief is its entry.
        let entries: Vec<u64> = index
            .briefs
            .par_iter()
            .map(|&i| {
                xxh3_64(
                    crate::render::feed::search_entry(&pages[i])
                        .unwrap_or("")
                        .as_bytes(),
                )
            })
            .collect();
        let mut search = Hash::new(global);
        for e in entries {
            search.u64(e);
        }
        Fingerprints {
            global,
            pages: pages.par_iter().map(page_fingerprint).collect(),
            sitemap: sitemap.finish(),
            search: search.finish(),
        }
    }
}

/// What the sitemap shows: every page's URL and date, and the listing
/// pages of `plan` (it depends only on where pages sit: `whole` keeps it).
pub fn placed(pages: &[Page], plan: &Plan) -> u64 {
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
    for url in &plan.listing_urls {
        sitemap.str(url);
    }
    sitemap.finish()
}

fn page_fingerprint(p: &Page) -> u64 {
    let history = p.brief.as_ref().map_or(0, |b| b.history_hash);
    if p.restated.is_empty() {
        // Most pages: no need to gather.
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&p.doc.hash.to_le_bytes());
        bytes[8..].copy_from_slice(&history.to_le_bytes());
        return xxh3_64(&bytes);
    }
    let mut h = Hash::new(p.doc.hash);
    h.u64(p.brief.as_ref().map_or(0, |b| b.history_hash));
    for (key, from) in &p.restated {
        h.str(key);
        h.str(from);
    }
    h.finish()
}

/// A hash for fingerprints: XXH3, with every string length-prefixed so
/// that ("ab", "c") and ("a", "bc") differ. The input is gathered and
/// hashed in one go at `finish` (most inputs are many short pieces, which
/// XXH3's streaming form handles slowly).
pub struct Hash(Vec<u8>);

impl Hash {
    pub fn new(seed: u64) -> Hash {
        let mut h = Hash(Vec::with_capacity(256));
        h.u64(seed);
        h
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub fn finish(&self) -> u64 {
        xxh3_64(&self.0)
    }
}

impl Renderer<'_> {
    /// Renders a job's files.
    pub fn run(
        &self,
        job: &Job,
        plan: &Plan,
        pages: &[Page],
        index: &SiteIndex,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        Ok(match job {
            Job::Page(i) => return self.page(&pages[*i]),
            Job::Home { n, total, briefs } => vec![self.home_page(pages, briefs, *n, *total)?],
            Job::Company(c) => return self.company_page(pages, c),
            Job::Companies => vec![self.company_index(pages, index)?],
            Job::Tag {
                tag,
                n,
                total,
                briefs,
            } => vec![self.tag_page(pages, tag, briefs, *n, *total)?],
            Job::Tags => vec![self.tag_index(index)?],
            Job::NotFound => vec![self.not_found()?],
            Job::Feed => vec![self.feed(pages, index)?],
            Job::Sitemap => vec![self.sitemap(pages, &plan.listing_urls)?],
            Job::Robots => vec![self.robots()],
            Job::Search => self.search_index(pages, index),
        })
    }
}
