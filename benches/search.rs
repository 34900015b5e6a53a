//! `cargo bench --bench search`: microseconds of CPU per brief to cut a
//! brief's text into search terms, the part of the search index that
//! grows with the archive's text (issue 20: 23% of a clean build's CPU at
//! 2,000 briefs, by `perf`): `plain` (the body's Markdown to plain text)
//! and `distinct` (the text to its distinct terms, cut as
//! `static/search.js` cuts a query), then `record`: the two in one pass
//! over the Markdown's events, as the build makes a brief's record (its
//! terms, and the start of its text for the excerpt). On one thread, over
//! the bodies of a generated corpus (TEARSHEET_BENCH_BRIEFS, default 500)
//! and over this repository's own briefs (real Chinese and English
//! research text).
//!
//! Each figure is this thread's CPU time over all rounds, per brief, after
//! a warm-up round; the fastest round's wall time is shown beside it.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;
mod support;

use tearsheet::testing::search::{body_terms, distinct_terms, plain};
use tearsheet::testing::Document;

/// The Markdown bodies of the briefs under `root`'s `content/briefs`, as
/// the build reads them.
fn bodies(root: &Path) -> Vec<String> {
    support::briefs(root)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| {
            let bytes = std::fs::read(p).expect("brief");
            let doc = Document::parse(p.clone(), p.clone(), bytes).expect("a brief that parses");
            doc.body().to_string()
        })
        .collect()
}

/// CPU µs per body of `work` over `rounds` rounds, and the fastest
/// round's wall µs per body.
fn measure(bodies: &[String], rounds: usize, work: impl Fn(&str) -> usize) -> (f64, f64) {
    let all = || bodies.iter().map(|b| work(b)).sum::<usize>();
    black_box(all());
    let (mut cpu, mut best) = (0u64, f64::MAX);
    for _ in 0..rounds {
        let (t, c0) = (Instant::now(), support::thread_cpu_ns());
        black_box(all());
        best = best.min(t.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (c0, support::thread_cpu_ns()) {
            cpu += b - a;
        }
    }
    let per = (rounds * bodies.len()) as f64;
    (cpu as f64 / 1e3 / per, best * 1e6 / bodies.len() as f64)
}

fn report(name: &str, bodies: &[String], rounds: usize) {
    let bytes: usize = bodies.iter().map(String::len).sum();
    let texts: Vec<String> = bodies.iter().map(|b| plain(b)).collect();
    let (p_cpu, p_wall) = measure(bodies, rounds, |b| plain(b).len());
    let (d_cpu, d_wall) = measure(&texts, rounds, distinct_terms);
    let (r_cpu, r_wall) = measure(bodies, rounds, body_terms);
    println!(
        "{name}: {} briefs, {:.1} KB of Markdown each\n  \
         plain    {p_cpu:5.1} µs CPU per brief (fastest round {p_wall:.1} µs wall)\n  \
         distinct {d_cpu:5.1} µs CPU per brief (fastest round {d_wall:.1} µs wall)\n  \
         record   {r_cpu:5.1} µs CPU per brief (fastest round {r_wall:.1} µs wall)",
        bodies.len(),
        bytes as f64 / bodies.len() as f64 / 1e3,
    );
}

fn main() {
    support::print_cores();
    let n = support::number("TEARSHEET_BENCH_BRIEFS", 500);
    let dir = tempfile::tempdir().expect("temp dir");
    gen_corpus::generate(n, dir.path()).expect("corpus");
    report("generated corpus", &bodies(dir.path()), 10);
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    report("this repository's briefs", &bodies(here), 200);
}
