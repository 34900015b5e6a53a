//! The steps that make the output: load the theme, plan every file as a
//! fingerprinted job (`render::plan`, `incremental::fingerprint`), render
//! and write the jobs the build cache does not know, and put the output
//! in place with the files copied verbatim.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{self, Diagnostic};
use crate::hash::Hash;
use crate::incremental::cache::{self, Cache};
use crate::incremental::fingerprint::{self, Fingerprints};
use crate::incremental::whole::Whole;
use crate::load::walk::Found;
use crate::model::company::Companies;
use crate::model::page::FigureTable;
use crate::render::context::Shared;
use crate::render::listed::ListedEntries;
use crate::render::plan::{indexing_cost, Job, Plan};
use crate::render::search::fallback::Fallback;
use crate::render::search::update::Since;
use crate::render::theme::{Assets, Theme, BUILTIN_STATIC};
use crate::render::{Output, Renderer};
use crate::site::progress::Ticks;
use crate::site::{fail_on, Build, Phase, Report, Settings, Stop};
use crate::write::Staging;

/// The cache's name for the files copied verbatim (theme assets,
/// `static/`, the asset folders of content pages).
const STATIC_KEY: &str = "(static files)";

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
    files: Arc<[String]>,
    rendered: bool,
}

/// What the render step leaves for the write step.
pub(crate) struct Rendered {
    /// The staging folder the rendered files went into (none for `check`).
    staging: Option<Staging>,
    /// The build cache's entries of this build, by job key.
    entries: std::collections::HashMap<String, cache::Entry>,
    /// The build, as its marker names it.
    build_id: String,
    files: usize,
    rendered: usize,
    listing_pages: usize,
    jobs: usize,
    /// The assets the theme's pages link to.
    assets: Assets,
    /// Whether the kept build cache describes the output being updated.
    cached: bool,
}

impl Rendered {
    /// Counts the finished jobs and notes each one's files for the build
    /// cache; the errors of those that failed go to `errors`.
    fn tally(
        &mut self,
        finished: Vec<Result<JobDone, Vec<Diagnostic>>>,
        keyed: Vec<(String, u64)>,
        plan: &Plan,
        errors: &mut Vec<Diagnostic>,
    ) {
        for ((done, (key, fingerprint)), job) in finished.into_iter().zip(keyed).zip(&plan.jobs) {
            match done {
                Ok(done) => {
                    self.files += done.files.len();
                    self.rendered += usize::from(done.rendered);
                    self.listing_pages += usize::from(job.is_listing());
                    self.entries.insert(
                        key,
                        cache::Entry {
                            fingerprint,
                            files: done.files,
                        },
                    );
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
    }
}

/// What the write step did.
pub(crate) struct Written {
    files: usize,
    rendered: usize,
    listing_pages: usize,
    jobs: usize,
}

/// Every file copied verbatim into the output, with its output path:
/// the theme's static files and hashed assets, `static/`, and the asset
/// folders beside content pages.
fn static_files_of(
    root: &Path,
    found: &Found,
    assets: &Assets,
) -> Result<Vec<(String, Vec<u8>)>, Diagnostic> {
    let mut out: Vec<(String, Vec<u8>)> = BUILTIN_STATIC
        .iter()
        .filter(|(path, _)| !crate::render::theme::HASHED.contains(path))
        .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
        .collect();
    out.extend(assets.files.iter().cloned());
    let copied = found
        .static_files
        .iter()
        .map(|rel| (rel, "static"))
        .chain(found.content.assets.iter().map(|rel| (rel, "content")));
    for (rel, under) in copied {
        let path = rel
            .strip_prefix(under)
            .unwrap_or(rel)
            .to_string_lossy()
            .replace('\\', "/");
        out.push((path, crate::load::read(root, rel)?));
    }
    Ok(out)
}

/// The plain pages the navigation links to: those at the top level.
fn navigation(pages: &[crate::model::page::Page]) -> Vec<(String, String)> {
    pages
        .iter()
        .filter(|p| p.brief.is_none() && p.url.matches('/').count() == 1)
        .map(|p| (p.title.clone(), p.url.clone()))
        .collect()
}

impl Build<'_> {
    /// Loads the theme; without one nothing can be rendered, and the run
    /// stops with `errors` and the theme's.
    pub(super) fn theme(&self, errors: &mut Vec<Diagnostic>) -> Result<Theme, Stop> {
        match Theme::load(&self.opts.root) {
            Ok(theme) => Ok(theme),
            Err(mut e) => {
                errors.append(&mut e);
                diagnostic::sort(errors);
                Err(Stop::Failed(std::mem::take(errors)))
            }
        }
    }

    /// Plans every output file as a job, renders the jobs whose
    /// fingerprint the build cache does not know and writes their files
    /// into a staging folder (when the build writes and `errors` is
    /// empty: otherwise it renders to report what rendering finds).
    pub(super) fn render(
        &mut self,
        settings: &Settings,
        whole: &Whole,
        theme: &Theme,
        companies: &Companies,
        errors: &mut Vec<Diagnostic>,
    ) -> Result<Rendered, Stop> {
        let opts = self.opts;
        self.tables.search.keep(self.memo.keeps());
        self.tables.search.keep_with(self.memo.records());
        let index = &whole.index;
        let config = &settings.config;
        let assets = Assets::resolve(&opts.root);
        let shared = Shared::new(config, navigation(&self.tables.pages), &assets);
        let global = fingerprint::global(
            opts.tool,
            &format!("{config:?}"),
            theme.fingerprint(),
            &assets.files,
            &shared.fingerprint_text(),
            opts.inject.as_deref().unwrap_or(""),
        );
        let plan = Plan::new(&self.tables.pages, index, config.per_page);
        let keyed = self.keyed(&plan, whole, global, companies);
        let build_id = {
            let mut h = Hash::new(0);
            for (key, f) in &keyed {
                h.str(key);
                h.u64(*f);
            }
            format!("{:016x}", h.finish())
        };
        let write = opts.write && errors.is_empty();
        // The memo's cache stays in the memo until a new one replaces it: a
        // failed build leaves the output, and so the cache, as they were.
        // A build that has failed already still skips the jobs the cache
        // holds: each rendered without an error from the same inputs (only
        // a successful build keeps a cache), so rendering it again could
        // report nothing new. Rendering them all made a failed one-edit
        // build at 100,000 briefs take 19.9 s and 535 MiB, against 2.0 s
        // and 492 MiB for the same edit without the error.
        let empty = Cache::default();
        let cache: &Cache = match &self.memo.cache {
            Some(c) if opts.write && opts.cache && c.describes(&settings.output) => c,
            _ => &empty,
        };
        let since = plan
            .jobs
            .iter()
            .position(|j| matches!(j, Job::Search))
            .map(|at| Since {
                output: cache.fingerprint(&keyed[at].0),
                now: keyed[at].1,
                global,
            });
        self.tables.search.expect(since);
        let reused: Vec<Option<Arc<[String]>>> = keyed
            .par_iter()
            .map(|(key, fingerprint)| cache.reusable(key, *fingerprint).cloned())
            .collect();
        let cached = !cache.is_empty();
        let staging = match write {
            true => Some(Staging::create(
                &settings.output,
                &settings.shown,
                &build_id,
                cached,
                &opts.cancel,
            )?),
            false => None,
        };
        let listed = ListedEntries::new(self.tables.pages.len());
        let none = FigureTable::default();
        let renderer = Renderer {
            root: &opts.root,
            site: config,
            theme,
            shared: &shared,
            listed: &listed,
            figures: &none,
            search: &self.tables.search,
            companies,
        };
        let finished = self.run_jobs(&renderer, &plan, index, &reused, staging.as_ref())?;
        let mut rendered = Rendered {
            staging,
            entries: Default::default(),
            build_id,
            files: 0,
            rendered: 0,
            listing_pages: 0,
            jobs: plan.jobs.len(),
            assets,
            cached,
        };
        rendered.tally(finished, keyed, &plan, errors);
        Ok(rendered)
    }

    /// [`run_jobs`] over the build's pages, each job with the figures of
    /// the briefs it shows read from the store as it starts (and dropped
    /// when it is done; a listing needs only those of briefs not listed
    /// before). Figures that do not read back stop the run (nothing is
    /// written) for the build to start afresh.
    fn run_jobs(
        &self,
        renderer: &Renderer,
        plan: &Plan,
        index: &crate::model::site_index::SiteIndex,
        reused: &[Option<Arc<[String]>>],
        staging: Option<&Staging>,
    ) -> Result<Vec<Result<JobDone, Vec<Diagnostic>>>, Stop> {
        let afresh = AtomicBool::new(false);
        let (tables, memo, listed) = (&self.tables, &*self.memo, renderer.listed);
        let figures_of = |job: &Job| -> Option<FigureTable> {
            let shows = job.shows();
            let read = match job.lists_only() {
                true => memo.read_figures(tables, &listed.unmade(shows)),
                false => memo.read_figures(tables, shows),
            };
            if read.is_none() {
                afresh.store(true, Ordering::Relaxed);
            }
            read
        };
        let finished = run_jobs(
            renderer,
            plan,
            (&tables.pages, index),
            reused,
            staging,
            self.opts,
            &figures_of,
        );
        match afresh.load(Ordering::Relaxed) {
            true => Err(Stop::Afresh),
            false => Ok(finished),
        }
    }

    /// Each job's key and fingerprint.
    fn keyed(
        &self,
        plan: &Plan,
        whole: &Whole,
        global: u64,
        companies: &Companies,
    ) -> Vec<(String, u64)> {
        let pages = &self.tables.pages;
        let fingerprints = Fingerprints::new(
            global,
            whole.placed(plan, pages),
            &whole.index,
            &self.tables,
            companies.hash(),
        );
        plan.jobs
            .par_iter()
            .zip(whole.keys(plan, pages))
            .map(|(job, key)| {
                (
                    key.clone(),
                    fingerprint::job(job, &fingerprints, &whole.index),
                )
            })
            .collect()
    }

    /// Puts the output in place: the files copied verbatim, then the
    /// staging folder swapped in (or moved into the output), and the
    /// build cache of the new output kept. `errors` (of every step so
    /// far) stop the run first.
    pub(super) fn write(
        &mut self,
        found: &Found,
        settings: &Settings,
        rendered: Rendered,
        errors: Vec<Diagnostic>,
    ) -> Result<Written, Stop> {
        if rendered.staging.is_some() {
            if let Some(sig) = self.opts.cancel.requested() {
                return Err(vec![crate::cancel::interrupted(&settings.shown, sig)].into());
            }
        }
        let mut errors = errors;
        diagnostic::sort(&mut errors);
        // A full or read-only disk fails every write: the first says it.
        let mut seen = false;
        errors.retain(|d| d.code != "TS0502" || !std::mem::replace(&mut seen, true));
        fail_on(errors)?;
        let Rendered {
            staging,
            mut entries,
            build_id,
            files,
            rendered,
            listing_pages,
            jobs,
            assets,
            cached,
        } = rendered;
        let mut written = Written {
            files,
            rendered,
            listing_pages,
            jobs,
        };
        let Some(s) = staging else {
            return Ok(written);
        };
        let statics = static_files_of(&self.opts.root, found, &assets)?;
        written.files += statics.len();
        let mut h = Hash::new(0);
        for (path, bytes) in &statics {
            h.str(path);
            h.bytes(bytes);
        }
        let fingerprint = h.finish();
        let empty = Cache::default();
        let cache = match (&self.memo.cache, cached) {
            (Some(c), true) => c,
            _ => &empty,
        };
        if cache.reusable(STATIC_KEY, fingerprint).is_none() {
            for (path, bytes) in &statics {
                s.write(path, bytes)?;
            }
        }
        entries.insert(
            STATIC_KEY.to_string(),
            cache::Entry {
                fingerprint,
                files: statics.into_iter().map(|(p, _)| p).collect(),
            },
        );
        let removed = cache.removed(&entries);
        s.commit(&removed)?;
        // Only a cache describing the output now in place is kept.
        self.memo.cache = Some(Cache::new(
            &settings.output,
            &build_id,
            entries,
            self.opts.tool,
        ));
        Ok(written)
    }

    /// What the run did.
    pub(super) fn report(
        &self,
        whole: &Whole,
        warnings: Vec<Diagnostic>,
        written: Written,
        parsed: usize,
    ) -> Report {
        let mut warnings = warnings;
        diagnostic::sort(&mut warnings);
        let pages = &self.tables.pages;
        Report {
            warnings,
            pages: pages.len() + written.listing_pages,
            briefs: whole.index.briefs.len(),
            charts: pages
                .iter()
                .filter_map(|p| p.brief.as_ref())
                .map(|b| b.chart_count)
                .sum(),
            files: written.files,
            jobs: written.jobs,
            rendered: written.rendered,
            parsed,
            figures_read: self.tables.take_read(),
            texts_cut: self.tables.search.take_texts_cut(),
            timings: self.timings.clone(),
            peak_rss: self.peak_rss.clone(),
        }
    }
}

/// The title-and-summary index's files, written into `staging` as they
/// are made (none made without one: they hold nothing to check).
fn write_fallback(
    renderer: &Renderer,
    pages: &[crate::model::page::Page],
    index: &crate::model::site_index::SiteIndex,
    staging: Option<&Staging>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let [json, script] = Fallback::BOTH;
    if let Some(s) = staging {
        let mut a = s.stream(json.path()).map_err(|d| vec![d])?;
        let mut b = s.stream(script.path()).map_err(|d| vec![d])?;
        let written = renderer.write_fallback(pages, index, [&mut a, &mut b]);
        written.map_err(|(file, e)| vec![s.cannot_write(file.path(), e)])?;
        a.finish().map_err(|d| vec![d])?;
        b.finish().map_err(|d| vec![d])?;
    }
    Ok(vec![json.path().to_string(), script.path().to_string()])
}

/// Renders the jobs `reused` has no files for (each with the figures
/// `figures` reads for it; none: the job fails without a diagnostic, the
/// caller knows why) and writes their files into `staging`, in parallel;
/// stops rendering once the build is asked to.
fn run_jobs(
    renderer: &Renderer,
    plan: &Plan,
    (pages, index): (
        &[crate::model::page::Page],
        &crate::model::site_index::SiteIndex,
    ),
    reused: &[Option<Arc<[String]>>],
    staging: Option<&Staging>,
    opts: &crate::site::Options,
    figures: &(dyn Fn(&Job) -> Option<FigureTable> + Sync),
) -> Vec<Result<JobDone, Vec<Diagnostic>>> {
    let emit = |s: &Staging, o: &Output| match &opts.inject {
        Some(snippet) if o.path.ends_with(".html") => s.write(&o.path, &inject(&o.bytes, snippet)),
        _ => s.write(&o.path, &o.bytes),
    };
    // The phase is counted in what its jobs cost (`Job::cost`), of those
    // it renders: a job carried over costs nothing.
    let briefs = index.briefs.len();
    let ticks = Ticks::new(opts.progress.as_ref(), Phase::Rendering);
    let cost = |job: &Job, kept: &Option<Arc<[String]>>| match kept {
        Some(_) => 0,
        None => job.cost(briefs),
    };
    ticks.start(plan.jobs.iter().zip(reused).map(|(j, k)| cost(j, k)).sum());
    let run = |job: &Job, kept: &Option<Arc<[String]>>| -> Result<JobDone, Vec<Diagnostic>> {
        // Asked to stop: render no more, stop before the write step.
        if staging.is_some() && opts.cancel.requested().is_some() {
            return Ok(JobDone {
                files: Arc::new([]),
                rendered: false,
            });
        }
        if let Some(files) = kept {
            return Ok(JobDone {
                files: Arc::clone(files),
                rendered: false,
            });
        }
        // Thousands of files, or two of 28 MB at 100,000 briefs: each
        // written as it is made, not held; in an update, only those that
        // changed (an edit changes its brief's block and the shards of the
        // words it added or removed: at 10,000 briefs ~10 of 755 files).
        let mut files = Vec::new();
        let mut sink = |o: Output| {
            if let Some(s) = staging.filter(|s| !s.holds(&o.path, &o.bytes)) {
                emit(s, &o)?;
            }
            files.push(o.path);
            Ok(())
        };
        // The full-text index, a fifth of a build's work, is counted as
        // it goes.
        let indexed = |n: usize| ticks.tick_by(indexing_cost(n));
        let streamed = match job {
            Job::Search => Some(renderer.search_index(pages, index, &mut sink, &indexed)?),
            Job::SearchFallback => Some(write_fallback(renderer, pages, index, staging)?),
            _ => None,
        };
        if let Some(kept) = streamed {
            files.extend(kept);
            return Ok(JobDone {
                files: files.into(),
                rendered: true,
            });
        }
        let held = figures(job).ok_or_else(Vec::new)?;
        let renderer = Renderer {
            figures: &held,
            ..*renderer
        };
        let outputs = renderer.run(job, plan, pages, index)?;
        drop(held);
        if let Some(s) = staging {
            for o in &outputs {
                emit(s, o).map_err(|d| vec![d])?;
            }
        }
        Ok(JobDone {
            files: outputs.into_iter().map(|o| o.path).collect(),
            rendered: true,
        })
    };
    plan.jobs
        .par_iter()
        .zip(reused.par_iter())
        .map(|(job, kept)| {
            let done = run(job, kept);
            // The full-text index has told its cost as it went.
            if !matches!(job, Job::Search) {
                ticks.tick_by(cost(job, kept));
            }
            done
        })
        .collect()
}
