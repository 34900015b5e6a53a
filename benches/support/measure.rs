//! A `tearsheet` run measured the way the build bench and the scale test
//! both need it: wall time, and the child's own CPU time and peak memory
//! from the kernel (`wait4`); and the size of what it wrote. Shared by
//! path (`#[path]`) so the unsafe `wait4` call is written once.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one run of tearsheet cost.
pub struct Run {
    pub wall: Duration,
    pub cpu: Duration,
    /// Peak resident memory, KiB.
    pub rss: u64,
    pub stdout: String,
}

/// Runs tearsheet with `args` on `root` into `output` and waits for it
/// with `wait4`, which gives the child's own CPU time and peak memory
/// (and reaps it: hence no `Child::wait`). Panics, with its stderr, when
/// it fails.
#[allow(clippy::zombie_processes)]
pub fn tearsheet(args: &[&str], root: &Path, output: &Path) -> Run {
    use std::io::Read;
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tearsheet"))
        .args(args)
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tearsheet runs");
    let mut stdout = String::new();
    let mut stderr = String::new();
    let _ = child
        .stdout
        .take()
        .map(|mut o| o.read_to_string(&mut stdout));
    let _ = child
        .stderr
        .take()
        .map(|mut e| e.read_to_string(&mut stderr));
    let mut status = 0;
    // SAFETY: wait4 on our own child, with pointers to locals.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(
        waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "tearsheet failed: {stderr}"
    );
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Run {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        rss: usage.ru_maxrss as u64,
        stdout,
    }
}

/// Bytes and files under `dir`.
pub fn size_of(dir: &Path) -> (u64, u64) {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .fold((0, 0), |(b, f), e| {
            (b + e.metadata().map_or(0, |m| m.len()), f + 1)
        })
}
