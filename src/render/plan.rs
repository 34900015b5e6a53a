//! The render plan: everything a build writes, as independent jobs — the
//! title-and-summary index and the full-text search index (first, see
//! [`Plan::new`]), a content page (with its
//! chart files), a home page, a company or tag page, the two indexes, the
//! 404 page, the feed, the sitemap and robots.txt. `site` runs the jobs
//! in parallel and writes each job's files as soon as it is done, so no
//! step holds the whole site's HTML.
//! (What each job is made from, to know it again, is the incremental
//! room's: `incremental::fingerprint`.)

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::{Company, SiteIndex, Tag};
use crate::model::urls;
use crate::render::{Output, Renderer};

/// One unit of rendering.
pub(crate) enum Job<'a> {
    /// A content page by index into the pages: a brief or a plain page.
    Page(usize),
    /// Home page `n` of `total`, listing `briefs`.
    Home {
        n: usize,
        total: usize,
        briefs: &'a [usize],
    },
    /// Page `n` of `total` of a company's pages, listing `briefs`; page
    /// 1 also shows the company's facts, trends, history and houses.
    Company {
        company: &'a Company,
        n: usize,
        total: usize,
        briefs: &'a [usize],
    },
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
    /// The full-text search index (`search/`).
    Search,
    /// The title-and-summary index (`search-index.json` and `.js`): a
    /// job of its own, reused while no brief's entry changed (an edit of
    /// a brief's text changes only the full-text index).
    SearchFallback,
}

/// The jobs of a build, in a fixed order.
pub(crate) struct Plan<'a> {
    pub jobs: Vec<Job<'a>>,
    /// URLs of the listing pages (for the sitemap).
    listing_urls: Vec<String>,
}

impl<'a> Plan<'a> {
    /// The URLs of the listing pages (for the sitemap).
    pub(crate) fn listing_urls(&self) -> &[String] {
        &self.listing_urls
    }

    pub(crate) fn new(pages: &[Page], index: &'a SiteIndex, per_page: usize) -> Plan<'a> {
        // The search indexes first: the full-text index is the longest
        // job (it reads every brief's text again), and it holds its term
        // lists until it ends; first, it runs beside the brief pages
        // rather than at the end with every listing card made (at 100,000
        // briefs of the bench corpus, last it put the peak memory at 413
        // MiB). The title-and-summary index (two strings of 28 MB there)
        // before it, while little else is held.
        let mut jobs: Vec<Job> = vec![Job::SearchFallback, Job::Search];
        jobs.extend((0..pages.len()).map(Job::Page));
        let chunks = pages_of(&index.briefs, per_page);
        let total = chunks.len();
        let mut listing_urls: Vec<String> = (1..=total).map(urls::home).collect();
        jobs.extend(chunks.into_iter().enumerate().map(|(i, briefs)| Job::Home {
            n: i + 1,
            total,
            briefs,
        }));
        for company in index.companies.values() {
            let chunks = pages_of(&company.briefs, per_page);
            let total = chunks.len();
            for (i, briefs) in chunks.into_iter().enumerate() {
                listing_urls.push(urls::company_page(&company.slug, i + 1));
                jobs.push(Job::Company {
                    company,
                    n: i + 1,
                    total,
                    briefs,
                });
            }
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
        jobs.extend([Job::NotFound, Job::Feed, Job::Sitemap, Job::Robots]);
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
    pub(crate) fn key(&self, pages: &[Page]) -> String {
        match self {
            Job::Page(i) => urls::index_file(&pages[*i].url),
            Job::Home { n, .. } => urls::index_file(&urls::home(*n)),
            Job::Company { company, n, .. } => {
                urls::index_file(&urls::company_page(&company.slug, *n))
            }
            Job::Companies => urls::index_file(urls::COMPANIES_INDEX),
            Job::Tag { tag, n, .. } => urls::index_file(&urls::tag_page(&tag.slug, *n)),
            Job::Tags => urls::index_file(urls::TAGS_INDEX),
            Job::NotFound => urls::NOT_FOUND.into(),
            Job::Feed => urls::FEED.into(),
            Job::Sitemap => urls::SITEMAP.into(),
            Job::Robots => urls::ROBOTS.into(),
            Job::Search => crate::render::search::Layout::MANIFEST.into(),
            Job::SearchFallback => urls::SEARCH_INDEX.into(),
        }
    }

    /// The pages whose figures the job shows (see
    /// `model::page::FigureTable`): the rest of what it shows of a page is
    /// always in memory.
    pub(crate) fn shows(&self) -> &[usize] {
        match self {
            Job::Page(i) => std::slice::from_ref(i),
            Job::Home { briefs, .. } | Job::Tag { briefs, .. } => briefs,
            // Page 1 draws the trends and history over all of them.
            Job::Company { company, n: 1, .. } => &company.briefs,
            Job::Company { briefs, .. } => briefs,
            Job::Companies
            | Job::Tags
            | Job::NotFound
            | Job::Feed
            | Job::Sitemap
            | Job::Robots
            | Job::Search
            | Job::SearchFallback => &[],
        }
    }

    /// Whether the job shows figures only as listing cards (which are
    /// made once per brief: see `listed::ListedEntries`).
    pub(crate) fn lists_only(&self) -> bool {
        matches!(self, Job::Home { .. } | Job::Tag { .. })
            || matches!(self, Job::Company { n, .. } if *n > 1)
    }

    /// Whether the job makes one of the site's HTML pages (counted in the
    /// build summary).
    pub(crate) fn is_listing(&self) -> bool {
        !matches!(
            self,
            Job::Page(_)
                | Job::Feed
                | Job::Sitemap
                | Job::Robots
                | Job::Search
                | Job::SearchFallback
        )
    }
}

/// What a brief's page costs to render: the unit of [`Job::cost`].
pub(crate) const PAGE_COST: usize = 100;

/// What the full-text index costs for `briefs` briefs, in the unit of
/// [`Job::cost`]: 0.4 of a brief's page each. Measured at 10,000 briefs
/// of the bench corpus (2026-12-03, three builds with and without the
/// index, alternated): 1.4–1.55 s of CPU, against 3.5 s for the 10,000
/// brief pages.
pub(crate) fn indexing_cost(briefs: usize) -> usize {
    40 * briefs
}

impl Job<'_> {
    /// What rendering the job costs in a site of `briefs` briefs, in
    /// hundredths of a brief's page: the build's progress bar measures
    /// the render phase in it, so that its time left holds while jobs of
    /// very different weight run. Counted in jobs, the time left ran 2×
    /// high at first at 100,000 briefs: the full-text index (a fifth of
    /// the work) was one job, and listing pages, light, came last.
    ///
    /// Measured per kind of job (wall time of each job on 2 threads, with
    /// the reading of its figures; 10,000 and 100,000 briefs of the bench
    /// corpus, 2026-12-03): a brief's page 0.35 and 0.38 ms; a home page
    /// 0.46 and 0.45 ms; a company's first page (its trends, history and
    /// houses) 4.8 ms with 125 briefs and 26 ms with 1,250, so about 2.5
    /// ms and 0.019 ms a brief; another of its pages 0.30 and 0.32 ms; a
    /// tag page 0.20 and 0.26 ms; the seven others 29 and 303 ms in all.
    pub(crate) fn cost(&self, briefs: usize) -> usize {
        match self {
            Job::Page(_) => PAGE_COST,
            Job::Home { .. } => 125,
            Job::Company { company, n: 1, .. } => 700 + 5 * company.briefs.len(),
            Job::Company { .. } => 85,
            Job::Tag { .. } => 65,
            Job::Search => indexing_cost(briefs),
            // The two that grow with the site.
            Job::SearchFallback | Job::Sitemap => briefs / 2,
            Job::Companies | Job::Tags | Job::NotFound | Job::Feed | Job::Robots => PAGE_COST,
        }
    }
}

impl Renderer<'_> {
    /// Renders a job's files.
    pub(crate) fn run(
        &self,
        job: &Job,
        plan: &Plan,
        pages: &[Page],
        index: &SiteIndex,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        Ok(match job {
            Job::Page(i) => return self.page(pages, *i),
            Job::Home { n, total, briefs } => vec![self.home_page(pages, briefs, *n, *total)?],
            Job::Company {
                company,
                n,
                total,
                briefs,
            } => return self.company_page(pages, company, briefs, (*n, *total)),
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
            Job::Sitemap => return self.sitemap(pages, &plan.listing_urls),
            Job::Robots => vec![self.robots()],
            Job::Search => return self.search_files(pages, index),
            Job::SearchFallback => return self.fallback_files(pages, index),
        })
    }
}
