//! The hashes every layer shares: the content hash that fingerprints,
//! the memo and the build cache use to know an input again (XXH3 over
//! length-prefixed parts, gathered and hashed in one go), and FNV-1a for
//! short keys and stable names.

use std::hash::{BuildHasher, Hasher};

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

/// FNV-1a, 64 bits, of `bytes`: stable on every platform and Rust
/// version, unlike `std`'s hasher (asset names are made from it).
pub(crate) fn fnv1a_64(bytes: &[u8]) -> u64 {
    let mut h = Fnv.build_hasher();
    h.write(bytes);
    h.finish()
}

/// FNV-1a (64 bits) for hash maps of short keys (search terms, 2–12
/// bytes): with the standard SipHash, hashing them was a quarter of the
/// time of cutting a brief's text (perf, 10,000 briefs of the bench
/// corpus: 1.9 s of CPU with SipHash).
#[derive(Clone, Copy, Default)]
pub(crate) struct Fnv;

pub(crate) struct FnvHasher(u64);

impl BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}
