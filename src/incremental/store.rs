//! The figures store, `figures-<output>.bin` in the cache folder (or a
//! file of the process in the temporary folder when nothing is kept for
//! the next build): the briefs' figures and sparkline histories, each
//! encoded (postcard) where a [`Stored`] says. A brief's figures are
//! appended as soon as it is validated and leave memory; the steps that
//! check across a company's briefs or render a job read back those they
//! need, and drop them when done, so a build holds the figures of a few
//! pages at a time, not of the site (100,000 briefs: 1.9 GB peak with
//! every brief's figures in memory). It starts with an id, which the
//! memo's pages file names too, so a pages file is never read with
//! another store.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

/// Where a value is in the store: its bytes and their hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stored {
    pub at: u64,
    pub len: u32,
    pub hash: u64,
}

impl Stored {
    /// The place of `bytes` written at `at`.
    pub(crate) fn of(at: u64, bytes: &[u8]) -> std::io::Result<Stored> {
        Ok(Stored {
            at,
            len: u32::try_from(bytes.len()).map_err(std::io::Error::other)?,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        })
    }
}

/// The store, open for reading and appending: its id, and where the
/// next value goes. Values are appended while a build validates (from
/// every thread: each takes its place with one atomic add, then writes
/// there), so a brief's figures leave memory as soon as it is checked
/// alone, and are read back by the steps that show or check them.
pub(crate) struct Store {
    /// None when no file could be made: every value is then kept in
    /// `spilled`.
    pub file: Option<std::fs::File>,
    pub id: u64,
    /// Values that could not be written to the file (no file, or a full
    /// disk), encoded, in memory: at [`IN_MEMORY`] and above. A store
    /// holding any is never kept for the next build as it is.
    spilled: std::sync::RwLock<Vec<u8>>,
    end: AtomicU64,
    /// The file in the cache folder, for a store kept for the next build.
    pub kept_at: Option<PathBuf>,
    /// A store of one process (no memo on disk), removed when dropped.
    temporary: Option<PathBuf>,
}

/// Bytes at the start of the store: its id.
pub(crate) const STORE_HEAD: u64 = 8;

/// Where values kept in memory start (beyond any file).
const IN_MEMORY: u64 = 1 << 62;

impl Store {
    /// The store at `path`, if it opens and has the id `id`; opened for
    /// appending when it may be written, else for reading only.
    pub(crate) fn open(path: &Path, id: u64) -> Option<Store> {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .or_else(|_| std::fs::File::open(path))
            .ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = [0u8; STORE_HEAD as usize];
        read_at(&file, &mut head, 0).ok()?;
        (u64::from_le_bytes(head) == id).then_some(Store {
            file: Some(file),
            spilled: Default::default(),
            id,
            end: AtomicU64::new(len),
            kept_at: Some(path.to_path_buf()),
            temporary: None,
        })
    }

    /// A new, empty store: at `path` in the cache folder `dir` (the
    /// memo's, kept for the next build), or, without one, a file of this
    /// process in the system's temporary folder, removed when dropped;
    /// failing that, in memory.
    pub(crate) fn create(at: Option<(&Path, &Path)>) -> std::io::Result<Store> {
        let id = new_id();
        let Some((dir, path)) = at else {
            return Ok(Store::temporary(id).unwrap_or_else(|| Store {
                file: None,
                id,
                spilled: Default::default(),
                end: AtomicU64::new(STORE_HEAD),
                kept_at: None,
                temporary: None,
            }));
        };
        crate::incremental::cache::write_atomically(dir, path, [&id.to_le_bytes()[..]])?;
        Store::open(path, id).ok_or_else(|| std::io::ErrorKind::InvalidData.into())
    }

    /// A store in the temporary folder.
    fn temporary(id: u64) -> Option<Store> {
        let path = std::env::temp_dir().join(format!(
            "tearsheet-figures-{}-{id:016x}.bin",
            std::process::id()
        ));
        let opened = std::fs::write(&path, id.to_le_bytes())
            .ok()
            .and_then(|()| Store::open(&path, id));
        let Some(mut store) = opened else {
            let _ = std::fs::remove_file(&path);
            return None;
        };
        store.kept_at = None;
        // Unix keeps an open file that has no name: nothing is left
        // behind, however the process ends.
        match cfg!(unix) && std::fs::remove_file(&path).is_ok() {
            true => {}
            false => store.temporary = Some(path),
        }
        Some(store)
    }

    /// The store's length in bytes (what was appended included).
    pub(crate) fn len(&self) -> u64 {
        self.end.load(Ordering::Acquire)
    }

    /// Whether `at` lies inside the store's file.
    pub(crate) fn holds(&self, at: Stored) -> bool {
        at.at >= STORE_HEAD && at.at + u64::from(at.len) <= self.len()
    }

    /// Whether some values are kept in memory, not in the file.
    pub(crate) fn spilled(&self) -> bool {
        self.spilled.read().is_ok_and(|s| !s.is_empty())
    }

    /// Appends `bytes`, and returns where they are: in the file, or in
    /// memory when it cannot be written (a full disk costs memory, not
    /// the build).
    pub(crate) fn append(&self, bytes: &[u8]) -> std::io::Result<Stored> {
        if let Some(file) = &self.file {
            let at = self.end.fetch_add(bytes.len() as u64, Ordering::AcqRel);
            if write_at(file, bytes, at).is_ok() {
                return Stored::of(at, bytes);
            }
        }
        let mut spilled = self
            .spilled
            .write()
            .map_err(|_| std::io::ErrorKind::Other)?;
        let at = IN_MEMORY + spilled.len() as u64;
        spilled.extend_from_slice(bytes);
        Stored::of(at, bytes)
    }

    /// Appends `value`, encoded, and returns where it is.
    pub(crate) fn put<T: Serialize>(&self, value: &T) -> std::io::Result<Stored> {
        let bytes = postcard::to_allocvec(value).map_err(std::io::Error::other)?;
        self.append(&bytes)
    }

    /// The bytes stored at `at`.
    pub(crate) fn bytes(&self, at: Stored) -> std::io::Result<Vec<u8>> {
        if let Some(from) = at.at.checked_sub(IN_MEMORY) {
            let spilled = self.spilled.read().map_err(|_| std::io::ErrorKind::Other)?;
            let from = usize::try_from(from).map_err(std::io::Error::other)?;
            return spilled
                .get(from..from + at.len as usize)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into());
        }
        let mut bytes = vec![0u8; at.len as usize];
        let file = self.file.as_ref().ok_or(std::io::ErrorKind::NotFound)?;
        read_at(file, &mut bytes, at.at)?;
        Ok(bytes)
    }

    /// The value stored at `at`, if it reads back as it was written.
    pub(crate) fn read<T: serde::de::DeserializeOwned>(&self, at: Stored) -> Option<T> {
        let bytes = self.bytes(at).ok()?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != at.hash {
            return None;
        }
        postcard::from_bytes(&bytes).ok()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(path) = &self.temporary {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn write_at(file: &std::fs::File, buf: &[u8], at: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, buf, at)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            match std::os::windows::fs::FileExt::seek_write(file, &buf[done..], at + done as u64)? {
                0 => return Err(std::io::ErrorKind::WriteZero.into()),
                n => done += n,
            }
        }
        Ok(())
    }
}

pub(crate) fn read_at(file: &std::fs::File, buf: &mut [u8], at: u64) -> std::io::Result<()> {
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

/// A number to tell one store from another: the time and the process,
/// hashed.
pub(crate) fn new_id() -> u64 {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    let mut h = crate::hash::Hash::new(now.as_nanos() as u64);
    h.u64(u64::from(std::process::id()));
    h.finish()
}
