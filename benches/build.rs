//! Build benchmark: generates corpora of 1,000 and 10,000 briefs (the
//! example generator, deterministic) and builds each with the release
//! binary, printing wall time, CPU time, peak memory, pages and per-phase
//! times. `cargo bench --bench build` (set TEARSHEET_BENCH_SIZES=1000 for a
//! quick run). Not a test: nothing here asserts a speed.

#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use std::process::Command;
use std::time::Instant;

fn main() {
    let sizes: Vec<usize> = std::env::var("TEARSHEET_BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    println!("cores: {cores}");
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let bytes = gen_corpus::generate(n, dir.path()).expect("corpus");
        for run in ["cold", "warm"] {
            let start = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
                .args(["build", "--timings", "--root"])
                .arg(dir.path())
                .output()
                .expect("tearsheet runs");
            let wall = start.elapsed();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            println!(
                "{n} briefs ({:.1} MB), {run} output folder: wall {:.0} ms",
                bytes as f64 / 1e6,
                wall.as_secs_f64() * 1000.0
            );
            for line in stdout.lines() {
                println!("  {line}");
            }
        }
    }
}
