//! Shared helpers for the CLI tests: run the binary on a fixture site and
//! capture what a user would see.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn tearsheet(args: &[&str], cwd: Option<&Path>) -> Run {
    let mut cmd = Command::cargo_bin("tearsheet").expect("binary built");
    // Fixture sites are built in place: their build caches go elsewhere.
    cmd.env(
        "TEARSHEET_CACHE_DIR",
        std::env::temp_dir().join("tearsheet-test-caches"),
    );
    cmd.args(args);
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    let out = cmd.output().expect("tearsheet runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copies a fixture site into a fresh temporary folder.
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("under from");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("under dir")
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

/// `tearsheet build --deny-warnings` of fixture site `name` into a fresh
/// temporary folder: the folder (kept alive by the caller) and the output
/// in it. Fails the test, with the output, on any error or warning.
pub fn built(name: &str) -> (tempfile::TempDir, PathBuf) {
    let root = fixture(name);
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("public");
    let run = tearsheet(
        &[
            "build",
            "--deny-warnings",
            "--root",
            root.to_str().expect("utf-8"),
            "--output",
            out.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(
        (run.code, run.stderr.contains("warning")),
        (0, false),
        "{}",
        run.stderr
    );
    (tmp, out)
}

/// A file's text, or a test failure naming it.
pub fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Fails, naming `what`, unless `text` holds every one of `wants`.
pub fn assert_has_all(text: &str, what: &str, wants: &[&str]) {
    for want in wants {
        assert!(text.contains(want), "{what}: no {want}");
    }
}

/// Fails, naming `what`, if `text` holds any of `gones`.
pub fn assert_has_none(text: &str, what: &str, gones: &[&str]) {
    for gone in gones {
        assert!(!text.contains(gone), "{what}: {gone}");
    }
}

/// The warning codes `check` gives one brief whose front matter is its
/// first lines (title, date, company, period) and then `rest`: the
/// consistency checks of a single brief, without building a site.
pub fn warning_codes(rest: &str) -> Vec<&'static str> {
    use tearsheet::testing::{consistency, model::page::Page, Document, SiteConfig};
    let text = format!("---\ntitle: t\ndate: 2025-08-21\ncompany: c\nperiod: 2025Q2\n{rest}---\n");
    let doc = Document::parse("content/b.md".into(), "b.md".into(), text.into_bytes())
        .expect("front matter");
    let site = SiteConfig::load(Path::new("/nonexistent"), None).expect("site");
    let v = Page::from_document(&doc, &site.defaults(), &Default::default())
        .unwrap_or_else(|e| panic!("{:?}\n{rest}", e[0].message));
    consistency::brief(&doc, v.page.lang, v.figures.as_ref().expect("a brief"))
        .iter()
        .map(|d| d.code)
        .collect()
}

/// `x` with `d` decimals, as an author writes it.
pub fn fixed(x: f64, d: usize) -> String {
    format!("{x:.d$}")
}
