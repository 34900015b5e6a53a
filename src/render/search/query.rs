//! A query against a built site's search index, the way
//! `static/search.js` runs it in the browser (the two are kept in step):
//! the manifest, the shard of each term, the intersection of their lists
//! (and the filters'), ranked by how many of the query's terms are in the
//! title, company name or ticker, then newest first; then the metadata
//! blocks of the results shown. It counts the bytes it reads, which is
//! what a browser downloads for the same query (uncompressed). For tests
//! and measurements.

use std::collections::HashMap;
use std::path::Path;

use crate::render::search::postings::{get_varint, read_list};
use crate::render::search::{fnv1a, tokens, Layout};

/// One result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Relative to the site root, percent-encoded.
    pub url: String,
    pub title: String,
    pub company: String,
    pub period: String,
    pub date: String,
    pub excerpt: String,
    /// How many of the query's terms are in its title, company or ticker.
    pub head: usize,
}

/// What a query found, and what it cost.
#[derive(Debug, Default)]
pub struct Answer {
    /// The first results, in order.
    pub hits: Vec<Hit>,
    /// How many briefs match.
    pub total: usize,
    /// The bytes of the files read.
    pub bytes: u64,
    /// The files read, in order.
    pub files: Vec<String>,
}

struct Reader<'a> {
    dir: &'a Path,
    answer: Answer,
    shards: HashMap<String, Vec<u8>>,
}

impl Reader<'_> {
    fn read(&mut self, path: &str) -> std::io::Result<Vec<u8>> {
        let bytes = std::fs::read(self.dir.join(path))?;
        self.answer.bytes += bytes.len() as u64;
        self.answer.files.push(path.to_string());
        Ok(bytes)
    }

    /// The lists (all, head) of `term`; none when no brief has it.
    fn lists(
        &mut self,
        term: &str,
        shards: u32,
        docs: u32,
    ) -> std::io::Result<Option<(Vec<u32>, Vec<u32>)>> {
        let path = Layout::shard(fnv1a(term.as_bytes()) & (shards - 1), shards);
        if !self.shards.contains_key(&path) {
            let bytes = self.read(&path)?;
            self.shards.insert(path.clone(), bytes);
        }
        let bytes = &self.shards[&path];
        let mut at = 0;
        let bad = || std::io::Error::other(format!("damaged shard {path}"));
        while at < bytes.len() {
            let len = get_varint(bytes, &mut at).ok_or_else(bad)? as usize;
            let name = bytes.get(at..at + len).ok_or_else(bad)?;
            at += len;
            let all = read_list(bytes, &mut at, docs).ok_or_else(bad)?;
            let head = read_list(bytes, &mut at, docs).ok_or_else(bad)?;
            if name == term.as_bytes() {
                return Ok(Some((all, head)));
            }
        }
        Ok(None)
    }
}

/// Runs `query` narrowed by `filters` (`("company", "快手")`, ...) against
/// the site built in `dir`, and reads the metadata of the first `limit`
/// results.
pub fn search(
    dir: &Path,
    query: &str,
    filters: &[(&str, &str)],
    limit: usize,
) -> std::io::Result<Answer> {
    let mut r = Reader {
        dir,
        answer: Answer::default(),
        shards: HashMap::new(),
    };
    let manifest: serde_json::Value = serde_json::from_slice(&r.read(Layout::MANIFEST)?)?;
    let number = |k: &str| manifest[k].as_u64().unwrap_or(0) as u32;
    let (docs, shards) = (number("docs"), number("shards").max(1));
    let terms = tokens::query_terms(query);
    if terms.is_empty() && filters.is_empty() {
        return Ok(r.answer);
    }
    let mut matched: Option<Vec<u32>> = None;
    let mut heads: Vec<Vec<u32>> = Vec::new();
    let wanted = terms
        .iter()
        .map(|t| (t.clone(), true))
        .chain(filters.iter().map(|(f, v)| (format!("{f}={v}"), false)));
    for (term, scored) in wanted {
        let Some((all, head)) = r.lists(&term, shards, docs)? else {
            return Ok(r.answer);
        };
        matched = Some(match matched {
            None => all,
            Some(m) => intersect(&m, &all),
        });
        if scored {
            heads.push(head);
        }
    }
    let matched = matched.unwrap_or_default();
    let mut ranked: Vec<(usize, u32)> = matched
        .iter()
        .map(|&d| {
            (
                heads.iter().filter(|h| h.binary_search(&d).is_ok()).count(),
                d,
            )
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    r.answer.total = ranked.len();
    let mut blocks: HashMap<u32, serde_json::Value> = HashMap::new();
    for &(head, d) in ranked.iter().take(limit) {
        let n = d / Layout::BLOCK as u32;
        let block = match blocks.entry(n) {
            std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(serde_json::from_slice(&r.read(&Layout::block(n))?)?)
            }
        };
        let e = &block[d as usize % Layout::BLOCK];
        let s = |k: &str| e[k].as_str().unwrap_or("").to_string();
        r.answer.hits.push(Hit {
            url: s("u"),
            title: s("t"),
            company: s("c"),
            period: s("p"),
            date: s("d"),
            excerpt: s("x"),
            head,
        });
    }
    Ok(r.answer)
}

/// The ids in both ascending lists.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}
