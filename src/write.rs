//! Write: the output folder, replaced whole or not at all.
//!
//! A build writes into a staging folder beside the output and, only when
//! every page was written, swaps it in; a failed or interrupted build
//! leaves the previous output byte-identical. The output carries a marker
//! file, and tearsheet refuses to replace a folder that is not empty and
//! lacks it, the site root, an ancestor of it, or the site's `content/`,
//! `templates/` and `static/` (Zola wipes whatever `output_dir` names).

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::cancel::Cancel;
use crate::diagnostic::Diagnostic;

/// The file that marks a folder as tearsheet's output.
pub(crate) const MARKER: &str = ".tearsheet-output";

const MARKER_TEXT: &str = "This folder is written by tearsheet and replaced whole by each build.\n";

/// The build named in an output folder's marker file, if any.
pub(crate) fn marker_build(output: &Path) -> Option<String> {
    let text = fs::read_to_string(output.join(MARKER)).ok()?;
    text.strip_prefix(MARKER_TEXT)?
        .strip_prefix("build ")
        .map(|b| b.trim_end().to_string())
}

/// Makes `p` absolute and free of `.`/`..`, resolving links in the part
/// that exists.
pub fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut existing = p.clone();
    let mut tail = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                tail.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = fs::canonicalize(&existing).unwrap_or(existing);
    for name in tail.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    out
}

/// Refuses output locations that would destroy the site or a folder
/// tearsheet did not make. `root` and `output` are absolute.
pub(crate) fn guard(root: &Path, output: &Path, shown: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: String| {
        Err(Diagnostic::error(
            "TS0501",
            shown.to_path_buf(),
            format!(
                "refusing to write the site into `{}`: {why}",
                shown.display()
            ),
        )
        .help("choose an output folder of its own, such as public/ (the default)"))
    };
    if root.starts_with(output) {
        return refuse(if root == output {
            "it is the site root".into()
        } else {
            "it contains the site".into()
        });
    }
    for dir in ["content", "templates", "static"] {
        if output.starts_with(root.join(dir)) {
            return refuse(format!("it is inside the site's {dir}/ folder"));
        }
    }
    if output.is_file() {
        return refuse("it is a file".into());
    }
    if output.is_dir() && !output.join(MARKER).exists() {
        let empty = fs::read_dir(output)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse(format!(
                "it is not empty and was not made by tearsheet (no {MARKER} file)"
            ));
        }
    }
    Ok(())
}

/// A staging folder being filled; dropped without [`Staging::commit`], it
/// removes itself and the output stays as it was.
pub(crate) struct Staging {
    dir: PathBuf,
    output: PathBuf,
    shown: PathBuf,
    committed: bool,
    /// The build named in the marker once committed.
    build: String,
    /// Holds only the files that changed, to be moved into the existing
    /// output (see [`Staging::commit`]), instead of a whole new output.
    update: bool,
    /// Looked at before every write: a build asked to stop writes no more.
    cancel: Cancel,
}

impl Staging {
    /// `build` names the build in the marker file (the cache trusts an
    /// output only when its marker names the build the cache describes).
    /// With `update`, the staging folder receives only the files that
    /// changed since the build the output's marker names.
    pub(crate) fn create(
        output: &Path,
        shown: &Path,
        build: &str,
        update: bool,
        cancel: &Cancel,
    ) -> Result<Staging, Diagnostic> {
        cancel.check(shown)?;
        let parent = output.parent().unwrap_or(Path::new("/"));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(beside(&name, "staging", std::process::id()));
        let io = |e: std::io::Error| {
            Diagnostic::error(
                "TS0502",
                shown.to_path_buf(),
                format!(
                    "cannot create the new site's folder in {}: {e}",
                    holder(shown)
                ),
            )
            .help(help(&e, shown))
        };
        fs::create_dir_all(parent).map_err(io)?;
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io)?;
        }
        fs::create_dir(&dir).map_err(io)?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            shown: shown.to_path_buf(),
            committed: false,
            build: build.to_string(),
            update,
            cancel: cancel.clone(),
        };
        if !update {
            staging.write(MARKER, format!("{MARKER_TEXT}build {build}\n").as_bytes())?;
        }
        Ok(staging)
    }

    /// Whether this is an update and the output already holds `bytes` at
    /// `rel` (a file need not be staged to stay as it is).
    pub(crate) fn holds(&self, rel: &str, bytes: &[u8]) -> bool {
        self.update && same_bytes(&self.output.join(rel), bytes)
    }

    /// Writes a file at a relative path of the output.
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.staged(rel)?;
        let io = |e| self.cannot_write(rel, e);
        // A page's index.html comes first into its folder, which is new
        // in a whole new output: make the folder before trying the file.
        // Its other files (charts) find the folder there.
        if !self.update && path.file_name() == Some("index.html".as_ref()) {
            if let Some(parent) = path.parent() {
                match fs::create_dir(parent) {
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        fs::create_dir_all(parent).map_err(io)?
                    }
                    _ => {}
                }
            }
        }
        match fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent).map_err(io)?;
                }
                fs::write(&path, bytes).map_err(io)
            }
            other => other.map_err(io),
        }
    }

    /// A file at a relative path of the output, to be written in parts
    /// as it is made ([`Streamed`]).
    pub(crate) fn stream(&self, rel: &str) -> Result<Streamed<'_>, Diagnostic> {
        let path = self.staged(rel)?;
        let io = |e| self.cannot_write(rel, e);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        let old = match self.update {
            true => fs::File::open(self.output.join(rel)).ok(),
            false => None,
        };
        Ok(Streamed {
            staging: self,
            rel: rel.to_string(),
            out: std::io::BufWriter::with_capacity(1 << 16, fs::File::create(&path).map_err(io)?),
            path,
            old: old.map(|f| std::io::BufReader::with_capacity(1 << 16, f)),
        })
    }

    /// Where the file at `rel` of the output is staged; an error when the
    /// build is asked to stop, or `rel` would land outside the output.
    fn staged(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        self.cancel.check(&self.shown)?;
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(Diagnostic::error(
                "TS0503",
                rel,
                format!("refusing to write `{rel}`: it would land outside the output folder"),
            ));
        }
        Ok(self.dir.join(rel_path))
    }

    /// The error for a file at `rel` that could not be written.
    pub(crate) fn cannot_write(&self, rel: &str, e: std::io::Error) -> Diagnostic {
        Diagnostic::error("TS0502", self.shown.join(rel), format!("cannot write: {e}"))
            .help(help(&e, &self.shown))
    }

    /// Makes the staged build the output. A whole new output is swapped
    /// in for the old one. An update moves each changed file into the
    /// output and removes the files of `removed`, keeping what it
    /// replaces until the end so that on any failure it puts everything
    /// back; while it runs the marker names no build, so a later build
    /// never trusts an output left half-updated by a killed process.
    pub(crate) fn commit(mut self, removed: &[String]) -> Result<(), Diagnostic> {
        self.cancel.check(&self.shown)?;
        if self.update {
            let result = self.commit_update(removed);
            self.committed = result.is_ok();
            return result;
        }
        let io = |e: std::io::Error| {
            Diagnostic::error(
                "TS0502",
                self.shown.clone(),
                format!("cannot replace the output folder: {e}"),
            )
            .help(help(&e, &self.shown))
        };
        let old = self.beside("old");
        if self.output.exists() {
            fs::rename(&self.output, &old).map_err(io)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            // Put the old output back.
            let _ = fs::rename(&old, &self.output);
            return Err(io(e));
        }
        self.committed = true;
        // The old output is thrown away without the build waiting for it
        // (on ext4 at 100,000 briefs its removal was 31 s of a 75 s build);
        // what is not removed, a later build's `recover` removes.
        let _ = discard(&old, &self.beside("trash"));
        Ok(())
    }
}

impl Staging {
    /// The folder of `kind` beside the output of this process (see
    /// [`beside`]): the output's old self while the swap runs (`old`),
    /// then what is being thrown away (`trash`).
    fn beside(&self, kind: &str) -> PathBuf {
        let name = self
            .output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.dir
            .with_file_name(beside(&name, kind, std::process::id()))
    }

    fn commit_update(&self, removed: &[String]) -> Result<(), Diagnostic> {
        let io = |e: std::io::Error| {
            Diagnostic::error(
                "TS0502",
                self.shown.clone(),
                format!("cannot update the output folder: {e}"),
            )
        };
        let marker = self.output.join(MARKER);
        let old_marker = fs::read(&marker).map_err(io)?;
        let backup = self.dir.join(".tearsheet-replaced");
        let mut changed = Vec::new();
        collect_files(&self.dir, &self.dir, &mut changed).map_err(io)?;
        set_marker(&self.output, None).map_err(io)?;
        let mut journal = Journal::default();
        let applied = (|| -> std::io::Result<()> {
            for rel in &changed {
                let target = self.output.join(rel);
                if target.exists() {
                    journal.replace(&self.dir.join(rel), &target, &backup.join(rel))?;
                } else {
                    if let Some(parent) = target.parent() {
                        journal.make_dirs(parent)?;
                    }
                    journal.move_file(&self.dir.join(rel), &target)?;
                }
            }
            for rel in removed {
                let rel_path = Path::new(rel);
                let normal = rel_path
                    .components()
                    .all(|c| matches!(c, Component::Normal(_)));
                let target = self.output.join(rel_path);
                if normal && target.is_file() && !changed.iter().any(|c| c == rel_path) {
                    journal.move_file(&target, &backup.join(rel_path))?;
                }
            }
            set_marker(&self.output, Some(&self.build))
        })();
        match applied {
            Ok(()) => {
                journal.prune_empty(&self.output);
                Ok(())
            }
            Err(e) => {
                journal.undo();
                let _ = fs::write(&marker, old_marker);
                Err(io(e))
            }
        }
    }
}

/// A file of the output written in parts as it is made, never whole in
/// memory (the title-and-summary index, 28 MB at 100,000 briefs: built
/// as one string, it was 42 MB of a one-edit build's peak). In an update
/// it is compared with the output's file as it is written, and taken out
/// of the staging folder at [`Streamed::finish`] when it is the same, so
/// the output keeps its file.
pub(crate) struct Streamed<'s> {
    staging: &'s Staging,
    rel: String,
    path: PathBuf,
    out: std::io::BufWriter<fs::File>,
    /// The output's file, while every byte written so far matches it.
    old: Option<std::io::BufReader<fs::File>>,
}

impl std::io::Write for Streamed<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.old.as_mut().is_some_and(|old| !reads_as(old, bytes)) {
            self.old = None;
        }
        self.out.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

impl Streamed<'_> {
    /// Ends the file: flushed, or left out of the staging folder when the
    /// output holds the same bytes.
    pub(crate) fn finish(self) -> Result<(), Diagnostic> {
        let io = |e| self.staging.cannot_write(&self.rel, e);
        let out = self.out.into_inner().map_err(|e| io(e.into_error()))?;
        drop(out);
        let same = self.old.is_some_and(|mut old| at_end(&mut old));
        if same {
            fs::remove_file(&self.path).map_err(io)?;
        }
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `bytes`, read a block at a
/// time: the title-and-summary index is 28 MB at 100,000 briefs, and
/// reading it whole to compare held a second copy at a build's peak.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    file.metadata().is_ok_and(|m| m.len() == bytes.len() as u64)
        && reads_as(&mut file, bytes)
        && at_end(&mut file)
}

/// Whether the next bytes of `old` are `bytes`, read a block at a time.
fn reads_as(old: &mut impl std::io::Read, bytes: &[u8]) -> bool {
    let mut block = [0u8; 64 * 1024];
    bytes.chunks(block.len()).all(|part| {
        let block = &mut block[..part.len()];
        old.read_exact(block).is_ok() && block == part
    })
}

/// Whether `old` has nothing more to read.
fn at_end(old: &mut impl std::io::Read) -> bool {
    matches!(old.read(&mut [0u8]), Ok(0))
}

/// Writes the output's marker, naming `build` or (while an update is
/// being applied) none.
fn set_marker(output: &Path, build: Option<&str>) -> std::io::Result<()> {
    let tmp = output.join(format!("{MARKER}.{}", std::process::id()));
    let text = match build {
        Some(b) => format!("{MARKER_TEXT}build {b}\n"),
        None => format!("{MARKER_TEXT}update in progress\n"),
    };
    fs::write(&tmp, text)?;
    fs::rename(tmp, output.join(MARKER))
}

/// Every file under `dir`, relative to `base`.
fn collect_files(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            collect_files(base, &entry.path(), out)?;
        } else if let Ok(rel) = entry.path().strip_prefix(base) {
            out.push(rel.to_path_buf());
        }
    }
    Ok(())
}

/// What an update did, so that it can be undone.
#[derive(Default)]
struct Journal {
    moves: Vec<(PathBuf, PathBuf)>,
    /// Files replaced: (target, where its old version is kept).
    replaced: Vec<(PathBuf, PathBuf)>,
    dirs: Vec<PathBuf>,
}

impl Journal {
    /// Replaces `target` by `staged` in one rename, so a reader never
    /// finds it missing; the old version is kept (as a second link) for
    /// undoing.
    fn replace(&mut self, staged: &Path, target: &Path, keep: &Path) -> std::io::Result<()> {
        if let Some(parent) = keep.parent() {
            fs::create_dir_all(parent)?;
        }
        if fs::hard_link(target, keep).is_err() {
            fs::copy(target, keep)?;
        }
        self.replaced
            .push((target.to_path_buf(), keep.to_path_buf()));
        fs::rename(staged, target)
    }

    fn move_file(&mut self, from: &Path, to: &Path) -> std::io::Result<()> {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(from, to)?;
        self.moves.push((from.to_path_buf(), to.to_path_buf()));
        Ok(())
    }

    fn make_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.exists() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        for m in missing.into_iter().rev() {
            fs::create_dir(&m)?;
            self.dirs.push(m);
        }
        Ok(())
    }

    fn undo(self) {
        for (from, to) in self.moves.into_iter().rev() {
            let _ = fs::rename(to, from);
        }
        for (target, kept) in self.replaced.into_iter().rev() {
            let _ = fs::rename(kept, target);
        }
        for d in self.dirs.into_iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }

    /// Removes the folders that removals left empty (a deleted brief's
    /// page folder).
    fn prune_empty(&self, output: &Path) {
        for (from, _) in &self.moves {
            let mut d = from.parent();
            while let Some(dir) = d {
                if dir == output || !dir.starts_with(output) || fs::remove_dir(dir).is_err() {
                    break;
                }
                d = dir.parent();
            }
        }
    }
}

/// What would be right when writing the output failed with `e`; `shown`
/// is the output folder as the author knows it.
fn help(e: &std::io::Error, shown: &Path) -> String {
    use std::io::ErrorKind as K;
    let out = shown.display();
    let holder = holder(shown);
    match e.kind() {
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => format!(
            "the disk is full or a file size limit was reached: free space on the disk that holds `{out}` and build again, or choose an output folder on another disk with --output"
        ),
        K::PermissionDenied | K::ReadOnlyFilesystem => format!(
            "`{out}` and the folder that holds it ({holder}) must be writable, as a build writes the new site beside `{out}` and swaps it in: make them writable, or choose another output folder with --output"
        ),
        _ => format!(
            "make sure `{out}` and the folder that holds it ({holder}) are writable and the disk has free space, then build again"
        ),
    }
}

/// The folder that holds the output, for messages: `` `out` `` or "the
/// site folder".
fn holder(shown: &Path) -> String {
    match shown.parent() {
        Some(p) if !p.as_os_str().is_empty() => format!("`{}`", p.display()),
        _ => "the site folder".to_string(),
    }
}

/// The name of a folder of `kind` (`staging`, `old`, `trash`) that
/// process `pid` keeps beside the output named `output`:
/// `.public.tearsheet-staging-4242`.
fn beside(output: &str, kind: &str, pid: u32) -> String {
    format!("{}{pid}", beside_prefix(output, kind))
}

/// What the names of [`beside`] for `output` and `kind` start with.
fn beside_prefix(output: &str, kind: &str) -> String {
    format!(".{output}.tearsheet-{kind}-")
}

/// Removes what a killed build (SIGKILL, power loss) left beside the
/// output: staging folders, and the old output of a build killed between
/// the two renames of [`Staging::commit`] — put back when the output
/// itself is missing. Only folders of processes no longer running are
/// touched, except old outputs thrown away, which are never put back and
/// are removed whoever threw them; errors are ignored (a leftover is
/// harmless). `output` is absolute and passed [`guard`].
pub(crate) fn recover(output: &Path) {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let [staging, old, trash] = ["staging", "old", "trash"].map(|k| beside_prefix(&name, k));
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
        // Thrown away already and never put back: removed again, apart
        // (its first removal may still be running; a second is harmless).
        if file.starts_with(&trash) {
            let _ = remove_soon(&entry.path());
            continue;
        }
        let (is_old, pid) = match (file.strip_prefix(&staging), file.strip_prefix(&old)) {
            (Some(pid), _) => (false, pid),
            (_, Some(pid)) => (true, pid),
            _ => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        // This process has written nothing yet: one with its id is stale.
        if pid != std::process::id() && running(pid) {
            continue;
        }
        if is_old && !output.exists() && fs::rename(entry.path(), output).is_ok() {
            continue;
        }
        let _ = remove_tree(&entry.path());
    }
}

/// Whether process `pid` is running (not a zombie). Where that cannot be
/// told, yes.
pub(crate) fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The state follows the command name in parentheses.
            Ok(stat) => !stat
                .rfind(')')
                .is_some_and(|i| stat[i + 1..].trim_start().starts_with(['Z', 'X'])),
            Err(_) => false,
        }
    } else if cfg!(unix) {
        std::process::Command::new("kill")
            .args(["-0", &pid.to_string()])
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(true)
    } else {
        true
    }
}

/// Removes a folder tree, its second-level folders in parallel (the old
/// output of a large site is thousands of page folders).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut subdirs = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            for inner in fs::read_dir(entry.path())? {
                subdirs.push(inner?.path());
            }
        }
    }
    subdirs.par_iter().try_for_each(|p| {
        if p.is_dir() {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        }
    })?;
    fs::remove_dir_all(dir)
}

/// Throws the folder `dir` away without making anyone wait for it: it is
/// renamed to `aside` at once (a name nothing puts back), then removed
/// by `rm` in a process group of its own (a second Ctrl-C at the
/// terminal does not stop it), which carries on after tearsheet exits;
/// that process is returned, and nothing waits for it. Where no such
/// process can be started, or `dir` cannot be set aside, the folder is
/// removed here. `None` also when there is no `dir`.
pub(crate) fn discard(dir: &Path, aside: &Path) -> Option<std::process::Child> {
    match fs::rename(dir, aside) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        // Not set aside (it could be put back while half removed): removed
        // here.
        Err(_) => {
            let _ = remove_tree(dir);
            return None;
        }
    }
    remove_soon(aside)
}

/// Removes `dir` apart from this process (see [`discard`]), or here
/// where no process can be started for it.
fn remove_soon(dir: &Path) -> Option<std::process::Child> {
    let apart = remove_apart(dir);
    if apart.is_none() {
        let _ = remove_tree(dir);
    }
    apart
}

/// Starts `rm -rf` on `dir` in a process group of its own.
#[cfg(unix)]
fn remove_apart(dir: &Path) -> Option<std::process::Child> {
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};
    Command::new("rm")
        .arg("-rf")
        .arg("--")
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .ok()
}

#[cfg(not(unix))]
fn remove_apart(_dir: &Path) -> Option<std::process::Child> {
    None
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed || self.update {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{recover, same_bytes, Staging};
    use std::io::Write;

    /// The staged copy of `rel` after writing `parts` in an update of an
    /// output whose `rel` holds `old`; `None` when none is staged.
    fn staged_after(old: &[u8], parts: &[&[u8]]) -> Option<Vec<u8>> {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("sub")).expect("output");
        std::fs::write(output.join("sub/a.json"), old).expect("old");
        let cancel = crate::cancel::Cancel::default();
        let staging =
            Staging::create(&output, "public".as_ref(), "b", true, &cancel).expect("staging");
        let mut file = staging.stream("sub/a.json").expect("stream");
        for part in parts {
            file.write_all(part).expect("part");
        }
        file.finish().expect("finish");
        std::fs::read(staging.dir.join("sub/a.json")).ok()
    }

    /// A file written in parts is staged unless the output holds the very
    /// same bytes: not when they differ, nor when the output's file is
    /// longer or shorter.
    #[test]
    fn a_streamed_file_is_staged_only_when_it_changed() {
        let parts: &[&[u8]] = &[b"[1", b",2]"];
        assert_eq!(staged_after(b"[1,2]", parts), None);
        for old in [&b"[1,3]"[..], b"[1,2]]", b"[1"] {
            let staged = staged_after(old, parts);
            assert_eq!(staged.as_deref(), Some(&b"[1,2]"[..]), "{old:?}");
        }
        assert_eq!(staged_after(b"", &[]), None);
    }

    /// Compared a block at a time: the same bytes across blocks, and a
    /// difference in the last block, a file of another length or none.
    #[test]
    fn a_file_holds_the_same_bytes_only_when_every_block_matches() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("write");
        assert!(same_bytes(&path, &bytes));
        let mut last = bytes.clone();
        *last.last_mut().expect("bytes") ^= 1;
        assert!(!same_bytes(&path, &last));
        assert!(!same_bytes(&path, &bytes[..bytes.len() - 1]));
        assert!(!same_bytes(&dir.path().join("none"), b""));
    }

    /// The names beside `output`, sorted, once no thrown-away folder is
    /// left (removed apart from the build: waited for, up to 20 s).
    fn settled(holder: &std::path::Path) -> Vec<String> {
        let names = || {
            let mut v: Vec<String> = std::fs::read_dir(holder)
                .expect("listed")
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let start = std::time::Instant::now();
        while names().iter().any(|n| n.contains(".tearsheet-trash-"))
            && start.elapsed() < std::time::Duration::from_secs(20)
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        names()
    }

    /// A whole new output takes the old one's place, and the old one is
    /// set aside under a name that is never put back, then removed.
    #[test]
    fn a_whole_new_output_throws_the_old_one_away() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        std::fs::create_dir_all(output.join("briefs/a")).expect("output");
        std::fs::write(output.join("briefs/a/index.html"), "old").expect("old");
        let cancel = crate::cancel::Cancel::default();
        let staging =
            Staging::create(&output, "public".as_ref(), "b", false, &cancel).expect("staging");
        staging.write("index.html", b"new").expect("write");
        staging.commit(&[]).expect("commit");
        assert_eq!(
            std::fs::read(output.join("index.html")).expect("new"),
            b"new"
        );
        assert!(!output.join("briefs").exists());
        let old = format!(".public.tearsheet-old-{}", std::process::id());
        assert!(!dir.path().join(old).exists());
        assert_eq!(settled(dir.path()), ["public"]);
    }

    /// A thrown-away output left beside the output (its removal cut
    /// short) is removed by the next build, even with the output missing:
    /// never put back, whatever its marker says.
    #[test]
    fn recover_removes_a_thrown_away_output_and_never_puts_it_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let output = dir.path().join("public");
        let trash = dir.path().join(".public.tearsheet-trash-12");
        std::fs::create_dir_all(trash.join("briefs")).expect("trash");
        std::fs::write(trash.join(super::MARKER), "build b\n").expect("marker");
        recover(&output);
        assert!(!output.exists(), "a thrown-away output was put back");
        assert_eq!(settled(dir.path()), Vec::<String>::new());
    }
}
