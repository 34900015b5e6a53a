//! The content hash every layer shares: what fingerprints, the memo and
//! the build cache use to know an input again. XXH3 over length-prefixed
//! parts, gathered and hashed in one go.

use xxhash_rust::xxh3::xxh3_64;

/// A hash for fingerprints: XXH3, with every string length-prefixed so
/// that ("ab", "c") and ("a", "bc") differ. The input is gathered and
/// hashed in one go at `finish` (most inputs are many short pieces, which
/// XXH3's streaming form handles slowly).
pub(crate) struct Hash(Vec<u8>);

impl Hash {
    pub(crate) fn new(seed: u64) -> Hash {
        let mut h = Hash(Vec::with_capacity(256));
        h.u64(seed);
        h
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn finish(&self) -> u64 {
        xxh3_64(&self.0)
    }
}
