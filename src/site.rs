//! The build, as a straight list of steps, each timed: read settings →
//! find files → load documents → validate pages → check across pages →
//! load the theme → render and write → swap the output in. Every step
//! returns values; diagnostics from all pages are gathered before the
//! build decides to stop, so one run reports every error.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::check;
use crate::diagnostic::{self, Diagnostic};
use crate::load::front_matter::Document;
use crate::load::site_config::SiteConfig;
use crate::load::walk;
use crate::model::page::Page;
use crate::model::site_index::SiteIndex;
use crate::render::context::Shared;
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

/// What a successful run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Warnings (a successful build has no errors).
    pub warnings: Vec<Diagnostic>,
    pub pages: usize,
    pub briefs: usize,
    pub charts: usize,
    pub files: usize,
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

/// Builds (or, with `write: false`, checks) the site.
pub fn build(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let mut t = Timer {
        last: Instant::now(),
        timings: Vec::new(),
    };
    let root = &opts.root;

    let config = SiteConfig::load(root, opts.base_url.as_deref()).map_err(|d| vec![d])?;
    let output = opts.output.clone().unwrap_or_else(|| root.join("public"));
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

    let files = walk::content(root).map_err(|d| vec![d])?;
    let (static_files, static_links) = walk::walk(root, "static").map_err(|d| vec![d])?;
    t.lap("discover");

    let loaded: Vec<Result<Document, Diagnostic>> = files
        .pages
        .par_iter()
        .map(|rel| {
            let bytes = std::fs::read(root.join(rel)).map_err(|e| {
                Diagnostic::error("TS0108", rel.clone(), format!("cannot read: {e}"))
            })?;
            let content_path = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
            Document::parse(rel.clone(), content_path, bytes)
        })
        .collect();
    t.lap("load");

    let mut errors = Vec::new();
    let validated: Vec<Result<Page, Vec<Diagnostic>>> = loaded
        .into_par_iter()
        .map(|doc| Page::from_document(doc.map_err(|d| vec![d])?, &config))
        .collect();
    let mut pages = Vec::with_capacity(validated.len());
    for v in validated {
        match v {
            Ok(p) => pages.push(p),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !opts.drafts {
        pages.retain(|p| !p.draft);
    }
    t.lap("validate");

    errors.extend(check::unique_urls(&pages));
    errors.extend(files.links.iter().cloned());
    errors.extend(static_links);
    let (index, index_errors) = SiteIndex::build(&pages);
    errors.extend(index_errors);
    let consistency: Vec<Vec<Diagnostic>> = pages
        .par_iter()
        .map(|p| {
            p.brief
                .as_ref()
                .map(|b| check::consistency::brief(p, b))
                .unwrap_or_default()
        })
        .collect();
    errors.extend(consistency.into_iter().flatten());
    let (restated, flags) = check::restatement::restatements(&pages);
    errors.extend(restated);
    for flag in flags {
        pages[flag.page].restated.push((flag.key, flag.from));
    }
    errors.extend(check::restatement::currencies(&pages));
    errors.extend(check::restatement::sequential_growth(&pages));
    // Each brief's metrics across its company's briefs (sparklines).
    for company in index.companies.values() {
        let series = crate::model::site_index::metric_series(&pages, &company.briefs, config.lang);
        for &i in &company.briefs {
            let Some(period) = pages[i].brief.as_ref().map(|b| b.period) else {
                continue;
            };
            let keys: Vec<String> = pages[i]
                .brief
                .iter()
                .flat_map(|b| b.metrics.iter().map(|m| m.key.clone()))
                .collect();
            for key in keys {
                let Some(s) = series.iter().find(|s| s.key == key) else {
                    continue;
                };
                let values: Vec<f64> = s
                    .points
                    .iter()
                    .filter(|(p, _)| p.sort_key() <= period.sort_key())
                    .map(|(_, f)| f.value())
                    .collect();
                if values.len() >= 2 {
                    pages[i].history.push((key, values));
                }
            }
        }
    }
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
        site: &config,
        theme: &theme,
        shared: Shared::new(&config, nav, &assets),
    };

    let emit = |s: &Staging, o: &crate::render::Output| match &opts.inject {
        Some(snippet) if o.path.ends_with(".html") => s.write(&o.path, &inject(&o.bytes, snippet)),
        _ => s.write(&o.path, &o.bytes),
    };
    let staging = if write {
        Some(Staging::create(&output_abs, &shown).map_err(|d| vec![d])?)
    } else {
        None
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let written: Vec<Result<usize, Vec<Diagnostic>>> = pages
        .par_iter()
        .map(|page| {
            // Interrupted: render no more, stop at the check below.
            if staging.is_some() && crate::interrupt::received().is_some() {
                return Ok(0);
            }
            if let Some(p) = &opts.progress {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                (p.0)(n, pages.len());
            }
            let outputs = renderer.page(page)?;
            if let Some(s) = &staging {
                for o in &outputs {
                    emit(s, o).map_err(|d| vec![d])?;
                }
            }
            Ok(outputs.len())
        })
        .collect();
    let mut files_written = 0;
    for w in written {
        match w {
            Ok(n) => files_written += n,
            Err(mut e) => errs.append(&mut e),
        }
    }
    // Listings, feed, sitemap, search: computed from the index.
    let mut listing_pages = 0;
    let listings = (|| -> Result<Vec<crate::render::Output>, Vec<Diagnostic>> {
        let mut out = renderer.home_pages(&pages, &index)?;
        out.extend(renderer.companies(&pages, &index)?);
        out.extend(renderer.tags(&pages, &index)?);
        out.push(renderer.not_found()?);
        out.push(renderer.feed(&pages, &index)?);
        let listing_urls: Vec<String> = out
            .iter()
            .filter_map(|o| o.path.strip_suffix("index.html").map(str::to_string))
            .collect();
        out.push(renderer.sitemap(&pages, &listing_urls)?);
        out.push(renderer.robots());
        out.extend(renderer.search_index(&pages, &index));
        Ok(out)
    })();
    match listings {
        Ok(outputs) => {
            listing_pages = outputs.iter().filter(|o| o.path.ends_with(".html")).count();
            if let Some(s) = &staging {
                if let Some(e) = outputs.iter().find_map(|o| emit(s, o).err()) {
                    errs.push(e);
                }
            }
            files_written += outputs.len();
        }
        Err(mut e) => errs.append(&mut e),
    }
    t.lap("render");
    if staging.is_some() {
        if let Some(sig) = crate::interrupt::received() {
            return Err(vec![crate::interrupt::interrupted(&shown, sig)]);
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
        for (path, bytes) in BUILTIN_STATIC {
            if !crate::render::theme::HASHED.contains(path) {
                s.write(path, bytes).map_err(|d| vec![d])?;
            }
        }
        for (path, bytes) in &assets.files {
            s.write(path, bytes).map_err(|d| vec![d])?;
        }
        for rel in &static_files {
            let out = rel
                .strip_prefix("static")
                .unwrap_or(rel)
                .to_string_lossy()
                .replace('\\', "/");
            s.copy(&root.join(rel), &out).map_err(|d| vec![d])?;
            files_written += 1;
        }
        for rel in &files.assets {
            let out = rel
                .strip_prefix("content")
                .unwrap_or(rel)
                .to_string_lossy()
                .replace('\\', "/");
            s.copy(&root.join(rel), &out).map_err(|d| vec![d])?;
            files_written += 1;
        }
        s.commit().map_err(|d| vec![d])?;
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
            .map(|b| b.charts.len())
            .sum(),
        files: files_written,
        timings: t.timings,
    })
}
