//! Discovery: which files under `content/` (and `static/`) take part in a
//! build. Hidden files and editor temporaries are skipped; the order is
//! sorted so every build sees the same list.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;

/// What discovery found under `content/`.
#[derive(Debug, Default)]
pub(crate) struct ContentFiles {
    /// Markdown pages, relative to the site root.
    pub pages: Vec<PathBuf>,
    /// Everything else (images, csv): copied next to their pages.
    pub assets: Vec<PathBuf>,
    /// Company files: `content/companies/<id>.md`.
    pub companies: Vec<PathBuf>,
    /// Their histories: `content/companies/<id>/history.csv`.
    pub histories: Vec<PathBuf>,
    /// Warnings for symbolic links skipped.
    pub links: Vec<Diagnostic>,
}

/// True for names an editor or OS leaves behind: `.x`, `x~`, `#x#`,
/// `.#x`, `x.swp`, `x.tmp`.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || is_editor_junk(name)
}

/// Editor and OS leftovers, which never belong in a site, even in
/// `static/` (where other dotfiles, like `.nojekyll` or `.well-known/`,
/// pass through).
pub(crate) fn is_editor_junk(name: &str) -> bool {
    name == ".DS_Store"
        || name == ".git"
        || name.starts_with(".#")
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Walks `root/dir`, returning files relative to `root`, sorted.
/// Symbolic links are never followed (a link could lead outside the site);
/// each one found is reported as a warning. A missing folder is empty.
pub(crate) fn files_under(root: &Path, dir: &str) -> Result<Vec<PathBuf>, Diagnostic> {
    walk(root, dir).map(|(files, _)| files)
}

/// Like [`files_under`], with a warning for every symbolic link skipped.
pub(crate) fn walk(root: &Path, dir: &str) -> Result<(Vec<PathBuf>, Vec<Diagnostic>), Diagnostic> {
    let skip: fn(&str) -> bool = if dir == "static" {
        is_editor_junk
    } else {
        is_ignored
    };
    let base = root.join(dir);
    if !base.is_dir() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut out = Vec::new();
    let mut links = Vec::new();
    let walker = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| {
            let p = e.path().unwrap_or(&base).to_path_buf();
            Diagnostic::error("TS0108", rel(root, &p), format!("cannot read: {e}"))
        })?;
        if entry.file_type().is_file() {
            out.push(rel(root, entry.path()));
        } else if entry.path_is_symlink() {
            links.push(
                Diagnostic::warning(
                    "TS0109",
                    rel(root, entry.path()),
                    "this is a symbolic link; tearsheet does not follow links",
                )
                .help("copy the file into the site instead of linking it"),
            );
        }
    }
    Ok((out, links))
}

/// Every file a build takes part of: `content/` and `static/` (with the
/// warnings for links skipped in the latter).
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub content: ContentFiles,
    pub static_files: Vec<PathBuf>,
    pub static_links: Vec<Diagnostic>,
}

impl Found {
    /// Walks `content/` and `static/`.
    pub(crate) fn walk(root: &Path) -> Result<Found, Diagnostic> {
        let content = content(root)?;
        let (static_files, static_links) = walk(root, "static")?;
        Ok(Found {
            content,
            static_files,
            static_links,
        })
    }

    /// Whether these are still the files after changes to `changed`
    /// (paths under `root`) alone: each is a file found here that is
    /// still a file, or is outside what is walked (templates, settings).
    /// A file added, removed or renamed is not.
    pub(crate) fn still_after(&self, root: &Path, changed: &[PathBuf]) -> bool {
        changed.iter().all(|p| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            let walked = rel.starts_with("content") || rel.starts_with("static");
            if !walked {
                return true;
            }
            let c = &self.content;
            let known = [&c.pages, &c.assets, &c.companies, &c.histories]
                .iter()
                .any(|files| files.iter().any(|f| f == rel))
                || self.static_files.iter().any(|f| f == rel);
            known
                && std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.file_type().is_file())
        })
    }
}

pub(crate) fn content(root: &Path) -> Result<ContentFiles, Diagnostic> {
    let mut files = ContentFiles::default();
    let (found, links) = walk(root, "content")?;
    files.links = links;
    for p in found {
        match company_file(&p) {
            Some(CompanyFile::Facts) => files.companies.push(p),
            Some(CompanyFile::History) => files.histories.push(p),
            None if p.extension().is_some_and(|e| e == "md") => files.pages.push(p),
            None => files.assets.push(p),
        }
    }
    Ok(files)
}

/// The two kinds of file that describe a company.
enum CompanyFile {
    /// `content/companies/<id>.md`
    Facts,
    /// `content/companies/<id>/history.csv`
    History,
}

/// Whether `p` (relative to the site root) is a company's file.
fn company_file(p: &Path) -> Option<CompanyFile> {
    let rest = p.strip_prefix("content/companies").ok()?;
    let parts: Vec<&std::ffi::OsStr> = rest.iter().collect();
    match parts.as_slice() {
        [file] if Path::new(file).extension().is_some_and(|e| e == "md") => {
            Some(CompanyFile::Facts)
        }
        [_, file] if *file == "history.csv" => Some(CompanyFile::History),
        _ => None,
    }
}

fn rel(root: &Path, p: &Path) -> PathBuf {
    p.strip_prefix(root).unwrap_or(p).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hidden_and_editor_files() {
        for n in [".x.md", "x.md~", "#x.md#", ".#x.md", "x.md.swp", ".git"] {
            assert!(is_ignored(n), "{n}");
        }
        assert!(!is_ignored("x.md"));
        assert!(!is_editor_junk(".nojekyll"));
        assert!(is_editor_junk(".DS_Store") && is_editor_junk("x.css~"));
    }
}
