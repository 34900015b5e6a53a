//! Lists of document ids as the shard files hold them, and the varints
//! they are made of. A list is written the smaller of two ways: ascending
//! ids as LEB128 varints of their gaps (1 byte per id for a word in most
//! briefs), or a bitmap over every document (`ceil(docs / 8)` bytes: at
//! 100,000 briefs no list, however common its word, passes 12.5 KB).
//!
//! A list: varint `count << 1 | kind` (kind 0: gaps, kind 1: bitmap),
//! then `count` gap varints (the first from 0) or the bitmap's bytes
//! (bit `i % 8` of byte `i / 8` set for id `i`).

/// Appends `v` as a LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*at`, moving past it; none past the end.
pub(crate) fn get_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at)?;
        *at += 1;
        v |= u64::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// A list being made, ids appended in ascending order: gaps as varints.
#[derive(Debug, Default)]
pub(crate) struct Gaps {
    bytes: Vec<u8>,
    count: u32,
    last: u32,
}

impl Gaps {
    /// Adds `id` (greater than any before it; a repeat is ignored).
    pub(crate) fn push(&mut self, id: u32) {
        if self.count > 0 && id <= self.last {
            return;
        }
        let gap = if self.count == 0 { id } else { id - self.last };
        put_varint(&mut self.bytes, u64::from(gap));
        self.count += 1;
        self.last = id;
    }

    /// How many ids it holds.
    pub(crate) fn count(&self) -> u32 {
        self.count
    }

    /// The ids, in order.
    pub(crate) fn ids(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = 0;
        let mut id = 0u32;
        let mut first = true;
        std::iter::from_fn(move || {
            let gap = get_varint(&self.bytes, &mut at)? as u32;
            id = if first { gap } else { id + gap };
            first = false;
            Some(id)
        })
    }

    /// The bytes [`Gaps::write`] appends for a site of `docs`.
    pub(crate) fn encoded_len(&self, docs: u32) -> u64 {
        let body = (docs.div_ceil(8) as usize).min(self.bytes.len());
        let mut head = Vec::new();
        put_varint(&mut head, u64::from(self.count) << 1);
        (head.len() + body) as u64
    }

    /// Appends the list to `out`, the smaller way, for a site of `docs`.
    pub(crate) fn write(&self, docs: u32, out: &mut Vec<u8>) {
        let bitmap = docs.div_ceil(8) as usize;
        if bitmap < self.bytes.len() {
            put_varint(out, u64::from(self.count) << 1 | 1);
            let start = out.len();
            out.resize(start + bitmap, 0);
            for id in self.ids() {
                out[start + id as usize / 8] |= 1 << (id % 8);
            }
        } else {
            put_varint(out, u64::from(self.count) << 1);
            out.extend_from_slice(&self.bytes);
        }
    }
}

/// Reads a list at `*at` written for a site of `docs`, moving past it.
pub(crate) fn read_list(bytes: &[u8], at: &mut usize, docs: u32) -> Option<Vec<u32>> {
    let head = get_varint(bytes, at)?;
    let count = (head >> 1) as usize;
    let mut ids = Vec::with_capacity(count.min(1 << 20));
    if head & 1 == 1 {
        let len = docs.div_ceil(8) as usize;
        let map = bytes.get(*at..*at + len)?;
        *at += len;
        for (i, b) in map.iter().enumerate() {
            for bit in 0..8 {
                if b & (1 << bit) != 0 {
                    ids.push((i * 8 + bit) as u32);
                }
            }
        }
    } else {
        let mut id = 0u32;
        for k in 0..count {
            let gap = get_varint(bytes, at)? as u32;
            id = if k == 0 { gap } else { id.checked_add(gap)? };
            ids.push(id);
        }
    }
    Some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(ids: &[u32], docs: u32) -> (Vec<u32>, usize) {
        let mut g = Gaps::default();
        for &i in ids {
            g.push(i);
        }
        let mut out = Vec::new();
        g.write(docs, &mut out);
        let mut at = 0;
        let back = read_list(&out, &mut at, docs).unwrap();
        assert_eq!(at, out.len());
        (back, out.len())
    }

    #[test]
    fn sparse_lists_are_gaps_and_dense_ones_bitmaps() {
        let (back, len) = round_trip(&[3, 200, 70_000], 100_000);
        assert_eq!(back, [3, 200, 70_000]);
        assert_eq!(len, 1 + 1 + 2 + 3);
        let every: Vec<u32> = (0..100_000).collect();
        let (back, len) = round_trip(&every, 100_000);
        assert_eq!(back, every);
        assert_eq!(len, 3 + 12_500);
    }
}
