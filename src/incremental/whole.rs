//! What a build finds across all pages that depends only on where each
//! page sits in the site — its file, URL, date, company, period and tags,
//! together its *shape* — and not on what it says: the site index, the
//! companies' briefs as the rules across them group them, the check that
//! URLs are unique, and the jobs' keys. `site` keeps a [`Whole`] in the
//! memo and reuses it while no page's shape changed (an edit to a
//! summary, a figure or a body leaves it as it was), so a rebuild in
//! `serve` does not sort and group ten thousand pages again. Errors are
//! never reused: a `Whole` that found any is built again.

use std::sync::OnceLock;

use crate::check::restatement::{self, CompanyBriefs};
use crate::diagnostic::Diagnostic;
use crate::hash::Hash;
use crate::incremental::kept::Side;
use crate::model::page::Page;
use crate::model::site_index::SiteIndex;
use crate::render::plan::Plan;

pub(crate) struct Whole {
    shape: u64,
    pub index: SiteIndex,
    /// Errors of the index (tags that collide) and of the URLs.
    pub errors: Vec<Diagnostic>,
    /// By `restatement::company_key`.
    pub groups: Vec<(String, CompanyBriefs)>,
    /// The keys of the plan's jobs, once asked for (the plan is made from
    /// the index, and the same index makes the same jobs).
    keys: OnceLock<Vec<String>>,
    /// What the sitemap shows (`fingerprint::placed`), once asked for.
    placed: OnceLock<u64>,
}

/// The hash of every page's shape, in order (each page's found once, and
/// kept beside it in `side`).
pub(crate) fn shape(pages: &[Page], side: &[Side]) -> u64 {
    use rayon::prelude::*;
    // On every thread.
    let shapes: Vec<u64> = pages
        .par_iter()
        .zip(side)
        .map(|(p, s)| *s.shape.get_or_init(|| page_shape(p)))
        .collect();
    let mut h = Hash::new(pages.len() as u64);
    for s in shapes {
        h.u64(s);
    }
    h.finish()
}

/// The hash of where a page sits: its file, URL, slug, date, and for a
/// brief its company, period and tags.
pub(crate) fn page_shape(p: &Page) -> u64 {
    let mut h = Hash::new(0);
    h.bytes(p.origin.path.as_os_str().as_encoded_bytes());
    h.str(&p.url);
    h.str(p.origin.slug.as_deref().unwrap_or(""));
    match p.date {
        Some(d) => {
            h.u64(d.year as u64);
            h.u64(u64::from(d.month) << 8 | u64::from(d.day));
        }
        None => h.u64(u64::MAX),
    }
    let Some(b) = &p.brief else {
        h.u64(0);
        return h.finish();
    };
    h.u64(1);
    h.str(&b.company.name);
    h.str(b.company.ticker.as_deref().unwrap_or("\u{0}"));
    h.str(&b.period.to_string());
    h.u64(b.tags.len() as u64);
    for t in &b.tags {
        h.str(t);
    }
    h.finish()
}

impl Whole {
    /// Built from `pages`, whose shape is `shape`.
    pub(crate) fn new(pages: &[Page], shape: u64) -> Whole {
        // Three independent passes over the pages, side by side.
        let (mut errors, ((index, index_errors), groups)) = rayon::join(
            || crate::check::unique_urls(pages),
            || rayon::join(|| SiteIndex::build(pages), || restatement::companies(pages)),
        );
        errors.extend(index_errors);
        Whole {
            shape,
            index,
            errors,
            groups,
            keys: OnceLock::new(),
            placed: OnceLock::new(),
        }
    }

    /// Whether it holds for pages of shape `shape`.
    pub(crate) fn fits(&self, shape: u64) -> bool {
        self.shape == shape && self.errors.is_empty()
    }

    /// What the sitemap shows of `pages` and `plan` (see
    /// `fingerprint::placed`).
    pub(crate) fn placed(&self, plan: &Plan, pages: &[Page]) -> u64 {
        *self
            .placed
            .get_or_init(|| crate::incremental::fingerprint::placed(pages, plan))
    }

    /// The keys of `plan`'s jobs (made from this index and `pages`).
    pub(crate) fn keys(&self, plan: &Plan, pages: &[Page]) -> &[String] {
        use rayon::prelude::*;
        self.keys
            .get_or_init(|| plan.jobs.par_iter().map(|job| job.key(pages)).collect())
    }
}
