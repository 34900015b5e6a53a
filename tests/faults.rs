//! Faults that are not the author's: a full disk, a read-only output
//! location, a build stopped by SIGINT or SIGTERM mid-write, and one killed
//! outright. In every case the previous output stays byte-identical and
//! nothing is left beside it; the errors name the path and say what would
//! be right (insta snapshots in tests/snapshots/).
//!
//! Tests run as root here and in CI, where `chmod` does not stop writes:
//! a full disk is a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored so an
//! oversized write fails with EFBIG), a read-only folder is `chattr +i`
//! (or `chmod` where that works), undone by a guard even when the test
//! fails. Waits are bounded polls.

#![cfg(unix)]

mod common;
#[path = "../examples/gen_corpus.rs"]
mod gen_corpus;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{copy_fixture, fixture, tearsheet, tree};

const BIN: &str = env!("CARGO_BIN_EXE_tearsheet");

/// A process id no system hands out (Linux's largest `pid_max` is 2^22).
const DEAD_PID: u32 = 999_999_999;

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The names in `dir`, sorted, once no old output thrown away is left
/// (a build removes it apart from itself, after it ends: waited for, up
/// to 20 s).
fn names(dir: &Path) -> Vec<String> {
    let list = || {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("read dir")
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let start = Instant::now();
    while list().iter().any(|n| n.contains(".tearsheet-trash-"))
        && start.elapsed() < Duration::from_secs(20)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    list()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

/// Builds the minimal fixture into `out`: the "previous output".
fn previous_output(out: &Path) -> Vec<(String, Vec<u8>)> {
    let run = tearsheet(
        &[
            "build",
            "--root",
            s(&fixture("minimal")),
            "--output",
            s(out),
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    tree(out)
}

/// Runs tearsheet with files limited to `limit` bytes, as if the disk
/// filled up after that many bytes of each file.
fn run_with_file_limit(args: &[&str], limit: u64) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args);
    // SAFETY: between fork and exec only async-signal-safe calls (signal,
    // setrlimit) run, touching no memory shared with the parent.
    unsafe {
        cmd.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let lim = libc::rlimit {
                rlim_cur: limit as libc::rlim_t,
                rlim_max: limit as libc::rlim_t,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.output().expect("tearsheet runs")
}

#[test]
fn a_full_disk_fails_with_the_path_and_keeps_the_previous_output() {
    let site = copy_fixture("minimal");
    let out = site.path().join("public");
    let before = previous_output(&out);
    let root = s(site.path());

    // Pages over 1 KiB cannot be written (about/index.html is the first by path).
    let run = run_with_file_limit(&["build", "--root", root], 1024);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(text(&run.stdout), "");
    insta::assert_snapshot!("full_disk", text(&run.stderr));
    assert_eq!(tree(&out), before, "the previous output changed");
    assert_eq!(names(site.path()), ["content", "public", "site.yaml"]);

    // Not even the first file of the staging folder can be written.
    let run = run_with_file_limit(&["build", "--root", root], 0);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        text(&run.stderr).starts_with(
            "error[TS0502]: public/.tearsheet-output: cannot write: File too large (os error 27)\n"
        ),
        "{}",
        text(&run.stderr)
    );
    assert_eq!(tree(&out), before, "the previous output changed");
    assert_eq!(names(site.path()), ["content", "public", "site.yaml"]);
}

/// A folder made read-only for the test's lifetime; undone on drop, also
/// when the test fails.
struct ReadOnly {
    path: PathBuf,
    /// `Some(mode)`: made read-only by chmod (restore the mode); `None`:
    /// by `chattr +i`.
    mode: Option<u32>,
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        match self.mode {
            Some(mode) => {
                let _ = fs::set_permissions(&self.path, fs::Permissions::from_mode(mode));
            }
            None => {
                let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
            }
        }
    }
}

/// Whether a file can be made in `dir`.
fn writable(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    match fs::write(&probe, "") {
        Ok(()) => fs::remove_file(&probe).is_ok(),
        Err(_) => false,
    }
}

/// [`read_only`], or `None` (the test says it skipped) where this
/// machine cannot make a folder `what`.
fn locked(dir: &Path, chmod_allowed: bool, what: &str) -> Option<ReadOnly> {
    match read_only(dir, chmod_allowed) {
        Ok(g) => Some(g),
        Err(why) => {
            println!("SKIPPED: cannot make a folder {what} here: {why}");
            None
        }
    }
}

/// Builds the site at `root` (from inside it, with `args`) while `guard`
/// holds a folder locked, then lets it go; the build must fail (exit 1).
fn build_failing_under(guard: ReadOnly, root: &Path, args: &[&str]) -> std::process::Output {
    let run = Command::new(BIN)
        .args(["build", "--root", s(root)])
        .args(args)
        .current_dir(root)
        .output()
        .expect("tearsheet runs");
    drop(guard);
    assert_eq!(run.status.code(), Some(1));
    run
}

/// Makes `dir` read-only by chmod or, where that does not stop writes
/// (root), `chattr +i`; `Err(why)` if neither does.
fn read_only(dir: &Path, chmod_allowed: bool) -> Result<ReadOnly, String> {
    let mode = fs::metadata(dir)
        .map_err(|e| e.to_string())?
        .permissions()
        .mode();
    if chmod_allowed {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o555)).map_err(|e| e.to_string())?;
        let guard = ReadOnly {
            path: dir.to_path_buf(),
            mode: Some(mode),
        };
        if !writable(dir) {
            return Ok(guard);
        }
    }
    match Command::new("chattr").arg("+i").arg(dir).output() {
        Ok(o) if o.status.success() => {
            let guard = ReadOnly {
                path: dir.to_path_buf(),
                mode: None,
            };
            if writable(dir) {
                Err("`chattr +i` did not stop writes".into())
            } else {
                Ok(guard)
            }
        }
        Ok(o) => Err(format!(
            "chmod does not stop this user's writes and `chattr +i` failed: {}",
            text(&o.stderr).trim()
        )),
        Err(e) => Err(format!(
            "chmod does not stop this user's writes and chattr cannot run: {e}"
        )),
    }
}

/// The message for a read-only folder, whichever way it was made so
/// (chmod gives EACCES, chattr EPERM).
fn same_errno(stderr: &[u8]) -> String {
    text(stderr).replace(
        "Permission denied (os error 13)",
        "Operation not permitted (os error 1)",
    )
}

#[test]
fn a_read_only_output_location_fails_with_the_folder_and_keeps_the_previous_output() {
    let site = copy_fixture("minimal");
    let holder = site.path().join("out");
    fs::create_dir(&holder).expect("mkdir");
    let out = holder.join("public");
    let before = previous_output(&out);
    let Some(guard) = locked(&holder, true, "read-only") else {
        return;
    };
    let run = build_failing_under(guard, site.path(), &["--output", "out/public"]);
    insta::assert_snapshot!("read_only_holder", same_errno(&run.stderr));
    assert_eq!(tree(&out), before, "the previous output changed");
    assert_eq!(names(&holder), ["public"]);
}

#[test]
fn an_immutable_output_folder_fails_and_keeps_the_previous_output() {
    let site = copy_fixture("minimal");
    let out = site.path().join("public");
    let before = previous_output(&out);
    // chmod on the output itself does not stop it being swapped out (only
    // its parent matters), so only `chattr +i` makes this case.
    let Some(guard) = locked(&out, false, "immutable") else {
        return;
    };
    let run = build_failing_under(guard, site.path(), &[]);
    insta::assert_snapshot!("immutable_output", text(&run.stderr));
    assert_eq!(tree(&out), before, "the previous output changed");
    assert_eq!(names(site.path()), ["content", "public", "site.yaml"]);
}

/// A generated site big enough that writing it takes a moment, with the
/// minimal fixture's build as its previous output.
fn big_site() -> (tempfile::TempDir, Vec<(String, Vec<u8>)>) {
    let tmp = tempfile::tempdir().expect("temp dir");
    gen_corpus::generate(300, tmp.path()).expect("corpus");
    let before = previous_output(&tmp.path().join("public"));
    (tmp, before)
}

/// Starts `tearsheet build` on `root` and waits (at most 60 s) until it is
/// writing pages into its staging folder.
fn build_until_writing(root: &Path) -> std::process::Child {
    let mut child = Command::new(BIN)
        .args(["build", "--root", s(root)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tearsheet runs");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let writing = names(root)
            .iter()
            .filter(|n| n.starts_with(".public.tearsheet-staging-"))
            .any(|n| root.join(n).join("briefs").exists());
        if writing {
            return child;
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the build ended ({status}) before it was seen writing");
        }
        assert!(Instant::now() < deadline, "no staging folder within 60 s");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn signal(child: &std::process::Child, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs")
        .success();
    assert!(ok, "kill -{name}");
}

fn interrupted_build_keeps_the_previous_output(sig: &str, code: i32) {
    let (site, before) = big_site();
    let child = build_until_writing(site.path());
    signal(&child, sig);
    let run = child.wait_with_output().expect("wait");
    assert_eq!(run.status.code(), Some(code), "{}", text(&run.stderr));
    assert_eq!(text(&run.stdout), "");
    assert_eq!(
        text(&run.stderr),
        format!(
            "error[TS0504]: public: the build was interrupted ({sig}) before the new site was complete
 |
 = help: nothing was changed; build again to write the site

1 error
The build was interrupted; the previous output was left as it was.
"
        )
    );
    assert_eq!(tree(&site.path().join("public")), before);
    assert_eq!(names(site.path()), ["content", "public", "site.yaml"]);
}

#[test]
fn sigint_mid_write_exits_130_and_keeps_the_previous_output() {
    interrupted_build_keeps_the_previous_output("SIGINT", 130);
}

#[test]
fn sigterm_mid_write_exits_143_and_keeps_the_previous_output() {
    interrupted_build_keeps_the_previous_output("SIGTERM", 143);
}

#[test]
fn the_next_build_removes_what_a_killed_build_left() {
    let (site, before) = big_site();
    let child = build_until_writing(site.path());
    signal(&child, "KILL");
    let run = child.wait_with_output().expect("wait");
    assert_eq!(run.status.signal(), Some(9));
    let left: Vec<String> = names(site.path())
        .into_iter()
        .filter(|n| n.starts_with(".public.tearsheet-staging-"))
        .collect();
    assert_eq!(left.len(), 1, "SIGKILL leaves its staging folder");
    assert_eq!(tree(&site.path().join("public")), before);
    // The same previous build again: it replaces the output and removes
    // the dead build's folder.
    assert_eq!(previous_output(&site.path().join("public")), before);
    assert_eq!(names(site.path()), ["content", "public", "site.yaml"]);
}

#[test]
fn an_old_output_left_by_a_killed_swap_is_put_back_even_by_a_failing_build() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let before = previous_output(&out);
    // Killed between the two renames of a swap: the output is gone, the
    // old one sits beside it; a staging folder of that dead build too.
    fs::rename(
        &out,
        tmp.path().join(format!(".public.tearsheet-old-{DEAD_PID}")),
    )
    .expect("mv");
    let dead = tmp
        .path()
        .join(format!(".public.tearsheet-staging-{DEAD_PID}"));
    fs::create_dir_all(dead.join("briefs")).expect("mkdir");
    fs::write(dead.join("briefs/x.html"), "half").expect("write");
    // A staging folder of a running process (this one) is not touched.
    let live = format!(".public.tearsheet-staging-{}", std::process::id());
    fs::create_dir(tmp.path().join(&live)).expect("mkdir");

    let run = tearsheet(
        &[
            "build",
            "--root",
            s(&fixture("errors/bad_figure")),
            "--output",
            s(&out),
        ],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(tree(&out), before);
    assert_eq!(names(tmp.path()), [live.as_str(), "public"]);
}
