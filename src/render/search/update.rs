//! The search index as the last build wrote it, kept in memory by
//! `serve` (`Keeps::Index`), so that after an edit the search job
//! rewrites only what the edit changed: the metadata blocks of the briefs
//! whose record changed and the term shards whose lists did, with the
//! filter values and the manifest. Written whole, the index was the
//! longest job of a one-brief rebuild at 10,000 briefs (80–117 ms of the
//! 120–130 ms render step on the 2-core bench machine: every brief's
//! terms gathered again, 625 blocks and 512 shards made and compared with
//! the output's).
//!
//! It is used only when the output holds the index it describes (the
//! build cache's fingerprint for the search job is the one it was made
//! for, under the same settings and theme) and the briefs are the same,
//! in the same order, but for a few whose record changed (a brief's key
//! is what its record and its block are made from); anything else writes
//! the index whole, and keeps the new one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::model::page::Page;
use crate::model::site_index::SiteIndex;
use crate::render::search::build::{
    filter_term, filter_values, shard_count, write_blocks, write_shards, write_tail, Lists, Sink,
};
use crate::render::search::doc::{stored_terms, Dict, Doc};
use crate::render::search::postings::Gaps;
use crate::render::search::{fnv1a, Layout, Record};
use crate::render::Renderer;

/// At most this share of the briefs (1 in 16), or 4 briefs on a small
/// site, changed for the index to be brought up to date rather than
/// written whole: each list a changed brief is on is read and written
/// again, and past that share that is most lists.
const MOST_CHANGED: usize = 16;

/// Each term's edits (by term id): (document, whether it now has the
/// term: `Some(in the head)`, or `None`).
type Edits = BTreeMap<u32, Vec<(u32, Option<bool>)>>;

/// What bringing a kept index up to date gave.
pub(super) enum Updated {
    /// The index, up to date, and the paths of the files left as they
    /// are in the output.
    Done(LastIndex, Vec<String>),
    /// Nothing: the index must be written whole.
    Whole,
}

/// What the output holds of the index a build makes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Since {
    /// The search job's fingerprint in the output's build cache (none
    /// without one).
    pub output: Option<u64>,
    /// This build's.
    pub now: u64,
    /// What every page sees (settings, theme, tearsheet): this build's.
    pub global: u64,
}

/// One document of a kept index: its page, and what it adds to the
/// lists.
#[derive(Debug)]
pub(crate) struct DocState {
    /// Its page's index.
    page: usize,
    /// Its record's terms as stored (ids in the index's dictionary),
    /// shared with the record in the page's slot.
    terms: Arc<[u8]>,
    /// Its filter values: (filter, value).
    filters: Vec<(usize, String)>,
}

impl DocState {
    /// Page `i`'s document, with record `d`.
    pub(crate) fn new(i: usize, d: &Doc, filters: Vec<(usize, String)>) -> DocState {
        DocState {
            page: i,
            terms: d.shared_terms(),
            filters,
        }
    }
}

/// The index as written: by document id, each document; by term id, its
/// lists; each filter's values with their counts; the shard count.
#[derive(Debug)]
pub(crate) struct LastIndex {
    made_for: u64,
    global: u64,
    dict: Arc<Dict>,
    docs: Vec<DocState>,
    lists: Vec<Option<Lists>>,
    filters: [BTreeMap<String, u32>; 4],
    shards: u32,
}

impl LastIndex {
    /// The index a build (`since`) wrote.
    pub(crate) fn new(
        since: Since,
        dict: &Arc<Dict>,
        docs: Vec<DocState>,
        lists: Vec<Option<Lists>>,
        (filters, shards): ([BTreeMap<String, u32>; 4], u32),
    ) -> LastIndex {
        LastIndex {
            made_for: since.now,
            global: since.global,
            dict: Arc::clone(dict),
            docs,
            lists,
            filters,
            shards,
        }
    }

    /// The same index, as written by a build (`since`).
    pub(crate) fn written_by(self, since: Since) -> LastIndex {
        LastIndex {
            made_for: since.now,
            global: since.global,
            ..self
        }
    }

    /// Whether the output of a build (`since`) holds this index.
    pub(crate) fn describes(&self, since: Since) -> bool {
        since.output == Some(self.made_for) && since.global == self.global
    }

    /// Each term's edits from changed documents `(id, new state)`.
    fn edits(&self, changed: &[(u32, DocState)]) -> Edits {
        let contributions = |s: &DocState| -> BTreeMap<u32, bool> {
            let mut all: BTreeMap<u32, bool> = stored_terms(&s.terms).collect();
            for (f, v) in &s.filters {
                let id = self
                    .dict
                    .intern(std::iter::once(filter_term(*f, v).as_str()))[0];
                all.entry(id).or_insert(false);
            }
            all
        };
        let mut edits = Edits::new();
        for (id, new) in changed {
            let (before, after) = (contributions(&self.docs[*id as usize]), contributions(new));
            let terms: BTreeSet<u32> = before.keys().chain(after.keys()).copied().collect();
            for t in terms {
                let now = after.get(&t).copied();
                if before.get(&t).copied() != now {
                    edits.entry(t).or_default().push((*id, now));
                }
            }
        }
        edits
    }

    /// Applies `edits` to the lists.
    fn apply(&mut self, edits: &Edits) {
        for (&t, doc_edits) in edits {
            let at = t as usize;
            if self.lists.len() <= at {
                self.lists.resize_with(at + 1, || None);
            }
            let lists = self.lists[at].take().unwrap_or_default();
            let all = edited(&lists.all, doc_edits.iter().map(|&(d, e)| (d, e.is_some())));
            let head = edited(
                &lists.head,
                doc_edits.iter().map(|&(d, e)| (d, e == Some(true))),
            );
            self.lists[at] = (all.count() > 0).then_some(Lists { all, head });
        }
    }

    /// Moves the filter counts from the documents' old values to `new`'s.
    fn recount(&mut self, id: u32, new: &DocState) {
        for (f, v) in &self.docs[id as usize].filters {
            if let Some(n) = self.filters[*f].get_mut(v) {
                *n -= 1;
                if *n == 0 {
                    self.filters[*f].remove(v);
                }
            }
        }
        for (f, v) in &new.filters {
            *self.filters[*f].entry(v.clone()).or_default() += 1;
        }
    }
}

/// `list` with each `(document, on it)` edit made.
fn edited(list: &Gaps, edits: impl Iterator<Item = (u32, bool)>) -> Gaps {
    let mut ids: Vec<u32> = list.ids().collect();
    for (d, on) in edits {
        match (ids.binary_search(&d), on) {
            (Ok(at), false) => {
                ids.remove(at);
            }
            (Err(at), true) => ids.insert(at, d),
            (Ok(_), true) | (Err(_), false) => {}
        }
    }
    let mut out = Gaps::default();
    for id in ids {
        out.push(id);
    }
    out
}

impl Renderer<'_> {
    /// Brings `last` up to date with the briefs of `index` and writes to
    /// `sink` the files that changed.
    pub(super) fn update_search(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        mut last: LastIndex,
        sink: &mut Sink,
    ) -> Result<Updated, Vec<Diagnostic>> {
        let briefs = &index.briefs;
        if briefs.len() != last.docs.len() || !Arc::ptr_eq(&last.dict, self.search.dict()) {
            return Ok(Updated::Whole);
        }
        let same = |id: usize| {
            let (i, before) = (briefs[id], &last.docs[id]);
            let slot = self.search.slot(i).and_then(|s| s.doc.get());
            i == before.page && slot.is_some_and(|d| d.shares_terms(&before.terms))
        };
        let changed: Vec<usize> = (0..briefs.len()).filter(|&id| !same(id)).collect();
        if changed.len() * MOST_CHANGED > briefs.len().max(4 * MOST_CHANGED) {
            return Ok(Updated::Whole);
        }
        let changed_briefs: Vec<usize> = changed.iter().map(|&id| briefs[id]).collect();
        let mut states = Vec::with_capacity(changed.len());
        for (&id, r) in changed.iter().zip(self.records(pages, &changed_briefs)?) {
            let d = match &r {
                Record::Kept(d) => *d,
                Record::Made(d) => d,
            };
            if !Arc::ptr_eq(&d.dict, &last.dict) {
                return Ok(Updated::Whole);
            }
            let i = briefs[id];
            states.push((id as u32, DocState::new(i, d, filter_values(&pages[i]))));
        }
        let edits = last.edits(&states);
        last.apply(&edits);
        for (id, state) in states {
            last.recount(id, &state);
            last.docs[id as usize] = state;
        }
        let kept = self.write_changes(pages, index, &last, (&changed, &edits), sink)?;
        Ok(Updated::Done(last, kept))
    }

    /// Writes the blocks of the `changed` documents, the shards of the
    /// terms `edits` touched (every shard when their count changed), the
    /// filter values and the manifest; gives the paths of the others.
    fn write_changes(
        &self,
        pages: &[Page],
        index: &SiteIndex,
        last: &LastIndex,
        (changed, edits): (&[usize], &Edits),
        sink: &mut Sink,
    ) -> Result<Vec<String>, Vec<Diagnostic>> {
        let docs = last.docs.len() as u32;
        let terms = last.dict.terms();
        let shards = shard_count(&terms, &last.lists, docs);
        let touched: BTreeSet<u32> = match shards == last.shards {
            true => edits
                .keys()
                .map(|&t| fnv1a(terms[t as usize].as_bytes()) & (shards - 1))
                .collect(),
            false => (0..shards).collect(),
        };
        let mut kept = write_shards(&terms, &last.lists, docs, shards, Some(&touched), sink)
            .map_err(|d| vec![d])?;
        let blocks: BTreeSet<usize> = changed.iter().map(|id| id / Layout::BLOCK).collect();
        let count = index.briefs.len().div_ceil(Layout::BLOCK);
        for n in 0..count {
            if !blocks.contains(&n) {
                kept.push(Layout::block(n as u32));
                continue;
            }
            let end = ((n + 1) * Layout::BLOCK).min(index.briefs.len());
            let briefs = &index.briefs[n * Layout::BLOCK..end];
            let records = self.records(pages, briefs)?;
            let docs: Vec<&Doc> = records.iter().map(Record::doc).collect();
            write_blocks(pages, (briefs, n), &docs, sink).map_err(|d| vec![d])?;
        }
        write_tail(&last.filters, docs, shards, sink).map_err(|d| vec![d])?;
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(ids: &[u32]) -> Gaps {
        let mut g = Gaps::default();
        for &id in ids {
            g.push(id);
        }
        g
    }

    #[test]
    fn an_edit_adds_and_removes_documents_in_order() {
        let l = list(&[1, 4, 9]);
        let e = edited(
            &l,
            [(4, false), (0, true), (7, true), (9, true), (5, false)].into_iter(),
        );
        assert_eq!(e.ids().collect::<Vec<_>>(), vec![0, 1, 7, 9]);
        assert_eq!(e.count(), 4);
    }
}
