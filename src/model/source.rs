//! Where a page came from. Validation reads a content file through
//! [`Source`] (its front matter, its body, and where each key sits, for
//! diagnostics); `load`'s document is the one implementation. What a page
//! keeps of its file afterwards is an [`Origin`]: plain data, no text. A
//! step that finds a problem with a page later names the place in its
//! front matter ([`Origin::error_at`]), and `load` locates it by reading
//! the file again before the diagnostic is shown.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Place, Pos};
use crate::model::front_matter::FrontMatter;

/// A content file as validation reads it.
pub trait Source: Sync {
    /// The file's path relative to the site root (`content/briefs/x.md`).
    fn path(&self) -> &Path;
    /// The file's path relative to `content/` (`briefs/x.md`).
    fn content_path(&self) -> &Path;
    fn front_matter(&self) -> &FrontMatter;
    fn has_front_matter(&self) -> bool;
    /// The body, after the front matter.
    fn body(&self) -> &str;
    /// The text as far as it is held (at least the front matter).
    fn text(&self) -> &str;
    /// The file position of a front-matter key (`key: true`) or value at
    /// a path such as `metrics.revenue.yoy`.
    fn locate(&self, path: &str, key: bool) -> Pos;
    /// What the page keeps of the file.
    fn origin(&self) -> Origin;

    /// A diagnostic pointing at a front-matter path.
    fn error_at(
        &self,
        code: &'static str,
        path: &str,
        key: bool,
        message: impl Into<String>,
    ) -> Diagnostic
    where
        Self: Sized,
    {
        Diagnostic::error(code, self.path().to_path_buf(), message)
            .at(self.text(), self.locate(path, key))
    }

    /// A diagnostic pointing at the opening `---` (for missing fields).
    fn error_at_start(&self, code: &'static str, message: impl Into<String>) -> Diagnostic
    where
        Self: Sized,
    {
        Diagnostic::error(code, self.path().to_path_buf(), message)
            .at(self.text(), Pos::new(1, 1, 3))
    }
}

/// What a page keeps of its file: where it is, and a hash of the text it
/// was made from (its body is read again to render, and must read the
/// same).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Origin {
    /// Relative to the site root (`content/briefs/x.md`), for messages.
    pub path: PathBuf,
    /// Relative to `content/` (`briefs/x.md`), for URLs.
    pub content_path: PathBuf,
    /// A hash of the path and the text as read.
    pub hash: u64,
    /// The slug the front matter sets, if any.
    pub slug: Option<String>,
}

impl Origin {
    /// A diagnostic about the front-matter key or value at `path`
    /// (`metrics.revenue.prior`), located when it is shown.
    pub fn error_at(
        &self,
        code: &'static str,
        path: &str,
        key: bool,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(code, self.path.clone(), message).at_place(Place::Key {
            path: path.to_string(),
            key,
        })
    }

    /// A diagnostic about what the front matter lacks, at its opening
    /// `---`, located when it is shown.
    pub fn error_at_start(&self, code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(code, self.path.clone(), message).at_place(Place::Start)
    }
}
