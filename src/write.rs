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

use crate::diagnostic::Diagnostic;

/// The file that marks a folder as tearsheet's output.
pub const MARKER: &str = ".tearsheet-output";

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
pub fn guard(root: &Path, output: &Path, shown: &Path) -> Result<(), Diagnostic> {
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
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    shown: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn create(output: &Path, shown: &Path) -> Result<Staging, Diagnostic> {
        crate::interrupt::check(shown)?;
        let parent = output.parent().unwrap_or(Path::new("/"));
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.tearsheet-staging-{}", std::process::id()));
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
        };
        staging.write(
            MARKER,
            b"This folder is written by tearsheet and replaced whole by each build.\n",
        )?;
        Ok(staging)
    }

    /// Writes a file at a relative path of the output.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        crate::interrupt::check(&self.shown)?;
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
        let path = self.dir.join(rel_path);
        let io = |e: std::io::Error| {
            Diagnostic::error("TS0502", self.shown.join(rel), format!("cannot write: {e}"))
                .help(help(&e, &self.shown))
        };
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io)?;
        }
        fs::write(&path, bytes).map_err(io)
    }

    /// Copies a file into the output.
    pub fn copy(&self, from: &Path, rel: &str) -> Result<(), Diagnostic> {
        let bytes = fs::read(from).map_err(|e| {
            Diagnostic::error("TS0108", from.to_path_buf(), format!("cannot read: {e}"))
        })?;
        self.write(rel, &bytes)
    }

    /// Swaps the staging folder in for the output.
    pub fn commit(mut self) -> Result<(), Diagnostic> {
        crate::interrupt::check(&self.shown)?;
        let io = |e: std::io::Error| {
            Diagnostic::error(
                "TS0502",
                self.shown.clone(),
                format!("cannot replace the output folder: {e}"),
            )
            .help(help(&e, &self.shown))
        };
        let old = self.dir.with_file_name(format!(
            ".{}.tearsheet-old-{}",
            self.output
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        if self.output.exists() {
            fs::rename(&self.output, &old).map_err(io)?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.output) {
            // Put the old output back.
            let _ = fs::rename(&old, &self.output);
            return Err(io(e));
        }
        self.committed = true;
        if old.exists() {
            remove_tree(&old).map_err(io)?;
        }
        Ok(())
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

/// Removes what a killed build (SIGKILL, power loss) left beside the
/// output: staging folders, and the old output of a build killed between
/// the two renames of [`Staging::commit`] — put back when the output
/// itself is missing. Only folders of processes no longer running are
/// touched; errors are ignored (a leftover is harmless). `output` is
/// absolute and passed [`guard`].
pub fn recover(output: &Path) {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return;
    };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.tearsheet-staging-");
    let old = format!(".{name}.tearsheet-old-");
    for entry in entries.filter_map(Result::ok) {
        let file = entry.file_name().to_string_lossy().into_owned();
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
fn running(pid: u32) -> bool {
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

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}
