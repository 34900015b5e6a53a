//! The floor program: the least a static site generator must do for a
//! corpus of briefs — read each file, parse its YAML front matter, turn its
//! Markdown body into HTML and write one page — on 2 threads, with nothing
//! else (no validation, templates, charts, listings or checks). A clean
//! `tearsheet build` is measured against it (docs/performance.md; the
//! build bench runs it beside tearsheet):
//! `cargo run --release --example floor -- CORPUS OUTPUT`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

/// The front matter and body of a file (`---` fenced YAML first).
fn split(text: &str) -> (&str, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return ("", text);
    };
    match rest.find("\n---\n") {
        Some(end) => (&rest[..end], &rest[end + 5..]),
        None => ("", text),
    }
}

/// One page: read, YAML, Markdown, written under `out`. Returns its bytes.
fn page(content: &Path, file: &Path, out: &Path) -> std::io::Result<usize> {
    let text = std::fs::read_to_string(file)?;
    let (yaml, body) = split(&text);
    let front: serde_yaml::Value = serde_yaml::from_str(yaml).map_err(std::io::Error::other)?;
    let title = front
        .get("title")
        .and_then(serde_yaml::Value::as_str)
        .unwrap_or("");
    let mut html = format!("<!doctype html><title>{title}</title>\n");
    let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
    pulldown_cmark::html::push_html(&mut html, parser);
    let rel = file
        .strip_prefix(content)
        .unwrap_or(file)
        .with_extension("");
    let dir = out.join(rel);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("index.html"), &html)?;
    Ok(html.len())
}

/// Writes a page into `out` for every Markdown file under `root`'s
/// `content/`, on 2 threads; returns the pages and the bytes written.
pub fn floor(root: &Path, out: &Path) -> (usize, usize) {
    let content = root.join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("thread pool");
    let bytes = pool.install(|| {
        files
            .par_iter()
            .map(|f| page(&content, f, out).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
            .sum()
    });
    (files.len(), bytes)
}

#[allow(dead_code)]
fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("usage: floor CORPUS OUTPUT");
        std::process::exit(2);
    };
    let start = Instant::now();
    let (pages, bytes) = floor(root, out);
    println!(
        "floor: {pages} pages, {:.1} MB written in {:.0} ms",
        bytes as f64 / 1e6,
        start.elapsed().as_secs_f64() * 1000.0
    );
}
