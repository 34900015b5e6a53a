//! What the search index holds of each brief, made once per version of
//! its page and kept beside it (the incremental room keeps the table
//! between builds and empties the slot of a page that changed): its entry
//! in the small title-and-summary index (`search-index.json`), and its
//! full-text record — its distinct terms as ids into a shared dictionary
//! (sorted, gap varints: ~2 bytes a term instead of the term's text) and
//! the excerpt shown under a result.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::hash::Fnv;
use crate::model::page::Page;
use crate::render::search::distinct::Distinct;
use crate::render::search::postings::{get_varint, put_varint};
use crate::render::search::text;
use crate::render::search::update::{LastIndex, Since};

/// Every term the records of a build name, by id (ids are the order
/// terms were first seen in: never in the output, which sorts by term).
#[derive(Debug, Default)]
pub(crate) struct Dict {
    inner: Mutex<Terms>,
}

#[derive(Debug, Default)]
struct Terms {
    ids: HashMap<Arc<str>, u32, Fnv>,
    terms: Vec<Arc<str>>,
}

impl Dict {
    /// The ids of `terms`, given ids when new.
    pub(crate) fn intern<'t>(&self, terms: impl Iterator<Item = &'t str>) -> Vec<u32> {
        let mut d = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        terms
            .map(|t| match d.ids.get(t) {
                Some(&id) => id,
                None => {
                    let id = d.terms.len() as u32;
                    let t: Arc<str> = t.into();
                    d.terms.push(Arc::clone(&t));
                    d.ids.insert(t, id);
                    id
                }
            })
            .collect()
    }

    /// Every term, by id.
    pub(crate) fn terms(&self) -> Vec<Arc<str>> {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .terms
            .clone()
    }
}

/// A brief's full-text record.
#[derive(Debug)]
pub(crate) struct Doc {
    /// The dictionary its term ids are in.
    pub dict: Arc<Dict>,
    /// Its distinct terms: `id << 1 | head` ascending, as gap varints;
    /// `head` when the term is in the title, company name or ticker
    /// (shared with the index kept for the next build, `update`).
    terms: Arc<[u8]>,
    /// The start of its body text.
    pub excerpt: Box<str>,
    /// What it was made from ([`made_from`]).
    pub made_from: u64,
}

impl Doc {
    /// The record of brief `p` whose body (Markdown) is `body`.
    pub(crate) fn new(p: &Page, body: &str, dict: &Arc<Dict>) -> Doc {
        let mut seen = Distinct::new();
        seen.add(&p.title, true);
        if let Some(b) = &p.brief {
            seen.add(&b.company.name, true);
            seen.add(b.company.ticker.as_deref().unwrap_or(""), true);
            seen.add(&b.period_label(p.lang), false);
            seen.add(&b.period.to_string(), false);
            seen.add(b.company.sector.as_deref().unwrap_or(""), false);
            for t in &b.tags {
                seen.add(t, false);
            }
        }
        seen.add(p.summary.as_deref().unwrap_or(""), false);
        let start = seen.add_body(body);
        let terms = seen.into_texts();
        let ids = dict.intern(terms.iter().map(|(t, _)| t));
        let mut coded: Vec<u64> = ids
            .iter()
            .zip(terms.iter())
            .map(|(&id, (_, head))| u64::from(id) << 1 | u64::from(head))
            .collect();
        coded.sort_unstable();
        let mut bytes = Vec::with_capacity(coded.len() * 2);
        let mut last = 0;
        for v in coded {
            put_varint(&mut bytes, v - last);
            last = v;
        }
        Doc {
            dict: Arc::clone(dict),
            terms: bytes.into(),
            excerpt: text::excerpt(&start).into_boxed_str(),
            made_from: made_from(p),
        }
    }

    /// A record as stored: `terms` as [`Doc::stored`] gives them, ids in
    /// `dict`.
    pub(crate) fn from_parts(dict: &Arc<Dict>, terms: &[u8], excerpt: &str, made_from: u64) -> Doc {
        Doc {
            dict: Arc::clone(dict),
            terms: terms.into(),
            excerpt: excerpt.into(),
            made_from,
        }
    }

    /// Its terms as stored (see [`Doc::from_parts`]).
    pub(crate) fn stored(&self) -> &[u8] {
        &self.terms
    }

    /// Its terms as stored, shared.
    pub(crate) fn shared_terms(&self) -> Arc<[u8]> {
        Arc::clone(&self.terms)
    }

    /// Whether `terms` are its terms (shared by [`Doc::shared_terms`]).
    pub(crate) fn shares_terms(&self, terms: &Arc<[u8]>) -> bool {
        Arc::ptr_eq(&self.terms, terms)
    }

    /// Its terms: (id, in the title, company or ticker).
    pub(crate) fn terms(&self) -> impl Iterator<Item = (u32, bool)> + '_ {
        stored_terms(&self.terms)
    }
}

/// The terms of a record stored as [`Doc::stored`] gives them: (id, in
/// the title, company or ticker).
pub(crate) fn stored_terms(terms: &[u8]) -> impl Iterator<Item = (u32, bool)> + '_ {
    let mut at = 0;
    let mut v = 0u64;
    std::iter::from_fn(move || {
        v += get_varint(terms, &mut at)?;
        Some(((v >> 1) as u32, v & 1 == 1))
    })
}

/// The hash of what a record of brief `p` is made from: its file's text
/// (`Origin::hash`) and what its company file adds to the page (name,
/// ticker, sector, the period's label).
pub(crate) fn made_from(p: &Page) -> u64 {
    let mut h = crate::hash::Hash::new(p.origin.hash);
    h.str(&p.title);
    if let Some(b) = &p.brief {
        h.str(&b.company.name);
        h.str(b.company.ticker.as_deref().unwrap_or(""));
        h.str(b.company.sector.as_deref().unwrap_or(""));
        h.str(&b.period_label(p.lang));
    }
    h.finish()
}

/// Where a record the last build stored is, for its [`Keeper`] to read
/// back: offset and length.
pub(crate) type Place = (u64, u32);

/// What is kept of one page for the search index.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    /// Its entry in `search-index.json`, once written (kept by `serve`
    /// only: see [`SearchEntries::entry`]).
    pub entry: OnceLock<String>,
    /// Its full-text record, once made (kept by `serve`).
    pub doc: OnceLock<Doc>,
    /// Where the last `build` stored its record, and the dictionary its
    /// ids are in: read back only when the search job needs it.
    pub stored: Option<(Place, Arc<Dict>)>,
}

/// Where a build that stores its records on disk (`build`) hands each
/// record as the search job has it, so that no record need stay in
/// memory for the next build (at 100,000 briefs they are ~63 MB); the
/// incremental room writes them (`incremental::search`).
pub(crate) trait Keeper: Send + Sync + std::fmt::Debug {
    /// The record `doc` of the page from the file `path`.
    fn keep(&self, path: &std::path::Path, doc: &Doc);
    /// Every record is kept: `terms` is the dictionary their ids are in.
    fn finish(&self, terms: &[Arc<str>]);
    /// The record the last build stored at `at`, its term ids in `dict`;
    /// none when it does not read back.
    fn read(&self, at: Place, dict: &Arc<Dict>) -> Option<Doc>;
}

/// What a table keeps for the next build.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keeps {
    /// Nothing: the table is made for one build and dropped after it
    /// (`build --no-cache`, `check`). New records are made for this
    /// build only, not kept in the slots.
    Nothing,
    /// The records, handed to a [`Keeper`] as the search job has them
    /// (`build`, which stores them on disk); the slots keep only those
    /// read back from the last build.
    #[default]
    Records,
    /// The records and the index as it was last written (`serve`, which
    /// keeps the table in memory): see `update`.
    Index,
}

/// Each page's [`Slot`], by page index, and the dictionary new records
/// intern their terms in.
#[derive(Debug, Default)]
pub(crate) struct SearchEntries {
    slots: Vec<Slot>,
    dict: Arc<Dict>,
    keeps: Keeps,
    /// The index as the last build wrote it, when the table keeps it.
    last: Mutex<Option<LastIndex>>,
    /// This build's search job: what the output holds ([`Since`]).
    since: Option<Since>,
    /// Where the records go for the next build, when it stores them.
    keeper: Option<Arc<dyn Keeper>>,
    /// Records made in this build (texts cut into terms).
    made: std::sync::atomic::AtomicUsize,
}

impl SearchEntries {
    /// A table of `slots`, one per page; new records share the
    /// dictionary of the kept ones.
    pub(crate) fn new(slots: Vec<Slot>) -> SearchEntries {
        let dict = slots
            .iter()
            .find_map(|s| match (s.doc.get(), &s.stored) {
                (Some(d), _) => Some(Arc::clone(&d.dict)),
                (None, Some((_, dict))) => Some(Arc::clone(dict)),
                (None, None) => None,
            })
            .unwrap_or_default();
        SearchEntries {
            slots,
            dict,
            ..SearchEntries::default()
        }
    }

    /// Whether new records are kept in the slots (by `serve`); see
    /// [`Keeps`].
    pub(crate) fn keeps_records(&self) -> bool {
        self.keeps == Keeps::Index
    }

    /// Hands the records of this build to `keeper` (see [`Keeper`]).
    pub(crate) fn keep_with(&mut self, keeper: Option<Arc<dyn Keeper>>) {
        self.keeper = keeper;
    }

    /// Notes a record made (a brief's text cut into terms).
    pub(crate) fn note_made(&self) {
        self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many records were made since the last call.
    pub(crate) fn take_texts_cut(&self) -> usize {
        self.made.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    /// Where this build's records go, if anywhere.
    pub(crate) fn keeper(&self) -> Option<&dyn Keeper> {
        self.keeper.as_deref()
    }

    /// Keeps what `keeps` says for the next build (set before anything
    /// asks for an entry: a table that keeps nothing keeps no entries).
    pub(crate) fn keep(&mut self, keeps: Keeps) {
        self.keeps = keeps;
        if keeps != Keeps::Index {
            *self.last.get_mut().unwrap_or_else(|p| p.into_inner()) = None;
        }
    }

    /// What the output holds of the search index this build makes.
    pub(crate) fn expect(&mut self, since: Option<Since>) {
        self.since = since;
    }

    /// The index as the last build wrote it, when the output holds it
    /// still (taken: the search job puts back the one it writes).
    pub(crate) fn take_last(&self) -> Option<LastIndex> {
        let last = self.last.lock().unwrap_or_else(|p| p.into_inner()).take()?;
        let since = self.since?;
        last.describes(since).then_some(last)
    }

    /// Keeps `index`, written by this build, for the next (when the
    /// table keeps the index).
    pub(crate) fn put_last(&self, index: impl FnOnce(Since) -> Option<LastIndex>) {
        if let (Keeps::Index, Some(since)) = (self.keeps, self.since) {
            *self.last.lock().unwrap_or_else(|p| p.into_inner()) = index(since);
        }
    }

    /// Whether the search job keeps what it needs to make a [`LastIndex`].
    pub(crate) fn keeps_index(&self) -> bool {
        self.keeps == Keeps::Index && self.since.is_some()
    }

    /// Puts `slot` in the place of page `i`.
    pub(crate) fn set(&mut self, i: usize, slot: Slot) {
        self.slots[i] = slot;
    }

    /// The slots, to give back to whoever keeps them.
    pub(crate) fn into_slots(self) -> Vec<Slot> {
        self.slots
    }

    /// The entry of page `i`, `p`, in `search-index.json`; none for a
    /// plain page. Kept in its slot only by `serve`, whose next build
    /// asks for them again; a build makes it when it writes the index
    /// (once for both files; the fingerprints hash its fields instead,
    /// `fallback::entry_hash`). At 100,000 briefs the entries are 46 MB,
    /// which a cached `build` held to its end.
    pub(crate) fn entry<'e>(&'e self, i: usize, p: &Page) -> Option<Cow<'e, str>> {
        let slot = self.slots.get(i)?;
        match self.keeps {
            Keeps::Nothing | Keeps::Records => {
                crate::render::search::fallback::entry_of(p).map(Cow::Owned)
            }
            Keeps::Index => {
                crate::render::search::fallback::entry(&slot.entry, p).map(Cow::Borrowed)
            }
        }
    }

    /// The slot of page `i`.
    pub(crate) fn slot(&self, i: usize) -> Option<&Slot> {
        self.slots.get(i)
    }

    /// The dictionary new records intern their terms in.
    pub(crate) fn dict(&self) -> &Arc<Dict> {
        &self.dict
    }

    /// Where the records the last build stored are: `terms` is the
    /// dictionary they were stored with, `places` each page's (page
    /// index, place). The table had none (it was just read from disk);
    /// each is read back when the search job needs it.
    pub(crate) fn restore(&mut self, terms: &[String], places: Vec<(usize, Place)>) {
        let dict = Arc::new(Dict::default());
        let ids = dict.intern(terms.iter().map(String::as_str));
        if ids.iter().enumerate().any(|(k, &id)| id as usize != k) {
            // A term twice: not what was stored.
            return;
        }
        for (i, at) in places {
            if let Some(slot) = self.slots.get_mut(i) {
                slot.stored = Some((at, Arc::clone(&dict)));
            }
        }
        self.dict = dict;
    }

    /// The record the last build stored for page `i`, read back.
    pub(crate) fn stored(&self, i: usize) -> Option<Doc> {
        let (at, dict) = self.slots.get(i)?.stored.as_ref()?;
        self.keeper.as_ref()?.read(*at, dict)
    }
}
