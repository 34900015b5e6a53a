//! Diagnostics: every error and warning tearsheet reports, as values.
//!
//! Each stage (load, model, check, render, write) returns [`Diagnostic`]s
//! instead of printing; [`Diagnostic::render`] is the one place that turns
//! them into text (rustc-style, via `annotate-snippets`), and
//! [`Diagnostic::to_json`] the one place that turns them into JSON.
//! A diagnostic names its file, and — whenever it is about something the
//! author wrote — the line and column, and carries that line so the
//! renderer can show it with a caret under the offending text.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a diagnostic is. Errors stop a build; warnings do not
/// (unless `--deny-warnings`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A 1-based line and column (columns count characters, not bytes) with
/// the length, in characters, of the text it points at.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub len: usize,
}

impl Pos {
    pub fn new(line: usize, col: usize, len: usize) -> Pos {
        Pos {
            line: line.max(1),
            col: col.max(1),
            len,
        }
    }
}

/// One error or warning (boxed: it travels in `Result`s on cold paths and
/// should keep them small).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic(Box<Fields>);

/// A diagnostic's code (named apart so that serde, reading the memo,
/// does not take the `&'static str` for text borrowed from its input).
pub(crate) type Code = &'static str;

/// What a diagnostic says; reached through `Deref` (`d.message`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fields {
    pub severity: Severity,
    /// Stable code, documented in docs/diagnostics.md (`TS0101`, ...).
    #[serde(with = "documented_code")]
    pub code: Code,
    pub message: String,
    /// The file, relative to the site root where possible.
    pub file: PathBuf,
    /// Where in the file; `None` only for problems with a file as a whole
    /// (it cannot be read, a folder is refused).
    pub pos: Option<Pos>,
    /// The text of line `pos.line`, shown under the message.
    pub source_line: Option<String>,
    /// A short label under the caret.
    pub label: Option<String>,
    /// What would be right.
    pub help: Option<String>,
    /// Where in the front matter the diagnostic points, while it is not
    /// located yet: made by a step that no longer holds the file's text,
    /// located by `load` (which reads it again) before it is shown.
    pub pending: Option<Place>,
}

/// A place in a file's front matter, named rather than located.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Place {
    /// The opening `---` (for what the front matter lacks).
    Start,
    /// A key (`key: true`) or its value at a path such as
    /// `metrics.revenue.prior`.
    Key { path: String, key: bool },
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic(Box::new(Fields {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.into(),
            pos: None,
            source_line: None,
            label: None,
            help: None,
            pending: None,
        }))
    }

    /// Names the place in the front matter the diagnostic is about, for
    /// `load` to locate (see [`Fields::pending`]).
    pub fn at_place(mut self, place: Place) -> Self {
        self.pending = Some(place);
        self
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<PathBuf>,
        message: impl Into<String>,
    ) -> Self {
        let mut d = Diagnostic::error(code, file, message);
        d.severity = Severity::Warning;
        d
    }

    /// Points the diagnostic at `pos` in `text` (the whole file), keeping
    /// that line for display.
    pub fn at(mut self, text: &str, pos: Pos) -> Self {
        self.pending = None;
        self.source_line = text
            .lines()
            .nth(pos.line - 1)
            .map(|l| l.trim_end_matches('\r').to_string());
        self.pos = Some(pos);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or just `file`).
    pub fn location(&self) -> String {
        match self.pos {
            Some(p) => format!("{}:{}:{}", display_path(&self.file), p.line, p.col),
            None => display_path(&self.file),
        }
    }

    /// Renders the diagnostic as text, rustc-style:
    ///
    /// ```text
    /// error[TS0102]: metrics.z.value: cannot read figure "twelve apples"
    ///  --> content/briefs/x.md:3:15
    ///   |
    /// 3 |   z: { value: twelve apples }
    ///   |               ^^^^^^^^^^^^^ not a figure
    ///   |
    ///   = help: write a number with an optional scale: 350亿, 35.0bn, 13.1%
    /// ```
    pub fn render(&self) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = display_path(&self.file);
        let title = level
            .clone()
            .primary_title(self.message.as_str())
            .id(self.code);
        let help = self.help.as_deref().map(|h| Level::HELP.message(h));
        let group: Group = match (self.pos, &self.source_line) {
            (Some(pos), Some(line)) => {
                let range = char_span_to_bytes(line, pos.col, pos.len);
                let mut ann = AnnotationKind::Primary.span(range);
                if let Some(label) = &self.label {
                    ann = ann.label(label.as_str());
                }
                let snippet = Snippet::source(line.as_str())
                    .line_start(pos.line)
                    .path(path.as_str())
                    .annotation(ann);
                let g = title.element(snippet);
                match help {
                    Some(h) => g.element(h),
                    None => g,
                }
            }
            _ => {
                // No line to show: the location goes into the title.
                let located = format!("{}: {}", self.location(), self.message);
                let g = Group::with_title(level.primary_title(located).id(self.code));
                match help {
                    Some(h) => g.element(h),
                    None => g,
                }
            }
        };
        let groups = [group];
        Renderer::plain().render(&groups).to_string()
    }

    /// One diagnostic as a JSON object for `check --format json`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "file": display_path(&self.file),
            "line": self.pos.map(|p| p.line),
            "column": self.pos.map(|p| p.col),
            "severity": self.severity.as_str(),
            "code": self.code,
            "message": self.message,
            "help": self.help,
        })
    }
}

impl std::ops::Deref for Diagnostic {
    type Target = Fields;
    fn deref(&self) -> &Fields {
        &self.0
    }
}

impl std::ops::DerefMut for Diagnostic {
    fn deref_mut(&mut self) -> &mut Fields {
        &mut self.0
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Diagnostic codes in the build's memo of pages: written as text, read
/// back as the `'static` code of the same name in docs/diagnostics.md
/// (every code has its section there, which `tests/docs.rs` checks); a
/// code that has none fails the read, and the memo is not used.
mod documented_code {
    const DOCS: &str = include_str!("../docs/diagnostics.md");

    pub(super) fn serialize<S: serde::Serializer>(
        code: &&'static str,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(code)
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<&'static str, D::Error> {
        let code = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        let heading = format!("### {code} ");
        DOCS.find(&heading)
            .map(|i| &DOCS[i + 4..i + 4 + code.len()])
            .ok_or_else(|| serde::de::Error::custom(format!("undocumented code {code}")))
    }
}

/// Paths are shown with forward slashes on every platform so that
/// messages (and their snapshots) are the same everywhere.
pub(crate) fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Converts a 1-based character column and a length in characters into a
/// byte range of `line`, clamped to the line (a zero-length span becomes
/// one character wide, or sits at the end of the line).
fn char_span_to_bytes(line: &str, col: usize, len: usize) -> std::ops::Range<usize> {
    let mut starts = line
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(line.len()));
    let start = starts
        .clone()
        .nth(col.saturating_sub(1))
        .unwrap_or(line.len());
    let end = starts
        .nth(col.saturating_sub(1) + len.max(1))
        .unwrap_or(line.len())
        .max(start);
    start..end
}

/// The diagnostics of a run, in a stable order (by file, then position).
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
    });
}

/// Closest candidate to `word` by edit distance, for "did you mean".
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(3) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_with_caret_under_the_column() {
        let text = "---\ntitle: x\nvalue: twelve\n";
        let d = Diagnostic::error("TS0102", "content/a.md", "cannot read figure \"twelve\"")
            .at(text, Pos::new(3, 8, 6))
            .label("not a figure")
            .help("write 350亿 or 13.1%");
        insta::assert_snapshot!(d.render(), @r#"
        error[TS0102]: cannot read figure "twelve"
         --> content/a.md:3:8
          |
        3 | value: twelve
          |        ^^^^^^ not a figure
          |
          = help: write 350亿 or 13.1%
        "#);
    }

    #[test]
    fn caret_counts_characters_not_bytes() {
        let text = "营收: 坏数字\n";
        let d = Diagnostic::error("TS0102", "a.md", "bad").at(text, Pos::new(1, 5, 3));
        assert!(d.render().contains("^^^"), "{}", d.render());
        assert_eq!(d.location(), "a.md:1:5");
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("tittle", ["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "date"]), None);
    }
}
