//! A brief as listing pages show it (the home page, its company's pages,
//! each of its tags' pages): its card, made once per build the first time
//! a listing shows it ([`ListedEntries`]), and held from then to the end
//! of the render step.
//!
//! Held for every brief of the site, an entry is kept compact: only what
//! it works out from the brief (period, date, figures), its texts back to
//! back in one string with their ends beside it, instead of eleven to
//! seventeen `String`s; the page's own texts (title, company, ticker,
//! summary) are read from the page when a listing shows it. At 100,000
//! briefs of the bench corpus the entries, as `String`s, were ~0.9 KB a
//! brief (heaptrack, 20,000 briefs: 18.3 MB); with the page's texts in
//! one string, 15.3 MiB at the heap's peak at 30,000 briefs; without
//! them, 10.7 MiB (the heap's peak 78.1 MB -> 72.9 MB).

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
const FIELDS: [&str; 3] = ["period", "date", "date_iso"];

/// Texts per figure: label, value, its change's label and text.
const PER_FIGURE: usize = 4;

/// What every listing page shows of a brief beyond its page's own texts,
/// all in the brief's own language (its period, date, figures and their
/// labels), whatever the listing page's: templates mark the card with
/// `lang` when the two differ.
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

/// A brief as a listing page shows it: its URL from that page, its page,
/// and what every listing shows of it alike.
pub(crate) struct ListedBrief<'p> {
    pub url: String,
    page: &'p Page,
    brief: &'p Brief,
    entry: Arc<ListedEntry>,
}

/// One struct of the entry's fields and the URL, as templates see it:
/// `title`, `url`, `company`, `ticker`, `period`, `date`, `date_iso`,
/// `summary`, `lang` and `figures` (each `{label, value, change}`, the
/// change `{key, label, text, direction}` or none).
impl Serialize for ListedBrief<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, page, company) = (&*self.entry, self.page, &self.brief.company);
        let mut st = s.serialize_struct("ListedBrief", 10)?;
        st.serialize_field("title", &page.title)?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("company", &company.name)?;
        st.serialize_field("ticker", company.ticker.as_deref().unwrap_or(""))?;
        for (k, name) in FIELDS.iter().enumerate() {
            st.serialize_field(name, e.text(k))?;
        }
        st.serialize_field("summary", page.summary.as_deref().unwrap_or(""))?;
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
    pub(crate) fn listed<'p, 'f, E>(
        &self,
        (i, page, brief): (usize, &'p Page, &'p Brief),
        figures: impl FnOnce() -> Result<&'f Figures, E>,
        root: &str,
        strings: &Strings,
    ) -> Result<ListedBrief<'p>, E> {
        let entry = match self.entries[i].get() {
            Some(made) => made,
            None => {
                let made = Arc::new(entry(page, brief, figures()?, strings));
                self.entries[i].get_or_init(|| made)
            }
        };
        Ok(ListedBrief {
            url: format!("{root}{}", encode_path(&page.url)),
            page,
            brief,
            entry: Arc::clone(entry),
        })
    }
}

/// The entry of brief `page`: its first [`FIGURES`] figures with a value,
/// each with its first change.
fn entry(page: &Page, brief: &Brief, figures: &Figures, strings: &Strings) -> ListedEntry {
    let lang = page.lang;
    let mut t = Texts::default();
    t.push(&brief.period_label(lang));
    t.push(&page.date.map(|d| date_text(d, lang)).unwrap_or_default());
    t.push(&page.date.map(|d| d.iso()).unwrap_or_default());
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
