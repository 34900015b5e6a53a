//! `tearsheet export`: a brief as one self-contained HTML file (see
//! `crate::export`); `--pdf` prints it to PDF with a headless Chromium.

use std::path::{Path, PathBuf};

use crate::cmd::print_diagnostics;
use crate::load::front_matter::Document;
use crate::model::urls;
use crate::site::{self, Options};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  tearsheet export content/briefs/2025q2-kuaishou.md -o kuaishou.html\n  tearsheet export --all reports/\n  tearsheet export content/briefs/2025q2-kuaishou.md -o kuaishou.pdf --pdf"
)]
pub struct Args {
    /// The brief to export (a file under content/)
    pub brief: Option<PathBuf>,
    /// The file to write
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Export every brief into this folder (one NAME.html each)
    #[arg(long, conflicts_with_all = ["brief", "output"])]
    pub all: Option<PathBuf>,
    /// Write PDF instead of HTML (needs Chromium: Debian package `chromium`)
    #[arg(long)]
    pub pdf: bool,
    /// The site folder
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(args: Args) -> i32 {
    let tmp = std::env::temp_dir().join(format!("tearsheet-export-{}", std::process::id()));
    let site_dir = tmp.join("site");
    let opts = Options {
        root: args.root.clone(),
        output: Some(site_dir.clone()),
        write: true,
        tool: crate::tool::id(),
        ..Options::default()
    };
    let code = match site::build(&opts) {
        Err(diags) => {
            print_diagnostics(&diags);
            1
        }
        Ok(_) => export(&args, &site_dir),
    };
    let _ = std::fs::remove_dir_all(&tmp);
    code
}

fn export(args: &Args, site_dir: &Path) -> i32 {
    let Ok(config) = crate::load::site_config::SiteConfig::load(&args.root, None) else {
        return 1;
    };
    // Brief file → page URL: the same mapping the build used.
    let briefs: Vec<(PathBuf, String)> = match (&args.brief, &args.all) {
        (Some(b), None) => match page_of(&args.root, b) {
            Some(page) => vec![(b.clone(), page.url)],
            None => {
                eprintln!("error: {} is not a page of the site", b.display());
                return 1;
            }
        },
        (None, Some(_)) => crate::load::walk::content(&args.root)
            .map(|c| c.pages)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| {
                let page = page_of(&args.root, &args.root.join(&p))?;
                page.brief.then_some((p, page.url))
            })
            .collect(),
        _ => {
            eprintln!("error: name a brief (tearsheet export content/briefs/NAME.md -o NAME.html) or use --all DIR");
            return 2;
        }
    };
    for (file, url) in briefs {
        let page = site_dir.join(urls::index_file(&url));
        let Ok(html) = std::fs::read_to_string(&page) else {
            eprintln!(
                "error: {} is not a page of the site (drafts are not exported)",
                file.display()
            );
            return 1;
        };
        let report = crate::export::self_contained(&html, site_dir, &url, &config.base_url);
        let stem = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("brief")
            .to_string();
        let out = match (&args.output, &args.all) {
            (Some(o), _) => o.clone(),
            (None, Some(dir)) => {
                dir.join(format!("{stem}.{}", if args.pdf { "pdf" } else { "html" }))
            }
            (None, None) => {
                PathBuf::from(format!("{stem}.{}", if args.pdf { "pdf" } else { "html" }))
            }
        };
        if let Some(parent) = out.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let written = if args.pdf {
            pdf(&report, &out)
        } else {
            std::fs::write(&out, report).map_err(|e| e.to_string())
        };
        if let Err(e) = written {
            eprintln!("error: {}: {e}", out.display());
            return 1;
        }
        println!("Exported {}", out.display());
    }
    0
}

/// A content file as the build sees it: its page URL and whether it is a
/// brief that was built.
struct PageOf {
    url: String,
    brief: bool,
}

/// Reads `file` (under `root`'s `content/`) as the build does and places
/// it with [`urls::page`]: `content/briefs/x.md` → `briefs/x/`,
/// `content/briefs/index.md` → `briefs/`, `slug:` replacing the stem.
/// `None` when it cannot be read (the build reported that).
fn page_of(root: &Path, file: &Path) -> Option<PageOf> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let content_path = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
    let bytes = std::fs::read(file).ok()?;
    let doc = Document::parse(file.to_path_buf(), content_path.clone(), bytes).ok()?;
    let stem = content_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let fm = &doc.front_matter;
    Some(PageOf {
        url: urls::page(&content_path, fm.slug.as_deref().unwrap_or(&stem), &stem),
        brief: fm.company.is_some() && !fm.draft,
    })
}

fn pdf(html: &str, out: &Path) -> Result<(), String> {
    let chromium = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok()
        })
        .ok_or("no Chromium found: install it (Debian: apt-get install chromium) to export PDF")?;
    let dir = std::env::temp_dir().join(format!("tearsheet-pdf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let src = dir.join("report.html");
    std::fs::write(&src, html).map_err(|e| e.to_string())?;
    let out_abs = crate::write::absolute(out);
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", out_abs.display()))
        .arg(format!("file://{}", src.display()))
        .output()
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    if status.status.success() && out_abs.exists() {
        Ok(())
    } else {
        Err(format!(
            "Chromium could not print the PDF: {}",
            String::from_utf8_lossy(&status.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ))
    }
}
