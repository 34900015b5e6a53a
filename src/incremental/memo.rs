//! What one build keeps for the next, so that a build reads, parses and
//! validates only the files that changed: the validated pages by file
//! (each with the size and change times it was read at), what the rules
//! across each company's briefs found, and the build cache of the output.
//!
//! `serve` keeps a [`Memo`] in memory between rebuilds. `build` keeps it
//! on disk beside the build cache (see `cache`), as postcard, in two
//! files: `pages-<output>.bin`, one record per page, read in parallel and
//! written again only when a page changed; and `figures-<output>.bin`,
//! the store of the briefs' figures (`model::held`), read only for the
//! pages a build renders or checks again, and appended to (rewritten
//! whole once it is mostly old records). Like the build cache, the stored
//! memo is an optimisation: files that cannot be read, are from another
//! version of tearsheet, do not decode or do not belong together make an
//! empty memo (every page is read), never an error; figures that do not
//! read back as stored (found only when a step asks for them) make the
//! build start again without the memo. A page is reused only when its file has the same size, modification time and change time
//! (which no tool can set back) as when it was read, and the settings it
//! was validated under are the same; its body is read again at render,
//! and a file that reads differently then stops the build (TS0111).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::incremental::cache::{self, Cache};
use crate::model::held::{Held, Stored};
use crate::model::page::Page;

/// What wrote a memo: tearsheet's version and the memo's own format,
/// bumped whenever what a stored page means changes (its fields, or how
/// `doc.hash` is computed: a page reused with a hash computed another way
/// would read as changed during the build, TS0111).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+memo3");

/// A file as last seen: size, modification time and change time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    modified: SystemTime,
    /// The inode's change time (seconds, nanoseconds); zero where the
    /// platform has none.
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of the file at `path`, if it can be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        #[cfg(unix)]
        let changed = {
            use std::os::unix::fs::MetadataExt;
            (m.ctime(), m.ctime_nsec())
        };
        #[cfg(not(unix))]
        let changed = (0, 0);
        Some(Stamp {
            len: m.len(),
            modified: m.modified().ok()?,
            changed,
        })
    }
}

/// What the rules across one company's briefs found: the fingerprint of
/// its briefs and the warnings (the restatement flags are kept on the
/// pages).
pub type CompanyFindings = (u64, Vec<Diagnostic>);

#[derive(Default)]
pub struct Memo {
    /// The settings the pages were validated under (they depend on them).
    pub(crate) settings: u64,
    /// In the order of the last build's files (drafts last when they
    /// were left out).
    pub(crate) pages: Vec<Page>,
    pub(crate) cache: Option<Cache>,
    /// The files the last build found (serve reuses them while its
    /// watcher sees only files changed, none added or removed).
    pub(crate) found: Option<std::sync::Arc<crate::load::walk::Found>>,
    /// What the last build found across all pages (see `whole`).
    pub(crate) whole: Option<std::sync::Arc<crate::incremental::whole::Whole>>,
    /// Per company (by `check::restatement::company_key`).
    pub(crate) findings: HashMap<String, CompanyFindings>,
    /// Per company (by slug): the fingerprint of its briefs when their
    /// sparkline histories (kept on the pages) were found.
    pub(crate) histories: HashMap<String, u64>,
    /// The stored record of each page read from disk (a range of
    /// `file`): written again as it is while the page is not `changed`.
    stored: HashMap<PathBuf, std::ops::Range<usize>>,
    /// The memo file as read.
    file: Vec<u8>,
    /// The store of figures the pages read from disk point into.
    store: Option<Store>,
    /// Whether anything changed since the memo was read from disk.
    changed: bool,
    /// How many pages' figures were read from the store since the last
    /// [`Memo::take_read`].
    read: std::sync::atomic::AtomicUsize,
    /// Whether stored figures did not read back as written.
    damaged: std::sync::atomic::AtomicBool,
}

/// The figures file, open: its name (a number it starts with, which the
/// pages file names too) and its length when opened.
struct Store {
    file: std::fs::File,
    id: u64,
    len: u64,
}

/// Bytes at the start of the figures file: its id.
const STORE_HEAD: u64 = 8;

impl Store {
    fn open(path: &Path, id: u64) -> Option<Store> {
        let file = std::fs::File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = [0u8; STORE_HEAD as usize];
        read_at(&file, &mut head, 0).ok()?;
        (u64::from_le_bytes(head) == id).then_some(Store { file, id, len })
    }

    /// The value stored at `at`, if it reads back as it was written.
    fn read<T: serde::de::DeserializeOwned>(&self, at: Stored) -> Option<T> {
        let mut bytes = vec![0u8; at.len as usize];
        read_at(&self.file, &mut bytes, at.at).ok()?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != at.hash {
            return None;
        }
        postcard::from_bytes(&bytes).ok()
    }
}

fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, at)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            match std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                at + done as u64,
            )? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => done += n,
            }
        }
        Ok(())
    }
}

/// The file as read: a header, then the records it lists, back to back.
#[derive(Deserialize)]
struct Header {
    version: String,
    settings: u64,
    /// The id of the figures file the pages point into.
    store: u64,
    /// Per page: its file and the length of its record.
    pages: Vec<(PathBuf, u32)>,
    findings: Vec<(String, CompanyFindings)>,
    histories: Vec<(String, u64)>,
}

/// [`Header`] as written, borrowing from the memo.
#[derive(Serialize)]
struct HeaderOut<'a> {
    version: &'a str,
    settings: u64,
    store: u64,
    pages: Vec<(&'a PathBuf, u32)>,
    findings: Vec<(&'a String, &'a CompanyFindings)>,
    histories: Vec<(&'a String, &'a u64)>,
}

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
        self.pages.clear();
        self.whole = None;
        self.findings.clear();
        self.histories.clear();
        self.stored.clear();
        self.settings = settings;
        self.changed = true;
    }

    /// The memo `build` kept for `output` (absolute) in the cache folder
    /// `dir` (of the site `root`), with the build cache; empty when there is none or it
    /// cannot be used.
    pub fn load(dir: &Path, root: &Path, output: &Path) -> Memo {
        let mut memo = Memo {
            cache: Some(Cache::load(dir, output)),
            ..Memo::default()
        };
        if let Ok(bytes) = std::fs::read(cache::file(dir, output, "pages", "bin")) {
            let store = cache::file(dir, output, "figures", "bin");
            if let Some(loaded) = Memo::decode(bytes, &store, root) {
                memo = Memo {
                    cache: memo.cache,
                    ..loaded
                };
            }
        }
        memo
    }

    fn decode(file: Vec<u8>, store: &Path, root: &Path) -> Option<Memo> {
        let root: std::sync::Arc<Path> = root.into();
        let (header, rest) = postcard::take_from_bytes::<Header>(&file).ok()?;
        if header.version != VERSION {
            return None;
        }
        let store = Store::open(store, header.store)?;
        let mut at = file.len() - rest.len();
        let mut records = Vec::with_capacity(header.pages.len());
        for (path, len) in header.pages {
            let range = at..at
                .checked_add(len as usize)
                .filter(|&end| end <= file.len())?;
            at = range.end;
            records.push((path, range));
        }
        let in_store = |at: Option<Stored>| {
            at.is_none_or(|at| at.at >= STORE_HEAD && at.at + u64::from(at.len) <= store.len)
        };
        let pages: Vec<Page> = records
            .par_iter()
            .map(|(_, range)| {
                let mut page: Page = postcard::from_bytes(&file[range.clone()]).ok()?;
                page.doc.root = Some(root.clone());
                in_store(figures_at(&page)).then_some(page)
            })
            .collect::<Option<_>>()?;
        Some(Memo {
            settings: header.settings,
            pages,
            cache: None,
            found: None,
            whole: None,
            findings: header.findings.into_iter().collect(),
            histories: header.histories.into_iter().collect(),
            stored: records.into_iter().collect(),
            file,
            store: Some(store),
            changed: false,
            read: Default::default(),
            damaged: Default::default(),
        })
    }

    /// Reads from the store the figures of the briefs in `pages` that
    /// `wanted` marks (by index) and that are not in memory. False when
    /// some do not read back as stored: the memo is then damaged, and the
    /// build must start again without it.
    pub(crate) fn read_figures(&self, pages: &mut [Page], wanted: &[bool]) -> bool {
        let store = self.store.as_ref();
        let all = pages
            .par_iter_mut()
            .zip(wanted)
            .filter_map(|(page, &wanted)| page.brief.as_mut().filter(|_| wanted))
            .filter(|b| !b.figures.is_read())
            .all(|b| {
                let Some(read) = store.zip(b.figures.stored()).and_then(|(s, at)| s.read(at))
                else {
                    return false;
                };
                b.figures.set_read(read);
                self.read.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                true
            });
        if !all {
            self.damaged
                .store(true, std::sync::atomic::Ordering::Relaxed);
        }
        all
    }

    /// Forgets everything but the build cache (the memo is damaged).
    pub(crate) fn start_over(&mut self) {
        let cache = self.cache.take();
        *self = Memo {
            cache,
            changed: true,
            ..Memo::default()
        };
    }

    /// Whether stored figures did not read back (see [`Memo::read_figures`]).
    pub(crate) fn is_damaged(&self) -> bool {
        self.damaged.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// How many pages' figures were read from the store since the last
    /// call.
    pub(crate) fn take_read(&self) -> usize {
        self.read.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    /// Notes that the pages or findings changed (the memo is written).
    pub(crate) fn touch(&mut self) {
        self.changed = true;
    }

    /// Writes the memo for `output` (absolute) into the cache folder of
    /// `dir` when something changed since it was read (atomically: a
    /// reader sees the old or the new file). Failing to write only costs
    /// the next build its reuse.
    pub fn save(&mut self, dir: &Path, output: &Path) -> std::io::Result<()> {
        // Figures held in memory are stored (a page read again, or one
        // whose company's rules found its history anew).
        let unstored = |p: &Page| {
            p.brief
                .as_ref()
                .is_some_and(|b| b.figures.stored().is_none())
        };
        if !self.changed && !self.pages.iter().any(unstored) {
            return Ok(());
        }
        let moved = self.store_figures(dir, &cache::file(dir, output, "figures", "bin"))?;
        let Some(store) = &self.store else {
            return Ok(());
        };
        let (stored, file) = (&self.stored, &self.file);
        let records: Vec<(&PathBuf, std::borrow::Cow<[u8]>)> = self
            .pages
            .par_iter()
            .zip(&moved)
            .map(|(page, &moved)| {
                let path = &page.doc.path;
                let record = match stored.get(path) {
                    Some(range) if !page.changed && !moved => {
                        std::borrow::Cow::Borrowed(&file[range.clone()])
                    }
                    _ => std::borrow::Cow::Owned(
                        postcard::to_allocvec(page).map_err(std::io::Error::other)?,
                    ),
                };
                Ok((path, record))
            })
            .collect::<std::io::Result<_>>()?;
        let header = HeaderOut {
            version: VERSION,
            settings: self.settings,
            store: store.id,
            pages: records
                .iter()
                .map(|(path, record)| (*path, record.len() as u32))
                .collect(),
            findings: in_order(&self.findings),
            histories: in_order(&self.histories),
        };
        let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
        let parts =
            std::iter::once(header.as_slice()).chain(records.iter().map(|(_, r)| r.as_ref()));
        cache::write_atomically(dir, &cache::file(dir, output, "pages", "bin"), parts)?;
        self.changed = false;
        Ok(())
    }

    /// Puts the figures held in memory into the store at `path`: appended
    /// to the store the pages were read with, or, when there is none or
    /// most of it is figures no page points to any more, into a new store
    /// with every page's figures. Returns, by page, whether its figures
    /// moved (its record is written again).
    fn store_figures(&mut self, dir: &Path, path: &Path) -> std::io::Result<Vec<bool>> {
        let encode = |f: &crate::model::page::Figures| {
            postcard::to_allocvec(f).map_err(std::io::Error::other)
        };
        // With a store, the figures held in memory are few (pages read
        // again): encoded first, to choose between appending and anew.
        let mut fresh: Vec<Option<Vec<u8>>> = Vec::new();
        if self.store.is_some() {
            fresh = self
                .pages
                .par_iter()
                .map(|p| match &p.brief.as_ref().map(|b| &b.figures) {
                    Some(Held::Here(f)) => encode(f).map(Some),
                    _ => Ok(None),
                })
                .collect::<std::io::Result<_>>()?;
        }
        let new: u64 = fresh.iter().flatten().map(|b| b.len() as u64).sum();
        let live: u64 = self
            .pages
            .iter()
            .filter_map(figures_at)
            .map(|at| u64::from(at.len))
            .sum();
        let append = self
            .store
            .as_ref()
            .filter(|s| s.len + new <= 2 * (live + new));
        if let Some(store) = append {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
            let mut at = file.metadata()?.len();
            let start = at;
            let mut placed = Vec::new();
            let mut bytes = Vec::with_capacity(new as usize);
            for (i, b) in fresh.iter().enumerate() {
                let Some(b) = b else { continue };
                placed.push((i, stored(at, b)?));
                at += b.len() as u64;
                bytes.extend_from_slice(b);
            }
            file.write_all(&bytes)?;
            let (id, len) = (store.id, start + bytes.len() as u64);
            let mut moved = vec![false; self.pages.len()];
            for (i, at) in placed {
                moved[i] = true;
                if let Some(b) = &mut self.pages[i].brief {
                    b.figures.store_at(at);
                }
            }
            // Reopened so that reads see what was appended.
            self.store = Store::open(path, id).filter(|s| s.len >= len);
            return Ok(moved);
        }
        // A new store: every page's figures, read from the old one or
        // written from memory, a chunk of pages at a time (so that the
        // whole store is never in memory: a clean build writes tens of
        // megabytes of it).
        let old = self.store.take();
        let briefs: Vec<usize> = (0..self.pages.len())
            .filter(|&i| self.pages[i].brief.is_some())
            .collect();
        let id = new_store_id();
        let mut placed = Vec::with_capacity(briefs.len());
        let pages = &self.pages;
        cache::write_atomically_with(dir, path, |out| {
            out.write_all(&id.to_le_bytes())?;
            let mut at = STORE_HEAD;
            for chunk in briefs.chunks(256) {
                let parts: Vec<std::borrow::Cow<[u8]>> = chunk
                    .par_iter()
                    .map(|&i| {
                        if let Some(bytes) = fresh.get(i).and_then(|b| b.as_deref()) {
                            return Ok(bytes.into());
                        }
                        let Some(b) = &pages[i].brief else {
                            return Ok(Vec::new().into());
                        };
                        match (b.figures.value(), b.figures.stored(), &old) {
                            (_, Some(at), Some(store)) => {
                                let mut bytes = vec![0u8; at.len as usize];
                                read_at(&store.file, &mut bytes, at.at)?;
                                Ok(bytes.into())
                            }
                            (Some(f), _, _) => encode(f).map(Into::into),
                            (None, _, _) => Err(std::io::ErrorKind::NotFound.into()),
                        }
                    })
                    .collect::<std::io::Result<_>>()?;
                for (&i, bytes) in chunk.iter().zip(&parts) {
                    placed.push((i, stored(at, bytes)?));
                    at += bytes.len() as u64;
                    out.write_all(bytes)?;
                }
            }
            Ok(())
        })?;
        for (i, at) in placed {
            if let Some(b) = &mut self.pages[i].brief {
                b.figures.store_at(at);
            }
        }
        self.store = Store::open(path, id);
        Ok(vec![true; self.pages.len()])
    }
}

/// Where a page's figures are stored, if they are.
fn figures_at(page: &Page) -> Option<Stored> {
    page.brief.as_ref()?.figures.stored()
}

/// The place of `bytes` written at `at`.
fn stored(at: u64, bytes: &[u8]) -> std::io::Result<Stored> {
    Ok(Stored {
        at,
        len: u32::try_from(bytes.len()).map_err(std::io::Error::other)?,
        hash: xxhash_rust::xxh3::xxh3_64(bytes),
    })
}

/// A number to tell one figures store from another: the time and the
/// process, hashed.
fn new_store_id() -> u64 {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let mut h = crate::hash::Hash::new(now.as_nanos() as u64);
    h.u64(u64::from(std::process::id()));
    h.finish()
}
