//! The full-text index, made from every brief's record in the order of
//! the site index (newest first: a document's id is its place there) and
//! written as it is made: the metadata blocks (in parallel), then the
//! term shards, the filter values and the manifest. What it holds for the
//! whole run is one list pair per term (ids as gap varints), never texts.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::encode_path;
use crate::render::search::doc::{Dict, Doc};
use crate::render::search::postings::{put_varint, Gaps};
use crate::render::search::update::{DocState, LastIndex, Since};
use crate::render::search::{fnv1a, Layout, FORMAT, TARGET_SHARD_BYTES};
use crate::render::Output;

/// The filters a result list can be narrowed by, as the prefixes of
/// their terms: `company=快手`, `sector=互联网`, `tag=AI`, `lang=zh`.
pub(crate) const FILTERS: [&str; 4] = ["company", "sector", "tag", "lang"];

/// A term's documents, and those of them that have it in the title,
/// company name or ticker.
#[derive(Debug, Default)]
pub(crate) struct Lists {
    pub all: Gaps,
    pub head: Gaps,
}

/// Where a sink sends the index's files.
pub(crate) type Sink<'s> = dyn FnMut(Output) -> Result<(), Diagnostic> + 's;

/// The index being made.
pub(crate) struct Builder<'a> {
    dict: &'a Arc<Dict>,
    /// By term id.
    lists: Vec<Option<Lists>>,
    /// For records made with another dictionary: their ids in ours.
    foreign: HashMap<usize, Vec<u32>>,
    /// Each filter's values and how many briefs have them.
    filters: [BTreeMap<String, u32>; 4],
    docs: u32,
    /// Each document's state, when the index is kept for the next build
    /// (none once a record was in another dictionary).
    states: Option<Vec<DocState>>,
}

impl<'a> Builder<'a> {
    /// A builder whose terms are in `dict`, that keeps what the next
    /// build needs to bring the index up to date when `keeping`.
    pub(crate) fn new(dict: &'a Arc<Dict>, keeping: bool) -> Builder<'a> {
        Builder {
            dict,
            lists: Vec::new(),
            foreign: HashMap::new(),
            filters: Default::default(),
            docs: 0,
            states: keeping.then(Vec::new),
        }
    }

    fn add(&mut self, id: u32, doc: u32, head: bool) {
        let at = id as usize;
        if self.lists.len() <= at {
            self.lists.resize_with(at + 1, || None);
        }
        let lists = self.lists[at].get_or_insert_with(Lists::default);
        lists.all.push(doc);
        if head {
            lists.head.push(doc);
        }
    }

    /// Adds brief `p` (page `i`) with record `d` as the next document.
    pub(crate) fn push(&mut self, (i, p): (usize, &Page), d: &Doc) {
        let id = self.docs;
        self.docs += 1;
        if Arc::ptr_eq(&d.dict, self.dict) {
            for (t, head) in d.terms() {
                self.add(t, id, head);
            }
        } else {
            self.states = None;
            let key = Arc::as_ptr(&d.dict) as usize;
            let ours = self.foreign.entry(key).or_insert_with(|| {
                let theirs = d.dict.terms();
                self.dict.intern(theirs.iter().map(|t| &**t))
            });
            let mapped: Vec<(u32, bool)> = d.terms().map(|(t, h)| (ours[t as usize], h)).collect();
            for (t, head) in mapped {
                self.add(t, id, head);
            }
        }
        let values = filter_values(p);
        let terms: Vec<String> = values.iter().map(|(f, v)| filter_term(*f, v)).collect();
        for t in self.dict.intern(terms.iter().map(String::as_str)) {
            self.add(t, id, false);
        }
        for (f, v) in &values {
            *self.filters[*f].entry(v.clone()).or_default() += 1;
        }
        if let Some(states) = &mut self.states {
            states.push(DocState::new(i, d, values));
        }
    }

    /// Writes the shards, the filter values and the manifest.
    pub(crate) fn finish(&self, sink: &mut Sink) -> Result<(), Diagnostic> {
        let terms = self.dict.terms();
        let shards = shard_count(&terms, &self.lists, self.docs);
        write_shards(&terms, &self.lists, self.docs, shards, None, sink)?;
        write_tail(&self.filters, self.docs, shards, sink)
    }

    /// The index as written by this builder, to keep for the next build
    /// (`since`); none when it kept no document states (see
    /// [`Builder::keeping`]) or a record was in another dictionary.
    pub(crate) fn into_last(self, since: Since) -> Option<LastIndex> {
        let terms = self.dict.terms();
        let shards = shard_count(&terms, &self.lists, self.docs);
        Some(LastIndex::new(
            since,
            self.dict,
            self.states?,
            self.lists,
            (self.filters, shards),
        ))
    }
}

/// The terms (by id) that have lists, with them.
fn present<'t>(
    terms: &'t [Arc<str>],
    lists: &'t [Option<Lists>],
) -> impl Iterator<Item = (&'t Arc<str>, &'t Lists)> {
    lists
        .iter()
        .enumerate()
        .filter_map(|(id, l)| Some((&terms[id], l.as_ref()?)))
}

/// Enough shards (a power of two) that one holds about
/// [`TARGET_SHARD_BYTES`] on average, for `lists` (by term id, `terms`
/// by id) of a site of `docs`.
pub(crate) fn shard_count(terms: &[Arc<str>], lists: &[Option<Lists>], docs: u32) -> u32 {
    let total: u64 = present(terms, lists)
        .map(|(t, l)| t.len() as u64 + l.all.encoded_len(docs) + l.head.encoded_len(docs))
        .sum();
    let want = total.div_ceil(TARGET_SHARD_BYTES).max(1);
    (want.next_power_of_two() as u32).clamp(1, 1 << 16)
}

/// Writes the shards of `lists` (by term id, `terms` by id) of a site of
/// `docs` as `shards` shards: all, or those in `only`; gives the paths of
/// the others.
pub(crate) fn write_shards(
    terms: &[Arc<str>],
    lists: &[Option<Lists>],
    docs: u32,
    shards: u32,
    only: Option<&BTreeSet<u32>>,
    sink: &mut Sink,
) -> Result<Vec<String>, Diagnostic> {
    let mut by_shard: Vec<Vec<(&Arc<str>, &Lists)>> = vec![Vec::new(); shards as usize];
    let wanted = |n: u32| only.is_none_or(|o| o.contains(&n));
    for (t, l) in present(terms, lists) {
        let n = fnv1a(t.as_bytes()) & (shards - 1);
        if wanted(n) {
            by_shard[n as usize].push((t, l));
        }
    }
    let mut others = Vec::new();
    for (n, mut entries) in by_shard.into_iter().enumerate() {
        let path = Layout::shard(n as u32, shards);
        if !wanted(n as u32) {
            others.push(path);
            continue;
        }
        entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut bytes = Vec::new();
        for (t, l) in entries {
            put_varint(&mut bytes, t.len() as u64);
            bytes.extend_from_slice(t.as_bytes());
            l.all.write(docs, &mut bytes);
            l.head.write(docs, &mut bytes);
        }
        sink(Output { path, bytes })?;
    }
    Ok(others)
}

/// Writes the filter values and the manifest of a site of `docs` whose
/// terms are in `shards` shards.
pub(crate) fn write_tail(
    filters: &[BTreeMap<String, u32>; 4],
    docs: u32,
    shards: u32,
    sink: &mut Sink,
) -> Result<(), Diagnostic> {
    let filters: serde_json::Map<String, serde_json::Value> = FILTERS
        .iter()
        .zip(filters)
        .map(|(name, values)| (name.to_string(), serde_json::json!(values)))
        .collect();
    sink(Output {
        path: Layout::FILTERS.into(),
        bytes: serde_json::to_vec(&filters).unwrap_or_default(),
    })?;
    let manifest = serde_json::json!({
        "format": FORMAT,
        "docs": docs,
        "shards": shards,
        "block": Layout::BLOCK,
        "blocks": docs.div_ceil(Layout::BLOCK as u32),
    });
    sink(Output {
        path: Layout::MANIFEST.into(),
        bytes: manifest.to_string().into_bytes(),
    })
}

/// The term of filter `f`'s value `v`: `company=快手`.
pub(crate) fn filter_term(f: usize, v: &str) -> String {
    format!("{}={v}", FILTERS[f])
}

/// Brief `p`'s filter values: (filter, value).
pub(crate) fn filter_values(p: &Page) -> Vec<(usize, String)> {
    let mut out = vec![(3, p.lang.code().to_string())];
    if let Some(b) = &p.brief {
        out.push((0, b.company.name.clone()));
        if let Some(s) = &b.company.sector {
            out.push((1, s.clone()));
        }
        let mut tags: Vec<&String> = b.tags.iter().collect();
        tags.sort();
        tags.dedup();
        out.extend(tags.into_iter().map(|t| (2, t.clone())));
    }
    out
}

/// Writes the metadata blocks of `briefs` (page indexes, in document
/// order, the first in block `first`) with their records `docs` to
/// `sink`: made in parallel, 64 blocks at a time, sent in order.
pub(crate) fn write_blocks(
    pages: &[Page],
    (briefs, first): (&[usize], usize),
    docs: &[&Doc],
    sink: &mut Sink,
) -> Result<(), Diagnostic> {
    use rayon::prelude::*;
    let per = Layout::BLOCK;
    let chunk = 64 * per;
    for (c, (briefs, docs)) in briefs.chunks(chunk).zip(docs.chunks(chunk)).enumerate() {
        let made: Vec<Vec<u8>> = briefs
            .par_chunks(per)
            .zip(docs.par_chunks(per))
            .map(|(briefs, docs)| {
                let mut bytes = vec![b'['];
                for (k, (&i, d)) in briefs.iter().zip(docs).enumerate() {
                    if k > 0 {
                        bytes.push(b',');
                    }
                    block_entry(&pages[i], d, &mut bytes);
                }
                bytes.push(b']');
                bytes
            })
            .collect();
        for (n, bytes) in made.into_iter().enumerate() {
            let path = Layout::block((first + c * 64 + n) as u32);
            sink(Output { path, bytes })?;
        }
    }
    Ok(())
}

/// What a result shows of a brief, as a block holds it.
#[derive(serde::Serialize)]
struct Entry<'a> {
    /// URL, relative to the site root.
    u: String,
    /// Title, company, ticker, period, date, language, summary, excerpt.
    t: &'a str,
    c: &'a str,
    k: &'a str,
    p: String,
    d: String,
    l: &'static str,
    s: &'a str,
    x: &'a str,
}

/// Appends what a result shows of brief `p` (record `d`) to `out`, as
/// JSON.
fn block_entry(p: &Page, d: &Doc, out: &mut Vec<u8>) {
    let b = p.brief.as_ref();
    let entry = Entry {
        u: encode_path(&p.url),
        t: &p.title,
        c: b.map(|b| b.company.name.as_str()).unwrap_or(""),
        k: b.and_then(|b| b.company.ticker.as_deref()).unwrap_or(""),
        p: b.map(|b| b.period_label(p.lang)).unwrap_or_default(),
        d: p.date.map(|d| d.iso()).unwrap_or_default(),
        l: p.lang.code(),
        s: p.summary.as_deref().unwrap_or(""),
        x: &d.excerpt,
    };
    // Strings only: nothing that cannot be written as JSON.
    let _ = serde_json::to_writer(out, &entry);
}
