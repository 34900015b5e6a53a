//! The build cache, `.tearsheet-cache/` in the site root (ignored by git):
//! for every job of the last successful build (see `render::plan`), the
//! fingerprint of its inputs and the files it wrote.
//!
//! A job whose fingerprint is unchanged is not rendered again: its files
//! stay in the output as they are, and `site` moves only the files of
//! the jobs it rendered into it (`write`'s update). The cache is trusted
//! only for the output folder it describes, only when that folder's
//! marker names the build the cache was saved by, and only by the same
//! tearsheet (`tool`); otherwise — or with `build --no-cache` — every job
//! renders.
//! Anything wrong with the cache file makes an empty cache, never an
//! error: it is an optimisation, and the output is the same without it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The cache folder, relative to the site root.
pub(crate) const DIR: &str = ".tearsheet-cache";

/// A cache file of an output folder (`outputs-<hash>.json`, and the
/// memo's `pages-<hash>.bin`): one per folder, so builds into different
/// folders keep theirs apart. (Entries are safe to share: a job is reused
/// only when every input it is made from is the same.)
pub(crate) fn file(dir: &Path, output: &Path, kind: &str, ext: &str) -> PathBuf {
    let mut h = crate::hash::Hash::new(0);
    h.str(&output.to_string_lossy());
    dir.join(format!("{kind}-{:016x}.{ext}", h.finish()))
}

/// Writes `parts`, one after the other, to `path` in the cache folder
/// `dir`, atomically (a reader sees the old or the new file); the folder
/// is made, and ignored by git, on first use.
pub(crate) fn write_atomically<'a>(
    dir: &Path,
    path: &Path,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> std::io::Result<()> {
    write_atomically_with(dir, path, |out| {
        for part in parts {
            out.write_all(part)?;
        }
        Ok(())
    })
}

/// [`write_atomically`], with the bytes written by `fill` (buffered).
pub(crate) fn write_atomically_with(
    dir: &Path,
    path: &Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    fs::create_dir_all(dir)?;
    if !dir.join(".gitignore").exists() {
        fs::write(dir.join(".gitignore"), "*\n")?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".{}", std::process::id()));
    let mut file = std::io::BufWriter::with_capacity(1 << 20, fs::File::create(&tmp)?);
    let filled = fill(&mut file);
    let written = filled.and_then(|()| file.into_inner().map_err(|e| e.into_error()));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, path)
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Cache {
    /// The tearsheet that wrote it (see `tool`).
    tool: u64,
    /// The output folder (absolute) the entries describe.
    output: PathBuf,
    /// The build that wrote that output (also in its marker file).
    build: String,
    jobs: HashMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub fingerprint: u64,
    /// The job's files, relative to the output folder (shared: a job
    /// reused keeps the list of the last build's entry).
    pub files: std::sync::Arc<[String]>,
}

impl Cache {
    /// The cache for `output`, or an empty one when there is none, it is
    /// unreadable, was written by another tearsheet than `tool`, is of
    /// another output folder, or the output's marker names another build.
    pub(crate) fn load(dir: &Path, output: &Path, tool: u64) -> Cache {
        let Ok(text) = fs::read_to_string(file(dir, output, "outputs", "json")) else {
            return Cache::default();
        };
        match serde_json::from_str::<Cache>(&text) {
            Ok(cache) if cache.tool == tool && cache.describes(output) => cache,
            _ => Cache::default(),
        }
    }

    /// Whether the cache describes `output` (absolute) as it is now: same
    /// folder, and its marker names the build the cache was saved by.
    pub(crate) fn describes(&self, output: &Path) -> bool {
        self.output == output
            && crate::write::marker_build(output).as_deref() == Some(self.build.as_str())
    }

    /// The files of the last build's job `key`, when its fingerprint was
    /// `fingerprint`.
    pub(crate) fn reusable(
        &self,
        key: &str,
        fingerprint: u64,
    ) -> Option<&std::sync::Arc<[String]>> {
        self.jobs
            .get(key)
            .filter(|e| e.fingerprint == fingerprint)
            .map(|e| &e.files)
    }

    /// The fingerprint job `key` had in the last build.
    pub(crate) fn fingerprint(&self, key: &str) -> Option<u64> {
        self.jobs.get(key).map(|e| e.fingerprint)
    }

    /// Whether there is nothing to reuse (every job renders and the
    /// output is replaced whole).
    pub(crate) fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The files of the last build that the new one (`jobs`) no longer
    /// makes. Only the files of jobs that are gone, or that a job no
    /// longer lists, can be; each of those is looked for among all the
    /// new files (a file may pass from one job to another). A job that
    /// lists the same files in another order (the search index after an
    /// update) has none: looking for every file of the site among all
    /// the new ones took 8.7 ms of a one-brief rebuild at 10,000 briefs.
    pub(crate) fn removed(&self, jobs: &HashMap<String, Entry>) -> Vec<String> {
        let candidates: Vec<&String> = self
            .jobs
            .iter()
            .flat_map(|(key, old)| -> Vec<&String> {
                match jobs.get(key) {
                    None => old.files.iter().collect(),
                    Some(new)
                        if std::sync::Arc::ptr_eq(&new.files, &old.files)
                            || new.files == old.files =>
                    {
                        Vec::new()
                    }
                    Some(new) => {
                        let now: std::collections::HashSet<&str> =
                            new.files.iter().map(String::as_str).collect();
                        old.files
                            .iter()
                            .filter(|f| !now.contains(f.as_str()))
                            .collect()
                    }
                }
            })
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        let kept: std::collections::HashSet<&str> = jobs
            .values()
            .flat_map(|e| e.files.iter().map(String::as_str))
            .collect();
        let mut removed: Vec<String> = candidates
            .into_iter()
            .filter(|f| !kept.contains(f.as_str()))
            .cloned()
            .collect();
        removed.sort();
        removed.dedup();
        removed
    }

    /// A cache describing a finished build by the tearsheet `tool`.
    pub(crate) fn new(
        output: &Path,
        build: &str,
        jobs: HashMap<String, Entry>,
        tool: u64,
    ) -> Cache {
        Cache {
            tool,
            output: output.to_path_buf(),
            build: build.to_string(),
            jobs,
        }
    }

    /// Writes the cache (atomically: a reader sees the old or the new
    /// file). Failing to save only costs the next build its reuse.
    pub(crate) fn save(&self, dir: &Path) -> std::io::Result<()> {
        // Encoded straight into the file (14 MB at 100,000 briefs).
        write_atomically_with(dir, &file(dir, &self.output, "outputs", "json"), |out| {
            serde_json::to_writer(out, self).map_err(std::io::Error::other)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_fill_leaves_neither_the_file_nor_its_temporary() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(DIR);
        let path = dir.join("x.bin");
        write_atomically(&dir, &path, [b"old".as_slice()]).unwrap();
        let failed = write_atomically_with(&dir, &path, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("encoding failed"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "encoding failed");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        let mut names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".gitignore", "x.bin"]);
    }
}
