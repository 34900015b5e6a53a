//! The build, as a straight list of steps, each timed: read settings →
//! find files → load documents → validate pages (and check each alone) →
//! check across pages → load the theme → plan the outputs as
//! fingerprinted jobs (`render::plan`) → render and write the jobs whose
//! fingerprint the build cache (`cache`) does not know → put the output in
//! place (swapped whole, or updated file by file). Every step returns
//! values; diagnostics from all pages are gathered before the build
//! decides to stop, so one run reports every error. A [`Memo`] carries
//! what one build found to the next — the files found, the validated
//! pages (their figures read from its store only for the pages rendered
//! or checked again), per-company findings, what depends only on where
//! pages sit (`whole`) and the build cache — in memory (`serve`, told by
//! its watcher which files changed) or on disk (`build`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::incremental::cache::Cache;
use crate::incremental::memo::{Memo, Stamp};
use crate::incremental::whole::Whole;
use crate::load::front_matter::Document;
use crate::load::site_config::SiteConfig;
use crate::load::walk;
use crate::model::page::Page;
use crate::render::context::Shared;
use crate::render::plan::{Fingerprints, Hash, Plan};
use crate::render::theme::{Theme, BUILTIN_STATIC};
use crate::render::Renderer;
use crate::write::{self, Staging};

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site root (holds site.yaml, content/, ...).
    pub root: PathBuf,
    /// The output folder; default `root/public`.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// `false` for `check`: everything but writing.
    pub write: bool,
    /// Treat warnings as errors (`build --deny-warnings`).
    pub deny_warnings: bool,
    /// HTML inserted before `</body>` of every page (serve's live-reload
    /// script; never set by `build`).
    pub inject: Option<String>,
    /// Told of progress while pages render (`build`'s progress bar).
    pub progress: Option<Progress>,
    /// Reuse unchanged files of the previous output (see `cache`);
    /// `build --no-cache` turns it off.
    pub cache: bool,
    /// The only files that may have changed since the last build into
    /// the memo, as serve's watcher saw them (absolute, or relative to
    /// `root`): the others are taken to be as they were, neither listed
    /// nor looked at again. `None` looks at every file.
    pub changed: Option<Vec<PathBuf>>,
    /// The cache folder (build cache and memo); `None`: `.tearsheet-cache/`
    /// in the site root.
    pub cache_dir: Option<PathBuf>,
    /// Asks the build to stop at its next write (a signal, serve
    /// stopping); see `cancel`.
    pub cancel: crate::cancel::Cancel,
}

/// A callback told `(pages done, pages in all)` as pages are rendered.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Inserts `snippet` before the last `</body>` of an HTML page.
fn inject(bytes: &[u8], snippet: &str) -> Vec<u8> {
    let html = String::from_utf8_lossy(bytes);
    match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]).into_bytes(),
        None => format!("{html}{snippet}").into_bytes(),
    }
}

/// A finished job: its files, and whether it was rendered or carried
/// over from the previous output.
struct JobDone {
    files: std::sync::Arc<[String]>,
    rendered: bool,
}

/// The hash of the inputs every page sees: tearsheet's version, the
/// settings, the templates, the assets, the navigation, and serve's
/// injected script.
fn global_fingerprint(
    config: &SiteConfig,
    theme: &Theme,
    assets: &crate::render::theme::Assets,
    renderer: &Renderer,
    opts: &Options,
) -> u64 {
    let mut h = Hash::new(0);
    h.str(env!("CARGO_PKG_VERSION"));
    h.str(&format!("{config:?}"));
    h.u64(theme.fingerprint());
    for (name, bytes) in &assets.files {
        h.str(name);
        h.bytes(bytes);
    }
    h.str(&renderer.shared.fingerprint_text());
    h.str(opts.inject.as_deref().unwrap_or(""));
    h.finish()
}

/// The cache's name for the files copied verbatim (theme assets,
/// `static/`, the asset folders of content pages).
const STATIC_KEY: &str = "(static files)";

/// Every file copied verbatim into the output, with its output path:
/// the theme's static files and hashed assets, `static/`, and the asset
/// folders beside content pages.
fn static_files_of(
    root: &Path,
    static_files: &[PathBuf],
    content_assets: &[PathBuf],
    assets: &crate::render::theme::Assets,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let mut out: Vec<(String, Vec<u8>)> = BUILTIN_STATIC
        .iter()
        .filter(|(path, _)| !crate::render::theme::HASHED.contains(path))
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
    out.extend(assets.files.iter().cloned());
    let copied = static_files
        .iter()
        .map(|rel| (rel, "static"))
        .chain(content_assets.iter().map(|rel| (rel, "content")));
    for (rel, under) in copied {
        let path = rel
            .strip_prefix(under)
            .unwrap_or(rel)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = crate::load::read(root, rel).map_err(|d| vec![d])?;
        out.push((path, bytes));
    }
    Ok(out)
}

/// What a successful run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Warnings (a successful build has no errors).
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub briefs: usize,
    pub charts: usize,
    pub files: usize,
    /// Jobs planned (see `render::plan`) and rendered (the rest were
    /// carried over from the previous output by the build cache).
    pub jobs: usize,
    pub rendered: usize,
    /// Content files read and parsed (the rest were reused from the memo).
    pub parsed: usize,
    /// Briefs whose figures were read from the memo's store (those the
    /// rendered jobs and the companies checked again needed).
    pub figures_read: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

struct Timer {
    last: Instant,
    timings: Vec<(&'static str, Duration)>,
}

impl Timer {
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.timings.push((name, now - self.last));
        self.last = now;
    }
}

/// A company's briefs as the rules across them see them: which files, as
/// they read now.
fn company_fingerprint(pages: &[Page], briefs: &[usize]) -> u64 {
    let mut h = Hash::new(0);
    for &i in briefs {
        // The shape names the file.
        h.u64(crate::incremental::whole::page_shape(&pages[i]));
        h.u64(pages[i].doc.hash);
    }
    h.finish()
}

/// Which companies' briefs the rules across them must see again: the
/// fingerprint of each group of briefs (by `check::restatement`'s key,
/// and by the index's company) and whether it differs from what the memo
/// kept or holds a page read again.
struct Recheck {
    findings: Vec<(u64, bool)>,
    histories: Vec<(u64, bool)>,
}

impl Recheck {
    fn new(
        pages: &[Page],
        groups: &[(String, check::restatement::CompanyBriefs)],
        companies: &[&crate::model::site_index::Company],
        memo: &Memo,
    ) -> Recheck {
        let anew = |kept: Option<&u64>, briefs: &[usize]| {
            let fp = company_fingerprint(pages, briefs);
            (
                fp,
                kept != Some(&fp) || briefs.iter().any(|&i| pages[i].changed),
            )
        };
        Recheck {
            findings: groups
                .par_iter()
                .map(|(key, c)| anew(memo.findings.get(key).map(|(fp, _)| fp), &c.all))
                .collect(),
            histories: companies
                .par_iter()
                .map(|c| anew(memo.histories.get(&c.slug), &c.briefs))
                .collect(),
        }
    }

    /// By page: whether the rules see it again (its figures are needed).
    fn pages(
        &self,
        n: usize,
        groups: &[(String, check::restatement::CompanyBriefs)],
        companies: &[&crate::model::site_index::Company],
    ) -> Vec<bool> {
        let mut wanted = vec![false; n];
        let found = groups.iter().map(|(_, c)| &c.all).zip(&self.findings);
        let histories = companies.iter().map(|c| &c.briefs).zip(&self.histories);
        for (briefs, _) in found.chain(histories).filter(|(_, (_, anew))| *anew) {
            for &i in briefs {
                wanted[i] = true;
            }
        }
        wanted
    }
}

/// Runs the rules across each company's briefs (restatements, quarter on
/// quarter growth) and finds the sparkline histories, company by company
/// in parallel, and returns the warnings. What they find for a page is
/// kept on it (`restated`, `history`), so a company whose briefs are all
/// as they were at the last build (the same files, none read again) is
/// left as it was, and takes its warnings from `memo`; the pages of the
/// others get theirs anew and are marked `changed`. The figures of those
/// are read from the memo's store first: `None` when they do not read
/// back (see [`build_with`]).
fn across_companies(
    pages: &mut [Page],
    whole: &Whole,
    memo: &mut Memo,
    lang: crate::model::lang::Lang,
) -> Option<Vec<Diagnostic>> {
    let groups = &whole.groups;
    let companies: Vec<&crate::model::site_index::Company> =
        whole.index.companies.values().collect();
    let recheck = Recheck::new(pages, groups, &companies, memo);
    let wanted = recheck.pages(pages.len(), groups, &companies);
    if !memo.read_figures(pages, &wanted) {
        return None;
    }
    let pages_now: &[Page] = pages;
    let findings: Vec<Option<check::restatement::Findings>> = groups
        .par_iter()
        .zip(&recheck.findings)
        .map(|((_, company), (_, anew))| {
            anew.then(|| check::restatement::company_findings(pages_now, company))
        })
        .collect();
    // Per company, the histories found anew (by page, metric key), or
    // none when it is unchanged.
    type Found = Option<Vec<(usize, String, Vec<f64>)>>;
    let histories: Vec<Found> = companies
        .par_iter()
        .zip(&recheck.histories)
        .map(|(company, (_, anew))| {
            anew.then(|| crate::model::site_index::company_histories(pages_now, company, lang))
        })
        .collect();
    let mut warnings = Vec::new();
    let mut kept_findings = HashMap::with_capacity(findings.len());
    for ((found, (key, company)), (fp, _)) in findings.into_iter().zip(groups).zip(recheck.findings)
    {
        let key = key.clone();
        let found = match found {
            Some(found) => found,
            None => {
                if let Some(entry) = memo.findings.remove(&key) {
                    warnings.extend(entry.1.iter().cloned());
                    kept_findings.insert(key, entry);
                }
                continue;
            }
        };
        for &i in &company.all {
            pages[i].restated.clear();
            pages[i].changed = true;
        }
        for r in found.flags {
            pages[r.page].restated.push((r.key, r.from));
        }
        warnings.extend(found.warnings.iter().cloned());
        kept_findings.insert(key, (fp, found.warnings));
    }
    let mut kept_histories = HashMap::with_capacity(histories.len());
    for ((found, company), (fp, _)) in histories.into_iter().zip(&companies).zip(recheck.histories)
    {
        if let Some(found) = found {
            let mut by_page: HashMap<usize, Vec<(String, Vec<f64>)>> =
                company.briefs.iter().map(|&i| (i, Vec::new())).collect();
            for (i, key, values) in found {
                by_page.entry(i).or_default().push((key, values));
            }
            for (i, history) in by_page {
                pages[i].changed = true;
                if let Some(b) = &mut pages[i].brief {
                    b.set_history(history);
                }
            }
        }
        kept_histories.insert(company.slug.clone(), fp);
    }
    memo.findings = kept_findings;
    memo.histories = kept_histories;
    Some(warnings)
}

/// Reads, parses, validates and checks alone the content file `rel`
/// (its stamp `stamp`), and drops its body (render reads it again).
fn validate(
    root: &Path,
    rel: &Path,
    stamp: Option<Stamp>,
    config: &SiteConfig,
) -> Result<Page, Vec<Diagnostic>> {
    let bytes = crate::load::read(root, rel).map_err(|d| vec![d])?;
    let content_path = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
    let mut doc = Document::parse(rel.to_path_buf(), content_path, bytes).map_err(|d| vec![d])?;
    doc.stamp = stamp;
    let mut page = Page::from_document(doc, config)?;
    if let Some(b) = &page.brief {
        page.warnings = check::consistency::brief(&page, b);
    }
    page.doc.front_matter.shed();
    page.doc.shed_body();
    Ok(page)
}

/// The pages of `files` (their stamps in `stamps`), in order: the
/// memo's (`kept`) where their file is unchanged (or `trusted`), the
/// others read and validated anew, in parallel. Each file is read,
/// parsed, validated and checked alone in one go, and its body dropped
/// (render reads it again): the texts of the whole site are never in
/// memory at once. Returns the pages, the errors of the files that
/// failed, and how many files were read.
fn load_pages(
    kept: Vec<Page>,
    files: &[PathBuf],
    stamps: &[Option<Stamp>],
    trusted: &(impl Fn(&Path) -> bool + Sync),
    root: &Path,
    config: &SiteConfig,
) -> (Vec<Page>, Vec<Diagnostic>, usize) {
    let mut errors = Vec::new();
    let same_files =
        kept.len() == files.len() && kept.iter().zip(files).all(|(p, f)| p.doc.path == *f);
    if same_files {
        // The common case (an edit, no file added or removed): pages stay
        // where they are, and only those of changed files are replaced.
        let mut pages = kept;
        let stale: Vec<usize> = (0..files.len())
            .into_par_iter()
            .filter(|&i| !unchanged(&pages[i], &files[i], &stamps[i], trusted))
            .collect();
        let fresh: Vec<(usize, Result<Page, Vec<Diagnostic>>)> = stale
            .par_iter()
            .map(|&i| (i, validate(root, &files[i], stamps[i], config)))
            .collect();
        pages.par_iter_mut().for_each(|p| p.changed = false);
        let mut failed = Vec::new();
        for (i, page) in fresh {
            match page {
                Ok(page) => pages[i] = page,
                Err(mut e) => {
                    errors.append(&mut e);
                    failed.push(i);
                }
            }
        }
        if !failed.is_empty() {
            let mut i = 0;
            pages.retain(|_| {
                i += 1;
                failed.binary_search(&(i - 1)).is_err()
            });
        }
        return (pages, errors, stale.len());
    }
    // Files added, removed or renamed: pages are matched by path.
    let reused = reusable(kept, files, stamps, trusted);
    let parsed = reused.iter().filter(|r| r.is_none()).count();
    let validated: Vec<Result<Page, Vec<Diagnostic>>> = files
        .par_iter()
        .zip(stamps)
        .zip(reused)
        .map(|((rel, st), reused)| {
            if let Some(mut page) = reused {
                page.changed = false;
                return Ok(page);
            }
            validate(root, rel, *st, config)
        })
        .collect();
    let mut pages = Vec::with_capacity(validated.len());
    for v in validated {
        match v {
            Ok(p) => pages.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (pages, errors, parsed)
}

/// Whether the memo's `page` stands for `file` as it is now: the watcher
/// did not name the file (`trusted`), or it has the stamp it was read at.
fn unchanged(
    page: &Page,
    file: &Path,
    stamp: &Option<Stamp>,
    trusted: &impl Fn(&Path) -> bool,
) -> bool {
    trusted(file) || (stamp.is_some() && page.doc.stamp == *stamp)
}

/// The memo's pages (`kept`) reusable for `files` (their stamps in
/// `stamps`), matched by path: those whose file is unchanged.
fn reusable(
    kept: Vec<Page>,
    files: &[PathBuf],
    stamps: &[Option<Stamp>],
    trusted: &impl Fn(&Path) -> bool,
) -> Vec<Option<Page>> {
    let mut kept: Vec<Option<Page>> = kept.into_iter().map(Some).collect();
    let at: HashMap<PathBuf, usize> = kept
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.as_ref()?.doc.path.clone(), i)))
        .collect();
    files
        .iter()
        .zip(stamps)
        .map(|(file, stamp)| {
            let page = kept[*at.get(file)?].take()?;
            unchanged(&page, file, stamp, trusted).then_some(page)
        })
        .collect()
}

/// Builds (or, with `write: false`, checks) the site. With the build
/// cache on, the memo of the last build into the same output is read
/// from the cache folder and written back after a successful build.
pub fn build(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let cached = opts.write && opts.cache;
    let output = write::absolute(&output_of(opts));
    let start = Instant::now();
    let mut memo = match cached {
        true => Memo::load(&cache_dir_of(opts), &opts.root, &output),
        false => Memo::default(),
    };
    let read = start.elapsed();
    let mut result = build_with(opts, Some(&mut memo));
    if let (true, Ok(report)) = (cached, &mut result) {
        let start = Instant::now();
        // Failing to save only costs the next build its reuse. The two
        // files are written side by side.
        let cache = memo.cache.take();
        let _ = rayon::join(
            || cache.as_ref().map(|c| c.save(&cache_dir_of(opts))),
            || memo.save(&cache_dir_of(opts), &output),
        );
        memo.cache = cache;
        report.timings.insert(0, ("read memo", read));
        report.timings.push(("save memo", start.elapsed()));
    }
    // Freeing ten thousand pages takes a while; nobody waits for it.
    std::thread::spawn(move || drop(memo));
    result
}

/// The cache folder: `Options::cache_dir`, else `.tearsheet-cache/` in
/// the site.
fn cache_dir_of(opts: &Options) -> PathBuf {
    opts.cache_dir
        .clone()
        .unwrap_or_else(|| opts.root.join(crate::incremental::cache::DIR))
}

/// The output folder: `--output`, else `public/` in the site.
fn output_of(opts: &Options) -> PathBuf {
    opts.output
        .clone()
        .unwrap_or_else(|| opts.root.join("public"))
}

/// [`build`], reusing and refreshing what `memo` kept from the last
/// build (serve keeps one in memory).
pub fn build_with(opts: &Options, memo: Option<&mut Memo>) -> Result<Report, Vec<Diagnostic>> {
    let mut local = Memo::default();
    let memo = memo.unwrap_or(&mut local);
    let mut pages = Vec::new();
    let mut drafts = Vec::new();
    let mut result = build_pages(opts, memo, &mut pages, &mut drafts);
    if memo.is_damaged() {
        // Figures the memo stored did not read back as written (before
        // anything was written): build again without the memo.
        memo.start_over();
        (pages, drafts) = (Vec::new(), Vec::new());
        result = build_pages(opts, memo, &mut pages, &mut drafts);
    }
    // The memo keeps the pages in the order of their files, drafts in
    // their places.
    memo.pages = if drafts.is_empty() {
        pages
    } else {
        let mut all = Vec::with_capacity(pages.len() + drafts.len());
        let mut drafts = drafts.into_iter().peekable();
        for page in pages {
            while let Some((_, d)) = drafts.next_if(|(at, _)| *at == all.len()) {
                all.push(d);
            }
            all.push(page);
        }
        all.extend(drafts.map(|(_, d)| d));
        all
    };
    result
}

/// The build's steps. Every page validated ends in `pages`, or in
/// `drafts` (with its place among the files) when drafts are left out,
/// for the memo to keep.
fn build_pages(
    opts: &Options,
    memo: &mut Memo,
    pages: &mut Vec<Page>,
    drafts: &mut Vec<(usize, Page)>,
) -> Result<Report, Vec<Diagnostic>> {
    let mut t = Timer {
        last: Instant::now(),
        timings: Vec::new(),
    };
    let root = &opts.root;

    let config = SiteConfig::load(root, opts.base_url.as_deref()).map_err(|d| vec![d])?;
    let output = output_of(opts);
    let shown = output
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| output.clone());
    let output_abs = write::absolute(&output);
    if opts.write {
        write::guard(&write::absolute(root), &output_abs, &shown).map_err(|d| vec![d])?;
        write::recover(&output_abs);
    }
    t.lap("settings");

    // The files found by the last build, when only files it found
    // changed since (serve's watcher says which); else a walk.
    let changed: Option<std::collections::HashSet<PathBuf>> = opts.changed.as_ref().map(|c| {
        c.iter()
            .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
            .collect()
    });
    let found = match (&memo.found, &opts.changed) {
        (Some(found), Some(c)) if found.still_after(root, c) => std::sync::Arc::clone(found),
        _ => std::sync::Arc::new(walk::Found::walk(root).map_err(|d| vec![d])?),
    };
    memo.found = Some(std::sync::Arc::clone(&found));
    let walk::Found {
        content: files,
        static_files,
        static_links,
    } = &*found;
    t.lap("discover");

    // Pages the memo holds from the last build are reused when their file
    // has the same size and modification times (or, told which files
    // changed, when it is not one of them); the rest are read.
    let trusted = |rel: &Path| changed.as_ref().is_some_and(|c| !c.contains(rel));
    let stamps: Vec<Option<Stamp>> = files
        .pages
        .par_iter()
        .map(|rel| {
            if trusted(rel) {
                None
            } else {
                Stamp::of(&root.join(rel))
            }
        })
        .collect();
    let settings = {
        let mut h = Hash::new(0);
        h.str(&format!("{config:?}"));
        h.finish()
    };
    if memo.settings != settings {
        memo.reset(settings);
    }
    let kept = std::mem::take(&mut memo.pages);
    // Files gone since the last build leave pages behind.
    let gone = kept.len() != files.pages.len();
    let (loaded, mut errors, parsed) =
        load_pages(kept, &files.pages, &stamps, &trusted, root, &config);
    if gone || parsed > 0 {
        memo.touch();
    }
    *pages = loaded;
    if !opts.drafts && pages.iter().any(|p| p.draft) {
        // Left out, and kept (with their places) for the memo.
        let all = std::mem::take(pages);
        for (i, p) in all.into_iter().enumerate() {
            if p.draft {
                drafts.push((i, p));
            } else {
                pages.push(p);
            }
        }
    }
    t.lap("load + validate");

    // The index and what else depends only on where pages sit: kept from
    // the last build while no page moved.
    let shape = crate::incremental::whole::shape(pages);
    let whole = match &memo.whole {
        Some(w) if w.fits(shape) => std::sync::Arc::clone(w),
        _ => std::sync::Arc::new(Whole::new(pages, shape)),
    };
    memo.whole = Some(std::sync::Arc::clone(&whole));
    let index = &whole.index;
    errors.extend(whole.errors.iter().cloned());
    errors.extend(files.links.iter().cloned());
    errors.extend(static_links.iter().cloned());
    errors.extend(pages.iter().flat_map(|p| p.warnings.iter().cloned()));
    match across_companies(pages, &whole, memo, config.lang) {
        Some(warnings) => errors.extend(warnings),
        None => return Err(Vec::new()),
    }
    errors.extend(check::restatement::currencies(pages));
    let (mut errs, warnings): (Vec<_>, Vec<_>) = errors.into_iter().partition(Diagnostic::is_error);
    let (mut errs, warnings) = if opts.deny_warnings && !warnings.is_empty() {
        errs.extend(warnings);
        (errs, Vec::new())
    } else {
        (errs, warnings)
    };
    t.lap("check");
    let theme = match Theme::load(root) {
        Ok(theme) => Some(theme),
        Err(mut e) => {
            errs.append(&mut e);
            None
        }
    };
    t.lap("theme");
    // Without a theme nothing can be rendered; otherwise render even when
    // some pages failed, so one run reports the body errors of the rest.
    let Some(theme) = theme else {
        diagnostic::sort(&mut errs);
        return Err(errs);
    };
    let write = opts.write && errs.is_empty();
    let mut listing_pages = 0;

    let mut nav: Vec<(String, String)> = vec![
        (
            crate::render::i18n::get(config.lang, "companies").to_string(),
            "companies/".to_string(),
        ),
        (
            crate::render::i18n::get(config.lang, "tags").to_string(),
            "tags/".to_string(),
        ),
    ];
    nav.extend(
        pages
            .iter()
            .filter(|p| p.brief.is_none() && p.url.matches('/').count() == 1)
            .map(|p| (p.title.clone(), p.url.clone())),
    );
    let assets = crate::render::theme::Assets::resolve(root);
    let renderer = Renderer {
        root,
        site: &config,
        theme: &theme,
        shared: Shared::new(&config, nav, &assets),
        listed: crate::render::context::ListedEntries::new(pages.len(), config.lang),
    };

    // Every file as an independent job, fingerprinted by its inputs.
    let plan = Plan::new(pages, index, config.per_page);
    let fingerprints = Fingerprints::new(
        global_fingerprint(&config, &theme, &assets, &renderer, opts),
        whole.placed(&plan, pages),
        pages,
        index,
    );
    let keyed: Vec<(String, u64)> = plan
        .jobs
        .par_iter()
        .zip(whole.keys(&plan, pages))
        .map(|(job, key)| (key.clone(), job.fingerprint(&fingerprints, index)))
        .collect();
    let build_id = {
        let mut h = crate::hash::Hash::new(0);
        for (key, f) in &keyed {
            h.str(key);
            h.u64(*f);
        }
        format!("{:016x}", h.finish())
    };
    // The memo's cache stays in the memo until a new one replaces it: a
    // failed build leaves the output, and so the cache, as they were.
    let empty = Cache::default();
    let cache: &Cache = match &memo.cache {
        Some(c) if write && opts.cache && c.describes(&output_abs) => c,
        _ => &empty,
    };
    // Each job's files from the last build, when they can be kept; the
    // figures of the pages the other jobs show are read.
    let reused: Vec<Option<&std::sync::Arc<[String]>>> = keyed
        .par_iter()
        .map(|(key, fingerprint)| cache.reusable(key, *fingerprint))
        .collect();
    let mut wanted = vec![false; pages.len()];
    for (job, kept) in plan.jobs.iter().zip(&reused) {
        if kept.is_none() {
            for &i in job.shows() {
                wanted[i] = true;
            }
        }
    }
    if !memo.read_figures(pages, &wanted) {
        return Err(Vec::new());
    }
    let staging = if write {
        Some(
            Staging::create(
                &output_abs,
                &shown,
                &build_id,
                !cache.is_empty(),
                &opts.cancel,
            )
            .map_err(|d| vec![d])?,
        )
    } else {
        None
    };
    let emit = |s: &Staging, o: &crate::render::Output| match &opts.inject {
        Some(snippet) if o.path.ends_with(".html") => s.write(&o.path, &inject(&o.bytes, snippet)),
        _ => s.write(&o.path, &o.bytes),
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let finished: Vec<Result<JobDone, Vec<Diagnostic>>> = plan
        .jobs
        .par_iter()
        .zip(reused.par_iter())
        .map(|(job, kept)| {
            // Interrupted: render no more, stop at the check below.
            if staging.is_some() && opts.cancel.requested().is_some() {
                return Ok(JobDone {
                    files: std::sync::Arc::new([]),
                    rendered: false,
                });
            }
            if let Some(p) = &opts.progress {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                (p.0)(n, plan.jobs.len());
            }
            if let Some(files) = kept {
                return Ok(JobDone {
                    files: std::sync::Arc::clone(files),
                    rendered: false,
                });
            }
            let outputs = renderer.run(job, &plan, pages, index)?;
            if let Some(s) = &staging {
                for o in &outputs {
                    emit(s, o).map_err(|d| vec![d])?;
                }
            }
            Ok(JobDone {
                files: outputs.into_iter().map(|o| o.path).collect(),
                rendered: true,
            })
        })
        .collect();
    let mut files_written = 0;
    let mut rendered = 0;
    let mut entries = std::collections::HashMap::with_capacity(finished.len());
    for ((done, (key, fingerprint)), job) in finished.into_iter().zip(keyed).zip(&plan.jobs) {
        match done {
            Ok(done) => {
                files_written += done.files.len();
                rendered += usize::from(done.rendered);
                if job.is_listing() {
                    listing_pages += 1;
                }
                entries.insert(
                    key,
                    crate::incremental::cache::Entry {
                        fingerprint,
                        files: done.files,
                    },
                );
            }
            Err(mut e) => errs.append(&mut e),
        }
    }
    t.lap("render");
    if staging.is_some() {
        if let Some(sig) = opts.cancel.requested() {
            return Err(vec![crate::cancel::interrupted(&shown, sig)]);
        }
    }
    if !errs.is_empty() {
        diagnostic::sort(&mut errs);
        // A full or read-only disk fails every write: the first says it.
        let mut seen = false;
        errs.retain(|d| d.code != "TS0502" || !std::mem::replace(&mut seen, true));
        return Err(errs);
    }

    if let Some(s) = staging {
        let statics = static_files_of(root, static_files, &files.assets, &assets)?;
        files_written += statics.len();
        let mut h = Hash::new(0);
        for (path, bytes) in &statics {
            h.str(path);
            h.bytes(bytes);
        }
        let fingerprint = h.finish();
        if cache.reusable(STATIC_KEY, fingerprint).is_none() {
            for (path, bytes) in &statics {
                s.write(path, bytes).map_err(|d| vec![d])?;
            }
        }
        entries.insert(
            STATIC_KEY.to_string(),
            crate::incremental::cache::Entry {
                fingerprint,
                files: statics.into_iter().map(|(p, _)| p).collect(),
            },
        );
        let removed = cache.removed(&entries);
        s.commit(&removed).map_err(|d| vec![d])?;
        // Only a cache describing the output now in place is kept.
        memo.cache = Some(Cache::new(&output_abs, &build_id, entries));
    }
    t.lap("write");

    let mut warnings = warnings;
    diagnostic::sort(&mut warnings);
    Ok(Report {
        warnings,
        pages: pages.len() + listing_pages,
        briefs: index.briefs.len(),
        charts: pages
            .iter()
            .filter_map(|p| p.brief.as_ref())
            .map(|b| b.chart_count)
            .sum(),
        files: files_written,
        jobs: plan.jobs.len(),
        rendered,
        parsed,
        figures_read: memo.take_read(),
        timings: t.timings,
    })
}
