//! What one build keeps for the next, so that a build reads, parses and
//! validates only the files that changed: the validated pages by file
//! (each with the size and change times it was read at), what the rules
//! across each company's briefs found, and the build cache of the output.
//!
//! `serve` keeps a [`Memo`] in memory between rebuilds. `build` keeps it
//! on disk beside the build cache (see `cache`), as postcard, in two
//! files: `pages-<output>.bin`, one record per page, read in parallel and
//! written again only when a page changed (the others are copied from
//! the file as read, which stays open, not in memory); and
//! `figures-<output>.bin`, the store of the briefs' figures (`store`),
//! read only for the pages a build renders or checks again, and appended
//! to (rewritten whole once it is mostly old records); beside them the
//! search index's records (`search`). Like the build cache, the stored
//! memo is an optimisation: files that cannot be read, are from another
//! version of tearsheet, do not decode or do not belong together make an
//! empty memo (every page is read), never an error; figures that do not
//! read back as stored (found only when a step asks for them) make the
//! build start again without the memo. A page is reused only when its
//! file has the same size, modification time and change time (which no
//! tool can set back) as when it was read, and the settings it
//! was validated under are the same; its body is read again at render,
//! and a file that reads differently then stops the build (TS0111).

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::incremental::cache::{self, Cache};
use crate::incremental::kept::{Kept, Side, Tables};
use crate::incremental::search::Records;
use crate::incremental::store::{self, Store, Stored, STORE_HEAD};
use crate::model::page::{FigureTable, Figures, Page};
use crate::render::search::doc::Keeper;
use crate::render::search::Keeps;

/// The memo's own format, bumped whenever what a stored page means
/// changes (its fields, or how `origin.hash` is computed). A memo is also
/// read only by the tearsheet that wrote it (see `tool`), so a changed
/// tearsheet never reuses it.
const VERSION: &str = "memo14";

/// What the rules across one company's briefs found: the fingerprint of
/// its briefs and the warnings (the restatement flags are kept on the
/// pages).
pub(crate) type CompanyFindings = (u64, Vec<Diagnostic>);

#[derive(Default)]
pub struct Memo {
    /// The tearsheet that read or made it (see `tool`).
    pub(crate) tool: u64,
    /// The settings the pages were validated under (they depend on them).
    pub(crate) settings: u64,
    /// The pages and what is kept beside them, in the order of the last
    /// build's files (drafts in their places).
    pub(crate) tables: Tables,
    pub(crate) cache: Option<Cache>,
    /// The files the last build found (serve reuses them while its
    /// watcher sees only files changed, none added or removed).
    pub(crate) found: Option<std::sync::Arc<crate::load::walk::Found>>,
    /// What the last build found across all pages (see `whole`).
    pub(crate) whole: Option<std::sync::Arc<crate::incremental::whole::Whole>>,
    /// Per company (by `check::restatement::company_key`).
    pub(crate) findings: HashMap<String, CompanyFindings>,
    /// Per company (by slug): the fingerprint of its briefs when their
    /// sparkline histories (kept with the figures) were found.
    pub(crate) histories: HashMap<String, u64>,
    /// The pages file as read, open: a page's record that did not
    /// change (`Side::record` says where it is) is copied from it when
    /// the memo is saved. Holding the file's bytes instead, and a map of
    /// the records' places by path, was ~80 MB of a cached build's peak
    /// at 100,000 briefs.
    file: Option<std::fs::File>,
    /// The store of figures the pages read from disk point into.
    store: Option<Store>,
    /// Where this build's search records go (`build`'s memo only).
    records: Option<Arc<Records>>,
    /// Whether anything changed since the memo was read from disk.
    changed: bool,
    /// Made for one build and dropped after it (`build --no-cache`,
    /// `check`): it keeps no search records (see
    /// `render::search::SearchEntries::for_one_build`).
    pub(crate) once: bool,
    /// Read from disk and written back after the build (`build`), not
    /// kept in memory (`serve`).
    on_disk: bool,
}

/// The file as read: a header, then the records it lists, back to back.
#[derive(Deserialize)]
struct Header {
    version: String,
    /// The tearsheet that wrote it (see `tool`).
    tool: u64,
    settings: u64,
    /// The id of the figures file the pages point into.
    store: u64,
    /// Per page, the length of its record.
    pages: Vec<u32>,
    findings: Vec<(String, CompanyFindings)>,
    histories: Vec<(String, u64)>,
}

/// [`Header`] as written, borrowing from the memo.
#[derive(Serialize)]
struct HeaderOut<'a> {
    version: &'a str,
    tool: u64,
    settings: u64,
    store: u64,
    pages: &'a [u32],
    findings: Vec<(&'a String, &'a CompanyFindings)>,
    histories: Vec<(&'a String, &'a u64)>,
}

/// One page's record: the page and what is kept beside it.
#[derive(Serialize)]
struct RecordOut<'a>(&'a Page, &'a Side);

#[derive(Deserialize)]
struct Record(Page, Side);

/// A map's entries in key order (the file is the same for the same memo).
fn in_order<V>(m: &HashMap<String, V>) -> Vec<(&String, &V)> {
    let mut entries: Vec<(&String, &V)> = m.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

impl Memo {
    /// Whether the next build into `output` can update it in place (the
    /// kept build cache describes it as it is).
    pub fn can_update(&self, output: &Path) -> bool {
        self.cache
            .as_ref()
            .is_some_and(|c| c.describes(&crate::write::absolute(output)))
    }

    /// Forgets every page and finding (the settings they were made under
    /// changed).
    pub(crate) fn reset(&mut self, settings: u64) {
        self.tables = Tables::default();
        self.whole = None;
        self.findings.clear();
        self.histories.clear();
        self.file = None;
        self.settings = settings;
        self.changed = true;
    }

    /// The memo `build` kept for `output` (absolute) in the cache folder
    /// `dir`, with the build cache; empty when there is none, it cannot
    /// be used, or another tearsheet than `tool` wrote it.
    pub fn load(dir: &Path, output: &Path, tool: u64) -> Memo {
        let mut memo = Memo {
            tool,
            cache: Some(Cache::load(dir, output, tool)),
            ..Memo::default()
        };
        let mut records = Records::new(dir, output, tool);
        if let Some(file) = read_whole(&cache::file(dir, output, "pages", "bin")) {
            let store = cache::file(dir, output, "figures", "bin");
            if let Some(loaded) = Memo::decode(file, &store, tool) {
                memo = Memo {
                    cache: memo.cache,
                    ..loaded
                };
                records.load(&mut memo.tables);
            }
        }
        Memo {
            on_disk: true,
            records: Some(Arc::new(records)),
            ..memo
        }
    }

    /// Where the search job hands this build's records: `build`'s memo
    /// writes them to the cache folder as they come.
    pub(crate) fn records(&self) -> Option<Arc<dyn Keeper>> {
        self.records.clone().map(|r| r as Arc<dyn Keeper>)
    }

    /// Removes what this build wrote of its search records and did not
    /// put in place (see `search::Records::discard`).
    pub(crate) fn discard_records(&self) {
        if let Some(records) = &self.records {
            records.discard();
        }
    }

    /// What the search index's table keeps for the next build: nothing
    /// for one build; the records for `build`, which stores them; and
    /// for `serve` also the index as written, which an edit brings up to
    /// date (the memo is in memory).
    pub(crate) fn keeps(&self) -> Keeps {
        match (self.once, self.on_disk) {
            (true, _) => Keeps::Nothing,
            (false, true) => Keeps::Records,
            (false, false) => Keeps::Index,
        }
    }

    /// The memo in the pages file `file` (opened, and its bytes), its
    /// pages pointing into the store at `store`.
    fn decode((file, bytes): (std::fs::File, Vec<u8>), store: &Path, tool: u64) -> Option<Memo> {
        let (header, rest) = postcard::take_from_bytes::<Header>(&bytes).ok()?;
        if header.version != VERSION || header.tool != tool {
            return None;
        }
        let store = Store::open(store, header.store)?;
        let mut at = bytes.len() - rest.len();
        let mut records = Vec::with_capacity(header.pages.len());
        for len in header.pages {
            let range = at..at
                .checked_add(len as usize)
                .filter(|&end| end <= bytes.len())?;
            at = range.end;
            records.push(range);
        }
        let kept: Vec<Kept> = records
            .into_par_iter()
            .map(|range| {
                let Record(page, mut side) = postcard::from_bytes(&bytes[range.clone()]).ok()?;
                let held = |at: Option<Stored>| at.is_none_or(|at| store.holds(at));
                side.record = Some((range.start as u64, range.len() as u32));
                (held(side.stored) && held(side.history_at)).then_some(Kept {
                    page,
                    side,
                    search: Default::default(),
                })
            })
            .collect::<Option<_>>()?;
        Some(Memo {
            tool,
            settings: header.settings,
            tables: Tables::split(kept),
            cache: None,
            found: None,
            whole: None,
            findings: header.findings.into_iter().collect(),
            histories: header.histories.into_iter().collect(),
            file: Some(file),
            store: Some(store),
            records: None,
            changed: false,
            once: false,
            on_disk: true,
        })
    }

    /// The store this build's figures go to: the memo's, else a new one
    /// (in the cache folder, `kept` = `(dir, output)`, when the memo is
    /// kept there; else in the temporary folder). `None` when no store
    /// can be written.
    pub(crate) fn store_for(&mut self, kept: Option<(&Path, &Path)>) -> std::io::Result<&Store> {
        if self.store.is_none() {
            let at = kept.map(|(dir, output)| (dir, cache::file(dir, output, "figures", "bin")));
            let at = at.as_ref().map(|(dir, path)| (*dir, path.as_path()));
            // A cache folder that cannot be written costs only the reuse.
            let store = at
                .and_then(|at| Store::create(Some(at)).ok())
                .map_or_else(|| Store::create(None), Ok)?;
            self.store = Some(store);
            self.changed = true;
        }
        self.store
            .as_ref()
            .ok_or_else(|| std::io::ErrorKind::NotFound.into())
    }

    /// The store, once [`Memo::store_for`] made or found it.
    pub(crate) fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// Reads from the store the figures (with their sparkline histories)
    /// of the briefs `indices` of `tables`, into a table of their own.
    /// `None` when some do not read back as stored: the memo is damaged,
    /// and the build must start afresh without it.
    pub(crate) fn read_figures(&self, tables: &Tables, indices: &[usize]) -> Option<FigureTable> {
        let mut held = Vec::with_capacity(indices.len());
        let store = self.store.as_ref();
        for &i in indices {
            if tables.pages[i].brief.is_none() {
                continue;
            }
            let side = &tables.side[i];
            let store = store?;
            let mut figures: Figures = store.read(side.stored?)?;
            if let Some(at) = side.history_at {
                figures.history = store.read(at)?;
            }
            side.read.store(true, std::sync::atomic::Ordering::Relaxed);
            held.push((i, figures));
        }
        Some(FigureTable::new(held))
    }

    /// An empty memo for one build, dropped after it: it keeps no search
    /// records.
    pub(crate) fn for_one_build() -> Memo {
        Memo {
            once: true,
            ..Memo::default()
        }
    }

    /// Forgets everything but the build cache (the memo is damaged).
    pub(crate) fn start_over(&mut self) {
        let cache = self.cache.take();
        *self = Memo {
            tool: self.tool,
            cache,
            changed: true,
            once: self.once,
            on_disk: self.on_disk,
            ..Memo::default()
        };
    }

    /// Notes that the pages or findings changed (the memo is written).
    pub(crate) fn touch(&mut self) {
        self.changed = true;
    }

    /// Writes the memo for `output` (absolute) into the cache folder
    /// `dir` when something changed since it was read (atomically: a
    /// reader sees the old or the new file). Failing to write only costs
    /// the next build its reuse.
    pub fn save(&mut self, dir: &Path, output: &Path) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let moved = self.store_figures(dir, &cache::file(dir, output, "figures", "bin"))?;
        let Some(store) = &self.store else {
            return Ok(());
        };
        let t = &self.tables;
        // A record that did not change is copied from the file as read;
        // the others are made now.
        let records: Vec<SavedRecord> = t
            .pages
            .par_iter()
            .zip(t.side.par_iter())
            .zip(&moved)
            .map(|((page, side), &moved)| match (side.record, &self.file) {
                (Some((at, len)), Some(_)) if !side.changed && !moved => {
                    Ok(SavedRecord::Kept(at, len))
                }
                _ => postcard::to_allocvec(&RecordOut(page, side))
                    .map(SavedRecord::Made)
                    .map_err(std::io::Error::other),
            })
            .collect::<std::io::Result<_>>()?;
        let lens: Vec<u32> = records.iter().map(SavedRecord::len).collect();
        let header = HeaderOut {
            version: VERSION,
            tool: self.tool,
            settings: self.settings,
            store: store.id,
            pages: &lens,
            findings: in_order(&self.findings),
            histories: in_order(&self.histories),
        };
        let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
        let path = cache::file(dir, output, "pages", "bin");
        cache::write_atomically_with(dir, &path, |out| {
            out.write_all(&header)?;
            write_records(&records, self.file.as_ref(), out)
        })?;
        // The records made (40 MB at 100,000 briefs in a first build) go
        // before the search records are written.
        drop(records);
        // The file just written is the one the records are now in.
        self.file = std::fs::File::open(&path).ok();
        let mut at = header.len() as u64;
        for (side, len) in self.tables.side.iter_mut().zip(lens) {
            side.record = Some((at, len));
            at += u64::from(len);
        }
        if let Some(records) = &self.records {
            records.commit()?;
        }
        self.changed = false;
        Ok(())
    }

    /// Makes sure the store the pages point into is the file `path` and
    /// not mostly figures no page points to any more: else writes a new
    /// store there with every page's figures and histories. Returns, by
    /// page, whether its figures moved (its record is written again).
    fn store_figures(&mut self, dir: &Path, path: &Path) -> std::io::Result<Vec<bool>> {
        let t = &self.tables;
        let live: u64 = t
            .side
            .iter()
            .flat_map(|s| [s.stored, s.history_at])
            .flatten()
            .map(|at| u64::from(at.len))
            .sum();
        let kept = self.store.as_ref().is_some_and(|s| {
            s.kept_at.as_deref() == Some(path) && !s.spilled() && s.len() <= 2 * live + STORE_HEAD
        });
        match kept {
            true => Ok(vec![false; t.len()]),
            false => self.store_anew(dir, path),
        }
    }

    /// A new store at `path`: every page's figures and histories, copied
    /// from the store they are in a chunk of pages at a time (so that the
    /// whole store is never in memory).
    fn store_anew(&mut self, dir: &Path, path: &Path) -> std::io::Result<Vec<bool>> {
        let Some(old) = self.store.take() else {
            return Ok(vec![false; self.tables.len()]);
        };
        let id = store::new_id();
        let side = &self.tables.side;
        let records: Vec<(usize, bool, Stored)> = side
            .iter()
            .enumerate()
            .flat_map(|(i, s)| {
                let figures = s.stored.map(|at| (i, false, at));
                figures
                    .into_iter()
                    .chain(s.history_at.map(|at| (i, true, at)))
            })
            .collect();
        let mut placed = Vec::with_capacity(records.len());
        cache::write_atomically_with(dir, path, |out| {
            out.write_all(&id.to_le_bytes())?;
            let mut at = STORE_HEAD;
            for chunk in records.chunks(512) {
                let parts: Vec<Vec<u8>> = chunk
                    .par_iter()
                    .map(|&(_, _, from)| old.bytes(from))
                    .collect::<std::io::Result<_>>()?;
                for (&(i, history, _), bytes) in chunk.iter().zip(&parts) {
                    placed.push((i, history, Stored::of(at, bytes)?));
                    at += bytes.len() as u64;
                    out.write_all(bytes)?;
                }
            }
            Ok(())
        })?;
        let side = &mut self.tables.side;
        for (i, history, at) in placed {
            match history {
                true => side[i].history_at = Some(at),
                false => side[i].stored = Some(at),
            }
        }
        self.store = Store::open(path, id);
        Ok(vec![true; self.tables.len()])
    }
}

/// A page's record as the memo is saved: where it is in the file as
/// read (unchanged), or made now.
enum SavedRecord {
    Kept(u64, u32),
    Made(Vec<u8>),
}

impl SavedRecord {
    fn len(&self) -> u32 {
        match self {
            SavedRecord::Kept(_, len) => *len,
            // A record is a page's titles and tags: far under 4 GB.
            SavedRecord::Made(bytes) => bytes.len() as u32,
        }
    }
}

/// Writes `records` to `out`, those kept copied from `file` (the pages
/// file as read) a run of neighbours at a time: after a one-file edit,
/// most records are one run.
fn write_records(
    records: &[SavedRecord],
    file: Option<&std::fs::File>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut run: Option<(u64, u64)> = None;
    let mut block = Vec::new();
    let mut copy = |run: Option<(u64, u64)>, out: &mut dyn std::io::Write| match (run, file) {
        (Some((from, to)), Some(file)) => {
            for start in (from..to).step_by(1 << 20) {
                block.resize((to - start).min(1 << 20) as usize, 0);
                store::read_at(file, &mut block, start)?;
                out.write_all(&block)?;
            }
            Ok(())
        }
        (None, _) => Ok(()),
        (Some(_), None) => Err(std::io::ErrorKind::NotFound.into()),
    };
    for record in records {
        match record {
            SavedRecord::Kept(at, len) => match run {
                Some((from, to)) if to == *at => run = Some((from, to + u64::from(*len))),
                _ => {
                    copy(run.take(), out)?;
                    run = Some((*at, at + u64::from(*len)));
                }
            },
            SavedRecord::Made(bytes) => {
                copy(run.take(), out)?;
                out.write_all(bytes)?;
            }
        }
    }
    copy(run, out)
}

/// The file at `path`, open, and its bytes.
fn read_whole(path: &Path) -> Option<(std::fs::File, Vec<u8>)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some((file, bytes))
}
