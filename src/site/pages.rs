//! The step that loads the pages: the memo's pages where their files are
//! unchanged, the others read, parsed, validated and checked alone, in
//! parallel. Each file is read and validated in one go and its text
//! dropped (render reads the body again): the texts of the whole site are
//! never in memory at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check;
use crate::diagnostic::Diagnostic;
use crate::hash::Hash;
use crate::incremental::kept::{Kept, Side, Tables};
use crate::incremental::stamp::Stamp;
use crate::incremental::store::Store;
use crate::load::front_matter::Document;
use crate::load::site_config::SiteConfig;
use crate::load::walk::Found;
use crate::model::company::{Companies, CompanyFile};
use crate::model::page::{Defaults, Page};
use crate::site::progress::Ticks;
use crate::site::{Build, Phase};

/// Reads, parses, validates and checks alone the content file `rel` (its
/// stamp `stamp`); a brief's figures go to `store`.
fn validate(
    root: &Path,
    rel: &Path,
    stamp: Option<Stamp>,
    defaults: &Defaults,
    companies: &Companies,
    store: &Store,
) -> Result<Kept, Vec<Diagnostic>> {
    let bytes = crate::load::read(root, rel).map_err(|d| vec![d])?;
    let content_path = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
    let doc = Document::parse(rel.to_path_buf(), content_path, bytes).map_err(|d| vec![d])?;
    let mut v = Page::from_document(&doc, defaults, companies)?;
    let file = joined(companies, &v.page);
    if let (Some(b), Some(f)) = (&v.page.brief, &v.figures) {
        let mut warnings = check::consistency::brief(&doc, v.page.lang, f);
        if let Some(company) = file {
            warnings.extend(check::history::brief(&doc, v.page.lang, b, f, company));
        }
        v.page.warnings = warnings;
    }
    let stored = match &v.figures {
        Some(f) => Some(store.put(f).map_err(|e| vec![store_error(e)])?),
        None => None,
    };
    let mut kept = Kept::fresh(v.page, stored, stamp);
    kept.side.company = file.map_or(0, |f| f.hash);
    Ok(kept)
}

/// The error of a figures store that cannot take a value (it keeps in
/// memory what it cannot write: this is a bug, not a full disk).
pub(super) fn store_error(e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        "TS0505",
        std::env::temp_dir(),
        format!("internal error: cannot set the briefs' figures aside while building: {e}"),
    )
    .help("this is a bug in tearsheet; please report it with the message above")
}

/// The company file a page's brief joins, or would join.
fn joined<'c>(companies: &'c Companies, page: &Page) -> Option<&'c CompanyFile> {
    let b = page.brief.as_ref()?;
    companies.named(b.company.ticker.as_deref(), &b.company.name)
}

/// The hash of the company file (and history) a page's brief joins, or
/// would join: 0 for none. A page kept from the last build is validated
/// again when it changed.
fn company_hash(companies: &Companies, page: &Page) -> u64 {
    joined(companies, page).map_or(0, |f| f.hash)
}

/// Whether what the memo keeps of a page still stands for its file as
/// it is now (see [`unchanged`]) and the company file it joins.
fn still(
    (page, side): (&Page, &Side),
    file: &Path,
    stamp: &Option<Stamp>,
    trusted: &impl Fn(&Path) -> bool,
    companies: &Companies,
) -> bool {
    unchanged(side, file, stamp, trusted) && side.company == company_hash(companies, page)
}

/// Whether the memo's page (what is kept beside it: `side`) stands for
/// `file` as it is now: the watcher did not name the file (`trusted`), or
/// it has the stamp it was read at.
fn unchanged(
    side: &Side,
    file: &Path,
    stamp: &Option<Stamp>,
    trusted: &impl Fn(&Path) -> bool,
) -> bool {
    trusted(file) || (stamp.is_some() && side.stamp == *stamp)
}

/// How the files are read: their stamps, and which the watcher vouches
/// for.
struct Files<'a, T> {
    files: &'a [PathBuf],
    stamps: Vec<Option<Stamp>>,
    trusted: T,
    root: &'a Path,
    defaults: Defaults,
    companies: &'a Companies,
    store: &'a Store,
    /// The files read, for the progress display.
    ticks: Ticks<'a>,
}

impl<T: Fn(&Path) -> bool + Sync> Files<'_, T> {
    /// The pages of the files, in order, and the errors of those that
    /// failed; `kept` are the memo's pages (in the last build's order).
    fn load(&self, kept: Tables) -> (Tables, Vec<Diagnostic>, usize) {
        let same_files = kept.len() == self.files.len()
            && kept
                .pages
                .iter()
                .zip(self.files)
                .all(|(p, f)| p.origin.path == *f);
        if same_files {
            self.in_place(kept)
        } else {
            let (pages, errors, parsed) = self.by_path(kept.join());
            (Tables::split(pages), errors, parsed)
        }
    }

    fn validate(&self, i: usize) -> Result<Kept, Vec<Diagnostic>> {
        self.ticks.tick();
        validate(
            self.root,
            &self.files[i],
            self.stamps[i],
            &self.defaults,
            self.companies,
            self.store,
        )
    }

    /// The common case (an edit, no file added or removed): pages stay
    /// where they are, and only those of changed files are replaced.
    fn in_place(&self, mut pages: Tables) -> (Tables, Vec<Diagnostic>, usize) {
        let stale: Vec<usize> = (0..self.files.len())
            .into_par_iter()
            .filter(|&i| {
                !still(
                    (&pages.pages[i], &pages.side[i]),
                    &self.files[i],
                    &self.stamps[i],
                    &self.trusted,
                    self.companies,
                )
            })
            .collect();
        self.ticks.start(stale.len());
        let fresh: Vec<(usize, Result<Kept, Vec<Diagnostic>>)> =
            stale.par_iter().map(|&i| (i, self.validate(i))).collect();
        pages.side.par_iter_mut().for_each(|s| s.changed = false);
        let mut errors = Vec::new();
        let mut failed = Vec::new();
        for (i, page) in fresh {
            match page {
                Ok(page) => pages.set(i, page),
                Err(mut e) => {
                    errors.append(&mut e);
                    failed.push(i);
                }
            }
        }
        if !failed.is_empty() {
            // Rare (a file that fails): the pages are taken apart.
            let mut i = 0;
            let mut kept = pages.join();
            kept.retain(|_| {
                i += 1;
                failed.binary_search(&(i - 1)).is_err()
            });
            pages = Tables::split(kept);
        }
        (pages, errors, stale.len())
    }

    /// Files added, removed or renamed: pages are matched by path.
    fn by_path(&self, kept: Vec<Kept>) -> (Vec<Kept>, Vec<Diagnostic>, usize) {
        let mut kept: Vec<Option<Kept>> = kept.into_iter().map(Some).collect();
        let at: HashMap<PathBuf, usize> = kept
            .iter()
            .enumerate()
            .filter_map(|(i, k)| Some((k.as_ref()?.page.origin.path.clone(), i)))
            .collect();
        let reused: Vec<Option<Kept>> = (0..self.files.len())
            .map(|i| {
                let k = kept[*at.get(&self.files[i])?].take()?;
                let same = still(
                    (&k.page, &k.side),
                    &self.files[i],
                    &self.stamps[i],
                    &self.trusted,
                    self.companies,
                );
                same.then_some(k)
            })
            .collect();
        let parsed = reused.iter().filter(|r| r.is_none()).count();
        self.ticks.start(parsed);
        let validated: Vec<Result<Kept, Vec<Diagnostic>>> = reused
            .into_par_iter()
            .enumerate()
            .map(|(i, reused)| match reused {
                Some(mut k) => {
                    k.side.changed = false;
                    Ok(k)
                }
                None => self.validate(i),
            })
            .collect();
        let mut pages = Vec::with_capacity(validated.len());
        let mut errors = Vec::new();
        for v in validated {
            match v {
                Ok(p) => pages.push(p),
                Err(mut e) => errors.append(&mut e),
            }
        }
        (pages, errors, parsed)
    }
}

impl Build<'_> {
    /// Loads the pages of `found` into the build's tables (drafts aside
    /// when they are left out). Pages the memo holds from the last build
    /// are reused when their file has the same size and modification
    /// times (or, told which files changed, when it is not one of them);
    /// the rest are read. Returns the errors of the files that failed,
    /// and how many files were read.
    pub(super) fn load_pages(
        &mut self,
        found: &Found,
        config: &SiteConfig,
        companies: &Companies,
    ) -> (Vec<Diagnostic>, usize) {
        let root = &self.opts.root;
        let changed: Option<std::collections::HashSet<PathBuf>> =
            self.opts.changed.as_ref().map(|c| {
                c.iter()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
                    .collect()
            });
        let trusted = |rel: &Path| changed.as_ref().is_some_and(|c| !c.contains(rel));
        let files = &found.content.pages;
        let stamps: Vec<Option<Stamp>> = files
            .par_iter()
            .map(|rel| {
                (!trusted(rel))
                    .then(|| Stamp::of(&root.join(rel)))
                    .flatten()
            })
            .collect();
        let settings = {
            let mut h = Hash::new(0);
            h.str(&format!("{config:?}"));
            h.finish()
        };
        if self.memo.settings != settings {
            self.memo.reset(settings);
        }
        if let Err(e) = self.memo.store_for(None) {
            return (vec![store_error(e)], 0);
        }
        let kept = std::mem::take(&mut self.memo.tables);
        // Files gone since the last build leave pages behind.
        let gone = kept.len() != files.len();
        let Some(store) = self.memo.store() else {
            self.memo.tables = kept;
            return (vec![store_error(std::io::ErrorKind::NotFound.into())], 0);
        };
        let files = Files {
            files,
            stamps,
            trusted,
            root,
            defaults: config.defaults(),
            companies,
            store,
            ticks: Ticks::new(self.opts.progress.as_ref(), Phase::Reading),
        };
        let (loaded, errors, parsed) = files.load(kept);
        if gone || parsed > 0 {
            self.memo.touch();
        }
        self.set_pages(loaded);
        (errors, parsed)
    }

    /// Takes `loaded` as the build's pages, drafts aside (with their
    /// places) when they are left out.
    fn set_pages(&mut self, loaded: Tables) {
        if self.opts.drafts || !loaded.pages.iter().any(|p| p.draft) {
            // The common case: the tables as they are, nothing moved.
            self.tables = loaded;
            return;
        }
        let mut pages = Vec::with_capacity(loaded.len());
        for (i, k) in loaded.join().into_iter().enumerate() {
            if k.page.draft {
                self.drafts.push((i, k));
            } else {
                pages.push(k);
            }
        }
        self.tables = Tables::split(pages);
    }
}
