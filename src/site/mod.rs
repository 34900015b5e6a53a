//! The build, as a straight list of named, timed steps ([`run`]): read
//! the settings → find the files → load and validate the pages (each
//! checked alone) → check across pages → load the theme → plan the
//! outputs and render the jobs whose inputs changed → put the output in
//! place (swapped whole, or updated file by file). Every step returns
//! values; diagnostics from all pages are gathered before the build
//! decides to stop, so one run reports every error.
//!
//! The steps share one [`Build`]: the options, the memo of the last
//! build (`incremental::memo`) and the pages with what is kept beside
//! them (`incremental::kept::Tables`). Whatever way a run ends, the
//! `Build` hands its pages back to the memo when it is dropped. When the
//! memo turns out to be unusable (figures it stored do not read back),
//! a run ends with [`Stop::Afresh`] before anything is written, and
//! [`build_with`] runs once more without the memo.

mod companies;
mod output;
mod pages;
mod progress;

pub use progress::{Phase, Progress};

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostic::{self, Diagnostic};
use crate::incremental::kept::{Kept, Tables};
use crate::incremental::memo::Memo;
use crate::load::site_config::SiteConfig;
use crate::load::walk::Found;
use crate::write;

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
    /// Told of the build's phases and progress (`build`'s progress bar).
    pub progress: Option<Progress>,
    /// Reuse unchanged files of the previous output (see
    /// `incremental::cache`); `build --no-cache` turns it off.
    pub cache: bool,
    /// The only files that may have changed since the last build into
    /// the memo, as serve's watcher saw them (absolute, or relative to
    /// `root`): the others are taken to be as they were, neither listed
    /// nor looked at again. `None` looks at every file.
    pub changed: Option<Vec<PathBuf>>,
    /// The cache folder (build cache and memo); `None`: `.tearsheet-cache/`
    /// in the site root.
    pub cache_dir: Option<PathBuf>,
    /// The running tearsheet (`tool::id`): what the last build kept is
    /// reused only by the same one.
    pub tool: u64,
    /// Asks the build to stop at its next write (a signal, serve
    /// stopping); see `cancel`.
    pub cancel: crate::cancel::Cancel,
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
    /// Briefs whose text was cut into search terms (the search records of
    /// the others were kept from the last build, or the index was).
    pub texts_cut: usize,
    pub timings: Vec<(&'static str, Duration)>,
    /// By step of `timings`, the peak resident memory of the process when
    /// it ended, in KiB (empty where the system does not say).
    pub peak_rss: Vec<u64>,
}

/// Why a run stopped before it was done.
#[derive(Debug)]
pub(crate) enum Stop {
    /// Errors in the site (or in writing it).
    Failed(Vec<Diagnostic>),
    /// The memo cannot be used (figures it stored do not read back as
    /// written): nothing was written, and the build starts afresh.
    Afresh,
}

impl From<Vec<Diagnostic>> for Stop {
    fn from(d: Vec<Diagnostic>) -> Stop {
        Stop::Failed(d)
    }
}

impl From<Diagnostic> for Stop {
    fn from(d: Diagnostic) -> Stop {
        Stop::Failed(vec![d])
    }
}

/// What the steps share.
pub(crate) struct Build<'m> {
    opts: &'m Options,
    memo: &'m mut Memo,
    /// The pages of this build and what is kept beside them.
    tables: Tables,
    /// Drafts left out of this build (with their places among the files),
    /// for the memo to keep.
    drafts: Vec<(usize, Kept)>,
    timings: Vec<(&'static str, Duration)>,
    /// The peak resident memory at the end of each step (KiB).
    peak_rss: Vec<u64>,
    lap: Instant,
}

impl Build<'_> {
    /// Notes how long the step `name` took.
    fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.timings.push((name, now - self.lap));
        self.peak_rss.extend(crate::usage::peak_rss());
        self.lap = now;
    }
}

impl Drop for Build<'_> {
    /// The memo keeps the pages in the order of their files, drafts in
    /// their places, however the run ended.
    fn drop(&mut self) {
        let drafts = std::mem::take(&mut self.drafts);
        if drafts.is_empty() {
            // The common case: the tables as they are, nothing moved.
            self.memo.tables = std::mem::take(&mut self.tables);
            return;
        }
        let pages = std::mem::take(&mut self.tables).join();
        self.memo.tables = Tables::split({
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
        });
    }
}

/// What the settings step finds: the settings, and the output folder.
pub(crate) struct Settings {
    config: SiteConfig,
    /// The output folder as the author names it (for messages), and
    /// absolute.
    shown: PathBuf,
    output: PathBuf,
}

/// One run of the steps.
fn run(opts: &Options, memo: &mut Memo) -> Result<Report, Stop> {
    let mut b = Build {
        opts,
        memo,
        tables: Tables::default(),
        drafts: Vec::new(),
        timings: Vec::new(),
        peak_rss: Vec::new(),
        lap: Instant::now(),
    };
    let settings = b.settings()?;
    b.lap("settings");
    let found = b.discover()?;
    b.lap("discover");
    let (companies, mut problems) = crate::load::company::read_all(&opts.root, &found.content);
    b.lap("companies");
    let (loaded, parsed) = b.load_pages(&found, &settings.config, &companies);
    problems.extend(loaded);
    b.lap("load + validate");
    progress::announce(opts.progress.as_ref(), Phase::Checking);
    let (whole, checked) = b.check(&found, &settings, problems)?;
    let mut errors = checked.errors;
    b.lap("check");
    let theme = b.theme(&mut errors)?;
    b.lap("theme");
    // Rendered even when some pages failed, so that one run reports the
    // body errors of the rest; written only when none did.
    let rendered = b.render(&settings, &whole, &theme, &companies, &mut errors)?;
    b.lap("render");
    progress::announce(opts.progress.as_ref(), Phase::Writing);
    let written = b.write(&found, &settings, rendered, errors)?;
    b.lap("write");
    Ok(b.report(&whole, checked.warnings, written, parsed))
}

impl Build<'_> {
    /// Reads `site.yaml`, and makes sure the output folder may be
    /// written (removing what an interrupted build left).
    fn settings(&mut self) -> Result<Settings, Stop> {
        let root = &self.opts.root;
        let config = SiteConfig::load(root, self.opts.base_url.as_deref())?;
        let output = output_of(self.opts);
        let shown = output
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| output.clone());
        let output = write::absolute(&output);
        if self.opts.write {
            write::guard(&write::absolute(root), &output, &shown)?;
            write::recover(&output);
        }
        Ok(Settings {
            config,
            shown,
            output,
        })
    }
}

impl Build<'_> {
    /// The files of the site: those the last build found, when only
    /// files it found changed since (serve's watcher says which); else a
    /// walk.
    fn discover(&mut self) -> Result<Arc<Found>, Stop> {
        let found = match (&self.memo.found, &self.opts.changed) {
            (Some(found), Some(c)) if found.still_after(&self.opts.root, c) => Arc::clone(found),
            _ => Arc::new(Found::walk(&self.opts.root)?),
        };
        self.memo.found = Some(Arc::clone(&found));
        Ok(found)
    }
}

/// Builds (or, with `write: false`, checks) the site. With the build
/// cache on, the memo of the last build into the same output is read
/// from the cache folder and written back after a successful build.
pub fn build(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let cached = opts.write && opts.cache;
    let output = write::absolute(&output_of(opts));
    let start = Instant::now();
    let dir = cache_dir_of(opts);
    let mut memo = match cached {
        true => Memo::load(&dir, &output, opts.tool),
        false => Memo::for_one_build(),
    };
    if cached && dir.is_dir() {
        // The briefs' figures go straight to the store kept for the next
        // build (failing that, the build makes one of its own). A first
        // build makes no cache folder before it succeeds: its store is
        // copied there when the memo is saved.
        let _ = memo.store_for(Some((&dir, &output)));
    }
    let read = start.elapsed();
    let read_peak = crate::usage::peak_rss();
    let mut result = build_with(opts, Some(&mut memo));
    if let (true, Ok(report)) = (cached, &mut result) {
        let start = Instant::now();
        // Failing to save only costs the next build its reuse. The two
        // files are written side by side.
        let cache = memo.cache.take();
        let _ = rayon::join(
            || cache.as_ref().map(|c| c.save(&dir)),
            || memo.save(&dir, &output),
        );
        memo.cache = cache;
        report.timings.insert(0, ("read memo", read));
        report.timings.push(("save memo", start.elapsed()));
        if let (Some(first), Some(peak)) = (read_peak, crate::usage::peak_rss()) {
            report.peak_rss.insert(0, first);
            report.peak_rss.push(peak);
        }
    }
    memo.discard_records();
    // Freeing ten thousand pages takes a while; nobody waits for it.
    std::thread::spawn(move || drop(memo));
    result
}

/// [`build`], reusing and refreshing what `memo` kept from the last
/// build (serve keeps one in memory).
pub fn build_with(opts: &Options, memo: Option<&mut Memo>) -> Result<Report, Vec<Diagnostic>> {
    let mut local = Memo::for_one_build();
    let memo = memo.unwrap_or(&mut local);
    match run(opts, memo) {
        Ok(report) => return Ok(report),
        Err(Stop::Failed(errors)) => return Err(errors),
        Err(Stop::Afresh) => {}
    }
    // Figures the memo stored did not read back as written (before
    // anything was written): build again without the memo.
    memo.start_over();
    match run(opts, memo) {
        Ok(report) => Ok(report),
        Err(Stop::Failed(errors)) => Err(errors),
        // An empty memo holds nothing to read back.
        Err(Stop::Afresh) => Err(vec![Diagnostic::error(
            "TS0902",
            cache_dir_of(opts),
            "internal error: the build could not start afresh without what the last build kept",
        )
        .help("this is a bug in tearsheet; `tearsheet build --no-cache` builds without it")]),
    }
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

/// Sorts `errors` and fails with them, if there are any.
fn fail_on(mut errors: Vec<Diagnostic>) -> Result<(), Stop> {
    if errors.is_empty() {
        return Ok(());
    }
    diagnostic::sort(&mut errors);
    Err(Stop::Failed(errors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::plan::{indexing_cost, Job};

    /// The title-and-summary entries of every brief that a build keeps in
    /// its memo's slots for the next one.
    fn entries_kept(memo: &mut Memo) -> usize {
        let out = tempfile::tempdir().expect("temp dir");
        let opts = Options {
            root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/minimal"),
            output: Some(out.path().join("public")),
            write: true,
            ..Options::default()
        };
        build_with(&opts, Some(memo)).expect("build");
        let t = &memo.tables;
        (0..t.pages.len())
            .filter(|&i| t.search.slot(i).is_some_and(|s| s.entry.get().is_some()))
            .count()
    }

    /// A site of six briefs of six companies, two to a listing page.
    fn six_briefs() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let briefs = dir.path().join("content/briefs");
        std::fs::create_dir_all(&briefs).expect("briefs folder");
        let settings = "title: Six\nbase_url: https://example.org/\nlang: en\nper_page: 2\n";
        std::fs::write(dir.path().join("site.yaml"), settings).expect("site.yaml");
        for n in 1..=6 {
            let brief = format!(
                "---\ntitle: Co {n}\ndate: 2025-0{n}-10\ncompany: {{ name: Co {n}, ticker: C{n}.HK }}\n\
                 period: 2025Q1\nmetrics:\n  revenue: {{ label: Revenue, value: 35.0bn, yoy: 13.1% }}\n\
                 ---\nRevenue was {{{{ metric(id=\"revenue\") }}}}.\n"
            );
            std::fs::write(briefs.join(format!("c{n}.md")), brief).expect("brief");
        }
        dir
    }

    /// The phases a build tells of, in order, each from 0 to its total:
    /// every file read on a first build, then only the edited one; the
    /// rendering weighed in what its jobs cost (`Job::cost`), of those
    /// rendered only.
    #[test]
    fn a_build_tells_its_phases_and_counts_each() {
        let site = six_briefs();
        let told = Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = Arc::clone(&told);
        let opts = Options {
            root: site.path().to_path_buf(),
            output: Some(site.path().join("public")),
            write: true,
            cache: true,
            progress: Some(Progress(Arc::new(move |phase, done, total| {
                record.lock().expect("events").push((phase, done, total));
            }))),
            ..Options::default()
        };
        // Each phase in turn: where it starts, its total, its last count.
        let phases = |events: Vec<(Phase, usize, usize)>| {
            let mut seen: Vec<(Phase, usize, usize)> = Vec::new();
            for (phase, done, total) in events {
                match seen.last_mut() {
                    Some(last) if last.0 == phase => {
                        assert_eq!(total, last.1, "{phase:?}'s total");
                        last.2 = last.2.max(done);
                    }
                    _ => {
                        assert_eq!(done, 0, "{phase:?} starts at 0");
                        seen.push((phase, total, 0));
                    }
                }
            }
            seen
        };
        // A build's phases, `read` files read: the render's total.
        let told_by = |read: usize| {
            let seen = phases(std::mem::take(&mut *told.lock().expect("events")));
            let render = seen.get(2).map_or(0, |r| r.1);
            assert_eq!(
                seen,
                [
                    (Phase::Reading, read, read),
                    (Phase::Checking, 0, 0),
                    (Phase::Rendering, render, render),
                    (Phase::Writing, 0, 0)
                ]
            );
            render
        };
        let mut memo = Memo::default();
        build_with(&opts, Some(&mut memo)).expect("first build");
        let all = told_by(6);
        // Six pages and the full-text index of six briefs, at least.
        let page = Job::Page(0).cost(6);
        assert!(all >= 6 * page + indexing_cost(6), "{all}");
        let path = site.path().join("content/briefs/c2.md");
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, text.replace("Revenue was", "Revenue rose to")).expect("edit");
        build_with(&opts, Some(&mut memo)).expect("second build");
        let some = told_by(1);
        // The edited page and the index brought up to date, not the
        // five pages carried over.
        assert!(some >= page + indexing_cost(6), "{some}");
        assert!(some <= all - 5 * page, "{some} of {all}");
    }

    /// A build that fails (one brief's front matter does not parse, and
    /// another's body names a metric it lacks) still reports every error,
    /// and renders again only what the edits touch, as a successful build
    /// does. It used to render every page: 19.9 s at 100,000 briefs for
    /// one mistyped line, against 2.0 s for the same edit without the
    /// mistake.
    #[test]
    fn a_failed_build_renders_only_what_the_edits_touch() {
        let site = six_briefs();
        let opts = Options {
            root: site.path().to_path_buf(),
            output: Some(site.path().join("public")),
            write: true,
            cache: true,
            ..Options::default()
        };
        let mut memo = Memo::default();
        let first = build_with(&opts, Some(&mut memo)).expect("first build");
        assert_eq!(first.figures_read, 6, "the first build renders every brief");
        let edit = |n: usize, from: &str, to: &str| {
            let path = site.path().join(format!("content/briefs/c{n}.md"));
            let text = std::fs::read_to_string(&path).expect("read");
            assert!(text.contains(from), "{from}");
            std::fs::write(&path, text.replace(from, to)).expect("write");
        };
        edit(1, "title: Co 1", "title: [Co 1");
        edit(2, r#"metric(id="revenue")"#, r#"metric(id="revenu")"#);
        let errors = build_with(&opts, Some(&mut memo)).expect_err("two mistakes");
        let mut codes: Vec<&str> = errors.iter().map(|d| d.code).collect();
        codes.sort_unstable();
        assert_eq!(codes, ["TS0102", "TS0220"]);
        // The second brief: its page, and the listing page it is now
        // alone on. Rendering every page read all five.
        assert_eq!(memo.tables.take_read(), 1);
    }

    /// A memo made for one build (`--no-cache`, `check`) keeps no entry
    /// of the title-and-summary index it wrote (at 100,000 briefs they
    /// were 46 MB of the peak), nor does `build`'s, kept on disk (the
    /// entries are not stored there); serve's, kept in memory for its
    /// next build, keeps each brief's.
    #[test]
    fn only_serve_keeps_search_entries() {
        let cache = tempfile::tempdir().expect("temp dir");
        let mut on_disk = Memo::load(cache.path(), &cache.path().join("public"), 0);
        assert_eq!(entries_kept(&mut Memo::for_one_build()), 0);
        assert_eq!(entries_kept(&mut on_disk), 0);
        assert_eq!(entries_kept(&mut Memo::default()), 2);
    }
}
