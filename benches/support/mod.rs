//! What the benchmarks share: their settings from the environment and the
//! briefs of a generated corpus. (Not every benchmark uses every helper.)

#![allow(dead_code)]

pub mod measure;

use std::path::{Path, PathBuf};

/// Corpus sizes from TEARSHEET_BENCH_SIZES (comma-separated), else
/// `default`.
pub fn sizes(default: &str) -> Vec<usize> {
    std::env::var("TEARSHEET_BENCH_SIZES")
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// A count from the environment variable `name`, else `default`.
pub fn number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Prints the machine's core count (every table of numbers needs it).
pub fn print_cores() {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("cores: {cores}");
}

/// The corpus's briefs, sorted by path.
pub fn briefs(root: &Path) -> Vec<PathBuf> {
    let mut briefs: Vec<PathBuf> = std::fs::read_dir(root.join("content/briefs"))
        .expect("briefs")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    briefs.sort();
    briefs
}

/// CPU time this thread has run, in ns (Linux: `/proc/thread-self/schedstat`),
/// so that other processes on the machine do not count.
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}
