//! Build benchmark: generates corpora of 1,000 and 10,000 briefs (the
//! example generator, deterministic; 100,000 too with
//! TEARSHEET_BENCH_100K=1, or any sizes with TEARSHEET_BENCH_SIZES=1000,…)
//! and, per size, runs side by side:
//! - the floor program (`examples/floor.rs`: read + YAML + Markdown +
//!   write on 2 threads, nothing else), in this process;
//! - a clean `tearsheet build --no-cache` into an empty output folder;
//!
//! then once each: a build with the cache but no output yet (it writes the
//! memo), again with nothing changed, after editing one brief, and with
//! `--no-cache` over the existing output.
//! Clean builds and the floor run TEARSHEET_BENCH_RUNS times (default 3;
//! 1 at 100,000 briefs), alternating, and the median and range are
//! printed. Each tearsheet run prints wall time, CPU (user + system, from
//! the kernel's accounting of the child) and peak RSS; the clean build
//! also the output's bytes and files per brief and its ratio to the floor;
//! the runs with the cache their phases (`--timings`).
//!
//! With TEARSHEET_BENCH_OUTPUT=DIR the corpus and the outputs go under DIR
//! (e.g. a tmpfs such as /dev/shm) instead of the temporary folder: on a
//! file system slow to create files, that separates tearsheet's time from
//! the disk's. Not a test: nothing here asserts a speed.

#[path = "../examples/floor.rs"]
mod floor;
#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;
mod support;

use support::measure::{size_of, tearsheet};

use std::time::{Duration, Instant};

/// `median (min–max)` of durations, in ms.
fn spread(mut d: Vec<Duration>) -> String {
    d.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    format!(
        "{:.0} ms ({:.0}–{:.0}, {} runs)",
        ms(&d[d.len() / 2]),
        ms(&d[0]),
        ms(&d[d.len() - 1]),
        d.len()
    )
}

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let mut sizes = support::sizes("1000,10000");
    if std::env::var_os("TEARSHEET_BENCH_100K").is_some() && !sizes.contains(&100_000) {
        sizes.push(100_000);
    }
    support::print_cores();
    let base = std::env::var_os("TEARSHEET_BENCH_OUTPUT").map(std::path::PathBuf::from);
    for n in sizes {
        let dir = match &base {
            Some(b) => tempfile::tempdir_in(b),
            None => tempfile::tempdir(),
        }
        .expect("temp dir");
        let corpus = dir.path().join("corpus");
        let output = dir.path().join("public");
        let floor_out = dir.path().join("floor");
        let bytes = gen_corpus::generate(n, &corpus).expect("corpus");
        println!("\n{n} briefs ({:.1} MB of Markdown)", bytes as f64 / 1e6);
        let runs = support::number("TEARSHEET_BENCH_RUNS", if n >= 100_000 { 1 } else { 3 });
        let (mut floors, mut walls, mut cpus, mut rsss) = (vec![], vec![], vec![], vec![]);
        let mut written = (0, 0);
        for _ in 0..runs {
            let _ = std::fs::remove_dir_all(&floor_out);
            let start = Instant::now();
            floor::floor(&corpus, &floor_out);
            floors.push(start.elapsed());
            let _ = std::fs::remove_dir_all(&floor_out);
            let _ = std::fs::remove_dir_all(&output);
            let run = tearsheet(&["build", "--no-cache"], &corpus, &output);
            walls.push(run.wall);
            cpus.push(run.cpu);
            rsss.push(run.rss);
            written = size_of(&output);
        }
        let per = |x: u64| x as f64 / n as f64;
        let (floor_med, wall_med) = (median(floors.clone()), median(walls.clone()));
        println!(
            "  floor (read + YAML + Markdown + write, 2 threads): {}",
            spread(floors)
        );
        println!(
            "  clean build (--no-cache, empty output): wall {}",
            spread(walls)
        );
        println!(
            "    cpu {:.0} ms, peak RSS {:.1} MiB ({:.2} KiB per brief) (medians)",
            median(cpus).as_secs_f64() * 1000.0,
            median(rsss.clone()) as f64 / 1024.0,
            per(median(rsss))
        );
        println!(
            "    output {:.1} MB, {} files: {:.1} KB and {:.2} files per brief",
            written.0 as f64 / 1e6,
            written.1,
            per(written.0) / 1000.0,
            per(written.1)
        );
        println!(
            "    clean build / floor: {:.2}",
            wall_med.as_secs_f64() / floor_med.as_secs_f64()
        );
        let _ = std::fs::remove_dir_all(&output);
        for run in [
            "first with cache",
            "unchanged",
            "one brief edited",
            "--no-cache over output",
        ] {
            if run == "one brief edited" {
                let brief = support::briefs(&corpus).swap_remove(0);
                let text = std::fs::read_to_string(&brief).expect("read");
                std::fs::write(
                    &brief,
                    text.replacen("summary: \"", "summary: \"edited ", 1),
                )
                .expect("write");
            }
            let mut args = vec!["build", "--timings"];
            if run == "--no-cache over output" {
                args.push("--no-cache");
            }
            let r = tearsheet(&args, &corpus, &output);
            println!(
                "  {run}: wall {:.0} ms, cpu {:.0} ms, peak RSS {:.1} MiB",
                r.wall.as_secs_f64() * 1000.0,
                r.cpu.as_secs_f64() * 1000.0,
                r.rss as f64 / 1024.0
            );
            for line in r.stdout.lines().skip(1) {
                println!("    {line}");
            }
        }
    }
}
