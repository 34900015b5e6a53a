//! The search index's records (`render::search::doc`) kept on disk for
//! `build`, beside the memo: `search-<output>.bin`, the dictionary's
//! terms once and each brief's record (its terms as ids, its excerpt,
//! what it was made from) by file. Without it a one-edit `build` would
//! read and cut every brief's text again to remake the index (measured
//! at 10,000 briefs: ~1.5 s of CPU, against ~10 ms to read this file);
//! `serve` keeps the records in memory instead. A file that cannot be
//! read, is from another tearsheet or does not decode is no records
//! (each is made again), never an error.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::incremental::cache;
use crate::incremental::kept::Tables;

/// The file's own format.
const VERSION: &str = "search1";

#[derive(Serialize)]
struct FileOut<'a> {
    version: &'a str,
    tool: u64,
    terms: Vec<&'a str>,
    docs: Vec<(&'a PathBuf, &'a [u8], &'a str, u64)>,
}

#[derive(Deserialize)]
struct FileIn<'a> {
    version: &'a str,
    tool: u64,
    #[serde(borrow)]
    terms: Vec<&'a str>,
    #[serde(borrow)]
    docs: Vec<(PathBuf, &'a [u8], &'a str, u64)>,
}

/// Writes the records of `tables` for `output` into the cache folder
/// `dir` (atomically).
pub(crate) fn save(tables: &Tables, dir: &Path, output: &Path, tool: u64) -> std::io::Result<()> {
    let (terms, docs) = tables.search.to_store();
    let file = FileOut {
        version: VERSION,
        tool,
        terms: terms.iter().map(|t| &**t).collect(),
        docs: docs
            .into_iter()
            .map(|(i, stored, excerpt, made)| (&tables.pages[i].origin.path, stored, excerpt, made))
            .collect(),
    };
    // Encoded straight into the file, not into a buffer first: the
    // records of 100,000 briefs are ~150 MB, and a copy of them was the
    // end of a cached build.
    cache::write_atomically_with(dir, &cache::file(dir, output, "search", "bin"), |out| {
        postcard::to_io(&file, out)
            .map(|_| ())
            .map_err(std::io::Error::other)
    })
}

/// Puts the records kept for `output` in the cache folder `dir` into the
/// slots of the pages of `tables` they belong to.
pub(crate) fn load(tables: &mut Tables, dir: &Path, output: &Path, tool: u64) {
    let Ok(bytes) = std::fs::read(cache::file(dir, output, "search", "bin")) else {
        return;
    };
    let Ok(file) = postcard::from_bytes::<FileIn>(&bytes) else {
        return;
    };
    if file.version != VERSION || file.tool != tool {
        return;
    }
    let at: std::collections::HashMap<&Path, usize> = tables
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.origin.path.as_path(), i))
        .collect();
    let docs = file
        .docs
        .iter()
        .filter_map(|(path, stored, excerpt, made)| {
            Some((*at.get(path.as_path())?, *stored, *excerpt, *made))
        })
        .collect();
    tables.search.restore(&file.terms, docs);
}
