//! A file as last seen: size, modification time and change time. A page
//! kept from the last build is reused only while its file has the stamp
//! it was read at.

use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    len: u64,
    modified: SystemTime,
    /// The inode's change time (seconds, nanoseconds); zero where the
    /// platform has none.
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of the file at `path`, if it can be read.
    pub(crate) fn of(path: &Path) -> Option<Stamp> {
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
