//! A brief as listing pages show it (the home page, its company's pages,
//! each of its tags' pages): its card, made once per build the first time
//! a listing shows it ([`ListedEntries`]), and held from then to the end
//! of the render step.
//!
//! Held for every brief of the site, an entry is kept compact: its texts
//! back to back in one string with their ends beside it, instead of
//! eleven to seventeen `String`s. At 100,000 briefs of the bench corpus
//! the entries, as `String`s, were ~0.9 KB a brief (heaptrack, 20,000
//! briefs: 18.3 MB); see docs/performance.md for the build's peak memory
//! with this form.

use std::sync::{Arc, OnceLock};

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::model::page::{Brief, Figures, Page};
use crate::model::site_index::encode_path;
use crate::model::strings::Strings;
use crate::render::context::{changes, date_text, Change};
use crate::render::figures;

/// The figures a card shows at most.
const FIGURES: usize = 3;

/// The texts of an entry before its figures', in order.
const FIELDS: [&str; 7] = [
    "title", "company", "ticker", "period", "date", "date_iso", "summary",
];

/// Texts per figure: label, value, its change's label and text.
const PER_FIGURE: usize = 4;

/// What every listing page shows of a brief, all in the brief's own
/// language (its date, figures and their labels), whatever the listing
/// page's: templates mark the card with `lang` when the two differ.
pub(crate) struct ListedEntry {
    /// [`FIELDS`], then [`PER_FIGURE`] texts per figure, back to back.
    texts: Box<str>,
    /// Where each text ends in `texts`.
    ends: Box<[u32]>,
    lang: &'static str,
    /// Per figure: its change's key and direction, when it has one.
    changes: Box<[Option<(&'static str, &'static str)>]>,
}

impl ListedEntry {
    /// Text `k` (see [`ListedEntry::texts`]).
    fn text(&self, k: usize) -> &str {
        let start = match k {
            0 => 0,
            k => self.ends[k - 1] as usize,
        };
        self.texts
            .get(start..self.ends[k] as usize)
            .unwrap_or_default()
    }
}

/// The entry's texts as they are put together.
#[derive(Default)]
struct Texts {
    texts: String,
    ends: Vec<u32>,
}

impl Texts {
    fn push(&mut self, s: &str) {
        self.texts.push_str(s);
        self.ends.push(self.texts.len() as u32);
    }
}

/// A brief as a listing page shows it: its URL from that page, and what
/// every listing shows of it alike.
pub(crate) struct ListedBrief {
    pub url: String,
    pub entry: Arc<ListedEntry>,
}

/// One struct of the entry's fields and the URL, as templates see it:
/// `title`, `url`, `company`, `ticker`, `period`, `date`, `date_iso`,
/// `summary`, `lang` and `figures` (each `{label, value, change}`, the
/// change `{key, label, text, direction}` or none).
impl Serialize for ListedBrief {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = &*self.entry;
        let mut st = s.serialize_struct("ListedBrief", 10)?;
        st.serialize_field("title", e.text(0))?;
        st.serialize_field("url", &self.url)?;
        for (k, name) in FIELDS.iter().enumerate().skip(1) {
            st.serialize_field(name, e.text(k))?;
        }
        st.serialize_field("lang", e.lang)?;
        st.serialize_field("figures", &FiguresOf(e))?;
        st.end()
    }
}

/// An entry's figures, as templates see them.
struct FiguresOf<'e>(&'e ListedEntry);

impl Serialize for FiguresOf<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut seq = s.serialize_seq(Some(e.changes.len()))?;
        for (n, change) in e.changes.iter().enumerate() {
            let at = FIELDS.len() + n * PER_FIGURE;
            seq.serialize_element(&ListedFigure {
                label: e.text(at),
                value: e.text(at + 1),
                change: change.map(|(key, direction)| ChangeOf {
                    key,
                    label: e.text(at + 2),
                    text: e.text(at + 3),
                    direction,
                }),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct ListedFigure<'e> {
    label: &'e str,
    value: &'e str,
    change: Option<ChangeOf<'e>>,
}

/// A [`Change`] as an entry holds it.
#[derive(Serialize)]
struct ChangeOf<'e> {
    key: &'static str,
    label: &'e str,
    text: &'e str,
    direction: &'static str,
}

/// Each brief's [`ListedEntry`], made the first time a listing page
/// shows it: a brief is listed on the home page, its company's page and
/// each of its tags' pages. Made anew for every build (by page index).
pub(crate) struct ListedEntries {
    entries: Vec<OnceLock<Arc<ListedEntry>>>,
}

impl ListedEntries {
    /// For `pages` pages.
    pub(crate) fn new(pages: usize) -> ListedEntries {
        ListedEntries {
            entries: (0..pages).map(|_| OnceLock::new()).collect(),
        }
    }

    /// Those of `pages` whose entry is not made yet.
    pub(crate) fn unmade(&self, pages: &[usize]) -> Vec<usize> {
        pages
            .iter()
            .copied()
            .filter(|&i| self.entries.get(i).is_some_and(|e| e.get().is_none()))
            .collect()
    }

    /// Page `i` (a brief) as listed from a page `root` below the site
    /// root; `strings` are the build's UI strings. Its `figures` are
    /// asked for only when its entry is not made yet.
    pub(crate) fn listed<'f, E>(
        &self,
        (i, page, brief): (usize, &Page, &Brief),
        figures: impl FnOnce() -> Result<&'f Figures, E>,
        root: &str,
        strings: &Strings,
    ) -> Result<ListedBrief, E> {
        let entry = match self.entries[i].get() {
            Some(made) => made,
            None => {
                let made = Arc::new(entry(page, brief, figures()?, strings));
                self.entries[i].get_or_init(|| made)
            }
        };
        Ok(ListedBrief {
            url: format!("{root}{}", encode_path(&page.url)),
            entry: Arc::clone(entry),
        })
    }
}

/// The entry of brief `page`: its first [`FIGURES`] figures with a value,
/// each with its first change.
fn entry(page: &Page, brief: &Brief, figures: &Figures, strings: &Strings) -> ListedEntry {
    let lang = page.lang;
    let mut t = Texts::default();
    t.push(&page.title);
    t.push(&brief.company.name);
    t.push(brief.company.ticker.as_deref().unwrap_or(""));
    t.push(&brief.period_label(lang));
    t.push(&page.date.map(|d| date_text(d, lang)).unwrap_or_default());
    t.push(&page.date.map(|d| d.iso()).unwrap_or_default());
    t.push(page.summary.as_deref().unwrap_or(""));
    let mut kinds = Vec::with_capacity(FIGURES);
    for m in figures
        .metrics
        .iter()
        .filter(|m| m.value.is_some())
        .take(FIGURES)
    {
        t.push(&m.label);
        t.push(&figures::value(m, lang).unwrap_or_default());
        let change: Option<Change> = changes(m, lang, strings).into_iter().next();
        t.push(change.as_ref().map_or("", |c| c.label.as_str()));
        t.push(change.as_ref().map_or("", |c| c.text.as_str()));
        kinds.push(change.map(|c| (c.key, c.direction)));
    }
    ListedEntry {
        texts: t.texts.into_boxed_str(),
        ends: t.ends.into_boxed_slice(),
        lang: lang.code(),
        changes: kinds.into_boxed_slice(),
    }
}
