//! The figures store, `figures-<output>.bin` in the cache folder: the
//! briefs' figures, each encoded (postcard) where a [`Stored`] says, read
//! only for the pages a build renders or checks again. It starts with an
//! id, which the memo's pages file names too, so a pages file is never
//! read with another store.

use std::path::Path;
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

/// The store, open: its id and its length when opened.
pub(crate) struct Store {
    pub file: std::fs::File,
    pub id: u64,
    pub len: u64,
}

/// Bytes at the start of the store: its id.
pub(crate) const STORE_HEAD: u64 = 8;

impl Store {
    /// The store at `path`, if it opens and has the id `id`.
    pub(crate) fn open(path: &Path, id: u64) -> Option<Store> {
        let file = std::fs::File::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        let mut head = [0u8; STORE_HEAD as usize];
        read_at(&file, &mut head, 0).ok()?;
        (u64::from_le_bytes(head) == id).then_some(Store { file, id, len })
    }

    /// Whether `at` lies inside the store.
    pub(crate) fn holds(&self, at: Stored) -> bool {
        at.at >= STORE_HEAD && at.at + u64::from(at.len) <= self.len
    }

    /// The bytes stored at `at`.
    pub(crate) fn bytes(&self, at: Stored) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0u8; at.len as usize];
        read_at(&self.file, &mut bytes, at.at)?;
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
