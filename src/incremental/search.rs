//! The search index's records (`render::search::doc`) kept on disk for
//! `build`, beside the memo: `search-<output>.bin`, each brief's record
//! (its file, its terms as ids, its excerpt, what it was made from) and
//! then the dictionary's terms once. Without it a one-edit `build` would
//! read and cut every brief's text again to remake the index (measured
//! at 10,000 briefs: ~1.5 s of CPU, against ~10 ms to read this file);
//! `serve` keeps the records in memory instead. The search job hands
//! each record to [`Records`] as it has it, which writes it to a file of
//! its own at once, so that no record stays in memory for the next build
//! (they were ~63 MB at 100,000 briefs, held to the end of a first
//! cached build); the file takes the place of the last when the memo is
//! saved. A file that cannot be read, is from another tearsheet or does
//! not decode is no records (each is made again), never an error.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use crate::incremental::kept::Tables;
use crate::incremental::{cache, store};
use crate::render::search::doc::{Dict, Doc, Keeper, Place};

/// The file's own format: a header (this, the tearsheet), the records
/// (each its length, 4 bytes, and itself), the terms, and where the
/// terms start (8 bytes).
const VERSION: &str = "search2";

/// This build's records, written as the search job hands them (see the
/// module's doc).
#[derive(Debug)]
pub(crate) struct Records {
    /// The cache folder and the file the records are kept in there.
    dir: PathBuf,
    path: PathBuf,
    tool: u64,
    writing: Mutex<Writing>,
    /// The last build's file, open: its records are read back one at a
    /// time as the search job needs them (held in memory from the start
    /// of a build they were ~63 MB at 100,000 briefs, read from a 66 MB
    /// buffer).
    last: Option<std::fs::File>,
}

/// A file being written: where, the file, and how many bytes so far.
type Open = (PathBuf, std::io::BufWriter<std::fs::File>, u64);

#[derive(Debug, Default)]
struct Writing {
    /// The file being written (in the cache folder, or in the temporary
    /// folder when there is none yet) and how far; none before the first
    /// record, and none after a write failed.
    file: Option<Open>,
    failed: bool,
    /// Every record and the terms are written.
    finished: bool,
}

impl Records {
    /// The records of a build into `output`, to be kept in the cache
    /// folder `dir`.
    pub(crate) fn new(dir: &Path, output: &Path, tool: u64) -> Records {
        Records {
            dir: dir.to_path_buf(),
            path: cache::file(dir, output, "search", "bin"),
            tool,
            writing: Mutex::default(),
            last: None,
        }
    }

    /// Finds the records the last build kept, and tells the slots of the
    /// pages of `tables` where theirs are: the file is read through once,
    /// a record at a time, and stays open.
    pub(crate) fn load(&mut self, tables: &mut Tables) {
        let Ok(file) = std::fs::File::open(&self.path) else {
            return;
        };
        let Some((terms, places)) = places(&file, self.tool) else {
            return;
        };
        let at: std::collections::HashMap<&Path, usize> = tables
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.origin.path.as_path(), i))
            .collect();
        let places = places
            .into_iter()
            .filter_map(|(path, place)| Some((*at.get(path.as_path())?, place)))
            .collect();
        tables.search.restore(&terms, places);
        self.last = Some(file);
    }

    /// Puts the records written in this build in the place of the last
    /// build's; nothing when the search job did not run (the last
    /// build's records are still those of the site).
    pub(crate) fn commit(&self) -> std::io::Result<()> {
        let mut w = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        if !w.finished {
            return Ok(());
        }
        let Some((at, file, _)) = w.file.take() else {
            return Ok(());
        };
        drop(file);
        self.sweep();
        if std::fs::rename(&at, &self.path).is_ok() {
            return Ok(());
        }
        // From the temporary folder (a first build), which may be on
        // another file system: copied beside the file, then renamed.
        let mut beside = self.path.as_os_str().to_owned();
        beside.push(format!(".{}", std::process::id()));
        let copied = std::fs::copy(&at, &beside).and_then(|_| std::fs::rename(&beside, &self.path));
        if copied.is_err() {
            let _ = std::fs::remove_file(&beside);
        }
        let _ = std::fs::remove_file(&at);
        copied
    }

    /// Removes the part files that builds killed before they could
    /// remove their own left in the cache folder (`search-<pid>-<id>.bin.part`,
    /// 66 MB each at 100,000 briefs), those of processes no longer running.
    fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let pid = name
                .to_str()
                .and_then(|n| n.strip_prefix("search-")?.strip_suffix(".bin.part"))
                .and_then(|own| own.split('-').next()?.parse::<u32>().ok());
            match pid {
                Some(pid) if pid != std::process::id() && !crate::write::running(pid) => {
                    let _ = std::fs::remove_file(entry.path());
                }
                _ => {}
            }
        }
    }

    /// Removes the file of a build whose records were not put in place
    /// (it failed, or kept nothing new): the process may end before the
    /// last holder lets go of them.
    pub(crate) fn discard(&self) {
        let mut w = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, _, _)) = w.file.take() {
            let _ = std::fs::remove_file(at);
        }
    }

    /// The file being written, opened with its header on first use.
    fn open<'w>(&self, w: &'w mut Writing) -> std::io::Result<&'w mut Open> {
        match &mut w.file {
            Some(open) => Ok(open),
            none => Ok(none.insert(self.create()?)),
        }
    }

    /// A new file for this build's records, with its header.
    fn create(&self) -> std::io::Result<Open> {
        // A name of this build's own (tests build many sites at once).
        let own = format!("{}-{:016x}", std::process::id(), store::new_id());
        let at = match self.dir.is_dir() {
            true => self.dir.join(format!("search-{own}.bin.part")),
            false => std::env::temp_dir().join(format!("tearsheet-search-{own}.bin")),
        };
        let head = postcard::to_allocvec(&(VERSION, self.tool)).map_err(std::io::Error::other)?;
        let mut file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&at)?);
        if let Err(e) = file.write_all(&head) {
            let _ = std::fs::remove_file(&at);
            return Err(e);
        }
        Ok((at, file, head.len() as u64))
    }

    /// Runs `write` on the file, unless a write failed; a failure stops
    /// the writing and removes the file (the next build makes every
    /// record again).
    fn write(
        &self,
        write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>, &mut u64) -> std::io::Result<()>,
    ) -> bool {
        let mut w = self.writing.lock().unwrap_or_else(|p| p.into_inner());
        if w.failed || w.finished {
            return false;
        }
        let done = self.open(&mut w).and_then(|(_, file, at)| write(file, at));
        if done.is_err() {
            w.failed = true;
            if let Some((at, _, _)) = w.file.take() {
                let _ = std::fs::remove_file(at);
            }
        }
        done.is_ok()
    }
}

impl Keeper for Records {
    fn keep(&self, path: &Path, doc: &Doc) {
        self.write(|file, at| {
            let record = (path, doc.stored(), &*doc.excerpt, doc.made_from);
            let bytes = postcard::to_allocvec(&record).map_err(std::io::Error::other)?;
            file.write_all(&(bytes.len() as u32).to_le_bytes())?;
            file.write_all(&bytes)?;
            *at += 4 + bytes.len() as u64;
            Ok(())
        });
    }

    fn read(&self, (at, len): Place, dict: &Arc<Dict>) -> Option<Doc> {
        let mut bytes = vec![0u8; len as usize];
        store::read_at(self.last.as_ref()?, &mut bytes, at).ok()?;
        let (_, terms, excerpt, made): RecordIn = postcard::from_bytes(&bytes).ok()?;
        Some(Doc::from_parts(dict, terms, excerpt, made))
    }

    fn finish(&self, terms: &[Arc<str>]) {
        let written = self.write(|file, at| {
            let terms: Vec<&str> = terms.iter().map(|t| &**t).collect();
            let bytes = postcard::to_allocvec(&terms).map_err(std::io::Error::other)?;
            file.write_all(&bytes)?;
            file.write_all(&at.to_le_bytes())?;
            file.flush()
        });
        if written {
            self.writing
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .finished = true;
        }
    }
}

impl Drop for Records {
    /// A file not put in place is removed.
    fn drop(&mut self) {
        self.discard();
    }
}

/// Where the record of a page's file is.
type Stored = (PathBuf, Place);

/// A record as read: its file, terms, excerpt and what it was made from.
type RecordIn<'a> = (&'a str, &'a [u8], &'a str, u64);

/// The terms of the file `file` and the place of each record by its
/// page's file, when it is one of this tearsheet's (`tool`); read
/// through once, a record at a time.
fn places(file: &std::fs::File, tool: u64) -> Option<(Vec<String>, Vec<Stored>)> {
    use std::io::{BufReader, Read, Seek, SeekFrom};
    let len = file.metadata().ok()?.len();
    let mut head = vec![0u8; len.min(64) as usize];
    store::read_at(file, &mut head, 0).ok()?;
    let ((version, by), rest) = postcard::take_from_bytes::<(&str, u64)>(&head).ok()?;
    if version != VERSION || by != tool {
        return None;
    }
    let start = (head.len() - rest.len()) as u64;
    let mut tail = [0u8; 8];
    store::read_at(file, &mut tail, len.checked_sub(8)?).ok()?;
    let terms_at = u64::from_le_bytes(tail);
    let mut terms = vec![0u8; len.checked_sub(8)?.checked_sub(terms_at)? as usize];
    store::read_at(file, &mut terms, terms_at).ok()?;
    let terms: Vec<String> = postcard::from_bytes(&terms).ok()?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    reader.seek(SeekFrom::Start(start)).ok()?;
    let (mut at, mut record, mut places) = (start, Vec::new(), Vec::new());
    while at < terms_at {
        let mut n = [0u8; 4];
        reader.read_exact(&mut n).ok()?;
        record.resize(u32::from_le_bytes(n) as usize, 0);
        reader.read_exact(&mut record).ok()?;
        let (path, _) = postcard::take_from_bytes::<&str>(&record).ok()?;
        places.push((PathBuf::from(path), (at + 4, record.len() as u32)));
        at += 4 + record.len() as u64;
    }
    (at == terms_at).then_some((terms, places))
}
