//! The search index: a static full-text index on Pagefind's principles
//! (the browser fetches a small manifest, then only the postings of the
//! query's terms, then the metadata of the results it shows), made by
//! tearsheet as it builds, plus the small title-and-summary index for a
//! site opened from disk (`fallback`).
//!
//! Files, under `search/`:
//! - `index.json`, the manifest: format, documents, shards, block size.
//! - `t/<n>.bin`, the term shards: every term goes to shard
//!   `fnv1a32(term) & (shards - 1)`; a shard is its terms, sorted, each
//!   as varint length + UTF-8, then the list of documents that have it and
//!   the list of those that have it in the title, company name or ticker
//!   (`postings`). Filter values are terms too (`company=快手`).
//!   Pagefind cuts its chunks by ranges of sorted terms and lists the
//!   ranges in its manifest; a hash needs no such table (the manifest
//!   stays ~100 bytes however many shards) at the price of prefix search.
//! - `b/<n>.json`, the metadata blocks: documents `n * block ..` with URL,
//!   title, company, ticker, period, date, language, summary and excerpt
//!   (Pagefind writes one fragment file per page; a block of many keeps
//!   the file count down).
//! - `filters.json`: each filter's values with their brief counts, loaded
//!   when the reader opens the filters.
//!
//! A document's id is its place in the site index (newest first). Terms
//! are cut by `tokens`, which `static/search.js` mirrors; `query` is the
//! same lookup in Rust, for tests and measurements.

pub(crate) mod build;
pub(crate) mod distinct;
pub(crate) mod doc;
pub(crate) mod fallback;
pub(crate) mod postings;
pub(crate) mod query;
pub(crate) mod text;
pub(crate) mod tokens;
pub(crate) mod update;

pub(crate) use doc::{Keeps, SearchEntries, Slot};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::front_matter::read_again;
use crate::model::page::Page;
use crate::model::site_index::SiteIndex;
use crate::render::search::build::{Builder, Sink};
use crate::render::search::doc::Doc;
use crate::render::search::update::Updated;
use crate::render::{Output, Renderer};

/// The index's format, in its manifest (`static/search.js` checks it).
pub(crate) const FORMAT: u32 = 1;

/// What a shard holds on average, in bytes: a query fetches one shard a
/// term. At 100,000 briefs of the bench corpus 8 KiB gives 4,096 shards
/// (see docs/performance.md, "Search").
pub(crate) const TARGET_SHARD_BYTES: u64 = 8 * 1024;

/// Where the index's files go.
pub struct Layout;

impl Layout {
    /// Documents per metadata block.
    pub const BLOCK: usize = 16;
    /// The manifest.
    pub const MANIFEST: &'static str = "search/index.json";
    /// Each filter's values.
    pub const FILTERS: &'static str = "search/filters.json";

    /// Metadata block `n`.
    pub fn block(n: u32) -> String {
        format!("search/b/{n}.json")
    }

    /// Shard `n` of `shards`: hex, as many digits as the largest needs.
    pub fn shard(n: u32, shards: u32) -> String {
        let digits = (shards.saturating_sub(1).max(1).ilog2() / 4 + 1) as usize;
        format!("search/t/{n:0digits$x}.bin")
    }
}

/// FNV-1a, 32 bits, of `bytes`: the shard of a term (`static/search.js`
/// computes the same over the term's UTF-8).
pub fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Briefs whose records are made, gathered and written at a time (a
/// whole number of metadata blocks): the job holds the records of one
/// chunk, not those of every brief. At 100,000 briefs of the bench
/// corpus the records of all were ~160 MiB of the build's peak memory.
const CHUNK: usize = 16 * Layout::BLOCK;

/// Adds the records `docs` of `briefs` (the first in block `first`) to
/// the term lists of `builder`, on a thread of its own, while their
/// metadata blocks are written: after a one-brief edit at 10,000 briefs
/// this job (the longest of the build) took 51 ms, 26 ms of it gathering
/// and 12 ms writing blocks, one after the other.
fn gather_and_write<'d>(
    mut builder: Builder<'d>,
    pages: &[Page],
    (briefs, first): (&[usize], usize),
    docs: &[&Doc],
    sink: &mut Sink,
) -> Result<Builder<'d>, Vec<Diagnostic>> {
    let (builder, blocks) = std::thread::scope(|s| {
        let gather = s.spawn(move || {
            for (&i, d) in briefs.iter().zip(docs) {
                builder.push((i, &pages[i]), d);
            }
            builder
        });
        let blocks = build::write_blocks(pages, (briefs, first), docs, sink);
        // Gathering never panics; if it did, it goes on as it would have
        // on this thread.
        let builder = gather
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (builder, blocks)
    });
    blocks.map_err(|d| vec![d])?;
    Ok(builder)
}

/// A brief's record: one kept in memory, or one held for its chunk
/// (made now, or read back from where the last build stored it).
enum Record<'d> {
    Kept(&'d Doc),
    Made(Doc),
}

impl Record<'_> {
    fn doc(&self) -> &Doc {
        match self {
            Record::Kept(d) => d,
            Record::Made(d) => d,
        }
    }
}

impl Renderer<'_> {
    /// Every file of the search index, to `sink` as each is made; gives
    /// the paths of those left as they are in the output (when the index
    /// kept from the last build was brought up to date: see `update`).
    /// `indexed` is told how many briefs each step indexed, as it ends
    /// (all of them, once, for an index brought up to date).
    pub(crate) fn search_index(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        sink: &mut Sink,
        indexed: &dyn Fn(usize),
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        if let Some(last) = self.search.take_last() {
            if let Updated::Done(last, kept) = self.update_search(pages, index, last, sink)? {
                self.search.put_last(|since| Some(last.written_by(since)));
                indexed(index.briefs.len());
                return Ok(kept);
            }
        }
        let mut builder = Builder::new(self.search.dict(), self.search.keeps_index());
        let keeper = self.search.keeper();
        for (c, briefs) in index.briefs.chunks(CHUNK).enumerate() {
            let records = self.records(pages, briefs)?;
            let docs: Vec<&Doc> = records.iter().map(Record::doc).collect();
            if let Some(k) = keeper {
                for (&i, d) in briefs.iter().zip(&docs) {
                    k.keep(&pages[i].origin.path, d);
                }
            }
            let first = c * CHUNK / Layout::BLOCK;
            builder = gather_and_write(builder, pages, (briefs, first), &docs, sink)?;
            indexed(briefs.len());
        }
        builder.finish(sink).map_err(|d| vec![d])?;
        if let Some(k) = keeper {
            k.finish(&self.search.dict().terms());
        }
        self.search.put_last(|since| builder.into_last(since));
        Ok(Vec::new())
    }

    /// The title-and-summary index's files, gathered (for `check` and
    /// tests).
    pub(crate) fn fallback_files(
        &self,
        pages: &[Page],
        index: &SiteIndex,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        gathered(|sink| {
            self.search_fallback(pages, index, sink)
                .map_err(|d| vec![d])
        })
    }

    /// The search index's files, gathered (for `check` and tests).
    /// Nothing is left as it is: a build that gathers the files keeps no
    /// index from the last.
    pub(crate) fn search_files(
        &self,
        pages: &[Page],
        index: &SiteIndex,
    ) -> Result<Vec<Output>, Vec<Diagnostic>> {
        gathered(|sink| self.search_index(pages, index, sink, &|_| ()).map(drop))
    }

    /// The records of `briefs`, made (in parallel) where none is kept
    /// for its page as it is now; kept for the next build where the slot
    /// is free and the table keeps records.
    fn records<'s>(
        &'s self,
        pages: &[Page],
        briefs: &[usize],
    ) -> Result<Vec<Record<'s>>, Vec<Diagnostic>> {
        let made: Vec<Result<Record<'s>, Diagnostic>> = briefs
            .par_iter()
            .map(|&i| {
                let p = &pages[i];
                let slot = self.search.slot(i);
                if let Some(d) = slot.and_then(|s| s.doc.get()) {
                    if d.made_from == doc::made_from(p) {
                        return Ok(Record::Kept(d));
                    }
                }
                if let Some(d) = self.search.stored(i) {
                    if d.made_from == doc::made_from(p) {
                        return Ok(Record::Made(d));
                    }
                }
                let (text, body) = read_again(self.root, &p.origin)?;
                let doc = Doc::new(p, &text[body..], self.search.dict());
                self.search.note_made();
                Ok(match slot {
                    Some(s) if s.doc.get().is_none() && self.search.keeps_records() => {
                        Record::Kept(s.doc.get_or_init(|| doc))
                    }
                    _ => Record::Made(doc),
                })
            })
            .collect();
        let mut errors = Vec::new();
        let mut records = Vec::with_capacity(made.len());
        for r in made {
            match r {
                Ok(r) => records.push(r),
                Err(e) => errors.push(e),
            }
        }
        match errors.is_empty() {
            true => Ok(records),
            false => Err(errors),
        }
    }
}

/// The files `write` sends to its sink, gathered into a list.
fn gathered(
    write: impl FnOnce(&mut Sink) -> Result<(), Vec<Diagnostic>>,
) -> Result<Vec<Output>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    write(&mut |o| {
        out.push(o);
        Ok(())
    })?;
    Ok(out)
}
