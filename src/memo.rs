//! What one build keeps for the next, so that a build reads, parses and
//! validates only the files that changed: the validated pages by file
//! (each with the size and change times it was read at), what the rules
//! across each company's briefs found, and the build cache of the output.
//!
//! `serve` keeps a [`Memo`] in memory between rebuilds. `build` keeps it
//! on disk beside the build cache (`pages-<output>.bin` in
//! `.tearsheet-cache/`, see `cache`), as postcard: one record per page,
//! read in parallel, and written again only when a page changed. Like the
//! build cache, the stored memo is an optimisation: a file that cannot be
//! read, is from another version of tearsheet or does not decode makes an
//! empty memo (every page is read), never an error. A page is reused only
//! when its file has the same size, modification time and change time
//! (which no tool can set back) as when it was read, and the settings it
//! was validated under are the same; its body is read again at render,
//! and a file that reads differently then stops the build (TS0111).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache::{self, Cache};
use crate::diagnostic::Diagnostic;
use crate::model::page::Page;

/// What wrote a memo: tearsheet's version and the memo's own format,
/// bumped whenever what a stored page means changes (its fields, or how
/// `doc.hash` is computed: a page reused with a hash computed another way
/// would read as changed during the build, TS0111).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+memo2");

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
    /// Whether anything changed since the memo was read from disk.
    changed: bool,
}

/// The file as read: a header, then the records it lists, back to back.
#[derive(Deserialize)]
struct Header {
    version: String,
    settings: u64,
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
        self.findings.clear();
        self.histories.clear();
        self.stored.clear();
        self.settings = settings;
        self.changed = true;
    }

    /// The memo `build` kept for `output` (absolute) in the cache folder
    /// of `root`, with the build cache; empty when there is none or it
    /// cannot be used.
    pub fn load(root: &Path, output: &Path) -> Memo {
        let mut memo = Memo {
            cache: Some(Cache::load(root, output)),
            ..Memo::default()
        };
        if let Ok(bytes) = std::fs::read(cache::file(root, output, "pages", "bin")) {
            if let Some(loaded) = Memo::decode(bytes) {
                memo = Memo {
                    cache: memo.cache,
                    ..loaded
                };
            }
        }
        memo
    }

    fn decode(file: Vec<u8>) -> Option<Memo> {
        let (header, rest) = postcard::take_from_bytes::<Header>(&file).ok()?;
        if header.version != VERSION {
            return None;
        }
        let mut at = file.len() - rest.len();
        let mut records = Vec::with_capacity(header.pages.len());
        for (path, len) in header.pages {
            let range = at..at
                .checked_add(len as usize)
                .filter(|&end| end <= file.len())?;
            at = range.end;
            records.push((path, range));
        }
        let pages: Vec<Page> = records
            .par_iter()
            .map(|(_, range)| postcard::from_bytes(&file[range.clone()]).ok())
            .collect::<Option<_>>()?;
        Some(Memo {
            settings: header.settings,
            pages,
            cache: None,
            findings: header.findings.into_iter().collect(),
            histories: header.histories.into_iter().collect(),
            stored: records.into_iter().collect(),
            file,
            changed: false,
        })
    }

    /// Notes that the pages or findings changed (the memo is written).
    pub(crate) fn touch(&mut self) {
        self.changed = true;
    }

    /// Writes the memo for `output` (absolute) into the cache folder of
    /// `root` when something changed since it was read (atomically: a
    /// reader sees the old or the new file). Failing to write only costs
    /// the next build its reuse.
    pub fn save(&mut self, root: &Path, output: &Path) -> std::io::Result<()> {
        if !self.changed {
            return Ok(());
        }
        let (stored, file) = (&self.stored, &self.file);
        let records: Vec<(&PathBuf, std::borrow::Cow<[u8]>)> = self
            .pages
            .par_iter()
            .map(|page| {
                let path = &page.doc.path;
                let record = match stored.get(path) {
                    Some(range) if !page.changed => {
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
        cache::write_atomically(root, &cache::file(root, output, "pages", "bin"), parts)?;
        self.changed = false;
        Ok(())
    }
}
