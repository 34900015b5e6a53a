//! The shape of a build as the archive grows, on generated corpora small
//! enough for `cargo test` (the sizes themselves are benchmarked by
//! `cargo bench --bench build`): what each brief adds to the peak memory
//! of a `tearsheet build` and to its output stays under its share of the
//! budgets for 100,000 briefs (docs/performance.md): 400 MiB of memory,
//! 30 KB and 1.5 files of output per brief on average.
//!
//! Memory is the peak RSS of the child process, from the kernel (`wait4`),
//! compared between two corpus sizes: the difference divided by the
//! difference in briefs is what a brief costs, without the fixed part
//! (the binary, the theme, the thread stacks).

#![cfg(target_os = "linux")]

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;
#[path = "../benches/support/measure.rs"]
mod measure;

use std::path::Path;

/// Peak RSS (KiB) of `tearsheet build --no-cache` of `root` into `out`.
fn peak_rss_of_build(root: &Path, out: &Path) -> u64 {
    measure::tearsheet(&["build", "--no-cache", "--quiet"], root, out).rss
}

#[test]
#[ignore = "the output part is not met yet: 43.3 KB per brief at 100,000 briefs (memory is: 384-395 MiB at 100,000; docs/performance.md); run with --ignored"]
fn memory_and_output_per_brief_stay_within_their_share_of_the_budgets() {
    let (small, large) = (150u64, 600u64);
    let mut peaks = Vec::new();
    let mut written = (0, 0);
    for n in [small, large] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (root, out) = (dir.path().join("site"), dir.path().join("public"));
        gen_corpus::generate(n as usize, &root).expect("corpus");
        peaks.push(peak_rss_of_build(&root, &out));
        written = measure::size_of(&out);
    }
    let per_brief_kib = (peaks[1].saturating_sub(peaks[0])) as f64 / (large - small) as f64;
    let budget_kib = 400.0 * 1024.0 / 100_000.0;
    assert!(
        per_brief_kib <= budget_kib,
        "each brief adds {per_brief_kib:.2} KiB to the peak memory ({} KiB at {small} briefs, {} KiB at {large}); the budget is {budget_kib:.2} KiB",
        peaks[0],
        peaks[1]
    );
    let (bytes, files) = (
        written.0 as f64 / large as f64,
        written.1 as f64 / large as f64,
    );
    assert!(bytes <= 30_000.0, "{bytes:.0} bytes of output per brief");
    assert!(files <= 1.5, "{files:.2} files of output per brief");
}

/// The part of the output budget that is met holds in every `cargo test`:
/// what each brief adds to the output is at most 1.5 files (its page, its
/// share of listings, company pages, tag pages and the search index; no
/// file per chart unless `chart_files: true`). Counted between two corpus
/// sizes, like memory above: the fixed part (the theme's assets, the
/// search index's shards) does not count.
#[test]
fn each_brief_adds_at_most_one_and_a_half_files() {
    let (small, large) = (150usize, 450usize);
    let mut files = Vec::new();
    for n in [small, large] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (root, out) = (dir.path().join("site"), dir.path().join("public"));
        gen_corpus::generate(n, &root).expect("corpus");
        peak_rss_of_build(&root, &out);
        files.push(measure::size_of(&out).1);
    }
    let per_brief = (files[1] - files[0]) as f64 / (large - small) as f64;
    assert!(
        per_brief <= 1.5,
        "{} files for {small} briefs, {} for {large}: {per_brief:.2} per brief",
        files[0],
        files[1]
    );
}
