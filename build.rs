//! The build id of tearsheet itself: a hash of everything the binary is
//! made from — its sources, templates and static files, the locked
//! dependencies, the compiler, the profile and target — compiled in as
//! `TEARSHEET_BUILD_ID` (read by `src/tool.rs`). What one build of a site
//! keeps for the next is trusted only by a tearsheet with the same id.

use std::path::{Path, PathBuf};

/// FNV-1a, 64 bits: small, deterministic on every platform and release.
struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for part in [&(bytes.len() as u64).to_le_bytes()[..], bytes] {
            for b in part {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
}

/// Every file under `dir`, sorted.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    let mut all = Vec::new();
    for dir in ["src", "templates", "static"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut all);
    }
    for file in ["Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={file}");
        all.push(root.join(file));
    }
    all.sort();
    for path in &all {
        let rel = path.strip_prefix(&root).unwrap_or(path);
        h.bytes(rel.to_string_lossy().replace('\\', "/").as_bytes());
        h.bytes(&std::fs::read(path).unwrap_or_default());
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = std::process::Command::new(rustc)
        .arg("-vV")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default();
    h.bytes(&version);
    for var in [
        "PROFILE",
        "OPT_LEVEL",
        "DEBUG",
        "TARGET",
        "CARGO_CFG_TARGET_FEATURE",
    ] {
        h.bytes(std::env::var(var).unwrap_or_default().as_bytes());
    }
    println!("cargo:rustc-env=TEARSHEET_BUILD_ID={:016x}", h.0);
}
