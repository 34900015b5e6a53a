//! Build benchmark: generates corpora of 1,000 and 10,000 briefs (the
//! example generator, deterministic) and builds each with the release
//! binary four ways — clean (no output yet), again with nothing changed
//! (the build cache), after editing one brief, and with `--no-cache` over
//! the existing output — printing wall time, CPU time, peak memory, pages
//! and per-phase times. `cargo bench --bench build` (set
//! TEARSHEET_BENCH_SIZES=1000 for a quick run). With
//! TEARSHEET_BENCH_OUTPUT=DIR the output goes under DIR (e.g. a tmpfs such
//! as /dev/shm) instead of beside the corpus: on a file system slow to
//! create files — ext4 without a journal rescans recently deleted inodes
//! for minutes after a large delete — that separates tearsheet's time from
//! the disk's. Not a test: nothing here asserts a speed.

#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;
mod support;

use std::process::Command;
use std::time::Instant;

fn main() {
    let sizes = support::sizes("1000,10000");
    support::print_cores();
    for n in sizes {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = match std::env::var_os("TEARSHEET_BENCH_OUTPUT") {
            Some(d) => std::path::PathBuf::from(d).join(format!("tearsheet-bench-{n}")),
            None => dir.path().join("public"),
        };
        let _ = std::fs::remove_dir_all(&output);
        let bytes = gen_corpus::generate(n, dir.path()).expect("corpus");
        for run in ["clean", "unchanged", "one brief edited", "--no-cache"] {
            if run == "one brief edited" {
                let brief = support::briefs(dir.path()).swap_remove(0);
                let text = std::fs::read_to_string(&brief).expect("read");
                std::fs::write(
                    &brief,
                    text.replacen("summary: \"", "summary: \"edited ", 1),
                )
                .expect("write");
            }
            let mut args = vec!["build", "--timings"];
            if run == "--no-cache" {
                args.push("--no-cache");
            }
            let start = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
                .args(&args)
                .arg("--root")
                .arg(dir.path())
                .arg("--output")
                .arg(&output)
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
                "{n} briefs ({:.1} MB), {run}: wall {:.0} ms",
                bytes as f64 / 1e6,
                wall.as_secs_f64() * 1000.0
            );
            for line in stdout.lines() {
                println!("  {line}");
            }
        }
        let _ = std::fs::remove_dir_all(&output);
    }
}
