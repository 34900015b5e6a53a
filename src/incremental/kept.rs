//! What the incremental room keeps of each page, beside the page: the
//! stamp its file was read at, where its figures are stored, the hash of
//! its sparkline histories and of the company file it joins, whether it
//! changed in this build, and its shape. A build works on [`Tables`] —
//! the pages and, by the same index, these side tables; the briefs'
//! figures are not among them but in the store (`store`), read back a
//! few at a time — which the memo
//! keeps as they are between builds; one [`Kept`] per page is the form
//! for reading the memo from disk and for moving pages about (files added
//! or removed, drafts left out), which a one-file edit never needs.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::incremental::stamp::Stamp;
use crate::incremental::store::Stored;
use crate::model::page::Page;
use crate::render::search::{SearchEntries, Slot};

/// What the room knows of one page.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Side {
    /// The file's stamp when it was read.
    pub stamp: Option<Stamp>,
    /// Where the brief's figures are in the build's store, once stored.
    pub stored: Option<Stored>,
    /// Where its sparkline histories are in the store (none while it has
    /// none): kept apart from the figures, which the rules across its
    /// company's briefs do not change.
    pub history_at: Option<Stored>,
    /// The hash of the company file its brief joins (0 for none): the
    /// page is validated again when it changes.
    pub company: u64,
    /// The hash of its figures' sparkline histories
    /// (`fingerprint::history`), so fingerprints need not read them.
    pub history: u64,
    /// Whether the page, or what the rules across its company's briefs
    /// found for it, changed in this build (it was read, or its company
    /// was checked again); a page reused as it was is not.
    #[serde(skip)]
    pub changed: bool,
    /// Whether its figures were read from the store in this build (see
    /// [`Tables::take_read`]).
    #[serde(skip)]
    pub read: std::sync::atomic::AtomicBool,
    /// Where its record is in the memo's pages file as read (offset and
    /// length), when it was read from one: copied from there when the
    /// memo is saved, unless the page changed.
    #[serde(skip)]
    pub record: Option<(u64, u32)>,
    /// Where the page sits (see `whole::page_shape`), once found.
    #[serde(skip)]
    pub shape: OnceLock<u64>,
}

/// One page as kept between builds.
#[derive(Debug)]
pub(crate) struct Kept {
    pub page: Page,
    pub side: Side,
    /// What the search index holds of it, once made.
    pub search: Slot,
}

impl Kept {
    /// A page validated now (its file stamped `stamp`; its figures, if
    /// a brief, `stored`).
    pub(crate) fn fresh(page: Page, stored: Option<Stored>, stamp: Option<Stamp>) -> Kept {
        Kept {
            page,
            side: Side {
                stamp,
                stored,
                changed: true,
                ..Side::default()
            },
            search: Slot::default(),
        }
    }
}

/// The pages of a build and, by the same index, what is kept beside them.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub pages: Vec<Page>,
    pub side: Vec<Side>,
    pub search: SearchEntries,
}

impl Tables {
    /// The tables of `kept`, in its order.
    pub(crate) fn split(kept: Vec<Kept>) -> Tables {
        let n = kept.len();
        let (mut pages, mut side, mut search) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for k in kept {
            pages.push(k.page);
            side.push(k.side);
            search.push(k.search);
        }
        Tables {
            pages,
            side,
            search: SearchEntries::new(search),
        }
    }

    /// How many pages.
    pub(crate) fn len(&self) -> usize {
        self.pages.len()
    }

    /// Puts `kept` in the place of page `i`.
    pub(crate) fn set(&mut self, i: usize, kept: Kept) {
        self.pages[i] = kept.page;
        self.side[i] = kept.side;
        self.search.set(i, kept.search);
    }

    /// One [`Kept`] per page, in order.
    pub(crate) fn join(self) -> Vec<Kept> {
        self.pages
            .into_iter()
            .zip(self.side)
            .zip(self.search.into_slots())
            .map(|((page, side), search)| Kept { page, side, search })
            .collect()
    }

    /// How many briefs' figures were read from the store since the last
    /// call (each counted once, however often it was read).
    pub(crate) fn take_read(&self) -> usize {
        use std::sync::atomic::Ordering::Relaxed;
        self.side
            .iter()
            .filter(|s| s.read.swap(false, Relaxed))
            .count()
    }

    /// By page, the hash of the company file its brief joins (0: none).
    pub(crate) fn company_files(&self) -> Vec<u64> {
        self.side.iter().map(|s| s.company).collect()
    }

    /// By page, the hash of what it shows beyond its own text: its
    /// sparkline histories and the company file its brief joins.
    pub(crate) fn extras(&self) -> Vec<u64> {
        self.side
            .iter()
            .map(|s| s.history ^ s.company.rotate_left(17))
            .collect()
    }
}
